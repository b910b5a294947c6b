/* load — see load.h.
 *
 * Two threads per file.  The reader (read_rows, on a thread of its own)
 * reads, decodes and checks every record — csvin's parsing, the ID rules, the
 * dates, the warnings, the JSON of extra columns — into batches of values
 * ready to bind.  The writer (the calling thread, the only one that uses the
 * database connection) stores each batch with prepared statements that bind
 * those values where they lie (SQLITE_STATIC), no copy.  Each side is about
 * half of the work (BENCHMARKS.md), so on two cores they overlap.  A batch is
 * a few thousand records: memory stays a few megabytes whatever the file.
 *
 * A row's rowid is (file_id << 32) | line: rows are stored in file order, a
 * row is found by its place in its file without an index (an invalid ID's
 * person names it 'roster:FILE:LINE'), and a file's rows are one range. */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <nettle/sha2.h>
#include <libintl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvin.h"
#include "datefmt.h"
#include "db.h"
#include "idno.h"
#include "msg.h"
#include "strbuf.h"

#define BATCH_ROWS 4096   /* records per batch */
#define BATCH_COUNT 4     /* batches in flight between the threads */
#define N_ID_VALUES 8     /* id_raw id_norm id_number id_status id_damage id_prefix id_gender birth_date */

/* ---- batches: what the reader hands the writer ---- */

enum op_kind { OP_ROW, OP_REJECT, OP_WARNING };

/* One thing to store.  Its text values are vals[first .. first + n) of its
 * batch: a row's ID values, its fields in the order of the insert's
 * parameters and its extra JSON; a reject's column name, code, message and
 * the record as read; a warning's column name, code and message. */
struct op {
	enum op_kind kind;
	int upgraded; /* a row: the ID was upgraded from 15 digits */
	long line;
	long col;     /* a reject's or warning's 1-based column; 0: none */
	int first, n;
};

struct val {
	long off; /* into the batch's arena; -1: NULL */
	long len;
};

struct batch {
	struct strbuf arena;
	struct op *ops;
	int nops, opcap;
	struct val *vals;
	int nvals, valcap;
	long rows_read; /* records read into this batch */
	int last;       /* nothing follows: the end of the file, or reading stopped */
	struct batch *next;
};

/* The hand-over: full batches in order, empty ones to reuse. */
struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *full, *full_tail, *empty;
	int stop; /* the writer failed: the reader stops */
};

static void batch_reset(struct batch *b)
{
	strbuf_reset(&b->arena);
	b->nops = b->nvals = 0;
	b->rows_read = 0;
	b->last = 0;
	b->next = NULL;
}

static void batch_free(struct batch *b)
{
	strbuf_free(&b->arena);
	free(b->ops);
	free(b->vals);
	free(b);
}

static struct op *batch_op(struct batch *b, enum op_kind kind, long line, long col)
{
	struct op *o;

	if (b->nops == b->opcap) {
		b->opcap = b->opcap ? 2 * b->opcap : 2 * BATCH_ROWS;
		b->ops = realloc(b->ops, (size_t)b->opcap * sizeof *b->ops);
		if (!b->ops)
			abort();
	}
	o = &b->ops[b->nops++];
	*o = (struct op){.kind = kind, .line = line, .col = col, .first = b->nvals};
	return o;
}

/* Append a value (NULL stays NULL) to the op last added. */
static void batch_val(struct batch *b, const char *s, long len)
{
	struct val *v;

	if (b->nvals == b->valcap) {
		b->valcap = b->valcap ? 2 * b->valcap : 16 * BATCH_ROWS;
		b->vals = realloc(b->vals, (size_t)b->valcap * sizeof *b->vals);
		if (!b->vals)
			abort();
	}
	v = &b->vals[b->nvals++];
	if (!s) {
		*v = (struct val){-1, 0};
	} else {
		if (len < 0)
			len = (long)strlen(s);
		*v = (struct val){(long)b->arena.len, len};
		strbuf_add(&b->arena, s, (size_t)len);
		strbuf_addch(&b->arena, '\0');
	}
	b->ops[b->nops - 1].n++;
}

