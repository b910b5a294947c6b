/* csvin — reading one delimited text file as the offices send them.
 *
 * Owns: refusing what is not tabular text, sniffing the encoding (UTF-8,
 * UTF-8 with BOM, GB18030; or forced) and the delimiter (, tab |), decoding
 * with iconv, parsing with libcsv (RFC 4180 quoting, CRLF), finding the header
 * row below title rows, merging a two-level header, mapping header aliases to
 * canonical fields, and saying for every bad record where and why.  Streams:
 * memory does not grow with the file.  Not here: what the fields mean (idno,
 * datefmt) or where rows go (the stages). */
#ifndef BANGFU_CSVIN_H
#define BANGFU_CSVIN_H

#include <stddef.h>

#include "msg.h"
#include "tmpl.h"

struct csvin;

struct csvin_options {
	const char *encoding;              /* NULL: detect; else an iconv name */
	const struct tmpl_columns *columns; /* NULL: the first non-blank line is the header, no mapping */
	const char *display_name;          /* name used in messages; default the path */
};

struct csvin_row {
	long line;         /* first physical line of the record */
	int nfields;
	char **fields;     /* decoded UTF-8, trimmed of spaces around */
	size_t *lens;
	/* When the record cannot be used: a code, the 1-based column (field, or
	 * byte for encoding errors) and a message; rejected == 0 otherwise. */
	int rejected;
	char reject_code[32];
	long reject_col;
	char reject_column_name[128];
	char reject_message[512];
	const char *raw;   /* the record as read (decoded where possible), for the reject table */
	size_t raw_len;
};

/* Open and sniff.  Returns NULL with err filled (ERR_INPUT) when the file is
 * not tabular text, has no header row, or lacks a required column. */
struct csvin *csvin_open(const char *path, const struct csvin_options *opt, struct bangfu_err *err);
void csvin_close(struct csvin *in);

/* Next record: 1 and *row filled (valid until the next call), 0 at the end,
 * -1 on an I/O error (err filled). */
int csvin_next(struct csvin *in, struct csvin_row **row, struct bangfu_err *err);

/* What the sniffing found. */
const char *csvin_encoding(const struct csvin *in);  /* "UTF-8", "UTF-8 (BOM)", "GB18030", ... */
char csvin_delimiter(const struct csvin *in);
long csvin_header_line(const struct csvin *in);      /* last physical line of the header */
int csvin_ncolumns(const struct csvin *in);
const char *csvin_column_name(const struct csvin *in, int col); /* header text ("group/sub" for two-level) */
int csvin_column_field(const struct csvin *in, int col);        /* index in options.columns, or -1 */
int csvin_field_column(const struct csvin *in, int field);      /* column of a field, or -1 */
long long csvin_size(const struct csvin *in);
long long csvin_bytes_read(const struct csvin *in); /* so far, for progress: of csvin_size */
/* SHA-256 of the whole file as 64 hex digits; complete once csvin_next returned 0. */
const char *csvin_sha256(const struct csvin *in);
/* Column index whose header text is exactly name (for csvin without columns). */
int csvin_find_column(const struct csvin *in, const char *name);

/* Which field of cols a header cell names (by alias), or -1. */
int csvin_match_header(const struct tmpl_columns *cols, const char *cell);

/* Header cell → matching key: whitespace, '*' markers dropped, ASCII
 * brackets made full-width.  out needs strlen(cell)*2+1 bytes. */
void csvin_header_key(const char *cell, char *out, size_t outsz);

#endif
