/* screen_rules — the subsidy rules template (templates/subsidy_rules.csv),
 * read whole (a few dozen rows) with csvin, and the sandbox its predicates
 * are checked in.
 *
 * A rule's conditions are SQL predicates over v_screen_person, one per
 * clause, clauses separated by ; (or ；, or a line break in the cell), each
 * optionally labelled "在岗满12个月：months_in_post >= 12".  Two layers keep a
 * predicate to reading that view: here, before SQLite sees it, a predicate
 * must be one expression — parentheses that close, no subquery (SELECT,
 * VALUES, WITH), no parameter, no "IN table"; then SQLite compiles it inside
 * "SELECT (…) FROM v_screen_person" with an authorizer that allows reading
 * the view's columns and calling a whitelist of functions, and denies
 * everything else.  Anything refused is an error at the rule file's line and
 * the conditions column, naming the condition and the character.
 *
 * Also: the labels of recipients and units, the standard text, when a rule
 * is in force, which conflicting fields a rule reads. */
#include "screen_int.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvin.h"
#include "datefmt.h"
#include "labels.h"
#include "strbuf.h"
#include "tmpl.h"

/* ---- the view and the functions a predicate may use ---- */

const struct screen_view_column SCREEN_VIEW_COLUMNS[] = {
	{"period", "统计期", 0},
	{"person_key", "人员编号", 0},
	{"id_number", "证件号码", 0},
	{"id_valid", "证件号码有效", 0},
	{"category", "比对结果", 1},
	{"conflicts", "不一致项", 1},
	{"in_roster", "在扶贫系统名单", 1},
	{"in_hr", "已录入省平台", 1},
	{"name", "姓名", 0},
	{"gender", "性别", 1},
	{"birth_date", "出生日期", 0},
	{"period_end", "统计期末", 1},
	{"age", "年龄", 1},
	{"city", "市州", 1},
	{"county", "县市区", 1},
	{"township", "乡镇", 1},
	{"village", "行政村", 1},
	{"household_id", "户编号", 0},
	{"population", "人员类别", 1},
	{"relocated", "易地扶贫搬迁", 1},
	{"key_county", "乡村振兴重点帮扶县", 1},
	{"able", "有劳动能力", 1},
	{"labor_ability", "劳动能力", 1},
	{"in_labour_age", "劳动年龄内", 1},
	{"labour_age_until", "达到法定退休年龄", 1},
	{"employed", "已就业", 1},
	{"employment_type", "就业类型", 1},
	{"work_region", "就业地区", 1},
	{"work_place", "就业地点", 1},
	{"employer", "就业单位", 1},
	{"employer_region", "用人单位所在地区", 1},
	{"employer_place", "用人单位所在地", 1},
	{"work_start", "就业时间", 1},
	{"work_start_source", "就业时间来源", 1},
	{"months_in_post", "在岗月数", 1},
	{"months_in_post_min", "在岗月数（至少）", 1},
	{"months_in_post_max", "在岗月数（至多）", 1},
	{"returned", "返乡回流", 1},
	{"return_date", "返乡时间", 1},
	{"training_intent", "培训意愿", 1},
	{"intent", "就业意向", 1},
};
const int SCREEN_VIEW_NCOLUMNS = (int)(sizeof SCREEN_VIEW_COLUMNS / sizeof SCREEN_VIEW_COLUMNS[0]);

int screen_view_column(const char *name)
{
	for (int i = 0; name && i < SCREEN_VIEW_NCOLUMNS; i++)
		if (!strcmp(name, SCREEN_VIEW_COLUMNS[i].name))
			return i;
	return -1;
}

/* Scalar functions of one row that neither write, nor read elsewhere, nor
 * depend on the clock: what a condition needs to compare and trim values.
 * (Not min and max: with one argument they are aggregates.) */
const char *const SCREEN_FUNCTIONS[] = {"abs",	 "coalesce", "ifnull", "iif",	"nullif", "length", "lower",
					 "upper", "substr",   "substring", "instr", "trim",   "ltrim",  "rtrim",
					 "replace", "round",  "like",   "glob", "typeof", NULL};

static int function_allowed(const char *name)
{
	for (int i = 0; name && SCREEN_FUNCTIONS[i]; i++)
		if (!strcasecmp(name, SCREEN_FUNCTIONS[i]))
			return 1;
	return 0;
}

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
	case SCREEN_UNIT_DAY: return "元/人·天";
	}
	return "";
}

