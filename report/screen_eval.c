/* screen_eval — the period's persons through the rules in force.
 *
 * One statement reads v_screen_person for the period once: the values a
 * list shows, the columns the evidence shows, and every condition of every
 * rule in force as a column of its own, 1 / 0 / NULL (NOT NOT gives a
 * predicate SQLite's truth value).  Its WHERE keeps the persons some rule
 * could list, so that a condition false for most people (not employed, no
 * training intent) cuts the work early.  It is compiled in the same sandbox
 * as each predicate was (screen_rules.c).
 *
 * Then, in C, per person and rule: a false condition → not listed; the rest
 * three-valued: a condition the data cannot tell, a conflict in a field the
 * rule reads, a person not in both sources, a condition no data holds
 * (unverified) or an earlier listing within the rule's limit → 待核实, with
 * what to check; otherwise 符合.  Nobody entitled is missed (应享尽享) and
 * nobody is declared entitled on data that does not show it. */
#include "screen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "labels.h"
#include "strbuf.h"
#include "strmap.h"

/* The values every candidate row needs, first in the statement. */
enum { F_KEY, F_ID, F_CATEGORY, F_CONFLICTS, F_NAME, F_CITY, F_COUNTY, F_TOWNSHIP, F_VILLAGE, F_EMPLOYER,
       F_EMPLOYER_REGION, F_EMPLOYER_PLACE, F_MONTHS, F_POPULATION, NF };
static const char *const FIXED[NF] = {"person_key", "id_number", "category",	   "conflicts",	      "name",
				      "city",	    "county",	 "township",	   "village",	      "employer",
				      "employer_region", "employer_place", "months_in_post", "population"};

/* A township's totals per rule, for subsidy_total (schema/021). */
struct rule_total {
	long eligible, to_verify, province;
	double eligible_amount, to_verify_amount;
	unsigned char eligible_has_amount, to_verify_has_amount;
};

struct town_total {
	char *place[3]; /* city, county, township; NULL as the person has them */
	struct rule_total *rule;
};

struct eval {
	sqlite3_stmt *sel, *ins, *prev;
	struct strmap towns;     /* strmap_place_key → struct town_total */
	struct town_total *town; /* the current person's */
	const struct screen_rules *rules;
	const int *in_force;
	const char *period;
	int ev_col[64];      /* view column → result column, -1 when not selected */
	int *first_clause;   /* rule → result column of its first clause */
	struct strbuf evidence, reason, text;
};

static const char *col(sqlite3_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(st, c);
}

/* The view's columns by index, found once: the evaluation looks at them
 * for every person. */
static struct {
	int months, lo, hi, start, source, employer;
	unsigned long long flags;
	unsigned long long pair[13][2];
} V;

/* Columns shown with another: where the region is, what the age is, since
 * when the months count. */
static void columns_init(void)
{
	static const char *const PAIRS[13][2] = {
		{"work_region", "work_place"},		{"employer_region", "employer_place"},
		{"in_labour_age", "age"},		{"months_in_post", "work_start"},
		{"months_in_post_min", "work_start"}, {"months_in_post_max", "work_start"},
		{"work_start", "work_start_source"},	{"months_in_post", "months_in_post_min"},
		{"months_in_post", "months_in_post_max"}, {"months_in_post_min", "months_in_post"},
		{"months_in_post_max", "months_in_post"}, {"months_in_post_min", "months_in_post_max"},
		{"months_in_post_max", "months_in_post_min"}};
	static const char *const FLAGS[] = {"id_valid", "in_roster", "in_hr",	 "relocated",	    "key_county", "able",
					    "in_labour_age", "employed", "returned", "training_intent", NULL};

	V.months = screen_view_column("months_in_post");
	V.lo = screen_view_column("months_in_post_min");
	V.hi = screen_view_column("months_in_post_max");
	V.start = screen_view_column("work_start");
	V.source = screen_view_column("work_start_source");
	V.employer = screen_view_column("employer");
	V.flags = 0;
	for (int i = 0; FLAGS[i]; i++)
		V.flags |= 1ULL << screen_view_column(FLAGS[i]);
	for (int i = 0; i < 13; i++)
		for (int k = 0; k < 2; k++)
			V.pair[i][k] = 1ULL << screen_view_column(PAIRS[i][k]);
}

