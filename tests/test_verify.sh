#!/bin/sh
# End-to-end tests of the check-sheet round trip: bangfu-sample writes the
# sheets, a clerk fills them (openpyxl, as tests/fill_check_sheet.py and the
# cases below do), bangfu-verify loads them back.  The database is a
# generated county set of 岳阳市 (bangfu-gen, 3000 people, seed 3: eight
# counties, 240 sampled persons in the big ones); every test works on its
# own copy.  One behaviour per function.
set -u
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/bin}
TOP=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-verify.XXXXXX")
if [ -n "${KEEP:-}" ]; then echo "keeping $TMP" >&2; else trap 'rm -rf "$TMP"' EXIT; fi
PY=/usr/bin/python3
FILL=$TOP/tests/fill_check_sheet.py
PERIOD=2026-10
TODAY=$(date +%F)
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

q() { sqlite3 -batch "$1" "$2"; }
dbstate() { sqlite3 -batch "$1" .dump 2>/dev/null | md5sum; }

# Run a python check: ok when it exits 0, else its output goes under FAIL.
pycheck() {
	label=$1
	shift
	if $PY - "$@" >"$TMP/py.out" 2>&1; then ok; else bad "$label"; sed 's/^/    /' "$TMP/py.out" | tail -n 15; fi
}

# Expect a command's status: expect STATUS LABEL CMD...; its stderr in $TMP/err.
expect() {
	want=$1 label=$2
	shift 2
	"$@" 2>"$TMP/err"
	got=$?
	if [ "$got" = "$want" ]; then ok; else bad "$label: exit $got, want $want"; sed 's/^/    /' "$TMP/err" | head -n 12; fi
}

has() { # has TEXT LABEL: $TMP/err contains TEXT
	if grep -qF -- "$1" "$TMP/err"; then ok; else bad "$2: stderr lacks '$1'"; sed 's/^/    /' "$TMP/err" | head -n 12; fi
}

setup() {
	"$BIN/bangfu-gen" -q --people 3000 --seed 3 --period $PERIOD --out "$TMP/gen" &&
		"$BIN/bangfu-ingest" -q --db "$TMP/base.db" --period $PERIOD --source roster "$TMP/gen/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$TMP/base.db" --period $PERIOD --source hr "$TMP/gen/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$TMP/base.db" --period $PERIOD
}

# A copy of the reconciled database in $TMP/NAME with its sample drawn:
# sheets in $TMP/NAME/sheets.  Sets d and db.
sampled() {
	d=$TMP/$1
	db=$d/db
	mkdir -p "$d"
	cp "$TMP/base.db" "$db"
	"$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --out "$d/sheets"
}

