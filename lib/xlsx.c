/* xlsx — see xlsx.h. */
#include "xlsx.h"
#include "strbuf.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FONT "宋体"
#define PAPER_A4 9
#define HEADER_ROW 2
#define HEADER_HEIGHT 32
/* A column this much wider than its text's characters (cell margins). */
#define WIDTH_PADDING 1.5

/* What a sheet's columns and rows need, gathered while its cells are written
 * and applied by xlsx_close, when every value is known; a streamed book's
 * rows are set as they are written (their row is gone when the next
 * begins), only the columns wait for the close. */
struct fit_row {
	float height; /* points; 0: the default */
	uint8_t level, hidden, collapsed, outline;
};

struct fit_merged {
	int row, first_col, last_col;
	double points_per_line;
	char *text;
};

struct xlsx_sheet_fit {
	struct xlsx_book *book;
	lxw_worksheet *ws;
	int streamed; /* the book's */
	int ncols;
	double *declared, *cap, *need; /* per column */
	char **labels;                 /* the header row's */
	struct fit_row *rows;
	int nrows;
	struct fit_merged *merged;
	int nmerged;
};

static mode_t file_mode = 0600;
static int mode_set;

void xlsx_set_file_mode(mode_t mode)
{
	file_mode = mode & 0666;
	mode_set = 1;
}

mode_t xlsx_file_mode(void)
{
	/* BANGFU_FILE_MODE (octal, e.g. 0640) widens it for every stage; never
	 * executable, never more than rw for all. */
	if (!mode_set) {
		const char *env = getenv("BANGFU_FILE_MODE");
		char *end;
		long m = env ? strtol(env, &end, 8) : -1;

		if (env && *env && !*end && m >= 0400 && m <= 0666 && !(m & 0111))
			file_mode = (mode_t)m;
		mode_set = 1;
	}
	return file_mode;
}

static lxw_format *fmt(lxw_workbook *wb, double size, int bold, int align, int border)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_font_name(f, FONT);
	format_set_font_size(f, size);
	if (bold)
		format_set_bold(f);
	if (align)
		format_set_align(f, (uint8_t)align);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	return f;
}

static int open_book(struct xlsx_book *b, const char *path, const char *unit, const char *period, int streamed,
		     struct bangfu_err *err)
{
	lxw_workbook_options opt = {.constant_memory = streamed ? LXW_TRUE : LXW_FALSE, .tmpdir = NULL,
				    .use_zip64 = LXW_TRUE};
	time_t now = time(NULL);
	struct tm tm;
	char dir[PATH_MAX], *slash;

	/* libxlsxwriter's temporary files (a streamed book's sheets until the
	 * close: as large as their XML) beside the workbook, not in /tmp,
	 * which may be memory; unlinked as soon as they are made */
	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0'; /* the root */
	else if (slash)
		*slash = '\0';
	if (slash)
		opt.tmpdir = dir;

