/* xlsxin — see xlsxin.h.
 *
 * An xlsx is a zip of XML parts found through relationships: _rels/.rels
 * names the workbook part, the workbook's own .rels maps each sheet's r:id to
 * its part and names the shared strings.  Every part is inflated 64 KiB at a
 * time straight into expat's buffer; a worksheet's parser is suspended after
 * each row it completes, so the reader holds one row (plus the shared
 * strings) whatever the size of the sheet.  Elements are matched by local
 * name within the SpreadsheetML namespaces (transitional and strict), so a
 * writer that prefixes them (x:row) reads the same as Excel.
 *
 * Every part is distrusted: its declared and its actual uncompressed size are
 * bounded, a DOCTYPE stops the parser (no entities, so no billion laughs and
 * no external fetches), a cell is bounded, and the zip's CRC is checked when a
 * part has been read to its end. */
#include "xlsxin.h"

#include <errno.h>
#include <expat.h>
#include <libintl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

#include "msg.h"
#include "strbuf.h"

#define CHUNK_BYTES (64 * 1024)
#define MIB (1024LL * 1024)
#define SHEET_MAX_BYTES (1024 * MIB)  /* uncompressed worksheet part */
#define SST_MAX_BYTES (256 * MIB)     /* uncompressed shared strings part */
#define META_MAX_BYTES (64 * MIB)     /* workbook part, relationship parts */
#define CELL_MAX_BYTES (1024 * 1024)  /* Excel itself stops at 32767 characters */
#define MAX_COLUMNS 16384             /* A..XFD */
#define MAX_ROWS 1048576L
#define NS_SEP '\x01'

static const char *const sml_namespaces[] = {
	"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
	"http://purl.oclc.org/ooxml/spreadsheetml/main",
};

struct sheet {
	char *name;
	char *rid;
	char *part; /* zip entry name, resolved through the workbook's relationships */
};

struct rel {
	char *id;
	char *type;
	char *target;
	int external;
};

/* Where a cell's text sits in the row being assembled. */
struct cellpos {
	int col;
	size_t off;
	size_t len;
};

enum cell_type { CELL_NUMBER, CELL_SHARED, CELL_INLINE, CELL_FORMULA_STR, CELL_BOOL, CELL_OTHER };
enum sheet_state { SHEET_NONE, SHEET_READING, SHEET_DONE, SHEET_FAILED };

struct xlsxin {
	char *path;
	unzFile zip;
	int entry_open;         /* a zip entry is open for reading */
	const char *entry_name; /* for messages */
	char label[160];        /* "sheet 'name', " while a sheet is read, for messages */
	long long entry_limit;
	long long entry_read;

	struct sheet *sheets;
	int nsheets;
	size_t sheets_cap;
	char *sst_part; /* NULL when the workbook has no shared strings */

	/* One parse at a time; handlers report through these. */
	XML_Parser parser;
	int aborted;
	char abort_code[32];
	char abort_message[768];

	/* package and workbook relationships */
	struct rel *rels;
	int nrels;
	size_t rels_cap;
	int in_sheets;

	/* shared strings: NUL-terminated texts back to back */
	int sst_loaded;
	struct strbuf sst_text;
	uint32_t *sst_off;
	size_t nsst, sst_cap;
	int in_si, in_rph;
	size_t si_start;
	struct strbuf *collect; /* where character data goes now, or NULL */
	size_t collect_base;    /* where in it the current cell or string began */

	/* the sheet being read */
	enum sheet_state state;
	struct bangfu_err sheet_err;
	int suspended, final_fed;
	int in_sheetdata, in_row, in_cell, in_is;
	long row_num, prev_row;
	int row_numbered, row_cells_seen;
	int cell_col, prev_col;
	enum cell_type cell_type;
	struct strbuf cell_v, cell_is, rowtext;
	struct cellpos *pos;
	size_t npos, pos_cap;
	int last_col; /* last non-empty column of the row, -1 when none */

	/* completed rows, each one allocation; current is the one handed out */
	struct xlsxin_row **queue;
	size_t qhead, qlen, qcap;
	struct xlsxin_row *current;
};

static void *xalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("bangfu: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void *xgrow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, n * elem);
	if (!p) {
		fputs("bangfu: out of memory\n", stderr);
		abort();
	}
	*cap = n;
	return p;
}

/* ---- cell references ---- */

/* "AB12" -> column 27, row 12; the row is 0 when the digits are absent. */
static int parse_ref(const char *ref, int *col, long *row)
{
	const char *s = ref;
	int c = 0, letters = 0;
	long r = 0;

	if (!ref)
		return -1;
	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
		if (++letters > 3)
			return -1;
		c = c * 26 + ((*s | 0x20) - 'a' + 1);
	}
	if (letters == 0 || c > MAX_COLUMNS)
		return -1;
	for (int digits = 0; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 7)
			return -1;
		r = r * 10 + (*s - '0');
		if (r == 0) /* a leading zero: "A0", "A01" are no references */
			return -1;
	}
	if (*s || r > MAX_ROWS)
		return -1;
	*col = c - 1;
	*row = r;
	return 0;
}

