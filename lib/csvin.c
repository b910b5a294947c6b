/* csvin — see csvin.h.
 *
 * The file is read twice: once a sample from the start, to sniff the
 * encoding, the delimiter and the header; then as a stream of physical lines
 * (split on the raw '\n' byte, which neither UTF-8 nor GB18030 uses inside a
 * character), each decoded to UTF-8 and fed to libcsv.  Splitting lines
 * ourselves is what gives every record its line number and lets a bad byte
 * spoil only the record it is in. */
#include "csvin.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

#define SNIFF_BYTES (256 * 1024)
#define SNIFF_LINES 60          /* title rows above the header, at most */
#define CHUNK_BYTES (1024 * 1024)
#define RECORD_MAX_BYTES (4 * 1024 * 1024) /* no real record comes near; a bigger one is damage */
#define RAW_KEEP_BYTES (64 * 1024)

enum enc_kind { ENC_UTF8, ENC_ICONV };

struct csvin {
	int fd;
	char *path;
	char *display;
	long long size;
	long long bytes_read;    /* of the file, for progress */

	struct sha256_ctx sha;
	char sha_hex[SHA256_DIGEST_SIZE * 2 + 1];

	enum enc_kind enc;
	char encoding[40];
	iconv_t cd;
	int skip_bom;
	char delim;

	const struct tmpl_columns *columns;
	long header_line;
	int ncols;      /* header cells, trailing empty ones dropped */
	char **colnames;
	int *colfield;
	int *fieldcol;

	/* stream state */
	unsigned char *chunk;
	size_t chunk_len, chunk_pos;
	int at_eof, started, finished;
	struct strbuf carry;     /* a line cut by the chunk boundary */
	int skipping_long;       /* inside an over-long physical line */
	long lineno;             /* physical lines consumed */
	struct csv_parser parser;

	/* the record being assembled */
	int record_open;
	long rec_line;
	size_t rec_bytes;
	struct strbuf fieldbuf;
	size_t *offs, *lens;
	size_t nfields, fields_cap;
	struct strbuf rawbuf;
	struct strbuf decoded;
	int row_ready;
	struct csvin_row row;
	char **row_fields;
	size_t row_fields_cap;
};

/* ---- small text helpers ---- */

static int is_space_at(const unsigned char *s, size_t len, size_t i, size_t *width)
{
	if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '\v' || s[i] == '\f') {
		*width = 1;
		return 1;
	}
	if (i + 1 < len && s[i] == 0xC2 && s[i + 1] == 0xA0) { /* NBSP */
		*width = 2;
		return 1;
	}
	if (i + 2 < len && s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80) { /* U+3000 */
		*width = 3;
		return 1;
	}
	return 0;
}

/* Trim in place; returns the new start offset and sets *len. */
static size_t trim(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, end = *len, w;

	while (start < end && is_space_at(u, end, start, &w))
		start += w;
	for (;;) {
		if (end > start && (u[end - 1] == ' ' || u[end - 1] == '\t' || u[end - 1] == '\r' ||
				    u[end - 1] == '\n')) {
			end--;
		} else if (end >= start + 2 && u[end - 2] == 0xC2 && u[end - 1] == 0xA0) {
			end -= 2;
		} else if (end >= start + 3 && u[end - 3] == 0xE3 && u[end - 2] == 0x80 && u[end - 1] == 0x80) {
			end -= 3;
		} else {
			break;
		}
	}
	*len = end - start;
	return start;
}

void csvin_header_key(const char *cell, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)cell;
	size_t len = strlen(cell), o = 0, w;

	if (outsz == 0)
		return;
	for (size_t i = 0; i < len;) {
		const char *add = NULL;
		size_t addlen = 1, step = 1;

		if (is_space_at(s, len, i, &w)) {
			i += w;
			continue;
		}
		if (s[i] == '*') {
			i++;
			continue;
		}
		if (i + 2 < len && s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] == 0x8A) { /* ＊ */
			i += 3;
			continue;
		}
		if (s[i] == '(') {
			add = "\xef\xbc\x88"; /* （ */
			addlen = 3;
		} else if (s[i] == ')') {
			add = "\xef\xbc\x89"; /* ） */
			addlen = 3;
		} else {
			add = (const char *)s + i;
		}
		if (o + addlen >= outsz)
			break;
		memcpy(out + o, add, addlen);
		o += addlen;
		i += step;
	}
	/* A trailing colon ("姓名：") says nothing. */
	if (o >= 3 && memcmp(out + o - 3, "\xef\xbc\x9a", 3) == 0)
		o -= 3;
	else if (o >= 1 && out[o - 1] == ':')
		o--;
	out[o] = '\0';
}

