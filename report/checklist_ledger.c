/* checklist_ledger — the ledger (挂单销号) in bangfu-checklist: the counts of
 * 问题清单 per county, a 问题台账 sheet per county with every item, and the
 * 销号台账 CSV per county for the statistician (--ledger DIR).  Everything is
 * read from temp.ledger_asof (findings_as_of: the ledger as it stood after
 * the period, with what was returned by the as-of day); an item's state is
 * judged on the as-of day.  The sheets go to leadership and carry no name,
 * ID number or phone; the CSV is a named list, its IDs masked unless
 * --full-id. */
#include "checklist_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>

#include "db.h"
#include "findings.h"
#include "idno.h"
#include "labels.h"
#include "strbuf.h"

/* The kinds counted apart in 问题清单; external items are one column. */
static const char *const COUNT_KINDS[LC_KINDS - 1] = {"not_entered", "conflict",       "invalid_id",
						      "hr_only",     "duplicate",      "zero_household",
						      "became_unemployed", "recalibrate"};

/* The state of an item on the as-of day (?2): closed, overdue, open. */
#define STATE_OF                                                                                            \
	"CASE WHEN i.closed_on IS NOT NULL THEN 'closed' WHEN i.deadline_on < ?2 THEN 'overdue' ELSE 'open' END"

void checklist_ledger_free(struct checklist_ledger *l)
{
	free(l->counts);
	l->counts = NULL;
}

static int county_at(const struct checklist_ledger *l, const char *city, const char *county)
{
	for (int k = 0; k < l->ncounties; k++)
		if (strcmp(l->counties[k].city, city) == 0 && strcmp(l->counties[k].county, county) == 0)
			return k;
	return -1;
}

int checklist_ledger_count(struct checklist_ledger *l, struct bangfu_err *err)
{
	struct strbuf sql;
	sqlite3_stmt *st;
	char before[8];
	int step;

	findings_period_before(l->opt->period, before);
	findings_period_end(before, l->prev_end);
	findings_period_end(l->opt->period, l->end);
	l->counts = xcalloc((size_t)l->ncounties * LC_N + 1, sizeof *l->counts);
	strbuf_init(&sql);
	/* this period: after the last day of the month before (?1), up to the
	 * period's last day (?3) */
	strbuf_addstr(&sql, "SELECT coalesce(city, ''), coalesce(county, ''), sum(closed_on IS NULL),"
			    " sum(closed_on IS NULL AND deadline_on < ?2), sum(opened_on > ?1 AND opened_on <= ?3),"
			    " sum(closed_on > ?1 AND closed_on <= ?3), sum(closed_on IS NOT NULL)");
	for (int k = 0; k < LC_KINDS - 1; k++)
		strbuf_addf(&sql, ", sum(closed_on IS NULL AND kind = '%s')", COUNT_KINDS[k]);
	strbuf_addstr(&sql, ", sum(closed_on IS NULL AND origin = 'external') FROM temp.ledger_asof GROUP BY 1, 2");
	if (db_prepare(l->db, strbuf_str(&sql), &st, err) != 0) {
		strbuf_free(&sql);
		return -1;
	}
	strbuf_free(&sql);
	sqlite3_bind_text(st, 1, l->prev_end, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, l->opt->as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, l->end, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int k = county_at(l, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));

		if (k < 0)
			continue; /* a county with closed items only, and no data this period */
		for (int i = 0; i < LC_N; i++)
			l->counts[(size_t)k * LC_N + (size_t)i] = sqlite3_column_int64(st, 2 + i);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(l->db, err, "counting the ledger");
	for (int k = 0; k < l->ncounties; k++) {
		const long *c = &l->counts[(size_t)k * LC_N];

		l->sum->problems_open += c[LC_OPEN];
		l->sum->problems_overdue += c[LC_OVERDUE];
		l->sum->problems_opened_now += c[LC_NEW];
		l->sum->problems_closed_now += c[LC_CLOSED_NOW];
		l->sum->problems_closed += c[LC_CLOSED_ALL];
	}
	return 0;
}

