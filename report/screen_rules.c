/* screen_rules — the subsidy rules template (templates/subsidy_rules.csv),
 * read whole (a few dozen rows) with csvin as the checklist reads its tasks.
 * Conditions are a small language over canonical fields, "work_region in
 * 省外|省内县外; months >= 6; labour_age = 是", so a new year's policy is a
 * new row; a field the language does not know is an error at its line and
 * column, never a condition silently ignored.  Also: the labels of
 * recipients and units, when a rule is in force, months in post. */
#include "screen_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "datefmt.h"
#include "labels.h"
#include "strbuf.h"
#include "tmpl.h"

/* ---- labels ---- */

const char *screen_recipient_code(enum screen_recipient r)
{
	return r == SCREEN_PERSON ? "person" : r == SCREEN_EMPLOYER ? "employer" : "agency";
}

const char *screen_recipient_label(enum screen_recipient r)
{
	return label_of("recipient", screen_recipient_code(r));
}

const char *screen_unit_label(enum screen_unit u)
{
	switch (u) {
	case SCREEN_UNIT_ONCE: return "元/人";
	case SCREEN_UNIT_MONTH: return "元/人·月";
	case SCREEN_UNIT_YEAR: return "元/人·年";
	}
	return "";
}

const char *screen_status_label(enum screen_status s)
{
	return s == SCREEN_ELIGIBLE ? "符合" : s == SCREEN_VERIFY ? "待核实" : "";
}

void screen_rule_standard(const struct screen_rule *rule, char *out, size_t outsz)
{
	if (!rule->has_amount)
		snprintf(out, outsz, "文件未定金额");
	else if (rule->unit == SCREEN_UNIT_MONTH && rule->max_months > 0)
		snprintf(out, outsz, "%g%s，最多%d个月", rule->amount, screen_unit_label(rule->unit), rule->max_months);
	else
		snprintf(out, outsz, "%g%s%s", rule->amount, screen_unit_label(rule->unit),
			 rule->unit == SCREEN_UNIT_ONCE ? "（一次性）" : "");
}

int screen_rule_touches(const struct screen_rule *rule, const char *field)
{
	if (!strcmp(field, "employed"))
		return 1;
	if (!strcmp(field, "work_region"))
		return rule->regions != 0;
	/* The job itself: a rule about time in post, the kind of post, or paid
	 * to the employer or the agency that placed the person. */
	if (!strcmp(field, "employer"))
		return rule->min_months >= 0 || rule->ntypes > 0 || rule->recipient != SCREEN_PERSON;
	return 0;
}

/* ---- the rules template ---- */

enum rule_col {
	RC_ID, RC_SUBSIDY, RC_DOCUMENT, RC_ARTICLE, RC_RECIPIENT, RC_CONDITIONS, RC_UNVERIFIED, RC_AMOUNT, RC_UNIT,
	RC_MAX_MONTHS, RC_LIMIT, RC_VALID_FROM, RC_VALID_TO, RC_SOURCE_TEXT, RC_NOTE, RC_N
};

static const char *const RULE_COLUMNS[RC_N] = {
	"id",    "subsidy",    "document", "article",    "recipient",  "conditions",  "unverified", "amount",
	"unit",  "max_months", "limit",    "valid_from", "valid_to",   "source_text", "note"};

/* Columns a file may leave out. */
static int rule_col_optional(int c)
{
	return c == RC_SOURCE_TEXT || c == RC_NOTE;
}

const char *const SCREEN_REGIONS[3] = {"省外", "省内县外", "县内"};
static const char *const EMPLOYMENT_TYPES[] = {"外出务工", "就地就近就业", "公益性岗位", "就业帮扶车间", "自主创业",
					       "灵活就业"};

struct rule_ctx {
	const char *path;
	long line;
	int col; /* 1-based */
	struct bangfu_err *err;
};

