/* reconcile — see reconcile.h.
 *
 * The order of the work: index the IDs; pair the valid IDs of both sources
 * (a FULL JOIN of per-source counts); one person row per valid ID and one
 * per row with an invalid ID; comparison keys for the pairs seen once on each
 * side, then one conflict row per differing field; repair candidates for the
 * invalid rows, confirmed against the other source; duplicates with how they
 * differ; changes against the previous period; zero-employment households;
 * and last the totals, which must add up or nothing is committed. */
#include "reconcile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bangfu.h"
#include "changes.h"
#include "cli.h"
#include "compare.h"
#include "datefmt.h"
#include "db.h"
#include "idno.h"
#include "labels.h"
#include "findings.h"
#include "labour.h"
#include "population.h"
#include "region.h"
#include "strbuf.h"
#include "strmap.h"

static const char *const CATEGORY_CODE[RC_NCATEGORIES] = {
	"consistent", "conflict", "roster_only", "hr_only", "invalid_id", "duplicate"};

const char *reconcile_category_code(enum reconcile_category c)
{
	return c < RC_NCATEGORIES ? CATEGORY_CODE[c] : "";
}

const char *reconcile_category_label(enum reconcile_category c)
{
	return label_of("category", reconcile_category_code(c));
}

/* ---- SQL functions over compare.c ---- */

typedef size_t (*key_fn)(const char *, char *, size_t);

static void sql_key(sqlite3_context *ctx, sqlite3_value *v, key_fn fn)
{
	const char *s = (const char *)sqlite3_value_text(v);
	char buf[1024];
	size_t n;

	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	n = fn(s, buf, sizeof buf);
	if (n == 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, buf, (int)n, SQLITE_TRANSIENT);
}

static void fn_name(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sql_key(ctx, argv[0], compare_name_key);
}

static void fn_employer(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sql_key(ctx, argv[0], compare_employer_key);
}

static void fn_phone(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sql_key(ctx, argv[0], compare_phone_key);
}

static void result_label(sqlite3_context *ctx, const char *label)
{
	if (label && label[0])
		sqlite3_result_text(ctx, label, -1, SQLITE_STATIC);
	else
		sqlite3_result_null(ctx);
}

static void fn_yesno(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);

	(void)argc;
	result_label(ctx, s ? compare_employed(s) : NULL);
}

static void fn_gender(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);

	(void)argc;
	result_label(ctx, s ? compare_gender(s) : NULL);
}

/* bf_region(work_place, work_province, work_city, work_county, home_code, home_city, home_county) */
static void fn_region(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *home = (const char *)sqlite3_value_text(argv[4]);
	int home_code = 0;

	(void)argc;
	/* The home region is the ID's first six digits (or a county code). */
	if (home && strlen(home) >= 6 && strspn(home, "0123456789") >= 6) {
		char six[7];

		memcpy(six, home, 6);
		six[6] = '\0';
		home_code = atoi(six);
	}
	result_label(ctx, compare_region_label(compare_work_region(
				  (const char *)sqlite3_value_text(argv[0]), (const char *)sqlite3_value_text(argv[1]),
				  (const char *)sqlite3_value_text(argv[2]), (const char *)sqlite3_value_text(argv[3]),
				  home_code, (const char *)sqlite3_value_text(argv[5]),
				  (const char *)sqlite3_value_text(argv[6]))));
}

int reconcile_register_functions(sqlite3 *db, struct bangfu_err *err)
{
	static const struct {
		const char *name;
		int nargs;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
	} fns[] = {
		{"bf_name", 1, fn_name},     {"bf_employer", 1, fn_employer}, {"bf_phone", 1, fn_phone},
		{"bf_yesno", 1, fn_yesno},   {"bf_gender", 1, fn_gender},     {"bf_region", 7, fn_region},
	};

	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (sqlite3_create_function(db, fns[i].name, fns[i].nargs, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
					    fns[i].fn, NULL, NULL) != SQLITE_OK)
			return db_fail(db, err, "registering SQL functions");
	return 0;
}

/* ---- running SQL with the period's parameters ---- */

struct params {
	const char *period;
	const char *prev;   /* NULL when there is no previous period */
	char end[11];       /* the period's last day */
	const char *unable; /* "丧失劳动力|无劳动力" */
	struct labour_policy *labour;   /* the labour-age window (lib/labour.h) */
	struct population_tables *pop;  /* value aliases and key counties */
};

static void bind_params(sqlite3_stmt *st, const struct params *p)
{
	int n = sqlite3_bind_parameter_count(st);

	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);

		if (!name)
			continue;
		if (strcmp(name, ":period") == 0)
			sqlite3_bind_text(st, i, p->period, -1, SQLITE_STATIC);
		else if (strcmp(name, ":prev") == 0)
			db_bind_text(st, i, p->prev);
		else if (strcmp(name, ":end") == 0)
			sqlite3_bind_text(st, i, p->end, -1, SQLITE_STATIC);
		else if (strcmp(name, ":unable") == 0)
			sqlite3_bind_text(st, i, p->unable, -1, SQLITE_STATIC);
	}
}

/* Run each statement of a ';'-separated script with the parameters bound. */
static int run_sql(sqlite3 *db, const char *sql, const struct params *p, const char *what, struct bangfu_err *err)
{
	const char *tail = sql;

	db_progress(db, what);
	while (tail && *tail) {
		sqlite3_stmt *st = NULL;
		int rc;

		if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK)
			return db_fail(db, err, what);
		if (!st)
			break; /* only whitespace or comments left */
		bind_params(st, p);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, what);
	}
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The CPU time of the process so far (every thread, user and system):
 * on a machine where other work runs, it says more of a step's own cost
 * than the wall time does. */
static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The CPU time when the last step ended. */
static double cpu_mark;

static void say_step(const char *what, double seconds)
{
	double cpu = cpu_seconds();

	msg_verbose("reconcile: %s: %.2f s, %.2f s of CPU", msg_tr(what), seconds, cpu - cpu_mark);
	cpu_mark = cpu;
}

/* run_sql, saying with --verbose how long the step took. */
static int step(sqlite3 *db, const char *sql, const struct params *p, const char *what, struct bangfu_err *err)
{
	double t0 = now_seconds();
	int rc = run_sql(db, sql, p, what, err);

	say_step(what, now_seconds() - t0);
	return rc;
}

/* With --verbose, the time since *t0 for a step that is not one script;
 * passes rc through and restarts the clock. */
static int timed(int rc, const char *what, double *t0)
{
	double t = now_seconds();

	say_step(what, t - *t0);
	*t0 = t;
	return rc;
}