/* Length of the valid UTF-8 prefix of s[0..len). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n >= len)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return i;
		i += n + 1;
	}
	return i;
}

/* Is this line, valid UTF-8, made of ASCII and CJK text only?  Used to tell a
 * UTF-8 line hiding in a GB18030 file: GB18030 bytes almost never form such
 * a sequence by chance. */
static int looks_like_utf8_cjk(const unsigned char *s, size_t len)
{
	int cjk = 0;

	if (utf8_valid_prefix(s, len) != len)
		return 0;
	for (size_t i = 0; i < len;) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xE3 && s[i] <= 0xE9 && i + 2 < len) {
			unsigned cp = ((unsigned)(s[i] & 0x0F) << 12) | ((unsigned)(s[i + 1] & 0x3F) << 6) |
				      (s[i + 2] & 0x3F);

			if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3000 && cp <= 0x303F))
				cjk++;
			else
				return 0;
			i += 3;
			continue;
		}
		if (s[i] == 0xEF && i + 2 < len) { /* full-width forms U+FF00.. */
			i += 3;
			continue;
		}
		return 0;
	}
	return cjk > 0;
}

static int has_high_bytes(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] >= 0x80)
			return 1;
	return 0;
}

/* ---- decoding ---- */

/* Decode one physical line (without its '\n') into in->decoded.  On a bad
 * byte, notes a reject for the record (first one wins) and goes on with a
 * replacement character so the structure of the line survives. */
static void note_reject(struct csvin *in, const char *code, long col, const char *colname,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void decode_line(struct csvin *in, const unsigned char *s, size_t len)
{
	strbuf_reset(&in->decoded);
	if (memchr(s, '\0', len)) {
		size_t at = (size_t)((const unsigned char *)memchr(s, '\0', len) - s);

		note_reject(in, "nul_byte", (long)at + 1, NULL,
			    "NUL byte at byte %zu of line %ld: the file is damaged or not text", at + 1,
			    in->lineno);
	}
	if (in->enc == ENC_UTF8) {
		size_t ok = utf8_valid_prefix(s, len);

		if (ok != len)
			note_reject(in, "bad_encoding", (long)ok + 1, NULL,
				    "byte %zu of line %ld is not valid UTF-8 (0x%02X); is this line in GB18030?",
				    ok + 1, in->lineno, s[ok]);
		strbuf_add(&in->decoded, s, len);
		return;
	}
	if (has_high_bytes(s, len) && looks_like_utf8_cjk(s, len))
		note_reject(in, "mixed_encoding", 1, NULL,
			    "line %ld is UTF-8 text in a file read as %s: the file mixes encodings",
			    in->lineno, in->encoding);

	char *src = (char *)s;
	size_t left = len;

	iconv(in->cd, NULL, NULL, NULL, NULL);
	while (left > 0) {
		char out[4096];
		char *dst = out;
		size_t room = sizeof out;
		size_t r = iconv(in->cd, &src, &left, &dst, &room);

		strbuf_add(&in->decoded, out, (size_t)(dst - out));
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* EILSEQ or EINVAL (a character cut by the end of the line) */
			size_t at = (size_t)((unsigned char *)src - s);

			note_reject(in, "bad_encoding", (long)at + 1, NULL,
				    "byte %zu of line %ld (0x%02X) is not valid %s", at + 1, in->lineno,
				    s[at], in->encoding);
			strbuf_addstr(&in->decoded, "\xef\xbf\xbd");
			src++;
			left--;
			iconv(in->cd, NULL, NULL, NULL, NULL);
		}
	}
}

/* ---- libcsv callbacks ---- */

static void on_field(void *data, size_t len, void *ctx)
{
	struct csvin *in = ctx;

	if (in->nfields == in->fields_cap) {
		in->fields_cap = in->fields_cap ? in->fields_cap * 2 : 64;
		in->offs = realloc(in->offs, in->fields_cap * sizeof *in->offs);
		in->lens = realloc(in->lens, in->fields_cap * sizeof *in->lens);
		if (!in->offs || !in->lens)
			abort();
	}
	in->offs[in->nfields] = in->fieldbuf.len;
	in->lens[in->nfields] = len;
	strbuf_add(&in->fieldbuf, data ? data : "", data ? len : 0);
	strbuf_addch(&in->fieldbuf, '\0');
	in->nfields++;
}

static void on_row_end(int c, void *ctx)
{
	struct csvin *in = ctx;

	(void)c;
	in->row_ready = 1;
}

static int term_is_lf(unsigned char c)
{
	return c == '\n';
}

static int space_is_blank(unsigned char c)
{
	return c == ' ';
}

