/* Unit tests for report/screen_*.c: the shipped rules template (every
 * predicate compiles in the sandbox), broken templates and predicates
 * refused with line, column and character, the sandbox, policy periods,
 * the months in post of v_screen_person, and each subsidy's rule against
 * persons at its boundaries — persons written into a temporary database
 * (person and its source rows), screened by screen_compute, the candidates
 * read back.  Run from the top of the tree (make check does). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "screen.h"

#define RULES "templates/subsidy_rules.csv"

static struct screen_rules *rules;
static sqlite3 *db;
static char db_path[64];

static void remove_db(void)
{
	char p[80];

	unlink(db_path);
	snprintf(p, sizeof p, "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db_path);
	unlink(p);
}

/* A fresh database with one roster file and one HR file, and the shipped
 * rules checked against it. */
static void setup(void)
{
	struct bangfu_err err;
	int fd;

	snprintf(db_path, sizeof db_path, "/tmp/bangfu-test-screen-XXXXXX");
	fd = mkstemp(db_path);
	close(fd);
	remove_db();
	bangfu_err_clear(&err);
	if (db_open(db_path, &db, &err) != 0 || screen_rules_load(RULES, &rules, &err) != 0 ||
	    screen_rules_check(db, rules, &err) != 0) {
		fprintf(stderr, "%s:%ld:%ld: %s\n", err.file, err.line, err.column, err.message);
		abort();
	}
	ck_assert_int_eq(sqlite3_exec(db,
				      "INSERT INTO source_file (file_id, period, source, file_name, file_path, size_bytes,"
				      " sha256, encoding, delimiter, header_line, header_json, loaded_at) VALUES"
				      " (1, 'x', 'roster', 'r.csv', 'r.csv', 0, '', 'UTF-8', ',', 1, '[]', ''),"
				      " (2, 'x', 'hr', 'h.csv', 'h.csv', 0, '', 'UTF-8', ',', 1, '[]', '')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
}

static void teardown(void)
{
	screen_rules_free(rules);
	rules = NULL;
	db_close(db);
	db = NULL;
	remove_db();
}

/* ---- persons ---- */

/* A person as a test writes it; NULL / -1 leave the field unknown. */
struct tp {
	const char *key;
	const char *category;   /* default consistent */
	const char *population; /* default exited; "-" unknown */
	int labour;             /* default of labour age; 2 outside, -1 unknown */
	const char *employed;   /* default 是 */
	const char *type;       /* default 外出务工; "-" none */
	const char *region;     /* default 省外; "-" none */
	const char *employer_place; /* default the work place; "-" none */
	const char *employer_region; /* default as region */
	const char *work_start; /* default 2024-01-15; "-" none */
	const char *conflicts;  /* "work_region,phone" */
	int training, relocated, returned; /* default 0 */
	int roster_only;
};

static const char *or_default(const char *v, const char *dflt)
{
	return !v ? dflt : !strcmp(v, "-") ? NULL : v;
}

static void bind(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_flag(sqlite3_stmt *st, int i, int v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int(st, i, v);
}

static void add(const char *period, struct tp p)
{
	static int line = 1;
	sqlite3_stmt *st;
	const char *region = or_default(p.region, "省外");
	const char *place = !region ? NULL : !strcmp(region, "省外") ? "广东省深圳市南山区"
					  : !strcmp(region, "县内") ? "湖南省长沙市望城区" : "湖南省岳阳市岳阳县";
	const char *employer_region = p.employer_region ? or_default(p.employer_region, NULL) : region;
	long long rowid = ((long long)(p.roster_only ? 1 : 2) << 32) | ++line;

	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    p.roster_only
						    ? "INSERT INTO roster_row (rowid, file_id, period, line, id_raw, id_norm, id_status,"
						      " work_start, work_place, employer) VALUES (?1, 1, ?2, ?3, ?4, ?4, 'ok', ?5, ?6, '某公司')"
						    : "INSERT INTO hr_row (rowid, file_id, period, line, id_raw, id_norm, id_status,"
						      " work_start, work_province, employer, employer_place)"
						      " VALUES (?1, 2, ?2, ?3, ?4, ?4, 'ok', ?5, ?6, '某公司', ?7)",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, rowid);
	bind(st, 2, period);
	sqlite3_bind_int(st, 3, line);
	bind(st, 4, p.key);
	bind(st, 5, or_default(p.work_start, "2024-01-15"));
	bind(st, 6, place);
	bind(st, 7, or_default(p.employer_place, employer_region ? place : NULL));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	ck_assert_int_eq(
		sqlite3_prepare_v2(db,
				   "INSERT INTO person (period, person_key, id_number, id_valid, category, in_roster, in_hr,"
				   " roster_rows, hr_rows, name, gender, birth_date, city, county, township, village, able,"
				   " labour_age, employed, work_region, employment_type, returned, population, relocated,"
				   " training_intent, employer_region, roster_rowid, hr_rowid)"
				   " VALUES (?1, ?2, ?2, 1, ?3, ?4, ?5, ?4, ?5, '某某', '男', '1985-03-01', '长沙市', '望城区',"
				   " '乌山街道', '某村', 1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
				   -1, &st, NULL),
		SQLITE_OK);
	bind(st, 1, period);
	bind(st, 2, p.key);
	bind(st, 3, or_default(p.category, p.roster_only ? "roster_only" : "consistent"));
	sqlite3_bind_int(st, 4, 1);
	sqlite3_bind_int(st, 5, !p.roster_only);
	bind_flag(st, 6, p.labour == 2 ? 0 : p.labour < 0 ? -1 : 1);
	bind(st, 7, or_default(p.employed, "是"));
	bind(st, 8, region);
	bind(st, 9, p.roster_only ? NULL : or_default(p.type, "外出务工"));
	bind(st, 10, p.roster_only ? NULL : p.returned ? "是" : "否");
	bind(st, 11, or_default(p.population, "exited"));
	bind_flag(st, 12, p.relocated);
	bind_flag(st, 13, p.training);
	bind(st, 14, p.roster_only ? NULL : employer_region);
	if (p.roster_only) {
		sqlite3_bind_int64(st, 15, rowid);
		sqlite3_bind_null(st, 16);
	} else {
		sqlite3_bind_null(st, 15);
		sqlite3_bind_int64(st, 16, rowid);
	}
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	if (p.conflicts) {
		char buf[128], *save = NULL;

		snprintf(buf, sizeof buf, "%s", p.conflicts);
		for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
			ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO conflict (period, id_number, field) VALUES (?, ?, ?)",
							    -1, &st, NULL),
					 SQLITE_OK);
			bind(st, 1, period);
			bind(st, 2, p.key);
			bind(st, 3, f);
			ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
			sqlite3_finalize(st);
		}
	}
}