static int rule_fail(const struct rule_ctx *c, const char *fmt, const char *a, const char *b)
{
	struct strbuf msg;
	int rc;

	strbuf_init(&msg);
	strbuf_addf(&msg, msg_tr(fmt), a ? a : "", b ? b : "");
	rc = bangfu_fail(c->err, ERR_INPUT, c->path, c->line, c->col, "bad_rule", "%s", strbuf_str(&msg));
	strbuf_free(&msg);
	return rc;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static int copy_text(char *dst, size_t dstsz, const char *src, const struct rule_ctx *c, const char *what)
{
	if (strlen(src) >= dstsz)
		return rule_fail(c, "%s is too long", what, NULL);
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* Split "a|b|c" into trimmed items; -1 on an empty item or too many. */
static int split_list(const char *text, char items[][160], int max, int *n, const struct rule_ctx *c,
		      const char *what)
{
	char buf[1024], *save = NULL, *tok;

	*n = 0;
	if (strlen(text) >= sizeof buf)
		return rule_fail(c, "%s is too long", what, NULL);
	snprintf(buf, sizeof buf, "%s", text);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		tok = trim(tok);
		if (!*tok)
			return rule_fail(c, "%s has an empty item: separate values with |", what, NULL);
		if (*n >= max || strlen(tok) >= 160)
			return rule_fail(c, "%s has too many or too long items", what, NULL);
		snprintf(items[(*n)++], 160, "%s", tok);
	}
	return 0;
}

int screen_index_of(const char *v, const char *const *list, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, list[i]))
			return i;
	return -1;
}

/* One clause "field op value". */
static int parse_clause(char *clause, struct screen_rule *r, unsigned *seen, const struct rule_ctx *c)
{
	static const char *const fields[] = {"work_region", "months", "employment_type", "labour_age", "category"};
	char field[64], op[4] = "", items[SCREEN_LIST_MAX][160];
	char *p = clause, *value;
	size_t len = 0;
	int f, n;

	while (p[len] && (p[len] == '_' || (p[len] >= 'a' && p[len] <= 'z')))
		len++;
	if (len == 0 || len >= sizeof field)
		return rule_fail(c,
				 "condition '%s' does not start with a field: write field op value, e.g. "
				 "months >= 6",
				 clause, NULL);
	memcpy(field, p, len);
	field[len] = '\0';
	f = screen_index_of(field, fields, 5);
	if (f < 0)
		return rule_fail(c,
				 "unknown field '%s' in a condition: expected work_region, months, employment_type, "
				 "labour_age or category (%s)",
				 field, clause);
	if (*seen & (1u << f))
		return rule_fail(c, "field '%s' has two conditions in one rule", field, NULL);
	*seen |= 1u << f;
	p = trim(p + len);
	if (!strncmp(p, ">=", 2))
		snprintf(op, sizeof op, ">="), p += 2;
	else if (!strncmp(p, "in", 2) && (p[2] == ' ' || p[2] == '\t'))
		snprintf(op, sizeof op, "in"), p += 2;
	else if (*p == '=')
		snprintf(op, sizeof op, "="), p += 1;
	value = trim(p);
	if (!op[0])
		return rule_fail(c, "condition '%s': expected an operator (in, =, >=) after %s", clause, field);
	if (!*value)
		return rule_fail(c, "condition '%s' has no value", clause, NULL);
	switch (f) {
	case 0: /* work_region */
	case 2: /* employment_type */
	case 4: /* category */
		if (!strcmp(op, ">="))
			return rule_fail(c, "condition '%s': %s takes in or =, not >=", clause, field);
		if (split_list(value, items, SCREEN_LIST_MAX, &n, c, "the condition's values") != 0)
			return -1;
		for (int i = 0; i < n; i++) {
			if (f == 0) {
				int k = screen_index_of(items[i], SCREEN_REGIONS, 3);

				if (k < 0)
					return rule_fail(c, "work_region value '%s' is not 省外, 省内县外 or 县内", items[i],
							 NULL);
				r->regions |= 1u << k;
			} else if (f == 2) {
				if (screen_index_of(items[i], EMPLOYMENT_TYPES, 6) < 0)
					return rule_fail(c,
							 "employment_type value '%s' is not one of 外出务工, 就地就近就业, "
							 "公益性岗位, 就业帮扶车间, 自主创业, 灵活就业",
							 items[i], NULL);
				snprintf(r->types[r->ntypes++], sizeof r->types[0], "%.40s", items[i]);
			} else {
				if (!strcmp(items[i], "consistent") || !strcmp(items[i], "一致"))
					r->categories |= SCREEN_CAT_CONSISTENT;
				else if (!strcmp(items[i], "conflict") || !strcmp(items[i], "不一致"))
					r->categories |= SCREEN_CAT_CONFLICT;
				else
					return rule_fail(c,
							 "category value '%s' is not consistent (一致) or conflict "
							 "(不一致): only persons in both sources can be 符合",
							 items[i], NULL);
			}
		}
		break;
	case 1: { /* months */
		char *end;
		long v;

		if (strcmp(op, ">="))
			return rule_fail(c, "condition '%s': months takes >=, e.g. months >= 12", clause, NULL);
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno || *end || end == value || v < 0 || v > 600)
			return rule_fail(c, "months value '%s' is not a whole number of months (0..600)", value, NULL);
		r->min_months = (int)v;
		break;
	}
	case 3: /* labour_age */
		if (strcmp(op, "=") || strcmp(value, "是"))
			return rule_fail(c, "condition '%s': write labour_age = 是", clause, NULL);
		r->labour_age = 1;
		break;
	}
	return 0;
}