static void parser_init(struct csvin *in)
{
	csv_init(&in->parser, CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_delim(&in->parser, (unsigned char)in->delim);
	csv_set_term_func(&in->parser, term_is_lf);
	csv_set_space_func(&in->parser, space_is_blank);
}

static void note_reject(struct csvin *in, const char *code, long col, const char *colname,
			const char *fmt, ...)
{
	va_list ap;

	if (in->row.rejected)
		return;
	in->row.rejected = 1;
	snprintf(in->row.reject_code, sizeof in->row.reject_code, "%s", code);
	in->row.reject_col = col;
	snprintf(in->row.reject_column_name, sizeof in->row.reject_column_name, "%s",
		 colname ? colname : "");
	va_start(ap, fmt);
	vsnprintf(in->row.reject_message, sizeof in->row.reject_message, fmt, ap);
	va_end(ap);
}

static void record_reset(struct csvin *in)
{
	in->record_open = 0;
	in->rec_bytes = 0;
	in->nfields = 0;
	in->row_ready = 0;
	strbuf_reset(&in->fieldbuf);
	strbuf_reset(&in->rawbuf);
	memset(&in->row, 0, sizeof in->row);
}

/* ---- sniffing ---- */

struct sample_line {
	const unsigned char *s;
	size_t len;
};

/* Split the sample into physical lines (dropping '\r' before '\n'); the last,
 * possibly cut line is kept only when the whole file is in the sample. */
static int sample_lines(const unsigned char *buf, size_t len, int whole, struct sample_line *lines,
			int max)
{
	int n = 0;
	size_t pos = 0;

	while (pos < len && n < max) {
		const unsigned char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end;

		if (!nl && !whole)
			break;
		end = nl ? (size_t)(nl - buf) : len;
		lines[n].s = buf + pos;
		lines[n].len = end - pos;
		if (lines[n].len && lines[n].s[lines[n].len - 1] == '\r')
			lines[n].len--;
		n++;
		pos = end + 1;
	}
	return n;
}

static const char *refuse_magic(const unsigned char *buf, size_t len)
{
	if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0)
		return "this is a zip archive (an .xlsx workbook?), not delimited text: save it from Excel as CSV";
	if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0)
		return "this is a PDF document, not delimited text";
	if (len >= 8 && memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return "this is an Excel 97-2003 workbook (.xls), not delimited text: save it as CSV";
	if (len >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 || memcmp(buf, "\xFE\xFF", 2) == 0))
		return "this file is UTF-16 (Excel's \"Unicode text\"): save it as CSV UTF-8 or GB18030";
	return NULL;
}

static int looks_binary(const unsigned char *buf, size_t len)
{
	size_t ctrl = 0;

	for (size_t i = 0; i < len; i++)
		if (buf[i] < 0x09 || (buf[i] > 0x0D && buf[i] < 0x20 && buf[i] != 0x1B))
			ctrl++;
	/* A stray NUL is a damaged record; a file full of control bytes is no text. */
	return len > 0 && ctrl * 20 > len;
}

/* Majority of the lines with non-ASCII bytes in the whole sample (256 KiB),
 * not only the first SNIFF_LINES: a file whose first lines are ASCII is
 * decided by the first lines that are not.  Only complete lines count (the
 * last one may be cut by the end of the sample). */
static void pick_encoding(struct csvin *in, const unsigned char *buf, size_t len, int whole)
{
	int utf8_lines = 0, gb_lines = 0;
	iconv_t cd = iconv_open("UTF-8", "GB18030");

	for (size_t pos = 0; pos < len;) {
		const unsigned char *s = buf + pos, *nl = memchr(s, '\n', len - pos);
		size_t len1;

		if (!nl && !whole)
			break;
		len1 = nl ? (size_t)(nl - s) : len - pos;
		pos += len1 + 1;

		if (!has_high_bytes(s, len1))
			continue;
		if (utf8_valid_prefix(s, len1) == len1) {
			utf8_lines++;
			continue;
		}
		if (cd != (iconv_t)-1) {
			char *src = (char *)s, out[8192];
			size_t left = len1;
			int ok = 1;

			while (left > 0 && ok) {
				char *dst = out;
				size_t room = sizeof out;

				if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1 && errno != E2BIG)
					ok = 0;
			}
			iconv(cd, NULL, NULL, NULL, NULL);
			if (ok)
				gb_lines++;
		}
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	if (gb_lines > utf8_lines) {
		in->enc = ENC_ICONV;
		snprintf(in->encoding, sizeof in->encoding, "GB18030");
	} else {
		in->enc = ENC_UTF8;
		snprintf(in->encoding, sizeof in->encoding, "UTF-8");
	}
}

struct cells {
	char **v;
	int n, cap;
};

static void cells_free(struct cells *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

static void cells_on_field(void *data, size_t len, void *ctx)
{
	struct cells *c = ctx;
	size_t start;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = realloc(c->v, (size_t)c->cap * sizeof *c->v);
		if (!c->v)
			abort();
	}
	start = trim(data ? data : "", &len);
	c->v[c->n] = strndup(data ? (char *)data + start : "", len);
	if (!c->v[c->n])
		abort();
	c->n++;
}

