/* findings — see findings.h.
 *
 * A sync replaces the period's facts (problem_seen, problem_scope) and then
 * derives the problem list and the ledger from the facts of every synced
 * period, the external items and the returns.  Deriving rather than updating
 * in place is what makes a re-run, or a sync of an earlier month after a
 * later one, give the same ledger. */
#include "findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "datefmt.h"
#include "db.h"
#include "idno.h"
#include "labels.h"
#include "strbuf.h"
#include "tmpl.h"

#define KINDS_TEMPLATE "ledger_kinds.csv"
#define CONTACTS_TEMPLATE "contacts.csv"

/* Every kind of the ledger; the external ones can only be closed by a return. */
static const struct {
	const char *kind;
	int external;
} KINDS[] = {
	{"not_entered", 0},    {"conflict", 0},       {"invalid_id", 0}, {"hr_only", 0},
	{"duplicate", 0},      {"zero_household", 0}, {"became_unemployed", 0},
	{"recalibrate", 0},    {"lookback", 1},       {"inspection", 1}, {"hotline", 1},
	{"feedback", 1},
};
#define NKINDS ((int)(sizeof KINDS / sizeof KINDS[0]))

#define COUNTY_SCOPE(t) "'county:' || coalesce(" t ".city, '') || '|' || coalesce(" t ".county, '')"
#define TOWNSHIP_SCOPE(t) \
	"'township:' || coalesce(" t ".city, '') || '|' || coalesce(" t ".county, '') || '|' || coalesce(" t ".township, '')"
#define TOWNSHIP_UNIT(t) "coalesce(" t ".township, " t ".county, '') || '就业扶贫经办'"
#define SEEN_COLUMNS \
	"INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township," \
	" village, subject, name, detail, responsible, person_key, household_id)"
/* The last day of a month "YYYY-MM" as a date. */
#define MONTH_END(p) "date(" p " || '-01', '+1 month', '-1 day')"

