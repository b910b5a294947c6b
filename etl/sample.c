/* sample — see sample.h.
 *
 * The draw: every HR-platform person of the period with a valid ID gets the
 * key prng_key(seed, "PERIOD|ID"); in each township the sample_size smallest
 * keys are drawn.  The key does not depend on row order, file order or
 * machine, so period + seed + data fix the sample. */
#include "sample.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "db.h"
#include "idno.h"
#include "outputs.h"
#include "prng.h"
#include "reconcile.h"
#include "strbuf.h"
#include "tmpl.h"
#include "xlsx.h"
#include "bangfu.h"
#include "cli.h"

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

/* Draw (or keep) the period's sample inside the caller's transaction. */
static int draw(sqlite3 *db, const struct sample_options *opt, const struct sample_plan *plan,
		struct sample_summary *sum, struct bangfu_err *err)
{
	sqlite3_stmt *st = NULL;
	int have_sample = 0, rc;
	uint64_t old_seed = 0;
	long results = 0;
	char *plan_text = NULL, now[32];

	if (db_prepare(db, "SELECT seed, (SELECT count(*) FROM check_result WHERE period = ?1)"
			   " FROM sample_plan WHERE period = ?1",
		       &st, err) != 0)
		return -1;
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
		return 0;
	}
	if (have_sample && results > 0)
		return bangfu_fail(err, ERR_INPUT, "", 0, 0, "sample_in_use",
				   "the %s sample (seed %llu) already has %ld check results; drawing another with "
				   "seed %llu would orphan them",
				   opt->period, (unsigned long long)old_seed, results, (unsigned long long)sum->seed);
	if (run_delete(db, opt->period, err) != 0)
		return -1;
	if (db_prepare(db, SQL_DRAW, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)sum->seed);
	sqlite3_bind_int64(st, 3, plan->sample_size);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "drawing the sample");
	plan_text = read_text_file(plan->path);
	db_now_iso(now);
	if (db_prepare(db, "INSERT INTO sample_plan (period, seed, algorithm, sample_size, min_answered,"
			   " threshold, confidence, plan_text, drawn_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       &st, err) != 0) {
		free(plan_text);
		return -1;
	}
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
	free(plan_text);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "recording the plan");
	sum->redrawn = 1;
	return 0;
}

static int count_sample(sqlite3 *db, const char *period, struct sample_summary *sum, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(db, "SELECT count(*), count(DISTINCT city || '/' || county || '/' || township),"
			   " (SELECT count(*) FROM person WHERE period = ?1 AND in_hr AND id_valid)"
			   " FROM sample WHERE period = ?1",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(db, err, "counting the sample");
	}
	sum->sampled = (long)sqlite3_column_int64(st, 0);
	sum->townships = (long)sqlite3_column_int64(st, 1);
	sum->pool = (long)sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	return 0;
}

