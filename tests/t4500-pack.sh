#!/bin/sh
# bangfu-pack and the way back: a month of a generated county set of 岳阳市
# (generated_county in lib.sh, for 2020-10, a month the 2017 subsidy rules
# cover) run as scripts/run-period.sh lays it out — check sheets, one
# township of 临湘市 that must recalibrate, township work lists, subsidy
# lists — packed one zip per county; then the counties' returns, loose and
# in zips (one made on Chinese Windows, its names in GB18030), loaded with
# one bangfu-verify --from.
. "$(dirname "$0")/lib.sh"
PERIOD=2020-10
FILL=$TOP/tests/fill_check_sheet.py
M=$TMP/month

# The files of the month, and the database they were written from: 临湘市
# returned its sheets once already, with one township below 90%.
month() {
	generated_county &&
		"$BIN/bangfu-sample" -q --db "$TMP/base.db" --period $PERIOD --out "$M/check-sheets" &&
		mkdir -p "$TMP/first" &&
		$PY "$FILL" "$M"/check-sheets/*_临湘市_*.xlsx "$TMP/first/抽查核实表_岳阳市_临湘市_$PERIOD.xlsx" \
			"$($PY -c 'print("A" * 30 + "I" * 6 + "A" * 204)')" &&
		"$BIN/bangfu-verify" -q --db "$TMP/base.db" --period $PERIOD --out "$M/recalibrate" "$TMP"/first/*.xlsx &&
		"$BIN/bangfu-report" -q --db "$TMP/base.db" --period $PERIOD --out "$M/progress.xlsx" --townships "$M/townships" \
			--followup "$M/followup" &&
		"$BIN/bangfu-screen" -q --db "$TMP/base.db" --period $PERIOD --out "$M/subsidies"
}

# Nothing to pack, and a zip that cannot be written: exit 1, no zip, no
# temporary file left.
test_a_failed_pack_writes_nothing() {
	cp "$TMP/base.db" "$TMP/fail.db"
	expect_exit 1 "no folder to pack" "$BIN/bangfu-pack" --db "$TMP/fail.db" --period $PERIOD --from "$TMP/nowhere" \
		--out "$TMP/p0"
	has "nothing to pack" "says there is nothing"
	[ ! -e "$TMP/p0" ] || [ -z "$(ls -A "$TMP/p0")" ] && ok || bad "no zip when there is nothing to pack"
	mkdir -p "$TMP/p1/下发材料_岳阳市_平江县_$PERIOD.zip"
	expect_exit 1 "a zip that cannot be written" "$BIN/bangfu-pack" --db "$TMP/fail.db" --period $PERIOD --from "$M" \
		--out "$TMP/p1"
	has "下发材料_岳阳市_平江县_$PERIOD.zip" "the zip is named"
	[ "$(ls -A "$TMP/p1")" = "下发材料_岳阳市_平江县_$PERIOD.zip" ] && ok ||
		bad "whole or not at all: $(ls -A "$TMP/p1" | tr '\n' ' ')"
	expect_exit 1 "another period" "$BIN/bangfu-pack" --db "$TMP/fail.db" --period 2020-09 --from "$M" --out "$TMP/p2"
	has "2020-09 has no persons" "a period without persons"
}

test_one_zip_per_county_with_its_files() {
	expect_exit 0 "pack" "$BIN/bangfu-pack" --db "$TMP/base.db" --period $PERIOD --from "$M" --out "$TMP/packages" \
		--due 2020-11-20
	has "wrote 8 zips" "a zip per county"
	pycheck "what each zip holds" "$TMP/packages" "$M" "$TMP/base.db" <<'EOF'
import glob, os, sqlite3, stat, sys, zipfile
packages, month, db = sys.argv[1:4]
period = "2020-10"
counties = [r[0] for r in sqlite3.connect(db).execute(
    "SELECT DISTINCT county FROM person WHERE period = ? ORDER BY 1", (period,))]
zips = sorted(glob.glob(packages + "/*.zip"))
assert [os.path.basename(z) for z in zips] == sorted(f"下发材料_岳阳市_{c}_{period}.zip" for c in counties), zips
recalibrate = {os.path.basename(p) for p in glob.glob(month + "/recalibrate/*.xlsx")}
assert len(recalibrate) == 1 and "_临湘市_" in next(iter(recalibrate)), recalibrate
subsidies = followups = 0
for z in zips:
    assert stat.S_IMODE(os.stat(z).st_mode) == 0o600, (z, oct(os.stat(z).st_mode))
    county = os.path.basename(z).split("_")[2]
    with zipfile.ZipFile(z) as f:
        assert f.testzip() is None
        infos = f.infolist()
        names = [i.filename for i in infos]
        assert all(i.flag_bits & 0x800 for i in infos), "UTF-8 names, flagged"
        assert names[0] == "填报说明.xlsx", names
        want = [f"抽查核实表_岳阳市_{county}_{period}.xlsx", f"乡镇工作清单_岳阳市_{county}_{period}.xlsx"]
        assert names[1:3] == want, (names, want)
        rest = names[3:]
        if rest and rest[0].startswith("乡镇跟进名单"):
            assert rest[0] == f"乡镇跟进名单_岳阳市_{county}_{period}.xlsx", rest
            followups += 1
            rest = rest[1:]
        if rest and rest[0].startswith("补贴筛选名单"):
            assert rest[0] == f"补贴筛选名单_岳阳市_{county}_{period}.xlsx", rest
            subsidies += 1
            rest = rest[1:]
        assert rest == (sorted(recalibrate) if county == "临湘市" else []), (county, rest)
        for name in names[1:]:
            kind = {"抽查核实表": "check-sheets", "乡镇工作清单": "townships", "乡镇跟进名单": "followup",
                    "补贴筛选名单": "subsidies", "重新校准清单": "recalibrate"}[name.split("_")[0]]
            assert f.read(name) == open(f"{month}/{kind}/{name}", "rb").read(), name
assert subsidies >= 1, "no subsidy list packed"
followup = {os.path.basename(p) for p in glob.glob(month + "/followup/*.xlsx")}
assert followups == len(followup) >= 1, ("every follow-up workbook packed", followups, followup)
EOF
	pycheck "the 填报说明" "$TMP/packages" <<'EOF'
import io, sys, zipfile, openpyxl
z = zipfile.ZipFile(sys.argv[1] + "/下发材料_岳阳市_临湘市_2020-10.zip")
wb = openpyxl.load_workbook(io.BytesIO(z.read("填报说明.xlsx")))
assert wb.sheetnames == ["填报说明", "文件清单"], wb.sheetnames
ws = wb["填报说明"]
notes = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(4, ws.max_row + 1)}
for k in ["本包内容", "抽查核实表", "乡镇工作清单", "重新校准清单", "报回期限", "怎样报回", "个人信息"]:
    assert k in notes, (k, list(notes))
assert "2020-11-20" in notes["报回期限"], notes["报回期限"]
assert "备注" in notes["抽查核实表"], notes["抽查核实表"]
ws = wb["文件清单"]
files = [ws.cell(r, 2).value for r in range(4, ws.max_row + 1)]
assert files == [n for n in z.namelist() if n != "填报说明.xlsx"], (files, z.namelist())
EOF
	# one county only, by name
	expect_exit 0 "one county" "$BIN/bangfu-pack" --db "$TMP/base.db" --period $PERIOD --from "$M" --out "$TMP/one" \
		--county 华容县
	[ "$(ls "$TMP/one")" = "下发材料_岳阳市_华容县_$PERIOD.zip" ] && ok || bad "--county: $(ls "$TMP/one")"
}

# The counties send back what they received: 临湘市 its whole package
# zipped again on Chinese Windows (names in GB18030, no UTF-8 flag, the
# 填报说明 and work list still in it), 华容县 its check sheet loose in a
# folder of its own, 平江县 last month's sheet.  One command loads the two
# good returns, passes over what is no check sheet, refuses the third with
# its 退回说明, and loading the folder again changes nothing.
test_returned_files_load_in_one_command() {
	db=$TMP/back.db
	cp "$TMP/base.db" "$db"
	r=$TMP/returned
	mkdir -p "$r/华容县" "$TMP/unz"
	(cd "$TMP/unz" && $PY -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall()' \
		"$TMP/packages/下发材料_岳阳市_临湘市_$PERIOD.zip") || { bad "unzipping"; return; }
	$PY "$FILL" "$TMP/unz/抽查核实表_岳阳市_临湘市_$PERIOD.xlsx" "$TMP/unz/filled.xlsx" \
		"$($PY -c 'print("A" * 240)')" || { bad "filling"; return; }
	mv "$TMP/unz/filled.xlsx" "$TMP/unz/抽查核实表_岳阳市_临湘市_$PERIOD.xlsx"
	$PY - "$TMP/unz" "$r/临湘市报回.zip" <<'EOF' || { bad "zipping as Chinese Windows does"; return; }
import os, sys, zipfile
src, dst = sys.argv[1:3]
names = sorted(os.listdir(src))
# zipfile writes non-ASCII names as UTF-8 with the flag; Windows' own zip
# writes them in the ANSI code page (GB18030 on Chinese Windows) without it:
# write placeholders of the same length and put the GB18030 bytes in.
placeholders = {}
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for i, name in enumerate(names):
        raw = name.encode("gb18030")
        ph = (f"{i:03d}" + "x" * len(raw))[:len(raw)]
        assert len(ph) == len(raw)
        placeholders[ph.encode()] = raw
        z.write(os.path.join(src, name), ph)
data = open(dst, "rb").read()
for ph, raw in placeholders.items():
    assert data.count(ph) == 2, ph
    data = data.replace(ph, raw)
open(dst, "wb").write(data)
EOF
	$PY "$FILL" "$M/check-sheets/抽查核实表_岳阳市_华容县_$PERIOD.xlsx" "$r/华容县/抽查核实表_岳阳市_华容县_$PERIOD.xlsx" \
		"$($PY -c 'print("A" * 240)')" || { bad "filling"; return; }
	$PY - "$M/check-sheets/抽查核实表_岳阳市_平江县_$PERIOD.xlsx" "$r/平江县.xlsx" <<'EOF' || { bad "last month"; return; }
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets[1:]:
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, 1).value:
            ws.cell(r, 1).value = ws.cell(r, 1).value.replace("202010-", "202009-")
wb.save(sys.argv[2])
EOF
	echo "县里的说明" >"$r/说明.txt"
	mkdir -p "$TMP/unpacked"
	TMPDIR=$TMP/unpacked expect_exit 1 "a folder of returns with one refused" "$BIN/bangfu-verify" --db "$db" \
		--period $PERIOD --from "$r" --notices "$TMP/notices"
	got=$(q "$db" "SELECT s.county, count(*) FROM check_result c JOIN sample s USING (period, sample_code)
		GROUP BY 1 ORDER BY 1" | tr '\n' ' ')
	[ "$got" = "临湘市|240 华容县|240 " ] && ok || bad "both good returns load: $got"
	has "临湘市报回.zip: 抽查核实表_岳阳市_临湘市_$PERIOD.xlsx: 240 answers loaded" "the file in the GB18030 zip, named"
	has "临湘市报回.zip: 乡镇工作清单_岳阳市_临湘市_$PERIOD.xlsx: passed over" "a work list is passed over"
	has "华容县/抽查核实表_岳阳市_华容县_$PERIOD.xlsx: 240 answers loaded" "the loose file, with its folder"
	has "平江县.xlsx: is a check sheet of 2020-09" "last month's sheet"
	has "说明.txt: not a returned file" "what is not a returned file is said"
	has "files refused: 平江县.xlsx" "the refused file listed"
	grep -q "填报说明" "$TMP/err" && bad "the 填报说明 is left out without a word" || ok
	[ -f "$TMP/notices/退回说明_平江县.xlsx" ] && ok || bad "a 退回说明 for 平江县"
	[ -z "$(ls -A "$TMP/unpacked")" ] && ok || bad "the unpacked files are removed: $(ls -A "$TMP/unpacked")"
	before=$(dbstate "$db")
	sleep 1
	expect_exit 1 "the same folder again" "$BIN/bangfu-verify" --db "$db" --period $PERIOD --from "$r" -v
	has "0 loaded, 2 unchanged, 1 refused" "the loaded files are recognised"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "loading the folder again changes nothing"
}

test_verify_from_a_folder_that_is_not_there_is_exit_1() {
	expect_exit 1 "--from nowhere" "$BIN/bangfu-verify" --db "$TMP/base.db" --period $PERIOD --from "$TMP/nowhere"
	has "nowhere: no folder of returned files there" "the message"
}

month || give_up "could not make the month's files"
run_tests
