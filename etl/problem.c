/* problem — see problem.h.
 *
 * A sync replaces the period's facts (problem_seen, problem_scope) and then
 * derives the table problem from the facts of every synced period.  Deriving
 * rather than updating in place is what makes a re-run, or a sync of an
 * earlier month after a later one, give the same list. */
#include "problem.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "labels.h"

#define COUNTY_SCOPE(t) "'county:' || coalesce(" t ".city, '') || '|' || coalesce(" t ".county, '')"
#define TOWNSHIP_SCOPE(t) \
	"'township:' || coalesce(" t ".city, '') || '|' || coalesce(" t ".county, '') || '|' || coalesce(" t ".township, '')"
#define TOWNSHIP_UNIT(t) "coalesce(" t ".township, " t ".county, '') || '就业扶贫经办'"
#define SEEN_COLUMNS \
	"INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township," \
	" village, subject, name, detail, responsible)"

static const char *const SQL_FACTS[] = {
	"DELETE FROM problem_seen WHERE period = :period",
	"DELETE FROM problem_scope WHERE period = :period",
	/* What the period looked at. */
	"INSERT OR IGNORE INTO problem_scope (period, scope_key)"
	" SELECT DISTINCT :period, " COUNTY_SCOPE("p") " FROM person p WHERE p.period = :period",
	"INSERT OR IGNORE INTO problem_scope (period, scope_key)"
	" SELECT :period, " TOWNSHIP_SCOPE("t") " FROM v_township_check t"
	" WHERE t.period = :period AND t.verdict IN ('pass', 'recalibrate')",
	/* Roster persons not entered into the platform: the county HR office enters them. */
	SEEN_COLUMNS
	" SELECT :period, 'not_entered:' || p.id_number, 'not_entered', " COUNTY_SCOPE("p") ","
	"  p.city, p.county, p.township, p.village, p.id_number, p.name,"
	"  CASE WHEN p.repair_pending THEN '省平台有证件号码疑似录错的同一人（见证件号码修正建议）' END,"
	"  coalesce(p.county, '') || '人社部门'"
	" FROM person p WHERE p.period = :period AND p.category = 'roster_only'",
	/* Differing fields, including a gender against the ID alone: the township re-checks. */
	SEEN_COLUMNS
	" SELECT :period, 'conflict:' || p.id_number, 'conflict', " COUNTY_SCOPE("p") ","
	"  p.city, p.county, p.township, p.village, p.id_number, p.name,"
	"  (SELECT group_concat(label, '、') FROM (SELECT CASE c.field WHEN 'name' THEN '姓名'"
	"    WHEN 'gender' THEN '性别' WHEN 'gender_id' THEN '性别与身份证号不符' WHEN 'employed' THEN '就业状态'"
	"    WHEN 'work_region' THEN '就业地区' WHEN 'employer' THEN '就业单位' WHEN 'phone' THEN '联系电话'"
	"    ELSE c.field END AS label FROM conflict c"
	"    WHERE c.period = p.period AND c.id_number = p.person_key ORDER BY c.field)),"
	"  " TOWNSHIP_UNIT("p")
	" FROM person p WHERE p.period = :period AND p.id_valid"
	"  AND EXISTS (SELECT 1 FROM conflict c WHERE c.period = p.period AND c.id_number = p.person_key)",
	/* An invalid ID has no stable person key (that is file and line); the
	 * source, the text as normalised and the place and name are. */
	SEEN_COLUMNS
	" SELECT :period, 'invalid_id:' || substr(p.person_key, 1, instr(p.person_key, ':') - 1) || ':'"
	"  || p.id_number || ':' || coalesce(p.county, '') || ':' || coalesce(p.township, '') || ':'"
	"  || coalesce(p.name, ''),"
	"  'invalid_id', " COUNTY_SCOPE("p") ", p.city, p.county, p.township, p.village, p.id_number, p.name,"
	"  CASE WHEN p.person_key LIKE 'roster:%' THEN '扶贫系统' ELSE '省平台' END || '：' || coalesce(p.reason, '')"
	"  || CASE WHEN count(*) > 1 THEN '（' || count(*) || ' 行）' ELSE '' END"
	"  || coalesce('；建议改为 ' || (SELECT min(r.proposed_id) FROM repair r"
	"    WHERE r.period = p.period AND r.person_key = p.person_key), ''),"
	"  " TOWNSHIP_UNIT("p")
	" FROM person p WHERE p.period = :period AND p.category = 'invalid_id' GROUP BY 2",
	/* The office whose source holds the ID twice de-duplicates it. */
	SEEN_COLUMNS
	" SELECT :period, 'duplicate:' || p.id_number, 'duplicate', " COUNTY_SCOPE("p") ","
	"  p.city, p.county, p.township, p.village, p.id_number, p.name,"
	"  CASE WHEN p.roster_rows > 1 THEN '扶贫系统 ' || p.roster_rows || ' 行' ELSE '' END"
	"  || CASE WHEN p.roster_rows > 1 AND p.hr_rows > 1 THEN '，' ELSE '' END"
	"  || CASE WHEN p.hr_rows > 1 THEN '省平台 ' || p.hr_rows || ' 行' ELSE '' END,"
	"  coalesce(p.county, '') || CASE WHEN p.roster_rows > 1 AND p.hr_rows > 1 THEN '人社部门、扶贫部门'"
	"   WHEN p.hr_rows > 1 THEN '人社部门' ELSE '扶贫部门' END"
	" FROM person p WHERE p.period = :period AND p.category = 'duplicate'",
	SEEN_COLUMNS
	" SELECT :period, 'zero_household:' || coalesce(z.county, '') || ':' || z.household_id, 'zero_household',"
	"  " COUNTY_SCOPE("z") ", z.city, z.county, z.township, z.village, z.household_id, NULL,"
	"  '家庭成员 ' || z.members || ' 人，有劳动能力 ' || z.able_members || ' 人，均未就业',"
	"  coalesce(z.county, '') || '人社部门、扶贫部门'"
	" FROM zero_household z WHERE z.period = :period",
	SEEN_COLUMNS
	" SELECT :period, 'recalibrate:' || coalesce(t.city, '') || ':' || coalesce(t.county, '') || ':'"
	"  || coalesce(t.township, ''), 'recalibrate', " TOWNSHIP_SCOPE("t") ","
	"  t.city, t.county, t.township, NULL, coalesce(t.township, ''), NULL,"
	"  printf('抽查准确率 %.1f%%（准确 %d，不准确 %d）', 100.0 * t.accuracy, t.accurate, t.inaccurate),"
	"  " TOWNSHIP_UNIT("t")
	" FROM v_township_check t WHERE t.period = :period AND t.verdict = 'recalibrate'",
};