int sample_drawn_date(sqlite3 *db, const char *period, char out[11], struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int found = 0;

	out[0] = '\0';
	if (db_prepare(db, "SELECT drawn_at FROM sample_plan WHERE period = ?", &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(st, 0);
		struct tm tm = {0};

		found = 1;
		/* drawn_at is UTC ("2026-11-25T05:00:00Z"); the day is the local one,
		 * as the clerks date their checks. */
		if (at && sscanf(at, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
				 &tm.tm_min, &tm.tm_sec) == 6) {
			time_t t;

			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			t = timegm(&tm);
			localtime_r(&t, &tm);
			strftime(out, 11, "%Y-%m-%d", &tm);
		} else if (at) {
			snprintf(out, 11, "%.10s", at);
		}
	}
	sqlite3_finalize(st);
	return found;
}

/* ---- check sheets ---- */

enum {
	COL_CODE, COL_NAME, COL_GENDER, COL_VILLAGE, COL_PHONE, COL_ID, COL_STATUS, COL_TYPE, COL_PLACE,
	COL_EMPLOYER, COL_START, COL_ROSTER, COL_RESULT, COL_METHOD, COL_NEW_STATUS, COL_NEW_PLACE,
	COL_NEW_EMPLOYER, COL_CHECKER, COL_DATE, COL_NOTE, NCOLS
};

/* The columns: header, and the width in characters (a Chinese character
 * counts 2) as the longest value + 1, at least min, at most cap; a longer
 * value wraps.  The answer columns (from 核查结果) are as wide as what a clerk
 * writes there; 备注 is the clerk's own, free text that verify keeps and
 * never rejects. */
static const struct {
	const char *label;
	double min, cap;
} SHEET_COLUMNS[NCOLS] = {
	{"抽查编号", 16, 16}, {"姓名", 7, 9}, {"性别", 5, 5}, {"行政村", 8, 11}, {"联系电话", 9, 12},
	{"证件号码", 9, 19}, {"就业状态", 7, 7}, {"就业类型", 7, 10}, {"就业地点", 8, 13}, {"就业单位", 8, 15},
	{"就业时间", 7, 11}, {"扶贫系统记录（与平台不一致处）", 14, 18}, {"核查结果", 9, 9}, {"核查方式", 9, 9},
	{"更正后就业状态", 9, 9}, {"更正后就业地点", 12, 12}, {"更正后就业单位", 14, 14}, {"核查人", 8, 8},
	{"核查日期", 11, 11}, {"备注", 14, 14}};

void sample_sheet_name(const char *township, char *out, size_t outsz)
{
	size_t o = 0, chars = 0;

	/* Excel's 31 characters, less room for "(2)"; and at most 48 bytes, so
	 * that the print titles ('name'!$A:$B,'name'!$3:$3) fit libxlsxwriter's
	 * 128-byte defined names. */
	for (const unsigned char *p = (const unsigned char *)(township && township[0] ? township : "未填乡镇");
	     *p && chars < 28; chars++) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;

		if (o + len > 48 || o + len >= outsz)
			break;
		if (len == 1 && strchr("[]:*?/\\'", *p)) {
			out[o++] = '_';
			p++;
			continue;
		}
		for (size_t i = 0; i < len && *p; i++)
			out[o++] = (char)*p++;
	}
	out[o] = '\0';
}

int sample_sheet_header(const char *labels[], int max)
{
	for (int c = 0; c < NCOLS && c < max; c++)
		labels[c] = SHEET_COLUMNS[c].label;
	return NCOLS;
}

/* Printing: the column widths (in characters) that fit across A4 landscape
 * within the house margins at 100% — Excel fits about 140 (a character is 7
 * pixels of Calibri), LibreOffice without Calibri about 100 (its stand-in is
 * wider), so 100 fits both — and the smallest scale a 10-point sheet is
 * still read at (8 points). */
#define PAGE_WIDTH_CHARS 100.0
#define READABLE_SCALE 80

/* The drop-down lists; libxlsxwriter 1.1 takes them as char **. */
static char *RESULTS[] = {"准确", "不准确", "无法联系", NULL};
static char *METHODS[] = {"电话回访", "现场核查", "交叉检查", NULL};
static char *STATUSES[] = {"已就业", "未就业", "失业", NULL};

/* The sample with what the platform records (its first row of the ID) and,
 * where the roster differs, what the roster says ("姓名：李四；联系电话：138****0002",
 * phones masked unless ?2, --full-id). */
