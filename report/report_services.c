/* report_services — the 就业服务 sheet of the progress report: "311"
 * coverage (湘人社规〔2021〕10号（十三）), the weekly job messages of
 * returnees and of the unemployed who want work, the match rate flagged
 * below its minimum (湘人社函〔2020〕58号 四（三）1.（1）) and training intent
 * followed up, by 市州 → 县市区 → 乡镇 in outline levels under a 合计 row,
 * from the view v_service_area (schema/019, etl/services.c); 就业服务.csv
 * prints the same query (REPORT_SERVICES, report_csv.c).  It holds no names
 * or ID numbers. */
#include "report_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "idno.h"
#include "strbuf.h"

/* The rows (none without service records): 层级, 市州, 县市区, 乡镇, then the measures; 合计 first, then
 * places in GB/T 2260 order, each 市州 before its 县市区, each 县市区 before
 * its 乡镇. */
#define SERVICES_SELECT                                                                                              \
	"SELECT CASE level WHEN 'province' THEN '合计' WHEN 'city' THEN '市州' WHEN 'county' THEN '县市区'"            \
	" ELSE '乡镇' END, city, county, township, want_work, jobs3, training1, guidance1, all311, share311, short311," \
	" returnees, returnees_weekly, returnees_weekly_share, want_weekly, want_weekly_share, pushed, hired,"        \
	" match_rate, training_intent, training_followed, training_followed_share"                                    \
	" FROM v_service_area WHERE period = ?1"                                                                      \
	" AND EXISTS (SELECT 1 FROM service_run r WHERE r.period = ?1 AND r.records > 0)"                              \
	" ORDER BY level <> 'province', bf_place_order(nullif(city, ''), NULL), city, level <> 'city',"               \
	" bf_place_order(nullif(city, ''), nullif(county, '')), county, level <> 'county', township"

enum {
	S_WANT, S_JOBS3, S_TRAINING1, S_GUIDANCE1, S_ALL311, S_SHARE311, S_SHORT311, S_RETURNEES, S_RETURNEES_WEEKLY,
	S_RETURNEES_SHARE, S_WANT_WEEKLY, S_WANT_SHARE, S_PUSHED, S_HIRED, S_MATCH, S_TRAINING_INTENT,
	S_TRAINING_FOLLOWED, S_TRAINING_SHARE, NSERVICES
};

static const struct report_column SERVICE_COLUMNS[NSERVICES] = {
	{"有就业意愿的未就业人数", 12, "是否就业为“否”（口径同总表）、就业意向不是空白、无、否、无意愿、暂无的人数。"},
	{"岗位信息≥3次", 10, "统计期末前 12 个月内获得岗位信息推送或职业介绍 3 次及以上的人数（同一天同一岗位计 1 次）。"},
	{"职业培训信息≥1次", 10, "12 个月内获得职业培训信息或培训报名 1 次及以上的人数。"},
	{"职业指导≥1次", 10, "12 个月内获得职业指导 1 次及以上的人数。"},
	{"“311”全部达到", 10, "以上三项都达到的人数（湘人社规〔2021〕10号（十三））。"},
	{"“311”覆盖率", 9, "“311”全部达到 ÷ 有就业意愿的未就业人数。"},
	{"尚缺“311”人数", 10, "有就业意愿的未就业人数 − “311”全部达到；逐人缺项见乡镇工作清单“311未达到”。"},
	{"返乡回流人数", 9, "省平台“是否返乡回流”为“是”的人数。"},
	{"每周均获推送（返乡）", 11,
	 "本期每一周都获得至少一次岗位信息推送（或职业介绍）的返乡回流人数；周为周一至周日，按周四所在月份归属本期。"},
	{"每周推送率（返乡）", 9, "每周均获推送（返乡）÷ 返乡回流人数（湘人社函〔2020〕58号 四（三）1.（1））。"},
	{"每周均获推送（未就业有意愿）", 13, "本期每一周都获得至少一次岗位信息的有就业意愿未就业人数。"},
	{"每周推送率（未就业有意愿）", 12, "每周均获推送（未就业有意愿）÷ 有就业意愿的未就业人数。"},
	{"本期获推送人数", 9, "本期各周内获得岗位信息推送或职业介绍（本身不是录用记录）的人数。"},
	{"推送后录用人数", 9,
	 "获推送后规定天数内（templates/service_policy.csv 的 match_days）有录用、入职记录的人数。"},
	{"人岗匹配成功率", 9, "推送后录用人数 ÷ 本期获推送人数；低于 templates/service_policy.csv 的 match_rate_min（湘人社函〔2020〕58号：超过15%）标红。"},
	{"有培训意愿人数", 9, "扶贫系统“培训意愿”为“是”的人数。"},
	{"已获培训信息", 9, "有培训意愿且 12 个月内获得职业培训信息（或培训报名）的人数。"},
	{"培训意愿跟进率", 9, "已获培训信息 ÷ 有培训意愿人数。"},
};

