/* verify — the check sheets as townships return them (xlsx saved by Excel or
 * LibreOffice, or CSV in any encoding csvin reads): every row validated
 * against the period's sample, all files of a run loaded together or not at
 * all, and the re-verification lists (重新校准清单) for the townships the 90%
 * rule flags.  The per-township verdict itself is the view v_township_check. */
#ifndef BANGFU_VERIFY_H
#define BANGFU_VERIFY_H

#include <sqlite3.h>

#include "msg.h"

struct verify_options {
	const char *period;
	const char *out_dir; /* re-verification lists; NULL: none written */
	int full_id;
};

struct verify_reject {
	char file[256];
	char sheet[128];
	long row;
	char reason[384];
};

struct verify_summary {
	long files, files_unchanged, rows_read, answers, blank_rows;
	long townships_checked, pass, recalibrate, undecided, lists_written;
	struct verify_reject *rejects; /* nrejects of them; verify_summary_free() */
	long nrejects;
};

void verify_summary_free(struct verify_summary *sum);

/* Load the files.  When any row is rejected, sum->rejects lists every one
 * (file, sheet, row, reason), nothing is written, and -1 is returned with
 * err saying how many. */
int verify_load(sqlite3 *db, const struct verify_options *opt, char **files, int nfiles,
		struct verify_summary *sum, struct bangfu_err *err);

/* Count verdicts and write a re-verification workbook per flagged township. */
int verify_report(sqlite3 *db, const struct verify_options *opt, struct verify_summary *sum,
		  struct bangfu_err *err);

#endif
