/* checklist — see checklist.h.
 *
 * The tasks template is read whole (a few dozen rows); a task number may
 * have several rows, one per indicator: rows with a metric are measured from
 * the database, a row without one is what the counties report in --status.
 * A county's status for a task combines its rows.  The metrics are one
 * grouped query each, per county; the problems come from the ledger as it
 * stood after the period, judged on the as-of day (findings_as_of), so a
 * checklist for an earlier month shows that month's ledger.  The ledger's
 * own sheets and CSV are checklist_ledger.c. */
#include "checklist_int.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvin.h"
#include "datefmt.h"
#include "db.h"
#include "findings.h"
#include "msg.h"
#include "outputs.h"
#include "strbuf.h"
#include "tmpl.h"
#include "xlsx.h"
#include "bangfu.h"
#include "cli.h"

#define DEFAULT_TASKS "tasks_2020.csv"

static const char *const STATUS_LABELS[CL_NSTATUS] = {"已完成", "进行中", "未开始", "逾期"};

const char *checklist_status_label(enum checklist_status s)
{
	return s >= 0 && s < CL_NSTATUS ? STATUS_LABELS[s] : "";
}

/* ---- metrics ---- */

enum metric {
	M_NONE = -1,
	M_RETURNEE,
	M_ROSTER,
	M_TOWNSHIP_CHECKED,
	M_RECALIBRATE,
	M_CONFLICTS,
	M_PROBLEMS,
	M_ZERO_HOUSEHOLDS,
	M_WEEKLY_PUSH,
	M_MATCH,
	M_N
};

/* How done, total and left relate when a query gives only two of them. */
enum derive { GIVEN, LEFT_IS_TOTAL_LESS_DONE, DONE_IS_TOTAL_LESS_LEFT };

/* Each query returns city, county, done, total, left, x1, x2 per county; the
 * rows of a metric's queries are added up.  ?1 period, ?2 as-of date; the
 * period's persons are temp.checklist_person (person_copy below). */
struct metric_def {
	const char *name;
	const char *label; /* the indicator when the template leaves it empty */
	enum derive derive;
	const char *sql[2];
};

#define PLACE "coalesce(city, ''), coalesce(county, '')"
/* Ledger items: closed / all; left open, x1 of them past their 整改时限 on the as-of day. */
#define PROBLEMS_OF(kind_filter)                                                                          \
	"SELECT " PLACE ", sum(closed_on IS NOT NULL), count(*), sum(closed_on IS NULL),"                      \
	" sum(closed_on IS NULL AND deadline_on < ?2), 0 FROM temp.ledger_asof WHERE " kind_filter            \
	" GROUP BY 1, 2"

static const struct metric_def METRICS[M_N] = {
	/* judged on the HR dump's date (its latest 更新时间), not the as-of day:
	 * the dump says nothing of the days after it */
	[M_RETURNEE] = {"returnee_updated_14d", "返乡回流人员登记14日内更新", LEFT_IS_TOTAL_LESS_DONE,
			{"SELECT " PLACE ", sum(max(coalesce(date(updated_at), ''), coalesce(date(return_date), ''))"
			 " >= date(coalesce((SELECT hr_dump_date FROM service_run WHERE period = ?1), ?2), '-14 days')),"
			 " count(*), 0, 0, 0 FROM temp.checklist_person"
			 " WHERE in_hr AND returned = '是' GROUP BY 1, 2",
			 NULL}},
	[M_ROSTER] = {"roster_not_entered", "扶贫系统人员录入省平台", GIVEN,
		      {"SELECT " PLACE ", sum(in_hr), count(*), sum(NOT in_hr), 0, 0 FROM temp.checklist_person"
		       " WHERE in_roster AND id_valid GROUP BY 1, 2",
		       NULL}},
	[M_TOWNSHIP_CHECKED] = {"township_checked", "抽查乡镇作出核查结论", LEFT_IS_TOTAL_LESS_DONE,
				{"SELECT " PLACE ", 0, count(DISTINCT coalesce(township, '')), 0, 0, 0"
				 " FROM temp.checklist_person WHERE in_hr AND id_valid GROUP BY 1, 2",
				 "SELECT " PLACE ", sum(verdict IN ('pass', 'recalibrate')), 0, 0, sum(accurate),"
				 " sum(inaccurate) FROM v_township_check WHERE period = ?1 GROUP BY 1, 2"}},
	[M_RECALIBRATE] = {"township_recalibrate", "低于90%的乡镇重新校准", GIVEN,
			   {PROBLEMS_OF("kind = 'recalibrate'"), NULL}},
	[M_CONFLICTS] = {"conflicts_open", "比对不一致人员核实更正", GIVEN, {PROBLEMS_OF("kind = 'conflict'"), NULL}},
	[M_PROBLEMS] = {"problems_open", "数据比对问题挂单销号", GIVEN, {PROBLEMS_OF("1"), NULL}},
	[M_ZERO_HOUSEHOLDS] = {"zero_households", "零就业家庭清零", DONE_IS_TOTAL_LESS_LEFT,
			       {"SELECT " PLACE ", 0, count(DISTINCT household_id), 0, 0, 0 FROM temp.checklist_person"
				" WHERE in_roster AND able AND labour_age AND coalesce(household_id, '') <> '' GROUP BY 1, 2",
				"SELECT " PLACE ", 0, 0, count(*), 0, 0 FROM zero_household WHERE period = ?1"
				" GROUP BY 1, 2"}},
	/* 湘人社函〔2020〕58号 四（三）1.（1）from the service records (etl/services.c):
	 * x2 counts the county's rows of a period with service records, 0 when
	 * there are none (then the task is not measured) */
	[M_WEEKLY_PUSH] = {"weekly_push", "返乡回流和有就业意愿未就业人员每周推送岗位信息", LEFT_IS_TOTAL_LESS_DONE,
			   {"SELECT " PLACE ", sum((returnee OR want_work) AND r.weeks > 0 AND weeks_pushed = r.weeks),"
			    " sum(returnee OR want_work), 0, 0, count(*) FROM service_person sp"
			    " JOIN service_run r USING (period) WHERE period = ?1 AND r.records > 0 GROUP BY 1, 2",
			    NULL}},
	[M_MATCH] = {"match_rate", "线上人岗匹配成功率", LEFT_IS_TOTAL_LESS_DONE,
		     {"SELECT " PLACE ", sum(pushed AND hired), sum(pushed), 0, 0, count(*) FROM service_person sp"
		      " JOIN service_run r USING (period) WHERE period = ?1 AND r.records > 0 GROUP BY 1, 2",
		      NULL}},
};

static int metric_of_services(int m)
{
	return m == M_WEEKLY_PUSH || m == M_MATCH;
}

static int metric_find(const char *name)
{
	for (int m = 0; m < M_N; m++)
		if (strcmp(name, METRICS[m].name) == 0)
			return m;
	return M_NONE;
}

/* ---- rules ---- */

enum rule_kind { R_NONE, R_RATIO, R_ZERO, R_DONE };

struct rule {
	enum rule_kind kind;
	int strict; /* > rather than >= */
	double x;
};

/* "zero", "ratio>=1", "ratio>0.9", "done>=3"; 0 when it parses. */
static int rule_parse(const char *text, struct rule *r)
{
	const char *p;
	char *end;

	memset(r, 0, sizeof *r);
	if (strcmp(text, "zero") == 0) {
		r->kind = R_ZERO;
		return 0;
	}
	if (strncmp(text, "ratio", 5) == 0) {
		r->kind = R_RATIO;
		p = text + 5;
	} else if (strncmp(text, "done", 4) == 0) {
		r->kind = R_DONE;
		p = text + 4;
	} else {
		return -1;
	}
	if (p[0] == '>' && p[1] == '=') {
		p += 2;
	} else if (p[0] == '>') {
		r->strict = 1;
		p++;
	} else {
		return -1;
	}
	r->x = strtod(p, &end);
	if (end == p || *end || r->x < 0 || (r->kind == R_RATIO && r->x > 1))
		return -1;
	return 0;
}

