/* screen — see screen.h.  The stage: the period's persons from the
 * database through every rule in force (screen_rules.c, screen_eval.c) into
 * subsidy_candidate, in one transaction replacing the period; the county
 * workbooks (xlsx_split) and the province summary; the command. */
#include "screen_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bangfu.h"
#include "cli.h"
#include "db.h"
#include "dbread.h"
#include "idno.h"
#include "labels.h"
#include "outputs.h"
#include "strbuf.h"
#include "tmpl.h"
#include "xlsx.h"

#define DEFAULT_RULES "subsidy_rules.csv"

/* ---- the stage: database ---- */

static const char *col_or_empty(sqlite3_stmt *st, int c)
{
	const char *s = (const char *)sqlite3_column_text(st, c);

	return s ? s : "";
}

static int record_run(sqlite3 *db, const struct screen_options *opt, const struct screen_rules *rules,
		      const int *in_force, const struct screen_summary *sum, struct bangfu_err *err)
{
	struct strbuf ids;
	sqlite3_stmt *st;
	char now[32];
	int rc;

	strbuf_init(&ids);
	for (int i = 0; i < rules->n; i++)
		if (in_force[i])
			strbuf_addf(&ids, "%s%s", ids.len ? "," : "", rules->v[i].id);
	db_now_iso(now);
	if (db_prepare(db,
		       "INSERT INTO screen_run (period, run_at, rules_file, rules_in_force, persons, candidates,"
		       " eligible, to_verify) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		       &st, err) != 0) {
		strbuf_free(&ids);
		return -1;
	}
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, rules->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, strbuf_str(&ids), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, sum->persons);
	sqlite3_bind_int64(st, 6, sum->candidates);
	sqlite3_bind_int64(st, 7, sum->eligible);
	sqlite3_bind_int64(st, 8, sum->to_verify);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	strbuf_free(&ids);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "recording the run");
}

/* ---- the stage: files written under temporary names ---- */

/* ---- the stage: county workbooks ---- */

enum { W_NO, W_VILLAGE, W_NAME, W_ID, W_SUBSIDY, W_BASIS, W_RECIPIENT, W_EMPLOYER, W_EVIDENCE, W_AMOUNT, W_STANDARD,
       W_STATUS, W_REASON, NW };

static const struct xlsx_column COUNTY_COLUMNS[NW] = {
	{"序号", 6},          {"行政村", 12},         {"姓名", 9},       {"证件号码", 21},     {"补贴项目", 16},
	{"政策依据", 20},     {"发放对象", 10},       {"就业单位", 20},  {"符合条件的数据", 46}, {"金额（元）", 10},
	{"补贴标准", 16},     {"状态", 8},            {"待核实事项", 40}};

static const char SQL_LIST[] =
	"SELECT coalesce(city, ''), coalesce(county, ''), coalesce(township, ''), village, name, id_number, subsidy,"
	" document || ' ' || article, recipient, employer, evidence, amount, standard, status, reason"
	" FROM subsidy_candidate WHERE period = ?1 AND list_level = 'county'"
	" ORDER BY city, county, township, coalesce(village, ''), name, id_number, rule_order";

/* The candidates of subsidies paid from the funds of 用人单位所在地 whose
 * employer is elsewhere in Hunan: the province's list, one workbook, a
 * sheet per home county (the township column says which township). */
static const char SQL_PROVINCE_LIST[] =
	"SELECT '省级统筹', '外县用人单位', coalesce(city, '') || coalesce(county, ''),"
	" coalesce(township, '') || coalesce(village, ''), name, id_number, subsidy,"
	" document || ' ' || article, recipient, employer, evidence, amount, standard, status, reason"
	" FROM subsidy_candidate WHERE period = ?1 AND list_level = 'province'"
	" ORDER BY city, county, township, coalesce(village, ''), name, id_number, rule_order";

enum { L_CITY, L_COUNTY, L_TOWNSHIP, L_VILLAGE, L_NAME, L_ID, L_SUBSIDY, L_BASIS, L_RECIPIENT, L_EMPLOYER,
       L_EVIDENCE, L_AMOUNT, L_STANDARD, L_STATUS, L_REASON };

