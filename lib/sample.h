/* sample — the per-township call-back sample of a period's HR-platform
 * records (SPEC §6): the plan from templates/sampling.csv, a draw that is
 * the same on every machine for the same period, seed and data, and the
 * check sheets (one workbook per county, a sheet per township) the township
 * offices fill in.  Reading the returned sheets is verify's. */
#ifndef BANGFU_SAMPLE_H
#define BANGFU_SAMPLE_H

#include <sqlite3.h>
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

/* Draw (or keep) the period's sample, in one transaction. */
int sample_draw(sqlite3 *db, const struct sample_options *opt, const struct sample_plan *plan,
		struct sample_summary *sum, struct bangfu_err *err);

/* Write the check sheets for the period's sample into opt->out_dir. */
int sample_write_sheets(sqlite3 *db, const struct sample_options *opt, struct sample_summary *sum,
			struct bangfu_err *err);

#endif
