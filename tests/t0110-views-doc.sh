#!/bin/sh
# The database explains itself: docs/database.md lists every view's columns
# as the schema has them (scripts/views-doc writes the table from a fresh
# database), every code a view shows has its label beside it, every yes/no
# is 1/0 with a label; v_problem says its period, v_conflict what the ID
# number says of the sex.  The data: samples/ of 2025-12, reconciled.
. "$(dirname "$0")/lib.sh"

DB=$TMP/bangfu.db
"$BIN/bangfu-ingest" -q --db "$DB" --period 2025-12 --source roster "$TOP/samples/roster.csv" &&
	"$BIN/bangfu-ingest" -q --db "$DB" --period 2025-12 --source hr "$TOP/samples/hr.csv" &&
	"$BIN/bangfu-reconcile" -q --db "$DB" --period 2025-12 || give_up "the samples could not be loaded"

test_the_manual_lists_every_view_with_the_columns_the_schema_gives() {
	BIN=$BIN "$TOP/scripts/views-doc" --check >"$TMP/out" 2>&1 && ok ||
		{ bad "docs/database.md's views differ from the schema: run scripts/views-doc"; cat "$TMP/out"; }
}

test_a_column_the_table_leaves_out_or_a_view_it_lacks_is_found() {
	# a column dropped from one row
	sed 's/^\(| `v_conflict` | [^|]*| [^|]*\), id_gender_label |$/\1 |/' "$TOP/docs/database.md" >"$TMP/db1.md"
	cmp -s "$TOP/docs/database.md" "$TMP/db1.md" && { bad "the test's edit did not apply"; return; }
	BIN=$BIN "$TOP/scripts/views-doc" --check --doc "$TMP/db1.md" >"$TMP/out" 2>&1
	[ $? = 1 ] && grep -q 'id_gender_label' "$TMP/out" && ok || bad "a missing column should fail --check, naming it"
	# a view's row taken out, and a view the schema does not have
	grep -v '^| `v_month_step` |' "$TOP/docs/database.md" |
		sed 's/^| `v_zero_household` |/| `v_gone` | x | a |\n&/' >"$TMP/db2.md"
	BIN=$BIN "$TOP/scripts/views-doc" --check --doc "$TMP/db2.md" >"$TMP/out" 2>&1
	[ $? = 1 ] && grep -q '^+| `v_month_step` |' "$TMP/out" && grep -q 'no such view in the schema: v_gone' "$TMP/out" &&
		ok || { bad "a view missing from the table, or one the schema lacks, should fail --check"; cat "$TMP/out"; }
	# writing puts the table right again
	BIN=$BIN "$TOP/scripts/views-doc" --doc "$TMP/db2.md" >/dev/null &&
		BIN=$BIN "$TOP/scripts/views-doc" --check --doc "$TMP/db2.md" >/dev/null && ok ||
		bad "views-doc should write a table that --check then accepts"
}

# The code columns of the views, and the yes/no ones: each has X_label next
# to it.  v_screen_person is the subsidy rules' view (its codes are what
# the rules compare); v_subsidy_candidate's status is the words 符合/待核实;
# v_rollup_* are what a province exports to the national roll-up, whose
# columns docs/national.md fixes.
test_every_code_and_yes_no_column_has_its_label_beside_it() {
	pycheck "labels beside the codes" "$DB" <<'EOF'
import sys, sqlite3
db = sqlite3.connect(sys.argv[1])
codes = {"category", "field", "source", "kind", "state", "status", "verdict", "population", "rule", "origin",
         "basis", "return_status", "closed_by", "change", "step", "list_level", "id_gender"}
# a code of these views only (elsewhere code is a ledger item's number, reason a sentence)
only = {("v_reject", "code"), ("v_warning", "code"), ("v_person", "reason")}
flags = {"in_roster", "in_hr", "id_valid", "able", "labour_age", "employed", "roster_employed", "returned",
         "relocated", "key_county", "training_intent", "reopened", "repair_pending", "checked", "recalibrate"}
# columns of those names that are counts, not flags
counts = {"v_township_progress": {"employed", "returned"}, "v_township_population": {"employed"},
          "v_change_township": set(), "v_township_summary": set(),
          "v_service_township": {"training_intent"}, "v_service_area": {"training_intent"}}
skip = {("v_subsidy_candidate", "status")}
missing = []
for (view,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'view' AND name <> 'v_screen_person'"
                          " AND name NOT LIKE 'v_rollup_%'"):
    cols = [r[1] for r in db.execute("SELECT * FROM pragma_table_info(?)", (view,))]
    for i, c in enumerate(cols):
        if (view, c) in skip or c in counts.get(view, set()) or (c not in codes and c not in flags and (view, c) not in only):
            continue
        if c + "_label" not in cols:
            missing.append(f"{view}.{c}")
assert not missing, missing
for view, c in only:
    assert c + "_label" in [r[1] for r in db.execute("SELECT * FROM pragma_table_info(?)", (view,))], (view, c)
# beside: v_person's labels right after their codes
cols = [r[1] for r in db.execute("SELECT * FROM pragma_table_info('v_person')")]
for c in ("category", "employed", "returned", "population", "relocated", "in_roster"):
    assert cols[cols.index(c) + 1] == c + "_label", (c, cols)
EOF
}

