/* report_areas — the numbers of 总表: every township's measures of
 * v_township_progress (and the period before, for 环比) rolled up to county,
 * city and the province with GROUP BY, in official order; the targets of
 * templates/targets.csv applied to them; and what each column of 总表 is.
 * The rows are held in memory: one per township, which grows with the
 * province, not with the input files. */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "db.h"
#include "region.h"
#include "strbuf.h"
#include "tmpl.h"

/* ---- the measures of v_township_progress ---- */


static const char *const MEASURE_COLUMN[NMEASURES] = {
	"persons",   "labour",  "entered",  "employed",   "out_province", "in_province",
	"in_county", "region_unknown", "public_post", "workshop", "unemployed", "willing",   "returned",
	"consistent", "conflict", "accurate", "inaccurate", "checked",     "recalibrate", "decided",
	"population_unknown", "monitored_labour", "monitored_employed", "low_income_labour", "low_income_employed",
	"relocated_labour", "relocated_employed", "relocated_households", "relocated_households_employed",
	"key_townships", "key_listed"};

/* What a measure sums: its column of v_township_progress, or for decided
 * the townships whose check reached a verdict (达标 or 需重新校准), for the
 * key counties the townships of one (and those whose county is known to be
 * one or not: 0 while templates/key_counties.csv is empty). */
static const char *measure_expr(int m)
{
	return m == M_DECIDED ? "(verdict IN ('pass', 'recalibrate'))"
	       : m == M_KEY_COUNTY ? "coalesce(key_county, 0)"
	       : m == M_KEY_LISTED ? "(key_county IS NOT NULL)"
				   : MEASURE_COLUMN[m];
}




void report_areas_free(struct areas *a)
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

	strbuf_addstr(sql, "WITH t AS MATERIALIZED (SELECT v.*, q.population_unknown, q.monitored_labour,"
			   " q.monitored_employed, q.low_income_labour, q.low_income_employed, q.relocated_labour,"
			   " q.relocated_employed, q.relocated_households, q.relocated_households_employed, q.key_county"
			   " FROM v_township_progress v LEFT JOIN v_township_population q ON q.period = v.period"
			   " AND q.city = v.city AND q.county = v.county AND q.township = v.township"
			   " WHERE v.period IN (?1, ?2)),"
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

int report_areas_load(sqlite3 *db, const char *period, const char *previous, struct areas *out,
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
		report_areas_free(out);
		return db_fail(db, err, "reading the progress counts");
	}
	if (out->n > 1)
		qsort(out->v, (size_t)out->n, sizeof *out->v, area_compare);
	return 0;
}

const char *report_area_name(const struct area *a)
{
	static const char *const empty[] = {"合计", "（未填市州）", "（未填县市区）", "（未填乡镇）"};
	const char *name = a->level == LEVEL_CITY ? a->city : a->level == LEVEL_COUNTY ? a->county : a->township;

	if (a->level == LEVEL_TOTAL)
		return "合计";
	return name && name[0] ? name : empty[a->level];
}

