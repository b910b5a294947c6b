/* screen — see screen.h.
 *
 * The rules template is read whole (a few dozen rows) with csvin, as the
 * checklist reads its tasks.  Conditions are a small language over canonical
 * fields, "work_region in 省外|省内县外; months >= 6; labour_age = 是", so a
 * new year's policy is a new row; a field the language does not know is an
 * error at its line and column, never a condition silently ignored.
 *
 * Evaluation is three-valued: a condition the data establishes holds or
 * fails; one it cannot tell (no work start, an invalid ID without a birth
 * date) keeps the person on the list as 待核实 with the reason, because the
 * point of the screening is that nobody entitled is missed (应享尽享) and
 * nobody is declared entitled on data that does not show it. */
#include "screen.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvin.h"
#include "datefmt.h"
#include "db.h"
#include "idno.h"
#include "labels.h"
#include "outputs.h"
#include "reconcile.h"
#include "strbuf.h"
#include "tmpl.h"
#include "xlsx.h"
#include "bangfu.h"
#include "cli.h"

#define DEFAULT_RULES "subsidy_rules.csv"

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

static const char *const REGIONS[] = {"省外", "省内县外", "县内"};
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
	strbuf_addf(&msg, fmt, a ? a : "", b ? b : "");
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

static int index_of(const char *v, const char *const *list, int n)
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
	f = index_of(field, fields, 5);
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
				int k = index_of(items[i], REGIONS, 3);

				if (k < 0)
					return rule_fail(c, "work_region value '%s' is not 省外, 省内县外 or 县内", items[i],
							 NULL);
				r->regions |= 1u << k;
			} else if (f == 2) {
				if (index_of(items[i], EMPLOYMENT_TYPES, 6) < 0)
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

static void period_end(const char *period, int *y, int *m, int *d)
{
	*y = atoi(period);
	*m = atoi(period + 5);
	*d = datefmt_month_days(*y, *m);
}

int screen_rule_in_force(const struct screen_rule *rule, const char *period)
{
	char end[11];
	int y, m, d;

	period_end(period, &y, &m, &d);
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
	period_end(period, &ey, &em, &ed);
	end = datefmt_days_from_civil(ey, em, ed);
	if (datefmt_days_from_civil(y, m, d_first) > end)
		return -1;
	next = end + 1; /* the period's last day is worked in full */
	*max_months = months_between(y, m, d_first, next);
	*min_months = datefmt_days_from_civil(y, m, d_last) > end ? 0 : months_between(y, m, d_last, next);
	return 0;
}

/* ---- evaluating one rule for one person ---- */

static void add(char *buf, size_t sz, const char *text)
{
	size_t n = strlen(buf);

	if (n + 1 >= sz)
		return;
	snprintf(buf + n, sz - n, "%s%s", n ? "；" : "", text);
}

static int in_list(const char *v, const char (*list)[48], int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

/* "就业地区、就业单位" of the conflicting fields the rule reads; "" when none. */
static void touched_conflicts(const struct screen_rule *rule, const char *conflicts, char *out, size_t outsz)
{
	char buf[256], *save = NULL;

	out[0] = '\0';
	if (!conflicts || strlen(conflicts) >= sizeof buf)
		return;
	snprintf(buf, sizeof buf, "%s", conflicts);
	for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save))
		if (screen_rule_touches(rule, f)) {
			size_t n = strlen(out);

			snprintf(out + n, outsz - n, "%s%s", n ? "、" : "", label_of("field", f));
		}
}

static void conflict_labels(const char *conflicts, char *out, size_t outsz)
{
	char buf[256], *save = NULL;

	out[0] = '\0';
	if (!conflicts || strlen(conflicts) >= sizeof buf)
		return;
	snprintf(buf, sizeof buf, "%s", conflicts);
	for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(out);

		snprintf(out + n, outsz - n, "%s%s", n ? "、" : "", label_of("field", f));
	}
}

static void category_check(const struct screen_rule *rule, const struct screen_person *p, struct screen_outcome *o)
{
	const char *cat = p->category ? p->category : "";
	char fields[256], text[512];

	if (!strcmp(cat, "consistent")) {
		if (rule->categories & SCREEN_CAT_CONSISTENT)
			add(o->evidence, sizeof o->evidence, "比对：两系统一致");
		else
			add(o->reason, sizeof o->reason, "本项不认“一致”的比对结果");
	} else if (!strcmp(cat, "conflict")) {
		touched_conflicts(rule, p->conflicts, fields, sizeof fields);
		if (fields[0]) {
			snprintf(text, sizeof text, "两系统%s不一致，涉及本项条件，需先核实更正", fields);
			add(o->reason, sizeof o->reason, text);
		} else if (!(rule->categories & SCREEN_CAT_CONFLICT)) {
			add(o->reason, sizeof o->reason, "两系统信息不一致，本项只认两系统一致的人员");
		} else {
			conflict_labels(p->conflicts, fields, sizeof fields);
			snprintf(text, sizeof text, "比对：%s不一致，不涉及本项条件", fields[0] ? fields : "部分信息");
			add(o->evidence, sizeof o->evidence, text);
		}
	} else if (!strcmp(cat, "roster_only")) {
		add(o->reason, sizeof o->reason, "未录入省平台，就业信息只有扶贫系统一方，需先录入省平台");
	} else if (!strcmp(cat, "hr_only")) {
		add(o->reason, sizeof o->reason, "不在扶贫系统名单，需核实是否为脱贫人口或监测对象");
	} else if (!strcmp(cat, "invalid_id")) {
		add(o->reason, sizeof o->reason, "证件号码无效，无法与另一系统比对，需先更正证件号码");
	} else if (!strcmp(cat, "duplicate")) {
		add(o->reason, sizeof o->reason, "证件号码在同一系统重复出现，需先去重");
	} else {
		add(o->reason, sizeof o->reason, "无比对结果");
	}
}

static int age_at(const char *birth, const char *period)
{
	char iso[11];
	int y, m, d, by, bm, bd;

	if (!birth || datefmt_parse(birth, iso) != DATEFMT_DAY)
		return -1;
	by = atoi(iso);
	bm = atoi(iso + 5);
	bd = atoi(iso + 8);
	period_end(period, &y, &m, &d);
	return y - by - (m < bm || (m == bm && d < bd));
}