/* What the period found.  Details never hold an ID number, a phone or a
 * name: the checklist prints them for leadership. */
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
	"  coalesce(p.county, '') || '人社部门', p.person_key, p.household_id"
	" FROM person p WHERE p.period = :period AND p.category = 'roster_only'",
	/* Differing fields, including a gender against the ID alone: the township re-checks. */
	SEEN_COLUMNS
	" SELECT :period, 'conflict:' || p.id_number, 'conflict', " COUNTY_SCOPE("p") ","
	"  p.city, p.county, p.township, p.village, p.id_number, p.name,"
	"  (SELECT group_concat(label, '、') FROM (SELECT coalesce(l.label, c.field) AS label FROM conflict c"
	"    LEFT JOIN label l ON l.kind = 'field' AND l.code = c.field"
	"    WHERE c.period = p.period AND c.id_number = p.person_key ORDER BY c.field)),"
	"  " TOWNSHIP_UNIT("p") ", p.person_key, p.household_id"
	" FROM person p WHERE p.period = :period AND p.id_valid"
	"  AND EXISTS (SELECT 1 FROM conflict c WHERE c.period = p.period AND c.id_number = p.person_key)",
	/* An invalid ID has no stable person key (that is file and line); the
	 * source, the text as normalised and the place and name are. */
	SEEN_COLUMNS
	" SELECT :period, 'invalid_id:' || substr(p.person_key, 1, instr(p.person_key, ':') - 1) || ':'"
	"  || p.id_number || ':' || coalesce(p.county, '') || ':' || coalesce(p.township, '') || ':'"
	"  || coalesce(p.name, ''),"
	"  'invalid_id', " COUNTY_SCOPE("p") ", p.city, p.county, p.township, p.village, p.id_number, p.name,"
	"  CASE WHEN p.person_key LIKE 'roster:%' THEN '扶贫系统' ELSE '省平台' END || '：证件号码'"
	"  || coalesce((SELECT label FROM label WHERE kind = 'id_status' AND code = CASE WHEN instr(p.reason, '/')"
	"     THEN substr(p.reason, 1, instr(p.reason, '/') - 1) ELSE p.reason END), '格式错误')"
	"  || CASE WHEN count(*) > 1 THEN '（' || count(*) || ' 行）' ELSE '' END"
	"  || CASE WHEN max(EXISTS (SELECT 1 FROM repair r WHERE r.period = p.period AND r.person_key = p.person_key))"
	"   THEN '；有证件号码修正建议' ELSE '' END,"
	"  " TOWNSHIP_UNIT("p") ", min(p.person_key), min(p.household_id)"
	" FROM person p WHERE p.period = :period AND p.category = 'invalid_id' GROUP BY 2",
	/* On the platform, not in the roster: the county verifies the person is a target. */
	SEEN_COLUMNS
	" SELECT :period, 'hr_only:' || p.id_number, 'hr_only', " COUNTY_SCOPE("p") ","
	"  p.city, p.county, p.township, p.village, p.id_number, p.name,"
	"  '省平台有此人，扶贫系统名单中没有' || coalesce('；省平台就业状态 ' || nullif(p.hr_status, ''), ''),"
	"  coalesce(p.county, '') || '人社部门', p.person_key, p.household_id"
	" FROM person p WHERE p.period = :period AND p.category = 'hr_only'",
	/* The office whose source holds the ID twice de-duplicates it. */
	SEEN_COLUMNS
	" SELECT :period, 'duplicate:' || p.id_number, 'duplicate', " COUNTY_SCOPE("p") ","
	"  p.city, p.county, p.township, p.village, p.id_number, p.name,"
	"  CASE WHEN p.roster_rows > 1 THEN '扶贫系统 ' || p.roster_rows || ' 行' ELSE '' END"
	"  || CASE WHEN p.roster_rows > 1 AND p.hr_rows > 1 THEN '，' ELSE '' END"
	"  || CASE WHEN p.hr_rows > 1 THEN '省平台 ' || p.hr_rows || ' 行' ELSE '' END,"
	"  coalesce(p.county, '') || CASE WHEN p.roster_rows > 1 AND p.hr_rows > 1 THEN '人社部门、扶贫部门'"
	"   WHEN p.hr_rows > 1 THEN '人社部门' ELSE '扶贫部门' END, p.person_key, p.household_id"
	" FROM person p WHERE p.period = :period AND p.category = 'duplicate'",
	SEEN_COLUMNS
	" SELECT :period, 'zero_household:' || coalesce(z.county, '') || ':' || z.household_id, 'zero_household',"
	"  " COUNTY_SCOPE("z") ", z.city, z.county, z.township, z.village, z.household_id, NULL,"
	"  '家庭成员 ' || z.members || ' 人，有劳动能力 ' || z.able_members || ' 人，均未就业',"
	"  coalesce(z.county, '') || '人社部门、扶贫部门', NULL, z.household_id"
	" FROM zero_household z WHERE z.period = :period",
	/* 就业转失业: the latest change of employment up to the period was
	 * became_unemployed, and the person is still not employed.  One pass
	 * over the changes, not a look-up per person. */
	SEEN_COLUMNS
	" SELECT :period, 'became_unemployed:' || p.id_number, 'became_unemployed', " COUNTY_SCOPE("p") ","
	"  p.city, p.county, p.township, p.village, p.id_number, p.name,"
	"  c.previous_period || ' 已就业，' || c.period || ' 未就业'"
	"  || CASE WHEN c.period < :period THEN '，' || :period || ' 仍未就业' ELSE '' END,"
	"  " TOWNSHIP_UNIT("p") ", p.person_key, p.household_id"
	" FROM (SELECT id_number, max(period) AS last FROM person_change WHERE period <= :period"
	"   AND change IN ('newly_employed', 'became_unemployed') GROUP BY id_number) t"
	" JOIN person_change c ON c.id_number = t.id_number AND c.period = t.last AND c.change = 'became_unemployed'"
	" JOIN person p ON p.period = :period AND p.person_key = t.id_number"
	" WHERE p.employed = '否'",
	SEEN_COLUMNS
	" SELECT :period, 'recalibrate:' || coalesce(t.city, '') || ':' || coalesce(t.county, '') || ':'"
	"  || coalesce(t.township, ''), 'recalibrate', " TOWNSHIP_SCOPE("t") ","
	"  t.city, t.county, t.township, NULL, coalesce(t.township, ''), NULL,"
	"  printf('抽查准确率 %.1f%%（准确 %d，不准确 %d）', 100.0 * t.accuracy, t.accurate, t.inaccurate),"
	"  " TOWNSHIP_UNIT("t") ", NULL, NULL"
	" FROM v_township_check t WHERE t.period = :period AND t.verdict = 'recalibrate'",
};

