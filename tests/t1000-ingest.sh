#!/bin/sh
# bangfu-ingest: the file cases of tests/data/ingest, each loaded into a
# database that already holds a month, and the behaviours that are not one
# file (loading again, --replace, usage, where the encoding is decided).
#
# A file case is data: tests/data/ingest/NAME.expect says what loading
# NAME.* must do, one assertion per line:
#   args: --source roster            extra arguments to bangfu-ingest
#   exit: 1                          expected exit status
#   stderr: TEXT                     stderr contains TEXT
#   sql: QUERY => RESULT             sqlite3 prints exactly RESULT
#   unchanged                        the database is byte-for-byte as before
# A new case is a new pair of files, not new code.
. "$(dirname "$0")/lib.sh"

# Run one ingest case from its .expect file.
run_case() {
	expect=$1
	name=$(basename "$expect" .expect)
	input=$(ls "$DATA/ingest/$name".* | grep -v '\.expect$' | head -n 1)
	db=$TMP/$name.db
	rm -f "$db"*
	# A database with something in it already, to see that refusals leave it be.
	"$BIN/bangfu-ingest" --quiet --db "$db" --period 2026-09 --source roster "$DATA/ingest/utf8.csv" 2>/dev/null
	before=$(dbstate "$db")
	args=$(sed -n 's/^args: //p' "$expect")
	[ -n "$args" ] || args="--source roster"
	# shellcheck disable=SC2086
	"$BIN/bangfu-ingest" --db "$db" --period $PERIOD $args "$input" >"$TMP/out" 2>"$TMP/err"
	status=$?
	want_exit=$(sed -n 's/^exit: //p' "$expect")
	[ -n "$want_exit" ] || want_exit=0
	if [ "$status" != "$want_exit" ]; then
		bad "$name: exit $status, expected $want_exit"
		sed 's/^/    /' "$TMP/err"
		return
	fi
	ok
	while IFS= read -r line; do
		case $line in
		stderr:*)
			text=${line#stderr: }
			if grep -qF -- "$text" "$TMP/err"; then ok; else
				bad "$name: stderr lacks '$text'"; sed 's/^/    /' "$TMP/err"
			fi ;;
		unchanged)
			if [ "$(dbstate "$db")" = "$before" ]; then ok; else bad "$name: database changed"; fi ;;
		esac
	done <"$expect"
	check_expect "$name" "$expect" "$db"
}