int xlsxin_column_index(const char *ref)
{
	int col;
	long row;

	return parse_ref(ref, &col, &row) == 0 ? col : -1;
}

/* Why parse_ref refused ref, for the message. */
static const char *ref_problem(const char *ref)
{
	const char *s = ref;
	long col = 0;

	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++)
		if (col <= MAX_COLUMNS)
			col = col * 26 + ((*s | 0x20) - 'a' + 1);
	if (s == ref || s[strspn(s, "0123456789")] != '\0')
		return gettext("is not a cell reference");
	if (col > MAX_COLUMNS)
		return gettext("is beyond Excel's last column XFD");
	return gettext("has a row number outside 1..1048576");
}

static void column_name(int col, char out[4])
{
	char tmp[4];
	int n = 0, i = 0;

	col++;
	while (col > 0 && n < 3) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	while (n > 0)
		out[i++] = tmp[--n];
	out[i] = '\0';
}

/* ---- XML plumbing ---- */

/* The local name of an element or attribute; *ns gets its namespace (length
 * in *nslen, 0 when it has none). */
static const char *split_name(const char *name, const char **ns, size_t *nslen)
{
	const char *sep = strchr(name, NS_SEP);

	if (!sep) {
		*ns = "";
		*nslen = 0;
		return name;
	}
	*ns = name;
	*nslen = (size_t)(sep - name);
	return sep + 1;
}

/* The local name of a SpreadsheetML element (or of one without namespace,
 * which lenient writers produce); NULL for elements of other vocabularies
 * (extensions such as x14:, mc:). */
static const char *sml_name(const char *name)
{
	const char *ns;
	size_t nslen;
	const char *local = split_name(name, &ns, &nslen);

	if (nslen == 0)
		return local;
	for (size_t i = 0; i < sizeof sml_namespaces / sizeof *sml_namespaces; i++)
		if (strlen(sml_namespaces[i]) == nslen && memcmp(ns, sml_namespaces[i], nslen) == 0)
			return local;
	return NULL;
}

/* An attribute without namespace ("r", "t", "name"). */
static const char *plain_attr(const char **attrs, const char *name)
{
	for (int i = 0; attrs[i]; i += 2)
		if (strcmp(attrs[i], name) == 0)
			return attrs[i + 1];
	return NULL;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* Stop the parse for good; the driver turns this into the error. */
static void xml_abort(struct xlsxin *x, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void xml_abort(struct xlsxin *x, const char *code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (x->aborted)
		return;
	x->aborted = 1;
	snprintf(x->abort_code, sizeof x->abort_code, "%s", code);
	n = snprintf(x->abort_message, sizeof x->abort_message, gettext("%s%s line %llu column %llu: "),
		     x->label, x->entry_name, (unsigned long long)XML_GetCurrentLineNumber(x->parser),
		     (unsigned long long)XML_GetCurrentColumnNumber(x->parser) + 1);
	if (n < 0 || (size_t)n >= sizeof x->abort_message)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(x->abort_message + n, sizeof x->abort_message - (size_t)n, msg_tr(fmt), ap);
	va_end(ap);
	XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xml_abort(data, "bad_xml", "a DOCTYPE declaration, which no xlsx part has");
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct xlsxin *x = data;

	if (!x->collect || x->aborted)
		return;
	if (x->collect->len - x->collect_base + (size_t)len > CELL_MAX_BYTES) {
		xml_abort(x, "cell_too_long", "a text longer than %d MiB (Excel's limit is 32767 characters)",
			  CELL_MAX_BYTES / (1024 * 1024));
		return;
	}
	strbuf_add(x->collect, s, (size_t)len);
}

static void parser_start(struct xlsxin *x, XML_StartElementHandler start, XML_EndElementHandler end)
{
	x->parser = XML_ParserCreateNS(NULL, NS_SEP);
	if (!x->parser) {
		fputs("bangfu: out of memory\n", stderr);
		abort();
	}
	XML_SetUserData(x->parser, x);
	XML_SetElementHandler(x->parser, start, end);
	XML_SetCharacterDataHandler(x->parser, on_text);
	XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);
	XML_SetParamEntityParsing(x->parser, XML_PARAM_ENTITY_PARSING_NEVER);
	x->aborted = 0;
	x->collect = NULL;
}

static void parser_end(struct xlsxin *x)
{
	if (x->parser)
		XML_ParserFree(x->parser);
	x->parser = NULL;
	x->collect = NULL;
}

/* The error of a parse that returned XML_STATUS_ERROR. */
static int xml_fail(struct xlsxin *x, struct bangfu_err *err)
{
	enum XML_Error code = XML_GetErrorCode(x->parser);

	if (x->aborted)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, x->abort_code, "%s", x->abort_message);
	if (code == XML_ERROR_NO_MEMORY)
		return bangfu_fail(err, ERR_INTERNAL, x->path, 0, 0, "no_memory",
				   "%s%s: out of memory while parsing", x->label, x->entry_name);
	return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "bad_xml",
			   "%s%s line %llu column %llu: %s", x->label, x->entry_name,
			   (unsigned long long)XML_GetCurrentLineNumber(x->parser),
			   (unsigned long long)XML_GetCurrentColumnNumber(x->parser) + 1,
			   XML_ErrorString(code));
}

