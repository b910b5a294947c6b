#!/bin/sh
# bangfu-ingest under faults: killed while it loads, a second writer holding
# the database, a full disk.  Each leaves the database as it was and says so
# clearly.  The big file is generated here (150,000 people), not checked in.
. "$(dirname "$0")/lib.sh"

test_killed_ingest_leaves_the_database_as_it_was() {
	[ -x "$GEN" ] || { bad "bangfu-gen missing"; return; }
	"$GEN" --people 150000 --seed 5 --period $PERIOD --form plain --out "$TMP/big" 2>/dev/null ||
		{ bad "generating"; return; }
	db=$TMP/kill.db
	"$BIN/bangfu-ingest" -q --db "$db" --period 2026-09 --source roster "$DATA/ingest/utf8.csv"
	before=$(dbstate "$db")
	for delay in 0.2 0.5 0.9; do
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP/big/roster.csv" &
		pid=$!
		sleep $delay
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		[ "$(q "$db" "PRAGMA integrity_check")" = ok ] && ok || bad "integrity after kill at ${delay}s"
		if [ "$(q "$db" "SELECT count(*) FROM source_file WHERE period = '$PERIOD'")" = 0 ]; then
			[ "$(dbstate "$db")" = "$before" ] && ok || bad "killed ingest changed the database (${delay}s)"
		fi
	done
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP/big/roster.csv" 2>/dev/null
	"$BIN/bangfu-ingest" -q --db "$TMP/clean.db" --period $PERIOD --source roster "$TMP/big/roster.csv"
	[ "$(q "$db" "SELECT rows_read, rows_loaded, sha256 FROM source_file WHERE period = '$PERIOD'")" = \
		"$(q "$TMP/clean.db" "SELECT rows_read, rows_loaded, sha256 FROM source_file")" ] && ok ||
		bad "after kills, a re-run should load what an uninterrupted run loads"
}

test_a_second_writer_waits_then_fails_clearly() {
	db=$TMP/busy.db
	"$BIN/bangfu-ingest" -q --db "$db" --period 2026-09 --source roster "$DATA/ingest/utf8.csv"
	mkfifo "$TMP/lockfifo"
	sqlite3 "$db" <"$TMP/lockfifo" &
	holder=$!
	exec 7>"$TMP/lockfifo"
	echo "BEGIN IMMEDIATE;" >&7
	sleep 0.3
	before=$(date +%s)
	BANGFU_BUSY_TIMEOUT_MS=1500 "$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster \
		"$DATA/ingest/crlf.csv" 2>"$TMP/err"
	status=$?
	waited=$(( $(date +%s) - before ))
	echo "ROLLBACK;" >&7
	exec 7>&-
	wait $holder
	[ $status -eq 1 ] && grep -q "another bangfu stage is writing" "$TMP/err" && ok ||
		{ bad "a locked database should give exit 1 and a clear message"; cat "$TMP/err"; }
	[ "$waited" -ge 1 ] && [ "$waited" -le 10 ] && ok || bad "the wait should be bounded (waited ${waited}s)"
	[ "$(q "$db" "SELECT count(*) FROM source_file")" = 1 ] && ok || bad "nothing should be loaded while locked"
}

# Needs the big file of the first test.
test_a_full_disk_is_a_clear_error() {
	db=$TMP/full.db
	"$BIN/bangfu-ingest" -q --db "$db" --period 2026-09 --source roster "$DATA/ingest/utf8.csv"
	before=$(dbstate "$db")
	[ -f "$TMP/big/roster.csv" ] || return
	( ulimit -f 2000; "$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP/big/roster.csv" ) 2>"$TMP/err"
	status=$?
	[ $status -eq 1 ] && grep -q "disk full" "$TMP/err" && ok || { bad "disk full: exit $status"; cat "$TMP/err"; }
	[ "$(q "$db" "PRAGMA integrity_check")" = ok ] && [ "$(dbstate "$db")" = "$before" ] && ok ||
		bad "a full disk must leave the database as it was"
}

run_tests
