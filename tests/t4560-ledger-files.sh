#!/bin/sh
# bangfu-ledger against the files people send: returned township work lists
# treated as the check sheets are (t4000-verify) — bad rows load nothing of
# their file and are named by file, sheet, row and column without echoing a
# cell; one county's bad file does not block another's; a file is known by
# its name and counties; edited headers, rows above them, deleted rows; a
# million-row sheet in bounded memory; a busy database — and external
# problem lists with bad rows.  Each test works on its own copy of April of
# the ledger story (tests/data/ledger).
. "$(dirname "$0")/lib.sh"
DATA=$TOP/tests/data/ledger
FILL=$TOP/tests/fill_work_list.py
BASE=$TMP/base.db
NX=乡镇工作清单_长沙市_宁乡市_2020-04.xlsx
LY=乡镇工作清单_长沙市_浏阳市_2020-04.xlsx
TOMORROW=$(date -d tomorrow +%F)

setup() {
	for s in roster hr; do
		"$BIN/bangfu-ingest" -q --db "$BASE" --period 2020-04 --source $s "$DATA/${s}_202004.csv" || return 1
	done
	"$BIN/bangfu-reconcile" -q --db "$BASE" --period 2020-04 &&
		"$BIN/bangfu-ledger" -q --db "$BASE" --period 2020-04 --problems "$DATA/回头看.csv" \
			--problems "$DATA/督查.csv" --source 督查 &&
		"$BIN/bangfu-report" -q --db "$BASE" --period 2020-04 --out "$TMP/report.xlsx" --townships "$TMP/lists"
}

# A copy of the base in $TMP/NAME: sets d and db.
copy() {
	d=$TMP/$1
	db=$d/db
	mkdir -p "$d"
	cp "$BASE" "$db"
}

# What a run loaded: the returns and the files recorded.
loaded() { q "$db" "SELECT (SELECT count(*) FROM ledger_return) || ' ' || (SELECT count(*) FROM ledger_file WHERE what = 'return')"; }

test_bad_rows_are_named_and_load_nothing_of_their_file() {
	copy bad
	p4=$(q "$db" "SELECT id_number FROM person WHERE name = '钱四' LIMIT 1")
	{
		echo "问题编号,姓名,证件号码,整改情况,整改日期,经办人,整改说明,帮扶责任人"
		echo "S202004-0004,李二,,已整改,2020-05-06,张经办,,"
		echo "S209912-0001,,,已整改,2020-05-06,张经办,,"
		echo "S202004-0005,赵三,,差不多,2020-05-06,张经办,,"
		echo "S202004-0002,王一,,已整改,,张经办,,"
		echo "S202004-0003,钱四,,无法整改,2020-05-08,张经办,,"
		echo "S202004-0006,,,整改中,2020-04-28,张经办,,"
		echo "H202004-0001,,,已整改,$TOMORROW,李经办,,"
		echo "D202004-0001,王一,,已整改,2020-05-09,,,"
		echo "S202004-0004,李二,,已整改,2020-05-07,张经办,,"
		echo "S202004-0002,张三,,已整改,2020-05-09,张经办,,"
		echo "S202004-0002,,$p4,已整改,2020-05-09,张经办,,"
		echo "S202004-0002,,,已整改,2020-05-09,张经办,,某帮扶"
		echo ",,,已整改,2020-05-09,张经办,,"
		echo "S202004-0002,王一,,,2020-05-09,,,"
		echo "S202004-0006,,,,,,,新帮扶"
	} | iconv -f UTF-8 -t GB18030 >"$d/ret.csv"
	before=$(dbstate "$db")
	expect_exit 1 "a returned list with bad rows" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/ret.csv"
	for want in "ret.csv:3:1: 问题编号 is not an item of the 2020-04 work lists" \
		"ret.csv:4:4: 整改情况 must be one of 已整改, 整改中, 无法整改" "ret.csv:5:5: 整改日期 is missing" \
		"ret.csv:6:7: 整改说明 is empty: 无法整改 needs the reason" \
		"ret.csv:7:5: 整改日期 is before the 2020-04 work lists were made from the data of the month; allowed: 2020-05-01 to $TODAY" \
		"ret.csv:8:5: 整改日期 is after today" "ret.csv:9:6: 经办人 is empty" "ret.csv:10: two returns for S202004-0004: also ret.csv row 2" \
		"ret.csv:11:2: 姓名 is not the name of the person of S202004-0002" \
		"ret.csv:12:3: 证件号码 does not belong to the person of S202004-0002" \
		"ret.csv:13:8: 帮扶责任人 is only for the items 就业转失业 and 零就业家庭" "ret.csv:14:1: 问题编号 is empty" \
		"ret.csv:15:4: 整改情况 is empty but other return columns are filled" \
		"ret.csv:16:4: 整改情况 is empty but other return columns are filled" \
		"1 of 1 files rejected (14 rows): nothing was loaded from them"; do
		has "$want" "the reject"
	done
	grep -q "$p4" "$TMP/err" && bad "an ID is echoed" || ok
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "a rejected file leaves the database as it was"
}

