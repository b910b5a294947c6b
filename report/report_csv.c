/* report_csv — bangfu-report --csv DIR: the numbers of the workbook as CSV
 * (UTF-8 with BOM, for Excel) for people who load them elsewhere, from the
 * same areas and the same table queries as the sheets; written together
 * with the workbook or not at all. */
#include "report_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>

#include "db.h"

/* ---- the same numbers as CSV (--csv DIR) ---- */

/* One CSV field (libcsv quotes it), then a comma or the line's end. */
static void csv_field(FILE *f, const char *s, int last)
{
	csv_fwrite(f, s, strlen(s));
	fputc(last ? '\n' : ',', f);
}

static void csv_number(FILE *f, double v, int last)
{
	char buf[64];

	if (isnan(v))
		buf[0] = '\0';
	else if (v == (double)(long long)v)
		snprintf(buf, sizeof buf, "%lld", (long long)v);
	else
		snprintf(buf, sizeof buf, "%.6f", v);
	fputs(buf, f); /* a number needs no quotes */
	fputc(last ? '\n' : ',', f);
}

/* UTF-8 with a byte-order mark, so that Excel opens the Chinese right. */
static FILE *csv_open(struct outputs *outs, const char *dir, const char *name, struct bangfu_err *err)
{
	char path[PATH_MAX];
	const char *tmp;
	FILE *f;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "the directory name is too long"), NULL;
	if (outputs_add(outs, path, &tmp, err) != 0)
		return NULL;
	f = fopen(tmp, "w");
	if (!f) {
		bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "cannot write: %s", strerror(errno));
		return NULL;
	}
	fputs("\xEF\xBB\xBF", f);
	return f;
}

static int csv_close(FILE *f, const char *name, struct bangfu_err *err)
{
	if (ferror(f) | (fclose(f) != 0))
		return bangfu_fail(err, ERR_INPUT, name, 0, 0, "cannot_write", "writing failed (is the disk full?)");
	return 0;
}

static const char *const LEVEL[] = {"合计", "市州", "县市区", "乡镇"};

/* 总表: every area with its level and the 总表 columns, rates as fractions. */
static int csv_summary(struct report_ctx *c, struct outputs *outs, const char *dir, struct bangfu_err *err)
{
	FILE *f = csv_open(outs, dir, "总表.csv", err);

	if (!f)
		return -1;
	fputs("层级,市州,县市区,乡镇,", f);
	for (int k = C_AREA + 1; k < NSUMMARY; k++)
		csv_field(f, SUMMARY[k].label, k == NSUMMARY - 1);
	for (int i = 0; i < c->areas.n; i++) {
		const struct area *a = &c->areas.v[i];

		csv_field(f, LEVEL[a->level], 0);
		csv_field(f, a->level >= LEVEL_CITY && a->city ? a->city : "", 0);
		csv_field(f, a->level >= LEVEL_COUNTY && a->county ? a->county : "", 0);
		csv_field(f, a->level >= LEVEL_TOWNSHIP && a->township ? a->township : "", 0);
		for (int k = C_AREA + 1; k < NSUMMARY; k++)
			csv_number(f, report_summary_value(a, k), k == NSUMMARY - 1);
	}
	return csv_close(f, "总表.csv", err);
}

/* 本月变动: its rows with their level and place, as 总表.csv has them; only
 * the header when the period has no previous one. */
static int csv_changes(struct report_ctx *c, struct outputs *outs, const char *dir, struct bangfu_err *err)
{
	struct change_areas ca;
	FILE *f;

	if (report_changes_load(c, &ca, err) != 0)
		return -1;
	if (!(f = csv_open(outs, dir, "本月变动.csv", err))) {
		report_changes_free(&ca);
		return -1;
	}
	fputs("层级,市州,县市区,乡镇,", f);
	for (int k = 0; k < NCHANGES; k++)
		csv_field(f, CHANGE_COLUMNS[k].label, k == NCHANGES - 1);
	for (int i = 0; i < ca.n; i++) {
		const struct change_area *a = &ca.v[i];

		csv_field(f, LEVEL[a->level], 0);
		csv_field(f, a->level >= LEVEL_CITY && a->city ? a->city : "", 0);
		csv_field(f, a->level >= LEVEL_COUNTY && a->county ? a->county : "", 0);
		csv_field(f, a->level >= LEVEL_TOWNSHIP && a->township ? a->township : "", 0);
		for (int k = 0; k < NCHANGES; k++)
			csv_number(f, (double)a->n[k], k == NCHANGES - 1);
	}
	report_changes_free(&ca);
	return csv_close(f, "本月变动.csv", err);
}

/* A table of the workbook as its sheet has it: the same query, the same
 * columns under the same labels; numbers as numbers, rates as fractions. */
static int csv_table(struct report_ctx *c, struct outputs *outs, const char *dir, const struct report_table *t,
		     struct bangfu_err *err)
{
	char name[128];
	FILE *f;
	sqlite3_stmt *st;
	int rc;

	snprintf(name, sizeof name, "%s.csv", t->name);
	if (!(f = csv_open(outs, dir, name, err)))
		return -1;
	if (db_prepare(c->db, t->select, &st, err) != 0) {
		fclose(f);
		return -1;
	}
	sqlite3_bind_text(st, 1, c->opt->period, -1, SQLITE_STATIC);
	for (int k = 0; k < t->ncolumns; k++)
		csv_field(f, t->columns[k].label, k == t->ncolumns - 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int k = 0; k < t->ncolumns; k++) {
			int type = sqlite3_column_type(st, k);

			if (type == SQLITE_FLOAT || type == SQLITE_INTEGER)
				csv_number(f, sqlite3_column_double(st, k), k == t->ncolumns - 1);
			else
				csv_field(f, sqlite3_column_text(st, k) ? (const char *)sqlite3_column_text(st, k) : "",
					  k == t->ncolumns - 1);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fclose(f);
		return db_fail(c->db, err, name);
	}
	return csv_close(f, name, err);
}

int report_csv(struct report_ctx *c, struct outputs *outs, struct bangfu_err *err)
{
	const char *dir = c->opt->csv_dir;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "cannot create the directory: %s",
				   strerror(errno));
	return csv_summary(c, outs, dir, err) || csv_changes(c, outs, dir, err) ||
			       csv_table(c, outs, dir, &REPORT_COMPARE, err) ||
			       csv_table(c, outs, dir, &REPORT_CHECKS, err) || csv_table(c, outs, dir, &REPORT_ZERO, err)
		       ? -1
		       : 0;
}