static long query_long(sqlite3 *db, const char *sql, const struct params *p)
{
	sqlite3_stmt *st;
	long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	bind_params(st, p);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- the steps ---- */

/* The period's source files, as reconcile_run.sources records them: the
 * roster's and the platform's, whose rows are the persons (a service record
 * loaded after the sample was drawn changes no one who was drawn). */
#define SQL_SOURCES                                                                                            \
	"SELECT group_concat(f, ',') FROM (SELECT source || ':' || sha256 AS f FROM source_file"                \
	" WHERE period = ?1 AND source IN ('roster', 'hr') ORDER BY source, sha256)"

/* A sample drawn from the persons of other files than the period's now: the
 * sample's answers would attach to another population.  Refused unless
 * resample, which drops the sample and its answers (bangfu-sample draws
 * again). */
static int check_sample_sources(sqlite3 *db, const char *period, int resample, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int changed = 0;

	if (db_prepare(db, "SELECT (SELECT sources FROM reconcile_run WHERE period = ?1) IS NOT (" SQL_SOURCES ")"
			   " AND (SELECT sources FROM reconcile_run WHERE period = ?1) IS NOT NULL"
			   " AND EXISTS (SELECT 1 FROM sample_plan WHERE period = ?1)",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	changed = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!changed)
		return 0;
	if (!resample)
		return bangfu_fail(err, ERR_INPUT, "", 0, 0, "sample_drawn",
				   "%s's files changed since its sample was drawn: the sample and its answers belong to the "
				   "persons of the earlier files.  Give --resample to drop the sample and its answers, then "
				   "run bangfu-sample again",
				   period);
	for (const char *const *sql = (const char *const[]){"DELETE FROM check_result WHERE period = ?1",
							      "DELETE FROM check_file WHERE period = ?1",
							      "DELETE FROM sample WHERE period = ?1",
							      "DELETE FROM sample_plan WHERE period = ?1", NULL};
	     *sql; sql++) {
		if (db_prepare(db, *sql, &st, err) != 0)
			return -1;
		sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return db_fail(db, err, "dropping the sample");
		}
		sqlite3_finalize(st);
	}
	msg_info("%s: the files changed since the sample was drawn: the sample and its answers are dropped; "
		 "run bangfu-sample again",
		 period);
	return 0;
}

static const char SQL_CLEAR[] =
	"DELETE FROM person WHERE period = :period;"
	"DELETE FROM conflict WHERE period = :period;"
	"DELETE FROM repair WHERE period = :period;"
	"DELETE FROM duplicate_row WHERE period = :period;"
	"DELETE FROM person_change WHERE period = :period;"
	"DELETE FROM zero_household WHERE period = :period;"
	"DELETE FROM township_total WHERE period = :period;"
	"DELETE FROM reconcile_run WHERE period = :period;";

/* ---- who is labour: ability and labour age ---- */

/* Has labour ability: 1, 0 (丧失劳动力, 无劳动力: templates/policy.csv), or -1
 * when the roster does not say. */
static int able_of(const struct params *p, const char *ability)
{
	size_t n;

	if (!ability || !ability[0])
		return -1;
	n = strlen(ability);
	for (const char *u = p->unable; u && *u;) {
		const char *bar = strchr(u, '|');
		size_t len = bar ? (size_t)(bar - u) : strlen(u);

		if (len == n && memcmp(u, ability, n) == 0)
			return 0;
		u = bar ? bar + 1 : NULL;
	}
	return 1;
}

/* Of labour age at the period's last day: 1, 0, or -1 without a birth date
 * or a sex.  The window runs from the minimum age to the statutory
 * retirement age of the person's sex and birth month (lib/labour.h,
 * templates/retirement_age.csv); until[] gets the day it ends ("" when it
 * cannot be told).  The sex is the ID's, else the declared one. */
static int labour_age_of(const struct params *p, const char *birth, const char *sex, char until[11])
{
	char from[11];

	until[0] = '\0';
	if (labour_window(p->labour, birth, sex, from, until) != 0) {
		until[0] = '\0';
		return -1;
	}
	return strcmp(p->end, from) >= 0 && strcmp(p->end, until) < 0;
}

static void bind_flag(sqlite3_stmt *st, int col, int v)
{
	if (v < 0)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_int(st, col, v);
}

/* ---- the merge: both sources in ID order, one pass ----
 *
 * Each source's rows with a valid ID are read once, in ID order, by a table
 * scan and SQLite's sorter (NOT INDEXED: an index on the ID would fetch
 * every row by rowid, a random page each time, which is what made this step
 * slow).  A merge over the two streams meets each ID's rows of both sources
 * together: the person, its category, its comparison keys and conflicts,
 * and the rows of a duplicated ID with how they differ, are all decided
 * here, in C, and written as they are decided. */

enum { R_ROWID, R_ID, R_NAME, R_GENDER, R_ID_GENDER, R_BIRTH, R_CITY, R_COUNTY, R_TOWNSHIP, R_VILLAGE, R_HOUSEHOLD,
       R_LABOR, R_PHONE, R_EMPLOYED, R_WORK_PLACE, R_EMPLOYER, R_WORK_START, R_INTENT, R_HOUSEHOLD_TYPE, R_RELOCATED,
       R_TRAINING, R_NCOLS };
enum { H_ROWID, H_ID, H_NAME, H_GENDER, H_ID_GENDER, H_BIRTH, H_CITY, H_COUNTY, H_TOWNSHIP, H_PHONE, H_STATUS, H_TYPE,
       H_WORK_PROVINCE, H_WORK_CITY, H_WORK_COUNTY, H_EMPLOYER, H_WORK_START, H_RETURNED, H_RETURN_DATE,
       H_UPDATED_AT, H_EMPLOYER_PLACE, H_PERSON_CLASS, H_NCOLS };
#define STREAM_NCOLS ((int)R_NCOLS > (int)H_NCOLS ? (int)R_NCOLS : (int)H_NCOLS)

static const char SQL_ROSTER_STREAM[] =
	"SELECT rowid, id_number, name, gender, id_gender, birth_date, city, county, township, village, household_id,"
	" labor_ability, phone, employed, work_place, employer, work_start, intent, household_type, relocated,"
	" training_intent"
	" FROM roster_row NOT INDEXED WHERE period = ?1 AND id_number IS NOT NULL ORDER BY id_number, rowid";
static const char SQL_HR_STREAM[] =
	"SELECT rowid, id_number, name, gender, id_gender, birth_date, city, county, township, phone,"
	" employment_status, employment_type, work_province, work_city, work_county, employer, work_start, returned,"
	" return_date, updated_at, employer_place, person_class"
	" FROM hr_row NOT INDEXED WHERE period = ?1 AND id_number IS NOT NULL ORDER BY id_number, rowid";

/* The first row of an ID in one source, copied out of the statement (whose
 * values do not outlive the next step), and how many rows the ID has. */
struct first_row {
	int ncols;
	char *v[STREAM_NCOLS]; /* NULL for NULL */
	sqlite3_int64 rowid;
	long rows;
	struct strbuf buf;   /* holds the values */
};

static void first_row_take(struct first_row *f, sqlite3_stmt *st, int ncols)
{
	size_t off[STREAM_NCOLS];

	strbuf_reset(&f->buf);
	f->ncols = ncols;
	f->rowid = sqlite3_column_int64(st, 0);
	f->rows = 1;
	for (int c = 1; c < ncols; c++) {
		const char *s = (const char *)sqlite3_column_text(st, c);

		off[c] = s ? f->buf.len : (size_t)-1;
		if (s)
			strbuf_add(&f->buf, s, (size_t)sqlite3_column_bytes(st, c) + 1);
	}
	for (int c = 1; c < ncols; c++)
		f->v[c] = off[c] == (size_t)-1 ? NULL : f->buf.buf + off[c];
}

/* SQL's "a IS NOT b" for two texts. */
static int differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

static const char *col_text(sqlite3_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(st, c);
}

/* A comparison key (compare.h) or NULL for "no value", as the SQL functions
 * bf_name and friends give it. */
static const char *key_of(size_t (*fn)(const char *, char *, size_t), const char *s, char *buf, size_t bufsz)
{
	return s && fn(s, buf, bufsz) > 0 ? buf : NULL;
}

static const char *nonempty(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* Two keys that both say something and say different things. */
static int keys_differ(const char *a, const char *b)
{
	return a && b && strcmp(a, b) != 0;
}

/* ---- every person passes through one place: stored, counted per
 * township, gathered per household ---- */

/* A person as the table person holds it; NULL texts are NULL, -1 flags are
 * NULL, rowid 0 is NULL. */
struct person_rec {
	const char *person_key, *id_number;
	int id_valid;
	enum reconcile_category category;
	const char *reason;
	int in_roster, in_hr;
	long roster_rows, hr_rows;
	const char *name, *gender, *birth_date, *city, *county, *township, *village, *household_id,
		*labor_ability;
	int able, labour_age;
	const char *labour_age_until;
	const char *roster_employed, *hr_status, *employed, *work_region, *employment_type, *intent, *returned,
		*return_date, *updated_at, *phone;
	sqlite3_int64 roster_rowid, hr_rowid;
	/* populations and places (population.h): NULL / -1 when not known */
	const char *population, *employer_region;
	int relocated, training_intent, key_county;
};

/* The measures of the progress report for one township (township_total):
 * what v_township_progress and the 总表 of bangfu-report show.  Counted here,
 * for every person as it is stored, so that nothing counts the persons
 * again. */
enum { T_PERSONS, T_LABOUR, T_ENTERED, T_EMPLOYED, T_OUT_PROVINCE, T_IN_PROVINCE, T_IN_COUNTY, T_REGION_UNKNOWN,
       T_PUBLIC_POST, T_WORKSHOP, T_UNEMPLOYED, T_WILLING, T_RETURNED, T_CONSISTENT, T_CONFLICT,
       /* by population (schema/013) */
       T_POPULATION_UNKNOWN, T_MONITORED_LABOUR, T_MONITORED_EMPLOYED, T_LOW_INCOME_LABOUR, T_LOW_INCOME_EMPLOYED,
       T_RELOCATED_LABOUR, T_RELOCATED_EMPLOYED, T_RELOCATED_HOUSEHOLDS, T_RELOCATED_HOUSEHOLDS_EMPLOYED,
       /* the rest of the categories, and the rows (schema/022) */
       T_ROSTER_ONLY, T_HR_ONLY, T_INVALID_ID, T_DUPLICATE, T_ROSTER_ROWS, T_HR_ROWS, NT };

/* The columns of township_total after period, city, county, township, in
 * the order of the measures above. */
static const char *const TOTAL_COLUMN[NT] = {
	"persons",	      "labour",		 "entered",		  "employed",
	"out_province",	      "in_province",	 "in_county",		  "region_unknown",
	"public_post",	      "workshop",	 "unemployed",		  "willing",
	"returned",	      "consistent",	 "conflict",		  "population_unknown",
	"monitored_labour",   "monitored_employed", "low_income_labour",  "low_income_employed",
	"relocated_labour",   "relocated_employed", "relocated_households", "relocated_households_employed",
	"roster_only",	      "hr_only",	 "invalid_id",		  "duplicate",
	"roster_rows",	      "hr_rows"};

struct township_total {
	char *city, *county, *township; /* NULL as the persons have it */
	int key_county;                 /* the county's place on templates/key_counties.csv: 1, 0, -1 unknown */
	long n[NT];
};

/* A household of the roster, for the zero-employment households.  Its ID
 * is its key in the households' table and its places are interned (the
 * sink's places): a province has a million households but a few thousand
 * villages, and a copy of each place per household was most of
 * reconcile's memory at four million people. */
struct household {
	const char *city, *county, *township, *village; /* the smallest of its members' (SQL's min) */
	long members, able_members;
	int employed; /* someone employed in either source */
	/* 湘人社函〔2020〕58号 四（二）3（3）: a relocated household with a member
	 * able and of labour age who works or wants to, and whether one such
	 * member works; counted in the township of its first member */
	unsigned char relocated, wants_work, works;
	struct township_total *first_township;
	/* the members' names ("甲、乙") while no one is employed: a
	 * zero-employment household's items name them (zero_household.names) */
	struct strbuf names;
};

static void household_free(void *v)
{
	struct household *h = v;

	strbuf_free(&h->names);
	free(h);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void township_free(void *v)
{
	struct township_total *t = v;

	free(t->city);
	free(t->county);
	free(t->township);
	free(t);
}

/* The one copy of s in the table of places, or NULL for NULL. */
static const char *intern(struct strmap *places, const char *s)
{
	void **slot;
	size_t i;

	if (!s)
		return NULL;
	slot = strmap_slot(places, s);
	*slot = places; /* any value but NULL: the key is what is kept */
	i = (size_t)(slot - places->vals);
	return places->keys[i];
}

static void no_free(void *v)
{
	(void)v;
}

static int is(const char *s, const char *value)
{
	return s && strcmp(s, value) == 0;
}

/* 未就业人员 with an intent to work: 就业意向 says something (县内, 县外, …)
 * other than nothing, 无, 否, 无意愿, 暂无 (spaces around ignored). */
static int willing(const char *intent)
{
	static const char *const NONE[] = {"无", "否", "无意愿", "暂无"};
	size_t len;

	if (!intent)
		return 0;
	while (*intent == ' ')
		intent++;
	len = strlen(intent);
	while (len > 0 && intent[len - 1] == ' ')
		len--;
	if (len == 0)
		return 0;
	for (size_t i = 0; i < sizeof NONE / sizeof NONE[0]; i++)
		if (strlen(NONE[i]) == len && memcmp(NONE[i], intent, len) == 0)
			return 0;
	return 1;
}

/* The township of a person, found or added; a new one learns whether its
 * county is a key county. */
static struct township_total *township_of(struct strmap *townships, struct strbuf *key,
					  const struct person_rec *pr, const struct population_tables *pop)
{
	void **slot;
	struct township_total *t;

	slot = strmap_slot(townships, strmap_place_key(key, pr->city, pr->county, pr->township));
	if (!*slot) {
		long code = pr->county ? region_place_order(pr->city, pr->county) : 99999999;

		t = xcalloc(1, sizeof *t);
		t->city = dup_or_null(pr->city);
		t->county = dup_or_null(pr->county);
		t->township = dup_or_null(pr->township);
		/* region_place_order gives a county's own code when the names
		 * are those of GB/T 2260, else a code ending in 99 */
		t->key_county = code >= 100000 && code <= 999999 && code % 100 != 99
					? population_key_county(pop, (int)code)
					: population_key_county_count(pop) ? 0 : -1;
		*slot = t;
	}
	return *slot;
}

/* The measures of the township's row.  脱贫劳动力 (labour, and every measure
 * over it) are the roster's persons with labour ability and of labour age
 * whose population is 脱贫人口 or not given (the roster is the 脱贫人口 list
 * unless it says otherwise); 监测对象 and 农村低收入人口 are counted in
 * columns of their own, and 易地扶贫搬迁 across all populations. */
static void count_township(struct township_total *t, const struct person_rec *pr)
{
	int labour = pr->in_roster && pr->able != 0 && pr->labour_age != 0;
	int employed = is(pr->employed, "是");

	t->n[T_PERSONS]++;
	t->n[T_CONSISTENT] += pr->category == RC_CONSISTENT;
	t->n[T_CONFLICT] += pr->category == RC_CONFLICT;
	t->n[T_ROSTER_ONLY] += pr->category == RC_ROSTER_ONLY;
	t->n[T_HR_ONLY] += pr->category == RC_HR_ONLY;
	t->n[T_INVALID_ID] += pr->category == RC_INVALID_ID;
	t->n[T_DUPLICATE] += pr->category == RC_DUPLICATE;
	t->n[T_ROSTER_ROWS] += pr->roster_rows;
	t->n[T_HR_ROWS] += pr->hr_rows;
	if (!labour)
		return;
	if (pr->relocated == 1) {
		t->n[T_RELOCATED_LABOUR]++;
		t->n[T_RELOCATED_EMPLOYED] += employed;
	}
	if (is(pr->population, POPULATION_MONITORED)) {
		t->n[T_MONITORED_LABOUR]++;
		t->n[T_MONITORED_EMPLOYED] += employed;
		return;
	}
	if (is(pr->population, POPULATION_LOW_INCOME)) {
		t->n[T_LOW_INCOME_LABOUR]++;
		t->n[T_LOW_INCOME_EMPLOYED] += employed;
		return;
	}
	if (pr->population && !is(pr->population, POPULATION_EXITED))
		return; /* other */
	t->n[T_POPULATION_UNKNOWN] += !pr->population;
	t->n[T_LABOUR]++;
	t->n[T_ENTERED] += pr->in_hr;
	t->n[T_RETURNED] += is(pr->returned, "是");
	if (!employed) {
		t->n[T_UNEMPLOYED]++;
		t->n[T_WILLING] += willing(pr->intent);
		return;
	}
	t->n[T_EMPLOYED]++;
	if (is(pr->work_region, "省外"))
		t->n[T_OUT_PROVINCE]++;
	else if (is(pr->work_region, "省内县外"))
		t->n[T_IN_PROVINCE]++;
	else if (is(pr->work_region, "县内"))
		t->n[T_IN_COUNTY]++;
	else
		t->n[T_REGION_UNKNOWN]++;
	t->n[T_PUBLIC_POST] += is(pr->employment_type, "公益性岗位");
	t->n[T_WORKSHOP] += is(pr->employment_type, "就业帮扶车间");
}

/* min() of texts as SQL has it: NULL loses to any text. */
static void keep_smaller(struct strmap *places, const char **have, const char *s)
{
	if (s && (!*have || strcmp(s, *have) < 0))
		*have = intern(places, s);
}

static void gather_household(struct strmap *households, struct strmap *places, const struct person_rec *pr,
			     struct township_total *t)
{
	struct household *h;
	void **slot;

	if (!pr->in_roster || !pr->household_id || !pr->household_id[0])
		return;
	slot = strmap_slot(households, pr->household_id);
	if (!*slot) {
		h = xcalloc(1, sizeof *h);
		h->first_township = t;
		*slot = h;
	}
	h = *slot;
	h->members++;
	h->able_members += pr->able == 1 && pr->labour_age == 1;
	h->employed |= is(pr->employed, "是") || is(pr->roster_employed, "是");
	if (h->employed) {
		strbuf_free(&h->names); /* never a zero-employment household */
	} else if (pr->name) {
		if (h->names.len)
			strbuf_addstr(&h->names, "、");
		strbuf_addstr(&h->names, pr->name);
	}
	h->relocated |= pr->relocated == 1;
	if (pr->able == 1 && pr->labour_age == 1) {
		int works = is(pr->employed, "是") || is(pr->roster_employed, "是");

		h->wants_work |= works || willing(pr->intent);
		h->works |= works;
	}
	keep_smaller(places, &h->city, pr->city);
	keep_smaller(places, &h->county, pr->county);
	keep_smaller(places, &h->township, pr->township);
	keep_smaller(places, &h->village, pr->village);
}

static const char SQL_INSERT_PERSON[] =
	"INSERT INTO person (period, person_key, id_number, id_valid, category, reason, in_roster, in_hr,"
	" roster_rows, hr_rows, name, gender, birth_date, city, county, township, village, household_id,"
	" labor_ability, able, labour_age, roster_employed, hr_status, employed, work_region,"
	" employment_type, intent, returned, return_date, updated_at, phone, roster_rowid, hr_rowid,"
	" population, relocated, key_county, training_intent, employer_region, labour_age_until)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	" ?, ?, ?, ?, ?, ?)";

struct sink {
	sqlite3 *db;
	const char *period;
	struct population_tables *pop;
	sqlite3_stmt *ins;
	struct strmap townships, households, places;
	struct strbuf key; /* a township's key (strmap_place_key) */
	long category[RC_NCATEGORIES];
};

/* A text that outlives the statement's step: bound without a copy. */
static void bind_static(sqlite3_stmt *st, int col, const char *s)
{
	if (s)
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

static void bind_rowid(sqlite3_stmt *st, int col, sqlite3_int64 rowid)
{
	if (rowid)
		sqlite3_bind_int64(st, col, rowid);
	else
		sqlite3_bind_null(st, col);
}

static int emit_person(struct sink *k, const struct person_rec *pr, struct bangfu_err *err)
{
	sqlite3_stmt *ins = k->ins;
	struct township_total *t = township_of(&k->townships, &k->key, pr, k->pop);
	int col = 1;

	sqlite3_bind_text(ins, col++, k->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, col++, pr->person_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, col++, pr->id_number, -1, SQLITE_STATIC);
	sqlite3_bind_int(ins, col++, pr->id_valid);
	sqlite3_bind_text(ins, col++, reconcile_category_code(pr->category), -1, SQLITE_STATIC);
	bind_static(ins, col++, pr->reason);
	sqlite3_bind_int(ins, col++, pr->in_roster);
	sqlite3_bind_int(ins, col++, pr->in_hr);
	sqlite3_bind_int64(ins, col++, pr->roster_rows);
	sqlite3_bind_int64(ins, col++, pr->hr_rows);
	bind_static(ins, col++, pr->name);
	bind_static(ins, col++, pr->gender);
	bind_static(ins, col++, pr->birth_date);
	bind_static(ins, col++, pr->city);
	bind_static(ins, col++, pr->county);
	bind_static(ins, col++, pr->township);
	bind_static(ins, col++, pr->village);
	bind_static(ins, col++, pr->household_id);
	bind_static(ins, col++, pr->labor_ability);
	bind_flag(ins, col++, pr->able);
	bind_flag(ins, col++, pr->labour_age);
	bind_static(ins, col++, pr->roster_employed);
	bind_static(ins, col++, pr->hr_status);
	bind_static(ins, col++, pr->employed);
	bind_static(ins, col++, pr->work_region);
	bind_static(ins, col++, pr->employment_type);
	bind_static(ins, col++, pr->intent);
	bind_static(ins, col++, pr->returned);
	bind_static(ins, col++, pr->return_date);
	bind_static(ins, col++, pr->updated_at);
	bind_static(ins, col++, pr->phone);
	bind_rowid(ins, col++, pr->roster_rowid);
	bind_rowid(ins, col++, pr->hr_rowid);
	bind_static(ins, col++, pr->population);
	bind_flag(ins, col++, pr->relocated);
	bind_flag(ins, col++, t->key_county);
	bind_flag(ins, col++, pr->training_intent);
	bind_static(ins, col++, pr->employer_region);
	bind_static(ins, col++, pr->labour_age_until && pr->labour_age_until[0] ? pr->labour_age_until : NULL);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		sqlite3_reset(ins);
		return db_fail(k->db, err, "recording a person");
	}
	sqlite3_reset(ins);
	k->category[pr->category]++;
	count_township(t, pr);
	gather_household(&k->households, &k->places, pr, t);
	return 0;
}

/* After every person: township_total and zero_household of the period. */
static int sink_finish(struct sink *k, struct bangfu_err *err)
{
	sqlite3_stmt *st = NULL;
	struct strbuf sql;
	int rc = -1;

	/* the relocated households, in the township of their first member */
	for (size_t i = 0; i < k->households.cap; i++) {
		const struct household *h = k->households.vals[i];

		if (!k->households.keys[i] || !h->relocated || !h->wants_work)
			continue;
		h->first_township->n[T_RELOCATED_HOUSEHOLDS]++;
		h->first_township->n[T_RELOCATED_HOUSEHOLDS_EMPLOYED] += h->works;
	}
	strbuf_init(&sql);
	strbuf_addstr(&sql, "INSERT INTO township_total (period, city, county, township");
	for (int m = 0; m < NT; m++)
		strbuf_addf(&sql, ", %s", TOTAL_COLUMN[m]);
	strbuf_addstr(&sql, ", key_county) VALUES (?, ?, ?, ?");
	for (int m = 0; m <= NT; m++)
		strbuf_addstr(&sql, ", ?");
	strbuf_addch(&sql, ')');
	rc = db_prepare(k->db, strbuf_str(&sql), &st, err);
	strbuf_free(&sql);
	if (rc != 0)
		return -1;
	rc = -1;
	for (size_t i = 0; i < k->townships.cap; i++) {
		const struct township_total *t = k->townships.vals[i];

		if (!k->townships.keys[i])
			continue;
		sqlite3_bind_text(st, 1, k->period, -1, SQLITE_STATIC);
		db_bind_text(st, 2, t->city);
		db_bind_text(st, 3, t->county);
		db_bind_text(st, 4, t->township);
		for (int m = 0; m < NT; m++)
			sqlite3_bind_int64(st, 5 + m, t->n[m]);
		bind_flag(st, 5 + NT, t->key_county);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(k->db, err, "recording the totals per township");
			goto out;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (db_prepare(k->db, "INSERT INTO zero_household (period, household_id, city, county, township, village,"
			      " members, able_members, names) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       &st, err) != 0)
		return -1;
	for (size_t i = 0; i < k->households.cap; i++) {
		const struct household *h = k->households.vals[i];

		if (!k->households.keys[i] || h->able_members == 0 || h->employed)
			continue;
		sqlite3_bind_text(st, 1, k->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, k->households.keys[i], -1, SQLITE_STATIC);
		db_bind_text(st, 3, h->city);
		db_bind_text(st, 4, h->county);
		db_bind_text(st, 5, h->township);
		db_bind_text(st, 6, h->village);
		sqlite3_bind_int64(st, 7, h->members);
		sqlite3_bind_int64(st, 8, h->able_members);
		bind_static(st, 9, h->names.len ? strbuf_str(&h->names) : NULL);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(k->db, err, "recording a zero-employment household");
			goto out;
		}
		sqlite3_reset(st);
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static void sink_free(struct sink *k)
{
	sqlite3_finalize(k->ins);
	strmap_free(&k->townships, township_free);
	strbuf_free(&k->key);
	strmap_free(&k->households, household_free);
	strmap_free(&k->places, no_free);
}

/* ---- the persons of invalid IDs: one per row ---- */

static const char SQL_INVALID_ROSTER[] =
	"SELECT rowid, id_norm, id_status, id_damage, name, gender, id_gender, birth_date, city, county, township,"
	" village, household_id, labor_ability, employed, work_place, intent, phone, household_type, relocated,"
	" training_intent"
	" FROM roster_row WHERE period = ?1 AND id_number IS NULL";
static const char SQL_INVALID_HR[] =
	"SELECT rowid, id_norm, id_status, id_damage, name, gender, id_gender, birth_date, city, county, township,"
	" employment_status, work_province, work_city, work_county, employment_type, returned, return_date,"
	" updated_at, phone, employer_place, person_class"
	" FROM hr_row WHERE period = ?1 AND id_number IS NULL";

/* The home code an invalid ID's digits give, as for a valid one: its first
 * six digits when they are digits, else none. */
static int home_code_of(const char *id)
{
	char six[7];

	if (!id || strlen(id) < 6 || strspn(id, "0123456789") < 6)
		return 0;
	memcpy(six, id, 6);
	six[6] = '\0';
	return atoi(six);
}

static const char *region_label(const char *work_place, const char *province, const char *city, const char *county,
				int home_code, const char *home_city, const char *home_county)
{
	return nonempty(compare_region_label(
		compare_work_region(work_place, province, city, county, home_code, home_city, home_county)));
}

/* A yes/no field of population_values.csv: 1, 0, or -1 when not known. */
static int flag_code(struct population_tables *pop, const char *field, const char *value)
{
	const char *code = population_code(pop, field, value);

	return code ? code[0] == '1' : -1;
}

/* The sex the labour-age window goes by: the ID's, else the declared one. */
static const char *sex_of(const char *id_gender, const char *gender)
{
	return is(id_gender, "M") || is(id_gender, "F") ? id_gender : gender;
}

static int add_invalid_persons(sqlite3 *db, const struct params *p, struct sink *k, int roster,
			       struct bangfu_err *err)
{
	sqlite3_stmt *st;
	char key[64], reason[64], until[11];
	int rc;

	if (db_prepare(db, roster ? SQL_INVALID_ROSTER : SQL_INVALID_HR, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, p->period, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
		const char *id = col_text(st, 1), *damage = col_text(st, 3), *id_gender = col_text(st, 6);
		const char *declared = col_text(st, 5);
		struct person_rec pr = {0};

		snprintf(key, sizeof key, "%s:%lld:%lld", roster ? "roster" : "hr", (long long)(rowid >> 32),
			 (long long)(rowid & 0xffffffff));
		snprintf(reason, sizeof reason, "%s%s%s", col_text(st, 2), damage ? "/" : "", damage ? damage : "");
		pr.person_key = key;
		pr.id_number = id;
		pr.category = RC_INVALID_ID;
		pr.reason = reason;
		pr.in_roster = roster;
		pr.in_hr = !roster;
		pr.roster_rows = roster;
		pr.hr_rows = !roster;
		pr.name = col_text(st, 4);
		pr.gender = is(id_gender, "M") ? "男" : is(id_gender, "F") ? "女" : declared ? nonempty(compare_gender(declared)) : NULL;
		pr.birth_date = col_text(st, 7);
		pr.city = col_text(st, 8);
		pr.county = col_text(st, 9);
		pr.township = col_text(st, 10);
		pr.labour_age = labour_age_of(p, pr.birth_date, sex_of(id_gender, pr.gender), until);
		pr.labour_age_until = until;
		pr.relocated = pr.training_intent = -1;
		if (roster) {
			const char *employed = col_text(st, 14);

			pr.village = col_text(st, 11);
			pr.household_id = col_text(st, 12);
			pr.labor_ability = col_text(st, 13);
			pr.able = able_of(p, pr.labor_ability);
			pr.roster_employed = employed ? nonempty(compare_employed(employed)) : NULL;
			pr.employed = pr.roster_employed;
			pr.work_region = region_label(col_text(st, 15), NULL, NULL, NULL, home_code_of(id), pr.city,
						      pr.county);
			pr.intent = col_text(st, 16);
			pr.phone = col_text(st, 17);
			pr.roster_rowid = rowid;
			pr.population = population_code(p->pop, "population", col_text(st, 18));
			pr.relocated = flag_code(p->pop, "relocated", col_text(st, 19));
			pr.training_intent = flag_code(p->pop, "training_intent", col_text(st, 20));
		} else {
			const char *status = col_text(st, 11), *returned = col_text(st, 16);

			pr.able = -1;
			pr.hr_status = status;
			pr.employed = status ? nonempty(compare_employed(status)) : NULL;
			pr.work_region = region_label(NULL, col_text(st, 12), col_text(st, 13), col_text(st, 14),
						      home_code_of(id), pr.city, pr.county);
			pr.employment_type = col_text(st, 15);
			pr.returned = returned ? nonempty(compare_employed(returned)) : NULL;
			pr.return_date = col_text(st, 17);
			pr.updated_at = col_text(st, 18);
			pr.phone = col_text(st, 19);
			pr.hr_rowid = rowid;
			pr.employer_region = region_label(col_text(st, 20), NULL, NULL, NULL, home_code_of(id), pr.city,
							  pr.county);
			pr.population = population_code(p->pop, "population", col_text(st, 21));
		}
		if (emit_person(k, &pr, err) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading the rows with invalid IDs");
}

struct merge {
	sqlite3 *db;
	const struct params *p;
	sqlite3_stmt *roster, *hr;          /* the two streams */
	int r_more, h_more;                 /* 1 while the stream has a row */
	sqlite3_stmt *ins_conflict, *ins_duplicate;
	sqlite3_stmt *ins_named, *ins_unmatched; /* for the ID repairs */
	struct strmap want;                      /* "side\x1fname key" a repair looks for */
	struct sink *sink;
	struct first_row r, h;
	struct strbuf differs, text_a, text_b;
	long roster_rows, hr_rows;          /* rows of valid IDs seen */
	long in_sources;                    /* persons' sources: 2 for one in both */
	long conflicts;
};

static int step_stream(struct merge *m, sqlite3_stmt *st, int *more, struct bangfu_err *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(m->db, err, "reading the rows in ID order");
	*more = rc == SQLITE_ROW;
	return 0;
}

/* A duplicated ID's row: which fields differ from its first row. */
static int add_duplicate_row(struct merge *m, const char *source, sqlite3_stmt *st, const struct first_row *f,
			     const char *id, struct bangfu_err *err)
{
	static const struct {
		int col;
		const char *name;
	} ROSTER[] = {{R_NAME, "name"},	      {R_GENDER, "gender"},	  {R_PHONE, "phone"},
		      {R_COUNTY, "county"},   {R_TOWNSHIP, "township"},  {R_VILLAGE, "village"},
		      {R_HOUSEHOLD, "household_id"}, {R_LABOR, "labor_ability"}, {R_EMPLOYED, "employed"},
		      {R_WORK_PLACE, "work_place"}, {R_EMPLOYER, "employer"}, {R_WORK_START, "work_start"}},
	  HR[] = {{H_NAME, "name"},	{H_GENDER, "gender"},	{H_PHONE, "phone"},
		  {H_COUNTY, "county"}, {H_TOWNSHIP, "township"}, {H_STATUS, "employment_status"},
		  {H_TYPE, "employment_type"}};
	int roster = source[0] == 'r';
	sqlite3_int64 rowid = sqlite3_column_int64(st, 0);
	sqlite3_stmt *ins = m->ins_duplicate;

	strbuf_reset(&m->differs);
#define DIFFERS(col, name)                                                                                         \
	do {                                                                                                        \
		if (differ(col_text(st, col), f->v[col]))                                                         \
			strbuf_addstr(&m->differs, m->differs.len ? "," name : name);                               \
	} while (0)
	if (roster) {
		for (size_t i = 0; i < sizeof ROSTER / sizeof ROSTER[0]; i++)
			if (differ(col_text(st, ROSTER[i].col), f->v[ROSTER[i].col])) {
				if (m->differs.len)
					strbuf_addch(&m->differs, ',');
				strbuf_addstr(&m->differs, ROSTER[i].name);
			}
	} else {
		for (size_t i = 0; i < sizeof HR / sizeof HR[0]; i++)
			if (differ(col_text(st, HR[i].col), f->v[HR[i].col])) {
				if (m->differs.len)
					strbuf_addch(&m->differs, ',');
				strbuf_addstr(&m->differs, HR[i].name);
			}
		if (differ(col_text(st, H_WORK_PROVINCE), f->v[H_WORK_PROVINCE]) ||
		    differ(col_text(st, H_WORK_CITY), f->v[H_WORK_CITY]) ||
		    differ(col_text(st, H_WORK_COUNTY), f->v[H_WORK_COUNTY]))
			DIFFERS(H_WORK_PROVINCE, "work_place");
		DIFFERS(H_EMPLOYER, "employer");
		DIFFERS(H_WORK_START, "work_start");
		DIFFERS(H_RETURNED, "returned");
	}
#undef DIFFERS
	sqlite3_bind_text(ins, 1, m->p->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 3, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 4, rowid >> 32);
	sqlite3_bind_int64(ins, 5, rowid & 0xffffffff);
	sqlite3_bind_text(ins, 6, strbuf_str(&m->differs), -1, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		sqlite3_reset(ins);
		return db_fail(m->db, err, "listing duplicates");
	}
	sqlite3_reset(ins);
	return 0;
}

/* A row whose name a range repair candidate of the other source looks for
 * goes to temp.named (one pass instead of a scan of both sources). */
static int note_named(struct merge *m, sqlite3_stmt *st, const char *source, struct bangfu_err *err)
{
	const char *name = col_text(st, 2);
	char nk[1024], key[1100];
	sqlite3_int64 rowid;

	if (!m->want.n || !name || !compare_name_key(name, nk, sizeof nk))
		return 0;
	snprintf(key, sizeof key, "%s\x1f%s", source, nk);
	if (!strmap_get(&m->want, key))
		return 0;
	rowid = sqlite3_column_int64(st, 0);
	sqlite3_bind_text(m->ins_named, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(m->ins_named, 2, nk, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(m->ins_named, 3, col_text(st, 1), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(m->ins_named, 4, name, -1, SQLITE_TRANSIENT);
	db_bind_text(m->ins_named, 5, col_text(st, 8)); /* township, in both streams */
	sqlite3_bind_int64(m->ins_named, 6, rowid & 0xffffffff);
	sqlite3_bind_int64(m->ins_named, 7, rowid >> 32);
	if (sqlite3_step(m->ins_named) != SQLITE_DONE) {
		sqlite3_reset(m->ins_named);
		return db_fail(m->db, err, "collecting rows for the ID repairs");
	}
	sqlite3_reset(m->ins_named);
	return 0;
}

/* Every row of one ID in one stream: the first kept in *f, the others (a
 * duplicate) listed with what differs.  The stream is left on the next ID. */
static int take_id(struct merge *m, sqlite3_stmt *st, int *more, const char *source, int ncols,
		   struct first_row *f, struct bangfu_err *err)
{
	first_row_take(f, st, ncols);
	if (note_named(m, st, source, err) != 0 || step_stream(m, st, more, err) != 0)
		return -1;
	while (*more && strcmp(col_text(st, 1), f->v[1]) == 0) {
		if (f->rows == 1) {
			/* the first row is a duplicate's row too, identical to itself */
			sqlite3_int64 rowid = f->rowid;
			sqlite3_stmt *ins = m->ins_duplicate;

			sqlite3_bind_text(ins, 1, m->p->period, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 2, f->v[1], -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 3, source, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 4, rowid >> 32);
			sqlite3_bind_int64(ins, 5, rowid & 0xffffffff);
			sqlite3_bind_text(ins, 6, "", -1, SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				sqlite3_reset(ins);
				return db_fail(m->db, err, "listing duplicates");
			}
			sqlite3_reset(ins);
		}
		f->rows++;
		if (add_duplicate_row(m, source, st, f, f->v[1], err) != 0 || note_named(m, st, source, err) != 0 ||
		    step_stream(m, st, more, err) != 0)
			return -1;
	}
	return 0;
}

static int add_conflict(struct merge *m, const char *id, const char *field, const char *roster, const char *hr,
			struct bangfu_err *err)
{
	sqlite3_stmt *ins = m->ins_conflict;

	sqlite3_bind_text(ins, 1, m->p->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, field, -1, SQLITE_STATIC);
	db_bind_text(ins, 4, roster);
	db_bind_text(ins, 5, hr);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		sqlite3_reset(ins);
		return db_fail(m->db, err, "recording a conflict");
	}
	sqlite3_reset(ins);
	m->conflicts++;
	return 0;
}

/* The work-region class of a person (省外 / 省内县外 / 县内), or NULL. */
static const char *region_of(const char *id, const char *work_place, const char *province, const char *city,
			     const char *county, const char *home_city, const char *home_county)
{
	char six[7];

	memcpy(six, id, 6);
	six[6] = '\0';
	return nonempty(compare_region_label(
		compare_work_region(work_place, province, city, county, atoi(six), home_city, home_county)));
}

/* The fields of an ID seen once in each source: one conflict row per field
 * that differs, as the township lists and v_conflict show them.  Returns
 * 1 when the sources disagree on more than gender against the ID. */
static int compare_pair(struct merge *m, const char *id, const char *r_region, const char *h_region,
			struct bangfu_err *err)
{
	char ka[1024], kb[1024];
	char **r = m->r.v, **h = m->h.v;
	const char *r_g = r[R_GENDER] ? nonempty(compare_gender(r[R_GENDER])) : NULL,
		   *h_g = h[H_GENDER] ? nonempty(compare_gender(h[H_GENDER])) : NULL;
	const char *id_g = r[R_ID_GENDER] ? (strcmp(r[R_ID_GENDER], "M") == 0	? "男"
					     : strcmp(r[R_ID_GENDER], "F") == 0 ? "女"
										  : NULL)
					  : NULL;
	int disagree = 0;

	if (keys_differ(key_of(compare_name_key, r[R_NAME], ka, sizeof ka),
			key_of(compare_name_key, h[H_NAME], kb, sizeof kb))) {
		if (add_conflict(m, id, "name", r[R_NAME], h[H_NAME], err) != 0)
			return -1;
		disagree = 1;
	}
	if (keys_differ(r_g, h_g)) {
		if (add_conflict(m, id, "gender", r[R_GENDER], h[H_GENDER], err) != 0)
			return -1;
		disagree = 1;
	}
	if (id_g && (keys_differ(r_g, id_g) || keys_differ(h_g, id_g)) &&
	    add_conflict(m, id, "gender_id", r[R_GENDER], h[H_GENDER], err) != 0)
		return -1;
	{
		const char *r_e = r[R_EMPLOYED] ? nonempty(compare_employed(r[R_EMPLOYED])) : NULL;
		const char *h_e = h[H_STATUS] ? nonempty(compare_employed(h[H_STATUS])) : NULL;

		if (keys_differ(r_e, h_e)) {
			if (add_conflict(m, id, "employed", r[R_EMPLOYED], h[H_STATUS], err) != 0)
				return -1;
			disagree = 1;
		}
	}
	if (keys_differ(r_region, h_region)) {
		/* "广东省东莞市 (省外)"; the platform's place is its three columns */
		strbuf_reset(&m->text_a);
		strbuf_reset(&m->text_b);
		if (r[R_WORK_PLACE])
			strbuf_addf(&m->text_a, "%s (%s)", r[R_WORK_PLACE], r_region);
		strbuf_addf(&m->text_b, "%s%s%s", h[H_WORK_PROVINCE] ? h[H_WORK_PROVINCE] : "",
			    h[H_WORK_CITY] ? h[H_WORK_CITY] : "", h[H_WORK_COUNTY] ? h[H_WORK_COUNTY] : "");
		if (m->text_b.len)
			strbuf_addf(&m->text_b, " (%s)", h_region);
		if (add_conflict(m, id, "work_region", r[R_WORK_PLACE] ? strbuf_str(&m->text_a) : NULL,
				 m->text_b.len ? strbuf_str(&m->text_b) : NULL, err) != 0)
			return -1;
		disagree = 1;
	}
	if (keys_differ(key_of(compare_employer_key, r[R_EMPLOYER], ka, sizeof ka),
			key_of(compare_employer_key, h[H_EMPLOYER], kb, sizeof kb))) {
		if (add_conflict(m, id, "employer", r[R_EMPLOYER], h[H_EMPLOYER], err) != 0)
			return -1;
		disagree = 1;
	}
	if (keys_differ(key_of(compare_phone_key, r[R_PHONE], ka, sizeof ka),
			key_of(compare_phone_key, h[H_PHONE], kb, sizeof kb))) {
		if (add_conflict(m, id, "phone", r[R_PHONE], h[H_PHONE], err) != 0)
			return -1;
		disagree = 1;
	}
	return disagree;
}

/* One person of a valid ID: rn roster rows (the first in m->r), hn HR rows
 * (the first in m->h). */
static int add_person(struct merge *m, const char *id, long rn, long hn, struct bangfu_err *err)
{
	const struct params *p = m->p;
	char **r = rn ? m->r.v : NULL, **h = hn ? m->h.v : NULL;
#define R(c) (r ? r[c] : NULL)
#define H(c) (h ? h[c] : NULL)
#define EITHER(rc, hc) (R(rc) ? R(rc) : H(hc))
	const char *id_gender = EITHER(R_ID_GENDER, H_ID_GENDER);
	const char *r_region = NULL, *h_region = NULL;
	struct person_rec pr = {0};
	char until[11];
	int disagree = 0;

	if (r)
		r_region = region_of(id, R(R_WORK_PLACE), NULL, NULL, NULL, R(R_CITY), R(R_COUNTY));
	if (h)
		h_region = region_of(id, NULL, H(H_WORK_PROVINCE), H(H_WORK_CITY), H(H_WORK_COUNTY),
				     EITHER(R_CITY, H_CITY), EITHER(R_COUNTY, H_COUNTY));
	if (rn > 1 || hn > 1)
		pr.category = RC_DUPLICATE;
	else if (!hn)
		pr.category = RC_ROSTER_ONLY;
	else if (!rn)
		pr.category = RC_HR_ONLY;
	else if ((disagree = compare_pair(m, id, r_region, h_region, err)) < 0)
		return -1;
	else
		pr.category = disagree ? RC_CONFLICT : RC_CONSISTENT;
	pr.person_key = id;
	pr.id_number = id;
	pr.id_valid = 1;
	pr.reason = rn > 1 && hn > 1 ? "roster+hr" : rn > 1 ? "roster" : hn > 1 ? "hr" : NULL;
	pr.in_roster = rn > 0;
	pr.in_hr = hn > 0;
	pr.roster_rows = rn;
	pr.hr_rows = hn;
	pr.name = EITHER(R_NAME, H_NAME);
	pr.gender = is(id_gender, "M") ? "男" : is(id_gender, "F") ? "女" : NULL;
	pr.birth_date = EITHER(R_BIRTH, H_BIRTH);
	pr.city = EITHER(R_CITY, H_CITY);
	pr.county = EITHER(R_COUNTY, H_COUNTY);
	pr.township = EITHER(R_TOWNSHIP, H_TOWNSHIP);
	pr.village = R(R_VILLAGE);
	pr.household_id = R(R_HOUSEHOLD);
	pr.labor_ability = R(R_LABOR);
	pr.able = able_of(p, pr.labor_ability);
	pr.labour_age = labour_age_of(p, pr.birth_date, sex_of(id_gender, pr.gender), until);
	pr.labour_age_until = until;
	/* the roster's population (the rural-revitalisation office decides
	 * who is in it), else the platform's person class */
	pr.population = population_code(p->pop, "population", R(R_HOUSEHOLD_TYPE));
	if (!pr.population)
		pr.population = population_code(p->pop, "population", H(H_PERSON_CLASS));
	pr.relocated = flag_code(p->pop, "relocated", R(R_RELOCATED));
	pr.training_intent = flag_code(p->pop, "training_intent", R(R_TRAINING));
	if (h)
		pr.employer_region = region_of(id, H(H_EMPLOYER_PLACE), NULL, NULL, NULL, EITHER(R_CITY, H_CITY),
					       EITHER(R_COUNTY, H_COUNTY));
	pr.roster_employed = R(R_EMPLOYED) ? nonempty(compare_employed(R(R_EMPLOYED))) : NULL;
	pr.hr_status = H(H_STATUS);
	pr.employed = H(H_STATUS) ? nonempty(compare_employed(H(H_STATUS))) : NULL;
	if (!pr.employed)
		pr.employed = pr.roster_employed;
	pr.work_region = h ? h_region : r_region;
	pr.employment_type = H(H_TYPE);
	pr.intent = R(R_INTENT);
	pr.returned = H(H_RETURNED) ? nonempty(compare_employed(H(H_RETURNED))) : NULL;
	pr.return_date = H(H_RETURN_DATE);
	pr.updated_at = H(H_UPDATED_AT);
	pr.phone = R(R_PHONE) && R(R_PHONE)[0] ? R(R_PHONE) : H(H_PHONE);
	pr.roster_rowid = r ? m->r.rowid : 0;
	pr.hr_rowid = h ? m->h.rowid : 0;
#undef R
#undef H
#undef EITHER
	if (emit_person(m->sink, &pr, err) != 0)
		return -1;
	if (pr.category == RC_ROSTER_ONLY || pr.category == RC_HR_ONLY) {
		/* where the ID repairs' fallback rule (same name, township, birth) looks */
		sqlite3_stmt *u = m->ins_unmatched;

		sqlite3_bind_text(u, 1, id, -1, SQLITE_STATIC);
		db_bind_text(u, 2, pr.name);
		db_bind_text(u, 3, pr.township);
		db_bind_text(u, 4, pr.birth_date);
		sqlite3_bind_text(u, 5, reconcile_category_code(pr.category), -1, SQLITE_STATIC);
		if (sqlite3_step(u) != SQLITE_DONE) {
			sqlite3_reset(u);
			return db_fail(m->db, err, "collecting persons for the ID repairs");
		}
		sqlite3_reset(u);
	}
	m->roster_rows += rn;
	m->hr_rows += hn;
	m->in_sources += (rn > 0) + (hn > 0);
	return 0;
}

/* The names the range repair candidates look for (temp.want). */
static int load_want(sqlite3 *db, struct strmap *want, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	char key[1100];
	int rc;

	if (db_prepare(db, "SELECT side, name_k FROM temp.want", &st, err) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(key, sizeof key, "%s\x1f%s", col_text(st, 0), col_text(st, 1));
		*strmap_slot(want, key) = xstrdup("");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "reading the names the ID repairs look for");
}

static int merge_sources(sqlite3 *db, const struct params *p, struct reconcile_summary *sum,
			 struct bangfu_err *err)
{
	struct sink k = {.db = db, .period = p->period, .pop = p->pop};
	struct merge m = {.db = db, .p = p, .sink = &k};
	unsigned long long persons = 0, total_rows;
	int rc = -1;

	strbuf_init(&m.r.buf);
	strbuf_init(&m.h.buf);
	strbuf_init(&m.differs);
	strbuf_init(&m.text_a);
	strbuf_init(&m.text_b);
	if (db_prepare(db, SQL_ROSTER_STREAM, &m.roster, err) != 0 || db_prepare(db, SQL_HR_STREAM, &m.hr, err) != 0 ||
	    db_prepare(db, SQL_INSERT_PERSON, &k.ins, err) != 0 ||
	    db_prepare(db, "INSERT INTO conflict (period, id_number, field, roster_value, hr_value) VALUES (?, ?, ?, ?, ?)",
		       &m.ins_conflict, err) != 0 ||
	    db_prepare(db, "INSERT INTO duplicate_row (period, id_number, source, file_id, line, differs)"
			   " VALUES (?, ?, ?, ?, ?, ?)",
		       &m.ins_duplicate, err) != 0 ||
	    db_prepare(db, "INSERT INTO temp.named VALUES (?, ?, ?, ?, ?, ?, ?)", &m.ins_named, err) != 0 ||
	    db_prepare(db, "INSERT INTO temp.unmatched VALUES (?, ?, ?, ?, ?)", &m.ins_unmatched, err) != 0 ||
	    load_want(db, &m.want, err) != 0)
		goto out;
	total_rows = (unsigned long long)query_long(db, "SELECT (SELECT count(*) FROM roster_row WHERE period = :period)"
							" + (SELECT count(*) FROM hr_row WHERE period = :period)", p);
	sqlite3_bind_text(m.roster, 1, p->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(m.hr, 1, p->period, -1, SQLITE_STATIC);
	db_progress(db, "sorting both sources by ID");
	if (step_stream(&m, m.roster, &m.r_more, err) != 0 || step_stream(&m, m.hr, &m.h_more, err) != 0)
		goto out;
	db_progress(db, NULL); /* sorted: the merge counts persons itself */
	while (m.r_more || m.h_more) {
		int order = !m.r_more ? 1 : !m.h_more ? -1 : strcmp(col_text(m.roster, 1), col_text(m.hr, 1));
		long rn = 0, hn = 0;

		if (order <= 0) {
			if (take_id(&m, m.roster, &m.r_more, "roster", R_NCOLS, &m.r, err) != 0)
				goto out;
			rn = m.r.rows;
		}
		if (order >= 0) {
			if (take_id(&m, m.hr, &m.h_more, "hr", H_NCOLS, &m.h, err) != 0)
				goto out;
			hn = m.h.rows;
		}
		if (add_person(&m, rn ? m.r.v[1] : m.h.v[1], rn, hn, err) != 0)
			goto out;
		if ((++persons & 0x3fff) == 0)
			msg_progress_share("persons", persons, (unsigned long long)(m.roster_rows + m.hr_rows),
					   total_rows);
	}
	msg_progress_end();
	db_progress(db, "the invalid IDs' persons");
	/* the rows of invalid IDs, a person each, and then what is counted
	 * over every person */
	if (add_invalid_persons(db, p, &k, 1, err) != 0 || add_invalid_persons(db, p, &k, 0, err) != 0 ||
	    sink_finish(&k, err) != 0)
		goto out;
	for (int c = 0; c < RC_NCATEGORIES; c++)
		sum->category[c] = k.category[c];
	sum->roster_rows = m.roster_rows;
	sum->hr_rows = m.hr_rows;
	sum->duplicate_extra_rows = m.roster_rows + m.hr_rows - m.in_sources;
	sum->conflicts = m.conflicts;
	rc = 0;
out:
	sqlite3_finalize(m.roster);
	sqlite3_finalize(m.hr);
	sink_free(&k);
	strmap_free(&m.want, free);
	sqlite3_finalize(m.ins_named);
	sqlite3_finalize(m.ins_unmatched);
	sqlite3_finalize(m.ins_conflict);
	sqlite3_finalize(m.ins_duplicate);
	strbuf_free(&m.r.buf);
	strbuf_free(&m.h.buf);
	strbuf_free(&m.differs);
	strbuf_free(&m.text_a);
	strbuf_free(&m.text_b);
	return rc;
}

/* The IDs of both row tables, indexed once the period's rows are in:
 * confirming an ID repair looks one up, and so do the later stages. */
static const char SQL_ID_INDEXES[] =
	"CREATE INDEX IF NOT EXISTS roster_row_id ON roster_row (period, id_number);"
	"CREATE INDEX IF NOT EXISTS hr_row_id ON hr_row (period, id_number);";

/* The measures of the progress report per township, counted once here so
 * that the report (and its trend over earlier months) need not count every
 * person again; see schema/012 and v_township_progress. */
/* ---- ID repair ---- */

struct cand_ctx {
	sqlite3_stmt *ins;
	const char *rule_override;
};

static void add_exact_candidate(const char *candidate, const char *rule, void *ctx)
{
	struct cand_ctx *c = ctx;

	sqlite3_bind_text(c->ins, 9, candidate, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(c->ins, 10, candidate, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(c->ins, 11, c->rule_override ? c->rule_override : rule, -1, SQLITE_TRANSIENT);
	sqlite3_step(c->ins);
	sqlite3_reset(c->ins);
}

/* The IDs Excel may have turned into these surviving digits.  Excel keeps
 * 15 significant digits and sets the rest to zeros (truncation, Microsoft
 * KB 269370): M of k digits stands for [M, M + 1) x 10^(18-k).  What it
 * shows in scientific form (4.30124E+17) is rounded for display, and some
 * exports round the value too: [M - 0.5, M + 0.5) x 10^(18-k).  The window
 * is the union of the two, [M - 0.5, M + 1) x 10^(18-k), inclusive bounds
 * as text for a BETWEEN; an upper bound ending in 9 ends in X, which sorts
 * after every digit. */
static int excel_window(const char *digits, char lo[19], char hi[19])
{
	size_t k = strlen(digits);
	unsigned long long m, unit = 1, low, high;

	if (k == 0 || k > 17 || strspn(digits, "0123456789") != k)
		return -1;
	m = strtoull(digits, NULL, 10);
	if (m == 0)
		return -1;
	for (size_t i = k; i < 18; i++)
		unit *= 10;
	low = m * unit - unit / 2;
	high = (m + 1) * unit - 1;
	if (high > 999999999999999999ULL)
		high = 999999999999999999ULL;
	if (low < 100000000000000000ULL)
		low = 100000000000000000ULL;
	if (low > high)
		return -1;
	snprintf(lo, 19, "%018llu", low);
	snprintf(hi, 19, "%018llu", high);
	if (hi[17] == '9')
		hi[17] = 'X';
	return 0;
}

/* Birth date digits of a damaged number, when they read as a date. */
static int birth_of(const char *norm, char out[11])
{
	int y, m, d;

	if (strlen(norm) < 14 || strspn(norm, "0123456789") < 14)
		return 0;
	char buf[32];

	if (sscanf(norm + 6, "%4d%2d%2d", &y, &m, &d) != 3 || !datefmt_valid_ymd(y, m, d) || y < 1900)
		return 0;
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, 11);
	return 1;
}

static const char SQL_CAND_TABLE[] =
	"DROP TABLE IF EXISTS temp.cand;"
	"CREATE TEMP TABLE cand (person_key TEXT, source TEXT, file_id INTEGER, line INTEGER, raw_id TEXT,"
	" name_k TEXT, township TEXT, birth TEXT, lo TEXT, hi TEXT, rule TEXT);";

static const char SQL_INVALID_ROWS[] =
	"SELECT 'roster', file_id, line, id_raw, id_norm, id_status, id_damage, id_prefix, bf_name(name), township"
	" FROM roster_row WHERE period = :period AND id_number IS NULL"
	" UNION ALL SELECT 'hr', file_id, line, id_raw, id_norm, id_status, id_damage, id_prefix, bf_name(name), township"
	" FROM hr_row WHERE period = :period AND id_number IS NULL";

/* Candidates confirmed by the other source: same name, and same township
 * when both have one.  An exact candidate (single-typo repairs) is one
 * index lookup in the other source.  A range (what survived Excel: every ID
 * starting 430124...) would be a scan of a whole county per damaged row, so
 * ranges look among the other source's rows with the same name instead
 * (temp.named, built in one pass).  The fallback rule (same name, township
 * and birth date) looks for persons of the other source not matched in
 * this one.  CROSS JOIN keeps cand as the outer loop. */
static const char SQL_WANT[] =
	"DROP TABLE IF EXISTS temp.want; DROP TABLE IF EXISTS temp.named; DROP TABLE IF EXISTS temp.unmatched;"
	"CREATE TEMP TABLE want (side TEXT, name_k TEXT, PRIMARY KEY (side, name_k)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO want SELECT CASE source WHEN 'roster' THEN 'hr' ELSE 'roster' END, name_k FROM cand"
	" WHERE lo IS NOT NULL AND lo <> hi;"
	"CREATE TEMP TABLE named (side TEXT, name_k TEXT, id_number TEXT, name TEXT, township TEXT, line INTEGER,"
	" file_id INTEGER);"
	"CREATE TEMP TABLE unmatched (id_number TEXT, name TEXT, township TEXT, birth_date TEXT, category TEXT);";

/* After the pass has filled named (the rows whose name a range candidate
 * looks for) and unmatched (the persons seen in one source only). */
static const char SQL_NAMED_INDEXES[] =
	"CREATE INDEX temp.named_k ON named (side, name_k, id_number);"
	"CREATE INDEX temp.unmatched_birth ON unmatched (birth_date, township);";

#define CONFIRM_EXACT(other_table, cand_source)                                                          \
	"SELECT c.person_key, c.source, c.file_id, c.line, c.raw_id, c.rule, o.id_number, o.name,"       \
	"  o.township, o.line, f.file_name"                                                                \
	" FROM cand c CROSS JOIN " other_table " o ON o.period = :period AND o.id_number = c.lo"         \
	" JOIN source_file f ON f.file_id = o.file_id"                                                     \
	" WHERE c.source = '" cand_source "' AND c.lo = c.hi AND bf_name(o.name) = c.name_k"             \
	"  AND (c.township IS NULL OR o.township IS NULL OR o.township = c.township)"

#define CONFIRM_RANGE(other_side, cand_source)                                                           \
	"SELECT c.person_key, c.source, c.file_id, c.line, c.raw_id, c.rule, o.id_number, o.name,"       \
	"  o.township, o.line, f.file_name"                                                                \
	" FROM cand c CROSS JOIN named o ON o.side = '" other_side "' AND o.name_k = c.name_k"           \
	"  AND o.id_number BETWEEN c.lo AND c.hi"                                                          \
	" JOIN source_file f ON f.file_id = o.file_id"                                                     \
	" WHERE c.source = '" cand_source "' AND c.lo <> c.hi"                                            \
	"  AND (c.township IS NULL OR o.township IS NULL OR o.township = c.township)"

static const char SQL_CONFIRM[] =
	CONFIRM_EXACT("hr_row", "roster") " UNION ALL " CONFIRM_EXACT("roster_row", "hr")
	" UNION ALL " CONFIRM_RANGE("hr", "roster") " UNION ALL " CONFIRM_RANGE("roster", "hr")
	" UNION ALL "
	"SELECT c.person_key, c.source, c.file_id, c.line, c.raw_id, c.rule, p.id_number, p.name,"
	"  p.township, NULL, NULL"
	" FROM cand c CROSS JOIN unmatched p ON p.birth_date = c.birth AND p.township = c.township"
	"  AND p.category = CASE c.source WHEN 'roster' THEN 'hr_only' ELSE 'roster_only' END"
	" WHERE c.lo IS NULL AND bf_name(p.name) = c.name_k"
	" ORDER BY 1, 7";

/* Before the pass: every invalid row's repair candidates (temp.cand), and
 * the names the range candidates look for in the other source (temp.want),
 * which the pass collects into temp.named. */
static int repairs_prepare(sqlite3 *db, const struct params *p, struct bangfu_err *err)
{
	sqlite3_stmt *rows = NULL, *ins = NULL;
	struct cand_ctx cc = {0};
	int rc = -1, step;

	if (run_sql(db, SQL_CAND_TABLE, p, "preparing ID repair", err) != 0)
		goto out;
	if (db_prepare(db, SQL_INVALID_ROWS, &rows, err) != 0 ||
	    db_prepare(db, "INSERT INTO cand VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &ins, err) != 0)
		goto out;
	bind_params(rows, p);
	cc.ins = ins;
	while ((step = sqlite3_step(rows)) == SQLITE_ROW) {
		const char *src = (const char *)sqlite3_column_text(rows, 0);
		const char *norm = (const char *)sqlite3_column_text(rows, 4);
		const char *status = (const char *)sqlite3_column_text(rows, 5);
		const char *damage = (const char *)sqlite3_column_text(rows, 6);
		const char *prefix = (const char *)sqlite3_column_text(rows, 7);
		char key[64], birth[11], lo[19], hi[19];

		if (sqlite3_column_type(rows, 8) == SQLITE_NULL)
			continue; /* no name: nothing could confirm a candidate */
		snprintf(key, sizeof key, "%s:%lld:%lld", src, (long long)sqlite3_column_int64(rows, 1),
			 (long long)sqlite3_column_int64(rows, 2));
		sqlite3_bind_text(ins, 1, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 2, src, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 3, sqlite3_column_int64(rows, 1));
		sqlite3_bind_int64(ins, 4, sqlite3_column_int64(rows, 2));
		sqlite3_bind_value(ins, 5, sqlite3_column_value(rows, 3));
		sqlite3_bind_value(ins, 6, sqlite3_column_value(rows, 8));
		sqlite3_bind_value(ins, 7, sqlite3_column_value(rows, 9));
		sqlite3_bind_null(ins, 8);
		cc.rule_override = NULL;
		/* A typo in the birth date or province shows as that error first;
		 * the candidates are the same kind. */
		if ((strcmp(status, "bad_check") == 0 || strcmp(status, "bad_birth") == 0 ||
		     strcmp(status, "bad_province") == 0) && strlen(norm) == 18) {
			idno_repair_candidates(norm, 0, add_exact_candidate, &cc);
		} else if (strcmp(status, "excel_damage") == 0 && prefix && excel_window(prefix, lo, hi) == 0) {
			sqlite3_bind_text(ins, 9, lo, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 10, hi, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 11, damage && strcmp(damage, "excel_scientific") == 0
							   ? "excel_scientific" : "excel_rounded",
					  -1, SQLITE_STATIC);
			sqlite3_step(ins);
			sqlite3_reset(ins);
		} else if (birth_of(norm, birth) && sqlite3_column_type(rows, 9) != SQLITE_NULL) {
			sqlite3_bind_text(ins, 8, birth, -1, SQLITE_TRANSIENT);
			sqlite3_bind_null(ins, 9);
			sqlite3_bind_null(ins, 10);
			sqlite3_bind_text(ins, 11, "name_birth_township", -1, SQLITE_STATIC);
			sqlite3_step(ins);
			sqlite3_reset(ins);
		}
	}
	if (step != SQLITE_DONE) {
		db_fail(db, err, "reading rows with invalid IDs");
		goto out;
	}
	rc = run_sql(db, SQL_WANT, p, "preparing ID repair", err);
out:
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	return rc;
}

/* After the pass: a proposal for each invalid row with exactly one
 * confirmed candidate. */
static int repairs_confirm(sqlite3 *db, const struct params *p, long *repairs, struct bangfu_err *err)
{
	sqlite3_stmt *confirm = NULL, *add = NULL, *mark = NULL;
	int rc = -1, step;
	char prev_key[64] = "", proposed[19] = "", rule[32] = "";
	int distinct = 0;
	struct strbuf evidence;
	long from_file = 0, from_line = 0;
	char source[8] = "", raw_id[128] = "";

	strbuf_init(&evidence);
	if (run_sql(db, SQL_NAMED_INDEXES, p, "indexing the repair candidates", err) != 0)
		goto out;

	/* One proposal per invalid row, and only when exactly one ID is
	 * confirmed: an ambiguous repair is no repair. */
	if (db_prepare(db, SQL_CONFIRM, &confirm, err) != 0 ||
	    db_prepare(db, "INSERT INTO repair (period, person_key, source, file_id, line, raw_id, proposed_id,"
			   " rule, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       &add, err) != 0 ||
	    db_prepare(db, "UPDATE person SET repair_pending = 1 WHERE period = ? AND person_key = ?", &mark,
		       err) != 0)
		goto out;
	bind_params(confirm, p);
	for (;;) {
		step = sqlite3_step(confirm);
		const char *key = step == SQLITE_ROW ? (const char *)sqlite3_column_text(confirm, 0) : NULL;

		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			db_fail(db, err, "confirming ID repairs");
			goto out;
		}
		if (!key || strcmp(key, prev_key) != 0) {
			/* flush the previous invalid row */
			if (prev_key[0] && distinct == 1) {
				sqlite3_bind_text(add, 1, p->period, -1, SQLITE_STATIC);
				sqlite3_bind_text(add, 2, prev_key, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(add, 3, source, -1, SQLITE_TRANSIENT);
				sqlite3_bind_int64(add, 4, from_file);
				sqlite3_bind_int64(add, 5, from_line);
				sqlite3_bind_text(add, 6, raw_id, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(add, 7, proposed, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(add, 8, rule, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(add, 9, strbuf_str(&evidence), -1, SQLITE_TRANSIENT);
				if (sqlite3_step(add) != SQLITE_DONE) {
					db_fail(db, err, "recording an ID repair");
					goto out;
				}
				sqlite3_reset(add);
				sqlite3_bind_text(mark, 1, p->period, -1, SQLITE_STATIC);
				sqlite3_bind_text(mark, 2, proposed, -1, SQLITE_TRANSIENT);
				sqlite3_step(mark);
				sqlite3_reset(mark);
				(*repairs)++;
			}
			if (!key)
				break;
			snprintf(prev_key, sizeof prev_key, "%s", key);
			snprintf(source, sizeof source, "%s", (const char *)sqlite3_column_text(confirm, 1));
			from_file = (long)sqlite3_column_int64(confirm, 2);
			from_line = (long)sqlite3_column_int64(confirm, 3);
			snprintf(raw_id, sizeof raw_id, "%s", (const char *)sqlite3_column_text(confirm, 4));
			distinct = 0;
			proposed[0] = '\0';
		}
		{
			const char *id = (const char *)sqlite3_column_text(confirm, 6);
			const char *other = strcmp(source, "roster") == 0 ? "人社平台" : "扶贫系统";
			const char *name = (const char *)sqlite3_column_text(confirm, 7);
			const char *town = (const char *)sqlite3_column_text(confirm, 8);

			if (strcmp(id, proposed) == 0)
				continue;
			distinct++;
			snprintf(proposed, sizeof proposed, "%s", id);
			snprintf(rule, sizeof rule, "%s", (const char *)sqlite3_column_text(confirm, 5));
			strbuf_reset(&evidence);
			strbuf_addf(&evidence, "%s", other);
			if (sqlite3_column_type(confirm, 9) != SQLITE_NULL)
				strbuf_addf(&evidence, "（%s 第%lld行）", (const char *)sqlite3_column_text(confirm, 10),
					    (long long)sqlite3_column_int64(confirm, 9));
			strbuf_addf(&evidence, "有此号码，姓名“%s”相同", name ? name : "");
			if (town)
				strbuf_addf(&evidence, "，乡镇“%s”相同", town);
			if (strcmp(rule, "name_birth_township") == 0)
				strbuf_addstr(&evidence, "，出生日期相同");
		}
	}
	rc = 0;
out:
	strbuf_free(&evidence);
	sqlite3_finalize(confirm);
	sqlite3_finalize(add);
	sqlite3_finalize(mark);
	return rc;
}

/* ---- totals ---- */

/* The counts of the run: the merge counted the persons of valid IDs and
 * their rows; the invalid IDs are one person per row.  The rows of each
 * source, counted again from its table, must be the rows of its persons,
 * or nothing is saved. */
static int count_and_check(sqlite3 *db, const struct params *p, struct reconcile_summary *sum,
			   struct bangfu_err *err)
{
	long roster_rows = query_long(db, "SELECT count(*) FROM roster_row WHERE period = :period", p);
	long hr_rows = query_long(db, "SELECT count(*) FROM hr_row WHERE period = :period", p);
	long invalid_roster = query_long(db, "SELECT count(*) FROM roster_row WHERE period = :period"
					     " AND id_number IS NULL", p);
	long invalid_hr = query_long(db, "SELECT count(*) FROM hr_row WHERE period = :period AND id_number IS NULL", p);
	long persons = query_long(db, "SELECT count(*) FROM person WHERE period = :period", p);

	sum->category[RC_INVALID_ID] = invalid_roster + invalid_hr;
	sum->roster_rows += invalid_roster;
	sum->hr_rows += invalid_hr;
	sum->persons = 0;
	for (int c = 0; c < RC_NCATEGORIES; c++)
		sum->persons += sum->category[c];
	sum->zero_households = query_long(db, "SELECT count(*) FROM zero_household WHERE period = :period", p);
	sum->changes = query_long(db, "SELECT count(*) FROM person_change WHERE period = :period", p);
	if (roster_rows != sum->roster_rows || hr_rows != sum->hr_rows || persons != sum->persons)
		return bangfu_fail(err, ERR_INTERNAL, "", 0, 0, "totals",
				   "the totals do not add up (roster rows %ld, in persons %ld; HR rows %ld, in persons "
				   "%ld; persons %ld, categorised %ld): nothing was saved",
				   roster_rows, sum->roster_rows, hr_rows, sum->hr_rows, persons, sum->persons);
	return 0;
}

static int record_run(sqlite3 *db, const struct params *p, const struct reconcile_summary *sum,
		      struct bangfu_err *err)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	db_now_iso(now);
	if (db_prepare(db, "INSERT INTO reconcile_run (period, previous_period, run_at, roster_rows, hr_rows, persons,"
			   " consistent, conflict, roster_only, hr_only, invalid_id, duplicate, repairs, sources)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (" SQL_SOURCES "))",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, p->period, -1, SQLITE_STATIC);
	db_bind_text(st, 2, p->prev);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, sum->roster_rows);
	sqlite3_bind_int64(st, 5, sum->hr_rows);
	sqlite3_bind_int64(st, 6, sum->persons);
	for (int c = 0; c < RC_NCATEGORIES; c++)
		sqlite3_bind_int64(st, 7 + c, sum->category[c]);
	sqlite3_bind_int64(st, 13, sum->repairs);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "recording the run");
}

/* policy.csv's labour abilities; the labour-age window (lib/labour.h); the
 * population templates (population.h). */
static int load_policy(const struct tmpl_policy *policy, struct params *p, struct bangfu_err *err)
{
	p->unable = tmpl_policy_text(policy, "unable_labor_abilities");
	if (!p->unable)
		p->unable = "丧失劳动力|无劳动力";
	if (labour_policy_load(&p->labour, err) != 0 || population_tables_load(&p->pop, err) != 0)
		return -1;
	return 0;
}

static void free_policy(struct params *p)
{
	labour_policy_free(p->labour);
	population_tables_free(p->pop);
	p->labour = NULL;
	p->pop = NULL;
}

int reconcile_period(sqlite3 *db, const char *period, const struct tmpl_policy *policy, int resample,
		     struct reconcile_summary *sum, struct bangfu_err *err)
{
	struct params p = {.period = period};
	sqlite3_stmt *st;
	int y = atoi(period), m = atoi(period + 5);
	double t0;

	memset(sum, 0, sizeof *sum);
	snprintf(p.end, sizeof p.end, "%04d-%02d-%02d", y, m, datefmt_month_days(y, m));
	if (load_policy(policy, &p, err) != 0 || reconcile_register_functions(db, err) != 0 ||
	    db_begin_bulk(db, err) != 0) {
		free_policy(&p);
		return -1;
	}
	if (query_long(db, "SELECT (SELECT count(*) FROM roster_row WHERE period = :period)"
			   " + (SELECT count(*) FROM hr_row WHERE period = :period)", &p) <= 0) {
		bangfu_fail(err, ERR_INPUT, "", 0, 0, "no_data",
			    "nothing is loaded for %s: run bangfu-ingest for the roster and the HR dump first", period);
		goto fail;
	}
	if (check_sample_sources(db, period, resample, err) != 0)
		goto fail;
	if (db_prepare(db, "SELECT max(period) FROM reconcile_run WHERE period < ?", &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(sum->previous_period, sizeof sum->previous_period, "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	p.prev = sum->previous_period[0] ? sum->previous_period : NULL;

	t0 = now_seconds();
	cpu_mark = cpu_seconds();
	db_progress(db, "listing ID repair candidates");
	if (step(db, SQL_CLEAR, &p, "clearing the previous result", err) != 0 ||
	    (t0 = now_seconds(), timed(repairs_prepare(db, &p, err), "listing ID repair candidates", &t0)) != 0 ||
	    (t0 = now_seconds(), timed(merge_sources(db, &p, sum, err), "every person, in one pass in ID order", &t0)) != 0 ||
	    step(db, SQL_ID_INDEXES, &p, "indexing the IDs", err) != 0 ||
	    (t0 = now_seconds(), db_progress(db, "proposing ID repairs"), timed(repairs_confirm(db, &p, &sum->repairs, err), "proposing ID repairs", &t0)) != 0 ||
	    (p.prev && (t0 = now_seconds(), db_progress(db, "comparing with the previous period"),
			timed(changes_compute(db, p.period, p.prev, err), "comparing with the previous period", &t0)) != 0) ||
	    (t0 = now_seconds(), timed(services_compute(db, p.period, &sum->services, err), "linking the services", &t0)) != 0 ||
	    (t0 = now_seconds(), db_progress(db, "counting"), timed(count_and_check(db, &p, sum, err), "counting", &t0)) != 0 ||
	    record_run(db, &p, sum, err) != 0)
		goto fail;
	t0 = now_seconds();
	run_sql(db, "DROP TABLE IF EXISTS temp.cand; DROP TABLE IF EXISTS temp.unmatched;"
		    "DROP TABLE IF EXISTS temp.want; DROP TABLE IF EXISTS temp.named;",
		&p, "cleaning up", err);
	timed(0, "dropping work tables", &t0);
	sum->unknown_values = population_unknown(p.pop, sum->unknown_examples, sizeof sum->unknown_examples);
	sum->key_counties = population_key_county_count(p.pop);
	free_policy(&p);
	db_progress(db, "committing");
	if (db_commit(db, err) != 0)
		return -1;
	db_progress(db, NULL);
	timed(0, "committing", &t0);
	return 0;
fail:
	db_progress(db, NULL);
	db_rollback(db);
	free_policy(&p);
	return -1;
}

/* ---- the command: bangfu-reconcile ---- */

/* The problem list (挂单销号) follows every reconciliation. */
static int sync_problems(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	struct findings_summary ps;
	double t0 = now_seconds();

	cpu_mark = cpu_seconds();
	if (findings_sync(db, period, &ps, err) != 0)
		return -1;
	say_step("the problem list", now_seconds() - t0);
	msg_info("problem list: %ld open (%ld opened, %ld closed by %s)", ps.open, ps.opened, ps.closed, period);
	return 0;
}

int cmd_reconcile(int argc, char **argv)
{
	const char *db_path = "bangfu.db", *period = NULL;
	int resample = 0;
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&period, "the month to reconcile"),
		CLI_OPT_FLAG("resample", &resample,
			     "the period's files changed after its sample was drawn: drop the sample\n"
			     "and its answers (refused without this; run bangfu-sample again after)"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-reconcile", NULL,
		N_("Join the period's roster and HR-platform rows by ID number and classify every\n"
		"person: 一致 consistent, 不一致 conflict, 仅扶贫系统 roster_only, 仅人社平台 hr_only,\n"
		"证件号码无效 invalid_id, 重复 duplicate.  Lists conflicting fields, proposes ID\n"
		"repairs for townships to confirm, compares with the previous period and finds\n"
		"zero-employment households (labour ages: templates/policy.csv).  Re-running\n"
		"replaces the period's result."),
		NULL, options};
	struct tmpl_policy *policy = NULL;
	struct reconcile_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int status = EXIT_OK;

	bangfu_err_clear(&err);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		return status;
	if (tmpl_policy_load("policy.csv", &policy, &err) != 0 || db_open_existing(db_path, &db, &err) != 0 ||
	    reconcile_period(db, period, policy, resample, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %ld roster rows + %ld HR rows = %ld persons + %ld extra rows of duplicated IDs", period,
		 sum.roster_rows, sum.hr_rows, sum.persons, sum.duplicate_extra_rows);
	for (int k = 0; k < RC_NCATEGORIES; k++)
		msg_info("  %-12s %-16s %8ld", reconcile_category_code(k), reconcile_category_label(k),
			 sum.category[k]);
	msg_info("%ld conflicting fields, %ld proposed ID repairs, %ld zero-employment households", sum.conflicts,
		 sum.repairs, sum.zero_households);
	if (sum.unknown_values)
		msg_info("%ld values of 户类型/人员类别, 是否易地搬迁 or 培训意愿 are not in templates/population_values.csv "
			 "and count as unknown: %s", sum.unknown_values, sum.unknown_examples);
	if (!sum.key_counties)
		msg_verbose("templates/key_counties.csv lists no county: nobody is known to be in a key county");
	if (sum.previous_period[0])
		msg_info("compared with %s: %ld changes (view v_change_summary)", sum.previous_period, sum.changes);
	else
		msg_info("no earlier period in the database: no month-over-month changes");
	if (sum.services.records)
		msg_info("services of the 12 months: %ld records = %ld of persons by their ID + %ld by a proposed ID repair"
			 " + %ld of no person; %ld of a type templates/service_values.csv does not name",
			 sum.services.records, sum.services.linked, sum.services.repaired, sum.services.unmatched,
			 sum.services.unknown_type);
	else
		msg_info("no service records of the 12 months loaded (bangfu-ingest --source service): the services"
			 " measures show what is missing");
	if (sum.services.ledger_rows)
		msg_info("county e-ledgers: %ld rows (their 就业意愿 and 培训意愿 count); %ld of %ld counties without one "
			 "by day %d of the month after (view v_source_arrival)",
			 sum.services.ledger_rows, sum.services.ledger_late, sum.services.counties, sum.services.due_day);
	else
		msg_info("no county e-ledger loaded for %s (bangfu-ingest --source ledger): 就业意愿 and 培训意愿 as the "
			 "roster says", period);
	if (sum.services.posts_rows)
		msg_info("公益性岗位花名册: %ld rows", sum.services.posts_rows);
	else
		msg_info("no 公益性岗位花名册 loaded for %s (bangfu-ingest --source posts)", period);
	db_progress(db, "the problem list");
	if (sync_problems(db, period, &err) != 0)
		status = msg_fail(&err);
	db_progress(db, NULL);
out:
	db_close(db);
	tmpl_policy_free(policy);
	return status;
}
