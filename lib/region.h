/* region — GB/T 2260 administrative divisions (counties nationwide), built
 * into the library from data/gbt2260_counties.csv at compile time.
 *
 * Lookups by code and by name; what a "work-region class" is (省外 / 省内县外
 * / 县内) belongs to reconciliation, not here. */
#ifndef BANGFU_REGION_H
#define BANGFU_REGION_H

struct region {
	int county_code;      /* 430124 */
	const char *county;   /* 宁乡市 */
	int city_code;        /* 4301 */
	const char *city;     /* 长沙市 */
	int province_code;    /* 43 */
	const char *province; /* 湖南省 */
};

/* The county with this 6-digit code, or NULL. */
const struct region *region_by_code(int county_code);
/* The province's name for a 2-digit code ("湖南省"), or NULL if none. */
const char *region_province_name(int province_code);
/* Number of counties in the table, and the i-th (sorted by code). */
int region_count(void);
const struct region *region_at(int i);

/* A sort key in official order (GB/T 2260 codes: 长沙市 4301 before 株洲市
 * 4302) rather than the order of the names' bytes: the county's code, the
 * city's code times 100 (+99 for a county not in the table), or 99999999 for
 * an unknown city.  county NULL: the city's own key. */
long region_place_order(const char *city, const char *county);

#endif