/* ---- zip entries ---- */

static int entry_exists(struct xlsxin *x, const char *name)
{
	return unzLocateFile(x->zip, name, 2 /* part names are case-insensitive */) == UNZ_OK;
}

static int entry_open(struct xlsxin *x, const char *name, long long limit, const char *what,
		      struct bangfu_err *err)
{
	unz_file_info64 info;

	if (!entry_exists(x, name))
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "missing_part",
				   "not a readable xlsx workbook: %s (the %s) is missing", name, msg_tr(what));
	if (unzGetCurrentFileInfo64(x->zip, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "bad_zip",
				   "%s: damaged zip directory entry", name);
	if (info.flag & 1)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "bad_zip",
				   "%s: the zip entry is encrypted", name);
	if (info.compression_method != 0 && info.compression_method != Z_DEFLATED)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "bad_zip",
				   "%s: unsupported zip compression method %lu", name,
				   (unsigned long)info.compression_method);
	if ((long long)info.uncompressed_size > limit || (long long)info.uncompressed_size < 0)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "too_large",
				   "%s: %llu MiB uncompressed, over the %lld MiB limit for the %s "
				   "(a damaged file or a zip bomb)",
				   name, (unsigned long long)(info.uncompressed_size / MIB),
				   limit / MIB, msg_tr(what));
	if (unzOpenCurrentFile(x->zip) != UNZ_OK)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "bad_zip",
				   "%s: damaged zip entry (cannot open it)", name);
	x->entry_open = 1;
	x->entry_name = name;
	x->entry_limit = limit;
	x->entry_read = 0;
	return 0;
}

/* Bytes read into buf, 0 at the end of the entry, -1 with err filled. */
static int entry_read(struct xlsxin *x, void *buf, unsigned size, struct bangfu_err *err)
{
	int n = unzReadCurrentFile(x->zip, buf, size);

	if (n < 0)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "bad_zip",
				   "%s%s: damaged zip entry (inflate error %d)", x->label, x->entry_name, n);
	x->entry_read += n;
	/* minizip stops at the declared size, but do not rely on it */
	if (x->entry_read > x->entry_limit)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "too_large",
				   "%s%s: more than %lld MiB uncompressed (a damaged file or a zip bomb)",
				   x->label, x->entry_name, x->entry_limit / MIB);
	return n;
}

/* Close the entry; when it was read to its end, this is where the CRC is
 * checked. */
static int entry_close(struct xlsxin *x, struct bangfu_err *err)
{
	int rc;

	if (!x->entry_open)
		return 0;
	x->entry_open = 0;
	rc = unzCloseCurrentFile(x->zip);
	if (rc == UNZ_CRCERROR)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "bad_zip",
				   "%s%s: damaged zip entry (CRC mismatch)", x->label, x->entry_name);
	if (rc != UNZ_OK)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "bad_zip",
				   "%s%s: damaged zip entry (error %d)", x->label, x->entry_name, rc);
	return 0;
}

/* Read one whole part through expat with the given handlers. */
static int parse_part(struct xlsxin *x, const char *name, long long limit, const char *what,
		      XML_StartElementHandler start, XML_EndElementHandler end,
		      struct bangfu_err *err)
{
	int rc = -1, n;

	if (entry_open(x, name, limit, what, err) != 0)
		return -1;
	parser_start(x, start, end);
	do {
		void *buf = XML_GetBuffer(x->parser, CHUNK_BYTES);

		if (!buf) {
			xml_fail(x, err);
			goto out;
		}
		n = entry_read(x, buf, CHUNK_BYTES, err);
		if (n < 0)
			goto out;
		if (XML_ParseBuffer(x->parser, n, n == 0) != XML_STATUS_OK) {
			xml_fail(x, err);
			goto out;
		}
	} while (n > 0);
	rc = entry_close(x, err);
out:
	if (x->entry_open) {
		x->entry_open = 0;
		unzCloseCurrentFile(x->zip);
	}
	parser_end(x);
	return rc;
}

/* ---- relationships ---- */

static void rels_clear(struct xlsxin *x)
{
	for (int i = 0; i < x->nrels; i++) {
		free(x->rels[i].id);
		free(x->rels[i].type);
		free(x->rels[i].target);
	}
	x->nrels = 0;
}

static void XMLCALL on_rel_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	struct xlsxin *x = data;
	const char *ns, *id, *type, *target, *mode;
	size_t nslen;
	struct rel *r;

	if (strcmp(split_name(name, &ns, &nslen), "Relationship") != 0)
		return;
	id = plain_attr(attrs, "Id");
	type = plain_attr(attrs, "Type");
	target = plain_attr(attrs, "Target");
	mode = plain_attr(attrs, "TargetMode");
	if (!id || !type || !target)
		return;
	x->rels = xgrow(x->rels, &x->rels_cap, (size_t)x->nrels + 1, sizeof *x->rels);
	r = &x->rels[x->nrels++];
	r->id = xstrdup(id);
	r->type = xstrdup(type);
	r->target = xstrdup(target);
	r->external = mode && strcmp(mode, "External") == 0;
}