/* Split one decoded line into trimmed cells with libcsv. */
static void split_cells(const char *text, size_t len, char delim, struct cells *out)
{
	struct csv_parser p;

	cells_free(out);
	csv_init(&p, CSV_APPEND_NULL);
	csv_set_delim(&p, (unsigned char)delim);
	csv_set_term_func(&p, term_is_lf);
	csv_set_space_func(&p, space_is_blank);
	csv_parse(&p, text, len, cells_on_field, NULL, out);
	csv_fini(&p, cells_on_field, NULL, out);
	csv_free(&p);
}

int csvin_match_header(const struct tmpl_columns *cols, const char *cell)
{
	char key[512], akey[512];

	csvin_header_key(cell, key, sizeof key);
	if (!key[0])
		return -1;
	for (int f = 0; f < cols->n; f++)
		for (int a = 0; a < cols->cols[f].naliases; a++) {
			csvin_header_key(cols->cols[f].aliases[a], akey, sizeof akey);
			if (strcmp(key, akey) == 0)
				return f;
		}
	return -1;
}

/* How well a row of cells works as the header: matched cells, and whether
 * every required field is there. */
static int header_score(const struct tmpl_columns *cols, const struct cells *c, int *all_required)
{
	int matched = 0;
	int *seen = calloc((size_t)cols->n + 1, sizeof *seen);

	if (!seen)
		abort();
	for (int i = 0; i < c->n; i++) {
		int f = csvin_match_header(cols, c->v[i]);

		if (f >= 0 && !seen[f]) {
			seen[f] = 1;
			matched++;
		}
	}
	*all_required = 1;
	for (int f = 0; f < cols->n; f++)
		if (cols->cols[f].required && !seen[f])
			*all_required = 0;
	free(seen);
	return matched;
}

static void decode_sample_line(struct csvin *in, const struct sample_line *l, struct strbuf *out)
{
	strbuf_reset(out);
	if (in->enc == ENC_UTF8) {
		strbuf_add(out, l->s, l->len);
		return;
	}
	char *src = (char *)l->s;
	size_t left = l->len;

	iconv(in->cd, NULL, NULL, NULL, NULL);
	while (left > 0) {
		char buf[4096], *dst = buf;
		size_t room = sizeof buf;
		size_t r = iconv(in->cd, &src, &left, &dst, &room);

		strbuf_add(out, buf, (size_t)(dst - buf));
		if (r == (size_t)-1 && errno != E2BIG) {
			strbuf_addch(out, '?');
			src++;
			left--;
		}
	}
}

static int set_columns(struct csvin *in, struct cells *names, struct bangfu_err *err)
{
	const struct tmpl_columns *cols = in->columns;
	int n = names->n;

	while (n > 0 && names->v[n - 1][0] == '\0')
		n--;
	in->ncols = n;
	in->colnames = calloc((size_t)n + 1, sizeof *in->colnames);
	in->colfield = calloc((size_t)n + 1, sizeof *in->colfield);
	in->fieldcol = calloc(cols ? (size_t)cols->n + 1 : 1, sizeof *in->fieldcol);
	if (!in->colnames || !in->colfield || !in->fieldcol)
		abort();
	for (int f = 0; cols && f < cols->n; f++)
		in->fieldcol[f] = -1;
	for (int i = 0; i < n; i++) {
		in->colnames[i] = names->v[i];
		names->v[i] = NULL;
		in->colfield[i] = cols ? csvin_match_header(cols, in->colnames[i]) : -1;
	}
	for (int i = 0; i < n; i++) {
		int f = in->colfield[i];

		if (f < 0)
			continue;
		if (in->fieldcol[f] >= 0)
			return bangfu_fail(err, ERR_INPUT, in->display, in->header_line, i + 1,
					   "duplicate_column",
					   "columns %d (%s) and %d (%s) both mean %s (%s); keep one of them",
					   in->fieldcol[f] + 1, in->colnames[in->fieldcol[f]], i + 1,
					   in->colnames[i], cols->cols[f].label, cols->cols[f].field);
		in->fieldcol[f] = i;
	}
	for (int f = 0; cols && f < cols->n; f++) {
		if (!cols->cols[f].required || in->fieldcol[f] >= 0)
			continue;
		struct strbuf sb;

		strbuf_init(&sb);
		for (int a = 0; a < cols->cols[f].naliases; a++)
			strbuf_addf(&sb, "%s%s", a ? ", " : "", cols->cols[f].aliases[a]);
		bangfu_fail(err, ERR_INPUT, in->display, in->header_line, 0, "missing_column",
			    "the header row has no column for %s (%s); expected one of: %s",
			    cols->cols[f].label, cols->cols[f].field, strbuf_str(&sb));
		strbuf_free(&sb);
		return -1;
	}
	return 0;
}

