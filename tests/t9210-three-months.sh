#!/bin/sh
# Three months as the statistician lives them, each through bangfu-month:
# generated files of 湘西土家族苗族自治州 (3000 persons, seed 5), the next months made by
# bangfu-gen --evolve-from (month 2 in the real form: GB18030, title rows).
#
#   2026-10  the month; then the returns of its counties, one county's file
#            refused with its 退回说明 while the others load and the report
#            shows their checks;
#   2026-11  a wrong file loaded by mistake (a second copy of the HR dump),
#            seen in the duplicates, taken out with bangfu-ingest --remove;
#            the month run again reconciles anew;
#   2026-12  the month.
#
# Every month against the generator's truth, the 本月变动 sheet of months 2
# and 3 against the changes it planted.
. "$(dirname "$0")/lib.sh"

G=$TMP/gen
DB=$TMP/months.db
"$GEN" -q --people 3000 --seed 5 --period 2026-10 --out "$G/2026-10" &&
	"$GEN" -q --seed 5 --period 2026-11 --form real --evolve-from "$G/2026-10" --out "$G/2026-11" &&
	"$GEN" -q --seed 5 --period 2026-12 --evolve-from "$G/2026-11" --out "$G/2026-12" ||
	give_up "bangfu-gen: three months"

month() {
	m=$1
	shift
	"$BIN/bangfu-month" --db "$DB" --period "$m" --as-of 2026-12-20 --out "$TMP/out-$m" \
		--roster "$G/$m/roster.csv" --hr "$G/$m/hr.csv" "$@"
}

test_month_1_runs_and_matches_its_truth() {
	expect_exit 0 "2026-10" month 2026-10
	has "2026-10 done in" "the summary"
	$PY "$TOP/tests/check_truth.py" "$DB" 2026-10 "$G/2026-10" >"$TMP/truth.out" 2>&1 && ok ||
		{ bad "2026-10 against its truth"; tail -5 "$TMP/truth.out"; }
	[ "$(ls "$TMP/out-2026-10/check-sheets" | wc -l)" -ge 2 ] && ok || bad "check sheets for the counties"
}

test_returns_of_month_1_one_county_refused() {
	sheets=$TMP/out-2026-10/check-sheets
	"$PY" "$TOP/scripts/simulate-answers.py" "$sheets" "$TMP/returned" >/dev/null 2>&1 ||
		{ bad "simulate-answers"; return; }
	refused=$(ls "$TMP/returned" | head -n 1)
	# the county's clerk changed the sampled person's ID column header
	"$PY" - "$TMP/returned/$refused" <<'EOF' || bad "spoiling a file"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets[1:]:
    for row in ws.iter_rows(min_row=1, max_row=10):
        names = [c.value for c in row]
        if "核查结果" in names:
            ws.cell(row[0].row + 2, names.index("核查结果") + 1).value = "差不多"
            break
    break
wb.save(sys.argv[1])
EOF
	expect_exit 0 "the returns" month 2026-10 --returned "$TMP/returned"
	has "some returned files were refused" "the refusal is said"
	has "reconcile: unchanged since" "reconcile is not run again for returns"
	county=$(echo "$refused" | sed 's/^抽查核实表_[^_]*_\([^_]*\)_.*/\1/')
	ls "$TMP/out-2026-10/returns" | grep -q "$county" && ok || bad "the 退回说明 of $county"
	n=$(ls "$TMP/returned" | wc -l)
	[ "$(q "SELECT count(*) FROM check_file WHERE period = '2026-10'")" = $((n - 1)) ] && ok ||
		bad "every other county's file loaded"
	[ "$(q "SELECT count(*) FROM v_township_check WHERE period = '2026-10' AND answered > 0")" -gt 0 ] && ok ||
		bad "checked townships"
}

test_month_2_a_wrong_file_loaded_and_removed() {
	sed '$s/$/ /' "$G/2026-11/hr.csv" >"$TMP/hr-again.csv"
	expect_exit 0 "2026-11 with a second copy of the HR dump" month 2026-11 --hr "$TMP/hr-again.csv"
	dups=$(q "SELECT count(*) FROM person WHERE period = '2026-11' AND category = 'duplicate'")
	[ "$dups" -gt 1000 ] && ok || bad "the copy makes duplicates ($dups)"
	expect_exit 0 "--remove" "$BIN/bangfu-ingest" --db "$DB" --period 2026-11 --remove hr-again.csv
	has "bangfu-reconcile" "says which stages to run again"
	# the sample drawn with the wrong file is refused until the statistician
	# says to draw it again (its sheets may have gone out)
	expect_exit 1 "2026-11 again, the sample drawn on the wrong file" month 2026-11
	has "--resample" "says how to go on"
	expect_exit 0 "2026-11 again with --resample" month 2026-11 --resample
	! grep -q "reconcile: unchanged" "$TMP/err" && ok || bad "reconcile runs again after a file is removed"
	$PY "$TOP/tests/check_truth.py" "$DB" 2026-11 "$G/2026-11" >"$TMP/truth.out" 2>&1 && ok ||
		{ bad "2026-11 against its truth"; tail -5 "$TMP/truth.out"; }
}

test_month_3_and_the_changes_of_months_2_and_3() {
	expect_exit 0 "2026-12" month 2026-12 --csv
	for m in 2026-11 2026-12; do
		if $PY "$TOP/tests/check_changes.py" "$TMP/out-$m/progress-$m.xlsx" "$G/$m/changes_truth.csv" "$m" \
			>"$TMP/py.out" 2>&1; then ok; else
			bad "本月变动 $m against changes_truth.csv"
			sed 's/^/    /' "$TMP/py.out" | tail -n 8
		fi
	done
	$PY "$TOP/tests/check_truth.py" "$DB" 2026-12 "$G/2026-12" >"$TMP/truth.out" 2>&1 && ok ||
		{ bad "2026-12 against its truth"; tail -5 "$TMP/truth.out"; }
	[ -s "$TMP/out-2026-12/csv/本月变动.csv" ] && ok || bad "--csv writes 本月变动.csv"
}

run_tests
