/* report_half — the half-year analysis workbook of bangfu-report --half
 * YYYY-H1|H2 (半年分析).  Two sheets:
 *
 *   半年对比  合计, each 市州 and (in the outline, like 总表) its 县市区, with
 *             the six months of the half side by side for each measure:
 *             脱贫劳动力, 已就业, 就业率, 同比 (the same month a year before,
 *             where it is in the database), 外出务工, 就业转失业 and 新就业
 *             (the changes against the month before), 抽查准确率; a month
 *             the database lacks is a column saying 无数据;
 *   说明      which months are there, a short summary in plain sentences
 *             built from the numbers of 半年对比 (the largest rise and fall
 *             of the employment rate by 市州 and 县市区, 就业转失业, the
 *             townships below the accuracy threshold twice), and what each
 *             column is.
 *
 * The numbers are the per-period totals bangfu-reconcile stored per
 * township (v_township_progress, as the report's 趋势 reads them) and the
 * changes of v_change; no person is counted again here.  The workbook holds
 * no names, ID numbers or phones.  Not here: the monthly report (report.c
 * and its parts), whose formats and place names this file borrows. */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "region.h"
#include "sample.h"
#include "strbuf.h"

#define HALF_MONTHS 6

/* The half asked for, and the same half a year before (同比). */
enum { THIS_YEAR = 0, YEAR_BEFORE, NYEARS };

/* What a place has in one month (sums over its townships). */
enum { HM_LABOUR, HM_EMPLOYED, HM_OUTSIDE, HM_ACCURATE, HM_INACCURATE, HM_BECAME_UNEMPLOYED, HM_NEWLY_EMPLOYED,
       NHM };

struct half_month {
	char period[8];
	int present;       /* reconciled in this database */
	char previous[8];  /* the period its changes are against; "" when none */
};

struct half_area {
	int level; /* LEVEL_TOTAL, LEVEL_CITY or LEVEL_COUNTY */
	char *city, *county;
	long city_order, county_order;
	long v[NYEARS][HALF_MONTHS][NHM];
	unsigned char has[NYEARS][HALF_MONTHS]; /* the place has townships that month */
};

/* ---- the columns of 半年对比: groups of six months ---- */

enum { G_LABOUR, G_EMPLOYED, G_RATE, G_RATE_YOY, G_EMPLOYED_YOY, G_OUTSIDE, G_BECAME_UNEMPLOYED,
       G_NEWLY_EMPLOYED, G_ACCURACY,
       /* 就业服务: the services group (311 coverage, weekly-push share, match
        * rate) goes here, six months like the others, once the services
        * views exist; a group is a row of HALF_GROUPS and a case of
        * half_value(). */
       NGROUPS };

static const struct report_column HALF_GROUPS[NGROUPS] = {
	{"脱贫劳动力人数", 8, "各月末扶贫系统名单中有劳动能力、在劳动年龄内的人数（口径同进度报表总表）。"},
	{"已就业人数", 8,
	 "脱贫劳动力中已就业的人数：已录入省平台的按省平台“就业状态”，未录入的按扶贫系统（口径同总表）。"},
	{"就业率", 8, "已就业人数 ÷ 脱贫劳动力人数。"},
	{"就业率同比（百分点）", 8,
	 "本月就业率减上年同月就业率，单位为百分点；上年同月不在数据库中（或该地区上年同月没有数据）时为“—”。"},
	{"已就业人数同比增减", 8, "本月已就业人数减上年同月已就业人数；上年同月不在数据库中时为“—”。"},
	{"外出务工人数", 8, "已就业人员中在县外就业的人数：省外＋省内县外（总表“其中：省外”“其中：省内县外”之和）。"},
	{"就业转失业人数", 8,
	 "与上一个已比对月相比，上月已就业、本月未就业的人数（进度报表“本月变动”的就业转失业）；"
	 "数据库中没有更早的月份可比时为“—”。"},
	{"新就业人数", 8, "与上一个已比对月相比，上月未就业、本月已就业的人数（同上）。"},
	{"抽查准确率", 8,
	 "该月抽查核查结果为“准确”的人数 ÷（准确＋不准确），市州、县市区、合计为其下各乡镇合并计算；"
	 "未抽查或尚未返回结果为“—”。低于阈值标红。"},
};

static int column_of(int group, int month)
{
	return 1 + group * HALF_MONTHS + month;
}

#define NCOLUMNS (1 + NGROUPS * HALF_MONTHS)

/* The columns of the first printed page: 地区 and two measures. */
#define PAGE_COLUMNS (1 + 2 * HALF_MONTHS)

/* xlsx_sheet's header row: here the measures, the months on the row under it. */
#define HEADER_ROW_HALF 2

struct half_ctx {
	sqlite3 *db;
	const struct report_half_options *opt;
	struct report_half_summary *sum;
	struct xlsx_book book;
	struct report_formats fmt;
	lxw_format *no_data, *total_no_data, *points, *total_points;
	struct half_month months[NYEARS][HALF_MONTHS];
	struct half_area *areas;
	int nareas;
	double threshold;
	char name[32]; /* 2026年上半年 */
	double width[NCOLUMNS]; /* what the columns after the first page need */
};


/* ---- the half asked for ---- */

int report_half_parse(const char *arg, int *year, int *half)
{
	if (!arg || strlen(arg) != 7 || arg[4] != '-' || arg[5] != 'H' || (arg[6] != '1' && arg[6] != '2'))
		return -1;
	for (int i = 0; i < 4; i++)
		if (arg[i] < '0' || arg[i] > '9')
			return -1;
	*year = atoi(arg);
	*half = arg[6] - '0';
	return *year >= 2000 && *year <= 2099 ? 0 : -1;
}

