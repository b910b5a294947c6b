/* reconcile — join a period's roster and HR-platform rows by ID number and
 * classify every person (SPEC §5): categories, conflicting fields, proposed
 * ID repairs, duplicates, month-over-month changes, zero-employment
 * households.  The work is set operations in SQLite; the comparison rules
 * are compare.c's, registered as SQL functions.  Replaces the period's
 * results in one transaction.
 *
 * The command bangfu-reconcile (cmd_reconcile, bangfu.h) is in reconcile.c, after the work. */
#ifndef BANGFU_RECONCILE_H
#define BANGFU_RECONCILE_H

#include <sqlite3.h>

#include "msg.h"
#include "services.h"
#include "tmpl.h"

enum reconcile_category {
	RC_CONSISTENT,
	RC_CONFLICT,
	RC_ROSTER_ONLY,
	RC_HR_ONLY,
	RC_INVALID_ID,
	RC_DUPLICATE,
	RC_NCATEGORIES
};

struct reconcile_summary {
	char previous_period[8]; /* "" when there is none */
	long roster_rows, hr_rows, persons;
	long category[RC_NCATEGORIES];
	long duplicate_extra_rows; /* rows beyond the first of a duplicated ID */
	long conflicts, repairs, zero_households, changes;
	struct services_summary services; /* the service records of the 12 months (services.h) */
	/* values of 户类型 / 人员类别, 是否易地搬迁, 培训意愿 that
	 * templates/population_values.csv does not list (kept as unknown) */
	long unknown_values;
	char unknown_examples[256];
	int key_counties; /* counties on templates/key_counties.csv */
};

/* Code ("consistent") and Chinese label ("一致", labels.c) of a category. */
const char *reconcile_category_code(enum reconcile_category c);
const char *reconcile_category_label(enum reconcile_category c);

/* Register bf_name, bf_employer, bf_phone, bf_employed, bf_gender and
 * bf_region on a connection. */
int reconcile_register_functions(sqlite3 *db, struct bangfu_err *err);

/* Refused (ERR_INPUT) when the period's files changed since a sample was
 * drawn from its persons, unless resample: then the sample and its answers
 * are dropped. */
int reconcile_period(sqlite3 *db, const char *period, const struct tmpl_policy *policy, int resample,
		     struct reconcile_summary *sum, struct bangfu_err *err);

#endif