	memset(b, 0, sizeof *b);
	b->streamed = streamed;
	snprintf(b->path, sizeof b->path, "%s", path);
	snprintf(b->unit, sizeof b->unit, "%s", unit && unit[0] ? unit : "");
	snprintf(b->period, sizeof b->period, "%s", period ? period : "");
	localtime_r(&now, &tm);
	strftime(b->generated, sizeof b->generated, "%Y-%m-%d %H:%M", &tm);
	b->wb = workbook_new_opt(path, &opt);
	if (!b->wb)
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "cannot create the workbook");

	b->title = fmt(b->wb, 16, 1, LXW_ALIGN_CENTER, 0);
	b->meta = fmt(b->wb, 10, 0, LXW_ALIGN_LEFT, 0);
	format_set_text_wrap(b->meta);
	b->header = fmt(b->wb, 10, 1, LXW_ALIGN_CENTER, 1);
	format_set_text_wrap(b->header);
	format_set_bg_color(b->header, 0xD9E1F2);
	b->text = fmt(b->wb, 10, 0, LXW_ALIGN_LEFT, 1);
	format_set_num_format(b->text, "@");
	b->text_wrap = fmt(b->wb, 10, 0, LXW_ALIGN_LEFT, 1);
	format_set_text_wrap(b->text_wrap);
	b->count = fmt(b->wb, 10, 0, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->count, "#,##0");
	b->decimal = fmt(b->wb, 10, 0, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->decimal, "#,##0.00");
	b->rate = fmt(b->wb, 10, 0, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->rate, "0.0%");
	b->rate_bad = workbook_add_format(b->wb);
	format_set_font_color(b->rate_bad, 0x9C0006);
	format_set_bg_color(b->rate_bad, 0xFFC7CE);
	b->date = fmt(b->wb, 10, 0, LXW_ALIGN_CENTER, 1);
	format_set_num_format(b->date, "yyyy-mm-dd");
	b->total_text = fmt(b->wb, 10, 1, LXW_ALIGN_CENTER, 1);
	format_set_bg_color(b->total_text, 0xF2F2F2);
	b->total_count = fmt(b->wb, 10, 1, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->total_count, "#,##0");
	format_set_bg_color(b->total_count, 0xF2F2F2);
	b->total_rate = fmt(b->wb, 10, 1, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->total_rate, "0.0%");
	format_set_bg_color(b->total_rate, 0xF2F2F2);
	b->flag = fmt(b->wb, 10, 1, LXW_ALIGN_CENTER, 1);
	format_set_font_color(b->flag, 0x9C0006);
	format_set_bg_color(b->flag, 0xFFC7CE);
	b->input = fmt(b->wb, 10, 0, LXW_ALIGN_LEFT, 1);
	format_set_bg_color(b->input, 0xFFF2CC);
	format_set_num_format(b->input, "@");
	format_set_unlocked(b->input);
	b->total_text_wrap = fmt(b->wb, 10, 1, LXW_ALIGN_CENTER, 1);
	format_set_bg_color(b->total_text_wrap, 0xF2F2F2);
	format_set_text_wrap(b->total_text_wrap);
	b->flag_wrap = fmt(b->wb, 10, 1, LXW_ALIGN_CENTER, 1);
	format_set_font_color(b->flag_wrap, 0x9C0006);
	format_set_bg_color(b->flag_wrap, 0xFFC7CE);
	format_set_text_wrap(b->flag_wrap);
	b->input_wrap = fmt(b->wb, 10, 0, LXW_ALIGN_LEFT, 1);
	format_set_bg_color(b->input_wrap, 0xFFF2CC);
	format_set_num_format(b->input_wrap, "@");
	format_set_unlocked(b->input_wrap);
	format_set_text_wrap(b->input_wrap);
	return 0;
}

int xlsx_open(struct xlsx_book *b, const char *path, const char *unit, const char *period,
	      struct bangfu_err *err)
{
	return open_book(b, path, unit, period, 0, err);
}

int xlsx_open_streamed(struct xlsx_book *b, const char *path, const char *unit, const char *period,
		       struct bangfu_err *err)
{
	return open_book(b, path, unit, period, 1, err);
}

/* A streamed book's write libxlsxwriter refused because its row has gone
 * (written out of order): the first is kept, and the book fails at close.
 * Other refusals (a text over Excel's 32,767 characters) lose the cell in
 * either kind of book, as they always have. */
static void check_write(struct xlsx_book *b, lxw_worksheet *ws, int row, lxw_error rc)
{
	if (rc != LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE || !b->streamed || b->failed[0] || !ws->optimize_row ||
	    (lxw_row_t)row >= ws->optimize_row->row_num)
		return;
	snprintf(b->failed, sizeof b->failed, "sheet %.64s, row %d: %s", ws->name ? ws->name : "?", row + 1,
		 lxw_strerror(rc));
}

static void fit_free(struct xlsx_sheet_fit *f)
{
	if (!f)
		return;
	for (int c = 0; c < f->ncols; c++)
		free(f->labels[c]);
	for (int i = 0; i < f->nmerged; i++)
		free(f->merged[i].text);
	free(f->labels);
	free(f->declared);
	free(f->cap);
	free(f->need);
	free(f->rows);
	free(f->merged);
	free(f);
}

static struct xlsx_sheet_fit *fit_new(struct xlsx_book *b, lxw_worksheet *ws, const struct xlsx_column *cols,
				      int ncols)
{
	struct xlsx_sheet_fit *f = xcalloc(1, sizeof *f);

	f->book = b;
	f->ws = ws;
	f->streamed = b->streamed;
	f->ncols = ncols;
	f->declared = xcalloc((size_t)ncols, sizeof *f->declared);
	f->cap = xcalloc((size_t)ncols, sizeof *f->cap);
	f->need = xcalloc((size_t)ncols, sizeof *f->need);
	f->labels = xcalloc((size_t)ncols, sizeof *f->labels);
	for (int c = 0; c < ncols; c++) {
		f->declared[c] = cols[c].width;
		f->cap[c] = XLSX_WIDTH_CAP;
		f->labels[c] = xstrdup(cols[c].label);
	}
	b->fits = realloc(b->fits, (size_t)(b->nfits + 1) * sizeof *b->fits);
	if (!b->fits)
		abort();
	b->fits[b->nfits++] = f;
	return f;
}

