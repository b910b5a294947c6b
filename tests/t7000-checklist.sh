#!/bin/sh
# End-to-end tests of bangfu-checklist and the problem list (挂单销号): two
# consecutive months of hand-made data (tests/data/checklist/, see make.py
# there) where some problems of April are fixed in May and others are not.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/long_names.sh"
DATA=$TOP/tests/data/checklist
TASKS=$TOP/templates/tasks_2020.csv

# Both months loaded and reconciled; every sampled person answered, two of
# 花明楼镇's April answers inaccurate (below 90%: recalibrate), 网岭镇 not
# answered in April (undecided).  Check results go in by SQL: this tests the
# checklist, not the reading of check sheets; bangfu-verify without files
# then brings the findings up to date with the verdicts, as it does after
# loading sheets.
DB=$TMP/two.db
setup() {
	for p in 2020-04 2020-05; do
		tag=$(echo $p | tr -d -)
		"$BIN/bangfu-ingest" -q --db "$DB" --period $p --source roster "$DATA/roster_$tag.csv" &&
			"$BIN/bangfu-ingest" -q --db "$DB" --period $p --source hr "$DATA/hr_$tag.csv" &&
			"$BIN/bangfu-reconcile" -q --db "$DB" --period $p &&
			"$BIN/bangfu-sample" -q --db "$DB" --period $p --out "$TMP/sheets-$p" || return 1
	done
	q "$DB" "INSERT INTO check_result (period, sample_code, result, method, check_date, file_name, row, loaded_at)
		SELECT period, sample_code,
		       CASE WHEN period = '2020-04' AND township = '花明楼镇' AND draw_rank <= 2 THEN 'inaccurate' ELSE 'accurate' END,
		       '电话回访', period || '-08', 'test.csv', draw_rank, '2020-06-01T00:00:00Z'
		FROM sample WHERE NOT (period = '2020-04' AND township = '网岭镇')" &&
		"$BIN/bangfu-verify" -q --db "$DB" --period 2020-04 && "$BIN/bangfu-verify" -q --db "$DB" --period 2020-05
}

# The value of a (sheet, row label, column label) cell of a workbook; rows
# found by the text of column A..B joined with '/'.
cell() {
	$PY - "$@" <<'PYEOF'
import sys, openpyxl
book, sheet, key, col = sys.argv[1:5]
ws = openpyxl.load_workbook(book)[sheet]
head = [c.value for c in ws[3]]
c = head.index(col)
for row in ws.iter_rows(min_row=4, values_only=True):
    label = "/".join(str(v) for v in row[:2] if v is not None)
    if label == key:
        print(row[c]); break
else:
    print("NO ROW " + key)
PYEOF
}

# The status of one indicator row of a county on a 市州 sheet: the rows of a
# task follow its task row, so look for the county row after the task number.
status_of() {
	$PY - "$@" <<'PYEOF'
import sys, openpyxl
book, sheet, number, county, indicator = sys.argv[1:6]
ws = openpyxl.load_workbook(book)[sheet]
head = [c.value for c in ws[3]]
in_task = False
for row in ws.iter_rows(min_row=4, values_only=True):
    if row[0]:
        in_task = row[0] == number
    elif in_task and row[1] == county and indicator in (row[head.index("指标")] or ""):
        print(row[head.index("状态")]); break
else:
    print("NO ROW")
PYEOF
}

