/* verify — see verify.h.
 *
 * The period's sample is held in memory sorted by 抽查编号, each item with its
 * earlier answer (a few thousand items, a hundred thousand for a province).
 * Each file is read row by row against it; an item takes at most one new
 * answer, rejects are kept up to VERIFY_REJECTS_KEPT and a file is read no
 * further than its sample could fill, so memory is bounded by the sample
 * whatever a file holds.  Each file runs in a write transaction of its own
 * taken before it is read; when another connection has written since the
 * last file (PRAGMA data_version), the sample and its answers are read
 * again, so a second verify of the database checks against the first one's
 * answers. */
#include "verify.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "compare.h"
#include "csvin.h"
#include "datefmt.h"
#include "db.h"
#include "idno.h"
#include "labels.h"
#include "load.h"
#include "msg.h"
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
#include "pack.h"

enum { F_CODE, F_NAME, F_ID, F_RESULT, F_METHOD, F_STATUS, F_PLACE, F_EMPLOYER, F_CHECKER, F_DATE, F_NOTE, NF };
static const char *const FIELD_NAMES[NF] = {"sample_code", "name", "id_number", "result", "method",
					    "corrected_status", "corrected_place", "corrected_employer",
					    "checker", "check_date", "note"};
static const char *const FIELD_LABELS[NF] = {"抽查编号", "姓名", "证件号码", "核查结果", "核查方式",
					     "更正后就业状态", "更正后就业地点", "更正后就业单位", "核查人",
					     "核查日期", "备注"};

/* Rows with content a file may hold beyond one per sampled person: titles,
 * headers, the 填表说明 sheet, notes. */
#define ROWS_SLACK 1000
#define MAX_CELLS 256
#define MAX_LAYOUT 64

static const char *const RESULT_LABELS[] = {"准确", "不准确", "无法联系", NULL};
static const char *const RESULT_CODES[] = {"accurate", "inaccurate", "unreachable"};
static const char *const METHOD_LABELS[] = {"电话回访", "现场核查", "交叉检查", NULL};
static const char *const STATUS_LABELS[] = {"已就业", "未就业", "失业", NULL};

/* What the 退回说明 says is allowed, where it is the same for many rejects. */
static const char KEEP_CODE[] = "下发时表中该行的抽查编号（请勿删改）";
static const char KEEP_HEADER[] = "恢复下发时的表头（列名不要修改，不要删除表头行）";
static const char RESULTS_ALLOWED[] = "准确、不准确、无法联系";

struct answer {
	char *sheet;
	long row;
	char *v[NF]; /* the outcome columns (F_METHOD .. F_CHECKER) and F_NOTE; NULL for the others */
	char date[11];
	const char *result_code;
};

struct item {
	char *code, *id, *place, *county_key; /* place: 县市区乡镇; county_key: 市州县市区 */
	char name_key[2][128];                 /* the platform's and the roster's name */
	char *earlier_file, *earlier_counties; /* the earlier answer's file; NULL when none */
	long earlier_row;
	int town;
	int seen_file; /* the serial of the last file with a row for it, 0 */
	struct answer *answer;
};

struct town {
	int first, n; /* its items */
	int touched_file;
	char sheet_name[160]; /* the sheet bangfu-sample wrote for it */
};

/* The file being read. */
struct file {
	const char *path, *name;
	int serial;
	int looks_checked; /* a header naming 抽查编号, or rows or sheets of sampled persons */
	long content_rows, matched_rows, other_rows;
	char other_period[8]; /* the period of another sample its 抽查编号 belong to */
	struct strbuf claimed; /* names of sheets claiming a township with no row of it, '\n'-separated */
	struct verify_file *out;
};

/* Where a row comes from: the sheet (NULL for CSV), the column of each field. */
struct source {
	const char *sheet;
	int col_of[NF];
};

/* A file of this run, for the one check across files: two files of one
 * name and the same counties in one run. */
struct done_file {
	char *name, *counties, *sha;
};

struct verify_session {
	sqlite3 *db;
	const struct verify_options *opt;
	struct tmpl_columns *cols;
	int field_index[NF];
	struct item *items;
	long nitems;
	struct town *towns;
	int ntowns;
	int loaded;               /* the sample is in memory, */
	long long data_version;   /* as the database was then */
	char drawn[11], today[11];
	char dates_allowed[96];   /* "2026-11-01 至 2026-11-25 之间的日期" */
	long row_limit;
	const char *layout[MAX_LAYOUT];
	int nlayout;
	int serial;
	struct file *cur;
	struct done_file *done;
	int ndone;
	struct strbuf notices; /* the 退回说明 written this run, '\n'-separated */
};

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

void verify_file_clear(struct verify_file *f)
{
	free(f->name);
	free(f->counties);
	free(f->rejects);
	free(f->gaps);
	memset(f, 0, sizeof *f);
}

/* A rejected row of the current file: the place (sheet, row, and column
 * when there is one) and what is allowed, in English and in Chinese; never
 * the cell's content. */
