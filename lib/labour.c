/* labour — see labour.h. */
#include "labour.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "datefmt.h"
#include "strbuf.h"
#include "tmpl.h"

static const char *const CATEGORY_CODE[LABOUR_NCATEGORIES] = {"male_60", "female_55", "female_50"};

int labour_category_of(const char *code)
{
	for (int c = 0; c < LABOUR_NCATEGORIES; c++)
		if (code && !strcmp(code, CATEGORY_CODE[c]))
			return c;
	return -1;
}

const char *labour_category_code(enum labour_category c)
{
	return (unsigned)c < LABOUR_NCATEGORIES ? CATEGORY_CODE[c] : "";
}

/* ---- the retirement-age table ---- */

struct schedule_row {
	int from, to; /* months since year 0 (y * 12 + m - 1), inclusive; INT_MIN / INT_MAX open */
	int months;   /* the retirement age */
	long line;
};

struct labour_schedule {
	struct schedule_row *rows[LABOUR_NCATEGORIES];
	int n[LABOUR_NCATEGORIES];
};

enum { SC_CATEGORY, SC_FROM, SC_TO, SC_YEARS, SC_MONTHS, SC_RETIRE_FROM, SC_RETIRE_TO, SC_N };

static char *A_CATEGORY[] = {"category", "类别"};
static char *A_FROM[] = {"birth_from", "出生年月起"};
static char *A_TO[] = {"birth_to", "出生年月止"};
static char *A_YEARS[] = {"age_years", "退休年龄（岁）"};
static char *A_MONTHS[] = {"age_months", "退休年龄（月）"};
static char *A_RETIRE_FROM[] = {"retire_from", "退休时间起"};
static char *A_RETIRE_TO[] = {"retire_to", "退休时间止"};

/* "YYYY-MM" → y * 12 + m - 1; -1 when it is not a month. */
static int parse_month(const char *s)
{
	int y, m;
	char tail;

	if (strlen(s) != 7 || sscanf(s, "%4d-%2d%c", &y, &m, &tail) != 2 || s[4] != '-' || y < 1900 || y > 2200 ||
	    m < 1 || m > 12)
		return -1;
	return y * 12 + m - 1;
}