/* ---- 问题清单: the counts ---- */

enum { PCOL_CITY, PCOL_COUNTY, PCOL_FIRST, PCOL_N = PCOL_FIRST + LC_N };

void checklist_ledger_counts_sheet(struct checklist_ledger *l, struct xlsx_book *b)
{
	struct xlsx_column cols[PCOL_N] = {{"市州", 11}, {"县市区", 13}};
	static const char *const labels[LC_KIND0] = {"在办", "其中逾期", "本期新增", "本期销号", "累计销号"};
	static char kind_labels[LC_KINDS][64];
	long province[LC_N] = {0};
	char title[512];
	int first, row;
	lxw_worksheet *ws;

	for (int i = 0; i < LC_N; i++) {
		if (i >= LC_KIND0) {
			int k = i - LC_KIND0;

			snprintf(kind_labels[k], sizeof kind_labels[k], "在办：%s",
				 k < LC_KINDS - 1 ? findings_kind_label(COUNT_KINDS[k]) : "外部问题清单");
			cols[PCOL_FIRST + i].label = kind_labels[k];
			cols[PCOL_FIRST + i].width = 10;
		} else {
			cols[PCOL_FIRST + i].label = labels[i];
			cols[PCOL_FIRST + i].width = 8;
		}
	}
	snprintf(title, sizeof title, "问题清单（挂单销号）汇总（%s，截至 %s）", l->opt->period, l->opt->as_of);
	ws = xlsx_sheet(b, "问题清单", title, 0, cols, PCOL_N, &first);
	worksheet_outline_settings(ws, LXW_TRUE, LXW_FALSE, LXW_TRUE, LXW_FALSE);
	row = first;
	for (int ci = 0; ci < l->ncities; ci++) {
		long city[LC_N] = {0};

		/* the city's 小计 over its counties' rows (rows are written in order) */
		for (int k = 0; k < l->ncounties; k++)
			if (strcmp(l->counties[k].city, l->cities[ci]) == 0)
				for (int i = 0; i < LC_N; i++)
					city[i] += l->counts[(size_t)k * LC_N + i];
		xlsx_put_text(b, ws, row, PCOL_CITY, checklist_shown(l->cities[ci], "（未填市州）"), b->total_text);
		xlsx_put_text(b, ws, row, PCOL_COUNTY, "小计", b->total_text);
		for (int i = 0; i < LC_N; i++) {
			xlsx_put_number(b, ws, row, PCOL_FIRST + i, (double)city[i], b->total_count);
			province[i] += city[i];
		}
		row++;
		for (int k = 0; k < l->ncounties; k++) {
			const long *p = &l->counts[(size_t)k * LC_N];

			if (strcmp(l->counties[k].city, l->cities[ci]) != 0)
				continue;
			xlsx_row_outline(b, ws, row, 1, 0, 0);
			xlsx_put_text(b, ws, row, PCOL_CITY, checklist_shown(l->cities[ci], "（未填市州）"), b->text);
			xlsx_put_text(b, ws, row, PCOL_COUNTY, checklist_shown(l->counties[k].county, "（未填县市区）"),
				      b->text);
			for (int i = 0; i < LC_N; i++)
				xlsx_put_number(b, ws, row, PCOL_FIRST + i, (double)p[i], b->count);
			row++;
		}
	}
	xlsx_put_text(b, ws, row, PCOL_CITY, "合计", b->total_text);
	xlsx_put_text(b, ws, row, PCOL_COUNTY, "", b->total_text);
	for (int i = 0; i < LC_N; i++)
		xlsx_put_number(b, ws, row, PCOL_FIRST + i, (double)province[i], b->total_count);
	xlsx_flag_above_zero(b, ws, first, row, PCOL_FIRST + LC_OVERDUE);
}