static int parse_conditions(const char *text, struct screen_rule *r, const struct rule_ctx *c)
{
	char buf[2048], *p, *next;
	unsigned seen = 0;

	if (strlen(text) >= sizeof buf)
		return rule_fail(c, "the conditions are too long", NULL, NULL);
	snprintf(buf, sizeof buf, "%s", text);
	/* full-width semicolons as typed in a Chinese Excel */
	for (char *q; (q = strstr(buf, "；"));) {
		*q = ';';
		memmove(q + 1, q + 3, strlen(q + 3) + 1);
	}
	for (p = buf; p; p = next) {
		char *clause;

		next = strchr(p, ';');
		if (next)
			*next++ = '\0';
		clause = trim(p);
		if (*clause && parse_clause(clause, r, &seen, c) != 0)
			return -1;
	}
	return 0;
}

static int parse_date(const char *text, char out[11], const struct rule_ctx *c, const char *what)
{
	if (datefmt_parse(text, out) != DATEFMT_DAY)
		return rule_fail(c, "%s '%s' is not a date: write it as 2021-07-26", what, text);
	return 0;
}

static int take_rule(struct screen_rules *rules, const struct csvin_row *row, const int col_of[RC_N],
		     const char *path, struct bangfu_err *err)
{
	struct rule_ctx c = {path, row->line, 0, err};
	struct screen_rule r;
	const char *v[RC_N];
	char items[SCREEN_LIST_MAX][160];
	int blank = 1;

	for (int i = 0; i < RC_N; i++) {
		v[i] = col_of[i] >= 0 && col_of[i] < row->nfields ? row->fields[col_of[i]] : "";
		if (v[i][0])
			blank = 0;
	}
	if (blank)
		return 0;
	memset(&r, 0, sizeof r);
	r.line = row->line;
	r.min_months = -1;
#define AT(k) (c.col = col_of[k] + 1)
	for (int i = RC_ID; i <= RC_ARTICLE; i++)
		if (!v[i][0]) {
			AT(i);
			return rule_fail(&c, "%s is empty: every rule needs id, subsidy, document and article",
					 RULE_COLUMNS[i], NULL);
		}
	AT(RC_ID);
	for (const char *p = v[RC_ID]; *p; p++)
		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return rule_fail(&c, "id '%s' may hold only letters, digits and _ (e.g. service_2021)", v[RC_ID],
					 NULL);
	for (int i = 0; i < rules->n; i++)
		if (!strcmp(rules->v[i].id, v[RC_ID])) {
			char first[32];

			snprintf(first, sizeof first, "%ld", rules->v[i].line);
			return rule_fail(&c, "id '%s' is already used on line %s", v[RC_ID], first);
		}
	if (copy_text(r.id, sizeof r.id, v[RC_ID], &c, "id") != 0)
		return -1;
	AT(RC_SUBSIDY);
	if (copy_text(r.subsidy, sizeof r.subsidy, v[RC_SUBSIDY], &c, "subsidy") != 0)
		return -1;
	AT(RC_DOCUMENT);
	if (copy_text(r.document, sizeof r.document, v[RC_DOCUMENT], &c, "document") != 0)
		return -1;
	AT(RC_ARTICLE);
	if (copy_text(r.article, sizeof r.article, v[RC_ARTICLE], &c, "article") != 0)
		return -1;
	AT(RC_RECIPIENT);
	if (!strcmp(v[RC_RECIPIENT], "person"))
		r.recipient = SCREEN_PERSON;
	else if (!strcmp(v[RC_RECIPIENT], "employer"))
		r.recipient = SCREEN_EMPLOYER;
	else if (!strcmp(v[RC_RECIPIENT], "agency"))
		r.recipient = SCREEN_AGENCY;
	else
		return rule_fail(&c, "recipient '%s' is not person, employer or agency", v[RC_RECIPIENT], NULL);
	AT(RC_CONDITIONS);
	if (parse_conditions(v[RC_CONDITIONS], &r, &c) != 0)
		return -1;
	if (!r.categories)
		r.categories = SCREEN_CAT_CONSISTENT | SCREEN_CAT_CONFLICT;
	AT(RC_UNVERIFIED);
	if (split_list(v[RC_UNVERIFIED], items, SCREEN_LIST_MAX, &r.nunverified, &c, "unverified") != 0)
		return -1;
	for (int i = 0; i < r.nunverified; i++)
		snprintf(r.unverified[i], sizeof r.unverified[i], "%s", items[i]);
	AT(RC_AMOUNT);
	if (v[RC_AMOUNT][0]) {
		char *end;

		errno = 0;
		r.amount = strtod(v[RC_AMOUNT], &end);
		if (errno || *end || end == v[RC_AMOUNT] || !(r.amount >= 0 && r.amount < 1e9))
			return rule_fail(&c,
					 "amount '%s' is not a number of yuan; leave it empty where the document gives "
					 "no fixed amount (say so in note)",
					 v[RC_AMOUNT], NULL);
		r.has_amount = 1;
	}
	AT(RC_UNIT);
	if (!strcmp(v[RC_UNIT], "once"))
		r.unit = SCREEN_UNIT_ONCE;
	else if (!strcmp(v[RC_UNIT], "month"))
		r.unit = SCREEN_UNIT_MONTH;
	else if (!strcmp(v[RC_UNIT], "year"))
		r.unit = SCREEN_UNIT_YEAR;
	else
		return rule_fail(&c, "unit '%s' is not once, month or year", v[RC_UNIT], NULL);
	AT(RC_MAX_MONTHS);
	if (v[RC_MAX_MONTHS][0]) {
		char *end;
		long m;

		errno = 0;
		m = strtol(v[RC_MAX_MONTHS], &end, 10);
		if (errno || *end || m < 1 || m > 600)
			return rule_fail(&c, "max_months '%s' is not a whole number of months (1..600)", v[RC_MAX_MONTHS],
					 NULL);
		if (r.unit != SCREEN_UNIT_MONTH)
			return rule_fail(&c, "max_months '%s' needs unit month", v[RC_MAX_MONTHS], NULL);
		r.max_months = (int)m;
	}
	AT(RC_LIMIT);
	if (!v[RC_LIMIT][0])
		r.limit = SCREEN_LIMIT_NONE;
	else if (!strcmp(v[RC_LIMIT], "once_per_year"))
		r.limit = SCREEN_LIMIT_ONCE_PER_YEAR;
	else if (!strcmp(v[RC_LIMIT], "once"))
		r.limit = SCREEN_LIMIT_ONCE;
	else
		return rule_fail(&c, "limit '%s' is not once_per_year, once or empty", v[RC_LIMIT], NULL);
	AT(RC_VALID_FROM);
	if (parse_date(v[RC_VALID_FROM], r.valid_from, &c, "valid_from") != 0)
		return -1;
	AT(RC_VALID_TO);
	if (parse_date(v[RC_VALID_TO], r.valid_to, &c, "valid_to") != 0)
		return -1;
	if (strcmp(r.valid_from, r.valid_to) > 0)
		return rule_fail(&c, "valid_to %s is before valid_from %s", r.valid_to, r.valid_from);
	AT(RC_SOURCE_TEXT);
	if (copy_text(r.source_text, sizeof r.source_text, v[RC_SOURCE_TEXT], &c, "source_text") != 0)
		return -1;
	AT(RC_NOTE);
	if (copy_text(r.note, sizeof r.note, v[RC_NOTE], &c, "note") != 0)
		return -1;
#undef AT
	rules->v = realloc(rules->v, (size_t)(rules->n + 1) * sizeof *rules->v);
	if (!rules->v)
		abort();
	rules->v[rules->n++] = r;
	return 0;
}