static unsigned long long with_companions(unsigned long long reads)
{
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 13; i++)
			if (reads & V.pair[i][0])
				reads |= V.pair[i][1];
	return reads;
}

/* One column's value as a list shows it; NULL when the row has none. */
static const char *shown_value(const struct eval *ev, int c, char *buf, size_t bufsz)
{
	const char *name = SCREEN_VIEW_COLUMNS[c].name;
	const char *v = ev->ev_col[c] >= 0 ? col(ev->sel, ev->ev_col[c]) : NULL;

	if (!v)
		return NULL;
	if (V.flags & (1ULL << c))
		return !strcmp(v, "0") ? "否" : "是";
	if (!strcmp(name, "population"))
		return label_of("population", v);
	if (!strcmp(name, "category"))
		return label_of("category", v);
	if (!strncmp(name, "months_in_post", 14) || !strcmp(name, "age")) {
		snprintf(buf, bufsz, "%s%s", v, !strcmp(name, "age") ? "岁" : "个月");
		return buf;
	}
	return v;
}

/* "（就业地区：省外，就业地点：广东省深圳市南山区）": the shown columns a
 * clause reads and their companions.  For a clause that holds (known = 1)
 * the values that show it, leaving out yes/no columns (the label says
 * them); for one the data cannot tell, every value, the missing ones as
 * "就业时间不详". */
static void clause_values(struct eval *ev, const struct screen_clause *cl, int known, struct strbuf *out)
{
	unsigned long long cols = with_companions(cl->reads);
	int months = V.months, lo = V.lo, hi = V.hi, start = V.start, source = V.source;
	int items = 0;

	for (int c = 0; c < SCREEN_VIEW_NCOLUMNS; c++) {
		char buf[64];
		const char *v;

		if (!(cols & (1ULL << c)) || !SCREEN_VIEW_COLUMNS[c].shown || c == months || c == lo || c == hi ||
		    c == source)
			continue;
		v = shown_value(ev, c, buf, sizeof buf);
		if (known && (!v || (V.flags & (1ULL << c))))
			continue;
		strbuf_addstr(out, items++ ? "，" : "（");
		if (!v) {
			strbuf_addf(out, "%s不详", SCREEN_VIEW_COLUMNS[c].label);
			continue;
		}
		strbuf_addf(out, "%s：%s", SCREEN_VIEW_COLUMNS[c].label, v);
		if (c == start && ev->ev_col[source] >= 0 && col(ev->sel, ev->ev_col[source]))
			strbuf_addf(out, "（%s）", col(ev->sel, ev->ev_col[source]));
	}
	if (cols & (1ULL << months)) {
		const char *exact = ev->ev_col[months] >= 0 ? col(ev->sel, ev->ev_col[months]) : NULL;
		const char *min = ev->ev_col[lo] >= 0 ? col(ev->sel, ev->ev_col[lo]) : NULL;

		strbuf_addstr(out, items++ ? "，" : "（");
		if (exact)
			strbuf_addf(out, "至统计期末在岗%s个月", exact);
		else if (min)
			strbuf_addf(out, "就业时间只到月份，在岗%s～%s个月", min, col(ev->sel, ev->ev_col[hi]));
		else
			strbuf_addstr(out, "在岗月数不详");
	}
	if (items)
		strbuf_addstr(out, "）");
}

static void add_sep(struct strbuf *sb)
{
	if (sb->len)
		strbuf_addstr(sb, "；");
}

