/* db — see db.h. */
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "idno.h"
#include "labels.h"
#include "labour.h"
#include "msg.h"
#include "region.h"
#include "xlsx.h"

#define BUSY_TIMEOUT_MS 10000

int db_fail(sqlite3 *db, struct bangfu_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(db);
	enum bangfu_errkind kind = ERR_INTERNAL;
	const char *hint = "";

	if (code == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR) {
		kind = ERR_INPUT;
		hint = gettext(" (is the disk full?)");
	} else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
		kind = ERR_INPUT;
		hint = gettext(" (another bangfu stage is writing this database; try again when it has finished)");
	} else if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT) {
		kind = ERR_INPUT;
		hint = gettext(" (this is not a bangfu database, or it is damaged)");
	}
	return bangfu_fail(err, kind, sqlite3_db_filename(db, "main"), 0, 0, "sqlite",
			   "%s: %s%s", msg_tr(what), sqlite3_errmsg(db), hint);
}

int db_exec(sqlite3 *db, const char *sql, struct bangfu_err *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "database error");
	return 0;
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **stmt, struct bangfu_err *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, stmt, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot prepare statement");
	return 0;
}

int db_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

int db_begin(sqlite3 *db, struct bangfu_err *err)
{
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, "cannot start a transaction");
	return 0;
}

/* The connection whose transaction goes through a rollback journal
 * (db_begin_bulk); WAL again when it ends.  A stage has one. */
static sqlite3 *bulk_db;

/* Set the journal mode; 1 when it is now want. */
static int journal_mode(sqlite3 *db, const char *want)
{
	sqlite3_stmt *st;
	char sql[40];
	int ok = 0;

	snprintf(sql, sizeof sql, "PRAGMA main.journal_mode = %s", want);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		ok = !sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), want);
	sqlite3_finalize(st);
	return ok;
}

int db_begin_bulk(sqlite3 *db, struct bangfu_err *err)
{
	const char *env = getenv("BANGFU_BULK_JOURNAL");

	if ((!env || strcmp(env, "wal") != 0) && journal_mode(db, "delete")) {
		bulk_db = db;
		/* the journal synced before the database is written, at every
		 * spill of the cache as at the commit */
		sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	}
	if (db_begin(db, err) != 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/* After a transaction of db_begin_bulk: WAL again (when another connection
 * has opened the database meanwhile, it stays in the rollback journal until
 * the next db_open). */
static void bulk_end(sqlite3 *db)
{
	if (db != bulk_db)
		return;
	bulk_db = NULL;
	sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	journal_mode(db, "wal");
}

int db_commit(sqlite3 *db, struct bangfu_err *err)
{
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(db, err, "cannot commit");
		db_rollback(db);
		return -1;
	}
	bulk_end(db);
	return 0;
}

void db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	bulk_end(db);
}

int db_schema_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int version = 0;

	if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return version;
}

/* 1 when table has a column of that name. */
static int has_column(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* SQLite has no ADD COLUMN IF NOT EXISTS.  A migration that repairs
 * databases made by different earlier states of the schema says what it
 * needs in comment lines of its own:
 *
 *     -- add column if missing: person phone TEXT
 *
 * Each missing column is added before the migration's SQL runs, and
 * recorded in temp.migration_added (tbl, col), so that the SQL can fill in
 * only what it has just added. */
static int add_missing_columns(sqlite3 *db, const struct db_migration *m, struct bangfu_err *err)
{
	static const char tag[] = "-- add column if missing: ";
	const char *line = m->sql;

	if (!strstr(m->sql, tag))
		return 0;
	if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS migration_added (tbl TEXT, col TEXT)", err) != 0)
		return -1;
	while ((line = strstr(line, tag)) != NULL) {
		char table[64], column[64], decl[128], sql[400];
		const char *end = strchr(line, '\n');
		int n = 0;

		line += sizeof tag - 1;
		if (sscanf(line, "%63s %63s %n", table, column, &n) != 2 || n == 0)
			return bangfu_fail(err, ERR_INTERNAL, m->name, 0, 0, "schema", "bad add-column line");
		snprintf(decl, sizeof decl, "%.*s", (int)((end ? end : line + strlen(line)) - (line + n)), line + n);
		if (has_column(db, table, column))
			continue;
		snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", table, column, decl);
		if (db_exec(db, sql, err) != 0)
			return -1;
		snprintf(sql, sizeof sql, "INSERT INTO temp.migration_added VALUES ('%s', '%s')", table, column);
		if (db_exec(db, sql, err) != 0)
			return -1;
	}
	return 0;
}

/* 1 when the database records migration `version` as applied. */
static int db_has_version(sqlite3 *db, int version)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM schema_version WHERE version = ?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(st, 1, version);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static int migrations_missing(sqlite3 *db)
{
	int missing = 0;

	for (int i = 0; i < db_migration_count; i++)
		missing += !db_has_version(db, db_migrations[i].version);
	return missing;
}

/* Apply every migration the database does not record, in order.  Not only
 * those above its highest version: a database made while a lower-numbered
 * file did not exist yet (005 landed before 004) lacks it. */
static int migrate(sqlite3 *db, struct bangfu_err *err)
{
	int have, latest = db_migrations[db_migration_count - 1].version;

	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version ("
			" version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
		    err) != 0)
		return -1;
	have = db_schema_version(db);
	if (have > latest)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(db, "main"), 0, 0, "schema_newer",
				   "the database has schema version %d, newer than this bangfu knows (%d): "
				   "use a newer bangfu",
				   have, latest);
	if (migrations_missing(db) == 0)
		return 0;
	if (db_begin(db, err) != 0)
		return -1;
	/* Re-read under the write lock: another stage may have migrated meanwhile. */
	for (int i = 0; i < db_migration_count; i++) {
		const struct db_migration *m = &db_migrations[i];
		sqlite3_stmt *st;
		char now[32];

		if (db_has_version(db, m->version))
			continue;
		if (add_missing_columns(db, m, err) != 0) {
			db_rollback(db);
			return -1;
		}
		if (sqlite3_exec(db, m->sql, NULL, NULL, NULL) != SQLITE_OK) {
			db_fail(db, err, m->name);
			db_rollback(db);
			return -1;
		}
		db_now_iso(now);
		if (db_prepare(db, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
			       &st, err) != 0) {
			db_rollback(db);
			return -1;
		}
		sqlite3_bind_int(st, 1, m->version);
		sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(db, err, "recording the schema version");
			sqlite3_finalize(st);
			db_rollback(db);
			return -1;
		}
		sqlite3_finalize(st);
	}
	return db_commit(db, err);
}