/* The list as it stood after :upto.  For each item, from its latest sighting:
 * closed by the first later period whose scope covers it; opened at its
 * first sighting after the last covering period that did not find it. */
#define SQL_DERIVE(target)                                                                                  \
	"INSERT INTO " target " (problem_key, kind, city, county, township, village, subject, name, detail,"  \
	" responsible, opened_period, last_seen_period, closed_period, first_period, person_key, household_id)" \
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
	"  l.first_seen, s.person_key, s.household_id"                                                         \
	" FROM last l JOIN problem_seen s ON s.problem_key = l.problem_key AND s.period = l.last_seen"

/* The ledger from a problem list (`problems`, as of :upto), the external
 * items found by :until and the returns of the lists up to :upto dated by
 * :until.  Per item:
 *   seen_on    the last day of the last month whose data found it (data items);
 *   ok_on      the first 已整改 of the episode that no later data contradicts;
 *   done_on    the last 已整改 of the episode;
 *   refuted_on the last 已整改 of the episode the data of a month ending
 *              on or after it contradicts;
 * and closed_on as the kind's closed_by says.  A return belongs to the
 * episode when it was made on the lists of a month of it. */
#define SQL_LEDGER(target, problems)                                                                         \
	"INSERT INTO " target " (problem_key, code, kind, origin, city, county, township, village, subject,"      \
	" name, household_id, person_key, detail, responsible, person, helper, closed_by, first_period,"          \
	" opened_period, last_seen_period, closed_period, opened_on, deadline_on, closed_on, basis,"              \
	" return_period, return_status, return_on, return_handler, return_note, reopened, note)"                  \
	" WITH items AS ("                                                                                       \
	"  SELECT p.problem_key, p.kind, 'data' AS origin, p.city, p.county, p.township, p.village, p.subject,"  \
	"   p.name, p.household_id, p.person_key, p.detail, p.responsible, NULL AS list_person, p.first_period,"  \
	"   p.opened_period, p.last_seen_period, p.closed_period, " MONTH_END("p.opened_period") " AS opened_on," \
	"   NULL AS deadline_given, " MONTH_END("p.last_seen_period") " AS seen_on,"                             \
	"   " MONTH_END("p.closed_period") " AS data_closed_on"                                                  \
	"  FROM " problems " p"                                                                                  \
	"  UNION ALL"                                                                                            \
	"  SELECT e.problem_key, e.kind, 'external', e.city, e.county, e.township, e.village, e.subject, e.name," \
	"   e.household_id, NULL, e.detail, e.responsible, e.person, substr(e.found_on, 1, 7),"                  \
	"   substr(e.found_on, 1, 7), NULL, NULL, e.found_on, e.deadline_on, NULL, NULL"                         \
	"  FROM ledger_external e WHERE e.found_on <= :until"                                                    \
	" ), r AS (SELECT * FROM ledger_return WHERE period <= :upto AND fixed_on <= :until"                     \
	" ), j AS ("                                                                                             \
	"  SELECT i.*, k.days, k.closed_by,"                                                                     \
	"   (SELECT min(x.fixed_on) FROM r x WHERE x.problem_key = i.problem_key AND x.status = 'done'"          \
	"     AND x.period >= i.opened_period AND (i.seen_on IS NULL OR x.fixed_on > i.seen_on)) AS ok_on,"      \
	"   (SELECT max(x.fixed_on) FROM r x WHERE x.problem_key = i.problem_key AND x.status = 'done'"          \
	"     AND x.period >= i.opened_period) AS done_on,"                                                      \
	"   (SELECT max(x.fixed_on) FROM r x WHERE x.problem_key = i.problem_key AND x.status = 'done'"          \
	"     AND x.period >= i.opened_period AND x.fixed_on <= i.seen_on) AS refuted_on,"                       \
	"   (SELECT max(x.period) FROM r x WHERE x.problem_key = i.problem_key AND x.period >= i.opened_period)" \
	"     AS last_return"                                                                                     \
	"  FROM items i JOIN ledger_rule k ON k.kind = i.kind"                                                   \
	" ), c AS ("                                                                                             \
	"  SELECT j.*, CASE j.closed_by WHEN 'data' THEN data_closed_on WHEN 'return' THEN ok_on"               \
	"   WHEN 'either' THEN CASE WHEN data_closed_on IS NULL THEN ok_on WHEN ok_on IS NULL THEN data_closed_on" \
	"    WHEN ok_on < data_closed_on THEN ok_on ELSE data_closed_on END"                                     \
	"   WHEN 'both' THEN CASE WHEN data_closed_on IS NOT NULL AND done_on IS NOT NULL THEN"                  \
	"    CASE WHEN done_on > data_closed_on THEN done_on ELSE data_closed_on END END END AS closed_on"        \
	"  FROM j"                                                                                               \
	" )"                                                                                                     \
	" SELECT c.problem_key, lc.code, c.kind, c.origin, c.city, c.county, c.township, c.village, c.subject,"  \
	"  c.name, c.household_id, c.person_key, c.detail, c.responsible,"                                       \
	"  coalesce((SELECT x.person FROM r x WHERE x.problem_key = c.problem_key AND x.person IS NOT NULL"      \
	"    ORDER BY x.period DESC LIMIT 1), c.list_person,"                                                    \
	"   (SELECT t.person FROM ledger_contact t WHERE t.unit = c.responsible"                                 \
	"     AND t.city IN ('', coalesce(c.city, '')) AND t.county IN ('', coalesce(c.county, ''))"             \
	"     AND t.township IN ('', coalesce(c.township, ''))"                                                  \
	"    ORDER BY t.township <> '' DESC, t.county <> '' DESC, t.city <> '' DESC LIMIT 1)),"                  \
	"  (SELECT x.helper FROM r x WHERE x.problem_key = c.problem_key AND x.helper IS NOT NULL"               \
	"    ORDER BY x.period DESC LIMIT 1),"                                                                   \
	"  c.closed_by, c.first_period, c.opened_period, c.last_seen_period, c.closed_period, c.opened_on,"      \
	"  coalesce(c.deadline_given, date(c.opened_on, '+' || c.days || ' days')), c.closed_on,"               \
	"  CASE WHEN c.closed_on IS NULL THEN NULL WHEN c.closed_by IN ('data', 'return') THEN c.closed_by"      \
	"   WHEN c.closed_by = 'both' THEN 'data+return'"                                                        \
	"   WHEN c.data_closed_on IS NOT NULL AND c.ok_on IS NOT NULL THEN 'data+return'"                        \
	"   WHEN c.data_closed_on IS NOT NULL THEN 'data' ELSE 'return' END,"                                    \
	"  lr.period, lr.status, lr.fixed_on, lr.handler, lr.note,"                                              \
	"  c.refuted_on IS NOT NULL AND c.closed_by IN ('either', 'return'),"                                    \
	"  CASE WHEN c.refuted_on IS NOT NULL THEN '乡镇 ' || c.refuted_on || ' 报已整改，' ||"                   \
	"    (SELECT min(s.period) FROM problem_seen s WHERE s.problem_key = c.problem_key AND s.period <= :upto" \
	"     AND " MONTH_END("s.period") " >= c.refuted_on) || ' 数据仍有此问题，重新挂单'"                      \
	"   WHEN c.first_period < c.opened_period THEN c.first_period || ' 首次发现，销号后 ' || c.opened_period"   \
	"    || ' 再次发现' END"                                                                                   \
	" FROM c LEFT JOIN ledger_code lc ON lc.problem_key = c.problem_key"                                     \
	" LEFT JOIN r lr ON lr.problem_key = c.problem_key AND lr.period = c.last_return"