/* Find the header among the first lines and, when the row below it carries
 * sub-headers under a group cell, merge the two. */
static int find_header(struct csvin *in, struct sample_line *lines, int nlines, struct bangfu_err *err)
{
	static const char delims[] = {',', '\t', '|', ';'};
	struct strbuf text;
	struct cells cells = {0}, best_cells = {0}, sub = {0};
	int best_line = -1, best_score = -1, best_required = 0, rc = 0;
	char best_delim = ',';

	strbuf_init(&text);
	for (int i = 0; i < nlines; i++) {
		decode_sample_line(in, &lines[i], &text);
		if (text.len == 0)
			continue;
		for (size_t d = 0; d < sizeof delims; d++) {
			int score, all_required = 0;

			if (!memchr(text.buf, delims[d], text.len) && d > 0)
				continue;
			split_cells(text.buf, text.len, delims[d], &cells);
			if (in->columns) {
				score = header_score(in->columns, &cells, &all_required);
			} else {
				score = cells.n;
				all_required = 1;
			}
			if ((all_required && !best_required) ||
			    (all_required == best_required && score > best_score)) {
				best_score = score;
				best_required = all_required;
				best_line = i;
				best_delim = delims[d];
				cells_free(&best_cells);
				best_cells = cells;
				memset(&cells, 0, sizeof cells);
			}
		}
		if (best_required)
			break;
	}
	if (best_line < 0 || best_score <= 0) {
		rc = bangfu_fail(err, ERR_INPUT, in->display, 0, 0, "no_header",
				 "no header row in the first %d lines: expected a row naming the columns "
				 "(证件号码 and 姓名 at least)",
				 nlines);
		goto out;
	}
	in->delim = best_delim;
	in->header_line = best_line + 1;

	/* Two-level header: the next row has the ID and name cells empty and names
	 * at least one column itself. */
	if (in->columns && best_required && best_line + 1 < nlines) {
		int id_f = tmpl_columns_find(in->columns, "id_number");
		int name_f = tmpl_columns_find(in->columns, "name");
		int id_c = -1, name_c = -1, names_field = 0;

		for (int i = 0; i < best_cells.n; i++) {
			int f = csvin_match_header(in->columns, best_cells.v[i]);

			if (f == id_f && id_c < 0)
				id_c = i;
			if (f == name_f && name_c < 0)
				name_c = i;
		}
		decode_sample_line(in, &lines[best_line + 1], &text);
		split_cells(text.buf, text.len, best_delim, &sub);
		for (int i = 0; i < sub.n; i++)
			if (sub.v[i][0] && csvin_match_header(in->columns, sub.v[i]) >= 0)
				names_field = 1;
		if (names_field && id_c >= 0 && (id_c >= sub.n || !sub.v[id_c][0]) &&
		    (name_c < 0 || name_c >= sub.n || !sub.v[name_c][0])) {
			/* A sub-header names the column; the group cell above it
			 * (已就业人员就业信息) only groups and is not kept. */
			for (int i = 0; i < sub.n; i++) {
				if (sub.v[i][0]) {
					if (i >= best_cells.n) {
						/* widen the header to the sub-row */
						while (best_cells.n <= i)
							cells_on_field("", 0, &best_cells);
					}
					free(best_cells.v[i]);
					best_cells.v[i] = strdup(sub.v[i]);
					if (!best_cells.v[i])
						abort();
				}
			}
			in->header_line = best_line + 2;
		}
	}
	rc = set_columns(in, &best_cells, err);
out:
	cells_free(&cells);
	cells_free(&best_cells);
	cells_free(&sub);
	strbuf_free(&text);
	return rc;
}

