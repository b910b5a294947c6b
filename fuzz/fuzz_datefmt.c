/* libFuzzer target: the date forms of SPEC §3 (datefmt) on arbitrary text;
 * whatever is accepted must be a real calendar date in ISO form. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[11];
	enum datefmt_result r;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	r = datefmt_parse(s, out);
	if (r == DATEFMT_DAY && (strlen(out) != 10 || !datefmt_valid_ymd(atoi(out), atoi(out + 5), atoi(out + 8))))
		abort();
	if (r == DATEFMT_MONTH && strlen(out) != 7)
		abort();
	free(s);
	return 0;
}
