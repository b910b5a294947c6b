/* screen_int — what the parts of bangfu-screen share beyond screen.h:
 *
 *   screen_rules.c  the rules template: loading and checking it, labels,
 *                   when a rule is in force, months in post;
 *   screen_eval.c   one rule against one person's facts (three-valued);
 *   screen.c        the period's persons through every rule in force into
 *                   subsidy_candidate, the county and province workbooks,
 *                   and the command. */
#ifndef BANGFU_SCREEN_INT_H
#define BANGFU_SCREEN_INT_H

#include "screen.h"

/* The work-region classes a condition may name, in the order of the
 * SCREEN_REGION_* bits. */
extern const char *const SCREEN_REGIONS[3];

/* Index of v in list[0..n-1], or -1. */
int screen_index_of(const char *v, const char *const *list, int n);
/* The last day of a period "YYYY-MM". */
void screen_period_end(const char *period, int *y, int *m, int *d);

#endif