/* The sheet's state; sheets are mostly written one after the other, so the
 * last one is looked at first. */
static struct xlsx_sheet_fit *fit_of(struct xlsx_book *b, lxw_worksheet *ws)
{
	for (int i = b->nfits - 1; i >= 0; i--)
		if (b->fits[i]->ws == ws)
			return b->fits[i];
	return NULL;
}

static struct fit_row *fit_row(struct xlsx_sheet_fit *f, int row)
{
	if (row < 0)
		return NULL;
	if (row >= f->nrows) {
		int n = f->nrows ? f->nrows : 64;

		while (n <= row)
			n *= 2;
		f->rows = realloc(f->rows, (size_t)n * sizeof *f->rows);
		if (!f->rows)
			abort();
		memset(f->rows + f->nrows, 0, (size_t)(n - f->nrows) * sizeof *f->rows);
		f->nrows = n;
	}
	return &f->rows[row];
}

/* A row's height and outline, now: a streamed book's row being written. */
static void fit_set_row(struct xlsx_sheet_fit *f, int row)
{
	const struct fit_row *r = &f->rows[row];
	lxw_row_col_options o = {.hidden = r->hidden, .level = r->level, .collapsed = r->collapsed};

	check_write(f->book, f->ws, row,
		    worksheet_set_row_opt(f->ws, (lxw_row_t)row, r->height > 0 ? r->height : LXW_DEF_ROW_HEIGHT,
					  NULL, &o));
}

static void fit_min_height(struct xlsx_sheet_fit *f, int row, double points)
{
	struct fit_row *r = fit_row(f, row);

	if (r && points > r->height) {
		r->height = (float)points;
		if (f->streamed)
			fit_set_row(f, row);
	}
}

/* A column's width when the book is closed: its declared width, grown to
 * its longest value up to its cap. */
static double fit_width(const struct xlsx_sheet_fit *f, int col)
{
	double w = f->need[col] < f->cap[col] ? f->need[col] : f->cap[col];

	return w > f->declared[col] ? w : f->declared[col];
}

/* Where a value wraps: at the cap, or at the declared width when that is wider. */
static double fit_wrap_width(const struct xlsx_sheet_fit *f, int col)
{
	return f->cap[col] > f->declared[col] ? f->cap[col] : f->declared[col];
}

static double points_per_line(const lxw_format *fmt)
{
	double size = fmt && fmt->font_size > 0 ? fmt->font_size : 11;

	return size * 1.4;
}

/* The header row as tall as its labels need over the columns' widths. */
static void fit_header(struct xlsx_sheet_fit *f)
{
	double header = 0;

	for (int c = 0; c < f->ncols; c++) {
		double h = xlsx_text_height(f->labels[c], fit_width(f, c), 14);

		if (h > header)
			header = h;
	}
	fit_min_height(f, HEADER_ROW, header);
}