test_task_template_matches_the_notice() {
	$PY - "$TASKS" "$DATA/notice.txt" <<'PYEOF' && ok || bad "tasks_2020.csv against the notice"
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
notice = re.sub(r"\s+", "", open(sys.argv[2], encoding="utf-8").read())
# every task and sub-item of section 四 and the checklist of 五（三）, with the notice's deadline
want = {"1.1.1": "05-15", "1.1.2": "05-15", "1.2.1": "05-15", "1.2.2": "05-15", "1.2.3": "05-15",
        "1.3": "05-22", "2.1": "04-30", "2.2.1": "05-22", "2.2.2": "05-22", "2.2.3": "05-22",
        "2.3.1": "06-05", "2.3.2": "06-05", "2.3.3": "06-05", "2.3.4": "06-05",
        "3.1.1": "06-10", "3.1.2": "06-10", "3.1.3": "06-10", "3.2.1": "06-10", "3.2.2": "06-10",
        "3.3.1": "06-10", "3.3.2": "06-10", "3.3.3": "06-10", "4.1": "04-30", "4.2": "05-30",
        "4.3.1": "06-10", "4.3.2": "06-10", "4.3.3": "06-10", "5.3": "06-15"}
first = {}
for r in rows:
    first.setdefault(r["number"], r)
missing = set(want) - set(first)
assert not missing, "tasks missing: %s" % sorted(missing)
extra = set(first) - set(want)
assert not extra, "tasks not in the notice: %s" % sorted(extra)
for n, md in want.items():
    assert first[n]["deadline"] == "2020-" + md, (n, first[n]["deadline"], md)
deadlines = {first[n]["deadline"] for n in first}
for md in ["04-30", "05-15", "05-22", "05-30", "06-05", "06-10", "06-15"]:
    assert "2020-" + md in deadlines, md
    # the notice states each of them
    m, d = int(md[:2]), int(md[3:])
    assert "%d月%d日" % (m, d) in notice, md
for n, r in first.items():
    assert r["task"].replace(" ", "") in notice, ("task title not in the notice", n, r["task"])
    assert r["department"], n
    assert r["action"] == "湘人社函〔2020〕58号", n
    assert r["block"] in notice or r["block"] == "五、工作要求", (n, r["block"])
PYEOF
}