const char *screen_status_label(enum screen_status s)
{
	return s == SCREEN_ELIGIBLE ? "符合" : s == SCREEN_VERIFY ? "待核实" : "";
}

void screen_rule_standard(const struct screen_rule *rule, char *out, size_t outsz)
{
	if (rule->standard[0])
		snprintf(out, outsz, "%s", rule->standard);
	else if (!rule->has_amount)
		snprintf(out, outsz, "文件未定金额");
	else if (rule->unit == SCREEN_UNIT_MONTH && rule->max_months > 0)
		snprintf(out, outsz, "%g%s，最多%d个月", rule->amount, screen_unit_label(rule->unit), rule->max_months);
	else
		snprintf(out, outsz, "%g%s%s", rule->amount, screen_unit_label(rule->unit),
			 rule->unit == SCREEN_UNIT_ONCE ? "（一次性）" : "");
}

static unsigned long long bits_of(const char *const *names)
{
	unsigned long long b = 0;

	for (int i = 0; names[i]; i++) {
		int c = screen_view_column(names[i]);

		if (c >= 0)
			b |= 1ULL << c;
	}
	return b;
}

int screen_rule_touches(const struct screen_rule *rule, const char *field)
{
	/* the job: whether there is one, where, with whom, since when */
	static const char *const JOB[] = {"employed",	     "employment_type", "work_region",	   "work_place",
					  "employer",	     "employer_region", "employer_place",  "work_start",
					  "months_in_post", "months_in_post_min", "months_in_post_max", NULL};
	static const char *const REGION[] = {"work_region", "work_place", NULL};
	static const char *const EMPLOYER[] = {"employer",   "employer_region",	   "employer_place",	 "work_start",
					       "months_in_post", "months_in_post_min", "months_in_post_max",
					       "employment_type", NULL};

	if (!strcmp(field, "employed"))
		return (rule->reads & bits_of(JOB)) != 0;
	if (!strcmp(field, "work_region"))
		return (rule->reads & bits_of(REGION)) != 0;
	/* a subsidy paid to the employer or the agency that placed the person
	 * is about the job with that employer */
	if (!strcmp(field, "employer"))
		return (rule->reads & bits_of(EMPLOYER)) != 0 || rule->recipient != SCREEN_PERSON;
	return 0;
}

/* ---- the rules template ---- */

enum rule_col {
	RC_ID, RC_SUBSIDY, RC_DOCUMENT, RC_ARTICLE, RC_RECIPIENT, RC_POPULATIONS, RC_CONDITIONS, RC_UNVERIFIED, RC_AMOUNT,
	RC_UNIT, RC_MAX_MONTHS, RC_LIMIT, RC_STANDARD, RC_FUND, RC_LISTED_BY, RC_VALID_FROM, RC_VALID_TO,
	RC_SOURCE_TEXT, RC_NOTE, RC_N
};

static const char *const RULE_COLUMNS[RC_N] = {
	"id",	  "subsidy",	"document", "article",	"recipient", "populations", "conditions",
	"unverified", "amount", "unit",	    "max_months", "limit",   "standard",    "fund",
	"listed_by", "valid_from", "valid_to", "source_text", "note"};
static const char *const RULE_LABELS[RC_N] = {
	"规则编号", "补贴项目", "文件", "条款", "发放对象", "适用人群", "条件", "需核实事项", "金额", "单位",
	"最长月数", "次数限制", "补贴标准", "资金渠道", "列支地", "起始日期", "截止日期", "原文", "备注"};

/* Columns a file may leave out. */
static int rule_col_optional(int c)
{
	return c == RC_STANDARD || c == RC_FUND || c == RC_LISTED_BY || c == RC_SOURCE_TEXT || c == RC_NOTE;
}

struct rule_ctx {
	const char *path;
	long line;
	int col; /* 1-based */
	struct bangfu_err *err;
};

