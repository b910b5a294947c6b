/* Unit tests for lib/labour.c: the retirement-age table of
 * templates/retirement_age.csv against the law's own rule and the rows of its
 * annex tables, persons on both sides of every step of the 2025 reform, the
 * minimum age, broken tables refused with their place, and the SQL
 * functions.  Run from the top of the tree (make check does). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datefmt.h"
#include "db.h"
#include "labour.h"

#define SCHEDULE "templates/retirement_age.csv"

static struct labour_policy *policy;

static void load_policy(void)
{
	struct bangfu_err err;

	bangfu_err_clear(&err);
	if (labour_policy_load(&policy, &err) != 0) {
		fprintf(stderr, "%s:%ld:%ld: %s\n", err.file, err.line, err.column, err.message);
		abort();
	}
}

static void free_policy(void)
{
	labour_policy_free(policy);
	policy = NULL;
}

/* The rule of 《国务院关于渐进式延迟法定退休年龄的办法》 第二条, written out
 * here again: from the first birth month affected, one month more every
 * `step` birth months, up to `steps` months. */
static int law_months(int base_years, int start_y, int step, int steps, int y, int m)
{
	int since = (y * 12 + m - 1) - start_y * 12;

	if (since < 0)
		return base_years * 12;
	return base_years * 12 + (since / step + 1 > steps ? steps : since / step + 1);
}

static const struct {
	enum labour_category c;
	int base, start_y, step, steps;
} LAW[] = {
	/* 男职工 60 → 63: born from 1965-01, every 4 months */
	{LABOUR_MALE_60, 60, 1965, 4, 36},
	/* 原法定退休年龄五十五周岁的女职工 55 → 58: born from 1970-01, every 4 months */
	{LABOUR_FEMALE_55, 55, 1970, 4, 36},
	/* 原法定退休年龄五十周岁的女职工 50 → 55: born from 1975-01, every 2 months */
	{LABOUR_FEMALE_50, 50, 1975, 2, 60},
};

START_TEST(test_the_table_is_the_law_for_every_birth_month)
{
	for (size_t k = 0; k < sizeof LAW / sizeof LAW[0]; k++)
		for (int y = 1940; y <= 2005; y++)
			for (int m = 1; m <= 12; m++) {
				int want = law_months(LAW[k].base, LAW[k].start_y, LAW[k].step, LAW[k].steps, y, m);
				int got = labour_retirement_months(policy->schedule, LAW[k].c, y, m);

				ck_assert_msg(got == want, "%s born %d-%02d: %d months, the law says %d",
					      labour_category_code(LAW[k].c), y, m, got, want);
			}
}
END_TEST

/* Rows of the annex tables: 出生时间 → 改革后法定退休年龄. */
START_TEST(test_rows_of_the_annex_tables)
{
	static const struct {
		enum labour_category c;
		int y, m, years, months;
	} rows[] = {
		{LABOUR_MALE_60, 1964, 12, 60, 0},   {LABOUR_MALE_60, 1965, 1, 60, 1},   /* 1965年1月-4月 60岁1个月 */
		{LABOUR_MALE_60, 1965, 4, 60, 1},    {LABOUR_MALE_60, 1965, 5, 60, 2},   /* 1965年5月-8月 60岁2个月 */
		{LABOUR_MALE_60, 1976, 8, 62, 11},   {LABOUR_MALE_60, 1976, 9, 63, 0},   /* 1976年9月起 63岁 */
		{LABOUR_FEMALE_55, 1969, 12, 55, 0}, {LABOUR_FEMALE_55, 1970, 1, 55, 1}, /* 1970年1月-4月 55岁1个月 */
		{LABOUR_FEMALE_55, 1981, 9, 58, 0},  {LABOUR_FEMALE_50, 1974, 12, 50, 0},
		{LABOUR_FEMALE_50, 1975, 1, 50, 1},  {LABOUR_FEMALE_50, 1975, 3, 50, 2}, /* 1975年3月-4月 50岁2个月 */
		{LABOUR_FEMALE_50, 1984, 10, 54, 11}, {LABOUR_FEMALE_50, 1984, 11, 55, 0},
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		ck_assert_int_eq(labour_retirement_months(policy->schedule, rows[i].c, rows[i].y, rows[i].m),
				 rows[i].years * 12 + rows[i].months);
}
END_TEST

/* The day a person born on (y, m, d) reaches age `months` (day clamped). */
static void reach(int y, int m, int d, int months, char out[11])
{
	int t = y * 12 + m - 1 + months, ny = t / 12, nm = t % 12 + 1;
	int nd = d > datefmt_month_days(ny, nm) ? datefmt_month_days(ny, nm) : d;

	char buf[40];

	snprintf(buf, sizeof buf, "%04d-%02d-%02d", ny, nm, nd);
	memcpy(out, buf, 11);
}

static void day_before(const char *iso, char out[11])
{
	int y, m, d;

	char buf[40];

	datefmt_civil_from_days(datefmt_days_from_civil(atoi(iso), atoi(iso + 5), atoi(iso + 8)) - 1, &y, &m, &d);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, 11);
}

