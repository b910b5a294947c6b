/* screen — subsidy screening by data comparison (政策应享尽享, 湘人社函〔2020〕58号
 * 四(二)3(2)): which reconciled persons meet the conditions of which
 * employment-assistance subsidy, with the evidence and the amount.
 *
 * The policy is data.  templates/subsidy_rules.csv holds one row per
 * subsidy and policy period; a rule names its populations and its
 * conditions, each an SQL predicate over the one per-person view
 * v_screen_person (schema/013, docs/bangfu-screen.md).  SQLite evaluates the
 * predicates under an authorizer (sqlite3_set_authorizer) that allows
 * reading that view and a whitelist of functions, nothing else: no writes,
 * no other table, no ATTACH, no PRAGMA, no subquery.  A predicate is
 * three-valued: true, false (the person is not listed), or NULL — the data
 * cannot tell — which lists the person as 待核实 naming the condition.
 *
 * Three layers, so that each can be tested:
 *   - the template (screen_rules.c): reading it, splitting the conditions,
 *     and checking every predicate against the view in the sandbox
 *     (screen_rules_check), errors at the rule file's line and column;
 *   - evaluation (screen_eval.c): one statement over the view for the
 *     period, then for each person and rule in force the status, the
 *     evidence, the reason and the amount (screen_compute);
 *   - screen_run() (screen.c): the period's rows of subsidy_candidate in one
 *     transaction, and the county and province workbooks.
 *
 * The command bangfu-screen (cmd_screen, bangfu.h) is in screen.c, after the work. */
#ifndef BANGFU_SCREEN_H
#define BANGFU_SCREEN_H

#include <sqlite3.h>

#include "msg.h"

#define SCREEN_LIST_MAX 8     /* unverified conditions of a rule */
#define SCREEN_CLAUSES_MAX 12 /* conditions of a rule, its populations included */
#define SCREEN_TEXT 512

enum screen_recipient { SCREEN_PERSON, SCREEN_EMPLOYER, SCREEN_AGENCY };
enum screen_unit { SCREEN_UNIT_ONCE, SCREEN_UNIT_MONTH, SCREEN_UNIT_YEAR, SCREEN_UNIT_DAY };
enum screen_limit { SCREEN_LIMIT_NONE, SCREEN_LIMIT_ONCE_PER_YEAR, SCREEN_LIMIT_ONCE };
/* Who lists a candidate: the person's county, or — for a subsidy paid from
 * the funds of 用人单位所在地 — the employer's: the county when the employer
 * is in the person's county, the province when elsewhere in Hunan. */
enum screen_listed_by { SCREEN_LISTED_HOME, SCREEN_LISTED_EMPLOYER };

/* Populations as bits (person.population codes). */
enum {
	SCREEN_POP_EXITED = 1,     /* exited 脱贫人口 */
	SCREEN_POP_MONITORED = 2,  /* monitored 防止返贫监测对象 */
	SCREEN_POP_LOW_INCOME = 4, /* low_income 农村低收入人口 */
	SCREEN_POP_OTHER = 8,      /* other */
	SCREEN_POP_ALL = 16        /* anyone, the unknown too: no population condition */
};

/* One condition: what it says, and its predicate. */
struct screen_clause {
	char label[192];           /* "在岗满12个月"; the predicate itself when the template gives none */
	char sql[1024];
	int offset;                /* its first character in the conditions cell, 1-based */
	unsigned long long reads;  /* the view columns it reads (bits of screen_view_column) */
};

struct screen_rule {
	char id[64];
	char subsidy[128];
	char document[96];
	char article[64];
	enum screen_recipient recipient;
	unsigned populations;             /* SCREEN_POP_* */
	char populations_label[128];      /* 脱贫人口、防止返贫监测对象; 不限 */
	struct screen_clause clause[SCREEN_CLAUSES_MAX]; /* the population condition first */
	int nclauses;
	unsigned long long reads;         /* every clause's */
	char unverified[SCREEN_LIST_MAX][160]; /* conditions the data cannot establish */
	int nunverified;
	int has_amount;
	double amount;                    /* yuan per unit */
	enum screen_unit unit;
	int max_months;                   /* per-month amounts: at most this many months; 0 = no cap */
	enum screen_limit limit;
	char standard[160];               /* 补贴标准 as the template words it; "" = from the amount */
	char fund[128];                   /* 资金渠道, e.g. 就业专项资金 */
	enum screen_listed_by listed_by;
	char valid_from[11], valid_to[11]; /* ISO dates, inclusive */
	char source_text[SCREEN_TEXT];
	char note[SCREEN_TEXT];
	long line;                        /* of the template */
	int conditions_column;            /* 1-based, for messages */
};