static int sniff(struct csvin *in, const struct csvin_options *opt, struct bangfu_err *err)
{
	unsigned char *buf = malloc(SNIFF_BYTES);
	struct sample_line lines[SNIFF_LINES];
	ssize_t got;
	size_t len, off = 0;
	const char *why;
	int nlines, rc = -1;

	if (!buf)
		abort();
	got = pread(in->fd, buf, SNIFF_BYTES, 0);
	if (got < 0) {
		bangfu_fail(err, ERR_INPUT, in->display, 0, 0, "unreadable", "cannot read: %s",
			    strerror(errno));
		goto out;
	}
	len = (size_t)got;
	if (len == 0) {
		bangfu_fail(err, ERR_INPUT, in->display, 0, 0, "empty_file",
			    "the file is empty: expected a header row and data rows");
		goto out;
	}
	if ((why = refuse_magic(buf, len))) {
		bangfu_fail(err, ERR_INPUT, in->display, 1, 1, "not_text", "%s", why);
		goto out;
	}
	if (looks_binary(buf, len)) {
		bangfu_fail(err, ERR_INPUT, in->display, 1, 1, "not_text",
			    "this is not delimited text (binary data)");
		goto out;
	}
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		in->skip_bom = 1;
		off = 3;
	}
	nlines = sample_lines(buf + off, len - off, (long long)len == in->size, lines, SNIFF_LINES);
	if (nlines == 0) {
		bangfu_fail(err, ERR_INPUT, in->display, 1, 0, "no_header",
			    "no complete line in the first %d KiB: expected a header row",
			    SNIFF_BYTES / 1024);
		goto out;
	}
	if (opt && opt->encoding && opt->encoding[0]) {
		char upper[40];
		size_t i;

		for (i = 0; opt->encoding[i] && i + 1 < sizeof upper; i++)
			upper[i] = (char)((opt->encoding[i] >= 'a' && opt->encoding[i] <= 'z')
						  ? opt->encoding[i] - 32 : opt->encoding[i]);
		upper[i] = '\0';
		if (strcmp(upper, "UTF-8") == 0 || strcmp(upper, "UTF8") == 0) {
			in->enc = ENC_UTF8;
			snprintf(in->encoding, sizeof in->encoding, "UTF-8");
		} else {
			in->enc = ENC_ICONV;
			snprintf(in->encoding, sizeof in->encoding, "%s", upper);
		}
	} else if (in->skip_bom) {
		in->enc = ENC_UTF8;
		snprintf(in->encoding, sizeof in->encoding, "UTF-8");
	} else {
		pick_encoding(in, buf + off, len - off, (long long)len == in->size);
	}
	if (in->enc == ENC_ICONV) {
		in->cd = iconv_open("UTF-8", in->encoding);
		if (in->cd == (iconv_t)-1) {
			bangfu_fail(err, ERR_INPUT, in->display, 0, 0, "bad_encoding_name",
				    "unknown encoding '%s' (try UTF-8 or GB18030)", in->encoding);
			goto out;
		}
	}
	if (in->skip_bom)
		snprintf(in->encoding, sizeof in->encoding, "UTF-8 (BOM)");
	rc = find_header(in, lines, nlines, err);
out:
	free(buf);
	return rc;
}

struct csvin *csvin_open(const char *path, const struct csvin_options *opt, struct bangfu_err *err)
{
	struct csvin *in = calloc(1, sizeof *in);
	struct stat st;

	if (!in)
		abort();
	in->fd = -1;
	in->cd = (iconv_t)-1;
	in->path = strdup(path);
	in->display = strdup(opt && opt->display_name ? opt->display_name : path);
	in->columns = opt ? opt->columns : NULL;
	if (!in->path || !in->display)
		abort();
	strbuf_init(&in->carry);
	strbuf_init(&in->fieldbuf);
	strbuf_init(&in->rawbuf);
	strbuf_init(&in->decoded);

	if (stat(path, &st) != 0) {
		bangfu_fail(err, ERR_INPUT, in->display, 0, 0, "unreadable", "cannot open: %s",
			    strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		bangfu_fail(err, ERR_INPUT, in->display, 0, 0, "unreadable",
			    "is a directory, not a file");
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		bangfu_fail(err, ERR_INPUT, in->display, 0, 0, "unreadable",
			    "is not a regular file");
		goto fail;
	}
	in->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0) {
		bangfu_fail(err, ERR_INPUT, in->display, 0, 0, "unreadable", "cannot open: %s",
			    strerror(errno));
		goto fail;
	}
	in->size = st.st_size;
	if (sniff(in, opt, err) != 0)
		goto fail;
	sha256_init(&in->sha);
	in->chunk = malloc(CHUNK_BYTES);
	if (!in->chunk)
		abort();
	parser_init(in);
	in->started = 1;
	return in;
fail:
	csvin_close(in);
	return NULL;
}

void csvin_close(struct csvin *in)
{
	if (!in)
		return;
	if (in->fd >= 0)
		close(in->fd);
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	if (in->started)
		csv_free(&in->parser);
	for (int i = 0; i < in->ncols; i++)
		free(in->colnames[i]);
	free(in->colnames);
	free(in->colfield);
	free(in->fieldcol);
	free(in->chunk);
	free(in->offs);
	free(in->lens);
	free(in->row_fields);
	strbuf_free(&in->carry);
	strbuf_free(&in->fieldbuf);
	strbuf_free(&in->rawbuf);
	strbuf_free(&in->decoded);
	free(in->path);
	free(in->display);
	free(in);
}

/* ---- streaming ---- */