test_problem_list_opens_and_closes_over_two_months() {
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-04 --as-of 2020-05-10 --out "$TMP/april.xlsx" 2>"$TMP/err" ||
		{ bad "checklist for April failed"; cat "$TMP/err"; return; }
	# open after April: what April found (reconcile of May has synced since)
	got=$(q "$DB" "SELECT group_concat(kind || ':' || n, ' ') FROM (SELECT kind, count(*) AS n FROM problem_seen
		WHERE period = '2020-04' GROUP BY kind ORDER BY kind)")
	[ "$got" = "conflict:2 duplicate:1 invalid_id:1 not_entered:3 recalibrate:1 zero_household:1" ] && ok ||
		bad "April open problems: $got"
	[ "$(q "$DB" "SELECT responsible FROM problem WHERE kind = 'recalibrate'")" = "花明楼镇就业扶贫经办" ] && ok ||
		bad "recalibrate item's responsible unit"
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-05 --as-of 2020-06-12 --status "$TMP/status.csv" \
		--out "$TMP/may.xlsx" 2>"$TMP/err" || { bad "checklist for May failed"; cat "$TMP/err"; return; }
	grep -q "1 opened and 6 closed in 2020-05" "$TMP/err" && ok || { bad "May should report 6 closed"; cat "$TMP/err"; }
	# fixed in May: A3 entered, A5's ID corrected (both its items), B3's name, household H7, 花明楼镇 rechecked
	got=$(q "$DB" "SELECT group_concat(kind || '@' || county, ' ') FROM (SELECT kind, county FROM problem
		WHERE closed_period = '2020-05' ORDER BY kind, county)")
	[ "$got" = "conflict@浏阳市 invalid_id@宁乡市 not_entered@宁乡市 not_entered@宁乡市 recalibrate@宁乡市 zero_household@宁乡市" ] && ok ||
		bad "closed in May: $got"
	# not fixed: A4's employer, A6's duplicate, B2 not entered (all from April); B6's phone is new
	got=$(q "$DB" "SELECT group_concat(kind || '@' || county || '@' || opened_period || '@' || coalesce(detail, ''), ' ') FROM
		(SELECT * FROM problem WHERE closed_period IS NULL ORDER BY kind, county)")
	[ "$got" = "conflict@宁乡市@2020-04@就业单位 conflict@浏阳市@2020-05@联系电话 duplicate@宁乡市@2020-04@扶贫系统 2 行 not_entered@浏阳市@2020-04@" ] && ok ||
		bad "open after May: $got"
	[ "$(q "$DB" "SELECT count(*) FROM v_problem WHERE state = 'open' AND age_months >= 1")" = 3 ] && ok ||
		bad "three items should be a month old"
	[ "$(q "$DB" "SELECT found || ' ' || opened || ' ' || closed FROM problem_sync_run WHERE period = '2020-05'")" = "4 1 6" ] && ok ||
		bad "sync run counts for May"
}

test_resync_is_idempotent_in_any_order() {
	before=$(q "$DB" "SELECT group_concat(problem_key || opened_period || last_seen_period || coalesce(closed_period, '-'), ';') FROM problem")
	ledger_before=$(q "$DB" "SELECT group_concat(code || kind || opened_on || deadline_on || coalesce(closed_on, '-') || coalesce(basis, '-'), ';') FROM (SELECT * FROM ledger_item ORDER BY code)")
	"$BIN/bangfu-reconcile" -q --db "$DB" --period 2020-05 || bad "reconcile May again"
	"$BIN/bangfu-reconcile" -q --db "$DB" --period 2020-04 || bad "reconcile April again"
	after=$(q "$DB" "SELECT group_concat(problem_key || opened_period || last_seen_period || coalesce(closed_period, '-'), ';') FROM problem")
	[ "$before" = "$after" ] && ok || bad "re-syncing May, then April, changed the problem list"
	[ "$(q "$DB" "SELECT group_concat(code || kind || opened_on || deadline_on || coalesce(closed_on, '-') || coalesce(basis, '-'), ';') FROM (SELECT * FROM ledger_item ORDER BY code)")" = "$ledger_before" ] &&
		ok || bad "re-syncing May, then April, changed the ledger or its codes"
	# the checklist only reads: running it leaves the database as it was
	state=$(dbstate "$DB")
	"$BIN/bangfu-checklist" -q --db "$DB" --period 2020-05 --as-of 2020-06-12 --out "$TMP/again.xlsx" || bad "rerun May"
	"$BIN/bangfu-checklist" -q --db "$DB" --period 2020-04 --as-of 2020-05-10 --out "$TMP/again.xlsx" || bad "rerun April"
	[ "$(dbstate "$DB")" = "$state" ] && ok || bad "the checklist changed the database"
	# a report for April still shows April's list
	[ "$(cell "$TMP/again.xlsx" 问题清单 长沙市/宁乡市 在办)" = 7 ] && ok || bad "April's 问题清单 for 宁乡市"
}

test_statuses_in_the_workbook() {
	book=$TMP/may.xlsx
	[ -f "$book" ] || { bad "no May workbook"; return; }
	[ "$(stat -c %a "$book")" = 600 ] && ok || bad "the checklist should be mode 0600"
	ls -A "$TMP" | grep -q 'may\.xlsx\.' && bad "a temporary file was left" || ok
	$PY - "$book" <<'PYEOF' && ok || bad "sheets of the workbook"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
# GB/T 2260 order; a 问题台账 per county with items (攸县 has none)
assert wb.sheetnames == ["汇总", "长沙市", "株洲市", "问题清单", "浏阳市问题台账", "宁乡市问题台账", "说明"], wb.sheetnames
ws = wb["汇总"]
assert "2020-06-12" in ws["A1"].value
assert [c.value for c in ws[3]][:5] == ["编号", "工作任务", "责任部门", "完成时限", "市州"]
assert ws.page_setup.orientation == "landscape"
PYEOF
	# 浏阳市: B5's registration is stale and the deadline (5-15) has passed; 攸县: C2 is current
	[ "$(status_of "$book" 长沙市 '（一）1.（1）' 浏阳市 返乡回流)" = 逾期 ] && ok || bad "浏阳市 returnees should be 逾期"
	[ "$(status_of "$book" 株洲市 '（一）1.（1）' 攸县 返乡回流)" = 已完成 ] && ok || bad "攸县 returnees should be 已完成"
	# 宁乡市: every roster person entered in May; 浏阳市: B2 still not
	[ "$(status_of "$book" 长沙市 '（一）1.（1）' 宁乡市 录入省平台)" = 已完成 ] && ok || bad "宁乡市 roster entered"
	[ "$(status_of "$book" 长沙市 '（一）1.（1）' 浏阳市 录入省平台)" = 逾期 ] && ok || bad "浏阳市 roster not entered"
	# the recalibrated township is closed; 宁乡市's conflict stays open past 5-22
	[ "$(status_of "$book" 长沙市 '（一）3.' 宁乡市 重新校准)" = 已完成 ] && ok || bad "宁乡市 recalibration done"
	[ "$(status_of "$book" 长沙市 '（一）3.' 宁乡市 不一致)" = 逾期 ] && ok || bad "宁乡市 conflicts overdue"
	[ "$(status_of "$book" 长沙市 '（二）3.（3）' 宁乡市 零就业)" = 已完成 ] && ok || bad "宁乡市 zero households cleared"
	# reported: 宁乡市 done; 浏阳市 in progress after the deadline; 株洲市 for all its counties
	[ "$(status_of "$book" 长沙市 '（二）1.' 宁乡市 报送)" = 已完成 ] && ok || bad "宁乡市 2.1 reported done"
	[ "$(status_of "$book" 长沙市 '（二）1.' 浏阳市 报送)" = 逾期 ] && ok || bad "浏阳市 2.1 in progress past 4-30"
	[ "$(status_of "$book" 株洲市 '（二）1.' 攸县 报送)" = 已完成 ] && ok || bad "株洲市 row for all its counties"
	# not reported and not yet due (6-15 > 6-12)
	[ "$(status_of "$book" 株洲市 '（五）3.' 攸县 报送)" = 未开始 ] && ok || bad "5.3 not due yet"
	# 汇总: 2.1 over the 3 counties
	$PY - "$book" <<'PYEOF' && ok || bad "汇总 counts for 2.1"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["汇总"]
head = [c.value for c in ws[3]]
rows = [r for r in ws.iter_rows(min_row=4, values_only=True)]
i = [r[0] for r in rows].index("（二）1.")
total, cs, zz = rows[i], rows[i + 1], rows[i + 2]
get = lambda r, k: r[head.index(k)]
assert (get(total, "县市区数"), get(total, "已完成"), get(total, "逾期")) == (3, 2, 1), total
assert get(zz, "市州") == "株洲市" and get(zz, "已完成") == 1, zz
assert get(cs, "市州") == "长沙市" and get(cs, "逾期") == 1 and abs(get(cs, "完成率") - 0.5) < 1e-9, cs
PYEOF
	# 问题清单: 宁乡市 open 2 (both overdue), 4 closed in May; 浏阳市 open 2, one new
	[ "$(cell "$book" 问题清单 长沙市/宁乡市 在办)" = 2 ] && ok || bad "宁乡市 open"
	[ "$(cell "$book" 问题清单 长沙市/宁乡市 其中逾期)" = 2 ] && ok || bad "宁乡市 overdue"
	[ "$(cell "$book" 问题清单 长沙市/宁乡市 本期销号)" = 5 ] && ok || bad "宁乡市 closed in May"
	[ "$(cell "$book" 问题清单 长沙市/浏阳市 本期新增)" = 1 ] && ok || bad "浏阳市 new in May"
	[ "$(cell "$book" 问题清单 合计 在办)" = 4 ] && ok || bad "合计 open"
}

# 问题台账: every item of a county, the overdue first, with its code,
# 整改时限, state on the as-of day, days open, 销号日期 and 销号依据; a filter
# over the columns; no name, ID or phone (the checklist goes to leadership).
test_each_county_has_its_ledger_itemised() {
	book=$TMP/may.xlsx
	pycheck "宁乡市问题台账" "$book" "$DB" <<'PYEOF'
import re, sqlite3, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
ws = wb["宁乡市问题台账"]
assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A3:"), ws.auto_filter.ref
head = [c.value for c in ws[3]]
assert head == ["问题编号", "事项", "乡镇", "行政村", "情况", "责任单位", "责任人", "挂单日期", "整改时限", "状态",
                "挂单天数", "超期天数", "销号日期", "销号依据", "乡镇报送", "备注"], head
rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=4, values_only=True)]
got = [(r["问题编号"], r["事项"], r["挂单日期"], r["整改时限"], r["状态"], r["挂单天数"], r["超期天数"], r["销号日期"])
       for r in rows]