struct screen_rules {
	struct screen_rule *v;
	int n;
	char path[1024];
};

/* Read a rules file: every column checked, the conditions split into
 * clauses and checked for what a predicate may not hold (a subquery, a
 * parameter, parentheses that do not close).  Every bad row is an error
 * naming file, line and column (ERR_INPUT); nothing is loaded then. */
int screen_rules_load(const char *path, struct screen_rules **out, struct bangfu_err *err);
void screen_rules_free(struct screen_rules *rules);
/* Compile every predicate against v_screen_person in the sandbox, and learn
 * which columns each reads.  A predicate that does not parse, names what is
 * not a column of the view, calls a function off the whitelist or reaches
 * anything else is an error at the rule's line and the conditions column,
 * the message naming the condition and the character (ERR_INPUT). */
int screen_rules_check(sqlite3 *db, struct screen_rules *rules, struct bangfu_err *err);

/* The columns of v_screen_person a predicate may read, and how a list shows
 * them; index = bit of screen_clause.reads.  -1 for a name not among them. */
struct screen_view_column {
	const char *name;
	const char *label;  /* 人员类别 */
	int shown;          /* 0: personal (ID, name, birth date) or internal, never printed as evidence */
};
extern const struct screen_view_column SCREEN_VIEW_COLUMNS[];
extern const int SCREEN_VIEW_NCOLUMNS;
int screen_view_column(const char *name);
/* The functions a predicate may call. */
extern const char *const SCREEN_FUNCTIONS[];

/* Labels: 个人 / 用人单位 / 人力资源服务机构; 元/人 / 元/人·月 / 元/人·年 / 元/人·天. */
const char *screen_recipient_code(enum screen_recipient r);  /* "person", "employer", "agency" */
const char *screen_recipient_label(enum screen_recipient r); /* 个人, … (labels.c) */
const char *screen_unit_label(enum screen_unit u);
/* The standard column: the template's words, else "1000元/人·年",
 * "500元/人·月，最多6个月", or "文件未定金额". */
void screen_rule_standard(const struct screen_rule *rule, char *out, size_t outsz);
/* Whether a conflict in this compared field ("employer", "work_region", …)
 * touches the rule: a conflict in a field the rule reads keeps the person at
 * 待核实. */
int screen_rule_touches(const struct screen_rule *rule, const char *conflict_field);

/* 1 when the rule is in force on the last day of period (YYYY-MM). */
int screen_rule_in_force(const struct screen_rule *rule, const char *period);

enum screen_status { SCREEN_NO = 0, SCREEN_ELIGIBLE, SCREEN_VERIFY };

/* 符合 / 待核实 ("" for SCREEN_NO). */
const char *screen_status_label(enum screen_status s);

/* ---- the stage ---- */

struct screen_summary {
	char rules_path[4096];
	int rules_in_force;
	long persons, candidates, eligible, to_verify, province_listed;
	long county_books;
	char summary_path[4096];
};

/* Evaluate the rules in force (in_force[i] for rules->v[i]; checked with
 * screen_rules_check) for every person of the period and write
 * subsidy_candidate, inside the caller's transaction (the period's rows
 * deleted first).  persons counts those any rule could list. */
int screen_compute(sqlite3 *db, const char *period, const struct screen_rules *rules, const int *in_force,
		   struct screen_summary *sum, struct bangfu_err *err);

struct screen_options {
	const char *period;      /* YYYY-MM, reconciled */
	const char *out_dir;     /* the workbooks go here */
	const char *rules_path;  /* NULL: templates/subsidy_rules.csv */
	const char *unit;        /* 填报单位 of the province summary */
	int full_id;             /* whole ID numbers in the county workbooks */
};

/* Screen the period: replace its subsidy_candidate rows and write the
 * workbooks (temporary names, renamed when all are complete, after the
 * database commit).  ERR_INPUT for a bad rules file, a period without a
 * reconcile result or without rules in force, an unwritable directory;
 * nothing is written or changed then. */
int screen_run(sqlite3 *db, const struct screen_options *opt, struct screen_summary *sum, struct bangfu_err *err);

#endif
