/* population — see population.h.  Both templates are small (dozens of rows,
 * a few hundred counties at most) and read whole. */
#include "population.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "region.h"
#include "strbuf.h"
#include "tmpl.h"

struct value_row {
	char *field, *value, *code;
	long line;
};

#define UNKNOWN_SHOWN 4

struct population_tables {
	struct value_row *values;
	int nvalues;
	int *key_codes;
	int nkeys;
	char values_path[1024], keys_path[1024];
	/* written values not in the template */
	struct {
		char field[32], value[64];
		long count;
	} unknown[UNKNOWN_SHOWN];
	int nunknown;
	long unknown_total;
};

static const struct {
	const char *field;
	const char *const codes[5];
} FIELDS[] = {
	{"population", {POPULATION_EXITED, POPULATION_MONITORED, POPULATION_LOW_INCOME, POPULATION_OTHER, NULL}},
	{"relocated", {"1", "0", NULL}},
	{"training_intent", {"1", "0", NULL}},
};

static int field_index(const char *field)
{
	for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++)
		if (!strcmp(field, FIELDS[i].field))
			return (int)i;
	return -1;
}

static int code_known(int f, const char *code)
{
	for (int i = 0; FIELDS[f].codes[i]; i++)
		if (!strcmp(code, FIELDS[f].codes[i]))
			return 1;
	return 0;
}

static char *A_FIELD[] = {"field", "字段"};
static char *A_VALUE[] = {"value", "写法"};
static char *A_CODE[] = {"code", "代码"};

static int load_values(struct population_tables *t, struct bangfu_err *err)
{
	struct tmpl_column cols[3] = {
		{.field = "field", .label = "字段", .required = 1, .aliases = A_FIELD, .naliases = 2},
		{.field = "value", .label = "写法", .required = 1, .aliases = A_VALUE, .naliases = 2},
		{.field = "code", .label = "代码", .required = 1, .aliases = A_CODE, .naliases = 2},
	};
	struct tmpl_columns map = {cols, 3};
	struct csvin_options opt = {.columns = &map};
	const char *path = t->values_path;
	struct csvin_row *row;
	struct csvin *in;
	int col[3], rc;

	if (tmpl_path("population_values.csv", t->values_path, sizeof t->values_path, err) != 0 ||
	    !(in = csvin_open(path, &opt, err)))
		return -1;
	for (int i = 0; i < 3; i++)
		col[i] = csvin_field_column(in, i);
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *field, *value, *code;
		int f;

		if (row->rejected) {
			rc = bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_template", "%s",
					 row->reject_message);
			break;
		}
		field = row->fields[col[0]];
		value = row->fields[col[1]];
		code = row->fields[col[2]];
		if (!field[0] && !value[0] && !code[0])
			continue;
		if ((f = field_index(field)) < 0) {
			rc = bangfu_fail(err, ERR_INPUT, path, row->line, col[0] + 1, "bad_template",
					 "field '%s' is not population, relocated or training_intent", field);
			break;
		}
		if (!value[0]) {
			rc = bangfu_fail(err, ERR_INPUT, path, row->line, col[1] + 1, "bad_template",
					 "value is empty: write the value as the files have it");
			break;
		}
		if (!code_known(f, code)) {
			rc = bangfu_fail(err, ERR_INPUT, path, row->line, col[2] + 1, "bad_template",
					 f == 0 ? "code '%s' is not exited, monitored, low_income or other"
						: "code '%s' is not 1 or 0",
					 code);
			break;
		}
		for (int i = 0; i < t->nvalues; i++)
			if (!strcmp(t->values[i].field, field) && !strcmp(t->values[i].value, value)) {
				rc = bangfu_fail(err, ERR_INPUT, path, row->line, col[1] + 1, "bad_template",
						 "%s '%s' is already on line %ld", field, value, t->values[i].line);
				break;
			}
		if (rc < 0)
			break;
		t->values = realloc(t->values, (size_t)(t->nvalues + 1) * sizeof *t->values);
		if (!t->values)
			abort();
		t->values[t->nvalues++] = (struct value_row){xstrdup(field), xstrdup(value), xstrdup(code), row->line};
	}
	csvin_close(in);
	return rc < 0 ? -1 : 0;
}

static char *A_COUNTY_CODE[] = {"county_code", "县市区代码"};
static char *A_COUNTY[] = {"county", "县市区"};
static char *A_CITY[] = {"city", "市州"};