int screen_rules_load(const char *path, struct screen_rules **out, struct bangfu_err *err)
{
	struct csvin_options copt = {0};
	struct screen_rules *rules;
	struct csvin_row *row;
	struct csvin *in;
	int col_of[RC_N], rc;

	*out = NULL;
	copt.display_name = path;
	in = csvin_open(path, &copt, err);
	if (!in)
		return -1;
	for (int c = 0; c < RC_N; c++) {
		col_of[c] = csvin_find_column(in, RULE_COLUMNS[c]);
		if (col_of[c] < 0 && !rule_col_optional(c)) {
			long header_line = csvin_header_line(in);

			csvin_close(in);
			return bangfu_fail(err, ERR_INPUT, path, header_line, 0, "bad_template",
					   "the subsidy rules template needs the columns id, subsidy, document, article, "
					   "recipient, conditions, unverified, amount, unit, max_months, limit, valid_from, "
					   "valid_to (%s is missing)",
					   RULE_COLUMNS[c]);
		}
	}
	if (!(rules = calloc(1, sizeof *rules)))
		abort();
	snprintf(rules->path, sizeof rules->path, "%s", path);
	while ((rc = csvin_next(in, &row, err)) == 1) {
		if (row->rejected) {
			rc = bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_rule", "%s",
					 row->reject_message);
			break;
		}
		if (take_rule(rules, row, col_of, path, err) != 0) {
			rc = -1;
			break;
		}
	}
	csvin_close(in);
	if (rc == 0 && rules->n == 0)
		rc = bangfu_fail(err, ERR_INPUT, path, 0, 0, "bad_template", "the subsidy rules template has no rules");
	if (rc != 0) {
		screen_rules_free(rules);
		return -1;
	}
	*out = rules;
	return 0;
}