static void fit_apply(struct xlsx_sheet_fit *f)
{
	for (int c = 0; c < f->ncols; c++) {
		double w = fit_width(f, c);

		if (w != f->declared[c])
			worksheet_set_column(f->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
	}
	if (f->streamed) /* its rows were set as they were written */
		return;
	fit_header(f);
	for (int i = 0; i < f->nmerged; i++) {
		const struct fit_merged *m = &f->merged[i];
		double w = 0, h;

		for (int c = m->first_col; c <= m->last_col && c < f->ncols; c++)
			w += fit_width(f, c);
		h = xlsx_text_height(m->text, w, m->points_per_line);
		if (h > m->points_per_line + 4) /* one line keeps the default height */
			fit_min_height(f, m->row, h);
	}
	for (int r = 0; r < f->nrows; r++) {
		const struct fit_row *row = &f->rows[r];
		lxw_row_col_options o = {.hidden = row->hidden, .level = row->level, .collapsed = row->collapsed};

		if (row->height > 0 || row->outline)
			worksheet_set_row_opt(f->ws, (lxw_row_t)r, row->height > 0 ? row->height : LXW_DEF_ROW_HEIGHT,
					      NULL, &o);
	}
}

/* Apply the fits, write the file and give it its mode; the umask is the
 * caller's (a closer's threads leave it to the closer). */
static int close_book(struct xlsx_book *b, mode_t mode, struct bangfu_err *err)
{
	lxw_error rc;

	for (int i = 0; i < b->nfits; i++) {
		fit_apply(b->fits[i]);
		fit_free(b->fits[i]);
	}
	free(b->fits);
	b->fits = NULL;
	b->nfits = 0;
	rc = workbook_close(b->wb);
	b->wb = NULL;
	if (b->failed[0])
		return bangfu_fail(err, ERR_INTERNAL, b->path, 0, 0, "xlsx", "a cell written out of order: %s", b->failed);
	if (rc != LXW_NO_ERROR)
		return bangfu_fail(err, ERR_INPUT, b->path, 0, 0, "cannot_write", "cannot write the workbook: %s",
				   lxw_strerror(rc));
	/* fopen() keeps the mode of a file that existed; set it either way. */
	if (chmod(b->path, mode) != 0)
		return bangfu_fail(err, ERR_INPUT, b->path, 0, 0, "cannot_write", "cannot set the file mode: %s",
				   strerror(errno));
	return 0;
}

int xlsx_close(struct xlsx_book *b, struct bangfu_err *err)
{
	mode_t mode = xlsx_file_mode();
	mode_t old = umask((mode_t)(~mode & 0777));
	int rc = close_book(b, mode, err);

	umask(old);
	return rc;
}

/* ---- workbooks closed on other threads ----
 *
 * Safe because each thread has its own workbook and libxlsxwriter, minizip
 * and zlib keep no state of their own between workbooks (their writable
 * data is constant tables; objdump -h shows 8 bytes of .bss, the C
 * runtime's); the umask, which is the process's, only this thread sets.
 * One shared buffer remains: libxlsxwriter dates docProps/core.xml with
 * gmtime(), whose result is libc's one static struct tm, so two workbooks
 * closing at once race on it (ThreadSanitizer found it, tests/test_xlsx.c
 * under -fsanitize=thread).  This gmtime() is the program's and takes
 * libc's place for every library in it (ld exports a symbol a shared
 * library it links refers to): the same result, in a buffer per thread. */
struct tm *gmtime(const time_t *t)
{
	static _Thread_local struct tm tm;

	return gmtime_r(t, &tm);
}

struct xlsx_closer {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	pthread_t *threads;
	int nthreads;
	struct xlsx_book **queue; /* a ring of cap books waiting */
	int head, count, cap;
	int stopping, failed;
	long in_flight;        /* rows of the books waiting or being written */
	struct bangfu_err err; /* the first failure */
	mode_t mode, old_umask;
};

static void *closer_main(void *arg)
{
	struct xlsx_closer *c = arg;

	for (;;) {
		struct xlsx_book *b;
		struct bangfu_err err;
		long rows;
		int rc;

		pthread_mutex_lock(&c->lock);
		while (!c->count && !c->stopping)
			pthread_cond_wait(&c->changed, &c->lock);
		if (!c->count) {
			pthread_mutex_unlock(&c->lock);
			return NULL;
		}
		b = c->queue[c->head];
		c->head = (c->head + 1) % c->cap;
		c->count--;
		pthread_cond_broadcast(&c->changed); /* room for the next */
		pthread_mutex_unlock(&c->lock);

		rows = b->rows;
		rc = close_book(b, c->mode, &err);
		free(b);
		pthread_mutex_lock(&c->lock);
		if (rc != 0 && !c->failed++)
			c->err = err;
		c->in_flight -= rows;
		pthread_cond_broadcast(&c->changed); /* room for a large book */
		pthread_mutex_unlock(&c->lock);
	}
}

static int closer_threads(void)
{
	const char *env = getenv("BANGFU_THREADS");
	long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

struct xlsx_closer *xlsx_closer_start(void)
{
	struct xlsx_closer *c = xcalloc(1, sizeof *c);
	int n = closer_threads();

	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->changed, NULL);
	c->mode = xlsx_file_mode();
	/* the workers create files; only this thread touches the umask */
	c->old_umask = umask((mode_t)(~c->mode & 0777));
	/* One book waits while the threads write theirs and the stage fills
	 * the next; XLSX_CLOSER_ROWS bounds what they hold together (a book
	 * kept in memory holds some 1.5 KB a row until it is written; a
	 * streamed one, as xlsx_split's, its current rows only). */
	c->cap = 1;
	c->queue = xcalloc((size_t)c->cap, sizeof *c->queue);
	c->threads = xcalloc((size_t)n, sizeof *c->threads);
	for (int i = 0; i < n; i++) {
		if (pthread_create(&c->threads[i], NULL, closer_main, c) != 0)
			break;
		c->nthreads++;
	}
	return c;
}

int xlsx_closer_add(struct xlsx_closer *c, struct xlsx_book *b, struct bangfu_err *err)
{
	struct xlsx_book *owned;
	int failed;

	if (!c)
		return xlsx_close(b, err);
	if (!c->nthreads) /* no thread to hand it to: close it here */
		return close_book(b, c->mode, err);
	owned = xcalloc(1, sizeof *owned);
	*owned = *b;
	b->wb = NULL;
	b->fits = NULL;
	b->nfits = 0;
	b->rows = 0;
	pthread_mutex_lock(&c->lock);
	while (c->count == c->cap || (c->in_flight > 0 && c->in_flight + owned->rows > XLSX_CLOSER_ROWS))
		pthread_cond_wait(&c->changed, &c->lock);
	c->queue[(c->head + c->count) % c->cap] = owned;
	c->count++;
	c->in_flight += owned->rows;
	pthread_cond_broadcast(&c->changed);
	failed = c->failed;
	if (failed)
		*err = c->err;
	pthread_mutex_unlock(&c->lock);
	return failed ? -1 : 0;
}

int xlsx_closer_finish(struct xlsx_closer *c, struct bangfu_err *err)
{
	int failed;

	if (!c)
		return 0;
	pthread_mutex_lock(&c->lock);
	c->stopping = 1;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
	for (int i = 0; i < c->nthreads; i++)
		pthread_join(c->threads[i], NULL);
	umask(c->old_umask);
	failed = c->failed;
	if (failed && err)
		*err = c->err;
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->changed);
	free(c->queue);
	free(c->threads);
	free(c);
	return failed ? -1 : 0;
}

