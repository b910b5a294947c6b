/* report — see report.h.
 *
 * All counting is SQL over the views (v_township_progress rolled up with
 * GROUP BY, v_county_summary, v_township_check, v_zero_household); this file
 * lays the rows out in the house style of xlsx.c.  The rows of 总表 are held
 * in memory: there is one per township, which grows with the province, not
 * with the input files.  The township lists are streamed. */
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "csvin.h"
#include "db.h"
#include "idno.h"
#include "outputs.h"
#include "reconcile.h"
#include "region.h"
#include "sample.h"
#include "strbuf.h"
#include "tmpl.h"
#include "xlsx.h"
#include "bangfu.h"
#include "cli.h"

#define FONT "宋体"

/* ---- the measures of v_township_progress ---- */

enum measure {
	M_PERSONS, M_LABOUR, M_ENTERED, M_EMPLOYED, M_OUT_PROVINCE, M_IN_PROVINCE, M_IN_COUNTY, M_REGION_UNKNOWN,
	M_PUBLIC_POST, M_WORKSHOP, M_UNEMPLOYED, M_WILLING, M_RETURNED, M_CONSISTENT, M_CONFLICT, M_ACCURATE, M_INACCURATE,
	M_CHECKED, M_RECALIBRATE, M_DECIDED, NMEASURES
};

static const char *const MEASURE_COLUMN[NMEASURES] = {
	"persons",   "labour",  "entered",  "employed",   "out_province", "in_province",
	"in_county", "region_unknown", "public_post", "workshop", "unemployed", "willing",   "returned",
	"consistent", "conflict", "accurate", "inaccurate", "checked",     "recalibrate", "decided"};

/* What a measure sums: its column of v_township_progress, or for decided
 * the townships whose check reached a verdict (达标 or 需重新校准). */
static const char *measure_expr(int m)
{
	return m == M_DECIDED ? "(verdict IN ('pass', 'recalibrate'))" : MEASURE_COLUMN[m];
}

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

static void areas_free(struct areas *a)
{
	for (int i = 0; i < a->n; i++) {
		free(a->v[i].city);
		free(a->v[i].county);
		free(a->v[i].township);
	}
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

static char *dup_col(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		abort();
	return d;
}

static int strcmp_null(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* 合计 first, then each 市州 followed by its 县市区, each followed by its 乡镇. */
static int area_compare(const void *pa, const void *pb)
{
	const struct area *a = pa, *b = pb;
	int d;

	if ((a->level == LEVEL_TOTAL) != (b->level == LEVEL_TOTAL))
		return a->level == LEVEL_TOTAL ? -1 : 1;
	if (a->city_order != b->city_order)
		return a->city_order < b->city_order ? -1 : 1;
	if ((d = strcmp_null(a->city, b->city)) != 0)
		return d;
	if ((a->level == LEVEL_CITY) != (b->level == LEVEL_CITY))
		return a->level == LEVEL_CITY ? -1 : 1;
	if (a->county_order != b->county_order)
		return a->county_order < b->county_order ? -1 : 1;
	if ((d = strcmp_null(a->county, b->county)) != 0)
		return d;
	if ((a->level == LEVEL_COUNTY) != (b->level == LEVEL_COUNTY))
		return a->level == LEVEL_COUNTY ? -1 : 1;
	return strcmp_null(a->township, b->township);
}

/* The four levels of the period (and of the previous one, for 环比) in one
 * statement: GROUP BY at each level, joined to the same level of the other
 * period by name. */
static void build_area_sql(struct strbuf *sql)
{
	static const char *const group[] = {"", ", city", ", city, county", ", city, county, township"};
	/* Column names come from the first SELECT. */
	static const char *const names[] = {"NULL AS city_, NULL AS county_, NULL AS township_", "city, NULL, NULL",
					    "city, county, NULL", "city, county, township"};

	strbuf_addstr(sql, "WITH t AS MATERIALIZED (SELECT * FROM v_township_progress WHERE period IN (?1, ?2)),"
			   " agg AS MATERIALIZED (");
	for (int level = 0; level < 4; level++) {
		if (level)
			strbuf_addstr(sql, " UNION ALL ");
		strbuf_addf(sql, "SELECT period, %d AS level, %s", level, names[level]);
		for (int m = 0; m < NMEASURES; m++)
			strbuf_addf(sql, ", sum(%s) AS %s", measure_expr(m), MEASURE_COLUMN[m]);
		strbuf_addf(sql, " FROM t GROUP BY period%s", group[level]);
	}
	strbuf_addstr(sql, ") SELECT c.level, c.city_, c.county_, c.township_");
	for (int m = 0; m < NMEASURES; m++)
		strbuf_addf(sql, ", c.%s", MEASURE_COLUMN[m]);
	for (int m = 0; m < NMEASURES; m++)
		strbuf_addf(sql, ", p.%s", MEASURE_COLUMN[m]);
	strbuf_addstr(sql, ", p.level IS NOT NULL FROM agg c LEFT JOIN agg p ON p.period IS ?2 AND p.level = c.level"
			   " AND p.city_ IS c.city_ AND p.county_ IS c.county_ AND p.township_ IS c.township_"
			   " WHERE c.period = ?1 ORDER BY c.city_, c.county_, c.township_");
}

static int areas_load(sqlite3 *db, const char *period, const char *previous, struct areas *out,
		      struct bangfu_err *err)
{
	struct strbuf sql;
	sqlite3_stmt *st;
	int step;

	memset(out, 0, sizeof *out);
	strbuf_init(&sql);
	build_area_sql(&sql);
	if (db_prepare(db, strbuf_str(&sql), &st, err) != 0) {
		strbuf_free(&sql);
		return -1;
	}
	strbuf_free(&sql);
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	db_bind_text(st, 2, previous && previous[0] ? previous : NULL);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct area *a;

		out->v = realloc(out->v, (size_t)(out->n + 1) * sizeof *out->v);
		if (!out->v)
			abort();
		a = &out->v[out->n++];
		memset(a, 0, sizeof *a);
		a->level = sqlite3_column_int(st, 0);
		a->city = dup_col(st, 1);
		a->county = dup_col(st, 2);
		a->township = dup_col(st, 3);
		for (int m = 0; m < NMEASURES; m++) {
			a->m[m] = (long)sqlite3_column_int64(st, 4 + m);
			a->prev[m] = (long)sqlite3_column_int64(st, 4 + NMEASURES + m);
		}
		a->has_prev = sqlite3_column_int(st, 4 + 2 * NMEASURES);
		a->city_order = region_place_order(a->city, NULL);
		a->county_order = a->county ? region_place_order(a->city, a->county) : 0;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		areas_free(out);
		return db_fail(db, err, "reading the progress counts");
	}
	if (out->n > 1)
		qsort(out->v, (size_t)out->n, sizeof *out->v, area_compare);
	return 0;
}

static const char *area_name(const struct area *a)
{
	static const char *const empty[] = {"合计", "（未填市州）", "（未填县市区）", "（未填乡镇）"};
	const char *name = a->level == LEVEL_CITY ? a->city : a->level == LEVEL_COUNTY ? a->county : a->township;

	if (a->level == LEVEL_TOTAL)
		return "合计";
	return name && name[0] ? name : empty[a->level];
}

static double ratio(long num, long den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

/* The last component of a path: 说明 sheets name files, not where they lie
 * on the server. */
static const char *file_name_of(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "";
}

/* ---- targets (templates/targets.csv) ---- */

struct target {
	int level;
	char area[256];
	char period[8]; /* YYYY-MM or YYYY */
	double value;
	long line;
};

static int target_level(const char *s)
{
	if (!strcmp(s, "省") || !strcmp(s, "全省"))
		return LEVEL_TOTAL;
	if (!strcmp(s, "市州") || !strcmp(s, "市"))
		return LEVEL_CITY;
	if (!strcmp(s, "县市区") || !strcmp(s, "县"))
		return LEVEL_COUNTY;
	if (!strcmp(s, "乡镇"))
		return LEVEL_TOWNSHIP;
	return -1;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* A city's name from a 4-digit code (4305) or a 6-digit one (430500). */
static const char *city_by_code(int code)
{
	for (int i = 0; i < region_count(); i++)
		if (region_at(i)->city_code == code)
			return region_at(i)->city;
	return NULL;
}

/* Does the target's area name this row?  By name ("洞口县"), by the names
 * above it ("邵阳市/洞口县", "洞口县/黄桥镇"), or for 市州 and 县市区 by the
 * GB/T 2260 code. */
static int target_matches(const struct target *t, const struct area *a)
{
	const char *names[4] = {NULL, a->city, a->county, a->township};
	char buf[256], *parts[4];
	int nparts = 0;

	if (t->level != a->level)
		return 0;
	if (a->level == LEVEL_TOTAL)
		return 1;
	if (all_digits(t->area) && a->level <= LEVEL_COUNTY) {
		int code = atoi(t->area);
		size_t len = strlen(t->area);
		const char *name = NULL;

		if (a->level == LEVEL_CITY && (len == 4 || len == 6))
			name = city_by_code(len == 6 ? code / 100 : code);
		else if (a->level == LEVEL_COUNTY && len == 6 && region_by_code(code))
			name = region_by_code(code)->county;
		return name && names[a->level] && strcmp(name, names[a->level]) == 0;
	}
	snprintf(buf, sizeof buf, "%s", t->area);
	for (char *p = buf, *slash; p && nparts < 4; p = slash ? slash + 1 : NULL) {
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		parts[nparts++] = p;
	}
	if (nparts > a->level)
		return 0;
	for (int i = 0; i < nparts; i++) {
		const char *name = names[a->level - i];

		if (!name || strcmp(parts[nparts - 1 - i], name) != 0)
			return 0;
	}
	return 1;
}

static char *ALIAS_LEVEL[] = {"level", "层级"};
static char *ALIAS_AREA[] = {"area", "地区"};
static char *ALIAS_PERIOD[] = {"period", "时段"};
static char *ALIAS_TARGET[] = {"target", "目标任务"};

/* Read the targets of the period (its month or its year) and put each on the
 * row it names; a month's target wins over the year's. */
static int targets_apply(const char *path, const char *period, struct areas *areas, struct report_summary *sum,
			 struct bangfu_err *err)
{
	struct tmpl_column cols[4] = {
		{.field = "level", .label = "层级", .required = 1, .aliases = ALIAS_LEVEL, .naliases = 2},
		{.field = "area", .label = "地区", .required = 1, .aliases = ALIAS_AREA, .naliases = 2},
		{.field = "period", .label = "时段", .required = 1, .aliases = ALIAS_PERIOD, .naliases = 2},
		{.field = "target", .label = "目标任务", .required = 1, .aliases = ALIAS_TARGET, .naliases = 2},
	};
	struct tmpl_columns map = {cols, 4};
	struct csvin_options opt = {.columns = &map};
	struct csvin_row *row;
	struct csvin *in;
	int col[4], r;

	in = csvin_open(path, &opt, err);
	if (!in)
		return -1;
	for (int i = 0; i < 4; i++)
		col[i] = csvin_field_column(in, i);
	while ((r = csvin_next(in, &row, err)) == 1) {
		struct target t = {0};
		const char *level, *target_text;
		char *end;
		int matched = 0;

		if (row->rejected) {
			bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_targets", "%s",
				    row->reject_message);
			r = -1;
			break;
		}
		level = row->fields[col[0]];
		target_text = row->fields[col[3]];
		if (!level[0] && !row->fields[col[1]][0] && !row->fields[col[2]][0] && !target_text[0])
			continue;
		t.line = row->line;
		if ((t.level = target_level(level)) < 0) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col[0] + 1, "bad_targets",
				    "层级 '%s' should be 省, 市州, 县市区 or 乡镇", level);
			r = -1;
			break;
		}
		snprintf(t.area, sizeof t.area, "%s", row->fields[col[1]]);
		if (!t.area[0] && t.level != LEVEL_TOTAL) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col[1] + 1, "bad_targets",
				    "地区 is empty: name the %s (or give its code)", level);
			r = -1;
			break;
		}
		snprintf(t.period, sizeof t.period, "%.7s", row->fields[col[2]]);
		if (strlen(row->fields[col[2]]) > 7 ||
		    !(db_valid_period(t.period) ||
		      (strlen(t.period) == 4 && all_digits(t.period) && atoi(t.period) >= 2000 && atoi(t.period) <= 2099))) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col[2] + 1, "bad_targets",
				    "时段 '%s' should be a month (2026-10) or a year (2026)", row->fields[col[2]]);
			r = -1;
			break;
		}
		t.value = strtod(target_text, &end);
		if (end == target_text || *end || !(t.value > 0) || !isfinite(t.value)) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col[3] + 1, "bad_targets",
				    "目标任务 '%s' should be a number of persons greater than 0", target_text);
			r = -1;
			break;
		}
		sum->targets_read++;
		if (strlen(t.period) == 7 ? strcmp(t.period, period) != 0 : strncmp(t.period, period, 4) != 0)
			continue;
		for (int i = 0; i < areas->n; i++)
			if (target_matches(&t, &areas->v[i]))
				matched++;
		if (matched > 1) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col[1] + 1, "bad_targets",
				    "地区 '%s' names %d places of level %s: write the names above it too, e.g. 县市区/乡镇",
				    t.area, matched, level);
			r = -1;
			break;
		}
		for (int i = 0; i < areas->n && matched; i++) {
			struct area *a = &areas->v[i];
			int rank = strlen(t.period) == 7 ? 2 : 1;

			if (!target_matches(&t, a))
				continue;
			if (a->target_rank == rank) {
				bangfu_fail(err, ERR_INPUT, path, row->line, col[1] + 1, "bad_targets",
					    "a second target for %s in %s (the first is on line %ld)", area_name(a),
					    t.period, a->target_line);
				r = -1;
				break;
			}
			if (a->target_rank < rank) {
				a->target = t.value;
				a->target_rank = rank;
				a->target_line = t.line;
			}
			sum->targets_used++;
		}
		if (r < 0)
			break;
	}
	csvin_close(in);
	return r < 0 ? -1 : 0;
}