/* ---- the items: one query for the sheets and the CSV ---- */

/* The items of the ledger with what the lists print, by county, the
 * overdue first, then open, then closed; ?1 the last day of the month
 * before the period, ?2 the as-of day; ?3 1 for every item (the CSV), 0 for
 * the open ones and those closed after ?1 (the workbook: what a reader
 * acts on, its length following the open items, not the history). */
static const char SQL_ITEMS[] =
	/* the names of the households external lists and zero-employment
	 * items name, as the latest month has them: one pass over its persons */
	"WITH hh AS MATERIALIZED (SELECT coalesce(p.county, '') AS county, p.household_id, group_concat(p.name) AS names"
	"  FROM person p WHERE p.period = (SELECT max(period) FROM reconcile_run)"
	"  AND p.household_id IN (SELECT household_id FROM temp.ledger_asof"
	"   WHERE origin = 'external' OR kind = 'zero_household')"
	"  GROUP BY 1, 2)"
	" SELECT coalesce(i.city, ''), coalesce(i.county, ''), i.code, i.kind, i.origin, coalesce(i.township, ''),"
	" i.village, i.name, i.subject, i.household_id, i.detail, i.responsible, i.person, i.helper, i.opened_on,"
	" i.deadline_on, " STATE_OF ","
	" CAST(julianday(coalesce(i.closed_on, ?2)) - julianday(i.opened_on) AS INTEGER),"
	" CASE WHEN coalesce(i.closed_on, ?2) > i.deadline_on"
	"  THEN CAST(julianday(coalesce(i.closed_on, ?2)) - julianday(i.deadline_on) AS INTEGER) END,"
	" i.closed_on, i.basis, i.closed_period, i.return_period, i.return_status, i.return_on, i.return_handler,"
	" i.return_note, i.note, i.person_key IS NOT NULL AND i.kind <> 'zero_household',"
	/* the names an external list's words may hold: its person's, and those
	 * of the person or household it names as the latest data has them */
	" coalesce(i.name, '') || ',' || coalesce(hh.names, '') || ',' || CASE WHEN i.origin = 'external' THEN"
	"  coalesce((SELECT p.name FROM person p WHERE p.period = (SELECT max(period) FROM reconcile_run)"
	"   AND p.person_key = i.subject), '') ELSE '' END"
	" FROM temp.ledger_asof i LEFT JOIN ledger_rule k ON k.kind = i.kind"
	" LEFT JOIN hh ON (i.origin = 'external' OR i.kind = 'zero_household') AND hh.county = coalesce(i.county, '')"
	"  AND hh.household_id = i.household_id"
	" WHERE ?3 OR i.closed_on IS NULL OR i.closed_on > ?1"
	" ORDER BY bf_place_order(i.city, i.county), 1, 2,"
	"  CASE " STATE_OF " WHEN 'overdue' THEN 0 WHEN 'open' THEN 1 ELSE 2 END, k.seq, 6, i.code";

enum { Q_CITY, Q_COUNTY, Q_CODE, Q_KIND, Q_ORIGIN, Q_TOWNSHIP, Q_VILLAGE, Q_NAME, Q_SUBJECT, Q_HOUSEHOLD, Q_DETAIL,
       Q_UNIT, Q_PERSON, Q_HELPER, Q_OPENED, Q_DEADLINE, Q_STATE, Q_DAYS, Q_LATE, Q_CLOSED, Q_BASIS, Q_CLOSED_PERIOD,
       Q_RETURN_PERIOD, Q_RETURN_STATUS, Q_RETURN_ON, Q_RETURN_HANDLER, Q_RETURN_NOTE, Q_NOTE, Q_IS_PERSON, Q_NAMES };

static const char *col_text(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	return s ? s : "";
}

static sqlite3_stmt *items_query(struct checklist_ledger *l, int all, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(l->db, SQL_ITEMS, &st, err) != 0)
		return NULL;
	sqlite3_bind_text(st, 1, l->prev_end, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, l->opt->as_of, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, all);
	return st;
}

