/* region — see region.h.  The table is data/gbt2260_counties.csv, turned
 * into C by scripts/regions.awk at build time (build/gen/regions.inc). */
#include "region.h"

#include <stddef.h>

static const struct region regions[] = {
#include "regions.inc"
};

#define NREGIONS ((int)(sizeof regions / sizeof regions[0]))

const struct region *region_by_code(int county_code)
{
	int lo = 0, hi = NREGIONS - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (regions[mid].county_code == county_code)
			return &regions[mid];
		if (regions[mid].county_code < county_code)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

const char *region_province_name(int province_code)
{
	for (int i = 0; i < NREGIONS; i++)
		if (regions[i].province_code == province_code)
			return regions[i].province;
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