/* bf_place_order(city, county): places in official order (region.h), for
 * ORDER BY in every stage's queries. */
static void fn_place_order(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int64(ctx, region_place_order((const char *)sqlite3_value_text(argv[0]),
						     (const char *)sqlite3_value_text(argv[1])));
}

/* bf_mask_phone(phone): a phone as the lists sent to townships show it
 * (idno_mask_phone), for queries that build texts out of personal values. */
static void fn_mask_phone(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *phone = (const char *)sqlite3_value_text(argv[0]);
	char masked[256];

	(void)argc;
	if (!phone) {
		sqlite3_result_null(ctx);
		return;
	}
	idno_mask_phone(phone, masked, sizeof masked);
	sqlite3_result_text(ctx, masked, -1, SQLITE_TRANSIENT);
}

/* BANGFU_TRACE_SQL=SECONDS: print every statement that took longer, for
 * finding where a stage spends its time (the statement's text, no data). */
static int trace_slow(unsigned type, void *ctx, void *p, void *x)
{
	double limit = *(double *)ctx, secs = (double)*(sqlite3_int64 *)x / 1e9;

	if (type == SQLITE_TRACE_PROFILE && secs >= limit) {
		const char *sql = sqlite3_sql((sqlite3_stmt *)p);

		fprintf(stderr, "%s: %.2f s: %.300s\n", msg_progname(), secs, sql ? sql : "?");
	}
	return 0;
}

/* What a path holds before a stage opens it for writing.  Nothing is changed
 * in a file that is not a bangfu database: opening one would switch it to
 * WAL and create bangfu's tables in it.  A bangfu database carries
 * BANGFU_APPLICATION_ID in its header (PRAGMA application_id, set by
 * schema/007); one made before that has the table schema_version. */
static int db_check_file(const char *path, struct bangfu_err *err)
{
	struct stat lsb, sb;
	sqlite3 *ro = NULL;
	sqlite3_stmt *st = NULL;
	int rc, objects = -1, versioned = 0;
	long long app_id = -1;

	if (lstat(path, &lsb) != 0) {
		int fd;

		if (errno != ENOENT)
			return bangfu_fail(err, ERR_INPUT, path, 0, 0, "no_database", "cannot open database: %s",
					   strerror(errno));
		/* A new database holds personal data: create it 0600 (or as
		 * BANGFU_FILE_MODE says), never through a symbolic link; SQLite
		 * gives its -wal and -shm files the same mode. */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, xlsx_file_mode());
		if (fd < 0)
			return bangfu_fail(err, ERR_INPUT, path, 0, 0, "no_database", "cannot create database: %s",
					   strerror(errno));
		fchmod(fd, xlsx_file_mode()); /* whatever the umask */
		close(fd);
		return 0;
	}
	if (S_ISLNK(lsb.st_mode) && stat(path, &sb) != 0)
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "no_database",
				   "is a symbolic link to nothing; bangfu does not create a database through a "
				   "symbolic link");
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "no_database", "is not a regular file");
	if (sb.st_size == 0)
		return 0; /* created empty, e.g. by a stage killed at once */
	rc = sqlite3_open_v2(path, &ro, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(ro,
					"SELECT (SELECT count(*) FROM sqlite_master),"
					" (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'),"
					" (SELECT application_id FROM pragma_application_id)",
					-1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		objects = sqlite3_column_int(st, 0);
		versioned = sqlite3_column_int(st, 1);
		app_id = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	sqlite3_close(ro);
	if (objects < 0)
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "not_bangfu",
				   "is not a bangfu database (not an SQLite database, or damaged); left as it was");
	if (app_id == BANGFU_APPLICATION_ID || (app_id == 0 && (versioned || objects == 0)))
		return 0;
	return bangfu_fail(err, ERR_INPUT, path, 0, 0, "not_bangfu",
			   "is an SQLite database of another program, not a bangfu database; left as it was");
}

