/* libFuzzer target: the comparison keys and the work-region rule (compare)
 * on arbitrary text, split at the first NUL into place and home county. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 2), out[64];
	const char *home;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = s[size + 1] = '\0';
	home = s + strlen(s) + 1;
	if (compare_name_key(s, out, sizeof out) >= sizeof out || compare_employer_key(s, out, sizeof out) >= sizeof out ||
	    compare_phone_key(s, out, sizeof out) >= sizeof out)
		abort();
	compare_employed(s);
	compare_gender(s);
	compare_work_region(s, NULL, NULL, NULL, 430182, NULL, home);
	compare_work_region(NULL, s, home, s, 430124, home, NULL);
	free(s);
	return 0;
}
