/* Check unit tests of lib/dbread: the rows read on another thread are the
 * statement's, in order and value for value, across batches; a stage that
 * stops early or a statement that fails midway ends without a hang.  After
 * touching the reader, run them under ThreadSanitizer too:
 *   make B=build/tsan BIN=build/tsan/bin CFLAGS='-O1 -g' SAN=-fsanitize=thread build/tsan/tests/test_dbread
 *   CK_FORK=no TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/test_dbread */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbread.h"

/* A connection with t(n, name, rate, note) of rows rows: note NULL on every
 * seventh, rate a float. */
static sqlite3 *table_of(int rows)
{
	sqlite3 *db;
	char sql[512];

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	snprintf(sql, sizeof sql,
		 "CREATE TABLE t (n INTEGER, name TEXT, rate REAL, note TEXT);"
		 "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < %d)"
		 " INSERT INTO t SELECT n, '乡镇' || n, n / 4.0, CASE WHEN n %% 7 THEN 'x' || n END FROM c",
		 rows);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	return db;
}

START_TEST(test_every_row_in_order_across_batches)
{
	int rows = 3 * DBREAD_BATCH + 17 + _i; /* _i = 0, 1: a last batch short or not */
	sqlite3 *db = table_of(rows);
	sqlite3_stmt *st;
	struct dbread *r;
	const struct dbread_row *row;
	int n = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT n, name, rate, note, n || '' FROM t ORDER BY n", -1, &st, NULL),
			 SQLITE_OK);
	r = dbread_start(st);
	while ((row = dbread_next(r))) {
		char name[32], note[32];

		n++;
		snprintf(name, sizeof name, "乡镇%d", n);
		snprintf(note, sizeof note, "x%d", n);
		ck_assert_int_eq(dbread_int(row, 0), n);
		ck_assert_str_eq(dbread_text(row, 1), name);
		ck_assert_double_eq(dbread_double(row, 2), n / 4.0);
		if (n % 7)
			ck_assert_str_eq(dbread_text(row, 3), note);
		else
			ck_assert_ptr_null(dbread_text(row, 3));
		ck_assert_str_eq(dbread_str(row, 3), n % 7 ? note : ""); /* a NULL shown as "" */
		ck_assert_int_eq(dbread_int64(row, 4), n); /* a number from its text */
		ck_assert_str_eq(dbread_text(row, 0), dbread_text(row, 4));
	}
	ck_assert_int_eq(n, rows);
	ck_assert_ptr_null(dbread_next(r));
	ck_assert_int_eq(dbread_finish(r), SQLITE_DONE);
	/* the statement is reset: it runs again */
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	sqlite3_finalize(st);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_a_stage_that_stops_early_does_not_hang)
{
	sqlite3 *db = table_of(20 * DBREAD_BATCH);
	sqlite3_stmt *st;
	struct dbread *r;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT n FROM t", -1, &st, NULL), SQLITE_OK);
	r = dbread_start(st);
	for (int i = 0; i < 10; i++)
		ck_assert_ptr_nonnull(dbread_next(r));
	ck_assert_int_eq(dbread_finish(r), SQLITE_ROW); /* rows were left */
	sqlite3_finalize(st);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_a_statement_that_fails_midway_says_so)
{
	sqlite3 *db = table_of(3 * DBREAD_BATCH);
	sqlite3_stmt *st;
	struct dbread *r;
	int n = 0;

	/* abs() of the smallest integer is an error, at row 1000 (rowid order) */
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT CASE WHEN n = 1000 THEN abs(-9223372036854775807 - 1) ELSE n END FROM t",
					    -1, &st, NULL),
			 SQLITE_OK);
	r = dbread_start(st);
	while (dbread_next(r))
		n++;
	ck_assert_int_eq(n, 999);
	ck_assert_int_eq(dbread_finish(r), SQLITE_ERROR);
	ck_assert_ptr_nonnull(strstr(sqlite3_errmsg(db), "overflow"));
	sqlite3_finalize(st);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_no_rows)
{
	sqlite3 *db = table_of(1);
	sqlite3_stmt *st;
	struct dbread *r;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT n FROM t WHERE n > 1", -1, &st, NULL), SQLITE_OK);
	r = dbread_start(st);
	ck_assert_ptr_null(dbread_next(r));
	ck_assert_int_eq(dbread_finish(r), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dbread");
	TCase *tc = tcase_create("rows");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_every_row_in_order_across_batches, 0, 2);
	tcase_add_test(tc, test_a_stage_that_stops_early_does_not_hang);
	tcase_add_test(tc, test_a_statement_that_fails_midway_says_so);
	tcase_add_test(tc, test_no_rows);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