double report_ratio(long num, long den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

/* The last component of a path: 说明 sheets name files, not where they lie
 * on the server. */
const char *report_file_name(const char *path)
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
static char *ALIAS_NOTE[] = {"note", "备注", "说明"};

/* A row the template ships as an example (note 示例…): it shows how rows
 * are written and is never applied, so that a province's report never
 * shows the demo's targets as its own. */
static int is_example(const char *note)
{
	while (*note == ' ')
		note++;
	return strncmp(note, "示例", strlen("示例")) == 0;
}

/* Read the targets of the period (its month or its year) and put each on the
 * row it names; a month's target wins over the year's.  Rows marked 示例 are
 * counted and skipped; a row of the period that names no place of the data
 * is counted, and the first is described, for the stage to warn about. */
int report_targets_apply(const char *path, const char *period, struct areas *areas, struct report_summary *sum,
			 struct bangfu_err *err)
{
	struct tmpl_column cols[5] = {
		{.field = "level", .label = "层级", .required = 1, .aliases = ALIAS_LEVEL, .naliases = 2},
		{.field = "area", .label = "地区", .required = 1, .aliases = ALIAS_AREA, .naliases = 2},
		{.field = "period", .label = "时段", .required = 1, .aliases = ALIAS_PERIOD, .naliases = 2},
		{.field = "target", .label = "目标任务", .required = 1, .aliases = ALIAS_TARGET, .naliases = 2},
		{.field = "note", .label = "备注", .required = 0, .aliases = ALIAS_NOTE, .naliases = 3},
	};
	struct tmpl_columns map = {cols, 5};
	struct csvin_options opt = {.columns = &map};
	struct csvin_row *row;
	struct csvin *in;
	int col[5], r;

	in = csvin_open(path, &opt, err);
	if (!in)
		return -1;
	for (int i = 0; i < 5; i++)
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
		if (col[4] >= 0 && is_example(row->fields[col[4]])) {
			sum->targets_examples++;
			continue;
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
		if (!matched && sum->targets_unmatched++ == 0)
			snprintf(sum->targets_unmatched_text, sizeof sum->targets_unmatched_text,
				 msg_tr("%s:%ld: %s %s (%s) names no place in %s's data"), report_file_name(path), row->line,
				 level, t.area[0] ? t.area : "(全省)", t.period, period);
		for (int i = 0; i < areas->n && matched; i++) {
			struct area *a = &areas->v[i];
			int rank = strlen(t.period) == 7 ? 2 : 1;

			if (!target_matches(&t, a))
				continue;
			if (a->target_rank == rank) {
				bangfu_fail(err, ERR_INPUT, path, row->line, col[1] + 1, "bad_targets",
					    "a second target for %s in %s (the first is on line %ld)", report_area_name(a),
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

/* The columns of 总表 and, for the 说明 sheet, what each number is, where it
 * comes from and why that source. */
const struct report_column SUMMARY[NSUMMARY] = {
	{"地区", 16,
	 "市州、县市区、乡镇。取扶贫系统名单所填的所在地（户籍地）；扶贫系统没有此人时取省平台所填。"
	 "点左侧的“+”展开到县市区、乡镇。"},
	{"脱贫劳动力人数", 9,
	 "扶贫系统名单中人员类别为脱贫人口（户类型为脱贫户，或未填）、有劳动能力（劳动能力不是“丧失劳动力”“无劳动力”）、"
	 "统计期末在劳动年龄内的人数：劳动年龄从 templates/policy.csv 的下限到本人的法定退休年龄（2025年1月1日起按出生年月"
	 "逐步延迟，templates/retirement_age.csv）；证件号码无效、无法判断年龄的按名单计入。监测对象、农村低收入人口不计入，"
	 "见“分人群”表；人员类别未填的计入，人数也见“分人群”表。来源：扶贫系统名单。"
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

/* The values of 总表, for the workbook and the CSV alike. */
double report_summary_value(const struct area *a, int k)
{
	double nan = NAN, v;

	switch (k) {
	case C_LABOUR: v = (double)a->m[M_LABOUR]; break;
	case C_LABOUR_D: v = a->has_prev ? (double)(a->m[M_LABOUR] - a->prev[M_LABOUR]) : nan; break;
	case C_ENTERED: v = (double)a->m[M_ENTERED]; break;
	case C_ENTRY_RATE: v = report_ratio(a->m[M_ENTERED], a->m[M_LABOUR]); break;
	case C_ENTERED_D: v = a->has_prev ? (double)(a->m[M_ENTERED] - a->prev[M_ENTERED]) : nan; break;
	case C_EMPLOYED: v = (double)a->m[M_EMPLOYED]; break;
	case C_EMPLOYED_D: v = a->has_prev ? (double)(a->m[M_EMPLOYED] - a->prev[M_EMPLOYED]) : nan; break;
	case C_EMPLOY_RATE: v = report_ratio(a->m[M_EMPLOYED], a->m[M_LABOUR]); break;
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
	case C_MATCH_RATE: v = report_ratio(a->m[M_CONSISTENT], a->m[M_CONSISTENT] + a->m[M_CONFLICT]); break;
	case C_CHECK_RATE: v = report_ratio(a->m[M_ACCURATE], a->m[M_ACCURATE] + a->m[M_INACCURATE]); break;
	case C_RECALIBRATE: v = a->m[M_DECIDED] > 0 ? (double)a->m[M_RECALIBRATE] : nan; break;
	case C_TARGET: v = a->target_rank ? (double)a->target : nan; break;
	case C_COMPLETION: v = a->target_rank ? (double)a->m[M_EMPLOYED] / a->target : nan; break;
	default: v = nan;
	}
	return v;
}