static void conflict_labels(const char *conflicts, int (*pick)(const struct screen_rule *, const char *),
			    const struct screen_rule *rule, struct strbuf *out)
{
	char buf[256], *save = NULL;
	int n = 0;

	if (!conflicts || strlen(conflicts) >= sizeof buf)
		return;
	snprintf(buf, sizeof buf, "%s", conflicts);
	for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save))
		if (!pick || pick(rule, f))
			strbuf_addf(out, "%s%s", n++ ? "、" : "", label_of("field", f));
}

/* The reconciliation category: who may be 符合 at all. */
static void category_check(struct eval *ev, const struct screen_rule *rule)
{
	const char *cat = col(ev->sel, F_CATEGORY), *conflicts = col(ev->sel, F_CONFLICTS);
	struct strbuf *e = &ev->evidence, *r = &ev->reason;

	if (!cat)
		cat = "";
	if (!strcmp(cat, "consistent")) {
		add_sep(e);
		strbuf_addstr(e, "比对：两系统一致");
	} else if (!strcmp(cat, "conflict")) {
		size_t mark;

		strbuf_reset(&ev->text);
		conflict_labels(conflicts, screen_rule_touches, rule, &ev->text);
		if (ev->text.len) {
			add_sep(r);
			strbuf_addf(r, "两系统%s不一致，涉及本项条件，需先核实更正", strbuf_str(&ev->text));
			return;
		}
		add_sep(e);
		mark = e->len;
		strbuf_addstr(e, "比对：");
		conflict_labels(conflicts, NULL, rule, e);
		if (e->len == mark + strlen("比对："))
			strbuf_addstr(e, "部分信息");
		strbuf_addstr(e, "不一致，不涉及本项条件");
	} else {
		add_sep(r);
		strbuf_addstr(r, !strcmp(cat, "roster_only") ? "未录入省平台，就业信息只有扶贫系统一方，需先录入省平台"
				 : !strcmp(cat, "hr_only")   ? "不在扶贫系统名单，需核实是否为帮扶对象"
				 : !strcmp(cat, "invalid_id") ? "证件号码无效，无法与另一系统比对，需先更正证件号码"
				 : !strcmp(cat, "duplicate")  ? "证件号码在同一系统重复出现，需先去重"
							      : "无比对结果");
	}
}

/* The earlier period within the rule's limit in which the person was listed
 * for the same subsidy (by name: the rows of one subsidy in different years
 * share it). */
static void earlier_period(struct eval *ev, const struct screen_rule *rule, const char *key, char out[8])
{
	char from[8];

	out[0] = '\0';
	snprintf(from, sizeof from, "%.4s-01", rule->limit == SCREEN_LIMIT_ONCE_PER_YEAR ? ev->period : "0000");
	sqlite3_reset(ev->prev);
	sqlite3_bind_text(ev->prev, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ev->prev, 2, rule->subsidy, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ev->prev, 3, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ev->prev, 4, ev->period, -1, SQLITE_STATIC);
	if (sqlite3_step(ev->prev) == SQLITE_ROW && sqlite3_column_type(ev->prev, 0) != SQLITE_NULL)
		snprintf(out, 8, "%s", (const char *)sqlite3_column_text(ev->prev, 0));
}

/* The current person's township, found or added. */
static struct town_total *town_of(struct eval *ev)
{
	struct town_total **slot, *t;

	slot = (struct town_total **)strmap_slot(
		&ev->towns, strmap_place_key(&ev->text, col(ev->sel, F_CITY), col(ev->sel, F_COUNTY), col(ev->sel, F_TOWNSHIP)));
	if (*slot)
		return *slot;
	t = xcalloc(1, sizeof *t);
	for (int c = F_CITY; c <= F_TOWNSHIP; c++)
		t->place[c - F_CITY] = col(ev->sel, c) ? xstrdup(col(ev->sel, c)) : NULL;
	t->rule = xcalloc((size_t)ev->rules->n, sizeof *t->rule);
	*slot = t;
	return t;
}

