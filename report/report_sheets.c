/* report_sheets — the leadership workbook of bangfu-report: 总表 (the
 * areas of report_areas.c, with outline levels and a chart), 比对情况,
 * 乡镇抽查, 零就业家庭, 补贴筛选 (when the period was screened), 趋势 and 说明, in
 * the house style of xlsx.c.  It holds no names, ID numbers or phones. */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "idno.h"
#include "labels.h"
#include "reconcile.h"
#include "sample.h"
#include "strbuf.h"
#include "tmpl.h"

/* ---- formats beyond the house set: indented names and signed changes ---- */


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

void report_formats_init(struct xlsx_book *b, struct report_formats *f)
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

/* ---- 总表 ---- */

static int population_sheet(struct report_ctx *c, struct bangfu_err *err);


static int is_delta(int k)
{
	return k == C_LABOUR_D || k == C_ENTERED_D || k == C_EMPLOYED_D || k == C_UNEMPLOYED_D;
}

static int is_rate(int k)
{
	return k == C_ENTRY_RATE || k == C_EMPLOY_RATE || k == C_MATCH_RATE || k == C_CHECK_RATE || k == C_COMPLETION;
}

/* A row of 总表: the values of report_summary_value(), as the CSV has them;
 * what has no value ("—") is not 0. */
static void write_summary_row(struct report_ctx *c, lxw_worksheet *ws, int row, const struct area *a)
{
	struct xlsx_book *b = &c->book;
	int total = a->level == LEVEL_TOTAL;
	lxw_format *count = total ? b->total_count : b->count, *rate = total ? b->total_rate : b->rate;
	lxw_format *delta = total ? c->fmt.total_delta : c->fmt.delta;

	xlsx_put_text(b, ws, row, C_AREA, report_area_name(a), c->fmt.name[a->level]);
	for (int k = C_AREA + 1; k < NSUMMARY; k++) {
		double v = report_summary_value(a, k);
		lxw_format *f = is_delta(k) ? delta : count;

		if (is_rate(k))
			xlsx_put_rate(b, ws, row, k, v, rate);
		else if (isnan(v))
			xlsx_put_text(b, ws, row, k, "—", f);
		else
			xlsx_put_number(b, ws, row, k, v, f);
	}
	report_area_outline(c, ws, row, a->level);
}

lxw_worksheet *report_area_sheet(struct report_ctx *c, const char *name, const char *title, int place,
				 const struct report_column *measures, int n, int *first, struct bangfu_err *err)
{
	struct xlsx_column *cols = xcalloc((size_t)n + 1, sizeof *cols);
	lxw_worksheet *ws;

	if (place)
		cols[0] = (struct xlsx_column){"地区", 16};
	for (int k = 0; k < n; k++)
		cols[place + k] = (struct xlsx_column){measures[k].label, measures[k].width};
	ws = xlsx_sheet(&c->book, name, title, 1, cols, place + n, first);
	free(cols);
	if (!ws) {
		bangfu_fail(err, ERR_INTERNAL, c->book.path, 0, 0, "xlsx", "cannot add the sheet %s", name);
		return NULL;
	}
	worksheet_freeze_panes(ws, (lxw_row_t)*first, 1);
	worksheet_outline_settings(ws, LXW_TRUE, LXW_FALSE, LXW_TRUE, LXW_FALSE);
	return ws;
}

/* Outline: 市州 rows carry the collapse button for their 县市区 and 乡镇
 * (summary rows above their detail, see worksheet_outline_settings), open
 * as far as --expand says.  Every sheet by area shares it. */
