/* changes — what changed for each person between a reconciled period and
 * the latest earlier one (person_change, schema/002 and 016): newly
 * employed, became unemployed, newly returned (返乡回流), new in / gone from
 * the roster or the HR platform, and a roster ID corrected (or damaged)
 * between the months, which is one change of one person and neither a new
 * nor a gone one.  Part of bangfu-reconcile's transaction, after the
 * period's persons are written.
 *
 * Not here: the persons themselves (reconcile.c), and showing the changes
 * (the views v_change and v_change_township; the report's 本月变动). */
#ifndef BANGFU_CHANGES_H
#define BANGFU_CHANGES_H

#include <sqlite3.h>

#include "msg.h"

/* Insert the changes of period against previous (both reconciled: the
 * period's persons written, the previous one's kept) into person_change,
 * whose rows of period the caller has deleted.  Needs the SQL function
 * bf_name (reconcile_register_functions).  0, or -1 with err. */
int changes_compute(sqlite3 *db, const char *period, const char *previous, struct bangfu_err *err);

/* 1 when the first 17 digits of two 18-character IDs differ in one digit,
 * or by two neighbours swapped: one typing slip apart, whatever the check
 * characters. */
int changes_ids_near(const char *a, const char *b);

#endif