static void town_free(void *v)
{
	struct town_total *t = v;

	for (int k = 0; k < 3; k++)
		free(t->place[k]);
	free(t->rule);
	free(t);
}

static void tally(struct rule_total *r, int status, int province, int has_amount, double amount)
{
	if (status == SCREEN_ELIGIBLE) {
		r->eligible++;
		if (has_amount) {
			r->eligible_amount += amount;
			r->eligible_has_amount = 1;
		}
	} else {
		r->to_verify++;
		if (has_amount) {
			r->to_verify_amount += amount;
			r->to_verify_has_amount = 1;
		}
	}
	r->province += province;
}

static void bind_amount(sqlite3_stmt *st, int i, int has, double amount)
{
	if (has)
		sqlite3_bind_double(st, i, amount);
	else
		sqlite3_bind_null(st, i);
}

/* The period's totals per township and rule, as counted. */
static int write_totals(sqlite3 *db, const struct eval *ev, struct bangfu_err *err)
{
	sqlite3_stmt *ins;

	if (db_prepare(db,
		       "INSERT INTO subsidy_total (period, city, county, township, rule_id, rule_order, subsidy, document,"
		       " article, eligible, eligible_amount, to_verify, to_verify_amount, candidates, province_listed)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
		       &ins, err) != 0)
		return -1;
	for (size_t k = 0; k < ev->towns.cap; k++) {
		const struct town_total *t = ev->towns.vals[k];

		if (!ev->towns.keys[k])
			continue;
		for (int i = 0; i < ev->rules->n; i++) {
			const struct screen_rule *rule = &ev->rules->v[i];
			const struct rule_total *r = &t->rule[i];

			if (!r->eligible && !r->to_verify)
				continue;
			sqlite3_reset(ins);
			sqlite3_bind_text(ins, 1, ev->period, -1, SQLITE_STATIC);
			for (int c = 0; c < 3; c++)
				db_bind_text(ins, 2 + c, t->place[c]);
			sqlite3_bind_text(ins, 5, rule->id, -1, SQLITE_STATIC);
			sqlite3_bind_int(ins, 6, i + 1);
			sqlite3_bind_text(ins, 7, rule->subsidy, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 8, rule->document, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 9, rule->article, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 10, r->eligible);
			bind_amount(ins, 11, r->eligible_has_amount, r->eligible_amount);
			sqlite3_bind_int64(ins, 12, r->to_verify);
			bind_amount(ins, 13, r->to_verify_has_amount, r->to_verify_amount);
			sqlite3_bind_int64(ins, 14, r->eligible + r->to_verify);
			sqlite3_bind_int64(ins, 15, r->province);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				sqlite3_finalize(ins);
				return db_fail(db, err, "recording the screening's totals");
			}
		}
	}
	sqlite3_finalize(ins);
	return 0;
}