static void queue_put_full(struct queue *q, struct batch *b)
{
	pthread_mutex_lock(&q->mu);
	if (q->full_tail)
		q->full_tail->next = b;
	else
		q->full = b;
	q->full_tail = b;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The next full batch (waits for one). */
static struct batch *queue_get_full(struct queue *q)
{
	struct batch *b;

	pthread_mutex_lock(&q->mu);
	while (!q->full)
		pthread_cond_wait(&q->cv, &q->mu);
	b = q->full;
	q->full = b->next;
	if (!q->full)
		q->full_tail = NULL;
	pthread_mutex_unlock(&q->mu);
	b->next = NULL;
	return b;
}

static void queue_put_empty(struct queue *q, struct batch *b)
{
	batch_reset(b);
	pthread_mutex_lock(&q->mu);
	b->next = q->empty;
	q->empty = b;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* An empty batch to fill (waits for one); NULL when the writer has stopped. */
static struct batch *queue_get_empty(struct queue *q)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&q->mu);
	while (!q->stop && !q->empty)
		pthread_cond_wait(&q->cv, &q->mu);
	if (!q->stop) {
		b = q->empty;
		q->empty = b->next;
		b->next = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return b;
}

/* ---- the loader ---- */

struct loader {
	sqlite3 *db;
	const struct load_options *opt;
	struct csvin *in;
	const char *name;
	sqlite3_int64 file_id;
	int ref_ymd;
	int id_field;
	int gender_field;
	int date_field; /* a service record's date: required, a date */
	/* the template fields that have a column in the row table, in the order
	 * of the insert's parameters; the others go to extra */
	int *bound_fields;
	int nbound;
	char *field_bound;   /* per template field: 1 when bound */
	char **extra_keys;   /* per column: JSON key for columns with no field */
	sqlite3_stmt *ins_row, *ins_reject, *ins_warning;
	struct load_summary *sum;
	/* the reader's */
	struct queue q;
	struct bangfu_err read_err;
	int read_failed;
	long rows_read;
	char progress[300]; /* "roster.csv: rows" */
};

/* ---- what the file needs (small helpers) ---- */

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
		       "INSERT INTO source_file (file_id, period, source, file_name, file_path, size_bytes, sha256,"
		       " encoding, delimiter, header_line, header_json, loaded_at)"
		       /* a new number, never one of a file moved to an archive */
		       " VALUES (1 + max(coalesce((SELECT max(file_id) FROM source_file), 0),"
		       "  coalesce((SELECT max(max_file_id) FROM archive_run), 0)),"
		       " ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)",
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

/* ---- the reader's side: a record into ready-to-bind values ---- */

/* A warning found while a record's values are being gathered; added to the
 * batch after the record's own op, whose values must stay together. */
struct warning {
	int col; /* 0-based column, -1: none */
	const char *code;
	char message[512];
};

static void add_warning_op(struct loader *ld, struct batch *b, long line, const struct warning *w)
{
	batch_op(b, OP_WARNING, line, w->col >= 0 ? w->col + 1 : 0);
	batch_val(b, w->col >= 0 ? csvin_column_name(ld->in, w->col) : NULL, -1);
	batch_val(b, w->code, -1);
	batch_val(b, w->message, -1);
}

static void warn(struct warning *w, int col, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void warn(struct warning *w, int col, const char *code, const char *fmt, ...)
{
	va_list ap;

	w->col = col;
	w->code = code;
	va_start(ap, fmt);
	vsnprintf(w->message, sizeof w->message, msg_tr(fmt), ap);
	va_end(ap);
}

static const char *field_value(struct loader *ld, const struct csvin_row *row, int field)
{
	int col = csvin_field_column(ld->in, field);

	return col >= 0 && col < row->nfields ? row->fields[col] : NULL;
}

static void add_reject_op(struct batch *b, long line, long col, const char *column_name, const char *code,
			  const char *message, const char *raw, size_t raw_len)
{
	batch_op(b, OP_REJECT, line, col > 0 ? col : 0);
	batch_val(b, column_name && column_name[0] ? column_name : NULL, -1);
	batch_val(b, code, -1);
	batch_val(b, message, -1);
	batch_val(b, raw ? raw : "", (long)raw_len);
}

/* Append `"key":"value"` to a JSON object under construction. */
static void json_member(struct strbuf *json, int *members, const char *key, const char *value, size_t len)
{
	strbuf_addstr(json, (*members)++ ? ",\"" : "\"");
	strbuf_add_json_escaped(json, key, strlen(key));
	strbuf_addstr(json, "\":\"");
	strbuf_add_json_escaped(json, value, len);
	strbuf_addch(json, '"');
}

/* A service record is about a day: one without a date, or with a text that
 * is no day, is rejected (1: the date is good). */
static int service_date_ok(struct loader *ld, struct batch *b, const struct csvin_row *row)
{
	const char *v = field_value(ld, row, ld->date_field);
	int col = csvin_field_column(ld->in, ld->date_field);
	char iso[11], message[300];

	if (!v || !v[0]) {
		add_reject_op(b, row->line, col + 1, csvin_column_name(ld->in, col), "missing_date",
			      "the service date (服务日期) is empty: the record cannot be counted", row->raw,
			      row->raw_len);
		return 0;
	}
	if (datefmt_parse(v, iso) != DATEFMT_DAY) {
		snprintf(message, sizeof message,
			 "服务日期: '%.200s' is not a day (expected e.g. 2020-05-01, 2020年5月1日, 43952)", v);
		add_reject_op(b, row->line, col + 1, csvin_column_name(ld->in, col), "bad_date", message, row->raw,
			      row->raw_len);
		return 0;
	}
	return 1;
}

/* One record with an ID: its values in the order of the insert, and the
 * warnings it raises. */
static void read_record(struct loader *ld, struct batch *b, const struct csvin_row *row, struct strbuf *extra)
{
	const struct tmpl_columns *cols = ld->opt->columns;
	const char *raw_id = field_value(ld, row, ld->id_field);
	int id_col = csvin_field_column(ld->in, ld->id_field);
	struct warning warnings[66];
	int nwarnings = 0, members = 0;
	struct idno id;
	char birth[11] = "", gender[2] = "", dates[64][11];
	const char *values[64];
	struct op *op;

	if (!raw_id || !raw_id[0]) {
		add_reject_op(b, row->line, id_col + 1, csvin_column_name(ld->in, id_col), "missing_id",
			      msg_tr("the ID number (证件号码) is empty: the person cannot be matched"), row->raw, row->raw_len);
		return;
	}
	if (ld->date_field >= 0 && !service_date_ok(ld, b, row))
		return;
	idno_parse(raw_id, ld->ref_ymd, &id);
	gender[0] = id.gender;
	if (id.birth_year)
		snprintf(birth, sizeof birth, "%04d-%02d-%02d", id.birth_year, id.birth_month, id.birth_day);

	/* the fields: dates in ISO form (a text that is no date is kept and
	 * flagged), the unbound ones into extra */
	strbuf_reset(extra);
	strbuf_addch(extra, '{');
	for (int f = 0; f < cols->n && f < 64; f++) {
		const char *v = field_value(ld, row, f);
		int col = csvin_field_column(ld->in, f);

		values[f] = NULL;
		if (f == ld->id_field)
			continue;
		if (v && !v[0])
			v = NULL;
		if (v && cols->cols[f].is_date) {
			enum datefmt_result r = datefmt_parse(v, dates[f]);

			if (r == DATEFMT_DAY || r == DATEFMT_MONTH)
				v = dates[f];
			else if (r == DATEFMT_INVALID)
				warn(&warnings[nwarnings++], col, "bad_date",
				     "%s: '%s' is not a date (expected e.g. 2020-05-01, 2020年5月1日, 43952)",
				     cols->cols[f].label, v);
		}
		values[f] = v;
		if (!ld->field_bound[f] && v)
			json_member(extra, &members, cols->cols[f].field, v, strlen(v));
	}
	for (int c = 0; c < row->nfields && c < csvin_ncolumns(ld->in); c++)
		if (csvin_column_field(ld->in, c) < 0 && row->lens[c])
			json_member(extra, &members, ld->extra_keys[c], row->fields[c], row->lens[c]);
	strbuf_addch(extra, '}');

	op = batch_op(b, OP_ROW, row->line, 0);
	op->upgraded = id.upgraded;
	batch_val(b, raw_id, -1);
	batch_val(b, id.normalised, -1);
	batch_val(b, id.status == IDNO_OK ? id.id : NULL, -1);
	batch_val(b, idno_status_code(id.status), -1);
	batch_val(b, id.damage != IDNO_DAMAGE_NONE ? idno_damage_code(id.damage) : NULL, -1);
	batch_val(b, id.surviving_prefix[0] ? id.surviving_prefix : NULL, -1);
	batch_val(b, id.gender ? gender : NULL, -1);
	batch_val(b, birth[0] ? birth : NULL, -1);
	for (int i = 0; i < ld->nbound; i++)
		batch_val(b, values[ld->bound_fields[i]], -1);
	batch_val(b, members ? extra->buf : NULL, (long)extra->len);

	if (id.status == IDNO_OK && !id.region_known)
		warn(&warnings[nwarnings++], id_col, "region_unknown",
		     "region code %.6s is not in the current GB/T 2260 list (an abolished county?)", id.id);
	if (ld->gender_field >= 0 && id.gender) {
		char said = declared_gender(field_value(ld, row, ld->gender_field));

		if (said && said != id.gender)
			warn(&warnings[nwarnings++], csvin_field_column(ld->in, ld->gender_field), "gender_mismatch",
			     "性别 says %s but the ID number's sequence digit says %s", said == 'M' ? "男" : "女",
			     id.gender == 'M' ? "男" : "女");
	}
	for (int i = 0; i < nwarnings; i++)
		add_warning_op(ld, b, row->line, &warnings[i]);
}

/* The reader thread: every record of the file into batches, until the end,
 * an I/O error (read_err), or the writer stopping. */
static void *read_rows(void *arg)
{
	struct loader *ld = arg;
	struct batch *b = NULL;
	struct csvin_row *row;
	struct strbuf extra;
	int r;

	strbuf_init(&extra);
	for (;;) {
		if (!b && !(b = queue_get_empty(&ld->q)))
			break;
		r = csvin_next(ld->in, &row, &ld->read_err);
		if (r != 1) {
			ld->read_failed = r < 0;
			b->last = 1;
			queue_put_full(&ld->q, b);
			break;
		}
		b->rows_read++;
		if (row->rejected)
			add_reject_op(b, row->line, row->reject_col, row->reject_column_name, row->reject_code,
				      row->reject_message, row->raw, row->raw_len);
		else
			read_record(ld, b, row, &extra);
		if ((++ld->rows_read & 0x3fff) == 0)
			msg_progress_share(ld->progress, (unsigned long long)ld->rows_read,
					   (unsigned long long)csvin_bytes_read(ld->in), (unsigned long long)csvin_size(ld->in));
		if (b->nops >= BATCH_ROWS) {
			queue_put_full(&ld->q, b);
			b = NULL;
		}
	}
	msg_progress_end();
	strbuf_free(&extra);
	return NULL;
}

/* ---- the writer's side: a batch into the database ---- */

static void bind_val(sqlite3_stmt *st, int param, const struct batch *b, const struct val *v)
{
	if (v->off < 0)
		sqlite3_bind_null(st, param);
	else
		sqlite3_bind_text(st, param, b->arena.buf + v->off, (int)v->len, SQLITE_STATIC);
}

static int store_op(struct loader *ld, const struct batch *b, const struct op *o, struct bangfu_err *err)
{
	const struct val *v = &b->vals[o->first];
	sqlite3_stmt *st;
	int param = 1;

	switch (o->kind) {
	case OP_ROW:
		st = ld->ins_row;
		sqlite3_bind_int64(st, param++, (ld->file_id << 32) | (sqlite3_int64)o->line);
		sqlite3_bind_int64(st, param++, ld->file_id);
		sqlite3_bind_text(st, param++, ld->opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, param++, o->line);
		for (int i = 0; i < 6; i++) /* id_raw .. id_prefix */
			bind_val(st, param++, b, &v[i]);
		sqlite3_bind_int(st, param++, o->upgraded);
		for (int i = 6; i < o->n; i++) /* id_gender, birth_date, the fields, extra */
			bind_val(st, param++, b, &v[i]);
		ld->sum->rows_loaded++;
		break;
	case OP_REJECT:
	case OP_WARNING:
		st = o->kind == OP_REJECT ? ld->ins_reject : ld->ins_warning;
		sqlite3_bind_int64(st, param++, ld->file_id);
		sqlite3_bind_int64(st, param++, o->line);
		if (o->col > 0)
			sqlite3_bind_int64(st, param++, o->col);
		else
			sqlite3_bind_null(st, param++);
		for (int i = 0; i < o->n; i++)
			bind_val(st, param++, b, &v[i]);
		if (o->kind == OP_REJECT)
			ld->sum->rows_rejected++;
		else
			ld->sum->warnings++;
		break;
	default:
		return bangfu_fail(err, ERR_INTERNAL, ld->name, 0, 0, "internal", "unknown operation");
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return db_fail(ld->db, err,
			       o->kind == OP_ROW ? msg_tr("loading a row") : msg_tr("recording a rejected row or warning"));
	}
	sqlite3_reset(st);
	return 0;
}

/* Store every batch the reader hands over, on this thread, while it reads
 * the next ones on its own. */
static int load_rows(struct loader *ld, struct bangfu_err *err)
{
	pthread_t reader;
	struct batch *b;
	int rc = 0, last = 0;

	pthread_mutex_init(&ld->q.mu, NULL);
	pthread_cond_init(&ld->q.cv, NULL);
	for (int i = 0; i < BATCH_COUNT; i++) {
		b = xcalloc(1, sizeof *b);
		strbuf_init(&b->arena);
		b->next = ld->q.empty;
		ld->q.empty = b;
	}
	if (pthread_create(&reader, NULL, read_rows, ld) != 0) {
		rc = bangfu_fail(err, ERR_INTERNAL, ld->name, 0, 0, "internal", "cannot start the reader: %s",
				 strerror(errno));
		goto out;
	}
	while (!last) {
		b = queue_get_full(&ld->q);
		for (int i = 0; i < b->nops && rc == 0; i++)
			rc = store_op(ld, b, &b->ops[i], err);
		ld->sum->rows_read += b->rows_read;
		last = b->last;
		queue_put_empty(&ld->q, b);
		if (rc != 0) {
			pthread_mutex_lock(&ld->q.mu);
			ld->q.stop = 1;
			pthread_cond_broadcast(&ld->q.cv);
			pthread_mutex_unlock(&ld->q.mu);
			break;
		}
	}
	pthread_join(reader, NULL);
	if (rc == 0 && ld->read_failed) {
		*err = ld->read_err;
		rc = -1;
	}
out:
	while ((b = ld->q.empty) != NULL) {
		ld->q.empty = b->next;
		batch_free(b);
	}
	while ((b = ld->q.full) != NULL) {
		ld->q.full = b->next;
		batch_free(b);
	}
	pthread_cond_destroy(&ld->q.cv);
	pthread_mutex_destroy(&ld->q.mu);
	return rc;
}

/* ---- the file ---- */

const char *load_table(const char *source)
{
	static const char *const TABLES[][2] = {{"roster", "roster_row"}, {"service", "service_row"},
						{"ledger", "ledger_row"}, {"posts", "posts_row"}};

	for (size_t i = 0; i < sizeof TABLES / sizeof TABLES[0]; i++)
		if (strcmp(source, TABLES[i][0]) == 0)
			return TABLES[i][1];
	return "hr_row";
}

/* INSERT for the source's row table: rowid, the ID columns, then every
 * template field the table has a column for, then extra.  Fields the table
 * lacks go into extra under their canonical name, so a new template field
 * loses nothing. */
static int prepare_insert(struct loader *ld, struct bangfu_err *err)
{
	static const char ID_COLUMNS[] = "rowid, file_id, period, line, id_raw, id_norm, id_number, id_status, id_damage,"
					 " id_prefix, id_upgraded, id_gender, birth_date";
	const struct tmpl_columns *cols = ld->opt->columns;
	const char *table = load_table(ld->opt->source);
	struct strbuf sql, vals;
	int rc;

	strbuf_init(&sql);
	strbuf_init(&vals);
	strbuf_addf(&sql, "INSERT INTO %s (%s", table, ID_COLUMNS);
	strbuf_addstr(&vals, "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?");
	ld->bound_fields = xcalloc((size_t)cols->n + 1, sizeof *ld->bound_fields);
	ld->field_bound = xcalloc((size_t)cols->n + 1, 1);
	for (int f = 0; f < cols->n && f < 64; f++) {
		if (f == ld->id_field || !table_has_column(ld->db, table, cols->cols[f].field))
			continue;
		ld->bound_fields[ld->nbound++] = f;
		ld->field_bound[f] = 1;
		strbuf_addf(&sql, ", %s", cols->cols[f].field);
		strbuf_addstr(&vals, ", ?");
	}
	strbuf_addf(&sql, ", extra) VALUES (%s, ?)", strbuf_str(&vals));
	rc = db_prepare(ld->db, strbuf_str(&sql), &ld->ins_row, err);
	strbuf_free(&sql);
	strbuf_free(&vals);
	return rc;
}

/* JSON keys for columns without a canonical field: the header text, made
 * unique ("备注", "备注#2") and never empty ("列7"). */
static void make_extra_keys(struct loader *ld)
{
	int n = csvin_ncolumns(ld->in);

	ld->extra_keys = xcalloc((size_t)n + 1, sizeof *ld->extra_keys);
	for (int c = 0; c < n; c++) {
		const char *name = csvin_column_name(ld->in, c);
		char key[600], more[620];
		int dup = 1;

		if (name[0])
			snprintf(key, sizeof key, "%s", name);
		else
			snprintf(key, sizeof key, "列%d", c + 1);
		for (int p = 0; p < c; p++)
			if (ld->extra_keys[p] && strcmp(ld->extra_keys[p], key) == 0)
				dup++;
		if (dup > 1) {
			snprintf(more, sizeof more, "%s#%d", key, dup);
			ld->extra_keys[c] = xstrdup(more);
		} else {
			ld->extra_keys[c] = xstrdup(key);
		}
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
	free(ld->bound_fields);
	free(ld->field_bound);
	csvin_close(ld->in);
}

/* A file with this SHA-256 loaded for another period of the source: 1 and
 * the period (in loaded_period, 8 bytes) and its name, 0 if none, -1. */
static int loaded_for_other(sqlite3 *db, const struct load_options *opt, const char *sha, char *period, char *name,
			    size_t namesz, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int found = 0;

	if (db_prepare(db, "SELECT period, file_name FROM source_file WHERE sha256 = ? AND source = ? AND period <> ?"
			   " ORDER BY period DESC LIMIT 1",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, opt->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, opt->period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		snprintf(period, 8, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(name, namesz, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return found;
}

/* A file's rows, rejects and warnings, and the file, out of the database
 * (--replace, --remove).  The rows are one rowid range. */
static int delete_file(sqlite3 *db, sqlite3_int64 file_id, struct bangfu_err *err)
{
	static const char *const sql[] = {
		"DELETE FROM roster_row WHERE rowid BETWEEN ?1 << 32 AND (?1 << 32) | 4294967295",
		"DELETE FROM hr_row WHERE rowid BETWEEN ?1 << 32 AND (?1 << 32) | 4294967295",
		"DELETE FROM service_row WHERE rowid BETWEEN ?1 << 32 AND (?1 << 32) | 4294967295",
		"DELETE FROM ledger_row WHERE rowid BETWEEN ?1 << 32 AND (?1 << 32) | 4294967295",
		"DELETE FROM posts_row WHERE rowid BETWEEN ?1 << 32 AND (?1 << 32) | 4294967295",
		"DELETE FROM reject WHERE file_id = ?1", "DELETE FROM row_warning WHERE file_id = ?1",
		"DELETE FROM source_file WHERE file_id = ?1"};

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

int load_file(sqlite3 *db, const char *path, const struct load_options *opt, struct load_summary *sum,
	      struct bangfu_err *err)
{
	struct loader ld = {0};
	struct csvin_options copt = {0};
	char *pathcopy = xstrdup(path), loaded_name[256], loaded_sha[65];
	sqlite3_int64 old_id = 0;
	int found;

	memset(sum, 0, sizeof *sum);
	db_progress(db, NULL); /* the reader thread counts the rows */
	snprintf(sum->file_name, sizeof sum->file_name, "%s", basename(pathcopy));
	free(pathcopy);
	ld.db = db;
	ld.opt = opt;
	ld.sum = sum;
	ld.name = sum->file_name;
	snprintf(ld.progress, sizeof ld.progress, "%s: %s", sum->file_name, gettext("rows"));
	ld.ref_ymd = period_end_ymd(opt->period);
	ld.id_field = tmpl_columns_find(opt->columns, "id_number");
	ld.gender_field = tmpl_columns_find(opt->columns, "gender");
	ld.date_field = strcmp(opt->source, "service") == 0 ? tmpl_columns_find(opt->columns, "service_date") : -1;
	copt.encoding = opt->encoding;
	copt.columns = opt->columns;
	copt.display_name = path;

	ld.in = csvin_open(path, &copt, err);
	if (!ld.in)
		return -1;
	sum->delimiter = csvin_delimiter(ld.in);
	sum->header_line = csvin_header_line(ld.in);
	snprintf(sum->encoding, sizeof sum->encoding, "%s", csvin_encoding(ld.in));

	if (db_begin_bulk(db, err) != 0)
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
	/* The same bytes loaded for another month are most likely the wrong
	 * file for this one (last month's export sent again). */
	if (!opt->force && (found = loaded_for_other(db, opt, sum->sha256, loaded_sha, loaded_name,
						      sizeof loaded_name, err)) != 0) {
		if (found > 0)
			bangfu_fail(err, ERR_INPUT, path, 0, 0, "other_period",
				    "this file (the same SHA-256) is already loaded for %s as %s: is it the file of %s? "
				    "--force loads it for %s too",
				    loaded_sha, loaded_name, opt->period, opt->period);
		goto fail;
	}
	db_progress(db, "writing the rows");
	if (finish_file(&ld, err) != 0 || db_commit(db, err) != 0)
		goto fail;
	db_progress(db, NULL);
	sum->outcome = LOAD_DONE;
	loader_free(&ld);
	return 0;
fail:
	db_progress(db, NULL);
	db_rollback(db);
	loader_free(&ld);
	return -1;
}

int load_list(sqlite3 *db, const char *period, const char *source, FILE *out, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (db_prepare(db, "SELECT source, file_name, sha256, rows_read, rows_loaded, rows_rejected, loaded_at"
			   " FROM source_file WHERE period = ?1 AND (?2 IS NULL OR source = ?2) ORDER BY source, file_id",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	db_bind_text(st, 2, source);
	fprintf(out, "source\tfile\tsha256\trows_read\tloaded\trejected\tloaded_at\n");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fprintf(out, "%s\t%s\t%s\t%lld\t%lld\t%lld\t%s\n", (const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
			(long long)sqlite3_column_int64(st, 3), (long long)sqlite3_column_int64(st, 4),
			(long long)sqlite3_column_int64(st, 5), (const char *)sqlite3_column_text(st, 6));
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "listing the files");
	return n;
}

/* 1 when the query (with the period bound) finds a row. */
static int period_has(sqlite3 *db, const char *sql, const char *period)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

int load_remove(sqlite3 *db, const char *period, const char *what, char name[256], int *later,
		struct bangfu_err *err)
{
	sqlite3_stmt *st;
	sqlite3_int64 file_id = 0;
	int matches = 0, persons = 0;
	size_t wlen = strlen(what);

	*later = 0;
	if (db_begin(db, err) != 0)
		return -1;
	if (db_prepare(db, "SELECT file_id, file_name, source IN ('roster', 'hr') FROM source_file WHERE period = ?1"
			   " AND (file_name = ?2 OR (length(?2) >= 8 AND sha256 LIKE ?2 || '%'))",
		       &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, what, (int)wlen, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		file_id = sqlite3_column_int64(st, 0);
		snprintf(name, 256, "%s", (const char *)sqlite3_column_text(st, 1));
		persons = sqlite3_column_int(st, 2);
		matches++;
	}
	sqlite3_finalize(st);
	if (matches > 1) {
		bangfu_fail(err, ERR_INPUT, what, 0, 0, "ambiguous",
			    "%d files of %s match: give the whole name or more of the SHA-256", matches, period);
		goto fail;
	}
	if (!matches) {
		bangfu_fail(err, ERR_INPUT, what, 0, 0, "no_such_file",
			    "no file of %s is named so or has a SHA-256 starting so (see bangfu-ingest --list)", period);
		goto fail;
	}
	if (delete_file(db, file_id, err) != 0)
		goto fail;
	if (period_has(db, "SELECT 1 FROM reconcile_run WHERE period = ?1", period))
		*later |= LOAD_STAGE_RECONCILE;
	/* a service record, an e-ledger or a posts roster made no person */
	if (persons && period_has(db, "SELECT 1 FROM sample_plan WHERE period = ?1", period))
		*later |= LOAD_STAGE_SAMPLE;
	if (persons && period_has(db, "SELECT 1 FROM screen_run WHERE period = ?1", period))
		*later |= LOAD_STAGE_SCREEN;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return -1;
}
