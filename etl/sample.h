/* sample — the per-township call-back sample of a period's HR-platform
 * records (SPEC §6): the plan from templates/sampling.csv, a draw that is
 * the same on every machine for the same period, seed and data, and the
 * check sheets (one workbook per county, a sheet per township) the township
 * offices fill in.  Reading the returned sheets is verify's.
 *
 * The command bangfu-sample (cmd_sample, bangfu.h) is in sample.c, after the work. */
#ifndef BANGFU_SAMPLE_H
#define BANGFU_SAMPLE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

struct sample_plan {
	long sample_size;   /* per township; all when fewer */
	long min_answered;  /* answers (accurate + inaccurate) needed for a verdict */
	double threshold;   /* accuracy below this: recalibrate */
	double confidence;  /* of the Wilson interval */
	char path[1024];
};

struct sample_options {
	const char *period;
	uint64_t seed;
	int seed_given;     /* else: the seed stored for the period, or one made from the period */
	const char *out_dir;
	int full_id;        /* print whole ID numbers (default: masked) */
};

struct sample_summary {
	uint64_t seed;
	int redrawn;        /* 0: the period's sample already existed with this seed */
	long townships, sampled, pool, workbooks;
};

int sample_plan_load(struct sample_plan *plan, struct bangfu_err *err);

/* Draw (or keep) the period's sample and write its check sheets into
 * opt->out_dir (created with its parents), in one transaction: when any
 * part fails, -1 with err, the database is as it was and no workbook is
 * left behind.  A period without HR-platform persons is an error. */
int sample_run(sqlite3 *db, const struct sample_options *opt, const struct sample_plan *plan,
	       struct sample_summary *sum, struct bangfu_err *err);

/* The local day the period's sample was drawn (sample_plan.drawn_at is UTC):
 * 1 with out filled, 0 when the period has no sample, -1 with err. */
int sample_drawn_date(sqlite3 *db, const char *period, char out[11], struct bangfu_err *err);

/* The name of a township's check sheet (before "(2)" when two townships of
 * a county share it): verify recognises its sheets by it. */
void sample_sheet_name(const char *township, char *out, size_t outsz);

/* The check sheet's header row as bangfu-sample writes it (row 3, from
 * column A): fills labels (up to max) and returns the number of columns.
 * verify finds a column whose header a clerk edited by this position. */
int sample_sheet_header(const char *labels[], int max);

#endif