struct value {
	double done, total, left, x1, x2;
};

static int rule_complete(const struct rule *r, const struct value *v)
{
	switch (r->kind) {
	case R_ZERO:
		return v->left <= 0;
	case R_RATIO:
		if (v->total <= 0)
			return 1; /* nothing to do */
		return r->strict ? v->done / v->total > r->x : v->done / v->total >= r->x - 1e-12;
	case R_DONE:
		return r->strict ? v->done > r->x : v->done >= r->x;
	case R_NONE:
		break;
	}
	return 0;
}

/* ---- the run ---- */

struct task {
	char *action, *block, *number, *title, *requirement, *department, *deadline, *indicator;
	int metric;
	struct rule rule;
	long line;
	int group;           /* index in numbers[] */
	int indicator_given; /* the template names the indicator (not a default label) */
};

struct cell {
	struct value v;
	enum checklist_status status;
	int reported;      /* from --status */
	int explicit_line; /* line of a row naming the county (not the whole 市州) */
	int city_line;     /* line of a row for the whole 市州 */
	char note[512];
};

struct run {
	sqlite3 *db;
	const struct checklist_options *opt;
	struct checklist_summary *sum;
	struct task *tasks;
	int ntasks;
	char **numbers;
	int nnumbers;
	struct checklist_county *counties;
	int ncounties;
	char **cities;
	int ncities;
	struct cell *cells; /* ntasks × ncounties */
	struct checklist_ledger ledger;
	char status_sha[65];
};

static void add_reject(struct checklist_summary *sum, const char *file, long line, long column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add_reject(struct checklist_summary *sum, const char *file, long line, long column, const char *fmt, ...)
{
	struct checklist_reject *r;
	va_list ap;

	sum->rejects = realloc(sum->rejects, (size_t)(sum->nrejects + 1) * sizeof *sum->rejects);
	if (!sum->rejects)
		abort();
	r = &sum->rejects[sum->nrejects++];
	snprintf(r->file, sizeof r->file, "%s", file);
	r->line = line;
	r->column = column;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, msg_tr(fmt), ap);
	va_end(ap);
}

void checklist_summary_free(struct checklist_summary *sum)
{
	free(sum->rejects);
	sum->rejects = NULL;
	sum->nrejects = 0;
}

static struct cell *cell_at(struct run *r, int task, int county)
{
	return &r->cells[(size_t)task * (size_t)r->ncounties + (size_t)county];
}

/* ---- the tasks template ---- */

enum { TC_ACTION, TC_BLOCK, TC_NUMBER, TC_TASK, TC_REQUIREMENT, TC_DEPARTMENT, TC_DEADLINE, TC_INDICATOR,
       TC_METRIC, TC_RULE, TC_N };
static const char *const TASK_COLUMNS[TC_N] = {"action",     "block",    "number",    "task",   "requirement",
					       "department", "deadline", "indicator", "metric", "rule"};

/* 1.1.1, 1.3, 5.3: two or three parts of one or two digits. */
static int valid_number(const char *s)
{
	int parts = 0, digits = 0;

	for (const char *p = s;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (++digits > 2)
				return 0;
		} else if (*p == '.' || *p == '\0') {
			if (digits == 0)
				return 0;
			parts++;
			digits = 0;
			if (*p == '\0')
				break;
		} else {
			return 0;
		}
	}
	return parts >= 2 && parts <= 3;
}

static int find_number(const struct run *r, const char *number)
{
	for (int g = 0; g < r->nnumbers; g++)
		if (strcmp(r->numbers[g], number) == 0)
			return g;
	return -1;
}

/* A later row of a task number may leave the task's columns empty; when it
 * fills one in, it must say the same. */
static int inherit(struct run *r, const char *path, long line, int col, char **field, const char *value,
		   const struct task *first)
{
	char *const *have = NULL;

	switch (col) {
	case TC_ACTION: have = &first->action; break;
	case TC_BLOCK: have = &first->block; break;
	case TC_TASK: have = &first->title; break;
	case TC_REQUIREMENT: have = &first->requirement; break;
	case TC_DEPARTMENT: have = &first->department; break;
	case TC_DEADLINE: have = &first->deadline; break;
	default: return 0;
	}
	if (!value[0]) {
		*field = xstrdup(*have);
		return 0;
	}
	if (strcmp(value, *have) != 0) {
		add_reject(r->sum, path, line, col + 1, "%s '%s' differs from the task's first row (line %ld: '%s')",
			   TASK_COLUMNS[col], value, first->line, *have);
		*field = xstrdup(*have);
		return -1;
	}
	*field = xstrdup(value);
	return 0;
}

static void take_task(struct run *r, const char *path, const struct csvin_row *row, const int col_of[TC_N])
{
	const char *v[TC_N];
	const struct task *first = NULL;
	struct task t = {0};
	int blank = 1, bad = 0;

	for (int c = 0; c < TC_N; c++) {
		v[c] = col_of[c] < row->nfields ? row->fields[col_of[c]] : "";
		if (v[c][0])
			blank = 0;
	}
	if (blank)
		return;
	if (!valid_number(v[TC_NUMBER])) {
		add_reject(r->sum, path, row->line, col_of[TC_NUMBER] + 1,
			   "number '%s' is not a task number such as 1.1.2 (block.task.sub-item) or 1.3", v[TC_NUMBER]);
		return;
	}
	for (int i = 0; i < r->ntasks; i++)
		if (strcmp(r->tasks[i].number, v[TC_NUMBER]) == 0) {
			first = &r->tasks[i];
			break;
		}
	t.line = row->line;
	t.number = xstrdup(v[TC_NUMBER]);
	if (first) {
		bad |= inherit(r, path, row->line, TC_ACTION, &t.action, v[TC_ACTION], first);
		bad |= inherit(r, path, row->line, TC_BLOCK, &t.block, v[TC_BLOCK], first);
		bad |= inherit(r, path, row->line, TC_TASK, &t.title, v[TC_TASK], first);
		bad |= inherit(r, path, row->line, TC_REQUIREMENT, &t.requirement, v[TC_REQUIREMENT], first);
		bad |= inherit(r, path, row->line, TC_DEPARTMENT, &t.department, v[TC_DEPARTMENT], first);
		bad |= inherit(r, path, row->line, TC_DEADLINE, &t.deadline, v[TC_DEADLINE], first);
	} else {
		static const int needed[] = {TC_ACTION, TC_BLOCK, TC_TASK, TC_DEPARTMENT, TC_DEADLINE};
		char iso[11];

		for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++)
			if (!v[needed[i]][0]) {
				add_reject(r->sum, path, row->line, col_of[needed[i]] + 1,
					   "%s is empty: the first row of task %s needs it", TASK_COLUMNS[needed[i]],
					   v[TC_NUMBER]);
				bad = 1;
			}
		if (v[TC_DEADLINE][0] && datefmt_parse(v[TC_DEADLINE], iso) != DATEFMT_DAY) {
			add_reject(r->sum, path, row->line, col_of[TC_DEADLINE] + 1,
				   "deadline '%s' is not a date: write it as 2020-05-15", v[TC_DEADLINE]);
			bad = 1;
		}
		t.action = xstrdup(v[TC_ACTION]);
		t.block = xstrdup(v[TC_BLOCK]);
		t.title = xstrdup(v[TC_TASK]);
		t.requirement = xstrdup(v[TC_REQUIREMENT]);
		t.department = xstrdup(v[TC_DEPARTMENT]);
		t.deadline = xstrdup(bad ? "" : iso);
	}
	if (r->ntasks > 0 && strcmp(t.action, r->tasks[0].action) != 0) {
		add_reject(r->sum, path, row->line, col_of[TC_ACTION] + 1,
			   "action '%s' differs from line %ld ('%s'): one file holds one action", t.action,
			   r->tasks[0].line, r->tasks[0].action);
		bad = 1;
	}
	t.metric = M_NONE;
	if (v[TC_METRIC][0]) {
		t.metric = metric_find(v[TC_METRIC]);
		if (t.metric == M_NONE) {
			add_reject(r->sum, path, row->line, col_of[TC_METRIC] + 1,
				   "unknown metric '%s': expected one of returnee_updated_14d, roster_not_entered, "
				   "township_checked, township_recalibrate, conflicts_open, problems_open, "
				   "zero_households, weekly_push, match_rate, or empty (reported in --status)",
				   v[TC_METRIC]);
			bad = 1;
		} else if (rule_parse(v[TC_RULE], &t.rule) != 0) {
			add_reject(r->sum, path, row->line, col_of[TC_RULE] + 1,
				   "rule '%s' is not one of zero, ratio>=X (0..1), ratio>X, done>=N", v[TC_RULE]);
			bad = 1;
		}
	} else if (v[TC_RULE][0]) {
		add_reject(r->sum, path, row->line, col_of[TC_RULE] + 1,
			   "a rule ('%s') without a metric: a task reported in --status has no rule", v[TC_RULE]);
		bad = 1;
	}
	for (int i = 0; i < r->ntasks && !bad; i++)
		if (strcmp(r->tasks[i].number, t.number) == 0 && r->tasks[i].metric == t.metric) {
			add_reject(r->sum, path, row->line, col_of[TC_METRIC] + 1,
				   t.metric == M_NONE ? msg_tr("task %s has a second row reported in --status (first: line %ld)")
						      : msg_tr("task %s has this metric already (line %ld)"),
				   t.number, r->tasks[i].line);
			bad = 1;
		}
	t.indicator_given = v[TC_INDICATOR][0] != '\0';
	if (t.indicator_given)
		t.indicator = xstrdup(v[TC_INDICATOR]);
	else
		t.indicator = xstrdup(t.metric == M_NONE ? "县市区报送" : METRICS[t.metric].label);
	t.group = find_number(r, t.number);
	if (t.group < 0) {
		r->numbers = realloc(r->numbers, (size_t)(r->nnumbers + 1) * sizeof *r->numbers);
		if (!r->numbers)
			abort();
		r->numbers[r->nnumbers] = xstrdup(t.number);
		t.group = r->nnumbers++;
	}
	r->tasks = realloc(r->tasks, (size_t)(r->ntasks + 1) * sizeof *r->tasks);
	if (!r->tasks)
		abort();
	r->tasks[r->ntasks++] = t;
}