/* One rule for the current person: SCREEN_NO, or the row written. */
static int evaluate(struct eval *ev, int ri, struct screen_summary *sum, struct bangfu_err *err, sqlite3 *db)
{
	const struct screen_rule *rule = &ev->rules->v[ri];
	sqlite3_stmt *st = ev->sel, *ins = ev->ins;
	int first = ev->first_clause[ri], unknown = 0, months = -1, has_amount = 0, status;
	const char *level = "county";
	char standard[200], earlier[8];
	double amount = 0;

	for (int k = 0; k < rule->nclauses; k++)
		if (sqlite3_column_type(st, first + k) != SQLITE_NULL && sqlite3_column_int(st, first + k) == 0)
			return SCREEN_NO;
	strbuf_reset(&ev->evidence);
	strbuf_reset(&ev->reason);
	for (int k = 0; k < rule->nclauses; k++) {
		const struct screen_clause *cl = &rule->clause[k];

		if (k == 0 && rule->populations != SCREEN_POP_ALL) {
			/* the population the rule names, and the person's */
			const char *pop = col(st, F_POPULATION);

			if (pop) {
				add_sep(&ev->evidence);
				strbuf_addf(&ev->evidence, "人员类别：%s", label_of("population", pop));
			} else {
				add_sep(&ev->reason);
				strbuf_addf(&ev->reason, "人员类别不详（本项适用于%s），需核实", rule->populations_label);
			}
			continue;
		}
		if (sqlite3_column_type(st, first + k) == SQLITE_NULL) {
			if (!unknown++) {
				add_sep(&ev->reason);
				strbuf_addstr(&ev->reason, "数据无法确认：");
			} else {
				strbuf_addstr(&ev->reason, "、");
			}
			strbuf_addstr(&ev->reason, cl->label);
			clause_values(ev, cl, 0, &ev->reason);
		} else {
			add_sep(&ev->evidence);
			strbuf_addstr(&ev->evidence, cl->label);
			clause_values(ev, cl, 1, &ev->evidence);
		}
	}
	if (col(st, F_EMPLOYER) && rule->recipient != SCREEN_PERSON && !(rule->reads & (1ULL << V.employer))) {
		add_sep(&ev->evidence);
		strbuf_addf(&ev->evidence, "就业单位：%s", col(st, F_EMPLOYER));
	}
	category_check(ev, rule);
	if (rule->nunverified) {
		add_sep(&ev->reason);
		strbuf_addstr(&ev->reason, "数据无法确认，需核实：");
		for (int i = 0; i < rule->nunverified; i++)
			strbuf_addf(&ev->reason, "%s%s", i ? "、" : "", rule->unverified[i]);
	}
	if (rule->limit != SCREEN_LIMIT_NONE) {
		earlier_period(ev, rule, col(st, F_KEY), earlier);
		if (earlier[0]) {
			add_sep(&ev->reason);
			strbuf_addf(&ev->reason, "%s已于%s列入筛选名单（%s），需核实是否已享受", rule->subsidy, earlier,
				    rule->limit == SCREEN_LIMIT_ONCE_PER_YEAR ? "每人每年只享受一次" : "只享受一次");
		}
	}
	if (sqlite3_column_type(st, F_MONTHS) != SQLITE_NULL)
		months = sqlite3_column_int(st, F_MONTHS);
	if (rule->has_amount) {
		if (rule->unit == SCREEN_UNIT_ONCE || rule->unit == SCREEN_UNIT_YEAR) {
			has_amount = 1;
			amount = rule->amount;
		} else if (rule->unit == SCREEN_UNIT_MONTH && months >= 0) {
			has_amount = 1;
			amount = rule->amount * (rule->max_months > 0 && months > rule->max_months ? rule->max_months : months);
		}
	}
	/* paid from the funds of the employer's place: an employer elsewhere in
	 * the province is the province's to route */
	if (rule->listed_by == SCREEN_LISTED_EMPLOYER && col(st, F_EMPLOYER_REGION) &&
	    !strcmp(col(st, F_EMPLOYER_REGION), "省内县外"))
		level = "province";
	status = ev->reason.len ? SCREEN_VERIFY : SCREEN_ELIGIBLE;
	screen_rule_standard(rule, standard, sizeof standard);
	sqlite3_reset(ins);
	sqlite3_bind_text(ins, 1, ev->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, col(st, F_KEY), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 3, rule->id, -1, SQLITE_STATIC);
	sqlite3_bind_int(ins, 4, ri + 1);
	sqlite3_bind_text(ins, 5, col(st, F_ID), -1, SQLITE_TRANSIENT);
	for (int c = F_NAME; c <= F_EMPLOYER; c++)
		db_bind_text(ins, 6 + (c - F_NAME), col(st, c));
	sqlite3_bind_text(ins, 12, rule->subsidy, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 13, rule->document, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 14, rule->article, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 15, screen_recipient_code(rule->recipient), -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 16, screen_status_label((enum screen_status)status), -1, SQLITE_STATIC);
	db_bind_text(ins, 17, ev->reason.len ? strbuf_str(&ev->reason) : NULL);
	sqlite3_bind_text(ins, 18, strbuf_str(&ev->evidence), -1, SQLITE_TRANSIENT);
	if (months >= 0)
		sqlite3_bind_int(ins, 19, months);
	else
		sqlite3_bind_null(ins, 19);
	if (has_amount)
		sqlite3_bind_double(ins, 20, amount);
	else
		sqlite3_bind_null(ins, 20);
	sqlite3_bind_text(ins, 21, standard, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 22, level, -1, SQLITE_STATIC);
	db_bind_text(ins, 23, col(st, F_POPULATION));
	db_bind_text(ins, 24, col(st, F_EMPLOYER_PLACE));
	if (sqlite3_step(ins) != SQLITE_DONE)
		return db_fail(db, err, "recording a candidate");
	tally(&ev->town->rule[ri], status, level[0] == 'p', has_amount, amount);
	sum->candidates++;
	sum->province_listed += level[0] == 'p';
	if (status == SCREEN_ELIGIBLE)
		sum->eligible++;
	else
		sum->to_verify++;
	return status;
}