struct county_state {
	struct xlsx_split sp;     /* the county workbooks and township sheets */
	int number;               /* the sheet's rows so far */
	long eligible, to_verify; /* the sheet's rows of each status */
	double amount;            /* the sheet's amounts added up */
	const struct screen_options *opt;
	const struct screen_rules *rules;
	const int *in_force;
	int province;             /* the province's list of employers elsewhere in Hunan */
};

/* A sheet is done: 合计 under the list (outside its filter), IDs as text,
 * the filter, 待核实 flagged. */
static void county_sheet_end(struct xlsx_split *sp)
{
	struct county_state *s = sp->ctx;

	if (sp->row > sp->first_row) {
		struct xlsx_book *b = &sp->book;
		lxw_conditional_format cf = {0};
		char total[256];

		snprintf(total, sizeof total, "合计：%d 人次（符合 %ld，待核实 %ld）", s->number, s->eligible, s->to_verify);
		xlsx_put_merged(b, sp->ws, sp->row, W_NO, W_EVIDENCE, total, b->total_text);
		xlsx_put_number(b, sp->ws, sp->row, W_AMOUNT, s->amount, b->total_count);
		xlsx_put_merged(b, sp->ws, sp->row, W_STANDARD, W_REASON, "", b->total_text);

		xlsx_text_ids(sp->ws, sp->first_row, sp->row - 1, W_ID, W_ID);
		xlsx_autofilter(&sp->book, sp->ws, sp->first_row - 1, 0, sp->row - 1, NW - 1);
		cf.type = LXW_CONDITIONAL_TYPE_TEXT;
		cf.criteria = LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING;
		cf.value_string = "待核实";
		cf.format = b->rate_bad;
		worksheet_conditional_format_range(sp->ws, (lxw_row_t)sp->first_row, W_STATUS, (lxw_row_t)(sp->row - 1),
						   W_STATUS, &cf);
	}
}

/* A sheet opened.  Rows are several lines tall with the evidence anyway:
 * names, employers and the policy columns wrap rather than widen a sheet
 * that must print on A4. */
static void county_sheet_start(struct xlsx_split *sp)
{
	struct county_state *s = sp->ctx;

	xlsx_column_cap(&sp->book, sp->ws, W_NAME, 16);
	xlsx_column_cap(&sp->book, sp->ws, W_EMPLOYER, 24);
	xlsx_column_cap(&sp->book, sp->ws, W_SUBSIDY, 0);
	xlsx_column_cap(&sp->book, sp->ws, W_BASIS, 0);
	xlsx_column_cap(&sp->book, sp->ws, W_RECIPIENT, 0);
	xlsx_column_cap(&sp->book, sp->ws, W_STANDARD, 0);
	s->number = 0;
	s->eligible = s->to_verify = 0;
	s->amount = 0;
}


/* The last component of a path: a 说明 sheet names the rules file, not
 * where it lies on the server. */
static const char *file_name_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void rules_notes(struct xlsx_book *b, lxw_worksheet *ws, int *row, const struct screen_rules *rules,
			const int *in_force)
{
	for (int i = 0; i < rules->n; i++) {
		const struct screen_rule *r = &rules->v[i];
		char label[200], text[4096], standard[200];

		if (!in_force[i])
			continue;
		struct strbuf conditions;

		screen_rule_standard(r, standard, sizeof standard);
		snprintf(label, sizeof label, "%s", r->subsidy);
		strbuf_init(&conditions);
		for (int k = 0; k < r->nclauses; k++)
			strbuf_addf(&conditions, "%s%s", k ? "；" : "", r->clause[k].label);
		for (int k = 0; k < r->nunverified; k++)
			strbuf_addf(&conditions, "%s%s（需核实）", conditions.len ? "；" : "", r->unverified[k]);
		snprintf(text, sizeof text, "%s %s；适用人群：%s；发放对象：%s；标准：%s%s%s%s。条件：%s。%s%s", r->document,
			 r->article, r->populations_label, screen_recipient_label(r->recipient), standard,
			 r->fund[0] ? "；资金：" : "", r->fund,
			 r->listed_by == SCREEN_LISTED_EMPLOYER ? "（用人单位所在地列支）" : "", strbuf_str(&conditions),
			 r->source_text[0] ? "原文：" : "", r->source_text);
		strbuf_free(&conditions);
		if (r->note[0]) {
			size_t n = strlen(text);

			snprintf(text + n, sizeof text - n, "（%s）", r->note);
		}
		xlsx_note(b, ws, (*row)++, label, text);
	}
}

