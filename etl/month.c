/* month — bangfu-month, the month in one command: every stage in order for
 * one period, each run as its own process (bangfu-STAGE, this program under
 * another name) so that its messages, progress and exit status are its own.
 *
 * A stage whose inputs have not changed since it last succeeded is skipped,
 * and the driver says so.  What a stage read is its fingerprint: a SHA-256
 * over its command line, the program, every template, the files it was
 * given and the state of the database it depends on (the loaded files, the
 * reconciliation of this period and the ones before, the sample, the
 * returned sheets loaded); the fingerprints are kept in month_step
 * (schema/017).  A stage whose outputs are gone runs again too.  Ingest is
 * skipped per file when its SHA-256 is already loaded for the period.
 *
 * The driver writes nothing itself but the output folder, and never into a
 * folder that is a symbolic link.  Not here: what each stage does. */
#include <dirent.h>
#include <errno.h>
#include <libintl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bangfu.h"
#include "cli.h"
#include "db.h"
#include "load.h"
#include "strbuf.h"
#include "tmpl.h"

/* ---- the options ---- */

struct month {
	const char *db_path, *period, *out;
	struct cli_list roster, hr, services, eledgers, posts, returned, problems;
	const char *unit, *targets, *rules, *tasks, *status, *due;
	char as_of[11];
	int csv, pack, full_id, replace, resample, dry_run, all;
	char templates[PATH_MAX]; /* the templates folder in effect */
	char self[PATH_MAX];      /* this program */
	char exe_sha[65];
	sqlite3 *db;              /* NULL in a dry run without a database */
	double started;
	/* what happened, for the summary */
	struct strbuf times;      /* "ingest 9.8 s, reconcile 31.2 s, …" */
	struct strbuf skipped;    /* "sample, verify" */
	int ran_any;              /* a stage ran: the ones after it run too in a dry run */
	int refused;              /* a returned file was refused; its 退回说明 is in returns/ */
	int refused_lists;        /* a problem list or work list was refused: no 退回说明 */
	int failed;
};

/* ---- the arguments of a stage ---- */

struct args {
	char **v;
	int n, cap;
};

static void arg(struct args *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		a->v = realloc(a->v, (size_t)a->cap * sizeof *a->v);
		if (!a->v)
			abort();
	}
	a->v[a->n++] = xstrdup(s);
	a->v[a->n] = NULL;
}

static void arg2(struct args *a, const char *opt, const char *value)
{
	if (value) {
		arg(a, opt);
		arg(a, value);
	}
}

