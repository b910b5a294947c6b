/* libFuzzer target: the returned-sheet reader (xlsxin: zip + XML) on
 * arbitrary bytes; every sheet read to the end or to its error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xlsxin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bangfu_err err;
	struct xlsxin *x;
	char path[64];
	int fd = memfd_create("fuzz.xlsx", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	bangfu_err_clear(&err);
	x = xlsxin_open(path, &err);
	if (x) {
		for (int i = 0; i < xlsxin_sheet_count(x); i++) {
			struct xlsxin_row *row;

			if (xlsxin_sheet_begin(x, i, &err) != 0)
				continue;
			while (xlsxin_next_row(x, &row, &err) == 1)
				if (row->ncells < 0 || row->ncells > 16384)
					abort();
		}
		xlsxin_close(x);
	}
	close(fd);
	return 0;
}
