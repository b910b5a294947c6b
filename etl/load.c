/* load — see load.h. */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvin.h"
#include "datefmt.h"
#include "db.h"
#include "idno.h"
#include "strbuf.h"

/* Columns every row table has before the canonical fields. */
static const char *const ID_COLUMNS[] = {"file_id", "period", "line", "id_raw", "id_norm", "id_number",
					 "id_status", "id_damage", "id_prefix", "id_upgraded",
					 "id_gender", "birth_date"};
#define N_ID_COLUMNS ((int)(sizeof ID_COLUMNS / sizeof ID_COLUMNS[0]))

struct loader {
	sqlite3 *db;
	const struct load_options *opt;
	struct csvin *in;
	const char *name;
	sqlite3_int64 file_id;
	int ref_ymd;
	/* template field → parameter index in the insert (0: goes to extra) */
	int *field_param;
	int extra_param;
	int id_field;
	int gender_field;
	sqlite3_stmt *ins_row, *ins_reject, *ins_warning;
	struct strbuf extra;
	char **extra_keys; /* per column: JSON key for columns with no field */
	struct load_summary *sum;
};

int load_sha256_file(const char *path, char hex[65], struct bangfu_err *err)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	unsigned char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "unreadable", "cannot open: %s",
				   strerror(errno));
	buf = malloc(1 << 20);
	if (!buf)
		abort();
	sha256_init(&ctx);
	while ((got = read(fd, buf, 1 << 20)) > 0)
		sha256_update(&ctx, (size_t)got, buf);
	free(buf);
	close(fd);
	if (got < 0)
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "unreadable", "read error: %s",
				   strerror(errno));
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