/* Excel sheet names: at most 31 characters, none of []:*?/\, unique. */
static void sheet_name(struct xlsx_book *b, const char *want, char *out, size_t outsz)
{
	size_t o = 0, chars = 0;

	for (const unsigned char *p = (const unsigned char *)want; *p && chars < 28 && o + 5 < outsz;) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;

		if (strchr("[]:*?/\\", *p) && len == 1) {
			out[o++] = '_';
			p++;
		} else {
			for (size_t i = 0; i < len && p[i]; i++)
				out[o++] = (char)p[i];
			p += len;
		}
		chars++;
	}
	out[o] = '\0';
	if (o == 0)
		snprintf(out, outsz, "Sheet");
	for (int n = 2; workbook_get_worksheet_by_name(b->wb, out); n++) {
		char base[128];

		snprintf(base, sizeof base, "%.*s", (int)o, out);
		snprintf(out, outsz, "%.100s(%d)", base, n);
	}
}

lxw_worksheet *xlsx_sheet(struct xlsx_book *b, const char *name, const char *title, int unit_people,
			  const struct xlsx_column *cols, int ncols, int *first_row)
{
	return xlsx_sheet_unit(b, name, title, unit_people ? "单位：人" : NULL, cols, ncols, first_row);
}

lxw_worksheet *xlsx_sheet_unit(struct xlsx_book *b, const char *name, const char *title, const char *unit,
			       const struct xlsx_column *cols, int ncols, int *first_row)
{
	char safe[160], meta[512];
	lxw_worksheet *ws;
	struct xlsx_sheet_fit *f;
	int last = ncols > 0 ? ncols - 1 : 0;

	sheet_name(b, name, safe, sizeof safe);
	ws = workbook_add_worksheet(b->wb, safe);
	if (!ws)
		return NULL;
	f = fit_new(b, ws, cols, ncols);
	if (last > 0)
		worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)last, title, b->title);
	else
		worksheet_write_string(ws, 0, 0, title, b->title);
	fit_min_height(f, 0, 30);
	snprintf(meta, sizeof meta, "填报单位：%s    统计时段：%s    生成时间：%s", b->unit[0] ? b->unit : "—",
		 b->period[0] ? b->period : "—", b->generated);
	if (unit && unit[0] && last >= 2) {
		xlsx_put_merged(b, ws, 1, 0, last - 1, meta, b->meta);
		xlsx_put_text(b, ws, 1, last, unit, b->meta);
	} else if (last > 0) {
		xlsx_put_merged(b, ws, 1, 0, last, meta, b->meta);
	} else {
		worksheet_write_string(ws, 1, 0, meta, b->meta);
	}
	for (int c = 0; c < ncols; c++) {
		worksheet_write_string(ws, HEADER_ROW, (lxw_col_t)c, cols[c].label, b->header);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL);
	}
	fit_min_height(f, HEADER_ROW, HEADER_HEIGHT);
	if (f->streamed) /* the row goes when the first data row comes */
		fit_header(f);
	worksheet_freeze_panes(ws, 3, 0);
	worksheet_set_paper(ws, PAPER_A4);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 2, 2);
	worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
	worksheet_set_footer(ws, "&C第 &P 页 共 &N 页");
	worksheet_set_header(ws, "&L&\"宋体\"&9&A");
	*first_row = 3;
	return ws;
}