static void XMLCALL on_ignore_end(void *data, const XML_Char *name)
{
	(void)data;
	(void)name;
}

static const struct rel *rel_by_type(const struct xlsxin *x, const char *suffix)
{
	for (int i = 0; i < x->nrels; i++)
		if (!x->rels[i].external && ends_with(x->rels[i].type, strlen(x->rels[i].type), suffix))
			return &x->rels[i];
	return NULL;
}

static const struct rel *rel_by_id(const struct xlsxin *x, const char *id)
{
	for (int i = 0; i < x->nrels; i++)
		if (!x->rels[i].external && strcmp(x->rels[i].id, id) == 0)
			return &x->rels[i];
	return NULL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The zip entry a relationship target names: absolute ("/xl/x.xml") from the
 * package root, otherwise relative to the directory of the source part
 * (base_dir, "" or ending in '/'); "." and ".." resolved, %XX decoded. */
static char *resolve_target(const char *base_dir, const char *target)
{
	struct strbuf joined, out;
	const char *s;
	char *result;

	strbuf_init(&joined);
	strbuf_init(&out);
	if (target[0] != '/')
		strbuf_addstr(&joined, base_dir);
	strbuf_addstr(&joined, target);
	s = strbuf_str(&joined);
	while (*s) {
		const char *end = strchr(s, '/');
		size_t len = end ? (size_t)(end - s) : strlen(s);

		if (len == 0 || (len == 1 && s[0] == '.')) {
			/* nothing */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (out.len > 0 && out.buf[out.len - 1] != '/')
				out.len--;
			if (out.len > 0)
				out.len--;
			out.buf[out.len] = '\0';
		} else {
			if (out.len > 0)
				strbuf_addch(&out, '/');
			for (size_t i = 0; i < len; i++) {
				if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 &&
				    hexval(s[i + 2]) >= 0) {
					strbuf_addch(&out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
					i += 2;
				} else {
					strbuf_addch(&out, s[i]);
				}
			}
		}
		s += len;
		if (*s == '/')
			s++;
	}
	result = xstrdup(strbuf_str(&out));
	strbuf_free(&joined);
	strbuf_free(&out);
	return result;
}

/* "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels" and base "xl/". */
static void rels_part_of(const char *part, char **rels_name, char **base_dir)
{
	const char *slash = strrchr(part, '/');
	size_t dirlen = slash ? (size_t)(slash - part) + 1 : 0;
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_add(&sb, part, dirlen);
	*base_dir = xstrdup(strbuf_str(&sb));
	strbuf_addstr(&sb, "_rels/");
	strbuf_addstr(&sb, part + dirlen);
	strbuf_addstr(&sb, ".rels");
	*rels_name = xstrdup(strbuf_str(&sb));
	strbuf_free(&sb);
}

/* ---- the workbook part ---- */

static void XMLCALL on_workbook_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	struct xlsxin *x = data;
	const char *local = sml_name(name), *sheet_name, *rid = NULL;
	struct sheet *sh;

	if (!local)
		return;
	if (strcmp(local, "sheets") == 0) {
		x->in_sheets = 1;
		return;
	}
	if (!x->in_sheets || strcmp(local, "sheet") != 0)
		return;
	sheet_name = plain_attr(attrs, "name");
	for (int i = 0; attrs[i]; i += 2) {
		const char *ns;
		size_t nslen;

		if (strcmp(split_name(attrs[i], &ns, &nslen), "id") == 0 &&
		    ends_with(ns, nslen, "relationships"))
			rid = attrs[i + 1];
	}
	if (!sheet_name || !rid) {
		xml_abort(x, "bad_workbook", "a sheet without %s", sheet_name ? "r:id" : "name");
		return;
	}
	x->sheets = xgrow(x->sheets, &x->sheets_cap, (size_t)x->nsheets + 1, sizeof *x->sheets);
	sh = &x->sheets[x->nsheets++];
	sh->name = xstrdup(sheet_name);
	sh->rid = xstrdup(rid);
	sh->part = NULL;
}

static void XMLCALL on_workbook_end(void *data, const XML_Char *name)
{
	struct xlsxin *x = data;
	const char *local = sml_name(name);

	if (local && strcmp(local, "sheets") == 0)
		x->in_sheets = 0;
}

static int fail_not_xlsx(struct xlsxin *x, struct bangfu_err *err, const char *why)
{
	return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "not_xlsx", "not an xlsx workbook (%s)", msg_tr(why));
}

/* Refuse early, with a useful reason, what is plainly no zip. */
static int check_magic(struct xlsxin *x, struct bangfu_err *err)
{
	static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	unsigned char magic[8];
	size_t n;
	FILE *f = fopen(x->path, "rb");

	if (!f)
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "unreadable", "cannot open: %s",
				   strerror(errno));
	n = fread(magic, 1, sizeof magic, f);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		return bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "unreadable", "cannot read: %s",
				   strerror(e));
	}
	fclose(f);
	if (n == 0)
		return fail_not_xlsx(x, err, "an empty file");
	if (n == sizeof magic && memcmp(magic, ole2, sizeof magic) == 0)
		return fail_not_xlsx(x, err, "an OLE2 file: an old .xls, or a password-protected "
				     "workbook; save it as .xlsx without a password");
	return 0;
}

