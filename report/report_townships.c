/* report_townships — bangfu-report --townships: the township work lists
 * (乡镇工作清单), one workbook per county with a sheet per township
 * (xlsx_split), masked unless --full-id.  They render the ledger as it stood
 * on the period's last day (findings_work_list): each township's open items
 * with their 问题编号, 整改时限 and days open, and those closed since last
 * month; the townships fill in 整改情况, 整改日期, 经办人 … and send the
 * lists back to bangfu-ledger, which reads the columns ledger.h defines.
 * Nothing here finds a problem: a row's evidence is read from the rows its
 * finding was made on.  Streamed: one row of the query per item. */
#include "report_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "dbread.h"
#include "findings.h"
#include "idno.h"
#include "labels.h"
#include "ledger.h"
#include "strbuf.h"

/* The order of the lists' items, by township: open items first, in the
 * order of the kinds, then those closed since last month.  Sorted here on
 * their keys alone, so that SQL_WORK yields its rows as it finds them (a
 * sort there would find every item's evidence before the first row). */
static const char SQL_ORDER[] =
	"CREATE TEMP TABLE work_order AS SELECT w.rowid AS item FROM temp.work_list w"
	" LEFT JOIN ledger_rule k ON k.kind = w.kind"
	" LEFT JOIN zero_household z ON w.kind = 'zero_household' AND z.period = w.last_seen_period"
	"  AND z.household_id = w.household_id"
	" ORDER BY coalesce(w.city, ''), coalesce(w.county, ''),"
	"  CASE WHEN coalesce(w.township, '') = '' AND w.origin = 'external' THEN '县级' ELSE coalesce(w.township, '') END,"
	"  w.listed_open DESC, k.seq, coalesce(w.village, ''), w.household_id,"
	"  CASE WHEN w.kind = 'zero_household' THEN z.names ELSE w.name END, w.code";

/* One row per item of the lists, in work_order's order.  ?1 the period's
 * last day, ?2 --full-id (phones in the conflict texts whole). */
static const char SQL_WORK[] =
	"SELECT coalesce(w.city, ''), coalesce(w.county, ''),"
	"  CASE WHEN coalesce(w.township, '') = '' AND w.origin = 'external' THEN '县级' ELSE coalesce(w.township, '') END,"
	"  w.listed_open, w.code, w.kind, w.origin, w.village,"
	/* a zero-employment household: its members, as reconcile found them */
	"  CASE WHEN w.kind = 'zero_household' THEN z.names ELSE w.name END,"
	"  CASE WHEN w.person_key IS NOT NULL OR w.origin = 'external' THEN w.subject END, p.phone, w.household_id,"
	/* the evidence: d1 .. d4, n1, n2 */
	"  CASE w.kind WHEN 'not_entered' THEN p.roster_employed WHEN 'hr_only' THEN p.hr_status"
	"   WHEN 'invalid_id' THEN p.reason"
	/* "姓名：扶贫系统“甲”→ 省平台“乙”；…", phones masked unless ?2 (--full-id) */
	"   WHEN 'conflict' THEN (SELECT group_concat(t, '；') FROM (SELECT CASE WHEN c.field = 'gender_id'"
	"     THEN '性别与证件号码不符（扶贫系统“' || coalesce(c.roster_value, '') || '”，省平台“' || coalesce(c.hr_value, '') || '”）'"
	"     ELSE coalesce(l.label, c.field) || '：扶贫系统“' ||"
	"      CASE WHEN c.field = 'phone' AND NOT ?2 THEN bf_mask_phone(coalesce(c.roster_value, ''))"
	"       ELSE coalesce(c.roster_value, '') END || '”→ 省平台“' ||"
	"      CASE WHEN c.field = 'phone' AND NOT ?2 THEN bf_mask_phone(coalesce(c.hr_value, ''))"
	"       ELSE coalesce(c.hr_value, '') END || '”' END AS t"
	"    FROM conflict c LEFT JOIN label l ON l.kind = 'field' AND l.code = c.field"
	"    WHERE c.period = w.last_seen_period AND c.id_number = w.person_key ORDER BY c.rowid))"
	"   ELSE w.detail END,"
	"  CASE w.kind WHEN 'not_entered' THEN p.work_region WHEN 'invalid_id' THEN r.proposed_id END,"
	"  r.rule, r.evidence, z.members, z.able_members,"
	"  w.responsible, w.person, w.helper, w.deadline_on,"
	"  CAST(julianday(coalesce(w.closed_on, ?1)) - julianday(w.opened_on) AS INTEGER),"
	"  w.deadline_on < ?1, w.closed_on, w.basis, w.closed_period, w.reopened, w.note, w.return_status, w.return_on,"
	"  w.return_handler, w.opened_period, w.kind IN ('zero_household', 'became_unemployed')"
	" FROM temp.work_order o CROSS JOIN temp.work_list w ON w.rowid = o.item"
	" LEFT JOIN person p ON p.period = w.last_seen_period AND p.person_key = w.person_key"
	" LEFT JOIN repair r ON w.kind = 'invalid_id' AND r.rowid = (SELECT min(x.rowid) FROM repair x"
	"  WHERE x.period = w.last_seen_period AND x.person_key = w.person_key)"
	" LEFT JOIN zero_household z ON w.kind = 'zero_household' AND z.period = w.last_seen_period"
	"  AND z.household_id = w.household_id"
	" ORDER BY o.rowid";