/* Screen the period with the shipped rules. */
static void screen(const char *period)
{
	struct screen_summary sum = {0};
	struct bangfu_err err;
	int *in_force = calloc((size_t)rules->n, sizeof *in_force);

	for (int i = 0; i < rules->n; i++)
		in_force[i] = screen_rule_in_force(&rules->v[i], period);
	bangfu_err_clear(&err);
	ck_assert_int_eq(db_begin(db, &err), 0);
	if (screen_compute(db, period, rules, in_force, &sum, &err) != 0)
		ck_abort_msg("screen_compute: %s", err.message);
	ck_assert_int_eq(db_commit(db, &err), 0);
	free(in_force);
}

/* The candidate (person, rule): its status ("" when not listed), and its
 * reason, evidence, amount ("" for none) and list level. */
struct cand {
	char status[16], reason[1024], evidence[1024], amount[32], level[16];
};

static struct cand get(const char *period, const char *key, const char *rule_id)
{
	struct cand c = {0};
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT status, coalesce(reason, ''), evidence, coalesce(amount, ''), list_level"
					    " FROM subsidy_candidate WHERE period = ? AND person_key = ? AND rule_id = ?",
					    -1, &st, NULL),
			 SQLITE_OK);
	bind(st, 1, period);
	bind(st, 2, key);
	bind(st, 3, rule_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(c.status, sizeof c.status, "%s", sqlite3_column_text(st, 0));
		snprintf(c.reason, sizeof c.reason, "%s", sqlite3_column_text(st, 1));
		snprintf(c.evidence, sizeof c.evidence, "%s", sqlite3_column_text(st, 2));
		snprintf(c.amount, sizeof c.amount, "%s", sqlite3_column_text(st, 3));
		snprintf(c.level, sizeof c.level, "%s", sqlite3_column_text(st, 4));
	}
	sqlite3_finalize(st);
	return c;
}

