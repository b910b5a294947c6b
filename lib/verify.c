/* verify — see verify.h.
 *
 * Files are read whole into a list of answers first (a sample is a few
 * thousand rows, not millions), validated together — so two answers for one
 * person are seen even across files — and only then written, in one
 * transaction. */
#include "verify.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "compare.h"
#include "csvin.h"
#include "datefmt.h"
#include "db.h"
#include "idno.h"
#include "load.h"
#include "outputs.h"
#include "reconcile.h"
#include "strbuf.h"
#include "tmpl.h"
#include "xlsx.h"
#include "xlsxin.h"

enum { F_CODE, F_NAME, F_ID, F_RESULT, F_METHOD, F_STATUS, F_PLACE, F_EMPLOYER, F_CHECKER, F_DATE, NF };
static const char *const FIELD_NAMES[NF] = {"sample_code", "name", "id_number", "result", "method",
					    "corrected_status", "corrected_place", "corrected_employer",
					    "checker", "check_date"};

struct answer {
	char *file, *sheet;
	long row;
	char *v[NF];
	char date[11];
	const char *result_code;
};

struct run {
	sqlite3 *db;
	const struct verify_options *opt;
	struct verify_summary *sum;
	const struct tmpl_columns *cols;
	int field_index[NF]; /* template field of each F_ */
	struct answer *answers;
	long nanswers, cap;
	sqlite3_stmt *lookup;
	char today[11];
};

void verify_summary_free(struct verify_summary *sum)
{
	free(sum->rejects);
	sum->rejects = NULL;
	sum->nrejects = 0;
}

