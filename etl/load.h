/* load — one input file into the database for one period and source, in one
 * transaction: every record loaded or rejected with its place and reason, the
 * file recorded with its SHA-256 and counts.  bangfu-ingest is a loop over
 * this.  Reading and decoding are csvin's; ID rules are idno's.
 *
 * The command bangfu-ingest (cmd_ingest, bangfu.h) is ingest.c. */
#ifndef BANGFU_LOAD_H
#define BANGFU_LOAD_H

#include <sqlite3.h>
#include <stdio.h>

#include "msg.h"
#include "tmpl.h"

struct load_options {
	const char *period;   /* YYYY-MM */
	const char *source;   /* "roster" or "hr" */
	const char *encoding; /* NULL: detect */
	int replace;          /* replace a loaded file of the same name */
	int force;            /* load a file already loaded for another period */
	const struct tmpl_columns *columns;
};

enum load_outcome {
	LOAD_DONE,           /* loaded */
	LOAD_ALREADY,        /* the same content is already loaded: nothing done */
};

struct load_summary {
	enum load_outcome outcome;
	char file_name[256];
	char already_as[256];  /* for LOAD_ALREADY: the loaded file's name */
	char encoding[40];
	char delimiter;
	long header_line;
	long rows_read, rows_loaded, rows_rejected, warnings;
	int replaced;
	char sha256[65];
};

/* Returns 0 (see sum->outcome) or -1 with err; on -1 the database is as it was. */
int load_file(sqlite3 *db, const char *path, const struct load_options *opt, struct load_summary *sum,
	      struct bangfu_err *err);

/* The period's loaded files (source NULL: both sources), one line each on
 * out: source, name, SHA-256, rows read / loaded / rejected, when. */
int load_list(sqlite3 *db, const char *period, const char *source, FILE *out, struct bangfu_err *err);

/* Take a loaded file's rows, rejects and warnings out of the database: the
 * file of the period named `what` (its name, or the first hex digits of its
 * SHA-256, at least 8).  Fills name with the file's name and *later with
 * the stages that had used it (a mask of LOAD_STAGE_*). */
enum { LOAD_STAGE_RECONCILE = 1, LOAD_STAGE_SAMPLE = 2, LOAD_STAGE_SCREEN = 4 };
int load_remove(sqlite3 *db, const char *period, const char *what, char name[256], int *later,
		struct bangfu_err *err);

/* SHA-256 of a file as hex (65 bytes). */
int load_sha256_file(const char *path, char hex[65], struct bangfu_err *err);

#endif
