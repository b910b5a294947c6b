/* checklist — the special-action work checklist (专项行动工作清单,
 * 湘人社函〔2020〕58号 四、五): the tasks of a tasks template
 * (templates/tasks_2020.csv), each task's status per county judged against
 * its deadline and the as-of date — from a metric computed out of the
 * database where the data can measure the task, else from the counties'
 * --status report — and the workbook: 汇总 (tasks × 市州), a sheet per 市州
 * (tasks × counties), 问题清单 (the ledger's counts per county), one sheet
 * per county itemising its ledger (问题台账), and 说明; with ledger_dir, the
 * 销号台账 CSV of every county (checklist_ledger.c).
 *
 * Not here: finding the problems and deriving the ledger (etl/findings.c):
 * the checklist only reads them, as they stood after the period.
 *
 * The command bangfu-checklist (cmd_checklist, bangfu.h) is in checklist.c, after the work. */
#ifndef BANGFU_CHECKLIST_H
#define BANGFU_CHECKLIST_H

#include <sqlite3.h>

#include "msg.h"

enum checklist_status { CL_DONE, CL_ONGOING, CL_NOT_STARTED, CL_OVERDUE, CL_NSTATUS };

/* 已完成 进行中 未开始 逾期 */
const char *checklist_status_label(enum checklist_status s);

struct checklist_options {
	const char *period;      /* YYYY-MM, reconciled */
	const char *as_of;       /* YYYY-MM-DD: the day the statuses are judged on */
	const char *tasks_path;  /* NULL: templates/tasks_2020.csv */
	const char *status_path; /* NULL: no county reports */
	const char *out_path;    /* the workbook */
	const char *unit;        /* 填报单位; NULL or "": none */
	const char *ledger_dir;  /* NULL: no 销号台账 CSV; else one per county here */
	int full_id;             /* 销号台账: whole ID numbers (default: masked) */
};

/* A bad row of the tasks template or the --status file. */
struct checklist_reject {
	char file[512];
	long line, column;
	char reason[512];
};

struct checklist_summary {
	char action[256];             /* the tasks' document, e.g. 湘人社函〔2020〕58号 */
	char tasks_path[1024];
	long tasks, rows, counties, cities, reports;
	long status[CL_NSTATUS];      /* task × county statuses */
	long problems_open, problems_overdue, problems_opened_now, problems_closed_now, problems_closed;
	long ledger_files;            /* 销号台账 CSV written */
	struct checklist_reject *rejects; /* nrejects; checklist_summary_free() */
	long nrejects;
};

void checklist_summary_free(struct checklist_summary *sum);

/* Judge every task and write the workbook (and the 销号台账 CSV) atomically
 * (mode 0600), from the findings and the ledger as they stood after the
 * period, as of opt->as_of.  Bad rows of the tasks template or the --status
 * file: all listed in sum->rejects, nothing written, -1 with ERR_INPUT.  No
 * reconcile result for the period, or findings older than its reconcile or
 * township checks: -1 with ERR_INPUT.  The database is only read. */
int checklist_run(sqlite3 *db, const struct checklist_options *opt, struct checklist_summary *sum,
		  struct bangfu_err *err);

#endif