enum { Q_CITY, Q_COUNTY, Q_TOWNSHIP, Q_OPEN, Q_CODE, Q_KIND, Q_ORIGIN, Q_VILLAGE, Q_NAME, Q_ID, Q_PHONE, Q_HOUSEHOLD,
       Q_D1, Q_D2, Q_D3, Q_D4, Q_N1, Q_N2, Q_UNIT, Q_PERSON, Q_HELPER, Q_DEADLINE, Q_DAYS, Q_OVERDUE, Q_CLOSED,
       Q_BASIS, Q_CLOSED_PERIOD, Q_REOPENED, Q_NOTE, Q_RETURN_STATUS, Q_RETURN_ON, Q_RETURN_HANDLER, Q_OPENED_PERIOD,
       Q_HELPS };

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
	struct xlsx_column cols[LW_N];
	int number;           /* the sheet's items so far */
	int open_rows;        /* of them open (the rows a township fills in) */
	int closed_started;   /* the 上月以来已销号 part has begun */
	int full_id;
	char period_end[11];
};

/* A sheet is done: the drop-down of 整改情况 over the open items, IDs as
 * text, the filter. */
static void work_sheet_end(struct xlsx_split *sp)
{
	const struct work_state *s = sp->ctx;
	lxw_data_validation dv = {0};
	int last_open = sp->first_row + s->open_rows - 1;

	if (sp->row > sp->first_row)
		xlsx_text_ids(sp->ws, sp->first_row, sp->row - 1, LW_ID, LW_HOUSEHOLD);
	if (s->open_rows > 0) {
		dv.validate = LXW_VALIDATION_TYPE_LIST;
		dv.value_list = (char **)LEDGER_RETURN_CHOICES;
		dv.show_error = LXW_VALIDATION_ON;
		dv.error_title = "整改情况";
		dv.error_message = "请选择：已整改、整改中、无法整改（无法整改须在整改说明中写明原因）";
		worksheet_data_validation_range(sp->ws, (lxw_row_t)sp->first_row, LW_STATUS, (lxw_row_t)last_open,
						LW_STATUS, &dv);
		xlsx_autofilter(&sp->book, sp->ws, sp->first_row - 1, 0, last_open, LW_N - 1);
	}
}