/* ---- formats beyond the house set: indented names and signed changes ---- */

struct report_formats {
	lxw_format *name[4];       /* by level: bold total, bold city, indented county, township */
	lxw_format *delta, *total_delta;
	lxw_format *note;          /* a merged note line under a table */
};

static lxw_format *base_format(lxw_workbook *wb, int bold, int align)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_font_name(f, FONT);
	format_set_font_size(f, 10);
	if (bold)
		format_set_bold(f);
	format_set_align(f, (uint8_t)align);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_border(f, LXW_BORDER_THIN);
	return f;
}

static void formats_init(struct xlsx_book *b, struct report_formats *f)
{
	f->name[LEVEL_TOTAL] = b->total_text;
	f->name[LEVEL_CITY] = base_format(b->wb, 1, LXW_ALIGN_LEFT);
	f->name[LEVEL_COUNTY] = base_format(b->wb, 0, LXW_ALIGN_LEFT);
	format_set_indent(f->name[LEVEL_COUNTY], 1);
	f->name[LEVEL_TOWNSHIP] = base_format(b->wb, 0, LXW_ALIGN_LEFT);
	format_set_indent(f->name[LEVEL_TOWNSHIP], 2);
	/* a name longer than the column's cap wraps (xlsx_put_text grows its row) */
	for (int level = LEVEL_CITY; level <= LEVEL_TOWNSHIP; level++)
		format_set_text_wrap(f->name[level]);
	f->delta = base_format(b->wb, 0, LXW_ALIGN_RIGHT);
	format_set_num_format(f->delta, "+#,##0;-#,##0;0");
	f->total_delta = base_format(b->wb, 1, LXW_ALIGN_RIGHT);
	format_set_num_format(f->total_delta, "+#,##0;-#,##0;0");
	format_set_bg_color(f->total_delta, 0xF2F2F2);
	f->note = workbook_add_format(b->wb);
	format_set_font_name(f->note, FONT);
	format_set_font_size(f->note, 9);
	format_set_text_wrap(f->note);
	format_set_align(f->note, LXW_ALIGN_LEFT);
	format_set_align(f->note, LXW_ALIGN_VERTICAL_TOP);
}

/* A note under a table, merged over its columns, as tall as its text. */
static void note_line(struct xlsx_book *b, lxw_worksheet *ws, const struct report_formats *f, int row, int last_col,
		      const char *text)
{
	xlsx_put_merged(b, ws, row, 0, last_col, text, f->note);
}

static lxw_chart_font chart_font(double size, int bold)
{
	lxw_chart_font font = {0};

	font.name = FONT;
	font.size = size;
	font.bold = (uint8_t)bold;
	return font;
}

/* ---- the context every sheet writer shares ---- */

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

/* ---- 总表 ---- */

enum {
	C_AREA, C_LABOUR, C_LABOUR_D, C_ENTERED, C_ENTRY_RATE, C_ENTERED_D, C_EMPLOYED, C_EMPLOYED_D,
	C_EMPLOY_RATE, C_OUT_PROVINCE, C_IN_PROVINCE, C_IN_COUNTY, C_REGION_UNKNOWN, C_PUBLIC_POST, C_WORKSHOP, C_UNEMPLOYED,
	C_UNEMPLOYED_D, C_WILLING, C_RETURNED, C_MATCH_RATE, C_CHECK_RATE, C_RECALIBRATE, C_TARGET, C_COMPLETION,
	NSUMMARY
};

/* The columns of 总表 and, for the 说明 sheet, what each number is, where it
 * comes from and why that source. */
static const struct summary_column {
	const char *label;
	double width;
	const char *definition;
} SUMMARY[NSUMMARY] = {
	{"地区", 16,
	 "市州、县市区、乡镇。取扶贫系统名单所填的所在地（户籍地）；扶贫系统没有此人时取省平台所填。"
	 "点左侧的“+”展开到县市区、乡镇。"},
	{"脱贫劳动力人数", 9,
	 "扶贫系统名单中有劳动能力（劳动能力不是“丧失劳动力”“无劳动力”）、统计期末在劳动年龄内"
	 "（templates/policy.csv）的人数；证件号码无效、无法判断年龄的按名单计入。来源：扶贫系统名单。"
	 "理由：帮扶对象由乡村振兴（扶贫）部门认定，省平台只是录入就业信息的载体，所以分母取扶贫系统。"
	 "本表其余人数列都只统计这些人（比对一致率除外）。"},
	{"劳动力环比增减", 8, "本期脱贫劳动力人数减对照期（见“环比对照期”）的人数；数据库中没有更早的期次时为“—”。"},
	{"省平台录入人数", 9,
	 "脱贫劳动力中，按证件号码在省平台（人社部门就业信息平台）查得到的人数。来源：两个系统按证件号码比对"
	 "（bangfu-reconcile）。证件号码无效的人无法比对，不计入。"},
	{"录入率", 8, "省平台录入人数 ÷ 脱贫劳动力人数。低于阈值标红。"},
	{"录入环比增减", 8, "本期省平台录入人数减对照期人数。"},
	{"已就业人数", 9,
	 "脱贫劳动力中已就业的人数：已录入省平台的按省平台“就业状态”，未录入的按扶贫系统“是否已就业”。"
	 "理由：省平台是人社部门的就业实名台账，按要求及时更新（湘人社函〔2020〕58号），比扶贫系统新；"
	 "未录入的人只有扶贫系统的记录可用。"},
	{"就业环比增减", 8, "本期已就业人数减对照期人数。"},
	{"就业率", 8, "已就业人数 ÷ 脱贫劳动力人数。"},
	{"其中：省外", 8,
	 "已就业人员中就业地点在外省的人数。就业地点与“已就业”取自同一个系统：省平台的就业省份/城市/县区，"
	 "未录入的按扶贫系统“就业地点”；与本人所在县比较得出省外、省内县外、县内；"
	 "就业地点未填或说不出在哪个县的计入“地点不详”。四项之和等于已就业人数。"},
	{"其中：省内县外", 8, "已就业人员中在本省、本县以外就业的人数（同上）。"},
	{"其中：县内", 8, "已就业人员中在本县内就业的人数（同上）。"},
	{"其中：地点不详", 8,
	 "已就业人员中就业地点未填、或不足以判断省外/省内县外/县内的人数（同上）。"},
	{"其中：公益性岗位", 9,
	 "已就业人员中省平台“就业类型”为公益性岗位的人数。来源：省平台（扶贫系统没有此项，未录入省平台的人不计）。"},
	{"其中：就业帮扶车间", 10,
	 "已就业人员中省平台“就业类型”为就业帮扶车间的人数。来源：省平台（同上）。"},
	{"未就业人数", 9, "脱贫劳动力人数减已就业人数。"},
	{"未就业环比增减", 8, "本期未就业人数减对照期人数。"},
	{"其中：有就业意愿", 9,
	 "未就业人员中扶贫系统“就业意向”填了县内或县外（不是空、无、否）的人数。来源：扶贫系统名单"
	 "（未就业人员就业意向是扶贫系统的登记项，省平台没有）。"},
	{"返乡回流人数", 9,
	 "脱贫劳动力中省平台“是否返乡回流”为“是”的人数。来源：省平台（返乡回流人员每两周更新一次，"
	 "湘人社函〔2020〕58号；扶贫系统没有此项）。"},
	{"比对一致率", 8,
	 "两个系统都有的人中，信息一致（姓名、性别、就业状态、就业地区、就业单位、联系电话都不冲突）的比例："
	 "一致 ÷（一致＋不一致）。统计所有比对人员，不限于劳动力。来源：bangfu-reconcile。理由：只有两边都有的人才能"
	 "比较是否一致；未录入、证件号码无效等见“比对情况”表。低于阈值标红。"},
	{"抽查准确率", 8,
	 "本期抽查中核查结果为“准确”的人数 ÷（准确＋不准确），“无法联系”不计。市州、县市区、合计行为其下各乡镇合并计算。"
	 "来源：乡镇返回的抽查核实表（bangfu-sample 抽样，bangfu-verify 载入）。“—”表示未抽查或尚未返回结果。低于阈值标红。"},
	{"需重新校准乡镇数", 9,
	 "抽查准确率低于阈值、须重新开展信息校准的乡镇数（湘人社函〔2020〕58号）；乡镇行为 1（需要）或 0。"
	 "核查人数不足以下结论的乡镇（待补充核查）不计。地区内还没有乡镇作出结论（达标或需重新校准）时为“—”："
	 "尚不知道，不是 0。"},
	{"目标任务", 9,
	 "templates/targets.csv 中该地区本月（或本年度）的目标任务人数，即应实现就业的脱贫劳动力人数；"
	 "本月的目标优先于年度目标。未设目标为“—”。"},
	{"完成率", 8, "已就业人数 ÷ 目标任务。"},
};

static void write_delta(struct report_ctx *c, lxw_worksheet *ws, int row, int col, const struct area *a, int m)
{
	lxw_format *f = a->level == LEVEL_TOTAL ? c->fmt.total_delta : c->fmt.delta;

	if (a->has_prev)
		xlsx_put_number(&c->book, ws, row, col, (double)(a->m[m] - a->prev[m]), f);
	else
		xlsx_put_text(&c->book, ws, row, col, "—", f);
}

