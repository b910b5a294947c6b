/* ledger — see ledger.h.
 *
 * A returned work list is checked against the items the period's lists
 * carried, held in memory sorted by 问题编号 (a few thousand items, a
 * hundred thousand for a province), each with the earlier return of the
 * period; a file is read no further than its items could fill and rejects
 * are kept up to LEDGER_REJECTS_KEPT, so memory is bounded by the lists
 * whatever a file holds.  A problem list is read row by row against the
 * places of the data.  Everything runs in one write transaction taken
 * first; a file is written only when none of its rows was rejected. */
#include "ledger.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bangfu.h"
#include "cli.h"
#include "compare.h"
#include "csvin.h"
#include "datefmt.h"
#include "db.h"
#include "findings.h"
#include "idno.h"
#include "labels.h"
#include "load.h"
#include "pack.h"
#include "strbuf.h"
#include "tmpl.h"
#include "xlsxin.h"

const struct ledger_work_column LEDGER_WORK_COLUMNS[LW_N] = {
	{"序号", 6},      {"问题编号", 14}, {"事项", 14},     {"姓名", 10},     {"证件号码", 20},
	{"联系电话", 13}, {"行政村", 12},   {"户编号", 16},   {"情况", 40},     {"请办理", 24},
	{"责任单位", 16}, {"整改时限", 11}, {"挂单天数", 8},  {"状态", 14},     {"责任人", 10},
	{"帮扶责任人", 10}, {"整改情况", 10}, {"整改日期", 11}, {"经办人", 9},  {"整改说明", 24}};

const char *const LEDGER_RETURN_CHOICES[] = {"已整改", "整改中", "无法整改", NULL};
static const char *const RETURN_CODES[] = {"done", "ongoing", "unable"};

/* Rows with content a file may hold beyond one per item: titles, headers,
 * the 填表说明 sheet, notes. */
#define ROWS_SLACK 1000
#define MAX_CELLS 256
#define FIELDS_MAX 16 /* the fields of either kind of file */

/* ---- the fields of the two kinds of file ---- */

enum { RF_CODE, RF_NAME, RF_ID, RF_STATUS, RF_DATE, RF_HANDLER, RF_PERSON, RF_HELPER, RF_NOTE, RF_N };
static const char *const RETURN_FIELDS[RF_N] = {"code",    "name",   "id_number", "status", "fixed_on",
						"handler", "person", "helper",    "note"};
static const char *const RETURN_LABELS[RF_N] = {"问题编号", "姓名",   "证件号码",   "整改情况", "整改日期",
						"经办人",   "责任人", "帮扶责任人", "整改说明"};
/* Where each field stands in the list as it was sent: the header a clerk
 * renamed is found between the neighbours that kept theirs. */
static const int RETURN_SENT_AT[RF_N] = {LW_CODE, LW_NAME,   LW_ID,     LW_STATUS, LW_DATE,
					 LW_HANDLER, LW_PERSON, LW_HELPER, LW_NOTE};

enum { PF_SOURCE, PF_REF, PF_CITY, PF_COUNTY, PF_TOWNSHIP, PF_VILLAGE, PF_ID, PF_NAME, PF_HOUSEHOLD, PF_DETAIL,
       PF_FOUND, PF_DEADLINE, PF_RESPONSIBLE, PF_PERSON, PF_N };
static const char *const PROBLEM_FIELDS[PF_N] = {"source",    "source_ref", "city",        "county", "township",
						 "village",   "id_number",  "name",        "household_id",
						 "detail",    "found_on",   "deadline",    "responsible", "person"};
static const char *const PROBLEM_LABELS[PF_N] = {"问题来源", "问题编号", "市州",     "县市区",   "乡镇",
						 "行政村",   "证件号码", "姓名",     "户编号",   "问题描述",
						 "发现日期", "整改时限", "责任单位", "责任人"};

/* 问题来源 as the lists write it, and --source. */
static const struct {
	const char *word, *kind;
} SOURCES[] = {
	{"回头看", "lookback"},        {"脱贫攻坚回头看", "lookback"}, {"督查", "inspection"},
	{"联点督查", "inspection"},    {"12317", "hotline"},           {"12317投诉", "hotline"},
	{"投诉", "hotline"},           {"其他", "feedback"},           {"其他反馈", "feedback"},
	{"lookback", "lookback"},      {"inspection", "inspection"},   {"hotline", "hotline"},
	{"feedback", "feedback"},
};

static const char *source_kind(const char *word)
{
	for (size_t i = 0; i < sizeof SOURCES / sizeof SOURCES[0]; i++)
		if (strcmp(SOURCES[i].word, word) == 0)
			return SOURCES[i].kind;
	return NULL;
}

/* ---- the run ---- */

struct answer {
	int file; /* index of run.files */
	char *sheet;
	long row;
	const char *status; /* done ongoing unable */
	char date[11];
	char *handler, *person, *helper, *note;
};

struct item {
	char *code, *key, *kind, *name_key, *subject, *county_key, *closed_on;
	char *printed_person, *printed_helper; /* 责任人 and 帮扶责任人 as the list printed them */
	int open;       /* listed as open (else closed since last month) */
	int person;     /* an item about one person: the name and ID are checked */
	int helps;      /* 帮扶责任人 is asked for */
	char *earlier_file, *earlier_counties; /* the period's earlier return */
	long earlier_row;
	int seen_file;
	struct answer *answer;
};

struct file {
	char *path, *name, *sha, *counties;
	char *shown; /* the name in messages */
	int skip, rejected, found, passed_over;
	long rows_read, content_rows;
};

struct place {
	char *city, *county, *township;
};

struct run {
	sqlite3 *db;
	const struct ledger_options *opt;
	struct ledger_summary *sum;
	char today[11], list_end[11], first_day[11];
	struct file *files;
	int nfiles;
	int file;           /* the file being read */
	long file_rejects;  /* its rejects so far */
	/* returns */
	struct tmpl_columns *rcols;
	int rfield[RF_N];
	struct item *items;
	long nitems;
	long row_limit;
	/* problem lists */
	struct tmpl_columns *pcols;
	int pfield[PF_N];
	struct place *places;
	long nplaces;
};

void ledger_summary_free(struct ledger_summary *sum)
{
	free(sum->rejects);
	sum->rejects = NULL;
	sum->nrejects = sum->nkept_rejects = 0;
}