static void reject(struct run *r, const char *file, const char *sheet, long row, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void reject(struct run *r, const char *file, const char *sheet, long row, const char *fmt, ...)
{
	struct verify_summary *s = r->sum;
	struct verify_reject *x;
	va_list ap;

	s->rejects = realloc(s->rejects, (size_t)(s->nrejects + 1) * sizeof *s->rejects);
	if (!s->rejects)
		abort();
	x = &s->rejects[s->nrejects++];
	snprintf(x->file, sizeof x->file, "%s", file);
	snprintf(x->sheet, sizeof x->sheet, "%s", sheet ? sheet : "");
	x->row = row;
	va_start(ap, fmt);
	vsnprintf(x->reason, sizeof x->reason, fmt, ap);
	va_end(ap);
}

static int in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

static const char *const RESULT_LABELS[] = {"准确", "不准确", "无法联系", NULL};
static const char *const RESULT_CODES[] = {"accurate", "inaccurate", "unreachable"};
static const char *const METHOD_LABELS[] = {"电话回访", "现场核查", "交叉检查", NULL};
static const char *const STATUS_LABELS[] = {"已就业", "未就业", "失业", NULL};

/* One returned row, fields by F_ index ("" when the column is absent). */
static void take_row(struct run *r, const char *file, const char *sheet, long rownum, const char *const v[NF])
{
	struct answer a = {0};
	int outcome = 0;

	r->sum->rows_read++;
	for (int f = F_RESULT; f < NF; f++)
		if (v[f][0])
			outcome = 1;
	if (!v[F_CODE][0] && !outcome && !v[F_NAME][0]) {
		r->sum->blank_rows++;
		return;
	}
	if (!v[F_CODE][0]) {
		reject(r, file, sheet, rownum, "抽查编号 is empty: the row cannot be matched to a sampled person");
		return;
	}
	sqlite3_bind_text(r->lookup, 1, r->opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->lookup, 2, v[F_CODE], -1, SQLITE_TRANSIENT);
	if (sqlite3_step(r->lookup) != SQLITE_ROW) {
		sqlite3_reset(r->lookup);
		reject(r, file, sheet, rownum, "抽查编号 %s is not in the %s sample: unknown person", v[F_CODE],
		       r->opt->period);
		return;
	}
	{
		const char *sampled_name = (const char *)sqlite3_column_text(r->lookup, 0);
		const char *sampled_id = (const char *)sqlite3_column_text(r->lookup, 1);
		char key[256], sampled_key[256];

		/* The name, compared as reconciliation does, guards against rows
		 * shuffled or copied between sheets. */
		compare_name_key(v[F_NAME], key, sizeof key);
		compare_name_key(sampled_name ? sampled_name : "", sampled_key, sizeof sampled_key);
		if (key[0] && strcmp(key, sampled_key) != 0) {
			/* no names in messages: the code says who it is */
			reject(r, file, sheet, rownum, "姓名 is not the name of the sampled person %s", v[F_CODE]);
			sqlite3_reset(r->lookup);
			return;
		}
		if (v[F_ID][0] && strchr(v[F_ID], '*') == NULL && sampled_id) {
			struct idno id;

			idno_parse(v[F_ID], 0, &id);
			if (id.status == IDNO_OK && strcmp(id.id, sampled_id) != 0) {
				reject(r, file, sheet, rownum,
				       "证件号码 does not belong to the sampled person of %s: person not in the sample",
				       v[F_CODE]);
				sqlite3_reset(r->lookup);
				return;
			}
		}
	}
	sqlite3_reset(r->lookup);
	if (!v[F_RESULT][0]) {
		if (outcome) {
			reject(r, file, sheet, rownum, "outcome columns are filled but 核查结果 is empty");
			return;
		}
		r->sum->blank_rows++;
		return;
	}
	if (!in_list(v[F_RESULT], RESULT_LABELS)) {
		reject(r, file, sheet, rownum, "核查结果 '%s' is not one of 准确, 不准确, 无法联系", v[F_RESULT]);
		return;
	}
	if (v[F_METHOD][0] && !in_list(v[F_METHOD], METHOD_LABELS)) {
		reject(r, file, sheet, rownum, "核查方式 '%s' is not one of 电话回访, 现场核查, 交叉检查", v[F_METHOD]);
		return;
	}
	if (v[F_STATUS][0] && !in_list(v[F_STATUS], STATUS_LABELS)) {
		reject(r, file, sheet, rownum, "更正后就业状态 '%s' is not one of 已就业, 未就业, 失业", v[F_STATUS]);
		return;
	}
	if (!v[F_DATE][0]) {
		reject(r, file, sheet, rownum, "核查日期 is missing: a checked row needs the date of the check");
		return;
	}
	if (datefmt_parse(v[F_DATE], a.date) != DATEFMT_DAY) {
		reject(r, file, sheet, rownum, "核查日期 '%s' is not a date (e.g. 2026-11-05)", v[F_DATE]);
		return;
	}
	if (strcmp(a.date, r->today) > 0) {
		reject(r, file, sheet, rownum, "核查日期 %s is in the future", a.date);
		return;
	}
	for (int i = 0; RESULT_LABELS[i]; i++)
		if (strcmp(v[F_RESULT], RESULT_LABELS[i]) == 0)
			a.result_code = RESULT_CODES[i];
	a.file = strdup(file);
	a.sheet = strdup(sheet ? sheet : "");
	a.row = rownum;
	for (int f = 0; f < NF; f++)
		a.v[f] = strdup(v[f]);
	if (r->nanswers == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 256;
		r->answers = realloc(r->answers, (size_t)r->cap * sizeof *r->answers);
		if (!r->answers)
			abort();
	}
	r->answers[r->nanswers++] = a;
}

static void map_header(struct run *r, int ncells, char **cells, int col_of[NF])
{
	for (int f = 0; f < NF; f++)
		col_of[f] = -1;
	for (int c = 0; c < ncells; c++) {
		int t = csvin_match_header(r->cols, cells[c]);

		for (int f = 0; f < NF; f++)
			if (t >= 0 && t == r->field_index[f] && col_of[f] < 0)
				col_of[f] = c;
	}
}

static void fields_of(int ncells, char **cells, const int col_of[NF], const char *v[NF])
{
	for (int f = 0; f < NF; f++)
		v[f] = col_of[f] >= 0 && col_of[f] < ncells ? cells[col_of[f]] : "";
}

static int read_xlsx(struct run *r, const char *path, const char *name, struct bangfu_err *err)
{
	struct xlsxin *x = xlsxin_open(path, err);
	int sheets_used = 0;

	if (!x)
		return -1;
	for (int i = 0; i < xlsxin_sheet_count(x); i++) {
		const char *sheet = xlsxin_sheet_name(x, i);
		struct xlsxin_row *row;
		int col_of[NF], have_header = 0, rc;

		if (xlsxin_sheet_begin(x, i, err) != 0) {
			xlsxin_close(x);
			return -1;
		}
		while ((rc = xlsxin_next_row(x, &row, err)) == 1) {
			const char *v[NF];
			char *trimmed[256];
			int n = row->ncells < 256 ? row->ncells : 256;

			/* Cells as csvin would give them: trimmed of spaces. */
			for (int c = 0; c < n; c++) {
				char *s = row->cells[c];
				size_t len = strlen(s);

				while (*s == ' ' || *s == '\t')
					s++, len--;
				while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n'))
					s[--len] = '\0';
				trimmed[c] = s;
			}
			if (!have_header) {
				map_header(r, n, trimmed, col_of);
				if (col_of[F_CODE] >= 0 && col_of[F_RESULT] >= 0)
					have_header = 1;
				else if (row->row >= 10)
					break; /* not a check sheet (e.g. 填表说明) */
				continue;
			}
			fields_of(n, trimmed, col_of, v);
			take_row(r, name, sheet, row->row, v);
		}
		if (rc < 0) {
			xlsxin_close(x);
			return -1;
		}
		sheets_used += have_header;
	}
	xlsxin_close(x);
	if (!sheets_used)
		reject(r, name, NULL, 0, "no sheet has the columns 抽查编号 and 核查结果: is this a check sheet?");
	return 0;
}

static int read_csv(struct run *r, const char *path, const char *name, struct bangfu_err *err)
{
	struct csvin_options copt = {.columns = r->cols, .display_name = name};
	struct csvin *in = csvin_open(path, &copt, err);
	struct csvin_row *row;
	int col_of[NF], rc;

	if (!in)
		return -1;
	for (int f = 0; f < NF; f++)
		col_of[f] = csvin_field_column(in, r->field_index[f]);
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *v[NF];

		if (row->rejected) {
			reject(r, name, NULL, row->line, "%s", row->reject_message);
			continue;
		}
		fields_of(row->nfields, row->fields, col_of, v);
		take_row(r, name, NULL, row->line, v);
	}
	csvin_close(in);
	return rc;
}

