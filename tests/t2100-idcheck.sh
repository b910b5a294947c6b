#!/bin/sh
# bangfu-idcheck, the ID rules as a clerk's tool: every status on
# tests/data/idcheck/input.txt against expected.tsv, and what it cannot read.
. "$(dirname "$0")/lib.sh"

test_idcheck_prints_every_status() {
	exp=$DATA/idcheck/expected.tsv
	[ -f "$exp" ] || { bad "tests/data/idcheck/expected.tsv missing"; return; }
	"$BIN/bangfu-idcheck" --ref 2026-11-01 "$DATA/idcheck/input.txt" >"$TMP/idcheck.out" 2>"$TMP/err"
	[ $? -eq 0 ] && ok || bad "bangfu-idcheck should exit 0 even with bad IDs"
	if diff -u "$exp" "$TMP/idcheck.out" >"$TMP/diff"; then ok; else bad "bangfu-idcheck output"; sed 's/^/    /' "$TMP/diff" | head -20; fi
}

test_idcheck_refuses_what_it_cannot_read() {
	"$BIN/bangfu-idcheck" --ref 2026-11-01 "$TMP/no-such-ids.txt" >/dev/null 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "no-such-ids.txt" "$TMP/err" && ok || bad "idcheck of a missing file should exit 1 naming it"
	"$BIN/bangfu-idcheck" --column 身份证号 "$DATA/ingest/utf8.csv" >/dev/null 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "utf8.csv:1: no column named '身份证号'" "$TMP/err" && ok ||
		{ bad "idcheck --column with an unknown column should exit 1 with file:line"; cat "$TMP/err"; }
	"$BIN/bangfu-idcheck" -q --no-header --column 证件号码 "$DATA/ingest/utf8.csv" >"$TMP/ids.out" 2>"$TMP/err"
	[ $? -eq 0 ] && [ "$(wc -l <"$TMP/ids.out")" = "$(($(wc -l <"$DATA/ingest/utf8.csv") - 1))" ] && ok ||
		bad "idcheck --column should print one line per row"
}

run_tests
