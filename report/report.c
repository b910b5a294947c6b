/* report — see report.h.  The whole report: the period looked up, the
 * areas counted and the targets applied (report_areas.c), the workbook's
 * sheets (report_sheets.c), the township lists (report_townships.c) and the
 * CSV (report_csv.c), all from one read transaction and written together
 * or not at all; then the command bangfu-report. */
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bangfu.h"
#include "cli.h"
#include "db.h"
#include "sample.h"
#include "tmpl.h"

/* ---- the whole report ---- */

static int period_lookup(struct report_ctx *c, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int reconciled = 0;

	if (db_prepare(c->db, "SELECT (SELECT count(*) FROM reconcile_run WHERE period = ?1),"
			      " (SELECT max(period) FROM reconcile_run WHERE period < ?1),"
			      " (SELECT threshold FROM sample_plan WHERE period = ?1)",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		reconciled = sqlite3_column_int(st, 0);
		snprintf(c->sum->previous_period, sizeof c->sum->previous_period, "%s",
			 sqlite3_column_type(st, 1) == SQLITE_NULL ? "" : (const char *)sqlite3_column_text(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
			c->sum->checked = 1;
			c->threshold = sqlite3_column_double(st, 2);
		}
	}
	sqlite3_finalize(st);
	if (!reconciled)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(c->db, "main"), 0, 0, "not_reconciled",
				   "%s has no reconcile result in this database: run bangfu-reconcile --period %s first",
				   c->opt->period, c->opt->period);
	if (!c->sum->checked) {
		struct sample_plan plan;

		if (sample_plan_load(&plan, err) != 0)
			return -1;
		c->threshold = plan.threshold;
	}
	return 0;
}

static int check_out_path(const char *path, struct bangfu_err *err)
{
	size_t n = strlen(path);
	struct stat sb;

	if (n < 6 || strcmp(path + n - 5, ".xlsx") != 0)
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "bad_output", "--out should name an .xlsx file");
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "bad_output", "--out is a directory; name an .xlsx file");
	return 0;
}

int report_write(sqlite3 *db, const struct report_options *opt, struct report_summary *sum, struct bangfu_err *err)
{
	struct report_ctx c;
	struct outputs outs = {0};
	const char *tmp;
	int rc = -1, book_open = 0;

	memset(&c, 0, sizeof c);
	memset(sum, 0, sizeof *sum);
	c.db = db;
	c.opt = opt;
	c.sum = sum;
	if (check_out_path(opt->out_path, err) != 0)
		return -1;
	/* One read transaction: every sheet sees the same snapshot even if
	 * another stage writes meanwhile (WAL). */
	if (db_exec(db, "BEGIN", err) != 0)
		return -1;
	if (period_lookup(&c, err) != 0 || report_areas_load(db, opt->period, sum->previous_period, &c.areas, err) != 0)
		goto out;
	/* The template is optional: without it the target columns say "—". */
	if (opt->targets_path)
		snprintf(c.targets_file, sizeof c.targets_file, "%s", opt->targets_path);
	else if (tmpl_path("targets.csv", c.targets_file, sizeof c.targets_file, &(struct bangfu_err){0}) != 0)
		c.targets_file[0] = '\0';
	else {
		char resolved[PATH_MAX];

		if (realpath(c.targets_file, resolved))
			snprintf(c.targets_file, sizeof c.targets_file, "%s", resolved);
	}
	snprintf(sum->targets_file, sizeof sum->targets_file, "%s", report_file_name(c.targets_file));
	if (c.targets_file[0] && report_targets_apply(c.targets_file, opt->period, &c.areas, sum, err) != 0)
		goto out;
	for (int i = 0; i < c.areas.n; i++) {
		const struct area *a = &c.areas.v[i];

		sum->cities += a->level == LEVEL_CITY;
		sum->counties += a->level == LEVEL_COUNTY;
		sum->townships += a->level == LEVEL_TOWNSHIP;
		if (a->level == LEVEL_TOTAL) {
			sum->labour = a->m[M_LABOUR];
			sum->employed = a->m[M_EMPLOYED];
		}
	}

	if (outputs_add(&outs, opt->out_path, &tmp, err) != 0 || xlsx_open(&c.book, tmp, opt->unit, opt->period, err) != 0)
		goto out;
	book_open = 1;
	report_formats_init(&c.book, &c.fmt);
	if (report_sheet_summary(&c, err) != 0 || report_sheet_changes(&c, err) != 0 ||
	    report_sheet_compare(&c, err) != 0 || report_sheet_checks(&c, err) != 0 ||
	    report_sheet_zero(&c, err) != 0 || report_sheet_subsidies(&c, err) != 0 || report_sheet_trend(&c, err) != 0 ||
	    report_sheet_notes(&c, err) != 0)
		goto out;
	book_open = 0;
	if (xlsx_close(&c.book, err) != 0)
		goto out;
	if (opt->townships_dir && report_townships(&c, &outs, err) != 0)
		goto out;
	if (opt->csv_dir && report_csv(&c, &outs, err) != 0)
		goto out;
	rc = outputs_commit(&outs, err);
out:
	if (book_open) {
		struct bangfu_err ignored;

		xlsx_close(&c.book, &ignored);
	}
	if (rc != 0)
		outputs_discard(&outs);
	db_rollback(db);
	report_areas_free(&c.areas);
	return rc;
}