# A4's employer (April, 15 days) and A6's duplicate are overdue on 2020-06-12; five closed by May's data
assert got[:2] == [("S202004-0005", "信息不一致", "2020-04-30", "2020-05-15", "逾期", 43, 28, None),
                   ("S202004-0007", "重复记录", "2020-04-30", "2020-05-15", "逾期", 43, 28, None)], got[:2]
assert [g[4] for g in got[2:]] == ["已销号"] * 5, got
assert {g[1] for g in got[2:]} == {"未录入省平台", "证件号码无效", "零就业家庭", "需重新校准乡镇"}, got
assert all(g[7] == "2020-05-31" and g[5] == 31 for g in got[2:]), got
assert all(r["销号依据"] == "数据核实（2020-05 数据不再发现）" for r in rows[2:]), rows
ids = {i for (i,) in db.execute("SELECT id_number FROM person")} | {n for (n,) in db.execute("SELECT name FROM person")}
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            assert not (isinstance(v, str) and v in ids), (ws.title, v)
            assert not (isinstance(v, str) and re.search(r"\d{11}", v)), (ws.title, v)
PYEOF
}

# --ledger DIR: the 销号台账 of every county with items, CSV (UTF-8 with BOM)
# for the statistician: names, IDs masked unless --full-id, every column of
# the ledger; written with the workbook.
test_the_ledger_csv_of_each_county() {
	"$BIN/bangfu-checklist" -q --db "$DB" --period 2020-05 --as-of 2020-06-12 --out "$TMP/csv.xlsx" \
		--ledger "$TMP/ledger" || { bad "checklist --ledger"; return; }
	[ "$(ls "$TMP/ledger" | tr '\n' ' ')" = "销号台账_长沙市_宁乡市_2020-05.csv 销号台账_长沙市_浏阳市_2020-05.csv " ] && ok ||
		bad "one 销号台账 per county with items: $(ls "$TMP/ledger")"
	[ "$(stat -c %a "$TMP/ledger/销号台账_长沙市_宁乡市_2020-05.csv")" = 600 ] && ok || bad "销号台账 mode 0600"
	pycheck "销号台账 of 宁乡市" "$TMP/ledger/销号台账_长沙市_宁乡市_2020-05.csv" "$DB" <<'PYEOF'
import csv, sqlite3, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
db = sqlite3.connect(sys.argv[2])
assert [r["问题编号"] for r in rows] == ["S202004-0005", "S202004-0007", "S202004-0003", "S202004-0004",
                                      "S202004-0006", "S202004-0008", "S202004-0009"], [r["问题编号"] for r in rows]
a4 = rows[0]
assert (a4["姓名"], a4["状态"], a4["整改时限"], a4["责任单位"]) == ("赵四", "逾期", "2020-05-15", "花明楼镇就业扶贫经办"), a4
whole = db.execute("SELECT id_number FROM person WHERE name = '赵四' LIMIT 1").fetchone()[0]
assert a4["证件号码"] == whole[:6] + "*" * 8 + whole[-4:], a4["证件号码"]
assert rows[5]["户编号"] == "H7" and rows[5]["证件号码"] == "", rows[5]
assert rows[2]["销号依据"] == "数据核实（2020-05 数据不再发现）" and rows[2]["销号日期"] == "2020-05-31", rows[2]
PYEOF
	"$BIN/bangfu-checklist" -q --db "$DB" --period 2020-05 --as-of 2020-06-12 --out "$TMP/csv.xlsx" \
		--ledger "$TMP/ledger-full" --full-id || { bad "checklist --ledger --full-id"; return; }
	whole=$(q "$DB" "SELECT id_number FROM person WHERE name = '赵四' LIMIT 1")
	grep -q "$whole" "$TMP/ledger-full/销号台账_长沙市_宁乡市_2020-05.csv" && ok || bad "--full-id: the whole ID in the 销号台账"
	grep -q "$whole" "$TMP/ledger/销号台账_长沙市_宁乡市_2020-05.csv" && bad "without --full-id the ID must be masked" || ok
}