#define STATUS(period, key, rule) (get(period, key, rule).status)
#define P25 "2025-10"

/* ---- the template ---- */

START_TEST(test_the_shipped_template_loads_and_every_predicate_compiles)
{
	int clauses = 0;

	ck_assert_int_ge(rules->n, 21);
	for (int i = 0; i < rules->n; i++) {
		ck_assert_msg(rules->v[i].populations != 0, "%s names no population", rules->v[i].id);
		clauses += rules->v[i].nclauses;
		for (int k = 0; k < rules->v[i].nclauses; k++)
			ck_assert_msg(rules->v[i].clause[k].reads != 0, "%s: '%s' reads no column", rules->v[i].id,
				      rules->v[i].clause[k].label);
	}
	ck_assert_int_ge(clauses, 80);
}
END_TEST

/* A rules file of the header and the rows given. */
static int load_text(const char *rows, struct screen_rules **out, struct bangfu_err *err)
{
	char path[] = "/tmp/bangfu-screen-rules.XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *f = fdopen(fd, "w");

	fputs("id,subsidy,document,article,recipient,populations,conditions,unverified,amount,unit,max_months,limit,"
	      "valid_from,valid_to\n",
	      f);
	fputs(rows, f);
	fclose(f);
	bangfu_err_clear(err);
	rc = screen_rules_load(path, out, err);
	if (rc == 0 && db)
		rc = screen_rules_check(db, *out, err);
	unlink(path);
	return rc;
}

static void expect_refused(const char *rows, long line, long column, const char *says)
{
	struct screen_rules *r = NULL;
	struct bangfu_err err;

	ck_assert_msg(load_text(rows, &r, &err) == -1, "loaded: %s", rows);
	screen_rules_free(r);
	ck_assert_int_eq(err.kind, ERR_INPUT);
	ck_assert_msg(err.line == line && err.column == column && strstr(err.message, says),
		      "%s: at %ld:%ld '%s', expected %ld:%ld '%s'", rows, err.line, err.column, err.message, line, column,
		      says);
}

#define GOOD "a_2021,交通,文件,一,person,exited|monitored,\"已就业：employed = 1\",,,once,,,2021-07-26,2025-12-31\n"