static int read_workbook(struct xlsxin *x, struct bangfu_err *err)
{
	char *workbook = NULL, *wb_rels = NULL, *wb_dir = NULL;
	const struct rel *r;
	int rc = -1;

	/* The package relationships name the workbook part; writers that omit
	 * them put it at the conventional place. */
	if (entry_exists(x, "_rels/.rels")) {
		if (parse_part(x, "_rels/.rels", META_MAX_BYTES, "package relationships",
			       on_rel_start, on_ignore_end, err) != 0)
			goto out;
		r = rel_by_type(x, "/officeDocument");
		if (r)
			workbook = resolve_target("", r->target);
		rels_clear(x);
	}
	if (!workbook)
		workbook = xstrdup("xl/workbook.xml");
	if (!entry_exists(x, workbook)) {
		if (entry_exists(x, "xl/workbook.bin"))
			fail_not_xlsx(x, err, "a binary .xlsb workbook; save it as .xlsx");
		else if (entry_exists(x, "word/document.xml"))
			fail_not_xlsx(x, err, "a Word document");
		else
			bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "not_xlsx",
				    "not an xlsx workbook (a zip without the workbook part %s)",
				    workbook);
		goto out;
	}
	rels_part_of(workbook, &wb_rels, &wb_dir);
	if (parse_part(x, wb_rels, META_MAX_BYTES, "workbook relationships", on_rel_start,
		       on_ignore_end, err) != 0)
		goto out;
	x->in_sheets = 0;
	if (parse_part(x, workbook, META_MAX_BYTES, "workbook part", on_workbook_start,
		       on_workbook_end, err) != 0)
		goto out;
	if (x->nsheets == 0) {
		bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "bad_workbook", "%s lists no sheets",
			    workbook);
		goto out;
	}
	for (int i = 0; i < x->nsheets; i++) {
		struct sheet *sh = &x->sheets[i];

		r = rel_by_id(x, sh->rid);
		if (!r) {
			bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "missing_part",
				    "sheet '%s': %s has no relationship %s", sh->name, wb_rels, sh->rid);
			goto out;
		}
		sh->part = resolve_target(wb_dir, r->target);
		if (!entry_exists(x, sh->part)) {
			bangfu_fail(err, ERR_INPUT, x->path, 0, 0, "missing_part",
				    "sheet '%s': its part %s is missing", sh->name, sh->part);
			goto out;
		}
	}
	r = rel_by_type(x, "/sharedStrings");
	if (r) {
		x->sst_part = resolve_target(wb_dir, r->target);
	} else {
		/* some writers leave out the relationship but not the part */
		struct strbuf sb;

		strbuf_init(&sb);
		strbuf_addstr(&sb, wb_dir);
		strbuf_addstr(&sb, "sharedStrings.xml");
		if (entry_exists(x, strbuf_str(&sb)))
			x->sst_part = xstrdup(strbuf_str(&sb));
		strbuf_free(&sb);
	}
	rc = 0;
out:
	rels_clear(x);
	free(workbook);
	free(wb_rels);
	free(wb_dir);
	return rc;
}

/* ---- shared strings ---- */

/* Excel writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as
 * _x005F_x); decode them in place, as Excel does when it reads the file. */
static size_t decode_xstring(char *s, size_t len)
{
	size_t i = 0, o = 0;

	while (i < len) {
		unsigned cp = 0;
		int ok = i + 7 <= len && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';

		for (int k = 2; ok && k < 6; k++) {
			int h = hexval((unsigned char)s[i + k]);

			if (h < 0)
				ok = 0;
			else
				cp = cp * 16 + (unsigned)h;
		}
		if (!ok || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			s[o++] = s[i++];
			continue;
		}
		if (cp < 0x80) {
			s[o++] = (char)cp;
		} else if (cp < 0x800) {
			s[o++] = (char)(0xC0 | (cp >> 6));
			s[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			s[o++] = (char)(0xE0 | (cp >> 12));
			s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			s[o++] = (char)(0x80 | (cp & 0x3F));
		}
		i += 7;
	}
	return o;
}

static void XMLCALL on_sst_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	struct xlsxin *x = data;
	const char *local = sml_name(name);

	(void)attrs;
	if (!local)
		return;
	if (strcmp(local, "si") == 0) {
		x->in_si = 1;
		x->in_rph = 0;
		x->si_start = x->sst_text.len;
	} else if (x->in_si && strcmp(local, "rPh") == 0) {
		x->in_rph = 1; /* phonetic reading, not part of the text */
	} else if (x->in_si && !x->in_rph && strcmp(local, "t") == 0) {
		x->collect = &x->sst_text;
		x->collect_base = x->si_start;
	}
}

