/* problem — the special action's problem list (问题清单, 挂单销号): every
 * actionable finding of a period becomes an item with a stable key and the
 * unit that must act; a later period that no longer finds it closes it.
 *
 * Kinds and keys (the key is the same from month to month):
 *   not_entered     not_entered:ID            roster person not on the platform (county HR enters it)
 *   conflict        conflict:ID               the two sources differ (township re-checks)
 *   invalid_id      invalid_id:SRC:TEXT:COUNTY:TOWNSHIP:NAME
 *                                             an ID that cannot be matched (township corrects)
 *   duplicate       duplicate:ID              an ID more than once in one source (that office)
 *   zero_household  zero_household:COUNTY:HH  able household with nobody employed
 *   recalibrate     recalibrate:CITY:COUNTY:TOWNSHIP
 *                                             township below the 90% rule (redo calibration)
 *
 * Closing: an item is closed by the first later synced period that looked
 * where the item is (its county was in the data; for recalibrate, the
 * township got a check verdict) and did not find it.  A county missing from a
 * month's files, or a township not yet checked, closes nothing.
 *
 * Not here: drawing the problem list into a workbook (checklist.c and the
 * township workbooks read the table problem / view v_problem). */
#ifndef BANGFU_PROBLEM_H
#define BANGFU_PROBLEM_H

#include <sqlite3.h>

#include "msg.h"

struct problem_summary {
	long found;  /* items found in the period */
	long opened; /* of them new, or found again after being closed */
	long closed; /* items the period closed */
	long open;   /* items open after the sync (all periods) */
};

/* Record the period's findings and bring the table problem up to date.  Call
 * after each reconcile (and again after verify, for the townships to
 * recalibrate).  Idempotent; in one transaction (a savepoint when the caller
 * has one open).  ERR_INPUT when the period has no reconcile result. */
int problem_sync(sqlite3 *db, const char *period, struct problem_summary *sum, struct bangfu_err *err);

/* problem_sync unless the period was synced after its reconcile and with
 * the township verdicts as they are (reconcile and verify sync when they
 * finish); then *sum is the recorded sync's. */
int problem_sync_if_stale(sqlite3 *db, const char *period, struct problem_summary *sum, struct bangfu_err *err);

/* Fill the temporary table temp.problem_asof (same columns as problem) with
 * the list as it stood after `period`: what a report for that period shows,
 * even when later periods have been synced since. */
int problem_as_of(sqlite3 *db, const char *period, struct bangfu_err *err);

/* Chinese label of a kind ("conflict" → "信息不一致"); the code when unknown. */
const char *problem_kind_label(const char *kind);

#endif
