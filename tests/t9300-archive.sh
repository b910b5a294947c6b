#!/bin/sh
# bangfu-archive: three months of the samples, the first two moved to an
# archive database that the same views read; every row is in one of the two
# files; the month kept still reports; a file loaded afterwards never takes
# an archived file's number; archiving again adds to the archive; a run
# killed after its copy is finished by the next; the wrong archive is refused.
. "$(dirname "$0")/lib.sh"

DB=$TMP/month.db
for p in 2026-08 2026-09 2026-10; do
	"$BIN/bangfu-ingest" -q --db "$DB" --period $p --source roster --force "$TOP/samples/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period $p --source hr --force "$TOP/samples/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$DB" --period $p || give_up "month $p"
done
"$BIN/bangfu-sample" -q --db "$DB" --period 2026-09 --out "$TMP/sheets" || give_up "sample"
cp "$DB" "$TMP/pristine.db"

# rows of every table that has a period, per table, in a database
rows_by_table() {
	for t in $(sqlite3 "$1" "SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
		AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name IN ('period', 'file_id')) ORDER BY 1"); do
		echo "$t $(sqlite3 "$1" "SELECT count(*) FROM \"$t\"")"
	done
}

test_the_old_months_move_and_every_row_is_in_one_file() {
	before=$(rows_by_table "$DB")
	expect_exit 0 "archive before 2026-10" "$BIN/bangfu-archive" --db "$DB" --before 2026-10 --to "$TMP/old.db"
	has "moved 2026-08, 2026-09" "says which periods moved"
	[ "$(q "SELECT group_concat(DISTINCT period) FROM person")" = 2026-10 ] && ok || bad "only 2026-10 is left"
	[ "$(q "$TMP/old.db" "SELECT group_concat(DISTINCT period) FROM v_person")" = "2026-08,2026-09" ] && ok ||
		bad "the archive's v_person holds 2026-08 and 2026-09"
	[ "$(q "$TMP/old.db" "SELECT count(*) FROM v_township_check WHERE period = '2026-09'")" -gt 0 ] && ok ||
		bad "the sample of 2026-09 is in the archive's views"
	[ "$(q "$TMP/old.db" "SELECT count(*) FROM v_source_file")" = 4 ] && ok || bad "the archive's loaded files"
	# main + archive = before, table by table
	after_main=$(rows_by_table "$DB")
	after_arc=$(rows_by_table "$TMP/old.db")
	echo "$before" | while read -r t n; do
		m=$(echo "$after_main" | awk -v t="$t" '$1 == t { print $2 }')
		a=$(echo "$after_arc" | awk -v t="$t" '$1 == t { print $2 }')
		[ "$((m + a))" = "$n" ] || echo "$t: $n before, $m kept + $a archived"
	done >"$TMP/lost"
	[ ! -s "$TMP/lost" ] && ok || { bad "rows lost or doubled"; cat "$TMP/lost"; }
	[ "$(stat -c %a "$TMP/old.db")" = 600 ] && ok || bad "the archive is mode 0600"
}

test_the_month_kept_still_reports() {
	expect_exit 0 "report of 2026-10" "$BIN/bangfu-report" --db "$DB" --period 2026-10 --out "$TMP/r.xlsx"
	[ -s "$TMP/r.xlsx" ] && ok || bad "the report"
}

test_a_file_loaded_afterwards_takes_a_new_number() {
	max_archived=$(q "$TMP/old.db" "SELECT max(file_id) FROM source_file")
	sed 's/^/ /' "$TOP/samples/hr.csv" >"$TMP/hr-2026-11.csv"
	"$BIN/bangfu-ingest" -q --db "$DB" --period 2026-11 --source hr "$TMP/hr-2026-11.csv" || bad "ingest after archive"
	new=$(q "SELECT max(file_id) FROM source_file WHERE period = '2026-11'")
	[ "$new" -gt "$max_archived" ] && ok || bad "file $new reuses an archived number (archived up to $max_archived)"
}

test_archiving_again_adds_to_the_archive() {
	expect_exit 0 "archive before 2026-11" "$BIN/bangfu-archive" --db "$DB" --before 2026-11 --to "$TMP/old.db"
	[ "$(q "$TMP/old.db" "SELECT group_concat(DISTINCT period) FROM v_person")" = "2026-08,2026-09,2026-10" ] && ok ||
		bad "the archive holds three months"
	expect_exit 0 "nothing left to archive" "$BIN/bangfu-archive" --db "$DB" --before 2026-10 --to "$TMP/old.db"
	has "nothing to archive" "says so"
}

# The copy of the database made before the first archive, archived into the
# same file: its rows are there already (as after a run killed between copy
# and delete), so only the deletion is left to do.
test_a_run_killed_after_its_copy_is_finished_by_the_next() {
	cp "$TMP/pristine.db" "$TMP/copy.db"
	cp "$TMP/pristine.db" "$TMP/copy2.db"
	n=$(q "$TMP/copy2.db" "SELECT count(*) FROM person WHERE period < '2026-10'")
	"$BIN/bangfu-archive" -q --db "$TMP/copy.db" --before 2026-10 --to "$TMP/resume.db" || bad "first archive"
	expect_exit 0 "the same periods again" "$BIN/bangfu-archive" --db "$TMP/copy2.db" --before 2026-10 --to "$TMP/resume.db"
	has "already copied by an earlier run" "says the copy was there"
	[ "$(q "$TMP/copy2.db" "SELECT count(*) FROM person WHERE period < '2026-10'")" = 0 ] && ok || bad "deleted"
	[ "$(q "$TMP/resume.db" "SELECT count(*) FROM person")" = "$n" ] && ok ||
		bad "the archive holds each archived person once"
}

test_the_wrong_archive_is_refused_and_nothing_changes() {
	cp "$TMP/pristine.db" "$TMP/other.db"
	sqlite3 "$TMP/other.db" "UPDATE person SET name = name || 'x' WHERE period = '2026-08' AND rowid IN (SELECT rowid FROM person LIMIT 1)"
	"$BIN/bangfu-archive" -q --db "$TMP/other.db" --before 2026-09 --to "$TMP/wrong.db" || bad "archive other"
	cp "$TMP/pristine.db" "$TMP/third.db"
	sqlite3 "$TMP/third.db" "DELETE FROM conflict WHERE period = '2026-08' AND rowid IN (SELECT rowid FROM conflict WHERE period = '2026-08' LIMIT 1)"
	state=$(dbstate "$TMP/third.db")
	expect_exit 1 "an archive holding other rows of the periods" \
		"$BIN/bangfu-archive" --db "$TMP/third.db" --before 2026-09 --to "$TMP/wrong.db"
	has "differ from this database's" "says why"
	[ "$(dbstate "$TMP/third.db")" = "$state" ] && ok || bad "the refused run changed the database"
	expect_exit 1 "the database as its own archive" "$BIN/bangfu-archive" --db "$DB" --before 2026-10 --to "$DB"
	expect_exit 2 "--before is required" "$BIN/bangfu-archive" --db "$DB" --to "$TMP/x.db"
}

run_tests