static int load_tasks(struct run *r, struct bangfu_err *err)
{
	struct csvin_options copt = {0};
	struct csvin_row *row;
	struct csvin *in;
	const char *path;
	int col_of[TC_N], rc;

	if (r->opt->tasks_path) {
		snprintf(r->sum->tasks_path, sizeof r->sum->tasks_path, "%s", r->opt->tasks_path);
	} else {
		char found[1024], *real;

		if (tmpl_path(DEFAULT_TASKS, found, sizeof found, err) != 0)
			return -1;
		/* bin/../templates/x reads better as templates/x */
		real = realpath(found, NULL);
		snprintf(r->sum->tasks_path, sizeof r->sum->tasks_path, "%s", real ? real : found);
		free(real);
	}
	path = r->sum->tasks_path;
	copt.display_name = path;
	in = csvin_open(path, &copt, err);
	if (!in)
		return -1;
	for (int c = 0; c < TC_N; c++) {
		col_of[c] = csvin_find_column(in, TASK_COLUMNS[c]);
		if (col_of[c] < 0) {
			long header_line = csvin_header_line(in);

			csvin_close(in);
			return bangfu_fail(err, ERR_INPUT, path, header_line, 0, "bad_template",
					   "the tasks template needs the columns action, block, number, task, requirement, "
					   "department, deadline, indicator, metric, rule (%s is missing)",
					   TASK_COLUMNS[c]);
		}
	}
	while ((rc = csvin_next(in, &row, err)) == 1) {
		if (row->rejected) {
			add_reject(r->sum, path, row->line, row->reject_col, "%s", row->reject_message);
			continue;
		}
		take_task(r, path, row, col_of);
	}
	csvin_close(in);
	if (rc < 0)
		return -1;
	if (r->ntasks == 0 && r->sum->nrejects == 0)
		add_reject(r->sum, path, 0, 0, "the tasks template has no tasks");
	if (r->ntasks > 0)
		snprintf(r->sum->action, sizeof r->sum->action, "%s", r->tasks[0].action);
	r->sum->tasks = r->nnumbers;
	r->sum->rows = r->ntasks;
	return 0;
}

/* ---- counties, metrics, problems ---- */

/* The columns of the period's persons the counties and the metrics read,
 * copied once: four metrics and the list of counties each read every
 * person, and a scan of these few columns costs a tenth of one over the
 * person rows (at 4 M people, 4 s each). */
static int person_copy(struct run *r, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int step;

	if (db_exec(r->db, "DROP TABLE IF EXISTS temp.checklist_person", err) != 0 ||
	    db_prepare(r->db,
		       "CREATE TEMP TABLE checklist_person AS SELECT city, county, township, household_id, in_roster,"
		       " in_hr, id_valid, able, labour_age, returned, updated_at, return_date FROM person WHERE period = ?1",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, r->opt->period, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : db_fail(r->db, err, "reading the period's persons");
}

static int load_counties(struct run *r, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int step;

	if (db_prepare(r->db,
		       "SELECT city, county FROM (SELECT coalesce(city, '') AS city, coalesce(county, '') AS county"
		       " FROM temp.checklist_person"
		       " UNION SELECT coalesce(city, ''), coalesce(county, '') FROM temp.ledger_asof"
		       " WHERE closed_on IS NULL)"
		       /* GB/T 2260 order, as in the progress report (长沙市, 株洲市, …) */
		       " ORDER BY bf_place_order(city, county), city, county",
		       &st, err) != 0)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *city = (const char *)sqlite3_column_text(st, 0);
		const char *county = (const char *)sqlite3_column_text(st, 1);

		r->counties = realloc(r->counties, (size_t)(r->ncounties + 1) * sizeof *r->counties);
		if (!r->counties)
			abort();
		r->counties[r->ncounties].city = xstrdup(city);
		r->counties[r->ncounties].county = xstrdup(county);
		r->ncounties++;
		if (r->ncities == 0 || strcmp(r->cities[r->ncities - 1], city) != 0) {
			r->cities = realloc(r->cities, (size_t)(r->ncities + 1) * sizeof *r->cities);
			if (!r->cities)
				abort();
			r->cities[r->ncities++] = xstrdup(city);
		}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_fail(r->db, err, "listing the counties");
	r->sum->counties = r->ncounties;
	r->sum->cities = r->ncities;
	return 0;
}

static int county_index(const struct run *r, const char *city, const char *county)
{
	for (int k = 0; k < r->ncounties; k++)
		if (strcmp(r->counties[k].city, city) == 0 && strcmp(r->counties[k].county, county) == 0)
			return k;
	return -1;
}

static sqlite3_stmt *prepare_bound(struct run *r, const char *sql, struct bangfu_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(r->db, sql, &st, err) != 0)
		return NULL;
	sqlite3_bind_text(st, 1, r->opt->period, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, r->opt->as_of, -1, SQLITE_STATIC);
	return st;
}

/* Values of one metric for every county (zero where a county has no rows). */
static int compute_metric(struct run *r, int m, struct value *out, struct bangfu_err *err)
{
	memset(out, 0, (size_t)r->ncounties * sizeof *out);
	for (int q = 0; q < 2 && METRICS[m].sql[q]; q++) {
		sqlite3_stmt *st = prepare_bound(r, METRICS[m].sql[q], err);
		int step;

		if (!st)
			return -1;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			int k = county_index(r, (const char *)sqlite3_column_text(st, 0),
					     (const char *)sqlite3_column_text(st, 1));

			if (k < 0)
				continue;
			out[k].done += sqlite3_column_double(st, 2);
			out[k].total += sqlite3_column_double(st, 3);
			out[k].left += sqlite3_column_double(st, 4);
			out[k].x1 += sqlite3_column_double(st, 5);
			out[k].x2 += sqlite3_column_double(st, 6);
		}
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			return db_fail(r->db, err, METRICS[m].name);
	}
	for (int k = 0; k < r->ncounties; k++) {
		if (METRICS[m].derive == LEFT_IS_TOTAL_LESS_DONE)
			out[k].left = out[k].total - out[k].done;
		else if (METRICS[m].derive == DONE_IS_TOTAL_LESS_LEFT)
			out[k].done = out[k].total - out[k].left;
	}
	return 0;
}

