/* prng — see prng.h. */
#include "prng.h"

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t prng_splitmix64(uint64_t *state)
{
	*state += UINT64_C(0x9e3779b97f4a7c15);
	return mix(*state);
}

double prng_uniform(uint64_t *state)
{
	return (double)(prng_splitmix64(state) >> 11) * 0x1.0p-53;
}

uint64_t prng_key(uint64_t seed, const char *text)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		h ^= *p;
		h *= UINT64_C(0x100000001b3);
	}
	return mix(h ^ mix(seed + UINT64_C(0x9e3779b97f4a7c15)));
}
