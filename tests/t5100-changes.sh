#!/bin/sh
# Month over month: bangfu-gen --evolve-from, the changes bangfu-reconcile
# finds (person_change, etl/changes.c) and the 本月变动 sheet of
# bangfu-report.  Three generated months of 岳阳市 (3000 persons, seed 3;
# month 1 plain, months 2 and 3 in the real form), each ingested,
# reconciled and reported, against the generator's truth; the hand-made
# months of tests/data/changes (ID corrections and their look-alikes); a
# province of long place names over two months.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/long_names.sh"

G=$TMP/gen
DB=$TMP/months.db
MONTHS="2026-10 2026-11 2026-12"

"$GEN" -q --people 3000 --seed 3 --period 2026-10 --out "$G/2026-10" &&
	"$GEN" -q --seed 3 --period 2026-11 --form real --evolve-from "$G/2026-10" --out "$G/2026-11" &&
	"$GEN" -q --seed 3 --period 2026-12 --evolve-from "$G/2026-11" --out "$G/2026-12" ||
	give_up "bangfu-gen: three months"
for m in $MONTHS; do
	"$BIN/bangfu-ingest" -q --db "$DB" --period "$m" --source roster "$G/$m/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period "$m" --source hr "$G/$m/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$DB" --period "$m" &&
		"$BIN/bangfu-report" -q --db "$DB" --period "$m" --out "$TMP/report-$m.xlsx" --csv "$TMP/csv-$m" ||
		give_up "ingest, reconcile and report $m"
done

test_a_month_evolved_again_is_the_same_bytes() {
	"$GEN" -q --seed 3 --period 2026-11 --form real --evolve-from "$G/2026-10" --out "$TMP/again" &&
		diff -r "$G/2026-11" "$TMP/again" >/dev/null && ok || bad "the same arguments should give the same files"
	"$GEN" -q --seed 4 --period 2026-11 --form real --evolve-from "$G/2026-10" --out "$TMP/seed4" &&
		! cmp -s "$G/2026-11/changes_truth.csv" "$TMP/seed4/changes_truth.csv" && ok ||
		bad "another seed should give other changes"
}

# The policy fields (population, the employer's place) come from a stream of
# their own: a month after another carries them with its rows, a new job
# gets an employer's place and a lost one loses it; there is no subsidy
# truth for an evolved month, and none of an earlier run stays behind.
test_the_month_after_carries_populations_and_employers_places() {
	same="FROM person a JOIN person b ON b.period = '2026-11' AND b.person_key = a.person_key
		WHERE a.period = '2026-10' AND a.id_valid AND b.id_valid"
	[ "$(q "$DB" "SELECT count(*) $same")" -gt 2500 ] &&
		[ "$(q "$DB" "SELECT count(*) $same AND a.population IS NOT b.population")" = 0 ] &&
		[ "$(q "$DB" "SELECT count(DISTINCT population) FROM person WHERE period = '2026-11'
			AND population IN ('exited', 'monitored', 'low_income')")" = 3 ] && ok ||
		bad "every person should keep the population of the month before"
	[ "$(q "$DB" "SELECT count(*) $same AND a.employer_region IS NOT b.employer_region AND NOT EXISTS
		(SELECT 1 FROM person_change c WHERE c.period = '2026-11' AND c.person_key = b.person_key)")" = 0 ] &&
		[ "$(q "$DB" "SELECT count(*) $same AND b.employer_region IS NOT NULL")" -gt 500 ] && ok ||
		bad "a person without a change should keep the employer's place"
	[ "$(q "$DB" "SELECT count(*) FROM person_change c JOIN person b ON b.period = c.period AND b.person_key = c.person_key
		WHERE c.period IN ('2026-11', '2026-12') AND c.change = 'became_unemployed' AND b.employer_region IS NOT NULL")" = 0 ] &&
		[ "$(q "$DB" "SELECT count(*) FROM person_change c JOIN person b ON b.period = c.period AND b.person_key = c.person_key
		WHERE c.period IN ('2026-11', '2026-12') AND c.change = 'newly_employed' AND b.in_hr
		AND b.employer_region IS NOT NULL")" -gt 0 ] && ok ||
		bad "a lost job should take the employer's place with it, a new one bring one"
	[ -f "$G/2026-10/truth_subsidy.csv" ] && [ ! -e "$G/2026-11/truth_subsidy.csv" ] &&
		[ ! -e "$G/2026-12/truth_subsidy.csv" ] && ok || bad "truth_subsidy.csv is a first month's only"
	mkdir -p "$TMP/stale" && echo "true_id,rule_id,status" >"$TMP/stale/truth_subsidy.csv" &&
		"$GEN" -q --seed 3 --period 2026-11 --evolve-from "$G/2026-10" --out "$TMP/stale" &&
		[ ! -e "$TMP/stale/truth_subsidy.csv" ] && ok || bad "an evolved month should remove an earlier truth_subsidy.csv"
}