static const char SQL_SHEET_ROWS[] =
	"SELECT s.sample_code, coalesce(h.name, p.name), coalesce(h.gender, p.gender), p.village, h.phone,"
	" s.id_number, h.employment_status, h.employment_type,"
	" coalesce(h.work_province, '') || coalesce(h.work_city, '') || coalesce(h.work_county, ''),"
	" h.employer, h.work_start,"
	" (SELECT group_concat(t, '；') FROM (SELECT coalesce(l.label, c.field) || '：' ||"
	"   CASE WHEN c.field = 'phone' AND NOT ?2 THEN bf_mask_phone(coalesce(c.roster_value, ''))"
	"    ELSE coalesce(c.roster_value, '') END AS t"
	"   FROM conflict c LEFT JOIN label l ON l.kind = 'field' AND l.code = c.field"
	"   WHERE c.period = s.period AND c.id_number = s.id_number ORDER BY c.rowid)),"
	" s.city, s.county, s.township"
	" FROM sample s JOIN person p ON p.period = s.period AND p.person_key = s.id_number"
	" LEFT JOIN hr_row h ON h.rowid = p.hr_rowid"
	" WHERE s.period = ?1 ORDER BY s.city, s.county, s.township, s.draw_rank";

/* Columns of a text in characters as Excel counts them: a Chinese (or any
 * three- or four-byte) character is 2. */
static double text_width(const char *s)
{
	double w = 0;

	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;

		w += len >= 3 ? 2 : 1;
		for (size_t i = 0; i < len && *p; i++)
			p++;
	}
	return w;
}

/* The lines a text wraps to in a column `width` characters wide, as Excel
 * sets 10-point 宋体: a Chinese character takes about 1.9 of the column's
 * characters, any other about 1. */
static int text_lines(const char *s, double width)
{
	double used = 0;
	int lines = 1;

	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		double w = len >= 3 ? 1.9 : 1.0;

		if (used > 0 && used + w > width + 0.4) {
			lines++;
			used = 0;
		}
		used += w;
		for (size_t i = 0; i < len && *p; i++)
			p++;
	}
	return lines;
}

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

/* A date between the day of the draw and today, as verify accepts. */
static void validation_date(lxw_worksheet *ws, int first, int last, int col, const char *drawn)
{
	lxw_data_validation dv = {0};
	int y = 2020, m = 1, d = 1;
	char title[] = "核查日期", message[256], error_title[] = "输入有误", error_message[256], today[] = "TODAY()",
	     lo[32];

	sscanf(drawn, "%d-%d-%d", &y, &m, &d);
	snprintf(lo, sizeof lo, "DATE(%d,%d,%d)", y, m, d);
	snprintf(message, sizeof message, "填写核查的日期，如 %s", drawn);
	snprintf(error_message, sizeof error_message, "请填写抽样之日（%s）至今天之间的日期", drawn);
	dv.validate = LXW_VALIDATION_TYPE_DATE_FORMULA;
	dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
	dv.minimum_formula = lo;
	dv.maximum_formula = today;
	dv.input_title = title;
	dv.input_message = message;
	dv.error_title = error_title;
	dv.error_message = error_message;
	worksheet_data_validation_range(ws, (lxw_row_t)first, (lxw_col_t)col, (lxw_row_t)last, (lxw_col_t)col, &dv);
}

/* A township's rows, held until the sheet is written: the widths and the
 * print layout depend on the longest values. */
struct town_rows {
	char *(*cells)[NCOLS];
	int n, cap;
	char city[128], county[128], township[128];
};

static void town_rows_clear(struct town_rows *t)
{
	for (int i = 0; i < t->n; i++)
		for (int c = 0; c < NCOLS; c++)
			free(t->cells[i][c]);
	t->n = 0;
}

struct book_state {
	struct xlsx_split sp; /* the county workbooks and township sheets */
	lxw_format *input_date;
	const char *drawn;
};

/* Text for a page header: & doubled so that it prints as itself. */
static void header_escape(const char *s, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *s && o + 2 < outsz; s++) {
		if (*s == '&')
			out[o++] = '&';
		out[o++] = *s;
	}
	out[o] = '\0';
}

/* The vertical page break (before the roster column) of split sheets; the
 * library keeps the pointer until the workbook is written. */
static lxw_col_t SPLIT_BREAKS[] = {COL_ROSTER, 0};

static int write_town_sheet(struct book_state *b, const struct sample_options *opt, struct town_rows *t,
			    struct bangfu_err *err)
{
	struct xlsx_column cols[NCOLS];
	double width[NCOLS], total = 0;
	lxw_protection protect = {0};
	lxw_worksheet *ws;
	char title[512];
	int first, last, split, title_cols;

