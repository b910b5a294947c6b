/* strmap — a small open-addressing table of string keys (FNV-1a), for the
 * few thousand townships or the million households a stage counts by.
 * Zero-initialise; keys are copied; values are the caller's. */
#ifndef BANGFU_STRMAP_H
#define BANGFU_STRMAP_H

#include <stddef.h>

struct strbuf;

struct strmap {
	char **keys;
	void **vals;
	size_t cap, n;
};

/* The slot of key's value: what is stored there, or NULL for a key just
 * added (the caller fills it). */
void **strmap_slot(struct strmap *m, const char *key);
/* The value of key, or NULL when it is not in the table. */
void *strmap_get(const struct strmap *m, const char *key);
/* The key of a place (city, county, township), built in key: the names
 * joined by \x1f, a NULL name as \x01 so that NULL and '' are different
 * places, as SQL's GROUP BY has them. */
const char *strmap_place_key(struct strbuf *key, const char *city, const char *county, const char *township);
/* Free the keys, and each value with free_val (NULL: leave them). */
void strmap_free(struct strmap *m, void (*free_val)(void *));

#endif