static void write_summary_row(struct report_ctx *c, lxw_worksheet *ws, int row, const struct area *a)
{
	struct xlsx_book *b = &c->book;
	int total = a->level == LEVEL_TOTAL;
	lxw_format *count = total ? b->total_count : b->count, *rate = total ? b->total_rate : b->rate;
	static const struct {
		int col, measure;
	} counts[] = {{C_LABOUR, M_LABOUR},         {C_ENTERED, M_ENTERED},         {C_EMPLOYED, M_EMPLOYED},
		      {C_OUT_PROVINCE, M_OUT_PROVINCE}, {C_IN_PROVINCE, M_IN_PROVINCE}, {C_IN_COUNTY, M_IN_COUNTY},
		      {C_REGION_UNKNOWN, M_REGION_UNKNOWN},
		      {C_PUBLIC_POST, M_PUBLIC_POST}, {C_WORKSHOP, M_WORKSHOP},       {C_UNEMPLOYED, M_UNEMPLOYED},
		      {C_WILLING, M_WILLING},         {C_RETURNED, M_RETURNED}};

	xlsx_put_text(b, ws, row, C_AREA, area_name(a), c->fmt.name[a->level]);
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
		xlsx_put_number(b, ws, row, counts[i].col, (double)a->m[counts[i].measure], count);
	/* No township of the area has a verdict yet: how many must recalibrate
	 * is not known, which is not 0. */
	if (a->m[M_DECIDED] > 0)
		xlsx_put_number(b, ws, row, C_RECALIBRATE, (double)a->m[M_RECALIBRATE], count);
	else
		xlsx_put_text(b, ws, row, C_RECALIBRATE, "—", count);
	write_delta(c, ws, row, C_LABOUR_D, a, M_LABOUR);
	write_delta(c, ws, row, C_ENTERED_D, a, M_ENTERED);
	write_delta(c, ws, row, C_EMPLOYED_D, a, M_EMPLOYED);
	write_delta(c, ws, row, C_UNEMPLOYED_D, a, M_UNEMPLOYED);
	xlsx_put_rate(b, ws, row, C_ENTRY_RATE, ratio(a->m[M_ENTERED], a->m[M_LABOUR]), rate);
	xlsx_put_rate(b, ws, row, C_EMPLOY_RATE, ratio(a->m[M_EMPLOYED], a->m[M_LABOUR]), rate);
	xlsx_put_rate(b, ws, row, C_MATCH_RATE, ratio(a->m[M_CONSISTENT], a->m[M_CONSISTENT] + a->m[M_CONFLICT]), rate);
	xlsx_put_rate(b, ws, row, C_CHECK_RATE, ratio(a->m[M_ACCURATE], a->m[M_ACCURATE] + a->m[M_INACCURATE]), rate);
	if (a->target_rank) {
		xlsx_put_number(b, ws, row, C_TARGET, a->target, count);
		xlsx_put_rate(b, ws, row, C_COMPLETION, (double)a->m[M_EMPLOYED] / a->target, rate);
	} else {
		xlsx_put_text(b, ws, row, C_TARGET, "—", count);
		xlsx_put_text(b, ws, row, C_COMPLETION, "—", rate);
	}
	/* Outline: 市州 rows carry the collapse button for their 县市区 and 乡镇
	 * (summary rows above their detail, see worksheet_outline_settings). */
	switch (a->level) {
	case LEVEL_CITY:
		xlsx_row_outline(b, ws, row, 0, 0, c->opt->expand == REPORT_EXPAND_CITY);
		break;
	case LEVEL_COUNTY:
		xlsx_row_outline(b, ws, row, 1, c->opt->expand == REPORT_EXPAND_CITY,
				 c->opt->expand != REPORT_EXPAND_TOWNSHIP);
		break;
	case LEVEL_TOWNSHIP:
		xlsx_row_outline(b, ws, row, 2, c->opt->expand != REPORT_EXPAND_TOWNSHIP, 0);
		break;
	default:
		break;
	}
}

static int write_summary(struct report_ctx *c, struct bangfu_err *err)
{
	struct xlsx_column cols[NSUMMARY];
	lxw_worksheet *ws;
	char title[256];
	int first, row, cities = 0, last;

	for (int i = 0; i < NSUMMARY; i++) {
		cols[i].label = SUMMARY[i].label;
		cols[i].width = SUMMARY[i].width;
	}
	snprintf(title, sizeof title, "就业帮扶工作进度报表（%s）", c->opt->period);
	ws = xlsx_sheet(&c->book, "总表", title, 1, cols, NSUMMARY, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, c->book.path, 0, 0, "xlsx", "cannot add the sheet 总表");
	xlsx_row_height(&c->book, ws, 2, 40);
	worksheet_freeze_panes(ws, first, 1);
	worksheet_outline_settings(ws, LXW_TRUE, LXW_FALSE, LXW_TRUE, LXW_FALSE);
	row = first;
	for (int i = 0; i < c->areas.n; i++) {
		const struct area *a = &c->areas.v[i];

		write_summary_row(c, ws, row++, a);
		if (a->level == LEVEL_CITY)
			cities++;
	}
	last = row - 1;
	xlsx_flag_below(&c->book, ws, first, last, C_ENTRY_RATE, c->threshold);
	xlsx_flag_below(&c->book, ws, first, last, C_MATCH_RATE, c->threshold);
	xlsx_flag_below(&c->book, ws, first, last, C_CHECK_RATE, c->threshold);
	xlsx_flag_above_zero(&c->book, ws, first, last, C_RECALIBRATE);
	row++;
	{
		char note[768];

		snprintf(note, sizeof note,
			 "注：人数单位为人。录入率、比对一致率、抽查准确率低于 %.0f%% 标红；需重新校准的乡镇数大于 0 标红，"
			 "“—”表示该地区还没有乡镇作出抽查结论。"
			 "环比对照期：%s。点左侧“+”可展开到县市区、乡镇。各列口径和数据来源见“说明”表。",
			 c->threshold * 100, c->sum->previous_period[0] ? c->sum->previous_period : "无（数据库中没有更早的期次）");
		note_line(&c->book, ws, &c->fmt, row++, NSUMMARY - 1, note);
	}

	/* The chart's data: one row per 市州 under the table (the 市州 rows above
	 * are interleaved with their hidden detail rows). */
	row++;
	{
		int data_first = row + 1, data_last;
		lxw_chart *chart;
		lxw_chart_series *series;
		lxw_chart_font title_font = chart_font(12, 1), axis_font = chart_font(9, 0);
		lxw_chart_options place = {.x_offset = 10, .y_offset = 0, .x_scale = 1.6, .y_scale = 1.1};

		xlsx_put_text(&c->book, ws, row, 0, "市州", c->book.header);
		xlsx_put_text(&c->book, ws, row, 1, "就业率", c->book.header);
		row++;
		for (int i = 0; i < c->areas.n; i++) {
			const struct area *a = &c->areas.v[i];

			if (a->level != LEVEL_CITY)
				continue;
			xlsx_put_text(&c->book, ws, row, 0, area_name(a), c->book.text);
			xlsx_put_rate(&c->book, ws, row, 1, ratio(a->m[M_EMPLOYED], a->m[M_LABOUR]), c->book.rate);
			row++;
		}
		data_last = row - 1;
		if (cities > 0) {
			chart = workbook_add_chart(c->book.wb, LXW_CHART_COLUMN);
			series = chart_add_series(chart, NULL, NULL);
			chart_series_set_categories(series, "总表", (lxw_row_t)data_first, 0, (lxw_row_t)data_last, 0);
			chart_series_set_values(series, "总表", (lxw_row_t)data_first, 1, (lxw_row_t)data_last, 1);
			chart_series_set_name(series, "就业率");
			chart_series_set_labels(series);
			chart_series_set_labels_num_format(series, "0.0%");
			chart_series_set_labels_font(series, &axis_font);
			chart_title_set_name(chart, "各市州脱贫劳动力就业率");
			chart_title_set_name_font(chart, &title_font);
			chart_axis_set_num_format(chart->y_axis, "0%");
			chart_axis_set_min(chart->y_axis, 0);
			chart_axis_set_max(chart->y_axis, 1);
			chart_axis_set_num_font(chart->y_axis, &axis_font);
			chart_axis_set_num_font(chart->x_axis, &axis_font);
			chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
			worksheet_insert_chart_opt(ws, (lxw_row_t)(data_first - 1), 3, chart, &place);
		}
	}
	return 0;
}

/* ---- 比对情况 ---- */

/* Per county in one pass each (repairs, conflict kinds), not a scan of the
 * period's conflicts per county. */
static const char SQL_COMPARE[] =
	"WITH rep AS MATERIALIZED (SELECT p.city, p.county, count(*) AS n FROM repair r"
	"  JOIN person p ON p.period = r.period AND p.person_key = r.person_key WHERE r.period = ?1"
	"  GROUP BY p.city, p.county),"
	" cf AS MATERIALIZED (SELECT p.city, p.county, c.field, count(*) AS n FROM conflict c"
	"  JOIN person p ON p.period = c.period AND p.person_key = c.id_number WHERE c.period = ?1"
	"  GROUP BY p.city, p.county, c.field)"
	" SELECT s.city, s.county, s.roster_rows, s.hr_rows, s.persons, s.consistent, s.conflict, s.roster_only,"
	" s.hr_only, s.invalid_id, s.duplicate,"
	" coalesce((SELECT n FROM rep WHERE rep.city IS s.city AND rep.county IS s.county), 0),"
	" (SELECT group_concat(field || char(31) || n, char(30)) FROM"
	"   (SELECT field, n FROM cf WHERE cf.city IS s.city AND cf.county IS s.county"
	"    ORDER BY n DESC, field LIMIT 3))"
	" FROM v_county_summary s WHERE s.period = ?1 ORDER BY bf_place_order(s.city, s.county), s.city, s.county";

enum { K_CITY, K_COUNTY, K_ROSTER_ROWS, K_HR_ROWS, K_PERSONS, K_CONSISTENT, K_CONFLICT, K_ROSTER_ONLY, K_HR_ONLY,
       K_INVALID, K_DUPLICATE, K_REPAIRS, K_TOP, NCOMPARE };

/* Rows loaded and rejected per source for the period (v_source_file). */
struct loaded {
	long read[2], loaded[2], rejected[2], files[2];
};