static void metric_note(int m, const struct value *v, char *out, size_t outsz)
{
	switch ((enum metric)m) {
	case M_RETURNEE:
		snprintf(out, outsz, "返乡回流 %.0f 人，14日内更新 %.0f 人，未更新 %.0f 人", v->total, v->done, v->left);
		break;
	case M_ROSTER:
		snprintf(out, outsz, "扶贫系统 %.0f 人，已录入省平台 %.0f 人，未录入 %.0f 人", v->total, v->done, v->left);
		break;
	case M_TOWNSHIP_CHECKED:
		if (v->x1 + v->x2 > 0)
			snprintf(out, outsz, "应抽查乡镇 %.0f 个，已作结论 %.0f 个，抽查准确率 %.1f%%", v->total, v->done,
				 100.0 * v->x1 / (v->x1 + v->x2));
		else
			snprintf(out, outsz, "应抽查乡镇 %.0f 个，已作结论 %.0f 个", v->total, v->done);
		break;
	case M_RECALIBRATE:
		snprintf(out, outsz, "需重新校准乡镇：在办 %.0f 个，已销号 %.0f 个", v->left, v->done);
		break;
	case M_CONFLICTS:
		snprintf(out, outsz, "信息不一致：在办 %.0f 人（逾期 %.0f），已销号 %.0f 人", v->left, v->x1, v->done);
		break;
	case M_PROBLEMS:
		snprintf(out, outsz, "问题在办 %.0f 项（逾期 %.0f），已销号 %.0f 项", v->left, v->x1, v->done);
		break;
	case M_ZERO_HOUSEHOLDS:
		snprintf(out, outsz, "有劳动能力家庭 %.0f 户，零就业 %.0f 户", v->total, v->left);
		break;
	case M_WEEKLY_PUSH:
		snprintf(out, outsz, "返乡回流和有就业意愿未就业 %.0f 人，本期每周都获推送 %.0f 人（%.1f%%）", v->total, v->done,
			 v->total > 0 ? 100.0 * v->done / v->total : 0.0);
		break;
	case M_MATCH:
		snprintf(out, outsz, "本期获推送 %.0f 人，推送后录用 %.0f 人，人岗匹配成功率 %.1f%%", v->total, v->done,
			 v->total > 0 ? 100.0 * v->done / v->total : 0.0);
		break;
	case M_NONE:
	case M_N:
		out[0] = '\0';
		break;
	}
}

static int overdue(const struct run *r, const struct task *t)
{
	return strcmp(r->opt->as_of, t->deadline) > 0;
}

static int compute_cells(struct run *r, struct bangfu_err *err)
{
	struct value *values[M_N] = {0};
	int rc = 0;

	for (int i = 0; i < r->ntasks && rc == 0; i++) {
		int m = r->tasks[i].metric;

		if (m == M_NONE || values[m])
			continue;
		values[m] = calloc((size_t)r->ncounties + 1, sizeof *values[m]);
		if (!values[m])
			abort();
		rc = compute_metric(r, m, values[m], err);
	}
	for (int i = 0; i < r->ntasks && rc == 0; i++) {
		const struct task *t = &r->tasks[i];

		for (int k = 0; k < r->ncounties; k++) {
			struct cell *c = cell_at(r, i, k);

			if (t->metric != M_NONE && metric_of_services(t->metric) && values[t->metric][k].x2 <= 0) {
				c->v = values[t->metric][k];
				c->status = overdue(r, t) ? CL_OVERDUE : CL_NOT_STARTED;
				snprintf(c->note, sizeof c->note, "本期没有就业服务记录（bangfu-ingest --source service），无从计算");
			} else if (t->metric != M_NONE) {
				c->v = values[t->metric][k];
				metric_note(t->metric, &c->v, c->note, sizeof c->note);
				if (rule_complete(&t->rule, &c->v))
					c->status = CL_DONE;
				else if (overdue(r, t))
					c->status = CL_OVERDUE;
				else
					c->status = c->v.done > 0 ? CL_ONGOING : CL_NOT_STARTED;
			} else if (!c->reported) {
				c->status = overdue(r, t) ? CL_OVERDUE : CL_NOT_STARTED;
				snprintf(c->note, sizeof c->note, "未报送");
			} else if (c->status != CL_DONE && overdue(r, t)) {
				c->status = CL_OVERDUE;
			}
		}
	}
	for (int m = 0; m < M_N; m++)
		free(values[m]);
	return rc;
}

/* A county's status for a task number: all rows done → 已完成; any overdue →
 * 逾期; any progress → 进行中; else 未开始. */
static enum checklist_status task_status(struct run *r, int group, int k)
{
	int all_done = 1, any_overdue = 0, any_progress = 0;

	for (int i = 0; i < r->ntasks; i++) {
		const struct cell *c;

		if (r->tasks[i].group != group)
			continue;
		c = cell_at(r, i, k);
		all_done &= c->status == CL_DONE;
		any_overdue |= c->status == CL_OVERDUE;
		any_progress |= c->status == CL_DONE || c->status == CL_ONGOING ||
				(c->status == CL_OVERDUE && r->tasks[i].metric != M_NONE && c->v.done > 0);
	}
	if (all_done)
		return CL_DONE;
	if (any_overdue)
		return CL_OVERDUE;
	return any_progress ? CL_ONGOING : CL_NOT_STARTED;
}

/* ---- the counties' reports (--status) ---- */

enum { SF_CITY, SF_COUNTY, SF_TASK, SF_STATUS, SF_NOTE, SF_N };
static const char *const STATUS_FIELDS[SF_N] = {"city", "county", "task", "status", "note"};