/* A rejected row: the place and what is allowed; never the cell. */
static void refuse_row(struct run *r, const char *sheet, long row, int col, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void refuse_row(struct run *r, const char *sheet, long row, int col, const char *label, const char *fmt, ...)
{
	struct ledger_summary *s = r->sum;
	struct ledger_reject *x;
	va_list ap;

	r->file_rejects++;
	s->nrejects++;
	if (s->nkept_rejects >= LEDGER_REJECTS_KEPT)
		return;
	if (!s->rejects)
		s->rejects = xcalloc(LEDGER_REJECTS_KEPT, sizeof *s->rejects);
	x = &s->rejects[s->nkept_rejects++];
	snprintf(x->file, sizeof x->file, "%s", r->files[r->file].shown);
	snprintf(x->sheet, sizeof x->sheet, "%s", sheet ? sheet : "");
	x->row = row;
	x->col = label ? col : 0;
	snprintf(x->label, sizeof x->label, "%s", label ? label : "");
	va_start(ap, fmt);
	vsnprintf(x->reason, sizeof x->reason, msg_tr(fmt), ap);
	va_end(ap);
}

/* Where a row comes from: the sheet (NULL for CSV) and the column of each field. */
struct source {
	const char *sheet;
	int col_of[FIELDS_MAX];
	const char *const *labels;
};

static void refuse_field(struct run *r, const struct source *src, long row, int f, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void refuse_field(struct run *r, const struct source *src, long row, int f, const char *fmt, ...)
{
	char reason[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, msg_tr(fmt), ap);
	va_end(ap);
	if (src->col_of[f] >= 0)
		refuse_row(r, src->sheet, row, src->col_of[f] + 1, src->labels[f], "%s", reason);
	else
		refuse_row(r, src->sheet, row, 0, NULL, "%s %s", src->labels[f], reason);
}

static int in_list(const char *v, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(v, list[i]) == 0)
			return i;
	return -1;
}

/* A file read further than what it can hold: stop. */
static int over_limit(struct run *r, const char *sheet, long row)
{
	struct file *f = &r->files[r->file];

	struct ledger_reject *x = &r->sum->stop;

	if (++f->content_rows <= r->row_limit)
		return 0;
	/* kept apart from the rejects, which may be full by now */
	r->file_rejects++;
	r->sum->nrejects++;
	if (!r->sum->stopped) {
		r->sum->stopped = 1;
		snprintf(x->file, sizeof x->file, "%s", f->shown);
		snprintf(x->sheet, sizeof x->sheet, "%s", sheet ? sheet : "");
		x->row = row;
		snprintf(x->reason, sizeof x->reason,
			 msg_tr("stopped reading: the file has more rows than the %ld items of the %s work lists and the "
				"rows around them; is this a work list of the period?"),
			 r->nitems, r->opt->period);
	}
	return 1;
}

/* ---- headers ---- */

/* The field a header cell names: an alias of templates/columns.csv, also
 * with a note in brackets after it (整改情况（必填）, 整改日期(年-月-日)). */
static int match_field(const struct tmpl_columns *cols, const char *cell)
{
	char name[512];
	size_t len;
	int t = csvin_match_header(cols, cell);
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
	return csvin_match_header(cols, name);
}

/* The columns a row names, by alias: col_of[f] for each of n fields. */
static void header_by_name(const struct tmpl_columns *cols, const int *field_index, int nfields, int n,
			   char **cells, int *col_of)
{
	for (int f = 0; f < nfields; f++)
		col_of[f] = -1;
	for (int c = 0; c < n; c++) {
		int t = match_field(cols, cells[c]);

		for (int f = 0; f < nfields; f++)
			if (t >= 0 && t == field_index[f] && col_of[f] < 0)
				col_of[f] = c;
	}
}

/* A returned list's header: 问题编号 and 整改情况 found by name, or a field
 * found where the list was sent with it — between the neighbours that kept
 * their names, at the same distance.  1 when it is the header. */
static int return_header(struct run *r, int n, char **cells, int col_of[RF_N])
{
	int at[LW_N], matched = 0;
	char key[512], lkey[512];

	header_by_name(r->rcols, r->rfield, RF_N, n, cells, col_of);
	if (col_of[RF_CODE] < 0)
		return 0;
	for (int p = 0; p < LW_N; p++) {
		at[p] = -1;
		csvin_header_key(LEDGER_WORK_COLUMNS[p].label, lkey, sizeof lkey);
		for (int c = 0; c < n && at[p] < 0; c++) {
			csvin_header_key(cells[c], key, sizeof key);
			if (strcmp(key, lkey) == 0) {
				at[p] = c;
				matched++;
			}
		}
	}
	if (matched >= 4) {
		for (int f = 0; f < RF_N; f++) {
			int p = RETURN_SENT_AT[f];

			if (col_of[f] < 0 && at[p] < 0)
				col_of[f] = xlsxin_column_between(at, LW_N, p, MAX_CELLS, col_of, RF_N);
		}
	}
	return col_of[RF_STATUS] >= 0;
}

static void fields_of(int ncells, char **cells, const int *col_of, int nfields, const char **v)
{
	for (int f = 0; f < nfields; f++)
		v[f] = col_of[f] >= 0 && col_of[f] < ncells ? cells[col_of[f]] : "";
}

/* A file that cannot be opened or read as a table: one reject for the file. */
static void reject_file(struct run *r, const struct bangfu_err *e)
{
	if (e->line > 0)
		refuse_row(r, NULL, e->line, 0, NULL, "%s", e->message);
	else
		refuse_row(r, NULL, 0, 0, NULL, "%s", e->message);
}

/* ---- the work lists' items ---- */

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

static const char *col(sqlite3_stmt *st, int c)
{
	const char *s = (const char *)sqlite3_column_text(st, c);

	return s ? s : "";
}

static int load_items(struct run *r, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	long cap = 0;
	int step;

	if (findings_work_list(r->db, r->opt->period, err) != 0 ||
	    db_prepare(r->db,
		       "SELECT w.code, w.problem_key, w.kind, coalesce(w.name, ''), coalesce(w.subject, ''),"
		       " coalesce(w.city, '') || coalesce(w.county, ''), w.listed_open, w.closed_on,"
		       " w.person_key IS NOT NULL OR (w.origin = 'external' AND w.name IS NOT NULL),"
		       " w.kind IN ('zero_household', 'became_unemployed'), r.file_name, r.file_counties, r.row,"
		       " coalesce(w.person, ''), coalesce(w.helper, '')"
		       " FROM temp.work_list w LEFT JOIN ledger_return r ON r.period = ?1 AND r.problem_key = w.problem_key"
		       " ORDER BY w.code",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, r->opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct item *it;
		char key[256];

		if (r->nitems == cap) {
			cap = cap ? cap * 2 : 1024;
			r->items = realloc(r->items, (size_t)cap * sizeof *r->items);
			if (!r->items)
				abort();
		}
		it = &r->items[r->nitems++];
		memset(it, 0, sizeof *it);
		it->code = xstrdup(col(st, 0));
		it->key = xstrdup(col(st, 1));
		it->kind = xstrdup(col(st, 2));
		compare_name_key(col(st, 3), key, sizeof key);
		it->name_key = xstrdup(key);
		it->subject = xstrdup(col(st, 4));
		it->county_key = xstrdup(col(st, 5));
		it->open = sqlite3_column_int(st, 6);
		it->closed_on = xstrdup(col(st, 7));
		it->person = sqlite3_column_int(st, 8);
		it->helps = sqlite3_column_int(st, 9);
		if (sqlite3_column_type(st, 10) != SQLITE_NULL) {
			it->earlier_file = xstrdup(col(st, 10));
			it->earlier_counties = xstrdup(col(st, 11));
			it->earlier_row = sqlite3_column_int64(st, 12);
		}
		it->printed_person = xstrdup(col(st, 13));
		it->printed_helper = xstrdup(col(st, 14));
		it->seen_file = -1;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(r->db, err, "reading the work lists' items");
	r->row_limit = r->nitems + ROWS_SLACK;
	return 0;
}

static void answer_free(struct answer *a)
{
	if (!a)
		return;
	free(a->sheet);
	free(a->handler);
	free(a->person);
	free(a->helper);
	free(a->note);
	free(a);
}

/* ---- one returned row ---- */

static void take_return(struct run *r, const struct source *src, long rownum, const char *const v[RF_N])
{
	struct file *f = &r->files[r->file];
	struct answer *a;
	struct item *it;
	int outcome = 0, status;
	char date[11];

	r->sum->rows_read++;
	f->rows_read++;
	for (int i = RF_STATUS; i < RF_N; i++)
		if (i != RF_PERSON && i != RF_HELPER && v[i][0])
			outcome = 1;
	if (!v[RF_CODE][0]) {
		if (outcome)
			refuse_field(r, src, rownum, RF_CODE, "is empty: the row cannot be matched to an item of the list");
		else
			r->sum->blank_rows++;
		return;
	}
	it = find_item(r, v[RF_CODE]);
	if (!it) {
		refuse_field(r, src, rownum, RF_CODE, "is not an item of the %s work lists: keep the code printed on the list",
			     r->opt->period);
		return;
	}
	it->seen_file = r->file;
	if (!it->open) {
		if (v[RF_STATUS][0] && strcmp(v[RF_STATUS], LEDGER_CLOSED_MARK) != 0)
			refuse_field(r, src, rownum, RF_STATUS, "is for an item closed on %s (上月以来已销号): nothing to return for it",
				     it->closed_on);
		else
			r->sum->blank_rows++;
		return;
	}
	if (it->person && v[RF_NAME][0]) {
		char key[256];

		/* The name, compared as reconciliation does, guards against rows
		 * shuffled or copied between sheets. */
		compare_name_key(v[RF_NAME], key, sizeof key);
		if (strcmp(key, it->name_key) != 0) {
			refuse_field(r, src, rownum, RF_NAME, "is not the name of the person of %s", it->code);
			return;
		}
	}
	if (v[RF_ID][0] && strchr(v[RF_ID], '*') == NULL) {
		struct idno id;

		idno_parse(v[RF_ID], 0, &id);
		if (id.status == IDNO_OK && strcmp(id.id, it->subject) != 0) {
			refuse_field(r, src, rownum, RF_ID, "does not belong to the person of %s", it->code);
			return;
		}
	}
	if (!v[RF_STATUS][0]) {
		/* 责任人 and 帮扶责任人 come filled in: as printed they say nothing */
		if (outcome || (v[RF_PERSON][0] && strcmp(v[RF_PERSON], it->printed_person) != 0) ||
		    (v[RF_HELPER][0] && strcmp(v[RF_HELPER], it->printed_helper) != 0))
			refuse_field(r, src, rownum, RF_STATUS,
				     "is empty but other return columns are filled: choose 已整改, 整改中 or 无法整改");
		else
			r->sum->blank_rows++;
		return;
	}
	if ((status = in_list(v[RF_STATUS], LEDGER_RETURN_CHOICES)) < 0) {
		refuse_field(r, src, rownum, RF_STATUS, "must be one of 已整改, 整改中, 无法整改");
		return;
	}
	if (!v[RF_DATE][0]) {
		refuse_field(r, src, rownum, RF_DATE, "is missing: a returned row needs its day (%s to %s)", r->first_day,
			     r->today);
		return;
	}
	if (datefmt_parse(v[RF_DATE], date) != DATEFMT_DAY) {
		refuse_field(r, src, rownum, RF_DATE, "is not a date: allowed: a day from %s to %s, e.g. %s", r->first_day,
			     r->today, r->today);
		return;
	}
	if (strcmp(date, r->first_day) < 0) {
		refuse_field(r, src, rownum, RF_DATE,
			     "is before the %s work lists were made from the data of the month; allowed: %s to %s",
			     r->opt->period, r->first_day, r->today);
		return;
	}
	if (strcmp(date, r->today) > 0) {
		refuse_field(r, src, rownum, RF_DATE, "is after today; allowed: %s to %s", r->first_day, r->today);
		return;
	}
	if (!v[RF_HANDLER][0]) {
		refuse_field(r, src, rownum, RF_HANDLER, "is empty: name who handled it");
		return;
	}
	if (status == 2 && !v[RF_NOTE][0]) {
		refuse_field(r, src, rownum, RF_NOTE, "is empty: 无法整改 needs the reason");
		return;
	}
	if (v[RF_HELPER][0] && !it->helps) {
		refuse_field(r, src, rownum, RF_HELPER, "is only for the items 就业转失业 and 零就业家庭; leave it empty");
		return;
	}
	if (it->answer) {
		const struct answer *o = it->answer;

		refuse_row(r, src->sheet, rownum, 0, NULL, "two returns for %s: also %s%s%s row %ld", it->code,
		       r->files[o->file].name, o->sheet[0] ? msg_tr(" sheet ") : "", o->sheet, o->row);
		return;
	}
	a = xcalloc(1, sizeof *a);
	a->file = r->file;
	a->sheet = xstrdup(src->sheet);
	a->row = rownum;
	a->status = RETURN_CODES[status];
	memcpy(a->date, date, sizeof a->date);
	a->handler = xstrdup(v[RF_HANDLER]);
	a->person = v[RF_PERSON][0] ? xstrdup(v[RF_PERSON]) : NULL;
	a->helper = v[RF_HELPER][0] ? xstrdup(v[RF_HELPER]) : NULL;
	a->note = v[RF_NOTE][0] ? xstrdup(v[RF_NOTE]) : NULL;
	it->answer = a;
}

static int row_names_an_item(struct run *r, int n, char **cells)
{
	for (int c = 0; c < n; c++)
		if (find_item(r, cells[c]))
			return 1;
	return 0;
}

/* A sheet with 问题编号 of the lists but no readable header is an error;
 * other sheets (填表说明, a clerk's own notes) are passed over. */
static int read_return_xlsx(struct run *r, struct bangfu_err *err)
{
	struct file *f = &r->files[r->file];
	struct bangfu_err e;
	struct xlsxin *x = xlsxin_open(f->path, &e);
	int sheets_used = 0, stopped = 0;
	long rejects_before = r->file_rejects;

	(void)err;
	if (!x) {
		reject_file(r, &e);
		return 0;
	}
	for (int i = 0; i < xlsxin_sheet_count(x) && !stopped; i++) {
		const char *sheet = xlsxin_sheet_name(x, i);
		struct xlsxin_row *row;
		struct source src = {.sheet = sheet, .labels = RETURN_LABELS};
		long named_header_row = 0;
		int have_header = 0, failed = 0, rc;

		if (xlsxin_sheet_begin(x, i, &e) != 0) {
			reject_file(r, &e);
			break;
		}
		while ((rc = xlsxin_next_row(x, &row, &e)) == 1) {
			char *cells[MAX_CELLS];
			const char *v[RF_N];
			int n = xlsxin_trimmed_cells(row, cells, MAX_CELLS);

			if (over_limit(r, sheet, row->row)) {
				stopped = 1;
				break;
			}
			if (failed)
				continue;
			if (!have_header) {
				int col_of[RF_N];

				if (return_header(r, n, cells, col_of)) {
					have_header = 1;
					memcpy(src.col_of, col_of, sizeof col_of);
				} else if (col_of[RF_CODE] >= 0 && !named_header_row) {
					named_header_row = row->row;
				} else if (row_names_an_item(r, n, cells)) {
					if (named_header_row)
						refuse_row(r, sheet, named_header_row, 0, NULL,
						       "the header row has 问题编号 but no column 整改情况 (no name of "
						       "templates/columns.csv, and none where the list was sent with it): "
						       "restore the header the list was sent with");
					else
						refuse_row(r, sheet, row->row, 0, NULL,
						       "holds 问题编号 of the %s work lists but no header row above it names the "
						       "columns 问题编号 and 整改情况: restore the header the list was sent with",
						       r->opt->period);
					failed = 1;
				}
				continue;
			}
			fields_of(n, cells, src.col_of, RF_N, v);
			take_return(r, &src, row->row, v);
		}
		if (rc < 0) {
			reject_file(r, &e);
			break;
		}
		sheets_used += have_header;
	}
	xlsxin_close(x);
	if (!sheets_used && r->file_rejects == rejects_before) {
		if (f->found) /* found among the returns: a check sheet, a 填报说明 */
			f->passed_over = 1;
		else
			refuse_row(r, NULL, 0, 0, NULL, "no sheet has the columns 问题编号 and 整改情况: is this a returned work list?");
	}
	return 0;
}

static int read_return_csv(struct run *r)
{
	struct file *f = &r->files[r->file];
	struct csvin_options copt = {.columns = r->rcols, .display_name = f->shown};
	struct bangfu_err e;
	struct csvin *in = csvin_open(f->path, &copt, &e);
	struct csvin_row *row;
	struct source src = {.sheet = NULL, .labels = RETURN_LABELS};
	int rc;

	if (!in) {
		if (f->found && (strcmp(e.code, "no_header") == 0 || strcmp(e.code, "missing_column") == 0))
			f->passed_over = 1; /* found among the returns, and no work list */
		else
			reject_file(r, &e);
		return 0;
	}
	for (int i = 0; i < RF_N; i++)
		src.col_of[i] = csvin_field_column(in, r->rfield[i]);
	while ((rc = csvin_next(in, &row, &e)) == 1) {
		const char *v[RF_N];

		if (over_limit(r, NULL, row->line))
			break;
		if (row->rejected) {
			refuse_row(r, NULL, row->line, 0, NULL, "%s", row->reject_message);
			continue;
		}
		fields_of(row->nfields, row->fields, src.col_of, RF_N, v);
		take_return(r, &src, row->line, v);
	}
	if (rc < 0)
		reject_file(r, &e);
	csvin_close(in);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file's counties (its identity with its name), then what it answers
 * that another file answered: rejected. */
static void finish_return_file(struct run *r)
{
	struct file *f = &r->files[r->file];
	char **keys = NULL;
	int nkeys = 0;
	struct strbuf sb;

	for (long i = 0; i < r->nitems; i++)
		if (r->items[i].seen_file == r->file) {
			keys = realloc(keys, (size_t)(nkeys + 1) * sizeof *keys);
			if (!keys)
				abort();
			keys[nkeys++] = r->items[i].county_key;
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
	for (int j = 0; j < r->file; j++)
		if (!r->files[j].skip && !r->files[j].rejected && r->files[j].counties &&
		    strcmp(r->files[j].name, f->name) == 0 && strcmp(r->files[j].counties, f->counties) == 0)
			refuse_row(r, NULL, 0, 0, NULL, "is a second file named %s with rows of the same counties (%s): load one of them",
			       f->name, f->counties[0] ? f->counties : msg_tr("none"));
	for (long i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		const struct answer *a = it->answer;

		if (!a || a->file != r->file || !it->earlier_file)
			continue;
		/* Loading a file again (its name, its counties) replaces its returns. */
		if (strcmp(it->earlier_file, f->name) == 0 && strcmp(it->earlier_counties, f->counties) == 0)
			continue;
		refuse_row(r, a->sheet, a->row, 0, NULL,
		       "%s was already returned in %s row %ld (another file): correct that file and load it again, "
		       "or leave this row empty",
		       it->code, it->earlier_file, it->earlier_row);
	}
}

/* A rejected file leaves nothing behind: its answers go. */
static void drop_answers(struct run *r)
{
	for (long i = 0; i < r->nitems; i++)
		if (r->items[i].answer && r->items[i].answer->file == r->file) {
			answer_free(r->items[i].answer);
			r->items[i].answer = NULL;
		}
}

static int write_returns(struct run *r, struct bangfu_err *err)
{
	struct file *f = &r->files[r->file];
	sqlite3_stmt *ins = NULL, *rec = NULL;
	char now[32];
	long n = 0;
	int rc = -1;

	db_now_iso(now);
	if (db_prepare(r->db, "INSERT OR REPLACE INTO ledger_return (period, problem_key, status, fixed_on, handler,"
			      " person, helper, note, file_name, file_counties, sheet, row, loaded_at)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       &ins, err) != 0)
		goto out;
	for (long i = 0; i < r->nitems; i++) {
		struct item *it = &r->items[i];
		const struct answer *a = it->answer;

		if (!a || a->file != r->file)
			continue;
		sqlite3_bind_text(ins, 1, r->opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, it->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, a->status, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, a->date, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, a->handler, -1, SQLITE_STATIC);
		db_bind_text(ins, 6, a->person);
		db_bind_text(ins, 7, a->helper);
		db_bind_text(ins, 8, a->note);
		sqlite3_bind_text(ins, 9, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 10, f->counties, -1, SQLITE_STATIC);
		db_bind_text(ins, 11, a->sheet[0] ? a->sheet : NULL);
		sqlite3_bind_int64(ins, 12, a->row);
		sqlite3_bind_text(ins, 13, now, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			db_fail(r->db, err, "saving a return");
			goto out;
		}
		sqlite3_reset(ins);
		n++;
		r->sum->returns++;
		r->sum->done += strcmp(a->status, "done") == 0;
		r->sum->ongoing += strcmp(a->status, "ongoing") == 0;
		r->sum->unable += strcmp(a->status, "unable") == 0;
		/* the same file again: its returns are now these, the earlier row is this one */
		free(it->earlier_file);
		free(it->earlier_counties);
		it->earlier_file = xstrdup(f->name);
		it->earlier_counties = xstrdup(f->counties);
		it->earlier_row = a->row;
	}
	for (long i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];

		if (it->earlier_file && strcmp(it->earlier_file, f->name) == 0 &&
		    strcmp(it->earlier_counties, f->counties) == 0 && !(it->answer && it->answer->file == r->file))
			r->sum->kept++;
	}
	if (db_prepare(r->db, "DELETE FROM ledger_file WHERE what = 'return' AND period = ?1 AND file_name = ?2"
			      " AND counties = ?3",
		       &rec, err) != 0)
		goto out;
	sqlite3_bind_text(rec, 1, r->opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(rec, 2, f->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(rec, 3, f->counties, -1, SQLITE_STATIC);
	if (sqlite3_step(rec) != SQLITE_DONE) {
		db_fail(r->db, err, "recording a file");
		goto out;
	}
	sqlite3_finalize(rec);
	if (db_prepare(r->db, "INSERT INTO ledger_file (what, period, file_name, counties, sha256, rows_read, items,"
			      " loaded_at) VALUES ('return', ?1, ?2, ?3, ?4, ?5, (SELECT count(*) FROM ledger_return"
			      " WHERE period = ?1 AND file_name = ?2 AND file_counties = ?3), ?6)",
		       &rec, err) != 0)
		goto out;
	sqlite3_bind_text(rec, 1, r->opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(rec, 2, f->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(rec, 3, f->counties, -1, SQLITE_STATIC);
	sqlite3_bind_text(rec, 4, f->sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(rec, 5, f->rows_read);
	sqlite3_bind_text(rec, 6, now, -1, SQLITE_STATIC);
	if (sqlite3_step(rec) != SQLITE_DONE) {
		db_fail(r->db, err, "recording a file");
		goto out;
	}
	rc = 0;
out:
	(void)n;
	sqlite3_finalize(ins);
	sqlite3_finalize(rec);
	return rc;
}

static int file_seen(struct run *r, const char *what, const char *period, const char *sha, int *same,
		     struct bangfu_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(r->db, "SELECT 1 FROM ledger_file WHERE what = ?1 AND period = ?2 AND sha256 = ?3", &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
	*same = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return 0;
}

/* Each returned file: read, checked, written when nothing was rejected. */
static int load_returns(struct run *r, struct bangfu_err *err)
{
	if (r->opt->nreturns == 0)
		return 0;
	if (tmpl_columns_load("return", &r->rcols, err) != 0)
		return -1;
	for (int f = 0; f < RF_N; f++)
		r->rfield[f] = tmpl_columns_find(r->rcols, RETURN_FIELDS[f]);
	if (r->rfield[RF_CODE] < 0 || r->rfield[RF_STATUS] < 0)
		return bangfu_fail(err, ERR_INPUT, "columns.csv", 0, 0, "bad_template",
				   "templates/columns.csv has no return rows for code and status");
	if (load_items(r, err) != 0)
		return -1;
	for (int k = 0; k < r->opt->nreturns; k++) {
		const struct ledger_input *in = &r->opt->returns[k];
		struct file *f;
		char sha[65];

		r->file = r->nfiles++;
		f = &r->files[r->file];
		f->path = xstrdup(in->path);
		{
			char *copy = xstrdup(f->path);

			f->name = xstrdup(basename(copy));
			free(copy);
		}
		f->shown = xstrdup(in->shown ? in->shown : f->name);
		f->found = in->found;
		r->file_rejects = 0;
		r->sum->return_files++;
		if (load_sha256_file(f->path, sha, err) != 0) {
			reject_file(r, err);
			f->rejected = 1;
			r->sum->files_rejected++;
			continue;
		}
		f->sha = xstrdup(sha);
		if (file_seen(r, "return", r->opt->period, sha, &f->skip, err) != 0)
			return -1;
		if (f->skip) {
			r->sum->return_files_unchanged++;
			continue;
		}
		f->content_rows = 0;
		if (xlsxin_is_zip(f->path))
			read_return_xlsx(r, err);
		else
			read_return_csv(r);
		if (f->passed_over) {
			r->sum->passed_over++;
			continue;
		}
		finish_return_file(r);
		if (r->file_rejects > 0) {
			f->rejected = 1;
			r->sum->files_rejected++;
			drop_answers(r);
			continue;
		}
		if (write_returns(r, err) != 0)
			return -1;
	}
	return 0;
}

/* ---- problem lists ---- */

static int load_places(struct run *r, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	long cap = 0;
	int step;

	if (db_prepare(r->db, "SELECT DISTINCT coalesce(city, ''), coalesce(county, ''), coalesce(township, '') FROM person"
			      " WHERE coalesce(county, '') <> ''",
		       &st, err) != 0)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct place *p;

		if (r->nplaces == cap) {
			cap = cap ? cap * 2 : 256;
			r->places = realloc(r->places, (size_t)cap * sizeof *r->places);
			if (!r->places)
				abort();
		}
		p = &r->places[r->nplaces++];
		p->city = xstrdup(col(st, 0));
		p->county = xstrdup(col(st, 1));
		p->township = xstrdup(col(st, 2));
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(r->db, err, "reading the places of the data");
	return 0;
}

struct problem_row {
	const char *kind;
	char city[256], county[256], township[256], found[11], deadline[11], id[128];
};

/* The place of a row: the county (and 市州 when the county's name is in
 * two) and the township, as the data knows them.  0, or -1 after a reject. */
static int row_place(struct run *r, const struct source *src, long row, const char *const v[PF_N],
		     struct problem_row *out)
{
	int matched = 0, cities = 0, town = !v[PF_TOWNSHIP][0];
	const char *city = NULL;

	for (long i = 0; i < r->nplaces; i++) {
		const struct place *p = &r->places[i];

		if (strcmp(p->county, v[PF_COUNTY]) != 0 || (v[PF_CITY][0] && strcmp(p->city, v[PF_CITY]) != 0))
			continue;
		if (!city || strcmp(city, p->city) != 0) {
			cities += !city || strcmp(city, p->city) != 0;
			city = p->city;
		}
		matched++;
		if (v[PF_TOWNSHIP][0] && strcmp(p->township, v[PF_TOWNSHIP]) == 0)
			town = 1;
	}
	if (!matched) {
		refuse_field(r, src, row, PF_COUNTY, "is no county of the data%s: write it as the roster does",
			     v[PF_CITY][0] ? msg_tr(" in that 市州") : "");
		return -1;
	}
	if (cities > 1) {
		refuse_field(r, src, row, PF_COUNTY, "is a county's name in more than one 市州: add the column 市州");
		return -1;
	}
	if (!town) {
		refuse_field(r, src, row, PF_TOWNSHIP, "is no township of that county in the data: write it as the roster does");
		return -1;
	}
	snprintf(out->city, sizeof out->city, "%s", city);
	snprintf(out->county, sizeof out->county, "%s", v[PF_COUNTY]);
	snprintf(out->township, sizeof out->township, "%s", v[PF_TOWNSHIP]);
	return 0;
}

/* One row of a problem list checked; 0 when it can be written. */
static int check_problem(struct run *r, const struct source *src, long row, const char *const v[PF_N],
			 struct problem_row *out)
{
	enum datefmt_result d;

	memset(out, 0, sizeof *out);
	if (v[PF_SOURCE][0])
		out->kind = source_kind(v[PF_SOURCE]);
	else
		out->kind = r->opt->source;
	if (!out->kind) {
		if (v[PF_SOURCE][0])
			refuse_field(r, src, row, PF_SOURCE, "must be one of 回头看, 督查 (联点督查), 12317, 其他");
		else
			refuse_field(r, src, row, PF_SOURCE, "is empty and no --source was given: say where the problem comes from");
		return -1;
	}
	if (!v[PF_COUNTY][0]) {
		refuse_field(r, src, row, PF_COUNTY, "is empty: every problem belongs to a county");
		return -1;
	}
	if (row_place(r, src, row, v, out) != 0)
		return -1;
	if (!v[PF_DETAIL][0]) {
		refuse_field(r, src, row, PF_DETAIL, "is empty: say what the problem is");
		return -1;
	}
	if (!v[PF_FOUND][0] || datefmt_parse(v[PF_FOUND], out->found) != DATEFMT_DAY) {
		refuse_field(r, src, row, PF_FOUND, "is %s: allowed: a day up to %s, e.g. 2020-05-12",
			     v[PF_FOUND][0] ? msg_tr("not a date") : msg_tr("empty"), r->today);
		return -1;
	}
	if (strcmp(out->found, r->today) > 0 || strcmp(out->found, "2000-01-01") < 0) {
		refuse_field(r, src, row, PF_FOUND, "is %s; allowed: a day from 2000-01-01 to %s",
			     strcmp(out->found, r->today) > 0 ? msg_tr("after today") : msg_tr("before 2000"), r->today);
		return -1;
	}
	if (v[PF_DEADLINE][0]) {
		if ((d = datefmt_parse(v[PF_DEADLINE], out->deadline)) != DATEFMT_DAY) {
			refuse_field(r, src, row, PF_DEADLINE, "is not a date: write the day, e.g. 2020-06-10, or leave it "
								"empty for the days of templates/ledger_kinds.csv");
			return -1;
		}
		if (strcmp(out->deadline, out->found) < 0) {
			refuse_field(r, src, row, PF_DEADLINE, "is before 发现日期 %s", out->found);
			return -1;
		}
	}
	if (v[PF_ID][0]) {
		if (strchr(v[PF_ID], '*')) {
			snprintf(out->id, sizeof out->id, "%s", v[PF_ID]);
		} else {
			struct idno id;

			idno_parse(v[PF_ID], 0, &id);
			if (id.status != IDNO_OK) {
				refuse_field(r, src, row, PF_ID, "is not a valid ID number (%s): correct it, mask it with *, "
								 "or leave it empty",
					     idno_status_label(id.status));
				return -1;
			}
			snprintf(out->id, sizeof out->id, "%s", id.id);
		}
	}
	return 0;
}

static int write_problem(struct run *r, sqlite3_stmt *ins, const char *const v[PF_N], const struct problem_row *p,
			 long line, const char *now, struct bangfu_err *err)
{
	const struct file *f = &r->files[r->file];
	struct strbuf key, unit;
	int rc;

	strbuf_init(&key);
	strbuf_init(&unit);
	strbuf_addf(&key, "external:%s:", p->kind);
	if (v[PF_REF][0])
		strbuf_addf(&key, "ref:%s", v[PF_REF]);
	else
		strbuf_addf(&key, "%s:%s:%s:%s:%s", p->found, p->county, p->township, p->id, v[PF_DETAIL]);
	if (v[PF_RESPONSIBLE][0])
		strbuf_addstr(&unit, v[PF_RESPONSIBLE]);
	else if (p->township[0])
		strbuf_addf(&unit, "%s就业扶贫经办", p->township);
	else
		strbuf_addf(&unit, "%s人社部门", p->county);
	sqlite3_bind_text(ins, 1, strbuf_str(&key), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 2, p->kind, -1, SQLITE_STATIC);
	db_bind_text(ins, 3, v[PF_REF][0] ? v[PF_REF] : NULL);
	db_bind_text(ins, 4, p->city[0] ? p->city : NULL);
	sqlite3_bind_text(ins, 5, p->county, -1, SQLITE_STATIC);
	db_bind_text(ins, 6, p->township[0] ? p->township : NULL);
	db_bind_text(ins, 7, v[PF_VILLAGE][0] ? v[PF_VILLAGE] : NULL);
	db_bind_text(ins, 8, p->id[0] ? p->id : NULL);
	db_bind_text(ins, 9, v[PF_NAME][0] ? v[PF_NAME] : NULL);
	db_bind_text(ins, 10, v[PF_HOUSEHOLD][0] ? v[PF_HOUSEHOLD] : NULL);
	sqlite3_bind_text(ins, 11, v[PF_DETAIL], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 12, strbuf_str(&unit), -1, SQLITE_TRANSIENT);
	db_bind_text(ins, 13, v[PF_PERSON][0] ? v[PF_PERSON] : NULL);
	sqlite3_bind_text(ins, 14, p->found, -1, SQLITE_TRANSIENT);
	db_bind_text(ins, 15, p->deadline[0] ? p->deadline : NULL);
	sqlite3_bind_text(ins, 16, f->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 17, f->sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 18, line);
	sqlite3_bind_text(ins, 19, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	strbuf_free(&key);
	strbuf_free(&unit);
	if (rc != SQLITE_DONE)
		return db_fail(r->db, err, "saving a problem");
	return 0;
}

/* A problem list's rows: checked all, then, when none was rejected,
 * written; the file is read twice rather than held. */
struct problem_pass {
	int write;
	sqlite3_stmt *ins;
	char now[32];
	long rows;
};

static int take_problem(struct run *r, struct problem_pass *pass, const struct source *src, long row,
			const char *const v[PF_N], struct bangfu_err *err)
{
	struct problem_row p;
	int blank = 1;

	for (int f = 0; f < PF_N; f++)
		blank &= !v[f][0];
	if (blank)
		return 0;
	if (!pass->write)
		r->sum->problem_rows++;
	pass->rows++;
	if (check_problem(r, src, row, v, &p) != 0 || !pass->write)
		return 0;
	return write_problem(r, pass->ins, v, &p, row, pass->now, err);
}

static int read_problem_csv(struct run *r, struct problem_pass *pass, struct bangfu_err *err)
{
	struct file *f = &r->files[r->file];
	struct csvin_options copt = {.columns = r->pcols, .display_name = f->shown};
	struct bangfu_err e;
	struct csvin *in = csvin_open(f->path, &copt, &e);
	struct csvin_row *row;
	struct source src = {.sheet = NULL, .labels = PROBLEM_LABELS};
	int rc;

	if (!in) {
		reject_file(r, &e);
		return 0;
	}
	for (int i = 0; i < PF_N; i++)
		src.col_of[i] = csvin_field_column(in, r->pfield[i]);
	while ((rc = csvin_next(in, &row, &e)) == 1) {
		const char *v[PF_N];

		if (row->rejected) {
			refuse_row(r, NULL, row->line, 0, NULL, "%s", row->reject_message);
			continue;
		}
		fields_of(row->nfields, row->fields, src.col_of, PF_N, v);
		if (take_problem(r, pass, &src, row->line, v, err) != 0) {
			csvin_close(in);
			return -1;
		}
	}
	if (rc < 0)
		reject_file(r, &e);
	csvin_close(in);
	return 0;
}

static int read_problem_xlsx(struct run *r, struct problem_pass *pass, struct bangfu_err *err)
{
	struct file *f = &r->files[r->file];
	struct bangfu_err e;
	struct xlsxin *x = xlsxin_open(f->path, &e);
	int sheets_used = 0;

	if (!x) {
		reject_file(r, &e);
		return 0;
	}
	for (int i = 0; i < xlsxin_sheet_count(x); i++) {
		const char *sheet = xlsxin_sheet_name(x, i);
		struct xlsxin_row *row;
		struct source src = {.sheet = sheet, .labels = PROBLEM_LABELS};
		int have_header = 0, rc;

		if (xlsxin_sheet_begin(x, i, &e) != 0) {
			reject_file(r, &e);
			break;
		}
		while ((rc = xlsxin_next_row(x, &row, &e)) == 1) {
			char *cells[MAX_CELLS];
			const char *v[PF_N];
			int n = xlsxin_trimmed_cells(row, cells, MAX_CELLS);

			if (!have_header) {
				int col_of[PF_N];

				header_by_name(r->pcols, r->pfield, PF_N, n, cells, col_of);
				if (col_of[PF_COUNTY] >= 0 && col_of[PF_DETAIL] >= 0 && col_of[PF_FOUND] >= 0) {
					have_header = 1;
					memcpy(src.col_of, col_of, sizeof col_of);
				}
				continue;
			}
			fields_of(n, cells, src.col_of, PF_N, v);
			if (take_problem(r, pass, &src, row->row, v, err) != 0) {
				xlsxin_close(x);
				return -1;
			}
		}
		if (rc < 0) {
			reject_file(r, &e);
			break;
		}
		sheets_used += have_header;
	}
	xlsxin_close(x);
	if (!sheets_used)
		refuse_row(r, NULL, 0, 0, NULL,
		       "no sheet has a header row naming 县市区, 问题描述 and 发现日期: is this a problem list?");
	return 0;
}

static int load_problems(struct run *r, struct bangfu_err *err)
{
	sqlite3_stmt *ins = NULL;
	int rc = -1;

	if (r->opt->nproblem_files == 0)
		return 0;
	if (tmpl_columns_load("problems", &r->pcols, err) != 0)
		return -1;
	for (int f = 0; f < PF_N; f++)
		if ((r->pfield[f] = tmpl_columns_find(r->pcols, PROBLEM_FIELDS[f])) < 0)
			return bangfu_fail(err, ERR_INPUT, "columns.csv", 0, 0, "bad_template",
					   "templates/columns.csv has no problems row for %s", PROBLEM_FIELDS[f]);
	if (load_places(r, err) != 0 ||
	    db_prepare(r->db,
		       "INSERT INTO ledger_external (problem_key, kind, source_ref, city, county, township, village, subject,"
		       " name, household_id, detail, responsible, person, found_on, deadline_on, file_name, sha256, line,"
		       " loaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
		       " ON CONFLICT (problem_key) DO UPDATE SET city = excluded.city, county = excluded.county,"
		       " township = excluded.township, village = excluded.village, subject = excluded.subject,"
		       " name = excluded.name, household_id = excluded.household_id, detail = excluded.detail,"
		       " responsible = excluded.responsible, person = excluded.person, found_on = excluded.found_on,"
		       " deadline_on = excluded.deadline_on, file_name = excluded.file_name, sha256 = excluded.sha256,"
		       " line = excluded.line, loaded_at = excluded.loaded_at",
		       &ins, err) != 0)
		return -1;
	for (int k = 0; k < r->opt->nproblem_files; k++) {
		struct problem_pass pass = {.ins = ins};
		struct file *f;
		long before;
		char sha[65];

		r->file = r->nfiles++;
		f = &r->files[r->file];
		f->path = xstrdup(r->opt->problem_files[k]);
		{
			char *copy = xstrdup(f->path);

			f->name = xstrdup(basename(copy));
			free(copy);
		}
		f->shown = xstrdup(f->name);
		r->file_rejects = 0;
		r->sum->problem_files++;
		if (load_sha256_file(f->path, sha, err) != 0) {
			reject_file(r, err);
			f->rejected = 1;
			r->sum->files_rejected++;
			continue;
		}
		f->sha = xstrdup(sha);
		if (file_seen(r, "problems", "", sha, &f->skip, err) != 0)
			goto out;
		if (f->skip) {
			r->sum->problem_files_unchanged++;
			continue;
		}
		/* first pass: check every row */
		if ((xlsxin_is_zip(f->path) ? read_problem_xlsx(r, &pass, err) : read_problem_csv(r, &pass, err)) != 0)
			goto out;
		if (r->file_rejects == 0 && pass.rows == 0)
			refuse_row(r, NULL, 0, 0, NULL, "has no problems under its header");
		if (r->file_rejects > 0) {
			f->rejected = 1;
			r->sum->files_rejected++;
			continue;
		}
		/* second pass: write them */
		before = r->sum->problems_new;
		{
			sqlite3_stmt *st;

			if (db_prepare(r->db, "SELECT count(*) FROM ledger_external", &st, err) != 0)
				goto out;
			if (sqlite3_step(st) == SQLITE_ROW)
				before = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
		pass.write = 1;
		pass.rows = 0;
		db_now_iso(pass.now);
		if ((xlsxin_is_zip(f->path) ? read_problem_xlsx(r, &pass, err) : read_problem_csv(r, &pass, err)) != 0)
			goto out;
		if (r->file_rejects > 0) /* the file changed between the passes */
			return bangfu_fail(err, ERR_INPUT, f->name, 0, 0, "changed", "the file changed while it was read");
		{
			sqlite3_stmt *st;
			long after = before;

			if (db_prepare(r->db, "SELECT count(*) FROM ledger_external", &st, err) != 0)
				goto out;
			if (sqlite3_step(st) == SQLITE_ROW)
				after = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
			r->sum->problems_new += after - before;
			r->sum->problems_updated += pass.rows - (after - before);
		}
		{
			sqlite3_stmt *st;

			if (db_prepare(r->db, "INSERT OR REPLACE INTO ledger_file (what, period, file_name, counties, sha256,"
					      " rows_read, items, loaded_at) VALUES ('problems', '', ?1, '', ?2, ?3, ?3, ?4)",
				       &st, err) != 0)
				goto out;
			sqlite3_bind_text(st, 1, f->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, f->sha, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, pass.rows);
			sqlite3_bind_text(st, 4, pass.now, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE) {
				sqlite3_finalize(st);
				db_fail(r->db, err, "recording a file");
				goto out;
			}
			sqlite3_finalize(st);
		}
	}
	rc = 0;
out:
	sqlite3_finalize(ins);
	return rc;
}

/* ---- the run ---- */

static void free_run(struct run *r)
{
	for (long i = 0; i < r->nitems; i++) {
		struct item *it = &r->items[i];

		free(it->code);
		free(it->key);
		free(it->kind);
		free(it->name_key);
		free(it->subject);
		free(it->county_key);
		free(it->closed_on);
		free(it->printed_person);
		free(it->printed_helper);
		free(it->earlier_file);
		free(it->earlier_counties);
		answer_free(it->answer);
	}
	free(r->items);
	for (int k = 0; k < r->nfiles; k++) {
		free(r->files[k].path);
		free(r->files[k].name);
		free(r->files[k].shown);
		free(r->files[k].sha);
		free(r->files[k].counties);
	}
	free(r->files);
	for (long i = 0; i < r->nplaces; i++) {
		free(r->places[i].city);
		free(r->places[i].county);
		free(r->places[i].township);
	}
	free(r->places);
	tmpl_columns_free(r->rcols);
	tmpl_columns_free(r->pcols);
}

static int count_after(struct run *r, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(r->db, "SELECT sum(state <> 'closed'), sum(state = 'overdue'), sum(state = 'closed') FROM v_ledger",
		       &st, err) != 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->sum->open = sqlite3_column_int64(st, 0);
		r->sum->overdue = sqlite3_column_int64(st, 1);
		r->sum->closed = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return 0;
}

int ledger_load(sqlite3 *db, const struct ledger_options *opt, struct ledger_summary *sum, struct bangfu_err *err)
{
	struct run r = {.db = db, .opt = opt, .sum = sum};
	struct findings_summary fs;
	time_t now = time(NULL);
	struct tm tm;
	int rc = -1;

	localtime_r(&now, &tm);
	strftime(r.today, sizeof r.today, "%Y-%m-%d", &tm);
	/* a returned row's day: after the data of the lists' month */
	findings_period_end(opt->period, r.list_end);
	{
		int y = atoi(opt->period), m = atoi(opt->period + 5) + 1;

		if (m > 12) {
			m = 1;
			y++;
		}
		char day[32];

		snprintf(day, sizeof day, "%04d-%02d-01", y, m);
		snprintf(r.first_day, sizeof r.first_day, "%.10s", day);
	}
	r.files = xcalloc((size_t)(opt->nproblem_files + opt->nreturns) + 1, sizeof *r.files);
	/* The write lock first: what is checked is what gets written. */
	if (db_begin(db, err) != 0)
		goto out;
	/* External items get their codes before the returns are read: a
	 * township cannot return what it was not sent, but the lists name items
	 * by code. */
	if (findings_sync_if_stale(db, opt->period, &fs, err) != 0 || load_problems(&r, err) != 0 ||
	    (opt->nproblem_files > 0 && opt->nreturns > 0 && findings_ledger_update(db, err) != 0) ||
	    load_returns(&r, err) != 0 || findings_ledger_update(db, err) != 0 || count_after(&r, err) != 0)
		goto rollback;
	if (db_commit(db, err) != 0)
		goto out;
	sum->committed = 1;
	if (sum->files_rejected > 0) {
		bangfu_fail(err, ERR_INPUT, "", 0, 0, "rejected",
			    "%ld of %ld files rejected (%ld rows): nothing was loaded from them; the others are loaded",
			    sum->files_rejected, sum->problem_files + sum->return_files, sum->nrejects);
		goto out;
	}
	rc = 0;
	goto out;
rollback:
	db_rollback(db);
out:
	free_run(&r);
	return rc;
}

/* ---- the command: bangfu-ledger ---- */

/* file, sheet, row, column and what is allowed; CSV as file:line:column. */
static void print_reject(const struct ledger_reject *x)
{
	char letters[8], rev[8];
	int n = 0, c = x->col;

	for (; c > 0 && n < 7; c = (c - 1) / 26)
		rev[n++] = (char)('A' + (c - 1) % 26);
	for (int i = 0; i < n; i++)
		letters[i] = rev[n - 1 - i];
	letters[n] = '\0';
	if (x->sheet[0] && x->col > 0)
		msg_errorf("%s: sheet %s: row %ld: column %s (%s) %s", x->file, x->sheet, x->row, letters, x->label,
			   x->reason);
	else if (x->sheet[0] && x->row > 0)
		msg_errorf("%s: sheet %s: row %ld: %s", x->file, x->sheet, x->row, x->reason);
	else if (x->sheet[0])
		msg_errorf("%s: sheet %s: %s", x->file, x->sheet, x->reason);
	else if (x->col > 0)
		msg_errorf("%s:%ld:%d: %s %s", x->file, x->row, x->col, x->label, x->reason);
	else if (x->row > 0)
		msg_errorf("%s:%ld: %s", x->file, x->row, x->reason);
	else
		msg_errorf("%s: %s", x->file, x->reason);
}

static const char *const SOURCE_CHOICES[] = {"回头看", "督查", "12317", "其他", NULL};

int cmd_ledger(int argc, char **argv)
{
	const char *db_path = "bangfu.db", *from_dir = NULL;
	struct ledger_options opt = {0};
	struct cli_list problems = {0};
	struct pack_returns found = {0};
	struct ledger_input *inputs = NULL;
	int source = -1;
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the month of the township work lists (reconciled)"),
		CLI_OPT_LIST("problems", &problems, "FILE",
			     "an external problem list (回头看, 联点督查, 12317 投诉, 其他): CSV in any\n"
			     "encoding or xlsx with 县市区, 问题描述, 发现日期 and optionally 问题来源,\n"
			     "问题编号, 市州, 乡镇, 行政村, 证件号码, 姓名, 户编号, 整改时限, 责任单位,\n"
			     "责任人; repeatable"),
		CLI_OPT_CHOICE("source", &source, NULL, SOURCE_CHOICES,
			       "the source of the --problems rows that have no 问题来源"),
		CLI_OPT_STRING("from", &from_dir, "DIR",
			       "also load every returned work list in DIR and its folders: .xlsx\n"
			       "and .csv, also inside .zip files; files that are no work list\n"
			       "(check sheets, 填报说明) are passed over"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-ledger", "[FILE...]",
		N_("Keep the problem ledger (挂单销号, 湘人社函〔2020〕58号 四.2).  Load external problem\n"
		"lists (--problems): each problem becomes a ledger item with a code, that only a\n"
		"township's return can close.  Load the township work lists of --period as the\n"
		"townships return them (FILE: xlsx from Excel or LibreOffice, or CSV), with\n"
		"整改情况 (已整改 / 整改中 / 无法整改), 整改日期, 经办人, 责任人, 帮扶责任人 and\n"
		"整改说明: every row is checked against the items the lists carried (by 问题编号);\n"
		"a file with any rejected row loads nothing, the others load.  A file loaded\n"
		"again (same name, rows of the same counties) replaces the returns it gives\n"
		"again.  Then the ledger is derived anew (view v_ledger).  Without files, the\n"
		"period's findings are brought up to date and the ledger derived again."),
		N_("Exit status: 0 every file loaded; 1 a file rejected (the others are loaded)\n"
		"or bad input; 2 usage; 3 internal error."),
		options};
	struct ledger_summary sum = {0};
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int first, status = EXIT_OK;
	static const char *const kinds[] = {"lookback", "inspection", "hotline", "feedback"};

	bangfu_err_clear(&err);
	if ((first = cli_parse(&cmd, argc, argv, &status)) < 0) {
		cli_list_free(&problems);
		return status;
	}
	opt.source = source >= 0 ? kinds[source] : NULL;
	opt.problem_files = problems.items;
	opt.nproblem_files = problems.n;
	if (from_dir && pack_returns_find(from_dir, &found, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	for (int i = 0; i < found.nskipped; i++)
		msg_info("%s", found.skipped[i]);
	inputs = xcalloc((size_t)(argc - first + found.n) + 1, sizeof *inputs);
	for (int i = first; i < argc; i++)
		inputs[opt.nreturns++] = (struct ledger_input){.path = argv[i]};
	for (int i = 0; i < found.n; i++)
		inputs[opt.nreturns++] = (struct ledger_input){.path = found.files[i].path, .shown = found.files[i].shown,
							       .found = 1};
	opt.returns = inputs;
	if (db_open_existing(db_path, &db, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	if (ledger_load(db, &opt, &sum, &err) != 0) {
		for (long i = 0; i < sum.nkept_rejects; i++)
			print_reject(&sum.rejects[i]);
		if (sum.nrejects > sum.nkept_rejects + sum.stopped)
			msg_errorf("... and %ld more rejected rows (the first %d are listed)",
				   sum.nrejects - sum.nkept_rejects - sum.stopped, LEDGER_REJECTS_KEPT);
		if (sum.stopped)
			print_reject(&sum.stop);
		status = msg_fail(&err);
		if (!sum.committed)
			goto out;
	}
	if (opt.nproblem_files)
		msg_info("%ld problem lists (%ld unchanged since loaded): %ld rows, %ld new problems, %ld updated",
			 sum.problem_files, sum.problem_files_unchanged, sum.problem_rows, sum.problems_new,
			 sum.problems_updated);
	if (opt.nreturns) {
		msg_info("%ld returned work lists of %s (%ld unchanged since loaded, %ld passed over: no work list): %ld rows "
			 "read, %ld returns loaded (已整改 %ld, 整改中 %ld, 无法整改 %ld), %ld rows not returned",
			 sum.return_files, opt.period, sum.return_files_unchanged, sum.passed_over, sum.rows_read,
			 sum.returns, sum.done, sum.ongoing, sum.unable, sum.blank_rows);
		if (sum.kept)
			msg_info("%ld returns loaded earlier from these files are kept: this version leaves them empty "
				 "or has no row for them",
				 sum.kept);
	}
	msg_info("ledger: %ld open (%ld overdue today), %ld closed (view v_ledger)", sum.open, sum.overdue, sum.closed);
out:
	ledger_summary_free(&sum);
	cli_list_free(&problems);
	pack_returns_free(&found);
	free(inputs);
	db_close(db);
	return status;
}