static int rule_fail(const struct rule_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int rule_fail(const struct rule_ctx *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, msg_tr(fmt), ap);
	va_end(ap);
	return bangfu_fail(c->err, ERR_INPUT, c->path, c->line, c->col, "bad_rule", "%s", msg);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int copy_text(char *dst, size_t dstsz, const char *src, const struct rule_ctx *c, const char *what)
{
	if (strlen(src) >= dstsz)
		return rule_fail(c, "%s is too long (at most %zu bytes)", what, dstsz - 1);
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
		return rule_fail(c, "%s is too long", what);
	snprintf(buf, sizeof buf, "%s", text);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		tok = trim(tok);
		if (!*tok)
			return rule_fail(c, "%s has an empty item: separate values with |", what);
		if (*n >= max || strlen(tok) >= 160)
			return rule_fail(c, "%s has too many or too long items (at most %d)", what, max);
		memcpy(items[(*n)++], tok, strlen(tok) + 1);
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

/* ---- populations ---- */

static const struct {
	unsigned bit;
	const char *code, *label, *alias;
} POPULATIONS[] = {
	{SCREEN_POP_EXITED, "exited", "脱贫人口", "脱贫户"},
	{SCREEN_POP_MONITORED, "monitored", "监测对象", "防止返贫监测对象"},
	{SCREEN_POP_LOW_INCOME, "low_income", "农村低收入人口", "低收入人口"},
	{SCREEN_POP_OTHER, "other", "其他人员", "其他"},
	{SCREEN_POP_ALL, "all", "不限", "全部"},
};
#define NPOPULATIONS (int)(sizeof POPULATIONS / sizeof POPULATIONS[0])

/* "exited|monitored" (or the labels) → bits, the label and the condition. */
static int parse_populations(const char *text, struct screen_rule *r, const struct rule_ctx *c)
{
	char items[SCREEN_LIST_MAX][160];
	struct strbuf sql, label;
	int n;

	if (split_list(text, items, SCREEN_LIST_MAX, &n, c, "populations") != 0)
		return -1;
	if (n == 0)
		return rule_fail(c, "populations is empty: name who the rule is for (exited, monitored, low_income, "
				    "other, separated by |; or all)");
	for (int i = 0; i < n; i++) {
		int k;

		for (k = 0; k < NPOPULATIONS; k++)
			if (!strcmp(items[i], POPULATIONS[k].code) || !strcmp(items[i], POPULATIONS[k].label) ||
			    !strcmp(items[i], POPULATIONS[k].alias))
				break;
		if (k == NPOPULATIONS)
			return rule_fail(c,
					 "population '%s' is not exited (脱贫人口), monitored (防止返贫监测对象), "
					 "low_income (农村低收入人口), other or all",
					 items[i]);
		r->populations |= POPULATIONS[k].bit;
	}
	if ((r->populations & SCREEN_POP_ALL) && r->populations != SCREEN_POP_ALL)
		return rule_fail(c, "populations: all stands alone");
	strbuf_init(&label);
	strbuf_init(&sql);
	for (int k = 0; k < NPOPULATIONS; k++) {
		if (!(r->populations & POPULATIONS[k].bit))
			continue;
		strbuf_addf(&label, "%s%s", label.len ? "、" : "", POPULATIONS[k].label);
		strbuf_addf(&sql, "%s'%s'", sql.len ? ", " : "", POPULATIONS[k].code);
	}
	snprintf(r->populations_label, sizeof r->populations_label, "%s", strbuf_str(&label));
	if (r->populations != SCREEN_POP_ALL) {
		struct screen_clause *cl = &r->clause[r->nclauses++];

		snprintf(cl->label, sizeof cl->label, "人员类别：%s", strbuf_str(&label));
		snprintf(cl->sql, sizeof cl->sql, "population IN (%s)", strbuf_str(&sql));
		cl->offset = 0; /* made from the populations column */
	}
	strbuf_free(&label);
	strbuf_free(&sql);
	return 0;
}

/* ---- conditions: clauses and what a predicate may hold ---- */

/* Characters (not bytes) in s[0..n). */
static int utf8_chars(const char *s, size_t n)
{
	int k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

static int is_word_byte(unsigned char ch)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch >= 0x80;
}

/* Past a quoted text, identifier or comment starting at s[i]; -1 when it
 * does not end. */
static long skip_quoted(const char *s, long i)
{
	char close;

	if (s[i] == '-' && s[i + 1] == '-') {
		while (s[i] && s[i] != '\n')
			i++;
		return i;
	}
	if (s[i] == '/' && s[i + 1] == '*') {
		const char *end = strstr(s + i + 2, "*/");

		return end ? (long)(end - s) + 2 : -1;
	}
	close = s[i] == '[' ? ']' : s[i];
	for (i++; s[i]; i++)
		if (s[i] == close) {
			if (close != ']' && s[i + 1] == close) {
				i++; /* a doubled quote inside */
				continue;
			}
			return i + 1;
		}
	return -1;
}

static int starts_quoted(const char *s, long i)
{
	return s[i] == '\'' || s[i] == '"' || s[i] == '`' || s[i] == '[' || (s[i] == '-' && s[i + 1] == '-') ||
	       (s[i] == '/' && s[i + 1] == '*');
}

/* One predicate, before SQLite sees it: one expression that cannot escape
 * the parentheses it is put in, and holds no subquery or parameter.  0, or
 * -1 with *at the byte of the trouble and why in msg. */
static int predicate_lex(const char *s, long *at, char *msg, size_t msgsz)
{
	int depth = 0;
	long i = 0;

	while (s[i]) {
		unsigned char ch = (unsigned char)s[i];

		if (starts_quoted(s, i)) {
			long next = skip_quoted(s, i);

			if (next < 0) {
				*at = i;
				snprintf(msg, msgsz, "a quote, bracket or comment that is not closed");
				return -1;
			}
			i = next;
			continue;
		}
		if (ch == '(') {
			depth++;
		} else if (ch == ')') {
			if (--depth < 0) {
				*at = i;
				snprintf(msg, msgsz, "a ')' that closes nothing");
				return -1;
			}
		} else if (ch == ';') {
			*at = i;
			snprintf(msg, msgsz, "a ';' inside a condition");
			return -1;
		} else if (ch == '?' || ((ch == ':' || ch == '@' || ch == '$') && is_word_byte((unsigned char)s[i + 1]))) {
			*at = i;
			snprintf(msg, msgsz, "a parameter (%c…): a condition compares columns with values written out", ch);
			return -1;
		} else if (is_word_byte(ch) && !(ch >= '0' && ch <= '9')) {
			long start = i;
			char word[16];
			size_t len;

			while (is_word_byte((unsigned char)s[i]))
				i++;
			len = (size_t)(i - start);
			if (len < sizeof word) {
				memcpy(word, s + start, len);
				word[len] = '\0';
				if (!strcasecmp(word, "select") || !strcasecmp(word, "values") || !strcasecmp(word, "with")) {
					*at = start;
					snprintf(msg, msgsz,
						 "%s: a condition is one expression over the columns of v_screen_person, "
						 "not a query",
						 word);
					return -1;
				}
				if (!strcasecmp(word, "in")) {
					long j = i;

					/* the next thing after IN must be a list: IN (…) */
					for (;;) {
						while (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')
							j++;
						if (starts_quoted(s, j) && (s[j] == '-' || s[j] == '/')) {
							long next = skip_quoted(s, j);

							if (next < 0)
								break;
							j = next;
							continue;
						}
						break;
					}
					if (s[j] != '(') {
						*at = start;
						snprintf(msg, msgsz, "IN must be followed by a list of values: IN ('省外', '省内县外')");
						return -1;
					}
				}
			}
			continue;
		} else if (ch >= '0' && ch <= '9') {
			while (is_word_byte((unsigned char)s[i]) || s[i] == '.')
				i++;
			continue;
		}
		i++;
	}
	if (depth > 0) {
		*at = i;
		snprintf(msg, msgsz, "%d '(' not closed", depth);
		return -1;
	}
	return 0;
}

/* Is s[i] the start of a separator between clauses (; ； or a line break)?
 * Returns its length, or 0. */
static int separator_at(const char *s, long i)
{
	if (s[i] == ';' || s[i] == '\n')
		return 1;
	if (!strncmp(s + i, "；", strlen("；")))
		return (int)strlen("；");
	return 0;
}

/* The conditions cell → clauses "label：predicate"; separators and the
 * label's colon count only outside quotes and parentheses. */
static int parse_conditions(const char *text, struct screen_rule *r, const struct rule_ctx *c)
{
	long i = 0, start = 0;
	int depth = 0;

	for (;;) {
		int sep = 0;

		if (text[i] && starts_quoted(text, i)) {
			long next = skip_quoted(text, i);

			if (next >= 0) {
				i = next;
				continue;
			}
			i = (long)strlen(text); /* predicate_lex names it below */
		}
		if (text[i] == '(')
			depth++;
		else if (text[i] == ')')
			depth--;
		if (text[i] && !(depth == 0 && (sep = separator_at(text, i)) > 0)) {
			i++;
			continue;
		}
		{
			/* one clause: text[start, i) */
			char buf[2048], msg[256], *label = NULL, *expr, *colon = NULL;
			long at;
			size_t len = (size_t)(i - start);

			if (len >= sizeof buf)
				return rule_fail(c, "condition at character %d is too long", utf8_chars(text, (size_t)start) + 1);
			memcpy(buf, text + start, len);
			buf[len] = '\0';
			/* the label: text before the first ： outside quotes and parentheses */
			for (long k = 0, d = 0; buf[k];) {
				if (starts_quoted(buf, k)) {
					long next = skip_quoted(buf, k);

					if (next < 0)
						break;
					k = next;
					continue;
				}
				d += buf[k] == '(' ? 1 : buf[k] == ')' ? -1 : 0;
				if (d == 0 && !strncmp(buf + k, "：", strlen("："))) {
					colon = buf + k;
					break;
				}
				k++;
			}
			if (colon) {
				*colon = '\0';
				label = trim(buf);
				expr = colon + strlen("：");
			} else {
				expr = buf;
			}
			{
				/* where the predicate starts in the cell */
				long lead = (long)(expr - buf);
				char *trimmed = trim(expr);
				int offset;

				lead += (long)(trimmed - expr);
				expr = trimmed;
				offset = utf8_chars(text, (size_t)(start + lead)) + 1;
				if (!*expr) {
					if (label && *label)
						return rule_fail(c, "condition '%s' (character %d) has no predicate after '：'",
								 label, offset);
					goto next; /* an empty clause: ;; or a trailing ; */
				}
				if (predicate_lex(expr, &at, msg, sizeof msg) != 0)
					return rule_fail(c, "condition %d%s%s%s, character %d: %s", r->nclauses + 1,
							 label ? " (" : "", label ? label : "", label ? ")" : "",
							 offset + utf8_chars(expr, (size_t)at), msg);
				if (r->nclauses >= SCREEN_CLAUSES_MAX)
					return rule_fail(c, "too many conditions (at most %d with the populations)",
							 SCREEN_CLAUSES_MAX);
				if (label && !*label)
					return rule_fail(c, "condition at character %d has '：' but no label before it", offset);
				if (strlen(expr) >= sizeof r->clause[0].sql || (label && strlen(label) >= sizeof r->clause[0].label))
					return rule_fail(c, "condition at character %d is too long", offset);
				snprintf(r->clause[r->nclauses].label, sizeof r->clause[0].label, "%s", label ? label : expr);
				snprintf(r->clause[r->nclauses].sql, sizeof r->clause[0].sql, "%s", expr);
				r->clause[r->nclauses].offset = offset;
				r->nclauses++;
			}
		}
	next:
		if (!text[i])
			break;
		i += sep;
		start = i;
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
	struct screen_rule *r;
	const char *v[RC_N];
	char items[SCREEN_LIST_MAX][160];
	int blank = 1, rc = -1;

	for (int i = 0; i < RC_N; i++) {
		v[i] = col_of[i] >= 0 && col_of[i] < row->nfields ? row->fields[col_of[i]] : "";
		if (v[i][0])
			blank = 0;
	}
	if (blank)
		return 0;
	r = xcalloc(1, sizeof *r);
	r->line = row->line;
	r->conditions_column = col_of[RC_CONDITIONS] + 1;
#define AT(k) (c.col = col_of[k] + 1)
	for (int i = RC_ID; i <= RC_ARTICLE; i++)
		if (!v[i][0]) {
			AT(i);
			rule_fail(&c, "%s is empty: every rule needs id, subsidy, document and article", RULE_COLUMNS[i]);
			goto out;
		}
	AT(RC_ID);
	for (const char *p = v[RC_ID]; *p; p++)
		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) {
			rule_fail(&c, "id '%s' may hold only letters, digits and _ (e.g. service_2021)", v[RC_ID]);
			goto out;
		}
	for (int i = 0; i < rules->n; i++)
		if (!strcmp(rules->v[i].id, v[RC_ID])) {
			rule_fail(&c, "id '%s' is already used on line %ld", v[RC_ID], rules->v[i].line);
			goto out;
		}
	if (copy_text(r->id, sizeof r->id, v[RC_ID], &c, "id") != 0)
		goto out;
	AT(RC_SUBSIDY);
	if (copy_text(r->subsidy, sizeof r->subsidy, v[RC_SUBSIDY], &c, "subsidy") != 0)
		goto out;
	AT(RC_DOCUMENT);
	if (copy_text(r->document, sizeof r->document, v[RC_DOCUMENT], &c, "document") != 0)
		goto out;
	AT(RC_ARTICLE);
	if (copy_text(r->article, sizeof r->article, v[RC_ARTICLE], &c, "article") != 0)
		goto out;
	AT(RC_RECIPIENT);
	if (!strcmp(v[RC_RECIPIENT], "person"))
		r->recipient = SCREEN_PERSON;
	else if (!strcmp(v[RC_RECIPIENT], "employer"))
		r->recipient = SCREEN_EMPLOYER;
	else if (!strcmp(v[RC_RECIPIENT], "agency"))
		r->recipient = SCREEN_AGENCY;
	else {
		rule_fail(&c, "recipient '%s' is not person, employer or agency", v[RC_RECIPIENT]);
		goto out;
	}
	AT(RC_POPULATIONS);
	if (parse_populations(v[RC_POPULATIONS], r, &c) != 0)
		goto out;
	AT(RC_CONDITIONS);
	if (parse_conditions(v[RC_CONDITIONS], r, &c) != 0)
		goto out;
	if (r->nclauses == 0) {
		rule_fail(&c, "the rule has no condition at all: name its populations or give a condition");
		goto out;
	}
	AT(RC_UNVERIFIED);
	if (split_list(v[RC_UNVERIFIED], items, SCREEN_LIST_MAX, &r->nunverified, &c, "unverified") != 0)
		goto out;
	for (int i = 0; i < r->nunverified; i++)
		memcpy(r->unverified[i], items[i], sizeof r->unverified[i]);
	AT(RC_AMOUNT);
	if (v[RC_AMOUNT][0]) {
		char *end;

		errno = 0;
		r->amount = strtod(v[RC_AMOUNT], &end);
		if (errno || *end || end == v[RC_AMOUNT] || !(r->amount >= 0 && r->amount < 1e9)) {
			rule_fail(&c,
				  "amount '%s' is not a number of yuan; leave it empty where the document gives no fixed "
				  "amount (say so in note)",
				  v[RC_AMOUNT]);
			goto out;
		}
		r->has_amount = 1;
	}
	AT(RC_UNIT);
	if (!strcmp(v[RC_UNIT], "once"))
		r->unit = SCREEN_UNIT_ONCE;
	else if (!strcmp(v[RC_UNIT], "month"))
		r->unit = SCREEN_UNIT_MONTH;
	else if (!strcmp(v[RC_UNIT], "year"))
		r->unit = SCREEN_UNIT_YEAR;
	else if (!strcmp(v[RC_UNIT], "day"))
		r->unit = SCREEN_UNIT_DAY;
	else {
		rule_fail(&c, "unit '%s' is not once, month, year or day", v[RC_UNIT]);
		goto out;
	}
	AT(RC_MAX_MONTHS);
	if (v[RC_MAX_MONTHS][0]) {
		char *end;
		long m;

		errno = 0;
		m = strtol(v[RC_MAX_MONTHS], &end, 10);
		if (errno || *end || m < 1 || m > 600) {
			rule_fail(&c, "max_months '%s' is not a whole number of months (1..600)", v[RC_MAX_MONTHS]);
			goto out;
		}
		if (r->unit != SCREEN_UNIT_MONTH) {
			rule_fail(&c, "max_months '%s' needs unit month", v[RC_MAX_MONTHS]);
			goto out;
		}
		r->max_months = (int)m;
	}
	AT(RC_LIMIT);
	if (!v[RC_LIMIT][0])
		r->limit = SCREEN_LIMIT_NONE;
	else if (!strcmp(v[RC_LIMIT], "once_per_year"))
		r->limit = SCREEN_LIMIT_ONCE_PER_YEAR;
	else if (!strcmp(v[RC_LIMIT], "once"))
		r->limit = SCREEN_LIMIT_ONCE;
	else {
		rule_fail(&c, "limit '%s' is not once_per_year, once or empty", v[RC_LIMIT]);
		goto out;
	}
	AT(RC_STANDARD);
	if (copy_text(r->standard, sizeof r->standard, v[RC_STANDARD], &c, "standard") != 0)
		goto out;
	AT(RC_FUND);
	if (copy_text(r->fund, sizeof r->fund, v[RC_FUND], &c, "fund") != 0)
		goto out;
	AT(RC_LISTED_BY);
	if (!v[RC_LISTED_BY][0] || !strcmp(v[RC_LISTED_BY], "home"))
		r->listed_by = SCREEN_LISTED_HOME;
	else if (!strcmp(v[RC_LISTED_BY], "employer"))
		r->listed_by = SCREEN_LISTED_EMPLOYER;
	else {
		rule_fail(&c, "listed_by '%s' is not home (the person's county) or employer (用人单位所在地)",
			  v[RC_LISTED_BY]);
		goto out;
	}
	AT(RC_VALID_FROM);
	if (parse_date(v[RC_VALID_FROM], r->valid_from, &c, "valid_from") != 0)
		goto out;
	AT(RC_VALID_TO);
	if (parse_date(v[RC_VALID_TO], r->valid_to, &c, "valid_to") != 0)
		goto out;
	if (strcmp(r->valid_from, r->valid_to) > 0) {
		rule_fail(&c, "valid_to %s is before valid_from %s", r->valid_to, r->valid_from);
		goto out;
	}
	AT(RC_SOURCE_TEXT);
	if (copy_text(r->source_text, sizeof r->source_text, v[RC_SOURCE_TEXT], &c, "source_text") != 0)
		goto out;
	AT(RC_NOTE);
	if (copy_text(r->note, sizeof r->note, v[RC_NOTE], &c, "note") != 0)
		goto out;
#undef AT
	rules->v = realloc(rules->v, (size_t)(rules->n + 1) * sizeof *rules->v);
	if (!rules->v)
		abort();
	rules->v[rules->n++] = *r;
	rc = 0;
out:
	free(r);
	return rc;
}

int screen_rules_load(const char *path, struct screen_rules **out, struct bangfu_err *err)
{
	struct tmpl_column cols[RC_N];
	char *aliases[RC_N][2];
	struct tmpl_columns map = {cols, RC_N};
	struct csvin_options copt = {.columns = &map, .display_name = path};
	struct screen_rules *rules;
	struct csvin_row *row;
	struct csvin *in;
	int col_of[RC_N], rc;

	*out = NULL;
	memset(cols, 0, sizeof cols);
	for (int c = 0; c < RC_N; c++) {
		aliases[c][0] = (char *)RULE_COLUMNS[c];
		aliases[c][1] = (char *)RULE_LABELS[c];
		snprintf(cols[c].field, sizeof cols[c].field, "%s", RULE_COLUMNS[c]);
		snprintf(cols[c].label, sizeof cols[c].label, "%s", RULE_LABELS[c]);
		cols[c].aliases = aliases[c];
		cols[c].naliases = 2;
		/* the header is the row naming the first columns; a missing
		 * later one is named below, with the header's line */
		cols[c].required = c <= RC_RECIPIENT;
	}
	in = csvin_open(path, &copt, err);
	if (!in)
		return -1;
	for (int c = 0; c < RC_N; c++) {
		col_of[c] = csvin_field_column(in, c);
		if (col_of[c] < 0 && !rule_col_optional(c)) {
			long header_line = csvin_header_line(in);

			csvin_close(in);
			return bangfu_fail(err, ERR_INPUT, path, header_line, 0, "bad_template",
					   "the subsidy rules template needs the columns id, subsidy, document, article, "
					   "recipient, populations, conditions, unverified, amount, unit, max_months, limit, "
					   "valid_from, valid_to (%s is missing)",
					   RULE_COLUMNS[c]);
		}
	}
	rules = xcalloc(1, sizeof *rules);
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

/* ---- the sandbox ---- */

/* The tables v_screen_person joins: SQLite may name one of them once without
 * a column when it plans the view's joins. */
static int view_table(const char *t)
{
	return t && (!strcmp(t, "person") || !strcmp(t, "hr_row") || !strcmp(t, "roster_row") || !strcmp(t, "conflict"));
}

/* What the view itself does (its joins, subquery, functions) is allowed:
 * SQLite names the view (or one of its WITH parts, v_screen_person_…) as
 * the origin. */
static int from_the_view(const char *origin)
{
	return origin && !strncmp(origin, "v_screen_person", strlen("v_screen_person"));
}

int screen_authorize(void *ctx, int action, const char *a, const char *b, const char *dbname, const char *origin)
{
	struct screen_sandbox *sb = ctx;
	int c;

	(void)dbname;
	if (from_the_view(origin))
		return SQLITE_OK;
	switch (action) {
	case SQLITE_SELECT:
		return SQLITE_OK;
	case SQLITE_READ:
		if (a && !strcmp(a, "v_screen_person")) {
			if (!b || !b[0])
				return SQLITE_OK;
			if ((c = screen_view_column(b)) < 0) {
				snprintf(sb->denied, sizeof sb->denied, "%s is not a column a rule may read", b);
				return SQLITE_DENY;
			}
			sb->reads |= 1ULL << c;
			return SQLITE_OK;
		}
		if (view_table(a) && (!b || !b[0]))
			return SQLITE_OK;
		snprintf(sb->denied, sizeof sb->denied, "reads %s%s%s: a condition reads only the columns of v_screen_person",
			 a ? a : "?", b && b[0] ? "." : "", b ? b : "");
		return SQLITE_DENY;
	case SQLITE_FUNCTION:
		if (function_allowed(b))
			return SQLITE_OK;
		snprintf(sb->denied, sizeof sb->denied,
			 "the function %s() is not allowed; a condition may call abs, coalesce, ifnull, iif, nullif, "
			 "length, lower, upper, substr, instr, trim, ltrim, rtrim, replace, round, like, glob, typeof",
			 b ? b : "?");
		return SQLITE_DENY;
	default:
		snprintf(sb->denied, sizeof sb->denied, "not allowed in a condition (SQLite action %d)", action);
		return SQLITE_DENY;
	}
}

int screen_sandbox_prepare(sqlite3 *db, const char *sql, struct screen_sandbox *sb, sqlite3_stmt **out)
{
	const char *tail = NULL;
	int rc;

	*out = NULL;
	sb->reads = 0;
	sb->denied[0] = '\0';
	sb->offset = -1;
	sqlite3_set_authorizer(db, screen_authorize, sb);
	rc = sqlite3_prepare_v2(db, sql, -1, out, &tail);
	sqlite3_set_authorizer(db, NULL, NULL);
	if (rc != SQLITE_OK) {
		if (!sb->denied[0])
			snprintf(sb->denied, sizeof sb->denied, "%s", sqlite3_errmsg(db));
		sb->offset = sqlite3_error_offset(db);
		sqlite3_finalize(*out);
		*out = NULL;
		return -1;
	}
	while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r'))
		tail++;
	if (!*out || (tail && *tail) || !sqlite3_stmt_readonly(*out) || sqlite3_bind_parameter_count(*out) > 1) {
		snprintf(sb->denied, sizeof sb->denied, "not one expression over v_screen_person");
		sqlite3_finalize(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

#define CHECK_PREFIX "SELECT (\n"

/* One predicate in the sandbox: it compiles as the one column of a query
 * of the view, and what it reads is recorded. */
static int check_clause(sqlite3 *db, struct screen_rule *r, struct screen_clause *cl, const char *path,
			struct bangfu_err *err)
{
	struct screen_sandbox sb;
	struct strbuf sql;
	sqlite3_stmt *st;
	int rc;

	strbuf_init(&sql);
	strbuf_addf(&sql, CHECK_PREFIX "%s\n) FROM v_screen_person", cl->sql);
	rc = screen_sandbox_prepare(db, strbuf_str(&sql), &sb, &st);
	if (rc == 0 && sqlite3_column_count(st) != 1) {
		snprintf(sb.denied, sizeof sb.denied, "not one expression");
		rc = -1;
	}
	sqlite3_finalize(st);
	strbuf_free(&sql);
	if (rc != 0) {
		int at = cl->offset;
		char where[64] = "";

		if (sb.offset >= (int)strlen(CHECK_PREFIX) && sb.offset <= (int)(strlen(CHECK_PREFIX) + strlen(cl->sql)))
			at += utf8_chars(cl->sql, (size_t)sb.offset - strlen(CHECK_PREFIX));
		if (cl->offset > 0)
			snprintf(where, sizeof where, msg_tr(", character %d"), at);
		return bangfu_fail(err, ERR_INPUT, path, r->line, cl->offset > 0 ? r->conditions_column : 0,
				   "bad_rule", "%s: condition '%s'%s: %s", r->id, cl->label, where, sb.denied);
	}
	cl->reads = sb.reads;
	r->reads |= sb.reads;
	return 0;
}

int screen_rules_check(sqlite3 *db, struct screen_rules *rules, struct bangfu_err *err)
{
	for (int i = 0; i < rules->n; i++) {
		struct screen_rule *r = &rules->v[i];

		r->reads = 0;
		for (int k = 0; k < r->nclauses; k++)
			if (check_clause(db, r, &r->clause[k], rules->path, err) != 0)
				return -1;
	}
	return 0;
}

/* ---- dates ---- */

void screen_period_end(const char *period, int *y, int *m, int *d)
{
	*y = atoi(period);
	*m = atoi(period + 5);
	*d = datefmt_month_days(*y, *m);
}

int screen_rule_in_force(const struct screen_rule *rule, const char *period)
{
	char end[32];
	int y, m, d;

	screen_period_end(period, &y, &m, &d);
	snprintf(end, sizeof end, "%04d-%02d-%02d", y, m, d);
	return strcmp(rule->valid_from, end) <= 0 && strcmp(end, rule->valid_to) <= 0;
}
