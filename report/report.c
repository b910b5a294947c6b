/* bangfu-report — the leadership progress report of a reconciled period and,
 * with --townships, the township work lists.  Options and the printed
 * summary; the work is lib/report.c. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "msg.h"
#include "report.h"
#include "tmpl.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: bangfu-report --period YYYY-MM --out FILE.xlsx [--unit NAME] [--townships DIR]\n"
		"                     [--full-id] [--targets FILE] [--expand city|county|township] [--db DB]\n"
		"\n"
		"Write the progress report (进度报表) of a reconciled period for leadership: 总表 by\n"
		"市州 with outline levels to 县市区 and 乡镇, 比对情况, 乡镇抽查, 零就业家庭, 趋势 and\n"
		"说明.  It holds no names or ID numbers.  With --townships, also one workbook per\n"
		"county with a sheet per township listing the persons and households the township\n"
		"has to act on.  Files are written whole or not at all, mode 0600.\n"
		"\n"
		"  --db PATH          database file (default bangfu.db)\n"
		"  --period YYYY-MM   the month to report (run bangfu-reconcile for it first)\n"
		"  --out FILE.xlsx    the report workbook\n"
		"  --unit NAME        填报单位 printed on every sheet, e.g. 湖南省人力资源和社会保障厅\n"
		"  --townships DIR    also write the township work lists into DIR\n"
		"  --csv DIR          also write the numbers of 总表, 比对情况, 乡镇抽查 and 零就业家庭\n"
		"                     as CSV (UTF-8 with BOM) into DIR\n"
		"  --full-id          township lists: whole ID numbers and phones (default: masked)\n"
		"  --targets FILE     targets CSV (default: templates/targets.csv when present)\n"
		"  --expand LEVEL     how far 总表 opens: city (default), county or township\n"
		"  --templates DIR    read templates from DIR\n"
		"  --quiet, --verbose less or more output on stderr\n"
		"  --help             this text\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},        {"period", required_argument, NULL, 'p'},
		{"out", required_argument, NULL, 'o'},       {"unit", required_argument, NULL, 'u'},
		{"townships", required_argument, NULL, 'w'}, {"csv", required_argument, NULL, 'c'}, {"full-id", no_argument, NULL, 'f'},
		{"targets", required_argument, NULL, 'g'},   {"expand", required_argument, NULL, 'e'},
		{"templates", required_argument, NULL, 't'}, {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},         {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *db_path = "bangfu.db";
	struct report_options opt = {0};
	struct report_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int c, status = EXIT_OK;

	msg_init(argv[0]);
	bangfu_err_clear(&err);
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'p': opt.period = optarg; break;
		case 'o': opt.out_path = optarg; break;
		case 'u': opt.unit = optarg; break;
		case 'w': opt.townships_dir = optarg; break;
		case 'c': opt.csv_dir = optarg; break;
		case 'f': opt.full_id = 1; break;
		case 'g': opt.targets_path = optarg; break;
		case 'e':
			if (!strcmp(optarg, "city"))
				opt.expand = REPORT_EXPAND_CITY;
			else if (!strcmp(optarg, "county"))
				opt.expand = REPORT_EXPAND_COUNTY;
			else if (!strcmp(optarg, "township"))
				opt.expand = REPORT_EXPAND_TOWNSHIP;
			else {
				msg_errorf("--expand must be city, county or township, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 't': tmpl_set_dir(optarg); break;
		case 'q': msg_set_verbosity(0); break;
		case 'v': msg_set_verbosity(2); break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!opt.period || !opt.out_path || optind < argc) {
		msg_errorf("--period and --out are required");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!db_period_arg(opt.period))
		return EXIT_BAD_INPUT;
	if (db_open_existing(db_path, &db, &err) != 0 || report_write(db, &opt, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %ld 市州, %ld 县市区, %ld 乡镇; 脱贫劳动力 %ld, 已就业 %ld; 环比 against %s; %s", opt.period,
		 sum.cities, sum.counties, sum.townships, sum.labour, sum.employed,
		 sum.previous_period[0] ? sum.previous_period : "none", sum.checked ? "with the sample checks" : "not sampled");
	if (sum.targets_read)
		msg_info("targets: %ld used of %ld rows", sum.targets_used, sum.targets_read);
	msg_info("wrote %s", opt.out_path);
	if (opt.townships_dir)
		msg_info("wrote %ld township workbooks (%ld items) to %s%s", sum.township_books, sum.township_items,
			 opt.townships_dir, opt.full_id ? " with whole ID numbers" : "");
out:
	db_close(db);
	return status;
}