/* For every step of each table: the last person of one step and the first of
 * the next, each on the day before the retirement age and on the day it is
 * reached. */
START_TEST(test_both_sides_of_every_step)
{
	struct labour_policy p = *policy;
	int checked = 0;

	for (size_t k = 0; k < sizeof LAW / sizeof LAW[0]; k++) {
		const char *sex = LAW[k].c == LABOUR_MALE_60 ? "M" : "F";

		p.male = p.female = LAW[k].c;
		for (int s = 0; s <= LAW[k].steps; s++) {
			/* first birth month of step s (s = 0: the last month before the reform) */
			int t = LAW[k].start_y * 12 + (s ? (s - 1) * LAW[k].step : -1);

			for (int side = 0; side < 2; side++) {
				int month = t - side; /* side 1: the month before, in the step below */
				int y = month / 12, m = month % 12 + 1;
				int want = law_months(LAW[k].base, LAW[k].start_y, LAW[k].step, LAW[k].steps, y, m);
				char birth[40], until[11], before[11], from[11], got_until[11];

				snprintf(birth, sizeof birth, "%04d-%02d-15", y, m);
				reach(y, m, 15, want, until);
				day_before(until, before);
				ck_assert_int_eq(labour_window(&p, birth, sex, from, got_until), 0);
				ck_assert_str_eq(got_until, until);
				ck_assert_msg(labour_age_on(&p, birth, sex, before) == 1, "%s %s on %s: still of labour age",
					      labour_category_code(LAW[k].c), birth, before);
				ck_assert_msg(labour_age_on(&p, birth, sex, until) == 0, "%s %s on %s: past labour age",
					      labour_category_code(LAW[k].c), birth, until);
				checked++;
			}
		}
	}
	ck_assert_int_eq(checked, 2 * (37 + 37 + 61));
}
END_TEST

START_TEST(test_before_2025_the_old_ages_hold)
{
	/* a man born 1964-12-15 turned 60 on 2024-12-15: the old age */
	ck_assert_int_eq(labour_age_on(policy, "1964-12-15", "M", "2024-12-14"), 1);
	ck_assert_int_eq(labour_age_on(policy, "1964-12-15", "M", "2024-12-15"), 0);
	/* a man born 1965-01-10 is 60 at the end of 2025-01 but retires at 60 and 1 month */
	ck_assert_int_eq(labour_age_on(policy, "1965-01-10", "M", "2025-01-31"), 1);
	ck_assert_int_eq(labour_age_on(policy, "1965-01-10", "M", "2025-02-10"), 0);
	/* women (default category female_55): born 1969-11-30, 55 on 2024-11-30 */
	ck_assert_int_eq(labour_age_on(policy, "1969-11-30", "F", "2024-11-29"), 1);
	ck_assert_int_eq(labour_age_on(policy, "1969-11-30", "女", "2024-11-30"), 0);
}
END_TEST

START_TEST(test_the_minimum_age_is_the_sixteenth_birthday)
{
	ck_assert_int_eq(labour_age_on(policy, "2009-10-31", "M", "2025-10-30"), 0);
	ck_assert_int_eq(labour_age_on(policy, "2009-10-31", "M", "2025-10-31"), 1);
}
END_TEST

START_TEST(test_a_month_end_birthday_is_clamped)
{
	char from[11], until[11];

	/* 1965-01-31 + 60 years 1 month = 2025-02-28 */
	ck_assert_int_eq(labour_window(policy, "1965-01-31", "M", from, until), 0);
	ck_assert_str_eq(until, "2025-02-28");
	ck_assert_str_eq(from, "1981-01-31");
}
END_TEST

