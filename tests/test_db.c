/* Check unit tests of lib/db's bulk transaction (db_begin_bulk): it runs
 * through a rollback journal when its connection is the database's only one,
 * WAL comes back when it ends whichever way, and a writer killed midway
 * leaves the database as of its last commit. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"

static char dir[64], path[96];

/* Each test's database: t holding one committed row, in WAL. */
static void make_db(void)
{
	sqlite3 *db;

	snprintf(dir, sizeof dir, "/tmp/bangfu-test-db-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/b.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db,
				      "PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER, s TEXT);"
				      "INSERT INTO t VALUES (1, 'committed')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
}

static void remove_db(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static sqlite3 *open_db(void)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 100);
	return db;
}

/* The text of a one-value statement's value. */
static const char *value_of(sqlite3 *db, const char *sql)
{
	static char value[64];
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(value, sizeof value, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return value;
}

static const char *mode_of(sqlite3 *db) { return value_of(db, "PRAGMA journal_mode"); }
static int count_of(sqlite3 *db) { return atoi(value_of(db, "SELECT count(*) FROM t")); }

/* rows rows of some 200 bytes each into t */
static void fill(sqlite3 *db, int rows)
{
	char sql[256];

	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < %d)"
		 " INSERT INTO t SELECT n, printf('%%0200d', n) FROM c",
		 rows);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

START_TEST(test_a_bulk_transaction_commits_through_a_rollback_journal)
{
	struct bangfu_err err = {0};
	sqlite3 *db;

	db = open_db();
	ck_assert_str_eq(mode_of(db), "wal");
	ck_assert_int_eq(db_begin_bulk(db, &err), 0);
	ck_assert_str_eq(mode_of(db), "delete");
	fill(db, 1000);
	ck_assert_int_eq(db_commit(db, &err), 0);
	ck_assert_str_eq(mode_of(db), "wal");
	ck_assert_int_eq(count_of(db), 1001);
	/* an ordinary transaction afterwards is WAL's */
	ck_assert_int_eq(db_begin(db, &err), 0);
	fill(db, 10);
	ck_assert_str_eq(mode_of(db), "wal");
	ck_assert_int_eq(db_commit(db, &err), 0);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_a_bulk_transaction_rolled_back_leaves_nothing_and_wal)
{
	struct bangfu_err err = {0};
	sqlite3 *db;

	db = open_db();
	ck_assert_int_eq(db_begin_bulk(db, &err), 0);
	fill(db, 1000);
	db_rollback(db);
	ck_assert_str_eq(mode_of(db), "wal");
	ck_assert_int_eq(count_of(db), 1);
	sqlite3_close(db);
}
END_TEST

/* Another connection open: the journal cannot change, the transaction runs
 * in WAL and the other connection reads the last commit meanwhile. */
START_TEST(test_with_another_connection_open_the_transaction_stays_in_wal)
{
	struct bangfu_err err = {0};
	sqlite3 *db, *reader;

	db = open_db();
	reader = open_db();
	ck_assert_int_eq(count_of(reader), 1);
	ck_assert_int_eq(db_begin_bulk(db, &err), 0);
	ck_assert_str_eq(mode_of(db), "wal");
	fill(db, 1000);
	ck_assert_int_eq(count_of(reader), 1);
	ck_assert_int_eq(db_commit(db, &err), 0);
	ck_assert_int_eq(count_of(reader), 1001);
	ck_assert_str_eq(mode_of(db), "wal");
	sqlite3_close(reader);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_the_environment_keeps_wal)
{
	struct bangfu_err err = {0};
	sqlite3 *db;

	db = open_db();
	setenv("BANGFU_BULK_JOURNAL", "wal", 1);
	ck_assert_int_eq(db_begin_bulk(db, &err), 0);
	unsetenv("BANGFU_BULK_JOURNAL");
	ck_assert_str_eq(mode_of(db), "wal");
	fill(db, 10);
	ck_assert_int_eq(db_commit(db, &err), 0);
	ck_assert_int_eq(count_of(db), 11);
	sqlite3_close(db);
}
END_TEST

/* A writer killed after its cache spilled into the database file: the next
 * opener rolls the journal back, and the database is as of its last commit. */
START_TEST(test_a_writer_killed_midway_leaves_the_last_commit)
{
	struct bangfu_err err = {0};
	sqlite3 *db;
	pid_t pid;
	int status;
	char journal[128];

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		db = open_db();
		if (db_begin_bulk(db, &err) != 0 || sqlite3_exec(db, "PRAGMA cache_size = 10", NULL, NULL, NULL) != 0)
			_exit(2);
		fill(db, 20000); /* ~4 MB through a 40 KB cache: written to the file */
		_exit(0);        /* no commit, no close */
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	snprintf(journal, sizeof journal, "%s-journal", path);
	ck_assert_int_eq(access(journal, F_OK), 0); /* the hot journal is there */
	db = open_db();
	ck_assert_int_eq(count_of(db), 1);
	ck_assert_str_eq(value_of(db, "PRAGMA integrity_check"), "ok");
	ck_assert_int_ne(access(journal, F_OK), 0); /* rolled back */
	sqlite3_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("bulk");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, make_db, remove_db);

	tcase_add_test(tc, test_a_bulk_transaction_commits_through_a_rollback_journal);
	tcase_add_test(tc, test_a_bulk_transaction_rolled_back_leaves_nothing_and_wal);
	tcase_add_test(tc, test_with_another_connection_open_the_transaction_stays_in_wal);
	tcase_add_test(tc, test_the_environment_keeps_wal);
	tcase_add_test(tc, test_a_writer_killed_midway_leaves_the_last_commit);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