static void XMLCALL on_sst_end(void *data, const XML_Char *name)
{
	struct xlsxin *x = data;
	const char *local = sml_name(name);

	if (!local || x->aborted)
		return;
	if (strcmp(local, "t") == 0) {
		x->collect = NULL;
	} else if (strcmp(local, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(local, "si") == 0 && x->in_si) {
		size_t len = decode_xstring(x->sst_text.buf ? x->sst_text.buf + x->si_start : NULL,
					    x->sst_text.len - x->si_start);

		x->sst_text.len = x->si_start + len;
		strbuf_addch(&x->sst_text, '\0');
		x->sst_off = xgrow(x->sst_off, &x->sst_cap, x->nsst + 1, sizeof *x->sst_off);
		x->sst_off[x->nsst++] = (uint32_t)x->si_start;
		x->in_si = 0;
	}
}

static int load_shared_strings(struct xlsxin *x, struct bangfu_err *err)
{
	if (x->sst_loaded)
		return 0;
	strbuf_reset(&x->sst_text);
	x->nsst = 0;
	x->in_si = x->in_rph = 0;
	if (x->sst_part && parse_part(x, x->sst_part, SST_MAX_BYTES, "shared strings", on_sst_start,
				      on_sst_end, err) != 0)
		return -1;
	x->sst_loaded = 1;
	return 0;
}

/* ---- the sheet being read ---- */

static void row_reset(struct xlsxin *x)
{
	strbuf_reset(&x->rowtext);
	x->npos = 0;
	x->last_col = -1;
	x->prev_col = -1;
	x->row_cells_seen = 0;
}

static void queue_clear(struct xlsxin *x)
{
	for (size_t i = x->qhead; i < x->qlen; i++)
		free(x->queue[i]);
	x->qhead = x->qlen = 0;
}

static void sheet_end(struct xlsxin *x)
{
	if (x->entry_open) {
		x->entry_open = 0;
		unzCloseCurrentFile(x->zip); /* partly read: no CRC to check */
	}
	parser_end(x);
	queue_clear(x);
	free(x->current);
	x->current = NULL;
	x->state = SHEET_NONE;
	x->label[0] = '\0';
}

static void XMLCALL on_sheet_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	struct xlsxin *x = data;
	const char *local = sml_name(name), *ref, *type;
	long row;
	int col;

	if (!local || x->aborted)
		return;
	if (!x->in_sheetdata) {
		if (strcmp(local, "sheetData") == 0)
			x->in_sheetdata = 1;
		return;
	}
	if (!x->in_row) {
		if (strcmp(local, "row") != 0)
			return;
		x->in_row = 1;
		row_reset(x);
		ref = plain_attr(attrs, "r");
		if (ref) {
			char *end;

			errno = 0;
			row = strtol(ref, &end, 10);
			if (errno || end == ref || *end || row < 1 || row > MAX_ROWS) {
				xml_abort(x, "bad_cell_ref", "row number '%s' is not one of 1..%ld", ref,
					  MAX_ROWS);
				return;
			}
			x->row_num = row;
			x->row_numbered = 1;
		} else {
			x->row_num = x->prev_row + 1;
			x->row_numbered = 0;
		}
		return;
	}
	if (!x->in_cell) {
		if (strcmp(local, "c") != 0)
			return;
		x->in_cell = 1;
		x->in_is = 0;
		strbuf_reset(&x->cell_v);
		strbuf_reset(&x->cell_is);
		ref = plain_attr(attrs, "r");
		if (ref) {
			if (parse_ref(ref, &col, &row) != 0) {
				xml_abort(x, "bad_cell_ref", "cell '%s' %s", ref, ref_problem(ref));
				return;
			}
			/* a row written without its number takes it from its cells */
			if (!x->row_numbered && !x->row_cells_seen && row > 0)
				x->row_num = row;
		} else {
			col = x->prev_col + 1;
			if (col >= MAX_COLUMNS) {
				xml_abort(x, "bad_cell_ref",
					  "row %ld has more than %d cells (beyond column XFD)", x->row_num,
					  MAX_COLUMNS);
				return;
			}
		}
		x->row_cells_seen = 1;
		x->cell_col = col;
		x->prev_col = col;
		type = plain_attr(attrs, "t");
		if (!type || strcmp(type, "n") == 0)
			x->cell_type = CELL_NUMBER;
		else if (strcmp(type, "s") == 0)
			x->cell_type = CELL_SHARED;
		else if (strcmp(type, "inlineStr") == 0)
			x->cell_type = CELL_INLINE;
		else if (strcmp(type, "str") == 0)
			x->cell_type = CELL_FORMULA_STR;
		else if (strcmp(type, "b") == 0)
			x->cell_type = CELL_BOOL;
		else
			x->cell_type = CELL_OTHER; /* "e" errors, "d" ISO dates: the text as written */
		return;
	}
	if (strcmp(local, "v") == 0) {
		x->collect = &x->cell_v;
		x->collect_base = 0;
	} else if (strcmp(local, "is") == 0) {
		x->in_is = 1;
		x->in_rph = 0;
	} else if (x->in_is && strcmp(local, "rPh") == 0) {
		x->in_rph = 1;
	} else if (x->in_is && !x->in_rph && strcmp(local, "t") == 0) {
		x->collect = &x->cell_is;
		x->collect_base = 0;
	}
}