START_TEST(test_bad_columns_are_refused_with_their_place)
{
	static const struct {
		const char *row;
		int column;
		const char *says;
	} cases[] = {
		{"b,x,d,a,person,everyone,employed = 1,,,once,,,2021-07-26,2025-12-31\n", 6, "everyone"},
		{"b,x,d,a,person,all|exited,employed = 1,,,once,,,2021-07-26,2025-12-31\n", 6, "all stands alone"},
		{"b,x,d,a,person,,employed = 1,,,once,,,2021-07-26,2025-12-31\n", 6, "populations is empty"},
		{"b,x,d,a,person,exited,employed = 1,,三百,once,,,2021-07-26,2025-12-31\n", 9, "三百"},
		{"b,x,d,a,person,exited,employed = 1,,300,weekly,,,2021-07-26,2025-12-31\n", 10, "weekly"},
		{"b,x,d,a,person,exited,employed = 1,,300,once,6,,2021-07-26,2025-12-31\n", 11, "unit month"},
		{"b,x,d,a,person,exited,employed = 1,,300,once,,twice,2021-07-26,2025-12-31\n", 12, "twice"},
		{"b,x,d,a,person,exited,employed = 1,,300,once,,,2021-13-01,2025-12-31\n", 13, "not a date"},
		{"b,x,d,a,person,exited,employed = 1,,300,once,,,2025-01-01,2021-12-31\n", 14, "before"},
		{"b,x,d,a,boss,exited,employed = 1,,300,once,,,2021-07-26,2025-12-31\n", 5, "boss"},
		{"a_2021,x,d,a,person,exited,employed = 1,,300,once,,,2021-07-26,2025-12-31\n", 1, "already used"},
		{"b,x,,a,person,exited,employed = 1,,300,once,,,2021-07-26,2025-12-31\n", 3, "document is empty"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[1024];

		snprintf(text, sizeof text, GOOD "%s", cases[i].row);
		expect_refused(text, 3, cases[i].column, cases[i].says);
	}
}
END_TEST

/* A predicate that does not parse or reaches beyond v_screen_person: the
 * conditions column (7), the condition and the character named. */
START_TEST(test_the_sandbox_refuses_with_line_column_and_character)
{
	static const struct {
		const char *conditions;
		const char *says;
	} cases[] = {
		{"\"就业：employed = 1; 工资：salary >= 3000\"", "condition '工资', character 21: no such column: salary"},
		{"employed = = 1", "character 12: near \"=\": syntax error"},
		{"\"phone = '1'\"", "no such column: phone"},
		{"(SELECT 1) = 1", "character 2: SELECT: a condition is one expression"},
		{"EXISTS (VALUES (1))", "VALUES"},
		{"\"1 = (WITH x AS (SELECT 1) SELECT 1)\"", "WITH"},
		{"length(randomblob(5)) = 5", "randomblob() is not allowed"},
		{"\"load_extension('x') IS NULL\"", "load_extension() is not allowed"},
		{"\"sqlite_version() <> ''\"", "sqlite_version() is not allowed"},
		{"max(age) > 60", "max() is not allowed"},
		{"\"1) FROM v_screen_person; DROP TABLE person; --\"", "character 2: a ')' that closes nothing"},
		{"(employed = 1", "'(' not closed"},
		{"employed = ?", "a parameter"},
		{"employed = @x", "a parameter"},
		{"population IN person", "IN must be followed by a list"},
		{"\"'abc\"", "not closed"},
		{"\"标签：\"", "has no predicate"},
		{"\"：employed = 1\"", "no label before it"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[1024];

		snprintf(text, sizeof text, GOOD "b_2021,x,d,a,person,exited,%s,,,once,,,2021-07-26,2025-12-31\n",
			 cases[i].conditions);
		expect_refused(text, 3, 7, cases[i].says);
	}
}
END_TEST

START_TEST(test_the_sandbox_allows_the_view_and_the_whitelist_and_records_what_is_read)
{
	struct screen_rules *r = NULL;
	struct bangfu_err err;

	ck_assert_int_eq(load_text(GOOD "b_2021,x,d,a,person,all,\"在外省：upper(coalesce(work_region, '')) LIKE '省外%' "
					"AND length(trim(employer)) > 0 -- 注释\n；年龄：iif(age > 16, 1, 0) = 1\",,,once,,,"
					"2021-07-26,2025-12-31\n",
				   &r, &err),
			 0);
	ck_assert_int_eq(r->v[1].nclauses, 2);
	ck_assert_str_eq(r->v[1].clause[0].label, "在外省");
	ck_assert(r->v[1].clause[0].reads & (1ULL << screen_view_column("work_region")));
	ck_assert(r->v[1].clause[0].reads & (1ULL << screen_view_column("employer")));
	ck_assert(!(r->v[1].clause[0].reads & (1ULL << screen_view_column("age"))));
	ck_assert(r->v[1].clause[1].reads & (1ULL << screen_view_column("age")));
	/* the populations become the first condition */
	ck_assert_str_eq(r->v[0].clause[0].label, "人员类别：脱贫人口、监测对象");
	ck_assert_str_eq(r->v[0].clause[0].sql, "population IN ('exited', 'monitored')");
	screen_rules_free(r);
}
END_TEST

START_TEST(test_every_column_of_the_view_is_known)
{
	sqlite3_stmt *st;
	int n = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('v_screen_person')", -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ck_assert_msg(screen_view_column((const char *)sqlite3_column_text(st, 0)) >= 0, "%s is not in SCREEN_VIEW_COLUMNS",
			      sqlite3_column_text(st, 0));
		n++;
	}
	sqlite3_finalize(st);
	ck_assert_int_eq(n, SCREEN_VIEW_NCOLUMNS);
}
END_TEST

START_TEST(test_standard_texts)
{
	char s[200];
	const struct screen_rule *w = NULL, *p = NULL, *t = NULL, *l = NULL;

	for (int i = 0; i < rules->n; i++) {
		w = !strcmp(rules->v[i].id, "workfare_2021") ? &rules->v[i] : w;
		p = !strcmp(rules->v[i].id, "post_2017") ? &rules->v[i] : p;
		t = !strcmp(rules->v[i].id, "transport_2021") ? &rules->v[i] : t;
		l = !strcmp(rules->v[i].id, "living_2021") ? &rules->v[i] : l;
	}
	screen_rule_standard(w, s, sizeof s);
	ck_assert_str_eq(s, "500元/人·月，最多6个月");
	screen_rule_standard(p, s, sizeof s);
	ck_assert_str_eq(s, "1000元/人·年");
	screen_rule_standard(t, s, sizeof s);
	ck_assert_str_eq(s, "文件未定金额");
	screen_rule_standard(l, s, sizeof s);
	ck_assert_str_eq(s, "20元/人·天");
}
END_TEST