test_messages_never_echo_a_cell() {
	copy echo
	{
		echo "问题编号,整改情况,整改日期,经办人"
		echo "S202004-0002,13912345678,2020-05-09,张经办"
		echo "S202004-0003,已整改,13923456789,张经办"
		echo "13934567890,已整改,2020-05-09,张经办"
	} >"$d/ret.csv"
	expect_exit 1 "bad cells" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/ret.csv"
	if grep -q "139[0-9]\{8\}" "$TMP/err"; then bad "a cell's content is echoed"; else ok; fi
	has "ret.csv:2:2: 整改情况 must be one of" "整改情况"
	has "ret.csv:3:3: 整改日期 is not a date" "整改日期"
	has "ret.csv:4:1: 问题编号 is not an item" "问题编号"
	# the same in a workbook: sheet, row and column letter
	$PY "$FILL" "$TMP/lists/$NX" "$d/ret.xlsx" "S202004-0002=13967890123|2020-05-09|张经办" || { bad "filling"; return; }
	expect_exit 1 "a bad cell in a workbook" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/ret.xlsx"
	grep -q "13967890123" "$TMP/err" && bad "a workbook cell is echoed" || ok
	has "ret.xlsx: sheet 花明楼镇: row 4: column Q (整改情况) must be one of 已整改, 整改中, 无法整改" "sheet, row, column letter"
}

test_one_countys_bad_file_does_not_block_anothers() {
	copy two
	$PY "$FILL" "$TMP/lists/$NX" "$d/nx.xlsx" "S202004-0004=已整改|2020-05-06|张经办" &&
		$PY "$FILL" "$TMP/lists/$LY" "$d/ly.xlsx" "S202004-0001=已办|2020-05-06|陈经办" || { bad "filling"; return; }
	expect_exit 1 "one bad file of two" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/nx.xlsx" "$d/ly.xlsx"
	has "ly.xlsx: sheet 集里街道: row 4: column Q (整改情况)" "the bad file's row"
	has "1 of 2 files rejected (1 rows): nothing was loaded from them; the others are loaded" "what happened"
	has "1 returns loaded" "the good file's returns"
	[ "$(q "$db" "SELECT group_concat(file_name) FROM ledger_return")" = nx.xlsx ] && ok || bad "the good file is loaded"
	[ "$(q "$db" "SELECT state || ' ' || closed_on FROM v_ledger WHERE code = 'S202004-0004'")" = "closed 2020-05-06" ] && ok ||
		bad "and the ledger derived with it"
}

