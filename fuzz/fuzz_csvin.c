/* libFuzzer target: the CSV reader with encoding sniffing and decoding
 * (csvin) on arbitrary bytes, with the roster's column template.  The input
 * goes through a memfd so that csvin reads a real file descriptor path. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "csvin.h"
#include "tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tmpl_columns *cols;
	struct bangfu_err err;
	struct csvin_options opt = {0};
	struct csvin *in;
	struct csvin_row *row;
	char path[64];
	int fd;

	if (!cols && tmpl_columns_load("roster", &cols, &err) != 0) {
		fprintf(stderr, "fuzz_csvin: %s (set BANGFU_TEMPLATES)\n", err.message);
		abort();
	}
	fd = memfd_create("fuzz.csv", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	opt.columns = cols;
	bangfu_err_clear(&err);
	in = csvin_open(path, &opt, &err);
	if (in) {
		while (csvin_next(in, &row, &err) == 1)
			;
		csvin_close(in);
	}
	close(fd);
	return 0;
}
