/* tmpl — see tmpl.h.  Templates are read with csvin, so a statistician may
 * save them from Excel in UTF-8 or GB18030 alike. */
#include "tmpl.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvin.h"

#ifndef BANGFU_DATADIR
#define BANGFU_DATADIR "/usr/local/share/bangfu"
#endif

static char tmpl_dir[PATH_MAX];

void tmpl_set_dir(const char *dir)
{
	snprintf(tmpl_dir, sizeof tmpl_dir, "%s", dir ? dir : "");
}

static int try_path(const char *dir, const char *name, char *out, size_t outsz)
{
	if (!dir || !dir[0])
		return 0;
	if ((size_t)snprintf(out, outsz, "%s/%s", dir, name) >= outsz)
		return 0;
	return access(out, R_OK) == 0;
}

int tmpl_path(const char *name, char *out, size_t outsz, struct bangfu_err *err)
{
	static const char *const up[] = {"/../templates", "/../../templates", "/../../../templates"};
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	ssize_t n;

	if (tmpl_dir[0]) {
		if (try_path(tmpl_dir, name, out, outsz))
			return 0;
		return bangfu_fail(err, ERR_INPUT, tmpl_dir, 0, 0, "no_template",
				   "template %s is not in this directory", name);
	}
	if (try_path(getenv("BANGFU_TEMPLATES"), name, out, outsz))
		return 0;
	/* Next to the executable: bin/../templates in a build tree. */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* bin/, build/asan/bin/ and the like */
			for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
				snprintf(dir, sizeof dir, "%s%s", exe, up[i]);
				if (try_path(dir, name, out, outsz))
					return 0;
			}
		}
	}
	if (try_path(BANGFU_DATADIR "/templates", name, out, outsz))
		return 0;
	return bangfu_fail(err, ERR_INTERNAL, name, 0, 0, "no_template",
			   "template not found (looked in $BANGFU_TEMPLATES, next to the program, and %s/templates); "
			   "use --templates DIR",
			   BANGFU_DATADIR);
}

static int yes(const char *s)
{
	return strcmp(s, "yes") == 0 || strcmp(s, "1") == 0 || strcmp(s, "是") == 0 ||
	       strcmp(s, "y") == 0 || strcmp(s, "true") == 0;
}

/* Aliases are separated by '|' (not by 、, which headers such as
 * 县（市、区） contain). */
static void add_aliases(struct tmpl_column *c, const char *list)
{
	const char *p = list;

	while (*p) {
		const char *end = strchr(p, '|');

		if (!end)
			end = p + strlen(p);
		if (end > p) {
			c->aliases = realloc(c->aliases, (size_t)(c->naliases + 1) * sizeof *c->aliases);
			if (!c->aliases || !(c->aliases[c->naliases] = strndup(p, (size_t)(end - p))))
				abort();
			c->naliases++;
		}
		p = *end ? end + 1 : end;
	}
}

int tmpl_columns_load(const char *source, struct tmpl_columns **out, struct bangfu_err *err)
{
	char path[PATH_MAX];
	struct csvin *in;
	struct csvin_options opt = {0};
	struct csvin_row *row;
	struct tmpl_columns *cols;
	int c_source, c_field, c_required, c_type, c_label, c_aliases, r;

	*out = NULL;
	if (tmpl_path("columns.csv", path, sizeof path, err) != 0)
		return -1;
	in = csvin_open(path, &opt, err);
	if (!in)
		return -1;
	c_source = csvin_find_column(in, "source");
	c_field = csvin_find_column(in, "field");
	c_required = csvin_find_column(in, "required");
	c_type = csvin_find_column(in, "type");
	c_label = csvin_find_column(in, "label");
	c_aliases = csvin_find_column(in, "aliases");
	if (c_source < 0 || c_field < 0 || c_required < 0 || c_type < 0 || c_label < 0 || c_aliases < 0) {
		csvin_close(in);
		return bangfu_fail(err, ERR_INPUT, path, 1, 0, "bad_template",
				   "expected the columns source, field, required, type, label, aliases");
	}
	cols = calloc(1, sizeof *cols);
	if (!cols)
		abort();
	while ((r = csvin_next(in, &row, err)) == 1) {
		struct tmpl_column *c;

		if (row->rejected) {
			bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_template", "%s",
				    row->reject_message);
			r = -1;
			break;
		}
		/* "both" is the two sources, roster and hr; other tables name themselves. */
		if (strcmp(row->fields[c_source], source) != 0 &&
		    !(strcmp(row->fields[c_source], "both") == 0 &&
		      (strcmp(source, "roster") == 0 || strcmp(source, "hr") == 0)))
			continue;
		if (!row->fields[c_field][0] || strlen(row->fields[c_field]) >= TMPL_FIELD_MAX) {
			bangfu_fail(err, ERR_INPUT, path, row->line, c_field + 1, "bad_template",
				    "field name missing or too long");
			r = -1;
			break;
		}
		cols->cols = realloc(cols->cols, (size_t)(cols->n + 1) * sizeof *cols->cols);
		if (!cols->cols)
			abort();
		c = &cols->cols[cols->n++];
		memset(c, 0, sizeof *c);
		snprintf(c->field, sizeof c->field, "%s", row->fields[c_field]);
		snprintf(c->label, sizeof c->label, "%s", row->fields[c_label]);
		c->required = yes(row->fields[c_required]);
		c->is_date = strcmp(row->fields[c_type], "date") == 0;
		c->is_id = strcmp(row->fields[c_type], "id") == 0;
		add_aliases(c, row->fields[c_aliases]);
		if (c->naliases == 0) {
			bangfu_fail(err, ERR_INPUT, path, row->line, c_aliases + 1, "bad_template",
				    "field %s has no alias", c->field);
			r = -1;
			break;
		}
	}
	csvin_close(in);
	if (r < 0) {
		tmpl_columns_free(cols);
		return -1;
	}
	*out = cols;
	return 0;
}