static int fill_chunk(struct csvin *in, struct bangfu_err *err)
{
	ssize_t got;

	do
		got = read(in->fd, in->chunk, CHUNK_BYTES);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return bangfu_fail(err, ERR_INPUT, in->display, in->lineno, 0, "unreadable",
				   "read error: %s", strerror(errno));
	if (got == 0) {
		in->at_eof = 1;
		return 0;
	}
	in->bytes_read += got;
	sha256_update(&in->sha, (size_t)got, in->chunk);
	in->chunk_len = (size_t)got;
	in->chunk_pos = 0;
	if (in->skip_bom == 1) {
		if (in->chunk_len >= 3)
			in->chunk_pos = 3;
		in->skip_bom = 2;
	}
	return 0;
}

/* Build the row handed to the caller from the fields libcsv gave. */
static void finish_row(struct csvin *in)
{
	if (in->row_fields_cap < in->nfields + 1) {
		in->row_fields_cap = in->nfields + 1;
		in->row_fields = realloc(in->row_fields, in->row_fields_cap * sizeof *in->row_fields);
		if (!in->row_fields)
			abort();
	}
	for (size_t i = 0; i < in->nfields; i++) {
		size_t len = in->lens[i];
		size_t start = trim(in->fieldbuf.buf + in->offs[i], &len);

		in->row_fields[i] = in->fieldbuf.buf + in->offs[i] + start;
		in->row_fields[i][len] = '\0';
		in->lens[i] = len;
	}
	in->row.line = in->rec_line;
	in->row.nfields = (int)in->nfields;
	in->row.fields = in->row_fields;
	in->row.lens = in->lens;
	in->row.raw = strbuf_str(&in->rawbuf);
	in->row.raw_len = in->rawbuf.len;

	if (!in->row.rejected && in->ncols > 0) {
		int n = (int)in->nfields;

		if (n < in->ncols) {
			note_reject(in, "too_few_fields", n + 1, in->colnames[n],
				    "expected %d fields, found %d: column %d (%s) and after are missing",
				    in->ncols, n, n + 1, in->colnames[n]);
		} else {
			for (int i = in->ncols; i < n; i++)
				if (in->lens[i] > 0) {
					note_reject(in, "too_many_fields", i + 1, NULL,
						    "expected %d fields, found %d: field %d has no column in the header",
						    in->ncols, n, i + 1);
					break;
				}
		}
	}
}

static int all_fields_empty(struct csvin *in)
{
	for (size_t i = 0; i < in->nfields; i++) {
		size_t len = in->lens[i];

		trim(in->fieldbuf.buf + in->offs[i], &len);
		if (len)
			return 0;
	}
	return 1;
}

/* Feed one physical line (no '\n', '\r' already dropped).  Returns 1 when it
 * completed a record. */
static int feed_line(struct csvin *in, const unsigned char *s, size_t len)
{
	in->lineno++;
	if (in->lineno <= in->header_line)
		return 0;
	if (!in->record_open) {
		if (len == 0)
			return 0;
		in->record_open = 1;
		in->rec_line = in->lineno;
	}
	decode_line(in, s, len);
	in->rec_bytes += len + 1;
	if (in->rawbuf.len < RAW_KEEP_BYTES) {
		if (in->rawbuf.len)
			strbuf_addch(&in->rawbuf, '\n');
		strbuf_add(&in->rawbuf, in->decoded.buf ? in->decoded.buf : "",
			   in->decoded.len < RAW_KEEP_BYTES ? in->decoded.len : RAW_KEEP_BYTES);
	}
	strbuf_addch(&in->decoded, '\n');
	csv_parse(&in->parser, in->decoded.buf, in->decoded.len, on_field, on_row_end, in);
	if (in->row_ready)
		return 1;
	if (in->rec_bytes > RECORD_MAX_BYTES) {
		/* A quote that never closes swallows the file; cut the record here
		 * and start afresh on the next line. */
		note_reject(in, "record_too_long", 1, NULL,
			    "record starting at line %ld runs past %d MiB (an unclosed quote?)",
			    in->rec_line, RECORD_MAX_BYTES / (1024 * 1024));
		csv_free(&in->parser);
		parser_init(in);
		in->row_ready = 1;
		return 1;
	}
	return 0;
}

