/* labels — see labels.h. */
#include "labels.h"

#include <stdio.h>
#include <string.h>

#include "db.h"

static const struct label LABELS[] = {
	/* reconciliation categories (SPEC §5) */
	{"category", "consistent", "一致"},
	{"category", "conflict", "不一致"},
	{"category", "roster_only", "仅扶贫系统"},
	{"category", "hr_only", "仅人社平台"},
	{"category", "invalid_id", "证件号码无效"},
	{"category", "duplicate", "重复"},
	/* fields compared by reconcile */
	{"field", "name", "姓名"},
	{"field", "gender", "性别"},
	{"field", "gender_id", "性别与身份证号不符"},
	{"field", "employed", "就业状态"},
	{"field", "work_region", "就业地区"},
	{"field", "employer", "就业单位"},
	{"field", "phone", "联系电话"},
	/* the township's check verdict (湘人社函〔2020〕58号: below 90% recalibrate) */
	{"verdict", "pass", "达标"},
	{"verdict", "recalibrate", "需重新校准"},
	{"verdict", "undecided", "待补充核查"},
	/* answers on the check sheets */
	{"check_result", "accurate", "准确"},
	{"check_result", "inaccurate", "不准确"},
	{"check_result", "unreachable", "无法联系"},
	/* kinds of the problem list (挂单销号) */
	{"problem_kind", "not_entered", "未录入省平台"},
	{"problem_kind", "conflict", "信息不一致"},
	{"problem_kind", "invalid_id", "证件号码无效"},
	{"problem_kind", "duplicate", "重复记录"},
	{"problem_kind", "zero_household", "零就业家庭"},
	{"problem_kind", "recalibrate", "需重新校准乡镇"},
	{"problem_kind", "hr_only", "扶贫名单外人员"},
	{"problem_kind", "became_unemployed", "就业转失业"},
	{"problem_kind", "lookback", "回头看问题"},
	{"problem_kind", "inspection", "联点督查问题"},
	{"problem_kind", "hotline", "12317投诉问题"},
	{"problem_kind", "feedback", "其他反馈问题"},
	{"problem_state", "open", "在办"},
	{"problem_state", "closed", "已销号"},
	/* the ledger (挂单销号): an item's state on a day, why it was closed,
	 * what a township returned, what may close an item of a kind, and
	 * where an item comes from */
	{"ledger_state", "open", "在办"},
	{"ledger_state", "overdue", "逾期"},
	{"ledger_state", "closed", "已销号"},
	{"ledger_basis", "data", "数据核实"},
	{"ledger_basis", "return", "乡镇报结"},
	{"ledger_basis", "data+return", "乡镇报结、数据核实"},
	{"return_status", "done", "已整改"},
	{"return_status", "ongoing", "整改中"},
	{"return_status", "unable", "无法整改"},
	{"closed_by", "data", "数据核实销号"},
	{"closed_by", "return", "乡镇报结销号"},
	{"closed_by", "either", "数据核实或乡镇报结销号"},
	{"closed_by", "both", "乡镇报结且数据核实销号"},
	{"ledger_origin", "data", "数据比对"},
	{"ledger_origin", "external", "外部问题清单"},
	/* sources */
	{"source", "roster", "扶贫系统"},
	{"source", "hr", "省平台"},
	{"source", "service", "就业服务平台"},
	{"source", "ledger", "务工情况电子台账"},
	{"source", "posts", "公益性岗位花名册"},
	/* ID statuses (idno) */
	{"id_status", "ok", "正确"},
	{"id_status", "empty", "空"},
	{"id_status", "bad_length", "长度错误"},
	{"id_status", "bad_char", "含非法字符"},
	{"id_status", "bad_check", "校验码错误"},
	{"id_status", "bad_birth", "出生日期无效"},
	{"id_status", "bad_province", "省份代码无效"},
	{"id_status", "excel_damage", "Excel损坏"},
	{"id_damage", "excel_scientific", "被 Excel 显示为科学计数法"},
	{"id_damage", "excel_rounded", "末几位被 Excel 改成 0"},
	/* how a proposed ID repair was found */
	{"repair_rule", "substitution", "一位数字录错"},
	{"repair_rule", "transposition", "相邻两位颠倒"},
	{"repair_rule", "excel_scientific", "被 Excel 显示为科学计数法"},
	{"repair_rule", "excel_rounded", "末几位被 Excel 改成 0"},
	{"repair_rule", "name_birth_township", "同名、同出生日期、同乡镇"},
	/* month-over-month changes */
	{"change", "newly_employed", "新就业"},
	{"change", "became_unemployed", "就业转失业"},
	{"change", "newly_returned", "返乡回流"},
	{"change", "new_in_roster", "扶贫系统新增"},
	{"change", "gone_from_roster", "扶贫系统退出"},
	{"change", "new_in_hr", "省平台新增"},
	{"change", "gone_from_hr", "省平台退出"},
	{"change", "id_corrected", "证件号码更正"},
	{"change", "id_damaged", "证件号码变为无效"},
	/* who a subsidy is paid to */
	{"recipient", "person", "个人"},
	{"recipient", "employer", "用人单位"},
	{"recipient", "agency", "人力资源服务机构"},
	/* populations (person.population; templates/population_values.csv) */
	{"population", "exited", "脱贫人口"},
	{"population", "monitored", "监测对象"},
	{"population", "low_income", "农村低收入人口"},
	{"population", "other", "其他人员"},
	/* yes / no columns (0/1) */
	{"yesno", "1", "是"},
	{"yesno", "0", "否"},
	/* the sex an ID number gives (17th digit: odd men, even women) */
	{"sex", "M", "男"},
	{"sex", "F", "女"},
	/* a duplicated ID: in which source it repeats (person.reason) */
	{"duplicate_in", "roster", "扶贫系统内重复"},
	{"duplicate_in", "hr", "省平台内重复"},
	{"duplicate_in", "roster+hr", "两个系统内均重复"},
	/* which list a subsidy candidate is on */
	{"list_level", "county", "县级名单"},
	{"list_level", "province", "省级名单"},
	/* why a record was not loaded (v_reject.code) */
	{"reject", "missing_id", "缺少证件号码"},
	{"reject", "nul_byte", "含空字符"},
	{"reject", "bad_encoding", "编码无法识别"},
	{"reject", "mixed_encoding", "编码混杂"},
	{"reject", "too_few_fields", "列数过少"},
	{"reject", "too_many_fields", "列数过多"},
	{"reject", "record_too_long", "记录过长"},
	{"reject", "unterminated_quote", "引号未闭合"},
	/* what to look at in a loaded record (v_warning.code) */
	{"warning", "bad_date", "日期无法识别"},
	{"warning", "region_unknown", "地区无法识别"},
	{"warning", "gender_mismatch", "性别与身份证号不符"},
	/* the steps of bangfu-month */
	{"step", "ingest", "导入"},
	{"step", "reconcile", "比对"},
	{"step", "sample", "抽样"},
	{"step", "verify", "核实"},
	{"step", "ledger", "问题台账"},
	{"step", "screen", "补贴筛选"},
	{"step", "report", "进度报表"},
	{"step", "checklist", "工作清单"},
	{"step", "pack", "打包"},
};

