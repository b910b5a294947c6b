/* cli — the command line of every stage: one table of options per stage,
 * from which the arguments are parsed and checked and `--help` is printed
 * (after git's parse-options).  The options every stage shares (--db,
 * --templates, --quiet, --verbose, --help) are declared once, by
 * CLI_COMMON; a stage lists only its own.
 *
 * Not here: what a stage does with its options, and messages about input
 * files (msg).  A stage's main is: declare the table, cli_parse(), work,
 * exit status. */
#ifndef BANGFU_CLI_H
#define BANGFU_CLI_H

#include <stdio.h>

enum cli_kind {
	CLI_END = 0,
	CLI_STRING,    /* --name VALUE → const char *                          */
	CLI_FLAG,      /* --name → int, set to 1                               */
	CLI_INT,       /* --name N → long, within [min, max]                   */
	CLI_U64,       /* --name N → uint64_t, any whole number ≥ 0            */
	CLI_PERIOD,    /* --name YYYY-MM → const char *, a real month          */
	CLI_DATE,      /* --name DATE → char[11], the day as YYYY-MM-DD        */
	CLI_CHOICE,    /* --name WORD → int, the index of WORD in choices      */
	CLI_LIST,      /* --name VALUE, repeatable → struct cli_list           */
	CLI_TEMPLATES, /* --templates DIR: tmpl_set_dir                         */
	CLI_QUIET,     /* -q, --quiet: msg_set_verbosity(0)                    */
	CLI_VERBOSE,   /* -v, --verbose: msg_set_verbosity(2)                  */
	CLI_HELP,      /* -h, --help: print the help to stdout, exit 0         */
};

/* Flags of an option. */
#define CLI_REQUIRED 1u /* the stage cannot run without it */

struct cli_option {
	enum cli_kind kind;
	const char *name;            /* long name without "--" */
	char short_name;             /* 'q', or 0 */
	void *value;                 /* where the value goes (see enum cli_kind) */
	const char *arg;             /* the value's name in the help: "YYYY-MM", "FILE" */
	const char *help;            /* one or more lines ('\n' between them) */
	unsigned flags;              /* CLI_REQUIRED */
	long min, max;               /* CLI_INT */
	const char *const *choices;  /* CLI_CHOICE: NULL-terminated words */
	int *seen;                   /* when not NULL: set to 1 when the option is given */
};

/* The values of a repeatable option, in the order given. */
struct cli_list {
	const char **items;
	int n;
};
void cli_list_free(struct cli_list *l);

#define CLI_OPT_STRING(n, v, a, h) {.kind = CLI_STRING, .name = n, .value = v, .arg = a, .help = h}
#define CLI_OPT_REQUIRED(n, v, a, h) \
	{.kind = CLI_STRING, .name = n, .value = v, .arg = a, .help = h, .flags = CLI_REQUIRED}
#define CLI_OPT_FLAG(n, v, h) {.kind = CLI_FLAG, .name = n, .value = v, .help = h}
#define CLI_OPT_INT(n, v, a, lo, hi, h) \
	{.kind = CLI_INT, .name = n, .value = v, .arg = a, .help = h, .min = lo, .max = hi}
#define CLI_OPT_U64(n, v, a, s, h) {.kind = CLI_U64, .name = n, .value = v, .arg = a, .help = h, .seen = s}
#define CLI_OPT_PERIOD(v, h) \
	{.kind = CLI_PERIOD, .name = "period", .value = v, .arg = "YYYY-MM", .help = h, .flags = CLI_REQUIRED}
#define CLI_OPT_DATE(n, v, h, f) {.kind = CLI_DATE, .name = n, .value = v, .arg = "YYYY-MM-DD", .help = h, .flags = f}
#define CLI_OPT_CHOICE(n, v, a, c, h) {.kind = CLI_CHOICE, .name = n, .value = v, .arg = a, .help = h, .choices = c}
#define CLI_OPT_LIST(n, v, a, h) {.kind = CLI_LIST, .name = n, .value = v, .arg = a, .help = h}
#define CLI_OPT_END() {.kind = CLI_END}

/* The options of every stage that uses the database. */
#define CLI_COMMON(db_path)                                                                              \
	CLI_OPT_STRING("db", db_path, "PATH", "database file (default bangfu.db)"),                     \
	{.kind = CLI_TEMPLATES, .name = "templates", .arg = "DIR",                                      \
	 .help = "read the templates from DIR (default: templates/)"},                                   \
	CLI_COMMON_OUTPUT
/* --quiet, --verbose, --help: every program has these. */
#define CLI_COMMON_OUTPUT                                                                                \
	{.kind = CLI_QUIET, .name = "quiet", .short_name = 'q', .help = "less output on stderr"},       \
	{.kind = CLI_VERBOSE, .name = "verbose", .short_name = 'v',                                     \
	 .help = "more output on stderr (each step and its time)"},                                      \
	{.kind = CLI_HELP, .name = "help", .short_name = 'h', .help = "this text"}

struct cli_command {
	const char *name;        /* "bangfu-report" */
	const char *operands;    /* "FILE..." (at least one), "[FILE...]", or NULL: none allowed */
	const char *description; /* a paragraph: what the stage does */
	const char *epilogue;    /* after the options (exit status, examples), or NULL */
	const struct cli_option *options;
};

/* Parse argv against cmd's table.  Returns the index of the first operand
 * (argc when none) when the stage should run; or -1, with *status set: 0
 * after --help (printed to stdout), EXIT_USAGE for an unknown or missing
 * option (the message and the help go to stderr), EXIT_BAD_INPUT for a
 * value that is not what the option takes (a --period that is no month). */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, int *status);

/* The help text, as --help prints it. */
void cli_usage(const struct cli_command *cmd, FILE *to);

#endif
