/* cli — see cli.h. */
#include "cli.h"

#include <libintl.h>

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datefmt.h"
#include "db.h"
#include "msg.h"
#include "tmpl.h"

#define CLI_MAX_OPTIONS 64

void cli_list_free(struct cli_list *l)
{
	if (!l)
		return;
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static int takes_value(const struct cli_option *o)
{
	switch (o->kind) {
	case CLI_STRING:
	case CLI_INT:
	case CLI_U64:
	case CLI_PERIOD:
	case CLI_DATE:
	case CLI_CHOICE:
	case CLI_LIST:
	case CLI_TEMPLATES:
		return 1;
	default:
		return 0;
	}
}

/* "--period YYYY-MM", "-q, --quiet", "--expand city|county|township". */
static int option_label(const struct cli_option *o, char *out, size_t outsz)
{
	int n = o->short_name ? snprintf(out, outsz, "-%c, --%s", o->short_name, o->name)
			      : snprintf(out, outsz, "--%s", o->name);

	if (o->kind == CLI_CHOICE && !o->arg) {
		for (int i = 0; o->choices[i] && (size_t)n < outsz; i++)
			n += snprintf(out + n, outsz - (size_t)n, "%c%s", i ? '|' : ' ', o->choices[i]);
	} else if (takes_value(o) && (size_t)n < outsz) {
		n += snprintf(out + n, outsz - (size_t)n, " %s", o->arg ? o->arg : "VALUE");
	}
	return n;
}

/* The text in the user's language (gettext), "" kept as it is (gettext("")
 * is the catalog's header). */
static const char *tr(const char *s)
{
	return s && *s ? gettext(s) : s ? s : "";
}

void cli_usage(const struct cli_command *cmd, FILE *to)
{
	const struct cli_option *o;
	char label[160];
	int width = 0, has_optional = 0;

	fprintf(to, gettext("usage: %s"), cmd->name);
	for (o = cmd->options; o->kind != CLI_END; o++) {
		if (o->flags & CLI_REQUIRED) {
			option_label(o, label, sizeof label);
			fprintf(to, " %s", label);
		} else {
			has_optional = 1;
		}
	}
	if (has_optional)
		fprintf(to, " %s", gettext("[options]"));
	if (cmd->operands)
		fprintf(to, " %s", cmd->operands);
	fprintf(to, "\n\n%s\n\n", tr(cmd->description));
	for (o = cmd->options; o->kind != CLI_END; o++) {
		int n = option_label(o, label, sizeof label);

		if (n > width && n <= 28)
			width = n;
	}
	for (o = cmd->options; o->kind != CLI_END; o++) {
		const char *h = tr(o->help), *nl;
		int n = option_label(o, label, sizeof label);

		/* A label wider than the column gets its help on the next line. */
		if (n > width)
			fprintf(to, "  %s\n  %-*s  ", label, width, "");
		else
			fprintf(to, "  %-*s  ", width, label);
		while ((nl = strchr(h, '\n')) != NULL) {
			fprintf(to, "%.*s\n  %-*s  ", (int)(nl - h), h, width, "");
			h = nl + 1;
		}
		fprintf(to, "%s\n", h);
	}
	if (cmd->epilogue)
		fprintf(to, "\n%s\n", tr(cmd->epilogue));
}

static int usage_error(const struct cli_command *cmd, int *status)
{
	cli_usage(cmd, stderr);
	*status = EXIT_USAGE;
	return -1;
}

static int list_add(struct cli_list *l, const char *item)
{
	const char **items = realloc(l->items, (size_t)(l->n + 1) * sizeof *items);

	if (!items)
		abort();
	l->items = items;
	l->items[l->n++] = item;
	return 0;
}

/* Store one option's value; 0, or -1 with *status and a message. */
static int take(const struct cli_command *cmd, const struct cli_option *o, const char *arg, int *status)
{
	char *end;
	long v;

	switch (o->kind) {
	case CLI_STRING:
		*(const char **)o->value = arg;
		return 0;
	case CLI_FLAG:
		*(int *)o->value = 1;
		return 0;
	case CLI_INT:
		v = strtol(arg, &end, 10);
		if (end == arg || *end || v < o->min || v > o->max) {
			msg_errorf("--%s must be a whole number from %ld to %ld, not '%s'", o->name, o->min, o->max, arg);
			*status = EXIT_USAGE;
			return -1;
		}
		*(long *)o->value = v;
		return 0;
	case CLI_U64: {
		unsigned long long u;

		errno = 0;
		u = strtoull(arg, &end, 10);
		if (end == arg || *end || arg[0] == '-' || errno) {
			msg_errorf("--%s must be a whole number ≥ 0, not '%s'", o->name, arg);
			*status = EXIT_USAGE;
			return -1;
		}
		*(uint64_t *)o->value = (uint64_t)u;
		return 0;
	}
	case CLI_PERIOD:
		if (!db_period_arg(arg)) {
			*status = EXIT_BAD_INPUT;
			return -1;
		}
		*(const char **)o->value = arg;
		return 0;
	case CLI_DATE:
		if (datefmt_parse(arg, (char *)o->value) != DATEFMT_DAY) {
			msg_errorf("--%s '%s' is not a date: expected YYYY-MM-DD, e.g. 2026-11-25", o->name, arg);
			*status = EXIT_BAD_INPUT;
			return -1;
		}
		return 0;
	case CLI_CHOICE:
		for (int i = 0; o->choices[i]; i++)
			if (strcmp(arg, o->choices[i]) == 0) {
				*(int *)o->value = i;
				return 0;
			}
	{
		char words[256];
		int n = 0;

		for (int i = 0; o->choices[i] && n < (int)sizeof words; i++)
			n += snprintf(words + n, sizeof words - (size_t)n, "%s%s", i ? ", " : "", o->choices[i]);
		msg_errorf("--%s must be one of %s, not '%s'", o->name, words, arg);
		return usage_error(cmd, status);
	}
	case CLI_LIST:
		return list_add(o->value, arg);
	case CLI_TEMPLATES:
		tmpl_set_dir(arg);
		return 0;
	case CLI_QUIET:
		msg_set_verbosity(0);
		return 0;
	case CLI_VERBOSE:
		msg_set_verbosity(2);
		return 0;
	case CLI_HELP:
		cli_usage(cmd, stdout);
		*status = EXIT_OK;
		return -1;
	case CLI_END:
		break;
	}
	return 0;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, int *status)
{
	struct option longopts[CLI_MAX_OPTIONS + 1];
	/* ':' first: a missing value is told apart from an unknown option.
	 * Options may follow operands (GNU style). */
	char shortopts[2 * CLI_MAX_OPTIONS + 2] = ":";
	int given[CLI_MAX_OPTIONS] = {0};
	int n = 0, s = 1, c, index = -1;

	msg_init(argv[0]);
	for (const struct cli_option *o = cmd->options; o->kind != CLI_END && n < CLI_MAX_OPTIONS; o++, n++) {
		longopts[n] = (struct option){o->name, takes_value(o) ? required_argument : no_argument, NULL, 0};
		if (o->short_name) {
			shortopts[s++] = o->short_name;
			if (takes_value(o))
				shortopts[s++] = ':';
		}
	}
	longopts[n] = (struct option){NULL, 0, NULL, 0};
	shortopts[s] = '\0';
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, &index)) != -1) {
		const struct cli_option *o = NULL;

		if (c == ':') {
			msg_errorf("option '%s' needs a value", argv[optind - 1]);
			return usage_error(cmd, status);
		}
		if (c == '?') {
			if (optopt)
				msg_errorf("unknown option '-%c'", optopt);
			else
				msg_errorf("unknown option '%s'", argv[optind - 1]);
			return usage_error(cmd, status);
		}
		if (c == 0) {
			o = &cmd->options[index];
		} else {
			for (int i = 0; i < n && !o; i++)
				if (cmd->options[i].short_name == c)
					index = i, o = &cmd->options[i];
		}
		if (!o)
			return usage_error(cmd, status);
		given[index] = 1;
		if (take(cmd, o, optarg, status) != 0)
			return -1;
		if (o->seen)
			*o->seen = 1;
	}
	for (int i = 0; i < n; i++)
		if ((cmd->options[i].flags & CLI_REQUIRED) && !given[i]) {
			msg_errorf("--%s is required", cmd->options[i].name);
			return usage_error(cmd, status);
		}
	if (!cmd->operands && optind < argc) {
		msg_errorf("unexpected argument '%s'", argv[optind]);
		return usage_error(cmd, status);
	}
	if (cmd->operands && cmd->operands[0] != '[' && optind >= argc) {
		msg_errorf("no %s given", cmd->operands);
		return usage_error(cmd, status);
	}
	return optind;
}