# The checklist reads the findings; it does not make them.  When the
# township verdicts changed after the last sync, it says what to run.
test_stale_findings_are_refused_with_what_to_run() {
	db=$TMP/stale.db
	cp "$DB" "$db"
	q "$db" "UPDATE check_result SET result = 'inaccurate' WHERE period = '2020-05' AND sample_code IN
		(SELECT sample_code FROM sample WHERE period = '2020-05' AND township = '集里街道' AND draw_rank <= 3)"
	before=$(dbstate "$db")
	expect_exit 1 "a checklist on stale findings" "$BIN/bangfu-checklist" --db "$db" --period 2020-05 \
		--as-of 2020-06-12 --out "$TMP/stale.xlsx"
	has "run bangfu-ledger --period 2020-05" "the message says what to run"
	[ ! -e "$TMP/stale.xlsx" ] && [ "$(dbstate "$db")" = "$before" ] && ok || bad "nothing written, nothing changed"
	"$BIN/bangfu-ledger" -q --db "$db" --period 2020-05 && ok || bad "bangfu-ledger brings the findings up to date"
	"$BIN/bangfu-checklist" -q --db "$db" --period 2020-05 --as-of 2020-06-12 --out "$TMP/stale.xlsx" && ok ||
		bad "the checklist after bangfu-ledger"
	[ "$(q "$db" "SELECT count(*) FROM ledger_item WHERE kind = 'recalibrate' AND township = '集里街道' AND closed_on IS NULL")" = 1 ] &&
		ok || bad "集里街道 below 90% in May is an open item"
}

