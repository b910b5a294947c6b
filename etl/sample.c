/* bangfu-sample — draw the period's per-township call-back sample and write
 * the check sheets.  Options and the printed summary; the work is lib/sample.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "msg.h"
#include "sample.h"
#include "tmpl.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: bangfu-sample --period YYYY-MM --out DIR [--seed N] [--full-id] [--db DB]\n"
		"\n"
		"Draw a random sample of each township's HR-platform records for call-back\n"
		"checks (plan: templates/sampling.csv) and write the check sheets, one workbook\n"
		"per county with a sheet per township, into DIR.  The same period, seed and data\n"
		"always give the same sample; the seed and plan are stored with it.  A run that\n"
		"fails leaves the database as it was and writes no sheet.\n"
		"\n"
		"  --db PATH          database file (default bangfu.db)\n"
		"  --period YYYY-MM   the month to sample (reconcile it first)\n"
		"  --out DIR          where the check sheets go (created when missing)\n"
		"  --seed N           the draw's seed (default: the one stored for the period,\n"
		"                     else the period as a number, e.g. 202610)\n"
		"  --full-id          print whole ID numbers (default: masked in the middle)\n"
		"  --templates DIR    read sampling.csv from DIR\n"
		"  --quiet, --verbose less or more output on stderr\n"
		"  --help             this text\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},   {"period", required_argument, NULL, 'p'},
		{"out", required_argument, NULL, 'o'},  {"seed", required_argument, NULL, 's'},
		{"full-id", no_argument, NULL, 'f'},    {"templates", required_argument, NULL, 't'},
		{"quiet", no_argument, NULL, 'q'},      {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
	const char *db_path = "bangfu.db";
	struct sample_options opt = {0};
	struct sample_plan plan;
	struct sample_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	char *end;
	int c, status = EXIT_OK;

	msg_init(argv[0]);
	bangfu_err_clear(&err);
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'p': opt.period = optarg; break;
		case 'o': opt.out_dir = optarg; break;
		case 's':
			opt.seed = strtoull(optarg, &end, 10);
			if (end == optarg || *end || optarg[0] == '-') {
				msg_errorf("--seed must be a whole number ≥ 0, not '%s'", optarg);
				return EXIT_USAGE;
			}
			opt.seed_given = 1;
			break;
		case 'f': opt.full_id = 1; break;
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
	if (sample_plan_load(&plan, &err) != 0 || db_open_existing(db_path, &db, &err) != 0 ||
	    sample_run(db, &opt, &plan, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %s sample with seed %llu: %ld persons in %ld townships (of %ld on the platform)", opt.period,
		 sum.redrawn ? "drew the" : "kept the existing", (unsigned long long)sum.seed, sum.sampled,
		 sum.townships, sum.pool);
	msg_info("wrote %ld check-sheet workbooks to %s", sum.workbooks, opt.out_dir);
out:
	db_close(db);
	return status;
}