void xlsx_text(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	if (!s || !s[0])
		worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, f);
	else
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f);
}

void xlsx_number(lxw_worksheet *ws, int row, int col, double v, lxw_format *f)
{
	worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
}

void xlsx_rate(struct xlsx_book *b, lxw_worksheet *ws, int row, int col, double v, lxw_format *f)
{
	(void)b;
	if (isnan(v))
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, "—", f);
	else
		worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
}

static void flag(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int last_row, int col, uint8_t criteria,
		 double value)
{
	lxw_conditional_format cf = {0};

	if (last_row < first_row)
		return;
	cf.type = LXW_CONDITIONAL_TYPE_CELL;
	cf.criteria = criteria;
	cf.value = value;
	cf.format = b->rate_bad;
	worksheet_conditional_format_range(ws, (lxw_row_t)first_row, (lxw_col_t)col, (lxw_row_t)last_row,
					   (lxw_col_t)col, &cf);
}

void xlsx_flag_below(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int last_row, int col,
		     double threshold)
{
	flag(b, ws, first_row, last_row, col, LXW_CONDITIONAL_CRITERIA_LESS_THAN, threshold);
}

void xlsx_flag_above_zero(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int last_row, int col)
{
	flag(b, ws, first_row, last_row, col, LXW_CONDITIONAL_CRITERIA_GREATER_THAN, 0);
}

double xlsx_text_height(const char *text, double width, double points_per_line)
{
	double units = 0, lines = 1, usable = width * 0.92;

	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;

		if (*p == '\n') {
			lines += 1;
			units = 0;
		} else {
			double w = len == 1 ? 1.1 : 1.8;

			if (units + w > usable) {
				lines += 1;
				units = 0;
			}
			units += w;
		}
		for (size_t i = 0; i < len && *p; i++)
			p++;
	}
	return lines * points_per_line + 4;
}

void xlsx_text_ids(lxw_worksheet *ws, int first_row, int last_row, int first_col, int last_col)
{
	char range[64];

	if (last_row < first_row)
		return;
	lxw_rowcol_to_range(range, (lxw_row_t)first_row, (lxw_col_t)first_col, (lxw_row_t)last_row,
			    (lxw_col_t)last_col);
	worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range);
}

void xlsx_autofilter(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int first_col, int last_row,
		     int last_col)
{
	lxw_row_t at = (lxw_row_t)last_row;
	lxw_error rc;

	/* libxlsxwriter (1.1) refuses, in a streamed sheet, a range that ends
	 * above the row being written, though it only keeps the range to
	 * write at the close: it is given over that row and brought back. */
	if (b->streamed && ws->optimize_row && ws->optimize_row->row_num > at)
		at = ws->optimize_row->row_num;
	rc = worksheet_autofilter(ws, (lxw_row_t)first_row, (lxw_col_t)first_col, at, (lxw_col_t)last_col);
	if (rc == LXW_NO_ERROR)
		ws->autofilter.last_row = (lxw_row_t)last_row;
	check_write(b, ws, last_row, rc);
}

void xlsx_note(struct xlsx_book *b, lxw_worksheet *ws, int row, const char *label, const char *text)
{
	xlsx_put_text(b, ws, row, 0, label, b->text);
	xlsx_put_text(b, ws, row, 1, text, b->text_wrap);
}

/* ---- cells that size their column and row ---- */

static size_t utf8_len(const unsigned char *p)
{
	return *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
}

/* East Asian wide and full-width characters: CJK, punctuation, full-width forms. */
static int wide_char(const unsigned char *p, size_t len)
{
	unsigned cp;

	if (len < 3 || !p[1] || !p[2] || (len == 4 && !p[3]))
		return 0; /* not wide, or cut short by the string's end */
	cp = len == 3 ? (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F)
		      : (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12 | (unsigned)(p[2] & 0x3F) << 6 |
				(p[3] & 0x3F);
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000 || (cp >= 0x2010 && cp <= 0x2027 && cp != 0x2022);
}

double xlsx_text_width(const char *text)
{
	double line = 0, widest = 0;

	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p;) {
		size_t len = utf8_len(p);

		if (*p == '\n') {
			line = 0;
		} else {
			line += wide_char(p, len) ? 2 : 1;
			if (line > widest)
				widest = line;
		}
		for (size_t i = 0; i < len && *p; i++)
			p++;
	}
	return widest;
}