/* Codes for the items that have none: per prefix and month, after the
 * highest number given so far, in the order of place, kind and subject. */
static const char SQL_CODES[] =
	"INSERT INTO ledger_code (problem_key, code, listed)"
	" WITH base AS (SELECT substr(code, 1, 7) AS prefix, max(CAST(substr(code, 9) AS INTEGER)) AS n"
	"  FROM ledger_code GROUP BY 1),"
	" fresh AS ("
	"  SELECT p.problem_key, 'S' || replace(p.first_period, '-', '') AS prefix, p.first_period AS listed,"
	"   p.city, p.county, p.township, p.kind, p.subject FROM problem p"
	"   WHERE NOT EXISTS (SELECT 1 FROM ledger_code c WHERE c.problem_key = p.problem_key)"
	"  UNION ALL"
	"  SELECT e.problem_key, CASE e.kind WHEN 'lookback' THEN 'H' WHEN 'inspection' THEN 'D'"
	"    WHEN 'hotline' THEN 'T' ELSE 'Q' END || replace(substr(e.found_on, 1, 7), '-', ''),"
	"   substr(e.found_on, 1, 7), e.city, e.county, e.township, e.kind, coalesce(e.source_ref, e.found_on)"
	"   FROM ledger_external e"
	"   WHERE NOT EXISTS (SELECT 1 FROM ledger_code c WHERE c.problem_key = e.problem_key))"
	" SELECT f.problem_key, f.prefix || '-' || printf('%04d', coalesce(b.n, 0) + row_number() OVER ("
	"   PARTITION BY f.prefix ORDER BY bf_place_order(f.city, f.county), coalesce(f.city, ''),"
	"   coalesce(f.county, ''), coalesce(f.township, ''), k.seq, f.subject, f.problem_key)), f.listed"
	" FROM fresh f LEFT JOIN base b ON b.prefix = f.prefix LEFT JOIN ledger_rule k ON k.kind = f.kind";

