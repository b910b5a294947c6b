/* services — see services.h.
 *
 * Three statements do the work.  temp.svc_rec: the records of the window,
 * each once (the same day, type and job or course, in one file or two, is
 * one record: a hire when any of them says so), with the ID they are
 * linked by and their type code.  A job message is a record of a job type
 * (岗位信息推送, 职业介绍) that is not itself the hire; a hire counts for the
 * match when it is dated on the day of a job message of the period's weeks
 * or within match_days after it.
 * temp.svc_agg: per ID what the 12 months and the period's weeks gave.
 * Then service_person: the period's persons who want work, returned or want
 * training, or got anything, with their counts. */
#include "services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "datefmt.h"
#include "db.h"
#include "strbuf.h"
#include "tmpl.h"

#define VALUES_TEMPLATE "service_values.csv"
#define POLICY_TEMPLATE "service_policy.csv"

struct svc_params {
	const char *period;
	char from[16], to[16];   /* the 12 months: first and last day */
	char wfrom[16], wto[16]; /* the period's weeks: first Monday, last Sunday */
	long days;               /* a hire counts within this many days of a job message */
	double min_rate;         /* flagged below */
	long return_days;        /* a returnee's record older than this at the dump's date: follow up */
	long due_day;            /* the e-ledger and the posts roster are due by this day of the month */
	int weeks;
};

int services_weeks(const char *period, char from[16], char to[16])
{
	int y = atoi(period), m = atoi(period + 5), n = 0;
	long first = datefmt_days_from_civil(y, m, 1), last = first + datefmt_month_days(y, m) - 1;
	/* days_from_civil(1970-01-01) = 0, a Thursday: weekday 0 = Monday */
	long monday = first - ((first % 7 + 7 + 3) % 7), lo = -1, hi = -1;

	for (; monday <= last; monday += 7) {
		int ty, tm, td;

		datefmt_civil_from_days(monday + 3, &ty, &tm, &td);
		if (ty == y && tm == m) {
			if (lo < 0)
				lo = monday;
			hi = monday + 6;
			n++;
		}
	}
	for (int k = 0; k < 2; k++) {
		int dy, dm, dd;

		datefmt_civil_from_days(k ? hi : lo, &dy, &dm, &dd);
		snprintf(k ? to : from, 16, "%04d-%02d-%02d", dy, dm, dd);
	}
	return n;
}

/* templates/service_values.csv into service_alias: kind, code, label and
 * the other texts (aliases, separated by |) that mean the code. */