/* The list as it stood after :upto.  For each item, from its latest sighting:
 * closed by the first later period whose scope covers it; opened at its
 * first sighting after the last covering period that did not find it. */
#define SQL_DERIVE(target)                                                                                  \
	"INSERT INTO " target " (problem_key, kind, city, county, township, village, subject, name, detail,"  \
	" responsible, opened_period, last_seen_period, closed_period, first_period)"                          \
	" WITH last AS (SELECT problem_key, max(period) AS last_seen, min(period) AS first_seen"               \
	"  FROM problem_seen WHERE period <= :upto GROUP BY problem_key)"                                      \
	" SELECT s.problem_key, s.kind, s.city, s.county, s.township, s.village, s.subject, s.name, s.detail," \
	"  s.responsible,"                                                                                     \
	"  (SELECT min(x.period) FROM problem_seen x WHERE x.problem_key = l.problem_key"                      \
	"    AND x.period <= l.last_seen AND x.period > coalesce((SELECT max(c.period) FROM problem_scope c"   \
	"     WHERE c.scope_key = s.scope_key AND c.period < l.last_seen AND NOT EXISTS (SELECT 1"              \
	"      FROM problem_seen y WHERE y.problem_key = l.problem_key AND y.period = c.period)), '')),"        \
	"  l.last_seen,"                                                                                       \
	"  (SELECT min(c.period) FROM problem_scope c WHERE c.scope_key = s.scope_key"                         \
	"    AND c.period > l.last_seen AND c.period <= :upto),"                                               \
	"  l.first_seen"                                                                                       \
	" FROM last l JOIN problem_seen s ON s.problem_key = l.problem_key AND s.period = l.last_seen"

/* The township verdicts of ?1 that the list depends on (达标 closes, 需重新
 * 校准 opens; 待补充核查 does neither): a sync that saw others is stale. */
#define CHECK_STATE                                                                                        \
	"coalesce((SELECT group_concat(k, ';') FROM (SELECT city || '|' || county || '|' || township || '|'" \
	" || verdict AS k FROM v_township_check WHERE period = ?1 AND verdict IN ('pass', 'recalibrate')"   \
	" ORDER BY 1)), '')"

static int run(sqlite3 *db, const char *sql, const char *period, const char *upto, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int idx, rc;

	if (db_prepare(db, sql, &st, err) != 0)
		return -1;
	if ((idx = sqlite3_bind_parameter_index(st, ":period")) > 0)
		sqlite3_bind_text(st, idx, period, -1, SQLITE_STATIC);
	if ((idx = sqlite3_bind_parameter_index(st, ":upto")) > 0)
		sqlite3_bind_text(st, idx, upto, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, err, "updating the problem list");
	return 0;
}