/* The township verdicts of ?1 that the list depends on (达标 closes, 需重新
 * 校准 opens; 待补充核查 does neither): a sync that saw others is stale. */
#define CHECK_STATE                                                                                        \
	"coalesce((SELECT group_concat(k, ';') FROM (SELECT city || '|' || county || '|' || township || '|'" \
	" || verdict AS k FROM v_township_check WHERE period = ?1 AND verdict IN ('pass', 'recalibrate')"   \
	" ORDER BY 1)), '')"

static int run(sqlite3 *db, const char *sql, const char *period, const char *upto, const char *until,
	       struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int idx, rc;

	if (db_prepare(db, sql, &st, err) != 0)
		return -1;
	if ((idx = sqlite3_bind_parameter_index(st, ":period")) > 0)
		sqlite3_bind_text(st, idx, period, -1, SQLITE_STATIC);
	if ((idx = sqlite3_bind_parameter_index(st, ":upto")) > 0)
		sqlite3_bind_text(st, idx, upto, -1, SQLITE_STATIC);
	if ((idx = sqlite3_bind_parameter_index(st, ":until")) > 0)
		sqlite3_bind_text(st, idx, until, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, err, "updating the ledger");
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

void findings_period_end(const char *period, char out[11])
{
	int y = atoi(period), m = atoi(period + 5);
	char day[32];

	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, datefmt_month_days(y, m));
	snprintf(out, 11, "%.10s", day);
}

void findings_period_before(const char *period, char out[8])
{
	int y = atoi(period), m = atoi(period + 5) - 1;

	char month[32];

	if (m < 1) {
		m = 12;
		y--;
	}
	snprintf(month, sizeof month, "%04d-%02d", y, m);
	snprintf(out, 8, "%.7s", month);
}

void findings_mask_text(const char *text, struct strbuf *out)
{
	const char *p = text ? text : "";

	while (*p) {
		size_t n = strspn(p, "0123456789");

		if (n > 0 && (p[n] == 'X' || p[n] == 'x') && n == 17)
			n++;
		if (n >= 7) {
			char run[64], masked[128];

			snprintf(run, sizeof run, "%.*s", (int)(n < sizeof run - 1 ? n : sizeof run - 1), p);
			if (n >= 15 && n < sizeof run)
				idno_mask(run, masked, sizeof masked);
			else if (n < sizeof run)
				idno_mask_phone(run, masked, sizeof masked);
			else
				snprintf(masked, sizeof masked, "****");
			strbuf_addstr(out, masked);
			p += n;
		} else if (n > 0) {
			strbuf_add(out, p, n);
			p += n;
		} else {
			strbuf_addch(out, *p++);
		}
	}
}