test_a_file_of_the_same_name_from_another_county_is_another_file() {
	copy names
	mkdir -p "$d/a" "$d/b" "$d/a2" "$d/c"
	$PY "$FILL" "$TMP/lists/$NX" "$d/a/x.xlsx" "S202004-0004=已整改|2020-05-06|张经办" "S202004-0005=整改中|2020-05-07|张经办" &&
		$PY "$FILL" "$TMP/lists/$LY" "$d/b/x.xlsx" "S202004-0001=整改中|2020-05-06|陈经办" || { bad "filling"; return; }
	expect_exit 0 "宁乡市's x.xlsx" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/a/x.xlsx"
	expect_exit 0 "浏阳市's x.xlsx" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/b/x.xlsx"
	[ "$(q "$db" "SELECT group_concat(counties, ' ') FROM (SELECT counties FROM ledger_file WHERE file_name = 'x.xlsx' ORDER BY 1)")" = "长沙市宁乡市 长沙市浏阳市" ] &&
		ok || bad "two files named x.xlsx from two counties are two files"
	[ "$(loaded)" = "3 2" ] && ok || bad "both counties' returns stay: $(loaded)"
	# 宁乡市 corrects its file: 赵三 now 已整改, 李二's row emptied (kept)
	$PY "$FILL" "$TMP/lists/$NX" "$d/a2/x.xlsx" "S202004-0005=已整改|2020-05-09|张经办" || { bad "filling"; return; }
	expect_exit 0 "the corrected file" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/a2/x.xlsx"
	has "1 returns loaded earlier from these files are kept" "what the new version leaves empty is kept"
	[ "$(q "$db" "SELECT group_concat(code || ' ' || status, ', ') FROM (SELECT * FROM v_ledger_return ORDER BY code)")" = \
		"S202004-0001 ongoing, S202004-0004 done, S202004-0005 done" ] && ok || bad "a reload replaces what it gives again"
	# another file answering an item already answered: rejected
	printf '问题编号,整改情况,整改日期,经办人\nS202004-0004,整改中,2020-05-09,王经办\n' >"$d/c/other.csv"
	before=$(dbstate "$db")
	expect_exit 1 "another file answering the same item" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/c/other.csv"
	has "S202004-0004 was already returned in x.xlsx row 6 (another file)" "names the earlier file"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "the rejected file changed nothing"
	# the same file again: recognised
	expect_exit 0 "the same file again" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/a2/x.xlsx"
	has "(1 unchanged since loaded, 0 passed over" "an unchanged file is passed over"
}

# Clerks edit headers, insert rows above them and delete rows; a sheet with
# the lists' codes but no readable header is an error, never a silent skip.
test_edited_headers_moved_headers_and_deleted_rows() {
	copy headers
	$PY "$FILL" "$TMP/lists/$NX" "$d/filled.xlsx" "S202004-0004=已整改|2020-05-06|张经办" \
		"S202004-0005=整改中|2020-05-07|张经办" "H202004-0001=已整改|2020-05-10|李经办" || { bad "filling"; return; }
	$PY - "$d/filled.xlsx" "$d" <<'PYEOF' || { bad "editing"; return; }
import sys, openpyxl
src, d = sys.argv[1:3]
def edit(change, out):
    wb = openpyxl.load_workbook(src)
    ws = wb["花明楼镇"]
    change(ws, [c.value for c in ws[3]])
    wb.save(f"{d}/{out}")
def annotate(ws, head):
    ws.cell(3, head.index("整改情况") + 1).value = "整改情况（必填）"
def insert(ws, head):
    ws.insert_rows(1, 3)
def rename(ws, head):
    ws.cell(3, head.index("整改日期") + 1).value = "日期"
    ws.cell(3, head.index("整改情况") + 1).value = "结果"
def delete(ws, head):
    ws.delete_rows(4, 2)   # the first two items, unreturned
def broken(ws, head):
    ws.delete_rows(3)
for f, out in [(annotate, "annotated.xlsx"), (insert, "inserted.xlsx"), (rename, "renamed.xlsx"),
               (delete, "deleted.xlsx"), (broken, "broken.xlsx")]:
    edit(f, out)
PYEOF
	for f in annotated inserted renamed deleted; do
		cp "$BASE" "$db"
		if "$BIN/bangfu-ledger" -q --db "$db" --period 2020-04 "$d/$f.xlsx" 2>"$TMP/err" &&
			[ "$(loaded)" = "3 1" ]; then ok; else
			bad "$f headers: $(loaded)"
			sed 's/^/    /' "$TMP/err"
		fi
	done
	cp "$BASE" "$db"
	before=$(dbstate "$db")
	expect_exit 1 "a sheet without its header row" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/broken.xlsx"
	has "broken.xlsx: sheet 花明楼镇: row 3: holds 问题编号 of the 2020-04 work lists but no header row" "the sheet and row"
	has "整改情况" "the missing column named"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "an unreadable sheet loads nothing"
}

