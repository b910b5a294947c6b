/* report_int — what the parts of bangfu-report share, and nothing the other
 * stages need (their interface is report.h).  The report is made in parts:
 *
 *   report_areas.c      the numbers of 总表: every township's measures rolled
 *                       up to county, city and province, and the targets;
 *   report_sheets.c     the leadership workbook's sheets;
 *   report_changes.c    its 本月变动 sheet: the changes since the month before;
 *   report_services.c   its 就业服务 sheet: 311, weekly job messages, the match;
 *   report_townships.c  the township work lists (one workbook per county);
 *   report_csv.c        the same numbers as CSV;
 *   report.c            the whole report, in one read transaction, and the
 *                       command.
 *
 * A number is computed once and printed twice: the workbook and the CSV read
 * the same areas, the same summary values and the same table queries. */
#ifndef BANGFU_REPORT_INT_H
#define BANGFU_REPORT_INT_H

#include <limits.h>
#include <sqlite3.h>

#include "msg.h"
#include "outputs.h"
#include "report.h"
#include "xlsx.h"

#define FONT "宋体"

/* ---- the numbers of 总表 (report_areas.c) ---- */

/* The measures of v_township_progress a row of 总表 sums. */
enum measure {
	M_PERSONS, M_LABOUR, M_ENTERED, M_EMPLOYED, M_OUT_PROVINCE, M_IN_PROVINCE, M_IN_COUNTY, M_REGION_UNKNOWN,
	M_PUBLIC_POST, M_WORKSHOP, M_UNEMPLOYED, M_WILLING, M_RETURNED, M_CONSISTENT, M_CONFLICT, M_ACCURATE, M_INACCURATE,
	M_CHECKED, M_RECALIBRATE, M_DECIDED,
	/* by population (分人群) and key county */
	M_POPULATION_UNKNOWN, M_MONITORED_LABOUR, M_MONITORED_EMPLOYED, M_LOW_INCOME_LABOUR, M_LOW_INCOME_EMPLOYED,
	M_RELOCATED_LABOUR, M_RELOCATED_EMPLOYED, M_RELOCATED_HOUSEHOLDS, M_RELOCATED_HOUSEHOLDS_EMPLOYED,
	M_KEY_COUNTY, M_KEY_LISTED, NMEASURES
};

enum { LEVEL_TOTAL = 0, LEVEL_CITY, LEVEL_COUNTY, LEVEL_TOWNSHIP };

struct area {
	int level;
	char *city, *county, *township; /* NULL above the row's level */
	long city_order, county_order;  /* see region_place_order() */
	long m[NMEASURES];
	long prev[NMEASURES];
	int has_prev;
	double target;
	int target_rank; /* 0 none, 1 a year's target, 2 the month's */
	long target_line;
};

struct areas {
	struct area *v;
	int n;
};

struct report_formats {
	lxw_format *name[4];       /* by level: bold total, bold city, indented county, township */
	lxw_format *delta, *total_delta;
	lxw_format *note;          /* a merged note line under a table */
};

/* ---- the context every part shares ---- */

struct report_ctx {
	sqlite3 *db;
	const struct report_options *opt;
	struct report_summary *sum;
	struct xlsx_book book;
	struct report_formats fmt;
	struct areas areas;
	double threshold;     /* accuracy / rate threshold */
	char targets_file[PATH_MAX];
};

/* The columns of 总表, in order; the CSV prints the same ones. */
enum {
	C_AREA, C_LABOUR, C_LABOUR_D, C_ENTERED, C_ENTRY_RATE, C_ENTERED_D, C_EMPLOYED, C_EMPLOYED_D,
	C_EMPLOY_RATE, C_OUT_PROVINCE, C_IN_PROVINCE, C_IN_COUNTY, C_REGION_UNKNOWN, C_PUBLIC_POST, C_WORKSHOP, C_UNEMPLOYED,
	C_UNEMPLOYED_D, C_WILLING, C_RETURNED, C_MATCH_RATE, C_CHECK_RATE, C_RECALIBRATE, C_TARGET, C_COMPLETION,
	NSUMMARY
};

struct report_column {
	const char *label;
	double width;           /* in the workbook */
	const char *definition; /* for the 说明 sheet */
};
extern const struct report_column SUMMARY[NSUMMARY];

/* The number of column k of an area's row of 总表; NaN where the sheet shows
 * "—" (no earlier period, no denominator, no target, no verdict yet). */