const char *findings_kind_label(const char *kind)
{
	return label_of("problem_kind", kind);
}

/* ---- the templates: days and closing by kind, and the units' 责任人 ---- */

static int kind_index(const char *kind)
{
	for (int k = 0; k < NKINDS; k++)
		if (strcmp(KINDS[k].kind, kind) == 0)
			return k;
	return -1;
}

static int template_open(const char *name, const char *const *cols, int ncols, int *col_of, struct csvin **in,
			 char *path, size_t pathsz, struct bangfu_err *err)
{
	struct csvin_options copt = {0};

	if (tmpl_path(name, path, pathsz, err) != 0)
		return -1;
	copt.display_name = path;
	if (!(*in = csvin_open(path, &copt, err)))
		return -1;
	for (int c = 0; c < ncols; c++)
		if ((col_of[c] = csvin_find_column(*in, cols[c])) < 0) {
			long line = csvin_header_line(*in);

			csvin_close(*in);
			*in = NULL;
			return bangfu_fail(err, ERR_INPUT, path, line, 0, "bad_template", "the template needs the column %s",
					   cols[c]);
		}
	return 0;
}

/* templates/ledger_kinds.csv into ledger_rule: every kind once, days a
 * whole number, closed_by one of data, return, either, both (return for
 * the kinds found outside the data). */
static int rules_load(sqlite3 *db, struct bangfu_err *err)
{
	static const char *const cols[] = {"kind", "days", "closed_by"};
	static const char *const closings[] = {"data", "return", "either", "both"};
	long line_of[NKINDS] = {0};
	char path[1024];
	struct csvin *in;
	struct csvin_row *row;
	sqlite3_stmt *st = NULL;
	int col_of[3], rc, seq = 0;

	if (template_open(KINDS_TEMPLATE, cols, 3, col_of, &in, path, sizeof path, err) != 0)
		return -1;
	if (db_exec(db, "DELETE FROM ledger_rule", err) != 0 ||
	    db_prepare(db, "INSERT INTO ledger_rule (kind, seq, days, closed_by) VALUES (?, ?, ?, ?)", &st, err) != 0)
		goto fail;
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *v[3];
		char *end;
		long days;
		int k, ok = 0;

		if (row->rejected) {
			bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_template", "%s", row->reject_message);
			goto fail;
		}
		for (int c = 0; c < 3; c++)
			v[c] = col_of[c] < row->nfields ? row->fields[col_of[c]] : "";
		if (!v[0][0] && !v[1][0] && !v[2][0])
			continue;
		if ((k = kind_index(v[0])) < 0) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col_of[0] + 1, "bad_template",
				    "unknown kind '%s': expected one of not_entered, conflict, invalid_id, hr_only, "
				    "duplicate, zero_household, became_unemployed, recalibrate, lookback, inspection, "
				    "hotline, feedback",
				    v[0]);
			goto fail;
		}
		if (line_of[k]) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col_of[0] + 1, "bad_template",
				    "kind %s is already on line %ld", v[0], line_of[k]);
			goto fail;
		}
		line_of[k] = row->line;
		days = strtol(v[1], &end, 10);
		if (!v[1][0] || *end || days < 0 || days > 3650) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col_of[1] + 1, "bad_template",
				    "days must be a whole number of days from 0 to 3650 (the 整改时限 after 挂单)");
			goto fail;
		}
		for (int i = 0; i < 4; i++)
			ok |= strcmp(v[2], closings[i]) == 0;
		if (!ok) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col_of[2] + 1, "bad_template",
				    "closed_by must be data, return, either or both");
			goto fail;
		}
		if (KINDS[k].external && strcmp(v[2], "return") != 0) {
			bangfu_fail(err, ERR_INPUT, path, row->line, col_of[2] + 1, "bad_template",
				    "%s is found outside the data: only a township's return closes it (closed_by return)",
				    v[0]);
			goto fail;
		}
		sqlite3_bind_text(st, 1, KINDS[k].kind, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, ++seq);
		sqlite3_bind_int64(st, 3, days);
		sqlite3_bind_text(st, 4, v[2], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(db, err, "recording the ledger's rules");
			goto fail;
		}
		sqlite3_reset(st);
	}
	if (rc < 0)
		goto fail;
	for (int k = 0; k < NKINDS; k++)
		if (!line_of[k]) {
			bangfu_fail(err, ERR_INPUT, path, 0, 0, "bad_template", "kind %s has no row: every kind needs its days",
				    KINDS[k].kind);
			goto fail;
		}
	sqlite3_finalize(st);
	csvin_close(in);
	return 0;