void report_area_outline(struct report_ctx *c, lxw_worksheet *ws, int row, int level)
{
	struct xlsx_book *b = &c->book;

	switch (level) {
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

int report_sheet_summary(struct report_ctx *c, struct bangfu_err *err)
{
	lxw_worksheet *ws;
	char title[256];
	int first, row, cities = 0, last;

	snprintf(title, sizeof title, "就业帮扶工作进度报表（%s）", c->opt->period);
	ws = report_area_sheet(c, "总表", title, 0, SUMMARY, NSUMMARY, &first, err);
	if (!ws)
		return -1;
	xlsx_row_height(&c->book, ws, 2, 40);
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
			xlsx_put_text(&c->book, ws, row, 0, report_area_name(a), c->book.text);
			xlsx_put_rate(&c->book, ws, row, 1, report_ratio(a->m[M_EMPLOYED], a->m[M_LABOUR]), c->book.rate);
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
	return population_sheet(c, err);
}

/* ---- 分人群: the headline numbers by population ---- */

enum { P_AREA, P_EXITED, P_EXITED_EMPLOYED, P_EXITED_RATE, P_UNKNOWN, P_MONITORED, P_MONITORED_EMPLOYED,
       P_MONITORED_RATE, P_LOW_INCOME, P_LOW_INCOME_EMPLOYED, P_LOW_INCOME_RATE, P_RELOCATED, P_RELOCATED_EMPLOYED,
       P_RELOCATED_RATE, P_HOUSEHOLDS, P_HOUSEHOLDS_EMPLOYED, P_HOUSEHOLDS_RATE, NPOPULATION };

static const struct report_column POPULATION[NPOPULATION] = {
	{"地区", 16, NULL},
	{"脱贫劳动力人数", 9, "同总表：人员类别为脱贫人口（或未填）、有劳动能力、在劳动年龄内的扶贫系统名单人员。"},
	{"其中：已就业", 8, "同总表“已就业人数”。"},
	{"就业率", 8, "已就业 ÷ 脱贫劳动力人数。"},
	{"其中：人员类别未填", 9,
	 "脱贫劳动力中扶贫系统“户类型”（人员类型）未填或写法不在 templates/population_values.csv 里的人数：按脱贫人口计入；"
	 "请在名单中补填，或把写法补到模板。"},
	{"监测对象劳动力人数", 9,
	 "扶贫系统名单中人员类别为防止返贫监测对象（脱贫不稳定户、边缘易致贫户、突发严重困难户）、有劳动能力、在劳动年龄内的人数。"
	 "不计入脱贫劳动力（湘人社规〔2021〕10号的政策多数只写“脱贫人口”，个别写明“含监测帮扶对象”）。"},
	{"其中：已就业", 8, "监测对象劳动力中已就业的人数（口径同总表“已就业人数”）。"},
	{"就业率", 8, "已就业 ÷ 监测对象劳动力人数。"},
	{"农村低收入人口劳动力人数", 10, "扶贫系统名单中人员类别为农村低收入人口、有劳动能力、在劳动年龄内的人数。"},
	{"其中：已就业", 8, "农村低收入人口劳动力中已就业的人数。"},
	{"就业率", 8, "已就业 ÷ 农村低收入人口劳动力人数。"},
	{"易地搬迁劳动力人数", 9, "上述各类人员中“是否易地搬迁”为“是”、有劳动能力、在劳动年龄内的人数。"},
	{"其中：已就业", 8, "易地搬迁劳动力中已就业的人数。"},
	{"就业率", 8, "已就业 ÷ 易地搬迁劳动力人数。"},
	{"搬迁家庭户数", 9,
	 "易地扶贫搬迁家庭中至少有一名有劳动能力、在劳动年龄内、已就业或有就业意愿的成员的户数（按户编号，计入户内第一名成员所在乡镇）。"
	 "湘人社函〔2020〕58号四（二）3（3）：“确保每个搬迁家庭至少有一名有劳动能力且有就业意愿的贫困劳动力实现就业”，"
	 "所以分母是有这样成员的搬迁家庭，不是全部家庭。"},
	{"其中：至少一人就业", 9, "上述搬迁家庭中至少有一名这样的成员已就业（任一系统记为已就业）的户数。"},
	{"搬迁家庭就业率", 9, "至少一人就业的户数 ÷ 搬迁家庭户数；目标是 100%，低于 100% 标红。"},
};

static double population_value(const struct area *a, int k)
{
	switch (k) {
	case P_EXITED: return (double)a->m[M_LABOUR];
	case P_EXITED_EMPLOYED: return (double)a->m[M_EMPLOYED];
	case P_EXITED_RATE: return report_ratio(a->m[M_EMPLOYED], a->m[M_LABOUR]);
	case P_UNKNOWN: return (double)a->m[M_POPULATION_UNKNOWN];
	case P_MONITORED: return (double)a->m[M_MONITORED_LABOUR];
	case P_MONITORED_EMPLOYED: return (double)a->m[M_MONITORED_EMPLOYED];
	case P_MONITORED_RATE: return report_ratio(a->m[M_MONITORED_EMPLOYED], a->m[M_MONITORED_LABOUR]);
	case P_LOW_INCOME: return (double)a->m[M_LOW_INCOME_LABOUR];
	case P_LOW_INCOME_EMPLOYED: return (double)a->m[M_LOW_INCOME_EMPLOYED];
	case P_LOW_INCOME_RATE: return report_ratio(a->m[M_LOW_INCOME_EMPLOYED], a->m[M_LOW_INCOME_LABOUR]);
	case P_RELOCATED: return (double)a->m[M_RELOCATED_LABOUR];
	case P_RELOCATED_EMPLOYED: return (double)a->m[M_RELOCATED_EMPLOYED];
	case P_RELOCATED_RATE: return report_ratio(a->m[M_RELOCATED_EMPLOYED], a->m[M_RELOCATED_LABOUR]);
	case P_HOUSEHOLDS: return (double)a->m[M_RELOCATED_HOUSEHOLDS];
	case P_HOUSEHOLDS_EMPLOYED: return (double)a->m[M_RELOCATED_HOUSEHOLDS_EMPLOYED];
	case P_HOUSEHOLDS_RATE:
		return report_ratio(a->m[M_RELOCATED_HOUSEHOLDS_EMPLOYED], a->m[M_RELOCATED_HOUSEHOLDS]);
	}
	return NAN;
}

static int population_is_rate(int k)
{
	return k == P_EXITED_RATE || k == P_MONITORED_RATE || k == P_LOW_INCOME_RATE || k == P_RELOCATED_RATE ||
	       k == P_HOUSEHOLDS_RATE;
}

static void population_row(struct report_ctx *c, lxw_worksheet *ws, int row, const struct area *a, const char *name)
{
	struct xlsx_book *b = &c->book;
	int total = a->level == LEVEL_TOTAL;

	xlsx_put_text(b, ws, row, P_AREA, name, c->fmt.name[a->level]);
	for (int k = P_AREA + 1; k < NPOPULATION; k++) {
		double v = population_value(a, k);

		if (population_is_rate(k))
			xlsx_put_rate(b, ws, row, k, v, total ? b->total_rate : b->rate);
		else
			xlsx_put_number(b, ws, row, k, v, total ? b->total_count : b->count);
	}
}

/* 分人群: each area's 脱贫劳动力, 监测对象, 农村低收入人口 and 易地搬迁 labour
 * and the relocated households, under the 合计 the rows of the key counties
 * (乡村振兴重点帮扶县) when templates/key_counties.csv lists any. */
static int population_sheet(struct report_ctx *c, struct bangfu_err *err)
{
	struct area key = {.level = LEVEL_TOTAL};
	long listed = 0;
	lxw_worksheet *ws;
	char title[256], note[1024];
	int first, row;

	snprintf(title, sizeof title, "就业帮扶工作进度 分人群（%s）", c->opt->period);
	ws = report_area_sheet(c, "分人群", title, 0, POPULATION, NPOPULATION, &first, err);
	if (!ws)
		return -1;
	xlsx_row_height(&c->book, ws, 2, 40);
	for (int i = 0; i < c->areas.n; i++) {
		const struct area *a = &c->areas.v[i];

		if (a->level == LEVEL_TOTAL)
			listed = a->m[M_KEY_LISTED];
		if (a->level != LEVEL_TOWNSHIP || !a->m[M_KEY_COUNTY])
			continue;
		for (int m = 0; m < NMEASURES; m++)
			key.m[m] += a->m[m];
	}
	row = first;
	for (int i = 0; i < c->areas.n; i++) {
		const struct area *a = &c->areas.v[i];

		population_row(c, ws, row, a, report_area_name(a));
		switch (a->level) {
		case LEVEL_CITY:
			xlsx_row_outline(&c->book, ws, row, 0, 0, c->opt->expand == REPORT_EXPAND_CITY);
			break;
		case LEVEL_COUNTY:
			xlsx_row_outline(&c->book, ws, row, 1, c->opt->expand == REPORT_EXPAND_CITY,
					 c->opt->expand != REPORT_EXPAND_TOWNSHIP);
			break;
		case LEVEL_TOWNSHIP:
			xlsx_row_outline(&c->book, ws, row, 2, c->opt->expand != REPORT_EXPAND_TOWNSHIP, 0);
			break;
		default:
			break;
		}
		row++;
		if (a->level == LEVEL_TOTAL && listed)
			population_row(c, ws, row++, &key, "其中：乡村振兴重点帮扶县");
	}
	xlsx_flag_below(&c->book, ws, first, row - 1, P_HOUSEHOLDS_RATE, 1.0);
	row++;
	snprintf(note, sizeof note,
		 "注：人数单位为人，搬迁家庭单位为户。脱贫劳动力不含监测对象和农村低收入人口，三类人员分列；易地搬迁劳动力包括各类人员中"
		 "易地扶贫搬迁的。%s人员类别、是否易地搬迁按扶贫系统名单（写法见 templates/population_values.csv）。各列口径见“说明”表。",
		 listed ? "“其中：乡村振兴重点帮扶县”为 templates/key_counties.csv 所列县的乡镇之和。"
			: "乡村振兴重点帮扶县名单（templates/key_counties.csv）未填，不单列重点帮扶县。");
	note_line(&c->book, ws, &c->fmt, row, NPOPULATION - 1, note);
	return 0;
}

/* ---- 比对情况 ---- */

/* The tables the workbook and --csv both print: one query, one list of
 * columns each. */

enum { K_CITY, K_COUNTY, K_ROSTER_ROWS, K_HR_ROWS, K_PERSONS, K_CONSISTENT, K_CONFLICT, K_ROSTER_ONLY, K_HR_ONLY,
       K_INVALID, K_DUPLICATE, K_REPAIRS, K_TOP, NCOMPARE };

static const struct xlsx_column COMPARE_COLUMNS[NCOMPARE] = {
	{"市州", 12},     {"县市区", 12},      {"扶贫系统行数", 9}, {"人社平台行数", 9}, {"比对人员数", 9},
	{"一致", 8},      {"不一致", 8},       {"仅扶贫系统（未录入省平台）", 12}, {"仅人社平台", 9},
	{"证件号码无效", 9}, {"重复", 7},       {"拟修正证件号码", 9}, {"主要不一致项（前三）", 34}};

const struct report_table REPORT_COMPARE = {
	"比对情况",
	"SELECT city, county, roster_rows, hr_rows, persons, consistent, conflict, roster_only, hr_only, invalid_id,"
	" duplicate, repairs, top_conflicts FROM v_report_compare WHERE period = ?1"
	" ORDER BY bf_place_order(city, county), city, county",
	COMPARE_COLUMNS, NCOMPARE};

enum { T_CITY, T_COUNTY, T_TOWNSHIP, T_SAMPLED, T_ANSWERED, T_ACCURATE, T_INACCURATE, T_UNREACHABLE, T_ACCURACY,
       T_LOW, T_HIGH, T_VERDICT, T_MORE, NCHECK };

static const struct xlsx_column CHECK_COLUMNS[NCHECK] = {
	{"市州", 12}, {"县市区", 12}, {"乡镇", 14}, {"抽查人数", 8}, {"已返回结果", 8}, {"准确", 7},
	{"不准确", 7}, {"无法联系", 8}, {"抽查准确率", 9}, {"准确率区间下限", 9}, {"准确率区间上限", 9},
	{"结论", 12}, {"尚需核查人数", 8}};

const struct report_table REPORT_CHECKS = {
	"乡镇抽查",
	"SELECT city, county, township, sampled, answered, accurate, inaccurate, unreachable, accuracy, ci_low,"
	" ci_high, verdict_label, more_needed FROM v_township_check WHERE period = ?1"
	" ORDER BY bf_place_order(city, county), city, county, township",
	CHECK_COLUMNS, NCHECK};

enum { Z_CITY, Z_COUNTY, Z_HOUSEHOLDS, Z_TOWNSHIPS, Z_MEMBERS, Z_ABLE, N_ZERO_COLUMNS };

static const struct xlsx_column ZERO_COLUMNS[N_ZERO_COLUMNS] = {
	{"市州", 12}, {"县市区", 12}, {"零就业家庭户数", 10}, {"涉及乡镇数", 9}, {"家庭成员人数", 10},
	{"其中有劳动能力人数", 12}};

const struct report_table REPORT_ZERO = {
	"零就业家庭",
	"SELECT city, county, households, townships, members, able_members FROM v_report_zero WHERE period = ?1"
	" ORDER BY bf_place_order(city, county), city, county",
	ZERO_COLUMNS, N_ZERO_COLUMNS};

/* Rows loaded and rejected per source for the period (v_source_file): the
 * two that make the persons (service records and the like are not theirs). */
struct loaded {
	long read[2], loaded[2], rejected[2], files[2];
};

static int loaded_rows(struct report_ctx *c, struct loaded *l, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	memset(l, 0, sizeof *l);
	if (db_prepare(c->db, "SELECT source = 'hr', count(*), sum(rows_read), sum(rows_loaded), sum(rows_rejected)"
			      " FROM v_source_file WHERE period = ?1 AND source IN ('roster', 'hr') GROUP BY source",
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

int report_sheet_compare(struct report_ctx *c, struct bangfu_err *err)
{
	struct xlsx_book *b = &c->book;
	struct loaded l;
	sqlite3_stmt *st;
	lxw_worksheet *ws;
	long totals[NCOMPARE] = {0};
	char title[256], note[1024];
	int first, row, step;

	snprintf(title, sizeof title, "扶贫系统与省平台比对情况（%s）", c->opt->period);
	ws = xlsx_sheet(b, REPORT_COMPARE.name, title, 1, COMPARE_COLUMNS, NCOMPARE, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 比对情况");
	xlsx_row_height(b, ws, 2, 40);
	if (db_prepare(c->db, REPORT_COMPARE.select, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
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
		xlsx_put_text(b, ws, row, K_TOP,
			      sqlite3_column_text(st, K_TOP) ? (const char *)sqlite3_column_text(st, K_TOP) : "—",
			      b->text_wrap);
		row++;
	}
	sqlite3_finalize(st);
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

int report_sheet_checks(struct report_ctx *c, struct bangfu_err *err)
{
	struct xlsx_book *b = &c->book;
	lxw_worksheet *ws;
	sqlite3_stmt *st;
	char title[256], note[1024];
	int first, row, step, answered = 0;

	snprintf(title, sizeof title, "乡镇抽查核实情况（%s）", c->opt->period);
	ws = xlsx_sheet(b, REPORT_CHECKS.name, title, 1, CHECK_COLUMNS, NCHECK, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 乡镇抽查");
	row = first;
	if (c->sum->checked) {
		if (db_prepare(c->db, REPORT_CHECKS.select, &st, err) != 0)
			return -1;
		sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *verdict = (const char *)sqlite3_column_text(st, T_VERDICT);
			int flagged = verdict && !strcmp(verdict, label_of("verdict", "recalibrate"));

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
			xlsx_put_text(b, ws, row, T_VERDICT, verdict ? verdict : "—", flagged ? b->flag : b->text);
			xlsx_put_number(b, ws, row, T_MORE, (double)sqlite3_column_int64(st, T_MORE), b->count);
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
		snprintf(formula, sizeof formula, "=$%c%d=\"%s\"", 'A' + T_VERDICT, first + 1,
			 label_of("verdict", "recalibrate"));
		cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
		cf.value_string = formula;
		cf.format = b->rate_bad;
		worksheet_conditional_format_range(ws, (lxw_row_t)first, 0, (lxw_row_t)(row - 1), NCHECK - 1, &cf);
		xlsx_flag_below(b, ws, first, row - 1, T_ACCURACY, c->threshold);
		xlsx_autofilter(b, ws, first - 1, 0, row - 1, NCHECK - 1);
	}
	row++;
	if (c->sum->checked && !answered)
		note_line(&c->book, ws, &c->fmt, row++, NCHECK - 1,
			  "已抽样，但还没有载入乡镇返回的抽查核实表（bangfu-verify），结论均为“待补充核查”。");
	snprintf(note, sizeof note,
		 "抽查准确率＝准确 ÷（准确＋不准确），无法联系的不计。准确率低于 %.0f%% 的乡镇须重新开展信息校准"
		 "（湘人社函〔2020〕58号），标红；有效核查人数不足以下结论的为“待补充核查”，“尚需核查人数”是还要返回多少个有效结果（准确或不准确）才能下结论。区间为准确率的 Wilson 置信区间："
		 "区间上限也低于阈值的，几乎可以肯定需要重新校准；区间跨过阈值的，结论受抽样误差影响。抽样方案见“说明”表。",
		 c->threshold * 100);
	note_line(&c->book, ws, &c->fmt, row, NCHECK - 1, note);
	return 0;
}

/* ---- 零就业家庭 ---- */

int report_sheet_zero(struct report_ctx *c, struct bangfu_err *err)
{
	struct xlsx_book *b = &c->book;
	lxw_worksheet *ws;
	sqlite3_stmt *st;
	long totals[6] = {0};
	char title[256];
	int first, row, step;

	snprintf(title, sizeof title, "零就业家庭情况（%s）", c->opt->period);
	ws = xlsx_sheet(b, REPORT_ZERO.name, title, 1, ZERO_COLUMNS, N_ZERO_COLUMNS, &first);
	if (!ws)
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "cannot add the sheet 零就业家庭");
	xlsx_row_height(b, ws, 2, 40);
	if (db_prepare(c->db, REPORT_ZERO.select, &st, err) != 0)
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

int report_sheet_subsidies(struct report_ctx *c, struct bangfu_err *err)
{
	static const struct xlsx_column cols[] = {{"市州", 12},       {"补贴项目", 22},       {"政策依据", 26},
						  {"符合人数", 9},     {"符合金额（元）", 12}, {"待核实人数", 10},
						  {"待核实金额（元）", 13}, {"候选人数", 9}};
	struct xlsx_book *b = &c->book;
	lxw_worksheet *ws;
	sqlite3_stmt *st;
	char title[256], basis[PATH_MAX + 1024], run_at[32] = "", rules[PATH_MAX] = "";
	double totals[8] = {0};
	int first, row, step, ran = 0;

	if (db_prepare(c->db, "SELECT run_at, rules_file FROM screen_run WHERE period = ?1", &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ran = 1;
		snprintf(run_at, sizeof run_at, "%s", (const char *)sqlite3_column_text(st, 0));
		/* the file's name: where it lies on the server is nobody's business here */
		snprintf(rules, sizeof rules, "%s", report_file_name((const char *)sqlite3_column_text(st, 1)));
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
       R_CHECK_RATE, R_ZERO, R_SERVICES, NTREND = R_SERVICES + NTREND_SERVICES };

struct trend_totals {
	long labour, entered, employed, returned, consistent, conflict, accurate, inaccurate, zero;
};

static void trend_row(struct xlsx_book *b, lxw_worksheet *ws, int row, const char *period, const struct trend_totals *t)
{
	static const int rate_cols[] = {R_ENTRY_RATE, R_EMPLOY_RATE, R_MATCH_RATE, R_CHECK_RATE};
	double rates[4] = {report_ratio(t->entered, t->labour), report_ratio(t->employed, t->labour),
			   report_ratio(t->consistent, t->consistent + t->conflict), report_ratio(t->accurate, t->accurate + t->inaccurate)};

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

int report_sheet_trend(struct report_ctx *c, struct bangfu_err *err)
{
	static const struct xlsx_column cols[NTREND] = {
		{"统计时段", 10}, {"脱贫劳动力人数", 10}, {"省平台录入人数", 10}, {"录入率", 8}, {"已就业人数", 10},
		{"就业率", 8},    {"返乡回流人数", 9},    {"比对一致率", 8},      {"抽查准确率", 8}, {"零就业家庭户数", 9},
		/* report_services.c writes these */
		{"“311”覆盖率", 9}, {"每周推送率（返乡）", 9}, {"每周推送率（未就业有意愿）", 11}, {"人岗匹配成功率", 9}};
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
		trend_row(b, ws, row, (const char *)sqlite3_column_text(st, 0), &t);
		if (report_trend_services(c, ws, row++, (const char *)sqlite3_column_text(st, 0), R_SERVICES, err) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
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
		trend_row(b, ws, row, c->opt->period, &t);
		if (report_trend_services(c, ws, row++, c->opt->period, R_SERVICES, err) != 0)
			return -1;
		break;
	}
	note_line(&c->book, ws, &c->fmt, row + 1, NTREND - 1,
		  "每个已比对（bangfu-reconcile）的统计时段一行，口径同“总表”合计行。抽查准确率空白表示该期未抽查或未返回结果；"
		  "“311”覆盖率、每周推送率、人岗匹配成功率同“就业服务”表合计行，空白表示该期没有就业服务记录。");
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
	if (s && !strcmp(s, "service"))
		return "就业服务记录";
	if (s && !strcmp(s, "ledger"))
		return "务工情况电子台账";
	if (s && !strcmp(s, "posts"))
		return "公益性岗位花名册";
	return s && !strcmp(s, "hr") ? "省平台（人社）导出" : "扶贫系统名单";
}

int report_sheet_notes(struct report_ctx *c, struct bangfu_err *err)
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
			    report_file_name((const char *)sqlite3_column_text(st, 1)), (const char *)sqlite3_column_text(st, 2),
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
			    report_file_name((const char *)sqlite3_column_text(st, 0)), (const char *)sqlite3_column_text(st, 1),
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
	if (c->targets_file[0]) {
		int n = snprintf(buf, sizeof buf, "%s：本期用到 %ld 条目标（文件共 %ld 条）",
				 report_file_name(c->targets_file), c->sum->targets_used,
				 c->sum->targets_read);

		if (c->sum->targets_unmatched && n > 0 && (size_t)n < sizeof buf)
			n += snprintf(buf + n, sizeof buf - n, "；%ld 条所写地区不在本期数据中，未用",
				      c->sum->targets_unmatched);
		if (c->sum->targets_examples && n > 0 && (size_t)n < sizeof buf)
			snprintf(buf + n, sizeof buf - n, "；%ld 条标为“示例”的行未用（请换成本地下达的目标）",
				 c->sum->targets_examples);
	} else
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
	for (int i = 1; i < NPOPULATION; i++) {
		char label[96];

		snprintf(label, sizeof label, "分人群：%s", POPULATION[i].label);
		xlsx_note(b, ws, row++, label, POPULATION[i].definition);
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