enum screen_status screen_evaluate(const struct screen_rule *rule, const char *period,
				   const struct screen_person *p, struct screen_outcome *o)
{
	char text[768];
	int ey, em, ed, min_m = -1, max_m = -1, have_months;

	memset(o, 0, sizeof *o);
	o->months = -1;
	if (!screen_rule_in_force(rule, period))
		return o->status = SCREEN_NO;
	if (!p->employed || strcmp(p->employed, "是") != 0)
		return o->status = SCREEN_NO;
	period_end(period, &ey, &em, &ed);

	if (rule->regions) {
		int k = p->work_region ? index_of(p->work_region, REGIONS, 3) : -1;

		if (k < 0) {
			add(o->reason, sizeof o->reason, "就业地区不详，无法判断是否跨区域就业");
		} else if (!(rule->regions & (1u << k))) {
			return o->status = SCREEN_NO;
		} else {
			snprintf(text, sizeof text, "就业地区：%s%s%s%s", p->work_region, p->work_place ? "（" : "",
				 p->work_place ? p->work_place : "", p->work_place ? "）" : "");
			add(o->evidence, sizeof o->evidence, text);
		}
	}
	if (rule->ntypes) {
		if (!p->employment_type || !p->employment_type[0]) {
			add(o->reason, sizeof o->reason, "就业类型不详（省平台未记录）");
		} else if (!in_list(p->employment_type, rule->types, rule->ntypes)) {
			return o->status = SCREEN_NO;
		} else {
			snprintf(text, sizeof text, "就业类型：%s", p->employment_type);
			add(o->evidence, sizeof o->evidence, text);
		}
	}
	have_months = p->work_start && p->work_start[0] &&
		      screen_months_in_post(p->work_start, period, &min_m, &max_m) == 0;
	if (rule->min_months >= 0) {
		if (!p->work_start || !p->work_start[0]) {
			add(o->reason, sizeof o->reason, "未填就业时间，无法计算在岗月数");
		} else if (!have_months) {
			snprintf(text, sizeof text, "就业时间“%s”无法识别或晚于统计期末", p->work_start);
			add(o->reason, sizeof o->reason, text);
		} else if (max_m < rule->min_months) {
			return o->status = SCREEN_NO;
		} else if (min_m < rule->min_months) {
			snprintf(text, sizeof text, "就业时间只到月份（%s），是否满%d个月取决于具体日期", p->work_start,
				 rule->min_months);
			add(o->reason, sizeof o->reason, text);
		} else {
			snprintf(text, sizeof text, "就业时间：%s（%s），至%04d-%02d-%02d在岗满%d个月（要求%d个月以上）",
				 p->work_start, p->work_start_from ? p->work_start_from : "省平台", ey, em, ed, min_m,
				 rule->min_months);
			add(o->evidence, sizeof o->evidence, text);
		}
	}
	if (rule->labour_age) {
		if (p->labour_age == 0)
			return o->status = SCREEN_NO;
		if (p->labour_age < 0) {
			add(o->reason, sizeof o->reason, "出生日期不详，无法判断是否在劳动年龄内");
		} else {
			int age = age_at(p->birth_date, period);

			if (age >= 0)
				snprintf(text, sizeof text, "年龄：%d岁（劳动年龄内）", age);
			else
				snprintf(text, sizeof text, "劳动年龄内");
			add(o->evidence, sizeof o->evidence, text);
		}
	}
	if (p->employer && p->employer[0] && rule->recipient != SCREEN_PERSON) {
		snprintf(text, sizeof text, "就业单位：%s", p->employer);
		add(o->evidence, sizeof o->evidence, text);
	}

	category_check(rule, p, o);
	if (rule->nunverified) {
		size_t n;

		snprintf(text, sizeof text, "数据无法确认，需核实：");
		for (int i = 0; i < rule->nunverified; i++) {
			n = strlen(text);
			snprintf(text + n, sizeof text - n, "%s%s", i ? "、" : "", rule->unverified[i]);
		}
		add(o->reason, sizeof o->reason, text);
	}
	if (rule->limit != SCREEN_LIMIT_NONE && p->earlier_period && p->earlier_period[0]) {
		snprintf(text, sizeof text, "%s已于%s列入筛选名单（%s），需核实是否已享受", rule->subsidy, p->earlier_period,
			 rule->limit == SCREEN_LIMIT_ONCE_PER_YEAR ? "每人每年只享受一次" : "只享受一次");
		add(o->reason, sizeof o->reason, text);
	}

	if (have_months)
		o->months = min_m;
	if (rule->has_amount) {
		if (rule->unit != SCREEN_UNIT_MONTH) {
			o->has_amount = 1;
			o->amount = rule->amount;
		} else if (have_months) {
			int m = rule->max_months > 0 && min_m > rule->max_months ? rule->max_months : min_m;

			o->has_amount = 1;
			o->amount = rule->amount * m;
		}
	}
	return o->status = o->reason[0] ? SCREEN_VERIFY : SCREEN_ELIGIBLE;
}

/* ---- the stage: database ---- */

/* The persons who may be listed: employed (every subsidy here is for a job)
 * with the first row of each source, as reconcile took it; invalid-ID
 * persons carry their row in the key ('hr:FILE:LINE'). */
