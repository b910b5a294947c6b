/* region — see region.h.  The table is data/gbt2260_counties.csv, turned
 * into C by scripts/regions.awk at build time (build/gen/regions.inc), so
 * updating the division list is replacing a CSV, not editing code.  Not
 * here: what a work place is relative to a home county (compare.c). */
#include "region.h"

#include <stddef.h>
#include <string.h>

static const struct region regions[] = {
#include "regions.inc"
};

#define NREGIONS ((int)(sizeof regions / sizeof regions[0]))

/* Province-level units with no counties in the table (GB/T 2260 lists
 * them without subdivisions), so their names cannot come from it; ID
 * numbers do start with these codes. */
static const struct {
	int code;
	const char *name;
} PROVINCES_WITHOUT_COUNTIES[] = {
	{71, "台湾省"},
	{81, "香港特别行政区"},
	{82, "澳门特别行政区"},
};

/* Index of the first county whose code is >= code (NREGIONS if none). */
static int lower_bound(int code)
{
	int lo = 0, hi = NREGIONS;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (regions[mid].county_code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct region *region_by_code(int county_code)
{
	int i = lower_bound(county_code);

	return i < NREGIONS && regions[i].county_code == county_code ? &regions[i] : NULL;
}

const char *region_province_name(int province_code)
{
	int i;

	if (province_code < 10 || province_code > 99)
		return NULL;
	/* Sorted by county code, so the province's first county is where its
	 * code range (pp0000..pp9999) starts. */
	i = lower_bound(province_code * 10000);
	if (i < NREGIONS && regions[i].province_code == province_code)
		return regions[i].province;
	for (size_t k = 0; k < sizeof PROVINCES_WITHOUT_COUNTIES / sizeof PROVINCES_WITHOUT_COUNTIES[0]; k++)
		if (PROVINCES_WITHOUT_COUNTIES[k].code == province_code)
			return PROVINCES_WITHOUT_COUNTIES[k].name;
	return NULL;
}

int region_count(void)
{
	return NREGIONS;
}

const struct region *region_at(int i)
{
	return i >= 0 && i < NREGIONS ? &regions[i] : NULL;
}

long region_place_order(const char *city, const char *county)
{
	long city_code = -1;

	if (!city || !city[0])
		return 99999999;
	for (int i = 0; i < NREGIONS; i++) {
		const struct region *r = &regions[i];

		if (strcmp(r->city, city) != 0)
			continue;
		city_code = r->city_code;
		if (!county)
			break;
		if (strcmp(r->county, county) == 0)
			return r->county_code;
	}
	if (city_code < 0)
		return 99999999;
	return county ? city_code * 100 + 99 : city_code * 100;
}