/* 销号依据: "数据核实（2020-05 比对不再发现）", "乡镇报结", both. */
static void basis_text(sqlite3_stmt *st, struct strbuf *out)
{
	const char *basis = col_text(st, Q_BASIS);

	strbuf_reset(out);
	if (!basis[0])
		return;
	strbuf_addstr(out, label_of("ledger_basis", basis));
	if (strstr(basis, "data") && col_text(st, Q_CLOSED_PERIOD)[0])
		strbuf_addf(out, "（%s 数据不再发现）", col_text(st, Q_CLOSED_PERIOD));
}

/* 乡镇报送: the latest return of the item's episode, "已整改 2020-05-06（经办人 王五）". */
static void return_text(sqlite3_stmt *st, struct strbuf *out)
{
	strbuf_reset(out);
	if (!col_text(st, Q_RETURN_STATUS)[0])
		return;
	strbuf_addf(out, "%s %s（%s 清单，经办人 %s）", label_of("return_status", col_text(st, Q_RETURN_STATUS)),
		    col_text(st, Q_RETURN_ON), col_text(st, Q_RETURN_PERIOD), col_text(st, Q_RETURN_HANDLER));
}


/* A person named in a text as the leadership's lists name people: the
 * surname and 某 for the rest (王一 → 王某). */
static void mask_name(const char *text, const char *name, struct strbuf *out)
{
	size_t len = strlen(name), first = 1;
	const char *p = text, *hit;

	while (first < len && ((unsigned char)name[first] & 0xC0) == 0x80)
		first++;
	if (first >= len) { /* no name, or one character: nothing to tell apart */
		strbuf_addstr(out, text);
		return;
	}
	while ((hit = strstr(p, name)) != NULL) {
		strbuf_add(out, p, (size_t)(hit - p));
		strbuf_add(out, name, first);
		for (size_t i = first; i < len; i++)
			if (((unsigned char)name[i] & 0xC0) != 0x80)
				strbuf_addstr(out, "某");
		p = hit + len;
	}
	strbuf_addstr(out, p);
}

/* A free text of the ledger (an external list's words, a township's
 * 整改说明) appended as a list prints it: numbers masked unless full, and
 * in the workbook for leadership (names 0) every name the item knows. */
static void free_text(sqlite3_stmt *st, const char *text, int full, int names, struct strbuf *out)
{
	struct strbuf masked;
	char *list, *save = NULL;

	strbuf_init(&masked);
	if (full)
		strbuf_addstr(&masked, text);
	else
		findings_mask_text(text, &masked);
	if (names) {
		strbuf_addstr(out, strbuf_str(&masked));
		strbuf_free(&masked);
		return;
	}
	list = xstrdup(col_text(st, Q_NAMES));
	for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		struct strbuf next;

		strbuf_init(&next);
		mask_name(strbuf_str(&masked), name, &next);
		strbuf_free(&masked);
		masked = next;
	}
	free(list);
	strbuf_addstr(out, strbuf_str(&masked));
	strbuf_free(&masked);
}

/* 情况: what was found; the data's findings hold no number or name. */
static void detail_text(sqlite3_stmt *st, int full, int names, struct strbuf *out)
{
	strbuf_reset(out);
	if (strcmp(col_text(st, Q_ORIGIN), "external") != 0)
		strbuf_addstr(out, col_text(st, Q_DETAIL));
	else
		free_text(st, col_text(st, Q_DETAIL), full, names, out);
}

/* 备注: why it was reopened, and the township's 整改说明. */
static void note_text(sqlite3_stmt *st, int full, int names, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addstr(out, col_text(st, Q_NOTE));
	if (col_text(st, Q_RETURN_NOTE)[0]) {
		if (out->len)
			strbuf_addstr(out, "；");
		strbuf_addstr(out, "整改说明：");
		free_text(st, col_text(st, Q_RETURN_NOTE), full, names, out);
	}
}