	for (int c = 0; c < NCOLS; c++) {
		double longest = 0;

		for (int i = 0; i < t->n && c < COL_RESULT; i++) {
			double w = text_width(t->cells[i][c]);

			if (w > longest)
				longest = w;
		}
		width[c] = longest + 1;
		if (width[c] < SHEET_COLUMNS[c].min)
			width[c] = SHEET_COLUMNS[c].min;
		if (width[c] > SHEET_COLUMNS[c].cap)
			width[c] = SHEET_COLUMNS[c].cap;
		cols[c].label = SHEET_COLUMNS[c].label;
		cols[c].width = width[c];
		total += width[c];
	}
	/* One page wide only when that stays readable; otherwise two pages wide
	 * at a readable scale: the platform's record on the left, the roster's
	 * differences and the answers on the right, 抽查编号 and 姓名 on both. */
	split = total * READABLE_SCALE / 100 > PAGE_WIDTH_CHARS;
	title_cols = split ? COL_ROSTER : NCOLS;
	snprintf(title, sizeof title, "%s%s %s（%s）", t->county, t->township[0] ? t->township : "（未填乡镇）",
		 b->sp.title, opt->period);
	b->sp.cols = cols;
	b->sp.title_cols = title_cols;
	if (xlsx_split_to(&b->sp, t->city, t->county, t->township, err) != 0)
		return -1;
	ws = b->sp.ws;
	first = b->sp.first_row;
	for (int c = title_cols; c < NCOLS; c++) {
		worksheet_write_string(ws, 2, (lxw_col_t)c, cols[c].label, b->sp.book.header);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL);
	}
	if (split) {
		double left = 0, right = width[COL_CODE] + width[COL_NAME], widest;
		int scale;

		for (int c = 0; c < NCOLS; c++) {
			if (c < COL_ROSTER)
				left += width[c];
			else
				right += width[c];
		}
		widest = left > right ? left : right;
		scale = (int)(100 * PAGE_WIDTH_CHARS / widest);
		if (scale > 100)
			scale = 100;
		if (scale < READABLE_SCALE)
			scale = READABLE_SCALE;
		worksheet_set_print_scale(ws, (uint16_t)scale); /* and no longer fit to the page */
		worksheet_set_v_pagebreaks(ws, SPLIT_BREAKS);
		worksheet_repeat_columns(ws, COL_CODE, COL_NAME);
		worksheet_print_across(ws);
	}

	for (int i = 0; i < t->n; i++) {
		int row = first + i;
		double height = 0;

		for (int c = 0; c < COL_RESULT; c++) {
			const char *v = t->cells[i][c];
			int wraps = text_width(v) + 1 > width[c];

			xlsx_text(ws, row, c, v, wraps ? b->sp.book.text_wrap : b->sp.book.text);
			if (wraps) {
				double h = text_lines(v, width[c]) * 13.5 + 2;

				if (h > height)
					height = h;
			}
		}
		if (height > 0)
			worksheet_set_row(ws, (lxw_row_t)row, height, NULL);
		for (int c = COL_RESULT; c < NCOLS; c++)
			worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)c, c == COL_DATE ? b->input_date : b->sp.book.input);
	}
	last = first + t->n - 1;
	if (split) {
		/* The title block is merged over the left page; printed, it would be
		 * cut on the right one.  The page header carries it on every page. */
		char header[1024], unit[300], town[300];

		header_escape(b->sp.book.unit[0] ? b->sp.book.unit : "—", unit, sizeof unit);
		header_escape(title, town, sizeof town);
		snprintf(header, sizeof header,
			 "&C&\"宋体,Bold\"&12%s\n&\"宋体,Regular\"&9填报单位：%s    统计时段：%s    生成时间：%s", town, unit,
			 b->sp.book.period, b->sp.book.generated);
		worksheet_set_header(ws, header);
		worksheet_set_margins(ws, 0.5, 0.5, 0.85, 0.6); /* room for the two lines of the header */
		worksheet_print_area(ws, (lxw_row_t)(first - 1), 0, (lxw_row_t)(t->n > 0 ? last : first - 1), NCOLS - 1);
	}
	if (t->n > 0) {
		validation_list(ws, first, last, COL_RESULT, RESULTS, (char[]){"核查结果"});
		validation_list(ws, first, last, COL_METHOD, METHODS, (char[]){"核查方式"});
		validation_list(ws, first, last, COL_NEW_STATUS, STATUSES, (char[]){"更正后就业状态"});
		validation_date(ws, first, last, COL_DATE, b->drawn);
		xlsx_text_ids(ws, first, last, COL_CODE, COL_CODE);
		xlsx_text_ids(ws, first, last, COL_PHONE, COL_ID);
		xlsx_autofilter(&b->sp.book, ws, first - 1, 0, last, NCOLS - 1);
	}
	/* Only the yellow cells take input; the header stays where verify
	 * expects it.  No password: a clerk who must can unprotect. */
	protect.format_columns = 1;
	protect.format_rows = 1;
	protect.autofilter = 1;
	worksheet_protect(ws, NULL, &protect);
	return 0;
}