/* The statement: the fixed values, the evidence columns, every condition of
 * every rule in force; the persons some rule could list.  The period's rows
 * of the view are computed once (a materialized WITH of the same name,
 * holding the columns the statement reads), so that a column read by many
 * conditions, and by the WHERE and the result both, is not computed again
 * for each. */
static void build_select(struct eval *ev, struct strbuf *sql)
{
	const struct screen_rules *rules = ev->rules;
	unsigned long long shown = 0, needed = 0;
	int ncol = NF, any = 0, n = 0;

	for (int i = 0; i < rules->n; i++)
		if (ev->in_force[i]) {
			shown |= with_companions(rules->v[i].reads);
			needed |= rules->v[i].reads;
		}
	strbuf_addstr(sql, "WITH v_screen_person AS MATERIALIZED (SELECT ");
	for (int i = 0; i < NF; i++) {
		strbuf_addf(sql, "%s%s", n++ ? ", " : "", FIXED[i]);
		needed &= ~(1ULL << screen_view_column(FIXED[i]));
		shown &= ~(1ULL << screen_view_column(FIXED[i]));
	}
	for (int c = 0; c < SCREEN_VIEW_NCOLUMNS && c < 64; c++)
		if (((shown & (1ULL << c)) && SCREEN_VIEW_COLUMNS[c].shown) || (needed & (1ULL << c)))
			strbuf_addf(sql, ", %s", SCREEN_VIEW_COLUMNS[c].name);
	strbuf_addstr(sql, " FROM main.v_screen_person WHERE period = ?1)\nSELECT ");
	for (int i = 0; i < NF; i++)
		strbuf_addf(sql, "%s%s", i ? ", " : "", FIXED[i]);
	for (int i = 0; i < rules->n; i++)
		if (ev->in_force[i])
			shown |= with_companions(rules->v[i].reads);
	for (int c = 0; c < SCREEN_VIEW_NCOLUMNS && c < 64; c++) {
		ev->ev_col[c] = -1;
		if ((shown & (1ULL << c)) && SCREEN_VIEW_COLUMNS[c].shown) {
			strbuf_addf(sql, ", %s", SCREEN_VIEW_COLUMNS[c].name);
			ev->ev_col[c] = ncol++;
		}
	}
	for (int i = 0; i < rules->n; i++) {
		if (!ev->in_force[i])
			continue;
		ev->first_clause[i] = ncol;
		for (int k = 0; k < rules->v[i].nclauses; k++, ncol++)
			strbuf_addf(sql, ",\n NOT NOT (\n%s\n)", rules->v[i].clause[k].sql);
	}
	strbuf_addstr(sql, "\nFROM v_screen_person WHERE (");
	for (int i = 0; i < rules->n; i++) {
		if (!ev->in_force[i])
			continue;
		strbuf_addstr(sql, any++ ? "\n OR (" : "\n (");
		for (int k = 0; k < rules->v[i].nclauses; k++)
			strbuf_addf(sql, "%s(NOT NOT (\n%s\n)) IS NOT 0", k ? " AND " : "", rules->v[i].clause[k].sql);
		strbuf_addstr(sql, ")");
	}
	strbuf_addstr(sql, ")");
}