static const char STATUS_NOTE[] =
	"符合：数据能确认的条件都满足，两系统比对一致（或不一致的项目与本补贴的条件无关），且没有数据无法确认的条件。"
	"待核实：数据能确认的条件都满足，但至少有一项需要核实——数据无法确认的条件（劳动合同、社会保险缴费、"
	"介绍机构等）、两系统不一致且涉及本项条件、未录入省平台或不在扶贫系统名单、证件号码无效或重复、"
	"就业时间或出生日期不详、本年度已列入过筛选名单；“待核实事项”列写明是哪一项。待核实不等于不符合。";

/* Every county workbook starts with what the lists are and the rules in force. */
static int county_instructions(struct xlsx_split *sp, struct bangfu_err *err)
{
	static const struct xlsx_column cols[] = {{"事项", 18}, {"说明", 100}};
	const struct county_state *s = sp->ctx;
	const struct screen_options *opt = s->opt;
	char text[2048];
	int row;
	lxw_worksheet *ws = xlsx_sheet(&sp->book, "说明", "就业帮扶补贴政策筛选名单 说明", 0, cols, 2, &row);

	(void)err;

	snprintf(text, sizeof text,
		 "依据湘人社函〔2020〕58号 四（二）3（2）“县级人社部门要依托省平台开展数据比对，将符合就业扶贫补贴政策条件的个人和单位"
		 "筛选出来，加强走访联系，主动上门指导乡镇或企业落实相关政策”。本表是%s扶贫系统名单与省平台比对后，按 %s 在统计期末"
		 "（%s月末）有效的补贴政策筛出的人员，%s",
		 opt->period, file_name_of(s->rules->path), opt->period,
		 s->province ? "每个县市区（户籍地）一张表。" : "每个乡镇一张表。");
	xlsx_note(&sp->book, ws, row++, "用途", text);
	xlsx_note(&sp->book, ws, row++, "列支地",
		 s->province
			 ? "岗位补贴、社会保险补贴等“从用人单位所在地就业补助（专项）资金中列支”的补贴，用人单位在本省其他县市区的人员"
			   "列在本表，由省级转用人单位所在县市区办理；户籍地县市区的名单不列这些人。用人单位在外省的不列。"
			 : "岗位补贴、社会保险补贴等“从用人单位所在地就业补助（专项）资金中列支”的补贴，本表只列用人单位在本县市区的人员；"
			   "用人单位在本省其他县市区的列入省级名单（补贴筛选名单_省级统筹_外县用人单位），在外省的不列。");
	xlsx_note(&sp->book, ws, row++, "状态", STATUS_NOTE);
	xlsx_note(&sp->book, ws, row++, "在岗月数",
		 "从省平台“就业时间”（省平台未填时用扶贫系统的）到统计期末日，就业当天算在岗：2025-05-01就业，到2025-10-31满6个月。"
		 "“6个月以上”“12个月以上”含本数。");
	xlsx_note(&sp->book, ws, row++, "金额",
		 "按文件标准：一次性和按年的为一次或一年的金额；按月的为标准乘在岗月数（不超过文件规定的最长月数），是估算，"
		 "以实际核定为准。文件未定金额（由各地、各市州确定或按实际缴费）的和按培训天数计的（数据中没有天数），金额列空白，"
		 "见“补贴标准”列。");
	xlsx_note(&sp->book, ws, row++, "个人信息",
		 opt->full_id ? "本表含完整证件号码，请妥善保管，不要外传。"
			      : "为保护个人信息，证件号码中间几位已隐去；核对身份请以姓名、行政村为准。");
	rules_notes(&sp->book, ws, &row, s->rules, s->in_force);
	return 0;
}