# Items closed since last month are listed under 上月以来已销号 with 已销号 in
# 整改情况: passed over as printed, refused when a clerk writes over it.
test_closed_items_are_passed_over_unless_written_over() {
	copy closed
	$PY "$FILL" "$TMP/lists/$NX" "$d/ret04.xlsx" "S202004-0004=已整改|2020-05-06|张经办" &&
		"$BIN/bangfu-ledger" -q --db "$db" --period 2020-04 "$d/ret04.xlsx" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period 2020-05 --source roster "$DATA/roster_202005.csv" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period 2020-05 --source hr "$DATA/hr_202005.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period 2020-05 &&
		"$BIN/bangfu-report" -q --db "$db" --period 2020-05 --out "$d/r.xlsx" --townships "$d/lists" || { bad "May"; return; }
	may=$d/lists/乡镇工作清单_长沙市_宁乡市_2020-05.xlsx
	$PY "$FILL" "$may" "$d/as-printed.xlsx" "S202004-0005=整改中|2020-06-02|张经办" &&
		$PY "$FILL" "$may" "$d/written-over.xlsx" "S202004-0004=已整改|2020-06-02|张经办" || { bad "filling"; return; }
	expect_exit 0 "closed rows as printed" "$BIN/bangfu-ledger" --db "$db" --period 2020-05 "$d/as-printed.xlsx"
	has "1 returns loaded" "the open item's return only"
	expect_exit 1 "a closed row written over" "$BIN/bangfu-ledger" --db "$db" --period 2020-05 "$d/written-over.xlsx"
	has "column Q (整改情况) is for an item closed on 2020-05-06 (上月以来已销号): nothing to return for it" "the closed row"
}

# A million rows of a rejected sheet: memory stays flat, the rejects shown
# are bounded and reading stops with a message.
test_a_huge_rejected_sheet_costs_little_memory() {
	copy huge
	$PY - "$d/huge.xlsx" 1000000 <<'PYEOF' || { bad "generating"; return; }
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
        f.write(('<row r="1">' + cell("A1", "问题编号") + cell("B1", "整改情况") + cell("C1", "整改日期") + cell("D1", "经办人") + "</row>").encode())
        chunk = []
        for r in range(2, n + 2):
            chunk.append(f'<row r="{r}">' + cell(f"A{r}", f"S209901-{r:07d}") + cell(f"B{r}", "已整改")
                         + cell(f"C{r}", "2020-05-06") + cell(f"D{r}", "某某") + "</row>")
            if len(chunk) == 10000:
                f.write("".join(chunk).encode())
                chunk = []
        f.write("".join(chunk).encode())
        f.write(b"</sheetData></worksheet>")
PYEOF
	before=$(dbstate "$db")
	/usr/bin/time -f %M -o "$d/rss" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/huge.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && ok || { bad "a huge rejected sheet should exit 1"; tail -n 3 "$TMP/err"; }
	rss=$(tail -n 1 "$d/rss")
	[ "$rss" -lt 150000 ] && ok || bad "peak memory $rss KiB for a rejected million-row sheet (want < 150 MB)"
	has "stopped reading" "the reader says where it stopped"
	n=$(grep -c "is not an item of the 2020-04 work lists" "$TMP/err")
	[ "$n" -le 1000 ] && [ "$n" -ge 100 ] && ok || bad "at most 1000 rejects are listed, got $n"
	has "more rejected rows" "the rest are counted"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "nothing is loaded"
}