void tmpl_columns_free(struct tmpl_columns *cols)
{
	if (!cols)
		return;
	for (int i = 0; i < cols->n; i++) {
		for (int a = 0; a < cols->cols[i].naliases; a++)
			free(cols->cols[i].aliases[a]);
		free(cols->cols[i].aliases);
	}
	free(cols->cols);
	free(cols);
}

int tmpl_columns_find(const struct tmpl_columns *cols, const char *field)
{
	for (int i = 0; i < cols->n; i++)
		if (strcmp(cols->cols[i].field, field) == 0)
			return i;
	return -1;
}

struct tmpl_policy {
	char path[PATH_MAX];
	char **keys, **values;
	long *lines;
	int n;
};

int tmpl_policy_load(const char *name, struct tmpl_policy **out, struct bangfu_err *err)
{
	struct tmpl_policy *p = calloc(1, sizeof *p);
	struct csvin_options opt = {0};
	struct csvin_row *row;
	struct csvin *in;
	int c_key, c_value, r;

	if (!p)
		abort();
	*out = NULL;
	if (tmpl_path(name, p->path, sizeof p->path, err) != 0) {
		free(p);
		return -1;
	}
	in = csvin_open(p->path, &opt, err);
	if (!in) {
		free(p);
		return -1;
	}
	c_key = csvin_find_column(in, "key");
	c_value = csvin_find_column(in, "value");
	if (c_key < 0 || c_value < 0) {
		bangfu_fail(err, ERR_INPUT, p->path, 1, 0, "bad_template", "expected the columns key, value, note");
		csvin_close(in);
		free(p);
		return -1;
	}
	while ((r = csvin_next(in, &row, err)) == 1) {
		if (row->rejected) {
			bangfu_fail(err, ERR_INPUT, p->path, row->line, row->reject_col, "bad_template", "%s",
				    row->reject_message);
			r = -1;
			break;
		}
		p->keys = realloc(p->keys, (size_t)(p->n + 1) * sizeof *p->keys);
		p->values = realloc(p->values, (size_t)(p->n + 1) * sizeof *p->values);
		p->lines = realloc(p->lines, (size_t)(p->n + 1) * sizeof *p->lines);
		if (!p->keys || !p->values || !p->lines)
			abort();
		p->keys[p->n] = strdup(row->fields[c_key]);
		p->values[p->n] = strdup(row->fields[c_value]);
		p->lines[p->n] = row->line;
		if (!p->keys[p->n] || !p->values[p->n])
			abort();
		p->n++;
	}
	csvin_close(in);
	if (r < 0) {
		tmpl_policy_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

void tmpl_policy_free(struct tmpl_policy *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++) {
		free(p->keys[i]);
		free(p->values[i]);
	}
	free(p->keys);
	free(p->values);
	free(p->lines);
	free(p);
}

const char *tmpl_policy_text(const struct tmpl_policy *p, const char *key)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->keys[i], key) == 0)
			return p->values[i];
	return NULL;
}

int tmpl_policy_int(const struct tmpl_policy *p, const char *key, long *out, struct bangfu_err *err)
{
	for (int i = 0; i < p->n; i++) {
		char *end;

		if (strcmp(p->keys[i], key) != 0)
			continue;
		*out = strtol(p->values[i], &end, 10);
		if (end == p->values[i] || *end)
			return bangfu_fail(err, ERR_INPUT, p->path, p->lines[i], 2, "bad_template",
					   "%s should be a whole number, not '%s'", key, p->values[i]);
		return 0;
	}
	return bangfu_fail(err, ERR_INPUT, p->path, 0, 0, "bad_template", "no row for %s", key);
}

int tmpl_policy_double(const struct tmpl_policy *p, const char *key, double *out, struct bangfu_err *err)
{
	for (int i = 0; i < p->n; i++) {
		char *end;

		if (strcmp(p->keys[i], key) != 0)
			continue;
		*out = strtod(p->values[i], &end);
		if (end == p->values[i] || *end)
			return bangfu_fail(err, ERR_INPUT, p->path, p->lines[i], 2, "bad_template",
					   "%s should be a number, not '%s'", key, p->values[i]);
		return 0;
	}
	return bangfu_fail(err, ERR_INPUT, p->path, 0, 0, "bad_template", "no row for %s", key);
}

const char *tmpl_policy_path(const struct tmpl_policy *p)
{
	return p->path;
}