/* The months of the half and of the year before, which of them are
 * reconciled, and what their changes are against. */
static int months_load(struct half_ctx *c, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int step;

	for (int y = 0; y < NYEARS; y++)
		for (int m = 0; m < HALF_MONTHS; m++)
			snprintf(c->months[y][m].period, sizeof c->months[y][m].period, "%04u-%02u",
				 (unsigned)(c->opt->year - y) % 10000u,
				 (unsigned)((c->opt->half - 1) * HALF_MONTHS + m + 1) % 100u);
	if (db_prepare(c->db, "SELECT period, coalesce(previous_period, '') FROM reconcile_run WHERE period BETWEEN ?1 AND ?2"
			      " OR period BETWEEN ?3 AND ?4",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->months[THIS_YEAR][0].period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->months[THIS_YEAR][HALF_MONTHS - 1].period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->months[YEAR_BEFORE][0].period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->months[YEAR_BEFORE][HALF_MONTHS - 1].period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);

		for (int y = 0; y < NYEARS; y++)
			for (int m = 0; m < HALF_MONTHS; m++)
				if (strcmp(p, c->months[y][m].period) == 0) {
					c->months[y][m].present = 1;
					snprintf(c->months[y][m].previous, sizeof c->months[y][m].previous, "%s",
						 (const char *)sqlite3_column_text(st, 1));
				}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(c->db, err, "reading the reconciled periods");
	for (int m = 0; m < HALF_MONTHS; m++) {
		struct half_month *hm = &c->months[THIS_YEAR][m];

		if (hm->present) {
			c->sum->months_present++;
		} else {
			size_t n = strlen(c->sum->missing);

			snprintf(c->sum->missing + n, sizeof c->sum->missing - n, "%s%s", n ? ", " : "", hm->period);
		}
		c->sum->year_before_present += c->months[YEAR_BEFORE][m].present;
	}
	if (!c->sum->months_present)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(c->db, "main"), 0, 0, "not_reconciled",
				   "no month of %d-H%d (%s to %s) is reconciled in this database: run bangfu-reconcile "
				   "for its months first",
				   c->opt->year, c->opt->half, c->months[THIS_YEAR][0].period,
				   c->months[THIS_YEAR][HALF_MONTHS - 1].period);
	return 0;
}

/* The threshold of the half's latest sample, else the sampling plan's. */
static int threshold_load(struct half_ctx *c, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int found = 0;

	if (db_prepare(c->db, "SELECT threshold FROM sample_plan WHERE period BETWEEN ?1 AND ?2 ORDER BY period DESC LIMIT 1",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->months[THIS_YEAR][0].period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->months[THIS_YEAR][HALF_MONTHS - 1].period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		c->threshold = sqlite3_column_double(st, 0);
		found = 1;
	}
	sqlite3_finalize(st);
	if (!found) {
		struct sample_plan plan;

		if (sample_plan_load(&plan, err) != 0)
			return -1;
		c->threshold = plan.threshold;
	}
	return 0;
}

/* ---- the places and their numbers ---- */

static void areas_free(struct half_ctx *c)
{
	for (int i = 0; i < c->nareas; i++) {
		free(c->areas[i].city);
		free(c->areas[i].county);
	}
	free(c->areas);
	c->areas = NULL;
	c->nareas = 0;
}

static int same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The place's row; a new one when add (the half's own months make rows,
 * the year before and the changes only fill them). */
static struct half_area *area_find(struct half_ctx *c, int level, const char *city, const char *county, int add)
{
	struct half_area *a;

	for (int i = 0; i < c->nareas; i++)
		if (c->areas[i].level == level && same(c->areas[i].city, city) && same(c->areas[i].county, county))
			return &c->areas[i];
	if (!add)
		return NULL;
	c->areas = realloc(c->areas, (size_t)(c->nareas + 1) * sizeof *c->areas);
	if (!c->areas)
		abort();
	a = &c->areas[c->nareas++];
	memset(a, 0, sizeof *a);
	a->level = level;
	a->city = city ? xstrdup(city) : NULL;
	a->county = county ? xstrdup(county) : NULL;
	a->city_order = level > LEVEL_TOTAL ? region_place_order(city, NULL) : 0;
	a->county_order = level == LEVEL_COUNTY ? region_place_order(city, county) : 0;
	return a;
}

static int month_index(const struct half_ctx *c, const char *period, int *year)
{
	for (int y = 0; y < NYEARS; y++)
		for (int m = 0; m < HALF_MONTHS; m++)
			if (strcmp(period, c->months[y][m].period) == 0) {
				*year = y;
				return m;
			}
	return -1;
}

/* Sums at the three levels over a per-township (or per-change) relation
 * holding period, city, county and the columns given. */
static void build_levels_sql(struct strbuf *sql, const char *relation, const char *const *sums, int nsums)
{
	static const char *const group[] = {"", ", city", ", city, county"};
	static const char *const names[] = {"NULL, NULL", "city, NULL", "city, county"};

	strbuf_addf(sql, "WITH t AS MATERIALIZED (%s) ", relation);
	for (int level = LEVEL_TOTAL; level <= LEVEL_COUNTY; level++) {
		if (level)
			strbuf_addstr(sql, " UNION ALL ");
		strbuf_addf(sql, "SELECT period, %d, %s", level, names[level]);
		for (int k = 0; k < nsums; k++)
			strbuf_addf(sql, ", sum(%s)", sums[k]);
		strbuf_addf(sql, " FROM t GROUP BY period%s", group[level]);
	}
	/* the half's months first: they make the rows the year before fills */
	strbuf_addstr(sql, " ORDER BY 1 DESC");
}

