/* verify — see verify.h.
 *
 * The period's sample is held in memory sorted by 抽查编号, each item with its
 * earlier answer (a few thousand items, a hundred thousand for a province).
 * The files are read row by row against it; an item takes at most one new
 * answer, rejects are kept up to VERIFY_REJECTS_KEPT and a file is read no
 * further than its sample could fill, so memory is bounded by the sample
 * whatever a file holds.  All of it runs in one write transaction taken
 * first: a second verify of the database waits, then sees the first one's
 * answers. */
#include "verify.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
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
#include "labels.h"
#include "load.h"
#include "outputs.h"
#include "reconcile.h"
#include "sample.h"
#include "strbuf.h"
#include "tmpl.h"
#include "xlsx.h"
#include "xlsxin.h"
#include "bangfu.h"
#include "cli.h"
#include "findings.h"

enum { F_CODE, F_NAME, F_ID, F_RESULT, F_METHOD, F_STATUS, F_PLACE, F_EMPLOYER, F_CHECKER, F_DATE, NF };
static const char *const FIELD_NAMES[NF] = {"sample_code", "name", "id_number", "result", "method",
					    "corrected_status", "corrected_place", "corrected_employer",
					    "checker", "check_date"};
static const char *const FIELD_LABELS[NF] = {"抽查编号", "姓名", "证件号码", "核查结果", "核查方式",
					     "更正后就业状态", "更正后就业地点", "更正后就业单位", "核查人",
					     "核查日期"};

/* Rows with content a file may hold beyond one per sampled person: titles,
 * headers, the 填表说明 sheet, notes. */
#define ROWS_SLACK 1000
#define MAX_CELLS 256
#define MAX_LAYOUT 64

static const char *const RESULT_LABELS[] = {"准确", "不准确", "无法联系", NULL};
static const char *const RESULT_CODES[] = {"accurate", "inaccurate", "unreachable"};
static const char *const METHOD_LABELS[] = {"电话回访", "现场核查", "交叉检查", NULL};
static const char *const STATUS_LABELS[] = {"已就业", "未就业", "失业", NULL};

struct answer {
	int file; /* index of run.files */
	char *sheet;
	long row;
	char *v[NF]; /* the outcome columns (F_METHOD .. F_CHECKER); NULL for the others */
	char date[11];
	const char *result_code;
};

struct item {
	char *code, *id, *place, *county_key; /* place: 县市区乡镇; county_key: 市州县市区 */
	char name_key[2][128];                 /* the platform's and the roster's name */
	char *earlier_file, *earlier_counties; /* the earlier answer's file; NULL when none */
	long earlier_row;
	int town;
	int seen_file; /* the last file with a row for it, -1 */
	struct answer *answer;
};

struct town {
	int first, n; /* its items */
	int touched_file;
	char sheet_name[160]; /* the sheet bangfu-sample wrote for it */
};

struct file {
	char *path, *name, *sha;
	int skip; /* the same bytes were loaded before */
	long rows_read, content_rows;
	char *counties;
	struct strbuf claimed; /* names of sheets claiming a township with no row of it, '\n'-separated */
};

/* Where a row comes from: the file, the sheet (NULL for CSV), the column of each field. */
struct source {
	int file;
	const char *sheet;
	int col_of[NF];
};

struct run {
	sqlite3 *db;
	const struct verify_options *opt;
	struct verify_summary *sum;
	const struct tmpl_columns *cols;
	int field_index[NF];
	struct item *items;
	long nitems;
	struct town *towns;
	int ntowns;
	struct file *files;
	int nfiles;
	char drawn[11], today[11];
	long row_limit;
	const char *layout[MAX_LAYOUT];
	int nlayout;
};

void verify_summary_free(struct verify_summary *sum)
{
	free(sum->rejects);
	free(sum->gaps);
	free(sum->kept);
	sum->rejects = NULL;
	sum->gaps = NULL;
	sum->kept = NULL;
	sum->nrejects = sum->nkept_rejects = sum->ngaps = sum->nkept = 0;
}