/* ---- 问题台账: a sheet per county ---- */

enum { IC_CODE, IC_KIND, IC_TOWNSHIP, IC_VILLAGE, IC_DETAIL, IC_UNIT, IC_PERSON, IC_OPENED, IC_DEADLINE, IC_STATE,
       IC_DAYS, IC_LATE, IC_CLOSED, IC_BASIS, IC_RETURN, IC_NOTE, IC_N };

static const struct xlsx_column ITEM_COLUMNS[IC_N] = {
	{"问题编号", 14}, {"事项", 14},     {"乡镇", 12},     {"行政村", 12},   {"情况", 30},     {"责任单位", 16},
	{"责任人", 9},    {"挂单日期", 11}, {"整改时限", 11}, {"状态", 7},      {"挂单天数", 8},  {"超期天数", 8},
	{"销号日期", 11}, {"销号依据", 20}, {"乡镇报送", 24}, {"备注", 24}};

static void item_sheet_end(struct xlsx_book *b, lxw_worksheet *ws, int first, int row)
{
	if (!ws || row <= first)
		return;
	xlsx_autofilter(b, ws, first - 1, 0, row - 1, IC_N - 1);
	xlsx_flag_above_zero(b, ws, first, row - 1, IC_LATE);
}

int checklist_ledger_item_sheets(struct checklist_ledger *l, struct xlsx_book *b, struct bangfu_err *err)
{
	sqlite3_stmt *st = items_query(l, 0, err);
	struct strbuf text;
	lxw_worksheet *ws = NULL;
	char city[256] = "", county[256] = "", name[300], title[600];
	int step, first = 0, row = 0, started = 0;

	if (!st)
		return -1;
	strbuf_init(&text);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *state = col_text(st, Q_STATE);
		lxw_format *state_fmt;

		if (!started || strcmp(city, col_text(st, Q_CITY)) != 0 || strcmp(county, col_text(st, Q_COUNTY)) != 0) {
			item_sheet_end(b, ws, first, row);
			started = 1;
			snprintf(city, sizeof city, "%s", col_text(st, Q_CITY));
			snprintf(county, sizeof county, "%s", col_text(st, Q_COUNTY));
			snprintf(name, sizeof name, "%s问题台账", checklist_shown(county, "未填县市区"));
			snprintf(title, sizeof title, "%s%s 问题台账（挂单销号，%s，截至 %s）", city,
				 checklist_shown(county, "（未填县市区）"), l->opt->period, l->opt->as_of);
			ws = xlsx_sheet(b, name, title, 0, ITEM_COLUMNS, IC_N, &first);
			xlsx_column_cap(b, ws, IC_DETAIL, 36);
			xlsx_column_cap(b, ws, IC_RETURN, 30);
			xlsx_column_cap(b, ws, IC_NOTE, 30);
			row = first;
		}
		state_fmt = strcmp(state, "overdue") == 0 ? b->flag : b->text;
		xlsx_put_text(b, ws, row, IC_CODE, col_text(st, Q_CODE), b->text);
		xlsx_put_text(b, ws, row, IC_KIND, findings_kind_label(col_text(st, Q_KIND)), b->text);
		xlsx_put_text(b, ws, row, IC_TOWNSHIP, col_text(st, Q_TOWNSHIP), b->text);
		xlsx_put_text(b, ws, row, IC_VILLAGE, col_text(st, Q_VILLAGE), b->text);
		detail_text(st, 0, 0, &text);
		xlsx_put_text(b, ws, row, IC_DETAIL, strbuf_str(&text), b->text_wrap);
		xlsx_put_text(b, ws, row, IC_UNIT, col_text(st, Q_UNIT), b->text_wrap);
		xlsx_put_text(b, ws, row, IC_PERSON, col_text(st, Q_PERSON), b->text);
		xlsx_put_text(b, ws, row, IC_OPENED, col_text(st, Q_OPENED), b->text);
		xlsx_put_text(b, ws, row, IC_DEADLINE, col_text(st, Q_DEADLINE), b->text);
		xlsx_put_text(b, ws, row, IC_STATE, label_of("ledger_state", state), state_fmt);
		xlsx_put_number(b, ws, row, IC_DAYS, sqlite3_column_double(st, Q_DAYS), b->count);
		if (sqlite3_column_type(st, Q_LATE) == SQLITE_NULL)
			xlsx_put_text(b, ws, row, IC_LATE, "", b->text);
		else
			xlsx_put_number(b, ws, row, IC_LATE, sqlite3_column_double(st, Q_LATE), b->count);
		xlsx_put_text(b, ws, row, IC_CLOSED, col_text(st, Q_CLOSED), b->text);
		basis_text(st, &text);
		xlsx_put_text(b, ws, row, IC_BASIS, strbuf_str(&text), b->text_wrap);
		return_text(st, &text);
		xlsx_put_text(b, ws, row, IC_RETURN, strbuf_str(&text), b->text_wrap);
		note_text(st, 0, 0, &text);
		xlsx_put_text(b, ws, row, IC_NOTE, strbuf_str(&text), b->text_wrap);
		row++;
	}
	item_sheet_end(b, ws, first, row);
	sqlite3_finalize(st);
	strbuf_free(&text);
	if (step != SQLITE_DONE)
		return db_fail(l->db, err, "listing the ledger");
	return 0;
}