static int values_load(sqlite3 *db, struct bangfu_err *err)
{
	static const char *const cols[] = {"kind", "code", "label", "aliases"};
	struct csvin_options copt = {0};
	struct csvin *in;
	struct csvin_row *row;
	sqlite3_stmt *ins = NULL, *find = NULL;
	char path[1024];
	int col_of[4], rc;

	if (tmpl_path(VALUES_TEMPLATE, path, sizeof path, err) != 0)
		return -1;
	copt.display_name = path;
	if (!(in = csvin_open(path, &copt, err)))
		return -1;
	for (int c = 0; c < 4; c++)
		if ((col_of[c] = csvin_find_column(in, cols[c])) < 0) {
			bangfu_fail(err, ERR_INPUT, path, csvin_header_line(in), 0, "bad_template",
				    "the template needs the columns kind, code, label, aliases");
			csvin_close(in);
			return -1;
		}
	if (db_exec(db, "DELETE FROM service_alias", err) != 0 ||
	    db_prepare(db, "INSERT OR IGNORE INTO service_alias (kind, alias, code) VALUES (?, ?, ?)", &ins, err) != 0 ||
	    db_prepare(db, "SELECT code FROM service_alias WHERE kind = ? AND alias = ?", &find, err) != 0)
		goto fail;
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *v[4];
		struct strbuf texts;
		char *text, *save = NULL;

		if (row->rejected) {
			bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_template", "%s",
				    row->reject_message);
			goto fail;
		}
		for (int c = 0; c < 4; c++)
			v[c] = col_of[c] < row->nfields ? row->fields[col_of[c]] : "";
		if (!v[0][0] && !v[1][0])
			continue;
		if (strcmp(v[0], "type") != 0 && strcmp(v[0], "channel") != 0 && strcmp(v[0], "outcome") != 0) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col_of[0] + 1, "bad_template",
				    "unknown kind '%s': expected type, channel or outcome", v[0]);
			goto fail;
		}
		if (!v[1][0]) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col_of[1] + 1, "bad_template", "the code is empty");
			goto fail;
		}
		strbuf_init(&texts);
		strbuf_addf(&texts, "%s|%s", v[2], v[3]);
		for (text = strtok_r(texts.buf, "|", &save); text; text = strtok_r(NULL, "|", &save)) {
			while (*text == ' ')
				text++;
			if (!*text)
				continue;
			sqlite3_bind_text(find, 1, v[0], -1, SQLITE_STATIC);
			sqlite3_bind_text(find, 2, text, -1, SQLITE_STATIC);
			if (sqlite3_step(find) == SQLITE_ROW &&
			    strcmp((const char *)sqlite3_column_text(find, 0), v[1]) != 0) {
				bangfu_fail(err, ERR_INPUT, path, row->line, col_of[3] + 1, "bad_template",
					    "'%s' already means %s %s", text, v[0],
					    (const char *)sqlite3_column_text(find, 0));
				sqlite3_reset(find);
				strbuf_free(&texts);
				goto fail;
			}
			sqlite3_reset(find);
			sqlite3_bind_text(ins, 1, v[0], -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 2, text, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 3, v[1], -1, SQLITE_STATIC);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				strbuf_free(&texts);
				db_fail(db, err, "storing the service values");
				goto fail;
			}
			sqlite3_reset(ins);
		}
		strbuf_free(&texts);
	}
	if (rc < 0)
		goto fail;
	sqlite3_finalize(ins);
	sqlite3_finalize(find);
	csvin_close(in);
	return 0;
fail:
	sqlite3_finalize(ins);
	sqlite3_finalize(find);
	csvin_close(in);
	return -1;
}

static int policy_load(struct svc_params *p, struct bangfu_err *err)
{
	struct tmpl_policy *pol;
	int rc;

	if (tmpl_policy_load(POLICY_TEMPLATE, &pol, err) != 0)
		return -1;
	rc = tmpl_policy_int(pol, "match_days", &p->days, err) != 0 ||
	     tmpl_policy_double(pol, "match_rate_min", &p->min_rate, err) != 0 ||
	     tmpl_policy_int(pol, "followup_return_days", &p->return_days, err) != 0 ||
	     tmpl_policy_int(pol, "ledger_due_day", &p->due_day, err) != 0 ? -1 : 0;
	if (rc == 0 && (p->days < 0 || p->days > 366 || p->min_rate < 0 || p->min_rate > 1 || p->due_day < 1 ||
			p->due_day > 28 || p->return_days < 0))
		rc = bangfu_fail(err, ERR_INPUT, tmpl_policy_path(pol), 0, 0, "bad_template",
				 "match_days must be 0 to 366, match_rate_min 0 to 1, ledger_due_day 1 to 28 and "
				 "followup_return_days not negative");
	tmpl_policy_free(pol);
	return rc;
}