static const int SERVICE_IS_RATE[NSERVICES] = {
	[S_SHARE311] = 1, [S_RETURNEES_SHARE] = 1, [S_WANT_SHARE] = 1, [S_MATCH] = 1, [S_TRAINING_SHARE] = 1};

static const struct xlsx_column SERVICE_CSV_COLUMNS[4 + NSERVICES] = {
	{"层级", 6}, {"市州", 10}, {"县市区", 10}, {"乡镇", 10},
	{"有就业意愿的未就业人数", 12}, {"岗位信息≥3次", 10}, {"职业培训信息≥1次", 10}, {"职业指导≥1次", 10},
	{"“311”全部达到", 10}, {"“311”覆盖率", 9}, {"尚缺“311”人数", 10}, {"返乡回流人数", 9},
	{"每周均获推送（返乡）", 11}, {"每周推送率（返乡）", 9}, {"每周均获推送（未就业有意愿）", 13},
	{"每周推送率（未就业有意愿）", 12}, {"本期获推送人数", 9}, {"推送后录用人数", 9}, {"人岗匹配成功率", 9},
	{"有培训意愿人数", 9}, {"已获培训信息", 9}, {"培训意愿跟进率", 9},
};

const struct report_table REPORT_SERVICES = {"就业服务", SERVICES_SELECT, SERVICE_CSV_COLUMNS, 4 + NSERVICES};

struct service_run_info {
	int found;
	long records, unmatched, weeks, match_days, return_days;
	double match_min;
	char week_from[11], week_to[11], window_from[11], hr_dump_date[11];
};