const char *label_of(const char *kind, const char *code)
{
	if (!code)
		return "";
	for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++)
		if (strcmp(LABELS[i].kind, kind) == 0 && strcmp(LABELS[i].code, code) == 0)
			return LABELS[i].text;
	return code;
}

/* A fingerprint of the table (FNV-1a over every entry), to tell whether the
 * database's copy is current without comparing every row. */
static unsigned long long fingerprint(void)
{
	unsigned long long h = 1469598103934665603ULL;

	for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++) {
		const char *parts[3] = {LABELS[i].kind, LABELS[i].code, LABELS[i].text};

		for (int k = 0; k < 3; k++) {
			for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++)
				h = (h ^ *p) * 1099511628211ULL;
			h = (h ^ 0x1f) * 1099511628211ULL;
		}
	}
	return h;
}

int labels_sync(sqlite3 *db, struct bangfu_err *err)
{
	sqlite3_stmt *st = NULL;
	char want[32];
	int current = 0;

	snprintf(want, sizeof want, "%016llx", fingerprint());
	if (sqlite3_prepare_v2(db, "SELECT fingerprint = ? FROM label_version", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, want, -1, SQLITE_STATIC);
		current = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	if (current)
		return 0;
	if (db_begin(db, err) != 0)
		return -1;
	if (db_exec(db, "DELETE FROM label; DELETE FROM label_version", err) != 0 ||
	    db_prepare(db, "INSERT INTO label (kind, code, label) VALUES (?, ?, ?)", &st, err) != 0)
		goto fail;
	for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++) {
		sqlite3_bind_text(st, 1, LABELS[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, LABELS[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, LABELS[i].text, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(db, err, "recording the labels");
			goto fail;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (db_prepare(db, "INSERT INTO label_version (fingerprint) VALUES (?)", &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, want, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, err, "recording the labels");
		goto fail;
	}
	sqlite3_finalize(st);
	return db_commit(db, err);
fail:
	sqlite3_finalize(st);
	db_rollback(db);
	return -1;
}