int db_open(const char *path, sqlite3 **out, struct bangfu_err *err)
{
	sqlite3 *db = NULL;
	const char *env = getenv("BANGFU_BUSY_TIMEOUT_MS");
	int busy_ms = env && atoi(env) > 0 ? atoi(env) : BUSY_TIMEOUT_MS;

	*out = NULL;
	/* Every stage is one thread: no mutexes, no allocation statistics
	 * (together a few percent of a large ingest).  Only possible before
	 * SQLite initialises, so a second db_open leaves it as it is. */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (db_check_file(path, err) != 0)
		return -1;
	/* The file exists now (db_check_file created a new one 0600): open it
	 * without SQLITE_OPEN_CREATE, so nothing is ever created elsewhere. */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		bangfu_fail(err, ERR_INPUT, path, 0, 0, "sqlite", "cannot open database: %s",
			    db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, busy_ms);
	/* Any statement that runs long shows on a terminal that the stage is
	 * at work, and for how long; stages name their long steps. */
	db_progress(db, "working");
	if (sqlite3_create_function(db, "bf_place_order", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_place_order,
				    NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(db, "bf_mask_phone", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_mask_phone,
				    NULL, NULL) != SQLITE_OK) {
		db_fail(db, err, "registering SQL functions");
		sqlite3_close(db);
		return -1;
	}
	if (labour_register_sql(db, err) != 0) {
		sqlite3_close(db);
		return -1;
	}
	if (getenv("BANGFU_TRACE_SQL")) {
		static double limit;

		limit = atof(getenv("BANGFU_TRACE_SQL"));
		sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, trace_slow, &limit);
	}
	/* WAL: readers never block the writer (except in a transaction of
	 * db_begin_bulk, through a rollback journal), and a killed writer
	 * leaves the database as of its last commit. */
	if (db_exec(db, "PRAGMA journal_mode = WAL", err) != 0 ||
	    db_exec(db, "PRAGMA synchronous = NORMAL", err) != 0 ||
	    db_exec(db, "PRAGMA foreign_keys = ON", err) != 0 ||
	    /* A 64 MB page cache (and 32 MB for work tables): with SQLite's
	     * default 2 MB, reconcile at a million people spends half its time
	     * re-reading pages through the kernel; beyond 64 MB it gains
	     * nothing measurable (BENCHMARKS.md). */
	    db_exec(db, "PRAGMA cache_size = -65536", err) != 0 ||
	    db_exec(db, "PRAGMA temp.cache_size = -32768", err) != 0 ||
	    (db_progress(db, "upgrading the database"), migrate(db, err)) != 0 ||
	    (db_progress(db, "working"), 0) ||
	    labels_sync(db, err) != 0) {
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

static int show_progress(void *what)
{
	msg_progress(what, 0, 0);
	return 0;
}

void db_progress(sqlite3 *db, const char *what)
{
	/* about every few milliseconds of a statement's work */
	if (what)
		sqlite3_progress_handler(db, 200000, show_progress, (void *)what);
	else {
		sqlite3_progress_handler(db, 0, NULL, NULL);
		msg_progress_end();
	}
}

void db_close(sqlite3 *db)
{
	sqlite3_close(db);
}

void db_now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int db_valid_period(const char *p)
{
	int y, m;

	if (strlen(p) != 7 || p[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (p[i] < '0' || p[i] > '9'))
			return 0;
	y = atoi(p);
	m = atoi(p + 5);
	return y >= 2000 && y <= 2099 && m >= 1 && m <= 12;
}

int db_period_arg(const char *period)
{
	if (db_valid_period(period))
		return 1;
	msg_errorf("--period '%s' is not a month: expected YYYY-MM, e.g. 2026-10", period);
	return 0;
}

int db_open_existing(const char *path, sqlite3 **out, struct bangfu_err *err)
{
	struct stat sb;

	*out = NULL;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "no_database",
				   "no such database: run bangfu-ingest and bangfu-reconcile first, or give --db");
	return db_open(path, out, err);
}