static void county_row(struct county_state *s, const struct dbread_row *st, int full_id)
{
	struct xlsx_book *b = &s->sp.book;
	char id_shown[128];
	static const int wrapped[] = {W_NAME, W_SUBSIDY, W_BASIS, W_EMPLOYER, W_EVIDENCE, W_REASON};
	static const int from[] = {L_NAME, L_SUBSIDY, L_BASIS, L_EMPLOYER, L_EVIDENCE, L_REASON};
	const char *recipient = dbread_str(st, L_RECIPIENT), *status = dbread_str(st, L_STATUS);

	if (full_id)
		snprintf(id_shown, sizeof id_shown, "%s", dbread_str(st, L_ID));
	else
		idno_mask(dbread_str(st, L_ID), id_shown, sizeof id_shown);
	xlsx_put_number(b, s->sp.ws, s->sp.row, W_NO, ++s->number, b->count);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_VILLAGE, dbread_str(st, L_VILLAGE), b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_ID, id_shown, b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_RECIPIENT,
		      label_of("recipient", recipient),
		      b->text_wrap);
	for (size_t i = 0; i < sizeof wrapped / sizeof wrapped[0]; i++)
		xlsx_put_text(b, s->sp.ws, s->sp.row, wrapped[i], dbread_str(st, from[i]), b->text_wrap);
	if (!dbread_text(st, L_AMOUNT)) { /* NULL: the document fixes no amount */
		xlsx_put_text(b, s->sp.ws, s->sp.row, W_AMOUNT, "", b->count);
	} else {
		xlsx_put_number(b, s->sp.ws, s->sp.row, W_AMOUNT, dbread_double(st, L_AMOUNT), b->count);
		s->amount += dbread_double(st, L_AMOUNT);
	}
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_STANDARD, dbread_str(st, L_STANDARD), b->text_wrap);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_STATUS, status, b->text);
	s->eligible += !strcmp(status, screen_status_label(SCREEN_ELIGIBLE));
	s->to_verify += !strcmp(status, screen_status_label(SCREEN_VERIFY));
	s->sp.row++;
}

/* The county workbooks (province = 0), or the province's list of employers
 * elsewhere in Hunan (province = 1). */
static int write_counties(sqlite3 *db, const struct screen_options *opt, const struct screen_rules *rules,
			  const int *in_force, int province, struct outputs *outs, struct screen_summary *sum,
			  struct bangfu_err *err)
{
	struct county_state s = {.opt = opt, .rules = rules, .in_force = in_force, .province = province};
	sqlite3_stmt *st;
	struct dbread *rows;
	const struct dbread_row *row;
	int step, rc = -1;