static int levels_read(struct half_ctx *c, const char *relation, const char *const *sums, const int *into, int nsums,
		       int add, const char *what, struct bangfu_err *err)
{
	struct strbuf sql;
	sqlite3_stmt *st;
	int step;

	strbuf_init(&sql);
	build_levels_sql(&sql, relation, sums, nsums);
	step = db_prepare(c->db, strbuf_str(&sql), &st, err);
	strbuf_free(&sql);
	if (step != 0)
		return -1;
	for (int y = 0, i = 1; y < NYEARS; y++)
		for (int m = 0; m < HALF_MONTHS; m++, i++)
			sqlite3_bind_text(st, i, c->months[y][m].period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int year, m = month_index(c, (const char *)sqlite3_column_text(st, 0), &year);
		int level = sqlite3_column_int(st, 1);
		struct half_area *a;

		if (m < 0)
			continue;
		a = area_find(c, level, (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
			      add && year == THIS_YEAR);
		if (!a)
			continue; /* a place only the year before (or only a change) names */
		if (add)
			a->has[year][m] = 1;
		for (int k = 0; k < nsums; k++)
			a->v[year][m][into[k]] = (long)sqlite3_column_int64(st, 4 + k);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(c->db, err, what);
	return 0;
}

/* 合计 first, then each 市州 followed by its 县市区, in GB/T 2260 order. */
static int area_compare(const void *pa, const void *pb)
{
	const struct half_area *a = pa, *b = pb;
	int d;

	if ((a->level == LEVEL_TOTAL) != (b->level == LEVEL_TOTAL))
		return a->level == LEVEL_TOTAL ? -1 : 1;
	if (a->city_order != b->city_order)
		return a->city_order < b->city_order ? -1 : 1;
	if ((d = strcmp(a->city ? a->city : "", b->city ? b->city : "")) != 0)
		return d;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if (a->county_order != b->county_order)
		return a->county_order < b->county_order ? -1 : 1;
	return strcmp(a->county ? a->county : "", b->county ? b->county : "");
}

#define PERIODS_IN "period IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"

static int areas_load(struct half_ctx *c, struct bangfu_err *err)
{
	static const char *const progress_sums[] = {"labour", "employed", "outside", "accurate", "inaccurate"};
	static const int progress_into[] = {HM_LABOUR, HM_EMPLOYED, HM_OUTSIDE, HM_ACCURATE, HM_INACCURATE};
	static const char *const change_sums[] = {"change = 'became_unemployed'", "change = 'newly_employed'"};
	static const int change_into[] = {HM_BECAME_UNEMPLOYED, HM_NEWLY_EMPLOYED};

	if (levels_read(c,
			"SELECT period, city, county, labour, employed, out_province + in_province AS outside, accurate,"
			" inaccurate FROM v_township_progress WHERE " PERIODS_IN,
			progress_sums, progress_into, 5, 1, "reading the monthly totals", err) != 0 ||
	    levels_read(c,
			"SELECT period, city, county, change FROM v_change WHERE " PERIODS_IN
			" AND change IN ('became_unemployed', 'newly_employed')",
			change_sums, change_into, 2, 0, "reading the changes of each month", err) != 0)
		return -1;
	if (c->nareas > 1)
		qsort(c->areas, (size_t)c->nareas, sizeof *c->areas, area_compare);
	for (int i = 0; i < c->nareas; i++)
		c->sum->counties += c->areas[i].level == LEVEL_COUNTY;
	return 0;
}

/* ---- a cell's value ---- */

enum cell_state { CELL_VALUE, CELL_NO_DATA, CELL_NONE };

static double rate_of(const struct half_area *a, int year, int m)
{
	return report_ratio(a->v[year][m][HM_EMPLOYED], a->v[year][m][HM_LABOUR]);
}

/* The value of a group's month for a place: a number, 无数据 (the month is
 * not in the database) or "—" (nothing to compare with, no denominator). */
static double half_value(const struct half_ctx *c, const struct half_area *a, int g, int m, enum cell_state *state)
{
	const long *v = a->v[THIS_YEAR][m], *before = a->v[YEAR_BEFORE][m];
	int comparable = c->months[YEAR_BEFORE][m].present && a->has[YEAR_BEFORE][m];
	double x = NAN;

	*state = CELL_VALUE;
	if (!c->months[THIS_YEAR][m].present) {
		*state = CELL_NO_DATA;
		return NAN;
	}
	switch (g) {
	case G_LABOUR: x = (double)v[HM_LABOUR]; break;
	case G_EMPLOYED: x = (double)v[HM_EMPLOYED]; break;
	case G_RATE: x = rate_of(a, THIS_YEAR, m); break;
	case G_RATE_YOY:
		if (comparable)
			x = (rate_of(a, THIS_YEAR, m) - rate_of(a, YEAR_BEFORE, m)) * 100;
		break;
	case G_EMPLOYED_YOY:
		if (comparable)
			x = (double)(v[HM_EMPLOYED] - before[HM_EMPLOYED]);
		break;
	case G_OUTSIDE: x = (double)v[HM_OUTSIDE]; break;
	case G_BECAME_UNEMPLOYED:
	case G_NEWLY_EMPLOYED:
		if (c->months[THIS_YEAR][m].previous[0])
			x = (double)v[g == G_BECAME_UNEMPLOYED ? HM_BECAME_UNEMPLOYED : HM_NEWLY_EMPLOYED];
		break;
	case G_ACCURACY: x = report_ratio(v[HM_ACCURATE], v[HM_ACCURATE] + v[HM_INACCURATE]); break;
	default: break;
	}
	if (isnan(x))
		*state = CELL_NONE;
	return x;
}

/* ---- 半年对比 ---- */

static lxw_format *own_format(struct xlsx_book *b, int bold, const char *num_format, uint32_t colour)
{
	lxw_format *f = workbook_add_format(b->wb);

	format_set_font_name(f, FONT);
	format_set_font_size(f, 10);
	if (bold) {
		format_set_bold(f);
		format_set_bg_color(f, 0xF2F2F2);
	}
	format_set_align(f, num_format ? LXW_ALIGN_RIGHT : LXW_ALIGN_CENTER);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_border(f, LXW_BORDER_THIN);
	if (num_format)
		format_set_num_format(f, num_format);
	if (colour)
		format_set_font_color(f, colour);
	return f;
}

static const char *area_name(const struct half_area *a)
{
	static const char *const empty[] = {"合计", "（未填市州）", "（未填县市区）"};
	const char *name = a->level == LEVEL_CITY ? a->city : a->county;

	if (a->level == LEVEL_TOTAL)
		return "合计";
	return name && name[0] ? name : empty[a->level];
}

static void write_area_row(struct half_ctx *c, lxw_worksheet *ws, int row, const struct half_area *a)
{
	struct xlsx_book *b = &c->book;
	int total = a->level == LEVEL_TOTAL;
	lxw_format *count = total ? b->total_count : b->count, *rate = total ? b->total_rate : b->rate;
	lxw_format *delta = total ? c->fmt.total_delta : c->fmt.delta, *points = total ? c->total_points : c->points;

	xlsx_put_text(b, ws, row, 0, area_name(a), c->fmt.name[a->level]);
	for (int g = 0; g < NGROUPS; g++)
		for (int m = 0; m < HALF_MONTHS; m++) {
			enum cell_state state;
			double v = half_value(c, a, g, m, &state);
			int col = column_of(g, m);
			lxw_format *f = g == G_RATE || g == G_ACCURACY ? rate
					: g == G_RATE_YOY			 ? points
					: g == G_EMPLOYED_YOY			 ? delta
										 : count;

			if (state == CELL_NO_DATA)
				xlsx_put_text(b, ws, row, col, "无数据", total ? c->total_no_data : c->no_data);
			else if (state == CELL_NONE)
				xlsx_put_text(b, ws, row, col, "—", f);
			else
				xlsx_put_number(b, ws, row, col, v, f);
			if (state == CELL_VALUE && col >= PAGE_COLUMNS) {
				/* as "#,##0" shows it, a sign and room for decimals or "%" */
				char digits[64];
				double w;

				snprintf(digits, sizeof digits, "%.0f", fabs(v));
				w = (double)strlen(digits) + (double)(strlen(digits) - 1) / 3 + 4.5;
				if (w > c->width[col])
					c->width[col] = w;
			}
		}
	if (a->level == LEVEL_CITY)
		xlsx_row_outline(b, ws, row, 0, 0, c->opt->expand == REPORT_EXPAND_CITY);
	else if (a->level == LEVEL_COUNTY)
		xlsx_row_outline(b, ws, row, 1, c->opt->expand == REPORT_EXPAND_CITY, 0);
}

static int sheet_compare(struct half_ctx *c, struct bangfu_err *err)
{
	struct xlsx_column cols[NCOLUMNS] = {{"地区", 16}};
	char months[HALF_MONTHS][16], title[256];
	struct xlsx_book *b = &c->book;
	struct strbuf note;
	lxw_worksheet *ws;
	int first, row;

	for (int m = 0; m < HALF_MONTHS; m++)
		snprintf(months[m], sizeof months[m], "%d月", (c->opt->half - 1) * HALF_MONTHS + m + 1);
	for (int g = 0; g < NGROUPS; g++)
		for (int m = 0; m < HALF_MONTHS; m++)
			cols[column_of(g, m)] = (struct xlsx_column){months[m], HALF_GROUPS[g].width};
	snprintf(title, sizeof title, "就业帮扶%s分析：各月对比（%s 至 %s）", c->name, c->months[THIS_YEAR][0].period,
		 c->months[THIS_YEAR][HALF_MONTHS - 1].period);
	/* The title block over the first printed page's columns (地区 and two
	 * measures), where a reader looks for it; the columns after it are
	 * sized here, as xlsx sizes the first ones. */
	ws = xlsx_sheet(b, "半年对比", title, 1, cols, PAGE_COLUMNS, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 半年对比");
	/* Two header rows: each measure over its six months, then the months. */
	worksheet_merge_range(ws, HEADER_ROW_HALF, 0, HEADER_ROW_HALF + 1, 0, "地区", b->header);
	for (int g = 0; g < NGROUPS; g++) {
		worksheet_merge_range(ws, HEADER_ROW_HALF, (lxw_col_t)column_of(g, 0), HEADER_ROW_HALF,
				      (lxw_col_t)column_of(g, HALF_MONTHS - 1), HALF_GROUPS[g].label, b->header);
		for (int m = 0; m < HALF_MONTHS; m++)
			xlsx_put_text(b, ws, HEADER_ROW_HALF + 1, column_of(g, m), months[m], b->header);
	}
	first = HEADER_ROW_HALF + 2;
	worksheet_freeze_panes(ws, (lxw_row_t)first, 1);
	worksheet_repeat_rows(ws, HEADER_ROW_HALF, HEADER_ROW_HALF + 1);
	/* Printed a few measures a page, 地区 on each (one page wide would be
	 * too small to read). */
	worksheet_repeat_columns(ws, 0, 0);
	{
		lxw_col_t breaks[NGROUPS];
		int n = 0;

		for (int g = 2; g < NGROUPS; g += 2)
			breaks[n++] = (lxw_col_t)column_of(g, 0);
		breaks[n] = 0;
		worksheet_set_v_pagebreaks(ws, breaks);
	}
	worksheet_set_print_scale(ws, 85);
	worksheet_outline_settings(ws, LXW_TRUE, LXW_FALSE, LXW_TRUE, LXW_FALSE);
	row = first;
	for (int i = 0; i < c->nareas; i++)
		write_area_row(c, ws, row++, &c->areas[i]);
	for (int col = PAGE_COLUMNS; col < NCOLUMNS; col++)
		worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col,
				     c->width[col] > cols[col].width ? c->width[col] : cols[col].width, NULL);
	for (int m = 0; m < HALF_MONTHS; m++)
		xlsx_flag_below(b, ws, first, row - 1, column_of(G_ACCURACY, m), c->threshold);
	row++;
	strbuf_init(&note);
	strbuf_addstr(&note, "注：人数单位为人。“无数据”：数据库中没有该月的已比对期次");
	for (int m = 0, n = 0; m < HALF_MONTHS; m++)
		if (!c->months[THIS_YEAR][m].present)
			strbuf_addf(&note, "%s%s", n++ ? "、" : "（", c->months[THIS_YEAR][m].period);
	strbuf_addf(&note, "%s；“—”：没有可比的数"
			   "（上年同月不在数据库中、该月之前没有已比对的月份、没有抽查结果或分母为 0）。"
			   "抽查准确率低于 %.0f%% 标红。点左侧“+”可展开到县市区。各列口径和本半年的主要变化见“说明”表。",
		    c->sum->missing[0] ? "）" : "", c->threshold * 100);
	/* from the second column: the first is printed on every page */
	xlsx_put_merged(b, ws, row, 1, column_of(G_EMPLOYED, HALF_MONTHS - 1), strbuf_str(&note), c->fmt.note);
	strbuf_free(&note);
	return 0;
}

/* ---- 说明: the summary ---- */

/* "岳阳市华容县": a county with its 市州, as a sentence names it. */
static void place_name(const struct half_area *a, char *out, size_t outsz)
{
	if (a->level == LEVEL_COUNTY)
		snprintf(out, outsz, "%s%s", a->city && a->city[0] ? a->city : "（未填市州）",
			 a->county && a->county[0] ? a->county : "（未填县市区）");
	else
		snprintf(out, outsz, "%s", area_name(a));
}

/* "上升 1.2 个百分点", "下降 0.4 个百分点", "持平". */
static void points_text(struct strbuf *s, double points)
{
	char digits[32];

	snprintf(digits, sizeof digits, "%.1f", fabs(points));
	if (strcmp(digits, "0.0") == 0)
		strbuf_addstr(s, "持平");
	else
		strbuf_addf(s, "%s %s 个百分点", points > 0 ? "上升" : "下降", digits);
}

/* The first and the last month of the half in the database. */
static void first_last(const struct half_ctx *c, int *first, int *last)
{
	*first = *last = -1;
	for (int m = 0; m < HALF_MONTHS; m++)
		if (c->months[THIS_YEAR][m].present) {
			if (*first < 0)
				*first = m;
			*last = m;
		}
}

/* The months of a half the database lacks because bangfu-archive moved
 * them out, each as "2025-04 已由 bangfu-archive 移到 archive.db，本表读不到。"
 * (the archive by its file name only). */
static int summary_archived(const struct half_ctx *c, int year, struct strbuf *s, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int step;

	if (db_prepare(c->db, "SELECT to_file FROM archive_run WHERE ', ' || periods || ', ' LIKE '%, ' || ?1 || ', %'"
			      " ORDER BY archived_at DESC LIMIT 1",
		       &st, err) != 0)
		return -1;
	for (int m = 0; m < HALF_MONTHS; m++) {
		const struct half_month *hm = &c->months[year][m];

		if (hm->present)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, hm->period, -1, SQLITE_STATIC);
		if ((step = sqlite3_step(st)) == SQLITE_ROW)
			strbuf_addf(s, "%s 已由 bangfu-archive 移到 %s，本表读不到。", hm->period,
				    report_file_name((const char *)sqlite3_column_text(st, 0)));
		else if (step != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_fail(c->db, err, "reading the archived periods");
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static void summary_months(const struct half_ctx *c, struct strbuf *s)
{
	int missing = HALF_MONTHS - c->sum->months_present, n = 0;

	strbuf_addstr(s, "数据库中有 ");
	for (int m = 0; m < HALF_MONTHS; m++)
		if (c->months[THIS_YEAR][m].present)
			strbuf_addf(s, "%s%s", n++ ? "、" : "", c->months[THIS_YEAR][m].period);
	strbuf_addf(s, " 共 %d 个月的数据", c->sum->months_present);
	if (missing) {
		strbuf_addstr(s, "；");
		n = 0;
		for (int m = 0; m < HALF_MONTHS; m++)
			if (!c->months[THIS_YEAR][m].present)
				strbuf_addf(s, "%s%s", n++ ? "、" : "", c->months[THIS_YEAR][m].period);
		strbuf_addf(s, " 共 %d 个月无数据（没有已比对的期次），半年对比表中这些月份的列写“无数据”", missing);
	}
	strbuf_addstr(s, "。");
}

static void summary_year_before(const struct half_ctx *c, struct strbuf *s)
{
	int n = 0;

	if (!c->sum->year_before_present) {
		strbuf_addf(s, "上年同期（%s 至 %s）都不在数据库中，同比列为“—”。", c->months[YEAR_BEFORE][0].period,
			    c->months[YEAR_BEFORE][HALF_MONTHS - 1].period);
		return;
	}
	strbuf_addstr(s, "上年同期在数据库中的月份：");
	for (int m = 0; m < HALF_MONTHS; m++)
		if (c->months[YEAR_BEFORE][m].present)
			strbuf_addf(s, "%s%s", n++ ? "、" : "", c->months[YEAR_BEFORE][m].period);
	strbuf_addstr(s, n < HALF_MONTHS ? "；其余月份的同比为“—”。" : "。");
}

/* 全省: the rate and the employed from the first month to the last, and
 * against the same month a year before. */
static void summary_total(const struct half_ctx *c, const struct half_area *t, struct strbuf *s)
{
	int first, last;
	double r0, r1;

	first_last(c, &first, &last);
	r1 = rate_of(t, THIS_YEAR, last);
	if (first == last) {
		strbuf_addf(s, "全省 %s 脱贫劳动力 %ld 人，已就业 %ld 人", c->months[THIS_YEAR][last].period,
			    t->v[THIS_YEAR][last][HM_LABOUR], t->v[THIS_YEAR][last][HM_EMPLOYED]);
		if (!isnan(r1))
			strbuf_addf(s, "，就业率 %.1f%%", r1 * 100);
		strbuf_addstr(s, "；本半年只有这一个月的数据，无从比较各月变化。");
	} else {
		long e0 = t->v[THIS_YEAR][first][HM_EMPLOYED], e1 = t->v[THIS_YEAR][last][HM_EMPLOYED];

		r0 = rate_of(t, THIS_YEAR, first);
		strbuf_addstr(s, "全省");
		if (!isnan(r0) && !isnan(r1)) {
			strbuf_addf(s, "就业率由 %s 的 %.1f%% 变为 %s 的 %.1f%%，", c->months[THIS_YEAR][first].period, r0 * 100,
				    c->months[THIS_YEAR][last].period, r1 * 100);
			points_text(s, (r1 - r0) * 100);
			strbuf_addstr(s, "；");
		}
		strbuf_addf(s, "已就业人数由 %ld 人变为 %ld 人，", e0, e1);
		if (e1 == e0)
			strbuf_addstr(s, "持平。");
		else
			strbuf_addf(s, "%s %ld 人。", e1 > e0 ? "增加" : "减少", labs(e1 - e0));
	}
	if (c->months[YEAR_BEFORE][last].present && t->has[YEAR_BEFORE][last] && !isnan(r1) &&
	    !isnan(rate_of(t, YEAR_BEFORE, last))) {
		double rb = rate_of(t, YEAR_BEFORE, last);

		strbuf_addf(s, "与上年同期 %s 的 %.1f%% 相比，%s 的就业率", c->months[YEAR_BEFORE][last].period, rb * 100,
			    c->months[THIS_YEAR][last].period);
		points_text(s, (r1 - rb) * 100);
		strbuf_addstr(s, "。");
	}
}

/* The largest rise and the largest fall of the employment rate among the
 * places of a level, first month to last; 0 when fewer than two places
 * have both. */
static int summary_level(const struct half_ctx *c, int level, const char *what, struct strbuf *s)
{
	const struct half_area *up = NULL, *down = NULL;
	double up_d = 0, down_d = 0;
	int first, last, n = 0;
	char name[512];

	first_last(c, &first, &last);
	if (first == last)
		return 0;
	for (int i = 0; i < c->nareas; i++) {
		const struct half_area *a = &c->areas[i];
		double r0 = rate_of(a, THIS_YEAR, first), r1 = rate_of(a, THIS_YEAR, last), d;

		if (a->level != level || isnan(r0) || isnan(r1))
			continue;
		n++;
		d = r1 - r0;
		if (d > 0 && (!up || d > up_d))
			up = a, up_d = d;
		if (d < 0 && (!down || d < down_d))
			down = a, down_d = d;
	}
	if (n < 2)
		return 0;
	strbuf_addf(s, "%s 到 %s，", c->months[THIS_YEAR][first].period, c->months[THIS_YEAR][last].period);
	for (int k = 0; k < 2; k++) {
		const struct half_area *a = k ? down : up;

		if (k)
			strbuf_addstr(s, "；");
		if (!a) {
			strbuf_addf(s, "没有就业率%s的%s", k ? "下降" : "上升", what);
			continue;
		}
		place_name(a, name, sizeof name);
		strbuf_addf(s, "%s中就业率%s最多的是%s（由 %.1f%% 到 %.1f%%，", what, k ? "下降" : "上升", name,
			    rate_of(a, THIS_YEAR, first) * 100, rate_of(a, THIS_YEAR, last) * 100);
		points_text(s, (rate_of(a, THIS_YEAR, last) - rate_of(a, THIS_YEAR, first)) * 100);
		strbuf_addstr(s, "）");
	}
	strbuf_addstr(s, "。");
	return 1;
}

/* The month before a YYYY-MM, as YYYY-MM. */
static void calendar_previous(const char *period, char out[8])
{
	int y = atoi(period), m = atoi(period + 5);

	if (--m < 1)
		m = 12, y--;
	snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
}

/* 就业转失业 over the half: the total, the month with most, the three
 * counties with most. */
static void summary_unemployed(const struct half_ctx *c, const struct half_area *t, struct strbuf *s)
{
	const struct half_area *top[3] = {NULL, NULL, NULL};
	long top_n[3] = {0, 0, 0}, total = 0, most = -1;
	int months = 0, most_m = -1, shown = 0;
	char name[512];

	for (int m = 0; m < HALF_MONTHS; m++) {
		if (!c->months[THIS_YEAR][m].present || !c->months[THIS_YEAR][m].previous[0])
			continue;
		months++;
		total += t->v[THIS_YEAR][m][HM_BECAME_UNEMPLOYED];
		if (t->v[THIS_YEAR][m][HM_BECAME_UNEMPLOYED] > most)
			most = t->v[THIS_YEAR][m][HM_BECAME_UNEMPLOYED], most_m = m;
	}
	if (!months) {
		strbuf_addstr(s, "本半年没有可与上月比较的月份（数据库中没有更早的已比对月份），就业转失业人数为“—”。");
		return;
	}
	strbuf_addf(s, "本半年就业转失业共 %ld 人（%d 个月与上一个已比对月相比之和）", total, months);
	if (total == 0) {
		strbuf_addstr(s, "。");
		return;
	}
	strbuf_addf(s, "，最多的是 %s（%ld 人）", c->months[THIS_YEAR][most_m].period, most);
	for (int i = 0; i < c->nareas; i++) {
		const struct half_area *a = &c->areas[i];
		long n = 0;

		if (a->level != LEVEL_COUNTY)
			continue;
		for (int m = 0; m < HALF_MONTHS; m++)
			if (c->months[THIS_YEAR][m].present && c->months[THIS_YEAR][m].previous[0])
				n += a->v[THIS_YEAR][m][HM_BECAME_UNEMPLOYED];
		/* the areas are in place order: an earlier place wins a tie */
		for (int k = 0; k < 3; k++)
			if (n > 0 && (!top[k] || n > top_n[k])) {
				for (int j = 2; j > k; j--)
					top[j] = top[j - 1], top_n[j] = top_n[j - 1];
				top[k] = a, top_n[k] = n;
				break;
			}
	}
	for (int k = 0; k < 3 && top[k]; k++) {
		place_name(top[k], name, sizeof name);
		strbuf_addf(s, "%s%s %ld 人", shown++ ? "、" : "；就业转失业最多的县市区：", name, top_n[k]);
	}
	strbuf_addstr(s, "。");
	for (int m = 0; m < HALF_MONTHS; m++) {
		const struct half_month *hm = &c->months[THIS_YEAR][m];
		char before[8];

		calendar_previous(hm->period, before);
		if (hm->present && hm->previous[0] && strcmp(hm->previous, before) != 0)
			strbuf_addf(s, "%s 的变动是与 %s 相比（其间的月份数据库中没有）。", hm->period, hm->previous);
	}
}

/* The townships whose check fell below the threshold (需重新校准) in two
 * months of the half or more. */
static int summary_accuracy(const struct half_ctx *c, struct strbuf *s, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	long decided = 0, listed = 0, twice = 0;
	int step;
	struct strbuf names;

	if (db_prepare(c->db, "SELECT count(*) FROM v_township_check WHERE period BETWEEN ?1 AND ?2"
			      " AND verdict IN ('pass', 'recalibrate')",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->months[THIS_YEAR][0].period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->months[THIS_YEAR][HALF_MONTHS - 1].period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		decided = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!decided) {
		strbuf_addstr(s, "本半年各月都没有乡镇得出抽查结论（未抽查或核查结果未返回）。");
		return 0;
	}
	if (db_prepare(c->db, "SELECT city, county, township, count(*), group_concat(period, '、') FROM"
			      " (SELECT * FROM v_township_check WHERE period BETWEEN ?1 AND ?2 AND verdict = 'recalibrate'"
			      " ORDER BY period)"
			      " GROUP BY city, county, township HAVING count(*) >= 2"
			      " ORDER BY count(*) DESC, bf_place_order(nullif(city, ''), nullif(county, '')), city, county,"
			      " township",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->months[THIS_YEAR][0].period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->months[THIS_YEAR][HALF_MONTHS - 1].period, -1, SQLITE_STATIC);
	strbuf_init(&names);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *city = (const char *)sqlite3_column_text(st, 0), *county = (const char *)sqlite3_column_text(st, 1),
			   *township = (const char *)sqlite3_column_text(st, 2);

		twice++;
		if (listed++ < 10)
			strbuf_addf(&names, "%s%s%s%s（%s）", listed > 1 ? "、" : "", city && city[0] ? city : "（未填市州）",
				    county && county[0] ? county : "（未填县市区）",
				    township && township[0] ? township : "（未填乡镇）",
				    (const char *)sqlite3_column_text(st, 4));
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		strbuf_free(&names);
		return db_fail(c->db, err, "reading the township checks");
	}
	if (!twice)
		strbuf_addf(s, "本半年没有乡镇两次及以上抽查准确率低于 %.0f%%（共 %ld 个乡镇次得出抽查结论）。",
			    c->threshold * 100, decided);
	else
		strbuf_addf(s, "本半年抽查准确率两次及以上低于 %.0f%%、须重新开展信息校准的乡镇有 %ld 个：%s%s。",
			    c->threshold * 100, twice, strbuf_str(&names), twice > 10 ? "等" : "");
	strbuf_free(&names);
	return 0;
}

static int sheet_notes(struct half_ctx *c, struct bangfu_err *err)
{
	static const struct xlsx_column cols[] = {{"项目", 18}, {"说明", 110}};
	struct xlsx_book *b = &c->book;
	const struct half_area *total = c->nareas && c->areas[0].level == LEVEL_TOTAL ? &c->areas[0] : NULL;
	struct strbuf text;
	lxw_worksheet *ws;
	char buf[256];
	int row, rc = -1;

	ws = xlsx_sheet(b, "说明", "说明：本半年的主要变化、数据来源和口径", 0, cols, 2, &row);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 说明");
	worksheet_set_column(ws, 1, 1, 110, b->text_wrap);
	strbuf_init(&text);
	xlsx_note(b, ws, row++, "报表", "就业帮扶半年分析（bangfu-report --half）。人数单位为人。");
	xlsx_note(b, ws, row++, "填报单位", b->unit[0] ? b->unit : "（未指定，运行时用 --unit 指定）");
	snprintf(buf, sizeof buf, "%s（%s 至 %s）", c->name, c->months[THIS_YEAR][0].period,
		 c->months[THIS_YEAR][HALF_MONTHS - 1].period);
	xlsx_note(b, ws, row++, "统计时段", buf);
	xlsx_note(b, ws, row++, "生成时间", b->generated);
	summary_months(c, &text);
	if (summary_archived(c, THIS_YEAR, &text, err) != 0)
		goto out;
	xlsx_note(b, ws, row++, "各月数据", strbuf_str(&text));
	strbuf_reset(&text);
	summary_year_before(c, &text);
	if (summary_archived(c, YEAR_BEFORE, &text, err) != 0)
		goto out;
	xlsx_note(b, ws, row++, "同比", strbuf_str(&text));
	if (total) {
		strbuf_reset(&text);
		summary_total(c, total, &text);
		xlsx_note(b, ws, row++, "主要变化：全省", strbuf_str(&text));
		strbuf_reset(&text);
		if (summary_level(c, LEVEL_CITY, "市州", &text))
			xlsx_note(b, ws, row++, "主要变化：市州", strbuf_str(&text));
		strbuf_reset(&text);
		if (summary_level(c, LEVEL_COUNTY, "县市区", &text))
			xlsx_note(b, ws, row++, "主要变化：县市区", strbuf_str(&text));
		strbuf_reset(&text);
		summary_unemployed(c, total, &text);
		xlsx_note(b, ws, row++, "主要变化：就业转失业", strbuf_str(&text));
	}
	strbuf_reset(&text);
	if (summary_accuracy(c, &text, err) != 0)
		goto out;
	xlsx_note(b, ws, row++, "主要变化：抽查准确率", strbuf_str(&text));
	for (int g = 0; g < NGROUPS; g++) {
		char label[96];

		snprintf(label, sizeof label, "半年对比：%s", HALF_GROUPS[g].label);
		xlsx_note(b, ws, row++, label, HALF_GROUPS[g].definition);
	}
	xlsx_note(b, ws, row++, "数据来源",
		  "各月的数是 bangfu-reconcile 按乡镇存下的月度合计（视图 v_township_progress，进度报表“趋势”表同一来源）"
		  "和逐月变动（视图 v_change），没有重新逐人统计；各月口径同该月的进度报表。");
	xlsx_note(b, ws, row++, "个人信息", "本表只有汇总数和地名，不含姓名、证件号码和联系电话。");
	rc = 0;
out:
	strbuf_free(&text);
	return rc;
}

/* ---- the whole workbook ---- */

int report_half_write(sqlite3 *db, const struct report_half_options *opt, struct report_half_summary *sum,
		      struct bangfu_err *err)
{
	struct half_ctx c;
	struct outputs outs = {0};
	char period[64];
	const char *tmp;
	int rc = -1, book_open = 0;

	memset(&c, 0, sizeof c);
	memset(sum, 0, sizeof *sum);
	c.db = db;
	c.opt = opt;
	c.sum = sum;
	snprintf(c.name, sizeof c.name, "%d年%s半年", opt->year, opt->half == 1 ? "上" : "下");
	if (report_check_out_path(opt->out_path, err) != 0)
		return -1;
	/* One read transaction: every sheet sees the same snapshot. */
	if (db_exec(db, "BEGIN", err) != 0)
		return -1;
	if (months_load(&c, err) != 0 || threshold_load(&c, err) != 0 || areas_load(&c, err) != 0)
		goto out;
	snprintf(period, sizeof period, "%s（%s 至 %s）", c.name, c.months[THIS_YEAR][0].period,
		 c.months[THIS_YEAR][HALF_MONTHS - 1].period);
	if (outputs_add(&outs, opt->out_path, &tmp, err) != 0 || xlsx_open(&c.book, tmp, opt->unit, period, err) != 0)
		goto out;
	book_open = 1;
	report_formats_init(&c.book, &c.fmt);
	c.no_data = own_format(&c.book, 0, NULL, 0x808080);
	c.total_no_data = own_format(&c.book, 1, NULL, 0x808080);
	c.points = own_format(&c.book, 0, "+0.0;-0.0;0.0", 0);
	c.total_points = own_format(&c.book, 1, "+0.0;-0.0;0.0", 0);
	if (sheet_compare(&c, err) != 0 || sheet_notes(&c, err) != 0)
		goto out;
	book_open = 0;
	if (xlsx_close(&c.book, err) != 0)
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
	areas_free(&c);
	return rc;
}