/* ---- periods ---- */

static int in_force(const char *id, const char *period)
{
	for (int i = 0; i < rules->n; i++)
		if (!strcmp(rules->v[i].id, id))
			return screen_rule_in_force(&rules->v[i], period);
	ck_abort_msg("no rule %s", id);
	return 0;
}

START_TEST(test_policy_periods)
{
	ck_assert(in_force("service_2017", "2020-12") && !in_force("service_2017", "2021-01"));
	ck_assert(!in_force("service_2021", "2021-06") && in_force("service_2021", "2021-07"));
	ck_assert(in_force("service_2021", "2025-12") && !in_force("service_2021", "2026-01"));
	/* 以工代训 and the relaxed 技能提升补贴 to 2021-12-31 */
	ck_assert(in_force("workfare_2021", "2021-12") && !in_force("workfare_2021", "2022-01"));
	ck_assert(in_force("skill_cert_2021", "2021-12") && !in_force("skill_cert_2021", "2022-01"));
}
END_TEST

/* ---- months in post (v_screen_person) ---- */

static void expect_months(const char *start, const char *period, const char *want_exact, int want_min, int want_max)
{
	char key[64], sql[256];
	sqlite3_stmt *st;

	snprintf(key, sizeof key, "M%s%s", start, period);
	add(period, (struct tp){.key = key, .work_start = start});
	snprintf(sql, sizeof sql,
		 "SELECT coalesce(months_in_post, '-'), coalesce(months_in_post_min, -1), coalesce(months_in_post_max, -1)"
		 " FROM v_screen_person WHERE period = '%s' AND person_key = '%s'",
		 period, key);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_msg(!strcmp((const char *)sqlite3_column_text(st, 0), want_exact) &&
			      sqlite3_column_int(st, 1) == want_min && sqlite3_column_int(st, 2) == want_max,
		      "%s at %s: %s (%d..%d), expected %s (%d..%d)", start, period, sqlite3_column_text(st, 0),
		      sqlite3_column_int(st, 1), sqlite3_column_int(st, 2), want_exact, want_min, want_max);
	sqlite3_finalize(st);
}

START_TEST(test_months_in_post_count_the_start_day_to_the_period_end)
{
	expect_months("2025-05-01", "2025-10", "6", 6, 6);
	expect_months("2025-05-02", "2025-10", "5", 5, 5);
	expect_months("2025-04-30", "2025-10", "6", 6, 6);
	expect_months("2024-11-01", "2025-10", "12", 12, 12);
	expect_months("2024-11-02", "2025-10", "11", 11, 11);
	/* a month-end start is clamped: 03-31 + 6 months = 09-30, worked in full */
	expect_months("2025-03-31", "2025-09", "6", 6, 6);
	expect_months("2024-02-29", "2025-02", "12", 12, 12);
	/* a start known only to the month gives a range */
	expect_months("2025-05", "2025-10", "-", 5, 6);
	expect_months("2025-10", "2025-10", "-", 0, 1);
	/* after the period, or no date */
	expect_months("2025-11-01", "2025-10", "-", -1, -1);
	expect_months("去年", "2025-10", "-", -1, -1);
}
END_TEST

/* ---- the subsidies ---- */

START_TEST(test_service_subsidy_at_exactly_six_months_is_listed_and_five_is_not)
{
	add(P25, (struct tp){.key = "six", .work_start = "2025-05-01"});
	add(P25, (struct tp){.key = "five", .work_start = "2025-05-02"});
	add(P25, (struct tp){.key = "month_straddles", .work_start = "2025-05"});
	add(P25, (struct tp){.key = "month_short", .work_start = "2025-06"});
	add(P25, (struct tp){.key = "month_enough", .work_start = "2025-04"});
	screen(P25);
	ck_assert_str_eq(STATUS(P25, "six", "service_2021"), "待核实"); /* the placing agency is always to verify */
	ck_assert_str_eq(get(P25, "six", "service_2021").amount, "300.0");
	ck_assert_str_eq(STATUS(P25, "five", "service_2021"), "");
	ck_assert_str_eq(STATUS(P25, "month_short", "service_2021"), "");
	ck_assert_ptr_nonnull(strstr(get(P25, "month_straddles", "service_2021").reason, "就业时间只到月份"));
	ck_assert_ptr_null(strstr(get(P25, "month_enough", "service_2021").reason, "稳定就业"));
}
END_TEST

