/* changes — see changes.h.
 *
 * The changes are set operations over two periods of person: who is in a
 * source now and was not, who was and is not, whose employment or return
 * flag turned.  Then the ID changes: a person gone from the roster and a
 * person new in it are one person under a corrected ID when
 *
 *   - they have the same name (compare.c's name key) and the same 户编号
 *     (where the roster has no 户编号: the same township, village and birth
 *     date), and they are the only gone and the only new person of that
 *     name there;
 *   - and the IDs say so: last month's was invalid and this month's is
 *     valid (id_corrected), or the reverse (id_damaged: the roster's ID
 *     broke, the person did not leave), or both are valid and their first
 *     17 digits one typing slip apart — one digit different or two
 *     neighbours swapped — under a check character computed afresh, as a
 *     mistyped 15-digit number upgraded to 18 has it (id_corrected).  Two
 *     valid IDs further apart are two persons.
 *
 * Where a household has two gone or two new persons of one name, which is
 * which cannot be told: none of them is paired.
 *
 * For this, "gone" and "new" count invalid IDs too: last month's invalid
 * roster rows, and this month's, unless both sides of a pair are invalid
 * (the same damaged ID still there, or damaged another way: not a change
 * this table records).  A pair replaces its new_in_roster and
 * gone_from_roster rows; the HR platform's new and gone stay as they are. */
#include "changes.h"

#include <string.h>

#include "db.h"

/* Who is new and who is gone, whose employment or return turned: one person
 * per valid ID (person_key = the ID) in each period. */
static const char SQL_CHANGES[] =
	"INSERT INTO person_change (period, previous_period, id_number, change, person_key)"
	" SELECT :period, :prev, p.id_number, 'new_in_roster', p.person_key FROM person p"
	"  WHERE p.period = :period AND p.id_valid AND p.in_roster AND NOT EXISTS (SELECT 1 FROM person q"
	"   WHERE q.period = :prev AND q.person_key = p.person_key AND q.in_roster)"
	" UNION ALL SELECT :period, :prev, q.id_number, 'gone_from_roster', q.person_key FROM person q"
	"  WHERE q.period = :prev AND q.id_valid AND q.in_roster AND NOT EXISTS (SELECT 1 FROM person p"
	"   WHERE p.period = :period AND p.person_key = q.person_key AND p.in_roster)"
	" UNION ALL SELECT :period, :prev, p.id_number, 'new_in_hr', p.person_key FROM person p"
	"  WHERE p.period = :period AND p.id_valid AND p.in_hr AND NOT EXISTS (SELECT 1 FROM person q"
	"   WHERE q.period = :prev AND q.person_key = p.person_key AND q.in_hr)"
	" UNION ALL SELECT :period, :prev, q.id_number, 'gone_from_hr', q.person_key FROM person q"
	"  WHERE q.period = :prev AND q.id_valid AND q.in_hr AND NOT EXISTS (SELECT 1 FROM person p"
	"   WHERE p.period = :period AND p.person_key = q.person_key AND p.in_hr)"
	" UNION ALL SELECT :period, :prev, p.id_number, 'newly_employed', p.person_key FROM person p JOIN person q"
	"  ON q.period = :prev AND q.person_key = p.person_key"
	"  WHERE p.period = :period AND p.id_valid AND p.employed = '是' AND q.employed = '否'"
	" UNION ALL SELECT :period, :prev, p.id_number, 'became_unemployed', p.person_key FROM person p JOIN person q"
	"  ON q.period = :prev AND q.person_key = p.person_key"
	"  WHERE p.period = :period AND p.id_valid AND p.employed = '否' AND q.employed = '是'"
	" UNION ALL SELECT :period, :prev, p.id_number, 'newly_returned', p.person_key FROM person p LEFT JOIN person q"
	"  ON q.period = :prev AND q.person_key = p.person_key"
	"  WHERE p.period = :period AND p.id_valid AND p.returned = '是' AND q.returned IS NOT '是';";

/* The roster's gone (side 0, last month) and new (side 1) persons, invalid
 * IDs included, by who they are (k: name key and 户编号, or name key,
 * township, village and birth date); the pairs, one gone and one new of a
 * k; and the pairs in place of their gone and new rows. */
#define WHO                                                                                                  \
	"bf_name(name) || char(31) || coalesce('h' || nullif(household_id, ''), 'v' || nullif(township, '')" \
	" || char(31) || nullif(village, '') || char(31) || birth_date)"

