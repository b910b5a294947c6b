/* prng — the project's one pseudo-random generator, by name, so that a draw
 * made with a seed is the same on every machine: SplitMix64 (Steele, Lea and
 * Flood 2014) for streams, and a keyed hash (FNV-1a 64 of the text, mixed
 * with the seed through the SplitMix64 finaliser) for per-record keys that do
 * not depend on the order records arrive in. */
#ifndef BANGFU_PRNG_H
#define BANGFU_PRNG_H

#include <stdint.h>

/* Next value of a SplitMix64 stream; advances *state. */
uint64_t prng_splitmix64(uint64_t *state);
/* A uniform double in [0, 1) from the stream. */
double prng_uniform(uint64_t *state);
/* The key of a text under a seed: uniform over 64 bits, the same everywhere. */
uint64_t prng_key(uint64_t seed, const char *text);

#endif