/* A sheet opened: names of a household's members and texts wrap rather than widen. */
static void work_sheet_start(struct xlsx_split *sp)
{
	struct work_state *s = sp->ctx;

	xlsx_column_cap(&sp->book, sp->ws, LW_NAME, 16);
	xlsx_column_cap(&sp->book, sp->ws, LW_STATE, 16);
	s->number = 0;
	s->open_rows = 0;
	s->closed_started = 0;
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
	char text[1024];

	(void)err;
	worksheet_set_column(ws, 1, 1, 100, b->text_wrap);
	snprintf(text, sizeof text,
		 "%s 的问题台账（挂单销号）中本乡镇的问题：扶贫系统名单与省平台比对发现的，以及回头看、联点督查、12317投诉"
		 "等问题清单交办的。每个乡镇一张表，先列在办的问题（截至 %s），再列上月以来已销号的问题。每个问题有问题编号，"
		 "报回时以问题编号为准，请勿改动编号。",
		 period, s->period_end);
	xlsx_note(b, ws, row++, "用途", text);
	xlsx_note(b, ws, row++, "填写",
		  "在办问题的黄色列：整改情况（下拉选择：已整改、整改中、无法整改）、整改日期（如 2020-05-08）、经办人，"
		  "无法整改的须在整改说明中写明原因；责任人如有变化请改写；就业转失业人员和零就业家庭请填写帮扶责任人。"
		  "不必报的行留空。填好后整个文件报县级人社部门，可多次报送，同一文件再次报送以新内容为准。");
	snprintf(text, sizeof text,
		 "整改时限为挂单日期（比对发现的为数据期最后一天，交办的为发现日期）加问题类别规定的天数，或交办清单所列；"
		 "挂单天数算至 %s。状态：在办、逾期（已过整改时限）；乡镇报已整改后，以后的比对数据仍有此问题的，重新挂单。",
		 s->period_end);
	xlsx_note(b, ws, row++, "整改时限", text);
	xlsx_note(b, ws, row++, "销号",
		  "比对发现的问题，以后某期比对不再发现即销号（数据核实），乡镇报已整改也可销号（乡镇报结），"
		  "就业转失业须两者兼有；回头看、督查、12317投诉等交办的问题只能由乡镇报结销号。");
	xlsx_note(b, ws, row++, "未录入省平台", "扶贫系统名单中有、省平台没有的人：核实就业情况后在省平台录入。");
	xlsx_note(b, ws, row++, "信息不一致",
		  "两个系统都有但信息不同的人：“情况”列写明哪一项、扶贫系统是什么、省平台是什么（旧→新）。核实后更正错误的一方。");
	xlsx_note(b, ws, row++, "证件号码无效",
		  "证件号码无效、无法比对的人；有“拟更正为”的，请对照身份证原件确认后更正，没有的请核实正确号码。"
		  "证件号码列和“拟更正为”之后的号码隐去同样的几位，但更正改动的那几位两处都显示，便于对照。");
	xlsx_note(b, ws, row++, "扶贫名单外人员", "省平台有、扶贫系统名单中没有的人：核实是否属于脱贫人口或监测对象。");
	xlsx_note(b, ws, row++, "零就业家庭",
		  "有劳动能力成员但全家无人就业的户（“一户一就业”）：明确帮扶责任人，了解就业意愿，推送岗位，帮助至少一人就业。");
	xlsx_note(b, ws, row++, "就业转失业",
		  "上月已就业、本月未就业的人：帮扶责任人“一对一”帮扶，做好失业登记，每周至少推送一次岗位信息。");
	xlsx_note(b, ws, row++, "个人信息",
		  full_id ? "本清单含完整证件号码和电话，请妥善保管，不要外传。"
			  : "为保护个人信息，证件号码和联系电话中间几位已隐去；核对身份请以姓名、行政村和户编号为准。");
	return 0;
}

/* 情况 and 请办理 of an open item, from its kind and evidence. */
static void describe(struct work_state *s, const struct dbread_row *st, char *id_shown, size_t idsz, struct strbuf *detail,
		     struct strbuf *action)
{
	const char *kind = dbread_str(st, Q_KIND);
	char proposed[128];

