/* services — the employment services (就业服务) of a reconciled period:
 * the service records (service_row, bangfu-ingest --source service) of
 * the 12 months to the period's end linked to the period's persons by ID
 * (a record whose ID is invalid takes the repair reconcile proposed for
 * that ID, where there is exactly one), and per person who wants work,
 * returned or wants training what they got (service_person, service_run;
 * schema/019).  Part of bangfu-reconcile's transaction, after the persons
 * and the repairs are written.
 *
 * What counts is in the templates: templates/service_values.csv (the texts
 * of each service type, channel and outcome) and
 * templates/service_policy.csv (the days a hire may follow a job message,
 * the match rate below which an area is flagged).  The measures themselves
 * are the views of schema/019 (v_service_person, v_service_area). */
#ifndef BANGFU_SERVICES_H
#define BANGFU_SERVICES_H

#include <sqlite3.h>

#include "msg.h"

struct services_summary {
	long records;      /* service records dated in the 12 months */
	long linked;       /* of them, of a person of the period by a valid ID */
	long repaired;     /* … by a proposed ID repair */
	long unmatched;    /* … of no person */
	long unknown_type; /* … of a type the template does not name */
	int weeks;         /* the period's weeks */
	long ledger_rows;  /* the period's county e-ledgers (--source ledger) */
	long posts_rows;   /* its 公益性岗位花名册 (--source posts) */
	long counties, ledger_late; /* the period's counties; of them without an e-ledger by the due day */
	int due_day;
};

/* Compute the period's services (replacing its earlier result).  The
 * period's person and repair rows must be written.  0, or -1 with err. */
int services_compute(sqlite3 *db, const char *period, struct services_summary *sum, struct bangfu_err *err);

/* The period's weeks: Monday to Sunday, each counted in the month that
 * holds its Thursday.  Fills the first Monday and the last Sunday
 * (YYYY-MM-DD) and returns how many. */
int services_weeks(const char *period, char from[16], char to[16]);

#endif