fail:
	sqlite3_finalize(st);
	csvin_close(in);
	return -1;
}

/* templates/contacts.csv into ledger_contact; no template, no contacts. */
static int contacts_load(sqlite3 *db, struct bangfu_err *err)
{
	static const char *const cols[] = {"city", "county", "township", "unit", "person"};
	char path[1024];
	struct csvin *in;
	struct csvin_row *row;
	sqlite3_stmt *st = NULL;
	struct bangfu_err none;
	int col_of[5], rc;

	if (db_exec(db, "DELETE FROM ledger_contact", err) != 0)
		return -1;
	if (tmpl_path(CONTACTS_TEMPLATE, path, sizeof path, &none) != 0)
		return 0;
	if (template_open(CONTACTS_TEMPLATE, cols, 5, col_of, &in, path, sizeof path, err) != 0)
		return -1;
	if (db_prepare(db, "INSERT INTO ledger_contact (city, county, township, unit, person) VALUES (?, ?, ?, ?, ?)",
		       &st, err) != 0)
		goto fail;
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *v[5];
		int blank = 1;

		if (row->rejected) {
			bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_template", "%s", row->reject_message);
			goto fail;
		}
		for (int c = 0; c < 5; c++) {
			v[c] = col_of[c] < row->nfields ? row->fields[col_of[c]] : "";
			blank &= !v[c][0];
		}
		if (blank)
			continue;
		for (int c = 3; c < 5; c++)
			if (!v[c][0]) {
				bangfu_fail(err, ERR_INPUT, path, row->line, col_of[c] + 1, "bad_template",
					    "%s is empty: a contact names the unit (as the ledger's 责任单位 reads) and its 责任人",
					    cols[c]);
				goto fail;
			}
		for (int c = 0; c < 5; c++)
			sqlite3_bind_text(st, c + 1, v[c], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(db, err, "recording the contacts");
			goto fail;
		}
		sqlite3_reset(st);
	}
	if (rc < 0)
		goto fail;
	sqlite3_finalize(st);
	csvin_close(in);
	return 0;
fail:
	sqlite3_finalize(st);
	csvin_close(in);
	return -1;
}

/* ---- the ledger ---- */

static int latest_period(sqlite3 *db, char out[8], struct bangfu_err *err)
{
	sqlite3_stmt *st;

	if (db_prepare(db, "SELECT max(period) FROM problem_sync_run", &st, err) != 0)
		return -1;
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, 8, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

/* ledger_item as of the latest synced period, every return and external item. */
static int ledger_derive(sqlite3 *db, struct bangfu_err *err)
{
	char latest[8];

	if (latest_period(db, latest, err) != 0 || db_exec(db, "DELETE FROM ledger_item", err) != 0 ||
	    run(db, SQL_CODES, NULL, NULL, NULL, err) != 0)
		return -1;
	return run(db, SQL_LEDGER("main.ledger_item", "main.problem"), NULL, latest[0] ? latest : "0000-00",
		   "9999-12-31", err);
}

int findings_ledger_update(sqlite3 *db, struct bangfu_err *err)
{
	if (rules_load(db, err) != 0 || contacts_load(db, err) != 0)
		return -1;
	return ledger_derive(db, err);
}

int findings_as_of(sqlite3 *db, const char *period, const char *date, struct bangfu_err *err)
{
	if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS problem_asof AS SELECT * FROM main.problem WHERE 0", err) != 0 ||
	    db_exec(db, "DELETE FROM temp.problem_asof", err) != 0 ||
	    db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS ledger_asof AS SELECT * FROM main.ledger_item WHERE 0", err) != 0 ||
	    db_exec(db, "DELETE FROM temp.ledger_asof", err) != 0)
		return -1;
	if (run(db, SQL_DERIVE("temp.problem_asof"), period, period, NULL, err) != 0)
		return -1;
	return run(db, SQL_LEDGER("temp.ledger_asof", "temp.problem_asof"), NULL, period, date, err);
}