START_TEST(test_service_subsidy_needs_work_outside_the_county_in_2021_but_not_in_2017)
{
	add(P25, (struct tp){.key = "local", .region = "县内"});
	add("2020-10", (struct tp){.key = "local", .region = "县内"});
	screen(P25);
	screen("2020-10");
	ck_assert_str_eq(STATUS(P25, "local", "service_2021"), "");
	ck_assert_str_eq(STATUS("2020-10", "local", "service_2017"), "待核实");
	ck_assert_str_eq(get("2020-10", "local", "service_2017").amount, "200.0");
}
END_TEST

START_TEST(test_a_rule_for_exited_does_not_list_monitored_and_transport_does)
{
	add(P25, (struct tp){.key = "monitored", .population = "monitored"});
	add(P25, (struct tp){.key = "low_income", .population = "low_income"});
	add(P25, (struct tp){.key = "unknown", .population = "-"});
	screen(P25);
	ck_assert_str_eq(STATUS(P25, "monitored", "transport_2021"), "符合");
	ck_assert_str_eq(STATUS(P25, "monitored", "service_2021"), "");
	ck_assert_str_eq(STATUS(P25, "low_income", "transport_2021"), "");
	ck_assert_str_eq(STATUS(P25, "unknown", "transport_2021"), "待核实");
	ck_assert_ptr_nonnull(strstr(get(P25, "unknown", "transport_2021").reason, "人员类别不详"));
	ck_assert_ptr_nonnull(strstr(get(P25, "monitored", "transport_2021").evidence, "人员类别：监测对象"));
}
END_TEST

START_TEST(test_social_insurance_subsidy_is_listed_where_the_employer_is)
{
	add(P25, (struct tp){.key = "here", .region = "县内", .work_start = "2024-01-01"});
	add(P25, (struct tp){.key = "hunan", .region = "省内县外", .work_start = "2024-01-01"});
	add(P25, (struct tp){.key = "abroad", .region = "省外", .work_start = "2024-01-01"});
	/* works in Guangdong for an employer of the home county */
	add(P25, (struct tp){.key = "sent", .region = "省外", .employer_region = "县内", .employer_place = "湖南省长沙市望城区",
			     .work_start = "2024-01-01"});
	add(P25, (struct tp){.key = "unrecorded", .region = "县内", .employer_region = "-", .employer_place = "-",
			     .work_start = "2024-01-01"});
	screen(P25);
	ck_assert_str_eq(get(P25, "here", "social_2021").level, "county");
	ck_assert_str_eq(get(P25, "hunan", "social_2021").level, "province");
	ck_assert_str_eq(STATUS(P25, "abroad", "social_2021"), "");
	ck_assert_str_eq(get(P25, "sent", "social_2021").level, "county");
	ck_assert_str_eq(STATUS(P25, "unrecorded", "social_2021"), "待核实");
	ck_assert_ptr_nonnull(strstr(get(P25, "unrecorded", "social_2021").reason, "用人单位在本省"));
	/* the contract and the contributions are never in the data */
	ck_assert_ptr_nonnull(strstr(get(P25, "here", "social_2021").reason, "依法签订1年以上劳动合同"));
	/* the transport subsidy is the person's, listed at home */
	ck_assert_str_eq(get(P25, "hunan", "transport_2021").level, "county");
}
END_TEST