static void bind_params(sqlite3_stmt *st, const struct svc_params *p)
{
	for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		const char *v = NULL;

		if (!name)
			continue;
		if (strcmp(name, ":period") == 0)
			v = p->period;
		else if (strcmp(name, ":from") == 0)
			v = p->from;
		else if (strcmp(name, ":to") == 0)
			v = p->to;
		else if (strcmp(name, ":wfrom") == 0)
			v = p->wfrom;
		else if (strcmp(name, ":wto") == 0)
			v = p->wto;
		if (v)
			sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
		else if (strcmp(name, ":days") == 0)
			sqlite3_bind_int64(st, i, p->days);
		else if (strcmp(name, ":min") == 0)
			sqlite3_bind_double(st, i, p->min_rate);
		else if (strcmp(name, ":due_day") == 0)
			sqlite3_bind_int64(st, i, p->due_day);
		else if (strcmp(name, ":return_days") == 0)
			sqlite3_bind_int64(st, i, p->return_days);
		else if (strcmp(name, ":weeks") == 0)
			sqlite3_bind_int(st, i, p->weeks);
	}
}

static int run(sqlite3 *db, const char *sql, const struct svc_params *p, const char *what, struct bangfu_err *err)
{
	const char *tail = sql;

	db_progress(db, what);
	while (tail && *tail) {
		sqlite3_stmt *st = NULL;
		int rc;

		if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK)
			return db_fail(db, err, what);
		if (!st)
			break;
		bind_params(st, p);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, what);
	}
	return 0;
}

/* The records of the window, each once, with the ID they are linked by:
 * their valid ID, else the one repair proposed for their ID text (by the
 * normalised text of the repaired row), else '?' and their text (no
 * person's: two such records are one only when their texts are one). */
static const char SQL_RECORDS[] =
	"DROP TABLE IF EXISTS temp.svc_repair; DROP TABLE IF EXISTS temp.svc_rec; DROP TABLE IF EXISTS temp.svc_agg;"
	"DROP TABLE IF EXISTS temp.svc_ids;"
	"CREATE TEMP TABLE svc_repair (id_norm TEXT PRIMARY KEY, proposed_id TEXT NOT NULL);"
	"INSERT INTO svc_repair SELECT id_norm, min(proposed_id) FROM ("
	" SELECT coalesce(ro.id_norm, h.id_norm) AS id_norm, r.proposed_id FROM repair r"
	" LEFT JOIN roster_row ro ON r.source = 'roster' AND ro.rowid = (r.file_id << 32) | r.line"
	" LEFT JOIN hr_row h ON r.source = 'hr' AND h.rowid = (r.file_id << 32) | r.line"
	" WHERE r.period = :period)"
	" WHERE id_norm IS NOT NULL GROUP BY id_norm HAVING count(DISTINCT proposed_id) = 1;"
	"CREATE TEMP TABLE svc_rec AS SELECT id, max(repaired) AS repaired, d, type, item, max(hired) AS hired FROM ("
	" SELECT coalesce(s.id_number, x.proposed_id, '?' || s.id_norm) AS id,"
	"  s.id_number IS NULL AND x.proposed_id IS NOT NULL AS repaired,"
	"  s.service_date AS d, coalesce(t.code, '') AS type, coalesce(o.code = 'hired', 0) AS hired,"
	"  coalesce(s.item, '') AS item"
	" FROM service_row s"
	" LEFT JOIN svc_repair x ON s.id_number IS NULL AND x.id_norm = s.id_norm"
	" LEFT JOIN service_alias t ON t.kind = 'type' AND t.alias = trim(s.service_type)"
	" LEFT JOIN service_alias o ON o.kind = 'outcome' AND o.alias = trim(s.outcome)"
	/* a table scan: the window is most of the rows, which an index would
	 * visit in date order, all over the file */
	" WHERE +s.service_date BETWEEN :from AND :to)"
	" GROUP BY id, d, type, item;"
	"CREATE INDEX temp.svc_rec_id ON svc_rec (id, d);"
	/* the period's valid IDs, once, for every 'is it a person' below; none
	 * needed when the window holds no record (a month without services) */
	"CREATE TEMP TABLE svc_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;"
	"INSERT INTO svc_ids SELECT id_number FROM person WHERE period = :period AND id_valid"
	" AND EXISTS (SELECT 1 FROM temp.svc_rec) ORDER BY id_number;";

