/* screen — subsidy screening by data comparison (政策应享尽享, 湘人社函〔2020〕58号
 * 四(二)3(2)): which reconciled persons meet the conditions of which
 * employment-assistance subsidy, with the evidence and the amount.
 *
 * Three layers, so the rules can be tested without a database:
 *   - the rules template (templates/subsidy_rules.csv): loading and checking
 *     it, one row per subsidy and policy period;
 *   - pure evaluation: months in post at a period's end, whether a rule is in
 *     force, and screen_evaluate() — one rule against one person's facts;
 *   - screen_run(): the period's persons from the database through every rule
 *     in force into subsidy_candidate (one transaction, replacing the
 *     period), and the county and province workbooks.
 * What the persons' facts are (categories, work-region class, labour age) is
 * reconcile's business; this module only reads them.
 *
 * The command bangfu-screen (cmd_screen, bangfu.h) is in screen.c, after the work. */
#ifndef BANGFU_SCREEN_H
#define BANGFU_SCREEN_H

#include <sqlite3.h>

#include "msg.h"

#define SCREEN_LIST_MAX 8   /* values of a condition, unverified conditions */
#define SCREEN_TEXT 512

enum screen_recipient { SCREEN_PERSON, SCREEN_EMPLOYER, SCREEN_AGENCY };
enum screen_unit { SCREEN_UNIT_ONCE, SCREEN_UNIT_MONTH, SCREEN_UNIT_YEAR };
enum screen_limit { SCREEN_LIMIT_NONE, SCREEN_LIMIT_ONCE_PER_YEAR, SCREEN_LIMIT_ONCE };

/* Work-region classes and reconciliation categories as bits. */
enum { SCREEN_REGION_OUT_PROVINCE = 1, SCREEN_REGION_OUT_COUNTY = 2, SCREEN_REGION_IN_COUNTY = 4 };
enum { SCREEN_CAT_CONSISTENT = 1, SCREEN_CAT_CONFLICT = 2 };

struct screen_rule {
	char id[64];
	char subsidy[128];
	char document[96];
	char article[64];
	enum screen_recipient recipient;
	unsigned regions;      /* work_region in ...; 0 = any */
	int min_months;        /* months >= N; -1 = no condition */
	char types[SCREEN_LIST_MAX][48]; /* employment_type in ... */
	int ntypes;            /* 0 = any */
	int labour_age;        /* labour_age = 是 */
	unsigned categories;   /* categories that may be 符合 (default consistent|conflict) */
	char unverified[SCREEN_LIST_MAX][160]; /* conditions the data cannot establish */
	int nunverified;
	int has_amount;
	double amount;         /* yuan per unit */
	enum screen_unit unit;
	int max_months;        /* per-month amounts: at most this many months; 0 = no cap */
	enum screen_limit limit;
	char valid_from[11], valid_to[11]; /* ISO dates, inclusive */
	char source_text[SCREEN_TEXT];
	char note[SCREEN_TEXT];
	long line;             /* of the template */
};

struct screen_rules {
	struct screen_rule *v;
	int n;
	char path[1024];
};

/* Load and check a rules file.  Every bad row is an error naming file, line
 * and column; the first is returned (ERR_INPUT) and nothing is loaded. */
int screen_rules_load(const char *path, struct screen_rules **out, struct bangfu_err *err);
void screen_rules_free(struct screen_rules *rules);

/* Labels: 个人 / 用人单位 / 人力资源服务机构; 元/人 / 元/人·月 / 元/人·年. */
const char *screen_recipient_code(enum screen_recipient r);  /* "person", "employer", "agency" */
const char *screen_recipient_label(enum screen_recipient r); /* 个人, … (labels.c) */
const char *screen_unit_label(enum screen_unit u);
/* "1000元/人·年", "500元/人·月，最多6个月", or "文件未定金额". */
void screen_rule_standard(const struct screen_rule *rule, char *out, size_t outsz);
/* The canonical fields the rule's conditions read ("employed,work_region,..."):
 * a conflict in one of them keeps a person at 待核实. */
int screen_rule_touches(const struct screen_rule *rule, const char *conflict_field);

/* 1 when the rule is in force on the last day of period (YYYY-MM). */
int screen_rule_in_force(const struct screen_rule *rule, const char *period);

/* Whole months in post from work_start to the end of period's last day (the
 * start day counts as worked: started 2025-05-01 → 6 months at 2025-10-31).
 * work_start is an ISO day, or a month (YYYY-MM: then *min_months and
 * *max_months are the counts for the month's last and first day).  Returns 0,
 * or -1 when work_start is no date or lies after the period. */
int screen_months_in_post(const char *work_start, const char *period, int *min_months, int *max_months);

/* What screen_evaluate() needs to know about one person; NULL = not known. */
struct screen_person {
	const char *category;        /* consistent conflict roster_only hr_only invalid_id duplicate */
	const char *conflicts;       /* comma-separated conflicting fields (not gender_id) */
	const char *employed;        /* 是 / 否 */
	const char *work_region;     /* 省外 / 省内县外 / 县内 */
	const char *work_place;      /* for the evidence */
	const char *employment_type;
	const char *work_start;      /* as loaded: ISO day, YYYY-MM or other text */
	const char *work_start_from; /* 省平台 / 扶贫系统 */
	const char *employer;
	const char *birth_date;
	int labour_age;              /* 1, 0, or -1 when it cannot be told */
	const char *earlier_period;  /* within the rule's limit, the period the person was screened before */
};

enum screen_status { SCREEN_NO = 0, SCREEN_ELIGIBLE, SCREEN_VERIFY };

/* 符合 / 待核实 ("" for SCREEN_NO). */
const char *screen_status_label(enum screen_status s);

struct screen_outcome {
	enum screen_status status;
	int months;              /* months in post used, -1 when not known */
	int has_amount;
	double amount;           /* yuan */
	char evidence[1024];     /* the field values that satisfy the rule */
	char reason[1024];       /* for 待核实: what is missing or disputed */
};

/* One rule against one person in a period.  SCREEN_NO when a condition the
 * data can establish fails (or the rule is not in force); SCREEN_VERIFY when
 * every known condition holds but something is missing, disputed, or cannot
 * be established from the data; SCREEN_ELIGIBLE otherwise. */
enum screen_status screen_evaluate(const struct screen_rule *rule, const char *period,
				   const struct screen_person *p, struct screen_outcome *out);

/* ---- the stage ---- */

struct screen_options {
	const char *period;      /* YYYY-MM, reconciled */
	const char *out_dir;     /* the workbooks go here */
	const char *rules_path;  /* NULL: templates/subsidy_rules.csv */
	const char *unit;        /* 填报单位 of the province summary */
	int full_id;             /* whole ID numbers in the county workbooks */
};

struct screen_summary {
	char rules_path[4096];
	int rules_in_force;
	long persons, candidates, eligible, to_verify;
	long county_books;
	char summary_path[4096];
};

/* Screen the period: replace its subsidy_candidate rows and write the
 * workbooks (temporary names, renamed when all are complete, after the
 * database commit).  ERR_INPUT for a bad rules file, a period without a
 * reconcile result or without rules in force, an unwritable directory;
 * nothing is written or changed then. */
int screen_run(sqlite3 *db, const struct screen_options *opt, struct screen_summary *sum, struct bangfu_err *err);

#endif