/* The text of the cell just ended, into the row being assembled. */
static void cell_finish(struct xlsxin *x)
{
	const char *text = strbuf_str(&x->cell_v);
	size_t len = x->cell_v.len;
	struct cellpos *p;

	switch (x->cell_type) {
	case CELL_SHARED: {
		char *end;
		unsigned long idx;

		if (len == 0)
			break;
		errno = 0;
		idx = strtoul(text, &end, 10);
		if (errno || end == text || *end || text[0] == '-' || idx >= x->nsst) {
			char name[4];

			column_name(x->cell_col, name);
			xml_abort(x, "bad_shared_string",
				  "cell %s%ld refers to shared string '%s', but %s has %zu", name,
				  x->row_num, text, x->sst_part ? x->sst_part : "the workbook", x->nsst);
			return;
		}
		text = x->sst_text.buf + x->sst_off[idx];
		len = strlen(text);
		break;
	}
	case CELL_INLINE:
		if (x->cell_is.len > 0) { /* else a <v>, as some writers put there */
			len = decode_xstring(x->cell_is.buf, x->cell_is.len);
			text = x->cell_is.buf;
		}
		break;
	case CELL_FORMULA_STR:
		len = decode_xstring(x->cell_v.buf, len);
		break;
	case CELL_BOOL:
		if (strcmp(text, "1") == 0)
			text = "TRUE", len = 4;
		else if (strcmp(text, "0") == 0)
			text = "FALSE", len = 5;
		break;
	case CELL_NUMBER:
	case CELL_OTHER:
		break;
	}
	if (len == 0)
		return;
	x->pos = xgrow(x->pos, &x->pos_cap, x->npos + 1, sizeof *x->pos);
	p = &x->pos[x->npos++];
	p->col = x->cell_col;
	p->off = x->rowtext.len;
	p->len = len;
	strbuf_add(&x->rowtext, text, len);
	strbuf_addch(&x->rowtext, '\0');
	if (x->cell_col > x->last_col)
		x->last_col = x->cell_col;
}

/* The row just ended, as one allocation, onto the queue. */
static void row_finish(struct xlsxin *x)
{
	struct xlsxin_row *row;
	size_t ncells, head;
	char *text, *empties;

	x->prev_row = x->row_num;
	if (x->npos == 0)
		return; /* formatting only */
	ncells = (size_t)x->last_col + 1;
	head = sizeof *row + ncells * sizeof(char *);
	row = xalloc(head + ncells + x->rowtext.len);
	row->row = x->row_num;
	row->ncells = (int)ncells;
	row->cells = (char **)(row + 1);
	empties = (char *)row + head;
	text = empties + ncells;
	memcpy(text, x->rowtext.buf, x->rowtext.len);
	for (size_t i = 0; i < ncells; i++) {
		empties[i] = '\0';
		row->cells[i] = &empties[i];
	}
	for (size_t i = 0; i < x->npos; i++) /* a later cell in the same column wins */
		row->cells[x->pos[i].col] = text + x->pos[i].off;
	x->queue = xgrow(x->queue, &x->qcap, x->qlen + 1, sizeof *x->queue);
	x->queue[x->qlen++] = row;
	/* hand this row out before parsing further: memory stays one row */
	XML_StopParser(x->parser, XML_TRUE);
}

static void XMLCALL on_sheet_end(void *data, const XML_Char *name)
{
	struct xlsxin *x = data;
	const char *local = sml_name(name);

	if (!local || !x->in_sheetdata || x->aborted)
		return;
	if (x->in_cell) {
		if (strcmp(local, "c") == 0) {
			x->in_cell = 0;
			x->collect = NULL;
			cell_finish(x);
		} else if (strcmp(local, "v") == 0 || strcmp(local, "t") == 0) {
			x->collect = NULL;
		} else if (strcmp(local, "rPh") == 0) {
			x->in_rph = 0;
		} else if (strcmp(local, "is") == 0) {
			x->in_is = 0;
		}
		return;
	}
	if (x->in_row) {
		if (strcmp(local, "row") == 0) {
			x->in_row = 0;
			row_finish(x);
		}
		return;
	}
	if (strcmp(local, "sheetData") == 0)
		x->in_sheetdata = 0;
}

/* The sheet is damaged: say so now and on every later call. */
static int sheet_fail(struct xlsxin *x, struct bangfu_err *err)
{
	if (x->entry_open) {
		x->entry_open = 0;
		unzCloseCurrentFile(x->zip);
	}
	parser_end(x);
	x->sheet_err = *err;
	x->state = SHEET_FAILED;
	return -1;
}

int xlsxin_sheet_begin(struct xlsxin *x, int i, struct bangfu_err *err)
{
	struct bangfu_err local;
	struct sheet *sh;

	if (!err)
		err = &local;
	if (i < 0 || i >= x->nsheets)
		return bangfu_fail(err, ERR_INTERNAL, x->path, 0, 0, "no_sheet",
				   "no sheet %d (the workbook has %d)", i, x->nsheets);
	sheet_end(x);
	if (load_shared_strings(x, err) != 0)
		return sheet_fail(x, err);
	sh = &x->sheets[i];
	snprintf(x->label, sizeof x->label, gettext("sheet '%s', "), sh->name);
	if (entry_open(x, sh->part, SHEET_MAX_BYTES, "worksheet", err) != 0)
		return sheet_fail(x, err);
	parser_start(x, on_sheet_start, on_sheet_end);
	x->state = SHEET_READING;
	x->suspended = x->final_fed = 0;
	x->in_sheetdata = x->in_row = x->in_cell = x->in_is = x->in_rph = 0;
	x->prev_row = 0;
	row_reset(x);
	return 0;
}

