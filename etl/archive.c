/* archive — bangfu-archive: the periods before a month moved out of the
 * database into a separate bangfu database, which the same views read.
 *
 * A month of a million people takes about 1.2 GB (BENCHMARKS.md, README);
 * the monthly stages read only their month, the one before (环比) and the
 * township totals of the trend, so old months can go to an archive file
 * that a statistician opens with sqlite3 and the same views when a question
 * needs them.
 *
 * Every table with a period column moves its rows of those periods, the
 * tables keyed by a loaded file (rejects, warnings) the rows of those
 * periods' files; tables that span periods (the label table, the problem
 * list) stay.  The archive gets the rows with their rowids (a source row's
 * rowid is its place in its file, and persons point at their rows by it).
 *
 * Two databases in WAL mode cannot commit together, so the move is: copy
 * into the archive and commit; compare the counts; delete from this
 * database and commit.  A run killed between the two leaves the rows in
 * both, and the next run finds the archive complete and only deletes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bangfu.h"
#include "cli.h"
#include "db.h"
#include "strbuf.h"

struct table {
	char name[64];
	int by_period;      /* else by the file_id of a period's file */
	struct strbuf cols; /* "a, b, c" */
	long rows;          /* rows of the periods in this database */
};

/* Tables the move leaves alone: each database keeps its own. */
static int kept(const char *name)
{
	static const char *const KEEP[] = {"schema_version", "label", "label_version", NULL};

	for (int i = 0; KEEP[i]; i++)
		if (strcmp(name, KEEP[i]) == 0)
			return 1;
	return strncmp(name, "sqlite_", 7) == 0;
}

/* The tables to move, source_file first (the others refer to its files). */
static int list_tables(sqlite3 *db, struct table **out, int *n, struct strbuf *staying, struct bangfu_err *err)
{
	sqlite3_stmt *st, *cols;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_prepare(db,
		       "SELECT name FROM main.sqlite_master WHERE type = 'table'"
		       " ORDER BY name <> 'source_file', name",
		       &st, err) != 0)
		return -1;
	if (db_prepare(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid", &cols, err) != 0) {
		sqlite3_finalize(st);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		struct table t = {0};
		int has_period = 0, has_file = 0;

		if (kept(name))
			continue;
		snprintf(t.name, sizeof t.name, "%s", name);
		strbuf_init(&t.cols);
		sqlite3_bind_text(cols, 1, name, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(cols) == SQLITE_ROW) {
			const char *c = (const char *)sqlite3_column_text(cols, 0);

			has_period |= strcmp(c, "period") == 0;
			has_file |= strcmp(c, "file_id") == 0;
			strbuf_addf(&t.cols, "%s\"%s\"", t.cols.len ? ", " : "", c);
		}
		sqlite3_reset(cols);
		if (!has_period && !has_file) {
			strbuf_addf(staying, "%s%s", staying->len ? ", " : "", name);
			strbuf_free(&t.cols);
			continue;
		}
		t.by_period = has_period;
		*out = realloc(*out, (size_t)(*n + 1) * sizeof **out);
		if (!*out)
			abort();
		(*out)[(*n)++] = t;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(cols);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "listing the tables");
}

/* WHERE clause of a table's rows of the periods before ?1 that this
 * database holds (an archive may hold earlier ones too). */
static void where(struct strbuf *sb, const struct table *t, const char *schema)
{
	if (!t->by_period)
		strbuf_addstr(sb, " WHERE file_id IN (SELECT file_id FROM main.source_file WHERE period < ?1)");
	else if (strcmp(schema, "main") == 0)
		strbuf_addstr(sb, " WHERE period < ?1");
	else
		strbuf_addf(sb, " WHERE period < ?1 AND period IN (SELECT period FROM main.\"%s\" WHERE period < ?1)",
			    t->name);
}

