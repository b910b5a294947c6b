/* compare — the rules by which reconciliation decides two values are "the
 * same" (SPEC §5): names, employers, phones, employed status, and the
 * work-region class 省外 / 省内县外 / 县内 derived from a work place against the
 * person's home.  Pure functions on UTF-8 strings; reconcile registers them
 * as SQL functions so the comparison runs inside SQLite's set operations.
 * Not here: which fields are compared or what a difference means. */
#ifndef BANGFU_COMPARE_H
#define BANGFU_COMPARE_H

#include <stddef.h>

/* Each *_key function writes a comparison key into out (NUL-terminated,
 * at most outsz-1 bytes) and returns its length; two values are the same
 * when their keys are equal.  An empty key means "no value": callers do not
 * compare a value against nothing. */

/* Names: whitespace of every kind removed (ASCII, U+3000, NBSP), the
 * minority-name middle dots · • ． ・ ‧ and similar unified to U+00B7, full-width
 * ASCII folded to half-width. */
size_t compare_name_key(const char *name, char *out, size_t outsz);

/* Employers: full-width folded, whitespace and brackets of every kind dropped
 * (the text inside kept), the legal-form suffixes 有限责任公司 / 股份有限公司 /
 * 有限公司 / 公司 unified, ASCII letters lower-cased. */
size_t compare_employer_key(const char *employer, char *out, size_t outsz);

/* Phones: digits only, a leading +86 / 0086 / 86 country code dropped. */
size_t compare_phone_key(const char *phone, char *out, size_t outsz);

/* Employed status as "是" / "否" from 是/否/已就业/未就业/失业/就业/无业, or ""
 * when the value says neither. */
const char *compare_employed(const char *value);

/* Declared gender as "男" / "女" from 男/女/男性/女性/M/F, or "". */
const char *compare_gender(const char *value);

enum compare_region {
	COMPARE_REGION_UNKNOWN = 0,
	COMPARE_REGION_OUT_OF_PROVINCE, /* 省外 */
	COMPARE_REGION_IN_PROVINCE,     /* 省内县外 */
	COMPARE_REGION_IN_COUNTY,       /* 县内 */
};

/* "省外", "省内县外", "县内" or "" for unknown. */
const char *compare_region_label(enum compare_region r);

/* Work-region class of a work place against a home.  home_region_code is the
 * 6-digit code of the person's home county (from the ID number, or the
 * county code when known); home_city and home_county are the names the
 * roster writes (长沙市, 宁乡市) and may be NULL: the names win over the code,
 * and the city tells namesake counties apart when an invalid ID's digits
 * cannot.  The work place is given either
 * as one text "广东省深圳市宝安区" (any prefix of it; "湖南省长沙市"; "长沙市雨花区"
 * for a place in the home province; "县内"/"本县"/"省外"/"省内"), in work_place,
 * or split into work_province / work_city / work_county (the HR platform's
 * columns); pass NULL for what is absent. */
enum compare_region compare_work_region(const char *work_place, const char *work_province,
					const char *work_city, const char *work_county,
					int home_region_code, const char *home_city, const char *home_county);

#endif