static const char SQL_PERSONS[] =
	"WITH k AS (SELECT p.*,"
	"  CASE WHEN p.id_valid THEN (SELECT min(rowid) FROM hr_row x WHERE x.period = p.period AND x.id_number = p.id_number)"
	"   WHEN p.person_key LIKE 'hr:%' THEN (SELECT x.rowid FROM hr_row x WHERE x.period = p.period"
	"    AND x.file_id = CAST(substr(p.person_key, 4, instr(substr(p.person_key, 4), ':') - 1) AS INTEGER)"
	"    AND x.line = CAST(substr(substr(p.person_key, 4), instr(substr(p.person_key, 4), ':') + 1) AS INTEGER)) END AS h_id,"
	"  CASE WHEN p.id_valid THEN (SELECT min(rowid) FROM roster_row x WHERE x.period = p.period AND x.id_number = p.id_number)"
	"   WHEN p.person_key LIKE 'roster:%' THEN (SELECT x.rowid FROM roster_row x WHERE x.period = p.period"
	"    AND x.file_id = CAST(substr(p.person_key, 8, instr(substr(p.person_key, 8), ':') - 1) AS INTEGER)"
	"    AND x.line = CAST(substr(substr(p.person_key, 8), instr(substr(p.person_key, 8), ':') + 1) AS INTEGER)) END AS r_id"
	" FROM person p WHERE p.period = ?1 AND p.employed = '是')"
	" SELECT k.person_key, k.id_number, k.category, k.name, k.city, k.county, k.township, k.village,"
	"  k.employed, k.work_region, k.employment_type, k.labour_age, k.birth_date,"
	"  coalesce(nullif(h.work_start, ''), nullif(r.work_start, '')),"
	"  CASE WHEN coalesce(h.work_start, '') <> '' THEN '省平台' WHEN coalesce(r.work_start, '') <> '' THEN '扶贫系统' END,"
	"  coalesce(nullif(h.employer, ''), r.employer),"
	"  CASE WHEN h.rowid IS NOT NULL THEN nullif(coalesce(h.work_province, '') || coalesce(h.work_city, '')"
	"   || coalesce(h.work_county, ''), '') ELSE r.work_place END,"
	"  (SELECT group_concat(c.field, ',') FROM conflict c WHERE c.period = k.period AND c.id_number = k.person_key"
	"   AND c.field <> 'gender_id')"
	" FROM k LEFT JOIN hr_row h ON h.rowid = k.h_id LEFT JOIN roster_row r ON r.rowid = k.r_id"
	" ORDER BY k.person_key";

enum { P_KEY, P_ID, P_CATEGORY, P_NAME, P_CITY, P_COUNTY, P_TOWNSHIP, P_VILLAGE, P_EMPLOYED, P_REGION, P_TYPE,
       P_LABOUR_AGE, P_BIRTH, P_WORK_START, P_WORK_START_FROM, P_EMPLOYER, P_PLACE, P_CONFLICTS };

static const char *col(sqlite3_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(st, c);
}

static const char *col_or_empty(sqlite3_stmt *st, int c)
{
	const char *s = col(st, c);

	return s ? s : "";
}

/* The earlier period of the rule's limit window in which the person was
 * listed for the same subsidy (by name: the 2017 and 2021 rows of one subsidy
 * share it). */
static int earlier_period(sqlite3_stmt *st, const struct screen_rule *rule, const char *period, const char *key,
			  char out[8])
{
	char from[8];

	out[0] = '\0';
	if (rule->limit == SCREEN_LIMIT_NONE)
		return 0;
	snprintf(from, sizeof from, "%.4s-01", rule->limit == SCREEN_LIMIT_ONCE_PER_YEAR ? period : "0000");
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, rule->subsidy, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, period, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(out, 8, "%s", (const char *)sqlite3_column_text(st, 0));
	return 0;
}

