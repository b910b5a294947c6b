/* outputs — see outputs.h. */
#include "outputs.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xlsx.h"

/* Temporary files of earlier runs that were killed before they could clean
 * up: ".NAME.PID.XXXXXX" next to final whose process is gone.  A live
 * process's file (another run writing the same name now) is left alone. */
static void remove_stale(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t blen = strlen(base);

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name, *pid_at, *end;
		char path[PATH_MAX];
		long pid;

		if (n[0] != '.' || strncmp(n + 1, base, blen) != 0 || n[1 + blen] != '.')
			continue;
		pid_at = n + 2 + blen;
		pid = strtol(pid_at, (char **)&end, 10);
		if (end == pid_at || pid <= 0 || *end != '.' || strlen(end + 1) != 6)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, n) < sizeof path)
			unlink(path);
	}
	closedir(d);
}

/* A temporary name in the directory of final (so rename() is atomic),
 * carrying this process's id so that a later run can tell a killed run's
 * leftovers from a live one's. */
int outputs_add(struct outputs *o, const char *final, const char **tmp, struct bangfu_err *err)
{
	struct out_file *f;
	const char *slash = strrchr(final, '/');
	char dir[PATH_MAX];
	int fd;

	o->files = realloc(o->files, (size_t)(o->n + 1) * sizeof *o->files);
	if (!o->files)
		abort();
	f = &o->files[o->n];
	if (strlen(final) + 32 >= sizeof f->final)
		return bangfu_fail(err, ERR_INPUT, final, 0, 0, "cannot_write",
				   "the path is too long (%zu bytes; at most %d)", strlen(final), PATH_MAX - 33);
	snprintf(f->final, sizeof f->final, "%s", final);
	if (slash) {
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - final), final);
		if (!dir[0])
			snprintf(dir, sizeof dir, "/");
		snprintf(f->tmp, sizeof f->tmp, "%.*s/.%s.%ld.XXXXXX", (int)(slash - final), final, slash + 1,
			 (long)getpid());
	} else {
		snprintf(dir, sizeof dir, ".");
		snprintf(f->tmp, sizeof f->tmp, ".%s.%ld.XXXXXX", final, (long)getpid());
	}
	remove_stale(dir, slash ? slash + 1 : final);
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
