#!/bin/sh
# bangfu-sample: the draw and the check sheets.  On the hand-made cases
# (tests/data/reconcile): every person of a small township is drawn, the
# draw is reproducible, nothing half-written.  On a generated county set
# (generated_county in lib.sh): a failed run commits nothing, the sheets
# print legibly, --seed and the plan's sample size are honoured.
. "$(dirname "$0")/lib.sh"

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
# the last column, 备注, is the clerk's own: unlocked, no list, no rule
assert head[-1] == "备注", head
note = openpyxl.utils.get_column_letter(len(head))
assert ws.protection.sheet and all(ws.cell(r, len(head)).protection.locked is False for r in range(4, ws.max_row + 1))
assert not any(note in str(dv.sqref) for dv in ws.data_validations.dataValidation), lists
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

test_a_failed_sample_commits_nothing() {
	d=$TMP/nohr
	mkdir -p "$d"
	"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source roster "$TMP/gen/roster.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$d/db" --period $PERIOD || { bad "setup"; return; }
	expect_exit 1 "no platform persons yet" "$BIN/bangfu-sample" --db "$d/db" --period $PERIOD --out "$d/s1"
	[ "$(q "$d/db" "SELECT count(*) FROM sample_plan")" = 0 ] && ok || bad "a failed sample must not leave a plan"
	"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source hr "$TMP/gen/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$d/db" --period $PERIOD || { bad "setup 2"; return; }
	expect_exit 0 "sample once the platform is loaded" "$BIN/bangfu-sample" --db "$d/db" --period $PERIOD --out "$d/s2/new/folder"
	# 30 per township, all where fewer: of the platform's persons with a valid ID.
	want=$(q "$d/db" "SELECT sum(min(n, 30)) FROM (SELECT count(*) AS n FROM person
		WHERE period = '$PERIOD' AND in_hr AND id_valid GROUP BY city, county, township)")
	[ "$(q "$d/db" "SELECT count(*) FROM sample")" = "$want" ] && ok ||
		bad "the month's sample: $(q "$d/db" "SELECT count(*) FROM sample"), want $want"
	[ "$(ls "$d"/s2/new/folder/*.xlsx | wc -l)" = 8 ] && ok || bad "--out is created with its parents and holds the sheets"
	# A workbook that cannot be written: nothing reaches the database.
	d=$TMP/nowrite
	mkdir -p "$d/out/抽查核实表_岳阳市_临湘市_$PERIOD.xlsx"
	cp "$TMP/base.db" "$d/db"
	before=$(dbstate "$d/db")
	expect_exit 1 "a workbook that cannot be written" "$BIN/bangfu-sample" --db "$d/db" --period $PERIOD --out "$d/out"
	[ "$(dbstate "$d/db")" = "$before" ] && ok || bad "a failed write of the sheets must commit nothing"
	[ -z "$(ls -A "$d/out" | grep -v '^抽查核实表_岳阳市_临湘市')" ] && ok || bad "a failed write leaves no workbook"
}

test_check_sheets_print_legibly() {
	sampled print || { bad "setup"; return; }
	pycheck "print layout" "$d/sheets" <<'EOF'
import glob, sys, openpyxl
from openpyxl.utils import get_column_letter
def width(s):
    return sum(2 if ord(ch) > 0x2e80 else 1 for ch in str(s))
for book in glob.glob(sys.argv[1] + "/*.xlsx"):
    for ws in openpyxl.load_workbook(book).worksheets[1:]:
        ps = ws.page_setup
        assert ps.orientation == "landscape" and int(ps.paperSize) == 9, (ps.orientation, ps.paperSize)
        widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            # one page wide only when that is a readable scale
            assert sum(widths) <= 165, (ws.title, sum(widths))
        else:
            scale = int(ps.scale or 100)
            assert 80 <= scale <= 100, scale
            assert ws.print_title_cols.replace("$", "") == "A:B", ws.print_title_cols
            breaks = [b.id for b in ws.col_breaks.brk]
            assert breaks, "a page break between the platform record and the answers"
            left = sum(widths[:breaks[0]])
            right = sum(widths[:2]) + sum(widths[breaks[0]:])
            assert max(left, right) * scale / 100 <= 140, (ws.title, left, right, scale)
        assert all(w <= 30 for w in widths), widths
        head = [c.value for c in ws[3]]
        # a column is as wide as its longest value, up to its cap; longer ones wrap
        for c, label in enumerate(head, 1):
            longest = max([width(ws.cell(r, c).value or "") for r in range(4, ws.max_row + 1)] + [0])
            w = widths[c - 1]
            if longest + 1 > w:
                assert all(ws.cell(r, c).alignment.wrap_text for r in range(4, ws.max_row + 1)
                           if width(ws.cell(r, c).value or "") + 1 > w), (ws.title, label, w, longest)
EOF
}