test_the_evolved_months_keep_their_form() {
	head -c 2000 "$G/2026-12/roster.csv" | iconv -f GB18030 -t UTF-8 2>/dev/null | head -n 1 |
		grep -q "湖南省农村贫困劳动力就业信息表" && ok || bad "month 3 should stay in the real form (GB18030, title rows)"
	head -n 1 "$G/2026-12/hr.csv" | grep -q "	" && ok || bad "month 3's HR dump should be tab-separated"
	[ "$(q "$DB" "SELECT count(*) FROM source_file WHERE rows_rejected > 0")" = 0 ] && ok ||
		bad "every row of the three months should load"
}

test_each_month_is_reconciled_as_its_truth_says() {
	for m in $MONTHS; do
		if $PY "$TOP/tests/check_truth.py" "$DB" "$m" "$G/$m" >"$TMP/truth.out"; then ok; else
			bad "reconcile $m against its truth"
			sed 's/^/    /' "$TMP/truth.out"
		fi
	done
}

# Every change the generator planted is in person_change with its place and
# old ID, and nothing else is; every kind is there to be found.
test_person_change_holds_what_the_generator_planted() {
	for m in 2026-11 2026-12; do
		pycheck "person_change $m against changes_truth.csv" "$DB" "$m" "$G/$m/changes_truth.csv" <<'EOF'
import csv, sqlite3, sys
db, period, truth = sys.argv[1:4]
rows = list(csv.DictReader(open(truth, encoding="utf-8")))
want = {(r["id_number"], r["change"], r["old_id"], r["city"], r["county"], r["township"]) for r in rows}
have = set(sqlite3.connect(db).execute(
    "SELECT id_number, change, coalesce(old_id, ''), city, county, township FROM v_change WHERE period = ?",
    (period,)))
assert want == have, (len(want), len(have), sorted(want - have)[:5], sorted(have - want)[:5])
kinds = {r["change"] for r in rows}
assert kinds >= {"became_unemployed", "newly_employed", "newly_returned", "new_in_roster", "gone_from_roster",
                 "id_corrected", "id_damaged", "new_in_hr", "gone_from_hr"}, kinds
assert any(r["roster_lag"] == "1" for r in rows), "no lagging roster"
EOF
	done
}

# The 本月变动 sheet against changes_truth.csv: 合计, every 市州, 县市区 and
# 乡镇, every column; the CSV holds the same rows.
test_the_changes_sheet_equals_the_truth() {
	for m in 2026-11 2026-12; do
		if $PY "$TOP/tests/check_changes.py" "$TMP/report-$m.xlsx" "$G/$m/changes_truth.csv" "$m" \
			"$TMP/csv-$m/本月变动.csv" >"$TMP/py.out" 2>&1; then ok; else
			bad "本月变动 $m against changes_truth.csv"
			sed 's/^/    /' "$TMP/py.out" | tail -n 15
		fi
	done
}

test_the_first_month_says_there_is_nothing_to_compare_with() {
	pycheck "本月变动 of the first month" "$TMP/report-2026-10.xlsx" "$TMP/csv-2026-10/本月变动.csv" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["本月变动"]
assert ws["A1"].value == "本月变动情况（2026-10）", ws["A1"].value
assert ws["A4"].value == "数据库中没有 2026-10 之前的已比对期次，无从比较：本期没有变动数。", ws["A4"].value
assert ws.max_row == 4 and "A4:H4" in [str(r) for r in ws.merged_cells.ranges]
assert open(sys.argv[2], encoding="utf-8-sig").read().count("\n") == 1
EOF
}

test_reconciling_a_month_again_gives_the_same_changes() {
	before=$(q "$DB" "SELECT * FROM person_change WHERE period = '2026-11' ORDER BY 1, 2, 3, 4, 5" | md5sum)
	"$BIN/bangfu-reconcile" -q --db "$DB" --period 2026-11 || { bad "reconcile 2026-11 again"; return; }
	[ "$(q "$DB" "SELECT * FROM person_change WHERE period = '2026-11' ORDER BY 1, 2, 3, 4, 5" | md5sum)" = "$before" ] &&
		ok || bad "reconciling 2026-11 again should give the same changes"
}