START_TEST(test_post_subsidy_of_1500_only_for_a_local_employer)
{
	add("2020-10", (struct tp){.key = "here", .region = "县内", .work_start = "2019-01-01"});
	add("2020-10", (struct tp){.key = "hunan", .region = "省内县外", .work_start = "2019-01-01"});
	add("2020-10", (struct tp){.key = "eleven", .region = "县内", .work_start = "2019-11-02"});
	screen("2020-10");
	ck_assert_str_eq(get("2020-10", "here", "post_poor_2017").amount, "1500.0");
	ck_assert_str_eq(get("2020-10", "here", "post_2017").amount, "1000.0");
	ck_assert_str_eq(STATUS("2020-10", "hunan", "post_poor_2017"), "");
	ck_assert_str_eq(get("2020-10", "hunan", "post_2017").level, "province");
	ck_assert_str_eq(STATUS("2020-10", "eleven", "post_2017"), "");
}
END_TEST

START_TEST(test_labour_age_limits_only_what_employment_funds_pay)
{
	add(P25, (struct tp){.key = "old", .labour = 2, .training = 1});
	add(P25, (struct tp){.key = "old_post", .labour = 2, .type = "公益性岗位", .region = "县内"});
	add(P25, (struct tp){.key = "no_birth", .labour = -1});
	screen(P25);
	ck_assert_str_eq(STATUS(P25, "old", "service_2021"), "");
	ck_assert_str_eq(STATUS(P25, "old", "transport_2021"), "符合");
	ck_assert_str_eq(STATUS(P25, "old_post", "public_post_2021"), "符合");
	ck_assert_str_eq(STATUS(P25, "old", "training_2021"), "待核实");
	ck_assert_ptr_nonnull(strstr(get(P25, "old", "training_2021").reason, "劳动年龄内"));
	ck_assert_str_eq(STATUS(P25, "no_birth", "service_2021"), "待核实");
	{ struct cand c = get(P25, "no_birth", "service_2021"); ck_assert_msg(strstr(c.reason, "劳动年龄内（"), "%s", c.reason); }
}
END_TEST

START_TEST(test_training_and_living_allowance_for_those_who_want_training)
{
	add(P25, (struct tp){.key = "wants", .training = 1, .employed = "否", .type = "-", .region = "-"});
	add(P25, (struct tp){.key = "does_not", .training = 0, .employed = "否", .type = "-", .region = "-"});
	add("2020-10", (struct tp){.key = "wants", .training = 1, .employed = "否", .type = "-", .region = "-"});
	add("2020-10", (struct tp){.key = "working", .training = 1});
	screen(P25);
	screen("2020-10");
	ck_assert_str_eq(STATUS(P25, "wants", "training_2021"), "待核实");
	ck_assert_str_eq(STATUS(P25, "wants", "living_2021"), "待核实");
	ck_assert_str_eq(get(P25, "wants", "living_2021").amount, "");
	ck_assert_str_eq(STATUS(P25, "does_not", "training_2021"), "");
	/* 2017: 生活费 for 就业前 training only; 岗位技能提升 for the employed */
	ck_assert_str_eq(STATUS("2020-10", "wants", "living_2017"), "待核实");
	ck_assert_str_eq(STATUS("2020-10", "working", "living_2017"), "");
	ck_assert_str_eq(STATUS("2020-10", "working", "skill_upgrade_2017"), "待核实");
	ck_assert_str_eq(STATUS("2020-10", "wants", "skill_upgrade_2017"), "");
}
END_TEST

START_TEST(test_startup_subsidy_for_exited_or_returnees_starting_at_home)
{
	add(P25, (struct tp){.key = "exited", .type = "自主创业", .region = "县内", .work_start = "2024-01-01"});
	add(P25, (struct tp){.key = "returned", .population = "monitored", .returned = 1, .type = "自主创业",
			     .region = "县内", .work_start = "2024-01-01"});
	add(P25, (struct tp){.key = "monitored", .population = "monitored", .type = "自主创业", .region = "县内",
			     .work_start = "2024-01-01"});
	add(P25, (struct tp){.key = "away", .type = "自主创业", .region = "省内县外", .work_start = "2024-01-01"});
	screen(P25);
	ck_assert_str_eq(STATUS(P25, "exited", "startup_2021"), "待核实");
	ck_assert_str_eq(STATUS(P25, "returned", "startup_2021"), "待核实");
	ck_assert_str_eq(STATUS(P25, "monitored", "startup_2021"), "");
	ck_assert_str_eq(STATUS(P25, "away", "startup_2021"), "");
	ck_assert_str_eq(STATUS(P25, "exited", "loan_2021"), "待核实");
	ck_assert_str_eq(STATUS(P25, "away", "loan_2021"), "");
}
END_TEST

