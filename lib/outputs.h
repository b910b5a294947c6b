/* outputs — a stage's output files, written whole or not at all: each file
 * is written under a temporary name in its own directory and renamed into
 * place only when every file of the run is finished (rename is atomic
 * within a directory).  A failed run leaves the earlier files as they were
 * and no temporary file behind.  Not here: what goes into the files. */
#ifndef BANGFU_OUTPUTS_H
#define BANGFU_OUTPUTS_H

#include <limits.h>

#include "msg.h"

struct out_file {
	char tmp[PATH_MAX];
	char final[PATH_MAX];
};

struct outputs {
	struct out_file *files;
	int n, cap;
	/* killed runs' temporary files in the directory last written to,
	 * found by one reading of it (not one per file) */
	char *stale_dir;
	char **stale;
	int nstale;
};

/* Reserve a temporary file next to final; *tmp is the name to write to
 * (valid until commit or discard).  -1 with err when it cannot be created. */
int outputs_add(struct outputs *o, const char *final, const char **tmp, struct bangfu_err *err);
/* Rename every file into place, all or none: on a failure the files already
 * placed are taken back and the files they replaced restored. */
int outputs_commit(struct outputs *o, struct bangfu_err *err);
/* Remove the temporary files (after a failure). */
void outputs_discard(struct outputs *o);

#endif
