/* report_changes — the 本月变动 sheet of the progress report: what changed
 * since the previous reconciled period (etl/changes.c, the view
 * v_change_township), by 市州 → 县市区 → 乡镇 in outline levels under a 合计
 * row, in the look of 总表; and the rows it shows, which 本月变动.csv prints
 * too (report_csv.c).  ID corrections are a column of their own and in
 * neither 新增 nor 退出.  It holds no names or ID numbers. */
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "strbuf.h"

const struct report_column CHANGE_COLUMNS[NCHANGES] = {
	{"就业转失业", 10,
	 "上期已就业、本期未就业的人数。是否就业：已录入省平台的按省平台“就业状态”，未录入的按扶贫系统“是否已就业”"
	 "（同总表“已就业人数”）。"},
	{"新就业", 9, "上期未就业、本期已就业的人数（口径同上）。"},
	{"返乡回流", 9, "本期省平台“是否返乡回流”为“是”、上期不是（或上期省平台没有此人）的人数。"},
	{"新增", 9, "本期扶贫系统名单中有、上期名单中没有的证件号码人数（不含 ID 更正）。"},
	{"退出", 9, "上期扶贫系统名单中有、本期名单中没有的证件号码人数，按上期所在地统计（不含 ID 更正、ID 变无效）。"},
	{"ID更正", 9,
	 "上期名单中证件号码无效（或与本期号码只差一位、相邻两位颠倒），本期更正为有效号码的同一人："
	 "姓名相同、户编号相同（名单没有户编号时乡镇、村和出生日期相同），且该户没有另一个同名的人进出名单。"
	 "每人计 1 次，不计入新增、退出。"},
	{"ID变无效", 9, "上期证件号码有效、本期名单中变为无效号码的同一人（判断同上），不计入退出；须乡镇更正。"},
};

/* The columns of v_change_township, in the order of CHANGE_COLUMNS. */
static const char *const CHANGE_VIEW_COLUMN[NCHANGES] = {
	"became_unemployed", "newly_employed", "newly_returned", "new_in_roster",
	"gone_from_roster",  "id_corrected",   "id_damaged"};

void report_changes_free(struct change_areas *a)
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

/* Every township of the period (zeros where nothing changed) and every
 * place a change names (a township only the previous period had), summed
 * at each level in one statement; 合计 first, then places in GB/T 2260
 * order, each 市州 before its 县市区, each 县市区 before its 乡镇. */
static void build_changes_sql(struct strbuf *sql)
{
	static const char *const group[] = {"", " GROUP BY city", " GROUP BY city, county",
					    " GROUP BY city, county, township"};
	static const char *const names[] = {"NULL AS city, NULL AS county, NULL AS township", "city, NULL, NULL",
					    "city, county, NULL",
					    "city, county, township"};

	strbuf_addstr(sql, "WITH v AS MATERIALIZED (SELECT * FROM v_change_township WHERE period = ?1),"
			   " t AS (SELECT coalesce(city, '') AS city, coalesce(county, '') AS county,"
			   " coalesce(township, '') AS township FROM township_total WHERE period = ?1"
			   " UNION SELECT city, county, township FROM v),"
			   " c AS (SELECT t.city, t.county, t.township");
	for (int k = 0; k < NCHANGES; k++)
		strbuf_addf(sql, ", coalesce(v.%s, 0) AS %s", CHANGE_VIEW_COLUMN[k], CHANGE_VIEW_COLUMN[k]);
	strbuf_addstr(sql, " FROM t LEFT JOIN v ON v.city = t.city AND v.county = t.county AND v.township = t.township),"
			   " agg AS (");
	for (int level = 0; level < 4; level++) {
		if (level)
			strbuf_addstr(sql, " UNION ALL ");
		strbuf_addf(sql, "SELECT %d AS level, %s", level, names[level]);
		for (int k = 0; k < NCHANGES; k++)
			strbuf_addf(sql, ", sum(%s)", CHANGE_VIEW_COLUMN[k]);
		strbuf_addf(sql, " FROM c%s", group[level]);
	}
	strbuf_addstr(sql, ") SELECT * FROM agg ORDER BY level > 0, bf_place_order(nullif(city, ''), NULL), city,"
			   " county IS NOT NULL, bf_place_order(nullif(city, ''), nullif(county, '')), county,"
			   " township IS NOT NULL, township");
}