# A second writer holding the database: bangfu-ledger waits, then exits 1 saying so.
test_a_busy_database_is_exit_1_with_a_message() {
	copy busy
	$PY "$FILL" "$TMP/lists/$NX" "$d/r.xlsx" "S202004-0004=已整改|2020-05-06|张经办" || { bad "filling"; return; }
	$PY - "$db" <<'PYEOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
time.sleep(3)
c.execute("ROLLBACK")
PYEOF
	holder=$!
	sleep 0.5
	BANGFU_BUSY_TIMEOUT_MS=300 expect_exit 1 "bangfu-ledger against a held write lock" \
		"$BIN/bangfu-ledger" --db "$db" --period 2020-04 "$d/r.xlsx"
	has "another bangfu stage is writing" "the message says why"
	wait $holder
	[ "$(loaded)" = "0 0" ] && ok || bad "nothing loaded under the lock"
}

# The returns come back as the packages went out (bangfu-pack): loose or in
# zips, with the check sheets and 填报说明 beside them, which are passed over.
test_returns_found_in_a_folder_and_its_zips() {
	copy from
	mkdir -p "$d/back/宁乡市" "$d/back/浏阳市"
	$PY "$FILL" "$TMP/lists/$NX" "$d/nx.xlsx" "S202004-0004=已整改|2020-05-06|张经办" &&
		$PY "$FILL" "$TMP/lists/$LY" "$d/back/浏阳市/$LY" "S202004-0001=整改中|2020-05-07|陈经办" || { bad "filling"; return; }
	$PY - "$d/nx.xlsx" "$d/back/宁乡市/宁乡市报回.zip" "$NX" <<'PYEOF' || { bad "zipping"; return; }
import sys, zipfile, openpyxl
src, out, name = sys.argv[1:4]
other = openpyxl.Workbook()
other.active.append(["抽查编号", "核查结果"])
other.save(src + ".other.xlsx")
with zipfile.ZipFile(out, "w") as z:
    z.write(src, name)
    z.write(src + ".other.xlsx", "抽查核实表_长沙市_宁乡市_2020-04.xlsx")
PYEOF
	printf '抽查编号,核查结果\n' >"$d/back/浏阳市/抽查核实表.csv"
	expect_exit 0 "a folder of returns" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 --from "$d/back"
	has "4 returned work lists of 2020-04 (0 unchanged since loaded, 2 passed over: no work list)" "what was found"
	[ "$(q "$db" "SELECT group_concat(code || ' ' || status || ' ' || file_counties, ', ') FROM (SELECT * FROM v_ledger_return ORDER BY code)")" = \
		"S202004-0001 ongoing 长沙市浏阳市, S202004-0004 done 长沙市宁乡市" ] && ok || bad "both counties' returns: $(q "$db" "SELECT code, status FROM v_ledger_return")"
	# a bad work list in a zip is named by the zip and its entry
	$PY "$FILL" "$TMP/lists/$NX" "$d/bad.xlsx" "S202004-0005=已办|2020-05-06|张经办" &&
		$PY -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1], 'w').write(sys.argv[2], sys.argv[3])" \
			"$d/again.zip" "$d/bad.xlsx" "$NX" && mkdir -p "$d/again" && mv "$d/again.zip" "$d/again/" || { bad "zipping"; return; }
	expect_exit 1 "a bad list in a zip" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 --from "$d/again"
	has "again.zip: $NX: sheet 花明楼镇: row 7: column Q (整改情况) must be one of" "the zip and its entry named"
}