/* A 说明 row, as tall as its wrapped text. */
static void note(struct book_state *b, lxw_worksheet *ws, int row, const char *label, const char *text)
{
	xlsx_note(&b->sp.book, ws, row, label, text);
	xlsx_row_height(&b->sp.book, ws, row, xlsx_text_height(text, 100, 13.5));
}

static void instructions_sheet(struct book_state *b, const char *period)
{
	static const struct xlsx_column cols[] = {{"项目", 16}, {"说明", 100}};
	int row;
	lxw_worksheet *ws = xlsx_sheet(&b->sp.book, "填表说明", "就业帮扶信息抽查核实表 填表说明", 0, cols, 2, &row);
	char text[512];

	snprintf(text, sizeof text,
		 "按湘人社函〔2020〕58号要求，对省平台录入的%s就业信息逐人电话回访、现场核查或交叉检查。"
		 "抽查准确率低于90%%的乡镇须重新开展信息校准。",
		 period);
	note(b, ws, row++, "目的", text);
	note(b, ws, row++, "核对对象", "表中姓名、性别、联系电话和就业信息是省平台的记录；扶贫系统与之不同的，列在“扶贫系统记录（与平台不一致处）”中，核查时一并问清。");
	note(b, ws, row++, "填写范围", "只填黄色列：核查结果、核查方式、更正后就业状态/地点/单位、核查人、核查日期、备注。其余单元格已保护，请勿修改表头，不要增删行，不要改动“抽查编号”。");
	note(b, ws, row++, "核查结果", "准确：平台记录与核实情况一致；不准确：有任何不一致，请在更正列填写核实后的情况；无法联系：多次联系未果。");
	snprintf(text, sizeof text,
		 "填写实际核查的日期（日期格式，如 %s），应在抽样之日（%s）至报送之日之间。填了核查结果的行必须填写核查日期。",
		 b->drawn, b->drawn);
	note(b, ws, row++, "核查日期", text);
	note(b, ws, row++, "备注", "可填写任何需要说明的情况（如无法联系的原因、本人已迁出），随核查结果一并导入，不作校验。");
	note(b, ws, row++, "证件号码", "为保护个人信息，证件号码中间位已隐去；核对身份请以姓名、联系电话和行政村为准。");
	note(b, ws, row++, "打印", "乡镇表横向打印在 A4 纸上；列多时分左右两页：左页为平台记录，右页为扶贫系统记录、核查结果和备注，两页都印有抽查编号和姓名。");
	note(b, ws, row++, "报送", "填好后保存为 Excel 文件（.xlsx）报县级人社部门，由其汇总导入。");
	worksheet_set_column(ws, 1, 1, 100, b->sp.book.text_wrap);
}