static int is_zip(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char magic[4] = {0};
	size_t n;

	if (!f)
		return 0;
	n = fread(magic, 1, 4, f);
	fclose(f);
	return n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0;
}

static int cmp_code(const void *a, const void *b)
{
	const struct answer *x = a, *y = b;
	int c = strcmp(x->v[F_CODE], y->v[F_CODE]);

	return c ? c : strcmp(x->file, y->file);
}

/* Two answers for one person, in this run or against another file's earlier answer. */
static void check_duplicates(struct run *r, char **names, int nfiles)
{
	sqlite3_stmt *st = NULL;

	if (r->nanswers > 1) /* answers is NULL when nothing was answered */
		qsort(r->answers, (size_t)r->nanswers, sizeof *r->answers, cmp_code);
	for (long i = 1; i < r->nanswers; i++) {
		struct answer *a = &r->answers[i - 1], *b = &r->answers[i];

		if (strcmp(a->v[F_CODE], b->v[F_CODE]) == 0)
			reject(r, b->file, b->sheet, b->row, "two answers for %s: also %s %s row %ld", b->v[F_CODE],
			       a->file, a->sheet, a->row);
	}
	if (sqlite3_prepare_v2(r->db, "SELECT file_name, row FROM check_result WHERE period = ? AND sample_code = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	for (long i = 0; i < r->nanswers; i++) {
		struct answer *a = &r->answers[i];

		sqlite3_bind_text(st, 1, r->opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, a->v[F_CODE], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *earlier = (const char *)sqlite3_column_text(st, 0);
			int replaced = 0;

			/* A file loaded again under its name replaces its own answers. */
			for (int k = 0; k < nfiles; k++)
				if (strcmp(names[k], earlier) == 0)
					replaced = 1;
			if (!replaced)
				reject(r, a->file, a->sheet, a->row, "%s was already answered in %s row %lld",
				       a->v[F_CODE], earlier, (long long)sqlite3_column_int64(st, 1));
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

static int write_answers(struct run *r, char **names, char **shas, long *rows_per_file, int nfiles,
			 struct bangfu_err *err)
{
	sqlite3_stmt *del = NULL, *ins = NULL, *file = NULL;
	char now[32];
	int rc = -1;

	db_now_iso(now);
	if (db_begin(r->db, err) != 0)
		return -1;
	if (db_prepare(r->db, "DELETE FROM check_result WHERE period = ? AND file_name = ?", &del, err) != 0 ||
	    db_prepare(r->db, "INSERT INTO check_result (period, sample_code, result, method, corrected_status,"
			      " corrected_place, corrected_employer, checker, check_date, file_name, sheet, row,"
			      " loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       &ins, err) != 0 ||
	    db_prepare(r->db, "INSERT OR REPLACE INTO check_file (period, file_name, sha256, rows_read, answers,"
			      " loaded_at) VALUES (?, ?, ?, ?, (SELECT count(*) FROM check_result WHERE period = ?1"
			      " AND file_name = ?2), ?)",
		       &file, err) != 0)
		goto out;
	for (int k = 0; k < nfiles; k++) {
		sqlite3_bind_text(del, 1, r->opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(del, 2, names[k], -1, SQLITE_STATIC);
		if (sqlite3_step(del) != SQLITE_DONE) {
			db_fail(r->db, err, "replacing earlier answers");
			goto out;
		}
		sqlite3_reset(del);
	}
	for (long i = 0; i < r->nanswers; i++) {
		struct answer *a = &r->answers[i];

		sqlite3_bind_text(ins, 1, r->opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, a->v[F_CODE], -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, a->result_code, -1, SQLITE_STATIC);
		for (int f = F_METHOD; f <= F_CHECKER; f++)
			db_bind_text(ins, 4 + (f - F_METHOD), a->v[f][0] ? a->v[f] : NULL);
		sqlite3_bind_text(ins, 9, a->date, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 10, a->file, -1, SQLITE_STATIC);
		db_bind_text(ins, 11, a->sheet[0] ? a->sheet : NULL);
		sqlite3_bind_int64(ins, 12, a->row);
		sqlite3_bind_text(ins, 13, now, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			db_fail(r->db, err, "saving an answer");
			goto out;
		}
		sqlite3_reset(ins);
	}
	for (int k = 0; k < nfiles; k++) {
		sqlite3_bind_text(file, 1, r->opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(file, 2, names[k], -1, SQLITE_STATIC);
		sqlite3_bind_text(file, 3, shas[k], -1, SQLITE_STATIC);
		sqlite3_bind_int64(file, 4, rows_per_file[k]);
		sqlite3_bind_text(file, 5, now, -1, SQLITE_STATIC);
		if (sqlite3_step(file) != SQLITE_DONE) {
			db_fail(r->db, err, "recording a file");
			goto out;
		}
		sqlite3_reset(file);
	}
	rc = db_commit(r->db, err);
out:
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	sqlite3_finalize(file);
	if (rc != 0)
		db_rollback(r->db);
	return rc;
}

int verify_load(sqlite3 *db, const struct verify_options *opt, char **files, int nfiles,
		struct verify_summary *sum, struct bangfu_err *err)
{
	struct run r = {.db = db, .opt = opt, .sum = sum};
	struct tmpl_columns *cols = NULL;
	char **names = calloc((size_t)nfiles + 1, sizeof *names);
	char **shas = calloc((size_t)nfiles + 1, sizeof *shas);
	long *rows_per_file = calloc((size_t)nfiles + 1, sizeof *rows_per_file);
	int rc = -1, todo = 0;
	time_t now = time(NULL);
	struct tm tm;

	if (!names || !shas || !rows_per_file)
		abort();
	localtime_r(&now, &tm);
	strftime(r.today, sizeof r.today, "%Y-%m-%d", &tm);
	if (tmpl_columns_load("check", &cols, err) != 0)
		goto out;
	r.cols = cols;
	for (int f = 0; f < NF; f++)
		r.field_index[f] = tmpl_columns_find(cols, FIELD_NAMES[f]);
	if (r.field_index[F_CODE] < 0 || r.field_index[F_RESULT] < 0) {
		bangfu_fail(err, ERR_INPUT, "columns.csv", 0, 0, "bad_template",
			    "templates/columns.csv has no check rows for sample_code and result");
		goto out;
	}
	if (db_prepare(db, "SELECT p.name, s.id_number FROM sample s JOIN person p"
			   " ON p.period = s.period AND p.person_key = s.id_number"
			   " WHERE s.period = ? AND s.sample_code = ?",
		       &r.lookup, err) != 0)
		goto out;
	for (int k = 0; k < nfiles; k++) {
		char *copy = strdup(files[k]), sha[65];
		sqlite3_stmt *st;
		long before = sum->rows_read;
		int same = 0;

		if (!copy)
			abort();
		names[k] = strdup(basename(copy));
		free(copy);
		if (load_sha256_file(files[k], sha, err) != 0)
			goto out;
		shas[k] = strdup(sha);
		sum->files++;
		if (db_prepare(db, "SELECT 1 FROM check_file WHERE period = ? AND file_name = ? AND sha256 = ?", &st,
			       err) != 0)
			goto out;
		sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, names[k], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
		same = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (same) {
			sum->files_unchanged++;
			continue;
		}
		if ((is_zip(files[k]) ? read_xlsx(&r, files[k], names[k], err)
				      : read_csv(&r, files[k], names[k], err)) != 0)
			goto out;
		rows_per_file[k] = sum->rows_read - before;
		/* keep only the files that are read, in order */
		if (todo != k) {
			names[todo] = names[k];
			shas[todo] = shas[k];
			rows_per_file[todo] = rows_per_file[k];
			names[k] = shas[k] = NULL;
		}
		todo++;
	}
	check_duplicates(&r, names, todo);
	if (sum->nrejects > 0) {
		bangfu_fail(err, ERR_INPUT, "", 0, 0, "rejected",
			    "%ld rows rejected; nothing was loaded: correct the files and load them again",
			    sum->nrejects);
		goto out;
	}
	if (todo > 0 && write_answers(&r, names, shas, rows_per_file, todo, err) != 0)
		goto out;
	sum->answers = r.nanswers;
	rc = 0;
out:
	for (long i = 0; i < r.nanswers; i++) {
		free(r.answers[i].file);
		free(r.answers[i].sheet);
		for (int f = 0; f < NF; f++)
			free(r.answers[i].v[f]);
	}
	free(r.answers);
	for (int k = 0; k < nfiles; k++) {
		free(names[k]);
		free(shas[k]);
	}
	free(names);
	free(shas);
	free(rows_per_file);
	sqlite3_finalize(r.lookup);
	tmpl_columns_free(cols);
	return rc;
}

/* ---- verdicts and re-verification lists ---- */

enum {
	RL_NO, RL_NAME, RL_GENDER, RL_VILLAGE, RL_PHONE, RL_ID, RL_STATUS, RL_TYPE, RL_PLACE, RL_EMPLOYER,
	RL_CATEGORY, RL_CHECK, RL_NEW_STATUS, RL_NEW_PLACE, RL_NEW_EMPLOYER, RL_WHO, RL_DATE, RL_NCOLS
};

static const struct xlsx_column LIST_COLUMNS[RL_NCOLS] = {
	{"序号", 6}, {"姓名", 10}, {"性别", 5}, {"行政村", 14}, {"联系电话", 13}, {"证件号码", 20},
	{"平台就业状态", 10}, {"就业类型", 12}, {"就业地点", 20}, {"就业单位", 24}, {"比对情况", 30},
	{"抽查结果", 10}, {"校准后就业状态", 10}, {"校准后就业地点", 16}, {"校准后就业单位", 20}, {"校准人", 9},
	{"校准日期", 12}};

static const char SQL_LIST_ROWS[] =
	"SELECT p.name, p.gender, p.village, coalesce(h.phone, r.phone), p.id_number, p.id_valid, h.employment_status,"
	" h.employment_type, coalesce(h.work_province, '') || coalesce(h.work_city, '') || coalesce(h.work_county, ''),"
	" coalesce(h.employer, r.employer), p.category,"
	" (SELECT group_concat(c.field || char(31) || coalesce(c.roster_value, '') || ' → ' || coalesce(c.hr_value, ''), char(30))"
	"   FROM conflict c WHERE c.period = p.period AND c.id_number = p.person_key),"
	" (SELECT CASE k.result WHEN 'accurate' THEN '准确' WHEN 'inaccurate' THEN '不准确' WHEN 'unreachable' THEN '无法联系' END"
	"   FROM sample s JOIN check_result k ON k.period = s.period AND k.sample_code = s.sample_code"
	"   WHERE s.period = p.period AND s.id_number = p.person_key)"
	" FROM person p"
	" LEFT JOIN hr_row h ON h.rowid = (SELECT min(rowid) FROM hr_row WHERE period = p.period AND id_number = p.person_key)"
	" LEFT JOIN roster_row r ON r.rowid = (SELECT min(rowid) FROM roster_row WHERE period = p.period AND id_number = p.person_key)"
	" WHERE p.period = ?1 AND coalesce(p.city, '') = ?2 AND coalesce(p.county, '') = ?3 AND coalesce(p.township, '') = ?4"
	" ORDER BY p.village, p.name, p.person_key";

static const char *category_label(const char *code)
{
	for (int c = 0; c < RC_NCATEGORIES; c++)
		if (strcmp(code, reconcile_category_code((enum reconcile_category)c)) == 0)
			return reconcile_category_label((enum reconcile_category)c);
	return code;
}

static int write_list(sqlite3 *db, const struct verify_options *opt, struct outputs *outs, const char *city,
		      const char *county, const char *township, double accuracy, struct bangfu_err *err)
{
	struct xlsx_book book;
	struct strbuf text;
	sqlite3_stmt *st;
	lxw_worksheet *ws;
	char path[2048], title[512], unit[512];
	const char *tmp;
	int row, first, step;

	snprintf(path, sizeof path, "%s/重新校准清单_%s_%s_%s.xlsx", opt->out_dir, county, township, opt->period);
	snprintf(unit, sizeof unit, "%s%s%s", city, county, township);
	if (outputs_add(outs, path, &tmp, err) != 0 || xlsx_open(&book, tmp, unit, opt->period, err) != 0)
		return -1;
	snprintf(title, sizeof title, "%s%s 就业帮扶信息重新校准清单（抽查准确率 %.1f%%，低于 90%%）", county, township,
		 accuracy * 100);
	ws = xlsx_sheet(&book, township, title, 0, LIST_COLUMNS, RL_NCOLS, &first);
	if (db_prepare(db, SQL_LIST_ROWS, &st, err) != 0) {
		xlsx_close(&book, err);
		return -1;
	}
	strbuf_init(&text);
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, city, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, county, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, township, -1, SQLITE_STATIC);
	row = first;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 4);
		const char *packed = (const char *)sqlite3_column_text(st, 11);
		char masked[64];

		xlsx_number(ws, row, RL_NO, row - first + 1, book.count);
		for (int c = RL_NAME; c <= RL_PHONE; c++)
			xlsx_text(ws, row, c, (const char *)sqlite3_column_text(st, c - RL_NAME), book.text);
		if (opt->full_id || !sqlite3_column_int(st, 5))
			snprintf(masked, sizeof masked, "%s", id);
		else
			idno_mask(id, masked, sizeof masked);
		xlsx_text(ws, row, RL_ID, masked, book.text);
		for (int c = RL_STATUS; c <= RL_EMPLOYER; c++)
			xlsx_text(ws, row, c, (const char *)sqlite3_column_text(st, c), book.text);
		strbuf_reset(&text);
		strbuf_addstr(&text, category_label((const char *)sqlite3_column_text(st, 10)));
		reconcile_format_conflicts(packed, &text);
		xlsx_text(ws, row, RL_CATEGORY, strbuf_str(&text), book.text_wrap);
		xlsx_text(ws, row, RL_CHECK, (const char *)sqlite3_column_text(st, 12), book.text);
		for (int c = RL_NEW_STATUS; c < RL_NCOLS; c++)
			worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)c, book.input);
		row++;
	}
	sqlite3_finalize(st);
	strbuf_free(&text);
	if (row > first) {
		xlsx_text_ids(ws, first, row - 1, RL_PHONE, RL_ID);
		worksheet_autofilter(ws, (lxw_row_t)(first - 1), 0, (lxw_row_t)(row - 1), RL_NCOLS - 1);
	}
	if (step != SQLITE_DONE) {
		struct bangfu_err ignored;

		db_fail(db, err, "listing the township's persons");
		xlsx_close(&book, &ignored);
		return -1;
	}
	return xlsx_close(&book, err);
}

int verify_report(sqlite3 *db, const struct verify_options *opt, struct verify_summary *sum,
		  struct bangfu_err *err)
{
	struct outputs outs = {0};
	sqlite3_stmt *st;
	int step;

	if (opt->out_dir && mkdir(opt->out_dir, 0700) != 0 && errno != EEXIST)
		return bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write",
				   "cannot create the directory: %s", strerror(errno));
	if (db_prepare(db, "SELECT city, county, township, verdict, accuracy FROM v_township_check"
			   " WHERE period = ? AND answered > 0 ORDER BY city, county, township",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *verdict = (const char *)sqlite3_column_text(st, 3);

		sum->townships_checked++;
		if (strcmp(verdict, "pass") == 0) {
			sum->pass++;
		} else if (strcmp(verdict, "undecided") == 0) {
			sum->undecided++;
		} else {
			sum->recalibrate++;
			if (opt->out_dir) {
				if (write_list(db, opt, &outs, (const char *)sqlite3_column_text(st, 0),
					       (const char *)sqlite3_column_text(st, 1),
					       (const char *)sqlite3_column_text(st, 2), sqlite3_column_double(st, 4),
					       err) != 0) {
					sqlite3_finalize(st);
					outputs_discard(&outs);
					return -1;
				}
				sum->lists_written++;
			}
		}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		outputs_discard(&outs);
		return db_fail(db, err, "reading the verdicts");
	}
	return outputs_commit(&outs, err);
}
