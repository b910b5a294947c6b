/* strmap — see strmap.h. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void **strmap_slot(struct strmap *m, const char *key)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct strmap grown = {0};

		grown.cap = m->cap ? 2 * m->cap : 1024;
		grown.keys = xcalloc(grown.cap, sizeof *grown.keys);
		grown.vals = xcalloc(grown.cap, sizeof *grown.vals);
		for (size_t k = 0; k < m->cap; k++)
			if (m->keys[k]) {
				for (i = hash(m->keys[k]) & (grown.cap - 1); grown.keys[i]; i = (i + 1) & (grown.cap - 1))
					;
				grown.keys[i] = m->keys[k];
				grown.vals[i] = m->vals[k];
			}
		grown.n = m->n;
		free(m->keys);
		free(m->vals);
		*m = grown;
	}
	for (i = hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
			return &m->vals[i];
	m->keys[i] = xstrdup(key);
	m->n++;
	return &m->vals[i];
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->n)
		return NULL;
	for (size_t i = hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
	return NULL;
}

void strmap_free(struct strmap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			free(m->keys[i]);
			if (free_val)
				free_val(m->vals[i]);
		}
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

const char *strmap_place_key(struct strbuf *key, const char *city, const char *county, const char *township)
{
	const char *part[3] = {city, county, township};

	strbuf_reset(key);
	for (int i = 0; i < 3; i++) {
		if (i)
			strbuf_addch(key, '\x1f');
		strbuf_addstr(key, part[i] ? part[i] : "\x01");
	}
	return strbuf_str(key);
}
