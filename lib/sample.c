/* sample — see sample.h.
 *
 * The draw: every HR-platform person of the period with a valid ID gets the
 * key prng_key(seed, "PERIOD|ID"); in each township the sample_size smallest
 * keys are drawn.  The key does not depend on row order, file order or
 * machine, so period + seed + data fix the sample. */
#include "sample.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "idno.h"
#include "outputs.h"
#include "prng.h"
#include "reconcile.h"
#include "strbuf.h"
#include "tmpl.h"
#include "xlsx.h"

#define ALGORITHM "SplitMix64-keyed FNV-1a 64 of 'PERIOD|ID'; smallest keys per township"

int sample_plan_load(struct sample_plan *plan, struct bangfu_err *err)
{
	struct tmpl_policy *p;
	int rc = -1;

	memset(plan, 0, sizeof *plan);
	if (tmpl_policy_load("sampling.csv", &p, err) != 0)
		return -1;
	snprintf(plan->path, sizeof plan->path, "%s", tmpl_policy_path(p));
	if (tmpl_policy_int(p, "sample_size", &plan->sample_size, err) != 0 ||
	    tmpl_policy_int(p, "min_answered", &plan->min_answered, err) != 0 ||
	    tmpl_policy_double(p, "threshold", &plan->threshold, err) != 0 ||
	    tmpl_policy_double(p, "confidence", &plan->confidence, err) != 0)
		goto out;
	if (plan->sample_size < 1 || plan->min_answered < 1 || plan->min_answered > plan->sample_size ||
	    plan->threshold <= 0 || plan->threshold >= 1 ||
	    (plan->confidence != 0.90 && plan->confidence != 0.95 && plan->confidence != 0.99)) {
		bangfu_fail(err, ERR_INPUT, plan->path, 0, 0, "bad_template",
			    "the plan needs sample_size ≥ 1, 1 ≤ min_answered ≤ sample_size, 0 < threshold < 1 "
			    "and confidence 0.90, 0.95 or 0.99");
		goto out;
	}
	rc = 0;
out:
	tmpl_policy_free(p);
	return rc;
}

static void fn_draw_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char text[64];

	(void)argc;
	snprintf(text, sizeof text, "%s|%s", (const char *)sqlite3_value_text(argv[1]),
		 (const char *)sqlite3_value_text(argv[2]));
	/* Keep it positive: SQLite integers are signed. */
	sqlite3_result_int64(ctx, (sqlite3_int64)(prng_key((uint64_t)sqlite3_value_int64(argv[0]), text) >> 1));
}

static char *read_text_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char buf[4096];
	size_t n;

	strbuf_init(&sb);
	if (!f)
		return strdup("");
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return sb.buf ? sb.buf : strdup("");
}

static const char SQL_DRAW[] =
	"INSERT INTO sample (period, sample_code, id_number, city, county, township, draw_rank, draw_key)"
	" WITH pool AS (SELECT id_number, coalesce(city, '') AS city, coalesce(county, '') AS county,"
	"   coalesce(township, '') AS township, bf_draw_key(?2, ?1, id_number) AS k"
	"   FROM person WHERE period = ?1 AND in_hr AND id_valid),"
	" ranked AS (SELECT *, row_number() OVER (PARTITION BY city, county, township ORDER BY k, id_number) AS rnk,"
	"   dense_rank() OVER (ORDER BY city, county, township) AS town_no FROM pool)"
	" SELECT ?1, printf('%s-%04d-%03d', replace(?1, '-', ''), town_no, rnk), id_number, city, county, township,"
	"  rnk, k FROM ranked WHERE rnk <= ?3";

static int run_delete(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	static const char *const sql[] = {"DELETE FROM sample WHERE period = ?", "DELETE FROM sample_plan WHERE period = ?"};

	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st;
		int rc;

		if (db_prepare(db, sql[i], &st, err) != 0)
			return -1;
		sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, "removing the earlier sample");
	}
	return 0;
}

int sample_draw(sqlite3 *db, const struct sample_options *opt, const struct sample_plan *plan,
		struct sample_summary *sum, struct bangfu_err *err)
{
	sqlite3_stmt *st = NULL;
	int have_sample = 0, rc;
	uint64_t old_seed = 0;
	long results = 0;
	char *plan_text = NULL, now[32];