# tests/data/changes: an ID one digit off, with a wrong check character or
# two digits swapped, corrected; one that broke; a person leaving and one of
# the same name coming; two of one name corrected at once.
test_id_corrections_are_counted_apart_from_new_and_gone() {
	d=$DATA/changes
	db=$TMP/hand.db
	for m in 202610 202611; do
		p=$(echo $m | sed 's/\(....\)\(..\)/\1-\2/')
		"$BIN/bangfu-ingest" -q --db "$db" --period "$p" --source roster "$d/roster_$m.csv" &&
			"$BIN/bangfu-ingest" -q --db "$db" --period "$p" --source hr "$d/hr_$m.csv" &&
			"$BIN/bangfu-reconcile" -q --db "$db" --period "$p" || { bad "the hand-made month $p"; return; }
	done
	check_expect changes "$d/expect" "$db"
	"$BIN/bangfu-report" -q --db "$db" --period 2026-11 --out "$TMP/hand.xlsx" --expand township ||
		{ bad "report of the hand-made months"; return; }
	pycheck "本月变动 of the hand-made months" "$TMP/hand.xlsx" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["本月变动"]
rows = {}
for r in range(4, ws.max_row + 1):
    if ws.cell(r, 1).value is None:
        break
    rows[ws.cell(r, 1).value] = [ws.cell(r, c).value for c in range(2, 9)]
    assert not ws.row_dimensions[r].hidden, "--expand township shows every row"
#                     就业转失业 新就业 返乡回流 新增 退出 ID更正 ID变无效
assert rows["合计"] == [1, 1, 1, 4, 2, 3, 1], rows["合计"]
assert rows["长沙市"] == rows["宁乡市"] == rows["花明楼镇"] == [0, 0, 0, 4, 2, 2, 1], rows["宁乡市"]
assert rows["株洲市"] == rows["攸县"] == rows["网岭镇"] == [1, 1, 1, 0, 0, 1, 0], rows["网岭镇"]
assert list(rows) == ["合计", "长沙市", "宁乡市", "花明楼镇", "株洲市", "攸县", "网岭镇"], list(rows)
EOF
}

test_the_changes_sheet_reads_well_with_long_place_names() {
	long=$TMP/long
	long_names_province "$long" 2026-10 3000 &&
		"$GEN" -q --seed 12 --period 2026-11 --data "$long/data" --evolve-from "$long/in" --out "$long/in2" &&
		"$BIN/bangfu-ingest" -q --db "$long/bangfu.db" --period 2026-11 --source roster "$long/in2/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$long/bangfu.db" --period 2026-11 --source hr "$long/in2/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$long/bangfu.db" --period 2026-11 &&
		"$BIN/bangfu-report" -q --db "$long/bangfu.db" --period 2026-11 --out "$long/report.xlsx" \
			--expand township || { bad "long names: the pipeline failed"; return; }
	layout_check "$long/report.xlsx" >"$TMP/layout.out" && ok ||
		{ bad "long names: text cut or rows too low"; sed 's/^/    /' "$TMP/layout.out"; }
	pycheck "long names: 本月变动 names every place in GB/T 2260 order" "$long/report.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws, summary = wb["本月变动"], wb["总表"]
def names(sheet):
    out = []
    for r in range(4, sheet.max_row + 1):
        if sheet.cell(r, 1).value is None:
            break
        out.append((sheet.cell(r, 1).value, sheet.row_dimensions[r].outline_level))
    return out
got = names(ws)
assert "湘西土家族苗族自治州" in [n for n, l in got]
assert got == names(summary), "本月变动 lists the places of 总表 in its order"
assert ws.freeze_panes == "B4", ws.freeze_panes
EOF
}

test_the_generator_refuses_what_it_cannot_evolve() {
	expect_exit 1 "--evolve-from a directory without truth.csv" \
		"$GEN" --seed 1 --period 2026-11 --evolve-from "$TMP" --out "$TMP/none"
	has "truth.csv" "a directory without truth.csv"
	expect_exit 2 "--people and --evolve-from" \
		"$GEN" --people 10 --period 2026-11 --evolve-from "$G/2026-10" --out "$TMP/none"
	expect_exit 2 "--out the same directory as --evolve-from" \
		"$GEN" --period 2026-11 --evolve-from "$G/2026-10" --out "$G/2026-10"
	expect_exit 2 "an unknown kind" "$GEN" --period 2026-11 --evolve-from "$G/2026-10" --out "$TMP/none" \
		--rate returns=0.1
	cp -r "$G/2026-10" "$TMP/cut"
	head -n 100 "$G/2026-10/truth.csv" >"$TMP/cut/truth.csv"
	expect_exit 1 "a roster of persons truth.csv does not have" \
		"$GEN" --period 2026-11 --evolve-from "$TMP/cut" --out "$TMP/none"
	has "not in truth.csv" "a roster of persons truth.csv does not have"
	[ ! -e "$TMP/none/roster.csv" ] && ok || bad "a refused month should write nothing"
}

run_tests