static char *dup_text(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL : xstrdup((const char *)sqlite3_column_text(st, col));
}

int report_changes_load(struct report_ctx *c, struct change_areas *out, struct bangfu_err *err)
{
	struct strbuf sql;
	sqlite3_stmt *st;
	int step;

	memset(out, 0, sizeof *out);
	if (!c->sum->previous_period[0])
		return 0; /* nothing to compare with */
	strbuf_init(&sql);
	build_changes_sql(&sql);
	step = db_prepare(c->db, strbuf_str(&sql), &st, err);
	strbuf_free(&sql);
	if (step != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct change_area *a;

		out->v = realloc(out->v, (size_t)(out->n + 1) * sizeof *out->v);
		if (!out->v)
			abort();
		a = &out->v[out->n++];
		a->level = sqlite3_column_int(st, 0);
		a->city = dup_text(st, 1);
		a->county = dup_text(st, 2);
		a->township = dup_text(st, 3);
		for (int k = 0; k < NCHANGES; k++)
			a->n[k] = (long)sqlite3_column_int64(st, 4 + k);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		report_changes_free(out);
		return db_fail(c->db, err, "reading the changes since the previous period");
	}
	return 0;
}

const char *report_change_area_name(const struct change_area *a)
{
	static const char *const empty[] = {"合计", "（未填市州）", "（未填县市区）", "（未填乡镇）"};
	const char *name = a->level == LEVEL_CITY ? a->city : a->level == LEVEL_COUNTY ? a->county : a->township;

	if (a->level == LEVEL_TOTAL)
		return "合计";
	return name && name[0] ? name : empty[a->level];
}

/* One row: the place, indented by level, and the counts; the outline as on
 * 总表 (市州 rows carry the "+" of their 县市区 and 乡镇). */
static void write_change_row(struct report_ctx *c, lxw_worksheet *ws, int row, const struct change_area *a)
{
	struct xlsx_book *b = &c->book;
	lxw_format *count = a->level == LEVEL_TOTAL ? b->total_count : b->count;

	xlsx_put_text(b, ws, row, 0, report_change_area_name(a), c->fmt.name[a->level]);
	for (int k = 0; k < NCHANGES; k++)
		xlsx_put_number(b, ws, row, 1 + k, (double)a->n[k], count);
	report_area_outline(c, ws, row, a->level);
}

int report_sheet_changes(struct report_ctx *c, struct bangfu_err *err)
{
	struct xlsx_book *b = &c->book;
	const char *prev = c->sum->previous_period;
	struct change_areas ca;
	struct strbuf note;
	lxw_worksheet *ws;
	char title[256];
	int first, row;

	if (prev[0])
		snprintf(title, sizeof title, "本月变动情况（%s，与 %s 相比）", c->opt->period, prev);
	else
		snprintf(title, sizeof title, "本月变动情况（%s）", c->opt->period);
	ws = report_area_sheet(c, "本月变动", title, 1, CHANGE_COLUMNS, NCHANGES, &first, err);
	if (!ws)
		return -1;
	if (!prev[0]) {
		char line[256];

		snprintf(line, sizeof line, "数据库中没有 %s 之前的已比对期次，无从比较：本期没有变动数。", c->opt->period);
		xlsx_put_merged(b, ws, first, 0, NCHANGES, line, b->total_text);
		return 0;
	}
	if (report_changes_load(c, &ca, err) != 0)
		return -1;
	row = first;
	for (int i = 0; i < ca.n; i++)
		write_change_row(c, ws, row++, &ca.v[i]);
	report_changes_free(&ca);
	row++;
	strbuf_init(&note);
	strbuf_addf(&note,
		    "注：与 %s（数据库中本期之前最近的已比对期次）相比，按人员所在地统计，退出的人按上期所在地；人数单位为人。"
		    "点左侧“+”可展开到县市区、乡镇。",
		    prev);
	for (int k = 0; k < NCHANGES; k++)
		strbuf_addf(&note, "%s：%s", CHANGE_COLUMNS[k].label, CHANGE_COLUMNS[k].definition);
	strbuf_addstr(&note, "逐人明细可用 sqlite3 查询视图 v_change。");
	xlsx_put_merged(b, ws, row, 0, NCHANGES, strbuf_str(&note), c->fmt.note);
	strbuf_free(&note);
	return 0;
}
