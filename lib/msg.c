/* msg — see msg.h.  The only place that writes to stderr on a stage's behalf. */
#include "msg.h"

#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef BANGFU_LOCALEDIR
#define BANGFU_LOCALEDIR "/usr/local/share/locale"
#endif

static const char *progname = "bangfu";
static int verbosity = 1;
static double started_at; /* msg_init's time */

/* ---- progress: the meters of the running steps, one per thread ---- */

#define METERS 4

static struct meter {
	int used;
	pthread_t owner;
	char what[128];
	unsigned long long done, part, whole;
	double start;
} meters[METERS];
static pthread_mutex_t progress_lock = PTHREAD_MUTEX_INITIALIZER;
static int progress_shown; /* a line is on the terminal */
static double progress_drawn; /* when it was last drawn */
static int progress_tty = -1; /* stderr is a terminal: -1 not yet asked, 2 never */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

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
	vsnprintf(err->message, sizeof err->message, gettext(fmt), ap);
	va_end(ap);
	return -1;
}

void bangfu_err_clear(struct bangfu_err *err)
{
	memset(err, 0, sizeof *err);
}

/* The message catalogs: $BANGFU_LOCALEDIR, else next to the program (the
 * build tree's build/locale, or share/locale of an installed PREFIX), else
 * the PREFIX the program was built for. */
static void bind_catalogs(void)
{
	static const char *const near[] = {"/../build/locale", "/../locale", "/../../locale", "/../share/locale"};
	const char *env = getenv("BANGFU_LOCALEDIR");
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	ssize_t n;
	struct stat sb;

	if (env && *env) {
		bindtextdomain("bangfu", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
				char mo[PATH_MAX + 80];

				snprintf(dir, sizeof dir, "%s%s", exe, near[i]);
				snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/bangfu.mo", dir);
				if (stat(mo, &sb) == 0) {
					bindtextdomain("bangfu", dir);
					return;
				}
			}
		}
	}
	bindtextdomain("bangfu", BANGFU_LOCALEDIR);
}

void msg_init(const char *name)
{
	const char *slash = strrchr(name, '/');
	static int catalogs;

	progname = slash ? slash + 1 : name;
	/* Messages in the user's language (gettext; msgids are English).  Only
	 * the message and character-type categories follow the locale: numbers
	 * are written with a decimal point whatever the locale says. */
	if (!catalogs) {
		catalogs = 1;
		setlocale(LC_CTYPE, "");
		if (!setlocale(LC_MESSAGES, "")) {
			/* The user asks for a language whose locale this machine
			 * lacks (zh_CN.UTF-8 not generated): the catalog is still
			 * used, by way of LANGUAGE over C.UTF-8. */
			const char *lang = getenv("LC_ALL");

			if (!lang || !*lang)
				lang = getenv("LC_MESSAGES");
			if (!lang || !*lang)
				lang = getenv("LANG");
			if (lang && *lang && !getenv("LANGUAGE") && setlocale(LC_MESSAGES, "C.UTF-8")) {
				char base[64];

				snprintf(base, sizeof base, "%.*s", (int)strcspn(lang, ".@"), lang);
				setenv("LANGUAGE", base, 0);
			}
		}
		bind_catalogs();
		/* Every message is UTF-8, as every file bangfu writes. */
		bind_textdomain_codeset("bangfu", "UTF-8");
		textdomain("bangfu");
	}
	started_at = now_seconds();
	/* Past a file-size limit (ulimit -f), let write() fail with EFBIG so
	 * SQLite rolls back and the stage says so, instead of dying of SIGXFSZ. */
	signal(SIGXFSZ, SIG_IGN);
}

const char *msg_progname(void) { return progname; }
void msg_set_verbosity(int level) { verbosity = level; }
int msg_verbosity(void) { return verbosity; }

double msg_elapsed(void) { return now_seconds() - started_at; }

/* Under progress_lock, or from the one thread printing a message. */
static void clear_progress(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}

void msg_error(const struct bangfu_err *err)
{
	pthread_mutex_lock(&progress_lock);
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
	fprintf(stderr, "%s\n", err->message[0] ? err->message : gettext("unknown error"));
	pthread_mutex_unlock(&progress_lock);
}

