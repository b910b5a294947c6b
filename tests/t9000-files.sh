#!/bin/sh
# Files the statistician can trust: the driver writes nothing through a
# symbolic link planted in the output folder; temporary workbooks of a killed
# run are removed by the next one; output paths longer than 1,023 bytes work.
. "$(dirname "$0")/lib.sh"

# The samples, reconciled.
db=$TMP/month.db
"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TOP/samples/roster.csv" &&
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$TOP/samples/hr.csv" &&
	"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || give_up "the month"

test_the_driver_writes_nothing_through_a_planted_symlink() {
	out=$TMP/driver-out
	mkdir -p "$out"
	echo "keep me" >"$TMP/outside.txt"
	for name in .screen.err .report.err .stage.err; do
		ln -s "$TMP/outside.txt" "$out/$name"
	done
	BIN=$BIN sh "$TOP/scripts/run-period.sh" --db "$TMP/driver.db" --period $PERIOD --as-of 2026-11-25 \
		--roster "$TOP/samples/roster.csv" --hr "$TOP/samples/hr.csv" --out "$out" >/dev/null 2>"$TMP/err" ||
		{ bad "the driver failed"; sed 's/^/    /' "$TMP/err" | tail -5; }
	[ "$(cat "$TMP/outside.txt")" = "keep me" ] && ok || bad "the driver wrote through a symlink in its output folder"
}

test_a_killed_runs_temporary_workbook_is_removed_by_the_next_run() {
	out=$TMP/stale
	mkdir -p "$out"
	dead=$(sh -c 'echo $$')   # a process that has ended
	: >"$out/.progress.xlsx.$dead.AbC123"
	: >"$out/.progress.xlsx.$$.XyZ789" # this shell is alive: another run's file
	: >"$out/.other.xlsx.$dead.AbC123"  # another output's: not this run's business
	"$BIN/bangfu-report" -q --db "$db" --period $PERIOD --out "$out/progress.xlsx" || bad "report failed"
	[ ! -e "$out/.progress.xlsx.$dead.AbC123" ] && ok || bad "a dead run's temporary workbook was left"
	[ -e "$out/.progress.xlsx.$$.XyZ789" ] && ok || bad "a live run's temporary workbook was removed"
	[ -e "$out/.other.xlsx.$dead.AbC123" ] && ok || bad "another output's temporary file was removed"
	[ -s "$out/progress.xlsx" ] && ok || bad "the report was not written"
	# A report killed while it writes leaves a temporary file that the next
	# run removes, and no half-written progress.xlsx.
	rm -f "$out"/.progress.xlsx.*
	"$BIN/bangfu-report" -q --db "$db" --period $PERIOD --out "$out/killed.xlsx" --townships "$out/t" &
	pid=$!
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	"$BIN/bangfu-report" -q --db "$db" --period $PERIOD --out "$out/killed.xlsx" || bad "report after a kill"
	[ -z "$(ls -A "$out" | grep '^\.killed\.xlsx\.')" ] && ok || bad "temporary files left after the rerun"
}

test_output_paths_longer_than_1023_bytes() {
	d=$TMP/long
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		d=$d/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
	done
	mkdir -p "$d"
	"$BIN/bangfu-report" -q --db "$db" --period $PERIOD --out "$d/progress.xlsx" --townships "$d/t" --csv "$d/csv" \
		2>"$TMP/err" && [ -s "$d/progress.xlsx" ] && [ -n "$(ls "$d/t")" ] && ok ||
		{ bad "report into a ${#d}-byte folder"; head -c 300 "$TMP/err"; }
	"$BIN/bangfu-checklist" -q --db "$db" --period $PERIOD --as-of 2026-11-25 --out "$d/checklist.xlsx" 2>"$TMP/err" &&
		[ -s "$d/checklist.xlsx" ] && ok || { bad "checklist into a long path"; head -c 300 "$TMP/err"; }
	"$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --out "$d/sheets" 2>"$TMP/err" && [ -n "$(ls "$d/sheets")" ] &&
		ok || { bad "sample into a long path"; head -c 300 "$TMP/err"; }
	# Beyond what the system allows: a clear message naming the limit.
	dd=$d
	for i in $(seq 1 40); do
		dd=$dd/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
	done
	"$BIN/bangfu-report" --db "$db" --period $PERIOD --out "$dd/progress.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "too long" "$TMP/err" && ok || { bad "a path beyond PATH_MAX"; head -c 300 "$TMP/err"; }
}

run_tests
