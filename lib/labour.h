/* labour — the labour-age window of a person: from the minimum age to the
 * statutory retirement age, which since 2025-01-01 depends on the sex, the
 * category and the birth month (templates/retirement_age.csv: the annex
 * tables of the 2024 decision on gradually raising the retirement age).
 * bangfu-reconcile stores each person's window (person.labour_age,
 * labour_age_until); the SQL functions let a query compute it at any date,
 * registered on every connection (db.c):
 *
 *   bf_labour_age(birth_date, sex, date)   1 / 0 / NULL: of labour age on date
 *   bf_labour_until(birth_date, sex)       the first day past the window (the
 *                                          statutory retirement age reached)
 *
 * sex is 'M'/'F' or 男/女.  Not here: who counts as labour for a report
 * (reconcile), or which policy needs the labour age (the subsidy rules). */
#ifndef BANGFU_LABOUR_H
#define BANGFU_LABOUR_H

#include <sqlite3.h>

#include "msg.h"

/* The categories of the retirement-age tables. */
enum labour_category { LABOUR_MALE_60, LABOUR_FEMALE_55, LABOUR_FEMALE_50, LABOUR_NCATEGORIES };

/* "male_60", "female_55", "female_50"; -1 for anything else. */
int labour_category_of(const char *code);
const char *labour_category_code(enum labour_category c);

/* The retirement-age table: for each category, birth months → age. */
struct labour_schedule;
/* Load and check (known categories, ranges that follow each other without
 * gap from an open start to an open end, ages that never fall, the listed
 * retirement months equal to birth month + age).  ERR_INPUT naming file,
 * line and column. */
int labour_schedule_load(const char *path, struct labour_schedule **out, struct bangfu_err *err);
void labour_schedule_free(struct labour_schedule *s);
/* The statutory retirement age in months of a person born in (y, m), or -1
 * when the table has no row for it. */
int labour_retirement_months(const struct labour_schedule *s, enum labour_category c, int birth_y, int birth_m);

/* What the stages use: the minimum age, the category for each sex
 * (templates/policy.csv) and the table (templates/retirement_age.csv). */
struct labour_policy {
	long min_age;
	enum labour_category male, female;
	struct labour_schedule *schedule;
	char policy_path[1024], schedule_path[1024];
};
/* From templates/policy.csv (labour_age_min, labour_age_category_male,
 * labour_age_category_female) and templates/retirement_age.csv. */
int labour_policy_load(struct labour_policy **out, struct bangfu_err *err);
void labour_policy_free(struct labour_policy *p);

/* The window of a person born on birth (ISO day) of sex 'M'/'F' (or 男/女):
 * from[] the day the minimum age is reached, until[] the day the statutory
 * retirement age is (the first day outside).  -1 when birth is no day or the
 * sex is unknown. */
int labour_window(const struct labour_policy *p, const char *birth, const char *sex, char from[11],
		  char until[11]);
/* Of labour age on the ISO day `on`: 1, 0, or -1 when it cannot be told. */
int labour_age_on(const struct labour_policy *p, const char *birth, const char *sex, const char *on);

/* Register the SQL functions above on a connection.  The policy templates
 * are read when a function is first called (a stage that never calls one
 * never needs them); a template that cannot be read makes the call fail with
 * its message. */
int labour_register_sql(sqlite3 *db, struct bangfu_err *err);

#endif