test_every_file_case_does_what_its_expect_file_says() {
	for expect in "$DATA"/ingest/*.expect; do
		run_case "$expect"
	done
}

test_reloading_the_same_file_is_a_no_op() {
	db=$TMP/reload.db
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$DATA/ingest/utf8.csv" || bad "first load"
	before=$(dbstate "$db")
	"$BIN/bangfu-ingest" --db "$db" --period $PERIOD --source roster "$DATA/ingest/utf8.csv" 2>"$TMP/err"
	[ $? -eq 0 ] && grep -q "already loaded" "$TMP/err" && [ "$(dbstate "$db")" = "$before" ] && ok ||
		bad "reloading the same file should be a no-op with a message"
	# the same bytes under another name are the same file
	cp "$DATA/ingest/utf8.csv" "$TMP/copy.csv"
	"$BIN/bangfu-ingest" --db "$db" --period $PERIOD --source roster "$TMP/copy.csv" 2>"$TMP/err"
	[ $? -eq 0 ] && grep -q "already loaded" "$TMP/err" && [ "$(dbstate "$db")" = "$before" ] && ok ||
		bad "a renamed copy should be recognised by its SHA-256"
}

test_different_file_with_the_same_name_needs_replace() {
	db=$TMP/replace.db
	mkdir -p "$TMP/a" "$TMP/b"
	cp "$DATA/ingest/utf8.csv" "$TMP/a/roster.csv"
	head -n 2 "$DATA/ingest/utf8.csv" >"$TMP/b/roster.csv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP/a/roster.csv"
	before=$(dbstate "$db")
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP/b/roster.csv" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q -- "--replace" "$TMP/err" && [ "$(dbstate "$db")" = "$before" ] && ok ||
		bad "a different file under a loaded name should be refused"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster --replace "$TMP/b/roster.csv" || bad "--replace failed"
	[ "$(q "$db" "SELECT count(*) FROM roster_row")" = 1 ] &&
		[ "$(q "$db" "SELECT count(*) FROM source_file")" = 1 ] && ok || bad "--replace should leave only the new rows"
}

test_a_directory_is_refused() {
	db=$TMP/dir.db
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "is a directory" "$TMP/err" && ok || bad "a directory should be refused with exit 1"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP/nonexistent.csv" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "nonexistent.csv" "$TMP/err" && ok || bad "a missing file should be refused with exit 1"
}

test_bad_period_and_usage() {
	db=$TMP/usage.db
	"$BIN/bangfu-ingest" --db "$db" --period 2020-13 --source roster "$DATA/ingest/utf8.csv" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "2020-13" "$TMP/err" && ok || bad "period 2020-13 should be refused"
	"$BIN/bangfu-ingest" --db "$db" --period 2026-10 "$DATA/ingest/utf8.csv" 2>/dev/null
	[ $? -eq 2 ] && ok || bad "missing --source should be a usage error (2)"
	"$BIN/bangfu-ingest" --help | grep -q "usage:" && ok || bad "--help"
	[ ! -e "$db" ] && ok || bad "a usage error should not create the database"
}

# The encoding is decided by the lines that have non-ASCII bytes, wherever
# they are in the first 256 KiB: 70 lines of ASCII (a header named by
# aliases a statistician added in English, pinyin names) and then Chinese.
test_encoding_is_decided_by_the_first_non_ascii_lines_even_after_line_60() {
	tpl=$TMP/ascii-templates
	mkdir -p "$tpl"
	cp "$TOP"/templates/*.csv "$tpl/"
	sed -i 's/^both,id_number,yes,id,证件号码,/&id_number|/; s/^both,name,yes,text,姓名,/&name|/' "$tpl/columns.csv"
	ascii=$TMP/ascii-head.txt
	{
		echo "id_number,name"
		i=10
		while [ $i -lt 80 ]; do echo "4301821980010100$i,Zhang San $i"; i=$((i + 1)); done
	} >"$ascii"
	cp "$ascii" "$TMP/late-utf8.csv"
	printf '430182198503121012,张三\n430182199001011029,李四\n' >>"$TMP/late-utf8.csv"
	cp "$ascii" "$TMP/late-gb.csv"
	printf '430182198503121012,张三\n430182199001011029,李四\n' | iconv -f UTF-8 -t GB18030 >>"$TMP/late-gb.csv"
	for enc in utf8:UTF-8 gb:GB18030; do
		f=$TMP/late-${enc%%:*}.csv
		db=$TMP/late-${enc%%:*}.db
		"$BIN/bangfu-ingest" -q --templates "$tpl" --db "$db" --period $PERIOD --source roster "$f" 2>"$TMP/err" ||
			{ bad "late ${enc#*:}: ingest failed"; cat "$TMP/err"; continue; }
		got=$(q "$db" "SELECT encoding || ' ' || rows_loaded || ' ' || rows_rejected FROM source_file")
		[ "$got" = "${enc#*:} 72 0" ] && ok || bad "late ${enc#*:}: got '$got', want '${enc#*:} 72 0'"
		[ "$(q "$db" "SELECT name FROM roster_row WHERE id_number = '430182199001011029'")" = 李四 ] && ok ||
			bad "late ${enc#*:}: the Chinese name is not read right"
	done
}

test_rows_read_equal_loaded_plus_rejected() {
	db=$TMP/sum.db
	for f in utf8 ragged nul bad_utf8 ids quoted; do
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$DATA/ingest/$f.csv"
	done
	got=$(q "$db" "SELECT count(*) FROM source_file WHERE rows_read <> rows_loaded + rows_rejected
		OR rows_loaded <> (SELECT count(*) FROM roster_row r WHERE r.file_id = source_file.file_id)
		OR rows_rejected <> (SELECT count(*) FROM reject r WHERE r.file_id = source_file.file_id)")
	[ "$got" = 0 ] && ok || bad "rows read must equal rows loaded + rejected, and match the tables"
}

test_samples_load_and_add_up() {
	[ -f "$TOP/samples/roster.csv" ] || { bad "samples/roster.csv missing"; return; }
	db=$TMP/samples.db
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TOP/samples/roster.csv" || bad "samples roster"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$TOP/samples/hr.csv" || bad "samples hr"
	roster_truth=$(awk -F, 'NR > 1 && $5 == 1' "$TOP/samples/truth.csv" | wc -l)
	roster_dups=$(awk -F, 'NR > 1 && $8 ~ /duplicate_roster/' "$TOP/samples/truth.csv" | wc -l)
	got=$(q "$db" "SELECT rows_read FROM source_file WHERE source = 'roster'")
	[ "$got" -eq $((roster_truth + roster_dups)) ] && ok ||
		bad "samples: roster rows read $got, truth says $((roster_truth + roster_dups))"
	got=$(q "$db" "SELECT sum(rows_rejected) FROM source_file")
	[ "$got" = 0 ] && ok || bad "samples: $got rows rejected, expected none"
	got=$(q "$db" "SELECT encoding || ' ' || header_line FROM source_file WHERE source = 'roster'")
	case $got in GB18030*) ok ;; *) bad "samples roster should be read as GB18030, got $got" ;; esac
}

# The wrong file: last month's export sent again is refused with the month it
# belongs to (unless --force); a file loaded by mistake is listed and taken
# out again, and the stage says what to run again.
test_last_months_file_is_refused_and_a_wrong_file_can_be_removed() {
	db=$TMP/undo.db
	"$BIN/bangfu-ingest" -q --db "$db" --period 2026-09 --source roster "$DATA/ingest/utf8.csv" || { bad "setup"; return; }
	before=$(dbstate "$db")
	expect_exit 1 "the same bytes for another period" \
		"$BIN/bangfu-ingest" --db "$db" --period $PERIOD --source roster "$DATA/ingest/utf8.csv"
	has "already loaded for 2026-09 as utf8.csv" "the refusal names the month"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "a refused file must leave the database as it was"
	expect_exit 0 "--force" "$BIN/bangfu-ingest" --db "$db" --period $PERIOD --source roster --force "$DATA/ingest/utf8.csv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$DATA/ingest/hr_tab.tsv" || bad "hr"
	"$BIN/bangfu-ingest" --db "$db" --period $PERIOD --list >"$TMP/list" 2>"$TMP/err"
	[ "$(sed -n '2,$p' "$TMP/list" | cut -f1,2 | tr '\t\n' ' ;')" = "hr hr_tab.tsv;roster utf8.csv;" ] && ok ||
		{ bad "--list should show both files"; cat "$TMP/list"; }
	"$BIN/bangfu-ingest" --db "$db" --period $PERIOD --source roster --list >"$TMP/list" 2>/dev/null
	[ "$(wc -l <"$TMP/list")" = 2 ] && ok || bad "--list --source roster should show one file"
	"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || bad "reconcile"
	sha=$(q "$db" "SELECT substr(sha256, 1, 10) FROM source_file WHERE period = '$PERIOD' AND source = 'hr'")
	expect_exit 0 "--remove by SHA-256" "$BIN/bangfu-ingest" --db "$db" --period $PERIOD --remove "$sha"
	has "hr_tab.tsv: removed from $PERIOD" "--remove names the file"
	has "run again for $PERIOD: bangfu-reconcile" "--remove says what to run again"
	[ "$(q "$db" "SELECT count(*) FROM hr_row WHERE period = '$PERIOD'") $(q "$db" "SELECT count(*) FROM source_file WHERE period = '$PERIOD'")" = "0 1" ] &&
		ok || bad "--remove should take the file's rows out"
	[ "$(q "$db" "SELECT count(*) FROM roster_row WHERE period = '2026-09'")" = 3 ] && ok ||
		bad "--remove must not touch another period"
	expect_exit 1 "--remove of a file that is not there" "$BIN/bangfu-ingest" --db "$db" --period $PERIOD --remove nosuch.csv
	has "no file of $PERIOD is named so" "the refusal says what is missing"
	expect_exit 2 "--list with a FILE" "$BIN/bangfu-ingest" --db "$db" --period $PERIOD --list "$DATA/ingest/utf8.csv"
}

run_tests