void verify_column_letters(int col, char out[8])
{
	char rev[8];
	int n = 0;

	for (; col > 0 && n < 7; col = (col - 1) / 26)
		rev[n++] = (char)('A' + (col - 1) % 26);
	for (int i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
}

/* A rejected row: the place (file, sheet, row, and column when there is
 * one) and what is allowed; never the cell's content. */
static void reject(struct run *r, int file, const char *sheet, long row, int field_col, const char *label,
		   const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void reject(struct run *r, int file, const char *sheet, long row, int field_col, const char *label,
		   const char *fmt, ...)
{
	struct verify_summary *s = r->sum;
	struct verify_reject *x;
	va_list ap;

	s->nrejects++;
	if (s->nkept_rejects >= VERIFY_REJECTS_KEPT)
		return;
	if (!s->rejects)
		s->rejects = xcalloc(VERIFY_REJECTS_KEPT, sizeof *s->rejects);
	x = &s->rejects[s->nkept_rejects++];
	snprintf(x->file, sizeof x->file, "%s", r->files[file].name);
	snprintf(x->sheet, sizeof x->sheet, "%s", sheet ? sheet : "");
	x->row = row;
	x->col = label ? field_col : 0;
	snprintf(x->label, sizeof x->label, "%s", label ? label : "");
	va_start(ap, fmt);
	vsnprintf(x->reason, sizeof x->reason, fmt, ap);
	va_end(ap);
}

/* A reject about a field of a row: its column, or the row when the file has no such column. */
static void reject_field(struct run *r, const struct source *src, long row, int f, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void reject_field(struct run *r, const struct source *src, long row, int f, const char *fmt, ...)
{
	char reason[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (src->col_of[f] >= 0)
		reject(r, src->file, src->sheet, row, src->col_of[f] + 1, FIELD_LABELS[f], "%s", reason);
	else
		reject(r, src->file, src->sheet, row, 0, NULL, "%s %s", FIELD_LABELS[f], reason);
}

static int in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

static int cmp_item_code(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct item *)elem)->code);
}

static struct item *find_item(struct run *r, const char *code)
{
	if (!code[0] || r->nitems == 0)
		return NULL;
	return bsearch(code, r->items, (size_t)r->nitems, sizeof *r->items, cmp_item_code);
}

/* ---- the sample ---- */

static const char SQL_ITEMS[] =
	"SELECT s.sample_code, s.id_number, coalesce(s.city, ''), coalesce(s.county, ''), coalesce(s.township, ''),"
	" p.name, (SELECT h.name FROM hr_row h WHERE h.rowid ="
	"   (SELECT min(rowid) FROM hr_row WHERE period = s.period AND id_number = s.id_number)),"
	" c.file_name, coalesce(c.file_counties, ''), c.row"
	" FROM sample s JOIN person p ON p.period = s.period AND p.person_key = s.id_number"
	" LEFT JOIN check_result c ON c.period = s.period AND c.sample_code = s.sample_code"
	" WHERE s.period = ? ORDER BY s.sample_code";

static int load_sample(struct run *r, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	long cap = 0;
	int step, tcap = 0;
	char last_town[512] = "";

	if (db_prepare(r->db, SQL_ITEMS, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, r->opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *city = (const char *)sqlite3_column_text(st, 2);
		const char *county = (const char *)sqlite3_column_text(st, 3);
		const char *township = (const char *)sqlite3_column_text(st, 4);
		struct item *it;
		char town_key[512], buf[512];

		if (r->nitems == cap) {
			cap = cap ? cap * 2 : 1024;
			r->items = realloc(r->items, (size_t)cap * sizeof *r->items);
			if (!r->items)
				abort();
		}
		it = &r->items[r->nitems++];
		memset(it, 0, sizeof *it);
		it->code = xstrdup((const char *)sqlite3_column_text(st, 0));
		it->id = xstrdup((const char *)sqlite3_column_text(st, 1));
		snprintf(buf, sizeof buf, "%s%s", county, township);
		it->place = xstrdup(buf);
		snprintf(buf, sizeof buf, "%s%s", city, county);
		it->county_key = xstrdup(buf);
		for (int k = 0; k < 2; k++) {
			const char *name = (const char *)sqlite3_column_text(st, 5 + k);

			compare_name_key(name ? name : "", it->name_key[k], sizeof it->name_key[k]);
		}
		if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
			it->earlier_file = xstrdup((const char *)sqlite3_column_text(st, 7));
			it->earlier_counties = xstrdup((const char *)sqlite3_column_text(st, 8));
			it->earlier_row = (long)sqlite3_column_int64(st, 9);
		}
		it->seen_file = -1;
		snprintf(town_key, sizeof town_key, "%s\x1f%s\x1f%s", city, county, township);
		if (r->ntowns == 0 || strcmp(town_key, last_town) != 0) {
			struct town *t;

			if (r->ntowns == tcap) {
				tcap = tcap ? tcap * 2 : 64;
				r->towns = realloc(r->towns, (size_t)tcap * sizeof *r->towns);
				if (!r->towns)
					abort();
			}
			t = &r->towns[r->ntowns++];
			memset(t, 0, sizeof *t);
			t->first = (int)(r->nitems - 1);
			t->touched_file = -1;
			sample_sheet_name(township, t->sheet_name, sizeof t->sheet_name);
			snprintf(last_town, sizeof last_town, "%s", town_key);
		}
		it->town = r->ntowns - 1;
		r->towns[it->town].n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(r->db, err, "reading the sample");
	r->row_limit = r->nitems + ROWS_SLACK;
	return 0;
}

/* The township a sheet's name claims, or -1; -2 when several (a name used in
 * two counties). */
static int sheet_claims(struct run *r, const char *sheet)
{
	char name[160];
	size_t len;
	int found = -1;

	snprintf(name, sizeof name, "%s", sheet);
	len = strlen(name);
	/* "城关镇(2)": the second sheet of that name */
	if (len > 3 && name[len - 1] == ')') {
		char *open = strrchr(name, '(');

		if (open && open[1] >= '0' && open[1] <= '9')
			*open = '\0';
	}
	for (int t = 0; t < r->ntowns; t++)
		if (strcmp(r->towns[t].sheet_name, name) == 0)
			found = found == -1 ? t : -2;
	return found;
}

/* ---- one returned row ---- */

static void take_row(struct run *r, const struct source *src, long rownum, const char *const v[NF])
{
	struct file *f = &r->files[src->file];
	struct answer *a;
	struct item *it;
	int outcome = 0;
	char date[11];

	r->sum->rows_read++;
	f->rows_read++;
	for (int i = F_RESULT; i < NF; i++)
		if (v[i][0])
			outcome = 1;
	if (!v[F_CODE][0] && !outcome && !v[F_NAME][0]) {
		r->sum->blank_rows++;
		return;
	}
	if (!v[F_CODE][0]) {
		reject_field(r, src, rownum, F_CODE, "is empty: the row cannot be matched to a sampled person");
		return;
	}
	it = find_item(r, v[F_CODE]);
	if (!it) {
		reject_field(r, src, rownum, F_CODE, "is not in the %s sample: keep the code printed on the sheet",
			     r->opt->period);
		return;
	}
	it->seen_file = src->file;
	r->towns[it->town].touched_file = src->file;
	{
		char key[256];

		/* The name, compared as reconciliation does, guards against rows
		 * shuffled or copied between sheets; the sheet shows the platform's
		 * name, and the roster's is as good. */
		compare_name_key(v[F_NAME], key, sizeof key);
		if (key[0] && strcmp(key, it->name_key[0]) != 0 && strcmp(key, it->name_key[1]) != 0) {
			/* no names in messages: the code says who it is */
			reject_field(r, src, rownum, F_NAME, "is not the name of the sampled person %s", it->code);
			return;
		}
	}
	if (v[F_ID][0] && strchr(v[F_ID], '*') == NULL) {
		struct idno id;

		idno_parse(v[F_ID], 0, &id);
		if (id.status == IDNO_OK && strcmp(id.id, it->id) != 0) {
			reject_field(r, src, rownum, F_ID, "does not belong to the sampled person %s", it->code);
			return;
		}
	}
	if (!v[F_RESULT][0]) {
		if (outcome) {
			reject_field(r, src, rownum, F_RESULT,
				     "is empty but other answer columns are filled: choose 准确, 不准确 or 无法联系");
			return;
		}
		r->sum->blank_rows++;
		return;
	}
	if (!in_list(v[F_RESULT], RESULT_LABELS)) {
		reject_field(r, src, rownum, F_RESULT, "must be one of 准确, 不准确, 无法联系");
		return;
	}
	if (v[F_METHOD][0] && !in_list(v[F_METHOD], METHOD_LABELS)) {
		reject_field(r, src, rownum, F_METHOD, "must be one of 电话回访, 现场核查, 交叉检查, or empty");
		return;
	}
	if (v[F_STATUS][0] && !in_list(v[F_STATUS], STATUS_LABELS)) {
		reject_field(r, src, rownum, F_STATUS, "must be one of 已就业, 未就业, 失业, or empty");
		return;
	}
	if (!v[F_DATE][0]) {
		reject_field(r, src, rownum, F_DATE, "is missing: a checked row needs the day of the check (%s to %s)",
			     r->drawn, r->today);
		return;
	}
	if (datefmt_parse(v[F_DATE], date) != DATEFMT_DAY) {
		reject_field(r, src, rownum, F_DATE, "is not a date: allowed: a day from %s to %s, e.g. %s", r->drawn,
			     r->today, r->today);
		return;
	}
	if (strcmp(date, r->drawn) < 0) {
		reject_field(r, src, rownum, F_DATE, "is before the sample was drawn; allowed: %s to %s", r->drawn,
			     r->today);
		return;
	}
	if (strcmp(date, r->today) > 0) {
		reject_field(r, src, rownum, F_DATE, "is after today; allowed: %s to %s", r->drawn, r->today);
		return;
	}
	if (it->answer) {
		const struct answer *o = it->answer;

		reject(r, src->file, src->sheet, rownum, 0, NULL, "two answers for %s: also %s%s%s row %ld", it->code,
		       r->files[o->file].name, o->sheet[0] ? " sheet " : "", o->sheet, o->row);
		return;
	}
	a = xcalloc(1, sizeof *a);
	a->file = src->file;
	a->sheet = xstrdup(src->sheet);
	a->row = rownum;
	for (int i = F_METHOD; i <= F_CHECKER; i++)
		a->v[i] = xstrdup(v[i]);
	memcpy(a->date, date, sizeof a->date);
	for (int i = 0; RESULT_LABELS[i]; i++)
		if (strcmp(v[F_RESULT], RESULT_LABELS[i]) == 0)
			a->result_code = RESULT_CODES[i];
	it->answer = a;
}

static void fields_of(int ncells, char **cells, const int col_of[NF], const char *v[NF])
{
	for (int f = 0; f < NF; f++)
		v[f] = col_of[f] >= 0 && col_of[f] < ncells ? cells[col_of[f]] : "";
}

/* A file read further than its sample could fill: stop. */
static int over_limit(struct run *r, int k, const char *sheet, long row)
{
	struct file *f = &r->files[k];

	if (++f->content_rows <= r->row_limit)
		return 0;
	/* kept apart from the rejects, which may be full by now */
	if (!r->sum->stopped) {
		struct verify_reject *x = &r->sum->stop;

		r->sum->stopped = 1;
		snprintf(x->file, sizeof x->file, "%s", f->name);
		snprintf(x->sheet, sizeof x->sheet, "%s", sheet ? sheet : "");
		x->row = row;
		snprintf(x->reason, sizeof x->reason,
			 "stopped reading: the file has more rows than the %ld persons of the %s sample and the rows "
			 "around them; is this a check sheet of the period?",
			 r->nitems, r->opt->period);
	}
	return 1;
}

/* ---- workbooks ---- */

/* The field a header cell names: an alias of templates/columns.csv, also
 * with a note in brackets after it (核查结果（必填）, 核查日期(年-月-日)). */
static int match_field(struct run *r, const char *cell)
{
	char name[512];
	size_t len;
	int t = csvin_match_header(r->cols, cell);
	char *open;

	if (t >= 0)
		return t;
	snprintf(name, sizeof name, "%s", cell);
	len = strlen(name);
	if (len > 3 && strcmp(name + len - 3, "）") == 0)
		open = strstr(name, "（");
	else if (len > 1 && name[len - 1] == ')')
		open = strchr(name, '(');
	else
		return -1;
	if (!open || open == name)
		return -1;
	*open = '\0';
	return csvin_match_header(r->cols, name);
}

static int field_of_template(struct run *r, int t)
{
	for (int f = 0; f < NF; f++)
		if (t >= 0 && t == r->field_index[f])
			return f;
	return -1;
}

/* Whether a row is the header: 抽查编号 and 核查结果 found by name, or
 *核查结果 (and any other field) found where the sheet was sent with it —
 * between the neighbours that kept their names, at the same distance.
 * col_of is filled either way; 1 when it is the header. */
static int find_header(struct run *r, int n, char **cells, int col_of[NF])
{
	int at[MAX_LAYOUT], matched = 0;
	char key[512], lkey[512];

	for (int f = 0; f < NF; f++)
		col_of[f] = -1;
	for (int c = 0; c < n; c++) {
		int f = field_of_template(r, match_field(r, cells[c]));

		if (f >= 0 && col_of[f] < 0)
			col_of[f] = c;
	}
	if (col_of[F_CODE] < 0)
		return 0;
	for (int p = 0; p < r->nlayout; p++) {
		at[p] = -1;
		csvin_header_key(r->layout[p], lkey, sizeof lkey);
		for (int c = 0; c < n && at[p] < 0; c++) {
			csvin_header_key(cells[c], key, sizeof key);
			if (strcmp(key, lkey) == 0) {
				at[p] = c;
				matched++;
			}
		}
	}
	if (matched >= 4) {
		for (int p = 0; p < r->nlayout; p++) {
			int f = field_of_template(r, csvin_match_header(r->cols, r->layout[p])), left = -1, right = -1, c;

			if (f < 0 || col_of[f] >= 0 || at[p] >= 0)
				continue;
			for (int q = p - 1; q >= 0 && left < 0; q--)
				if (at[q] >= 0)
					left = q;
			for (int q = p + 1; q < r->nlayout && right < 0; q++)
				if (at[q] >= 0)
					right = q;
			if (left >= 0 && right >= 0 && at[right] - at[left] != right - left)
				continue; /* columns inserted or deleted in between */
			if (left < 0 && right < 0)
				continue;
			c = left >= 0 ? at[left] + (p - left) : at[right] - (right - p);
			if (c < 0 || c >= MAX_CELLS)
				continue;
			for (int g = 0; g < NF; g++)
				if (col_of[g] == c)
					c = -1;
			if (c >= 0)
				col_of[f] = c;
		}
	}
	return col_of[F_RESULT] >= 0;
}

static int row_names_an_item(struct run *r, int n, char **cells)
{
	for (int c = 0; c < n; c++)
		if (find_item(r, cells[c]))
			return 1;
	return 0;
}

/* Cells as csvin would give them: trimmed of spaces. */
static int trim_cells(const struct xlsxin_row *row, char **out)
{
	int n = row->ncells < MAX_CELLS ? row->ncells : MAX_CELLS;

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

/* A township sheet (by its name or its 抽查编号) that cannot be read is an
 * error; other sheets (填表说明, a clerk's own notes) are passed over. */
static int read_xlsx(struct run *r, int k, struct bangfu_err *err)
{
	struct file *f = &r->files[k];
	struct xlsxin *x = xlsxin_open(f->path, err);
	int sheets_used = 0, stopped = 0;
	long rejects_before = r->sum->nrejects;

	if (!x)
		return -1;
	for (int i = 0; i < xlsxin_sheet_count(x) && !stopped; i++) {
		const char *sheet = xlsxin_sheet_name(x, i);
		struct xlsxin_row *row;
		struct source src = {.file = k, .sheet = sheet};
		long named_header_row = 0, item_rows = 0;
		int have_header = 0, failed = 0, claim = sheet_claims(r, sheet), rc;

		if (xlsxin_sheet_begin(x, i, err) != 0) {
			xlsxin_close(x);
			return -1;
		}
		while ((rc = xlsxin_next_row(x, &row, err)) == 1) {
			char *cells[MAX_CELLS];
			const char *v[NF];
			int n = trim_cells(row, cells);

			if (over_limit(r, k, sheet, row->row)) {
				stopped = 1;
				break;
			}
			if (failed)
				continue;
			if (!have_header) {
				int col_of[NF];

				if (find_header(r, n, cells, col_of)) {
					have_header = 1;
					memcpy(src.col_of, col_of, sizeof col_of);
				} else if (col_of[F_CODE] >= 0 && !named_header_row) {
					named_header_row = row->row;
				} else if (row_names_an_item(r, n, cells)) {
					if (named_header_row)
						reject(r, k, sheet, named_header_row, 0, NULL,
						       "the header row has 抽查编号 but no column 核查结果 (no name of "
						       "templates/columns.csv, and none where the sheet was sent with it): "
						       "restore the header the sheet was sent with");
					else
						reject(r, k, sheet, row->row, 0, NULL,
						       "holds 抽查编号 of the %s sample but no header row above it names the "
						       "columns 抽查编号 and 核查结果: restore the header the sheet was sent with",
						       r->opt->period);
					failed = 1;
				}
				continue;
			}
			fields_of(n, cells, src.col_of, v);
			if (v[F_CODE][0])
				item_rows++;
			take_row(r, &src, row->row, v);
		}
		if (rc < 0) {
			xlsxin_close(x);
			return -1;
		}
		if (!have_header && !failed && !stopped && claim != -1)
			reject(r, k, sheet, named_header_row, 0, NULL,
			       "is a township sheet of the %s sample but has no header row naming 抽查编号 and 核查结果: "
			       "restore the header the sheet was sent with",
			       r->opt->period);
		if (have_header && item_rows == 0 && claim != -1) {
			/* every row deleted: the township is known by the sheet's name */
			strbuf_addstr(&f->claimed, sheet);
			strbuf_addch(&f->claimed, '\n');
		}
		sheets_used += have_header;
	}
	xlsxin_close(x);
	if (!sheets_used && r->sum->nrejects == rejects_before)
		reject(r, k, NULL, 0, 0, NULL, "no sheet has the columns 抽查编号 and 核查结果: is this a check sheet?");
	return 0;
}

static int read_csv(struct run *r, int k, struct bangfu_err *err)
{
	struct file *f = &r->files[k];
	struct csvin_options copt = {.columns = r->cols, .display_name = f->name};
	struct csvin *in = csvin_open(f->path, &copt, err);
	struct csvin_row *row;
	struct source src = {.file = k, .sheet = NULL};
	int rc;

	if (!in)
		return -1;
	for (int i = 0; i < NF; i++)
		src.col_of[i] = csvin_field_column(in, r->field_index[i]);
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *v[NF];

		if (over_limit(r, k, NULL, row->line))
			break;
		if (row->rejected) {
			reject(r, k, NULL, row->line, 0, NULL, "%s", row->reject_message);
			continue;
		}
		fields_of(row->nfields, row->fields, src.col_of, v);
		take_row(r, &src, row->line, v);
	}
	csvin_close(in);
	return rc < 0 ? -1 : 0;
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

/* ---- after a file ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_gap(struct run *r, int k, const struct town *t)
{
	struct verify_summary *s = r->sum;
	struct verify_gap *g;
	struct strbuf codes;
	long missing = 0;

	strbuf_init(&codes);
	for (int i = t->first; i < t->first + t->n; i++)
		if (r->items[i].seen_file != k) {
			if (missing < 8)
				strbuf_addf(&codes, "%s%s", missing ? ", " : "", r->items[i].code);
			else if (missing == 8)
				strbuf_addstr(&codes, ", …");
			missing++;
		}
	if (missing > 0) {
		s->gaps = realloc(s->gaps, (size_t)(s->ngaps + 1) * sizeof *s->gaps);
		if (!s->gaps)
			abort();
		g = &s->gaps[s->ngaps++];
		snprintf(g->file, sizeof g->file, "%s", r->files[k].name);
		snprintf(g->place, sizeof g->place, "%s", r->items[t->first].place);
		g->missing = missing;
		g->sampled = t->n;
		snprintf(g->codes, sizeof g->codes, "%s", strbuf_str(&codes));
	}
	strbuf_free(&codes);
}

/* The file's counties (its identity with its name), and the sampled persons
 * of its townships that have no row in it. */
static void finish_file(struct run *r, int k)
{
	struct file *f = &r->files[k];
	char **keys = NULL;
	int nkeys = 0;
	struct strbuf sb;

	/* a sheet whose rows were all deleted: its township, when its name
	 * says which one in the file's counties */
	for (char *line = f->claimed.buf; line && *line;) {
		char *end = strchr(line, '\n');
		int only = -1;

		*end = '\0';
		for (int t = 0; t < r->ntowns; t++) {
			const struct town *tw = &r->towns[t];
			int county_in_file = 0;

			if (strcmp(tw->sheet_name, line) != 0 || tw->touched_file == k)
				continue;
			for (int u = 0; u < r->ntowns; u++)
				if (r->towns[u].touched_file == k &&
				    strcmp(r->items[r->towns[u].first].county_key, r->items[tw->first].county_key) == 0)
					county_in_file = 1;
			if (county_in_file)
				only = only == -1 ? t : -2;
		}
		if (only >= 0)
			r->towns[only].touched_file = k;
		line = end + 1;
	}
	for (int t = 0; t < r->ntowns; t++) {
		if (r->towns[t].touched_file != k)
			continue;
		add_gap(r, k, &r->towns[t]);
		keys = realloc(keys, (size_t)(nkeys + 1) * sizeof *keys);
		if (!keys)
			abort();
		keys[nkeys++] = r->items[r->towns[t].first].county_key;
	}
	if (nkeys > 1)
		qsort(keys, (size_t)nkeys, sizeof *keys, cmp_str);
	strbuf_init(&sb);
	for (int i = 0; i < nkeys; i++)
		if (i == 0 || strcmp(keys[i], keys[i - 1]) != 0)
			strbuf_addf(&sb, "%s%s", sb.len ? "、" : "", keys[i]);
	f->counties = xstrdup(strbuf_str(&sb));
	strbuf_free(&sb);
	free(keys);
}

/* Across files: two copies of one file in a run, answers to persons another
 * file answered before, and earlier answers of a file its new version
 * leaves out (kept). */
static void check_across_files(struct run *r)
{
	for (int j = 0; j < r->nfiles; j++) {
		if (r->files[j].skip)
			continue;
		for (int i = 0; i < j; i++)
			if (!r->files[i].skip && strcmp(r->files[i].name, r->files[j].name) == 0 &&
			    strcmp(r->files[i].counties, r->files[j].counties) == 0)
				reject(r, j, NULL, 0, 0, NULL,
				       "is a second file named %s with rows of the same counties (%s): load one of them",
				       r->files[j].name, r->files[j].counties[0] ? r->files[j].counties : "none");
	}
	for (long i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		const struct answer *a = it->answer;

		if (!a || !it->earlier_file)
			continue;
		/* Loading a file again (its name, its counties) replaces its answers. */
		if (strcmp(it->earlier_file, r->files[a->file].name) == 0 &&
		    strcmp(it->earlier_counties, r->files[a->file].counties) == 0)
			continue;
		reject(r, a->file, a->sheet, a->row, 0, NULL,
		       "%s was already answered in %s row %ld (another file): correct that file and load it again, "
		       "or leave this row empty",
		       it->code, it->earlier_file, it->earlier_row);
	}
	for (int k = 0; k < r->nfiles; k++) {
		long kept = 0;

		if (r->files[k].skip)
			continue;
		for (long i = 0; i < r->nitems; i++) {
			const struct item *it = &r->items[i];

			if (it->earlier_file && strcmp(it->earlier_file, r->files[k].name) == 0 &&
			    strcmp(it->earlier_counties, r->files[k].counties) == 0 &&
			    !(it->answer && it->answer->file == k))
				kept++;
		}
		if (kept > 0) {
			struct verify_summary *s = r->sum;

			s->kept = realloc(s->kept, (size_t)(s->nkept + 1) * sizeof *s->kept);
			if (!s->kept)
				abort();
			snprintf(s->kept[s->nkept].file, sizeof s->kept[s->nkept].file, "%s", r->files[k].name);
			s->kept[s->nkept++].answers = kept;
		}
	}
}

static int write_answers(struct run *r, struct bangfu_err *err)
{
	sqlite3_stmt *ins = NULL, *file = NULL;
	char now[32];
	int rc = -1;

	db_now_iso(now);
	if (db_prepare(r->db, "INSERT OR REPLACE INTO check_result (period, sample_code, result, method,"
			      " corrected_status, corrected_place, corrected_employer, checker, check_date, file_name,"
			      " sheet, row, loaded_at, file_counties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       &ins, err) != 0 ||
	    db_prepare(r->db, "INSERT OR REPLACE INTO check_file (period, file_name, counties, sha256, rows_read,"
			      " answers, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5, (SELECT count(*) FROM check_result"
			      " WHERE period = ?1 AND file_name = ?2 AND file_counties = ?3), ?6)",
		       &file, err) != 0)
		goto out;
	for (long i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		const struct answer *a = it->answer;

		if (!a)
			continue;
		sqlite3_bind_text(ins, 1, r->opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, it->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, a->result_code, -1, SQLITE_STATIC);
		for (int f = F_METHOD; f <= F_CHECKER; f++)
			db_bind_text(ins, 4 + (f - F_METHOD), a->v[f][0] ? a->v[f] : NULL);
		sqlite3_bind_text(ins, 9, a->date, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 10, r->files[a->file].name, -1, SQLITE_STATIC);
		db_bind_text(ins, 11, a->sheet[0] ? a->sheet : NULL);
		sqlite3_bind_int64(ins, 12, a->row);
		sqlite3_bind_text(ins, 13, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 14, r->files[a->file].counties, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			db_fail(r->db, err, "saving an answer");
			goto out;
		}
		sqlite3_reset(ins);
		r->sum->answers++;
	}
	for (int k = 0; k < r->nfiles; k++) {
		const struct file *f = &r->files[k];

		if (f->skip)
			continue;
		sqlite3_bind_text(file, 1, r->opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(file, 2, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(file, 3, f->counties, -1, SQLITE_STATIC);
		sqlite3_bind_text(file, 4, f->sha, -1, SQLITE_STATIC);
		sqlite3_bind_int64(file, 5, f->rows_read);
		sqlite3_bind_text(file, 6, now, -1, SQLITE_STATIC);
		if (sqlite3_step(file) != SQLITE_DONE) {
			db_fail(r->db, err, "recording a file");
			goto out;
		}
		sqlite3_reset(file);
	}
	rc = 0;
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(file);
	return rc;
}

static int file_unchanged(struct run *r, const struct file *f, int *same, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(r->db, "SELECT 1 FROM check_file WHERE period = ? AND file_name = ? AND sha256 = ?", &st,
		       err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, r->opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->sha, -1, SQLITE_STATIC);
	*same = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return 0;
}

static void free_run(struct run *r)
{
	for (long i = 0; i < r->nitems; i++) {
		struct item *it = &r->items[i];

		free(it->code);
		free(it->id);
		free(it->place);
		free(it->county_key);
		free(it->earlier_file);
		free(it->earlier_counties);
		if (it->answer) {
			free(it->answer->sheet);
			for (int f = 0; f < NF; f++)
				free(it->answer->v[f]);
			free(it->answer);
		}
	}
	free(r->items);
	free(r->towns);
	for (int k = 0; k < r->nfiles; k++) {
		free(r->files[k].path);
		free(r->files[k].name);
		free(r->files[k].sha);
		free(r->files[k].counties);
		strbuf_free(&r->files[k].claimed);
	}
	free(r->files);
}

int verify_load(sqlite3 *db, const struct verify_options *opt, char **files, int nfiles,
		struct verify_summary *sum, struct bangfu_err *err)
{
	struct run r = {.db = db, .opt = opt, .sum = sum};
	struct tmpl_columns *cols = NULL;
	int rc = -1, found;
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(r.today, sizeof r.today, "%Y-%m-%d", &tm);
	r.nlayout = sample_sheet_header(r.layout, MAX_LAYOUT);
	if (tmpl_columns_load("check", &cols, err) != 0)
		return -1;
	r.cols = cols;
	for (int f = 0; f < NF; f++)
		r.field_index[f] = tmpl_columns_find(cols, FIELD_NAMES[f]);
	if (r.field_index[F_CODE] < 0 || r.field_index[F_RESULT] < 0) {
		tmpl_columns_free(cols);
		return bangfu_fail(err, ERR_INPUT, "columns.csv", 0, 0, "bad_template",
				   "templates/columns.csv has no check rows for sample_code and result");
	}
	r.files = xcalloc((size_t)nfiles, sizeof *r.files);
	r.nfiles = nfiles;
	for (int k = 0; k < nfiles; k++) {
		char *copy = xstrdup(files[k]);

		r.files[k].path = xstrdup(files[k]);
		r.files[k].name = xstrdup(basename(copy));
		strbuf_init(&r.files[k].claimed);
		free(copy);
	}
	/* The write lock first: what is validated is what gets written. */
	if (db_begin(db, err) != 0)
		goto out;
	found = sample_drawn_date(db, opt->period, r.drawn, err);
	if (found < 0)
		goto rollback;
	if (found == 0) {
		bangfu_fail(err, ERR_INPUT, "", 0, 0, "no_sample",
			    "%s has no sample: run bangfu-sample for the period first", opt->period);
		goto rollback;
	}
	if (load_sample(&r, err) != 0)
		goto rollback;
	for (int k = 0; k < nfiles; k++) {
		struct file *f = &r.files[k];
		char sha[65];
		if (load_sha256_file(f->path, sha, err) != 0)
			goto rollback;
		f->sha = xstrdup(sha);
		sum->files++;
		if (file_unchanged(&r, f, &f->skip, err) != 0)
			goto rollback;
		if (f->skip) {
			sum->files_unchanged++;
			continue;
		}
		if ((is_zip(f->path) ? read_xlsx(&r, k, err) : read_csv(&r, k, err)) != 0)
			goto rollback;
		finish_file(&r, k);
	}
	check_across_files(&r);
	if (sum->nrejects > 0 || sum->stopped) {
		bangfu_fail(err, ERR_INPUT, "", 0, 0, "rejected",
			    "%ld rows rejected%s; nothing was loaded: correct the files and load them again",
			    sum->nrejects, sum->stopped ? " before reading stopped" : "");
		goto rollback;
	}
	if (write_answers(&r, err) != 0 || db_commit(db, err) != 0)
		goto rollback;
	rc = 0;
	goto out;
rollback:
	db_rollback(db);
out:
	free_run(&r);
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
	"SELECT p.name, p.gender, p.village, coalesce(h.phone, r.phone, p.phone), p.id_number, p.id_valid, h.employment_status,"
	" h.employment_type, coalesce(h.work_province, '') || coalesce(h.work_city, '') || coalesce(h.work_county, ''),"
	" coalesce(h.employer, r.employer), p.category,"
	" (SELECT label FROM label WHERE kind = 'category' AND code = p.category)"
	"  || coalesce('；' || (SELECT group_concat(t, '；') FROM (SELECT coalesce(l.label, c.field) || '：' ||"
	"   CASE WHEN c.field = 'phone' AND NOT ?5"
	"    THEN bf_mask_phone(coalesce(c.roster_value, '')) || ' → ' || bf_mask_phone(coalesce(c.hr_value, ''))"
	"    ELSE coalesce(c.roster_value, '') || ' → ' || coalesce(c.hr_value, '') END AS t"
	"   FROM conflict c LEFT JOIN label l ON l.kind = 'field' AND l.code = c.field"
	"   WHERE c.period = p.period AND c.id_number = p.person_key ORDER BY c.rowid)), ''),"
	" (SELECT l.label FROM sample s JOIN check_result k ON k.period = s.period AND k.sample_code = s.sample_code"
	"   JOIN label l ON l.kind = 'check_result' AND l.code = k.result"
	"   WHERE s.period = p.period AND s.id_number = p.person_key)"
	" FROM person p"
	" LEFT JOIN hr_row h ON h.rowid = (SELECT min(rowid) FROM hr_row WHERE period = p.period AND id_number = p.person_key)"
	" LEFT JOIN roster_row r ON r.rowid = (SELECT min(rowid) FROM roster_row WHERE period = p.period AND id_number = p.person_key)"
	" WHERE p.period = ?1 AND coalesce(p.city, '') = ?2 AND coalesce(p.county, '') = ?3 AND coalesce(p.township, '') = ?4"
	" ORDER BY p.village, p.name, p.person_key";

static const char *col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s ? s : "";
}

static int write_list(sqlite3 *db, const struct verify_options *opt, struct outputs *outs, const char *city,
		      const char *county, const char *township, double accuracy, struct bangfu_err *err)
{
	struct xlsx_book book;
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
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, city, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, county, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, township, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, opt->full_id);
	row = first;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 4);
		char masked[128], phone[128];

		xlsx_number(ws, row, RL_NO, row - first + 1, book.count);
		for (int c = RL_NAME; c < RL_PHONE; c++)
			xlsx_text(ws, row, c, (const char *)sqlite3_column_text(st, c - RL_NAME), book.text);
		/* Invalid IDs too: one typo away, they are the real number. */
		if (opt->full_id) {
			snprintf(masked, sizeof masked, "%s", id ? id : "");
			snprintf(phone, sizeof phone, "%s", col_text(st, 3));
		} else {
			idno_mask(id, masked, sizeof masked);
			idno_mask_phone(col_text(st, 3), phone, sizeof phone);
		}
		xlsx_text(ws, row, RL_PHONE, phone, book.text);
		xlsx_text(ws, row, RL_ID, masked, book.text);
		for (int c = RL_STATUS; c <= RL_EMPLOYER; c++)
			xlsx_text(ws, row, c, (const char *)sqlite3_column_text(st, c), book.text);
		xlsx_text(ws, row, RL_CATEGORY, (const char *)sqlite3_column_text(st, 11), book.text_wrap);
		xlsx_text(ws, row, RL_CHECK, (const char *)sqlite3_column_text(st, 12), book.text);
		for (int c = RL_NEW_STATUS; c < RL_NCOLS; c++)
			worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)c, book.input);
		row++;
	}
	sqlite3_finalize(st);
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

/* ---- the command: bangfu-verify ---- */

/* file, sheet, row, column and what is allowed; CSV as file:line:column. */
static void print_reject(const struct verify_reject *x)
{
	char letters[8];

	if (x->sheet[0] && x->col > 0) {
		verify_column_letters(x->col, letters);
		msg_errorf("%s: sheet %s: row %ld: column %s (%s) %s", x->file, x->sheet, x->row, letters, x->label,
			   x->reason);
	} else if (x->sheet[0] && x->row > 0) {
		msg_errorf("%s: sheet %s: row %ld: %s", x->file, x->sheet, x->row, x->reason);
	} else if (x->sheet[0]) {
		msg_errorf("%s: sheet %s: %s", x->file, x->sheet, x->reason);
	} else if (x->col > 0) {
		msg_errorf("%s:%ld:%d: %s %s", x->file, x->row, x->col, x->label, x->reason);
	} else if (x->row > 0) {
		msg_errorf("%s:%ld: %s", x->file, x->row, x->reason);
	} else {
		msg_errorf("%s: %s", x->file, x->reason);
	}
}

int cmd_verify(int argc, char **argv)
{
	const char *db_path = "bangfu.db";
	struct verify_options opt = {0};
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the sampled month"),
		CLI_OPT_STRING("out", &opt.out_dir, "DIR", "write re-verification lists here"),
		CLI_OPT_FLAG("full-id", &opt.full_id,
			     "print whole ID numbers and phones in the lists (default: masked, valid or not)"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-verify", "[FILE...]",
		"Load returned check sheets (xlsx from Excel or LibreOffice, or CSV in UTF-8 or\n"
		"GB18030).  Every row is checked against the period's sample; if any row is\n"
		"rejected, nothing is loaded and the rejects are listed (the first 1000) with\n"
		"file, sheet, row, column and what is allowed.  An answer belongs to its\n"
		"sampled person: a file loaded again (same name, rows of the same counties)\n"
		"replaces the answers it gives again and keeps the others.  Then each checked\n"
		"township gets its accuracy, Wilson interval and verdict (view\n"
		"v_township_check): below 90% it must recalibrate, and with --out its\n"
		"re-verification list (重新校准清单) is written to DIR.",
		NULL, options};
	struct verify_summary sum = {0};
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int first, status = EXIT_OK;

	bangfu_err_clear(&err);
	if ((first = cli_parse(&cmd, argc, argv, &status)) < 0)
		return status;
	if (db_open_existing(db_path, &db, &err) != 0 || reconcile_register_functions(db, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	if (first < argc && verify_load(db, &opt, argv + first, argc - first, &sum, &err) != 0) {
		for (long i = 0; i < sum.nkept_rejects; i++)
			print_reject(&sum.rejects[i]);
		if (sum.nrejects > sum.nkept_rejects)
			msg_errorf("... and %ld more rejected rows (the first %d are listed)",
				   sum.nrejects - sum.nkept_rejects, VERIFY_REJECTS_KEPT);
		if (sum.stopped)
			print_reject(&sum.stop);
		status = msg_fail(&err);
		goto out;
	}
	if (first < argc) {
		msg_info("%ld files (%ld unchanged since loaded): %ld rows read, %ld answers loaded, %ld rows not yet checked",
			 sum.files, sum.files_unchanged, sum.rows_read, sum.answers, sum.blank_rows);
		for (long i = 0; i < sum.ngaps; i++)
			msg_info("%s: %s: %ld of %ld sampled persons have no row (rows deleted from the sheet?): %s",
				 sum.gaps[i].file, sum.gaps[i].place, sum.gaps[i].missing, sum.gaps[i].sampled,
				 sum.gaps[i].codes);
		for (long i = 0; i < sum.nkept; i++)
			msg_info("%s: %ld answers loaded earlier from this file are kept: this version leaves them empty "
				 "or has no row for them",
				 sum.kept[i].file, sum.kept[i].answers);
	}
	if (verify_report(db, &opt, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%ld townships checked: %ld 达标, %ld 需重新校准, %ld 待补充核查 (view v_township_check)",
		 sum.townships_checked, sum.pass, sum.recalibrate, sum.undecided);
	if (sum.lists_written)
		msg_info("wrote %ld re-verification lists to %s", sum.lists_written, opt.out_dir);
	{
		/* townships to recalibrate join the problem list (挂单销号) */
		struct findings_summary ps;

		if (findings_sync_if_stale(db, opt.period, &ps, &err) != 0) {
			status = msg_fail(&err);
		}
	}
out:
	verify_summary_free(&sum);
	db_close(db);
	return status;
}
