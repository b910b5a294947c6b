/* strbuf — the one growable byte string of the project (NUL-terminated).
 * strbuf_init() on a zeroed struct, strbuf_free() when done; a freed or
 * zeroed strbuf is empty and valid.  Also the allocation that never returns
 * NULL (git's xmalloc): out of memory ends the program, as every stage did
 * at each call site before. */
#ifndef BANGFU_STRBUF_H
#define BANGFU_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as the inside of a JSON string (quotes not included). */
void strbuf_add_json_escaped(struct strbuf *sb, const char *s, size_t len);
/* The contents, never NULL. */
const char *strbuf_str(const struct strbuf *sb);

/* calloc and strdup that abort on out of memory; xstrdup(NULL) is "". */
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

#endif
