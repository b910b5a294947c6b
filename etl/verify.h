/* verify — the check sheets as townships return them (xlsx saved by Excel or
 * LibreOffice, or CSV in any encoding csvin reads): every row validated
 * against the period's sample, all files of a run loaded together or not at
 * all, and the re-verification lists (重新校准清单) for the townships the 90%
 * rule flags.  The per-township verdict itself is the view v_township_check.
 *
 * An answer belongs to its sample item (抽查编号), never to a file name: a
 * returned file is known by its name and the counties its rows belong to,
 * and loading it again replaces only the answers it gives again.
 *
 * The command bangfu-verify (cmd_verify, bangfu.h) is in verify.c, after the work. */
#ifndef BANGFU_VERIFY_H
#define BANGFU_VERIFY_H

#include <sqlite3.h>

#include "msg.h"

/* Rejects kept with their place; beyond them only counted. */
#define VERIFY_REJECTS_KEPT 1000

struct verify_options {
	const char *period;
	const char *out_dir; /* re-verification lists; NULL: none written */
	int full_id;         /* whole ID numbers and phones in the lists (default: masked) */
};

/* A rejected row.  Never the cell's content: the place, the column and what
 * is allowed. */
struct verify_reject {
	char file[256];
	char sheet[128]; /* "" for CSV */
	long row;        /* 0: about the whole sheet or file */
	int col;         /* 1-based column, 0: about the row */
	char label[64];  /* the column's name, when col > 0 */
	char reason[384];
};

/* Sampled persons of a township that have no row in a returned file that
 * holds the township's other rows (rows deleted from the sheet). */
struct verify_gap {
	char file[256];
	char place[256]; /* 县市区乡镇 */
	long missing, sampled;
	char codes[256]; /* the first of them, "…" when more */
};

/* Earlier answers of a file that its new version no longer gives: kept. */
struct verify_kept {
	char file[256];
	long answers;
};

struct verify_summary {
	long files, files_unchanged, rows_read, answers, blank_rows;
	long townships_checked, pass, recalibrate, undecided, lists_written;
	struct verify_reject *rejects; /* the first VERIFY_REJECTS_KEPT */
	long nkept_rejects, nrejects;  /* kept, and all */
	int stopped;                   /* a file was read only so far: */
	struct verify_reject stop;     /* where, and why */
	struct verify_gap *gaps;
	long ngaps;
	struct verify_kept *kept;
	long nkept;
};

void verify_summary_free(struct verify_summary *sum);

/* Load the files, in one transaction taken before anything is read (a
 * second verify waits for it, then sees what the first loaded).  When any
 * row is rejected, sum->rejects lists them (file, sheet, row, column,
 * reason), nothing is written, and -1 is returned with err saying how many.
 * A file with more rows than the period's sample is read only so far: its
 * last reject says where reading stopped. */
int verify_load(sqlite3 *db, const struct verify_options *opt, char **files, int nfiles,
		struct verify_summary *sum, struct bangfu_err *err);

/* Count verdicts and write a re-verification workbook per flagged township. */
int verify_report(sqlite3 *db, const struct verify_options *opt, struct verify_summary *sum,
		  struct bangfu_err *err);

/* "A", "M", "AB": the letters of a 1-based column. */
void verify_column_letters(int col, char out[8]);

#endif