static void reject(struct verify_session *r, const char *sheet, long row, int field_col, const char *label,
		   const char *problem, const char *allowed, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static void reject(struct verify_session *r, const char *sheet, long row, int field_col, const char *label,
		   const char *problem, const char *allowed, const char *fmt, ...)
{
	struct verify_file *f = r->cur->out;
	struct verify_reject *x;
	va_list ap;

	f->nrejects++;
	if (f->nkept_rejects >= VERIFY_REJECTS_KEPT)
		return;
	if (!f->rejects)
		f->rejects = xcalloc(VERIFY_REJECTS_KEPT, sizeof *f->rejects);
	x = &f->rejects[f->nkept_rejects++];
	snprintf(x->sheet, sizeof x->sheet, "%s", sheet ? sheet : "");
	x->row = row;
	x->col = label ? field_col : 0;
	snprintf(x->label, sizeof x->label, "%s", label ? label : "");
	snprintf(x->problem, sizeof x->problem, "%s", problem);
	snprintf(x->allowed, sizeof x->allowed, "%s", allowed);
	va_start(ap, fmt);
	vsnprintf(x->reason, sizeof x->reason, msg_tr(fmt), ap);
	va_end(ap);
}

/* A reject about a field of a row: its column, or the row when the file has
 * no such column.  problem is said of the field ("不是下拉列表中的选项"). */
static void reject_field(struct verify_session *r, const struct source *src, long row, int f, const char *problem,
			 const char *allowed, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void reject_field(struct verify_session *r, const struct source *src, long row, int f, const char *problem,
			 const char *allowed, const char *fmt, ...)
{
	char reason[384], zh[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, msg_tr(fmt), ap);
	va_end(ap);
	snprintf(zh, sizeof zh, "%s%s", FIELD_LABELS[f], problem);
	if (src->col_of[f] >= 0)
		reject(r, src->sheet, row, src->col_of[f] + 1, FIELD_LABELS[f], zh, allowed, "%s", reason);
	else
		reject(r, src->sheet, row, 0, NULL, zh, allowed, "%s %s", FIELD_LABELS[f], reason);
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

static struct item *find_item(struct verify_session *r, const char *code)
{
	if (!code[0] || r->nitems == 0)
		return NULL;
	return bsearch(code, r->items, (size_t)r->nitems, sizeof *r->items, cmp_item_code);
}

/* The period of another sample a 抽查编号 belongs to ("202609-0012-004" →
 * "2026-09"), when it has the form bangfu-sample prints and is not this
 * period's; 0 otherwise. */
static int other_period_of(const char *code, const char *period, char out[8])
{
	const char *p = code;
	int digits = 0;

	for (; digits < 6 && *p >= '0' && *p <= '9'; p++)
		digits++;
	if (digits != 6 || *p != '-')
		return 0;
	for (int part = 0; part < 2; part++) {
		const char *start = ++p;

		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start || *p != (part == 0 ? '-' : '\0'))
			return 0;
	}
	snprintf(out, 8, "%.4s-%.2s", code, code + 4);
	return db_valid_period(out) && strcmp(out, period) != 0;
}

/* ---- the sample ---- */

static const char SQL_ITEMS[] =
	"SELECT s.sample_code, s.id_number, coalesce(s.city, ''), coalesce(s.county, ''), coalesce(s.township, ''),"
	" p.name, (SELECT h.name FROM hr_row h WHERE h.rowid = p.hr_rowid),"
	" c.file_name, coalesce(c.file_counties, ''), c.row"
	" FROM sample s JOIN person p ON p.period = s.period AND p.person_key = s.id_number"
	" LEFT JOIN check_result c ON c.period = s.period AND c.sample_code = s.sample_code"
	" WHERE s.period = ? ORDER BY s.sample_code";

static void free_answer(struct answer *a)
{
	if (!a)
		return;
	free(a->sheet);
	for (int f = 0; f < NF; f++)
		free(a->v[f]);
	free(a);
}

static void free_sample(struct verify_session *r)
{
	for (long i = 0; i < r->nitems; i++) {
		struct item *it = &r->items[i];

		free(it->code);
		free(it->id);
		free(it->place);
		free(it->county_key);
		free(it->earlier_file);
		free(it->earlier_counties);
		free_answer(it->answer);
	}
	free(r->items);
	free(r->towns);
	r->items = NULL;
	r->towns = NULL;
	r->nitems = 0;
	r->ntowns = 0;
	r->loaded = 0;
}

static int data_version(sqlite3 *db, long long *out, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(db, "PRAGMA data_version", &st, err) != 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(db, err, "reading the database's version");
	}
	*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int load_sample(struct verify_session *r, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	long cap = 0;
	int step, tcap = 0, found;
	char last_town[512] = "";

	free_sample(r);
	found = sample_drawn_date(r->db, r->opt->period, r->drawn, err);
	if (found < 0)
		return -1;
	if (found == 0)
		return bangfu_fail(err, ERR_INPUT, "", 0, 0, "no_sample",
				   "%s has no sample: run bangfu-sample for the period first", r->opt->period);
	snprintf(r->dates_allowed, sizeof r->dates_allowed, "%s 至 %s 之间的日期", r->drawn, r->today);
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
	r->loaded = 1;
	return data_version(r->db, &r->data_version, err);
}

/* Inside the file's transaction: the sample as the database holds it now.
 * Read again only when another connection wrote since it was read (this
 * session's own answers are kept up to date in memory as they commit). */
static int refresh_sample(struct verify_session *r, struct bangfu_err *err)
{
	long long now;

	if (r->loaded) {
		if (data_version(r->db, &now, err) != 0)
			return -1;
		if (now == r->data_version)
			return 0;
	}
	return load_sample(r, err);
}

/* The township a sheet's name claims, or -1; -2 when several (a name used in
 * two counties). */
static int sheet_claims(struct verify_session *r, const char *sheet)
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

static void take_row(struct verify_session *r, const struct source *src, long rownum, const char *const v[NF])
{
	struct file *f = r->cur;
	struct answer *a;
	struct item *it;
	int outcome = 0;
	char date[11], zh[384], other[8];

	f->out->rows_read++;
	/* 备注 is not an answer: a row with only a note is a row not yet checked */
	for (int i = F_RESULT; i <= F_DATE; i++)
		if (v[i][0])
			outcome = 1;
	if (!v[F_CODE][0] && !outcome && !v[F_NAME][0]) {
		f->out->blank_rows++;
		return;
	}
	if (!v[F_CODE][0]) {
		reject_field(r, src, rownum, F_CODE, "为空，无法对应到抽查对象", KEEP_CODE,
			     "is empty: the row cannot be matched to a sampled person");
		return;
	}
	it = find_item(r, v[F_CODE]);
	if (!it) {
		if (other_period_of(v[F_CODE], r->opt->period, other)) {
			/* a whole file of another period is one reject (settle_period) */
			if (!f->other_rows++)
				memcpy(f->other_period, other, sizeof other);
			snprintf(zh, sizeof zh, "属于 %s 的抽查名单，不是本期（%s）的", other, r->opt->period);
			reject_field(r, src, rownum, F_CODE, zh, KEEP_CODE, "is a code of the %s sample, not of %s",
				     other, r->opt->period);
			return;
		}
		snprintf(zh, sizeof zh, "不在本期（%s）的抽查名单中", r->opt->period);
		reject_field(r, src, rownum, F_CODE, zh, KEEP_CODE,
			     "is not in the %s sample: keep the code printed on the sheet", r->opt->period);
		return;
	}
	f->matched_rows++;
	it->seen_file = f->serial;
	r->towns[it->town].touched_file = f->serial;
	{
		char key[256];

		/* The name, compared as reconciliation does, guards against rows
		 * shuffled or copied between sheets; the sheet shows the platform's
		 * name, and the roster's is as good. */
		compare_name_key(v[F_NAME], key, sizeof key);
		if (key[0] && strcmp(key, it->name_key[0]) != 0 && strcmp(key, it->name_key[1]) != 0) {
			/* no names in messages: the code says who it is */
			snprintf(zh, sizeof zh, "与抽查编号 %s 的抽查对象不符（行被调换或复制？）", it->code);
			reject_field(r, src, rownum, F_NAME, zh, "下发时表中该行的姓名",
				     "is not the name of the sampled person %s", it->code);
			return;
		}
	}
	if (v[F_ID][0] && strchr(v[F_ID], '*') == NULL) {
		struct idno id;

		idno_parse(v[F_ID], 0, &id);
		if (id.status == IDNO_OK && strcmp(id.id, it->id) != 0) {
			snprintf(zh, sizeof zh, "不是抽查编号 %s 的抽查对象的", it->code);
			reject_field(r, src, rownum, F_ID, zh, "下发时表中该行的证件号码",
				     "does not belong to the sampled person %s", it->code);
			return;
		}
	}
	if (!v[F_RESULT][0]) {
		if (outcome) {
			reject_field(r, src, rownum, F_RESULT, "未填，但本行其他核查列已填写", RESULTS_ALLOWED,
				     "is empty but other answer columns are filled: choose 准确, 不准确 or 无法联系");
			return;
		}
		f->out->blank_rows++;
		return;
	}
	if (!in_list(v[F_RESULT], RESULT_LABELS)) {
		reject_field(r, src, rownum, F_RESULT, "不是下拉列表中的选项", RESULTS_ALLOWED,
			     "must be one of 准确, 不准确, 无法联系");
		return;
	}
	if (v[F_METHOD][0] && !in_list(v[F_METHOD], METHOD_LABELS)) {
		reject_field(r, src, rownum, F_METHOD, "不是下拉列表中的选项", "电话回访、现场核查、交叉检查，或不填",
			     "must be one of 电话回访, 现场核查, 交叉检查, or empty");
		return;
	}
	if (v[F_STATUS][0] && !in_list(v[F_STATUS], STATUS_LABELS)) {
		reject_field(r, src, rownum, F_STATUS, "不是下拉列表中的选项", "已就业、未就业、失业，或不填",
			     "must be one of 已就业, 未就业, 失业, or empty");
		return;
	}
	if (!v[F_DATE][0]) {
		reject_field(r, src, rownum, F_DATE, "未填：填了核查结果的行须填核查日期", r->dates_allowed,
			     "is missing: a checked row needs the day of the check (%s to %s)", r->drawn, r->today);
		return;
	}
	if (datefmt_parse(v[F_DATE], date) != DATEFMT_DAY) {
		reject_field(r, src, rownum, F_DATE, "不是日期", r->dates_allowed,
			     "is not a date: allowed: a day from %s to %s, e.g. %s", r->drawn, r->today, r->today);
		return;
	}
	if (strcmp(date, r->drawn) < 0) {
		snprintf(zh, sizeof zh, "早于抽样之日（%s）", r->drawn);
		reject_field(r, src, rownum, F_DATE, zh, r->dates_allowed,
			     "is before the sample was drawn; allowed: %s to %s", r->drawn, r->today);
		return;
	}
	if (strcmp(date, r->today) > 0) {
		reject_field(r, src, rownum, F_DATE, "晚于今天", r->dates_allowed, "is after today; allowed: %s to %s",
			     r->drawn, r->today);
		return;
	}
	if (it->answer) {
		const struct answer *o = it->answer;

		snprintf(zh, sizeof zh, "抽查编号 %s 有两行核查结果（另一行：%s%s第 %ld 行）", it->code, o->sheet,
			 o->sheet[0] ? " " : "", o->row);
		reject(r, src->sheet, rownum, 0, NULL, zh, "每个抽查对象只填一行", "two answers for %s: also %s%s%s row %ld",
		       it->code, f->name, o->sheet[0] ? msg_tr(" sheet ") : "", o->sheet, o->row);
		return;
	}
	a = xcalloc(1, sizeof *a);
	a->sheet = xstrdup(src->sheet);
	a->row = rownum;
	for (int i = F_METHOD; i <= F_CHECKER; i++)
		a->v[i] = xstrdup(v[i]);
	a->v[F_NOTE] = xstrdup(v[F_NOTE]);
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
static int over_limit(struct verify_session *r, const char *sheet, long row)
{
	struct file *f = r->cur;

	if (++f->content_rows <= r->row_limit)
		return 0;
	/* kept apart from the rejects, which may be full by now */
	if (!f->out->stopped) {
		struct verify_reject *x = &f->out->stop;

		f->out->stopped = 1;
		snprintf(x->sheet, sizeof x->sheet, "%s", sheet ? sheet : "");
		x->row = row;
		snprintf(x->reason, sizeof x->reason,
			 msg_tr("stopped reading: the file has more rows than the %ld persons of the %s sample and the rows "
				"around them; is this a check sheet of the period?"),
			 r->nitems, r->opt->period);
		snprintf(x->problem, sizeof x->problem, "行数超过本期抽查人数（%ld 人），从此行起未再读取", r->nitems);
		snprintf(x->allowed, sizeof x->allowed, "本期（%s）下发的抽查核实表", r->opt->period);
	}
	return 1;
}
/* ---- workbooks ---- */

/* The field a header cell names: an alias of templates/columns.csv, also
 * with a note in brackets after it (核查结果（必填）, 核查日期(年-月-日)). */
static int match_field(struct verify_session *r, const char *cell)
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

static int field_of_template(struct verify_session *r, int t)
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
static int find_header(struct verify_session *r, int n, char **cells, int col_of[NF])
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
			int f = field_of_template(r, csvin_match_header(r->cols, r->layout[p]));

			if (f >= 0 && col_of[f] < 0 && at[p] < 0)
				col_of[f] = xlsxin_column_between(at, r->nlayout, p, MAX_CELLS, col_of, NF);
		}
	}
	return col_of[F_RESULT] >= 0;
}