double report_summary_value(const struct area *a, int k);

void report_areas_free(struct areas *a);
int report_areas_load(sqlite3 *db, const char *period, const char *previous, struct areas *out,
		      struct bangfu_err *err);
int report_targets_apply(const char *path, const char *period, struct areas *areas, struct report_summary *sum,
			 struct bangfu_err *err);
const char *report_area_name(const struct area *a);
/* num / den, NaN when den is 0. */
double report_ratio(long num, long den);
/* The last component of a path: the 说明 sheet names files, not where they lie on the server. */
const char *report_file_name(const char *path);
/* --out names an .xlsx file, not a directory (report.c; --half too). */
int report_check_out_path(const char *path, struct bangfu_err *err);

/* ---- tables the workbook and the CSV both print (report_sheets.c) ---- */

struct report_table {
	const char *name;                   /* the sheet, and the CSV file's name without .csv */
	const char *select;                 /* the rows, ?1 the period, in the order printed */
	const struct xlsx_column *columns;  /* the columns of select, in order: header labels */
	int ncolumns;
};
extern const struct report_table REPORT_COMPARE, REPORT_CHECKS, REPORT_ZERO;
/* 就业服务 (report_services.c): the sheet and its CSV read this one query. */
extern const struct report_table REPORT_SERVICES;

/* ---- 本月变动 (report_changes.c) ---- */

/* Its columns after 地区, in order; the CSV prints the same ones. */
enum { CH_BECAME_UNEMPLOYED, CH_NEWLY_EMPLOYED, CH_RETURNED, CH_NEW, CH_GONE, CH_ID_CORRECTED, CH_ID_DAMAGED,
       NCHANGES };
extern const struct report_column CHANGE_COLUMNS[NCHANGES];

/* A row of 本月变动: 合计, 市州, 县市区 or 乡镇 (LEVEL_*), and its counts. */
struct change_area {
	int level;
	char *city, *county, *township; /* NULL above the row's level */
	long n[NCHANGES];
};

struct change_areas {
	struct change_area *v;
	int n;
};

/* The rows of 本月变动 in the order printed; none when the period has no
 * previous one. */
int report_changes_load(struct report_ctx *c, struct change_areas *out, struct bangfu_err *err);
void report_changes_free(struct change_areas *a);
const char *report_change_area_name(const struct change_area *a);

/* ---- the parts ---- */

void report_formats_init(struct xlsx_book *b, struct report_formats *f);
/* A sheet of measures by area (总表, 分人群, 本月变动, 就业服务): a 地区 column
 * first when place is set (else the measures begin with their own), the
 * measures' labels and widths, frozen below the header and right of the
 * first column, outline rows summing above their detail.  NULL with err
 * when the sheet cannot be added. */
lxw_worksheet *report_area_sheet(struct report_ctx *c, const char *name, const char *title, int place,
				 const struct report_column *measures, int n, int *first, struct bangfu_err *err);
void report_area_outline(struct report_ctx *c, lxw_worksheet *ws, int row, int level);
int report_sheet_summary(struct report_ctx *c, struct bangfu_err *err);
int report_sheet_changes(struct report_ctx *c, struct bangfu_err *err);
int report_sheet_services(struct report_ctx *c, struct bangfu_err *err);
/* The 趋势 sheet's service columns (“311”覆盖率, the two weekly shares, the
 * match rate) of a period from col on: blank without service records. */
#define NTREND_SERVICES 4
int report_trend_services(struct report_ctx *c, lxw_worksheet *ws, int row, const char *period, int col,
			  struct bangfu_err *err);
/* --followup DIR: DIR/乡镇跟进名单_市州_县市区_期.xlsx, the services' follow-up lists. */
int report_followup(struct report_ctx *c, struct outputs *outs, struct bangfu_err *err);
int report_sheet_compare(struct report_ctx *c, struct bangfu_err *err);
int report_sheet_checks(struct report_ctx *c, struct bangfu_err *err);
int report_sheet_zero(struct report_ctx *c, struct bangfu_err *err);
int report_sheet_subsidies(struct report_ctx *c, struct bangfu_err *err);
int report_sheet_trend(struct report_ctx *c, struct bangfu_err *err);
int report_sheet_notes(struct report_ctx *c, struct bangfu_err *err);
int report_townships(struct report_ctx *c, struct outputs *outs, struct bangfu_err *err);
int report_csv(struct report_ctx *c, struct outputs *outs, struct bangfu_err *err);

#endif