	if (strcmp(kind, "not_entered") == 0) {
		strbuf_addstr(detail, "扶贫系统有此人，省平台没有记录");
		if (dbread_str(st, Q_D1)[0])
			strbuf_addf(detail, "；扶贫系统记录：是否已就业 %s%s%s", dbread_str(st, Q_D1),
				    dbread_str(st, Q_D2)[0] ? "，" : "", dbread_str(st, Q_D2));
		strbuf_addstr(action, "核实就业情况后在省平台录入");
	} else if (strcmp(kind, "conflict") == 0) {
		strbuf_addstr(detail, dbread_str(st, Q_D1));
		strbuf_addstr(action, "核实后更正错误的一方（扶贫系统或省平台）");
	} else if (strcmp(kind, "invalid_id") == 0) {
		strbuf_addf(detail, "证件号码%s，无法比对", id_status_label(dbread_str(st, Q_D1)));
		if (dbread_str(st, Q_D2)[0]) {
			/* The wrong ID and the repair masked alike, with the
			 * characters the repair changes shown in both. */
			if (s->full_id)
				snprintf(proposed, sizeof proposed, "%s", dbread_str(st, Q_D2));
			else
				idno_mask_pair(dbread_str(st, Q_ID), dbread_str(st, Q_D2), id_shown, idsz, proposed,
					       sizeof proposed);
			strbuf_addf(detail, "；拟更正为 %s（%s；%s）", proposed, label_of("repair_rule", dbread_str(st, Q_D3)),
				    dbread_str(st, Q_D4));
			strbuf_addstr(action, "对照身份证原件确认后更正证件号码");
		} else {
			strbuf_addstr(action, "核实正确的证件号码并更正");
		}
	} else if (strcmp(kind, "hr_only") == 0) {
		strbuf_addstr(detail, "省平台有此人，扶贫系统名单中没有");
		if (dbread_str(st, Q_D1)[0])
			strbuf_addf(detail, "；省平台就业状态 %s", dbread_str(st, Q_D1));
		strbuf_addstr(action, "核实是否属于脱贫人口或监测对象");
	} else if (strcmp(kind, "zero_household") == 0) {
		strbuf_addf(detail, "全户 %lld 人，其中有劳动能力 %lld 人，均未就业", dbread_int64(st, Q_N1),
			    dbread_int64(st, Q_N2));
		strbuf_addstr(action, "了解就业意愿，推送岗位，帮助至少一人就业");
	} else if (strcmp(kind, "duplicate") == 0) {
		strbuf_addf(detail, "同一证件号码重复：%s", dbread_str(st, Q_D1));
		strbuf_addstr(action, "由记录重复的系统去重");
	} else if (strcmp(kind, "became_unemployed") == 0) {
		strbuf_addf(detail, "就业转失业：%s", dbread_str(st, Q_D1));
		strbuf_addstr(action, "做好失业登记，帮扶责任人一对一帮扶，每周推送岗位");
	} else if (strcmp(kind, "recalibrate") == 0) {
		strbuf_addstr(detail, dbread_str(st, Q_D1));
		strbuf_addstr(action, "重新开展信息校准（见重新校准清单）");
	} else {
		/* found outside the data: the list's own words */
		if (s->full_id)
			strbuf_addstr(detail, dbread_str(st, Q_D1));
		else
			findings_mask_text(dbread_str(st, Q_D1), detail);
		strbuf_addstr(action, "按交办要求整改");
	}
	if (dbread_str(st, Q_NOTE)[0])
		strbuf_addf(detail, "；%s", dbread_str(st, Q_NOTE));
	else if (dbread_int(st, Q_OPEN) && strcmp(dbread_str(st, Q_OPENED_PERIOD), s->sp.period) < 0 &&
		 strcmp(dbread_str(st, Q_ORIGIN), "data") == 0)
		strbuf_addf(detail, "；自 %s 起挂单，尚未销号", dbread_str(st, Q_OPENED_PERIOD));
}

