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
#include <time.h>

#include "bangfu.h"
#include "cli.h"
#include "compare.h"
#include "datefmt.h"
#include "db.h"
#include "idno.h"
#include "labels.h"
#include "findings.h"
#include "strbuf.h"

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
	long age_min, age_max_male, age_max_female;
	const char *unable; /* "丧失劳动力|无劳动力" */
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
		else if (strcmp(name, ":age_min") == 0)
			sqlite3_bind_int64(st, i, p->age_min);
		else if (strcmp(name, ":age_max_m") == 0)
			sqlite3_bind_int64(st, i, p->age_max_male);
		else if (strcmp(name, ":age_max_f") == 0)
			sqlite3_bind_int64(st, i, p->age_max_female);
		else if (strcmp(name, ":unable") == 0)
			sqlite3_bind_text(st, i, p->unable, -1, SQLITE_STATIC);
	}
}

/* Run each statement of a ';'-separated script with the parameters bound. */
static int run_sql(sqlite3 *db, const char *sql, const struct params *p, const char *what, struct bangfu_err *err)
{
	const char *tail = sql;

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

/* run_sql, saying with --verbose how long the step took. */
static int step(sqlite3 *db, const char *sql, const struct params *p, const char *what, struct bangfu_err *err)
{
	double t0 = now_seconds();
	int rc = run_sql(db, sql, p, what, err);

	msg_verbose("reconcile: %s: %.2f s", what, now_seconds() - t0);
	return rc;
}

/* With --verbose, the time since *t0 for a step that is not one script;
 * passes rc through and restarts the clock. */
static int timed(int rc, const char *what, double *t0)
{
	double t = now_seconds();

	msg_verbose("reconcile: %s: %.2f s", what, t - *t0);
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

static const char SQL_CLEAR[] =
	"DELETE FROM person WHERE period = :period;"
	"DELETE FROM conflict WHERE period = :period;"
	"DELETE FROM repair WHERE period = :period;"
	"DELETE FROM duplicate_row WHERE period = :period;"
	"DELETE FROM person_change WHERE period = :period;"
	"DELETE FROM zero_household WHERE period = :period;"
	"DELETE FROM reconcile_run WHERE period = :period;";

/* Indexes are built here, after the bulk load, not maintained during it. */
static const char SQL_PAIR[] =
	"CREATE INDEX IF NOT EXISTS roster_row_id ON roster_row (period, id_number);"
	"CREATE INDEX IF NOT EXISTS hr_row_id ON hr_row (period, id_number);"
	"DROP TABLE IF EXISTS temp.rk; DROP TABLE IF EXISTS temp.hk; DROP TABLE IF EXISTS temp.pair;"
	"CREATE TEMP TABLE rk (id TEXT PRIMARY KEY, n INTEGER, first INTEGER) WITHOUT ROWID;"
	"CREATE TEMP TABLE hk (id TEXT PRIMARY KEY, n INTEGER, first INTEGER) WITHOUT ROWID;"
	"INSERT INTO rk SELECT id_number, count(*), min(rowid) FROM roster_row"
	" WHERE period = :period AND id_number IS NOT NULL GROUP BY id_number;"
	"INSERT INTO hk SELECT id_number, count(*), min(rowid) FROM hr_row"
	" WHERE period = :period AND id_number IS NOT NULL GROUP BY id_number;"
	"CREATE TEMP TABLE pair AS SELECT coalesce(rk.id, hk.id) AS id, rk.n AS rn, rk.first AS rfirst,"
	" hk.n AS hn, hk.first AS hfirst FROM rk FULL JOIN hk ON hk.id = rk.id;";

/* Age in whole years at the period's last day, from an ISO birth date. */
#define AGE(b) "(CAST(substr(:end, 1, 4) AS INTEGER) - CAST(substr(" b ", 1, 4) AS INTEGER)" \
	       " - (substr(:end, 6, 5) < substr(" b ", 6, 5)))"
#define LABOUR_AGE(b, g) "CASE WHEN " b " IS NULL THEN NULL ELSE " AGE(b) " BETWEEN :age_min AND" \
			 " CASE " g " WHEN 'F' THEN :age_max_f ELSE :age_max_m END END"
#define ABLE(a) "CASE WHEN " a " IS NULL OR " a " = '' THEN NULL" \
		" WHEN instr('|' || :unable || '|', '|' || " a " || '|') > 0 THEN 0 ELSE 1 END"

static const char SQL_PERSONS[] =
	"INSERT INTO person (period, person_key, id_number, id_valid, category, reason, in_roster, in_hr,"
	" roster_rows, hr_rows, name, gender, birth_date, city, county, township, village, household_id,"
	" labor_ability, able, labour_age, roster_employed, hr_status, employed, work_region,"
	" employment_type, intent, returned, return_date, updated_at, phone)"
	" SELECT :period, p.id, p.id, 1,"
	"  CASE WHEN coalesce(p.rn, 0) > 1 OR coalesce(p.hn, 0) > 1 THEN 'duplicate'"
	"   WHEN p.hn IS NULL THEN 'roster_only' WHEN p.rn IS NULL THEN 'hr_only' ELSE 'consistent' END,"
	"  CASE WHEN p.rn > 1 AND p.hn > 1 THEN 'roster+hr' WHEN p.rn > 1 THEN 'roster'"
	"   WHEN p.hn > 1 THEN 'hr' END,"
	"  p.rn IS NOT NULL, p.hn IS NOT NULL, coalesce(p.rn, 0), coalesce(p.hn, 0),"
	"  coalesce(r.name, h.name), CASE coalesce(r.id_gender, h.id_gender) WHEN 'M' THEN '男' WHEN 'F' THEN '女' END,"
	"  coalesce(r.birth_date, h.birth_date), coalesce(r.city, h.city), coalesce(r.county, h.county),"
	"  coalesce(r.township, h.township), r.village, r.household_id, r.labor_ability,"
	"  " ABLE("r.labor_ability") ","
	"  " LABOUR_AGE("coalesce(r.birth_date, h.birth_date)", "coalesce(r.id_gender, h.id_gender)") ","
	"  bf_yesno(r.employed), h.employment_status,"
	"  coalesce(bf_yesno(h.employment_status), bf_yesno(r.employed)),"
	"  CASE WHEN h.rowid IS NOT NULL THEN bf_region(NULL, h.work_province, h.work_city, h.work_county,"
	"    p.id, coalesce(r.city, h.city), coalesce(r.county, h.county))"
	"   ELSE bf_region(r.work_place, NULL, NULL, NULL, p.id, r.city, r.county) END,"
	"  h.employment_type, r.intent, bf_yesno(h.returned), h.return_date, h.updated_at,"
	"  coalesce(nullif(r.phone, ''), h.phone)"
	" FROM pair p LEFT JOIN roster_row r ON r.rowid = p.rfirst LEFT JOIN hr_row h ON h.rowid = p.hfirst;";

/* Comparison keys once per pair, then a conflict row per differing field.
 * A value compared against nothing is no conflict: missing data is not a
 * contradiction.  gender_id (a declared gender against the ID's sequence
 * digit) is listed as its own kind but does not by itself make the sources
 * disagree: when both say the same, the person is consistent across them and
 * the township only has a gender to correct. */
static const char SQL_CONFLICTS[] =
	"DROP TABLE IF EXISTS temp.cmp;"
	"CREATE TEMP TABLE cmp AS SELECT p.id AS id,"
	" r.name AS r_name, h.name AS h_name, bf_name(r.name) AS r_name_k, bf_name(h.name) AS h_name_k,"
	" r.gender AS r_gender, h.gender AS h_gender, bf_gender(r.gender) AS r_g, bf_gender(h.gender) AS h_g,"
	" CASE r.id_gender WHEN 'M' THEN '男' WHEN 'F' THEN '女' END AS id_g,"
	" r.employed AS r_emp, h.employment_status AS h_emp, bf_yesno(r.employed) AS r_emp_k,"
	" bf_yesno(h.employment_status) AS h_emp_k,"
	" r.work_place AS r_place,"
	" nullif(coalesce(h.work_province, '') || coalesce(h.work_city, '') || coalesce(h.work_county, ''), '') AS h_place,"
	" bf_region(r.work_place, NULL, NULL, NULL, p.id, r.city, r.county) AS r_reg,"
	" bf_region(NULL, h.work_province, h.work_city, h.work_county, p.id, coalesce(r.city, h.city),"
	"  coalesce(r.county, h.county)) AS h_reg,"
	" r.employer AS r_emp_name, h.employer AS h_emp_name,"
	" bf_employer(r.employer) AS r_er_k, bf_employer(h.employer) AS h_er_k,"
	" r.phone AS r_phone, h.phone AS h_phone, bf_phone(r.phone) AS r_ph_k, bf_phone(h.phone) AS h_ph_k"
	" FROM pair p JOIN roster_row r ON r.rowid = p.rfirst JOIN hr_row h ON h.rowid = p.hfirst"
	" WHERE p.rn = 1 AND p.hn = 1;"
	"INSERT INTO conflict (period, id_number, field, roster_value, hr_value)"
	" SELECT :period, id, 'name', r_name, h_name FROM cmp WHERE r_name_k <> h_name_k"
	" UNION ALL SELECT :period, id, 'gender', r_gender, h_gender FROM cmp WHERE r_g <> h_g"
	" UNION ALL SELECT :period, id, 'gender_id', r_gender, h_gender FROM cmp"
	"  WHERE id_g IS NOT NULL AND (r_g <> id_g OR h_g <> id_g)"
	" UNION ALL SELECT :period, id, 'employed', r_emp, h_emp FROM cmp WHERE r_emp_k <> h_emp_k"
	" UNION ALL SELECT :period, id, 'work_region', r_place || ' (' || r_reg || ')', h_place || ' (' || h_reg || ')'"
	"  FROM cmp WHERE r_reg <> h_reg"
	" UNION ALL SELECT :period, id, 'employer', r_emp_name, h_emp_name FROM cmp WHERE r_er_k <> h_er_k"
	" UNION ALL SELECT :period, id, 'phone', r_phone, h_phone FROM cmp WHERE r_ph_k <> h_ph_k;"
	"UPDATE person SET category = 'conflict' WHERE period = :period AND category = 'consistent'"
	" AND person_key IN (SELECT id_number FROM conflict WHERE period = :period AND field <> 'gender_id');";

#define INVALID_PERSON(src, in_roster, in_hr, extra_cols)                                                   \
	" SELECT :period, '" src ":' || file_id || ':' || line, id_norm, 0, 'invalid_id',"                \
	"  id_status || coalesce('/' || id_damage, ''), " in_roster ", " in_hr ", " in_roster ", " in_hr ","   \
	"  name, CASE id_gender WHEN 'M' THEN '男' WHEN 'F' THEN '女' ELSE bf_gender(gender) END, birth_date," \
	"  city, county, township, " extra_cols

static const char SQL_INVALID[] =
	"INSERT INTO person (period, person_key, id_number, id_valid, category, reason, in_roster, in_hr,"
	" roster_rows, hr_rows, name, gender, birth_date, city, county, township, village, household_id,"
	" labor_ability, able, labour_age, roster_employed, hr_status, employed, work_region,"
	" employment_type, intent, returned, return_date, updated_at, phone)"
	INVALID_PERSON("roster", "1", "0",
		       "village, household_id, labor_ability, " ABLE("labor_ability") ","
		       " " LABOUR_AGE("birth_date", "id_gender") ","
		       " bf_yesno(employed), NULL, bf_yesno(employed),"
		       " bf_region(work_place, NULL, NULL, NULL, id_norm, city, county), NULL, intent, NULL, NULL, NULL,"
		       " phone")
	" FROM roster_row WHERE period = :period AND id_number IS NULL"
	" UNION ALL"
	INVALID_PERSON("hr", "0", "1",
		       "NULL, NULL, NULL, NULL, " LABOUR_AGE("birth_date", "id_gender") ","
		       " NULL, employment_status, bf_yesno(employment_status),"
		       " bf_region(NULL, work_province, work_city, work_county, id_norm, city, county),"
		       " employment_type, NULL, bf_yesno(returned), return_date, updated_at, phone")
	" FROM hr_row WHERE period = :period AND id_number IS NULL;";

static const char SQL_DUPLICATES[] =
	"INSERT INTO duplicate_row (period, id_number, source, file_id, line, differs)"
	" SELECT :period, r.id_number, 'roster', r.file_id, r.line, rtrim("
	"  iif(r.name IS NOT f.name, 'name,', '') || iif(r.gender IS NOT f.gender, 'gender,', '') ||"
	"  iif(r.phone IS NOT f.phone, 'phone,', '') || iif(r.county IS NOT f.county, 'county,', '') ||"
	"  iif(r.township IS NOT f.township, 'township,', '') || iif(r.village IS NOT f.village, 'village,', '') ||"
	"  iif(r.household_id IS NOT f.household_id, 'household_id,', '') ||"
	"  iif(r.labor_ability IS NOT f.labor_ability, 'labor_ability,', '') ||"
	"  iif(r.employed IS NOT f.employed, 'employed,', '') || iif(r.work_place IS NOT f.work_place, 'work_place,', '') ||"
	"  iif(r.employer IS NOT f.employer, 'employer,', '') || iif(r.work_start IS NOT f.work_start, 'work_start,', ''),"
	"  ',')"
	" FROM rk JOIN roster_row f ON f.rowid = rk.first"
	" JOIN roster_row r ON r.period = :period AND r.id_number = rk.id WHERE rk.n > 1;"
	"INSERT INTO duplicate_row (period, id_number, source, file_id, line, differs)"
	" SELECT :period, r.id_number, 'hr', r.file_id, r.line, rtrim("
	"  iif(r.name IS NOT f.name, 'name,', '') || iif(r.gender IS NOT f.gender, 'gender,', '') ||"
	"  iif(r.phone IS NOT f.phone, 'phone,', '') || iif(r.county IS NOT f.county, 'county,', '') ||"
	"  iif(r.township IS NOT f.township, 'township,', '') ||"
	"  iif(r.employment_status IS NOT f.employment_status, 'employment_status,', '') ||"
	"  iif(r.employment_type IS NOT f.employment_type, 'employment_type,', '') ||"
	"  iif(r.work_province IS NOT f.work_province OR r.work_city IS NOT f.work_city"
	"      OR r.work_county IS NOT f.work_county, 'work_place,', '') ||"
	"  iif(r.employer IS NOT f.employer, 'employer,', '') || iif(r.work_start IS NOT f.work_start, 'work_start,', '') ||"
	"  iif(r.returned IS NOT f.returned, 'returned,', ''),"
	"  ',')"
	" FROM hk JOIN hr_row f ON f.rowid = hk.first"
	" JOIN hr_row r ON r.period = :period AND r.id_number = hk.id WHERE hk.n > 1;";

static const char SQL_CHANGES[] =
	"INSERT INTO person_change (period, previous_period, id_number, change)"
	" SELECT :period, :prev, p.id_number, 'new_in_roster' FROM person p"
	"  WHERE p.period = :period AND p.id_valid AND p.in_roster AND NOT EXISTS (SELECT 1 FROM person q"
	"   WHERE q.period = :prev AND q.person_key = p.person_key AND q.in_roster)"
	" UNION ALL SELECT :period, :prev, q.id_number, 'gone_from_roster' FROM person q"
	"  WHERE q.period = :prev AND q.id_valid AND q.in_roster AND NOT EXISTS (SELECT 1 FROM person p"
	"   WHERE p.period = :period AND p.person_key = q.person_key AND p.in_roster)"
	" UNION ALL SELECT :period, :prev, p.id_number, 'new_in_hr' FROM person p"
	"  WHERE p.period = :period AND p.id_valid AND p.in_hr AND NOT EXISTS (SELECT 1 FROM person q"
	"   WHERE q.period = :prev AND q.person_key = p.person_key AND q.in_hr)"
	" UNION ALL SELECT :period, :prev, q.id_number, 'gone_from_hr' FROM person q"
	"  WHERE q.period = :prev AND q.id_valid AND q.in_hr AND NOT EXISTS (SELECT 1 FROM person p"
	"   WHERE p.period = :period AND p.person_key = q.person_key AND p.in_hr)"
	" UNION ALL SELECT :period, :prev, p.id_number, 'newly_employed' FROM person p JOIN person q"
	"  ON q.period = :prev AND q.person_key = p.person_key"
	"  WHERE p.period = :period AND p.id_valid AND p.employed = '是' AND q.employed = '否'"
	" UNION ALL SELECT :period, :prev, p.id_number, 'became_unemployed' FROM person p JOIN person q"
	"  ON q.period = :prev AND q.person_key = p.person_key"
	"  WHERE p.period = :period AND p.id_valid AND p.employed = '否' AND q.employed = '是'"
	" UNION ALL SELECT :period, :prev, p.id_number, 'newly_returned' FROM person p LEFT JOIN person q"
	"  ON q.period = :prev AND q.person_key = p.person_key"
	"  WHERE p.period = :period AND p.id_valid AND p.returned = '是' AND q.returned IS NOT '是';";

static const char SQL_ZERO_HOUSEHOLDS[] =
	"INSERT INTO zero_household (period, household_id, city, county, township, village, members, able_members)"
	" SELECT :period, household_id, min(city), min(county), min(township), min(village), count(*),"
	"  sum(coalesce(able, 0) AND coalesce(labour_age, 0))"
	" FROM person WHERE period = :period AND in_roster AND coalesce(household_id, '') <> ''"
	" GROUP BY household_id"
	" HAVING sum(coalesce(able, 0) AND coalesce(labour_age, 0)) > 0"
	"  AND sum(employed IS '是' OR roster_employed IS '是') = 0;";

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
static const char SQL_NAMED[] =
	"DROP TABLE IF EXISTS temp.want; DROP TABLE IF EXISTS temp.named;"
	"CREATE TEMP TABLE want (side TEXT, name_k TEXT, PRIMARY KEY (side, name_k)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO want SELECT CASE source WHEN 'roster' THEN 'hr' ELSE 'roster' END, name_k FROM cand"
	" WHERE lo IS NOT NULL AND lo <> hi;"
	"CREATE TEMP TABLE named (side TEXT, name_k TEXT, id_number TEXT, name TEXT, township TEXT, line INTEGER,"
	" file_id INTEGER);"
	"INSERT INTO named SELECT 'hr', k, id_number, name, township, line, file_id FROM"
	" (SELECT bf_name(name) AS k, * FROM hr_row WHERE period = :period AND id_number IS NOT NULL)"
	" WHERE EXISTS (SELECT 1 FROM want WHERE side = 'hr' AND name_k = k);"
	"INSERT INTO named SELECT 'roster', k, id_number, name, township, line, file_id FROM"
	" (SELECT bf_name(name) AS k, * FROM roster_row WHERE period = :period AND id_number IS NOT NULL)"
	" WHERE EXISTS (SELECT 1 FROM want WHERE side = 'roster' AND name_k = k);"
	"CREATE INDEX temp.named_k ON named (side, name_k, id_number);";

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

/* Persons seen in one source only: where the fallback rule looks. */
static const char SQL_UNMATCHED[] =
	"DROP TABLE IF EXISTS temp.unmatched;"
	"CREATE TEMP TABLE unmatched AS SELECT id_number, name, township, birth_date, category FROM person"
	" WHERE period = :period AND id_valid AND category IN ('hr_only', 'roster_only');"
	"CREATE INDEX temp.unmatched_birth ON unmatched (birth_date, township);";

static int propose_repairs(sqlite3 *db, const struct params *p, long *repairs, struct bangfu_err *err)
{
	sqlite3_stmt *rows = NULL, *ins = NULL, *confirm = NULL, *add = NULL, *mark = NULL;
	struct cand_ctx cc = {0};
	int rc = -1, step;
	char prev_key[64] = "", proposed[19] = "", rule[32] = "";
	int distinct = 0;
	struct strbuf evidence;
	long from_file = 0, from_line = 0;
	char source[8] = "", raw_id[128] = "";

	strbuf_init(&evidence);
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
	if (run_sql(db, SQL_UNMATCHED, p, "listing unmatched persons", err) != 0 ||
	    run_sql(db, SQL_NAMED, p, "finding persons by name", err) != 0)
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
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	sqlite3_finalize(confirm);
	sqlite3_finalize(add);
	sqlite3_finalize(mark);
	return rc;
}

/* ---- totals ---- */

static int count_and_check(sqlite3 *db, const struct params *p, struct reconcile_summary *sum,
			   struct bangfu_err *err)
{
	long roster_in_persons, hr_in_persons, categorised = 0;

	sum->roster_rows = query_long(db, "SELECT count(*) FROM roster_row WHERE period = :period", p);
	sum->hr_rows = query_long(db, "SELECT count(*) FROM hr_row WHERE period = :period", p);
	sum->persons = query_long(db, "SELECT count(*) FROM person WHERE period = :period", p);
	for (int c = 0; c < RC_NCATEGORIES; c++) {
		char sql[128];
		sqlite3_stmt *st;

		snprintf(sql, sizeof sql, "SELECT count(*) FROM person WHERE period = :period AND category = '%s'",
			 CATEGORY_CODE[c]);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			return db_fail(db, err, "counting categories");
		bind_params(st, p);
		sum->category[c] = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
		sqlite3_finalize(st);
		categorised += sum->category[c];
	}
	roster_in_persons = query_long(db, "SELECT coalesce(sum(roster_rows), 0) FROM person WHERE period = :period", p);
	hr_in_persons = query_long(db, "SELECT coalesce(sum(hr_rows), 0) FROM person WHERE period = :period", p);
	sum->duplicate_extra_rows = roster_in_persons + hr_in_persons -
				    query_long(db, "SELECT coalesce(sum(in_roster) + sum(in_hr), 0) FROM person"
						   " WHERE period = :period", p);
	sum->conflicts = query_long(db, "SELECT count(*) FROM conflict WHERE period = :period", p);
	sum->zero_households = query_long(db, "SELECT count(*) FROM zero_household WHERE period = :period", p);
	sum->changes = query_long(db, "SELECT count(*) FROM person_change WHERE period = :period", p);
	if (roster_in_persons != sum->roster_rows || hr_in_persons != sum->hr_rows || categorised != sum->persons)
		return bangfu_fail(err, ERR_INTERNAL, "", 0, 0, "totals",
				   "the totals do not add up (roster rows %ld, in persons %ld; HR rows %ld, in persons "
				   "%ld; persons %ld, categorised %ld): nothing was saved",
				   sum->roster_rows, roster_in_persons, sum->hr_rows, hr_in_persons, sum->persons,
				   categorised);
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
			   " consistent, conflict, roster_only, hr_only, invalid_id, duplicate, repairs)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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

static int load_policy(const struct tmpl_policy *policy, struct params *p, struct bangfu_err *err)
{
	if (tmpl_policy_int(policy, "labour_age_min", &p->age_min, err) != 0 ||
	    tmpl_policy_int(policy, "labour_age_max_male", &p->age_max_male, err) != 0 ||
	    tmpl_policy_int(policy, "labour_age_max_female", &p->age_max_female, err) != 0)
		return -1;
	p->unable = tmpl_policy_text(policy, "unable_labor_abilities");
	if (!p->unable)
		p->unable = "丧失劳动力|无劳动力";
	return 0;
}

int reconcile_period(sqlite3 *db, const char *period, const struct tmpl_policy *policy,
		     struct reconcile_summary *sum, struct bangfu_err *err)
{
	struct params p = {.period = period};
	sqlite3_stmt *st;
	int y = atoi(period), m = atoi(period + 5);
	double t0;

	memset(sum, 0, sizeof *sum);
	snprintf(p.end, sizeof p.end, "%04d-%02d-%02d", y, m, datefmt_month_days(y, m));
	if (load_policy(policy, &p, err) != 0 || reconcile_register_functions(db, err) != 0)
		return -1;
	if (db_begin(db, err) != 0)
		return -1;
	if (query_long(db, "SELECT (SELECT count(*) FROM roster_row WHERE period = :period)"
			   " + (SELECT count(*) FROM hr_row WHERE period = :period)", &p) <= 0) {
		db_rollback(db);
		return bangfu_fail(err, ERR_INPUT, "", 0, 0, "no_data",
				   "nothing is loaded for %s: run bangfu-ingest for the roster and the HR dump first",
				   period);
	}
	if (db_prepare(db, "SELECT max(period) FROM reconcile_run WHERE period < ?", &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(sum->previous_period, sizeof sum->previous_period, "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	p.prev = sum->previous_period[0] ? sum->previous_period : NULL;

	t0 = now_seconds();
	if (step(db, SQL_CLEAR, &p, "clearing the previous result", err) != 0 ||
	    step(db, SQL_PAIR, &p, "pairing IDs", err) != 0 ||
	    step(db, SQL_PERSONS, &p, "classifying persons", err) != 0 ||
	    step(db, SQL_CONFLICTS, &p, "comparing fields", err) != 0 ||
	    step(db, SQL_INVALID, &p, "listing invalid IDs", err) != 0 ||
	    (t0 = now_seconds(), timed(propose_repairs(db, &p, &sum->repairs, err), "proposing ID repairs", &t0)) != 0 ||
	    step(db, SQL_DUPLICATES, &p, "listing duplicates", err) != 0 ||
	    (p.prev && step(db, SQL_CHANGES, &p, "comparing with the previous period", err) != 0) ||
	    step(db, SQL_ZERO_HOUSEHOLDS, &p, "finding zero-employment households", err) != 0 ||
	    (t0 = now_seconds(), timed(count_and_check(db, &p, sum, err), "counting", &t0)) != 0 ||
	    record_run(db, &p, sum, err) != 0)
		goto fail;
	t0 = now_seconds();
	run_sql(db, "DROP TABLE IF EXISTS temp.rk; DROP TABLE IF EXISTS temp.hk; DROP TABLE IF EXISTS temp.pair;"
		    "DROP TABLE IF EXISTS temp.cmp; DROP TABLE IF EXISTS temp.cand; DROP TABLE IF EXISTS temp.unmatched;"
		    "DROP TABLE IF EXISTS temp.want; DROP TABLE IF EXISTS temp.named;",
		&p, "cleaning up", err);
	timed(0, "dropping work tables", &t0);
	if (db_commit(db, err) != 0)
		return -1;
	timed(0, "committing", &t0);
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* ---- the command: bangfu-reconcile ---- */

/* The problem list (挂单销号) follows every reconciliation. */
static int sync_problems(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	struct findings_summary ps;

	if (findings_sync(db, period, &ps, err) != 0)
		return -1;
	msg_info("problem list: %ld open (%ld opened, %ld closed by %s)", ps.open, ps.opened, ps.closed, period);
	return 0;
}

int cmd_reconcile(int argc, char **argv)
{
	const char *db_path = "bangfu.db", *period = NULL;
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&period, "the month to reconcile"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-reconcile", NULL,
		"Join the period's roster and HR-platform rows by ID number and classify every\n"
		"person: 一致 consistent, 不一致 conflict, 仅扶贫系统 roster_only, 仅人社平台 hr_only,\n"
		"证件号码无效 invalid_id, 重复 duplicate.  Lists conflicting fields, proposes ID\n"
		"repairs for townships to confirm, compares with the previous period and finds\n"
		"zero-employment households (labour ages: templates/policy.csv).  Re-running\n"
		"replaces the period's result.",
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
	    reconcile_period(db, period, policy, &sum, &err) != 0) {
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
	if (sum.previous_period[0])
		msg_info("compared with %s: %ld changes (view v_change_summary)", sum.previous_period, sum.changes);
	else
		msg_info("no earlier period in the database: no month-over-month changes");
	if (sync_problems(db, period, &err) != 0)
		status = msg_fail(&err);
out:
	db_close(db);
	tmpl_policy_free(policy);
	return status;
}
