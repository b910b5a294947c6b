/* findings — the one source of the special action's problems (问题清单,
 * 挂单销号): what the data finds, computed once per period after reconcile
 * and verify, and the ledger built on it, which every list renders — the
 * township work lists, the checklist's 问题清单 and 销号台账.  No stage finds
 * the problems again or builds their keys.
 *
 * Kinds of finding and their keys (the same from month to month):
 *   not_entered        not_entered:ID              roster person not on the platform (county HR enters it)
 *   conflict           conflict:ID                 the two sources differ (township re-checks)
 *   invalid_id         invalid_id:SRC:TEXT:COUNTY:TOWNSHIP:NAME
 *                                                  an ID that cannot be matched (township corrects)
 *   hr_only            hr_only:ID                  on the platform, not in the roster (county verifies)
 *   duplicate          duplicate:ID                an ID more than once in one source (that office)
 *   zero_household     zero_household:COUNTY:HH    able household with nobody employed
 *   became_unemployed  became_unemployed:ID        employed once, unemployed since (就业转失业)
 *   recalibrate        recalibrate:CITY:COUNTY:TOWNSHIP
 *                                                  township below the 90% rule (redo calibration)
 * and, loaded by bangfu-ledger from external lists, lookback (回头看),
 * inspection (联点督查), hotline (12317) and feedback (其他): key
 * external:KIND:... (etl/ledger.c).
 *
 * A finding is gone when the first later synced period that looked where it
 * is (its county was in the data; for recalibrate, the township got a check
 * verdict) did not find it.  A county missing from a month's files, or a
 * township not yet checked, closes nothing.
 *
 * The ledger: every item with its ledger code (问题编号, table ledger_code),
 * 责任单位, 责任人 (templates/contacts.csv, or the township's return), 挂单日期
 * (the last day of the month whose data found it; an external item's
 * 发现日期), 整改时限 (days by kind, templates/ledger_kinds.csv, or the
 * external list's own), and its closing: by the data (gone, 销号日期 the last
 * day of that month), by a township's return (已整改, 销号日期 its 整改日期), or
 * both, as the kind's closed_by says (data, return, either, both).  A return
 * of 已整改 that later data contradicts (the data of a month ending after the
 * 整改日期 still finds it) does not close the item: it is reopened with a
 * note.  The ledger is derived from the facts (problem_seen, problem_scope,
 * ledger_external, ledger_return, the rules), never updated in place, so a
 * re-run or a late month gives the same ledger.
 *
 * Not here: loading external lists and returns (etl/ledger.c, bangfu-ledger),
 * drawing the lists (report_townships.c, checklist.c). */
#ifndef BANGFU_FINDINGS_H
#define BANGFU_FINDINGS_H

#include <sqlite3.h>

#include "msg.h"

struct findings_summary {
	long found;  /* findings of the period */
	long opened; /* of them new, or found again after being closed */
	long closed; /* findings the period found gone */
	long open;   /* ledger items open now (all periods, every return) */
};

/* Record the period's findings and derive the problem list and the ledger
 * anew, with the templates as they are (ledger_kinds.csv, contacts.csv).
 * Call after each reconcile and after verify.  Idempotent; in one
 * transaction (a savepoint when the caller has one open).  ERR_INPUT when
 * the period has no reconcile result or a template row is wrong. */
int findings_sync(sqlite3 *db, const char *period, struct findings_summary *sum, struct bangfu_err *err);

/* 1 when the period's findings are up to date: synced no earlier than its
 * reconcile, with the township verdicts as they are, and the ledger's rules
 * in the database; 0 when not; -1 with err. */
int findings_fresh(sqlite3 *db, const char *period, struct bangfu_err *err);

/* findings_sync unless findings_fresh; then *sum is the recorded sync's. */
int findings_sync_if_stale(sqlite3 *db, const char *period, struct findings_summary *sum, struct bangfu_err *err);

/* Derive the ledger (table ledger_item) anew after external lists or
 * returns were loaded: the templates read again, codes given to new items.
 * In the caller's transaction. */
int findings_ledger_update(sqlite3 *db, struct bangfu_err *err);

/* The problem list and the ledger as they stood after the data of `period`,
 * with what was found outside the data and returned by the townships up to
 * `date` (YYYY-MM-DD): temp.problem_asof (the columns of problem) and
 * temp.ledger_asof (the columns of ledger_item), even when later periods
 * have been synced since.  Only temporary tables are written. */
int findings_as_of(sqlite3 *db, const char *period, const char *date, struct bangfu_err *err);

/* The items of the township work lists of `period` (乡镇工作清单), which
 * bangfu-report writes and bangfu-ledger reads back: the ledger as it stood
 * on the period's last day (findings_as_of), its open items and those
 * closed since the last day of the month before — temp.work_list, the
 * columns of ledger_item and listed_open (1 for an open item).  Only
 * temp.work_list is defined after it: when the stored ledger is the one
 * as of that day, it is read in place and temp.ledger_asof left alone. */
int findings_work_list(sqlite3 *db, const char *period, struct bangfu_err *err);

/* The last day of a month: "2020-04" → "2020-04-30". */
void findings_period_end(const char *period, char out[11]);
/* The month before: "2020-01" → "2019-12". */
void findings_period_before(const char *period, char out[8]);

/* A free text of the ledger (an external list's description, a township's
 * 整改说明) as a list that must not carry whole numbers prints it: every
 * run of seven or more digits — an ID number (with its X), a phone — masked
 * as idno masks them.  Appended to out. */
struct strbuf;
void findings_mask_text(const char *text, struct strbuf *out);

/* Chinese label of a kind ("conflict" → "信息不一致"); the code when unknown. */
const char *findings_kind_label(const char *kind);

#endif