static void work_row(struct work_state *s, const struct dbread_row *st, struct strbuf *detail, struct strbuf *action)
{
	struct xlsx_book *b = &s->sp.book;
	lxw_worksheet *ws = s->sp.ws;
	int open = dbread_int(st, Q_OPEN), row = s->sp.row;
	const char *id = dbread_str(st, Q_ID), *phone = dbread_str(st, Q_PHONE);
	char id_shown[128], phone_shown[128];

	if (!open && !s->closed_started) {
		/* the items closed since last month follow the open ones */
		s->closed_started = 1;
		s->number = 0;
		xlsx_put_merged(b, ws, row, 0, LW_N - 1, "上月以来已销号", b->total_text);
		row = ++s->sp.row;
	}
	if (s->full_id) {
		snprintf(id_shown, sizeof id_shown, "%s", id);
		snprintf(phone_shown, sizeof phone_shown, "%s", phone);
	} else {
		idno_mask(id, id_shown, sizeof id_shown);
		idno_mask_phone(phone, phone_shown, sizeof phone_shown);
	}
	strbuf_reset(detail);
	strbuf_reset(action);
	describe(s, st, id_shown, sizeof id_shown, detail, action);
	xlsx_put_number(b, ws, row, LW_NO, ++s->number, b->count);
	xlsx_put_text(b, ws, row, LW_CODE, dbread_str(st, Q_CODE), b->text);
	xlsx_put_text(b, ws, row, LW_KIND, label_of("problem_kind", dbread_str(st, Q_KIND)), b->text);
	xlsx_put_text(b, ws, row, LW_NAME, dbread_str(st, Q_NAME), b->text);
	xlsx_put_text(b, ws, row, LW_ID, id_shown, b->text);
	xlsx_put_text(b, ws, row, LW_PHONE, phone_shown, b->text);
	xlsx_put_text(b, ws, row, LW_VILLAGE, dbread_str(st, Q_VILLAGE), b->text);
	xlsx_put_text(b, ws, row, LW_HOUSEHOLD, dbread_str(st, Q_HOUSEHOLD), b->text);
	xlsx_put_text(b, ws, row, LW_DETAIL, strbuf_str(detail), b->text_wrap);
	xlsx_put_text(b, ws, row, LW_ACTION, open ? strbuf_str(action) : "", b->text_wrap);
	xlsx_put_text(b, ws, row, LW_UNIT, dbread_str(st, Q_UNIT), b->text_wrap);
	xlsx_put_text(b, ws, row, LW_DEADLINE, dbread_str(st, Q_DEADLINE), b->text);
	xlsx_put_number(b, ws, row, LW_DAYS, dbread_double(st, Q_DAYS), b->count);
	if (open) {
		int overdue = dbread_int(st, Q_OVERDUE);

		strbuf_reset(action);
		strbuf_addstr(action, label_of("ledger_state", overdue ? "overdue" : "open"));
		if (dbread_int(st, Q_REOPENED))
			strbuf_addstr(action, "，重新挂单");
		if (dbread_str(st, Q_RETURN_STATUS)[0])
			strbuf_addf(action, "；%s 报%s", dbread_str(st, Q_RETURN_ON),
				    label_of("return_status", dbread_str(st, Q_RETURN_STATUS)));
		xlsx_put_text(b, ws, row, LW_STATE, strbuf_str(action), overdue ? b->flag : b->text);
		xlsx_put_text(b, ws, row, LW_PERSON, dbread_str(st, Q_PERSON), b->input);
		if (dbread_int(st, Q_HELPS))
			xlsx_put_text(b, ws, row, LW_HELPER, dbread_str(st, Q_HELPER), b->input);
		else
			xlsx_put_text(b, ws, row, LW_HELPER, "", b->text);
		for (int c = LW_STATUS; c <= LW_NOTE; c++)
			worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)c, b->input);
		s->open_rows++;
	} else {
		xlsx_put_text(b, ws, row, LW_STATE, label_of("ledger_state", "closed"), b->text);
		xlsx_put_text(b, ws, row, LW_PERSON, dbread_str(st, Q_PERSON), b->text);
		xlsx_put_text(b, ws, row, LW_HELPER, dbread_int(st, Q_HELPS) ? dbread_str(st, Q_HELPER) : "", b->text);
		xlsx_put_text(b, ws, row, LW_STATUS, LEDGER_CLOSED_MARK, b->text);
		xlsx_put_text(b, ws, row, LW_DATE, dbread_str(st, Q_CLOSED), b->text);
		xlsx_put_text(b, ws, row, LW_HANDLER, strstr(dbread_str(st, Q_BASIS), "return") ? dbread_str(st, Q_RETURN_HANDLER) : "",
			      b->text);
		strbuf_reset(action);
		strbuf_addstr(action, label_of("ledger_basis", dbread_str(st, Q_BASIS)));
		if (strstr(dbread_str(st, Q_BASIS), "data") && dbread_str(st, Q_CLOSED_PERIOD)[0])
			strbuf_addf(action, "（%s 数据不再发现）", dbread_str(st, Q_CLOSED_PERIOD));
		xlsx_put_text(b, ws, row, LW_NOTE, strbuf_str(action), b->text_wrap);
	}
	s->sp.row++;
}