	memset(sum, 0, sizeof *sum);
	if (sqlite3_create_function(db, "bf_draw_key", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_draw_key,
				    NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "registering SQL functions");
	if (db_begin(db, err) != 0)
		return -1;
	if (db_prepare(db, "SELECT seed, (SELECT count(*) FROM check_result WHERE period = ?1)"
			   " FROM sample_plan WHERE period = ?1",
		       &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		have_sample = 1;
		old_seed = (uint64_t)sqlite3_column_int64(st, 0);
		results = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	st = NULL;

	if (opt->seed_given)
		sum->seed = opt->seed;
	else if (have_sample)
		sum->seed = old_seed;
	else
		sum->seed = (uint64_t)strtoull(opt->period, NULL, 10) * 100 + (uint64_t)atoi(opt->period + 5);

	if (have_sample && sum->seed == old_seed) {
		/* Same period, same seed: the sample stands (results may hang on it). */
		sum->redrawn = 0;
	} else {
		if (have_sample && results > 0) {
			bangfu_fail(err, ERR_INPUT, "", 0, 0, "sample_in_use",
				    "the %s sample (seed %llu) already has %ld check results; drawing another with "
				    "seed %llu would orphan them",
				    opt->period, (unsigned long long)old_seed, results, (unsigned long long)sum->seed);
			goto fail;
		}
		if (run_delete(db, opt->period, err) != 0)
			goto fail;
		if (db_prepare(db, SQL_DRAW, &st, err) != 0)
			goto fail;
		sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)sum->seed);
		sqlite3_bind_int64(st, 3, plan->sample_size);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		st = NULL;
		if (rc != SQLITE_DONE) {
			db_fail(db, err, "drawing the sample");
			goto fail;
		}
		plan_text = read_text_file(plan->path);
		db_now_iso(now);
		if (db_prepare(db, "INSERT INTO sample_plan (period, seed, algorithm, sample_size, min_answered,"
				   " threshold, confidence, plan_text, drawn_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       &st, err) != 0)
			goto fail;
		sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)sum->seed);
		sqlite3_bind_text(st, 3, ALGORITHM, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, plan->sample_size);
		sqlite3_bind_int64(st, 5, plan->min_answered);
		sqlite3_bind_double(st, 6, plan->threshold);
		sqlite3_bind_double(st, 7, plan->confidence);
		sqlite3_bind_text(st, 8, plan_text, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 9, now, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		st = NULL;
		if (rc != SQLITE_DONE) {
			db_fail(db, err, "recording the plan");
			goto fail;
		}
		sum->redrawn = 1;
	}
	if (db_prepare(db, "SELECT count(*), count(DISTINCT city || '/' || county || '/' || township),"
			   " (SELECT count(*) FROM person WHERE period = ?1 AND in_hr AND id_valid)"
			   " FROM sample WHERE period = ?1",
		       &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		sum->sampled = (long)sqlite3_column_int64(st, 0);
		sum->townships = (long)sqlite3_column_int64(st, 1);
		sum->pool = (long)sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	free(plan_text);
	return db_commit(db, err);
fail:
	sqlite3_finalize(st);
	free(plan_text);
	db_rollback(db);
	return -1;
}

/* ---- check sheets ---- */

enum {
	COL_CODE, COL_NAME, COL_GENDER, COL_VILLAGE, COL_PHONE, COL_ID, COL_STATUS, COL_TYPE, COL_PLACE,
	COL_EMPLOYER, COL_START, COL_ROSTER, COL_RESULT, COL_METHOD, COL_NEW_STATUS, COL_NEW_PLACE,
	COL_NEW_EMPLOYER, COL_CHECKER, COL_DATE, NCOLS
};

static const struct xlsx_column SHEET_COLUMNS[NCOLS] = {
	{"抽查编号", 15}, {"姓名", 10}, {"性别", 5}, {"行政村", 14}, {"联系电话", 13}, {"证件号码", 20},
	{"就业状态", 9}, {"就业类型", 12}, {"就业地点", 20}, {"就业单位", 24}, {"就业时间", 11},
	{"扶贫系统记录（与平台不一致处）", 28}, {"核查结果", 10}, {"核查方式", 10}, {"更正后就业状态", 10},
	{"更正后就业地点", 16}, {"更正后就业单位", 20}, {"核查人", 9}, {"核查日期", 12}};

/* The drop-down lists; libxlsxwriter 1.1 takes them as char **. */
static char *RESULTS[] = {"准确", "不准确", "无法联系", NULL};
static char *METHODS[] = {"电话回访", "现场核查", "交叉检查", NULL};
static char *STATUSES[] = {"已就业", "未就业", "失业", NULL};

/* The sample with what the platform records and, where the roster differs,
 * what the roster says. */
static const char SQL_SHEET_ROWS[] =
	"SELECT s.sample_code, p.name, p.gender, p.village, h.phone, s.id_number, h.employment_status,"
	" h.employment_type, coalesce(h.work_province, '') || coalesce(h.work_city, '') || coalesce(h.work_county, ''),"
	" h.employer, h.work_start,"
	" (SELECT group_concat(c.field || char(31) || coalesce(c.roster_value, ''), char(30)) FROM conflict c"
	"   WHERE c.period = s.period AND c.id_number = s.id_number),"
	" s.city, s.county, s.township"
	" FROM sample s JOIN person p ON p.period = s.period AND p.person_key = s.id_number"
	" LEFT JOIN hr_row h ON h.rowid = (SELECT min(rowid) FROM hr_row WHERE period = s.period AND id_number = s.id_number)"
	" WHERE s.period = ?1 ORDER BY s.city, s.county, s.township, s.draw_rank";

static void validation_list(lxw_worksheet *ws, int first, int last, int col, char **values, char *title)
{
	lxw_data_validation dv = {0};
	char message[] = "请从下拉列表中选择", error_title[] = "输入有误", error_message[] = "只能选择下拉列表中的值";

	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.value_list = values;
	dv.input_title = title;
	dv.input_message = message;
	dv.error_title = error_title;
	dv.error_message = error_message;
	worksheet_data_validation_range(ws, (lxw_row_t)first, (lxw_col_t)col, (lxw_row_t)last, (lxw_col_t)col, &dv);
}

static void validation_date(lxw_worksheet *ws, int first, int last, int col)
{
	lxw_data_validation dv = {0};
	lxw_datetime lo = {2020, 1, 1, 0, 0, 0}, hi = {2035, 12, 31, 0, 0, 0};
	char title[] = "核查日期", message[] = "填写日期，如 2026-11-05", error_title[] = "输入有误",
	     error_message[] = "请填写 2020 年至 2035 年之间的日期";

	dv.validate = LXW_VALIDATION_TYPE_DATE;
	dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
	dv.minimum_datetime = lo;
	dv.maximum_datetime = hi;
	dv.input_title = title;
	dv.input_message = message;
	dv.error_title = error_title;
	dv.error_message = error_message;
	worksheet_data_validation_range(ws, (lxw_row_t)first, (lxw_col_t)col, (lxw_row_t)last, (lxw_col_t)col, &dv);
}

struct sheet_state {
	struct xlsx_book book;
	int book_open;
	lxw_worksheet *ws;
	int first_row, row;
	char city[128], county[128], township[128];
};

static void finish_sheet(struct sheet_state *s)
{
	if (!s->ws)
		return;
	if (s->row > s->first_row) {
		int last = s->row - 1;

		validation_list(s->ws, s->first_row, last, COL_RESULT, RESULTS, (char[]){"核查结果"});
		validation_list(s->ws, s->first_row, last, COL_METHOD, METHODS, (char[]){"核查方式"});
		validation_list(s->ws, s->first_row, last, COL_NEW_STATUS, STATUSES, (char[]){"更正后就业状态"});
		validation_date(s->ws, s->first_row, last, COL_DATE);
		xlsx_text_ids(s->ws, s->first_row, last, COL_CODE, COL_CODE);
		xlsx_text_ids(s->ws, s->first_row, last, COL_PHONE, COL_ID);
		worksheet_autofilter(s->ws, (lxw_row_t)(s->first_row - 1), 0, (lxw_row_t)last, NCOLS - 1);
	}
	s->ws = NULL;
}

static int finish_book(struct sheet_state *s, struct bangfu_err *err)
{
	finish_sheet(s);
	if (!s->book_open)
		return 0;
	s->book_open = 0;
	return xlsx_close(&s->book, err);
}

static void instructions_sheet(struct sheet_state *s, const char *period)
{
	static const struct xlsx_column cols[] = {{"项目", 16}, {"说明", 100}};
	int row;
	lxw_worksheet *ws = xlsx_sheet(&s->book, "填表说明", "就业帮扶信息抽查核实表 填表说明", 0, cols, 2, &row);
	char text[512];

	snprintf(text, sizeof text,
		 "按湘人社函〔2020〕58号要求，对省平台录入的%s就业信息逐人电话回访、现场核查或交叉检查。"
		 "抽查准确率低于90%%的乡镇须重新开展信息校准。",
		 period);
	xlsx_note(&s->book, ws, row++, "目的", text);
	xlsx_note(&s->book, ws, row++, "填写范围", "只填黄色列：核查结果、核查方式、更正后就业状态/地点/单位、核查人、核查日期。其余列请勿修改，不要增删行，不要改动“抽查编号”。");
	xlsx_note(&s->book, ws, row++, "核查结果", "准确：平台记录与核实情况一致；不准确：有任何不一致，请在更正列填写核实后的情况；无法联系：多次联系未果。");
	xlsx_note(&s->book, ws, row++, "核查日期", "填写实际核查日期，如 2026-11-05。填了核查结果的行必须填写核查日期。");
	xlsx_note(&s->book, ws, row++, "证件号码", "为保护个人信息，证件号码中间位已隐去；核对身份请以姓名、联系电话和行政村为准。");
	xlsx_note(&s->book, ws, row++, "报送", "填好后保存为 Excel 文件（.xlsx）报县级人社部门，由其汇总导入。");
	worksheet_set_column(ws, 1, 1, 100, s->book.text_wrap);
}

int sample_write_sheets(sqlite3 *db, const struct sample_options *opt, struct sample_summary *sum,
			struct bangfu_err *err)
{
	struct sheet_state s = {0};
	struct outputs outs = {0};
	struct strbuf diffs;
	sqlite3_stmt *st;
	int step, rc = -1;

	strbuf_init(&diffs);
	if (mkdir(opt->out_dir, 0700) != 0 && errno != EEXIST)
		return bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "cannot create the directory: %s",
				   strerror(errno));
	if (db_prepare(db, SQL_SHEET_ROWS, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *city = (const char *)sqlite3_column_text(st, 12);
		const char *county = (const char *)sqlite3_column_text(st, 13);
		const char *township = (const char *)sqlite3_column_text(st, 14);
		const char *id = (const char *)sqlite3_column_text(st, 5);
		char masked[64], title[512];

		if (!s.book_open || strcmp(city, s.city) != 0 || strcmp(county, s.county) != 0) {
			char path[2048], unit[300];
			const char *tmp;

			if (finish_book(&s, err) != 0)
				goto out;
			snprintf(path, sizeof path, "%s/抽查核实表_%s_%s_%s.xlsx", opt->out_dir, city[0] ? city : "未填市州",
				 county[0] ? county : "未填县市区", opt->period);
			snprintf(unit, sizeof unit, "%s%s", city, county);
			/* every workbook under a temporary name until all are written */
			if (outputs_add(&outs, path, &tmp, err) != 0 || xlsx_open(&s.book, tmp, unit, opt->period, err) != 0)
				goto out;
			s.book_open = 1;
			sum->workbooks++;
			snprintf(s.city, sizeof s.city, "%s", city);
			snprintf(s.county, sizeof s.county, "%s", county);
			s.township[0] = '\0';
			instructions_sheet(&s, opt->period);
		}
		if (!s.ws || strcmp(township, s.township) != 0) {
			finish_sheet(&s);
			snprintf(s.township, sizeof s.township, "%s", township);
			snprintf(title, sizeof title, "%s%s 就业帮扶信息抽查核实表（%s）", county,
				 township[0] ? township : "（未填乡镇）", opt->period);
			s.ws = xlsx_sheet(&s.book, township[0] ? township : "未填乡镇", title, 0, SHEET_COLUMNS, NCOLS,
					  &s.first_row);
			if (!s.ws) {
				bangfu_fail(err, ERR_INTERNAL, s.book.path, 0, 0, "xlsx", "cannot add a sheet for %s",
					    township);
				goto out;
			}
			s.row = s.first_row;
		}
		if (opt->full_id)
			snprintf(masked, sizeof masked, "%s", id);
		else
			idno_mask(id, masked, sizeof masked);
		strbuf_reset(&diffs);
		reconcile_format_conflicts((const char *)sqlite3_column_text(st, 11), &diffs);
		xlsx_text(s.ws, s.row, COL_CODE, (const char *)sqlite3_column_text(st, 0), s.book.text);
		for (int c = COL_NAME; c <= COL_START; c++)
			if (c != COL_ID)
				xlsx_text(s.ws, s.row, c, (const char *)sqlite3_column_text(st, c), s.book.text);
		xlsx_text(s.ws, s.row, COL_ID, masked, s.book.text);
		xlsx_text(s.ws, s.row, COL_ROSTER, strbuf_str(&diffs), s.book.text_wrap);
		for (int c = COL_RESULT; c < NCOLS; c++)
			worksheet_write_blank(s.ws, (lxw_row_t)s.row, (lxw_col_t)c, s.book.input);
		s.row++;
	}
	if (step != SQLITE_DONE) {
		db_fail(db, err, "reading the sample");
		goto out;
	}
	rc = finish_book(&s, err);
	if (rc == 0)
		rc = outputs_commit(&outs, err);
out:
	if (rc != 0 && s.book_open) {
		struct bangfu_err ignored;

		finish_book(&s, &ignored);
	}
	if (rc != 0)
		outputs_discard(&outs);
	sqlite3_finalize(st);
	strbuf_free(&diffs);
	return rc;
}