static int loaded_rows(struct report_ctx *c, struct loaded *l, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	memset(l, 0, sizeof *l);
	if (db_prepare(c->db, "SELECT source = 'hr', count(*), sum(rows_read), sum(rows_loaded), sum(rows_rejected)"
			      " FROM v_source_file WHERE period = ?1 GROUP BY source",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int s = sqlite3_column_int(st, 0);

		l->files[s] = (long)sqlite3_column_int64(st, 1);
		l->read[s] = (long)sqlite3_column_int64(st, 2);
		l->loaded[s] = (long)sqlite3_column_int64(st, 3);
		l->rejected[s] = (long)sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	return 0;
}

static void format_top_conflicts(const char *packed, struct strbuf *out)
{
	const char *p = packed;

	while (p && *p) {
		const char *us = strchr(p, 31), *rs = strchr(p, 30);
		char field[64];

		if (!us)
			break;
		snprintf(field, sizeof field, "%.*s", (int)(us - p), p);
		if (out->len)
			strbuf_addstr(out, "；");
		strbuf_addf(out, "%s %.*s", reconcile_field_label(field), (int)(rs ? rs - us - 1 : (long)strlen(us + 1)),
			    us + 1);
		p = rs ? rs + 1 : NULL;
	}
}

static int write_compare(struct report_ctx *c, struct bangfu_err *err)
{
	static const struct xlsx_column cols[NCOMPARE] = {
		{"市州", 12},     {"县市区", 12},      {"扶贫系统行数", 9}, {"人社平台行数", 9}, {"比对人员数", 9},
		{"一致", 8},      {"不一致", 8},       {"仅扶贫系统（未录入省平台）", 12}, {"仅人社平台", 9},
		{"证件号码无效", 9}, {"重复", 7},       {"拟修正证件号码", 9}, {"主要不一致项（前三）", 34}};
	struct xlsx_book *b = &c->book;
	struct strbuf top;
	struct loaded l;
	sqlite3_stmt *st;
	lxw_worksheet *ws;
	long totals[NCOMPARE] = {0};
	char title[256], note[1024];
	int first, row, step;

	snprintf(title, sizeof title, "扶贫系统与省平台比对情况（%s）", c->opt->period);
	ws = xlsx_sheet(b, "比对情况", title, 1, cols, NCOMPARE, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 比对情况");
	xlsx_row_height(b, ws, 2, 40);
	if (db_prepare(c->db, SQL_COMPARE, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	strbuf_init(&top);
	row = first + 1; /* the total goes first, once it is known */
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *city = (const char *)sqlite3_column_text(st, K_CITY);
		const char *county = (const char *)sqlite3_column_text(st, K_COUNTY);

		xlsx_put_text(b, ws, row, K_CITY, city && city[0] ? city : "（未填市州）", b->text);
		xlsx_put_text(b, ws, row, K_COUNTY, county && county[0] ? county : "（未填县市区）", b->text);
		for (int k = K_ROSTER_ROWS; k <= K_REPAIRS; k++) {
			long v = (long)sqlite3_column_int64(st, k);

			totals[k] += v;
			xlsx_put_number(b, ws, row, k, (double)v, b->count);
		}
		strbuf_reset(&top);
		format_top_conflicts((const char *)sqlite3_column_text(st, K_TOP), &top);
		xlsx_put_text(b, ws, row, K_TOP, top.len ? strbuf_str(&top) : "—", b->text_wrap);
		row++;
	}
	sqlite3_finalize(st);
	strbuf_free(&top);
	if (step != SQLITE_DONE)
		return db_fail(c->db, err, "reading the reconciliation counts");
	worksheet_merge_range(ws, (lxw_row_t)first, K_CITY, (lxw_row_t)first, K_COUNTY, "合计", b->total_text);
	for (int k = K_ROSTER_ROWS; k <= K_REPAIRS; k++)
		xlsx_put_number(b, ws, first, k, (double)totals[k], b->total_count);
	xlsx_put_text(b, ws, first, K_TOP, "", b->total_text);
	if (loaded_rows(c, &l, err) != 0)
		return -1;
	row++;
	snprintf(note, sizeof note,
		 "核对：扶贫系统载入 %ld 行，各县“扶贫系统行数”合计 %ld 行%s；省平台载入 %ld 行，各县“人社平台行数”合计 %ld 行%s；"
		 "比对人员 %ld 人 = 一致 %ld + 不一致 %ld + 仅扶贫系统 %ld + 仅人社平台 %ld + 证件号码无效 %ld + 重复 %ld%s。"
		 "拒收的行（扶贫系统 %ld 行，省平台 %ld 行）不在表内，见“说明”表。"
		 "同一证件号码在两个系统各有一行时算 1 人，所以人员数小于两系统行数之和。",
		 l.loaded[0], totals[K_ROSTER_ROWS], l.loaded[0] == totals[K_ROSTER_ROWS] ? "，相符" : "，不符！",
		 l.loaded[1], totals[K_HR_ROWS], l.loaded[1] == totals[K_HR_ROWS] ? "，相符" : "，不符！", totals[K_PERSONS],
		 totals[K_CONSISTENT], totals[K_CONFLICT], totals[K_ROSTER_ONLY], totals[K_HR_ONLY], totals[K_INVALID],
		 totals[K_DUPLICATE],
		 totals[K_PERSONS] == totals[K_CONSISTENT] + totals[K_CONFLICT] + totals[K_ROSTER_ONLY] + totals[K_HR_ONLY] +
					      totals[K_INVALID] + totals[K_DUPLICATE]
			 ? "，相符"
			 : "，不符！",
		 l.rejected[0], l.rejected[1]);
	note_line(&c->book, ws, &c->fmt, row++, NCOMPARE - 1, note);
	note_line(&c->book, ws, &c->fmt, row, NCOMPARE - 1,
		  "类别：一致＝两个系统都有且信息一致；不一致＝两个系统都有但姓名、性别、就业状态、就业地区、就业单位或联系电话不同"
		  "（由乡镇核实）；仅扶贫系统＝未录入省平台（县人社部门录入）；仅人社平台＝扶贫系统名单中没有（县里核实是否为帮扶对象）；"
		  "证件号码无效＝无法按证件号码比对（乡镇更正）；重复＝同一证件号码在一个系统中出现多次（由该系统去重）。"
		  "名单见乡镇工作清单。");
	return 0;
}

/* ---- 乡镇抽查 ---- */

enum { T_CITY, T_COUNTY, T_TOWNSHIP, T_SAMPLED, T_ANSWERED, T_ACCURATE, T_INACCURATE, T_UNREACHABLE, T_ACCURACY,
       T_LOW, T_HIGH, T_VERDICT, NCHECK };

static const char *verdict_label(const char *v)
{
	if (!v)
		return "—";
	if (!strcmp(v, "pass"))
		return "达标";
	if (!strcmp(v, "recalibrate"))
		return "需重新校准";
	if (!strcmp(v, "undecided"))
		return "待补充核查";
	return v;
}

static int write_checks(struct report_ctx *c, struct bangfu_err *err)
{
	static const struct xlsx_column cols[NCHECK] = {
		{"市州", 12}, {"县市区", 12}, {"乡镇", 14}, {"抽查人数", 8}, {"已返回结果", 8}, {"准确", 7},
		{"不准确", 7}, {"无法联系", 8}, {"抽查准确率", 9}, {"准确率区间下限", 9}, {"准确率区间上限", 9},
		{"结论", 12}};
	struct xlsx_book *b = &c->book;
	lxw_worksheet *ws;
	sqlite3_stmt *st;
	char title[256], note[1024];
	int first, row, step, answered = 0;

	snprintf(title, sizeof title, "乡镇抽查核实情况（%s）", c->opt->period);
	ws = xlsx_sheet(b, "乡镇抽查", title, 1, cols, NCHECK, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 乡镇抽查");
	row = first;
	if (c->sum->checked) {
		if (db_prepare(c->db, "SELECT city, county, township, sampled, answered, accurate, inaccurate, unreachable,"
				      " accuracy, ci_low, ci_high, verdict FROM v_township_check WHERE period = ?1"
				      " ORDER BY bf_place_order(city, county), city, county, township",
			       &st, err) != 0)
			return -1;
		sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *verdict = (const char *)sqlite3_column_text(st, T_VERDICT);
			int flagged = verdict && !strcmp(verdict, "recalibrate");

			for (int k = T_CITY; k <= T_TOWNSHIP; k++) {
				const char *s = (const char *)sqlite3_column_text(st, k);

				xlsx_put_text(b, ws, row, k, s && s[0] ? s : "（未填）", b->text);
			}
			for (int k = T_SAMPLED; k <= T_UNREACHABLE; k++)
				xlsx_put_number(b, ws, row, k, (double)sqlite3_column_int64(st, k), b->count);
			answered += sqlite3_column_int(st, T_ANSWERED) > 0;
			for (int k = T_ACCURACY; k <= T_HIGH; k++)
				xlsx_put_rate(b, ws, row, k,
					  sqlite3_column_type(st, k) == SQLITE_NULL ? NAN : sqlite3_column_double(st, k),
					  b->rate);
			xlsx_put_text(b, ws, row, T_VERDICT, verdict_label(verdict), flagged ? b->flag : b->text);
			row++;
		}
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			return db_fail(c->db, err, "reading the township checks");
	}
	if (row == first) {
		worksheet_merge_range(ws, (lxw_row_t)row, 0, (lxw_row_t)row, NCHECK - 1,
				      "本期未抽查（没有运行 bangfu-sample，或抽样后尚无乡镇）", b->total_text);
		row++;
	} else {
		lxw_conditional_format cf = {0};
		char formula[64];

		/* The whole row of a township that must recalibrate stands out. */
		snprintf(formula, sizeof formula, "=$%c%d=\"需重新校准\"", 'A' + T_VERDICT, first + 1);
		cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
		cf.value_string = formula;
		cf.format = b->rate_bad;
		worksheet_conditional_format_range(ws, (lxw_row_t)first, 0, (lxw_row_t)(row - 1), NCHECK - 1, &cf);
		xlsx_flag_below(b, ws, first, row - 1, T_ACCURACY, c->threshold);
		worksheet_autofilter(ws, (lxw_row_t)(first - 1), 0, (lxw_row_t)(row - 1), NCHECK - 1);
	}
	row++;
	if (c->sum->checked && !answered)
		note_line(&c->book, ws, &c->fmt, row++, NCHECK - 1,
			  "已抽样，但还没有载入乡镇返回的抽查核实表（bangfu-verify），结论均为“待补充核查”。");
	snprintf(note, sizeof note,
		 "抽查准确率＝准确 ÷（准确＋不准确），无法联系的不计。准确率低于 %.0f%% 的乡镇须重新开展信息校准"
		 "（湘人社函〔2020〕58号），标红；有效核查人数不足以下结论的为“待补充核查”。区间为准确率的 Wilson 置信区间："
		 "区间上限也低于阈值的，几乎可以肯定需要重新校准；区间跨过阈值的，结论受抽样误差影响。抽样方案见“说明”表。",
		 c->threshold * 100);
	note_line(&c->book, ws, &c->fmt, row, NCHECK - 1, note);
	return 0;
}

/* ---- 零就业家庭 ---- */

static int write_zero(struct report_ctx *c, struct bangfu_err *err)
{
	static const struct xlsx_column cols[] = {{"市州", 12},         {"县市区", 12},           {"零就业家庭户数", 10},
						  {"涉及乡镇数", 9},     {"家庭成员人数", 10},      {"其中有劳动能力人数", 12}};
	struct xlsx_book *b = &c->book;
	lxw_worksheet *ws;
	sqlite3_stmt *st;
	long totals[6] = {0};
	char title[256];
	int first, row, step;

	snprintf(title, sizeof title, "零就业家庭情况（%s）", c->opt->period);
	ws = xlsx_sheet(b, "零就业家庭", title, 1, cols, 6, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 零就业家庭");
	xlsx_row_height(b, ws, 2, 40);
	if (db_prepare(c->db, "WITH z AS MATERIALIZED (SELECT city, county, count(*) AS households,"
			      "  count(DISTINCT township) AS townships, sum(members) AS members, sum(able_members) AS able"
			      "  FROM v_zero_household WHERE period = ?1 GROUP BY city, county)"
			      " SELECT s.city, s.county, coalesce(z.households, 0), coalesce(z.townships, 0),"
			      " coalesce(z.members, 0), coalesce(z.able, 0)"
			      " FROM (SELECT DISTINCT city, county FROM person WHERE period = ?1) s"
			      " LEFT JOIN z ON z.city IS s.city AND z.county IS s.county"
			      " ORDER BY bf_place_order(s.city, s.county), s.city, s.county",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	row = first + 1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *city = (const char *)sqlite3_column_text(st, 0);
		const char *county = (const char *)sqlite3_column_text(st, 1);

		xlsx_put_text(b, ws, row, 0, city && city[0] ? city : "（未填市州）", b->text);
		xlsx_put_text(b, ws, row, 1, county && county[0] ? county : "（未填县市区）", b->text);
		for (int k = 2; k < 6; k++) {
			long v = (long)sqlite3_column_int64(st, k);

			totals[k] += v;
			xlsx_put_number(b, ws, row, k, (double)v, b->count);
		}
		row++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(c->db, err, "reading the zero-employment households");
	worksheet_merge_range(ws, (lxw_row_t)first, 0, (lxw_row_t)first, 1, "合计", b->total_text);
	for (int k = 2; k < 6; k++)
		xlsx_put_number(b, ws, first, k, (double)totals[k], b->total_count);
	note_line(&c->book, ws, &c->fmt, row + 1, 5,
		  "零就业家庭：扶贫系统名单中至少有一名有劳动能力、在劳动年龄内的成员，而全家在两个系统中都没有人就业的户"
		  "（按户编号）。按“一户一就业”要求，每户至少帮助一人就业。户名单只发乡镇（乡镇工作清单），不在本报表中。");
	return 0;
}

/* ---- 补贴筛选 (when bangfu-screen ran for the period) ---- */

static int write_subsidies(struct report_ctx *c, struct bangfu_err *err)
{
	static const struct xlsx_column cols[] = {{"市州", 12},       {"补贴项目", 22},       {"政策依据", 26},
						  {"符合人数", 9},     {"符合金额（元）", 12}, {"待核实人数", 10},
						  {"待核实金额（元）", 13}, {"候选人数", 9}};
	struct xlsx_book *b = &c->book;
	lxw_worksheet *ws;
	sqlite3_stmt *st;
	char title[256], basis[512], run_at[32] = "", rules[PATH_MAX] = "";
	double totals[8] = {0};
	int first, row, step, ran = 0;

	if (db_prepare(c->db, "SELECT run_at, rules_file FROM screen_run WHERE period = ?1", &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ran = 1;
		snprintf(run_at, sizeof run_at, "%s", (const char *)sqlite3_column_text(st, 0));
		/* the file's name: where it lies on the server is nobody's business here */
		snprintf(rules, sizeof rules, "%s", file_name_of((const char *)sqlite3_column_text(st, 1)));
	}
	sqlite3_finalize(st);
	if (!ran)
		return 0; /* no screening this period: no sheet */
	snprintf(title, sizeof title, "就业帮扶补贴政策筛选情况（%s）", c->opt->period);
	ws = xlsx_sheet_unit(b, "补贴筛选", title, "单位：人、元", cols, 8, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 补贴筛选");
	xlsx_row_height(b, ws, 2, 40);
	if (db_prepare(c->db, "SELECT city, subsidy, document, article, eligible, eligible_amount, to_verify,"
			      " to_verify_amount, candidates FROM v_subsidy_city WHERE period = ?1"
			      " ORDER BY bf_place_order(nullif(city, ''), NULL), city, rule_id",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	row = first + 1; /* the total goes first, once it is known */
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *city = (const char *)sqlite3_column_text(st, 0);
		const char *doc = (const char *)sqlite3_column_text(st, 2), *art = (const char *)sqlite3_column_text(st, 3);

		snprintf(basis, sizeof basis, "%s%s%s", doc ? doc : "", art && art[0] ? " " : "", art ? art : "");
		xlsx_put_text(b, ws, row, 0, city && city[0] ? city : "（未填市州）", b->text);
		xlsx_put_text(b, ws, row, 1, (const char *)sqlite3_column_text(st, 1), b->text_wrap);
		xlsx_put_text(b, ws, row, 2, basis, b->text_wrap);
		for (int k = 4, col = 3; k <= 8; k++, col++) {
			if (sqlite3_column_type(st, k) == SQLITE_NULL && sqlite3_column_int64(st, k - 1) == 0) {
				xlsx_put_number(b, ws, row, col, 0, b->count); /* nobody, nothing to pay */
			} else if (sqlite3_column_type(st, k) == SQLITE_NULL) {
				xlsx_put_text(b, ws, row, col, "—", b->count); /* no fixed amount in the document */
			} else {
				xlsx_put_number(b, ws, row, col, sqlite3_column_double(st, k), b->count);
				totals[col] += sqlite3_column_double(st, k);
			}
		}
		row++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(c->db, err, "reading the subsidy screening");
	if (row == first + 1) {
		xlsx_put_merged(b, ws, first, 0, 7, "本期筛选没有候选人", b->total_text);
	} else {
		xlsx_put_merged(b, ws, first, 0, 2, "合计（人次）", b->total_text);
		for (int col = 3; col < 8; col++)
			xlsx_put_number(b, ws, first, col, totals[col], b->total_count);
	}
	snprintf(basis, sizeof basis,
		 "bangfu-screen 于 %s 按 %s 筛选。人数按人次计：一人符合两项补贴计两次。符合：两个系统记录一致、数据能证明政策条件的人；"
		 "待核实：缺少数据无法证明的条件（如劳动合同、社保缴费）或两系统记录不一致，须县级人社部门核实。"
		 "“—”表示文件未规定固定金额（由地方确定），合计金额不含这些项目。名单按县发乡镇，不在本报表中。",
		 run_at, rules);
	note_line(&c->book, ws, &c->fmt, row + 1, 7, basis);
	return 0;
}

/* ---- 趋势 ---- */

enum { R_PERIOD, R_LABOUR, R_ENTERED, R_ENTRY_RATE, R_EMPLOYED, R_EMPLOY_RATE, R_RETURNED, R_MATCH_RATE,
       R_CHECK_RATE, R_ZERO, NTREND };

struct trend_totals {
	long labour, entered, employed, returned, consistent, conflict, accurate, inaccurate, zero;
};

static void trend_row(struct xlsx_book *b, lxw_worksheet *ws, int row, const char *period, const struct trend_totals *t)
{
	static const int rate_cols[] = {R_ENTRY_RATE, R_EMPLOY_RATE, R_MATCH_RATE, R_CHECK_RATE};
	double rates[4] = {ratio(t->entered, t->labour), ratio(t->employed, t->labour),
			   ratio(t->consistent, t->consistent + t->conflict), ratio(t->accurate, t->accurate + t->inaccurate)};

	xlsx_put_text(b, ws, row, R_PERIOD, period, b->text);
	xlsx_put_number(b, ws, row, R_LABOUR, (double)t->labour, b->count);
	xlsx_put_number(b, ws, row, R_ENTERED, (double)t->entered, b->count);
	xlsx_put_number(b, ws, row, R_EMPLOYED, (double)t->employed, b->count);
	xlsx_put_number(b, ws, row, R_RETURNED, (double)t->returned, b->count);
	xlsx_put_number(b, ws, row, R_ZERO, (double)t->zero, b->count);
	/* No value is a blank, not "—": a chart draws text as zero. */
	for (int k = 0; k < 4; k++)
		if (isnan(rates[k]))
			worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)rate_cols[k], b->rate);
		else
			xlsx_put_number(b, ws, row, rate_cols[k], rates[k], b->rate);
}

static int write_trend(struct report_ctx *c, struct bangfu_err *err)
{
	static const struct xlsx_column cols[NTREND] = {
		{"统计时段", 10}, {"脱贫劳动力人数", 10}, {"省平台录入人数", 10}, {"录入率", 8}, {"已就业人数", 10},
		{"就业率", 8},    {"返乡回流人数", 9},    {"比对一致率", 8},      {"抽查准确率", 8}, {"零就业家庭户数", 9}};
	static const int rate_cols[] = {R_ENTRY_RATE, R_EMPLOY_RATE, R_MATCH_RATE, R_CHECK_RATE};
	struct xlsx_book *b = &c->book;
	struct trend_totals t;
	lxw_worksheet *ws;
	sqlite3_stmt *st;
	char title[256];
	int first, row, step;

	snprintf(title, sizeof title, "主要指标趋势（截至 %s）", c->opt->period);
	ws = xlsx_sheet(b, "趋势", title, 1, cols, NTREND, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 趋势");
	xlsx_row_height(b, ws, 2, 40);
	/* Earlier periods from the database; this one from the 总表 total
	 * already counted (the same sums), not a second pass over its persons. */
	if (db_prepare(c->db, "SELECT v.period, sum(v.labour), sum(v.entered), sum(v.employed), sum(v.returned),"
			      " sum(v.consistent), sum(v.conflict), sum(v.accurate), sum(v.inaccurate),"
			      " (SELECT count(*) FROM v_zero_household z WHERE z.period = v.period)"
			      " FROM v_township_progress v JOIN reconcile_run r ON r.period = v.period"
			      " WHERE v.period < ?1 GROUP BY v.period ORDER BY v.period",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	row = first;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		t = (struct trend_totals){
			(long)sqlite3_column_int64(st, 1), (long)sqlite3_column_int64(st, 2), (long)sqlite3_column_int64(st, 3),
			(long)sqlite3_column_int64(st, 4), (long)sqlite3_column_int64(st, 5), (long)sqlite3_column_int64(st, 6),
			(long)sqlite3_column_int64(st, 7), (long)sqlite3_column_int64(st, 8), (long)sqlite3_column_int64(st, 9)};
		trend_row(b, ws, row++, (const char *)sqlite3_column_text(st, 0), &t);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(c->db, err, "reading the periods");
	for (int i = 0; i < c->areas.n; i++) {
		const struct area *a = &c->areas.v[i];

		if (a->level != LEVEL_TOTAL)
			continue;
		if (db_prepare(c->db, "SELECT count(*) FROM zero_household WHERE period = ?1", &st, err) != 0)
			return -1;
		sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
		t = (struct trend_totals){a->m[M_LABOUR],   a->m[M_ENTERED],    a->m[M_EMPLOYED],
					  a->m[M_RETURNED], a->m[M_CONSISTENT], a->m[M_CONFLICT],
					  a->m[M_ACCURATE], a->m[M_INACCURATE],
					  sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0};
		sqlite3_finalize(st);
		trend_row(b, ws, row++, c->opt->period, &t);
		break;
	}
	note_line(&c->book, ws, &c->fmt, row + 1, NTREND - 1,
		  "每个已比对（bangfu-reconcile）的统计时段一行，口径同“总表”合计行。抽查准确率空白表示该期未抽查或未返回结果。");
	if (row > first) {
		lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_LINE);
		lxw_chart_font title_font = chart_font(12, 1), axis_font = chart_font(9, 0);
		lxw_chart_options place = {.x_offset = 0, .y_offset = 10, .x_scale = 1.5, .y_scale = 1.1};

		for (int k = 0; k < 4; k++) {
			lxw_chart_series *s = chart_add_series(chart, NULL, NULL);

			chart_series_set_categories(s, "趋势", (lxw_row_t)first, R_PERIOD, (lxw_row_t)(row - 1), R_PERIOD);
			chart_series_set_values(s, "趋势", (lxw_row_t)first, (lxw_col_t)rate_cols[k], (lxw_row_t)(row - 1),
						(lxw_col_t)rate_cols[k]);
			chart_series_set_name(s, cols[rate_cols[k]].label);
			chart_series_set_marker_type(s, LXW_CHART_MARKER_AUTOMATIC);
		}
		chart_title_set_name(chart, "主要比率趋势");
		chart_title_set_name_font(chart, &title_font);
		chart_axis_set_num_format(chart->y_axis, "0%");
		chart_axis_set_min(chart->y_axis, 0);
		chart_axis_set_max(chart->y_axis, 1);
		chart_axis_set_num_font(chart->y_axis, &axis_font);
		chart_axis_set_num_font(chart->x_axis, &axis_font);
		chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
		chart_legend_set_font(chart, &axis_font);
		worksheet_insert_chart_opt(ws, (lxw_row_t)(row + 3), 0, chart, &place);
	}
	return 0;
}

/* ---- 说明 ---- */

static const char *source_label(const char *s)
{
	return s && !strcmp(s, "hr") ? "省平台（人社）导出" : "扶贫系统名单";
}

static int write_notes(struct report_ctx *c, struct bangfu_err *err)
{
	static const struct xlsx_column cols[] = {{"项目", 18}, {"说明", 110}};
	struct xlsx_book *b = &c->book;
	struct strbuf text;
	lxw_worksheet *ws;
	sqlite3_stmt *st;
	struct loaded l;
	char buf[PATH_MAX + 512];
	int row, step;

	ws = xlsx_sheet(b, "说明", "说明：数据来源、口径和抽样方案", 0, cols, 2, &row);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 说明");
	worksheet_set_column(ws, 1, 1, 110, b->text_wrap);
	strbuf_init(&text);
	xlsx_note(b, ws, row++, "报表", "就业帮扶工作进度报表（bangfu-report）。各表人数单位为人。");
	xlsx_note(b, ws, row++, "填报单位", b->unit[0] ? b->unit : "（未指定，运行时用 --unit 指定）");
	xlsx_note(b, ws, row++, "统计时段", c->opt->period);
	xlsx_note(b, ws, row++, "生成时间", b->generated);
	snprintf(buf, sizeof buf, "%s",
		 c->sum->previous_period[0] ? c->sum->previous_period : "无：数据库中没有更早的已比对期次，环比列为“—”");
	xlsx_note(b, ws, row++, "环比对照期", buf);

	/* Input files, with their SHA-256 so anyone can tell which file a number came from. */
	if (db_prepare(c->db, "SELECT source, file_name, sha256, encoding, rows_read, rows_loaded, rows_rejected, loaded_at"
			      " FROM v_source_file WHERE period = ?1 ORDER BY source DESC, file_name",
		       &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		strbuf_reset(&text);
		strbuf_addf(&text, "%s；SHA-256：%s；编码 %s；读入 %lld 行 = 载入 %lld 行 + 拒收 %lld 行；载入时间 %s（UTC）",
			    file_name_of((const char *)sqlite3_column_text(st, 1)), (const char *)sqlite3_column_text(st, 2),
			    (const char *)sqlite3_column_text(st, 3), sqlite3_column_int64(st, 4),
			    sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6), (const char *)sqlite3_column_text(st, 7));
		xlsx_note(b, ws, row++, source_label((const char *)sqlite3_column_text(st, 0)), strbuf_str(&text));
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		db_fail(c->db, err, "reading the loaded files");
		goto fail;
	}
	if (db_prepare(c->db, "SELECT file_name, sha256, rows_read, answers, loaded_at FROM check_file WHERE period = ?1"
			      " ORDER BY file_name",
		       &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		strbuf_reset(&text);
		strbuf_addf(&text, "%s；SHA-256：%s；读入 %lld 行，核查结果 %lld 条；载入时间 %s（UTC）",
			    file_name_of((const char *)sqlite3_column_text(st, 0)), (const char *)sqlite3_column_text(st, 1),
			    sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), (const char *)sqlite3_column_text(st, 4));
		xlsx_note(b, ws, row++, "返回的抽查核实表", strbuf_str(&text));
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		db_fail(c->db, err, "reading the returned check sheets");
		goto fail;
	}
	if (loaded_rows(c, &l, err) != 0)
		goto fail;
	strbuf_reset(&text);
	strbuf_addf(&text,
		    "扶贫系统 %ld 个文件读入 %ld 行，载入 %ld 行，拒收 %ld 行；省平台 %ld 个文件读入 %ld 行，载入 %ld 行，拒收 %ld 行。"
		    "载入的每一行都归入一名人员（比对情况表的人数），拒收的行及原因可用 sqlite3 查询视图 v_reject。",
		    l.files[0], l.read[0], l.loaded[0], l.rejected[0], l.files[1], l.read[1], l.loaded[1], l.rejected[1]);
	xlsx_note(b, ws, row++, "行数核对", strbuf_str(&text));
	if (c->targets_file[0])
		snprintf(buf, sizeof buf, "%s：本期用到 %ld 条目标（文件共 %ld 条）", file_name_of(c->targets_file),
			 c->sum->targets_used,
			 c->sum->targets_read);
	else
		snprintf(buf, sizeof buf, "没有目标任务文件（templates/targets.csv），目标任务和完成率为“—”");
	xlsx_note(b, ws, row++, "目标任务", buf);
	snprintf(buf, sizeof buf,
		 "录入率、比对一致率、抽查准确率低于 %.0f%% 标红（抽样方案的阈值；湘人社函〔2020〕58号：抽查准确率低于 90%% 的乡镇须重新开展信息校准）。",
		 c->threshold * 100);
	xlsx_note(b, ws, row++, "标红", buf);

	for (int i = 0; i < NSUMMARY; i++) {
		char label[96];

		snprintf(label, sizeof label, "总表：%s", SUMMARY[i].label);
		xlsx_note(b, ws, row++, label, SUMMARY[i].definition);
	}
	xlsx_note(b, ws, row++, "比对情况",
		  "按县市区统计每个比对类别的人数（bangfu-reconcile，视图 v_county_summary），以及出现最多的三种不一致项"
		  "（视图 v_conflict）。各类别人数之和等于比对人员数；各县扶贫系统、人社平台行数之和等于载入的行数。");
	xlsx_note(b, ws, row++, "乡镇抽查", "每个抽查乡镇的抽查人数、返回结果、准确率及其 Wilson 区间和结论（视图 v_township_check）。");
	xlsx_note(b, ws, row++, "零就业家庭", "按县市区统计的零就业家庭户数（视图 v_zero_household）；户名单在乡镇工作清单中。");
	xlsx_note(b, ws, row++, "趋势", "数据库中截至本期的每个已比对期次的主要指标，口径同总表合计行。");

	/* The sampling plan as it was drawn for this period. */
	if (db_prepare(c->db, "SELECT seed, algorithm, sample_size, min_answered, threshold, confidence, drawn_at"
			      " FROM sample_plan WHERE period = ?1",
		       &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	strbuf_reset(&text);
	if (sqlite3_step(st) == SQLITE_ROW)
		strbuf_addf(&text,
			    "从每个乡镇省平台录入的人员中随机抽取 %lld 人（不足 %lld 人的全部抽取）电话回访、现场核查或交叉检查；"
			    "准确＋不准确达到 %lld 人才下结论；准确率低于 %.0f%% 的乡镇须重新开展信息校准；准确率区间为 %.0f%% Wilson 区间。"
			    "抽样可复现：种子 %lld，算法 %s，抽样时间 %s（UTC）。每乡镇抽 30 人时，真实准确率 95%% 的乡镇被误判的概率约 6%%，"
			    "真实准确率 80%% 的乡镇漏判的概率约 12%%。",
			    sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
			    sqlite3_column_double(st, 4) * 100, sqlite3_column_double(st, 5) * 100, sqlite3_column_int64(st, 0),
			    (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 6));
	else
		strbuf_addstr(&text, "本期未抽样（没有运行 bangfu-sample）。");
	sqlite3_finalize(st);
	xlsx_note(b, ws, row++, "抽样方案", strbuf_str(&text));
	xlsx_note(b, ws, row++, "个人信息",
		  "本报表只有汇总数，不含姓名、证件号码和联系电话。需要乡镇办理的名单（未录入省平台、信息不一致、证件号码待更正、"
		  "零就业家庭）在乡镇工作清单中（bangfu-report --townships），证件号码和电话默认隐去中间几位。");
	strbuf_free(&text);
	return 0;
fail:
	strbuf_free(&text);
	return -1;
}

/* ---- township workbooks: the named lists a clerk acts on ---- */

enum { W_NO, W_KIND, W_NAME, W_ID, W_PHONE, W_VILLAGE, W_HOUSEHOLD, W_DETAIL, W_ACTION, W_RESULT, W_REMARK, NWORK };

static const struct xlsx_column WORK_COLUMNS[NWORK] = {
	{"序号", 6},     {"事项", 14},     {"姓名", 10}, {"证件号码", 20}, {"联系电话", 13}, {"行政村", 14},
	{"户编号", 20}, {"情况", 46},     {"请办理", 28}, {"办理结果", 12}, {"备注", 14}};

enum { KIND_ROSTER_ONLY = 1, KIND_CONFLICT, KIND_INVALID, KIND_HR_ONLY, KIND_ZERO };

/* One row per thing to do, by township, in the order a clerk works. */
static const char SQL_WORK[] =
	/* the members' names of every zero-employment household, in one pass
	 * (zero_household has one row per household number and period) */
	"WITH hh AS MATERIALIZED (SELECT household_id, group_concat(name, '、') AS names FROM person"
	"  WHERE period = ?1 AND in_roster AND household_id IN (SELECT household_id FROM zero_household WHERE period = ?1)"
	"  GROUP BY household_id),"
	" items AS ("
	" SELECT 1 AS kind, p.city, p.county, p.township, p.village, p.name, p.id_number AS id, p.household_id,"
	"  p.phone AS phone,"
	"  p.roster_employed AS d1, p.work_region AS d2, NULL AS d3, NULL AS d4, NULL AS n1, NULL AS n2"
	" FROM person p WHERE p.period = ?1 AND p.category = 'roster_only'"
	" UNION ALL"
	" SELECT 2, p.city, p.county, p.township, p.village, p.name, p.id_number, p.household_id,"
	"  p.phone,"
	"  (SELECT group_concat(c.field || char(31) || coalesce(c.roster_value, '') || char(31) || coalesce(c.hr_value, ''),"
	"    char(30)) FROM conflict c WHERE c.period = p.period AND c.id_number = p.id_number), NULL, NULL, NULL, NULL, NULL"
	" FROM person p WHERE p.period = ?1 AND p.id_valid"
	"  AND EXISTS (SELECT 1 FROM conflict c WHERE c.period = p.period AND c.id_number = p.id_number)"
	" UNION ALL"
	" SELECT 3, p.city, p.county, p.township, p.village, p.name, p.id_number, p.household_id, NULL,"
	"  p.reason, r.proposed_id, r.rule, r.evidence, NULL, NULL"
	" FROM person p LEFT JOIN repair r ON r.period = p.period AND r.person_key = p.person_key"
	" WHERE p.period = ?1 AND p.category = 'invalid_id'"
	" UNION ALL"
	" SELECT 4, p.city, p.county, p.township, p.village, p.name, p.id_number, p.household_id,"
	"  p.phone,"
	"  p.hr_status, NULL, NULL, NULL, NULL, NULL"
	" FROM person p WHERE p.period = ?1 AND p.category = 'hr_only'"
	" UNION ALL"
	" SELECT 5, z.city, z.county, z.township, z.village, hh.names,"
	"  NULL, z.household_id, NULL, NULL, NULL, NULL, NULL, z.members, z.able_members"
	" FROM zero_household z LEFT JOIN hh ON hh.household_id = z.household_id WHERE z.period = ?1)"
	" SELECT kind, coalesce(city, ''), coalesce(county, ''), coalesce(township, ''), village, name, id, household_id,"
	"  phone, d1, d2, d3, d4, n1, n2,"
	/* the period since which the problem list (挂单销号) has it open */
	"  (SELECT pr.opened_period FROM problem pr WHERE pr.closed_period IS NULL AND pr.problem_key ="
	"   CASE i.kind WHEN 1 THEN 'not_entered:' || i.id WHEN 2 THEN 'conflict:' || i.id"
	"    WHEN 5 THEN 'zero_household:' || coalesce(i.county, '') || ':' || i.household_id END)"
	" FROM items i"
	" ORDER BY 2, 3, 4, kind, coalesce(village, ''), household_id, name";

enum { Q_KIND, Q_CITY, Q_COUNTY, Q_TOWNSHIP, Q_VILLAGE, Q_NAME, Q_ID, Q_HOUSEHOLD, Q_PHONE, Q_D1, Q_D2, Q_D3, Q_D4,
       Q_N1, Q_N2, Q_OPENED };

static const char *col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s ? s : "";
}

static const char *id_status_label(const char *reason)
{
	for (int s = IDNO_OK; s <= IDNO_EXCEL_DAMAGE; s++) {
		const char *code = idno_status_code((enum idno_status)s);
		size_t len = strlen(code);

		if (reason && !strncmp(reason, code, len) && (reason[len] == '\0' || reason[len] == '/'))
			return idno_status_label((enum idno_status)s);
	}
	return "格式错误";
}

static const char *repair_rule_label(const char *rule)
{
	if (!strcmp(rule, "substitution"))
		return "一位数字录错";
	if (!strcmp(rule, "transposition"))
		return "相邻两位颠倒";
	if (!strcmp(rule, "excel_scientific"))
		return "被 Excel 显示为科学计数法";
	if (!strcmp(rule, "excel_rounded"))
		return "末几位被 Excel 改成 0";
	if (!strcmp(rule, "name_birth_township"))
		return "同名、同出生日期、同乡镇";
	return rule;
}

/* A conflicting value as the township list shows it: a phone masked as the
 * 联系电话 column is, unless the list carries whole numbers. */
static void add_value(struct strbuf *out, const char *field, const char *value, int len, int full_id)
{
	char shown[128], raw[128];

	if (full_id || strcmp(field, "phone") != 0 || len >= (int)sizeof raw) {
		strbuf_addf(out, "%.*s", len, value);
		return;
	}
	snprintf(raw, sizeof raw, "%.*s", len, value);
	idno_mask_phone(raw, shown, sizeof shown);
	strbuf_addstr(out, shown);
}

/* Conflicts as "姓名：扶贫系统“甲”→ 省平台“乙”；…". */
static void format_conflicts(const char *packed, struct strbuf *out, int full_id)
{
	const char *p = packed;

	while (p && *p) {
		const char *f_end = strchr(p, 31), *r_end = f_end ? strchr(f_end + 1, 31) : NULL;
		const char *rs = r_end ? strchr(r_end + 1, 30) : NULL;
		int roster_len, hr_len;
		char field[64];

		if (!f_end || !r_end)
			break;
		snprintf(field, sizeof field, "%.*s", (int)(f_end - p), p);
		roster_len = (int)(r_end - f_end - 1);
		hr_len = (int)(rs ? rs - r_end - 1 : (long)strlen(r_end + 1));
		if (out->len)
			strbuf_addstr(out, "；");
		if (!strcmp(field, "gender_id"))
			strbuf_addstr(out, "性别与证件号码不符（扶贫系统“");
		else
			strbuf_addf(out, "%s：扶贫系统“", reconcile_field_label(field));
		add_value(out, field, f_end + 1, roster_len, full_id);
		strbuf_addstr(out, !strcmp(field, "gender_id") ? "”，省平台“" : "”→ 省平台“");
		add_value(out, field, r_end + 1, hr_len, full_id);
		strbuf_addstr(out, !strcmp(field, "gender_id") ? "”）" : "”");
		p = rs ? rs + 1 : NULL;
	}
}

struct work_state {
	struct xlsx_split sp; /* the county workbooks and township sheets */
	int number;           /* the sheet's items so far */
	int full_id;
};

static char *RESULTS[] = {"已办结", "核实无需更改", "无法办理", NULL};

/* A sheet is done: the drop-down of 办理结果, IDs as text, the filter. */
static void work_sheet_end(struct xlsx_split *sp)
{
	lxw_data_validation dv = {0};

	if (sp->row > sp->first_row) {
		dv.validate = LXW_VALIDATION_TYPE_LIST;
		dv.value_list = RESULTS;
		worksheet_data_validation_range(sp->ws, (lxw_row_t)sp->first_row, W_RESULT, (lxw_row_t)(sp->row - 1),
						W_RESULT, &dv);
		xlsx_text_ids(sp->ws, sp->first_row, sp->row - 1, W_ID, W_HOUSEHOLD);
		worksheet_autofilter(sp->ws, (lxw_row_t)(sp->first_row - 1), 0, (lxw_row_t)(sp->row - 1), NWORK - 1);
	}
}

/* A sheet opened: names of a household's members wrap rather than widen. */
static void work_sheet_start(struct xlsx_split *sp)
{
	struct work_state *s = sp->ctx;

	xlsx_column_cap(&sp->book, sp->ws, W_NAME, 16);
	s->number = 0;
}


/* Every county workbook starts with what the lists are and how to fill them in. */
static int work_instructions(struct xlsx_split *sp, struct bangfu_err *err)
{
	static const struct xlsx_column cols[] = {{"事项", 16}, {"说明", 100}};
	const struct work_state *s = sp->ctx;
	const char *period = sp->period;
	struct xlsx_book *b = &sp->book;
	int row, full_id = s->full_id;
	lxw_worksheet *ws = xlsx_sheet(b, "填表说明", "乡镇就业帮扶工作清单 说明", 0, cols, 2, &row);
	char text[512];

	(void)err;
	worksheet_set_column(ws, 1, 1, 100, b->text_wrap);
	snprintf(text, sizeof text,
		 "%s 扶贫系统名单与省平台比对后，需要乡镇办理的人员和家庭。每个乡镇一张表，按事项排列；办理后在黄色列填写"
		 "办理结果和备注，报县级人社部门。",
		 period);
	xlsx_note(b, ws, row++, "用途", text);
	xlsx_note(b, ws, row++, "未录入省平台", "扶贫系统名单中有、省平台没有的人：核实就业情况后在省平台录入。");
	xlsx_note(b, ws, row++, "信息不一致",
		  "两个系统都有但信息不同的人：“情况”列写明哪一项、扶贫系统是什么、省平台是什么（旧→新）。核实后更正错误的一方。");
	xlsx_note(b, ws, row++, "证件号码待更正",
		  "证件号码无效、无法比对的人；有“拟更正为”的，请对照身份证原件确认后更正，没有的请核实正确号码。"
		  "证件号码列和“拟更正为”之后的号码隐去同样的几位，但更正改动的那几位两处都显示，便于对照。");
	xlsx_note(b, ws, row++, "扶贫名单外人员", "省平台有、扶贫系统名单中没有的人：核实是否属于脱贫人口或监测对象。");
	xlsx_note(b, ws, row++, "零就业家庭",
		  "有劳动能力成员但全家无人就业的户（“一户一就业”）：了解就业意愿，推送岗位，帮助至少一人就业。");
	xlsx_note(b, ws, row++, "个人信息",
		  full_id ? "本清单含完整证件号码和电话，请妥善保管，不要外传。"
			  : "为保护个人信息，证件号码和联系电话中间几位已隐去；核对身份请以姓名、行政村和户编号为准。");
	return 0;
}

static void work_row(struct work_state *s, sqlite3_stmt *st, int full_id, struct strbuf *detail, struct strbuf *action)
{
	static const char *const kinds[] = {"", "未录入省平台", "信息不一致", "证件号码待更正", "扶贫名单外人员", "零就业家庭"};
	struct xlsx_book *b = &s->sp.book;
	int kind = sqlite3_column_int(st, Q_KIND);
	const char *id = col_text(st, Q_ID), *phone = col_text(st, Q_PHONE);
	char id_shown[128], phone_shown[128], proposed[128];

	if (full_id) {
		snprintf(id_shown, sizeof id_shown, "%s", id);
		snprintf(phone_shown, sizeof phone_shown, "%s", phone);
	} else {
		idno_mask(id, id_shown, sizeof id_shown);
		idno_mask_phone(phone, phone_shown, sizeof phone_shown);
	}
	strbuf_reset(detail);
	strbuf_reset(action);
	switch (kind) {
	case KIND_ROSTER_ONLY:
		strbuf_addstr(detail, "扶贫系统有此人，省平台没有记录");
		if (col_text(st, Q_D1)[0])
			strbuf_addf(detail, "；扶贫系统记录：是否已就业 %s%s%s", col_text(st, Q_D1),
				    col_text(st, Q_D2)[0] ? "，" : "", col_text(st, Q_D2));
		strbuf_addstr(action, "核实就业情况后在省平台录入");
		break;
	case KIND_CONFLICT:
		format_conflicts(col_text(st, Q_D1), detail, full_id);
		strbuf_addstr(action, "核实后更正错误的一方（扶贫系统或省平台）");
		break;
	case KIND_INVALID:
		strbuf_addf(detail, "证件号码%s，无法比对", id_status_label(col_text(st, Q_D1)));
		if (col_text(st, Q_D2)[0]) {
			/* The wrong ID and the repair masked alike, with the
			 * characters the repair changes shown in both. */
			if (full_id)
				snprintf(proposed, sizeof proposed, "%s", col_text(st, Q_D2));
			else
				idno_mask_pair(id, col_text(st, Q_D2), id_shown, sizeof id_shown, proposed, sizeof proposed);
			strbuf_addf(detail, "；拟更正为 %s（%s；%s）", proposed, repair_rule_label(col_text(st, Q_D3)),
				    col_text(st, Q_D4));
			strbuf_addstr(action, "对照身份证原件确认后更正证件号码");
		} else {
			strbuf_addstr(action, "核实正确的证件号码并更正");
		}
		break;
	case KIND_HR_ONLY:
		strbuf_addstr(detail, "省平台有此人，扶贫系统名单中没有");
		if (col_text(st, Q_D1)[0])
			strbuf_addf(detail, "；省平台就业状态 %s", col_text(st, Q_D1));
		strbuf_addstr(action, "核实是否属于脱贫人口或监测对象");
		break;
	case KIND_ZERO:
		strbuf_addf(detail, "全户 %lld 人，其中有劳动能力 %lld 人，均未就业", sqlite3_column_int64(st, Q_N1),
			    sqlite3_column_int64(st, Q_N2));
		strbuf_addstr(action, "了解就业意愿，推送岗位，帮助至少一人就业");
		break;
	default:
		break;
	}
	if (col_text(st, Q_OPENED)[0] && strcmp(col_text(st, Q_OPENED), s->sp.period) < 0)
		strbuf_addf(detail, "；自 %s 起挂单，尚未销号", col_text(st, Q_OPENED));
	xlsx_put_number(b, s->sp.ws, s->sp.row, W_NO, ++s->number, b->count);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_KIND, kind > 0 && kind <= KIND_ZERO ? kinds[kind] : "", b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_NAME, col_text(st, Q_NAME), b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_ID, id_shown, b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_PHONE, phone_shown, b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_VILLAGE, col_text(st, Q_VILLAGE), b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_HOUSEHOLD, col_text(st, Q_HOUSEHOLD), b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_DETAIL, strbuf_str(detail), b->text_wrap);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_ACTION, strbuf_str(action), b->text_wrap);
	worksheet_write_blank(s->sp.ws, (lxw_row_t)s->sp.row, W_RESULT, b->input);
	worksheet_write_blank(s->sp.ws, (lxw_row_t)s->sp.row, W_REMARK, b->input);
	s->sp.row++;
}

static int write_townships(struct report_ctx *c, struct outputs *outs, struct bangfu_err *err)
{
	const struct report_options *opt = c->opt;
	struct work_state s = {.full_id = opt->full_id};
	struct strbuf detail, action;
	sqlite3_stmt *st;
	int step, rc = -1;

	if (mkdir(opt->townships_dir, 0700) != 0 && errno != EEXIST)
		return bangfu_fail(err, ERR_INPUT, opt->townships_dir, 0, 0, "cannot_write",
				   "cannot create the directory: %s", strerror(errno));
	s.sp = (struct xlsx_split){.outs = outs, .dir = opt->townships_dir, .prefix = "乡镇工作清单",
				   .title = "就业帮扶工作清单", .period = opt->period, .cols = WORK_COLUMNS,
				   .ncols = NWORK, .on_book = work_instructions, .on_sheet = work_sheet_start,
				   .on_sheet_end = work_sheet_end, .ctx = &s};
	if (db_prepare(c->db, SQL_WORK, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	strbuf_init(&detail);
	strbuf_init(&action);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (xlsx_split_to(&s.sp, col_text(st, Q_CITY), col_text(st, Q_COUNTY), col_text(st, Q_TOWNSHIP), err) != 0)
			goto out;
		work_row(&s, st, opt->full_id, &detail, &action);
		c->sum->township_items++;
	}
	if (step != SQLITE_DONE) {
		db_fail(c->db, err, "reading the township lists");
		goto out;
	}
	rc = 0;
out:
	if (rc == 0) {
		rc = xlsx_split_close(&s.sp, err);
	} else {
		struct bangfu_err ignored;

		xlsx_split_close(&s.sp, &ignored);
	}
	c->sum->township_books = s.sp.books;
	sqlite3_finalize(st);
	strbuf_free(&detail);
	strbuf_free(&action);
	return rc;
}

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

/* ---- the same numbers as CSV (--csv DIR) ---- */

/* One CSV field (libcsv quotes it), then a comma or the line's end. */
static void csv_field(FILE *f, const char *s, int last)
{
	csv_fwrite(f, s, strlen(s));
	fputc(last ? '\n' : ',', f);
}

static void csv_number(FILE *f, double v, int last)
{
	char buf[64];

	if (isnan(v))
		buf[0] = '\0';
	else if (v == (double)(long long)v)
		snprintf(buf, sizeof buf, "%lld", (long long)v);
	else
		snprintf(buf, sizeof buf, "%.6f", v);
	fputs(buf, f); /* a number needs no quotes */
	fputc(last ? '\n' : ',', f);
}

/* UTF-8 with a byte-order mark, so that Excel opens the Chinese right. */
static FILE *csv_open(struct outputs *outs, const char *dir, const char *name, struct bangfu_err *err)
{
	char path[PATH_MAX];
	const char *tmp;
	FILE *f;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "the directory name is too long"), NULL;
	if (outputs_add(outs, path, &tmp, err) != 0)
		return NULL;
	f = fopen(tmp, "w");
	if (!f) {
		bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "cannot write: %s", strerror(errno));
		return NULL;
	}
	fputs("\xEF\xBB\xBF", f);
	return f;
}

static int csv_close(FILE *f, const char *name, struct bangfu_err *err)
{
	if (ferror(f) | (fclose(f) != 0))
		return bangfu_fail(err, ERR_INPUT, name, 0, 0, "cannot_write", "writing failed (is the disk full?)");
	return 0;
}

/* 总表: every area with its level and the 总表 columns, rates as fractions. */
static int csv_summary(struct report_ctx *c, struct outputs *outs, const char *dir, struct bangfu_err *err)
{
	static const char *const LEVEL[] = {"合计", "市州", "县市区", "乡镇"};
	FILE *f = csv_open(outs, dir, "总表.csv", err);

	if (!f)
		return -1;
	fputs("层级,市州,县市区,乡镇,", f);
	for (int k = C_AREA + 1; k < NSUMMARY; k++)
		csv_field(f, SUMMARY[k].label, k == NSUMMARY - 1);
	for (int i = 0; i < c->areas.n; i++) {
		const struct area *a = &c->areas.v[i];
		double nan = NAN;

		csv_field(f, LEVEL[a->level], 0);
		csv_field(f, a->level >= LEVEL_CITY && a->city ? a->city : "", 0);
		csv_field(f, a->level >= LEVEL_COUNTY && a->county ? a->county : "", 0);
		csv_field(f, a->level >= LEVEL_TOWNSHIP && a->township ? a->township : "", 0);
		for (int k = C_AREA + 1; k < NSUMMARY; k++) {
			double v;

			switch (k) {
			case C_LABOUR: v = (double)a->m[M_LABOUR]; break;
			case C_LABOUR_D: v = a->has_prev ? (double)(a->m[M_LABOUR] - a->prev[M_LABOUR]) : nan; break;
			case C_ENTERED: v = (double)a->m[M_ENTERED]; break;
			case C_ENTRY_RATE: v = ratio(a->m[M_ENTERED], a->m[M_LABOUR]); break;
			case C_ENTERED_D: v = a->has_prev ? (double)(a->m[M_ENTERED] - a->prev[M_ENTERED]) : nan; break;
			case C_EMPLOYED: v = (double)a->m[M_EMPLOYED]; break;
			case C_EMPLOYED_D: v = a->has_prev ? (double)(a->m[M_EMPLOYED] - a->prev[M_EMPLOYED]) : nan; break;
			case C_EMPLOY_RATE: v = ratio(a->m[M_EMPLOYED], a->m[M_LABOUR]); break;
			case C_OUT_PROVINCE: v = (double)a->m[M_OUT_PROVINCE]; break;
			case C_IN_PROVINCE: v = (double)a->m[M_IN_PROVINCE]; break;
			case C_IN_COUNTY: v = (double)a->m[M_IN_COUNTY]; break;
			case C_REGION_UNKNOWN: v = (double)a->m[M_REGION_UNKNOWN]; break;
			case C_PUBLIC_POST: v = (double)a->m[M_PUBLIC_POST]; break;
			case C_WORKSHOP: v = (double)a->m[M_WORKSHOP]; break;
			case C_UNEMPLOYED: v = (double)a->m[M_UNEMPLOYED]; break;
			case C_UNEMPLOYED_D:
				v = a->has_prev ? (double)(a->m[M_UNEMPLOYED] - a->prev[M_UNEMPLOYED]) : nan;
				break;
			case C_WILLING: v = (double)a->m[M_WILLING]; break;
			case C_RETURNED: v = (double)a->m[M_RETURNED]; break;
			case C_MATCH_RATE: v = ratio(a->m[M_CONSISTENT], a->m[M_CONSISTENT] + a->m[M_CONFLICT]); break;
			case C_CHECK_RATE: v = ratio(a->m[M_ACCURATE], a->m[M_ACCURATE] + a->m[M_INACCURATE]); break;
			case C_RECALIBRATE: v = a->m[M_DECIDED] > 0 ? (double)a->m[M_RECALIBRATE] : nan; break;
			case C_TARGET: v = a->target_rank ? (double)a->target : nan; break;
			case C_COMPLETION: v = a->target_rank ? (double)a->m[M_EMPLOYED] / a->target : nan; break;
			default: v = nan;
			}
			csv_number(f, v, k == NSUMMARY - 1);
		}
	}
	return csv_close(f, "总表.csv", err);
}

/* Another sheet's numbers: a query's rows under its own header. */
static int csv_query(struct report_ctx *c, struct outputs *outs, const char *dir, const char *name, const char *header,
		     const char *sql, struct bangfu_err *err)
{
	FILE *f = csv_open(outs, dir, name, err);
	sqlite3_stmt *st;
	int rc;

	if (!f)
		return -1;
	if (db_prepare(c->db, sql, &st, err) != 0) {
		fclose(f);
		return -1;
	}
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	fprintf(f, "%s\n", header);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int n = sqlite3_column_count(st);

		for (int k = 0; k < n; k++) {
			if (sqlite3_column_type(st, k) == SQLITE_FLOAT || sqlite3_column_type(st, k) == SQLITE_INTEGER)
				csv_number(f, sqlite3_column_double(st, k), k == n - 1);
			else
				csv_field(f, sqlite3_column_text(st, k) ? (const char *)sqlite3_column_text(st, k) : "",
					  k == n - 1);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fclose(f);
		return db_fail(c->db, err, name);
	}
	return csv_close(f, name, err);
}

static int write_csv(struct report_ctx *c, struct outputs *outs, struct bangfu_err *err)
{
	const char *dir = c->opt->csv_dir;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "cannot create the directory: %s",
				   strerror(errno));
	return csv_summary(c, outs, dir, err) ||
	       csv_query(c, outs, dir, "比对情况.csv",
			 "市州,县市区,人数,一致,不一致,仅扶贫系统,仅人社平台,证件号码无效,重复,扶贫系统行数,省平台行数",
			 "SELECT city, county, persons, consistent, conflict, roster_only, hr_only, invalid_id, duplicate,"
			 " roster_rows, hr_rows FROM v_county_summary WHERE period = ?1"
			 " ORDER BY bf_place_order(city, county), city, county",
			 err) ||
	       csv_query(c, outs, dir, "乡镇抽查.csv",
			 "市州,县市区,乡镇,抽查人数,已核查,准确,不准确,无法联系,准确率,区间下限,区间上限,结论,尚需核查",
			 "SELECT city, county, township, sampled, answered, accurate, inaccurate, unreachable, accuracy,"
			 " ci_low, ci_high, verdict_label, more_needed FROM v_township_check WHERE period = ?1"
			 " ORDER BY bf_place_order(city, county), city, county, township",
			 err) ||
	       csv_query(c, outs, dir, "零就业家庭.csv", "市州,县市区,零就业家庭户数,家庭成员人数,有劳动能力人数",
			 "SELECT city, county, count(*), sum(members), sum(able_members) FROM v_zero_household"
			 " WHERE period = ?1 GROUP BY city, county ORDER BY bf_place_order(city, county), city, county",
			 err)
		       ? -1
		       : 0;
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
	if (period_lookup(&c, err) != 0 || areas_load(db, opt->period, sum->previous_period, &c.areas, err) != 0)
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
	if (c.targets_file[0] && targets_apply(c.targets_file, opt->period, &c.areas, sum, err) != 0)
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
	formats_init(&c.book, &c.fmt);
	if (write_summary(&c, err) != 0 || write_compare(&c, err) != 0 || write_checks(&c, err) != 0 ||
	    write_zero(&c, err) != 0 || write_subsidies(&c, err) != 0 || write_trend(&c, err) != 0 ||
	    write_notes(&c, err) != 0)
		goto out;
	book_open = 0;
	if (xlsx_close(&c.book, err) != 0)
		goto out;
	if (opt->townships_dir && write_townships(&c, &outs, err) != 0)
		goto out;
	if (opt->csv_dir && write_csv(&c, &outs, err) != 0)
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
	areas_free(&c.areas);
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
			       "also write the numbers of 总表, 比对情况, 乡镇抽查 and 零就业家庭\n"
			       "as CSV (UTF-8 with BOM) into DIR"),
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
		"市州 with outline levels to 县市区 and 乡镇, 比对情况, 乡镇抽查, 零就业家庭, 趋势 and\n"
		"说明.  It holds no names or ID numbers.  With --townships, also one workbook per\n"
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
		msg_info("targets: %ld used of %ld rows", sum.targets_used, sum.targets_read);
	msg_info("wrote %s", opt.out_path);
	if (opt.townships_dir)
		msg_info("wrote %ld township workbooks (%ld items) to %s%s", sum.township_books, sum.township_items,
			 opt.townships_dir, opt.full_id ? " with whole ID numbers" : "");
out:
	db_close(db);
	return status;
}
