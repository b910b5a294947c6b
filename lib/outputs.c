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

#include "strbuf.h"
#include "xlsx.h"

/* Temporary files of earlier runs that were killed before they could clean
 * up: ".NAME.PID.XXXXXX" whose process is gone.  A live process's file
 * (another run writing the same name now) is left alone.  The directory is
 * read once for a run's files in it: a stage writing hundreds of lists into
 * one folder would otherwise read it once per list. */
static void scan_stale(struct outputs *o, const char *dir)
{
	DIR *d;
	struct dirent *e;

	if (o->stale_dir && strcmp(o->stale_dir, dir) == 0)
		return;
	for (int i = 0; i < o->nstale; i++)
		free(o->stale[i]);
	free(o->stale);
	free(o->stale_dir);
	o->stale = NULL;
	o->nstale = 0;
	o->stale_dir = xstrdup(dir);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name, *dot = strrchr(n, '.'), *pid_at, *end;
		long pid;

		/* ".NAME.PID.XXXXXX": the pid between the last two dots */
		if (n[0] != '.' || !dot || strlen(dot + 1) != 6 || dot == n)
			continue;
		for (pid_at = dot; pid_at > n && pid_at[-1] != '.'; pid_at--)
			;
		if (pid_at - 1 <= n)
			continue;
		pid = strtol(pid_at, (char **)&end, 10);
		if (end == pid_at || pid <= 0 || end != dot)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		o->stale = realloc(o->stale, (size_t)(o->nstale + 1) * sizeof *o->stale);
		if (!o->stale)
			abort();
		o->stale[o->nstale++] = xstrdup(n);
	}
	closedir(d);
}

static void remove_stale(struct outputs *o, const char *dir, const char *base)
{
	size_t blen = strlen(base);

	scan_stale(o, dir);
	for (int i = 0; i < o->nstale; i++) {
		const char *n = o->stale[i];
		char path[PATH_MAX];

		if (!n || strncmp(n + 1, base, blen) != 0 || n[1 + blen] != '.' || strchr(n + 2 + blen, '.') !=
		    strrchr(n, '.'))
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, n) < sizeof path)
			unlink(path);
		free(o->stale[i]);
		o->stale[i] = NULL;
	}
}

static void forget_stale(struct outputs *o)
{
	for (int i = 0; i < o->nstale; i++)
		free(o->stale[i]);
	free(o->stale);
	free(o->stale_dir);
	o->stale = NULL;
	o->stale_dir = NULL;
	o->nstale = 0;
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

	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 16;
		o->files = realloc(o->files, (size_t)o->cap * sizeof *o->files);
		if (!o->files)
			abort();
	}
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
	remove_stale(o, dir, slash ? slash + 1 : final);
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
	o->n = o->cap = 0;
	forget_stale(o);
}

/* Every file into place, or none: the files they replace are first set
 * aside (renamed next to themselves), then each new file is renamed into
 * place; if any rename fails, the new files already in place are removed
 * and the old ones put back.  Renames within a directory are atomic, so a
 * reader sees either the old file or the new one, never half of either. */
int outputs_commit(struct outputs *o, struct bangfu_err *err)
{
	char (*aside)[PATH_MAX + 8] = xcalloc((size_t)o->n + 1, sizeof *aside);
	int placed = 0, set_aside = 0, rc = -1;
	struct stat sb;

	for (; set_aside < o->n; set_aside++) {
		struct out_file *f = &o->files[set_aside];

		snprintf(aside[set_aside], sizeof aside[set_aside], "%s~", f->tmp);
		if (lstat(f->final, &sb) != 0) {
			aside[set_aside][0] = '\0'; /* nothing to replace */
			continue;
		}
		if (S_ISDIR(sb.st_mode)) {
			bangfu_fail(err, ERR_INPUT, f->final, 0, 0, "cannot_write",
				    "a folder has this name; move it away to write the file");
			goto undo;
		}
		if (rename(f->final, aside[set_aside]) != 0) {
			bangfu_fail(err, ERR_INPUT, f->final, 0, 0, "cannot_write", "cannot replace the file: %s",
				    strerror(errno));
			goto undo;
		}
	}
	for (; placed < o->n; placed++)
		if (rename(o->files[placed].tmp, o->files[placed].final) != 0) {
			bangfu_fail(err, ERR_INPUT, o->files[placed].final, 0, 0, "cannot_write",
				    "cannot write the file: %s", strerror(errno));
			goto undo;
		}
	for (int i = 0; i < o->n; i++)
		if (aside[i][0])
			unlink(aside[i]);
	rc = 0;
	free(o->files);
	o->files = NULL;
	o->n = o->cap = 0;
	forget_stale(o);
	free(aside);
	return rc;
undo:
	for (int i = 0; i < placed; i++)
		unlink(o->files[i].final);
	for (int i = 0; i < set_aside; i++)
		if (aside[i][0])
			rename(aside[i], o->files[i].final);
	free(aside);
	outputs_discard(o);
	return rc;
}