int findings_work_list(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	char end[11], before[8], before_end[11];
	sqlite3_stmt *st;
	int rc;

	findings_period_end(period, end);
	findings_period_before(period, before);
	findings_period_end(before, before_end);
	if (findings_as_of(db, period, end, err) != 0 || db_exec(db, "DROP TABLE IF EXISTS temp.work_list", err) != 0 ||
	    db_prepare(db, "CREATE TEMP TABLE work_list AS SELECT *, closed_on IS NULL AS listed_open"
			   " FROM temp.ledger_asof WHERE closed_on IS NULL OR closed_on > ?1",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, before_end, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "listing the work lists' items");
	return 0;
}

/* ---- the sync ---- */

int findings_sync(sqlite3 *db, const char *period, struct findings_summary *sum, struct bangfu_err *err)
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
	if (own_transaction ? db_begin(db, err) : db_exec(db, "SAVEPOINT findings_sync", err))
		return -1;
	if (rules_load(db, err) != 0 || contacts_load(db, err) != 0)
		goto fail;
	db_now_iso(now);
	for (size_t i = 0; i < sizeof SQL_FACTS / sizeof SQL_FACTS[0]; i++)
		if (run(db, SQL_FACTS[i], period, period, NULL, err) != 0)
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
	if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS problem_asof AS SELECT * FROM main.problem WHERE 0", err) != 0 ||
	    db_exec(db, "DELETE FROM temp.problem_asof", err) != 0 ||
	    run(db, SQL_DERIVE("temp.problem_asof"), period, period, NULL, err) != 0)
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

	/* The tables: as of the latest synced period. */
	if (latest_period(db, latest, err) != 0 || db_exec(db, "DELETE FROM problem", err) != 0 ||
	    run(db, SQL_DERIVE("main.problem"), period, latest, NULL, err) != 0 || ledger_derive(db, err) != 0)
		goto fail;
	sum->open = count(db, "SELECT count(*) FROM ledger_item WHERE closed_on IS NULL", NULL);

	if (own_transaction)
		return db_commit(db, err);
	return db_exec(db, "RELEASE findings_sync", err);
fail:
	if (own_transaction) {
		db_rollback(db);
	} else {
		sqlite3_exec(db, "ROLLBACK TO findings_sync", NULL, NULL, NULL);
		sqlite3_exec(db, "RELEASE findings_sync", NULL, NULL, NULL);
	}
	return -1;
}

int findings_fresh(sqlite3 *db, const char *period, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int fresh;

	/* Synced no earlier than the period's reconcile, with the township
	 * verdicts as they are now (reconcile and verify sync when they
	 * finish), and with the ledger's rules. */
	if (db_prepare(db, "SELECT 1 FROM problem_sync_run s JOIN reconcile_run r ON r.period = s.period"
			   " WHERE s.period = ?1 AND s.synced_at >= r.run_at AND s.check_state IS " CHECK_STATE
			   " AND EXISTS (SELECT 1 FROM ledger_rule)",
		       &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	fresh = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return fresh;
}

int findings_sync_if_stale(sqlite3 *db, const char *period, struct findings_summary *sum, struct bangfu_err *err)
{
	sqlite3_stmt *st;
	int fresh = findings_fresh(db, period, err);

	if (fresh < 0)
		return -1;
	if (!fresh)
		return findings_sync(db, period, sum, err);
	if (db_prepare(db, "SELECT found, opened, closed FROM problem_sync_run WHERE period = ?1", &st, err) != 0)
		return -1;
	sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		sum->found = sqlite3_column_int64(st, 0);
		sum->opened = sqlite3_column_int64(st, 1);
		sum->closed = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	sum->open = count(db, "SELECT count(*) FROM ledger_item WHERE closed_on IS NULL", NULL);
	return 0;
}