/* Parse until a row is queued or the sheet ends: 0, or -1 with err filled. */
static int sheet_advance(struct xlsxin *x, struct bangfu_err *err)
{
	enum XML_Status status;

	if (x->suspended) {
		x->suspended = 0;
		status = XML_ResumeParser(x->parser);
	} else {
		void *buf = XML_GetBuffer(x->parser, CHUNK_BYTES);
		int n;

		if (!buf)
			return xml_fail(x, err);
		n = entry_read(x, buf, CHUNK_BYTES, err);
		if (n < 0)
			return -1;
		x->final_fed = n == 0;
		status = XML_ParseBuffer(x->parser, n, x->final_fed);
	}
	if (status == XML_STATUS_ERROR)
		return xml_fail(x, err);
	if (status == XML_STATUS_SUSPENDED) {
		x->suspended = 1;
		return 0;
	}
	if (x->final_fed) {
		if (entry_close(x, err) != 0)
			return -1;
		parser_end(x);
		x->state = SHEET_DONE;
	}
	return 0;
}

int xlsxin_next_row(struct xlsxin *x, struct xlsxin_row **row, struct bangfu_err *err)
{
	struct bangfu_err local;

	if (!err)
		err = &local;
	free(x->current);
	x->current = NULL;
	for (;;) {
		if (x->qhead < x->qlen) {
			x->current = x->queue[x->qhead++];
			if (x->qhead == x->qlen)
				x->qhead = x->qlen = 0;
			*row = x->current;
			return 1;
		}
		switch (x->state) {
		case SHEET_NONE:
			return bangfu_fail(err, ERR_INTERNAL, x->path, 0, 0, "no_sheet",
					   "xlsxin_next_row before xlsxin_sheet_begin");
		case SHEET_FAILED:
			*err = x->sheet_err;
			return -1;
		case SHEET_DONE:
			return 0;
		case SHEET_READING:
			if (sheet_advance(x, err) != 0)
				return sheet_fail(x, err);
			break;
		}
	}
}

/* ---- the workbook ---- */

struct xlsxin *xlsxin_open(const char *path, struct bangfu_err *err)
{
	struct xlsxin *x = xalloc(sizeof *x);

	memset(x, 0, sizeof *x);
	x->path = xstrdup(path);
	strbuf_init(&x->sst_text);
	strbuf_init(&x->cell_v);
	strbuf_init(&x->cell_is);
	strbuf_init(&x->rowtext);
	if (check_magic(x, err) != 0)
		goto fail;
	x->zip = unzOpen64(path);
	if (!x->zip) {
		fail_not_xlsx(x, err, "not a zip archive");
		goto fail;
	}
	if (read_workbook(x, err) != 0)
		goto fail;
	return x;
fail:
	xlsxin_close(x);
	return NULL;
}

void xlsxin_close(struct xlsxin *x)
{
	if (!x)
		return;
	sheet_end(x);
	if (x->zip)
		unzClose(x->zip);
	for (int i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
		free(x->sheets[i].part);
	}
	free(x->sheets);
	rels_clear(x);
	free(x->rels);
	free(x->sst_part);
	free(x->sst_off);
	strbuf_free(&x->sst_text);
	strbuf_free(&x->cell_v);
	strbuf_free(&x->cell_is);
	strbuf_free(&x->rowtext);
	free(x->pos);
	free(x->queue);
	free(x->path);
	free(x);
}

int xlsxin_sheet_count(const struct xlsxin *x)
{
	return x->nsheets;
}

const char *xlsxin_sheet_name(const struct xlsxin *x, int i)
{
	return i >= 0 && i < x->nsheets ? x->sheets[i].name : NULL;
}

int xlsxin_is_zip(const char *path)
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

int xlsxin_trimmed_cells(const struct xlsxin_row *row, char **out, int max)
{
	int n = row->ncells < max ? row->ncells : max;

	for (int c = 0; c < n; c++) {
		char *s = row->cells[c];
		size_t len = strlen(s);

		while (*s == ' ' || *s == '\t')
			s++, len--;
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
			s[--len] = '\0';
		out[c] = s;
	}
	return n;
}

int xlsxin_column_between(const int *at, int n, int p, int max, const int *taken, int ntaken)
{
	int left = -1, right = -1, c;

	for (int q = p - 1; q >= 0 && left < 0; q--)
		if (at[q] >= 0)
			left = q;
	for (int q = p + 1; q < n && right < 0; q++)
		if (at[q] >= 0)
			right = q;
	if (left < 0 && right < 0)
		return -1;
	if (left >= 0 && right >= 0 && at[right] - at[left] != right - left)
		return -1; /* columns inserted or deleted in between */
	c = left >= 0 ? at[left] + (p - left) : at[right] - (right - p);
	if (c < 0 || c >= max)
		return -1;
	for (int g = 0; g < ntaken; g++)
		if (taken[g] == c)
			return -1;
	return c;
}
