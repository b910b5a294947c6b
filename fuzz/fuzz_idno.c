/* libFuzzer target: ID-number parsing, normalisation, repair candidates and
 * masking (idno) on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idno.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(const char *candidate, const char *rule, void *ctx)
{
	(void)rule;
	if (strlen(candidate) != 18)
		abort();
	(*(int *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), masked[256];
	struct idno id;
	int n = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	idno_parse(s, 20261101, &id);
	if (id.status == IDNO_OK && (strlen(id.id) != 18 || idno_check_char(id.id) != id.id[17]))
		abort(); /* an accepted ID must be 18 characters with the right check character */
	if (strlen(id.normalised) == 18)
		idno_repair_candidates(id.normalised, 20261101, count, &n);
	if (size < sizeof masked)
		idno_mask(s, masked, sizeof masked);
	free(s);
	return 0;
}