# --seed changes the draw; sampling.csv's sample_size is honoured per township.
test_seed_and_sample_size() {
	d=$TMP/seed
	mkdir -p "$d"
	for s in 1 2; do
		cp "$TMP/base.db" "$d/db$s"
		"$BIN/bangfu-sample" -q --db "$d/db$s" --period $PERIOD --seed $s --out "$d/s$s" || { bad "sample seed $s"; return; }
	done
	ids1=$(q "$d/db1" "SELECT group_concat(id_number) FROM (SELECT id_number FROM sample ORDER BY 1)")
	ids2=$(q "$d/db2" "SELECT group_concat(id_number) FROM (SELECT id_number FROM sample ORDER BY 1)")
	[ "$ids1" != "$ids2" ] && ok || bad "another seed must draw another sample"
	[ "$(q "$d/db1" "SELECT count(*) FROM sample")" = "$(q "$d/db2" "SELECT count(*) FROM sample")" ] && ok ||
		bad "the same sizes whatever the seed"
	"$BIN/bangfu-sample" -q --db "$d/db2" --period $PERIOD --seed 1 --out "$d/s3" || { bad "redraw"; return; }
	[ "$(q "$d/db2" "SELECT group_concat(id_number) FROM (SELECT id_number FROM sample ORDER BY 1)")" = "$ids1" ] && ok ||
		bad "seed 1 again draws seed 1's sample"
	mkdir -p "$d/templates"
	cp "$TOP"/templates/*.csv "$d/templates/"
	sed -i 's/^sample_size,30,/sample_size,12,/; s/^min_answered,24,/min_answered,10,/' "$d/templates/sampling.csv"
	cp "$TMP/base.db" "$d/db12"
	"$BIN/bangfu-sample" -q --db "$d/db12" --period $PERIOD --templates "$d/templates" --out "$d/s12" ||
		{ bad "sample of 12"; return; }
	got=$(q "$d/db12" "SELECT count(*) FROM (SELECT township, count(*) AS n,
		(SELECT count(*) FROM person p WHERE p.period = s.period AND p.county = s.county AND p.township = s.township
		 AND in_hr AND id_valid) AS pool FROM sample s GROUP BY city, county, township) WHERE n <> min(pool, 12)")
	[ "$got" = 0 ] && ok || bad "$got townships without min(persons, 12) sampled"
	[ "$(q "$d/db12" "SELECT max(n) FROM (SELECT count(*) AS n FROM sample GROUP BY county, township)")" = 12 ] && ok ||
		bad "sample_size 12"
	[ "$(q "$d/db12" "SELECT sample_size FROM sample_plan")" = 12 ] && ok || bad "the plan records 12"
	pycheck "12 rows per sheet" "$d/s12" <<'EOF'
import glob, sys, openpyxl
for book in glob.glob(sys.argv[1] + "/*.xlsx"):
    for ws in openpyxl.load_workbook(book).worksheets[1:]:
        rows = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value]
        assert 1 <= len(rows) <= 12, (ws.title, len(rows))
EOF
}

# Every cell of the check sheets of a month, against
# tests/data/sample/check-sheets.cells (UPDATE_EXPECTED=1 rewrites it; see
# tests/lib.sh): samples/ and the hand-made cases of tests/data/reconcile,
# seed 7.  They pin what the townships fill in and bangfu-verify reads back.
test_the_check_sheets_are_the_expected_cells() {
	db=$TMP/cells.db
	mkdir -p "$TMP/cells-in"
	cp "$DATA/reconcile/roster.csv" "$TMP/cells-in/changsha-roster.csv"
	cp "$DATA/reconcile/hr.tsv" "$TMP/cells-in/changsha-hr.tsv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TOP/samples/roster.csv" \
		"$TMP/cells-in/changsha-roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$TOP/samples/hr.csv" \
			"$TMP/cells-in/changsha-hr.tsv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD &&
		"$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --seed 7 --out "$TMP/cells-sheets" ||
		{ bad "the month's check sheets"; return; }
	expect_cells "check sheets" "$DATA/sample/check-sheets.cells" "$TMP/cells-sheets" -- "$TODAY=<today>"
}

generated_county || give_up "could not build the reconciled database"
run_tests
