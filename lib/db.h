/* db — the one SQLite database every stage shares: opening it with the
 * project's settings, bringing its schema up to date (schema/NNN_name.sql files, compiled
 * in), transactions, and prepared-statement helpers that report errors as a
 * struct bangfu_err.  Queries themselves live with the stage that owns them. */
#ifndef BANGFU_DB_H
#define BANGFU_DB_H

#include <sqlite3.h>

#include "msg.h"

struct db_migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct db_migration db_migrations[];
extern const int db_migration_count;

/* PRAGMA application_id of a bangfu database ("bang"). */
#define BANGFU_APPLICATION_ID 0x62616e67

/* Open (creating if needed) and migrate.  An existing file that is not a
 * bangfu database is refused (ERR_INPUT, code not_bangfu) and left as it
 * was; a new database is never created through a symbolic link.  Waits up to busy_ms for another
 * stage's write lock (default 10 s; $BANGFU_BUSY_TIMEOUT_MS overrides). */
int db_open(const char *path, sqlite3 **out, struct bangfu_err *err);
/* db_open for the stages that read what earlier stages wrote: a path that is
 * not there is an error (ERR_INPUT), not a new empty database. */
int db_open_existing(const char *path, sqlite3 **out, struct bangfu_err *err);
void db_close(sqlite3 *db);
int db_schema_version(sqlite3 *db);

/* BEGIN IMMEDIATE: take the write lock now, so a second writer waits here
 * and not halfway through its work. */
int db_begin(sqlite3 *db, struct bangfu_err *err);
/* db_begin for a transaction that writes hundreds of megabytes (a month's
 * persons, a screening's candidates).  WAL suits small transactions: a big
 * one writes every page twice (to the log, then back), in frames that are
 * not aligned to the file's pages, and each page read searches a log index
 * that grows with the transaction (sqlite.org/wal.html: "for transactions
 * larger than about 100 megabytes, traditional rollback journal modes will
 * likely be faster").  So when this connection is the database's only one,
 * the transaction goes through a rollback journal (journal_mode DELETE,
 * synchronous FULL), and db_commit / db_rollback bring WAL back.  Atomic as
 * before: a writer killed midway leaves its journal, which the next opener
 * rolls back.  Meanwhile other connections cannot read the database (they
 * wait their busy timeout, then fail) where in WAL they read the last
 * commit.  When another connection has it open, the transaction runs in
 * WAL.  $BANGFU_BULK_JOURNAL=wal keeps WAL. */
int db_begin_bulk(sqlite3 *db, struct bangfu_err *err);
int db_commit(sqlite3 *db, struct bangfu_err *err);
void db_rollback(sqlite3 *db);

int db_exec(sqlite3 *db, const char *sql, struct bangfu_err *err);
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, struct bangfu_err *err);
/* Name the work the connection's statements do from now on, for the
 * progress line (msg_progress): a statement that runs long shows what and
 * how long it has taken.  what must outlive the calls (a literal); NULL
 * stops.  Each stage names its long steps ("the problem list"). */
void db_progress(sqlite3 *db, const char *what);
/* Fill err from the connection's last error; returns -1. */
int db_fail(sqlite3 *db, struct bangfu_err *err, const char *what);
/* Bind text, or NULL when s is NULL. */
int db_bind_text(sqlite3_stmt *stmt, int idx, const char *s);
/* The current time in UTC as ISO 8601 ("2026-11-25T05:00:00Z"). */
void db_now_iso(char out[32]);
/* 1 when "YYYY-MM" is a real month (2000-01 .. 2099-12). */
int db_valid_period(const char *period);
/* db_valid_period for a --period argument: 0 with a message when it is not
 * a month, so that a main can `return EXIT_BAD_INPUT`. */
int db_period_arg(const char *period);

#endif