START_TEST(test_workfare_pays_500_a_month_for_at_most_six_in_2021)
{
	add("2021-10", (struct tp){.key = "long", .region = "县内", .work_start = "2020-01-01"});
	add("2021-10", (struct tp){.key = "short", .region = "县内", .work_start = "2021-08-01"});
	screen("2021-10");
	ck_assert_str_eq(get("2021-10", "long", "workfare_2021").amount, "3000.0");
	ck_assert_str_eq(get("2021-10", "short", "workfare_2021").amount, "1500.0");
	ck_assert_str_eq(STATUS("2021-10", "long", "skill_cert_2021"), "待核实");
	ck_assert_ptr_nonnull(strstr(get("2021-10", "long", "skill_cert_2021").reason, "参加失业保险1年以上"));
}
END_TEST

START_TEST(test_conflicts_matter_only_in_the_fields_a_rule_reads)
{
	add(P25, (struct tp){.key = "phone", .category = "conflict", .conflicts = "phone"});
	add(P25, (struct tp){.key = "region", .category = "conflict", .conflicts = "work_region"});
	add(P25, (struct tp){.key = "employer", .category = "conflict", .conflicts = "employer", .type = "公益性岗位",
			     .region = "县内"});
	add(P25, (struct tp){.key = "roster", .roster_only = 1});
	screen(P25);
	ck_assert_str_eq(STATUS(P25, "phone", "transport_2021"), "符合");
	ck_assert_ptr_nonnull(strstr(get(P25, "phone", "transport_2021").evidence, "联系电话不一致，不涉及本项条件"));
	ck_assert_str_eq(STATUS(P25, "region", "transport_2021"), "待核实");
	ck_assert_ptr_nonnull(strstr(get(P25, "region", "transport_2021").reason, "就业地区不一致"));
	/* a public-welfare post: the rule reads its employment type, which is the job's */
	ck_assert_str_eq(STATUS(P25, "employer", "public_post_2021"), "待核实");
	ck_assert_str_eq(STATUS(P25, "roster", "transport_2021"), "待核实");
	ck_assert_ptr_nonnull(strstr(get(P25, "roster", "transport_2021").reason, "未录入省平台"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("screen");
	TCase *tmpl = tcase_create("template"), *subsidies = tcase_create("subsidies");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tmpl, setup, teardown);
	tcase_add_test(tmpl, test_the_shipped_template_loads_and_every_predicate_compiles);
	tcase_add_test(tmpl, test_bad_columns_are_refused_with_their_place);
	tcase_add_test(tmpl, test_the_sandbox_refuses_with_line_column_and_character);
	tcase_add_test(tmpl, test_the_sandbox_allows_the_view_and_the_whitelist_and_records_what_is_read);
	tcase_add_test(tmpl, test_every_column_of_the_view_is_known);
	tcase_add_test(tmpl, test_standard_texts);
	tcase_add_test(tmpl, test_policy_periods);
	suite_add_tcase(s, tmpl);

	tcase_add_checked_fixture(subsidies, setup, teardown);
	tcase_set_timeout(subsidies, 30);
	tcase_add_test(subsidies, test_months_in_post_count_the_start_day_to_the_period_end);
	tcase_add_test(subsidies, test_service_subsidy_at_exactly_six_months_is_listed_and_five_is_not);
	tcase_add_test(subsidies, test_service_subsidy_needs_work_outside_the_county_in_2021_but_not_in_2017);
	tcase_add_test(subsidies, test_a_rule_for_exited_does_not_list_monitored_and_transport_does);
	tcase_add_test(subsidies, test_social_insurance_subsidy_is_listed_where_the_employer_is);
	tcase_add_test(subsidies, test_post_subsidy_of_1500_only_for_a_local_employer);
	tcase_add_test(subsidies, test_labour_age_limits_only_what_employment_funds_pay);
	tcase_add_test(subsidies, test_training_and_living_allowance_for_those_who_want_training);
	tcase_add_test(subsidies, test_startup_subsidy_for_exited_or_returnees_starting_at_home);
	tcase_add_test(subsidies, test_workfare_pays_500_a_month_for_at_most_six_in_2021);
	tcase_add_test(subsidies, test_conflicts_matter_only_in_the_fields_a_rule_reads);
	suite_add_tcase(s, subsidies);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