	s.sp = (struct xlsx_split){.outs = outs, .dir = opt->out_dir, .prefix = "补贴筛选名单",
				   .title = province ? "就业帮扶补贴政策筛选名单（用人单位在本省其他县市区）"
						     : "就业帮扶补贴政策筛选名单",
				   .period = opt->period, .cols = COUNTY_COLUMNS,
				   .ncols = NW, .on_book = county_instructions, .on_sheet = county_sheet_start,
				   .on_sheet_end = county_sheet_end, .ctx = &s};
	if (db_prepare(db, province ? SQL_PROVINCE_LIST : SQL_LIST, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	/* the candidates read on another thread while these are written */
	rows = dbread_start(st);
	while ((row = dbread_next(rows))) {
		if (xlsx_split_to(&s.sp, dbread_str(row, L_CITY), dbread_str(row, L_COUNTY),
				  dbread_str(row, L_TOWNSHIP), err) != 0)
			break;
		county_row(&s, row, opt->full_id);
	}
	step = dbread_finish(rows);
	if (row) /* a workbook failed: err says which */
		goto out;
	if (step != SQLITE_DONE) {
		db_fail(db, err, "reading the candidates");
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
	sum->county_books += s.sp.books;
	sqlite3_finalize(st);
	return rc;
}

/* ---- the stage: the province summary ---- */

enum { S_NO, S_SUBSIDY, S_BASIS, S_RECIPIENT, S_POPULATIONS, S_STANDARD, S_ELIGIBLE, S_ELIGIBLE_AMOUNT, S_VERIFY, S_VERIFY_AMOUNT,
       S_TOTAL, NS };

static const struct xlsx_column SUMMARY_COLUMNS[NS] = {
	{"序号", 6},          {"补贴项目", 20},        {"政策依据", 22},         {"发放对象", 12},
	{"适用人群", 14},     {"补贴标准", 20},     {"符合人数", 10},        {"符合金额（元）", 14},   {"待核实人数", 10},
	{"待核实涉及金额（元）", 16}, {"合计人数", 10}};

enum { C_CITY, C_SUBSIDY, C_BASIS, C_STANDARD, C_ELIGIBLE, C_ELIGIBLE_AMOUNT, C_VERIFY, C_VERIFY_AMOUNT, C_TOTAL,
       NC };

static const struct xlsx_column CITY_COLUMNS[NC] = {
	{"市州", 12},           {"补贴项目", 20},       {"政策依据", 22},          {"补贴标准", 20},
	{"符合人数", 10},       {"符合金额（元）", 14}, {"待核实人数", 10},        {"待核实涉及金额（元）", 16},
	{"合计人数", 10}};

/* Amount cells: a number where the rule has one, else "—" (the standard is
 * the counties' or the actual contributions, or per day of training, which
 * the data does not count).  Returns what the 合计 adds. */
static double amount_cell(struct xlsx_book *b, lxw_worksheet *ws, int row, int c, const struct screen_rule *rule,
			  double v, lxw_format *f)
{
	if (!rule->has_amount || rule->unit == SCREEN_UNIT_DAY) {
		xlsx_put_text(b, ws, row, c, "—", f);
		return 0;
	}
	xlsx_put_number(b, ws, row, c, v, f);
	return v;
}

/* The 合计 row of a sheet: a label over the text columns, then the totals
 * of the count and amount columns from first_number on. */
static void total_row(struct xlsx_book *b, lxw_worksheet *ws, int row, int first_number, const double *totals,
		      int ncols)
{
	xlsx_put_merged(b, ws, row, 0, first_number - 1, "合计（人次）", b->total_text);
	for (int c = first_number; c < ncols; c++)
		xlsx_put_number(b, ws, row, c, totals[c], b->total_count);
}

static int write_summary(sqlite3 *db, const struct screen_options *opt, const struct screen_rules *rules,
			 const int *in_force, struct outputs *outs, struct screen_summary *sum, struct bangfu_err *err)
{
	struct xlsx_book b;
	sqlite3_stmt *st = NULL;
	lxw_worksheet *ws;
	const char *tmp;
	char path[PATH_MAX], title[256], text[2048];
	double totals[(int)NS > (int)NC ? (int)NS : (int)NC];
	int row, first, number = 0, rc = -1, open = 0;

	if ((size_t)snprintf(path, sizeof path, "%s/补贴筛选汇总_%s.xlsx", opt->out_dir, opt->period) >= sizeof path)
		return bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "the path is too long");
	snprintf(sum->summary_path, sizeof sum->summary_path, "%s", path);
	if (outputs_add(outs, path, &tmp, err) != 0 || xlsx_open(&b, tmp, opt->unit, opt->period, err) != 0)
		return -1;
	open = 1;

	/* 汇总: one row per rule in force under the province's 合计. */
	snprintf(title, sizeof title, "就业帮扶补贴政策筛选汇总（%s）", opt->period);
	ws = xlsx_sheet_unit(&b, "汇总", title, "单位：人、元", SUMMARY_COLUMNS, NS, &first);
	xlsx_row_height(&b, ws, 2, 40);
	row = first + 1;
	memset(totals, 0, sizeof totals);
	if (db_prepare(db,
		       "SELECT sum(eligible), coalesce(sum(eligible_amount), 0), sum(to_verify),"
		       " coalesce(sum(to_verify_amount), 0), sum(candidates)"
		       " FROM subsidy_total WHERE period = ?1 AND rule_id = ?2",
		       &st, err) != 0)
		goto out;
	for (int i = 0; i < rules->n; i++) {
		const struct screen_rule *r = &rules->v[i];
		char basis[200], standard[200];

		if (!in_force[i])
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			db_fail(db, err, "counting the candidates");
			goto out;
		}
		snprintf(basis, sizeof basis, "%s %s", r->document, r->article);
		screen_rule_standard(r, standard, sizeof standard);
		xlsx_put_number(&b, ws, row, S_NO, ++number, b.count);
		xlsx_put_text(&b, ws, row, S_SUBSIDY, r->subsidy, b.text_wrap);
		xlsx_put_text(&b, ws, row, S_BASIS, basis, b.text_wrap);
		xlsx_put_text(&b, ws, row, S_RECIPIENT, screen_recipient_label(r->recipient), b.text);
		xlsx_put_text(&b, ws, row, S_POPULATIONS, r->populations_label, b.text_wrap);
		xlsx_put_text(&b, ws, row, S_STANDARD, standard, b.text_wrap);
		xlsx_put_number(&b, ws, row, S_ELIGIBLE, (double)sqlite3_column_int64(st, 0), b.count);
		totals[S_ELIGIBLE] += (double)sqlite3_column_int64(st, 0);
		totals[S_ELIGIBLE_AMOUNT] +=
			amount_cell(&b, ws, row, S_ELIGIBLE_AMOUNT, r, sqlite3_column_double(st, 1), b.count);
		xlsx_put_number(&b, ws, row, S_VERIFY, (double)sqlite3_column_int64(st, 2), b.count);
		totals[S_VERIFY] += (double)sqlite3_column_int64(st, 2);
		totals[S_VERIFY_AMOUNT] += amount_cell(&b, ws, row, S_VERIFY_AMOUNT, r, sqlite3_column_double(st, 3), b.count);
		xlsx_put_number(&b, ws, row, S_TOTAL, (double)sqlite3_column_int64(st, 4), b.count);
		totals[S_TOTAL] += (double)sqlite3_column_int64(st, 4);
		row++;
	}
	sqlite3_finalize(st);
	st = NULL;
	total_row(&b, ws, first, S_ELIGIBLE, totals, NS);

	/* 分市州: one row per 市州 and rule with candidates, under the 合计. */
	snprintf(title, sizeof title, "就业帮扶补贴政策筛选 分市州（%s）", opt->period);
	ws = xlsx_sheet_unit(&b, "分市州", title, "单位：人、元", CITY_COLUMNS, NC, &first);
	xlsx_row_height(&b, ws, 2, 40);
	row = first + 1;
	memset(totals, 0, sizeof totals);
	if (db_prepare(db,
		       "SELECT coalesce(city, ''), rule_id, sum(eligible), coalesce(sum(eligible_amount), 0),"
		       " sum(to_verify), coalesce(sum(to_verify_amount), 0), sum(candidates)"
		       " FROM subsidy_total WHERE period = ?1 GROUP BY 1, 2, rule_order"
		       " ORDER BY bf_place_order(city, NULL), 1, rule_order",
		       &st, err) != 0)
		goto out;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct screen_rule *r = NULL;
		char basis[200], standard[200];

		for (int i = 0; i < rules->n && !r; i++)
			if (!strcmp(rules->v[i].id, col_or_empty(st, 1)))
				r = &rules->v[i];
		if (!r)
			continue;
		snprintf(basis, sizeof basis, "%s %s", r->document, r->article);
		screen_rule_standard(r, standard, sizeof standard);
		xlsx_put_text(&b, ws, row, C_CITY, col_or_empty(st, 0)[0] ? col_or_empty(st, 0) : "（未填市州）", b.text);
		xlsx_put_text(&b, ws, row, C_SUBSIDY, r->subsidy, b.text_wrap);
		xlsx_put_text(&b, ws, row, C_BASIS, basis, b.text_wrap);
		xlsx_put_text(&b, ws, row, C_STANDARD, standard, b.text_wrap);
		xlsx_put_number(&b, ws, row, C_ELIGIBLE, (double)sqlite3_column_int64(st, 2), b.count);
		totals[C_ELIGIBLE] += (double)sqlite3_column_int64(st, 2);
		totals[C_ELIGIBLE_AMOUNT] +=
			amount_cell(&b, ws, row, C_ELIGIBLE_AMOUNT, r, sqlite3_column_double(st, 3), b.count);
		xlsx_put_number(&b, ws, row, C_VERIFY, (double)sqlite3_column_int64(st, 4), b.count);
		totals[C_VERIFY] += (double)sqlite3_column_int64(st, 4);
		totals[C_VERIFY_AMOUNT] += amount_cell(&b, ws, row, C_VERIFY_AMOUNT, r, sqlite3_column_double(st, 5), b.count);
		xlsx_put_number(&b, ws, row, C_TOTAL, (double)sqlite3_column_int64(st, 6), b.count);
		totals[C_TOTAL] += (double)sqlite3_column_int64(st, 6);
		row++;
	}
	sqlite3_finalize(st);
	st = NULL;
	total_row(&b, ws, first, C_ELIGIBLE, totals, NC);