test_a_period_not_reconciled_is_refused() {
	copy unreconciled
	expect_exit 1 "returns for a month without data" "$BIN/bangfu-ledger" --db "$db" --period 2020-05 "$TMP/lists/$NX"
	has "no reconcile result for 2020-05" "says what is missing"
}

# External problem lists: every bad row named, a bad list loads nothing,
# another list of the same run loads.
test_bad_problem_lists_are_named_and_load_nothing() {
	copy problems
	p1=$(q "$db" "SELECT id_number FROM person WHERE name = '王一' LIMIT 1")
	{
		echo "问题来源,县市区,乡镇,证件号码,问题描述,发现日期,整改时限"
		echo "回头看,宁乡市,花明楼镇,,帮扶措施未落实,2020-04-21,"
		echo "巡视,宁乡市,花明楼镇,,帮扶措施未落实,2020-04-21,"
		echo "回头看,宁乡县,,,帮扶措施未落实,2020-04-21,"
		echo "回头看,宁乡市,花明镇,,帮扶措施未落实,2020-04-21,"
		echo "回头看,宁乡市,,,,2020-04-21,"
		echo "回头看,宁乡市,,,帮扶措施未落实,四月,"
		echo "回头看,宁乡市,,,帮扶措施未落实,$TOMORROW,"
		echo "回头看,宁乡市,,,帮扶措施未落实,2020-04-21,2020-04-01"
		echo "回头看,宁乡市,,43018219850101011X,帮扶措施未落实,2020-04-21,"
		echo ",宁乡市,,,帮扶措施未落实,2020-04-21,"
	} | iconv -f UTF-8 -t GB18030 >"$d/bad.csv"
	printf '县市区,问题描述,发现日期\n浏阳市,督查发现：岗位推送未落实,2020-04-22\n' >"$d/good.csv"
	printf '县市区,问题描述\n宁乡市,帮扶措施未落实\n' >"$d/nodate.csv"
	expect_exit 1 "bad problem lists" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 --problems "$d/bad.csv" \
		--problems "$d/good.csv" --problems "$d/nodate.csv" --source 督查
	for want in "bad.csv:3:1: 问题来源 must be one of 回头看, 督查 (联点督查), 12317, 其他" \
		"bad.csv:4:2: 县市区 is no county of the data" "bad.csv:5:3: 乡镇 is no township of that county in the data" \
		"bad.csv:6:5: 问题描述 is empty" "bad.csv:7:6: 发现日期 is not a date" "bad.csv:8:6: 发现日期 is after today" \
		"bad.csv:9:7: 整改时限 is before 发现日期 2020-04-21" "bad.csv:10:4: 证件号码 is not a valid ID number" \
		"nodate.csv" "2 of 3 files rejected"; do
		has "$want" "the reject"
	done
	grep -q "帮扶措施未落实" "$TMP/err" && bad "a cell is echoed" || ok
	# row 11 has no 问题来源: --source 督查 applies; but its file is rejected
	[ "$(q "$db" "SELECT group_concat(kind || ' ' || county || ' ' || found_on || ' ' || file_name) FROM ledger_external
		WHERE file_name <> '回头看.csv' AND file_name <> '督查.csv'")" = "inspection 浏阳市 2020-04-22 good.csv" ] && ok ||
		bad "only the good list is loaded: $(q "$db" "SELECT kind, file_name FROM ledger_external")"
	[ "$(q "$db" "SELECT code FROM ledger_code WHERE problem_key LIKE 'external:inspection:2020-04-22:%'")" = D202004-0002 ] && ok ||
		bad "the new item has its code"
	# a list without 问题来源 and without --source
	printf '县市区,问题描述,发现日期\n浏阳市,另一个问题,2020-04-23\n' >"$d/nosource.csv"
	expect_exit 1 "no source" "$BIN/bangfu-ledger" --db "$db" --period 2020-04 --problems "$d/nosource.csv"
	has "nosource.csv:2: 问题来源 is empty and no --source was given" "says where it comes from is missing"
	grep -q "$p1" "$TMP/err" && bad "an ID is echoed" || ok
}