static long count_rows(sqlite3 *db, const struct table *t, const char *schema, const char *before)
{
	struct strbuf sql;
	sqlite3_stmt *st;
	long n = -1;

	strbuf_init(&sql);
	strbuf_addf(&sql, "SELECT count(*) FROM %s.\"%s\"", schema, t->name);
	where(&sql, t, schema);
	if (sqlite3_prepare_v2(db, strbuf_str(&sql), -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	strbuf_free(&sql);
	return n;
}

static int run_each(sqlite3 *db, struct table *t, int n, const char *before, int copy, struct bangfu_err *err)
{
	struct strbuf sql;
	int rc = 0;

	strbuf_init(&sql);
	/* copy: source_file first; delete: source_file last */
	for (int k = 0; k < n && rc == 0; k++) {
		const struct table *x = &t[copy ? k : n - 1 - k];
		sqlite3_stmt *st;

		strbuf_reset(&sql);
		if (copy)
			strbuf_addf(&sql, "INSERT INTO arc.\"%s\" (rowid, %s) SELECT rowid, %s FROM main.\"%s\"", x->name,
				    strbuf_str(&x->cols), strbuf_str(&x->cols), x->name);
		else
			strbuf_addf(&sql, "DELETE FROM main.\"%s\"", x->name);
		where(&sql, x, "main");
		db_progress(db, copy ? "copying into the archive" : "removing the archived rows");
		if (db_prepare(db, strbuf_str(&sql), &st, err) != 0) {
			rc = -1;
			break;
		}
		sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_fail(db, err, copy ? "copying into the archive" : "removing the archived rows");
		sqlite3_finalize(st);
	}
	db_progress(db, NULL);
	strbuf_free(&sql);
	return rc;
}

int cmd_archive(int argc, char **argv)
{
	const char *db_path = "bangfu.db", *before = NULL, *to = NULL;
	int vacuum = 0;
	const struct cli_option options[] = {
		{.kind = CLI_PERIOD, .name = "before", .value = &before, .arg = "YYYY-MM",
		 .help = "move every period before this month", .flags = CLI_REQUIRED},
		CLI_OPT_REQUIRED("to", &to, "FILE",
				 "the archive database (made when missing; an archive of earlier\n"
				 "periods takes more)"),
		CLI_OPT_FLAG("vacuum", &vacuum, "then give the freed space back to the disk (VACUUM; takes a while)"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-archive", NULL,
		"Move the periods before a month out of the database into an archive database,\n"
		"which the same views read (sqlite3 FILE 'SELECT … FROM v_person …').  Every\n"
		"row of those periods goes: loaded rows, persons, samples and answers,\n"
		"screening; the tables that span periods stay.  The trend and 环比 of the\n"
		"report then begin at the first period kept.",
		NULL, options};
	struct table *t = NULL;
	struct strbuf staying, periods;
	struct bangfu_err err;
	sqlite3 *db = NULL, *arc = NULL;
	sqlite3_stmt *st;
	int n = 0, status = EXIT_OK, resumed = 0;
	long total = 0;
	struct stat sb;

	bangfu_err_clear(&err);
	strbuf_init(&staying);
	strbuf_init(&periods);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		goto out;
	if (db_open_existing(db_path, &db, &err) != 0)
		goto fail;
	{
		char a[PATH_MAX], b[PATH_MAX];

		if (realpath(db_path, a) && realpath(to, b) && strcmp(a, b) == 0) {
			bangfu_fail(&err, ERR_INPUT, to, 0, 0, "same_file", "--to is the database itself");
			goto fail;
		}
	}
	if (db_prepare(db, "SELECT group_concat(period, ', ') FROM (SELECT period FROM source_file WHERE period < ?1"
			   " UNION SELECT period FROM reconcile_run WHERE period < ?1 ORDER BY 1)",
		       &st, &err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		strbuf_addstr(&periods, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (!periods.len) {
		msg_info("no period before %s in %s: nothing to archive", before, db_path);
		goto out;
	}
	/* The archive, made (or brought up to date) by the same schema. */
	if (db_open(to, &arc, &err) != 0)
		goto fail;
	db_close(arc);
	arc = NULL;
	{
		struct strbuf sql;
		int rc;

		strbuf_init(&sql);
		strbuf_addstr(&sql, "ATTACH DATABASE ");
		{
			char *q = sqlite3_mprintf("%Q", to);

			strbuf_addstr(&sql, q);
			sqlite3_free(q);
		}
		strbuf_addstr(&sql, " AS arc");
		rc = db_exec(db, strbuf_str(&sql), &err);
		strbuf_free(&sql);
		if (rc != 0)
			goto fail;
	}
	if (list_tables(db, &t, &n, &staying, &err) != 0)
		goto fail;
	/* Already there?  Complete (a run killed after the copy): only delete.
	 * In part or with other rows: refuse, touching nothing. */
	{
		int some = 0, all = 1;

		for (int i = 0; i < n; i++) {
			long here = count_rows(db, &t[i], "main", before), there = count_rows(db, &t[i], "arc", before);

			t[i].rows = here;
			total += here;
			some |= there > 0;
			all &= there == here;
		}
		if (some && !all) {
			bangfu_fail(&err, ERR_INPUT, to, 0, 0, "archive_taken",
				    "the archive already holds rows of periods before %s that differ from this database's: "
				    "give another --to",
				    before);
			goto fail;
		}
		resumed = some && all;
	}
	if (!resumed) {
		if (db_begin(db, &err) != 0)
			goto fail;
		if (run_each(db, t, n, before, 1, &err) != 0 || db_commit(db, &err) != 0) {
			db_rollback(db);
			goto fail;
		}
		for (int i = 0; i < n; i++)
			if (count_rows(db, &t[i], "arc", before) != t[i].rows) {
				bangfu_fail(&err, ERR_INTERNAL, to, 0, 0, "archive_count",
					    "the archive's %s holds another number of rows than this database's: nothing "
					    "removed",
					    t[i].name);
				goto fail;
			}
	}
	if (db_begin(db, &err) != 0)
		goto fail;
	if (db_prepare(db,
		       "INSERT INTO main.archive_run (archived_at, before, to_file, periods, max_file_id)"
		       " VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3,"
		       " coalesce((SELECT max(file_id) FROM main.source_file WHERE period < ?1), 0))",
		       &st, &err) != 0) {
		db_rollback(db);
		goto fail;
	}
	sqlite3_bind_text(st, 1, before, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, strbuf_str(&periods), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		db_fail(db, &err, "recording the archive");
		db_rollback(db);
		goto fail;
	}
	sqlite3_finalize(st);
	if (run_each(db, t, n, before, 0, &err) != 0 || db_commit(db, &err) != 0) {
		db_rollback(db);
		goto fail;
	}
	db_exec(db, "DETACH DATABASE arc", &err);
	if (vacuum) {
		db_progress(db, "VACUUM");
		if (db_exec(db, "VACUUM", &err) != 0)
			goto fail;
		db_progress(db, NULL);
	}
	msg_info("moved %s (%ld rows%s) to %s", strbuf_str(&periods), total,
		 resumed ? ", already copied by an earlier run" : "", to);
	if (staying.len)
		msg_verbose("kept here, spanning periods: %s", strbuf_str(&staying));
	if (stat(db_path, &sb) == 0)
		msg_info("%s is %.1f MB%s", db_path, sb.st_size / 1048576.0,
			 vacuum ? "" : " (the freed space is reused by the next months; --vacuum gives it back)");
	goto out;
fail:
	status = msg_fail(&err);
out:
	for (int i = 0; i < n; i++)
		strbuf_free(&t[i].cols);
	free(t);
	strbuf_free(&staying);
	strbuf_free(&periods);
	db_close(arc);
	db_close(db);
	return status;
}