static lxw_format *wrap_twin(struct xlsx_book *b, lxw_format *fmt)
{
	if (fmt == b->text)
		return b->text_wrap;
	if (fmt == b->total_text)
		return b->total_text_wrap;
	if (fmt == b->flag)
		return b->flag_wrap;
	if (fmt == b->input)
		return b->input_wrap;
	return fmt; /* the caller's own format, or already wrapping */
}

/* Record what a value of this width needs; returns 1 when it must wrap. */
static int fit_value(struct xlsx_sheet_fit *f, int col, double width)
{
	double need = width + WIDTH_PADDING;

	if (!f || col < 0 || col >= f->ncols)
		return 0;
	if (need > fit_wrap_width(f, col)) {
		f->need[col] = fit_wrap_width(f, col);
		return 1;
	}
	if (need > f->need[col])
		f->need[col] = need;
	return 0;
}

void xlsx_put_text(struct xlsx_book *b, lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	struct xlsx_sheet_fit *fit = fit_of(b, ws);

	if (!s || !s[0]) {
		check_write(b, ws, row, worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, f));
		return;
	}
	/* an indent level is about two characters wide */
	if (fit_value(fit, col, xlsx_text_width(s) + (f ? 2.0 * f->indent : 0))) {
		f = wrap_twin(b, f);
		fit_min_height(fit, row, xlsx_text_height(s, fit_wrap_width(fit, col), points_per_line(f)));
	} else if (fit && strchr(s, '\n')) {
		fit_min_height(fit, row, xlsx_text_height(s, fit_wrap_width(fit, col), points_per_line(f)));
	}
	check_write(b, ws, row, worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f));
}

void xlsx_put_number(struct xlsx_book *b, lxw_worksheet *ws, int row, int col, double v, lxw_format *f)
{
	char digits[64];
	double width;

	/* as "#,##0" shows it, with room for decimals or a percent sign */
	snprintf(digits, sizeof digits, "%.0f", fabs(v));
	width = (double)strlen(digits) + (double)(strlen(digits) - 1) / 3 + (v < 0);
	if (f && (strchr(f->num_format, '%') || strchr(f->num_format, '.')))
		width += 3;
	fit_value(fit_of(b, ws), col, width);
	check_write(b, ws, row, worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f));
}

void xlsx_put_rate(struct xlsx_book *b, lxw_worksheet *ws, int row, int col, double v, lxw_format *f)
{
	if (isnan(v))
		xlsx_put_text(b, ws, row, col, "—", f);
	else
		xlsx_put_number(b, ws, row, col, v, f);
}

void xlsx_column_cap(struct xlsx_book *b, lxw_worksheet *ws, int col, double cap)
{
	struct xlsx_sheet_fit *f = fit_of(b, ws);

	if (f && col >= 0 && col < f->ncols)
		f->cap[col] = cap;
}

void xlsx_row_height(struct xlsx_book *b, lxw_worksheet *ws, int row, double points)
{
	struct xlsx_sheet_fit *f = fit_of(b, ws);

	if (f)
		fit_min_height(f, row, points);
	else
		worksheet_set_row(ws, (lxw_row_t)row, points, NULL);
}

void xlsx_row_outline(struct xlsx_book *b, lxw_worksheet *ws, int row, int level, int hidden, int collapsed)
{
	struct xlsx_sheet_fit *f = fit_of(b, ws);
	struct fit_row *r = f ? fit_row(f, row) : NULL;

	if (!r)
		return;
	r->level = (uint8_t)level;
	r->hidden = (uint8_t)(hidden != 0);
	r->collapsed = (uint8_t)(collapsed != 0);
	r->outline = 1;
	if (f->streamed)
		fit_set_row(f, row);
}