/* Per linked ID: the 12 months' counts, the period's weeks with a job
 * message, and whether a hire followed a job message of those weeks. */
static const char SQL_AGGREGATE[] =
	"CREATE TEMP TABLE svc_agg AS SELECT r.id,"
	" sum(r.type IN ('job_push', 'referral')) AS jobs12,"
	" sum(r.type IN ('training_info', 'training_enrol')) AS training12,"
	" sum(r.type = 'guidance') AS guidance12,"
	" count(DISTINCT CASE WHEN r.type IN ('job_push', 'referral') AND NOT r.hired AND r.d BETWEEN :wfrom AND :wto"
	"  THEN date(r.d, '-' || ((strftime('%w', r.d) + 6) % 7) || ' days') END) AS weeks_pushed,"
	" max(r.type IN ('job_push', 'referral') AND NOT r.hired AND r.d BETWEEN :wfrom AND :wto) AS pushed,"
	" max(r.type IN ('job_push', 'referral') AND NOT r.hired AND r.d BETWEEN :wfrom AND :wto AND EXISTS ("
	"  SELECT 1 FROM svc_rec h WHERE h.id = r.id AND h.hired"
	"  AND h.d BETWEEN r.d AND date(r.d, '+' || :days || ' days'))) AS hired"
	" FROM svc_rec r WHERE r.id IN temp.svc_ids"
	" GROUP BY r.id;"
	"CREATE UNIQUE INDEX temp.svc_agg_id ON svc_agg (id);"
	/* the county e-ledgers of the period: the last row of an ID says its
	 * 就业意愿 and 培训意愿 (empty: not said) */
	"DROP TABLE IF EXISTS temp.svc_ledger;"
	"CREATE TEMP TABLE svc_ledger (id TEXT PRIMARY KEY, intent TEXT, training_intent TEXT);"
	"INSERT OR REPLACE INTO svc_ledger SELECT id_number, nullif(trim(coalesce(intent, '')), ''),"
	" nullif(trim(coalesce(training_intent, '')), '') FROM ledger_row"
	" WHERE period = :period AND id_number IS NOT NULL ORDER BY rowid;";

static const char SQL_PERSONS[] =
	"DELETE FROM service_person WHERE period = :period;"
	"DELETE FROM service_run WHERE period = :period;"
	"DELETE FROM service_setting WHERE period = :period;"
	"INSERT INTO service_person (period, person_key, id_number, city, county, township, village, name,"
	" want_work, returnee, training_intent, jobs12, training12, guidance12, weeks_pushed, pushed, hired)"
	" SELECT period, person_key, id_number, city, county, township, village, name, w, rt, ti, j, t, g, wp, pu, h"
	" FROM (SELECT p.period, p.person_key, p.id_number, p.city, p.county, p.township, p.village, p.name,"
	"  coalesce(p.employed = '否' AND trim(coalesce(lg.intent, p.intent, '')) NOT IN"
	"   ('', '无', '否', '无意愿', '暂无'), 0) AS w,"
	"  coalesce(p.returned = '是', 0) AS rt,"
	"  coalesce(CASE WHEN lg.training_intent IS NOT NULL THEN trim(lg.training_intent) IN ('是', '有') END,"
	"   p.training_intent, 0) AS ti,"
	"  coalesce(a.jobs12, 0) AS j, coalesce(a.training12, 0) AS t, coalesce(a.guidance12, 0) AS g,"
	"  coalesce(a.weeks_pushed, 0) AS wp, coalesce(a.pushed, 0) AS pu, coalesce(a.hired, 0) AS h,"
	"  a.id IS NOT NULL AS served"
	"  FROM person p LEFT JOIN svc_agg a ON p.id_valid AND a.id = p.id_number"
	"  LEFT JOIN svc_ledger lg ON p.id_valid AND lg.id = p.id_number"
	"  WHERE p.period = :period)"
	" WHERE w OR rt OR ti OR served;";

