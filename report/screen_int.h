/* screen_int — what the parts of bangfu-screen share beyond screen.h:
 *
 *   screen_rules.c  the rules template: reading and checking it, the
 *                   sandbox its predicates compile in, labels, when a rule
 *                   is in force;
 *   screen_eval.c   the period's persons through the predicates of every
 *                   rule in force: status, evidence, reason, amount, into
 *                   subsidy_candidate;
 *   screen.c        the run in one transaction, the county and province
 *                   workbooks, and the command. */
#ifndef BANGFU_SCREEN_INT_H
#define BANGFU_SCREEN_INT_H

#include "screen.h"

/* Index of v in list[0..n-1], or -1. */
int screen_index_of(const char *v, const char *const *list, int n);
/* The last day of a period "YYYY-MM". */
void screen_period_end(const char *period, int *y, int *m, int *d);

/* The sandbox: while a predicate's statement is prepared, the authorizer
 * allows reading the columns of v_screen_person (recorded in reads), what
 * the view itself does, and the functions of SCREEN_FUNCTIONS; anything
 * else is denied and said in denied. */
struct screen_sandbox {
	unsigned long long reads;
	char denied[512];
	int offset; /* sqlite3_error_offset of a failure, -1 when none */
};
int screen_authorize(void *ctx, int action, const char *a, const char *b, const char *dbname, const char *origin);
/* Prepare sql (one read-only statement, at most one parameter, nothing
 * after it) with the authorizer in place; -1 with sb->denied filled. */
int screen_sandbox_prepare(sqlite3 *db, const char *sql, struct screen_sandbox *sb, sqlite3_stmt **out);

#endif
