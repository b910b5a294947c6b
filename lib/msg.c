/* msg — see msg.h.  The only place that writes to stderr on a stage's behalf. */
#include "msg.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *progname = "bangfu";
static int verbosity = 1;
static int progress_shown;

int bangfu_fail(struct bangfu_err *err, enum bangfu_errkind kind, const char *file,
		long line, long column, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->kind = kind;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	err->column = column;
	snprintf(err->code, sizeof err->code, "%s", code ? code : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

void bangfu_err_clear(struct bangfu_err *err)
{
	memset(err, 0, sizeof *err);
}

void msg_init(const char *name)
{
	const char *slash = strrchr(name, '/');

	progname = slash ? slash + 1 : name;
	/* Past a file-size limit (ulimit -f), let write() fail with EFBIG so
	 * SQLite rolls back and the stage says so, instead of dying of SIGXFSZ. */
	signal(SIGXFSZ, SIG_IGN);
}

const char *msg_progname(void) { return progname; }
void msg_set_verbosity(int level) { verbosity = level; }
int msg_verbosity(void) { return verbosity; }

static void clear_progress(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}

void msg_error(const struct bangfu_err *err)
{
	clear_progress();
	fprintf(stderr, "%s: ", progname);
	if (err->file[0]) {
		fputs(err->file, stderr);
		if (err->line > 0)
			fprintf(stderr, ":%ld", err->line);
		if (err->column > 0)
			fprintf(stderr, ":%ld", err->column);
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s\n", err->message[0] ? err->message : "unknown error");
}

static void vsay(const char *prefix, const char *fmt, va_list ap)
{
	clear_progress();
	fprintf(stderr, "%s: %s", progname, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void msg_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void msg_info(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 1)
		return;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void msg_verbose(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 2)
		return;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void msg_progress(const char *what, unsigned long long done, unsigned long long total)
{
	if (verbosity < 1 || !isatty(STDERR_FILENO))
		return;
	if (total > 0)
		fprintf(stderr, "\r%s %3llu%%", what, done * 100 / total);
	else
		fprintf(stderr, "\r%s %llu", what, done);
	progress_shown = 1;
}

void msg_progress_end(void)
{
	clear_progress();
}

int msg_fail(const struct bangfu_err *err)
{
	msg_error(err);
	return err->kind == ERR_INPUT ? EXIT_BAD_INPUT : EXIT_INTERNAL;
}