test_every_label_is_there_when_its_code_is() {
	pycheck "no code without its label" "$DB" <<'EOF'
import sys, sqlite3
db = sqlite3.connect(sys.argv[1])
empty = []
for (view,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'"):
    cols = [r[1] for r in db.execute("SELECT * FROM pragma_table_info(?)", (view,))]
    for c in cols:
        if c + "_label" in cols:
            n = db.execute(f'SELECT count(*) FROM "{view}" WHERE "{c}" IS NOT NULL AND "{c}_label" IS NULL').fetchone()[0]
            if n:
                empty.append(f"{view}.{c}: {n} rows")
assert not empty, empty
EOF
}

test_yes_no_is_1_or_0_in_every_view_and_the_table_keeps_its_words() {
	[ "$(q "SELECT count(*) FROM v_person v JOIN person p USING (period, person_key)
		WHERE v.employed IS NOT (CASE p.employed WHEN '是' THEN 1 WHEN '否' THEN 0 END)
		OR v.returned IS NOT (CASE p.returned WHEN '是' THEN 1 WHEN '否' THEN 0 END)
		OR v.roster_employed IS NOT (CASE p.roster_employed WHEN '是' THEN 1 WHEN '否' THEN 0 END)")" = 0 ] &&
		[ "$(q "SELECT count(DISTINCT employed) FROM v_person WHERE employed IS NOT NULL")" = 2 ] &&
		[ "$(q "SELECT group_concat(DISTINCT employed || employed_label) FROM
			(SELECT employed, employed_label FROM v_person WHERE employed IS NOT NULL ORDER BY employed)")" = "0否,1是" ] &&
		ok || bad "v_person.employed / returned / roster_employed should be 1/0 with 是/否 beside them"
	[ "$(q "SELECT count(*) FROM person WHERE employed NOT IN ('是', '否')")" = 0 ] &&
		[ "$(q "SELECT count(*) FROM person WHERE employed = '是'")" -gt 0 ] && ok ||
		bad "the table person keeps 是/否 (the stages read it so)"
	for v in v_person v_ledger v_township_progress v_township_population; do
		cols=$(q "SELECT group_concat(name) FROM pragma_table_info('$v') WHERE name IN ('in_roster', 'in_hr',
			'id_valid', 'able', 'labour_age', 'relocated', 'key_county', 'training_intent', 'reopened', 'checked',
			'recalibrate', 'repair_pending')")
		for c in $(echo "$cols" | tr , ' '); do
			[ "$(q "SELECT count(*) FROM $v WHERE $c IS NOT NULL AND $c NOT IN (0, 1)")" = 0 ] &&
				[ "$(q "SELECT count(*) FROM $v WHERE $c IS NOT NULL AND ${c}_label IS NOT
					(CASE $c WHEN 1 THEN '是' ELSE '否' END)")" = 0 ] ||
				{ bad "$v.$c should be 1/0 labelled 是/否"; continue; }
		done
	done
	ok
}

test_reason_codes_read_as_words() {
	[ "$(q "SELECT reason_label FROM v_person WHERE reason = 'excel_damage/excel_scientific' LIMIT 1")" = \
		"Excel损坏：被 Excel 显示为科学计数法" ] &&
		[ "$(q "SELECT count(*) FROM v_person WHERE category = 'duplicate' AND reason_label NOT LIKE '%重复'")" = 0 ] &&
		ok || bad "an invalid ID's reason and a duplicate's should read as words"
}

test_a_gender_id_conflict_says_what_the_id_number_gives() {
	n=$(q "SELECT count(*) FROM v_conflict WHERE field = 'gender_id'")
	[ "$n" -gt 0 ] || { bad "the samples should have gender_id conflicts"; return; }
	[ "$(q "SELECT count(*) FROM v_conflict WHERE field = 'gender_id'
		AND id_gender = CASE WHEN substr(id_number, 17, 1) IN ('1', '3', '5', '7', '9') THEN 'M' ELSE 'F' END
		AND id_gender_label = CASE id_gender WHEN 'M' THEN '男' ELSE '女' END")" = "$n" ] &&
		[ "$(q "SELECT count(*) FROM v_conflict WHERE field <> 'gender_id' AND id_gender IS NOT NULL")" = 0 ] &&
		ok || bad "v_conflict should give the ID's sex (17th digit) for gender_id conflicts only"
	# where both sources say one sex, the ID says the other
	[ "$(q "SELECT count(*) FROM v_conflict WHERE field = 'gender_id' AND roster_value = hr_value
		AND roster_value = id_gender_label")" = 0 ] && ok || bad "the ID's sex should be the one the sources lack"
}

test_v_problem_says_the_period_it_is_as_of() {
	[ "$(q "SELECT count(*) FROM v_problem")" -gt 0 ] &&
		[ "$(q "SELECT group_concat(DISTINCT period) FROM v_problem")" = 2025-12 ] &&
		[ "$(q "SELECT count(*) FROM v_problem WHERE state_label IS NOT (SELECT label FROM label
			WHERE kind = 'problem_state' AND code = state)")" = 0 ] && ok ||
		bad "v_problem should have period (the latest synced) and state_label"
}

test_person_change_names_its_person() {
	[ "$(q "SELECT count(*) FROM pragma_table_info('person_change') WHERE name = 'person_key'")" = 1 ] &&
		[ "$(q "SELECT count(*) FROM pragma_table_info('v_change') WHERE name IN ('person_key', 'change_label')")" = 2 ] &&
		ok || bad "person_change and v_change should carry person_key"
}

run_tests