/* ---- 销号台账: a CSV per county ---- */

static const char *const CSV_COLUMNS[] = {
	"问题编号", "事项",     "市州",     "县市区",   "乡镇",     "行政村",   "姓名",     "证件号码",
	"户编号",   "情况",     "责任单位", "责任人",   "帮扶责任人", "挂单日期", "整改时限", "状态",
	"挂单天数", "超期天数", "销号日期", "销号依据", "整改情况", "整改日期", "经办人",   "报送期",
	"备注"};
#define NCSV ((int)(sizeof CSV_COLUMNS / sizeof CSV_COLUMNS[0]))

static void csv_field(FILE *f, const char *s, int last)
{
	csv_fwrite(f, s, strlen(s));
	fputc(last ? '\n' : ',', f);
}

static FILE *csv_begin(struct checklist_ledger *l, struct outputs *outs, const char *city, const char *county,
		       struct bangfu_err *err)
{
	char name[768], path[PATH_MAX];
	const char *tmp;
	FILE *f;

	snprintf(name, sizeof name, "销号台账_%s_%s_%s.csv", checklist_shown(city, "未填市州"),
		 checklist_shown(county, "未填县市区"), l->opt->period);
	for (char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			*p = '_';
	if ((size_t)snprintf(path, sizeof path, "%s/%s", l->opt->ledger_dir, name) >= sizeof path)
		return bangfu_fail(err, ERR_INPUT, l->opt->ledger_dir, 0, 0, "cannot_write", "the path is too long"), NULL;
	if (outputs_add(outs, path, &tmp, err) != 0)
		return NULL;
	if (!(f = fopen(tmp, "w"))) {
		bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "cannot write: %s", strerror(errno));
		return NULL;
	}
	fputs("\xEF\xBB\xBF", f); /* UTF-8 with a byte-order mark, for Excel */
	for (int c = 0; c < NCSV; c++)
		csv_field(f, CSV_COLUMNS[c], c == NCSV - 1);
	l->sum->ledger_files++;
	return f;
}

static int csv_end(FILE *f, const char *dir, struct bangfu_err *err)
{
	if (!f)
		return 0;
	if (ferror(f) | (fclose(f) != 0))
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "writing a 销号台账 failed (is the disk full?)");
	return 0;
}