static int table_has_column(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *st;
	int found = 0;
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT 1 FROM pragma_table_info('%s') WHERE name = ?", table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, column, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* INSERT for the source's row table: the ID columns, then every template
 * field the table has a column for, then extra.  Fields the table lacks go
 * into extra under their canonical name, so a new template field loses
 * nothing. */
static int prepare_insert(struct loader *ld, struct bangfu_err *err)
{
	const struct tmpl_columns *cols = ld->opt->columns;
	const char *table = strcmp(ld->opt->source, "roster") == 0 ? "roster_row" : "hr_row";
	struct strbuf sql, vals;
	int param = N_ID_COLUMNS, rc;

	strbuf_init(&sql);
	strbuf_init(&vals);
	strbuf_addf(&sql, "INSERT INTO %s (", table);
	for (int i = 0; i < N_ID_COLUMNS; i++) {
		strbuf_addf(&sql, "%s%s", i ? ", " : "", ID_COLUMNS[i]);
		strbuf_addf(&vals, "%s?", i ? ", " : "");
	}
	ld->field_param = calloc((size_t)cols->n + 1, sizeof *ld->field_param);
	if (!ld->field_param)
		abort();
	for (int f = 0; f < cols->n; f++) {
		if (f == ld->id_field || !table_has_column(ld->db, table, cols->cols[f].field))
			continue;
		ld->field_param[f] = ++param;
		strbuf_addf(&sql, ", %s", cols->cols[f].field);
		strbuf_addstr(&vals, ", ?");
	}
	ld->extra_param = ++param;
	strbuf_addf(&sql, ", extra) VALUES (%s, ?)", strbuf_str(&vals));
	rc = db_prepare(ld->db, strbuf_str(&sql), &ld->ins_row, err);
	strbuf_free(&sql);
	strbuf_free(&vals);
	return rc;
}

static int add_reject(struct loader *ld, long line, long col, const char *column_name, const char *code,
		      const char *message, const char *raw, size_t raw_len, struct bangfu_err *err)
{
	sqlite3_stmt *st = ld->ins_reject;

	sqlite3_bind_int64(st, 1, ld->file_id);
	sqlite3_bind_int64(st, 2, line);
	if (col > 0)
		sqlite3_bind_int64(st, 3, col);
	else
		sqlite3_bind_null(st, 3);
	db_bind_text(st, 4, column_name && column_name[0] ? column_name : NULL);
	db_bind_text(st, 5, code);
	db_bind_text(st, 6, message);
	sqlite3_bind_text(st, 7, raw ? raw : "", (int)raw_len, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_fail(ld->db, err, "recording a rejected row");
	}
	sqlite3_reset(st);
	ld->sum->rows_rejected++;
	return 0;
}

static int add_warning(struct loader *ld, long line, int col, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int add_warning(struct loader *ld, long line, int col, const char *code, const char *fmt, ...)
{
	sqlite3_stmt *st = ld->ins_warning;
	char message[512];
	va_list ap;
	int rc = 0;

	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	sqlite3_bind_int64(st, 1, ld->file_id);
	sqlite3_bind_int64(st, 2, line);
	if (col >= 0) {
		sqlite3_bind_int(st, 3, col + 1);
		db_bind_text(st, 4, csvin_column_name(ld->in, col));
	} else {
		sqlite3_bind_null(st, 3);
		sqlite3_bind_null(st, 4);
	}
	db_bind_text(st, 5, code);
	db_bind_text(st, 6, message);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = -1;
	sqlite3_reset(st);
	ld->sum->warnings++;
	return rc;
}

static const char *field_value(struct loader *ld, const struct csvin_row *row, int field)
{
	int col = csvin_field_column(ld->in, field);

	return col >= 0 && col < row->nfields ? row->fields[col] : NULL;
}

/* 'M'/'F' from what the record says (男/女, 男性, M, F), 0 when unclear. */
static char declared_gender(const char *s)
{
	if (!s)
		return 0;
	if (strncmp(s, "男", strlen("男")) == 0 || strcmp(s, "M") == 0 || strcmp(s, "m") == 0)
		return 'M';
	if (strncmp(s, "女", strlen("女")) == 0 || strcmp(s, "F") == 0 || strcmp(s, "f") == 0)
		return 'F';
	return 0;
}

static int load_row(struct loader *ld, const struct csvin_row *row, struct bangfu_err *err)
{
	const struct tmpl_columns *cols = ld->opt->columns;
	sqlite3_stmt *st = ld->ins_row;
	const char *raw_id = field_value(ld, row, ld->id_field);
	int id_col = csvin_field_column(ld->in, ld->id_field);
	struct idno id;
	char birth[11] = "", gender[2] = "";
	char dates[64][11];
	int extra_fields = 0;

	if (!raw_id || !raw_id[0])
		return add_reject(ld, row->line, id_col + 1, csvin_column_name(ld->in, id_col), "missing_id",
				  "the ID number (证件号码) is empty: the person cannot be matched", row->raw,
				  row->raw_len, err);
	idno_parse(raw_id, ld->ref_ymd, &id);

	sqlite3_bind_int64(st, 1, ld->file_id);
	sqlite3_bind_text(st, 2, ld->opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, row->line);
	sqlite3_bind_text(st, 4, raw_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, id.normalised, -1, SQLITE_STATIC);
	db_bind_text(st, 6, id.status == IDNO_OK ? id.id : NULL);
	sqlite3_bind_text(st, 7, idno_status_code(id.status), -1, SQLITE_STATIC);
	db_bind_text(st, 8, id.damage != IDNO_DAMAGE_NONE ? idno_damage_code(id.damage) : NULL);
	db_bind_text(st, 9, id.surviving_prefix[0] ? id.surviving_prefix : NULL);
	sqlite3_bind_int(st, 10, id.upgraded);
	gender[0] = id.gender;
	db_bind_text(st, 11, id.gender ? gender : NULL);
	if (id.birth_year)
		snprintf(birth, sizeof birth, "%04d-%02d-%02d", id.birth_year, id.birth_month, id.birth_day);
	db_bind_text(st, 12, birth[0] ? birth : NULL);

	strbuf_reset(&ld->extra);
	strbuf_addch(&ld->extra, '{');
	for (int f = 0; f < cols->n; f++) {
		const char *v = field_value(ld, row, f);
		int col = csvin_field_column(ld->in, f);

		if (f == ld->id_field)
			continue;
		if (v && !v[0])
			v = NULL;
		if (v && cols->cols[f].is_date && f < 64) {
			enum datefmt_result r = datefmt_parse(v, dates[f]);

			if (r == DATEFMT_DAY || r == DATEFMT_MONTH) {
				v = dates[f];
			} else if (r == DATEFMT_INVALID) {
				/* Keep the text as written; flag it. */
				if (add_warning(ld, row->line, col, "bad_date",
						"%s: '%s' is not a date (expected e.g. 2020-05-01, 2020年5月1日, 43952)",
						cols->cols[f].label, v) != 0)
					return db_fail(ld->db, err, "recording a warning");
			}
		}
		if (ld->field_param[f]) {
			db_bind_text(st, ld->field_param[f], v);
		} else if (v) {
			strbuf_addstr(&ld->extra, extra_fields++ ? ",\"" : "\"");
			strbuf_add_json_escaped(&ld->extra, cols->cols[f].field, strlen(cols->cols[f].field));
			strbuf_addstr(&ld->extra, "\":\"");
			strbuf_add_json_escaped(&ld->extra, v, strlen(v));
			strbuf_addch(&ld->extra, '"');
		}
	}
	for (int c = 0; c < row->nfields && c < csvin_ncolumns(ld->in); c++) {
		if (csvin_column_field(ld->in, c) >= 0 || !row->lens[c])
			continue;
		strbuf_addstr(&ld->extra, extra_fields++ ? ",\"" : "\"");
		strbuf_add_json_escaped(&ld->extra, ld->extra_keys[c], strlen(ld->extra_keys[c]));
		strbuf_addstr(&ld->extra, "\":\"");
		strbuf_add_json_escaped(&ld->extra, row->fields[c], row->lens[c]);
		strbuf_addch(&ld->extra, '"');
	}
	strbuf_addch(&ld->extra, '}');
	if (extra_fields)
		sqlite3_bind_text(st, ld->extra_param, ld->extra.buf, (int)ld->extra.len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, ld->extra_param);

	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_fail(ld->db, err, "loading a row");
	}
	sqlite3_reset(st);
	ld->sum->rows_loaded++;

	if (id.status == IDNO_OK && !id.region_known &&
	    add_warning(ld, row->line, id_col, "region_unknown",
			"region code %.6s is not in the current GB/T 2260 list (an abolished county?)",
			id.id) != 0)
		return db_fail(ld->db, err, "recording a warning");
	if (ld->gender_field >= 0 && id.gender) {
		char said = declared_gender(field_value(ld, row, ld->gender_field));

		if (said && said != id.gender &&
		    add_warning(ld, row->line, csvin_field_column(ld->in, ld->gender_field), "gender_mismatch",
				"性别 says %s but the ID number's sequence digit says %s",
				said == 'M' ? "男" : "女", id.gender == 'M' ? "男" : "女") != 0)
			return db_fail(ld->db, err, "recording a warning");
	}
	return 0;
}

/* JSON keys for columns without a canonical field: the header text, made
 * unique ("备注", "备注#2") and never empty ("列7"). */
static void make_extra_keys(struct loader *ld)
{
	int n = csvin_ncolumns(ld->in);

	ld->extra_keys = calloc((size_t)n + 1, sizeof *ld->extra_keys);
	if (!ld->extra_keys)
		abort();
	for (int c = 0; c < n; c++) {
		const char *name = csvin_column_name(ld->in, c);
		char key[600];
		int dup = 1;

		if (name[0])
			snprintf(key, sizeof key, "%s", name);
		else
			snprintf(key, sizeof key, "列%d", c + 1);
		for (int p = 0; p < c; p++)
			if (ld->extra_keys[p] && strcmp(ld->extra_keys[p], key) == 0)
				dup++;
		if (dup > 1) {
			char more[620];

			snprintf(more, sizeof more, "%s#%d", key, dup);
			ld->extra_keys[c] = strdup(more);
		} else {
			ld->extra_keys[c] = strdup(key);
		}
		if (!ld->extra_keys[c])
			abort();
	}
}

static void loader_free(struct loader *ld)
{
	sqlite3_finalize(ld->ins_row);
	sqlite3_finalize(ld->ins_reject);
	sqlite3_finalize(ld->ins_warning);
	if (ld->extra_keys)
		for (int c = 0; c < csvin_ncolumns(ld->in); c++)
			free(ld->extra_keys[c]);
	free(ld->extra_keys);
	free(ld->field_param);
	strbuf_free(&ld->extra);
	csvin_close(ld->in);
}

static int period_end_ymd(const char *period)
{
	int y = atoi(period), m = atoi(period + 5);

	return y * 10000 + m * 100 + datefmt_month_days(y, m);
}

/* A file of this name, or with this content, already loaded for the period
 * and source?  Fills name/sha of the loaded one. */
static int find_loaded(sqlite3 *db, const struct load_options *opt, const char *by, const char *value,
		       sqlite3_int64 *file_id, char *name, size_t namesz, char *sha, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	char sql[256];
	int found = 0;

	snprintf(sql, sizeof sql,
		 "SELECT file_id, file_name, sha256 FROM source_file WHERE period = ? AND source = ? AND %s = ?",
		 by);
	if (db_prepare(db, sql, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, opt->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		*file_id = sqlite3_column_int64(st, 0);
		snprintf(name, namesz, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(sha, 65, "%s", (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	return found;
}

static int delete_file(sqlite3 *db, sqlite3_int64 file_id, struct bangfu_err *err)
{
	static const char *const sql[] = {
		"DELETE FROM roster_row WHERE file_id = ?", "DELETE FROM hr_row WHERE file_id = ?",
		"DELETE FROM reject WHERE file_id = ?", "DELETE FROM row_warning WHERE file_id = ?",
		"DELETE FROM source_file WHERE file_id = ?"};

	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st;
		int rc;

		if (db_prepare(db, sql[i], &st, err) != 0)
			return -1;
		sqlite3_bind_int64(st, 1, file_id);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, "removing the earlier load of the file");
	}
	return 0;
}

static int record_file(struct loader *ld, const char *path, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	struct strbuf header;
	char now[32], delim[2] = {csvin_delimiter(ld->in), 0};
	int rc;

	strbuf_init(&header);
	strbuf_addch(&header, '[');
	for (int c = 0; c < csvin_ncolumns(ld->in); c++) {
		const char *name = csvin_column_name(ld->in, c);

		strbuf_addstr(&header, c ? ",\"" : "\"");
		strbuf_add_json_escaped(&header, name, strlen(name));
		strbuf_addch(&header, '"');
	}
	strbuf_addch(&header, ']');
	db_now_iso(now);
	if (db_prepare(ld->db,
		       "INSERT INTO source_file (period, source, file_name, file_path, size_bytes, sha256,"
		       " encoding, delimiter, header_line, header_json, loaded_at)"
		       " VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)",
		       &st, err) != 0) {
		strbuf_free(&header);
		return -1;
	}
	sqlite3_bind_text(st, 1, ld->opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ld->opt->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ld->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, csvin_size(ld->in));
	sqlite3_bind_text(st, 6, csvin_encoding(ld->in), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, delim[0] == '\t' ? "\\t" : delim, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, csvin_header_line(ld->in));
	sqlite3_bind_text(st, 9, strbuf_str(&header), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	strbuf_free(&header);
	if (rc != SQLITE_DONE)
		return db_fail(ld->db, err, "recording the file");
	ld->file_id = sqlite3_last_insert_rowid(ld->db);
	return 0;
}

static int finish_file(struct loader *ld, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(ld->db,
		       "UPDATE source_file SET sha256 = ?, rows_read = ?, rows_loaded = ?, rows_rejected = ?"
		       " WHERE file_id = ?",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, ld->sum->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ld->sum->rows_read);
	sqlite3_bind_int64(st, 3, ld->sum->rows_loaded);
	sqlite3_bind_int64(st, 4, ld->sum->rows_rejected);
	sqlite3_bind_int64(st, 5, ld->file_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(ld->db, err, "recording the file's counts");
	return 0;
}

static int load_rows(struct loader *ld, struct bangfu_err *err)
{
	struct csvin_row *row;
	int r;

	while ((r = csvin_next(ld->in, &row, err)) == 1) {
		ld->sum->rows_read++;
		if (row->rejected) {
			if (add_reject(ld, row->line, row->reject_col, row->reject_column_name,
				       row->reject_code, row->reject_message, row->raw, row->raw_len, err) != 0)
				return -1;
		} else if (load_row(ld, row, err) != 0) {
			return -1;
		}
		if ((ld->sum->rows_read & 0xffff) == 0)
			msg_progress(ld->name, (unsigned long long)ld->sum->rows_read, 0);
	}
	msg_progress_end();
	return r;
}

int load_file(sqlite3 *db, const char *path, const struct load_options *opt, struct load_summary *sum,
	      struct bangfu_err *err)
{
	struct loader ld = {0};
	struct csvin_options copt = {0};
	char *pathcopy = strdup(path), loaded_name[256], loaded_sha[65];
	sqlite3_int64 old_id = 0;
	int found;

	if (!pathcopy)
		abort();
	memset(sum, 0, sizeof *sum);
	snprintf(sum->file_name, sizeof sum->file_name, "%s", basename(pathcopy));
	free(pathcopy);
	ld.db = db;
	ld.opt = opt;
	ld.sum = sum;
	ld.name = sum->file_name;
	ld.ref_ymd = period_end_ymd(opt->period);
	ld.id_field = tmpl_columns_find(opt->columns, "id_number");
	ld.gender_field = tmpl_columns_find(opt->columns, "gender");
	strbuf_init(&ld.extra);
	copt.encoding = opt->encoding;
	copt.columns = opt->columns;
	copt.display_name = path;

	ld.in = csvin_open(path, &copt, err);
	if (!ld.in)
		return -1;
	sum->delimiter = csvin_delimiter(ld.in);
	sum->header_line = csvin_header_line(ld.in);
	snprintf(sum->encoding, sizeof sum->encoding, "%s", csvin_encoding(ld.in));

	if (db_begin(db, err) != 0)
		goto fail;
	found = find_loaded(db, opt, "file_name", sum->file_name, &old_id, loaded_name, sizeof loaded_name,
			    loaded_sha, err);
	if (found < 0)
		goto fail;
	if (found && !opt->replace) {
		if (load_sha256_file(path, sum->sha256, err) != 0)
			goto fail;
		if (strcmp(sum->sha256, loaded_sha) == 0) {
			sum->outcome = LOAD_ALREADY;
			snprintf(sum->already_as, sizeof sum->already_as, "%s", loaded_name);
			db_rollback(db);
			loader_free(&ld);
			return 0;
		}
		bangfu_fail(err, ERR_INPUT, path, 0, 0, "name_taken",
			    "a different file named %s is already loaded for %s %s; use --replace to replace it",
			    sum->file_name, opt->period, opt->source);
		goto fail;
	}
	if (found) {
		if (delete_file(db, old_id, err) != 0)
			goto fail;
		sum->replaced = 1;
	}
	if (prepare_insert(&ld, err) != 0 ||
	    db_prepare(db, "INSERT INTO reject (file_id, line, col, column_name, code, message, raw)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?)",
		       &ld.ins_reject, err) != 0 ||
	    db_prepare(db, "INSERT INTO row_warning (file_id, line, col, column_name, code, message)"
			   " VALUES (?, ?, ?, ?, ?, ?)",
		       &ld.ins_warning, err) != 0)
		goto fail;
	make_extra_keys(&ld);
	if (record_file(&ld, path, err) != 0 || load_rows(&ld, err) != 0)
		goto fail;
	snprintf(sum->sha256, sizeof sum->sha256, "%s", csvin_sha256(ld.in));

	/* The same bytes under another name are the same file. */
	found = find_loaded(db, opt, "sha256", sum->sha256, &old_id, loaded_name, sizeof loaded_name, loaded_sha,
			    err);
	if (found < 0)
		goto fail;
	if (found) {
		sum->outcome = LOAD_ALREADY;
		snprintf(sum->already_as, sizeof sum->already_as, "%s", loaded_name);
		db_rollback(db);
		loader_free(&ld);
		return 0;
	}
	if (finish_file(&ld, err) != 0 || db_commit(db, err) != 0)
		goto fail;
	sum->outcome = LOAD_DONE;
	loader_free(&ld);
	return 0;
fail:
	db_rollback(db);
	loader_free(&ld);
	return -1;
}