/* The findings of the period must be as its reconcile and checks left them. */
static int check_findings(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	int fresh = findings_fresh(db, period, err);

	if (fresh < 0)
		return -1;
	if (!fresh)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(db, "main"), 0, 0, "stale_findings",
				   "the findings of %s are older than its reconciliation or township checks: "
				   "run bangfu-ledger --period %s (or bangfu-verify --period %s) to bring them up to date",
				   period, period, period);
	return 0;
}

int report_townships(struct report_ctx *c, struct outputs *outs, struct bangfu_err *err)
{
	const struct report_options *opt = c->opt;
	struct work_state s = {.full_id = opt->full_id};
	struct strbuf detail, action;
	sqlite3_stmt *st;
	struct dbread *rows;
	const struct dbread_row *row;
	int step, rc = -1;

	if (mkdir(opt->townships_dir, 0700) != 0 && errno != EEXIST)
		return bangfu_fail(err, ERR_INPUT, opt->townships_dir, 0, 0, "cannot_write",
				   "cannot create the directory: %s", strerror(errno));
	if (check_findings(c->db, opt->period, err) != 0 || findings_work_list(c->db, opt->period, err) != 0)
		return -1;
	findings_period_end(opt->period, s.period_end);
	for (int k = 0; k < LW_N; k++)
		s.cols[k] = (struct xlsx_column){LEDGER_WORK_COLUMNS[k].label, LEDGER_WORK_COLUMNS[k].width};
	s.sp = (struct xlsx_split){.outs = outs, .dir = opt->townships_dir, .prefix = "乡镇工作清单",
				   .title = "就业帮扶工作清单（挂单销号）", .period = opt->period, .cols = s.cols,
				   .ncols = LW_N, .on_book = work_instructions, .on_sheet = work_sheet_start,
				   .on_sheet_end = work_sheet_end, .ctx = &s};
	if (db_exec(c->db, "DROP TABLE IF EXISTS temp.work_order", err) != 0 || db_exec(c->db, SQL_ORDER, err) != 0 ||
	    db_prepare(c->db, SQL_WORK, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, s.period_end, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, opt->full_id);
	strbuf_init(&detail);
	strbuf_init(&action);
	/* the items found on another thread while these are written */
	rows = dbread_start(st);
	while ((row = dbread_next(rows))) {
		if (xlsx_split_to(&s.sp, dbread_str(row, Q_CITY), dbread_str(row, Q_COUNTY), dbread_str(row, Q_TOWNSHIP), err) !=
		    0)
			break;
		work_row(&s, row, &detail, &action);
		c->sum->township_items += dbread_int(row, Q_OPEN);
	}
	step = dbread_finish(rows);
	if (row) /* a workbook failed: err says which */
		goto out;
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
