/* ledger — bangfu-ledger: what comes into the ledger (挂单销号) from outside
 * the data.  External problem lists (回头看, 联点督查, 12317 投诉, 其他; CSV in
 * any encoding csvin reads, or xlsx) become ledger items that only a
 * township's return can close; the township work lists of a period
 * (乡镇工作清单, written by bangfu-report --townships) come back with
 * 整改情况, 整改日期, 经办人 … filled in, and are recorded as returns.
 *
 * A returned list is read as the check sheets are: every row checked
 * against the items the period's lists carried (by 问题编号; the IDs there
 * are masked), headers found by name or where the list was sent with them,
 * a file read no further than its items could fill, and a file all or
 * nothing — one county's bad file never blocks another's.  A file is known
 * by its name and the counties its rows belong to: loading it again
 * replaces the returns it gives again.  Rejects name the file, sheet, row
 * and column and what is allowed, never a cell's content.
 *
 * The columns of the work list, which bangfu-report writes and this stage
 * reads back, are defined here (LEDGER_WORK_*).
 *
 * Not here: the findings and the derivation of the ledger (findings.c), the
 * lists themselves (report_townships.c, checklist_ledger.c).
 *
 * The command bangfu-ledger (cmd_ledger, bangfu.h) is in ledger.c, after the work. */
#ifndef BANGFU_LEDGER_H
#define BANGFU_LEDGER_H

#include <sqlite3.h>

#include "msg.h"

/* The columns of a township work list, in order. */
enum {
	LW_NO, LW_CODE, LW_KIND, LW_NAME, LW_ID, LW_PHONE, LW_VILLAGE, LW_HOUSEHOLD, LW_DETAIL, LW_ACTION, LW_UNIT,
	LW_DEADLINE, LW_DAYS, LW_STATE, LW_PERSON, LW_HELPER, LW_STATUS, LW_DATE, LW_HANDLER, LW_NOTE, LW_N
};
struct ledger_work_column {
	const char *label;
	double width;
};
extern const struct ledger_work_column LEDGER_WORK_COLUMNS[LW_N];
/* The choices of 整改情况 (NULL-terminated), as the drop-down offers them. */
extern const char *const LEDGER_RETURN_CHOICES[];
/* What the 整改情况 cell of an item closed since last month says. */
#define LEDGER_CLOSED_MARK "已销号"

/* Rejects kept with their place; beyond them only counted. */
#define LEDGER_REJECTS_KEPT 1000

/* A returned file: where to read it, its name in messages, and whether it
 * was found in a folder of returns (bangfu-ledger --from), where files that
 * are no work list (check sheets, 填报说明) are passed over. */
struct ledger_input {
	const char *path;
	const char *shown; /* NULL: the path's last component */
	int found;
};

struct ledger_options {
	const char *period;         /* the work lists' period (reconciled) */
	const char *source;         /* problem lists without 问题来源: lookback, inspection, hotline, feedback; or NULL */
	const char *const *problem_files;
	int nproblem_files;
	const struct ledger_input *returns;
	int nreturns;
};

/* A rejected row, or a whole file (row 0).  Never the cell's content. */
struct ledger_reject {
	char file[256];
	char sheet[128]; /* "" for CSV */
	long row;        /* 0: about the whole sheet or file */
	int col;         /* 1-based column, 0: about the row */
	char label[64];  /* the column's name, when col > 0 */
	char reason[384];
};

struct ledger_summary {
	long problem_files, problem_files_unchanged, problem_rows, problems_new, problems_updated;
	long return_files, return_files_unchanged, passed_over, rows_read, blank_rows, returns, done, ongoing, unable,
		kept;
	long files_rejected;
	int committed;                 /* the files not rejected are loaded */
	struct ledger_reject *rejects; /* the first LEDGER_REJECTS_KEPT */
	long nkept_rejects, nrejects;
	int stopped;                   /* a file was read only so far: */
	struct ledger_reject stop;     /* where, and why */
	long open, overdue, closed;    /* the ledger after the run, on today's date */
};

void ledger_summary_free(struct ledger_summary *sum);

/* Bring the period's findings up to date when they are stale, load the
 * problem lists and the returned work lists, each file all or nothing, and
 * derive the ledger anew; one transaction, taken before anything is read.
 * 0 when every file loaded; -1 with err when one was rejected (the others
 * are loaded: sum->rejects says why, sum->files_rejected how many) or when
 * the run failed as a whole (nothing loaded). */
int ledger_load(sqlite3 *db, const struct ledger_options *opt, struct ledger_summary *sum, struct bangfu_err *err);

#endif
