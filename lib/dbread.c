/* dbread — see dbread.h.
 *
 * The reader thread fills batches of rows from a ring of NBATCH: each
 * batch keeps its rows' cells (type, number, where the text starts) and one
 * buffer of their texts.  The stage empties a batch while the reader fills
 * the next; a batch goes back to the reader when the stage asks for the row
 * after its last. */
#include "dbread.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define NBATCH 4
#define NO_TEXT SIZE_MAX

struct cell {
	int type; /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL */
	sqlite3_int64 i;
	double d;
	size_t text; /* offset in the batch's texts, or NO_TEXT */
};

struct batch {
	int nrows;
	struct cell *cells; /* DBREAD_BATCH × ncols */
	struct strbuf texts;
};

struct dbread_row {
	const struct batch *b;
	const struct cell *cells; /* the row's */
};

struct dbread {
	sqlite3_stmt *st;
	int ncols;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct batch batches[NBATCH];
	int filled;  /* batches full, from `taken` on (the one the stage holds too) */
	int taken;   /* the batch the stage reads */
	int row;     /* the next row of it */
	int holding; /* the stage holds batches[taken] */
	int done;    /* the reader has stopped: rc says why */
	int stop;    /* the stage wants no more rows */
	int rc;      /* SQLITE_DONE, an error, or SQLITE_ROW when stopped early */
	int inline_; /* no thread could be made: the stage steps the statement */
	struct dbread_row current;
};

static void fill_row(struct dbread *r, struct batch *b)
{
	struct cell *cells = &b->cells[(size_t)b->nrows * (size_t)r->ncols];

	for (int c = 0; c < r->ncols; c++) {
		struct cell *x = &cells[c];
		const unsigned char *text;

		x->type = sqlite3_column_type(r->st, c);
		x->i = 0;
		x->d = 0;
		x->text = NO_TEXT;
		if (x->type == SQLITE_NULL)
			continue;
		if (x->type == SQLITE_INTEGER)
			x->i = sqlite3_column_int64(r->st, c);
		else if (x->type == SQLITE_FLOAT)
			x->d = sqlite3_column_double(r->st, c);
		text = sqlite3_column_text(r->st, c);
		if (text) {
			x->text = b->texts.len;
			strbuf_add(&b->texts, text, (size_t)sqlite3_column_bytes(r->st, c) + 1);
		}
	}
	b->nrows++;
}

static void *reader_main(void *arg)
{
	struct dbread *r = arg;
	int next = 0, rc = SQLITE_ROW;

	for (;;) {
		struct batch *b = &r->batches[next];

		/* wait for a batch the stage has given back */
		pthread_mutex_lock(&r->lock);
		while (!r->stop && r->filled == NBATCH)
			pthread_cond_wait(&r->changed, &r->lock);
		if (r->stop) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		pthread_mutex_unlock(&r->lock);
		b->nrows = 0;
		strbuf_reset(&b->texts);
		while (b->nrows < DBREAD_BATCH && (rc = sqlite3_step(r->st)) == SQLITE_ROW)
			fill_row(r, b);
		pthread_mutex_lock(&r->lock);
		if (b->nrows > 0) {
			r->filled++;
			next = (next + 1) % NBATCH;
		}
		pthread_cond_broadcast(&r->changed);
		pthread_mutex_unlock(&r->lock);
		if (rc != SQLITE_ROW)
			break;
	}
	pthread_mutex_lock(&r->lock);
	r->rc = rc;
	r->done = 1;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

struct dbread *dbread_start(sqlite3_stmt *st)
{
	struct dbread *r = xcalloc(1, sizeof *r);

	r->st = st;
	r->ncols = sqlite3_column_count(st);
	for (int i = 0; i < NBATCH; i++) {
		r->batches[i].cells = xcalloc((size_t)DBREAD_BATCH * (size_t)(r->ncols ? r->ncols : 1), sizeof(struct cell));
		strbuf_init(&r->batches[i].texts);
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->changed, NULL);
	r->rc = SQLITE_ROW;
	if (pthread_create(&r->thread, NULL, reader_main, r) != 0)
		r->inline_ = 1;
	return r;
}

const struct dbread_row *dbread_next(struct dbread *r)
{
	struct batch *b;

	if (r->inline_) { /* one row at a time, here */
		b = &r->batches[0];
		b->nrows = 0;
		strbuf_reset(&b->texts);
		if (r->done || (r->rc = sqlite3_step(r->st)) != SQLITE_ROW) {
			r->done = 1;
			return NULL;
		}
		fill_row(r, b);
		r->row = 0;
	} else if (r->holding && r->row < r->batches[r->taken].nrows) {
		b = &r->batches[r->taken];
	} else {
		pthread_mutex_lock(&r->lock);
		if (r->holding) { /* give the batch back */
			r->holding = 0;
			r->filled--;
			r->taken = (r->taken + 1) % NBATCH;
			pthread_cond_broadcast(&r->changed);
		}
		while (!r->filled && !r->done)
			pthread_cond_wait(&r->changed, &r->lock);
		if (!r->filled) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		r->holding = 1;
		r->row = 0;
		pthread_mutex_unlock(&r->lock);
		b = &r->batches[r->taken];
	}
	r->current.b = b;
	r->current.cells = &b->cells[(size_t)r->row++ * (size_t)r->ncols];
	return &r->current;
}

int dbread_finish(struct dbread *r)
{
	int rc;

	if (!r->inline_) {
		pthread_mutex_lock(&r->lock);
		r->stop = 1;
		pthread_cond_broadcast(&r->changed);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
	}
	rc = r->rc;
	sqlite3_reset(r->st);
	for (int i = 0; i < NBATCH; i++) {
		free(r->batches[i].cells);
		strbuf_free(&r->batches[i].texts);
	}
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->changed);
	free(r);
	return rc;
}

const char *dbread_text(const struct dbread_row *row, int col)
{
	const struct cell *x = &row->cells[col];

	return x->text == NO_TEXT ? NULL : row->b->texts.buf + x->text;
}

const char *dbread_str(const struct dbread_row *row, int col)
{
	const char *s = dbread_text(row, col);

	return s ? s : "";
}

sqlite3_int64 dbread_int64(const struct dbread_row *row, int col)
{
	const struct cell *x = &row->cells[col];

	if (x->type == SQLITE_INTEGER)
		return x->i;
	if (x->type == SQLITE_FLOAT)
		return (sqlite3_int64)x->d;
	return x->text == NO_TEXT ? 0 : strtoll(row->b->texts.buf + x->text, NULL, 10);
}

int dbread_int(const struct dbread_row *row, int col)
{
	return (int)dbread_int64(row, col);
}

double dbread_double(const struct dbread_row *row, int col)
{
	const struct cell *x = &row->cells[col];

	if (x->type == SQLITE_FLOAT)
		return x->d;
	if (x->type == SQLITE_INTEGER)
		return (double)x->i;
	return x->text == NO_TEXT ? 0 : strtod(row->b->texts.buf + x->text, NULL);
}