static int screen_persons(sqlite3 *db, const struct screen_options *opt, const struct screen_rules *rules,
			  const int *in_force, struct screen_summary *sum, struct bangfu_err *err)
{
	sqlite3_stmt *sel = NULL, *ins = NULL, *prev = NULL;
	int step, rc = -1;

	if (db_prepare(db, SQL_PERSONS, &sel, err) != 0 ||
	    db_prepare(db,
		       "INSERT INTO subsidy_candidate (period, person_key, rule_id, rule_order, id_number, name, city,"
		       " county, township, village, employer, subsidy, document, article, recipient, status, reason,"
		       " evidence, months, amount, standard)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
		       &ins, err) != 0 ||
	    db_prepare(db,
		       "SELECT max(period) FROM subsidy_candidate WHERE person_key = ?1 AND subsidy = ?2"
		       " AND period >= ?3 AND period < ?4",
		       &prev, err) != 0)
		goto out;
	sqlite3_bind_text(sel, 1, opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		struct screen_person p = {0};
		struct screen_outcome o;
		char earlier[8];

		sum->persons++;
		p.category = col(sel, P_CATEGORY);
		p.conflicts = col(sel, P_CONFLICTS);
		p.employed = col(sel, P_EMPLOYED);
		p.work_region = col(sel, P_REGION);
		p.work_place = col(sel, P_PLACE);
		p.employment_type = col(sel, P_TYPE);
		p.work_start = col(sel, P_WORK_START);
		p.work_start_from = col(sel, P_WORK_START_FROM);
		p.employer = col(sel, P_EMPLOYER);
		p.birth_date = col(sel, P_BIRTH);
		p.labour_age = sqlite3_column_type(sel, P_LABOUR_AGE) == SQLITE_NULL ? -1
			       : sqlite3_column_int(sel, P_LABOUR_AGE) ? 1 : 0;
		for (int i = 0; i < rules->n; i++) {
			const struct screen_rule *rule = &rules->v[i];
			char standard[128];

			if (!in_force[i] || screen_evaluate(rule, opt->period, &p, &o) == SCREEN_NO)
				continue;
			if (rule->limit != SCREEN_LIMIT_NONE) {
				earlier_period(prev, rule, opt->period, col(sel, P_KEY), earlier);
				if (earlier[0]) {
					p.earlier_period = earlier;
					screen_evaluate(rule, opt->period, &p, &o);
					p.earlier_period = NULL;
				}
			}
			screen_rule_standard(rule, standard, sizeof standard);
			sqlite3_reset(ins);
			sqlite3_bind_text(ins, 1, opt->period, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 2, col(sel, P_KEY), -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 3, rule->id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(ins, 4, i + 1);
			sqlite3_bind_text(ins, 5, col(sel, P_ID), -1, SQLITE_TRANSIENT);
			for (int c = P_NAME; c <= P_VILLAGE; c++)
				db_bind_text(ins, 6 + (c - P_NAME), col(sel, c));
			db_bind_text(ins, 11, col(sel, P_EMPLOYER));
			sqlite3_bind_text(ins, 12, rule->subsidy, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 13, rule->document, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 14, rule->article, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 15,
					  screen_recipient_code(rule->recipient),
					  -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 16, screen_status_label(o.status), -1, SQLITE_STATIC);
			db_bind_text(ins, 17, o.reason[0] ? o.reason : NULL);
			sqlite3_bind_text(ins, 18, o.evidence, -1, SQLITE_TRANSIENT);
			if (o.months >= 0)
				sqlite3_bind_int(ins, 19, o.months);
			else
				sqlite3_bind_null(ins, 19);
			if (o.has_amount)
				sqlite3_bind_double(ins, 20, o.amount);
			else
				sqlite3_bind_null(ins, 20);
			sqlite3_bind_text(ins, 21, standard, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				db_fail(db, err, "recording a candidate");
				goto out;
			}
			sum->candidates++;
			if (o.status == SCREEN_ELIGIBLE)
				sum->eligible++;
			else
				sum->to_verify++;
		}
	}
	if (step != SQLITE_DONE) {
		db_fail(db, err, "reading the persons");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	sqlite3_finalize(prev);
	return rc;
}

static int record_run(sqlite3 *db, const struct screen_options *opt, const struct screen_rules *rules,
		      const int *in_force, const struct screen_summary *sum, struct bangfu_err *err)
{
	struct strbuf ids;
	sqlite3_stmt *st;
	char now[32];
	int rc;

	strbuf_init(&ids);
	for (int i = 0; i < rules->n; i++)
		if (in_force[i])
			strbuf_addf(&ids, "%s%s", ids.len ? "," : "", rules->v[i].id);
	db_now_iso(now);
	if (db_prepare(db,
		       "INSERT INTO screen_run (period, run_at, rules_file, rules_in_force, persons, candidates,"
		       " eligible, to_verify) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		       &st, err) != 0) {
		strbuf_free(&ids);
		return -1;
	}
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, rules->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, strbuf_str(&ids), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, sum->persons);
	sqlite3_bind_int64(st, 6, sum->candidates);
	sqlite3_bind_int64(st, 7, sum->eligible);
	sqlite3_bind_int64(st, 8, sum->to_verify);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	strbuf_free(&ids);
	return rc == SQLITE_DONE ? 0 : db_fail(db, err, "recording the run");
}

/* ---- the stage: files written under temporary names ---- */

/* ---- the stage: county workbooks ---- */

enum { W_NO, W_VILLAGE, W_NAME, W_ID, W_SUBSIDY, W_BASIS, W_RECIPIENT, W_EMPLOYER, W_EVIDENCE, W_AMOUNT, W_STANDARD,
       W_STATUS, W_REASON, NW };

static const struct xlsx_column COUNTY_COLUMNS[NW] = {
	{"序号", 6},          {"行政村", 12},         {"姓名", 9},       {"证件号码", 21},     {"补贴项目", 16},
	{"政策依据", 20},     {"发放对象", 10},       {"就业单位", 20},  {"符合条件的数据", 46}, {"金额（元）", 10},
	{"补贴标准", 16},     {"状态", 8},            {"待核实事项", 40}};

static const char SQL_LIST[] =
	"SELECT coalesce(city, ''), coalesce(county, ''), coalesce(township, ''), village, name, id_number, subsidy,"
	" document || ' ' || article, recipient, employer, evidence, amount, standard, status, reason"
	" FROM subsidy_candidate WHERE period = ?1"
	" ORDER BY bf_place_order(city, county), 1, 2, 3, coalesce(village, ''), name, id_number, rule_order";

enum { L_CITY, L_COUNTY, L_TOWNSHIP, L_VILLAGE, L_NAME, L_ID, L_SUBSIDY, L_BASIS, L_RECIPIENT, L_EMPLOYER,
       L_EVIDENCE, L_AMOUNT, L_STANDARD, L_STATUS, L_REASON };

struct county_state {
	struct xlsx_split sp;     /* the county workbooks and township sheets */
	int number;               /* the sheet's rows so far */
	long eligible, to_verify; /* the sheet's rows of each status */
	double amount;            /* the sheet's amounts added up */
	const struct screen_options *opt;
	const struct screen_rules *rules;
	const int *in_force;
};

/* A sheet is done: 合计 under the list (outside its filter), IDs as text,
 * the filter, 待核实 flagged. */
static void county_sheet_end(struct xlsx_split *sp)
{
	struct county_state *s = sp->ctx;

	if (sp->row > sp->first_row) {
		struct xlsx_book *b = &sp->book;
		lxw_conditional_format cf = {0};
		char total[256];

		snprintf(total, sizeof total, "合计：%d 人次（符合 %ld，待核实 %ld）", s->number, s->eligible, s->to_verify);
		xlsx_put_merged(b, sp->ws, sp->row, W_NO, W_EVIDENCE, total, b->total_text);
		xlsx_put_number(b, sp->ws, sp->row, W_AMOUNT, s->amount, b->total_count);
		xlsx_put_merged(b, sp->ws, sp->row, W_STANDARD, W_REASON, "", b->total_text);

		xlsx_text_ids(sp->ws, sp->first_row, sp->row - 1, W_ID, W_ID);
		worksheet_autofilter(sp->ws, (lxw_row_t)(sp->first_row - 1), 0, (lxw_row_t)(sp->row - 1), NW - 1);
		cf.type = LXW_CONDITIONAL_TYPE_TEXT;
		cf.criteria = LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING;
		cf.value_string = "待核实";
		cf.format = b->rate_bad;
		worksheet_conditional_format_range(sp->ws, (lxw_row_t)sp->first_row, W_STATUS, (lxw_row_t)(sp->row - 1),
						   W_STATUS, &cf);
	}
}

/* A sheet opened.  Rows are several lines tall with the evidence anyway:
 * names, employers and the policy columns wrap rather than widen a sheet
 * that must print on A4. */
static void county_sheet_start(struct xlsx_split *sp)
{
	struct county_state *s = sp->ctx;

	xlsx_column_cap(&sp->book, sp->ws, W_NAME, 16);
	xlsx_column_cap(&sp->book, sp->ws, W_EMPLOYER, 24);
	xlsx_column_cap(&sp->book, sp->ws, W_SUBSIDY, 0);
	xlsx_column_cap(&sp->book, sp->ws, W_BASIS, 0);
	xlsx_column_cap(&sp->book, sp->ws, W_RECIPIENT, 0);
	xlsx_column_cap(&sp->book, sp->ws, W_STANDARD, 0);
	s->number = 0;
	s->eligible = s->to_verify = 0;
	s->amount = 0;
}


/* The last component of a path: a 说明 sheet names the rules file, not
 * where it lies on the server. */
static const char *file_name_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void rules_notes(struct xlsx_book *b, lxw_worksheet *ws, int *row, const struct screen_rules *rules,
			const int *in_force)
{
	for (int i = 0; i < rules->n; i++) {
		const struct screen_rule *r = &rules->v[i];
		char label[200], text[2048], standard[128];

		if (!in_force[i])
			continue;
		screen_rule_standard(r, standard, sizeof standard);
		snprintf(label, sizeof label, "%s", r->subsidy);
		snprintf(text, sizeof text, "%s %s；发放对象：%s；标准：%s。%s%s%s", r->document, r->article,
			 screen_recipient_label(r->recipient), standard, r->source_text[0] ? "原文：" : "", r->source_text,
			 r->note[0] ? "" : "");
		if (r->note[0]) {
			size_t n = strlen(text);

			snprintf(text + n, sizeof text - n, "（%s）", r->note);
		}
		xlsx_note(b, ws, (*row)++, label, text);
	}
}

static const char STATUS_NOTE[] =
	"符合：数据能确认的条件都满足，两系统比对一致（或不一致的项目与本补贴的条件无关），且没有数据无法确认的条件。"
	"待核实：数据能确认的条件都满足，但至少有一项需要核实——数据无法确认的条件（劳动合同、社会保险缴费、"
	"介绍机构等）、两系统不一致且涉及本项条件、未录入省平台或不在扶贫系统名单、证件号码无效或重复、"
	"就业时间或出生日期不详、本年度已列入过筛选名单；“待核实事项”列写明是哪一项。待核实不等于不符合。";

/* Every county workbook starts with what the lists are and the rules in force. */
static int county_instructions(struct xlsx_split *sp, struct bangfu_err *err)
{
	static const struct xlsx_column cols[] = {{"事项", 18}, {"说明", 100}};
	const struct county_state *s = sp->ctx;
	const struct screen_options *opt = s->opt;
	char text[2048];
	int row;
	lxw_worksheet *ws = xlsx_sheet(&sp->book, "说明", "就业帮扶补贴政策筛选名单 说明", 0, cols, 2, &row);

	(void)err;

	snprintf(text, sizeof text,
		 "依据湘人社函〔2020〕58号 四（二）3（2）“县级人社部门要依托省平台开展数据比对，将符合就业扶贫补贴政策条件的个人和单位"
		 "筛选出来，加强走访联系，主动上门指导乡镇或企业落实相关政策”。本表是%s扶贫系统名单与省平台比对后，按 %s 在统计期末"
		 "（%s月末）有效的补贴政策筛出的人员，每个乡镇一张表。",
		 opt->period, file_name_of(s->rules->path), opt->period);
	xlsx_note(&sp->book, ws, row++, "用途", text);
	xlsx_note(&sp->book, ws, row++, "状态", STATUS_NOTE);
	xlsx_note(&sp->book, ws, row++, "在岗月数",
		 "从省平台“就业时间”（省平台未填时用扶贫系统的）到统计期末日，就业当天算在岗：2025-05-01就业，到2025-10-31满6个月。"
		 "“6个月以上”“12个月以上”含本数。");
	xlsx_note(&sp->book, ws, row++, "金额",
		 "按文件标准：一次性和按年的为一次或一年的金额；按月的为标准乘在岗月数（不超过文件规定的最长月数），是估算，"
		 "以实际核定为准。文件未定金额（由各地、各市州确定或按实际缴费）的，金额列空白，见“补贴标准”列。");
	xlsx_note(&sp->book, ws, row++, "个人信息",
		 opt->full_id ? "本表含完整证件号码，请妥善保管，不要外传。"
			      : "为保护个人信息，证件号码中间几位已隐去；核对身份请以姓名、行政村为准。");
	rules_notes(&sp->book, ws, &row, s->rules, s->in_force);
	return 0;
}

static void county_row(struct county_state *s, sqlite3_stmt *st, int full_id)
{
	struct xlsx_book *b = &s->sp.book;
	char id_shown[128];
	static const int wrapped[] = {W_NAME, W_SUBSIDY, W_BASIS, W_EMPLOYER, W_EVIDENCE, W_REASON};
	static const int from[] = {L_NAME, L_SUBSIDY, L_BASIS, L_EMPLOYER, L_EVIDENCE, L_REASON};
	const char *recipient = col_or_empty(st, L_RECIPIENT), *status = col_or_empty(st, L_STATUS);

	if (full_id)
		snprintf(id_shown, sizeof id_shown, "%s", col_or_empty(st, L_ID));
	else
		idno_mask(col_or_empty(st, L_ID), id_shown, sizeof id_shown);
	xlsx_put_number(b, s->sp.ws, s->sp.row, W_NO, ++s->number, b->count);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_VILLAGE, col_or_empty(st, L_VILLAGE), b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_ID, id_shown, b->text);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_RECIPIENT,
		      label_of("recipient", recipient),
		      b->text_wrap);
	for (size_t i = 0; i < sizeof wrapped / sizeof wrapped[0]; i++)
		xlsx_put_text(b, s->sp.ws, s->sp.row, wrapped[i], col_or_empty(st, from[i]), b->text_wrap);
	if (sqlite3_column_type(st, L_AMOUNT) == SQLITE_NULL) {
		xlsx_put_text(b, s->sp.ws, s->sp.row, W_AMOUNT, "", b->count);
	} else {
		xlsx_put_number(b, s->sp.ws, s->sp.row, W_AMOUNT, sqlite3_column_double(st, L_AMOUNT), b->count);
		s->amount += sqlite3_column_double(st, L_AMOUNT);
	}
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_STANDARD, col_or_empty(st, L_STANDARD), b->text_wrap);
	xlsx_put_text(b, s->sp.ws, s->sp.row, W_STATUS, status, b->text);
	s->eligible += !strcmp(status, screen_status_label(SCREEN_ELIGIBLE));
	s->to_verify += !strcmp(status, screen_status_label(SCREEN_VERIFY));
	s->sp.row++;
}

