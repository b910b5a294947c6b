/* report — the leadership progress report (进度报表, SPEC §7) of one
 * reconciled period, and the township work lists that go with it.
 *
 * The report workbook has the sheets 总表 (市州 → 县市区 → 乡镇 in outline
 * levels, with the province total, 环比 and targets), 本月变动 (the changes
 * since the previous period, the same way), 比对情况, 乡镇抽查, 零就业家庭,
 * 趋势 and 说明; it carries no names, ID numbers or phones.  The
 * township workbooks (one per county, a sheet per township) carry the named
 * lists a clerk acts on, with IDs and phones masked unless asked otherwise.
 * The numbers come from the views of schema/ (v_township_progress,
 * v_county_summary, v_township_check, v_zero_household); targets from
 * templates/targets.csv.  Every file is written under a temporary name in
 * its directory and renamed only when all of them are complete.
 *
 * The command bangfu-report (cmd_report, bangfu.h) is in report.c, after the work. */
#ifndef BANGFU_REPORT_H
#define BANGFU_REPORT_H

#include <sqlite3.h>

#include "msg.h"

/* How far the 总表 outline is open when the workbook is opened. */
enum report_expand { REPORT_EXPAND_CITY = 0, REPORT_EXPAND_COUNTY, REPORT_EXPAND_TOWNSHIP };

struct report_options {
	const char *period;         /* YYYY-MM, reconciled */
	const char *out_path;       /* the report workbook (.xlsx) */
	const char *unit;           /* 填报单位; NULL or "" for none */
	const char *townships_dir;  /* NULL: no township workbooks */
	const char *targets_path;   /* NULL: templates/targets.csv when it exists */
	const char *csv_dir;        /* NULL: no CSV; else 总表/本月变动/比对情况/乡镇抽查/零就业家庭.csv here */
	int full_id;                /* township lists: whole ID numbers and phones */
	enum report_expand expand;
};

struct report_summary {
	char previous_period[8];    /* the 环比 period, "" when none */
	long cities, counties, townships;
	long labour, employed;      /* province totals, for the printed line */
	char targets_file[256];     /* the targets file's name, "" when none */
	long targets_read, targets_used;
	long targets_examples;      /* rows marked 示例: never applied */
	long targets_unmatched;     /* rows of the period naming no place in the data */
	char targets_unmatched_text[512]; /* the first of them: "targets.csv:7: 乡镇 …" */
	int checked;                /* 1 when the period has a sample */
	long township_books, township_items;
};

/* Write the report (and the township workbooks).  Fails with ERR_INPUT when
 * the period is not reconciled, a target row is wrong, or a file cannot be
 * written; nothing is left behind then. */
int report_write(sqlite3 *db, const struct report_options *opt, struct report_summary *sum,
		 struct bangfu_err *err);

#endif