static int next_line(struct csvin *in, struct bangfu_err *err)
{
	for (;;) {
		if (in->chunk_pos >= in->chunk_len) {
			if (in->at_eof)
				return 0;
			if (fill_chunk(in, err) != 0)
				return -1;
			if (in->at_eof) {
				if (in->carry.len || in->skipping_long) {
					int done;
					size_t len = in->carry.len;

					if (in->skipping_long) {
						in->skipping_long = 0;
						strbuf_reset(&in->carry);
						in->lineno++;
						in->row_ready = 1;
						return 1;
					}
					if (len && in->carry.buf[len - 1] == '\r')
						len--;
					done = feed_line(in, (unsigned char *)in->carry.buf, len);
					strbuf_reset(&in->carry);
					if (done)
						return 1;
				}
				return 0;
			}
			continue;
		}
		unsigned char *start = in->chunk + in->chunk_pos;
		size_t avail = in->chunk_len - in->chunk_pos;
		unsigned char *nl = memchr(start, '\n', avail);

		if (!nl) {
			if (in->skipping_long) {
				in->chunk_pos = in->chunk_len;
				continue;
			}
			if (in->carry.len + avail > RECORD_MAX_BYTES) {
				/* One physical line longer than any record may be: skip to its
				 * end without keeping it, and reject it. */
				if (!in->record_open) {
					in->record_open = 1;
					in->rec_line = in->lineno + 1;
				}
				note_reject(in, "record_too_long", 1, NULL,
					    "line %ld is longer than %d MiB", in->lineno + 1,
					    RECORD_MAX_BYTES / (1024 * 1024));
				in->skipping_long = 1;
				strbuf_reset(&in->carry);
				in->chunk_pos = in->chunk_len;
				continue;
			}
			strbuf_add(&in->carry, start, avail);
			in->chunk_pos = in->chunk_len;
			continue;
		}
		size_t len = (size_t)(nl - start);

		in->chunk_pos += len + 1;
		if (in->skipping_long) {
			in->skipping_long = 0;
			in->lineno++;
			csv_free(&in->parser);
			parser_init(in);
			in->row_ready = 1;
			return 1;
		}
		int done;

		if (in->carry.len) {
			strbuf_add(&in->carry, start, len);
			len = in->carry.len;
			if (len && in->carry.buf[len - 1] == '\r')
				len--;
			done = feed_line(in, (unsigned char *)in->carry.buf, len);
			strbuf_reset(&in->carry);
		} else {
			if (len && start[len - 1] == '\r')
				len--;
			done = feed_line(in, start, len);
		}
		if (done)
			return 1;
	}
}

int csvin_next(struct csvin *in, struct csvin_row **row, struct bangfu_err *err)
{
	for (;;) {
		int r;

		if (in->finished)
			return 0;
		record_reset(in);
		r = next_line(in, err);
		if (r < 0)
			return -1;
		if (r == 0) {
			/* End of file.  Every line was fed with its '\n', so a record
			 * still open here is inside a quote that never closed. */
			if (in->record_open && !in->row_ready) {
				note_reject(in, "unterminated_quote", 1, NULL,
					    "a quoted field opened in the record at line %ld is never closed",
					    in->rec_line);
				csv_fini(&in->parser, on_field, on_row_end, in);
				in->finished = 1;
				finish_row(in);
				*row = &in->row;
				return 1;
			}
			in->finished = 1;
			return 0;
		}
		if (!in->row.rejected && all_fields_empty(in))
			continue; /* a blank row (",,,," as Excel writes them) is no record */
		finish_row(in);
		*row = &in->row;
		return 1;
	}
}

const char *csvin_encoding(const struct csvin *in) { return in->encoding; }
char csvin_delimiter(const struct csvin *in) { return in->delim; }
long csvin_header_line(const struct csvin *in) { return in->header_line; }
int csvin_ncolumns(const struct csvin *in) { return in->ncols; }
long long csvin_size(const struct csvin *in) { return in->size; }
long long csvin_bytes_read(const struct csvin *in) { return in->bytes_read; }

const char *csvin_column_name(const struct csvin *in, int col)
{
	return col >= 0 && col < in->ncols ? in->colnames[col] : "";
}

int csvin_column_field(const struct csvin *in, int col)
{
	return col >= 0 && col < in->ncols ? in->colfield[col] : -1;
}

int csvin_field_column(const struct csvin *in, int field)
{
	if (!in->columns || field < 0 || field >= in->columns->n)
		return -1;
	return in->fieldcol[field];
}

int csvin_find_column(const struct csvin *in, const char *name)
{
	char want[512], key[512];

	csvin_header_key(name, want, sizeof want);
	for (int i = 0; i < in->ncols; i++) {
		csvin_header_key(in->colnames[i], key, sizeof key);
		if (strcmp(key, want) == 0)
			return i;
	}
	return -1;
}

const char *csvin_sha256(const struct csvin *in)
{
	struct csvin *m = (struct csvin *)in;

	if (!m->sha_hex[0] && m->finished) {
		uint8_t digest[SHA256_DIGEST_SIZE];

		sha256_digest(&m->sha, SHA256_DIGEST_SIZE, digest);
		for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
			snprintf(m->sha_hex + 2 * i, 3, "%02x", digest[i]);
	}
	return m->sha_hex;
}