static int write_counties(sqlite3 *db, const struct screen_options *opt, const struct screen_rules *rules,
			  const int *in_force, struct outputs *outs, struct screen_summary *sum, struct bangfu_err *err)
{
	struct county_state s = {.opt = opt, .rules = rules, .in_force = in_force};
	sqlite3_stmt *st;
	int step, rc = -1;

	s.sp = (struct xlsx_split){.outs = outs, .dir = opt->out_dir, .prefix = "补贴筛选名单",
				   .title = "就业帮扶补贴政策筛选名单", .period = opt->period, .cols = COUNTY_COLUMNS,
				   .ncols = NW, .on_book = county_instructions, .on_sheet = county_sheet_start,
				   .on_sheet_end = county_sheet_end, .ctx = &s};
	if (db_prepare(db, SQL_LIST, &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (xlsx_split_to(&s.sp, col_or_empty(st, L_CITY), col_or_empty(st, L_COUNTY), col_or_empty(st, L_TOWNSHIP),
				  err) != 0)
			goto out;
		county_row(&s, st, opt->full_id);
	}
	if (step != SQLITE_DONE) {
		db_fail(db, err, "reading the candidates");
		goto out;
	}
	rc = 0;
out:
	if (rc == 0) {
		rc = xlsx_split_close(&s.sp, err);
	} else {
		struct bangfu_err ignored;

		xlsx_split_close(&s.sp, &ignored);
	}
	sum->county_books = s.sp.books;
	sqlite3_finalize(st);
	return rc;
}

/* ---- the stage: the province summary ---- */

enum { S_NO, S_SUBSIDY, S_BASIS, S_RECIPIENT, S_STANDARD, S_ELIGIBLE, S_ELIGIBLE_AMOUNT, S_VERIFY, S_VERIFY_AMOUNT,
       S_TOTAL, NS };

static const struct xlsx_column SUMMARY_COLUMNS[NS] = {
	{"序号", 6},          {"补贴项目", 20},        {"政策依据", 22},         {"发放对象", 12},
	{"补贴标准", 20},     {"符合人数", 10},        {"符合金额（元）", 14},   {"待核实人数", 10},
	{"待核实涉及金额（元）", 16}, {"合计人数", 10}};

enum { C_CITY, C_SUBSIDY, C_BASIS, C_STANDARD, C_ELIGIBLE, C_ELIGIBLE_AMOUNT, C_VERIFY, C_VERIFY_AMOUNT, C_TOTAL,
       NC };

static const struct xlsx_column CITY_COLUMNS[NC] = {
	{"市州", 12},           {"补贴项目", 20},       {"政策依据", 22},          {"补贴标准", 20},
	{"符合人数", 10},       {"符合金额（元）", 14}, {"待核实人数", 10},        {"待核实涉及金额（元）", 16},
	{"合计人数", 10}};

/* Amount cells: a number where the rule has one, else "—" (the standard is
 * the counties' or the actual contributions).  Returns what the 合计 adds. */
static double amount_cell(struct xlsx_book *b, lxw_worksheet *ws, int row, int c, const struct screen_rule *rule,
			  double v, lxw_format *f)
{
	if (!rule->has_amount) {
		xlsx_put_text(b, ws, row, c, "—", f);
		return 0;
	}
	xlsx_put_number(b, ws, row, c, v, f);
	return v;
}

/* The 合计 row of a sheet: a label over the text columns, then the totals
 * of the count and amount columns from first_number on. */
static void total_row(struct xlsx_book *b, lxw_worksheet *ws, int row, int first_number, const double *totals,
		      int ncols)
{
	xlsx_put_merged(b, ws, row, 0, first_number - 1, "合计（人次）", b->total_text);
	for (int c = first_number; c < ncols; c++)
		xlsx_put_number(b, ws, row, c, totals[c], b->total_count);
}

static int write_summary(sqlite3 *db, const struct screen_options *opt, const struct screen_rules *rules,
			 const int *in_force, struct outputs *outs, struct screen_summary *sum, struct bangfu_err *err)
{
	struct xlsx_book b;
	sqlite3_stmt *st = NULL;
	lxw_worksheet *ws;
	const char *tmp;
	char path[PATH_MAX], title[256], text[2048];
	double totals[(int)NS > (int)NC ? (int)NS : (int)NC];
	int row, first, number = 0, rc = -1, open = 0;

	if ((size_t)snprintf(path, sizeof path, "%s/补贴筛选汇总_%s.xlsx", opt->out_dir, opt->period) >= sizeof path)
		return bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "the path is too long");
	snprintf(sum->summary_path, sizeof sum->summary_path, "%s", path);
	if (outputs_add(outs, path, &tmp, err) != 0 || xlsx_open(&b, tmp, opt->unit, opt->period, err) != 0)
		return -1;
	open = 1;

	/* 汇总: one row per rule in force under the province's 合计. */
	snprintf(title, sizeof title, "就业帮扶补贴政策筛选汇总（%s）", opt->period);
	ws = xlsx_sheet_unit(&b, "汇总", title, "单位：人、元", SUMMARY_COLUMNS, NS, &first);
	xlsx_row_height(&b, ws, 2, 40);
	row = first + 1;
	memset(totals, 0, sizeof totals);
	if (db_prepare(db,
		       "SELECT sum(status = '符合'), coalesce(sum(CASE WHEN status = '符合' THEN amount END), 0),"
		       " sum(status = '待核实'), coalesce(sum(CASE WHEN status = '待核实' THEN amount END), 0), count(*)"
		       " FROM subsidy_candidate WHERE period = ?1 AND rule_id = ?2",
		       &st, err) != 0)
		goto out;
	for (int i = 0; i < rules->n; i++) {
		const struct screen_rule *r = &rules->v[i];
		char basis[200], standard[128];

		if (!in_force[i])
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			db_fail(db, err, "counting the candidates");
			goto out;
		}
		snprintf(basis, sizeof basis, "%s %s", r->document, r->article);
		screen_rule_standard(r, standard, sizeof standard);
		xlsx_put_number(&b, ws, row, S_NO, ++number, b.count);
		xlsx_put_text(&b, ws, row, S_SUBSIDY, r->subsidy, b.text_wrap);
		xlsx_put_text(&b, ws, row, S_BASIS, basis, b.text_wrap);
		xlsx_put_text(&b, ws, row, S_RECIPIENT, screen_recipient_label(r->recipient), b.text);
		xlsx_put_text(&b, ws, row, S_STANDARD, standard, b.text_wrap);
		xlsx_put_number(&b, ws, row, S_ELIGIBLE, (double)sqlite3_column_int64(st, 0), b.count);
		totals[S_ELIGIBLE] += (double)sqlite3_column_int64(st, 0);
		totals[S_ELIGIBLE_AMOUNT] +=
			amount_cell(&b, ws, row, S_ELIGIBLE_AMOUNT, r, sqlite3_column_double(st, 1), b.count);
		xlsx_put_number(&b, ws, row, S_VERIFY, (double)sqlite3_column_int64(st, 2), b.count);
		totals[S_VERIFY] += (double)sqlite3_column_int64(st, 2);
		totals[S_VERIFY_AMOUNT] += amount_cell(&b, ws, row, S_VERIFY_AMOUNT, r, sqlite3_column_double(st, 3), b.count);
		xlsx_put_number(&b, ws, row, S_TOTAL, (double)sqlite3_column_int64(st, 4), b.count);
		totals[S_TOTAL] += (double)sqlite3_column_int64(st, 4);
		row++;
	}
	sqlite3_finalize(st);
	st = NULL;
	total_row(&b, ws, first, S_ELIGIBLE, totals, NS);

	/* 分市州: one row per 市州 and rule with candidates, under the 合计. */
	snprintf(title, sizeof title, "就业帮扶补贴政策筛选 分市州（%s）", opt->period);
	ws = xlsx_sheet_unit(&b, "分市州", title, "单位：人、元", CITY_COLUMNS, NC, &first);
	xlsx_row_height(&b, ws, 2, 40);
	row = first + 1;
	memset(totals, 0, sizeof totals);
	if (db_prepare(db,
		       "SELECT coalesce(city, ''), rule_id, sum(status = '符合'),"
		       " coalesce(sum(CASE WHEN status = '符合' THEN amount END), 0), sum(status = '待核实'),"
		       " coalesce(sum(CASE WHEN status = '待核实' THEN amount END), 0), count(*)"
		       " FROM subsidy_candidate WHERE period = ?1 GROUP BY 1, 2, rule_order"
		       " ORDER BY bf_place_order(city, NULL), 1, rule_order",
		       &st, err) != 0)
		goto out;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct screen_rule *r = NULL;
		char basis[200], standard[128];

		for (int i = 0; i < rules->n && !r; i++)
			if (!strcmp(rules->v[i].id, col_or_empty(st, 1)))
				r = &rules->v[i];
		if (!r)
			continue;
		snprintf(basis, sizeof basis, "%s %s", r->document, r->article);
		screen_rule_standard(r, standard, sizeof standard);
		xlsx_put_text(&b, ws, row, C_CITY, col_or_empty(st, 0)[0] ? col_or_empty(st, 0) : "（未填市州）", b.text);
		xlsx_put_text(&b, ws, row, C_SUBSIDY, r->subsidy, b.text_wrap);
		xlsx_put_text(&b, ws, row, C_BASIS, basis, b.text_wrap);
		xlsx_put_text(&b, ws, row, C_STANDARD, standard, b.text_wrap);
		xlsx_put_number(&b, ws, row, C_ELIGIBLE, (double)sqlite3_column_int64(st, 2), b.count);
		totals[C_ELIGIBLE] += (double)sqlite3_column_int64(st, 2);
		totals[C_ELIGIBLE_AMOUNT] +=
			amount_cell(&b, ws, row, C_ELIGIBLE_AMOUNT, r, sqlite3_column_double(st, 3), b.count);
		xlsx_put_number(&b, ws, row, C_VERIFY, (double)sqlite3_column_int64(st, 4), b.count);
		totals[C_VERIFY] += (double)sqlite3_column_int64(st, 4);
		totals[C_VERIFY_AMOUNT] += amount_cell(&b, ws, row, C_VERIFY_AMOUNT, r, sqlite3_column_double(st, 5), b.count);
		xlsx_put_number(&b, ws, row, C_TOTAL, (double)sqlite3_column_int64(st, 6), b.count);
		totals[C_TOTAL] += (double)sqlite3_column_int64(st, 6);
		row++;
	}
	sqlite3_finalize(st);
	st = NULL;
	total_row(&b, ws, first, C_ELIGIBLE, totals, NC);

	/* 说明 */
	{
		static const struct xlsx_column cols[] = {{"事项", 18}, {"说明", 100}};

		ws = xlsx_sheet(&b, "说明", "就业帮扶补贴政策筛选 说明", 0, cols, 2, &row);
		snprintf(text, sizeof text,
			 "湘人社函〔2020〕58号 四（二）3（2）：县级人社部门依托省平台开展数据比对，将符合就业扶贫补贴政策条件的个人和单位"
			 "筛选出来。本表统计 %s 比对后筛出的人员（每人每项补贴计一次）；名单见各县市区的补贴筛选名单。",
			 opt->period);
		xlsx_note(&b, ws, row++, "用途", text);
		xlsx_note(&b, ws, row++, "状态", STATUS_NOTE);
		xlsx_note(&b, ws, row++, "金额",
			 "符合金额、待核实涉及金额按文件标准计算：按月的补贴为标准乘在岗月数（不超过最长月数），是估算。"
			 "文件未定金额的补贴（由各地、各市州确定，或按实际缴纳的社会保险费）金额为“—”。岗位补贴1000元和"
			 "贫困地区企业吸纳当地1500元两个标准同一人只享受其一，两行可能列出同一人。合计行按人次相加（一人符合两项计两次），"
			 "金额合计不含文件未定金额（“—”）的项目。");
		snprintf(text, sizeof text, "%s（统计期末 %s 月末有效的规则：%d 条）", file_name_of(rules->path), opt->period,
			 sum->rules_in_force);
		xlsx_note(&b, ws, row++, "规则文件", text);
		snprintf(text, sizeof text, "比对后在岗人员 %ld 人；筛出 %ld 人次，其中符合 %ld、待核实 %ld", sum->persons,
			 sum->candidates, sum->eligible, sum->to_verify);
		xlsx_note(&b, ws, row++, "人数", text);
		rules_notes(&b, ws, &row, rules, in_force);
	}
	open = 0;
	rc = xlsx_close(&b, err);