static int parse_count(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int schedule_row(struct labour_schedule *s, const struct csvin_row *row, const int col[SC_N],
			const char *path, struct bangfu_err *err)
{
	const char *v[SC_N];
	struct schedule_row r = {0};
	int c, years, months;
	int blank = 1;

	for (int i = 0; i < SC_N; i++) {
		v[i] = col[i] >= 0 && col[i] < row->nfields ? row->fields[col[i]] : "";
		blank &= !v[i][0];
	}
	if (blank)
		return 0;
#define FAIL(k, ...) bangfu_fail(err, ERR_INPUT, path, row->line, col[k] + 1, "bad_template", __VA_ARGS__)
	if ((c = labour_category_of(v[SC_CATEGORY])) < 0)
		return FAIL(SC_CATEGORY, "category '%s' is not male_60, female_55 or female_50", v[SC_CATEGORY]);
	r.line = row->line;
	r.from = v[SC_FROM][0] ? parse_month(v[SC_FROM]) : INT_MIN;
	if (r.from == -1)
		return FAIL(SC_FROM, "birth_from '%s' is not a month: write it as 1965-01 (or leave it empty)",
			    v[SC_FROM]);
	r.to = v[SC_TO][0] ? parse_month(v[SC_TO]) : INT_MAX;
	if (r.to == -1)
		return FAIL(SC_TO, "birth_to '%s' is not a month: write it as 1965-04 (or leave it empty)", v[SC_TO]);
	if (r.to < r.from)
		return FAIL(SC_TO, "birth_to %s is before birth_from %s", v[SC_TO], v[SC_FROM]);
	if (parse_count(v[SC_YEARS], 16, 80, &years) != 0)
		return FAIL(SC_YEARS, "age_years '%s' is not a whole number of years (16..80)", v[SC_YEARS]);
	if (parse_count(v[SC_MONTHS][0] ? v[SC_MONTHS] : "0", 0, 11, &months) != 0)
		return FAIL(SC_MONTHS, "age_months '%s' is not a whole number of months (0..11)", v[SC_MONTHS]);
	r.months = years * 12 + months;
	/* The listed retirement months are the birth months plus the age. */
	if (v[SC_RETIRE_FROM][0] && (r.from == INT_MIN || parse_month(v[SC_RETIRE_FROM]) != r.from + r.months))
		return FAIL(SC_RETIRE_FROM, "retire_from '%s' is not birth_from plus the age", v[SC_RETIRE_FROM]);
	if (v[SC_RETIRE_TO][0] && (r.to == INT_MAX || parse_month(v[SC_RETIRE_TO]) != r.to + r.months))
		return FAIL(SC_RETIRE_TO, "retire_to '%s' is not birth_to plus the age", v[SC_RETIRE_TO]);
	if (s->n[c] > 0) {
		const struct schedule_row *prev = &s->rows[c][s->n[c] - 1];

		if (prev->to == INT_MAX || r.from != prev->to + 1)
			return FAIL(SC_FROM, "birth_from %s does not follow the %s row of line %ld (each row starts the "
					     "month after the one before ends)",
				    v[SC_FROM][0] ? v[SC_FROM] : "(empty)", CATEGORY_CODE[c], prev->line);
		if (r.months < prev->months)
			return FAIL(SC_YEARS, "the retirement age falls below the %s row of line %ld", CATEGORY_CODE[c],
				    prev->line);
	} else if (r.from != INT_MIN) {
		return FAIL(SC_FROM, "the first %s row must leave birth_from empty: it covers everyone born before",
			    CATEGORY_CODE[c]);
	}
#undef FAIL
	s->rows[c] = realloc(s->rows[c], (size_t)(s->n[c] + 1) * sizeof *s->rows[c]);
	if (!s->rows[c])
		abort();
	s->rows[c][s->n[c]++] = r;
	return 0;
}

int labour_schedule_load(const char *path, struct labour_schedule **out, struct bangfu_err *err)
{
	struct tmpl_column cols[SC_N] = {
		{.field = "category", .label = "类别", .required = 1, .aliases = A_CATEGORY, .naliases = 2},
		{.field = "birth_from", .label = "出生年月起", .required = 1, .aliases = A_FROM, .naliases = 2},
		{.field = "birth_to", .label = "出生年月止", .required = 1, .aliases = A_TO, .naliases = 2},
		{.field = "age_years", .label = "退休年龄（岁）", .required = 1, .aliases = A_YEARS, .naliases = 2},
		{.field = "age_months", .label = "退休年龄（月）", .required = 1, .aliases = A_MONTHS, .naliases = 2},
		{.field = "retire_from", .label = "退休时间起", .aliases = A_RETIRE_FROM, .naliases = 2},
		{.field = "retire_to", .label = "退休时间止", .aliases = A_RETIRE_TO, .naliases = 2},
	};
	struct tmpl_columns map = {cols, SC_N};
	struct csvin_options opt = {.columns = &map};
	struct labour_schedule *s;
	struct csvin_row *row;
	struct csvin *in;
	int col[SC_N], rc;

	*out = NULL;
	if (!(in = csvin_open(path, &opt, err)))
		return -1;
	s = xcalloc(1, sizeof *s);
	for (int i = 0; i < SC_N; i++)
		col[i] = csvin_field_column(in, i);
	while ((rc = csvin_next(in, &row, err)) == 1) {
		if (row->rejected) {
			rc = bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_template", "%s",
					 row->reject_message);
			break;
		}
		if (schedule_row(s, row, col, path, err) != 0) {
			rc = -1;
			break;
		}
	}
	csvin_close(in);
	for (int c = 0; rc == 0 && c < LABOUR_NCATEGORIES; c++)
		if (s->n[c] == 0 || s->rows[c][s->n[c] - 1].to != INT_MAX)
			rc = bangfu_fail(err, ERR_INPUT, path, s->n[c] ? s->rows[c][s->n[c] - 1].line : 0, 0,
					 "bad_template",
					 "%s: the table must cover every birth month (its last row leaves birth_to empty)",
					 CATEGORY_CODE[c]);
	if (rc != 0) {
		labour_schedule_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void labour_schedule_free(struct labour_schedule *s)
{
	if (!s)
		return;
	for (int c = 0; c < LABOUR_NCATEGORIES; c++)
		free(s->rows[c]);
	free(s);
}

int labour_retirement_months(const struct labour_schedule *s, enum labour_category c, int birth_y, int birth_m)
{
	int month = birth_y * 12 + birth_m - 1, lo = 0, hi;

	if ((unsigned)c >= LABOUR_NCATEGORIES)
		return -1;
	hi = s->n[c] - 1;
	/* the rows are in order and follow each other: a binary search */
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const struct schedule_row *r = &s->rows[c][mid];

		if (month < r->from)
			hi = mid - 1;
		else if (month > r->to)
			lo = mid + 1;
		else
			return r->months;
	}
	return -1;
}

/* ---- the policy ---- */

int labour_policy_load(struct labour_policy **out, struct bangfu_err *err)
{
	struct tmpl_policy *tp = NULL;
	struct labour_policy *p = xcalloc(1, sizeof *p);
	static const char *const keys[2] = {"labour_age_category_male", "labour_age_category_female"};
	int rc = -1;

	*out = NULL;
	if (tmpl_policy_load("policy.csv", &tp, err) != 0 || tmpl_policy_int(tp, "labour_age_min", &p->min_age, err) != 0)
		goto out;
	snprintf(p->policy_path, sizeof p->policy_path, "%s", tmpl_policy_path(tp));
	for (int i = 0; i < 2; i++) {
		const char *v = tmpl_policy_text(tp, keys[i]);
		int c = labour_category_of(v);

		if (c < 0) {
			bangfu_fail(err, ERR_INPUT, p->policy_path, 0, 0, "bad_template",
				    "%s should name a category of retirement_age.csv (male_60, female_55 or female_50), "
				    "not '%s'",
				    keys[i], v ? v : "(missing)");
			goto out;
		}
		if (i == 0)
			p->male = (enum labour_category)c;
		else
			p->female = (enum labour_category)c;
	}
	if (p->min_age < 0 || p->min_age > 30) {
		bangfu_fail(err, ERR_INPUT, p->policy_path, 0, 0, "bad_template",
			    "labour_age_min should be a number of years from 0 to 30, not %ld", p->min_age);
		goto out;
	}
	if (tmpl_path("retirement_age.csv", p->schedule_path, sizeof p->schedule_path, err) != 0 ||
	    labour_schedule_load(p->schedule_path, &p->schedule, err) != 0)
		goto out;
	rc = 0;
out:
	tmpl_policy_free(tp);
	if (rc != 0) {
		labour_policy_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

void labour_policy_free(struct labour_policy *p)
{
	if (!p)
		return;
	labour_schedule_free(p->schedule);
	free(p);
}

/* 'M', 'F', 男, 女 → the category of that sex; -1 otherwise. */
static int category_of_sex(const struct labour_policy *p, const char *sex)
{
	if (!sex)
		return -1;
	if (!strcmp(sex, "M") || !strcmp(sex, "男"))
		return p->male;
	if (!strcmp(sex, "F") || !strcmp(sex, "女"))
		return p->female;
	return -1;
}

/* The ISO day `months` after (y, m, d), the day clamped to the month's end:
 * born 1965-01-31, 60 years and 1 month → 2025-02-28. */
static void add_months(int y, int m, int d, int months, char out[11])
{
	int t = y * 12 + (m - 1) + months, ny = t / 12, nm = t % 12 + 1;
	int nd = d > datefmt_month_days(ny, nm) ? datefmt_month_days(ny, nm) : d;
	char buf[40];

	snprintf(buf, sizeof buf, "%04d-%02d-%02d", ny % 10000, nm, nd);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

int labour_window(const struct labour_policy *p, const char *birth, const char *sex, char from[11], char until[11])
{
	char iso[11];
	int c = category_of_sex(p, sex), y, m, d, months;

	if (c < 0 || !birth || datefmt_parse(birth, iso) != DATEFMT_DAY)
		return -1;
	y = atoi(iso);
	m = atoi(iso + 5);
	d = atoi(iso + 8);
	if ((months = labour_retirement_months(p->schedule, (enum labour_category)c, y, m)) < 0)
		return -1;
	add_months(y, m, d, (int)p->min_age * 12, from);
	add_months(y, m, d, months, until);
	return 0;
}

int labour_age_on(const struct labour_policy *p, const char *birth, const char *sex, const char *on)
{
	char from[11], until[11];

	if (!on || labour_window(p, birth, sex, from, until) != 0)
		return -1;
	return strcmp(on, from) >= 0 && strcmp(on, until) < 0;
}

/* ---- SQL ---- */

/* The policy the SQL functions use, read on their first call. */
static struct labour_policy *sql_policy;
static char sql_policy_error[600];

static const struct labour_policy *sql_policy_get(sqlite3_context *ctx)
{
	if (!sql_policy && !sql_policy_error[0]) {
		struct bangfu_err err;

		bangfu_err_clear(&err);
		if (labour_policy_load(&sql_policy, &err) != 0)
			snprintf(sql_policy_error, sizeof sql_policy_error, "%.200s:%ld:%ld: %.380s", err.file, err.line,
				 err.column, err.message);
	}
	if (!sql_policy)
		sqlite3_result_error(ctx, sql_policy_error, -1);
	return sql_policy;
}

static void fn_labour_age(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct labour_policy *p;
	int v;

	(void)argc;
	if (!(p = sql_policy_get(ctx)))
		return;
	v = labour_age_on(p, (const char *)sqlite3_value_text(argv[0]), (const char *)sqlite3_value_text(argv[1]),
			  (const char *)sqlite3_value_text(argv[2]));
	if (v < 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int(ctx, v);
}

static void fn_labour_until(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct labour_policy *p;
	char from[11], until[11];

	(void)argc;
	if (!(p = sql_policy_get(ctx)))
		return;
	if (labour_window(p, (const char *)sqlite3_value_text(argv[0]), (const char *)sqlite3_value_text(argv[1]), from,
			  until) != 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, until, -1, SQLITE_TRANSIENT);
}

int labour_register_sql(sqlite3 *db, struct bangfu_err *err)
{
	static const struct {
		const char *name;
		int nargs;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
	} fns[] = {
		{"bf_labour_age", 3, fn_labour_age},
		{"bf_labour_until", 2, fn_labour_until},
	};

	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (sqlite3_create_function(db, fns[i].name, fns[i].nargs, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
					    fns[i].fn, NULL, NULL) != SQLITE_OK)
			return bangfu_fail(err, ERR_INTERNAL, sqlite3_db_filename(db, "main"), 0, 0, "sqlite",
					   "registering %s: %s", fns[i].name, sqlite3_errmsg(db));
	return 0;
}