void xlsx_put_merged(struct xlsx_book *b, lxw_worksheet *ws, int row, int first_col, int last_col, const char *s,
		     lxw_format *fmt)
{
	struct xlsx_sheet_fit *f = fit_of(b, ws);

	if (last_col > first_col)
		check_write(b, ws, row,
			    worksheet_merge_range(ws, (lxw_row_t)row, (lxw_col_t)first_col, (lxw_row_t)row,
						  (lxw_col_t)last_col, "", fmt));
	check_write(b, ws, row, worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)first_col, s ? s : "", fmt));
	if (f && f->streamed && s && s[0]) {
		/* over the columns' widths so far: the row goes before the last */
		double w = 0, h;

		for (int c = first_col; c <= last_col && c < f->ncols; c++)
			w += fit_width(f, c);
		h = xlsx_text_height(s, w, points_per_line(fmt));
		if (h > points_per_line(fmt) + 4) /* one line keeps the default height */
			fit_min_height(f, row, h);
	} else if (f && s && s[0]) {
		struct fit_merged *m;

		f->merged = realloc(f->merged, (size_t)(f->nmerged + 1) * sizeof *f->merged);
		if (!f->merged)
			abort();
		m = &f->merged[f->nmerged++];
		m->row = row;
		m->first_col = first_col;
		m->last_col = last_col;
		m->points_per_line = points_per_line(fmt);
		m->text = xstrdup(s);
	}
}

/* ---- one workbook per county, one sheet per township ---- */

static void split_end_sheet(struct xlsx_split *s)
{
	if (s->ws && s->on_sheet_end)
		s->on_sheet_end(s);
	if (s->ws && !s->book.streamed) /* a streamed book's rows are on disk */
		s->book.rows += s->row - s->first_row;
	s->ws = NULL;
}

/* The current workbook, closed here or handed to the closer. */
static int split_close_book(struct xlsx_split *s, struct bangfu_err *err)
{
	split_end_sheet(s);
	if (!s->book_open)
		return 0;
	s->book_open = 0;
	if (!s->closer)
		s->closer = xlsx_closer_start();
	return xlsx_closer_add(s->closer, &s->book, err);
}

int xlsx_split_close(struct xlsx_split *s, struct bangfu_err *err)
{
	int rc = split_close_book(s, err);
	struct bangfu_err later;

	if (xlsx_closer_finish(s->closer, &later) != 0 && rc == 0) {
		*err = later;
		rc = -1;
	}
	s->closer = NULL;
	return rc;
}

static int split_open_book(struct xlsx_split *s, const char *city, const char *county, struct bangfu_err *err)
{
	char path[PATH_MAX], name[768], unit[600];
	const char *tmp;

	if (split_close_book(s, err) != 0)
		return -1;
	snprintf(name, sizeof name, "%s_%s_%s_%s.xlsx", s->prefix, city[0] ? city : "未填市州",
		 county[0] ? county : "未填县市区", s->period);
	/* a place name is one component of the file name, whatever it holds */
	for (char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			*p = '_';
	if ((size_t)snprintf(path, sizeof path, "%s/%s", s->dir, name) >= sizeof path)
		return bangfu_fail(err, ERR_INPUT, s->dir, 0, 0, "cannot_write", "the path is too long");
	if (outputs_add(s->outs, path, &tmp, err) != 0)
		return -1;
	snprintf(unit, sizeof unit, "%s%s", city, county);
	if (xlsx_open_streamed(&s->book, tmp, unit, s->period, err) != 0)
		return -1;
	s->book_open = 1;
	s->books++;
	snprintf(s->city, sizeof s->city, "%s", city);
	snprintf(s->county, sizeof s->county, "%s", county);
	s->township[0] = '\0';
	return s->on_book ? s->on_book(s, err) : 0;
}

int xlsx_split_to(struct xlsx_split *s, const char *city, const char *county, const char *township,
		  struct bangfu_err *err)
{
	char title[1024], name[256];

	if (!s->book_open || strcmp(city, s->city) != 0 || strcmp(county, s->county) != 0) {
		if (split_open_book(s, city, county, err) != 0)
			return -1;
	} else if (s->ws && strcmp(township, s->township) == 0) {
		return 0;
	}
	split_end_sheet(s);
	snprintf(s->township, sizeof s->township, "%s", township);
	snprintf(title, sizeof title, "%s%s %s（%s）", county, township[0] ? township : "（未填乡镇）", s->title,
		 s->period);
	if (s->sheet_name)
		s->sheet_name(township, name, sizeof name);
	else
		snprintf(name, sizeof name, "%s", township[0] ? township : "未填乡镇");
	s->ws = xlsx_sheet(&s->book, name, title, 0, s->cols, s->title_cols ? s->title_cols : s->ncols,
			   &s->first_row);
	if (!s->ws)
		return bangfu_fail(err, ERR_INTERNAL, s->book.path, 0, 0, "xlsx", "cannot add a sheet for %s", township);
	s->row = s->first_row;
	s->sheets++;
	if (s->on_sheet)
		s->on_sheet(s);
	return 0;
}