START_TEST(test_unknown_birth_or_sex_cannot_be_told)
{
	ck_assert_int_eq(labour_age_on(policy, NULL, "M", "2025-10-31"), -1);
	ck_assert_int_eq(labour_age_on(policy, "1980-13-01", "M", "2025-10-31"), -1);
	ck_assert_int_eq(labour_age_on(policy, "1980-05", "M", "2025-10-31"), -1);
	ck_assert_int_eq(labour_age_on(policy, "1980-05-01", NULL, "2025-10-31"), -1);
	ck_assert_int_eq(labour_age_on(policy, "1980-05-01", "?", "2025-10-31"), -1);
}
END_TEST

/* ---- broken tables ---- */

static char *write_table(const char *rows)
{
	static char path[] = "/tmp/bangfu-labour-XXXXXX";
	char *p = strdup(path);
	int fd = mkstemp(p);
	FILE *fp = fdopen(fd, "w");

	fputs("category,birth_from,birth_to,age_years,age_months,retire_from,retire_to,note\n", fp);
	fputs(rows, fp);
	fclose(fp);
	return p;
}

static void expect_refused(const char *rows, long line, long column, const char *text)
{
	struct labour_schedule *s = NULL;
	struct bangfu_err err;
	char *path = write_table(rows);

	bangfu_err_clear(&err);
	ck_assert_int_eq(labour_schedule_load(path, &s, &err), -1);
	ck_assert_ptr_null(s);
	ck_assert_msg(err.line == line && err.column == column && strstr(err.message, text),
		      "expected line %ld column %ld '%s', got %ld:%ld %s", line, column, text, err.line, err.column,
		      err.message);
	unlink(path);
	free(path);
}

#define OTHERS "female_55,,,55,0,,,\nfemale_50,,,50,0,,,\n"

START_TEST(test_a_broken_table_is_refused_with_its_place)
{
	expect_refused("male_61,,,60,0,,,\n" OTHERS, 2, 1, "male_61");
	expect_refused("male_60,,1964-12,60,0,,,\nmale_60,1965-02,,60,1,,,\n" OTHERS, 3, 2, "does not follow");
	expect_refused("male_60,,1964-12,60,0,,,\nmale_60,1965-01,,59,1,,,\n" OTHERS, 3, 4, "falls below");
	expect_refused("male_60,,1964-12,60,0,,,\nmale_60,1965-01,1965-04,60,1,2025-03,,\nmale_60,1965-05,,61,0,,,\n" OTHERS,
		       3, 6, "retire_from");
	expect_refused("male_60,1960-01,,60,0,,,\n" OTHERS, 2, 2, "first");
	expect_refused("male_60,,1964-12,60,0,,,\n" OTHERS, 2, 0, "every birth month");
	expect_refused("male_60,,,60,12,,,\n" OTHERS, 2, 5, "age_months");
}
END_TEST

/* ---- SQL ---- */

START_TEST(test_sql_functions_on_every_connection)
{
	char path[64] = "/tmp/bangfu-labour-db-XXXXXX", side[80];
	struct bangfu_err err;
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	int fd = mkstemp(path);

	close(fd);
	unlink(path);
	bangfu_err_clear(&err);
	ck_assert_int_eq(db_open(path, &db, &err), 0);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT bf_labour_age('1965-04-10', 'M', '2025-05-09'),"
					    " bf_labour_age('1965-04-10', '男', '2025-05-10'),"
					    " bf_labour_age(NULL, 'M', '2025-05-10'), bf_labour_until('1965-05-10', 'M')",
					    -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
	ck_assert_int_eq(sqlite3_column_int(st, 1), 0);
	ck_assert_int_eq(sqlite3_column_type(st, 2), SQLITE_NULL);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 3), "2025-07-10");
	sqlite3_finalize(st);
	db_close(db);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("labour");
	TCase *table = tcase_create("retirement age");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(table, load_policy, free_policy);
	tcase_add_test(table, test_the_table_is_the_law_for_every_birth_month);
	tcase_add_test(table, test_rows_of_the_annex_tables);
	tcase_add_test(table, test_both_sides_of_every_step);
	tcase_add_test(table, test_before_2025_the_old_ages_hold);
	tcase_add_test(table, test_the_minimum_age_is_the_sixteenth_birthday);
	tcase_add_test(table, test_a_month_end_birthday_is_clamped);
	tcase_add_test(table, test_unknown_birth_or_sex_cannot_be_told);
	tcase_add_test(table, test_a_broken_table_is_refused_with_its_place);
	tcase_add_test(table, test_sql_functions_on_every_connection);
	suite_add_tcase(s, table);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