static void vsay(const char *prefix, const char *fmt, va_list ap)
{
	pthread_mutex_lock(&progress_lock);
	clear_progress();
	fprintf(stderr, "%s: %s", progname, prefix);
	vfprintf(stderr, gettext(fmt), ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&progress_lock);
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

/* 1234567 → "1,234,567" */
static void group_digits(char *out, size_t outsz, unsigned long long n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%llu", n), o = 0;

	for (int i = 0; i < len && (size_t)o + 2 < outsz; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static void add_duration(char *out, size_t outsz, double seconds)
{
	long s = (long)(seconds + 0.5);
	size_t n = strlen(out);

	if (s >= 3600)
		snprintf(out + n, outsz - n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out + n, outsz - n, "%ld:%02ld", s / 60, s % 60);
}

/* One step's part of the line: "roster.csv: rows 412,345 (171,204/s, 38%,
 * 0:07 left)", or "problem list 0:12" for a step without a count. */
static void describe(const struct meter *m, double now, char *out, size_t outsz)
{
	double elapsed = now - m->start;
	char count[40], rate[40];
	size_t n;

	if (!m->done && !m->whole) {
		snprintf(out, outsz, "%s ", gettext(m->what));
		add_duration(out, outsz, elapsed);
		return;
	}
	group_digits(count, sizeof count, m->done);
	snprintf(out, outsz, "%s %s", gettext(m->what), count);
	if (elapsed < 0.5)
		return;
	group_digits(rate, sizeof rate, (unsigned long long)(m->done / elapsed));
	n = strlen(out);
	snprintf(out + n, outsz - n, " (%s/s", rate);
	if (m->whole && m->part && m->part <= m->whole) {
		n = strlen(out);
		snprintf(out + n, outsz - n, ", %llu%%, ", m->part * 100 / m->whole);
		add_duration(out, outsz, elapsed * (double)(m->whole - m->part) / (double)m->part);
		n = strlen(out);
		snprintf(out + n, outsz - n, "%s", gettext(" left"));
	}
	n = strlen(out);
	snprintf(out + n, outsz - n, ")");
}

/* The terminal's columns a UTF-8 text takes, CJK counted two. */
static size_t cut_to_width(char *text, size_t columns)
{
	size_t width = 0, i = 0;

	while (text[i]) {
		unsigned char c = (unsigned char)text[i];
		size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		size_t w = c >= 0xe0 ? 2 : 1;

		if (width + w > columns) {
			text[i] = '\0';
			break;
		}
		width += w;
		for (size_t k = 0; k < len && text[i]; k++)
			i++;
	}
	return width;
}

/* Draw the line (under progress_lock). */
static void draw(double now)
{
	char line[1024];
	size_t n;
	struct winsize ws;
	size_t columns = 80;

	n = (size_t)snprintf(line, sizeof line, "%s: ", progname);
	for (int i = 0, first = 1; i < METERS; i++)
		if (meters[i].used && n < sizeof line) {
			if (!first)
				n += (size_t)snprintf(line + n, sizeof line - n, "  ");
			describe(&meters[i], now, line + n, sizeof line - n);
			n = strlen(line);
			first = 0;
		}
	if (progress_tty) {
		if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
			columns = ws.ws_col;
		cut_to_width(line, columns - 1);
		fprintf(stderr, "\r%s\033[K", line);
		progress_shown = 1;
	} else {
		fprintf(stderr, "%s\n", line);
	}
	fflush(stderr);
	progress_drawn = now;
}

void msg_progress_share(const char *what, unsigned long long done, unsigned long long part,
			unsigned long long whole)
{
	pthread_t self = pthread_self();
	struct meter *m = NULL;
	double now, every;

	if (verbosity < 1)
		return;
	if (progress_tty < 0) {
		const char *force = getenv("BANGFU_PROGRESS");

		/* BANGFU_PROGRESS=always: draw as on a terminal (a log viewer
		 * that shows \r in place); never: no progress at all */
		if (force && strcmp(force, "never") == 0)
			progress_tty = 2;
		else
			progress_tty = force && strcmp(force, "always") == 0 ? 1 : isatty(STDERR_FILENO);
	}
	if (progress_tty == 2)
		return;
	if (!progress_tty && verbosity < 2)
		return;
	now = now_seconds();
	pthread_mutex_lock(&progress_lock);
	for (int i = 0; i < METERS && !m; i++)
		if (meters[i].used && pthread_equal(meters[i].owner, self))
			m = &meters[i];
	for (int i = 0; i < METERS && !m; i++)
		if (!meters[i].used) {
			m = &meters[i];
			m->used = 1;
			m->owner = self;
			m->what[0] = '\0';
		}
	if (m) {
		if (strcmp(m->what, what) != 0) {
			snprintf(m->what, sizeof m->what, "%s", what);
			m->start = now;
		}
		m->done = done;
		m->part = part;
		m->whole = whole;
		every = progress_tty ? 0.25 : 10;
		if (now - m->start >= (progress_tty ? 0.5 : 10) && now - progress_drawn >= every)
			draw(now);
	}
	pthread_mutex_unlock(&progress_lock);
}

void msg_progress(const char *what, unsigned long long done, unsigned long long total)
{
	msg_progress_share(what, done, done, total);
}

void msg_progress_end(void)
{
	pthread_t self = pthread_self();
	int others = 0;

	pthread_mutex_lock(&progress_lock);
	for (int i = 0; i < METERS; i++)
		if (meters[i].used && pthread_equal(meters[i].owner, self))
			meters[i].used = 0;
		else
			others += meters[i].used;
	if (progress_shown) {
		clear_progress();
		if (others)
			draw(now_seconds());
	}
	pthread_mutex_unlock(&progress_lock);
}

int msg_fail(const struct bangfu_err *err)
{
	msg_error(err);
	return err->kind == ERR_INPUT ? EXIT_BAD_INPUT : EXIT_INTERNAL;
}
