/* bangfu-screen — subsidy screening by data comparison (政策应享尽享) of a
 * reconciled period: options and the printed summary; the work is
 * lib/screen.c. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "msg.h"
#include "screen.h"
#include "tmpl.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: bangfu-screen --period YYYY-MM --out DIR [--rules FILE] [--full-id] [--unit NAME] [--db DB]\n"
		"\n"
		"Screen the persons of a reconciled period against the employment-assistance subsidies\n"
		"in force at the period's last day (templates/subsidy_rules.csv): who is 符合, who is\n"
		"待核实 and why.  Writes one workbook per county (a sheet per township) and the province\n"
		"summary into DIR, mode 0600, whole or not at all; the result is in v_subsidy_candidate.\n"
		"\n"
		"  --db PATH          database file (default bangfu.db)\n"
		"  --period YYYY-MM   the month to screen (run bangfu-reconcile for it first)\n"
		"  --out DIR          where the workbooks go (created when missing)\n"
		"  --rules FILE       the subsidy rules (default: templates/subsidy_rules.csv)\n"
		"  --full-id          whole ID numbers in the county lists (default: masked)\n"
		"  --unit NAME        填报单位 of the province summary\n"
		"  --templates DIR    read templates from DIR\n"
		"  --quiet, --verbose less or more output on stderr\n"
		"  --help             this text\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},        {"period", required_argument, NULL, 'p'},
		{"out", required_argument, NULL, 'o'},       {"rules", required_argument, NULL, 'r'},
		{"full-id", no_argument, NULL, 'f'},         {"unit", required_argument, NULL, 'u'},
		{"templates", required_argument, NULL, 't'}, {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},         {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *db_path = "bangfu.db";
	struct screen_options opt = {0};
	struct screen_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int c, status = EXIT_OK;

	msg_init(argv[0]);
	bangfu_err_clear(&err);
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'p': opt.period = optarg; break;
		case 'o': opt.out_dir = optarg; break;
		case 'r': opt.rules_path = optarg; break;
		case 'f': opt.full_id = 1; break;
		case 'u': opt.unit = optarg; break;
		case 't': tmpl_set_dir(optarg); break;
		case 'q': msg_set_verbosity(0); break;
		case 'v': msg_set_verbosity(2); break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!opt.period || !opt.out_dir || optind < argc) {
		msg_errorf("--period and --out are required");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!db_period_arg(opt.period))
		return EXIT_BAD_INPUT;
	if (db_open_existing(db_path, &db, &err) != 0 || screen_run(db, &opt, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %d rules in force (%s); %ld employed persons; %ld candidates: 符合 %ld, 待核实 %ld", opt.period,
		 sum.rules_in_force, sum.rules_path, sum.persons, sum.candidates, sum.eligible, sum.to_verify);
	msg_info("wrote %ld county workbooks and %s%s", sum.county_books, sum.summary_path,
		 opt.full_id ? " with whole ID numbers" : "");
out:
	db_close(db);
	return status;
}
