/* bangfu-reconcile — classify every person of a period (SPEC §5).
 * Options and the printed summary only; the work is lib/reconcile.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "msg.h"
#include "problem.h"
#include "reconcile.h"
#include "tmpl.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: bangfu-reconcile --period YYYY-MM [--db DB]\n"
		"\n"
		"Join the period's roster and HR-platform rows by ID number and classify every\n"
		"person: 一致 consistent, 不一致 conflict, 仅扶贫系统 roster_only, 仅人社平台 hr_only,\n"
		"证件号码无效 invalid_id, 重复 duplicate.  Lists conflicting fields, proposes ID\n"
		"repairs for townships to confirm, compares with the previous period and finds\n"
		"zero-employment households.  Re-running replaces the period's result.\n"
		"\n"
		"  --db PATH          database file (default bangfu.db)\n"
		"  --period YYYY-MM   the month to reconcile\n"
		"  --templates DIR    read policy.csv (labour ages) from DIR\n"
		"  --quiet, --verbose less or more output on stderr\n"
		"  --help             this text\n");
}

/* The problem list (挂单销号) follows every reconciliation. */
static int sync_problems(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	struct problem_summary ps;

	if (problem_sync(db, period, &ps, err) != 0)
		return -1;
	msg_info("problem list: %ld open (%ld opened, %ld closed by %s)", ps.open, ps.opened, ps.closed, period);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'}, {"period", required_argument, NULL, 'p'},
		{"templates", required_argument, NULL, 't'}, {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *db_path = "bangfu.db", *period = NULL;
	struct tmpl_policy *policy = NULL;
	struct reconcile_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int c, status = EXIT_OK;

	msg_init(argv[0]);
	bangfu_err_clear(&err);
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'p': period = optarg; break;
		case 't': tmpl_set_dir(optarg); break;
		case 'q': msg_set_verbosity(0); break;
		case 'v': msg_set_verbosity(2); break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!period || optind < argc) {
		msg_errorf(period ? "unexpected argument '%s'" : "--period is required%s", period ? argv[optind] : "");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!db_period_arg(period))
		return EXIT_BAD_INPUT;
	if (tmpl_policy_load("policy.csv", &policy, &err) != 0 || db_open_existing(db_path, &db, &err) != 0 ||
	    reconcile_period(db, period, policy, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %ld roster rows + %ld HR rows = %ld persons + %ld extra rows of duplicated IDs", period,
		 sum.roster_rows, sum.hr_rows, sum.persons, sum.duplicate_extra_rows);
	for (int k = 0; k < RC_NCATEGORIES; k++)
		msg_info("  %-12s %-16s %8ld", reconcile_category_code(k), reconcile_category_label(k),
			 sum.category[k]);
	msg_info("%ld conflicting fields, %ld proposed ID repairs, %ld zero-employment households", sum.conflicts,
		 sum.repairs, sum.zero_households);
	if (sum.previous_period[0])
		msg_info("compared with %s: %ld changes (view v_change_summary)", sum.previous_period, sum.changes);
	else
		msg_info("no earlier period in the database: no month-over-month changes");
	if (sync_problems(db, period, &err) != 0) {
		status = msg_fail(&err);
	}
out:
	db_close(db);
	tmpl_policy_free(policy);
	return status;
}