	/* 说明 */
	{
		static const struct xlsx_column cols[] = {{"事项", 18}, {"说明", 100}};

		ws = xlsx_sheet(&b, "说明", "就业帮扶补贴政策筛选 说明", 0, cols, 2, &row);
		snprintf(text, sizeof text,
			 "湘人社函〔2020〕58号 四（二）3（2）：县级人社部门依托省平台开展数据比对，将符合就业扶贫补贴政策条件的个人和单位"
			 "筛选出来。本表统计 %s 比对后筛出的人员（每人每项补贴计一次）；名单见各县市区的补贴筛选名单。",
			 opt->period);
		xlsx_note(&b, ws, row++, "用途", text);
		xlsx_note(&b, ws, row++, "状态", STATUS_NOTE);
		xlsx_note(&b, ws, row++, "金额",
			 "符合金额、待核实涉及金额按文件标准计算：按月的补贴为标准乘在岗月数（不超过最长月数），是估算。"
			 "文件未定金额的补贴（由各地、各市州确定，或按实际缴纳的社会保险费）和按培训天数计的生活费补贴金额为“—”。岗位补贴1000元和"
			 "贫困地区企业吸纳当地1500元两个标准同一人只享受其一，两行可能列出同一人。合计行按人次相加（一人符合两项计两次），"
			 "金额合计不含文件未定金额（“—”）的项目。");
		snprintf(text, sizeof text, "%s（统计期末 %s 月末有效的规则：%d 条）", file_name_of(rules->path), opt->period,
			 sum->rules_in_force);
		xlsx_note(&b, ws, row++, "规则文件", text);
		snprintf(text, sizeof text,
			 "至少一项补贴的条件未被数据否定的 %ld 人；筛出 %ld 人次，其中符合 %ld、待核实 %ld；其中 %ld 人次用人单位在本省其他县市区，"
			 "列入省级名单",
			 sum->persons, sum->candidates, sum->eligible, sum->to_verify, sum->province_listed);
		xlsx_note(&b, ws, row++, "人数", text);
		rules_notes(&b, ws, &row, rules, in_force);
	}
	open = 0;
	rc = xlsx_close(&b, err);
out:
	sqlite3_finalize(st);
	if (open) {
		struct bangfu_err ignored;

		xlsx_close(&b, &ignored);
	}
	return rc;
}