static const char SQL_RUN[] =
	"INSERT INTO service_run (period, window_from, window_to, records, linked, repaired, unmatched, unknown_type,"
	" weeks, week_from, week_to, match_days, match_min, hr_dump_date, return_days)"
	" SELECT :period, :from, :to, count(*),"
	"  coalesce(sum(NOT repaired AND id IN temp.svc_ids), 0), coalesce(sum(repaired AND id IN temp.svc_ids), 0),"
	"  coalesce(sum(id NOT IN temp.svc_ids), 0),"
	"  coalesce(sum(type = ''), 0), :weeks, :wfrom, :wto, :days, :min,"
	"  (SELECT substr(max(updated_at), 1, 10) FROM person WHERE period = :period AND in_hr), :return_days"
	" FROM svc_rec;"
	"INSERT INTO service_setting (period, key, value) VALUES (:period, 'match_days', :days),"
	" (:period, 'match_rate_min', :min), (:period, 'followup_return_days', :return_days),"
	" (:period, 'ledger_due_day', :due_day);"
	"DROP TABLE temp.svc_repair; DROP TABLE temp.svc_rec; DROP TABLE temp.svc_agg; DROP TABLE temp.svc_ledger;"
	"DROP TABLE temp.svc_ids;";

int services_compute(sqlite3 *db, const char *period, struct services_summary *sum, struct bangfu_err *err)
{
	struct svc_params p = {.period = period};
	int y = atoi(period) % 10000, m = atoi(period + 5) % 100, fy = y, fm = m - 11;
	sqlite3_stmt *st;

	memset(sum, 0, sizeof *sum);
	if (fm < 1) {
		fm += 12;
		fy = fy > 0 ? fy - 1 : 0;
	}
	snprintf(p.from, sizeof p.from, "%04d-%02d-01", fy, fm);
	snprintf(p.to, sizeof p.to, "%04d-%02d-%02d", y, m, datefmt_month_days(y, m));
	p.weeks = services_weeks(period, p.wfrom, p.wto);
	if (policy_load(&p, err) != 0 || values_load(db, err) != 0)
		return -1;
	if (run(db, SQL_RECORDS, &p, "linking the service records", err) != 0 ||
	    run(db, SQL_AGGREGATE, &p, "counting the services per person", err) != 0 ||
	    run(db, SQL_PERSONS, &p, "the services of the persons", err) != 0 ||
	    run(db, SQL_RUN, &p, "counting the service records", err) != 0)
		return -1;
	if (db_prepare(db, "SELECT records, linked, repaired, unmatched, unknown_type, weeks FROM service_run"
			   " WHERE period = ?",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		sum->records = (long)sqlite3_column_int64(st, 0);
		sum->linked = (long)sqlite3_column_int64(st, 1);
		sum->repaired = (long)sqlite3_column_int64(st, 2);
		sum->unmatched = (long)sqlite3_column_int64(st, 3);
		sum->unknown_type = (long)sqlite3_column_int64(st, 4);
		sum->weeks = sqlite3_column_int(st, 5);
	}
	sqlite3_finalize(st);
	if (db_prepare(db, "SELECT (SELECT count(*) FROM ledger_row WHERE period = ?1),"
			   " (SELECT count(*) FROM posts_row WHERE period = ?1),"
			   " (SELECT count(*) FROM v_source_arrival WHERE period = ?1 AND source = 'ledger'),"
			   " (SELECT count(*) FROM v_source_arrival WHERE period = ?1 AND source = 'ledger' AND late)",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		sum->ledger_rows = (long)sqlite3_column_int64(st, 0);
		sum->posts_rows = (long)sqlite3_column_int64(st, 1);
		sum->counties = (long)sqlite3_column_int64(st, 2);
		sum->ledger_late = (long)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	sum->due_day = (int)p.due_day;
	return 0;
}