out:
	sqlite3_finalize(st);
	if (open) {
		struct bangfu_err ignored;

		xlsx_close(&b, &ignored);
	}
	return rc;
}

/* ---- the stage ---- */

static int period_reconciled(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int n = 0;

	if (db_prepare(db, "SELECT count(*) FROM reconcile_run WHERE period = ?1", &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!n)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(db, "main"), 0, 0, "not_reconciled",
				   "%s has no reconcile result in this database: run bangfu-reconcile --period %s first",
				   period, period);
	return 0;
}

int screen_run(sqlite3 *db, const struct screen_options *opt, struct screen_summary *sum, struct bangfu_err *err)
{
	struct screen_rules *rules = NULL;
	struct outputs outs = {0};
	char path[PATH_MAX];
	int *in_force = NULL, rc = -1, in_tx = 0;
	struct stat sb;

	memset(sum, 0, sizeof *sum);
	if (opt->rules_path) {
		snprintf(path, sizeof path, "%s", opt->rules_path);
	} else {
		char found[PATH_MAX];

		if (tmpl_path(DEFAULT_RULES, found, sizeof found, err) != 0)
			return -1;
		if (!realpath(found, path))
			snprintf(path, sizeof path, "%s", found);
	}
	snprintf(sum->rules_path, sizeof sum->rules_path, "%s", path);
	if (screen_rules_load(path, &rules, err) != 0)
		return -1;
	if (!(in_force = calloc((size_t)rules->n, sizeof *in_force)))
		abort();
	{
		char lo[11] = "9999-12-31", hi[11] = "0000-01-01";

		for (int i = 0; i < rules->n; i++) {
			in_force[i] = screen_rule_in_force(&rules->v[i], opt->period);
			sum->rules_in_force += in_force[i];
			if (strcmp(rules->v[i].valid_from, lo) < 0)
				memcpy(lo, rules->v[i].valid_from, 11);
			if (strcmp(rules->v[i].valid_to, hi) > 0)
				memcpy(hi, rules->v[i].valid_to, 11);
		}
		if (!sum->rules_in_force) {
			bangfu_fail(err, ERR_INPUT, path, 0, 0, "no_rules",
				    "no rule is in force at the end of %s (the rules cover %s .. %s, with gaps where no "
				    "document was in force): add the policy of that time as new rows, or give --rules",
				    opt->period, lo, hi);
			goto out;
		}
	}
	if (period_reconciled(db, opt->period, err) != 0)
		goto out;
	if (stat(opt->out_dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode)) {
			bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "--out is not a directory");
			goto out;
		}
	} else if (mkdir(opt->out_dir, 0700) != 0) {
		bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "cannot create the directory: %s",
			    strerror(errno));
		goto out;
	}
	if (db_begin(db, err) != 0)
		goto out;
	in_tx = 1;
	{
		sqlite3_stmt *st;

		if (db_prepare(db, "DELETE FROM subsidy_candidate WHERE period = ?1", &st, err) != 0)
			goto out;
		sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
		if (rc == 0) {
			if (db_prepare(db, "DELETE FROM screen_run WHERE period = ?1", &st, err) != 0)
				goto out;
			sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
			rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
			sqlite3_finalize(st);
		}
		if (rc != 0) {
			db_fail(db, err, "clearing the period's result");
			goto out;
		}
		rc = -1;
	}
	if (screen_persons(db, opt, rules, in_force, sum, err) != 0 ||
	    record_run(db, opt, rules, in_force, sum, err) != 0 ||
	    write_counties(db, opt, rules, in_force, &outs, sum, err) != 0 ||
	    write_summary(db, opt, rules, in_force, &outs, sum, err) != 0)
		goto out;
	if (db_commit(db, err) != 0)
		goto out;
	in_tx = 0;
	rc = outputs_commit(&outs, err);
