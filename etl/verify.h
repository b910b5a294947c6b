/* verify — the check sheets as townships return them (xlsx saved by Excel or
 * LibreOffice, or CSV in any encoding csvin reads): every row validated
 * against the period's sample, each file loaded on its own (a file is all
 * or nothing, and a refused file does not keep the others out), a 退回说明
 * workbook for each refused file to send back to its county, and the
 * re-verification lists (重新校准清单) for the townships the 90% rule flags.
 * The per-township verdict itself is the view v_township_check.
 *
 * An answer belongs to its sample item (抽查编号), never to a file name: a
 * returned file is known by its name and the counties its rows belong to,
 * and loading it again replaces only the answers it gives again.
 *
 * Reading one file into a list of rejects (verify_session_file) is apart
 * from the command, so that another stage reading returned sheets by the
 * same rules can follow it, and the 退回说明 writer takes any list of
 * rejects.  Finding returned files in a folder and in zips is pack's
 * (pack.h).
 *
 * The command bangfu-verify (cmd_verify, bangfu.h) is in verify.c, after the work. */
#ifndef BANGFU_VERIFY_H
#define BANGFU_VERIFY_H

#include <limits.h>
#include <stddef.h>
#include <sqlite3.h>

#include "msg.h"

/* Rejects of a file kept with their place; beyond them only counted. */
#define VERIFY_REJECTS_KEPT 1000

struct verify_file;

struct verify_options {
	const char *period;
	const char *out_dir;     /* re-verification lists; NULL: none written */
	const char *notices_dir; /* a 退回说明 per refused file; NULL: none written */
	int full_id;             /* whole ID numbers and phones in the lists (default: masked) */
	/* Called after each file, whatever became of it (the command prints it). */
	void (*file_done)(const struct verify_file *f, void *ctx);
	void *ctx;
};

/* A returned file to read. */
struct verify_input {
	const char *path;  /* where it is read */
	const char *shown; /* its name in messages and the 退回说明 (NULL: the base name of path),
			      e.g. "临湘市.zip: 抽查核实表_岳阳市_临湘市_2026-10.xlsx" */
	int found;         /* found in a folder: passed over, not refused, when it is no check sheet */
};

/* A rejected row, sheet or file.  Never the cell's content: the place, the
 * column and what is allowed, in English for the terminal and in Chinese
 * for the 退回说明. */
struct verify_reject {
	char sheet[128]; /* "" for CSV, or about the whole file */
	long row;        /* 0: about the whole sheet or file */
	int col;         /* 1-based column, 0: about the row */
	char label[64];  /* the column's name, when col > 0 */
	char reason[384];  /* English: what is wrong and what is allowed */
	char problem[384]; /* 问题 */
	char allowed[256]; /* 允许填写 */
};

/* Sampled persons of a township that have no row in a returned file that
 * holds the township's other rows (rows deleted from the sheet). */
struct verify_gap {
	char place[256]; /* 县市区乡镇 */
	long missing, sampled;
	char codes[256]; /* the first of them, "…" when more */
};

enum verify_state {
	VERIFY_LOADED,      /* its answers are in the database */
	VERIFY_UNCHANGED,   /* the same bytes under the same name were loaded before */
	VERIFY_REFUSED,     /* rejects: nothing of it was loaded */
	VERIFY_PASSED_OVER, /* found in a folder and no check sheet (a work list, a 填报说明) */
};

/* One file, as verify saw it (verify_file_clear frees what it holds). */
struct verify_file {
	const char *path, *shown; /* those of its verify_input */
	char *name;               /* its base name: with the counties, the file's identity */
	enum verify_state state;
	char sha256[65];
	char *counties; /* 市州县市区 of the sampled persons its rows name, '、'-joined; "" for none */
	long rows_read, answers, blank_rows;
	long kept; /* answers of an earlier version of the file it no longer gives: kept */
	struct verify_reject *rejects; /* the first VERIFY_REJECTS_KEPT */
	long nkept_rejects, nrejects;  /* kept, and all */
	int stopped;                   /* read only so far: */
	struct verify_reject stop;     /* where, and why */
	struct verify_gap *gaps;
	long ngaps;
	char notice[PATH_MAX]; /* the 退回说明 written for it, or "" */
};

void verify_file_clear(struct verify_file *f);

struct verify_summary {
	long files, loaded, unchanged, refused, passed_over;
	long rows_read, answers, blank_rows, notices;
	long townships_checked, pass, recalibrate, undecided, lists_written;
};

/* The period's sample and what has been loaded against it, for reading
 * files one after another. */
struct verify_session;

/* NULL with err when the column template cannot be read. */
struct verify_session *verify_session_open(sqlite3 *db, const struct verify_options *opt, struct bangfu_err *err);
void verify_session_close(struct verify_session *s);

/* Read one file and load it when no row is rejected, in one transaction of
 * its own taken before it is read (a second verify waits for it, then
 * checks against what it loaded).  f says what became of the file: loaded,
 * unchanged, refused with its rejects (file, sheet, row, column, what is
 * allowed; nothing written), or passed over; with opt->notices_dir a
 * refused file gets its 退回说明.  0 then; -1 with err only when the run
 * cannot go on (no sample for the period, the database held by another
 * stage, a 退回说明 that cannot be written, an internal error). */
int verify_session_file(struct verify_session *s, const struct verify_input *in, struct verify_file *f,
			struct bangfu_err *err);
/* (f is filled whatever it held: verify_file_clear it after each file.) */

/* Every file in turn (opt->file_done after each), adding up sum.  -1 with
 * err when the run stopped; the files before stay as they were loaded. */
int verify_load(sqlite3 *db, const struct verify_options *opt, const struct verify_input *inputs, int ninputs,
		struct verify_summary *sum, struct bangfu_err *err);

/* The 退回说明 of a refused file, written whole into dir (created) as
 * 退回说明_NAME.xlsx (NAME: the file's name without its extension; `taken`
 * names already written this run, '\n'-separated, get _2, _3 ...): what the
 * file is, why it was refused, and a 问题清单 row per reject (sheet, row,
 * column, column name, what is wrong, what is allowed).  path gets the file
 * written; -1 with err. */
int verify_write_notice(const struct verify_file *f, const char *dir, const char *period, const char *taken,
			char *path, size_t pathsz, struct bangfu_err *err);

/* Count verdicts and write a re-verification workbook per flagged township. */
int verify_report(sqlite3 *db, const struct verify_options *opt, struct verify_summary *sum,
		  struct bangfu_err *err);

/* The name of a township's re-verification list (bangfu-pack finds them by it). */
void verify_list_name(const char *county, const char *township, const char *period, char *out, size_t outsz);

/* "A", "M", "AB": the letters of a 1-based column. */
void verify_column_letters(int col, char out[8]);

#endif
