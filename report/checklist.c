/* bangfu-checklist — the special-action work checklist (专项行动工作清单):
 * options, the problem-list sync and the printed summary; the work is
 * lib/checklist.c and lib/problem.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checklist.h"
#include "datefmt.h"
#include "db.h"
#include "msg.h"
#include "tmpl.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: bangfu-checklist --period YYYY-MM --as-of DATE --out FILE.xlsx [--status FILE]\n"
		"                        [--tasks FILE] [--unit NAME] [--overdue-months N] [--db DB]\n"
		"\n"
		"Bring the problem list (问题清单, 挂单销号) up to date with the period's reconciliation\n"
		"and township checks, judge every task of the special action per county\n"
		"(已完成 / 进行中 / 未开始 / 逾期 against its deadline and the as-of date) and write the\n"
		"work checklist: 汇总, a sheet per 市州, 问题清单 and 说明.\n"
		"\n"
		"  --db PATH            database file (default bangfu.db)\n"
		"  --period YYYY-MM     the reconciled month\n"
		"  --as-of DATE         the day statuses are judged on (e.g. 2020-05-20)\n"
		"  --out FILE.xlsx      the workbook (written whole or not at all, mode 0600)\n"
		"  --status FILE        the counties' reports for the tasks the data cannot measure:\n"
		"                       CSV (any encoding) with 县市区, 任务编号, 完成状态 (已完成/进行中/未开始),\n"
		"                       and optionally 市州 and 情况说明\n"
		"  --tasks FILE         the tasks template (default templates/tasks_2020.csv)\n"
		"  --unit NAME          填报单位 printed on every sheet\n"
		"  --overdue-months N   an open problem is overdue after N months (default 1)\n"
		"  --templates DIR      read columns.csv and tasks_2020.csv from DIR\n"
		"  --quiet, --verbose   less or more output on stderr\n"
		"  --help               this text\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},     {"period", required_argument, NULL, 'p'},
		{"as-of", required_argument, NULL, 'a'},  {"out", required_argument, NULL, 'o'},
		{"status", required_argument, NULL, 's'}, {"tasks", required_argument, NULL, 'T'},
		{"unit", required_argument, NULL, 'u'},   {"overdue-months", required_argument, NULL, 'm'},
		{"templates", required_argument, NULL, 't'}, {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *db_path = "bangfu.db", *as_of_arg = NULL;
	struct checklist_options opt = {.overdue_months = 1};
	struct checklist_summary sum = {0};
	struct bangfu_err err;
	sqlite3 *db = NULL;
	char as_of[11], *end;
	int c, status = EXIT_OK;
	long months;

	msg_init(argv[0]);
	bangfu_err_clear(&err);
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'p': opt.period = optarg; break;
		case 'a': as_of_arg = optarg; break;
		case 'o': opt.out_path = optarg; break;
		case 's': opt.status_path = optarg; break;
		case 'T': opt.tasks_path = optarg; break;
		case 'u': opt.unit = optarg; break;
		case 'm':
			months = strtol(optarg, &end, 10);
			if (end == optarg || *end || months < 1 || months > 120) {
				msg_errorf("--overdue-months must be a whole number from 1 to 120, not '%s'", optarg);
				return EXIT_USAGE;
			}
			opt.overdue_months = (int)months;
			break;
		case 't': tmpl_set_dir(optarg); break;
		case 'q': msg_set_verbosity(0); break;
		case 'v': msg_set_verbosity(2); break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!opt.period || !as_of_arg || !opt.out_path || optind < argc) {
		msg_errorf("--period, --as-of and --out are required");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!db_period_arg(opt.period))
		return EXIT_BAD_INPUT;
	if (datefmt_parse(as_of_arg, as_of) != DATEFMT_DAY) {
		msg_errorf("--as-of '%s' is not a date: expected YYYY-MM-DD, e.g. 2020-05-20", as_of_arg);
		return EXIT_BAD_INPUT;
	}
	if (strncmp(as_of, opt.period, 7) < 0) {
		msg_errorf("--as-of %s is before the period %s: the statuses are judged on a day of the period or later",
			   as_of, opt.period);
		return EXIT_BAD_INPUT;
	}
	opt.as_of = as_of;
	if (db_open_existing(db_path, &db, &err) != 0 || checklist_run(db, &opt, &sum, &err) != 0) {
		for (long i = 0; i < sum.nrejects; i++) {
			struct bangfu_err row = {0};

			bangfu_fail(&row, ERR_INPUT, sum.rejects[i].file, sum.rejects[i].line, sum.rejects[i].column,
				    "rejected", "%s", sum.rejects[i].reason);
			msg_error(&row);
		}
		status = msg_fail(&err);
		goto out;
	}
	msg_info("problem list %s: %ld found, %ld new, %ld closed; %ld open in all", opt.period, sum.sync.found,
		 sum.sync.opened, sum.sync.closed, sum.sync.open);
	msg_info("%s: %ld tasks × %ld counties in %ld 市州 as of %s: 已完成 %ld, 进行中 %ld, 未开始 %ld, 逾期 %ld",
		 sum.action, sum.tasks, sum.counties, sum.cities, opt.as_of, sum.status[CL_DONE], sum.status[CL_ONGOING],
		 sum.status[CL_NOT_STARTED], sum.status[CL_OVERDUE]);
	msg_info("problems: %ld open (%ld overdue), %ld closed in %s", sum.problems_open, sum.problems_overdue,
		 sum.problems_closed_now, opt.period);
	msg_info("wrote %s", opt.out_path);
out:
	checklist_summary_free(&sum);
	db_close(db);
	return status;
}