test_bad_status_file_is_rejected_with_lines() {
	{
		echo "县市区,任务编号,完成状态,情况说明"
		echo "宁乡市,2.1,已完成,ok"
		echo "宁乡市,9.9,已完成,"
		echo "宁乡市,2.2.1,差不多,"
		echo "不存在县,2.2.2,已完成,"
		echo "宁乡市,1.3,已完成,"
		echo "宁乡市,2.1,进行中,"
		echo "浏阳市,2.3.1,逾期,"
	} | iconv -f UTF-8 -t GB18030 >"$TMP/bad.csv"
	before=$(dbstate "$DB")
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-05 --as-of 2020-06-12 --status "$TMP/bad.csv" \
		--out "$TMP/bad.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && ok || bad "a bad --status file should exit 1"
	for want in "bad.csv:3:2: unknown task number '9.9'" "bad.csv:4:3: status '差不多'" "bad.csv:5:1: unknown county '不存在县'" \
		"bad.csv:6:2: task 1.3 is measured from the database" "bad.csv:7:2: task 2.1 of 宁乡市 is already reported on line 2" \
		"bad.csv:8:3: 逾期 is decided" "6 rows rejected"; do
		grep -qF "$want" "$TMP/err" && ok || { bad "stderr lacks: $want"; sed 's/^/    /' "$TMP/err"; }
	done
	[ ! -e "$TMP/bad.xlsx" ] && ok || bad "no workbook should be written"
	[ "$(dbstate "$DB")" = "$before" ] && ok || bad "a rejected --status must leave the database as it was"
	printf '县市区,完成状态\n宁乡市,已完成\n' >"$TMP/nocol.csv"
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-05 --as-of 2020-06-12 --status "$TMP/nocol.csv" \
		--out "$TMP/bad.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "nocol.csv" "$TMP/err" && ok || { bad "a status file without 任务编号 should exit 1"; cat "$TMP/err"; }
}

test_bad_arguments_and_templates() {
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-05 --as-of 2020-02-30 --out "$TMP/x.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "2020-02-30" "$TMP/err" && ok || bad "an impossible --as-of should exit 1"
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-05 --as-of 2020-04-01 --out "$TMP/x.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "before the period" "$TMP/err" && ok || bad "--as-of before the period should exit 1"
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-07 --as-of 2020-07-10 --out "$TMP/x.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "no reconcile result for 2020-07" "$TMP/err" && ok || { bad "unreconciled period should exit 1"; cat "$TMP/err"; }
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-05 --out "$TMP/x.xlsx" 2>/dev/null
	[ $? -eq 2 ] && ok || bad "missing --as-of should be a usage error"
	"$BIN/bangfu-checklist" --help | grep -q "usage:" && ok || bad "--help"
	{
		head -n 1 "$TASKS"
		echo "湘人社函〔2020〕58号,（一）x,1.1.1,t,r,县级人社部门,2020-05-32,,,"
		echo "湘人社函〔2020〕58号,（一）x,1.2,t,r,县级人社部门,2020-05-15,,nonsense,zero"
		echo "湘人社函〔2020〕58号,（一）x,1.3,t,r,县级人社部门,2020-05-15,,conflicts_open,ratio>=2"
		echo "湘人社函〔2020〕58号,（一）x,一.1,t,r,县级人社部门,2020-05-15,,,"
	} >"$TMP/tasks.csv"
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-05 --as-of 2020-06-12 --tasks "$TMP/tasks.csv" \
		--out "$TMP/x.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && ok || bad "a bad tasks template should exit 1"
	for want in "tasks.csv:2:7: deadline '2020-05-32'" "tasks.csv:3:9: unknown metric 'nonsense'" \
		"tasks.csv:4:10: rule 'ratio>=2'" "tasks.csv:5:3: number '一.1'"; do
		grep -qF "$want" "$TMP/err" && ok || { bad "stderr lacks: $want"; sed 's/^/    /' "$TMP/err"; }
	done
	# another year's action is another file, not code
	{
		head -n 1 "$TASKS"
		echo "某文件〔2021〕1号,（一）校准,1.1,校准,r,县级人社部门,2021-05-15,,roster_not_entered,zero"
	} >"$TMP/tasks2021.csv"
	"$BIN/bangfu-checklist" -q --db "$DB" --period 2020-05 --as-of 2020-06-12 --tasks "$TMP/tasks2021.csv" \
		--out "$TMP/y.xlsx" && [ "$(status_of "$TMP/y.xlsx" 长沙市 '（一）1.' 浏阳市 录入)" = 进行中 ] && ok ||
		bad "a 2021 template: 浏阳市 not yet due"
}