static void take_report(struct run *r, const char *path, long line, const char *const v[SF_N], const int col[SF_N])
{
	int task = -1, any_task = 0, status = -1, matched = 0, cities_seen = 0;
	char where[512] = "";

	for (int i = 0; i < r->ntasks; i++)
		if (strcmp(r->tasks[i].number, v[SF_TASK]) == 0) {
			any_task = 1;
			if (r->tasks[i].metric == M_NONE)
				task = i;
		}
	if (!v[SF_TASK][0]) {
		add_reject(r->sum, path, line, col[SF_TASK] + 1, "任务编号 is empty");
		return;
	}
	if (!any_task) {
		add_reject(r->sum, path, line, col[SF_TASK] + 1, "unknown task number '%s': not a task of %s",
			   v[SF_TASK], r->sum->tasks_path);
		return;
	}
	if (task < 0) {
		add_reject(r->sum, path, line, col[SF_TASK] + 1,
			   "task %s is measured from the database; it is not reported in --status", v[SF_TASK]);
		return;
	}
	for (int s = 0; s < CL_NSTATUS; s++)
		if (strcmp(v[SF_STATUS], STATUS_LABELS[s]) == 0)
			status = s;
	if (status == CL_OVERDUE) {
		add_reject(r->sum, path, line, col[SF_STATUS] + 1,
			   "逾期 is decided from the deadline and the as-of date: report 已完成, 进行中 or 未开始");
		return;
	}
	if (status < 0) {
		add_reject(r->sum, path, line, col[SF_STATUS] + 1, "status '%s' is not one of 已完成, 进行中, 未开始",
			   v[SF_STATUS]);
		return;
	}
	if (!v[SF_COUNTY][0] && !v[SF_CITY][0]) {
		add_reject(r->sum, path, line, col[SF_COUNTY] + 1,
			   "县市区 is empty: name the county (or leave it empty and give the 市州 for all its counties)");
		return;
	}
	/* Which counties the row is about. */
	for (int k = 0; k < r->ncounties; k++) {
		const struct checklist_county *c = &r->counties[k];

		if (v[SF_COUNTY][0] && strcmp(c->county, v[SF_COUNTY]) != 0)
			continue;
		if (v[SF_CITY][0] && strcmp(c->city, v[SF_CITY]) != 0)
			continue;
		if (matched == 0 || strstr(where, c->city) == NULL) {
			cities_seen++;
			strncat(where, where[0] ? "、" : "", sizeof where - strlen(where) - 1);
			strncat(where, c->city, sizeof where - strlen(where) - 1);
		}
		matched++;
	}
	if (matched == 0) {
		if (v[SF_COUNTY][0])
			add_reject(r->sum, path, line, col[SF_COUNTY] >= 0 ? col[SF_COUNTY] + 1 : 0,
				   "unknown county '%s%s': no data for it in %s", v[SF_CITY], v[SF_COUNTY], r->opt->period);
		else
			add_reject(r->sum, path, line, col[SF_CITY] + 1, "unknown 市州 '%s': no data for it in %s",
				   v[SF_CITY], r->opt->period);
		return;
	}
	if (v[SF_COUNTY][0] && cities_seen > 1) {
		add_reject(r->sum, path, line, col[SF_COUNTY] + 1,
			   "county '%s' is in more than one 市州 (%s): add the 市州 column", v[SF_COUNTY], where);
		return;
	}
	for (int k = 0; k < r->ncounties; k++) {
		const struct checklist_county *c = &r->counties[k];
		struct cell *cell = cell_at(r, task, k);

		if ((v[SF_COUNTY][0] && strcmp(c->county, v[SF_COUNTY]) != 0) ||
		    (v[SF_CITY][0] && strcmp(c->city, v[SF_CITY]) != 0))
			continue;
		if (v[SF_COUNTY][0]) {
			if (cell->explicit_line) {
				add_reject(r->sum, path, line, col[SF_TASK] + 1,
					   "task %s of %s is already reported on line %d", v[SF_TASK], c->county,
					   cell->explicit_line);
				return;
			}
			cell->explicit_line = (int)line;
		} else {
			if (cell->city_line) {
				add_reject(r->sum, path, line, col[SF_TASK] + 1,
					   "task %s of %s is already reported on line %d", v[SF_TASK], c->city,
					   cell->city_line);
				return;
			}
			cell->city_line = (int)line;
			if (cell->explicit_line)
				continue; /* the county's own row wins */
		}
		cell->reported = 1;
		cell->status = (enum checklist_status)status;
		snprintf(cell->note, sizeof cell->note, "%s", v[SF_NOTE]);
	}
	r->sum->reports++;
}

static int load_reports(struct run *r, struct bangfu_err *err)
{
	struct tmpl_columns *cols = NULL;
	struct csvin_options copt = {0};
	struct csvin_row *row;
	struct csvin *in;
	const char *path = r->opt->status_path;
	int col[SF_N], rc;

	if (!path)
		return 0;
	if (tmpl_columns_load("status", &cols, err) != 0)
		return -1;
	for (int f = 0; f < SF_N; f++)
		if (tmpl_columns_find(cols, STATUS_FIELDS[f]) < 0) {
			tmpl_columns_free(cols);
			return bangfu_fail(err, ERR_INTERNAL, "columns.csv", 0, 0, "bad_template",
					   "templates/columns.csv has no status row for %s", STATUS_FIELDS[f]);
		}
	copt.columns = cols;
	copt.display_name = path;
	in = csvin_open(path, &copt, err);
	if (!in) {
		/* csvin's own wording names the roster's columns */
		if (strcmp(err->code, "no_header") == 0)
			snprintf(err->message, sizeof err->message, "%s",
				 msg_tr("no header row: expected a row naming the columns 县市区, 任务编号 and 完成状态 "
					"(市州 and 情况说明 optional)"));
		tmpl_columns_free(cols);
		return -1;
	}
	for (int f = 0; f < SF_N; f++)
		col[f] = csvin_field_column(in, tmpl_columns_find(cols, STATUS_FIELDS[f]));
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *v[SF_N];
		int blank = 1;

		if (row->rejected) {
			add_reject(r->sum, path, row->line, row->reject_col, "%s", row->reject_message);
			continue;
		}
		for (int f = 0; f < SF_N; f++) {
			v[f] = col[f] >= 0 && col[f] < row->nfields ? row->fields[col[f]] : "";
			if (v[f][0])
				blank = 0;
		}
		if (!blank)
			take_report(r, path, row->line, v, col);
	}
	if (rc == 0)
		snprintf(r->status_sha, sizeof r->status_sha, "%s", csvin_sha256(in));
	csvin_close(in);
	tmpl_columns_free(cols);
	return rc < 0 ? -1 : 0;
}

/* ---- the workbook ---- */