/* ---- the stage ---- */

static int period_reconciled(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int n = 0;

	if (db_prepare(db, "SELECT count(*) FROM reconcile_run WHERE period = ?1", &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!n)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(db, "main"), 0, 0, "not_reconciled",
				   "%s has no reconcile result in this database: run bangfu-reconcile --period %s first",
				   period, period);
	return 0;
}

int screen_run(sqlite3 *db, const struct screen_options *opt, struct screen_summary *sum, struct bangfu_err *err)
{
	struct screen_rules *rules = NULL;
	struct outputs outs = {0};
	char path[PATH_MAX];
	int *in_force = NULL, rc = -1, in_tx = 0;
	struct stat sb;

	memset(sum, 0, sizeof *sum);
	if (opt->rules_path) {
		snprintf(path, sizeof path, "%s", opt->rules_path);
	} else {
		char found[PATH_MAX];

		if (tmpl_path(DEFAULT_RULES, found, sizeof found, err) != 0)
			return -1;
		if (!realpath(found, path))
			snprintf(path, sizeof path, "%s", found);
	}
	snprintf(sum->rules_path, sizeof sum->rules_path, "%s", path);
	if (screen_rules_load(path, &rules, err) != 0)
		return -1;
	if (screen_rules_check(db, rules, err) != 0) {
		screen_rules_free(rules);
		return -1;
	}
	in_force = xcalloc((size_t)rules->n, sizeof *in_force);
	{
		char lo[11] = "9999-12-31", hi[11] = "0000-01-01";

		for (int i = 0; i < rules->n; i++) {
			in_force[i] = screen_rule_in_force(&rules->v[i], opt->period);
			sum->rules_in_force += in_force[i];
			if (strcmp(rules->v[i].valid_from, lo) < 0)
				memcpy(lo, rules->v[i].valid_from, 11);
			if (strcmp(rules->v[i].valid_to, hi) > 0)
				memcpy(hi, rules->v[i].valid_to, 11);
		}
		if (!sum->rules_in_force) {
			bangfu_fail(err, ERR_INPUT, path, 0, 0, "no_rules",
				    "no rule is in force at the end of %s (the rules cover %s .. %s, with gaps where no "
				    "document was in force): add the policy of that time as new rows, or give --rules",
				    opt->period, lo, hi);
			goto out;
		}
	}
	if (period_reconciled(db, opt->period, err) != 0)
		goto out;
	if (stat(opt->out_dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode)) {
			bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "--out is not a directory");
			goto out;
		}
	} else if (mkdir(opt->out_dir, 0700) != 0) {
		bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "cannot create the directory: %s",
			    strerror(errno));
		goto out;
	}
	if (db_begin_bulk(db, err) != 0)
		goto out;
	in_tx = 1;
	{
		sqlite3_stmt *st;

		if (db_prepare(db, "DELETE FROM screen_run WHERE period = ?1", &st, err) != 0)
			goto out;
		sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
		if (rc != 0) {
			db_fail(db, err, "clearing the period's result");
			goto out;
		}
		rc = -1;
	}
	if (screen_compute(db, opt->period, rules, in_force, sum, err) != 0 ||
	    record_run(db, opt, rules, in_force, sum, err) != 0 ||
	    write_counties(db, opt, rules, in_force, 0, &outs, sum, err) != 0 ||
	    (sum->province_listed && write_counties(db, opt, rules, in_force, 1, &outs, sum, err) != 0) ||
	    write_summary(db, opt, rules, in_force, &outs, sum, err) != 0)
		goto out;
	if (db_commit(db, err) != 0)
		goto out;
	in_tx = 0;
	rc = outputs_commit(&outs, err);