static long count(sqlite3 *db, const char *sql, const char *period)
{
	sqlite3_stmt *st;
	long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (period)
		sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int problem_as_of(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS problem_asof AS SELECT * FROM main.problem WHERE 0", err) != 0 ||
	    db_exec(db, "DELETE FROM temp.problem_asof", err) != 0)
		return -1;
	return run(db, SQL_DERIVE("temp.problem_asof"), period, period, err);
}

int problem_sync(sqlite3 *db, const char *period, struct problem_summary *sum, struct bangfu_err *err)
{
	int own_transaction = sqlite3_get_autocommit(db);
	char now[32], latest[8];
	sqlite3_stmt *st;
	long reconciled;

	memset(sum, 0, sizeof *sum);
	reconciled = count(db, "SELECT count(*) FROM reconcile_run WHERE period = ?", period);
	if (reconciled < 0)
		return db_fail(db, err, "reading the reconcile runs");
	if (reconciled == 0)
		return bangfu_fail(err, ERR_INPUT, sqlite3_db_filename(db, "main"), 0, 0, "no_reconcile",
				   "no reconcile result for %s: run bangfu-reconcile --period %s first", period, period);
	if (own_transaction ? db_begin(db, err) : db_exec(db, "SAVEPOINT problem_sync", err))
		return -1;
	db_now_iso(now);
	for (size_t i = 0; i < sizeof SQL_FACTS / sizeof SQL_FACTS[0]; i++)
		if (run(db, SQL_FACTS[i], period, period, err) != 0)
			goto fail;
	if (db_prepare(db, "INSERT OR REPLACE INTO problem_sync_run (period, synced_at, found, opened, closed,"
			   " check_state) VALUES (?1, ?2, 0, 0, 0, " CHECK_STATE ")",
		       &st, err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, err, "recording the sync");
		sqlite3_finalize(st);
		goto fail;
	}
	sqlite3_finalize(st);

	/* The period's own counts, as of the period. */
	if (problem_as_of(db, period, err) != 0)
		goto fail;
	sum->found = count(db, "SELECT count(*) FROM problem_seen WHERE period = ?", period);
	sum->opened = count(db, "SELECT count(*) FROM temp.problem_asof WHERE opened_period = ?", period);
	sum->closed = count(db, "SELECT count(*) FROM temp.problem_asof WHERE closed_period = ?", period);
	if (db_prepare(db, "UPDATE problem_sync_run SET found = ?2, opened = ?3, closed = ?4 WHERE period = ?1", &st,
		       err) != 0)
		goto fail;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sum->found);
	sqlite3_bind_int64(st, 3, sum->opened);
	sqlite3_bind_int64(st, 4, sum->closed);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_fail(db, err, "recording the sync");
		sqlite3_finalize(st);
		goto fail;
	}
	sqlite3_finalize(st);

	/* The table: as of the latest synced period. */
	if (db_prepare(db, "SELECT max(period) FROM problem_sync_run", &st, err) != 0)
		goto fail;
	latest[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(latest, sizeof latest, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (db_exec(db, "DELETE FROM problem", err) != 0 || run(db, SQL_DERIVE("main.problem"), period, latest, err) != 0)
		goto fail;
	sum->open = count(db, "SELECT count(*) FROM problem WHERE closed_period IS NULL", NULL);

	if (own_transaction)
		return db_commit(db, err);
	return db_exec(db, "RELEASE problem_sync", err);
fail:
	if (own_transaction) {
		db_rollback(db);
	} else {
		sqlite3_exec(db, "ROLLBACK TO problem_sync", NULL, NULL, NULL);
		sqlite3_exec(db, "RELEASE problem_sync", NULL, NULL, NULL);
	}
	return -1;
}

int problem_sync_if_stale(sqlite3 *db, const char *period, struct problem_summary *sum, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int fresh = 0;

	/* Fresh: synced no earlier than the period's reconcile, and with the
	 * township verdicts as they are now (reconcile and verify sync when
	 * they finish). */
	if (db_prepare(db, "SELECT s.found, s.opened, s.closed FROM problem_sync_run s"
			   " JOIN reconcile_run r ON r.period = s.period"
			   " WHERE s.period = ?1 AND s.synced_at >= r.run_at AND s.check_state IS " CHECK_STATE,
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		fresh = 1;
		sum->found = sqlite3_column_int64(st, 0);
		sum->opened = sqlite3_column_int64(st, 1);
		sum->closed = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (!fresh)
		return problem_sync(db, period, sum, err);
	sum->open = count(db, "SELECT count(*) FROM problem WHERE closed_period IS NULL", NULL);
	return 0;
}

const char *problem_kind_label(const char *kind)
{
	return label_of("problem_kind", kind);
}