book_of() { ls "$d"/sheets/*"$1"*.xlsx; }

test_a_file_of_the_same_name_from_another_county_is_another_file() {
	sampled names || { bad "setup"; return; }
	mkdir -p "$d/a" "$d/b" "$d/a2" "$d/c"
	$PY "$FILL" "$(book_of 临湘市)" "$d/a/x.xlsx" "$($PY -c 'print("A" * 240)')" &&
		$PY "$FILL" "$(book_of 华容县)" "$d/b/x.xlsx" "$($PY -c 'print("A" * 240)')" || { bad "filling"; return; }
	expect 0 "first county" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/a/x.xlsx"
	expect 0 "second county, same file name" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/b/x.xlsx"
	got=$(q "$db" "SELECT s.county, count(*) FROM check_result c JOIN sample s USING (period, sample_code)
		GROUP BY 1 ORDER BY 1" | tr '\n' ' ')
	[ "$got" = "临湘市|240 华容县|240 " ] && ok || bad "both counties' answers must stay: $got"
	[ "$(q "$db" "SELECT count(*) FROM check_file WHERE file_name = 'x.xlsx'")" = 2 ] && ok ||
		bad "two files named x.xlsx from two counties are two files"
	# A corrected 临湘市 file: the first township answered again (one 不准确),
	# the second township's answers emptied; the rest as before.
	$PY "$FILL" "$(book_of 临湘市)" "$d/a2/x.xlsx" "$($PY -c 'print("I" + "A" * 29 + "-" * 30 + "A" * 180)')" ||
		{ bad "filling"; return; }
	expect 0 "reload" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/a2/x.xlsx"
	got=$(q "$db" "SELECT count(*), sum(result = 'inaccurate') FROM check_result")
	[ "$got" = "480|1" ] && ok || bad "a reload replaces what it answers and keeps the rest: $got"
	has "kept" "a reload that leaves earlier answers empty says so"
	# Another file answering an item already answered: two answers for one person.
	first=$(q "$db" "SELECT sample_code FROM sample WHERE county = '临湘市' ORDER BY sample_code LIMIT 1")
	printf '抽查编号,核查结果,核查方式,核查日期\n%s,准确,电话回访,%s\n' "$first" "$TODAY" >"$d/c/x.csv"
	before=$(dbstate "$db")
	expect 1 "another file answering the same person" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/c/x.csv"
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
	expect 0 "the corrected file after the upgrade" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/v2/x.xlsx"
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
	expect 0 "edited headers" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/edited.xlsx"
	[ "$(q "$db" "SELECT count(*) FROM check_result")" = 238 ] && ok ||
		bad "every answer of the edited sheets must load (238): $(q "$db" "SELECT count(*) FROM check_result")"
	t4=$(sed -n 4p "$d/towns")
	has "$t4: 2 of 30 sampled persons have no row" "deleted rows reported per township"
	rm -f "$db" && cp "$TMP/base.db" "$db" && "$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --out "$d/sheets" || return
	before=$(dbstate "$db")
	expect 1 "a claimed sheet without a readable header" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/broken.xlsx"
	t1=$(sed -n 1p "$d/towns")
	has "broken.xlsx: sheet $t1: row 3" "the unreadable sheet named with its row"
	has "核查结果" "the missing column named"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "an unreadable sheet loads nothing"
}

test_a_failed_sample_commits_nothing() {
	d=$TMP/nohr
	mkdir -p "$d"
	"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source roster "$TMP/gen/roster.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$d/db" --period $PERIOD || { bad "setup"; return; }
	expect 1 "no platform persons yet" "$BIN/bangfu-sample" --db "$d/db" --period $PERIOD --out "$d/s1"
	[ "$(q "$d/db" "SELECT count(*) FROM sample_plan")" = 0 ] && ok || bad "a failed sample must not leave a plan"
	"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source hr "$TMP/gen/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$d/db" --period $PERIOD || { bad "setup 2"; return; }
	expect 0 "sample once the platform is loaded" "$BIN/bangfu-sample" --db "$d/db" --period $PERIOD --out "$d/s2/new/folder"
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
	expect 1 "a workbook that cannot be written" "$BIN/bangfu-sample" --db "$d/db" --period $PERIOD --out "$d/out"
	[ "$(dbstate "$d/db")" = "$before" ] && ok || bad "a failed write of the sheets must commit nothing"
	[ -z "$(ls -A "$d/out" | grep -v '^抽查核实表_岳阳市_临湘市')" ] && ok || bad "a failed write leaves no workbook"
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
	expect 1 "dates outside the check window" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret.csv"
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
	BANGFU_BUSY_TIMEOUT_MS=300 expect 1 "verify against a held write lock" \
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
	expect 0 "verify" "$BIN/bangfu-verify" --db "$db" --period $PERIOD --out "$d/lists" "$d/r.xlsx"
	expect 0 "verify --full-id" "$BIN/bangfu-verify" --db "$db" --period $PERIOD --full-id --out "$d/full" "$d/r.xlsx"
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
	expect 1 "bad cells" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret.csv"
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
	expect 1 "bad cell in a workbook" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret.xlsx"
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
	expect 0 "platform names on the returned sheets" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d"/ret-*.xlsx
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
	expect 0 "Excel dates" "$BIN/bangfu-verify" --db "$db" --period $PERIOD "$d/ret.xlsx"
	[ "$(q "$db" "SELECT count(*), min(check_date), max(check_date) FROM check_result")" = "120|$TODAY|$TODAY" ] && ok ||
		bad "serial dates read as days: $(q "$db" "SELECT count(*), min(check_date), max(check_date) FROM check_result")"
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

if setup; then
	ok
	for t in $(sed -n 's/^\(test_[a-z0-9_]*\)() {$/\1/p' "$0"); do
		$t
	done
else
	bad "could not build the reconciled database"
fi

echo "verify: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
