/* outputs — see outputs.h. */
#include "outputs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xlsx.h"

/* A temporary name in the directory of final (so rename() is atomic). */
int outputs_add(struct outputs *o, const char *final, const char **tmp, struct bangfu_err *err)
{
	struct out_file *f;
	const char *slash = strrchr(final, '/');
	int fd;

	o->files = realloc(o->files, (size_t)(o->n + 1) * sizeof *o->files);
	if (!o->files)
		abort();
	f = &o->files[o->n];
	if (strlen(final) + 16 >= sizeof f->final)
		return bangfu_fail(err, ERR_INPUT, final, 0, 0, "cannot_write", "the file name is too long");
	snprintf(f->final, sizeof f->final, "%s", final);
	if (slash)
		snprintf(f->tmp, sizeof f->tmp, "%.*s/.%s.XXXXXX", (int)(slash - final), final, slash + 1);
	else
		snprintf(f->tmp, sizeof f->tmp, ".%s.XXXXXX", final);
	fd = mkstemp(f->tmp);
	if (fd < 0)
		return bangfu_fail(err, ERR_INPUT, final, 0, 0, "cannot_write", "cannot create the file: %s",
				   strerror(errno));
	if (fchmod(fd, xlsx_file_mode()) != 0) {
		close(fd);
		unlink(f->tmp);
		return bangfu_fail(err, ERR_INPUT, final, 0, 0, "cannot_write", "cannot set the file mode: %s",
				   strerror(errno));
	}
	close(fd);
	o->n++;
	*tmp = f->tmp;
	return 0;
}

void outputs_discard(struct outputs *o)
{
	for (int i = 0; i < o->n; i++)
		unlink(o->files[i].tmp);
	free(o->files);
	o->files = NULL;
	o->n = 0;
}

int outputs_commit(struct outputs *o, struct bangfu_err *err)
{
	for (int i = 0; i < o->n; i++)
		if (rename(o->files[i].tmp, o->files[i].final) != 0) {
			bangfu_fail(err, ERR_INPUT, o->files[i].final, 0, 0, "cannot_write", "cannot write the file: %s",
				    strerror(errno));
			outputs_discard(o);
			return -1;
		}
	free(o->files);
	o->files = NULL;
	o->n = 0;
	return 0;
}
