#!/bin/sh
# bangfu-verify, the check-sheet round trip: bangfu-sample writes the
# sheets, a clerk fills them (openpyxl, as tests/fill_check_sheet.py and the
# cases below do), bangfu-verify loads them back.  The 90% rule and its
# boundaries, rejected rows that load nothing; then, on a generated county
# set of 岳阳市 (generated_county in lib.sh), where every test works on its
# own copy: files known by their counties, edited headers, bounded memory,
# the check-date window, a busy database, masked re-verification lists,
# messages that never echo a cell.  One behaviour per function.
. "$(dirname "$0")/lib.sh"
FILL=$TOP/tests/fill_check_sheet.py

test_verify_applies_the_90_percent_rule() {
	db=$TMP/verify.db
	reconciled_db "$db" && "$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --seed 7 --out "$TMP/vs" ||
		{ bad "setup"; return; }
	book=$(ls "$TMP"/vs/*.xlsx | head -n 1)
	$PY "$FILL" "$book" "$TMP/returned.xlsx" AAAAAAAIII || { bad "filling"; return; }
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
	"$GEN" -q --people 3000 --seed 3 --period $PERIOD --form plain --out "$d" &&
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
	$PY "$FILL" "$book" "$d/returned.xlsx" "$(cat "$d/pattern")" || { bad "filling"; return; }
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
		"bad-return.csv:5:4: 核查日期 is missing" "bad-return.csv:6: two answers for $code1" \
		"bad-return.csv: refused (4 rows rejected): nothing of it was loaded"; do
		grep -qF "$want" "$TMP/err" && ok || { bad "verify stderr lacks: $want"; sed 's/^/    /' "$TMP/err"; }
	done
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "a rejected return must leave the database unchanged"
}

# Returns arrive county by county: a refused file is refused alone.  The
# bad file comes first on the command line; the good one after it loads,
# the bad one loads nothing and gets its 退回说明 (in Chinese: sheet, row,
# column, what is wrong, what is allowed), and the exit status is 1.
test_one_refused_file_does_not_block_the_others() {
	sampled perfile || { bad "setup"; return; }
	mkdir -p "$d/ret"
	$PY "$FILL" "$(book_of 临湘市)" "$d/ret/临湘市.xlsx" "$($PY -c 'print("A" * 240)')" &&
		$PY "$FILL" "$(book_of 华容县)" "$d/ret/华容县.xlsx" "$($PY -c 'print("A" * 240)')" || { bad "filling"; return; }
	# 华容县: a result outside the list in row 5 and a date that is none in
	# row 7 of its first township sheet
	$PY - "$d/ret/华容县.xlsx" "$d/towns" <<'EOF' || { bad "editing"; return; }
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[1]
head = [c.value for c in ws[3]]
ws.cell(5, head.index("核查结果") + 1).value = "差不多"
ws.cell(7, head.index("核查日期") + 1).value = "13912345678"
open(sys.argv[2], "w").write(ws.title)
wb.save(sys.argv[1])
EOF
	town=$(cat "$d/towns")
	expect_exit 1 "one refused file" "$BIN/bangfu-verify" --db "$db" --period $PERIOD --notices "$d/notices" \
		"$d/ret/华容县.xlsx" "$d/ret/临湘市.xlsx"
	got=$(q "$db" "SELECT s.county, count(*) FROM check_result c JOIN sample s USING (period, sample_code)
		GROUP BY 1 ORDER BY 1" | tr '\n' ' ')
	[ "$got" = "临湘市|240 " ] && ok || bad "the good file loads, the refused one nothing: $got"
	[ "$(q "$db" "SELECT file_name FROM check_file")" = "临湘市.xlsx" ] && ok || bad "only the loaded file is recorded"
	has "华容县.xlsx: sheet $town: row 5: column M (核查结果) must be one of" "the reject with its place"
	has "华容县.xlsx: refused" "the file is said to be refused"
	has "1 of 2 files refused: 华容县.xlsx" "the refused files are listed at the end"
	grep -q 13912345678 "$TMP/err" && bad "a cell is echoed" || ok
	[ -f "$d/notices/退回说明_华容县.xlsx" ] && ok || { bad "no 退回说明 for the refused file"; ls "$d/notices"; return; }
	[ "$(stat -c %a "$d/notices/退回说明_华容县.xlsx")" = 600 ] && ok || bad "the 退回说明 is mode 0600"
	[ "$(ls -A "$d/notices" | wc -l)" = 1 ] && ok || bad "a 退回说明 only for the refused file: $(ls -A "$d/notices")"
	pycheck "the 退回说明 in Chinese" "$d/notices/退回说明_华容县.xlsx" "$town" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
town = sys.argv[2]
assert wb.sheetnames == ["退回说明", "问题清单"], wb.sheetnames
cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
assert not any("差不多" in c or "13912345678" in c for c in cells), "a cell is echoed"
ws = wb["退回说明"]
notes = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(4, ws.max_row + 1)}
assert notes["文件"] == "华容县.xlsx", notes
assert "岳阳市华容县" in notes["所属县市区"], notes
assert "2 处" in notes["退回原因"] and "未导入" in notes["退回原因"], notes
ws = wb["问题清单"]
head = [c.value for c in ws[3]]
assert head == ["序号", "工作表", "行", "列", "列名", "问题", "允许填写"], head
rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
assert len(rows) == 2, rows
assert rows[0][:5] == [1, town, 5, "M", "核查结果"], rows[0]
assert "核查结果" in rows[0][5] and rows[0][6] == "准确、不准确、无法联系", rows[0]
assert rows[1][1:3] == [town, 7] and rows[1][4] == "核查日期" and "不是日期" in rows[1][5], rows[1]
assert "至" in rows[1][6], rows[1]
EOF
	# corrected, it loads on its own; the other is unchanged
	$PY "$FILL" "$(book_of 华容县)" "$d/ret/华容县.xlsx" "$($PY -c 'print("A" * 240)')" || { bad "refilling"; return; }
	expect_exit 0 "the corrected file" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret/华容县.xlsx" "$d/ret/临湘市.xlsx"
	[ "$(q "$db" "SELECT count(*) FROM check_result")" = 480 ] && ok || bad "both counties after the correction"
	has "1 unchanged" "the file loaded before is recognised"
}

# A county that sends last month's sheet gets one message, not a reject for
# every row.
test_a_file_of_another_period_gets_one_message() {
	sampled period || { bad "setup"; return; }
	$PY "$FILL" "$(book_of 临湘市)" "$d/filled.xlsx" "$($PY -c 'print("A" * 240)')" || { bad "filling"; return; }
	$PY - "$d/filled.xlsx" "$d/last-month.xlsx" <<'EOF' || { bad "editing"; return; }
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets[1:]:
    for r in range(4, ws.max_row + 1):
        v = ws.cell(r, 1).value
        if v:
            ws.cell(r, 1).value = v.replace("202610-", "202609-")
wb.save(sys.argv[2])
EOF
	before=$(dbstate "$db")
	expect_exit 1 "a sheet of 2026-09" "$BIN/bangfu-verify" --db "$db" --period $PERIOD --notices "$d/n" "$d/last-month.xlsx"
	[ "$(grep -c "2026-09" "$TMP/err")" = 1 ] && ok || { bad "one message about the period"; head -n 5 "$TMP/err"; }
	has "last-month.xlsx: is a check sheet of 2026-09" "the message names the period"
	grep -q "row [0-9]" "$TMP/err" && bad "no row errors for a file of another period" || ok
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "nothing is loaded"
	pycheck "one problem in the 退回说明" "$d/n/退回说明_last-month.xlsx" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["问题清单"]
rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
assert len(rows) == 1, rows
assert "2026-09" in rows[0][5] and "2026-10" in rows[0][6], rows
EOF
}

# A file that is no workbook (a truncated download) is refused; the others load.
test_a_damaged_file_is_refused_alone() {
	sampled damaged || { bad "setup"; return; }
	$PY "$FILL" "$(book_of 君山区)" "$d/good.xlsx" "$($PY -c 'print("A" * 120)')" || { bad "filling"; return; }
	head -c 3000 "$(book_of 临湘市)" >"$d/cut.xlsx"
	expect_exit 1 "a damaged file" "$BIN/bangfu-verify" --db "$db" --period $PERIOD --notices "$d/n" "$d/cut.xlsx" "$d/good.xlsx"
	[ "$(q "$db" "SELECT count(*) FROM check_result")" = 120 ] && ok || bad "the good file loads"
	has "cut.xlsx: refused" "the damaged file is refused"
	[ -f "$d/n/退回说明_cut.xlsx" ] && ok || bad "a 退回说明 for the damaged file"
}

# The 备注 column takes anything: it is stored with the answer and never
# rejected, and a row with only a 备注 is a row not yet checked.
test_the_note_column_is_never_rejected() {
	sampled note || { bad "setup"; return; }
	$PY "$FILL" "$(book_of 君山区)" "$d/filled.xlsx" "$($PY -c 'print("A" * 119 + "-")')" || { bad "filling"; return; }
	$PY - "$d/filled.xlsx" "$d/ret.xlsx" <<'EOF' || { bad "editing"; return; }
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
# the last row, not yet checked, has only its 备注 ("准确？")
notes = ["  ", "13912345678 已停机", "=SUM(A1:A3)", "长" * 3000, "2026-13-45", 42, datetime.datetime(2020, 1, 1), "准确？"]
k = 0
for ws in wb.worksheets[1:]:
    head = [c.value for c in ws[3]]
    assert head[-1] == "备注", head
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, 1).value:
            cell = ws.cell(r, len(head))
            cell.value = notes[k % len(notes)]
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as typed, "=SUM(…)" too
            k += 1
wb.save(sys.argv[2])
EOF
	expect_exit 0 "every kind of 备注" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret.xlsx"
	grep -q 13912345678 "$TMP/err" && bad "a note is echoed" || ok
	got=$(q "$db" "SELECT count(*), count(note), sum(note = '13912345678 已停机'), sum(note = '=SUM(A1:A3)'),
		max(length(note)) FROM check_result")
	[ "$got" = "119|104|15|15|3000" ] && ok || bad "the notes are stored as written: $got"
}

test_a_file_of_the_same_name_from_another_county_is_another_file() {
	sampled names || { bad "setup"; return; }
	mkdir -p "$d/a" "$d/b" "$d/a2" "$d/c"
	$PY "$FILL" "$(book_of 临湘市)" "$d/a/x.xlsx" "$($PY -c 'print("A" * 240)')" &&
		$PY "$FILL" "$(book_of 华容县)" "$d/b/x.xlsx" "$($PY -c 'print("A" * 240)')" || { bad "filling"; return; }
	expect_exit 0 "first county" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/a/x.xlsx"
	expect_exit 0 "second county, same file name" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/b/x.xlsx"
	got=$(q "$db" "SELECT s.county, count(*) FROM check_result c JOIN sample s USING (period, sample_code)
		GROUP BY 1 ORDER BY 1" | tr '\n' ' ')
	[ "$got" = "临湘市|240 华容县|240 " ] && ok || bad "both counties' answers must stay: $got"
	[ "$(q "$db" "SELECT count(*) FROM check_file WHERE file_name = 'x.xlsx'")" = 2 ] && ok ||
		bad "two files named x.xlsx from two counties are two files"
	# A corrected 临湘市 file: the first township answered again (one 不准确),
	# the second township's answers emptied; the rest as before.
	$PY "$FILL" "$(book_of 临湘市)" "$d/a2/x.xlsx" "$($PY -c 'print("I" + "A" * 29 + "-" * 30 + "A" * 180)')" ||
		{ bad "filling"; return; }
	expect_exit 0 "reload" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/a2/x.xlsx"
	got=$(q "$db" "SELECT count(*), sum(result = 'inaccurate') FROM check_result")
	[ "$got" = "480|1" ] && ok || bad "a reload replaces what it answers and keeps the rest: $got"
	has "kept" "a reload that leaves earlier answers empty says so"
	# Another file answering an item already answered: two answers for one person.
	first=$(q "$db" "SELECT sample_code FROM sample WHERE county = '临湘市' ORDER BY sample_code LIMIT 1")
	printf '抽查编号,核查结果,核查方式,核查日期\n%s,准确,电话回访,%s\n' "$first" "$TODAY" >"$d/c/x.csv"
	before=$(dbstate "$db")
	expect_exit 1 "another file answering the same person" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/c/x.csv"
	has "was already answered in x.xlsx" "double answer"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "a rejected file changes nothing"
}

# A database whose answers were loaded before files were known by their
# counties (schema 008): the upgrade gives each earlier file its counties, and
# a corrected file of the same name replaces its answers.
test_answers_loaded_before_the_upgrade_keep_their_file() {
	sampled upgrade || { bad "setup"; return; }
	mkdir -p "$d/v1" "$d/v2"
	$PY "$FILL" "$(book_of 临湘市)" "$d/v1/x.xlsx" "$($PY -c 'print("A" * 240)')" &&
		$PY "$FILL" "$(book_of 临湘市)" "$d/v2/x.xlsx" "$($PY -c 'print("I" + "A" * 239)')" || { bad "filling"; return; }
	"$BIN/bangfu-verify" -q --db "$db" --period $PERIOD "$d/v1/x.xlsx" || { bad "first load"; return; }
	# back to the tables as schema 003 made them
	q "$db" "CREATE TABLE cf AS SELECT period, file_name, sha256, rows_read, answers, loaded_at FROM check_file;
		DROP TABLE check_file;
		CREATE TABLE check_file (period TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
			rows_read INTEGER NOT NULL, answers INTEGER NOT NULL, loaded_at TEXT NOT NULL,
			PRIMARY KEY (period, file_name));
		INSERT INTO check_file SELECT * FROM cf; DROP TABLE cf;
		ALTER TABLE check_result DROP COLUMN file_counties;
		DELETE FROM schema_version WHERE version = 8;" || { bad "downgrading"; return; }
	expect_exit 0 "the corrected file after the upgrade" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/v2/x.xlsx"
	[ "$(q "$db" "SELECT count(*), sum(result = 'inaccurate'), count(DISTINCT file_counties) FROM check_result")" = "240|1|1" ] &&
		ok || bad "the reload replaces the answers of before the upgrade: $(q "$db" "SELECT count(*), sum(result = 'inaccurate') FROM check_result")"
	[ "$(q "$db" "SELECT file_name, counties FROM check_file")" = "x.xlsx|岳阳市临湘市" ] && ok ||
		bad "check_file after the upgrade: $(q "$db" "SELECT file_name, counties FROM check_file")"
}

# Clerks edit headers, insert rows above them and delete rows; a sheet the
# file claims but that cannot be read is an error, never a silent skip.
test_edited_headers_moved_headers_and_deleted_rows() {
	sampled headers || { bad "setup"; return; }
	$PY "$FILL" "$(book_of 临湘市)" "$d/filled.xlsx" "$($PY -c 'print("A" * 240)')" || { bad "filling"; return; }
	$PY - "$d/filled.xlsx" "$d/edited.xlsx" "$d/broken.xlsx" "$d/towns" <<'EOF' || { bad "editing"; return; }
import sys, openpyxl
src, edited, broken, towns = sys.argv[1:5]
wb = openpyxl.load_workbook(src)
sheets = [ws for ws in wb.worksheets if ws.title != "填表说明"]
def col(ws, label, row=3):
    return [c.value for c in ws[row]].index(label) + 1
s0, s1, s2, s3 = sheets[:4]
s0.cell(3, col(s0, "核查结果")).value = "核查结果（必填）"        # an annotation
s1.insert_rows(1, 3)                                               # rows above the header
s2.cell(3, col(s2, "核查日期")).value = "日期"                     # a header renamed: found by position
s2.cell(3, col(s2, "核查结果")).value = "结果"
s3.delete_rows(5, 2)                                               # two persons' rows deleted
open(towns, "w").write("\n".join(ws.title for ws in sheets))
wb.save(edited)
# the header row of one sheet gone: the sheet names a sampled township and
# its rows hold sample codes, but no column says 核查结果
s0.delete_rows(3)
wb.save(broken)
EOF
	expect_exit 0 "edited headers" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/edited.xlsx"
	[ "$(q "$db" "SELECT count(*) FROM check_result")" = 238 ] && ok ||
		bad "every answer of the edited sheets must load (238): $(q "$db" "SELECT count(*) FROM check_result")"
	t4=$(sed -n 4p "$d/towns")
	has "$t4: 2 of 30 sampled persons have no row" "deleted rows reported per township"
	rm -f "$db" && cp "$TMP/base.db" "$db" && "$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --out "$d/sheets" || return
	before=$(dbstate "$db")
	expect_exit 1 "a claimed sheet without a readable header" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/broken.xlsx"
	t1=$(sed -n 1p "$d/towns")
	has "broken.xlsx: sheet $t1: row 3" "the unreadable sheet named with its row"
	has "核查结果" "the missing column named"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "an unreadable sheet loads nothing"
}

# A million rows of a rejected file: memory stays flat, the rejects shown are
# bounded and reading stops with a message.
test_a_huge_rejected_sheet_costs_little_memory() {
	sampled huge || { bad "setup"; return; }
	$PY - "$d/huge.xlsx" 1000000 <<'EOF' || { bad "generating"; return; }
import sys, zipfile
path, n = sys.argv[1], int(sys.argv[2])
parts = {
"[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
"_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
"xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
"xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
def cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for name, text in parts.items():
        z.writestr(name, text)
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
        f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        f.write(('<row r="1">' + cell("A1", "抽查编号") + cell("B1", "姓名") + cell("C1", "核查结果") + cell("D1", "核查日期") + "</row>").encode())
        chunk = []
        for r in range(2, n + 2):
            chunk.append(f'<row r="{r}">' + cell(f"A{r}", f"202610-9999-{r:07d}") + cell(f"B{r}", "某某某")
                         + cell(f"C{r}", "差不多") + cell(f"D{r}", "2026-11-05") + "</row>")
            if len(chunk) == 10000:
                f.write("".join(chunk).encode())
                chunk = []
        f.write("".join(chunk).encode())
        f.write(b"</sheetData></worksheet>")
EOF
	before=$(dbstate "$db")
	/usr/bin/time -f %M -o "$d/rss" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/huge.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && ok || { bad "a huge rejected sheet should exit 1"; tail -n 3 "$TMP/err"; }
	rss=$(tail -n 1 "$d/rss")
	[ "$rss" -lt 150000 ] && ok || bad "peak memory $rss KiB for a rejected million-row sheet (want < 150 MB)"
	has "stopped reading" "the reader says where it stopped"
	n=$(grep -c "is not in the $PERIOD sample" "$TMP/err")
	[ "$n" -le 1000 ] && [ "$n" -ge 100 ] && ok || bad "at most 1000 rejects are listed, got $n"
	has "more rejected rows" "the rest are counted"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "nothing is loaded"
}

test_check_dates_must_fall_between_the_draw_and_today() {
	sampled dates || { bad "setup"; return; }
	set -- $(q "$db" "SELECT sample_code FROM sample ORDER BY sample_code LIMIT 3")
	tomorrow=$(date -d tomorrow +%F)
	printf '抽查编号,核查结果,核查方式,核查日期\n%s,准确,电话回访,2026-10-15\n%s,准确,电话回访,%s\n%s,准确,电话回访,%s\n' \
		"$1" "$2" "$tomorrow" "$3" "$TODAY" >"$d/ret.csv"
	before=$(dbstate "$db")
	expect_exit 1 "dates outside the check window" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret.csv"
	has "ret.csv:2:" "the early row"
	has "before the sample was drawn" "a date before the draw"
	has "ret.csv:3:" "the late row"
	has "allowed: $TODAY to $TODAY" "what is allowed"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "nothing is loaded"
}

# A second writer holding the database: verify waits, then exits 1 saying so.
test_a_busy_database_is_exit_1_with_a_message() {
	sampled busy || { bad "setup"; return; }
	$PY "$FILL" "$(book_of 君山区)" "$d/r.xlsx" "$($PY -c 'print("A" * 120)')" "$TODAY" || { bad "filling"; return; }
	$PY - "$db" <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
time.sleep(3)
c.execute("ROLLBACK")
EOF
	holder=$!
	sleep 0.5
	BANGFU_BUSY_TIMEOUT_MS=300 expect_exit 1 "verify against a held write lock" \
		"$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/r.xlsx"
	has "another bangfu stage is writing" "the message says why"
	wait $holder
	[ "$(q "$db" "SELECT count(*) FROM check_result")" = 0 ] && ok || bad "nothing loaded under the lock"
	# Two verifies at once, of two files answering the same persons: one
	# loads, the other is refused with exit 1 — never an internal error.
	cp "$d/r.xlsx" "$d/s.xlsx"
	for i in 1 2 3 4; do
		cp "$TMP/base.db" "$d/db$i" && "$BIN/bangfu-sample" -q --db "$d/db$i" --period $PERIOD --out "$d/sh$i" || return
		"$BIN/bangfu-verify" -q --db "$d/db$i" --period $PERIOD "$d/r.xlsx" 2>"$d/e1" &
		p=$!
		"$BIN/bangfu-verify" -q --db "$d/db$i" --period $PERIOD "$d/s.xlsx" 2>"$d/e2"
		s2=$?
		wait $p
		s1=$?
		case "$s1$s2" in
		01 | 10) ok ;;
		*) bad "concurrent verifies: exits $s1 and $s2, want one 0 and one 1"; cat "$d/e1" "$d/e2" | head -n 4 ;;
		esac
		[ "$(q "$d/db$i" "SELECT count(*) FROM check_result")" = 120 ] && ok || bad "one of the two loaded"
	done
}

test_recalibration_lists_mask_every_id_and_phone() {
	sampled lists || { bad "setup"; return; }
	# 临湘市's second township: 5 of 30 inaccurate, so it must recalibrate;
	# it has persons with invalid IDs.
	$PY "$FILL" "$(book_of 临湘市)" "$d/r.xlsx" "$($PY -c 'print("A" * 30 + "I" * 5 + "A" * 205)')" || { bad "filling"; return; }
	expect_exit 0 "verify" "$BIN/bangfu-verify" --db "$db" --period $PERIOD --out "$d/lists" "$d/r.xlsx"
	expect_exit 0 "verify --full-id" "$BIN/bangfu-verify" --db "$db" --period $PERIOD --full-id --out "$d/full" "$d/r.xlsx"
	pycheck "re-verification lists" "$db" "$d/lists" "$d/full" <<'EOF'
import glob, sqlite3, sys, openpyxl
db, masked_dir, full_dir = sys.argv[1:4]
c = sqlite3.connect(db)
books = glob.glob(masked_dir + "/*.xlsx")
assert len(books) == 1, books
def column(book, label):
    ws = openpyxl.load_workbook(book).worksheets[0]
    head = [x.value for x in ws[3]]
    return [ws.cell(r, head.index(label) + 1).value for r in range(4, ws.max_row + 1)]
ids, phones = column(books[0], "证件号码"), column(books[0], "联系电话")
town = openpyxl.load_workbook(books[0]).worksheets[0].title
invalid = [r[0] for r in c.execute("SELECT id_number FROM person WHERE township = ? AND NOT id_valid", (town,))]
assert invalid, "the township should have invalid IDs"
secret = {r[0] for r in c.execute("SELECT id_number FROM person WHERE township = ?", (town,))}
secret |= {r[0] for r in c.execute("SELECT phone FROM person WHERE township = ? AND phone <> ''", (town,))}
shown = [v for v in ids + phones if v]
assert shown and all("*" in v for v in shown), [v for v in shown if "*" not in v][:3]
assert not secret & set(shown)
full = glob.glob(full_dir + "/*.xlsx")[0]
assert set(invalid) <= set(column(full, "证件号码")), "--full-id shows them whole"
EOF
}

test_messages_never_echo_a_cell() {
	sampled echo || { bad "setup"; return; }
	set -- $(q "$db" "SELECT sample_code FROM sample ORDER BY sample_code LIMIT 4")
	{
		echo "抽查编号,核查结果,核查方式,更正后就业状态,核查日期"
		echo "$1,13912345678,电话回访,,$TODAY"
		echo "$2,准确,13923456789,,$TODAY"
		echo "$3,不准确,电话回访,13934567890,$TODAY"
		echo "$4,准确,电话回访,,13945678901"
		echo "13956789012,准确,电话回访,,$TODAY"
	} >"$d/ret.csv"
	expect_exit 1 "bad cells" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret.csv"
	if grep -q "139[0-9]\{8\}" "$TMP/err"; then bad "a cell's content is echoed"; grep "139" "$TMP/err" | head -n 3; else ok; fi
	has "ret.csv:2:2: 核查结果 must be one of 准确, 不准确, 无法联系" "核查结果 named with what is allowed"
	has "ret.csv:3:3: 核查方式 must be one of" "核查方式"
	has "ret.csv:4:4: 更正后就业状态 must be one of" "更正后就业状态"
	has "ret.csv:5:5: 核查日期 is not a date" "核查日期"
	has "ret.csv:6:1: 抽查编号 is not in the $PERIOD sample" "抽查编号"
	# the same in a workbook: sheet, row and column letter
	$PY - "$(book_of 君山区)" "$d/ret.xlsx" <<'EOF' || { bad "filling"; return; }
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[1]
head = [c.value for c in ws[3]]
ws.cell(4, head.index("核查结果") + 1).value = "13967890123"
ws.cell(4, head.index("核查日期") + 1).value = "2026-11-05"
wb.save(sys.argv[2])
EOF
	expect_exit 1 "bad cell in a workbook" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret.xlsx"
	grep -q "13967890123" "$TMP/err" && bad "a workbook cell is echoed" || ok
	has "ret.xlsx: sheet " "sheet named"
	has ": row 4: column M (核查结果) must be one of" "row and column letter"
}

test_check_sheets_show_the_platform_record_and_the_roster_beside_it() {
	sampled names2 || { bad "setup"; return; }
	pycheck "platform values, roster differences" "$db" "$d/sheets" <<'EOF'
import glob, sqlite3, sys, openpyxl
db, sheets = sys.argv[1:3]
c = sqlite3.connect(db)
rows = c.execute("""SELECT s.sample_code, s.county, h.name, k.roster_value FROM sample s
  JOIN conflict k ON k.period = s.period AND k.id_number = s.id_number AND k.field = 'name'
  JOIN hr_row h ON h.rowid = (SELECT min(rowid) FROM hr_row WHERE period = s.period AND id_number = s.id_number)""").fetchall()
assert len(rows) >= 5, rows
seen = 0
for code, county, hr_name, roster_name in rows:
    book = glob.glob(f"{sheets}/*_{county}_*.xlsx")[0]
    for ws in openpyxl.load_workbook(book).worksheets[1:]:
        head = [x.value for x in ws[3]]
        for r in range(4, ws.max_row + 1):
            if ws.cell(r, 1).value == code:
                assert ws.cell(r, head.index("姓名") + 1).value == hr_name, (code, "姓名 is the platform's")
                diff = ws.cell(r, head.index("扶贫系统记录（与平台不一致处）") + 1).value or ""
                assert "姓名：" + roster_name in diff, (code, diff)
                seen += 1
assert seen == len(rows), (seen, len(rows))
EOF
	# returned as printed (the platform's names): every row loads
	for b in "$d"/sheets/*.xlsx; do
		$PY "$FILL" "$b" "$d/ret-$(basename "$b")" "$($PY -c 'print("A" * 240)')" "$TODAY" || { bad "filling"; return; }
	done
	expect_exit 0 "platform names on the returned sheets" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d"/ret-*.xlsx
	[ "$(q "$db" "SELECT count(*) FROM check_result")" = "$(q "$db" "SELECT count(*) FROM sample")" ] && ok ||
		bad "every answer loads"
}

test_check_dates_are_date_cells_and_excel_dates_are_read() {
	sampled datecells || { bad "setup"; return; }
	pycheck "核查日期 is a date cell with a date rule" "$(book_of 君山区)" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[1]
head = [c.value for c in ws[3]]
col = head.index("核查日期") + 1
letter = openpyxl.utils.get_column_letter(col)
cell = ws.cell(4, col)
assert cell.number_format != "@" and "yy" in cell.number_format, cell.number_format
assert cell.protection.locked is False
rules = [dv for dv in ws.data_validations.dataValidation if letter in str(dv.sqref)]
assert rules and rules[0].type == "date", [(dv.type, str(dv.sqref)) for dv in rules]
EOF
	# dates as Excel stores what is typed into a date cell: a serial number
	$PY - "$(book_of 君山区)" "$d/ret.xlsx" "$TODAY" <<'EOF' || { bad "filling"; return; }
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
day = datetime.date.fromisoformat(sys.argv[3])
for ws in wb.worksheets[1:]:
    head = [c.value for c in ws[3]]
    for r in range(4, ws.max_row + 1):
        ws.cell(r, head.index("核查结果") + 1).value = "准确"
        ws.cell(r, head.index("核查日期") + 1).value = datetime.datetime.combine(day, datetime.time())
wb.save(sys.argv[2])
EOF
	expect_exit 0 "Excel dates" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret.xlsx"
	[ "$(q "$db" "SELECT count(*), min(check_date), max(check_date) FROM check_result")" = "120|$TODAY|$TODAY" ] && ok ||
		bad "serial dates read as days: $(q "$db" "SELECT count(*), min(check_date), max(check_date) FROM check_result")"
}

# scripts/simulate-answers.py, the demo's townships: run as a program (the
# Debian python, executable), --help, and the day of the checks by --date.
test_simulated_answers_run_as_a_program_on_the_day_given() {
	sampled simulate || { bad "setup"; return; }
	script=$TOP/scripts/simulate-answers.py
	[ -x "$script" ] && ok || bad "simulate-answers.py is not executable"
	[ "$(head -n 1 "$script")" = "#!/usr/bin/python3" ] && ok || bad "simulate-answers.py: $(head -n 1 "$script")"
	"$script" --help >"$d/help" 2>&1 && grep -q "usage: simulate-answers.py" "$d/help" && grep -q -- "--date" "$d/help" &&
		ok || { bad "--help"; head -n 5 "$d/help"; }
	expect_exit 2 "a date that is none" "$script" --date 2026-13-01 "$d/sheets" "$d/ret"
	has "2026-13-01" "the bad date named"
	# drawn ten days ago; the checks made three days ago
	q "$db" "UPDATE sample_plan SET drawn_at = '$(date -u -d '10 days ago' +%Y-%m-%dT12:00:00Z)'"
	day=$(date -d '3 days ago' +%F)
	"$script" --seed 3 --date "$day" "$d/sheets" "$d/ret" >/dev/null 2>&1 || { bad "simulate-answers.py --date"; return; }
	expect_exit 0 "the simulated answers load" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d"/ret/*.xlsx
	[ "$(q "$db" "SELECT count(*) = (SELECT count(*) FROM sample), min(check_date), max(check_date) FROM check_result")" = "1|$day|$day" ] &&
		ok || bad "every answer dated $day: $(q "$db" "SELECT count(*), min(check_date), max(check_date) FROM check_result")"
}

# Every cell of a re-verification list, against
# tests/data/verify/recalibrate.cells (UPDATE_EXPECTED=1 rewrites it; see
# tests/lib.sh): the hand-made cases, seed 7, 7 of 10 accurate.
test_the_reverification_list_is_the_expected_cells() {
	db=$TMP/cells.db
	reconciled_db "$db" && "$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --seed 7 --out "$TMP/cells-sheets" &&
		$PY "$FILL" "$TMP"/cells-sheets/*.xlsx "$TMP/cells-returned.xlsx" AAAAAAAIII &&
		"$BIN/bangfu-verify" -q --db "$db" --period $PERIOD --out "$TMP/cells-lists" "$TMP/cells-returned.xlsx" ||
		{ bad "the re-verification list"; return; }
	expect_cells "re-verification list" "$DATA/verify/recalibrate.cells" "$TMP/cells-lists" -- "$TODAY=<today>"
}

generated_county || give_up "could not build the reconciled database"
ok
run_tests