void screen_rules_free(struct screen_rules *rules)
{
	if (!rules)
		return;
	free(rules->v);
	free(rules);
}

/* ---- dates and months ---- */

void screen_period_end(const char *period, int *y, int *m, int *d)
{
	*y = atoi(period);
	*m = atoi(period + 5);
	*d = datefmt_month_days(*y, *m);
}

int screen_rule_in_force(const struct screen_rule *rule, const char *period)
{
	char end[11];
	int y, m, d;

	screen_period_end(period, &y, &m, &d);
	snprintf(end, sizeof end, "%04d-%02d-%02d", y, m, d);
	return strcmp(rule->valid_from, end) <= 0 && strcmp(end, rule->valid_to) <= 0;
}

/* Months from (y, m, d) to the day `next` (days since the epoch): the
 * largest n with start + n months (the day clamped to the month's end) <= next. */
static int months_between(int y, int m, int d, long next)
{
	int ny, nm, nd, n;

	datefmt_civil_from_days(next, &ny, &nm, &nd);
	n = (ny - y) * 12 + (nm - m);
	for (; n > 0; n--) {
		int ty = y + (m - 1 + n) / 12, tm = (m - 1 + n) % 12 + 1;
		int td = d > datefmt_month_days(ty, tm) ? datefmt_month_days(ty, tm) : d;

		if (datefmt_days_from_civil(ty, tm, td) <= next)
			break;
	}
	return n < 0 ? 0 : n;
}

int screen_months_in_post(const char *work_start, const char *period, int *min_months, int *max_months)
{
	char iso[11];
	int ey, em, ed, y, m, d_first, d_last;
	long end, next;

	*min_months = *max_months = -1;
	if (!work_start)
		return -1;
	switch (datefmt_parse(work_start, iso)) {
	case DATEFMT_DAY:
		y = atoi(iso);
		m = atoi(iso + 5);
		d_first = d_last = atoi(iso + 8);
		break;
	case DATEFMT_MONTH:
		y = atoi(iso);
		m = atoi(iso + 5);
		d_first = 1;
		d_last = datefmt_month_days(y, m);
		break;
	default:
		return -1;
	}
	screen_period_end(period, &ey, &em, &ed);
	end = datefmt_days_from_civil(ey, em, ed);
	if (datefmt_days_from_civil(y, m, d_first) > end)
		return -1;
	next = end + 1; /* the period's last day is worked in full */
	*max_months = months_between(y, m, d_first, next);
	*min_months = datefmt_days_from_civil(y, m, d_last) > end ? 0 : months_between(y, m, d_last, next);
	return 0;
}
