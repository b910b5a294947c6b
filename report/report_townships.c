/* report_townships — bangfu-report --townships: the named lists a clerk
 * acts on, one workbook per county with a sheet per township (xlsx_split),
 * masked unless --full-id.  Streamed: one row of the query per item. */
#include "report_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "idno.h"
#include "labels.h"
#include "strbuf.h"

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
	/* "姓名：扶贫系统“甲”→ 省平台“乙”；…", phones masked unless ?2 (--full-id) */
	"  (SELECT group_concat(t, '；') FROM (SELECT CASE WHEN c.field = 'gender_id'"
	"     THEN '性别与证件号码不符（扶贫系统“' || coalesce(c.roster_value, '') || '”，省平台“' || coalesce(c.hr_value, '') || '”）'"
	"     ELSE coalesce(l.label, c.field) || '：扶贫系统“' ||"
	"      CASE WHEN c.field = 'phone' AND NOT ?2 THEN bf_mask_phone(coalesce(c.roster_value, ''))"
	"       ELSE coalesce(c.roster_value, '') END || '”→ 省平台“' ||"
	"      CASE WHEN c.field = 'phone' AND NOT ?2 THEN bf_mask_phone(coalesce(c.hr_value, ''))"
	"       ELSE coalesce(c.hr_value, '') END || '”' END AS t"
	"    FROM conflict c LEFT JOIN label l ON l.kind = 'field' AND l.code = c.field"
	"    WHERE c.period = p.period AND c.id_number = p.id_number ORDER BY c.rowid)),"
	"  NULL, NULL, NULL, NULL, NULL"
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
		strbuf_addstr(detail, col_text(st, Q_D1));
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
			strbuf_addf(detail, "；拟更正为 %s（%s；%s）", proposed, label_of("repair_rule", col_text(st, Q_D3)),
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

int report_townships(struct report_ctx *c, struct outputs *outs, struct bangfu_err *err)
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
	sqlite3_bind_int(st, 2, opt->full_id);
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