static void args_free(struct args *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* bangfu-STAGE --db DB --period P --templates DIR [-q|-v]: what every stage
 * is given. */
static void args_start(struct args *a, const struct month *mo, const char *stage)
{
	char name[64];

	snprintf(name, sizeof name, "bangfu-%s", stage);
	arg(a, name);
	arg2(a, "--db", mo->db_path);
	arg2(a, "--period", mo->period);
	arg2(a, "--templates", mo->templates);
	if (msg_verbosity() == 0)
		arg(a, "-q");
	else if (msg_verbosity() >= 2)
		arg(a, "-v");
}

/* The command line as one would type it, for --dry-run and --verbose. */
static void args_text(const struct args *a, struct strbuf *out)
{
	strbuf_reset(out);
	for (int i = 0; i < a->n; i++) {
		const char *s = a->v[i];

		if (i)
			strbuf_addch(out, ' ');
		if (s[strcspn(s, " \t'\"$\\`;&|<>()*?[]#~")] || !*s) {
			strbuf_addch(out, '\'');
			for (; *s; s++)
				if (*s == '\'')
					strbuf_addstr(out, "'\\''");
				else
					strbuf_addch(out, *s);
			strbuf_addch(out, '\'');
		} else
			strbuf_addstr(out, s);
	}
}

/* ---- fingerprints ---- */

static void fp_add(struct sha256_ctx *ctx, const char *tag, const char *text)
{
	char len[32];

	text = text ? text : "";
	snprintf(len, sizeof len, "%s:%zu:", tag, strlen(text));
	sha256_update(ctx, strlen(len), (const uint8_t *)len);
	sha256_update(ctx, strlen(text), (const uint8_t *)text);
}

static int fp_file(struct sha256_ctx *ctx, const char *tag, const char *path, struct bangfu_err *err)
{
	char hex[65];

	if (load_sha256_file(path, hex, err) != 0)
		return -1;
	fp_add(ctx, tag, hex);
	return 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The files under dir (and its folders) whose names end in one of exts
 * ("|.xlsx|.csv|.zip|"), sorted; NULL-terminated. */
static void list_files(const char *dir, const char *exts, char ***out, int *n, int *cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[PATH_MAX], ext[16];
		const char *dot;
		struct stat sb;

		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path ||
		    stat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			list_files(path, exts, out, n, cap);
			continue;
		}
		dot = strrchr(e->d_name, '.');
		if (!S_ISREG(sb.st_mode) || !dot || strlen(dot) > 10)
			continue;
		snprintf(ext, sizeof ext, "|%s|", dot);
		for (char *c = ext; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		if (!strstr(exts, ext))
			continue;
		if (*n + 2 > *cap) {
			*cap = *cap ? 2 * *cap : 32;
			*out = realloc(*out, (size_t)*cap * sizeof **out);
			if (!*out)
				abort();
		}
		(*out)[(*n)++] = xstrdup(path);
		(*out)[*n] = NULL;
	}
	closedir(d);
}

static void free_list(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A file given to a stage by its content; a folder by the names and
 * contents of the files in it (and its folders) a stage reads. */
static int fp_input(struct sha256_ctx *ctx, const char *path, struct bangfu_err *err)
{
	struct stat sb;
	char **files = NULL;
	int n = 0, cap = 0, rc = 0;

	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return fp_file(ctx, "input", path, err);
	list_files(path, "|.xlsx|.csv|.zip|", &files, &n, &cap);
	if (n)
		qsort(files, (size_t)n, sizeof *files, by_name);
	for (int k = 0; k < n && rc == 0; k++) {
		fp_add(ctx, "file", files[k]);
		rc = fp_file(ctx, "sha", files[k], err);
	}
	free_list(files, n);
	return rc;
}

/* Every template (*.csv of the folder in effect), by name and content. */
static int fp_templates(struct sha256_ctx *ctx, const struct month *mo, struct bangfu_err *err)
{
	char **files = NULL;
	int n = 0, cap = 0, rc = 0;

	list_files(mo->templates, "|.csv|", &files, &n, &cap);
	if (n)
		qsort(files, (size_t)n, sizeof *files, by_name);
	for (int i = 0; i < n && rc == 0; i++) {
		fp_add(ctx, "template", strrchr(files[i], '/') + 1);
		rc = fp_file(ctx, "sha", files[i], err);
	}
	free_list(files, n);
	return rc;
}

/* The rows of a query about the period, every column, into the fingerprint.
 * A database that lacks a table (a dry run before the first stage) adds
 * nothing. */
static void fp_query(struct sha256_ctx *ctx, const struct month *mo, const char *sql)
{
	sqlite3_stmt *st;

	if (!mo->db || sqlite3_prepare_v2(mo->db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, mo->period, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int c = 0; c < sqlite3_column_count(st); c++)
			fp_add(ctx, "col", (const char *)sqlite3_column_text(st, c));
	sqlite3_finalize(st);
}

/* What each step depends on in the database: never what the step itself
 * writes there (the sample's plan for sample, the loaded sheets for verify),
 * or it would never be unchanged. */
enum {
	DEP_SOURCES = 1,   /* the period's loaded files */
	DEP_RECONCILE = 2, /* the reconciliation of this period and those before (环比, 趋势) */
	DEP_SAMPLE = 4,    /* the sample drawn */
	DEP_CHECKS = 8,    /* the returned sheets loaded */
	DEP_STEPS = 16,    /* the steps before (pack reads the files they wrote) */
	DEP_LEDGER = 32,   /* the ledger's files: returned work lists, external problem lists */
};

static void fp_state(struct sha256_ctx *ctx, const struct month *mo, unsigned deps)
{
	if (deps & DEP_SOURCES)
		fp_query(ctx, mo,
			 "SELECT source, file_name, sha256 FROM source_file WHERE period = ?1 ORDER BY source, file_name");
	if (deps & DEP_RECONCILE)
		fp_query(ctx, mo, "SELECT period, run_at, persons FROM reconcile_run WHERE period <= ?1 ORDER BY period");
	if (deps & DEP_SAMPLE)
		fp_query(ctx, mo, "SELECT seed, sample_size, threshold, drawn_at FROM sample_plan WHERE period = ?1");
	if (deps & DEP_CHECKS)
		fp_query(ctx, mo,
			 "SELECT file_name, sha256, loaded_at FROM check_file WHERE period = ?1 ORDER BY file_name");
	if (deps & DEP_LEDGER)
		fp_query(ctx, mo,
			 "SELECT what, period, file_name, counties, sha256, loaded_at FROM ledger_file"
			 " WHERE period IN (?1, '') ORDER BY 1, 2, 3, 4, 5");
	if (deps & DEP_STEPS)
		fp_query(ctx, mo,
			 "SELECT step, fingerprint, ran_at FROM month_step WHERE period = ?1 AND step <> 'pack' ORDER BY step");
}

static void fp_hex(struct sha256_ctx *ctx, char hex[65])
{
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_digest(ctx, SHA256_DIGEST_SIZE, digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/* ---- the steps ---- */

struct step {
	const char *name;       /* month_step.step */
	unsigned deps;
	const char *inputs[4];  /* files given to the stage (NULL ends) */
	const struct cli_list *lists[2]; /* and lists of files or folders of files */
	const char *outputs[4]; /* what must be there for a skip (NULL ends) */
	const char *notices;    /* exit 1 with a notice written here since the start: some input
				 * was refused and the rest done (bangfu-verify); else a failure */
	int refusals;           /* exit 1 is a refused file, the others loaded (bangfu-ledger) */
};

/* Was the step run with this fingerprint, and are its outputs there?
 * Fills since with when it ran. */
static int unchanged(const struct month *mo, const struct step *s, const char *fp, char since[32])
{
	sqlite3_stmt *st;
	int same = 0;
	struct stat sb;

	if (mo->all || !mo->db ||
	    sqlite3_prepare_v2(mo->db, "SELECT ran_at FROM month_step WHERE period = ?1 AND step = ?2 AND fingerprint = ?3",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, mo->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, fp, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(since, 32, "%s", (const char *)sqlite3_column_text(st, 0));
		same = 1;
	}
	sqlite3_finalize(st);
	for (int i = 0; same && i < 4 && s->outputs[i]; i++)
		if (lstat(s->outputs[i], &sb) != 0)
			same = 0;
	return same;
}

static int record(struct month *mo, const struct step *s, const char *fp, double seconds, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	if (!mo->db)
		return 0;
	db_now_iso(now);
	if (db_prepare(mo->db,
		       "INSERT OR REPLACE INTO month_step (period, step, fingerprint, ran_at, seconds) VALUES (?, ?, ?, ?, ?)",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, mo->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, fp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 5, seconds);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(mo->db, err, "recording the step");
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The stage as its own process: its exit status, or -1 when it could not be
 * started or was killed (err says so). */
static int spawn_stage(const struct month *mo, const struct args *a, struct bangfu_err *err)
{
	pid_t pid;
	int wstatus;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return bangfu_fail(err, ERR_INTERNAL, "", 0, 0, "spawn", "cannot start %s: %s", a->v[0],
				   strerror(errno));
	if (pid == 0) {
		execv(mo->self, a->v);
		fprintf(stderr, "bangfu-month: cannot run %s: %s\n", mo->self, strerror(errno));
		_exit(EXIT_INTERNAL);
	}
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			return bangfu_fail(err, ERR_INTERNAL, "", 0, 0, "spawn", "lost %s: %s", a->v[0],
					   strerror(errno));
	if (WIFSIGNALED(wstatus))
		return bangfu_fail(err, ERR_INTERNAL, "", 0, 0, "killed", "%s was killed (signal %d)", a->v[0],
				   WTERMSIG(wstatus));
	return WEXITSTATUS(wstatus);
}

/* Run the stage as its own process; its exit status, or -1 when it could
 * not be started or was killed (err says so).  The month's connection is
 * closed meanwhile: a stage that writes in bulk goes through a rollback
 * journal only when it has the database to itself (db_begin_bulk). */
static int spawn(struct month *mo, const struct args *a, struct bangfu_err *err)
{
	int status;

	if (mo->db) {
		db_close(mo->db);
		mo->db = NULL;
	}
	status = spawn_stage(mo, a, err);
	if (status >= 0 && db_open_existing(mo->db_path, &mo->db, err) != 0)
		return -1;
	return status;
}

/* Was a file written in dir since t (a second before, to be safe)? */
static int written_since(const char *dir, time_t t)
{
	char **files = NULL;
	int n = 0, cap = 0, found = 0;
	struct stat sb;

	list_files(dir, "|.xlsx|", &files, &n, &cap);
	for (int i = 0; i < n && !found; i++)
		found = stat(files[i], &sb) == 0 && sb.st_mtime >= t - 1;
	free_list(files, n);
	return found;
}

static void add_time(struct strbuf *sb, const char *name, double seconds)
{
	if (sb->len)
		strbuf_addstr(sb, ", ");
	if (seconds >= 60)
		strbuf_addf(sb, "%s %d:%02d", name, (int)seconds / 60, (int)seconds % 60);
	else
		strbuf_addf(sb, "%s %.1f s", name, seconds);
}

/* One step: skipped when unchanged, else run and recorded.  0 to go on, or
 * the exit status to stop with. */
static int run_step(struct month *mo, const struct step *s, const struct args *a)
{
	struct sha256_ctx ctx;
	struct bangfu_err err;
	struct strbuf line;
	char fp[65], since[32];
	double t0;
	time_t started_at;
	int status;

	bangfu_err_clear(&err);
	sha256_init(&ctx);
	fp_add(&ctx, "program", mo->exe_sha);
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->v[i], "-q") != 0 && strcmp(a->v[i], "-v") != 0)
			fp_add(&ctx, "arg", a->v[i]);
	if (fp_templates(&ctx, mo, &err) != 0)
		return msg_fail(&err);
	for (int i = 0; i < 4 && s->inputs[i]; i++)
		if (fp_input(&ctx, s->inputs[i], &err) != 0)
			return msg_fail(&err);
	for (int l = 0; l < 2 && s->lists[l]; l++)
		for (int i = 0; i < s->lists[l]->n; i++)
			if (fp_input(&ctx, s->lists[l]->items[i], &err) != 0)
				return msg_fail(&err);
	fp_state(&ctx, mo, s->deps);
	fp_hex(&ctx, fp);

	strbuf_init(&line);
	args_text(a, &line);
	if (!(mo->dry_run && mo->ran_any) && unchanged(mo, s, fp, since)) {
		if (mo->dry_run)
			printf(msg_tr("skip  %-10s unchanged since %s\n"), s->name, since);
		else
			msg_info("%s: unchanged since %s (same inputs, options and templates); skipped", s->name, since);
		if (mo->skipped.len)
			strbuf_addstr(&mo->skipped, ", ");
		strbuf_addstr(&mo->skipped, s->name);
		strbuf_free(&line);
		return 0;
	}
	mo->ran_any = 1;
	if (mo->dry_run) {
		printf(msg_tr("run   %-10s %s\n"), s->name, strbuf_str(&line));
		strbuf_free(&line);
		return 0;
	}
	msg_verbose("running %s", strbuf_str(&line));
	strbuf_free(&line);
	t0 = now_seconds();
	started_at = time(NULL);
	status = spawn(mo, a, &err);
	if (status < 0)
		return msg_fail(&err);
	add_time(&mo->times, s->name, now_seconds() - t0);
	if (status == EXIT_BAD_INPUT &&
	    ((s->notices && written_since(s->notices, started_at)) || s->refusals)) {
		if (s->notices && written_since(s->notices, started_at))
			mo->refused = 1;
		else
			mo->refused_lists = 1;
		msg_info("%s: some files were refused (above); the month goes on with those loaded", s->name);
		return 0; /* not recorded: run again when the corrected files come */
	}
	if (status != EXIT_OK) {
		msg_errorf("%s failed (exit %d): the stages after it did not run", s->name, status);
		return status;
	}
	if (record(mo, s, fp, now_seconds() - t0, &err) != 0)
		return msg_fail(&err);
	msg_verbose("%s: %.1f s", s->name, now_seconds() - t0);
	return 0;
}

/* ---- ingest: each file once ---- */

static int loaded(const struct month *mo, const char *source, const char *path, char name[256])
{
	char hex[65];
	struct bangfu_err err;
	sqlite3_stmt *st;
	int found = 0;

	if (!mo->db || load_sha256_file(path, hex, &err) != 0)
		return 0; /* ingest will say what is wrong with it */
	if (sqlite3_prepare_v2(mo->db,
			       "SELECT file_name FROM source_file WHERE period = ? AND source = ? AND sha256 = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, mo->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hex, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(name, 256, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

static int ingest(struct month *mo, const char *source, const struct cli_list *files, double *seconds)
{
	for (int i = 0; i < files->n; i++) {
		struct args a = {0};
		struct bangfu_err err;
		char name[256];
		double t0;
		int status;

		if (loaded(mo, source, files->items[i], name)) {
			if (mo->dry_run)
				printf(msg_tr("skip  %-10s %s: already loaded as %s\n"), "ingest", files->items[i], name);
			else
				msg_info("ingest: %s is already loaded for %s as %s (same SHA-256); skipped",
					 files->items[i], mo->period, name);
			continue;
		}
		args_start(&a, mo, "ingest");
		arg2(&a, "--source", source);
		if (mo->replace)
			arg(&a, "--replace");
		arg(&a, files->items[i]);
		mo->ran_any = 1;
		if (mo->dry_run) {
			struct strbuf line;

			strbuf_init(&line);
			args_text(&a, &line);
			printf(msg_tr("run   %-10s %s\n"), "ingest", strbuf_str(&line));
			strbuf_free(&line);
			args_free(&a);
			continue;
		}
		bangfu_err_clear(&err);
		t0 = now_seconds();
		status = spawn(mo, &a, &err);
		args_free(&a);
		if (status < 0)
			return msg_fail(&err);
		*seconds += now_seconds() - t0;
		if (status != EXIT_OK) {
			msg_errorf("ingest of %s failed (exit %d): the stages after it did not run", files->items[i],
				   status);
			return status;
		}
	}
	return 0;
}

/* ---- the output folder ---- */

static void path_in(char *out, const struct month *mo, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", mo->out, name);
}

/* The folder and the folders the stages write into it: made when missing,
 * refused when a symbolic link stands in the place of one. */
static int check_folders(const struct month *mo, const char *const *subs, struct bangfu_err *err)
{
	struct stat sb;
	char path[PATH_MAX];

	if (lstat(mo->out, &sb) == 0) {
		if (S_ISLNK(sb.st_mode))
			return bangfu_fail(err, ERR_INPUT, mo->out, 0, 0, "symlink",
					   "--out is a symbolic link: give the folder it points to, or another");
		if (!S_ISDIR(sb.st_mode))
			return bangfu_fail(err, ERR_INPUT, mo->out, 0, 0, "not_dir", "--out is not a folder");
	} else if (!mo->dry_run && mkdir(mo->out, 0700) != 0)
		return bangfu_fail(err, ERR_INPUT, mo->out, 0, 0, "cannot_write", "cannot make the folder: %s",
				   strerror(errno));
	for (int i = 0; subs[i]; i++) {
		path_in(path, mo, subs[i]);
		if (lstat(path, &sb) == 0 && (S_ISLNK(sb.st_mode) || !S_ISDIR(sb.st_mode)))
			return bangfu_fail(err, ERR_INPUT, path, 0, 0, "symlink",
					   "%s: the stages write a folder of this name here and will not write "
					   "through a symbolic link or over a file: move it away",
					   S_ISLNK(sb.st_mode) ? msg_tr("a symbolic link") : msg_tr("not a folder"));
	}
	return 0;
}

/* "check-sheets/  14 files" */
static void say_output(const char *path, const char *what)
{
	struct stat sb;
	char **files = NULL;
	int n = 0, cap = 0;

	if (stat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode)) {
		list_files(path, "|.xlsx|.csv|.zip|", &files, &n, &cap);
		free_list(files, n);
		msg_info(ngettext("  %-28s %s (%d file)", "  %-28s %s (%d files)", (unsigned long)n),
			 strrchr(path, '/') + 1, msg_tr(what), n);
	} else
		msg_info("  %-28s %s", strrchr(path, '/') + 1, msg_tr(what));
}

/* ---- the command ---- */

int cmd_month(int argc, char **argv)
{
	struct month mo = {.db_path = "bangfu.db"};
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&mo.period, "the month"),
		CLI_OPT_REQUIRED("out", &mo.out, "DIR",
				 "the month's folder: check-sheets/, townships/, subsidies/,\n"
				 "recalibrate/, returns/, packages/, csv/, progress-PERIOD.xlsx and\n"
				 "checklist-PERIOD.xlsx (made when missing; never a symbolic link)"),
		CLI_OPT_LIST("roster", &mo.roster, "FILE", "a roster file (扶贫系统) to load; repeatable"),
		CLI_OPT_LIST("hr", &mo.hr, "FILE", "an HR-platform dump (省平台) to load; repeatable"),
		CLI_OPT_LIST("services", &mo.services, "FILE",
			     "service records (公共就业服务信息管理平台) to load; repeatable; for\n"
			     "the 就业服务 sheet and the follow-up lists"),
		CLI_OPT_LIST("county-ledger", &mo.eledgers, "FILE",
			     "a county's 务工情况电子台账 (就业意愿, 培训意愿) to load; repeatable"),
		CLI_OPT_LIST("posts", &mo.posts, "FILE", "a 公益性岗位安置人员花名册 to load; repeatable"),
		CLI_OPT_LIST("returned", &mo.returned, "FILE|DIR",
			     "returned check sheets: a file, or a folder of them (and zips);\n"
			     "repeatable.  A refused file gets its 退回说明 in returns/ of --out,\n"
			     "and the month goes on.  The township work lists returned in a\n"
			     "folder go to the ledger (bangfu-ledger --from)"),
		CLI_OPT_LIST("problems", &mo.problems, "FILE",
			     "an external problem list for the ledger (回头看, 督查, 12317): see\n"
			     "bangfu-ledger --problems; repeatable"),
		CLI_OPT_DATE("as-of", mo.as_of, "the day the checklist judges on (default: today)", 0),
		CLI_OPT_STRING("unit", &mo.unit, "NAME", "填报单位 printed on the report, checklist and summaries"),
		CLI_OPT_STRING("targets", &mo.targets, "FILE", "the targets (default: targets.csv of the templates)"),
		CLI_OPT_STRING("rules", &mo.rules, "FILE", "the subsidy rules (default: subsidy_rules.csv of the templates)"),
		CLI_OPT_STRING("tasks", &mo.tasks, "FILE", "the special action's tasks (default: tasks_2020.csv)"),
		CLI_OPT_STRING("status", &mo.status, "FILE", "the counties' reports on their tasks, for the checklist"),
		CLI_OPT_STRING("due", &mo.due, "YYYY-MM-DD", "the day the sheets are due back, for the packages"),
		CLI_OPT_FLAG("csv", &mo.csv, "also the report's tables as CSV, in csv/ of --out"),
		CLI_OPT_FLAG("pack", &mo.pack, "also one zip per county of what goes to it, in packages/ of --out"),
		CLI_OPT_FLAG("full-id", &mo.full_id, "whole ID numbers and phones in the township lists (default: masked)"),
		CLI_OPT_FLAG("replace", &mo.replace, "a source file of a name already loaded replaces it (ingest --replace)"),
		CLI_OPT_FLAG("resample", &mo.resample,
			     "the period's files changed after its sample was drawn: drop the sample\n"
			     "and its answers and draw it again (bangfu-reconcile --resample)"),
		CLI_OPT_FLAG("all", &mo.all, "run every stage, changed or not"),
		CLI_OPT_FLAG("dry-run", &mo.dry_run,
			     "say what would run and what would be skipped, and run nothing"),
		CLI_COMMON(&mo.db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-month", NULL,
		N_("The month in one command: load the roster and HR files, reconcile, draw the\n"
		"sample and write the check sheets, load returned sheets, screen for subsidies,\n"
		"write the progress report with the township work lists and the checklist,\n"
		"and with --pack the packages for the counties.  Each stage runs as itself,\n"
		"with its messages and progress; a stage whose inputs did not change since it\n"
		"last succeeded is skipped (and said so).  Run it again when the townships send\n"
		"their sheets back.  Stops at the first stage that fails, with its exit status;\n"
		"a returned file that is refused does not stop the month."),
		NULL, options};
	static const char *const SUBS[] = {"check-sheets", "townships", "followup", "subsidies", "recalibrate",
					   "returns",      "packages",  "csv",      NULL};
	char progress[PATH_MAX], checklist[PATH_MAX], sheets[PATH_MAX], townships[PATH_MAX], followup[PATH_MAX],
		subsidies[PATH_MAX], recalibrate[PATH_MAX], returns[PATH_MAX], packages[PATH_MAX], csvdir[PATH_MAX],
		name[64];
	struct bangfu_err err;
	struct stat sb;
	int status = EXIT_OK;

	bangfu_err_clear(&err);
	strbuf_init(&mo.times);
	strbuf_init(&mo.skipped);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		goto out;
	mo.started = now_seconds();
	if (!mo.as_of[0]) {
		time_t t = time(NULL);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(mo.as_of, sizeof mo.as_of, "%Y-%m-%d", &tm);
	}
	{
		ssize_t n = readlink("/proc/self/exe", mo.self, sizeof mo.self - 1);

		if (n <= 0) {
			msg_errorf("cannot find this program's file (/proc/self/exe): %s", strerror(errno));
			status = EXIT_INTERNAL;
			goto out;
		}
		mo.self[n] = '\0';
		if (load_sha256_file(mo.self, mo.exe_sha, &err) != 0) {
			status = msg_fail(&err);
			goto out;
		}
	}
	{
		char policy[PATH_MAX], *slash;

		if (tmpl_path("policy.csv", policy, sizeof policy, &err) != 0 || !realpath(policy, mo.templates)) {
			status = msg_fail(&err);
			goto out;
		}
		slash = strrchr(mo.templates, '/');
		if (slash)
			*slash = '\0';
	}
	if (check_folders(&mo, SUBS, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	if (mo.dry_run ? (stat(mo.db_path, &sb) == 0 && db_open_existing(mo.db_path, &mo.db, &err) != 0)
		       : db_open(mo.db_path, &mo.db, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	snprintf(name, sizeof name, "progress-%s.xlsx", mo.period);
	path_in(progress, &mo, name);
	snprintf(name, sizeof name, "checklist-%s.xlsx", mo.period);
	path_in(checklist, &mo, name);
	path_in(sheets, &mo, "check-sheets");
	path_in(townships, &mo, "townships");
	path_in(followup, &mo, "followup");
	path_in(subsidies, &mo, "subsidies");
	path_in(recalibrate, &mo, "recalibrate");
	path_in(returns, &mo, "returns");
	path_in(packages, &mo, "packages");
	path_in(csvdir, &mo, "csv");

	{
		double seconds = 0;

		if ((status = ingest(&mo, "roster", &mo.roster, &seconds)) != 0 ||
		    (status = ingest(&mo, "hr", &mo.hr, &seconds)) != 0 ||
		    (status = ingest(&mo, "service", &mo.services, &seconds)) != 0 ||
		    (status = ingest(&mo, "ledger", &mo.eledgers, &seconds)) != 0 ||
		    (status = ingest(&mo, "posts", &mo.posts, &seconds)) != 0)
			goto out;
		if (seconds > 0)
			add_time(&mo.times, "ingest", seconds);
	}
	{
		struct args a = {0};
		const struct step s = {.name = "reconcile", .deps = DEP_SOURCES};

		args_start(&a, &mo, "reconcile");
		if (mo.resample)
			arg(&a, "--resample");
		status = run_step(&mo, &s, &a);
		args_free(&a);
		if (status)
			goto out;
	}
	{
		struct args a = {0};
		const struct step s = {.name = "sample", .deps = DEP_RECONCILE, .outputs = {sheets}};

		args_start(&a, &mo, "sample");
		arg2(&a, "--out", sheets);
		if (mo.full_id)
			arg(&a, "--full-id");
		status = run_step(&mo, &s, &a);
		args_free(&a);
		if (status)
			goto out;
	}
	if (mo.returned.n) {
		struct args a = {0};
		const struct step s = {.name = "verify",
				       .deps = DEP_RECONCILE | DEP_SAMPLE,
				       .lists = {&mo.returned},
				       .notices = returns};

		args_start(&a, &mo, "verify");
		arg2(&a, "--out", recalibrate);
		arg2(&a, "--notices", returns);
		if (mo.full_id)
			arg(&a, "--full-id");
		for (int i = 0; i < mo.returned.n; i++)
			if (stat(mo.returned.items[i], &sb) == 0 && S_ISDIR(sb.st_mode))
				arg2(&a, "--from", mo.returned.items[i]);
		for (int i = 0; i < mo.returned.n; i++)
			if (!(stat(mo.returned.items[i], &sb) == 0 && S_ISDIR(sb.st_mode)))
				arg(&a, mo.returned.items[i]);
		status = run_step(&mo, &s, &a);
		args_free(&a);
		if (status)
			goto out;
	}
	if (mo.returned.n || mo.problems.n) {
		struct args a = {0};
		const struct step s = {.name = "ledger",
				       .deps = DEP_RECONCILE | DEP_CHECKS,
				       .lists = {&mo.returned, &mo.problems},
				       .refusals = 1};

		args_start(&a, &mo, "ledger");
		for (int i = 0; i < mo.problems.n; i++)
			arg2(&a, "--problems", mo.problems.items[i]);
		for (int i = 0; i < mo.returned.n; i++)
			if (stat(mo.returned.items[i], &sb) == 0 && S_ISDIR(sb.st_mode))
				arg2(&a, "--from", mo.returned.items[i]);
		status = run_step(&mo, &s, &a);
		args_free(&a);
		if (status)
			goto out;
	}
	{
		struct args a = {0};
		const struct step s = {.name = "screen", .deps = DEP_RECONCILE | DEP_CHECKS, .inputs = {mo.rules}};

		args_start(&a, &mo, "screen");
		arg2(&a, "--out", subsidies);
		arg2(&a, "--rules", mo.rules);
		arg2(&a, "--unit", mo.unit);
		if (mo.full_id)
			arg(&a, "--full-id");
		arg(&a, "--if-in-force");
		status = run_step(&mo, &s, &a);
		args_free(&a);
		if (status)
			goto out;
	}
	{
		struct args a = {0};
		const struct step s = {.name = "report",
				       .deps = DEP_RECONCILE | DEP_SAMPLE | DEP_CHECKS | DEP_LEDGER,
				       .inputs = {mo.targets},
				       .outputs = {progress, townships, followup, mo.csv ? csvdir : NULL}};

		args_start(&a, &mo, "report");
		arg2(&a, "--out", progress);
		arg2(&a, "--townships", townships);
		arg2(&a, "--followup", followup);
		arg2(&a, "--targets", mo.targets);
		arg2(&a, "--unit", mo.unit);
		if (mo.csv)
			arg2(&a, "--csv", csvdir);
		if (mo.full_id)
			arg(&a, "--full-id");
		status = run_step(&mo, &s, &a);
		args_free(&a);
		if (status)
			goto out;
	}
	{
		struct args a = {0};
		const struct step s = {.name = "checklist",
				       .deps = DEP_RECONCILE | DEP_SAMPLE | DEP_CHECKS | DEP_LEDGER,
				       .inputs = {mo.tasks, mo.status},
				       .outputs = {checklist}};

		args_start(&a, &mo, "checklist");
		arg2(&a, "--as-of", mo.as_of);
		arg2(&a, "--out", checklist);
		arg2(&a, "--tasks", mo.tasks);
		arg2(&a, "--status", mo.status);
		arg2(&a, "--unit", mo.unit);
		status = run_step(&mo, &s, &a);
		args_free(&a);
		if (status)
			goto out;
	}
	if (mo.pack) {
		struct args a = {0};
		const struct step s = {.name = "pack",
				       .deps = DEP_RECONCILE | DEP_SAMPLE | DEP_CHECKS | DEP_LEDGER | DEP_STEPS,
				       .outputs = {packages}};

		args_start(&a, &mo, "pack");
		arg2(&a, "--from", mo.out);
		arg2(&a, "--out", packages);
		arg2(&a, "--due", mo.due);
		status = run_step(&mo, &s, &a);
		args_free(&a);
		if (status)
			goto out;
	}
	if (mo.dry_run)
		goto out;
	{
		double total = now_seconds() - mo.started;

		msg_info("%s done in %d:%02d%s%s%s%s", mo.period, (int)total / 60, (int)total % 60,
			 mo.times.len ? ": " : "", strbuf_str(&mo.times), mo.skipped.len ? msg_tr("; unchanged: ") : "",
			 strbuf_str(&mo.skipped));
		msg_info("written in %s:", mo.out);
		say_output(progress, "进度报表, for the leadership");
		say_output(checklist, "工作清单, for the leadership");
		say_output(sheets, "抽查核实表 to the counties; they come back for --returned");
		say_output(townships, "乡镇工作清单 to the townships");
		say_output(followup, "乡镇跟进名单 to the townships: persons to follow up");
		say_output(subsidies, "补贴筛选名单 to the counties");
		say_output(recalibrate, "重新校准清单 to the townships below 90%");
		say_output(returns, "退回说明 of refused returned files, to their counties");
		if (mo.csv)
			say_output(csvdir, "the report's tables as CSV");
		if (mo.pack)
			say_output(packages, "one zip per county: what goes to it");
		if (mo.refused)
			msg_info("some returned files were refused: send each county its 退回说明 from %s, and run again "
				 "with the corrected files",
				 returns);
		if (mo.refused_lists)
			msg_info("some problem lists or returned work lists were refused: the messages above say where; "
				 "run again with the corrected files");
	}
out:
	db_close(mo.db);
	cli_list_free(&mo.roster);
	cli_list_free(&mo.hr);
	cli_list_free(&mo.services);
	cli_list_free(&mo.eledgers);
	cli_list_free(&mo.posts);
	cli_list_free(&mo.returned);
	cli_list_free(&mo.problems);
	strbuf_free(&mo.times);
	strbuf_free(&mo.skipped);
	return status;
}