static void csv_row(FILE *f, sqlite3_stmt *st, int full_id, struct strbuf *text)
{
	const char *subject = col_text(st, Q_SUBJECT);
	char id[128], number[32];

	/* the subject is an ID number for a person's item (valid or not) */
	if (!sqlite3_column_int(st, Q_IS_PERSON) && strcmp(col_text(st, Q_ORIGIN), "external") != 0)
		id[0] = '\0';
	else if (full_id)
		snprintf(id, sizeof id, "%s", subject);
	else
		idno_mask(subject, id, sizeof id);
	csv_field(f, col_text(st, Q_CODE), 0);
	csv_field(f, findings_kind_label(col_text(st, Q_KIND)), 0);
	csv_field(f, col_text(st, Q_CITY), 0);
	csv_field(f, col_text(st, Q_COUNTY), 0);
	csv_field(f, col_text(st, Q_TOWNSHIP), 0);
	csv_field(f, col_text(st, Q_VILLAGE), 0);
	csv_field(f, col_text(st, Q_NAME), 0);
	csv_field(f, id, 0);
	csv_field(f, col_text(st, Q_HOUSEHOLD), 0);
	detail_text(st, full_id, 1, text);
	csv_field(f, strbuf_str(text), 0);
	csv_field(f, col_text(st, Q_UNIT), 0);
	csv_field(f, col_text(st, Q_PERSON), 0);
	csv_field(f, col_text(st, Q_HELPER), 0);
	csv_field(f, col_text(st, Q_OPENED), 0);
	csv_field(f, col_text(st, Q_DEADLINE), 0);
	csv_field(f, label_of("ledger_state", col_text(st, Q_STATE)), 0);
	snprintf(number, sizeof number, "%lld", sqlite3_column_int64(st, Q_DAYS));
	csv_field(f, number, 0);
	if (sqlite3_column_type(st, Q_LATE) == SQLITE_NULL)
		number[0] = '\0';
	else
		snprintf(number, sizeof number, "%lld", sqlite3_column_int64(st, Q_LATE));
	csv_field(f, number, 0);
	csv_field(f, col_text(st, Q_CLOSED), 0);
	basis_text(st, text);
	csv_field(f, strbuf_str(text), 0);
	csv_field(f, label_of("return_status", (const char *)sqlite3_column_text(st, Q_RETURN_STATUS)), 0);
	csv_field(f, col_text(st, Q_RETURN_ON), 0);
	csv_field(f, col_text(st, Q_RETURN_HANDLER), 0);
	csv_field(f, col_text(st, Q_RETURN_PERIOD), 0);
	note_text(st, full_id, 1, text);
	csv_field(f, strbuf_str(text), 1);
}

int checklist_ledger_csv(struct checklist_ledger *l, struct outputs *outs, struct bangfu_err *err)
{
	const char *dir = l->opt->ledger_dir;
	sqlite3_stmt *st;
	struct strbuf text;
	FILE *f = NULL;
	char city[256] = "", county[256] = "";
	int step, rc = -1;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "cannot create the directory: %s",
				   strerror(errno));
	if (!(st = items_query(l, 1, err)))
		return -1;
	strbuf_init(&text);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (!f || strcmp(city, col_text(st, Q_CITY)) != 0 || strcmp(county, col_text(st, Q_COUNTY)) != 0) {
			if (csv_end(f, dir, err) != 0) {
				f = NULL;
				goto out;
			}
			snprintf(city, sizeof city, "%s", col_text(st, Q_CITY));
			snprintf(county, sizeof county, "%s", col_text(st, Q_COUNTY));
			if (!(f = csv_begin(l, outs, city, county, err)))
				goto out;
		}
		csv_row(f, st, l->opt->full_id, &text);
	}
	if (step != SQLITE_DONE) {
		db_fail(l->db, err, "listing the ledger");
		goto out;
	}
	rc = csv_end(f, dir, err);
	f = NULL;
out:
	if (f)
		fclose(f);
	sqlite3_finalize(st);
	strbuf_free(&text);
	return rc;
}
