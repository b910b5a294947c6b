/* population — the templates that make populations and places dimensions of
 * every person: templates/population_values.csv (how the sources write a
 * person's population, relocation and training intent, each written form
 * mapped to one code) and templates/key_counties.csv (乡村振兴重点帮扶县 by
 * GB/T 2260 code; empty unless an office fills it from the official list).
 * bangfu-reconcile reads them once and gives each person its fields.  Not
 * here: what the fields are used for (reports, subsidy rules). */
#ifndef BANGFU_POPULATION_H
#define BANGFU_POPULATION_H

#include "msg.h"

/* The population codes; person.population holds them (NULL: unknown). */
#define POPULATION_EXITED "exited"         /* 脱贫人口 */
#define POPULATION_MONITORED "monitored"   /* 防止返贫监测对象 */
#define POPULATION_LOW_INCOME "low_income" /* 农村低收入人口 */
#define POPULATION_OTHER "other"           /* none of the three */

struct population_tables;

/* Both templates, checked: known fields and codes, each written form once,
 * key counties that exist in GB/T 2260 with the names given.  ERR_INPUT
 * naming file, line and column. */
int population_tables_load(struct population_tables **out, struct bangfu_err *err);
void population_tables_free(struct population_tables *t);

/* The code of a written value of field ("population", "relocated",
 * "training_intent"), spaces around ignored; NULL for an empty value or one
 * the template does not list (which is remembered, see below). */
const char *population_code(struct population_tables *t, const char *field, const char *value);

/* The written values the template did not list, for the stage's message:
 * "population '一般困难户' ×3, relocated '待定' ×1" (at most a few), and how
 * many values in all. */
long population_unknown(const struct population_tables *t, char *out, size_t outsz);

/* 1 when the county (6-digit code) is on the key-county list, 0 when not,
 * -1 when the list is empty (then nobody is known to be in a key county). */
int population_key_county(const struct population_tables *t, int county_code);
int population_key_county_count(const struct population_tables *t);

#endif