out:
	if (in_tx)
		db_rollback(db);
	if (rc != 0)
		outputs_discard(&outs);
	free(in_force);
	screen_rules_free(rules);
	return rc;
}

/* ---- the command: bangfu-screen ---- */

int cmd_screen(int argc, char **argv)
{
	const char *db_path = "bangfu.db";
	struct screen_options opt = {0};
	int if_in_force = 0;
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the month to screen (run bangfu-reconcile for it first)"),
		CLI_OPT_REQUIRED("out", &opt.out_dir, "DIR", "where the workbooks go (created when missing)"),
		CLI_OPT_STRING("rules", &opt.rules_path, "FILE", "the subsidy rules (default: templates/subsidy_rules.csv)"),
		CLI_OPT_FLAG("full-id", &opt.full_id, "whole ID numbers in the county lists (default: masked)"),
		CLI_OPT_STRING("unit", &opt.unit, "NAME", "填报单位 of the province summary"),
		CLI_OPT_FLAG("if-in-force", &if_in_force,
			     "a month no rule covers is no error: say so, write nothing, exit 0\n"
			     "(for a driver that runs every stage each month)"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-screen", NULL,
		N_("Screen the persons of a reconciled period against the employment-assistance subsidies\n"
		"in force at the period's last day (templates/subsidy_rules.csv): who is 符合, who is\n"
		"待核实 and why.  Writes one workbook per county (a sheet per township) and the province\n"
		"summary into DIR, mode 0600, whole or not at all; the result is in v_subsidy_candidate."),
		NULL, options};
	struct screen_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int status = EXIT_OK;

	bangfu_err_clear(&err);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		return status;
	if (db_open_existing(db_path, &db, &err) != 0 || screen_run(db, &opt, &sum, &err) != 0) {
		if (if_in_force && strcmp(err.code, "no_rules") == 0)
			msg_info("%s: %s; nothing screened", err.file, err.message);
		else
			status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %d rules in force (%s); %ld persons some rule could list; %ld candidates: 符合 %ld, 待核实 %ld"
		 " (%ld with an employer elsewhere in Hunan, on the province's list)",
		 opt.period, sum.rules_in_force, sum.rules_path, sum.persons, sum.candidates, sum.eligible, sum.to_verify,
		 sum.province_listed);
	msg_info("wrote %ld county workbooks and %s%s", sum.county_books, sum.summary_path,
		 opt.full_id ? msg_tr(" with whole ID numbers") : "");
out:
	db_close(db);
	return status;
}