# A database of schema 009 (before the ledger) with findings in it: the
# upgrade widens the kinds, fills in what the findings were made on and
# takes the proposed ID out of an invalid ID's detail; the next sync gives
# the same ledger as a database made today.
test_a_database_of_the_schema_before_the_ledger_is_upgraded() {
	copy upgrade
	want=$(q "$db" "SELECT problem_key, kind, person_key, household_id, detail FROM problem_seen ORDER BY 1, 2")
	q "$db" "DROP VIEW v_finding; DROP VIEW v_ledger; DROP VIEW v_ledger_return;
		DROP TABLE ledger_code; DROP TABLE ledger_external; DROP TABLE ledger_return; DROP TABLE ledger_file;
		DROP TABLE ledger_rule; DROP TABLE ledger_contact; DROP TABLE ledger_item;
		ALTER TABLE problem DROP COLUMN person_key; ALTER TABLE problem DROP COLUMN household_id;
		CREATE TABLE ps AS SELECT period, problem_key, kind, scope_key, city, county, township, village, subject, name,
			detail, responsible FROM problem_seen;
		DROP TABLE problem_seen;
		CREATE TABLE problem_seen (period TEXT NOT NULL, problem_key TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN
			('not_entered', 'conflict', 'invalid_id', 'duplicate', 'zero_household', 'recalibrate')),
			scope_key TEXT NOT NULL, city TEXT, county TEXT, township TEXT, village TEXT, subject TEXT NOT NULL,
			name TEXT, detail TEXT, responsible TEXT NOT NULL, PRIMARY KEY (problem_key, period));
		INSERT INTO problem_seen SELECT * FROM ps; DROP TABLE ps;
		CREATE INDEX problem_seen_period ON problem_seen (period);
		DELETE FROM schema_version WHERE version = 10;" || { bad "back to schema 009"; return; }
	# an invalid ID as 009 described it, with the proposed repair in the text
	q "$db" "INSERT INTO problem_seen SELECT '2020-03', 'invalid_id:hr:4301:宁乡市:花明楼镇:某', 'invalid_id',
		'county:长沙市|宁乡市', '长沙市', '宁乡市', '花明楼镇', NULL, '4301', '某', '省平台：bad_length；建议改为 430182198501010116',
		'花明楼镇就业扶贫经办'"
	# a stage that only reads upgrades the schema
	"$BIN/bangfu-report" -q --db "$db" --period 2020-04 --out "$d/r.xlsx" 2>"$TMP/err" || { bad "upgrading"; cat "$TMP/err"; return; }
	[ "$(q "$db" "SELECT count(*) FROM schema_version WHERE version = 10")" = 1 ] && ok || bad "schema 010 applied"
	[ "$(q "$db" "SELECT detail FROM problem_seen WHERE problem_key = 'invalid_id:hr:4301:宁乡市:花明楼镇:某'")" = \
		"省平台：bad_length；有证件号码修正建议" ] && ok || bad "the proposed ID leaves the detail"
	[ "$(q "$db" "SELECT problem_key, kind, person_key, household_id, detail FROM problem_seen WHERE period = '2020-04' ORDER BY 1, 2")" = "$want" ] &&
		ok || bad "the findings after the upgrade: what they were made on filled in"
	q "$db" "DELETE FROM problem_seen WHERE period = '2020-03'"
	"$BIN/bangfu-reconcile" -q --db "$db" --period 2020-04 || { bad "reconcile after the upgrade"; return; }
	[ "$(q "$db" "SELECT code, kind, opened_on, deadline_on FROM v_ledger WHERE origin = 'data' ORDER BY code")" = \
		"$(q "$BASE" "SELECT code, kind, opened_on, deadline_on FROM v_ledger WHERE origin = 'data' ORDER BY code")" ] && ok ||
		bad "the ledger after the upgrade is today's"
}

setup || give_up "could not build April of the ledger story"
run_tests