static const char SQL_ID_CHANGES[] =
	"DROP TABLE IF EXISTS temp.change_side; DROP TABLE IF EXISTS temp.change_pair;"
	"CREATE TEMP TABLE change_side (side INTEGER, person_key TEXT, id_number TEXT, id_valid INTEGER, k TEXT);"
	"INSERT INTO change_side SELECT 0, person_key, id_number, id_valid, " WHO " FROM person"
	" WHERE period = :prev AND in_roster AND (NOT id_valid OR person_key IN (SELECT person_key FROM person_change"
	"  WHERE period = :period AND change = 'gone_from_roster'));"
	"INSERT INTO change_side SELECT 1, person_key, id_number, id_valid, " WHO " FROM person"
	" WHERE period = :period AND in_roster AND (NOT id_valid OR person_key IN (SELECT person_key FROM person_change"
	"  WHERE period = :period AND change = 'new_in_roster'));"
	"DELETE FROM change_side WHERE k IS NULL;"
	"CREATE INDEX temp.change_side_k ON change_side (k, side);"
	"CREATE TEMP TABLE change_pair AS SELECT o.person_key AS old_key, o.id_number AS old_id, o.id_valid AS old_valid,"
	"  n.person_key AS new_key, n.id_number AS new_id, n.id_valid AS new_valid"
	" FROM (SELECT k FROM change_side GROUP BY k HAVING sum(side = 0) = 1 AND sum(side = 1) = 1) g"
	" JOIN change_side o ON o.k = g.k AND o.side = 0 JOIN change_side n ON n.k = g.k AND n.side = 1"
	" WHERE (o.id_valid OR n.id_valid)"
	"  AND (NOT o.id_valid OR NOT n.id_valid OR bf_ids_near(o.id_number, n.id_number));"
	"DELETE FROM person_change WHERE period = :period AND change = 'new_in_roster'"
	" AND person_key IN (SELECT new_key FROM change_pair WHERE new_valid);"
	"DELETE FROM person_change WHERE period = :period AND change = 'gone_from_roster'"
	" AND person_key IN (SELECT old_key FROM change_pair WHERE old_valid);"
	"INSERT INTO person_change (period, previous_period, id_number, change, person_key, old_id, old_person_key)"
	" SELECT :period, :prev, new_id, CASE WHEN new_valid THEN 'id_corrected' ELSE 'id_damaged' END, new_key,"
	"  old_id, old_key FROM change_pair ORDER BY new_key;"
	"DROP TABLE temp.change_side; DROP TABLE temp.change_pair;";

int changes_ids_near(const char *a, const char *b)
{
	int first = -1, ndiff = 0;

	if (!a || !b || strlen(a) != 18 || strlen(b) != 18)
		return 0;
	for (int i = 0; i < 17; i++) {
		if (a[i] == b[i])
			continue;
		if (ndiff++ == 0)
			first = i;
	}
	if (ndiff == 1)
		return 1;
	return ndiff == 2 && first < 16 && a[first] == b[first + 1] && a[first + 1] == b[first];
}

static void fn_ids_near(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int(ctx, changes_ids_near((const char *)sqlite3_value_text(argv[0]),
						 (const char *)sqlite3_value_text(argv[1])));
}

/* Each statement of a ';'-separated script with :period and :prev bound. */
static int run_script(sqlite3 *db, const char *sql, const char *period, const char *previous, struct bangfu_err *err)
{
	const char *tail = sql;

	while (tail && *tail) {
		sqlite3_stmt *st = NULL;
		int rc, i;

		if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK)
			return db_fail(db, err, "comparing with the previous period");
		if (!st)
			break;
		if ((i = sqlite3_bind_parameter_index(st, ":period")) > 0)
			sqlite3_bind_text(st, i, period, -1, SQLITE_STATIC);
		if ((i = sqlite3_bind_parameter_index(st, ":prev")) > 0)
			sqlite3_bind_text(st, i, previous, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, err, "comparing with the previous period");
	}
	return 0;
}

int changes_compute(sqlite3 *db, const char *period, const char *previous, struct bangfu_err *err)
{
	if (sqlite3_create_function(db, "bf_ids_near", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_ids_near, NULL,
				    NULL) != SQLITE_OK)
		return db_fail(db, err, "registering SQL functions");
	if (run_script(db, SQL_CHANGES, period, previous, err) != 0 ||
	    run_script(db, SQL_ID_CHANGES, period, previous, err) != 0)
		return -1;
	return 0;
}