static int row_names_an_item(struct verify_session *r, int n, char **cells)
{
	for (int c = 0; c < n; c++)
		if (find_item(r, cells[c]))
			return 1;
	return 0;
}

/* A township sheet (by its name or its 抽查编号) that cannot be read is an
 * error; other sheets (填表说明, a clerk's own notes) are passed over.  -1
 * with err only when the file cannot be read as a workbook. */
static int read_xlsx(struct verify_session *r, struct bangfu_err *err)
{
	struct file *f = r->cur;
	struct xlsxin *x = xlsxin_open(f->path, err);
	int sheets_used = 0, stopped = 0;
	long rejects_before = f->out->nrejects;

	if (!x)
		return -1;
	for (int i = 0; i < xlsxin_sheet_count(x) && !stopped; i++) {
		const char *sheet = xlsxin_sheet_name(x, i);
		struct xlsxin_row *row;
		struct source src = {.sheet = sheet};
		long named_header_row = 0, item_rows = 0;
		int have_header = 0, failed = 0, claim = sheet_claims(r, sheet), rc;

		if (xlsxin_sheet_begin(x, i, err) != 0) {
			xlsxin_close(x);
			return -1;
		}
		while ((rc = xlsxin_next_row(x, &row, err)) == 1) {
			char *cells[MAX_CELLS];
			const char *v[NF];
			int n = xlsxin_trimmed_cells(row, cells, MAX_CELLS);

			if (over_limit(r, sheet, row->row)) {
				stopped = 1;
				break;
			}
			if (failed)
				continue;
			if (!have_header) {
				int col_of[NF];

				if (find_header(r, n, cells, col_of)) {
					have_header = 1;
					f->looks_checked = 1;
					memcpy(src.col_of, col_of, sizeof col_of);
				} else if (col_of[F_CODE] >= 0 && !named_header_row) {
					named_header_row = row->row;
				} else if (row_names_an_item(r, n, cells)) {
					f->looks_checked = 1;
					if (named_header_row)
						reject(r, sheet, named_header_row, 0, NULL,
						       "表头有“抽查编号”，但没有“核查结果”列", KEEP_HEADER,
						       "the header row has 抽查编号 but no column 核查结果 (no name of "
						       "templates/columns.csv, and none where the sheet was sent with it): "
						       "restore the header the sheet was sent with");
					else
						reject(r, sheet, row->row, 0, NULL,
						       "有本期的抽查编号，但其上方没有含“抽查编号”“核查结果”的表头",
						       KEEP_HEADER,
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
			reject(r, sheet, named_header_row, 0, NULL, "是本期的乡镇抽查表，但没有含“抽查编号”“核查结果”的表头",
			       KEEP_HEADER,
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
	if (!sheets_used && f->out->nrejects == rejects_before)
		reject(r, NULL, 0, 0, NULL, "没有工作表含“抽查编号”和“核查结果”列，不像抽查核实表",
		       "下发的抽查核实表（.xlsx），或含这两列的 CSV 文件",
		       "no sheet has the columns 抽查编号 and 核查结果: is this a check sheet?");
	return 0;
}

/* -1 with err when the file cannot be read as text or names no 抽查编号
 * column (err->code no_header or missing_column: no check sheet). */
static int read_csv(struct verify_session *r, struct bangfu_err *err)
{
	struct file *f = r->cur;
	struct csvin_options copt = {.columns = r->cols, .display_name = f->name};
	struct csvin *in = csvin_open(f->path, &copt, err);
	struct csvin_row *row;
	struct source src = {.sheet = NULL};
	int rc;

	if (!in)
		return -1;
	f->looks_checked = 1;
	for (int i = 0; i < NF; i++)
		src.col_of[i] = csvin_field_column(in, r->field_index[i]);
	if (src.col_of[F_RESULT] < 0) {
		/* required of a check sheet, but not of what is passed over */
		reject(r, NULL, 0, 0, NULL, "表头有“抽查编号”，但没有“核查结果”列", KEEP_HEADER,
		       "the header row has no column 核查结果: restore the header the sheet was sent with");
		csvin_close(in);
		return 0;
	}
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *v[NF];

		if (over_limit(r, NULL, row->line))
			break;
		if (row->rejected) {
			reject(r, NULL, row->line, 0, NULL, "该行无法读取（编码有误或引号不成对）",
			       "用 Excel 打开后另存为 .xlsx 报送", "%s", row->reject_message);
			continue;
		}
		fields_of(row->nfields, row->fields, src.col_of, v);
		take_row(r, &src, row->line, v);
	}
	csvin_close(in);
	return rc < 0 ? -1 : 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* The file cannot be read at all: one reject, the reader's message in
 * English, and in Chinese what to send instead. */
static void reject_unreadable(struct verify_session *r, const struct bangfu_err *why)
{
	const char *problem = "文件无法读取：不是完好的 .xlsx 工作簿或 CSV 文本（可能已损坏或未下载完整）";
	const char *allowed = "用 Excel 打开后另存为 .xlsx，再报送";

	if (ends_with(r->cur->name, ".xls") || ends_with(r->cur->name, ".et"))
		problem = "是 Excel 97-2003 或 WPS 的旧格式，无法读取";
	else if (strcmp(why->code, "empty_file") == 0)
		problem = "文件是空的";
	if (why->line > 0 && why->column > 0)
		reject(r, NULL, why->line, (int)why->column, "", problem, allowed, "%s", why->message);
	else if (why->line > 0)
		reject(r, NULL, why->line, 0, NULL, problem, allowed, "%s", why->message);
	else
		reject(r, NULL, 0, 0, NULL, problem, allowed, "%s", why->message);
}

/* ---- after a file ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_gap(struct verify_session *r, const struct town *t)
{
	struct verify_file *f = r->cur->out;
	struct verify_gap *g;
	struct strbuf codes;
	long missing = 0;

	strbuf_init(&codes);
	for (int i = t->first; i < t->first + t->n; i++)
		if (r->items[i].seen_file != r->cur->serial) {
			if (missing < 8)
				strbuf_addf(&codes, "%s%s", missing ? ", " : "", r->items[i].code);
			else if (missing == 8)
				strbuf_addstr(&codes, ", …");
			missing++;
		}
	if (missing > 0) {
		f->gaps = realloc(f->gaps, (size_t)(f->ngaps + 1) * sizeof *f->gaps);
		if (!f->gaps)
			abort();
		g = &f->gaps[f->ngaps++];
		snprintf(g->place, sizeof g->place, "%s", r->items[t->first].place);
		g->missing = missing;
		g->sampled = t->n;
		snprintf(g->codes, sizeof g->codes, "%s", strbuf_str(&codes));
	}
	strbuf_free(&codes);
}

/* The file's counties (its identity with its name), and the sampled persons
 * of its townships that have no row in it. */
static void finish_file(struct verify_session *r)
{
	struct file *f = r->cur;
	int k = f->serial;
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
		add_gap(r, &r->towns[t]);
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
	free(f->out->counties);
	f->out->counties = xstrdup(strbuf_str(&sb));
	strbuf_free(&sb);
	free(keys);
}

/* A file of another period is one reject, not one per row: when no row
 * named this period's sample and some named another's. */
static int settle_period(struct verify_session *r, struct bangfu_err *err)
{
	struct file *f = r->cur;
	struct verify_file *out = f->out;
	char drawn[11], prefix[8], problem[384], allowed[256];
	int sampled;

	if (f->other_rows == 0 || f->matched_rows > 0)
		return 0;
	sampled = sample_drawn_date(r->db, f->other_period, drawn, err);
	if (sampled < 0)
		return -1;
	out->nrejects = out->nkept_rejects = 0;
	out->stopped = 0;
	snprintf(prefix, sizeof prefix, "%.4s%.2s", f->other_period, f->other_period + 5);
	snprintf(problem, sizeof problem, "这是 %s 的抽查核实表（抽查编号以 %s 开头），不是本期（%s）的",
		 f->other_period, prefix, r->opt->period);
	snprintf(allowed, sizeof allowed, "本期（%s）下发的抽查核实表", r->opt->period);
	reject(r, NULL, 0, 0, NULL, problem, allowed,
	       "is a check sheet of %s (its 抽查编号 begin with %s), not of %s: %s", f->other_period, prefix,
	       r->opt->period,
	       sampled ? msg_tr("load it with that --period, or send back this period's sheet")
		       : msg_tr("send back the sheet of this period"));
	return 0;
}

/* Against earlier files: a second file of this name with rows of the same
 * counties in this run; answers to persons another file answered; earlier
 * answers of this file its new version leaves out (kept). */
static void check_against_earlier_files(struct verify_session *r)
{
	struct file *f = r->cur;
	struct verify_file *out = f->out;

	for (int i = 0; i < r->ndone; i++)
		if (strcmp(r->done[i].name, f->name) == 0 && strcmp(r->done[i].counties, out->counties) == 0 &&
		    strcmp(r->done[i].sha, out->sha256) != 0) {
			char problem[384];

			snprintf(problem, sizeof problem, "与本次报送的另一份同名文件属同一县市区（%s）",
				 out->counties[0] ? out->counties : "无");
			reject(r, NULL, 0, 0, NULL, problem, "同一份文件只报送一次（保留改正后的那份）",
			       "is a second file named %s with rows of the same counties (%s) in this run: load one of them",
			       f->name, out->counties[0] ? out->counties : "none");
			break;
		}
	for (long i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		const struct answer *a = it->answer;
		char problem[384];

		if (!it->earlier_file)
			continue;
		/* Loading a file again (its name, its counties) replaces its answers. */
		if (strcmp(it->earlier_file, f->name) == 0 && strcmp(it->earlier_counties, out->counties) == 0) {
			if (!a)
				out->kept++;
			continue;
		}
		if (!a)
			continue;
		snprintf(problem, sizeof problem, "抽查编号 %s 已由另一文件 %s 第 %ld 行报送", it->code,
			 it->earlier_file, it->earlier_row);
		reject(r, a->sheet, a->row, 0, NULL, problem, "改正原文件后重新报送，或将本行核查列留空",
		       "%s was already answered in %s row %ld (another file): correct that file and load it again, "
		       "or leave this row empty",
		       it->code, it->earlier_file, it->earlier_row);
	}
}

static int write_answers(struct verify_session *r, struct bangfu_err *err)
{
	const struct verify_file *out = r->cur->out;
	sqlite3_stmt *ins = NULL, *file = NULL;
	char now[32];
	int rc = -1;
	long answers = 0;

	db_now_iso(now);
	if (db_prepare(r->db, "INSERT OR REPLACE INTO check_result (period, sample_code, result, method,"
			      " corrected_status, corrected_place, corrected_employer, checker, check_date, file_name,"
			      " sheet, row, loaded_at, file_counties, note)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
		sqlite3_bind_text(ins, 10, r->cur->name, -1, SQLITE_STATIC);
		db_bind_text(ins, 11, a->sheet[0] ? a->sheet : NULL);
		sqlite3_bind_int64(ins, 12, a->row);
		sqlite3_bind_text(ins, 13, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 14, out->counties, -1, SQLITE_STATIC);
		db_bind_text(ins, 15, a->v[F_NOTE][0] ? a->v[F_NOTE] : NULL);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			db_fail(r->db, err, "saving an answer");
			goto out;
		}
		sqlite3_reset(ins);
		answers++;
	}
	sqlite3_bind_text(file, 1, r->opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(file, 2, r->cur->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(file, 3, out->counties, -1, SQLITE_STATIC);
	sqlite3_bind_text(file, 4, out->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(file, 5, out->rows_read);
	sqlite3_bind_text(file, 6, now, -1, SQLITE_STATIC);
	if (sqlite3_step(file) != SQLITE_DONE) {
		db_fail(r->db, err, "recording a file");
		goto out;
	}
	r->cur->out->answers = answers;
	rc = 0;
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(file);
	return rc;
}

/* After the commit: the file's answers are the earlier answers of the next file. */
static void remember_answers(struct verify_session *r)
{
	for (long i = 0; i < r->nitems; i++) {
		struct item *it = &r->items[i];

		if (!it->answer)
			continue;
		free(it->earlier_file);
		free(it->earlier_counties);
		it->earlier_file = xstrdup(r->cur->name);
		it->earlier_counties = xstrdup(r->cur->out->counties);
		it->earlier_row = it->answer->row;
	}
}

static void forget_answers(struct verify_session *r)
{
	for (long i = 0; i < r->nitems; i++) {
		free_answer(r->items[i].answer);
		r->items[i].answer = NULL;
	}
}

static int file_unchanged(struct verify_session *r, int *same, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(r->db, "SELECT 1 FROM check_file WHERE period = ? AND file_name = ? AND sha256 = ?", &st,
		       err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, r->opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->cur->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->cur->out->sha256, -1, SQLITE_STATIC);
	*same = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return 0;
}

/* ---- a session: one file after another ---- */

struct verify_session *verify_session_open(sqlite3 *db, const struct verify_options *opt, struct bangfu_err *err)
{
	struct verify_session *r;
	struct tmpl_columns *cols;
	time_t now = time(NULL);
	struct tm tm;

	if (tmpl_columns_load("check", &cols, err) != 0)
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->db = db;
	r->opt = opt;
	r->cols = cols;
	localtime_r(&now, &tm);
	strftime(r->today, sizeof r->today, "%Y-%m-%d", &tm);
	r->nlayout = sample_sheet_header(r->layout, MAX_LAYOUT);
	for (int f = 0; f < NF; f++)
		r->field_index[f] = tmpl_columns_find(cols, FIELD_NAMES[f]);
	if (r->field_index[F_CODE] < 0 || r->field_index[F_RESULT] < 0) {
		verify_session_close(r);
		bangfu_fail(err, ERR_INPUT, "columns.csv", 0, 0, "bad_template",
			    "templates/columns.csv has no check rows for sample_code and result");
		return NULL;
	}
	/* Only 抽查编号 makes a file a check sheet to csvin; a missing 核查结果
	 * is then a reject of the check sheet (read_csv), and a file without
	 * 抽查编号 is no check sheet at all. */
	for (int f = 0; f < cols->n; f++)
		cols->cols[f].required = f == r->field_index[F_CODE];
	strbuf_init(&r->notices);
	return r;
}

void verify_session_close(struct verify_session *r)
{
	if (!r)
		return;
	free_sample(r);
	for (int i = 0; i < r->ndone; i++) {
		free(r->done[i].name);
		free(r->done[i].counties);
		free(r->done[i].sha);
	}
	free(r->done);
	strbuf_free(&r->notices);
	tmpl_columns_free(r->cols);
	free(r);
}

static void remember_file(struct verify_session *r)
{
	const struct verify_file *out = r->cur->out;
	struct done_file *d;

	r->done = realloc(r->done, (size_t)(r->ndone + 1) * sizeof *r->done);
	if (!r->done)
		abort();
	d = &r->done[r->ndone++];
	d->name = xstrdup(r->cur->name);
	d->counties = xstrdup(out->counties);
	d->sha = xstrdup(out->sha256);
}

/* Read the file in its transaction: its rejects, its pending answers.  -1
 * with err only for what stops the run. */
static int validate_file(struct verify_session *r, struct bangfu_err *err)
{
	struct file *f = r->cur;
	struct bangfu_err why;
	int rc;

	bangfu_err_clear(&why);
	rc = xlsxin_is_zip(f->path) ? read_xlsx(r, &why) : read_csv(r, &why);
	if (rc != 0) {
		if (why.kind == ERR_INTERNAL) {
			*err = why;
			return -1;
		}
		/* a CSV without 抽查编号 (no_header, missing_column) is no check sheet */
		if (strcmp(why.code, "no_header") == 0 || strcmp(why.code, "missing_column") == 0)
			f->looks_checked = 0;
		else
			f->looks_checked = 1;
		f->out->nrejects = f->out->nkept_rejects = 0;
		f->out->stopped = 0;
		reject_unreadable(r, &why);
		return 0;
	}
	finish_file(r);
	check_against_earlier_files(r);
	return settle_period(r, err);
}

int verify_session_file(struct verify_session *r, const struct verify_input *in, struct verify_file *out,
			struct bangfu_err *err)
{
	struct file f = {.path = in->path, .out = out};
	struct bangfu_err why;
	char *copy = xstrdup(in->path);
	int same = 0, rc = -1;

	memset(out, 0, sizeof *out);
	out->path = in->path;
	out->name = xstrdup(basename(copy));
	f.name = out->name;
	free(copy);
	out->shown = in->shown ? in->shown : out->name;
	out->counties = xstrdup("");
	f.serial = ++r->serial;
	strbuf_init(&f.claimed);
	r->cur = &f;
	bangfu_err_clear(&why);
	if (load_sha256_file(in->path, out->sha256, &why) != 0) {
		/* not there, or not readable here: the statistician's to mend,
		 * no 退回说明 for a county */
		reject_unreadable(r, &why);
		out->state = VERIFY_REFUSED;
		remember_file(r);
		rc = 0;
		goto out;
	}
	/* The write lock first: what is validated is what gets written. */
	if (db_begin(r->db, err) != 0)
		goto out;
	if (refresh_sample(r, err) != 0 || file_unchanged(r, &same, err) != 0)
		goto rollback;
	if (same) {
		out->state = VERIFY_UNCHANGED;
		db_rollback(r->db);
		rc = 0;
		goto out;
	}
	if (validate_file(r, err) != 0)
		goto rollback;
	if (in->found && !f.looks_checked) {
		out->state = VERIFY_PASSED_OVER;
		out->nrejects = out->nkept_rejects = 0;
		db_rollback(r->db);
		rc = 0;
		goto out;
	}
	if (out->nrejects > 0 || out->stopped) {
		out->state = VERIFY_REFUSED;
		db_rollback(r->db);
		goto settled;
	}
	if (write_answers(r, err) != 0 || db_commit(r->db, err) != 0)
		goto rollback;
	out->state = VERIFY_LOADED;
	remember_answers(r);
settled:
	remember_file(r);
	if (out->state == VERIFY_REFUSED && r->opt->notices_dir) {
		if (verify_write_notice(out, r->opt->notices_dir, r->opt->period, strbuf_str(&r->notices), out->notice,
					sizeof out->notice, err) != 0)
			goto out;
		strbuf_addf(&r->notices, "%s\n", out->notice);
	}
	rc = 0;
	goto out;
rollback:
	db_rollback(r->db);
out:
	forget_answers(r);
	strbuf_free(&f.claimed);
	r->cur = NULL;
	return rc;
}

int verify_load(sqlite3 *db, const struct verify_options *opt, const struct verify_input *inputs, int ninputs,
		struct verify_summary *sum, struct bangfu_err *err)
{
	struct verify_session *s = verify_session_open(db, opt, err);
	int rc = 0;

	if (!s)
		return -1;
	for (int i = 0; i < ninputs && rc == 0; i++) {
		struct verify_file f;

		rc = verify_session_file(s, &inputs[i], &f, err);
		if (rc == 0) {
			sum->files++;
			sum->loaded += f.state == VERIFY_LOADED;
			sum->unchanged += f.state == VERIFY_UNCHANGED;
			sum->refused += f.state == VERIFY_REFUSED;
			sum->passed_over += f.state == VERIFY_PASSED_OVER;
			sum->notices += f.notice[0] != '\0';
			if (f.state == VERIFY_LOADED) {
				sum->rows_read += f.rows_read;
				sum->answers += f.answers;
				sum->blank_rows += f.blank_rows;
			}
			if (opt->file_done)
				opt->file_done(&f, opt->ctx);
		}
		verify_file_clear(&f);
	}
	verify_session_close(s);
	return rc;
}

/* ---- the 退回说明 of a refused file ---- */

enum { NT_NO, NT_SHEET, NT_ROW, NT_COL, NT_LABEL, NT_PROBLEM, NT_ALLOWED, NT_NCOLS };

static const struct xlsx_column NOTICE_COLUMNS[NT_NCOLS] = {
	{"序号", 6}, {"工作表", 12}, {"行", 6}, {"列", 5}, {"列名", 12}, {"问题", 44}, {"允许填写", 34}};

/* All of a file's rejects are about the whole file (another period, a file
 * that cannot be read): the notice says so instead of counting rows. */
static int about_the_file(const struct verify_file *f)
{
	for (long i = 0; i < f->nkept_rejects; i++)
		if (f->rejects[i].row > 0 || f->rejects[i].sheet[0])
			return 0;
	return !f->stopped && f->nkept_rejects > 0;
}

static void notice_row(struct xlsx_book *b, lxw_worksheet *ws, int row, long no, const struct verify_reject *x)
{
	char letters[8];

	xlsx_put_number(b, ws, row, NT_NO, (double)no, b->count);
	xlsx_put_text(b, ws, row, NT_SHEET, x->sheet[0] ? x->sheet : "—", b->text);
	if (x->row > 0)
		xlsx_put_number(b, ws, row, NT_ROW, (double)x->row, b->count);
	else
		xlsx_put_text(b, ws, row, NT_ROW, "—", b->text);
	if (x->col > 0)
		verify_column_letters(x->col, letters);
	xlsx_put_text(b, ws, row, NT_COL, x->col > 0 ? letters : "—", b->text);
	xlsx_put_text(b, ws, row, NT_LABEL, x->label[0] ? x->label : "—", b->text);
	xlsx_put_text(b, ws, row, NT_PROBLEM, x->problem, b->text_wrap);
	xlsx_put_text(b, ws, row, NT_ALLOWED, x->allowed, b->text_wrap);
}

static int path_taken(const char *taken, const char *path)
{
	size_t len = strlen(path);

	for (const char *p = taken; p && *p;) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == len && memcmp(p, path, n) == 0)
			return 1;
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

int verify_write_notice(const struct verify_file *f, const char *dir, const char *period, const char *taken,
			char *path, size_t pathsz, struct bangfu_err *err)
{
	static const struct xlsx_column about_cols[] = {{"项目", 12}, {"说明", 90}};
	struct outputs outs = {0};
	struct xlsx_book book;
	lxw_worksheet *ws;
	char stem[256], title[512], text[1024];
	const char *tmp, *dot;
	int row, first;
	long no = 0;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "cannot create the directory: %s",
				   strerror(errno));
	dot = strrchr(f->name, '.');
	snprintf(stem, sizeof stem, "%.*s", (int)(dot && dot != f->name ? dot - f->name : (long)strlen(f->name)),
		 f->name);
	for (int n = 1;; n++) {
		int len = n == 1 ? snprintf(path, pathsz, "%s/退回说明_%s.xlsx", dir, stem)
				 : snprintf(path, pathsz, "%s/退回说明_%s_%d.xlsx", dir, stem, n);

		if (len < 0 || (size_t)len >= pathsz)
			return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "the path is too long");
		if (!path_taken(taken, path))
			break;
	}
	if (outputs_add(&outs, path, &tmp, err) != 0)
		goto fail;
	if (xlsx_open(&book, tmp, f->counties[0] ? f->counties : "—", period, err) != 0)
		goto fail;

	snprintf(title, sizeof title, "抽查核实表退回说明（%s）", period);
	ws = xlsx_sheet(&book, "退回说明", title, 0, about_cols, 2, &row);
	xlsx_note(&book, ws, row++, "文件", f->shown);
	xlsx_note(&book, ws, row++, "所属县市区",
		  f->counties[0] ? f->counties : "未能识别（文件中没有本期抽查对象的行）");
	if (about_the_file(f)) {
		snprintf(text, sizeof text, "%s。整份文件未导入。", f->rejects[0].problem);
		xlsx_note(&book, ws, row++, "退回原因", text);
		xlsx_note(&book, ws, row++, "如何改正", "请按“问题清单”中“允许填写”的要求重新报送。");
	} else {
		int len = snprintf(text, sizeof text,
				   "发现 %ld 处问题，整份文件未导入（一份文件要么全部导入，要么全部不导入）。",
				   f->nrejects + (f->stopped ? 1 : 0));

		if (f->nrejects > f->nkept_rejects && len > 0 && (size_t)len < sizeof text)
			snprintf(text + len, sizeof text - (size_t)len, "问题清单列出前 %ld 处。", f->nkept_rejects);
		xlsx_note(&book, ws, row++, "退回原因", text);
		xlsx_note(&book, ws, row++, "如何改正",
			  "请打开原文件，按“问题清单”所列的工作表、行、列逐处改正，未列出的行不必改动。"
			  "改好后将整份文件重新报送，文件名可以不变；本次已导入的其他文件不受影响。");
	}
	xlsx_note(&book, ws, row++, "个人信息",
		  "问题清单只写位置和填写要求，不抄录单元格的内容；请对照原文件查看。");
	worksheet_set_column(ws, 1, 1, 90, book.text_wrap);

	ws = xlsx_sheet(&book, "问题清单", title, 0, NOTICE_COLUMNS, NT_NCOLS, &first);
	row = first;
	for (long i = 0; i < f->nkept_rejects; i++)
		notice_row(&book, ws, row++, ++no, &f->rejects[i]);
	if (f->stopped)
		notice_row(&book, ws, row++, ++no, &f->stop);
	if (f->nrejects > f->nkept_rejects) {
		struct verify_reject more = {.row = 0};

		snprintf(more.problem, sizeof more.problem, "另有 %ld 处问题未列出", f->nrejects - f->nkept_rejects);
		snprintf(more.allowed, sizeof more.allowed, "改正以上各处后重新报送，其余问题届时再列出");
		notice_row(&book, ws, row++, ++no, &more);
	}
	if (row > first)
		xlsx_autofilter(&book, ws, first - 1, 0, row - 1, NT_NCOLS - 1);
	if (xlsx_close(&book, err) != 0 || outputs_commit(&outs, err) != 0)
		goto fail;
	return 0;
fail:
	outputs_discard(&outs);
	path[0] = '\0';
	return -1;
}
/* ---- verdicts and re-verification lists ---- */

void verify_list_name(const char *county, const char *township, const char *period, char *out, size_t outsz)
{
	snprintf(out, outsz, "重新校准清单_%s_%s_%s.xlsx", county, township, period);
	/* a place name is one component of the file name, whatever it holds */
	for (char *p = out; *p; p++)
		if (*p == '/' || *p == '\\')
			*p = '_';
}

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
	" LEFT JOIN hr_row h ON h.rowid = p.hr_rowid LEFT JOIN roster_row r ON r.rowid = p.roster_rowid"
	/* a place the sources left empty is '' here and NULL in person */
	" WHERE p.period = ?1 AND p.city IS nullif(?2, '') AND p.county IS nullif(?3, '') AND p.township IS nullif(?4, '')"
	" ORDER BY p.village, p.name, p.person_key";

static const char *col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s ? s : "";
}

static int write_list(sqlite3 *db, const struct verify_options *opt, struct outputs *outs,
		      struct xlsx_closer *closer, const char *city, const char *county, const char *township,
		      double accuracy, struct bangfu_err *err)
{
	struct xlsx_book book;
	sqlite3_stmt *st;
	lxw_worksheet *ws;
	char path[2048], title[512], unit[512], name[768];
	const char *tmp;
	int row, first, step;

	verify_list_name(county, township, opt->period, name, sizeof name);
	if ((size_t)snprintf(path, sizeof path, "%s/%s", opt->out_dir, name) >= sizeof path)
		return bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "the path is too long");
	snprintf(unit, sizeof unit, "%s%s%s", city, county, township);
	if (outputs_add(outs, path, &tmp, err) != 0 || xlsx_open_streamed(&book, tmp, unit, opt->period, err) != 0)
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
		xlsx_autofilter(&book, ws, first - 1, 0, row - 1, RL_NCOLS - 1);
	}
	if (step != SQLITE_DONE) {
		struct bangfu_err ignored;

		db_fail(db, err, "listing the township's persons");
		xlsx_close(&book, &ignored);
		return -1;
	}
	return xlsx_closer_add(closer, &book, err); /* streamed: its rows are on disk */
}

int verify_report(sqlite3 *db, const struct verify_options *opt, struct verify_summary *sum,
		  struct bangfu_err *err)
{
	struct outputs outs = {0};
	struct xlsx_closer *closer = NULL;
	struct bangfu_err ignored;
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
				if (!closer)
					closer = xlsx_closer_start();
				if (write_list(db, opt, &outs, closer, (const char *)sqlite3_column_text(st, 0),
					       (const char *)sqlite3_column_text(st, 1),
					       (const char *)sqlite3_column_text(st, 2), sqlite3_column_double(st, 4),
					       err) != 0) {
					sqlite3_finalize(st);
					xlsx_closer_finish(closer, &ignored);
					outputs_discard(&outs);
					return -1;
				}
				sum->lists_written++;
			}
		}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		xlsx_closer_finish(closer, &ignored);
		outputs_discard(&outs);
		return db_fail(db, err, "reading the verdicts");
	}
	if (xlsx_closer_finish(closer, err) != 0) {
		outputs_discard(&outs);
		return -1;
	}
	return outputs_commit(&outs, err);
}

/* ---- the command: bangfu-verify ---- */

/* ---- the command: bangfu-verify ---- */

/* file, sheet, row, column and what is allowed; CSV as file:line:column. */
static void print_reject(const char *file, const struct verify_reject *x)
{
	char letters[8];
	const char *sep = x->label[0] ? " " : "";

	if (x->sheet[0] && x->col > 0) {
		verify_column_letters(x->col, letters);
		msg_errorf("%s: sheet %s: row %ld: column %s (%s) %s", file, x->sheet, x->row, letters, x->label,
			   x->reason);
	} else if (x->sheet[0] && x->row > 0) {
		msg_errorf("%s: sheet %s: row %ld: %s", file, x->sheet, x->row, x->reason);
	} else if (x->sheet[0]) {
		msg_errorf("%s: sheet %s: %s", file, x->sheet, x->reason);
	} else if (x->col > 0) {
		msg_errorf("%s:%ld:%d: %s%s%s", file, x->row, x->col, x->label, sep, x->reason);
	} else if (x->row > 0) {
		msg_errorf("%s:%ld: %s", file, x->row, x->reason);
	} else {
		msg_errorf("%s: %s", file, x->reason);
	}
}

struct verify_report_ctx {
	struct strbuf refused; /* the names of the refused files, ", "-separated */
};

/* What became of a file, as it happens. */
static void file_done(const struct verify_file *f, void *ctx)
{
	struct verify_report_ctx *c = ctx;

	switch (f->state) {
	case VERIFY_LOADED:
		msg_info("%s: %ld answers loaded (%s), %ld rows not yet checked", f->shown, f->answers,
			 f->counties[0] ? f->counties : msg_tr("no county"), f->blank_rows);
		for (long i = 0; i < f->ngaps; i++)
			msg_info("%s: %s: %ld of %ld sampled persons have no row (rows deleted from the sheet?): %s",
				 f->shown, f->gaps[i].place, f->gaps[i].missing, f->gaps[i].sampled, f->gaps[i].codes);
		if (f->kept > 0)
			msg_info("%s: %ld answers loaded earlier from this file are kept: this version leaves them empty "
				 "or has no row for them",
				 f->shown, f->kept);
		break;
	case VERIFY_UNCHANGED:
		msg_verbose("%s: unchanged since it was loaded", f->shown);
		break;
	case VERIFY_PASSED_OVER:
		msg_info("%s: passed over: no sheet names the columns 抽查编号 and 核查结果", f->shown);
		break;
	case VERIFY_REFUSED:
		for (long i = 0; i < f->nkept_rejects; i++)
			print_reject(f->shown, &f->rejects[i]);
		if (f->nrejects > f->nkept_rejects)
			msg_errorf("%s: ... and %ld more rejected rows (the first %d are listed)", f->shown,
				   f->nrejects - f->nkept_rejects, VERIFY_REJECTS_KEPT);
		if (f->stopped)
			print_reject(f->shown, &f->stop);
		if (about_the_file(f))
			msg_errorf("%s: refused: nothing of it was loaded%s%s", f->shown,
				   f->notice[0] ? msg_tr("; 退回说明: ") : "", f->notice);
		else
			msg_errorf("%s: refused (%ld rows rejected%s): nothing of it was loaded%s%s", f->shown,
				   f->nrejects, f->stopped ? msg_tr(", reading stopped") : "",
				   f->notice[0] ? msg_tr("; 退回说明: ") : "", f->notice);
		strbuf_addf(&c->refused, "%s%s", c->refused.len ? ", " : "", f->shown);
		break;
	}
}

int cmd_verify(int argc, char **argv)
{
	const char *db_path = "bangfu.db", *from_dir = NULL;
	struct verify_options opt = {0};
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the sampled month"),
		CLI_OPT_STRING("from", &from_dir, "DIR",
			       "also load every returned file in DIR and its folders: .xlsx and\n"
			       ".csv, also inside .zip files; files that are no check sheet\n"
			       "(work lists, 填报说明) are passed over"),
		CLI_OPT_STRING("out", &opt.out_dir, "DIR", "write re-verification lists here"),
		CLI_OPT_STRING("notices", &opt.notices_dir, "DIR",
			       "write a 退回说明 (what to correct, in Chinese) for each refused\n"
			       "file here, to send back to its county"),
		CLI_OPT_FLAG("full-id", &opt.full_id,
			     "print whole ID numbers and phones in the lists (default: masked, valid or not)"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-verify", "[FILE...]",
		/* xgettext:no-c-format */
		N_("Load returned check sheets (xlsx from Excel or LibreOffice, or CSV in UTF-8 or\n"
		"GB18030), each file on its own: every row is checked against the period's\n"
		"sample, and a file with a rejected row is refused whole (its rejects listed\n"
		"with file, sheet, row, column and what is allowed, the first 1000) while the\n"
		"other files load.  A file of another period is one message.  An answer belongs\n"
		"to its sampled person: a file loaded again (same name, rows of the same\n"
		"counties) replaces the answers it gives again and keeps the others.  Then each\n"
		"checked township gets its accuracy, Wilson interval and verdict (view\n"
		"v_township_check): below 90% it must recalibrate, and with --out its\n"
		"re-verification list (重新校准清单) is written to DIR.  Exit 1 when a file was\n"
		"refused."),
		NULL, options};
	struct verify_summary sum = {0};
	struct verify_report_ctx ctx;
	struct pack_returns found = {0};
	struct verify_input *inputs = NULL;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int first, ninputs = 0, status = EXIT_OK;

	bangfu_err_clear(&err);
	strbuf_init(&ctx.refused);
	if ((first = cli_parse(&cmd, argc, argv, &status)) < 0)
		return status;
	opt.file_done = file_done;
	opt.ctx = &ctx;
	if (from_dir && pack_returns_find(from_dir, &found, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	for (int i = 0; i < found.nskipped; i++)
		msg_info("%s", found.skipped[i]);
	inputs = xcalloc((size_t)(argc - first + found.n) + 1, sizeof *inputs);
	for (int i = first; i < argc; i++)
		inputs[ninputs++] = (struct verify_input){.path = argv[i]};
	for (int i = 0; i < found.n; i++)
		inputs[ninputs++] = (struct verify_input){.path = found.files[i].path, .shown = found.files[i].shown,
							  .found = 1};
	if (from_dir && found.n == 0)
		msg_info("%s: no returned file (.xlsx, .csv, .zip) in it", from_dir);
	if (db_open_existing(db_path, &db, &err) != 0 || reconcile_register_functions(db, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	if (ninputs > 0) {
		int rc = verify_load(db, &opt, inputs, ninputs, &sum, &err);

		msg_info("%ld files: %ld loaded, %ld unchanged, %ld refused, %ld passed over; %ld rows read, "
			 "%ld answers loaded, %ld rows not yet checked",
			 sum.files, sum.loaded, sum.unchanged, sum.refused, sum.passed_over, sum.rows_read, sum.answers,
			 sum.blank_rows);
		if (sum.refused) {
			msg_errorf("%ld of %ld files refused: %s", sum.refused, sum.files, strbuf_str(&ctx.refused));
			if (opt.notices_dir)
				msg_info("%ld 退回说明 in %s: send each back to its county", sum.notices, opt.notices_dir);
			else
				msg_info("with --notices DIR each refused file gets a 退回说明 to send back to its county");
			status = EXIT_BAD_INPUT;
		}
		if (rc != 0) {
			status = msg_fail(&err);
			goto out;
		}
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

		if (findings_sync_if_stale(db, opt.period, &ps, &err) != 0)
			status = msg_fail(&err);
	}
out:
	free(inputs);
	pack_returns_free(&found);
	strbuf_free(&ctx.refused);
	db_close(db);
	return status;
}
