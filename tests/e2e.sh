#!/bin/sh
# End-to-end tests: run the real executables on files in a temporary
# directory and inspect the database they leave.
#
# Ingest cases are data: tests/data/ingest/NAME.expect describes what loading
# NAME.* must do, one assertion per line:
#   args: --source roster            extra arguments to bangfu-ingest
#   exit: 1                          expected exit status
#   stderr: TEXT                     stderr contains TEXT
#   sql: QUERY => RESULT             sqlite3 prints exactly RESULT
#   unchanged                        the database is byte-for-byte as before
# Other tests are the shell functions below, one behaviour each.
set -u
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/bin}
TOP=$(cd "$(dirname "$0")/.." && pwd)
DATA=$TOP/tests/data
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PERIOD=2026-10
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

q() { sqlite3 -batch "$1" "$2"; }

dbstate() { sqlite3 -batch "$1" .dump 2>/dev/null | md5sum; }

# Assertions of an expect file ("sql: QUERY => RESULT" lines) against a database.
check_expect() {
	label=$1 expect=$2 db=$3
	while IFS= read -r line; do
		case $line in
		sql:*)
			rest=${line#sql: }
			query=${rest%% => *}
			want=${rest#* => }
			got=$(q "$db" "$query" 2>&1 | tr '\n' ';' | sed 's/;$//')
			if [ "$got" = "$want" ]; then ok; else
				bad "$label: $query"; echo "    got:  $got"; echo "    want: $want"
			fi ;;
		esac
	done <"$expect"
}

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

for expect in "$DATA"/ingest/*.expect; do
	run_case "$expect"
done

# ---- behaviours that are not one file ----

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

test_reconcile_matches_the_samples_truth() {
	db=$TMP/truth-samples.db
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TOP/samples/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$TOP/samples/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "pipeline on samples"; return; }
	if $PY "$TOP/tests/check_truth.py" "$db" $PERIOD "$TOP/samples" >"$TMP/truth.out"; then ok; else
		bad "reconcile against samples/truth.csv"; sed 's/^/    /' "$TMP/truth.out"
	fi
}

test_reconcile_matches_generated_truth_with_every_damage() {
	[ -x "$BIN/bangfu-gen" ] || { bad "bangfu-gen missing"; return; }
	for form in plain real; do
		out=$TMP/gen-$form
		db=$TMP/gen-$form.db
		"$BIN/bangfu-gen" --people 20000 --seed 11 --period $PERIOD --form $form --out "$out" 2>/dev/null ||
			{ bad "generating $form"; continue; }
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$out/roster.csv" &&
			"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$out/hr.csv" &&
			"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "pipeline on generated $form"; continue; }
		[ "$(q "$db" "SELECT sum(rows_rejected) FROM source_file")" = 0 ] && ok || bad "$form: rows rejected"
		if $PY "$TOP/tests/check_truth.py" "$db" $PERIOD "$out" >"$TMP/truth.out"; then ok; else
			bad "reconcile against generated truth ($form)"; sed 's/^/    /' "$TMP/truth.out"
		fi
	done
}

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

test_reconcile_classifies_the_hand_made_cases() {
	db=$TMP/rec.db
	d=$DATA/reconcile
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$d/roster.csv" || bad "ingest roster"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$d/hr.tsv" || bad "ingest hr"
	"$BIN/bangfu-reconcile" --db "$db" --period $PERIOD 2>"$TMP/err" || { bad "reconcile failed"; cat "$TMP/err"; return; }
	grep -q "invalid_id" "$TMP/err" && ok || bad "reconcile should print the per-category counts"
	check_expect reconcile "$d/expect" "$db"
	# Re-running replaces the result: same database content.
	before=$(q "$db" "SELECT count(*), group_concat(person_key || category) FROM person")
	"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || bad "second reconcile failed"
	[ "$(q "$db" "SELECT count(*), group_concat(person_key || category) FROM person")" = "$before" ] && ok ||
		bad "re-running reconcile should give the same result"
}

# Excel keeps 15 significant digits and truncates (KB 269370): a roster ID
# shown as ...011000 is any ID from ...011000 to ...01199X.  Tails above and
# below 500, a tail that a rounding export carried up (...032000 for
# ...031774), a scientific form rounded up (4.3016E+17 for 430156...), and
# two same-name candidates in one window (no proposal).
test_reconcile_repairs_ids_excel_truncated_or_rounded() {
	db=$TMP/excel.db
	h='证件号码,姓名,性别,联系方式,市州,县市区,乡镇,行政村,户编号,劳动能力,是否已就业'
	printf '%s\n' "$h" \
		'430182198001011000,甲一,男,,长沙市,宁乡市,花明楼镇,某村,E1,普通劳动力,是' \
		'430182198002021000,甲二,女,,长沙市,宁乡市,花明楼镇,某村,E2,普通劳动力,是' \
		'430182198003032000,甲三,男,,长沙市,宁乡市,花明楼镇,某村,E3,普通劳动力,是' \
		'4.3016E+17,甲四,男,,长沙市,宁乡市,花明楼镇,某村,E4,普通劳动力,是' \
		'430182198005051000,甲五,男,,长沙市,宁乡市,花明楼镇,某村,E5,普通劳动力,是' >"$TMP/excel-roster.csv"
	printf '%s\n' '证件号码,姓名,性别,联系电话,市州,县市区,乡镇,就业状态' \
		'430182198001011833,甲一,男,,长沙市,宁乡市,花明楼镇,已就业' \
		'430182198002021419,甲二,女,,长沙市,宁乡市,花明楼镇,已就业' \
		'430182198003031774,甲三,男,,长沙市,宁乡市,花明楼镇,已就业' \
		'430156198006061554,甲四,男,,长沙市,宁乡市,花明楼镇,已就业' \
		'430182198005051218,甲五,男,,长沙市,宁乡市,花明楼镇,已就业' \
		'430182198005051728,甲五,男,,长沙市,宁乡市,花明楼镇,已就业' >"$TMP/excel-hr.csv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP/excel-roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$TMP/excel-hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "excel: pipeline failed"; return; }
	for want in '430182198001011000|430182198001011833|excel_rounded' \
		'430182198002021000|430182198002021419|excel_rounded' \
		'430182198003032000|430182198003031774|excel_rounded' \
		'4.3016E+17|430156198006061554|excel_scientific'; do
		raw=${want%%|*}
		got=$(q "$db" "SELECT raw_id || '|' || proposed_id || '|' || rule FROM v_repair WHERE raw_id = '$raw'")
		[ "$got" = "$want" ] && ok || bad "excel: repair of $raw: got '$got', want '$want'"
	done
	[ "$(q "$db" "SELECT count(*) FROM v_repair WHERE raw_id = '430182198005051000'")" = 0 ] && ok ||
		bad "excel: two same-name candidates in the window must give no proposal"
}

test_reconcile_without_data_fails_clearly() {
	db=$TMP/empty-rec.db
	"$BIN/bangfu-reconcile" --db "$db" --period 2026-01 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "no such database" "$TMP/err" && [ ! -e "$db" ] && ok ||
		bad "reconcile without a database should exit 1 and create none"
	"$BIN/bangfu-ingest" -q --db "$db" --period 2026-09 --source roster "$DATA/ingest/utf8.csv"
	"$BIN/bangfu-reconcile" --db "$db" --period 2026-01 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "nothing is loaded for 2026-01" "$TMP/err" && ok || bad "reconcile of an empty period should exit 1"
}

# A reconciled database of the hand-made cases, for the stages after reconcile.
reconciled_db() {
	db=$1
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$DATA/reconcile/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$DATA/reconcile/hr.tsv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD
}

PY=/usr/bin/python3

test_sample_draws_every_small_township_and_is_reproducible() {
	db=$TMP/sample.db
	reconciled_db "$db" || { bad "could not build the reconciled database"; return; }
	"$BIN/bangfu-sample" --db "$db" --period $PERIOD --seed 7 --out "$TMP/sheets" 2>"$TMP/err" ||
		{ bad "bangfu-sample failed"; cat "$TMP/err"; return; }
	# 10 valid HR persons in the one township, fewer than 30: all are checked
	[ "$(q "$db" "SELECT count(*) FROM sample WHERE period = '$PERIOD'")" = 10 ] && ok || bad "sample size"
	[ "$(q "$db" "SELECT seed FROM sample_plan WHERE period = '$PERIOD'")" = 7 ] && ok || bad "seed not stored"
	before=$(q "$db" "SELECT group_concat(sample_code || id_number) FROM sample")
	"$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --seed 7 --out "$TMP/sheets" || bad "second sample"
	[ "$(q "$db" "SELECT group_concat(sample_code || id_number) FROM sample")" = "$before" ] && ok ||
		bad "re-running with the same seed should change nothing"
	book=$(ls "$TMP"/sheets/*.xlsx 2>/dev/null | head -n 1)
	[ -n "$book" ] && ok || { bad "no check sheet written"; return; }
	[ "$(stat -c %a "$book")" = 600 ] && ok || bad "check sheets should be mode 0600"
	$PY - "$book" <<'PYEOF' && ok || bad "check sheet content"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["填表说明", "花明楼镇"], wb.sheetnames
ws = wb["花明楼镇"]
head = [c.value for c in ws[3]]
for col in ["抽查编号", "姓名", "证件号码", "核查结果", "核查方式", "核查日期", "扶贫系统记录（与平台不一致处）"]:
    assert col in head, col
ids = [ws.cell(r, head.index("证件号码") + 1).value for r in range(4, ws.max_row + 1)]
assert len(ids) == 10 and all("*" in i and len(i) == 18 for i in ids), ids
lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
assert any("准确" in (f or "") for f in lists.values()), lists
assert ws.page_setup.orientation == "landscape"
PYEOF
}

test_sample_to_an_unwritable_place_writes_nothing() {
	db=$TMP/sample-bad-out.db
	reconciled_db "$db" || { bad "could not build the reconciled database"; return; }
	: >"$TMP/a-file"
	"$BIN/bangfu-sample" --db "$db" --period $PERIOD --out "$TMP/a-file/sheets" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "a-file/sheets" "$TMP/err" && ok || { bad "sample into a path under a file should exit 1 naming it"; cat "$TMP/err"; }
	mkdir -p "$TMP/sheets-ok"
	"$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --out "$TMP/sheets-ok" || bad "sample"
	[ -z "$(ls -A "$TMP/sheets-ok" | grep '^\.')" ] && [ -n "$(ls "$TMP/sheets-ok")" ] && ok ||
		bad "sample should leave its workbooks and no temporary file"
}

test_verify_applies_the_90_percent_rule() {
	db=$TMP/verify.db
	reconciled_db "$db" && "$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --seed 7 --out "$TMP/vs" ||
		{ bad "setup"; return; }
	book=$(ls "$TMP"/vs/*.xlsx | head -n 1)
	$PY "$DATA/../fill_check_sheet.py" "$book" "$TMP/returned.xlsx" AAAAAAAIII || { bad "filling"; return; }
	"$BIN/bangfu-verify" --db "$db" --period $PERIOD --out "$TMP/lists" "$TMP/returned.xlsx" 2>"$TMP/err" ||
		{ bad "bangfu-verify failed"; cat "$TMP/err"; return; }
	got=$(q "$db" "SELECT sampled, answered, accurate, printf('%.2f', accuracy), verdict FROM v_township_check")
	[ "$got" = "10|10|7|0.70|recalibrate" ] && ok || bad "township check: $got"
	got=$(q "$db" "SELECT printf('%.3f %.3f', ci_low, ci_high) FROM v_township_check")
	[ "$got" = "0.397 0.892" ] && ok || bad "Wilson interval: $got"
	ls "$TMP"/lists/重新校准清单_*.xlsx >/dev/null 2>&1 && ok || bad "no re-verification list"
	# loading the same file again changes nothing (a second later, so that a
	# rewritten timestamp would show)
	before=$(dbstate "$db")
	sleep 1
	"$BIN/bangfu-verify" -q --db "$db" --period $PERIOD "$TMP/returned.xlsx" || bad "reload"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "reloading the same returned file should change nothing"
}

# Four townships of a generated county, 30 sampled each: exactly 90% (达标,
# returned as a GB18030 CSV), 25 of 28 reached = 89.3% (需重新校准), 20
# reached (待补充核查, 4 more needed) and 29 of 30 (达标) in the xlsx.
test_verify_decides_at_the_boundaries() {
	d=$TMP/bound
	"$BIN/bangfu-gen" -q --people 3000 --seed 3 --period $PERIOD --form plain --out "$d" &&
		"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source roster "$d/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source hr "$d/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$d/db" --period $PERIOD &&
		"$BIN/bangfu-sample" -q --db "$d/db" --period $PERIOD --seed 1 --out "$d/sheets" || { bad "setup"; return; }
	book=$(ls "$d"/sheets/*临湘市*.xlsx 2>/dev/null | head -n 1)
	[ -n "$book" ] || { bad "no check sheet for 临湘市"; return; }
	# pattern over the township sheets in order; the first township goes back as CSV
	$PY - "$book" "$d/db" "$d/pattern" "$d/first.csv" <<'PYEOF' || { bad "preparing the answers"; return; }
import datetime, sqlite3, sys, openpyxl
book, db, pattern_out, csv_out = sys.argv[1:5]
today = datetime.date.today()  # a check is dated between the draw and today
wb = openpyxl.load_workbook(book)
towns = [ws.title for ws in wb.worksheets if ws.title != "填表说明"]
assert len(towns) >= 4, towns
sizes = dict(sqlite3.connect(db).execute(
    "SELECT township, count(*) FROM sample WHERE county = '临湘市' GROUP BY township"))
assert all(sizes[t] == 30 for t in towns[:4]), sizes
plan = ["-" * 30, "A" * 25 + "I" * 3 + "U" * 2, "A" * 20 + "-" * 10, "A" * 29 + "I"]
pattern = "".join(plan) + "".join("A" * sizes[t] for t in towns[4:])
open(pattern_out, "w").write(pattern)
codes = [r[0] for r in sqlite3.connect(db).execute(
    "SELECT sample_code FROM sample WHERE county = '临湘市' AND township = ? ORDER BY sample_code", (towns[0],))]
with open(csv_out, "w", encoding="gb18030") as f:
    f.write("抽查编号,核查结果,核查方式,核查人,核查日期\n")
    for i, c in enumerate(codes):
        f.write(f"{c},{'准确' if i < 27 else '不准确'},电话回访,王干事,{today.year}/{today.month}/{today.day}\n")
open(pattern_out + ".towns", "w").write("\n".join(towns[:4]))
PYEOF
	$PY "$DATA/../fill_check_sheet.py" "$book" "$d/returned.xlsx" "$(cat "$d/pattern")" || { bad "filling"; return; }
	"$BIN/bangfu-verify" -q --db "$d/db" --period $PERIOD --out "$d/lists" "$d/returned.xlsx" "$d/first.csv" 2>"$TMP/err" ||
		{ bad "bangfu-verify failed"; cat "$TMP/err"; return; }
	n=0
	for want in "30|30|27|0.9000|pass|达标|0" "30|30|25|0.8929|recalibrate|需重新校准|0" \
		"30|20|20|1.0000|undecided|待补充核查|4" "30|30|29|0.9667|pass|达标|0"; do
		n=$((n + 1))
		town=$(sed -n "${n}p" "$d/pattern.towns")
		got=$(q "$d/db" "SELECT sampled, answered, accurate, printf('%.4f', accuracy), verdict, verdict_label, more_needed
			FROM v_township_check WHERE county = '临湘市' AND township = '$town'")
		[ "$got" = "$want" ] && ok || bad "$town: got $got, want $want"
	done
	town=$(sed -n 2p "$d/pattern.towns")
	ls "$d"/lists/*"$town"*.xlsx >/dev/null 2>&1 && ok || bad "no re-verification list for $town"
	[ "$(ls "$d"/lists/*.xlsx 2>/dev/null | wc -l)" -ge 1 ] && ! ls "$d"/lists/*"$(sed -n 1p "$d/pattern.towns")"*.xlsx >/dev/null 2>&1 &&
		ok || bad "a township at exactly 90% gets no re-verification list"
}

test_verify_rejects_bad_rows_and_loads_nothing() {
	db=$TMP/verify-bad.db
	reconciled_db "$db" && "$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --seed 7 --out "$TMP/vb" ||
		{ bad "setup"; return; }
	code1=$(q "$db" "SELECT sample_code FROM sample ORDER BY sample_code LIMIT 1")
	code2=$(q "$db" "SELECT sample_code FROM sample ORDER BY sample_code LIMIT 1 OFFSET 1")
	code3=$(q "$db" "SELECT sample_code FROM sample ORDER BY sample_code LIMIT 1 OFFSET 2")
	today=$(date +%F)
	{
		echo "抽查编号,核查结果,核查方式,核查日期"
		echo "$code1,准确,电话回访,$today"
		echo "999999-9999-999,准确,电话回访,$today"
		echo "$code2,差不多,电话回访,$today"
		echo "$code3,准确,电话回访,"
		echo "$code1,不准确,现场核查,$today"
	} | iconv -f UTF-8 -t GB18030 >"$TMP/bad-return.csv"
	before=$(dbstate "$db")
	"$BIN/bangfu-verify" --db "$db" --period $PERIOD "$TMP/bad-return.csv" 2>"$TMP/err"
	[ $? -eq 1 ] && ok || bad "bad returned rows should exit 1"
	# file:line:column, the column's name and what is allowed; never the cell
	for want in "bad-return.csv:3:1: 抽查编号 is not in the $PERIOD sample" \
		"bad-return.csv:4:2: 核查结果 must be one of 准确, 不准确, 无法联系" \
		"bad-return.csv:5:4: 核查日期 is missing" "bad-return.csv:6: two answers for $code1" "nothing was loaded"; do
		grep -qF "$want" "$TMP/err" && ok || { bad "verify stderr lacks: $want"; sed 's/^/    /' "$TMP/err"; }
	done
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "a rejected return must leave the database unchanged"
}

test_killed_ingest_leaves_the_database_as_it_was() {
	[ -x "$BIN/bangfu-gen" ] || { bad "bangfu-gen missing"; return; }
	"$BIN/bangfu-gen" --people 150000 --seed 5 --period $PERIOD --form plain --out "$TMP/big" 2>/dev/null ||
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

for t in $(sed -n 's/^\(test_[a-z0-9_]*\)() {$/\1/p' "$0"); do
	$t
done

echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