static int load_key_counties(struct population_tables *t, struct bangfu_err *err)
{
	struct tmpl_column cols[3] = {
		{.field = "county_code", .label = "县市区代码", .required = 1, .aliases = A_COUNTY_CODE, .naliases = 2},
		{.field = "county", .label = "县市区", .required = 1, .aliases = A_COUNTY, .naliases = 2},
		{.field = "city", .label = "市州", .aliases = A_CITY, .naliases = 2},
	};
	struct tmpl_columns map = {cols, 3};
	struct csvin_options opt = {.columns = &map};
	const char *path = t->keys_path;
	struct csvin_row *row;
	struct csvin *in;
	int col[3], rc;

	if (tmpl_path("key_counties.csv", t->keys_path, sizeof t->keys_path, err) != 0 ||
	    !(in = csvin_open(path, &opt, err)))
		return -1;
	for (int i = 0; i < 3; i++)
		col[i] = csvin_field_column(in, i);
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *code_text, *county, *city;
		const struct region *r;
		char *end;
		long code;

		if (row->rejected) {
			rc = bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_template", "%s",
					 row->reject_message);
			break;
		}
		code_text = row->fields[col[0]];
		county = row->fields[col[1]];
		city = col[2] >= 0 && col[2] < row->nfields ? row->fields[col[2]] : "";
		if (!code_text[0] && !county[0] && !city[0])
			continue;
		code = strtol(code_text, &end, 10);
		if (strlen(code_text) != 6 || *end || !(r = region_by_code((int)code))) {
			rc = bangfu_fail(err, ERR_INPUT, path, row->line, col[0] + 1, "bad_template",
					 "county_code '%s' is not the 6-digit GB/T 2260 code of a county", code_text);
			break;
		}
		if ((county[0] && strcmp(county, r->county) != 0) || (city[0] && strcmp(city, r->city) != 0)) {
			rc = bangfu_fail(err, ERR_INPUT, path, row->line, col[county[0] && strcmp(county, r->county) ? 1 : 2] + 1,
					 "bad_template", "%s is %s%s, not the name given", code_text, r->city, r->county);
			break;
		}
		t->key_codes = realloc(t->key_codes, (size_t)(t->nkeys + 1) * sizeof *t->key_codes);
		if (!t->key_codes)
			abort();
		t->key_codes[t->nkeys++] = (int)code;
	}
	csvin_close(in);
	return rc < 0 ? -1 : 0;
}

int population_tables_load(struct population_tables **out, struct bangfu_err *err)
{
	struct population_tables *t = xcalloc(1, sizeof *t);

	*out = NULL;
	if (load_values(t, err) != 0 || load_key_counties(t, err) != 0) {
		population_tables_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void population_tables_free(struct population_tables *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nvalues; i++) {
		free(t->values[i].field);
		free(t->values[i].value);
		free(t->values[i].code);
	}
	free(t->values);
	free(t->key_codes);
	free(t);
}

const char *population_code(struct population_tables *t, const char *field, const char *value)
{
	size_t len;

	if (!value)
		return NULL;
	while (*value == ' ' || *value == '\t')
		value++;
	len = strlen(value);
	while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	if (len == 0)
		return NULL;
	for (int i = 0; i < t->nvalues; i++)
		if (strlen(t->values[i].value) == len && !memcmp(t->values[i].value, value, len) &&
		    !strcmp(t->values[i].field, field))
			return t->values[i].code;
	t->unknown_total++;
	for (int i = 0; i < t->nunknown; i++)
		if (!strcmp(t->unknown[i].field, field) && strlen(t->unknown[i].value) == len &&
		    !memcmp(t->unknown[i].value, value, len)) {
			t->unknown[i].count++;
			return NULL;
		}
	if (t->nunknown < UNKNOWN_SHOWN && len < sizeof t->unknown[0].value) {
		snprintf(t->unknown[t->nunknown].field, sizeof t->unknown[0].field, "%s", field);
		memcpy(t->unknown[t->nunknown].value, value, len);
		t->unknown[t->nunknown].value[len] = '\0';
		t->unknown[t->nunknown++].count = 1;
	}
	return NULL;
}

long population_unknown(const struct population_tables *t, char *out, size_t outsz)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < t->nunknown && n < outsz; i++)
		n += (size_t)snprintf(out + n, outsz - n, "%s%s '%s' ×%ld", i ? ", " : "", t->unknown[i].field,
				      t->unknown[i].value, t->unknown[i].count);
	return t->unknown_total;
}

int population_key_county(const struct population_tables *t, int county_code)
{
	if (t->nkeys == 0)
		return -1;
	for (int i = 0; i < t->nkeys; i++)
		if (t->key_codes[i] == county_code)
			return 1;
	return 0;
}

int population_key_county_count(const struct population_tables *t)
{
	return t->nkeys;
}
