/* checklist_int — what the two parts of bangfu-checklist share, and nothing
 * the other stages need (their interface is checklist.h):
 *
 *   checklist.c         the tasks, their metrics and statuses per county,
 *                       the workbook and the command;
 *   checklist_ledger.c  the ledger (挂单销号) as it stood after the period,
 *                       judged on the as-of day: 问题清单 (counts per
 *                       county), a 问题台账 sheet per county itemising its
 *                       items, and the 销号台账 CSV per county.
 *
 * Both read temp.ledger_asof, which findings_as_of() fills once per run. */
#ifndef BANGFU_CHECKLIST_INT_H
#define BANGFU_CHECKLIST_INT_H

#include <sqlite3.h>

#include "checklist.h"
#include "msg.h"
#include "outputs.h"
#include "xlsx.h"

struct checklist_county {
	char *city, *county;
};

/* The counts of 问题清单, per county. */
enum { LC_OPEN, LC_OVERDUE, LC_NEW, LC_CLOSED_NOW, LC_CLOSED_ALL, LC_KIND0 };
/* The kinds counted apart: the data's, then every external list together. */
#define LC_KINDS 9
#define LC_N (LC_KIND0 + LC_KINDS)

struct checklist_ledger {
	sqlite3 *db;
	const struct checklist_options *opt;
	struct checklist_summary *sum;
	const struct checklist_county *counties; /* in GB/T 2260 order */
	int ncounties;
	char *const *cities;
	int ncities;
	long *counts;      /* ncounties × LC_N */
	char prev_end[11]; /* "this period" (本期) is after the last day of the month before, */
	char end[11];      /* up to the period's last day */
};

/* The counts of every county (and the summary's totals). */
int checklist_ledger_count(struct checklist_ledger *l, struct bangfu_err *err);
/* 问题清单: the counts per county, 市州 subtotals and a 合计. */
void checklist_ledger_counts_sheet(struct checklist_ledger *l, struct xlsx_book *b);
/* A 问题台账 sheet per county with items: the open ones and those closed
 * since the month before, sortable and filtered by status, kind and 逾期.
 * No names, ID numbers or phones. */
int checklist_ledger_item_sheets(struct checklist_ledger *l, struct xlsx_book *b, struct bangfu_err *err);
/* 销号台账_市州_县市区_期.csv per county with items into opt->ledger_dir:
 * every item, the closed ones of earlier months too. */
int checklist_ledger_csv(struct checklist_ledger *l, struct outputs *outs, struct bangfu_err *err);
void checklist_ledger_free(struct checklist_ledger *l);

/* A place's name, or what to print when it is empty ("（未填县市区）"). */
const char *checklist_shown(const char *s, const char *empty);

#endif
