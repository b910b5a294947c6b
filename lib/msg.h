/* msg — errors and user-facing output for every bangfu stage.
 *
 * Library code fills a struct bangfu_err and returns -1; it never prints or
 * exits.  A stage's main turns the error into a message on stderr with
 * msg_error() and chooses the exit code.  This file is not a logging
 * framework: personal data (ID numbers, phones, names) never goes through it
 * except where the user asked for it (bangfu-idcheck's own output). */
#ifndef BANGFU_MSG_H
#define BANGFU_MSG_H

#include <limits.h>
#include <stddef.h>

/* Exit codes shared by every stage (SPEC §8). */
enum { EXIT_OK = 0, EXIT_BAD_INPUT = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

enum bangfu_errkind { ERR_NONE = 0, ERR_INPUT, ERR_INTERNAL };

struct bangfu_err {
	enum bangfu_errkind kind;
	char file[PATH_MAX]; /* input or output file, or "" */
	long line;       /* 1-based physical line, 0 when not about a line */
	long column;     /* 1-based column, 0 when not about a column */
	char code[32];   /* stable machine code, e.g. "bad_encoding" */
	char message[1024];
};

/* Fill err and return -1, so library code can `return bangfu_fail(...)`. */
int bangfu_fail(struct bangfu_err *err, enum bangfu_errkind kind, const char *file,
		long line, long column, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void bangfu_err_clear(struct bangfu_err *err);

/* Program-level output.  msg_init() also makes a file-size limit an error
 * rather than a fatal signal. */
void msg_init(const char *progname);
const char *msg_progname(void);
void msg_set_verbosity(int level); /* 0 quiet, 1 normal, 2 verbose */
int msg_verbosity(void);
void msg_error(const struct bangfu_err *err);  /* "prog: file:line:col: message" */
/* msg_error, then the exit status for it: EXIT_BAD_INPUT or EXIT_INTERNAL. */
int msg_fail(const struct bangfu_err *err);
void msg_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Progress of a long step, on stderr: one line rewritten in place at most
 * four times a second when stderr is a terminal (not with --quiet), from
 * half a second into the step; with --verbose and no terminal, a line every
 * ten seconds instead; nothing otherwise.  what names the step and its unit
 * ("roster.csv: rows"); done counts the units; total, when known (else 0),
 * gives the share done and the time left.  The line shows the count, the
 * rate and, with a total, the percentage and the time left; a step without
 * a count (done 0, total 0) shows the time it has taken.  Cheap to call
 * often.  Each thread reports its own step (ingest reads two files at
 * once) and the line shows them side by side. */
void msg_progress(const char *what, unsigned long long done, unsigned long long total);
/* The same, with the share done measured apart from the count: rows read,
 * and bytes read (part) of the file's size (whole). */
void msg_progress_share(const char *what, unsigned long long done, unsigned long long part,
			unsigned long long whole);
/* The calling thread's step is over: its part of the line goes. */
void msg_progress_end(void);
/* Seconds since the process's stage began (msg_init), for summaries. */
double msg_elapsed(void);

#endif