test_a_deadline_day_is_still_on_time() {
	# 2.1 (deadline 2020-04-30) reported 进行中 by 浏阳市; 4.2 (2020-05-30) measured, 宁乡市 still has open items
	for day in 2020-04-30:进行中 2020-05-01:逾期; do
		"$BIN/bangfu-checklist" -q --db "$DB" --period 2020-04 --as-of "${day%:*}" --status "$TMP/status.csv" \
			--out "$TMP/deadline.xlsx" || { bad "checklist as of ${day%:*} failed"; continue; }
		got=$(status_of "$TMP/deadline.xlsx" 长沙市 '（二）1.' 浏阳市 报送)
		[ "$got" = "${day#*:}" ] && ok || bad "2.1 of 浏阳市 as of ${day%:*}: $got, expected ${day#*:}"
	done
	for day in 2020-05-30:进行中 2020-05-31:逾期; do
		"$BIN/bangfu-checklist" -q --db "$DB" --period 2020-05 --as-of "${day%:*}" --status "$TMP/status.csv" \
			--out "$TMP/deadline.xlsx" || { bad "checklist as of ${day%:*} failed"; continue; }
		got=$(status_of "$TMP/deadline.xlsx" 长沙市 '（四）2.' 宁乡市 挂单销号)
		[ "$got" = "${day#*:}" ] && ok || bad "4.2 of 宁乡市 as of ${day%:*}: $got, expected ${day#*:}"
	done
}

test_summary_tells_the_sub_items_of_a_task_apart() {
	$PY - "$TMP/may.xlsx" <<'PYEOF' && ok || bad "汇总: every task number its own title"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["汇总"]
rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
titles = [r[1] for r in rows]
assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)
got = {r[0]: r[1] for r in rows}
assert got["（一）2.（1）"] == "入企校准用工需求：动态掌握企业岗位需求", got["（一）2.（1）"]
assert got["（一）1.（1）"].startswith("强化返乡回流监测：返乡回流人员登记14日内更新"), got["（一）1.（1）"]
assert got["（二）2.（1）"] == "突出宣讲引导：开展入户宣传", got["（二）2.（1）"]
assert got["（一）3."] == "加强抽查核实", got["（一）3."]
PYEOF
}

test_notes_name_files_not_server_paths() {
	$PY - "$TMP/may.xlsx" "$TOP" "$TMP" <<'PYEOF' && ok || bad "说明 should name files, not paths"
import re, sys, openpyxl
book, top, tmp = sys.argv[1:4]
ws = openpyxl.load_workbook(book)["说明"]
text = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
assert any("任务清单：tasks_2020.csv" in v for v in text), text
assert any(v.startswith("status.csv（") for v in text), text
for v in text:
    assert top not in v and tmp not in v, v
    assert not re.search(r"(?<![\w.])/(?:[\w.-]+/)+[\w.-]+", v), v
PYEOF
}