out:
	if (in_tx)
		db_rollback(db);
	if (rc != 0)
		outputs_discard(&outs);
	free(in_force);
	screen_rules_free(rules);
	return rc;
}

/* ---- the command: bangfu-screen ---- */

int cmd_screen(int argc, char **argv)
{
	const char *db_path = "bangfu.db";
	struct screen_options opt = {0};
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the month to screen (run bangfu-reconcile for it first)"),
		CLI_OPT_REQUIRED("out", &opt.out_dir, "DIR", "where the workbooks go (created when missing)"),
		CLI_OPT_STRING("rules", &opt.rules_path, "FILE", "the subsidy rules (default: templates/subsidy_rules.csv)"),
		CLI_OPT_FLAG("full-id", &opt.full_id, "whole ID numbers in the county lists (default: masked)"),
		CLI_OPT_STRING("unit", &opt.unit, "NAME", "填报单位 of the province summary"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-screen", NULL,
		"Screen the persons of a reconciled period against the employment-assistance subsidies\n"
		"in force at the period's last day (templates/subsidy_rules.csv): who is 符合, who is\n"
		"待核实 and why.  Writes one workbook per county (a sheet per township) and the province\n"
		"summary into DIR, mode 0600, whole or not at all; the result is in v_subsidy_candidate.",
		NULL, options};
	struct screen_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int status = EXIT_OK;

	bangfu_err_clear(&err);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		return status;
	if (db_open_existing(db_path, &db, &err) != 0 || screen_run(db, &opt, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %d rules in force (%s); %ld employed persons; %ld candidates: 符合 %ld, 待核实 %ld", opt.period,
		 sum.rules_in_force, sum.rules_path, sum.persons, sum.candidates, sum.eligible, sum.to_verify);
	msg_info("wrote %ld county workbooks and %s%s", sum.county_books, sum.summary_path,
		 opt.full_id ? " with whole ID numbers" : "");
out:
	db_close(db);
	return status;
}