static int run_info(struct report_ctx *c, struct service_run_info *r, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	memset(r, 0, sizeof *r);
	if (db_prepare(c->db, "SELECT records, unmatched, weeks, match_days, match_min, week_from, week_to, window_from,"
			      " coalesce(hr_dump_date, ''), return_days FROM service_run WHERE period = ?1",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->found = 1;
		r->records = (long)sqlite3_column_int64(st, 0);
		r->unmatched = (long)sqlite3_column_int64(st, 1);
		r->weeks = (long)sqlite3_column_int64(st, 2);
		r->match_days = (long)sqlite3_column_int64(st, 3);
		r->match_min = sqlite3_column_double(st, 4);
		snprintf(r->week_from, sizeof r->week_from, "%s", (const char *)sqlite3_column_text(st, 5));
		snprintf(r->week_to, sizeof r->week_to, "%s", (const char *)sqlite3_column_text(st, 6));
		snprintf(r->window_from, sizeof r->window_from, "%s", (const char *)sqlite3_column_text(st, 7));
		snprintf(r->hr_dump_date, sizeof r->hr_dump_date, "%s", (const char *)sqlite3_column_text(st, 8));
		r->return_days = (long)sqlite3_column_int64(st, 9);
	}
	sqlite3_finalize(st);
	return 0;
}

static int level_of(const char *label)
{
	return !strcmp(label, "合计") ? LEVEL_TOTAL : !strcmp(label, "市州") ? LEVEL_CITY
						  : !strcmp(label, "县市区") ? LEVEL_COUNTY : LEVEL_TOWNSHIP;
}

int report_sheet_services(struct report_ctx *c, struct bangfu_err *err)
{
	static const char *const empty[] = {"合计", "（未填市州）", "（未填县市区）", "（未填乡镇）"};
	struct xlsx_book *b = &c->book;
	struct service_run_info run;
	struct strbuf note;
	sqlite3_stmt *st;
	lxw_worksheet *ws;
	char title[256], line[512];
	int first, row, rc;

	snprintf(title, sizeof title, "就业服务情况（%s）", c->opt->period);
	ws = report_area_sheet(c, "就业服务", title, 1, SERVICE_COLUMNS, NSERVICES, &first, err);
	if (!ws)
		return -1;
	if (run_info(c, &run, err) != 0)
		return -1;
	if (!run.found || run.records == 0) {
		snprintf(line, sizeof line,
			 "本期没有就业服务记录（公共就业服务信息管理平台导出，bangfu-ingest --source service）：无从计算“311”、"
			 "每周推送和人岗匹配。%s",
			 run.found ? "" : "（本期在 bangfu-reconcile 计算就业服务之前比对，请重新运行 bangfu-reconcile。）");
		xlsx_put_merged(b, ws, first, 0, NSERVICES, line, b->total_text);
		return 0;
	}
	if (db_prepare(c->db, SERVICES_SELECT, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	row = first;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int level = level_of((const char *)sqlite3_column_text(st, 0));
		const char *name = (const char *)sqlite3_column_text(st, level == LEVEL_TOTAL ? 0 : level);
		lxw_format *count = level == LEVEL_TOTAL ? b->total_count : b->count;
		lxw_format *rate = level == LEVEL_TOTAL ? b->total_rate : b->rate;

		xlsx_put_text(b, ws, row, 0, name && name[0] ? name : empty[level], c->fmt.name[level]);
		for (int k = 0; k < NSERVICES; k++) {
			int col = 4 + k;

			if (SERVICE_IS_RATE[k])
				xlsx_put_rate(b, ws, row, 1 + k,
					      sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col),
					      rate);
			else
				xlsx_put_number(b, ws, row, 1 + k, sqlite3_column_double(st, col), count);
		}
		report_area_outline(c, ws, row, level);
		row++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(c->db, err, "reading the services");
	if (row > first)
		xlsx_flag_below(b, ws, first, row - 1, 1 + S_MATCH, run.match_min);
	row++;
	strbuf_init(&note);
	strbuf_addf(&note,
		    "注：就业服务记录来自公共就业服务信息管理平台导出，按证件号码与本期人员对应（证件号码无效的按比对提出的更正号码）；"
		    "“311”按 %s 至本期末的 12 个月统计；本期共 %ld 周（%s 至 %s）；人岗匹配按推送后 %ld 天内录用、入职计，"
		    "低于 %.0f%% 标红。12 个月内服务记录 %ld 条，其中 %ld 条对应不到本期任何人员。点左侧“+”可展开到县市区、乡镇。",
		    run.window_from, run.weeks, run.week_from, run.week_to, run.match_days, run.match_min * 100, run.records,
		    run.unmatched);
	for (int k = 0; k < NSERVICES; k++)
		strbuf_addf(&note, "%s：%s", SERVICE_COLUMNS[k].label, SERVICE_COLUMNS[k].definition);
	xlsx_put_merged(b, ws, row, 0, NSERVICES, strbuf_str(&note), c->fmt.note);
	strbuf_free(&note);
	return 0;
}

int report_trend_services(struct report_ctx *c, lxw_worksheet *ws, int row, const char *period, int col,
			  struct bangfu_err *err)
{
	struct xlsx_book *b = &c->book;
	sqlite3_stmt *st;
	int found = 0;

	if (db_prepare(c->db, "SELECT share311, returnees_weekly_share, want_weekly_share, match_rate FROM v_service_area"
			      " WHERE period = ?1 AND level = 'province'"
			      " AND EXISTS (SELECT 1 FROM service_run r WHERE r.period = ?1 AND r.records > 0)",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	/* no value is a blank, not "—", as in the other rate columns: a chart draws text as zero */
	for (int k = 0; k < NTREND_SERVICES; k++)
		if (!found || sqlite3_column_type(st, k) == SQLITE_NULL)
			worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)(col + k), b->rate);
		else
			xlsx_put_number(b, ws, row, col + k, sqlite3_column_double(st, k), b->rate);
	sqlite3_finalize(st);
	return 0;
}

/* ---- 乡镇跟进名单: the follow-up lists of the township workbooks ---- */

enum { F_NO, F_LIST, F_NAME, F_ID, F_PHONE, F_VILLAGE, F_HOUSEHOLD, F_DETAIL, F_ACTION, F_N };

static const struct xlsx_column FOLLOWUP_COLUMNS[F_N] = {
	{"序号", 6}, {"名单", 14}, {"姓名", 10}, {"证件号码", 20}, {"联系电话", 13},
	{"行政村", 12}, {"户编号", 12}, {"情况", 40}, {"请办理", 30},
};

static const struct {
	const char *code, *label, *action;
} FOLLOWUP_LISTS[] = {
	{"became_unemployed", "就业转失业", "帮扶责任人“一对一”帮扶，做好失业登记，每周至少推送一次岗位信息"},
	{"returnee_stale", "返乡回流登记未更新", "核实返乡回流人员现状，在省平台更新登记（每 2 周更新一次）"},
	{"short_311", "“311”未达到", "补齐所缺服务：每年至少 3 次岗位信息、1 次职业培训信息、1 次职业指导"},
	{"training_no_info", "有培训意愿未获培训信息", "推送职业培训信息，有意愿的组织报名"},
};

#define SQL_FOLLOWUP                                                                                                 \
	"SELECT city, county, township, list_code, name, id_number, phone, village, household_id, detail"           \
	" FROM v_service_followup WHERE period = ?1"                                                                 \
	" ORDER BY city, county, township, list, coalesce(village, ''), coalesce(household_id, ''), name, id_number"

struct followup_state {
	struct xlsx_split sp;
	int number, full_id, has_records;
	const struct service_run_info *run;
};

static void followup_sheet_start(struct xlsx_split *sp)
{
	struct followup_state *s = sp->ctx;

	xlsx_column_cap(&sp->book, sp->ws, F_DETAIL, 40);
	xlsx_column_cap(&sp->book, sp->ws, F_ACTION, 30);
	s->number = 0;
}

static void followup_sheet_end(struct xlsx_split *sp)
{
	if (sp->row > sp->first_row) {
		xlsx_text_ids(sp->ws, sp->first_row, sp->row - 1, F_ID, F_HOUSEHOLD);
		xlsx_autofilter(&sp->book, sp->ws, sp->first_row - 1, 0, sp->row - 1, F_N - 1);
	}
}

static int followup_instructions(struct xlsx_split *sp, struct bangfu_err *err)
{
	static const struct xlsx_column cols[] = {{"名单", 22}, {"说明", 100}};
	const struct followup_state *s = sp->ctx;
	struct xlsx_book *b = &sp->book;
	int row;
	lxw_worksheet *ws = xlsx_sheet(b, "说明", "乡镇就业服务跟进名单 说明", 0, cols, 2, &row);
	char text[1024];

	(void)err;
	worksheet_set_column(ws, 1, 1, 100, b->text_wrap);
	snprintf(text, sizeof text,
		 "%s 需要乡镇跟进服务的人员，每个乡镇一张表，按名单排列。本名单供乡镇工作使用，不需报回；"
		 "办理情况在公共就业服务平台和省平台录入后，下月数据自然反映。",
		 sp->period);
	xlsx_note(b, ws, row++, "用途", text);
	xlsx_note(b, ws, row++, FOLLOWUP_LISTS[0].label,
		  "上月已就业、本月未就业的人（本月变动）。湘人社函〔2020〕58号：就业转失业人员“一对一”帮扶。");
	if (s->run->hr_dump_date[0])
		snprintf(text, sizeof text,
			 "省平台“是否返乡回流”为“是”，且省平台记录的更新时间早于省平台导出日（%s，导出数据中最晚的更新时间）"
			 "前 %ld 天的人：返乡回流人员登记每 2 周更新一次。",
			 s->run->hr_dump_date, s->run->return_days);
	else
		snprintf(text, sizeof text, "本期没有省平台数据，无从判断返乡回流人员登记是否及时更新。");
	xlsx_note(b, ws, row++, FOLLOWUP_LISTS[1].label, text);
	if (s->has_records) {
		snprintf(text, sizeof text,
			 "未就业、有就业意愿，%s 至本期末 12 个月内岗位信息不足 3 次、或没有职业培训信息、或没有职业指导的人，"
			 "“情况”列写明已有几次、缺什么（湘人社规〔2021〕10号（十三））。",
			 s->run->window_from);
		xlsx_note(b, ws, row++, FOLLOWUP_LISTS[2].label, text);
		xlsx_note(b, ws, row++, FOLLOWUP_LISTS[3].label,
			  "扶贫系统“培训意愿”为“是”，12 个月内没有职业培训信息（或培训报名）记录的人。");
	} else {
		xlsx_note(b, ws, row++, "“311”、培训意愿",
			  "本期没有就业服务记录（公共就业服务信息管理平台导出）：无从列出“311”未达到和有培训意愿未获培训信息的人。");
	}
	xlsx_note(b, ws, row++, "个人信息",
		  s->full_id ? "本名单含完整证件号码和电话，请妥善保管，不要外传。"
			     : "为保护个人信息，证件号码和联系电话中间几位已隐去；核对身份请以姓名、行政村和户编号为准。");
	return 0;
}

static int list_index(const char *code)
{
	for (size_t i = 0; i < sizeof FOLLOWUP_LISTS / sizeof FOLLOWUP_LISTS[0]; i++)
		if (!strcmp(FOLLOWUP_LISTS[i].code, code))
			return (int)i;
	return 0;
}

int report_followup(struct report_ctx *c, struct outputs *outs, struct bangfu_err *err)
{
	struct service_run_info run;
	struct followup_state s = {.full_id = c->opt->full_id};
	const char *dir = c->opt->followup_dir;
	sqlite3_stmt *st;
	int step, rc = -1;

	if (run_info(c, &run, err) != 0)
		return -1;
	if (!run.found)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(c->db, "main"), 0, 0, "not_reconciled",
				   "%s was reconciled before bangfu knew the services: run bangfu-reconcile --period %s "
				   "again for its follow-up lists",
				   c->opt->period, c->opt->period);
	s.run = &run;
	s.has_records = run.records > 0;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "cannot create the directory: %s",
				   strerror(errno));
	s.sp = (struct xlsx_split){.outs = outs, .dir = dir, .prefix = "乡镇跟进名单",
				   .title = "就业服务跟进名单", .period = c->opt->period, .cols = FOLLOWUP_COLUMNS,
				   .ncols = F_N, .on_book = followup_instructions, .on_sheet = followup_sheet_start,
				   .on_sheet_end = followup_sheet_end, .ctx = &s};
	if (db_prepare(c->db, SQL_FOLLOWUP, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct xlsx_book *b;
		const char *id = (const char *)sqlite3_column_text(st, 5), *phone = (const char *)sqlite3_column_text(st, 6);
		char id_shown[128], phone_shown[128];
		int k, row;

		if (xlsx_split_to(&s.sp, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
				  (const char *)sqlite3_column_text(st, 2), err) != 0)
			goto out;
		b = &s.sp.book;
		row = s.sp.row;
		k = list_index((const char *)sqlite3_column_text(st, 3));
		if (s.full_id) {
			snprintf(id_shown, sizeof id_shown, "%s", id ? id : "");
			snprintf(phone_shown, sizeof phone_shown, "%s", phone ? phone : "");
		} else {
			idno_mask(id ? id : "", id_shown, sizeof id_shown);
			idno_mask_phone(phone ? phone : "", phone_shown, sizeof phone_shown);
		}
		xlsx_put_number(b, s.sp.ws, row, F_NO, ++s.number, b->count);
		xlsx_put_text(b, s.sp.ws, row, F_LIST, FOLLOWUP_LISTS[k].label, b->text);
		xlsx_put_text(b, s.sp.ws, row, F_NAME, (const char *)sqlite3_column_text(st, 4), b->text);
		xlsx_put_text(b, s.sp.ws, row, F_ID, id_shown, b->text);
		xlsx_put_text(b, s.sp.ws, row, F_PHONE, phone_shown, b->text);
		xlsx_put_text(b, s.sp.ws, row, F_VILLAGE, (const char *)sqlite3_column_text(st, 7), b->text);
		xlsx_put_text(b, s.sp.ws, row, F_HOUSEHOLD, (const char *)sqlite3_column_text(st, 8), b->text);
		xlsx_put_text(b, s.sp.ws, row, F_DETAIL, (const char *)sqlite3_column_text(st, 9), b->text_wrap);
		xlsx_put_text(b, s.sp.ws, row, F_ACTION, FOLLOWUP_LISTS[k].action, b->text_wrap);
		s.sp.row++;
		c->sum->followup_rows++;
	}
	if (step != SQLITE_DONE) {
		db_fail(c->db, err, "reading the follow-up lists");
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
	c->sum->followup_books = s.sp.books;
	sqlite3_finalize(st);
	return rc;
}