/* A county's workbook opened: its date format and its 填表说明 sheet. */
static int book_opened(struct xlsx_split *sp, struct bangfu_err *err)
{
	struct book_state *b = sp->ctx;

	(void)err;
	b->input_date = workbook_add_format(sp->book.wb);
	format_set_font_name(b->input_date, "宋体");
	format_set_font_size(b->input_date, 10);
	format_set_align(b->input_date, LXW_ALIGN_CENTER);
	format_set_align(b->input_date, LXW_ALIGN_VERTICAL_CENTER);
	format_set_border(b->input_date, LXW_BORDER_THIN);
	format_set_bg_color(b->input_date, 0xFFF2CC);
	format_set_num_format(b->input_date, "yyyy-mm-dd");
	format_set_unlocked(b->input_date);
	instructions_sheet(b, sp->period);
	return 0;
}

/* Write the pending township (opening its county's workbook when needed). */
static int flush_town(struct book_state *b, const struct sample_options *opt, struct town_rows *t,
		      struct bangfu_err *err)
{
	if (t->n == 0)
		return 0;
	if (write_town_sheet(b, opt, t, err) != 0)
		return -1;
	town_rows_clear(t);
	return 0;
}

static int write_sheets(sqlite3 *db, const struct sample_options *opt, const char *drawn, struct outputs *outs,
			struct sample_summary *sum, struct bangfu_err *err)
{
	struct book_state b = {.drawn = drawn};
	struct town_rows t = {0};

	b.sp = (struct xlsx_split){.outs = outs, .dir = opt->out_dir, .prefix = "抽查核实表",
				   .title = "就业帮扶信息抽查核实表", .period = opt->period, .ncols = NCOLS,
				   .sheet_name = sample_sheet_name, .on_book = book_opened, .ctx = &b};
	sqlite3_stmt *st;
	int step, rc = -1;

	if (db_prepare(db, SQL_SHEET_ROWS, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, opt->full_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *city = (const char *)sqlite3_column_text(st, 12);
		const char *county = (const char *)sqlite3_column_text(st, 13);
		const char *township = (const char *)sqlite3_column_text(st, 14);
		const char *id = (const char *)sqlite3_column_text(st, 5);
		char masked[64];

		if (t.n > 0 && (strcmp(city, t.city) != 0 || strcmp(county, t.county) != 0 ||
				strcmp(township, t.township) != 0) &&
		    flush_town(&b, opt, &t, err) != 0)
			goto out;
		if (t.n == 0) {
			snprintf(t.city, sizeof t.city, "%s", city);
			snprintf(t.county, sizeof t.county, "%s", county);
			snprintf(t.township, sizeof t.township, "%s", township);
		}
		if (t.n == t.cap) {
			t.cap = t.cap ? t.cap * 2 : 64;
			t.cells = realloc(t.cells, (size_t)t.cap * sizeof *t.cells);
			if (!t.cells)
				abort();
		}
		if (opt->full_id)
			snprintf(masked, sizeof masked, "%s", id);
		else
			idno_mask(id, masked, sizeof masked);
		for (int c = 0; c < NCOLS; c++) {
			const char *v = NULL;

			if (c == COL_ID)
				v = masked;
			else if (c == COL_ROSTER)
				v = (const char *)sqlite3_column_text(st, 11);
			else if (c < COL_ROSTER)
				v = (const char *)sqlite3_column_text(st, c);
			t.cells[t.n][c] = xstrdup(v);
		}
		t.n++;
	}
	if (step != SQLITE_DONE) {
		db_fail(db, err, "reading the sample");
		goto out;
	}
	if (flush_town(&b, opt, &t, err) != 0)
		goto out;
	rc = 0;
out:
	if (rc == 0) {
		rc = xlsx_split_close(&b.sp, err);
	} else {
		struct bangfu_err ignored;

		xlsx_split_close(&b.sp, &ignored);
	}
	sum->workbooks = b.sp.books;
	town_rows_clear(&t);
	free(t.cells);
	sqlite3_finalize(st);
	return rc;
}

/* mkdir -p, each new directory 0700 (the sheets hold personal data). */
static int make_dirs(const char *dir, struct bangfu_err *err)
{
	char path[PATH_MAX];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof path)
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "not a usable directory name");
	memcpy(path, dir, len + 1);
	for (char *p = path + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;

			*p = '\0';
			if (mkdir(path, 0700) != 0 && errno != EEXIST)
				return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write",
						   "cannot create the directory %s: %s", path, strerror(errno));
			*p = saved;
			if (!saved)
				break;
		}
	}
	{
		struct stat sb;

		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "not a directory");
	}
	return 0;
}