test_every_sheet_fits_its_text() {
	layout_check "$TMP/may.xlsx" >"$TMP/layout.out" && ok ||
		{ bad "checklist: text cut or rows too low"; sed 's/^/    /' "$TMP/layout.out"; }
	$PY - "$TMP/may.xlsx" <<'PYEOF' && ok || bad "说明 rows of long text need their height"
import math, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["说明"]
width = ws.column_dimensions["B"].width
def lines(s):
    return sum(math.ceil(max(1, sum(2 if ord(c) > 0x2E7F else 1 for c in l)) / (1.05 * width)) for l in str(s).split("\n"))
long = {r: lines(ws.cell(r, 2).value) for r in range(4, ws.max_row + 1) if lines(ws.cell(r, 2).value or "") > 1}
short = [r for r, n in long.items() if (ws.row_dimensions[r].height or 15) < 11 * n]
assert long and not short, (long, short)
PYEOF
}

test_a_province_of_long_place_names_in_gbt2260_order() {
	long=$TMP/long
	long_names_province "$long" 2020-05 3000 &&
		"$BIN/bangfu-checklist" -q --db "$long/bangfu.db" --period 2020-05 --as-of 2020-06-12 --out "$long/checklist.xlsx" ||
		{ bad "long names: the checklist failed"; return; }
	layout_check "$long/checklist.xlsx" >"$TMP/layout.out" && ok ||
		{ bad "long names: text cut or rows too low"; sed 's/^/    /' "$TMP/layout.out"; }
	$PY - "$long/checklist.xlsx" "$TOP/data/gbt2260_counties.csv" <<'PYEOF' && ok || bad "long names: order and widths"
import csv, sys, openpyxl
book, regions = sys.argv[1:3]
order = {}
with open(regions, encoding="utf-8") as f:
    for r in csv.DictReader(f):
        order.setdefault(r["city"], int(r["city_code"]))
wb = openpyxl.load_workbook(book)
cities = wb.sheetnames[1:wb.sheetnames.index("问题清单")]
assert "湘西土家族苗族自治州" in cities, cities
assert cities == sorted(cities, key=order.get) and cities != sorted(cities), cities
ws = wb["汇总"]
head = [c.value for c in ws[3]]
rows = list(ws.iter_rows(min_row=4, values_only=True))
first = [r[head.index("市州")] for r in rows[1:1 + len(cities)]]
assert first == cities, (first, cities)
col = openpyxl.utils.get_column_letter(head.index("市州") + 1)
assert ws.column_dimensions[col].width >= 20, ws.column_dimensions[col].width
pl = wb["问题清单"]
counties = [r[1] for r in pl.iter_rows(min_row=4, values_only=True) if r[1] and r[1] not in ("小计", "")]
assert counties, counties
PYEOF
}

# Every cell of the checklist of both months, against the files in
# tests/data/checklist/ (UPDATE_EXPECTED=1 rewrites them; see tests/lib.sh):
# April as of 2020-05-10, May as of 2020-06-12 with the counties' status
# file.  Last, so that the months have been synced in every order above:
# a period's checklist shows the list as it stood after that period.
test_the_workbooks_are_the_expected_cells() {
	for run in 2020-04,2020-05-10 2020-05,2020-06-12,--status; do
		p=${run%%,*} asof=$(echo $run | cut -d, -f2) status=$(echo $run | cut -d, -f3)
		if "$BIN/bangfu-checklist" -q --db "$DB" --period $p --as-of $asof --unit 湖南省人社厅 \
			${status:+--status "$TMP/status.csv"} --out "$TMP/checklist-$p.xlsx" 2>"$TMP/err"; then
			expect_cells "checklist $p as of $asof" "$DATA/checklist-$p.cells" "$TMP/checklist-$p.xlsx"
		else
			bad "checklist $p"
			sed 's/^/    /' "$TMP/err"
		fi
	done
}

printf '市州,县市区,任务编号,完成状态,情况说明\n长沙市,宁乡市,2.1,已完成,5月1日已在县政府网站发布\n,浏阳市,2.1,进行中,清单印制中\n株洲市,,2.1,已完成,全市统一发布\n' |
	iconv -f UTF-8 -t GB18030 >"$TMP/status.csv"
setup || give_up "could not build the two-month database"
run_tests