int screen_compute(sqlite3 *db, const char *period, const struct screen_rules *rules, const int *in_force,
		   struct screen_summary *sum, struct bangfu_err *err)
{
	struct eval ev = {.rules = rules, .in_force = in_force, .period = period};
	struct screen_sandbox sb;
	struct strbuf sql;
	int step, rc = -1;

	columns_init();
	strbuf_init(&sql);
	strbuf_init(&ev.evidence);
	strbuf_init(&ev.reason);
	strbuf_init(&ev.text);
	ev.first_clause = xcalloc((size_t)rules->n + 1, sizeof *ev.first_clause);
	build_select(&ev, &sql);
	if (screen_sandbox_prepare(db, strbuf_str(&sql), &sb, &ev.sel) != 0) {
		bangfu_fail(err, ERR_INTERNAL, rules->path, 0, 0, "sqlite", "the rules' statement: %s", sb.denied);
		goto out;
	}
	for (int k = 0; k < 2; k++) {
		sqlite3_stmt *del;

		if (db_prepare(db, k ? "DELETE FROM subsidy_total WHERE period = ?1"
				     : "DELETE FROM subsidy_candidate WHERE period = ?1",
			       &del, err) != 0)
			goto out;
		sqlite3_bind_text(del, 1, period, -1, SQLITE_STATIC);
		step = sqlite3_step(del);
		sqlite3_finalize(del);
		if (step != SQLITE_DONE) {
			db_fail(db, err, "clearing the period's candidates");
			goto out;
		}
	}
	if (db_prepare(db,
		       "INSERT INTO subsidy_candidate (period, person_key, rule_id, rule_order, id_number, name, city,"
		       " county, township, village, employer, subsidy, document, article, recipient, status, reason,"
		       " evidence, months, amount, standard, list_level, population, employer_place)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
		       " ?20, ?21, ?22, ?23, ?24)",
		       &ev.ins, err) != 0 ||
	    db_prepare(db,
		       "SELECT max(period) FROM subsidy_candidate WHERE person_key = ?1 AND subsidy = ?2"
		       " AND period >= ?3 AND period < ?4",
		       &ev.prev, err) != 0)
		goto out;
	sqlite3_bind_text(ev.sel, 1, period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(ev.sel)) == SQLITE_ROW) {
		sum->persons++;
		ev.town = town_of(&ev);
		for (int i = 0; i < rules->n; i++)
			if (in_force[i] && evaluate(&ev, i, sum, err, db) < 0)
				goto out;
		if ((sum->persons & 0xffff) == 0)
			msg_progress("screen", (unsigned long long)sum->persons, 0);
	}
	msg_progress_end();
	if (step != SQLITE_DONE) {
		db_fail(db, err, "reading the persons");
		goto out;
	}
	if (write_totals(db, &ev, err) != 0)
		goto out;
	rc = 0;
out:
	strmap_free(&ev.towns, town_free);
	sqlite3_finalize(ev.sel);
	sqlite3_finalize(ev.ins);
	sqlite3_finalize(ev.prev);
	free(ev.first_clause);
	strbuf_free(&sql);
	strbuf_free(&ev.evidence);
	strbuf_free(&ev.reason);
	strbuf_free(&ev.text);
	return rc;
}