int sample_run(sqlite3 *db, const struct sample_options *opt, const struct sample_plan *plan,
	       struct sample_summary *sum, struct bangfu_err *err)
{
	struct outputs outs = {0};
	char drawn[11];

	memset(sum, 0, sizeof *sum);
	if (make_dirs(opt->out_dir, err) != 0)
		return -1;
	if (sqlite3_create_function(db, "bf_draw_key", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_draw_key,
				    NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "registering SQL functions");
	/* One transaction from the draw to the last workbook: a stage that fails
	 * leaves the database as it was. */
	if (db_begin(db, err) != 0)
		return -1;
	if (draw(db, opt, plan, sum, err) != 0 || count_sample(db, opt->period, sum, err) != 0)
		goto fail;
	if (sum->pool == 0) {
		bangfu_fail(err, ERR_INPUT, "", 0, 0, "no_platform_persons",
			    "no HR-platform persons for %s: load the platform's file and run bangfu-reconcile for the "
			    "period first",
			    opt->period);
		goto fail;
	}
	if (sample_drawn_date(db, opt->period, drawn, err) < 0 ||
	    write_sheets(db, opt, drawn, &outs, sum, err) != 0 || outputs_commit(&outs, err) != 0)
		goto fail;
	return db_commit(db, err);
fail:
	outputs_discard(&outs);
	db_rollback(db);
	return -1;
}

/* ---- the command: bangfu-sample ---- */

int cmd_sample(int argc, char **argv)
{
	const char *db_path = "bangfu.db";
	struct sample_options opt = {0};
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the month to sample (reconcile it first)"),
		CLI_OPT_REQUIRED("out", &opt.out_dir, "DIR", "where the check sheets go (created when missing)"),
		CLI_OPT_U64("seed", &opt.seed, "N", &opt.seed_given,
			    "the draw's seed (default: the one stored for the period,\n"
			    "else the period as a number, e.g. 202610)"),
		CLI_OPT_FLAG("full-id", &opt.full_id, "print whole ID numbers (default: masked in the middle)"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-sample", NULL,
		N_("Draw a random sample of each township's HR-platform records for call-back\n"
		"checks (plan: templates/sampling.csv) and write the check sheets, one workbook\n"
		"per county with a sheet per township, into DIR.  The same period, seed and data\n"
		"always give the same sample; the seed and plan are stored with it.  A run that\n"
		"fails leaves the database as it was and writes no sheet."),
		NULL, options};
	struct sample_plan plan;
	struct sample_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int status = EXIT_OK;

	bangfu_err_clear(&err);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		return status;
	if (sample_plan_load(&plan, &err) != 0 || db_open_existing(db_path, &db, &err) != 0 ||
	    sample_run(db, &opt, &plan, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %s sample with seed %llu: %ld persons in %ld townships (of %ld on the platform)", opt.period,
		 sum.redrawn ? msg_tr("drew the") : msg_tr("kept the existing"), (unsigned long long)sum.seed, sum.sampled,
		 sum.townships, sum.pool);
	msg_info("wrote %ld check-sheet workbooks to %s", sum.workbooks, opt.out_dir);
out:
	db_close(db);
	return status;
}