/* ---- the command: bangfu-report ---- */

static const char *const EXPAND_LEVELS[] = {"city", "county", "township", NULL};

int cmd_report(int argc, char **argv)
{
	const char *db_path = "bangfu.db";
	struct report_options opt = {0};
	int expand = 0;
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the month to report (run bangfu-reconcile for it first)"),
		CLI_OPT_REQUIRED("out", &opt.out_path, "FILE.xlsx", "the report workbook"),
		CLI_OPT_STRING("unit", &opt.unit, "NAME", "填报单位 printed on every sheet, e.g. 湖南省人力资源和社会保障厅"),
		CLI_OPT_STRING("townships", &opt.townships_dir, "DIR", "also write the township work lists into DIR"),
		CLI_OPT_STRING("csv", &opt.csv_dir, "DIR",
			       "also write the numbers of 总表, 本月变动, 比对情况, 乡镇抽查 and\n"
			       "零就业家庭 as CSV (UTF-8 with BOM) into DIR"),
		CLI_OPT_FLAG("full-id", &opt.full_id, "township lists: whole ID numbers and phones (default: masked)"),
		CLI_OPT_STRING("targets", &opt.targets_path, "FILE",
			       "targets CSV (default: templates/targets.csv when present)"),
		CLI_OPT_CHOICE("expand", &expand, "city|county|township", EXPAND_LEVELS,
			       "how far 总表 opens: city (default), county or township"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-report", NULL,
		"Write the progress report (进度报表) of a reconciled period for leadership: 总表 by\n"
		"市州 with outline levels to 县市区 and 乡镇, 本月变动 (the same, against the month\n"
		"before), 比对情况, 乡镇抽查, 零就业家庭, 趋势 and 说明.  It holds no names or ID numbers.  With --townships, also one workbook per\n"
		"county with a sheet per township listing the persons and households the township\n"
		"has to act on.  Files are written whole or not at all, mode 0600.",
		NULL, options};
	struct report_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int status = EXIT_OK;

	bangfu_err_clear(&err);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		return status;
	opt.expand = expand == 2 ? REPORT_EXPAND_TOWNSHIP : expand == 1 ? REPORT_EXPAND_COUNTY : REPORT_EXPAND_CITY;
	if (db_open_existing(db_path, &db, &err) != 0 || report_write(db, &opt, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %ld 市州, %ld 县市区, %ld 乡镇; 脱贫劳动力 %ld, 已就业 %ld; 环比 against %s; %s", opt.period,
		 sum.cities, sum.counties, sum.townships, sum.labour, sum.employed,
		 sum.previous_period[0] ? sum.previous_period : "none", sum.checked ? "with the sample checks" : "not sampled");
	if (sum.targets_read)
		msg_info("targets: %s: %ld used of %ld rows", sum.targets_file,
			 sum.targets_used, sum.targets_read);
	if (sum.targets_examples)
		msg_errorf("warning: %ld example rows of the targets (marked 示例) were not applied: write the targets "
			   "handed down to you in their place, or give --targets FILE", sum.targets_examples);
	if (sum.targets_unmatched)
		msg_errorf("warning: %s; not used%s", sum.targets_unmatched_text,
			   sum.targets_unmatched > 1 ? " (and more rows like it)" : "");
	msg_info("wrote %s", opt.out_path);
	if (opt.townships_dir)
		msg_info("wrote %ld township workbooks (%ld items) to %s%s", sum.township_books, sum.township_items,
			 opt.townships_dir, opt.full_id ? " with whole ID numbers" : "");
out:
	db_close(db);
	return status;
}