static const char *const CHINESE_DIGITS[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

/* 1.1.2 → （一）1.（2）; 1.3 → （一）3. */
static void display_number(const char *number, char *out, size_t outsz)
{
	int parts[3] = {0, 0, 0}, n = sscanf(number, "%d.%d.%d", &parts[0], &parts[1], &parts[2]);
	const char *block = parts[0] >= 0 && parts[0] <= 10 ? CHINESE_DIGITS[parts[0]] : "?";

	if (n == 3)
		snprintf(out, outsz, "（%s）%d.（%d）", block, parts[1], parts[2]);
	else if (n == 2)
		snprintf(out, outsz, "（%s）%d.", block, parts[1]);
	else
		snprintf(out, outsz, "%s", number);
}

static void status_counts_text(const long counts[CL_NSTATUS], char *out, size_t outsz)
{
	snprintf(out, outsz, "已完成 %ld，进行中 %ld，未开始 %ld，逾期 %ld", counts[CL_DONE], counts[CL_ONGOING],
		 counts[CL_NOT_STARTED], counts[CL_OVERDUE]);
}

static enum checklist_status combine(const long counts[CL_NSTATUS])
{
	long total = counts[0] + counts[1] + counts[2] + counts[3];

	if (counts[CL_DONE] == total)
		return CL_DONE;
	if (counts[CL_OVERDUE] > 0)
		return CL_OVERDUE;
	if (counts[CL_DONE] + counts[CL_ONGOING] > 0)
		return CL_ONGOING;
	return CL_NOT_STARTED;
}

static lxw_format *status_format(struct xlsx_book *b, enum checklist_status s, lxw_format *plain)
{
	return s == CL_OVERDUE ? b->flag : plain;
}

const char *checklist_shown(const char *s, const char *empty)
{
	return s && s[0] ? s : empty;
}

#define shown checklist_shown

/* First task row of each number (for the task's own columns). */
static const struct task *group_task(const struct run *r, int group)
{
	for (int i = 0; i < r->ntasks; i++)
		if (r->tasks[i].group == group)
			return &r->tasks[i];
	return NULL;
}

/* The sub-items of a task (1.2.1, 1.2.2, …) share its title; what tells them
 * apart: the indicators the template names for the sub-item, else the
 * requirement's own heading (the words before "："), else its first clause. */
static void subitem_heading(const struct run *r, int group, struct strbuf *out)
{
	const struct task *t = group_task(r, group);
	const char *req, *stop = NULL;

	for (int i = 0; i < r->ntasks; i++)
		if (r->tasks[i].group == group && r->tasks[i].indicator_given)
			strbuf_addf(out, "%s%s", out->len ? "、" : "", r->tasks[i].indicator);
	if (out->len || !t)
		return;
	req = t->requirement;
	for (const char *const *sep = (const char *const[]){"：", "，", "；", "。", NULL}; *sep && !stop; sep++)
		stop = strstr(req, *sep);
	strbuf_addf(out, "%.*s", stop ? (int)(stop - req) : (int)strlen(req), req);
}

/* The 工作任务 cell of a task number in 汇总: the title, and for a sub-item
 * its heading after it. */
static void group_title(const struct run *r, int group, struct strbuf *out)
{
	const struct task *t = group_task(r, group);
	struct strbuf heading;

	strbuf_reset(out);
	strbuf_addstr(out, t ? t->title : "");
	if (!t || strchr(strchr(t->number, '.') + 1, '.') == NULL)
		return;
	strbuf_init(&heading);
	subitem_heading(r, group, &heading);
	if (heading.len)
		strbuf_addf(out, "：%s", strbuf_str(&heading));
	strbuf_free(&heading);
}

enum { SC_NO, SC_TASK, SC_DEPT, SC_DEADLINE, SC_CITY, SC_COUNTIES, SC_DONE, SC_ONGOING, SC_NOT_STARTED, SC_OVERDUE,
       SC_RATE, SC_N };

static void write_summary(struct run *r, struct xlsx_book *b, const char *title_period)
{
	static const struct xlsx_column cols[SC_N] = {
		{"编号", 12}, {"工作任务", 26}, {"责任部门", 20}, {"完成时限", 11}, {"市州", 12}, {"县市区数", 8},
		{"已完成", 8}, {"进行中", 8},   {"未开始", 8},   {"逾期", 8},     {"完成率", 9}};
	struct strbuf task_title;
	char title[512], no[64];
	int first, row;
	lxw_worksheet *ws;

	snprintf(title, sizeof title, "巩固就业扶贫成效专项行动工作清单汇总（%s）", title_period);
	ws = xlsx_sheet(b, "汇总", title, 0, cols, SC_N, &first);
	worksheet_outline_settings(ws, LXW_TRUE, LXW_FALSE, LXW_TRUE, LXW_FALSE);
	strbuf_init(&task_title);
	row = first;
	for (int g = 0; g < r->nnumbers; g++) {
		const struct task *t = group_task(r, g);
		long total[CL_NSTATUS] = {0};

		/* the task's row over its cities' (rows are written in order) */
		for (int k = 0; k < r->ncounties; k++)
			total[task_status(r, g, k)]++;
		display_number(t->number, no, sizeof no);
		group_title(r, g, &task_title);
		xlsx_put_text(b, ws, row, SC_NO, no, b->total_text);
		xlsx_put_text(b, ws, row, SC_TASK, strbuf_str(&task_title), b->total_text);
		xlsx_put_text(b, ws, row, SC_DEPT, t->department, b->total_text);
		xlsx_put_text(b, ws, row, SC_DEADLINE, t->deadline, b->total_text);
		xlsx_put_text(b, ws, row, SC_CITY, "全部", b->total_text);
		xlsx_put_number(b, ws, row, SC_COUNTIES, (double)r->ncounties, b->total_count);
		for (int s = 0; s < CL_NSTATUS; s++) {
			xlsx_put_number(b, ws, row, SC_DONE + s, (double)total[s], b->total_count);
			r->sum->status[s] += total[s];
		}
		xlsx_put_rate(b, ws, row, SC_RATE, r->ncounties ? (double)total[CL_DONE] / r->ncounties : NAN,
			      b->total_rate);
		row++;
		for (int ci = 0; ci < r->ncities; ci++) {
			long counts[CL_NSTATUS] = {0}, n = 0;

			for (int k = 0; k < r->ncounties; k++) {
				if (strcmp(r->counties[k].city, r->cities[ci]) != 0)
					continue;
				counts[task_status(r, g, k)]++;
				n++;
			}
			xlsx_row_outline(b, ws, row, 1, 0, 0);
			xlsx_put_text(b, ws, row, SC_NO, "", b->text);
			xlsx_put_text(b, ws, row, SC_TASK, "", b->text);
			xlsx_put_text(b, ws, row, SC_DEPT, "", b->text);
			xlsx_put_text(b, ws, row, SC_DEADLINE, "", b->text);
			xlsx_put_text(b, ws, row, SC_CITY, shown(r->cities[ci], "（未填市州）"), b->text);
			xlsx_put_number(b, ws, row, SC_COUNTIES, (double)n, b->count);
			for (int s = 0; s < CL_NSTATUS; s++)
				xlsx_put_number(b, ws, row, SC_DONE + s, (double)counts[s], b->count);
			xlsx_put_rate(b, ws, row, SC_RATE, n ? (double)counts[CL_DONE] / (double)n : NAN, b->rate);
			row++;
		}
	}
	strbuf_free(&task_title);
	xlsx_flag_above_zero(b, ws, first, row - 1, SC_OVERDUE);
	if (row > first)
		xlsx_autofilter(b, ws, first - 1, 0, row - 1, SC_N - 1);
}

enum { CC_NO, CC_TASK, CC_REQ, CC_DEPT, CC_DEADLINE, CC_INDICATOR, CC_DONE, CC_TOTAL, CC_RATE, CC_STATUS, CC_NOTE,
       CC_N };

static void write_city(struct run *r, struct xlsx_book *b, const char *city, const char *title_period)
{
	static const struct xlsx_column cols[CC_N] = {
		{"编号", 12},     {"工作任务 / 县市区", 16}, {"工作要求", 42}, {"责任部门", 12},
		{"完成时限", 11}, {"指标", 20},            {"完成数", 7},   {"应完成数", 8},
		{"完成率", 8},    {"状态", 7},             {"情况说明", 30}};
	char title[512], no[64], text[256];
	int first, row;
	lxw_worksheet *ws;

	snprintf(title, sizeof title, "%s巩固就业扶贫成效专项行动工作清单（%s）", city, title_period);
	ws = xlsx_sheet(b, shown(city, "未填市州"), title, 0, cols, CC_N, &first);
	worksheet_outline_settings(ws, LXW_TRUE, LXW_FALSE, LXW_TRUE, LXW_FALSE);
	/* titles, departments, indicators and notes wrap rather than widen a
	 * sheet that must print on A4; county names are never cut */
	xlsx_column_cap(b, ws, CC_TASK, 28);
	xlsx_column_cap(b, ws, CC_DEPT, 16);
	xlsx_column_cap(b, ws, CC_INDICATOR, 24);
	xlsx_column_cap(b, ws, CC_NOTE, 0);
	row = first;
	for (int g = 0; g < r->nnumbers; g++) {
		const struct task *t = group_task(r, g);
		long counts[CL_NSTATUS] = {0};
		enum checklist_status s;

		/* the task's row over its counties' (rows are written in order) */
		for (int k = 0; k < r->ncounties; k++)
			if (strcmp(r->counties[k].city, city) == 0)
				counts[task_status(r, g, k)]++;
		s = combine(counts);
		display_number(t->number, no, sizeof no);
		xlsx_put_text(b, ws, row, CC_NO, no, b->total_text);
		xlsx_put_text(b, ws, row, CC_TASK, t->title, b->total_text);
		xlsx_put_text(b, ws, row, CC_REQ, t->requirement, b->text_wrap);
		xlsx_put_text(b, ws, row, CC_DEPT, t->department, b->text_wrap);
		xlsx_put_text(b, ws, row, CC_DEADLINE, t->deadline, b->total_text);
		xlsx_put_text(b, ws, row, CC_INDICATOR, "", b->total_text);
		for (int col = CC_DONE; col <= CC_RATE; col++)
			xlsx_put_text(b, ws, row, col, "", b->total_text);
		xlsx_put_text(b, ws, row, CC_STATUS, checklist_status_label(s), status_format(b, s, b->total_text));
		status_counts_text(counts, text, sizeof text);
		xlsx_put_text(b, ws, row, CC_NOTE, text, b->text_wrap);
		row++;
		for (int k = 0; k < r->ncounties; k++) {
			if (strcmp(r->counties[k].city, city) != 0)
				continue;
			for (int i = 0; i < r->ntasks; i++) {
				const struct cell *c;

				if (r->tasks[i].group != g)
					continue;
				c = cell_at(r, i, k);
				xlsx_row_outline(b, ws, row, 1, 0, 0);
				xlsx_put_text(b, ws, row, CC_NO, "", b->text);
				xlsx_put_text(b, ws, row, CC_TASK, shown(r->counties[k].county, "（未填县市区）"), b->text);
				xlsx_put_text(b, ws, row, CC_REQ, "", b->text);
				xlsx_put_text(b, ws, row, CC_DEPT, "", b->text);
				xlsx_put_text(b, ws, row, CC_DEADLINE, "", b->text);
				xlsx_put_text(b, ws, row, CC_INDICATOR, r->tasks[i].indicator, b->text_wrap);
				if (r->tasks[i].metric != M_NONE) {
					xlsx_put_number(b, ws, row, CC_DONE, c->v.done, b->count);
					xlsx_put_number(b, ws, row, CC_TOTAL, c->v.total, b->count);
					xlsx_put_rate(b, ws, row, CC_RATE, c->v.total > 0 ? c->v.done / c->v.total : NAN,
						      b->rate);
				} else {
					for (int col = CC_DONE; col <= CC_RATE; col++)
						xlsx_put_text(b, ws, row, col, "", b->text);
				}
				xlsx_put_text(b, ws, row, CC_STATUS, checklist_status_label(c->status),
					      status_format(b, c->status, b->text));
				xlsx_put_text(b, ws, row, CC_NOTE, c->note, b->text_wrap);
				row++;
			}
		}
	}
}

/* The last component of a path: the 说明 sheet names files, not where they
 * lie on the server. */
static const char *file_name_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void write_notes(struct run *r, struct xlsx_book *b)
{
	static const struct xlsx_column cols[2] = {{"项目", 16}, {"内容", 100}};
	char text[2048];
	int first, row;
	lxw_worksheet *ws;
	sqlite3_stmt *st;

	ws = xlsx_sheet(b, "说明", "说明", 0, cols, 2, &first);
	row = first;
	snprintf(text, sizeof text, "%s 关于开展巩固就业扶贫成效专项行动的通知（任务清单：%s，%ld 项任务，%ld 个指标）",
		 r->sum->action, file_name_of(r->sum->tasks_path), r->sum->tasks, r->sum->rows);
	xlsx_note(b, ws, row++, "依据", text);
	snprintf(text, sizeof text, "数据期 %s；状态判定日期 %s（完成时限当天仍在时限内，次日起未完成为逾期）", r->opt->period,
		 r->opt->as_of);
	xlsx_note(b, ws, row++, "统计时段", text);
	if (sqlite3_prepare_v2(r->db,
			       "SELECT group_concat(CASE source WHEN 'hr' THEN '省平台' WHEN 'service' THEN '就业服务记录'"
			       " WHEN 'ledger' THEN '务工情况电子台账' WHEN 'posts' THEN '公益性岗位花名册' ELSE '扶贫系统' END"
			       " || '：' || file_name"
			       " || '（' || rows_read || ' 行，拒收 ' || rows_rejected || ' 行，SHA-256 ' || sha256 || '）',"
			       " char(10)) FROM (SELECT * FROM source_file WHERE period = ? ORDER BY source DESC, file_name)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, r->opt->period, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			xlsx_note(b, ws, row++, "数据来源", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	if (r->opt->status_path) {
		snprintf(text, sizeof text, "%s（%ld 行报送，SHA-256 %s）", file_name_of(r->opt->status_path),
			 r->sum->reports, r->status_sha);
		xlsx_note(b, ws, row++, "县市区报送", text);
	} else {
		xlsx_note(b, ws, row++, "县市区报送", "无（未提供 --status 文件；须报送的任务均为“未开始”或“逾期”）");
	}
	xlsx_note(b, ws, row++, "状态",
		  "已完成：指标达到任务模板规定的规则，或县市区报送已完成；逾期：判定日期已过完成时限而未完成（完成时限当天不算逾期）；"
		  "进行中：已有进展（完成数大于 0 或报送进行中）；未开始：无进展。一项任务有多个指标时，全部完成为已完成，"
		  "任一逾期为逾期。汇总表按县市区计数；一项工作任务分几个子项的，“工作任务”列在任务名后写明子项。");
	xlsx_note(b, ws, row++, "指标",
		  "返乡回流人员登记14日内更新：省平台返乡回流人员中，更新时间或返乡时间在判定日期前14日内的人数"
		  "（每2周更新一次）。扶贫系统人员录入省平台：扶贫系统有效证件号码人员中在省平台有记录的人数。"
		  "抽查乡镇作出核查结论：在省平台有人员的乡镇中，抽查结论为达标或需重新校准的乡镇数。"
		  "低于90%的乡镇重新校准、比对不一致人员核实更正、数据比对问题挂单销号：问题台账中的在办与销号数"
		  "（挂单销号含外部问题清单的问题）。"
		  "零就业家庭清零：有劳动能力且在劳动年龄内成员的家庭中，至少一人就业的户数。");
	xlsx_note(b, ws, row++, "问题清单",
		  "每期比对发现的未录入省平台、信息不一致、证件号码无效、扶贫名单外人员、重复记录、零就业家庭、就业转失业和"
		  "抽查准确率低于90%的乡镇，以及回头看、联点督查、12317投诉等问题清单所列的问题，各为一项问题（挂单），"
		  "以问题编号逐项跟踪，明确责任单位和责任人。挂单日期：数据发现的为该期最后一天，外部问题为发现日期；"
		  "整改时限：挂单日期加问题类别规定的天数（模板 ledger_kinds.csv），外部问题清单列明的从其所列。");
	xlsx_note(b, ws, row++, "销号",
		  "数据核实：以后某期比对不再发现（销号日期为该期最后一天；某县市区当期无数据时，其问题不因数据销号）；"
		  "乡镇报结：乡镇在工作清单上报“已整改”（销号日期为整改日期）；按问题类别，由其一或两者共同销号，"
		  "外部问题只能由乡镇报结销号。乡镇报已整改、但整改日期之后的数据仍有此问题的，重新挂单并注明。");
	snprintf(text, sizeof text,
		 "在办：判定日期 %s 未销号；逾期：判定日期已过整改时限仍未销号（时限当天不算逾期）；本期新增、本期销号："
		 "挂单日期、销号日期在 %s 之后、%s 及以前；累计销号：截至判定日期。各县市区的问题台账逐项列出，"
		 "可按状态、类别、超期天数筛选和排序；不含姓名、证件号码和电话。",
		 r->opt->as_of, r->ledger.prev_end, r->ledger.end);
	xlsx_note(b, ws, row++, "问题台账", text);
	xlsx_note(b, ws, row++, "生成时间", b->generated);
}

static int write_workbook(struct run *r, struct bangfu_err *err)
{
	struct outputs outs = {0};
	struct xlsx_book book;
	char title_period[128];
	const char *tmp;

	snprintf(title_period, sizeof title_period, "截至 %s", r->opt->as_of);
	if (outputs_add(&outs, r->opt->out_path, &tmp, err) != 0)
		return -1;
	if (xlsx_open_streamed(&book, tmp, r->opt->unit, r->opt->period, err) != 0) {
		outputs_discard(&outs);
		return -1;
	}
	write_summary(r, &book, title_period);
	for (int ci = 0; ci < r->ncities; ci++)
		write_city(r, &book, r->cities[ci], title_period);
	checklist_ledger_counts_sheet(&r->ledger, &book);
	if (checklist_ledger_item_sheets(&r->ledger, &book, err) != 0) {
		struct bangfu_err ignored;

		xlsx_close(&book, &ignored);
		outputs_discard(&outs);
		return -1;
	}
	write_notes(r, &book);
	if (xlsx_close(&book, err) != 0 || (r->opt->ledger_dir && checklist_ledger_csv(&r->ledger, &outs, err) != 0)) {
		outputs_discard(&outs);
		return -1;
	}
	return outputs_commit(&outs, err);
}

static void run_free(struct run *r)
{
	for (int i = 0; i < r->ntasks; i++) {
		struct task *t = &r->tasks[i];

		free(t->action);
		free(t->block);
		free(t->number);
		free(t->title);
		free(t->requirement);
		free(t->department);
		free(t->deadline);
		free(t->indicator);
	}
	free(r->tasks);
	for (int g = 0; g < r->nnumbers; g++)
		free(r->numbers[g]);
	free(r->numbers);
	for (int k = 0; k < r->ncounties; k++) {
		free(r->counties[k].city);
		free(r->counties[k].county);
	}
	free(r->counties);
	for (int c = 0; c < r->ncities; c++)
		free(r->cities[c]);
	free(r->cities);
	free(r->cells);
	checklist_ledger_free(&r->ledger);
}

/* The period reconciled, and its findings no older than its reconcile and
 * township checks: the checklist reads them, it does not find them. */
static int check_findings(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int reconciled = 0, fresh;

	if (db_prepare(db, "SELECT count(*) FROM reconcile_run WHERE period = ?", &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		reconciled = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!reconciled)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(db, "main"), 0, 0, "no_reconcile",
				   "no reconcile result for %s: run bangfu-reconcile --period %s first", period, period);
	if ((fresh = findings_fresh(db, period, err)) < 0)
		return -1;
	if (!fresh)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(db, "main"), 0, 0, "stale_findings",
				   "the findings of %s are older than its reconciliation or township checks: "
				   "run bangfu-ledger --period %s (or bangfu-verify --period %s) to bring them up to date",
				   period, period, period);
	return 0;
}

int checklist_run(sqlite3 *db, const struct checklist_options *opt, struct checklist_summary *sum,
		  struct bangfu_err *err)
{
	struct run r = {.db = db, .opt = opt, .sum = sum};
	int rc = -1;

	if (load_tasks(&r, err) != 0)
		goto out;
	if (sum->nrejects > 0)
		goto rejected;
	/* One read transaction: every sheet sees one state of the ledger.  The
	 * checklist writes only temporary tables. */
	if (db_exec(db, "BEGIN", err) != 0 || check_findings(db, opt->period, err) != 0 ||
	    findings_as_of(db, opt->period, opt->as_of, err) != 0 || person_copy(&r, err) != 0 ||
	    load_counties(&r, err) != 0)
		goto out;
	r.cells = calloc((size_t)r.ntasks * (size_t)r.ncounties + 1, sizeof *r.cells);
	if (!r.cells)
		abort();
	if (load_reports(&r, err) != 0)
		goto out;
	if (sum->nrejects > 0)
		goto rejected;
	r.ledger = (struct checklist_ledger){.db = db, .opt = opt, .sum = sum, .counties = r.counties,
					     .ncounties = r.ncounties, .cities = r.cities, .ncities = r.ncities};
	if (compute_cells(&r, err) != 0 || checklist_ledger_count(&r.ledger, err) != 0)
		goto out;
	rc = write_workbook(&r, err);
	goto out;
rejected:
	bangfu_fail(err, ERR_INPUT, "", 0, 0, "rejected", "%ld rows rejected; no checklist was written",
		    sum->nrejects);
out:
	db_rollback(db);
	run_free(&r);
	return rc;
}

/* ---- the command: bangfu-checklist ---- */

int cmd_checklist(int argc, char **argv)
{
	const char *db_path = "bangfu.db";
	struct checklist_options opt = {0};
	char as_of[11] = "";
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the reconciled month"),
		CLI_OPT_DATE("as-of", as_of, "the day statuses are judged on (e.g. 2020-05-20)", CLI_REQUIRED),
		CLI_OPT_REQUIRED("out", &opt.out_path, "FILE.xlsx", "the workbook (written whole or not at all, mode 0600)"),
		CLI_OPT_STRING("status", &opt.status_path, "FILE",
			       "the counties' reports for the tasks the data cannot measure:\n"
			       "CSV (any encoding) with 县市区, 任务编号, 完成状态 (已完成/进行中/未开始),\n"
			       "and optionally 市州 and 情况说明"),
		CLI_OPT_STRING("tasks", &opt.tasks_path, "FILE", "the tasks template (default templates/tasks_2020.csv)"),
		CLI_OPT_STRING("unit", &opt.unit, "NAME", "填报单位 printed on every sheet"),
		CLI_OPT_STRING("ledger", &opt.ledger_dir, "DIR",
			       "also write each county's 销号台账 (the ledger, item by item) as CSV\n"
			       "(UTF-8 with BOM) into DIR"),
		CLI_OPT_FLAG("full-id", &opt.full_id, "销号台账: whole ID numbers (default: masked)"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-checklist", NULL,
		N_("Judge every task of the special action per county (已完成 / 进行中 / 未开始 / 逾期\n"
		"against its deadline and the as-of date) and write the work checklist: 汇总, a\n"
		"sheet per 市州, 问题清单 (the ledger's counts per county), a 问题台账 sheet per county\n"
		"(its items: 在办 / 逾期 / 已销号 on the as-of date) and 说明.  The ledger is read as\n"
		"it stood after the period's data (挂单销号: bangfu-reconcile, bangfu-verify and\n"
		"bangfu-ledger keep it).  The database is only read."),
		NULL, options};
	struct checklist_summary sum = {0};
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int status = EXIT_OK;

	bangfu_err_clear(&err);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		return status;
	if (strncmp(as_of, opt.period, 7) < 0) {
		msg_errorf("--as-of %s is before the period %s: the statuses are judged on a day of the period or later",
			   as_of, opt.period);
		return EXIT_BAD_INPUT;
	}
	opt.as_of = as_of;
	if (db_open_existing(db_path, &db, &err) != 0 || checklist_run(db, &opt, &sum, &err) != 0) {
		for (long i = 0; i < sum.nrejects; i++) {
			struct bangfu_err row = {0};

			bangfu_fail(&row, ERR_INPUT, sum.rejects[i].file, sum.rejects[i].line, sum.rejects[i].column,
				    "rejected", "%s", sum.rejects[i].reason);
			msg_error(&row);
		}
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: %ld tasks × %ld counties in %ld 市州 as of %s: 已完成 %ld, 进行中 %ld, 未开始 %ld, 逾期 %ld",
		 sum.action, sum.tasks, sum.counties, sum.cities, opt.as_of, sum.status[CL_DONE], sum.status[CL_ONGOING],
		 sum.status[CL_NOT_STARTED], sum.status[CL_OVERDUE]);
	msg_info("ledger %s as of %s: %ld open (%ld overdue), %ld opened and %ld closed in %s, %ld closed in all",
		 opt.period, opt.as_of, sum.problems_open, sum.problems_overdue, sum.problems_opened_now,
		 sum.problems_closed_now, opt.period, sum.problems_closed);
	msg_info("wrote %s", opt.out_path);
	if (opt.ledger_dir)
		msg_info("wrote %ld 销号台账 CSV to %s%s", sum.ledger_files, opt.ledger_dir,
			 opt.full_id ? msg_tr(" with whole ID numbers") : "");
out:
	checklist_summary_free(&sum);
	db_close(db);
	return status;
}
