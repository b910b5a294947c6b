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
	const char *followup_dir;   /* NULL: no follow-up lists (乡镇跟进名单, report_services.c) */
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
	long followup_books, followup_rows; /* 乡镇跟进名单 (report_services.c) */
};

/* The half-year analysis workbook (bangfu-report --half, report_half.c):
 * the six months of a half side by side by 市州 and 县市区, 同比 where the
 * year before is in the database, and a generated text summary of the
 * largest changes.  Like the report it holds no names or ID numbers. */
struct report_half_options {
	int year, half;             /* half 1: January to June, 2: July to December */
	const char *out_path;       /* the workbook (.xlsx) */
	const char *unit;           /* 填报单位; NULL or "" for none */
	enum report_expand expand;  /* city, or county (and township) open */
};

struct report_half_summary {
	int months_present;         /* of the half's six, reconciled in the database */
	int year_before_present;    /* of the six a year before */
	char missing[64];           /* "2026-04, 2026-05", "" when none */
	long counties;
};

/* "2026-H1" → year 2026, half 1; 0, or -1 when ARG is no half-year. */
int report_half_parse(const char *arg, int *year, int *half);

/* Write the half-year workbook.  Fails with ERR_INPUT when no month of the
 * half is reconciled or the file cannot be written; nothing is left behind
 * then. */
int report_half_write(sqlite3 *db, const struct report_half_options *opt, struct report_half_summary *sum,
		      struct bangfu_err *err);

/* Write the report (and the township workbooks).  Fails with ERR_INPUT when
 * the period is not reconciled, a target row is wrong, or a file cannot be
 * written; nothing is left behind then. */
int report_write(sqlite3 *db, const struct report_options *opt, struct report_summary *sum,
		 struct bangfu_err *err);

#endif
