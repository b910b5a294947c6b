#!/bin/sh
# The ledger (挂单销号) over three months, as a county lives it
# (tests/data/ledger/make.py tells the people): findings of the data opened
# in April, external lists (回头看, 督查, then 12317) loaded, the township
# work lists written, filled in and returned, May's data closing some and
# the returns others, a 就业转失业 that needs both, and in June a return of
# 已整改 that the data contradicts: reopened.  Every code, date, state and
# count is asserted — in the database, the township work lists and the
# checklist.  The tests follow one another: each month builds on the last.
. "$(dirname "$0")/lib.sh"
DATA=$TOP/tests/data/ledger
FILL=$TOP/tests/fill_work_list.py
DB=$TMP/story.db

month() {
	tag=$(echo "$1" | tr -d -)
	"$BIN/bangfu-ingest" -q --db "$DB" --period "$1" --source roster "$DATA/roster_$tag.csv" &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period "$1" --source hr "$DATA/hr_$tag.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$DB" --period "$1"
}

# The township work lists of a month into $TMP/lists-MONTH.
lists() {
	"$BIN/bangfu-report" -q --db "$DB" --period "$1" --out "$TMP/report-$1.xlsx" --townships "$TMP/lists-$1"
}

# The ledger as rows "code kind state closed_on basis", in code order.
ledger() {
	q "$DB" "SELECT code || ' ' || kind || ' ' || state || ' ' || coalesce(closed_on, '-') || ' ' || coalesce(basis, '-')
		FROM v_ledger ORDER BY code"
}

# ledger_is TEXT LABEL: ledger() prints the lines of TEXT.
ledger_is() {
	got=$(ledger)
	if [ "$got" = "$1" ]; then ok; else
		bad "$2"
		echo "$got" | diff - /dev/fd/3 3<<EOF | sed 's/^/    /'
$1
EOF
	fi
}

# counts BOOK COUNTY: the 问题清单 row of a county (or 合计): 在办 逾期 本期新增
# 本期销号 累计销号.
counts() {
	$PY - "$@" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["问题清单"]
head = [c.value for c in ws[3]]
for row in ws.iter_rows(min_row=4, values_only=True):
    if sys.argv[2] in (row[0], row[1]) and row[1] != "小计":
        print(" ".join(str(row[head.index(k)]) for k in ["在办", "其中逾期", "本期新增", "本期销号", "累计销号"]))
        break
else:
    print("NO ROW")
PYEOF
}

# work_rows BOOK SHEET: the rows of a township's work list, "code state deadline days", the
# closed ones after a line "--".
work_rows() {
	$PY - "$@" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]
head = [c.value for c in ws[3]]
for row in ws.iter_rows(min_row=4, values_only=True):
    if row[0] == "上月以来已销号":
        print("--")
        continue
    r = dict(zip(head, row))
    print(r["问题编号"], r["状态"], r["整改时限"], r["挂单天数"], r["整改日期"] or "-")
PYEOF
}

# ---- month 1: April ----

test_month_1_the_data_and_two_external_lists_open_items() {
	month 2020-04 || { bad "April"; return; }
	expect_exit 0 "the 回头看 and 督查 lists" "$BIN/bangfu-ledger" --db "$DB" --period 2020-04 \
		--problems "$DATA/回头看.csv" --problems "$DATA/督查.csv" --source 督查
	has "2 problem lists (0 unchanged since loaded): 2 rows, 2 new problems" "what was loaded"
	# codes: the data's by place (浏阳市 before 宁乡市 in GB/T 2260), kind and
	# ID; an external list's by its source and month
	got=$(q "$DB" "SELECT group_concat(code || ' ' || kind || ' ' || county || ' ' || opened_on || ' ' || deadline_on, '; ')
		FROM (SELECT * FROM v_ledger ORDER BY code)")
	want="D202004-0001 inspection 宁乡市 2020-04-25 2020-05-25; H202004-0001 lookback 宁乡市 2020-04-20 2020-05-20"
	want="$want; S202004-0001 not_entered 浏阳市 2020-04-30 2020-05-10; S202004-0002 not_entered 宁乡市 2020-04-30 2020-05-10"
	want="$want; S202004-0003 not_entered 宁乡市 2020-04-30 2020-05-10; S202004-0004 conflict 宁乡市 2020-04-30 2020-05-15"
	want="$want; S202004-0005 conflict 宁乡市 2020-04-30 2020-05-15; S202004-0006 zero_household 宁乡市 2020-04-30 2020-05-30"
	[ "$got" = "$want" ] && ok || { bad "April's ledger"; echo "    got:  $got"; echo "    want: $want"; }
	[ "$(q "$DB" "SELECT name || ' ' || responsible FROM v_ledger WHERE code = 'D202004-0001'")" = "王一 宁乡市人社局" ] &&
		ok || bad "督查: the person and the unit the list names"
	[ "$(q "$DB" "SELECT subject FROM ledger_item WHERE code = 'D202004-0001'")" = \
		"$(q "$DB" "SELECT id_number FROM person WHERE name = '王一' LIMIT 1")" ] && ok || bad "督查: the ID as the list gives it"
	[ "$(q "$DB" "SELECT responsible || ' ' || household_id FROM v_ledger WHERE code = 'H202004-0001'")" = "花明楼镇就业扶贫经办 H5" ] &&
		ok || bad "回头看: the township's unit, the household"
	# loading the same lists again is recognised
	"$BIN/bangfu-ledger" --db "$DB" --period 2020-04 --problems "$DATA/回头看.csv" 2>"$TMP/err" &&
		has "(1 unchanged since loaded)" "a list loaded again is unchanged" || bad "reload of a list"
	[ "$(q "$DB" "SELECT count(*) FROM ledger_external")" = 2 ] && ok || bad "nothing loaded twice"
}

test_month_1_the_work_lists_carry_codes_deadlines_and_days() {
	lists 2020-04 || { bad "April's lists"; return; }
	[ "$(ls "$TMP/lists-2020-04" | tr '\n' ' ')" = "乡镇工作清单_长沙市_宁乡市_2020-04.xlsx 乡镇工作清单_长沙市_浏阳市_2020-04.xlsx " ] &&
		ok || bad "a workbook per county: $(ls "$TMP/lists-2020-04")"
	# days as of the month's last day; open items only; the 4 kinds in their order, then the external ones
	got=$(work_rows "$TMP/lists-2020-04/乡镇工作清单_长沙市_宁乡市_2020-04.xlsx" 花明楼镇 | tr '\n' ';')
	want="S202004-0002 在办 2020-05-10 0 -;S202004-0003 在办 2020-05-10 0 -;S202004-0004 在办 2020-05-15 0 -;"
	want="${want}S202004-0005 在办 2020-05-15 0 -;S202004-0006 在办 2020-05-30 0 -;H202004-0001 在办 2020-05-20 10 -;"
	want="${want}D202004-0001 在办 2020-05-25 5 -;"
	[ "$got" = "$want" ] && ok || { bad "花明楼镇's April list"; echo "    got:  $got"; echo "    want: $want"; }
	[ "$(work_rows "$TMP/lists-2020-04/乡镇工作清单_长沙市_浏阳市_2020-04.xlsx" 集里街道)" = "S202004-0001 在办 2020-05-10 0 -" ] &&
		ok || bad "集里街道's April list"
	cp "$DB" "$TMP/april.db"
}

test_month_1_the_townships_return_their_list() {
	$PY "$FILL" "$TMP/lists-2020-04/乡镇工作清单_长沙市_宁乡市_2020-04.xlsx" "$TMP/ret-04.xlsx" \
		"S202004-0004=已整改|2020-05-06|张经办" "S202004-0005=整改中|2020-05-07|张经办" \
		"S202004-0003=无法整改|2020-05-08|张经办|本人长期在外务工，无法联系" \
		"S202004-0006=整改中|2020-05-08|张经办||刘帮扶" "H202004-0001=已整改|2020-05-10|李经办" ||
		{ bad "filling"; return; }
	expect_exit 0 "April's returned list" "$BIN/bangfu-ledger" --db "$DB" --period 2020-04 "$TMP/ret-04.xlsx"
	has "7 rows read, 5 returns loaded (已整改 2, 整改中 2, 无法整改 1), 2 rows not returned" "what was loaded"
	[ "$(q "$DB" "SELECT group_concat(code || ' ' || status || ' ' || fixed_on || ' ' || coalesce(helper, '-'), '; ')
		FROM (SELECT * FROM v_ledger_return ORDER BY code)")" = "H202004-0001 done 2020-05-10 -; S202004-0003 unable 2020-05-08 -; S202004-0004 done 2020-05-06 -; S202004-0005 ongoing 2020-05-07 -; S202004-0006 ongoing 2020-05-08 刘帮扶" ] &&
		ok || bad "the returns: $(q "$DB" "SELECT code, status, fixed_on FROM v_ledger_return")"
	[ "$(q "$DB" "SELECT file_counties FROM ledger_return LIMIT 1")" = 长沙市宁乡市 ] && ok || bad "a file is known by its counties"
}

test_month_1_checklist_as_of_may_12() {
	"$BIN/bangfu-checklist" -q --db "$DB" --period 2020-04 --as-of 2020-05-12 --out "$TMP/checklist-04.xlsx" ||
		{ bad "April's checklist"; return; }
	# returned 已整改: closed by the return, dated by it; the rest open, the
	# not-entered past their 10 days
	ledger_is "D202004-0001 inspection overdue - -
H202004-0001 lookback closed 2020-05-10 return
S202004-0001 not_entered overdue - -
S202004-0002 not_entered overdue - -
S202004-0003 not_entered overdue - -
S202004-0004 conflict closed 2020-05-06 return
S202004-0005 conflict overdue - -
S202004-0006 zero_household overdue - -" "the ledger after April's returns (today)"
	[ "$(counts "$TMP/checklist-04.xlsx" 宁乡市)" = "5 2 7 0 2" ] && ok || bad "宁乡市 in April: $(counts "$TMP/checklist-04.xlsx" 宁乡市)"
	[ "$(counts "$TMP/checklist-04.xlsx" 浏阳市)" = "1 1 1 0 0" ] && ok || bad "浏阳市 in April: $(counts "$TMP/checklist-04.xlsx" 浏阳市)"
	[ "$(counts "$TMP/checklist-04.xlsx" 合计)" = "6 3 8 0 2" ] && ok || bad "合计 in April: $(counts "$TMP/checklist-04.xlsx" 合计)"
	pycheck "宁乡市问题台账 in April" "$TMP/checklist-04.xlsx" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["宁乡市问题台账"]
head = [c.value for c in ws[3]]
rows = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=4, values_only=True)}
p2 = rows["S202004-0004"]
assert (p2["状态"], p2["销号日期"], p2["销号依据"], p2["挂单天数"]) == ("已销号", "2020-05-06", "乡镇报结", 6), p2
assert p2["乡镇报送"] == "已整改 2020-05-06（2020-04 清单，经办人 张经办）", p2["乡镇报送"]
p4 = rows["S202004-0003"]
assert (p4["状态"], p4["超期天数"]) == ("逾期", 2), p4
assert p4["备注"] == "整改说明：本人长期在外务工，无法联系", p4["备注"]
assert rows["S202004-0005"]["状态"] == "在办" and rows["S202004-0005"]["超期天数"] is None
assert list(rows)[:3] == ["S202004-0002", "S202004-0003", "S202004-0005"], list(rows)  # the overdue first
PYEOF
}

# ---- month 2: May ----

test_month_2_the_data_closes_what_it_no_longer_finds() {
	month 2020-05 || { bad "May"; return; }
	$PY - "$TMP/12317.xlsx" <<'PYEOF' || { bad "writing the 12317 list"; return; }
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "12317投诉"
ws.append(["宁乡市 12317 投诉问题清单"])
ws.append(["工单号", "问题来源", "县市区", "乡镇", "证件号码", "姓名", "问题描述", "受理日期"])
ws.append(["TS20200512001", "12317", "宁乡市", "花明楼镇", "430182198701010153", "赵三",
           "来电反映就业信息登记有误，联系电话 13812345678", "2020-05-12"])
wb.save(sys.argv[1])
PYEOF
	expect_exit 0 "the 12317 list" "$BIN/bangfu-ledger" --db "$DB" --period 2020-05 --problems "$TMP/12317.xlsx"
	# P1 entered: closed by the data, on May's last day.  P2 corrected: the
	# township's 5-06 and the data, dated by the return.  New: 郑八 on the
	# platform only, 周六 就业转失业, the 12317 complaint (15 days).
	ledger_is "D202004-0001 inspection overdue - -
H202004-0001 lookback closed 2020-05-10 return
S202004-0001 not_entered overdue - -
S202004-0002 not_entered closed 2020-05-31 data
S202004-0003 not_entered overdue - -
S202004-0004 conflict closed 2020-05-06 data+return
S202004-0005 conflict overdue - -
S202004-0006 zero_household overdue - -
S202005-0001 hr_only overdue - -
S202005-0002 became_unemployed overdue - -
T202005-0001 hotline overdue - -" "the ledger after May's data"
	[ "$(q "$DB" "SELECT group_concat(code || ' ' || opened_on || ' ' || deadline_on || ' ' || closed_by, '; ') FROM
		(SELECT * FROM v_ledger WHERE opened_period = '2020-05' ORDER BY code)")" = "S202005-0001 2020-05-31 2020-06-15 either; S202005-0002 2020-05-31 2020-06-14 both; T202005-0001 2020-05-12 2020-05-27 return" ] &&
		ok || bad "May's new items: $(q "$DB" "SELECT code, opened_on, deadline_on FROM v_ledger WHERE opened_period = '2020-05'")"
	[ "$(q "$DB" "SELECT detail FROM v_ledger WHERE code = 'S202005-0002'")" = "2020-04 已就业，2020-05 未就业" ] && ok ||
		bad "就业转失业's evidence"
}

test_month_2_the_work_lists_show_open_and_closed_since_april() {
	lists 2020-05 || { bad "May's lists"; return; }
	got=$(work_rows "$TMP/lists-2020-05/乡镇工作清单_长沙市_宁乡市_2020-05.xlsx" 花明楼镇 | tr '\n' ';')
	want="S202004-0003 逾期；2020-05-08 报无法整改 2020-05-10 31 -;S202004-0005 逾期；2020-05-07 报整改中 2020-05-15 31 -;"
	want="${want}S202004-0006 逾期；2020-05-08 报整改中 2020-05-30 31 -;S202005-0002 在办 2020-06-14 0 -;"
	want="${want}D202004-0001 逾期 2020-05-25 36 -;T202005-0001 逾期 2020-05-27 19 -;--;"
	want="${want}S202004-0002 已销号 2020-05-10 31 2020-05-31;S202004-0004 已销号 2020-05-15 6 2020-05-06;"
	want="${want}H202004-0001 已销号 2020-05-20 20 2020-05-10;"
	[ "$got" = "$want" ] && ok || { bad "花明楼镇's May list"; echo "    got:  $got"; echo "    want: $want"; }
	pycheck "May's list: helpers, masks, the basis of a close" "$TMP/lists-2020-05/乡镇工作清单_长沙市_宁乡市_2020-05.xlsx" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["花明楼镇"]
head = [c.value for c in ws[3]]
rows = {r[1]: dict(zip(head, r)) for r in ws.iter_rows(min_row=4, values_only=True) if r[1]}
assert rows["S202004-0006"]["帮扶责任人"] == "刘帮扶", rows["S202004-0006"]   # as returned in April
assert rows["S202004-0006"]["姓名"] == "孙五、孙五妻"
t = rows["T202005-0001"]
assert t["证件号码"] == "430182********0153" and "138****5678" in t["情况"] and "13812345678" not in t["情况"], t
assert rows["S202004-0004"]["整改说明"] == "乡镇报结、数据核实（2020-05 数据不再发现）", rows["S202004-0004"]
assert rows["S202004-0004"]["整改情况"] == "已销号"
assert "自 2020-04 起挂单" in rows["S202004-0005"]["情况"] and "自" not in rows["S202004-0002"]["情况"]
PYEOF
}

test_month_2_returns_of_two_counties_in_two_forms() {
	$PY "$FILL" "$TMP/lists-2020-05/乡镇工作清单_长沙市_宁乡市_2020-05.xlsx" "$TMP/ret-05.xlsx" \
		"S202004-0005=已整改|2020-06-05|张经办" "S202005-0002=已整改|2020-06-03|张经办||吴帮扶" || { bad "filling"; return; }
	# 浏阳市 sends a CSV saved from Excel (GB18030)
	printf '问题编号,姓名,整改情况,整改日期,经办人\nS202005-0001,郑八,已整改,2020/6/8,陈经办\n' | iconv -t GB18030 >"$TMP/ret-05-浏阳.csv"
	expect_exit 0 "May's returned lists" "$BIN/bangfu-ledger" --db "$DB" --period 2020-05 "$TMP/ret-05.xlsx" "$TMP/ret-05-浏阳.csv"
	has "2 returned work lists of 2020-05" "both files"
	has "3 returns loaded (已整改 3, 整改中 0, 无法整改 0)" "three returns"
}

test_month_2_checklist_as_of_june_12() {
	"$BIN/bangfu-checklist" -q --db "$DB" --period 2020-05 --as-of 2020-06-12 --out "$TMP/checklist-05.xlsx" \
		--ledger "$TMP/ledger-05" || { bad "May's checklist"; return; }
	# 赵三's phone: returned 已整改 6-05, closed by the return; 周六 returned
	# 6-03 but 就业转失业 needs the data too: open; 郑八 closed by the return
	ledger_is "D202004-0001 inspection overdue - -
H202004-0001 lookback closed 2020-05-10 return
S202004-0001 not_entered overdue - -
S202004-0002 not_entered closed 2020-05-31 data
S202004-0003 not_entered overdue - -
S202004-0004 conflict closed 2020-05-06 data+return
S202004-0005 conflict closed 2020-06-05 return
S202004-0006 zero_household overdue - -
S202005-0001 hr_only closed 2020-06-08 return
S202005-0002 became_unemployed overdue - -
T202005-0001 hotline overdue - -" "the ledger after May's returns"
	[ "$(counts "$TMP/checklist-05.xlsx" 宁乡市)" = "5 4 2 3 4" ] && ok || bad "宁乡市 in May: $(counts "$TMP/checklist-05.xlsx" 宁乡市)"
	[ "$(counts "$TMP/checklist-05.xlsx" 浏阳市)" = "1 1 1 0 1" ] && ok || bad "浏阳市 in May: $(counts "$TMP/checklist-05.xlsx" 浏阳市)"
	[ "$(counts "$TMP/checklist-05.xlsx" 合计)" = "6 5 3 3 5" ] && ok || bad "合计 in May: $(counts "$TMP/checklist-05.xlsx" 合计)"
	pycheck "周六 on 2020-06-12: open, not yet due" "$TMP/checklist-05.xlsx" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["宁乡市问题台账"]
head = [c.value for c in ws[3]]
rows = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=4, values_only=True)}
p6 = rows["S202005-0002"]
assert (p6["状态"], p6["整改时限"], p6["挂单天数"]) == ("在办", "2020-06-14", 12), p6
assert p6["乡镇报送"] == "已整改 2020-06-03（2020-05 清单，经办人 张经办）", p6
PYEOF
}

# ---- month 3: June ----

test_month_3_the_data_confirms_reopens_and_closes() {
	month 2020-06 || { bad "June"; return; }
	# 赵三's phone still differs in June's data after the 6-05 已整改: reopened;
	# 孙五 employed: the household closed by the data; 周六 employed: closed by
	# the return and the data, on June's last day; 吴七 entered; 郑八 in the
	# roster (his return 6-08 stands).  The 督查 item about 王一 stays open:
	# only a return closes it, though the data closed 王一's own item in May.
	ledger_is "D202004-0001 inspection overdue - -
H202004-0001 lookback closed 2020-05-10 return
S202004-0001 not_entered closed 2020-06-30 data
S202004-0002 not_entered closed 2020-05-31 data
S202004-0003 not_entered overdue - -
S202004-0004 conflict closed 2020-05-06 data+return
S202004-0005 conflict overdue - -
S202004-0006 zero_household closed 2020-06-30 data
S202005-0001 hr_only closed 2020-06-08 data+return
S202005-0002 became_unemployed closed 2020-06-30 data+return
T202005-0001 hotline overdue - -" "the ledger after June's data"
	[ "$(q "$DB" "SELECT reopened || ' ' || note FROM v_ledger WHERE code = 'S202004-0005'")" = \
		"1 乡镇 2020-06-05 报已整改，2020-06 数据仍有此问题，重新挂单" ] && ok || bad "赵三's item is reopened with a note"
	[ "$(q "$DB" "SELECT count(*) FROM v_ledger WHERE reopened")" = 1 ] && ok || bad "one item reopened"
}

test_month_3_the_work_lists_and_the_last_return() {
	lists 2020-06 || { bad "June's lists"; return; }
	got=$(work_rows "$TMP/lists-2020-06/乡镇工作清单_长沙市_宁乡市_2020-06.xlsx" 花明楼镇 | tr '\n' ';')
	want="S202004-0003 逾期；2020-05-08 报无法整改 2020-05-10 61 -;S202004-0005 逾期，重新挂单；2020-06-05 报已整改 2020-05-15 61 -;"
	want="${want}D202004-0001 逾期 2020-05-25 66 -;T202005-0001 逾期 2020-05-27 49 -;--;"
	want="${want}S202004-0006 已销号 2020-05-30 61 2020-06-30;S202005-0002 已销号 2020-06-14 30 2020-06-30;"
	[ "$got" = "$want" ] && ok || { bad "花明楼镇's June list"; echo "    got:  $got"; echo "    want: $want"; }
	# 集里街道 has nothing open, only what was closed since May
	got=$(work_rows "$TMP/lists-2020-06/乡镇工作清单_长沙市_浏阳市_2020-06.xlsx" 集里街道 | tr '\n' ';')
	[ "$got" = "--;S202004-0001 已销号 2020-05-10 61 2020-06-30;S202005-0001 已销号 2020-06-15 8 2020-06-08;" ] && ok ||
		bad "集里街道's June list: $got"
	[ "$(q "$DB" "SELECT note FROM v_ledger WHERE code = 'S202004-0005'")" != "" ] &&
		$PY "$FILL" "$TMP/lists-2020-06/乡镇工作清单_长沙市_宁乡市_2020-06.xlsx" "$TMP/ret-06.xlsx" \
			"T202005-0001=已整改|2020-07-03|张经办" || { bad "filling"; return; }
	expect_exit 0 "June's returned list" "$BIN/bangfu-ledger" --db "$DB" --period 2020-06 "$TMP/ret-06.xlsx"
	[ "$(q "$DB" "SELECT state || ' ' || closed_on || ' ' || basis FROM v_ledger WHERE code = 'T202005-0001'")" = "closed 2020-07-03 return" ] &&
		ok || bad "the 12317 complaint closed by the township's return"
}

test_month_3_checklist_as_of_july_10() {
	"$BIN/bangfu-checklist" --db "$DB" --period 2020-06 --as-of 2020-07-10 --out "$TMP/checklist-06.xlsx" \
		--ledger "$TMP/ledger-06" 2>"$TMP/err" || { bad "June's checklist"; cat "$TMP/err"; return; }
	has "ledger 2020-06 as of 2020-07-10: 3 open (3 overdue), 0 opened and 4 closed in 2020-06, 8 closed in all" "the counts said"
	[ "$(counts "$TMP/checklist-06.xlsx" 宁乡市)" = "3 3 0 2 6" ] && ok || bad "宁乡市 in June: $(counts "$TMP/checklist-06.xlsx" 宁乡市)"
	[ "$(counts "$TMP/checklist-06.xlsx" 浏阳市)" = "0 0 0 2 2" ] && ok || bad "浏阳市 in June: $(counts "$TMP/checklist-06.xlsx" 浏阳市)"
	[ "$(counts "$TMP/checklist-06.xlsx" 合计)" = "3 3 0 4 8" ] && ok || bad "合计 in June: $(counts "$TMP/checklist-06.xlsx" 合计)"
	# the workbook's sheet: what is open and what was closed since May; the CSV: every item
	pycheck "宁乡市问题台账 in June" "$TMP/checklist-06.xlsx" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["宁乡市问题台账"]
got = [(r[0], r[9]) for r in ws.iter_rows(min_row=4, values_only=True)]
assert got == [("S202004-0003", "逾期"), ("S202004-0005", "逾期"), ("D202004-0001", "逾期"), ("S202004-0006", "已销号"),
               ("S202005-0002", "已销号"), ("T202005-0001", "已销号")], got
PYEOF
	pycheck "销号台账 of 宁乡市 in June" "$TMP/ledger-06/销号台账_长沙市_宁乡市_2020-06.csv" <<'PYEOF'
import csv, sys
rows = {r["问题编号"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}
assert len(rows) == 9, sorted(rows)
p3 = rows["S202004-0005"]
assert (p3["状态"], p3["整改情况"], p3["整改日期"], p3["报送期"]) == ("逾期", "已整改", "2020-06-05", "2020-05"), p3
assert p3["备注"] == "乡镇 2020-06-05 报已整改，2020-06 数据仍有此问题，重新挂单", p3["备注"]
p6 = rows["S202005-0002"]
assert (p6["状态"], p6["销号日期"], p6["销号依据"], p6["帮扶责任人"]) == ("已销号", "2020-06-30",
       "乡镇报结、数据核实（2020-06 数据不再发现）", "吴帮扶"), p6
h5 = rows["S202004-0006"]
assert (h5["销号依据"], h5["帮扶责任人"], h5["整改情况"], h5["超期天数"]) == ("数据核实（2020-06 数据不再发现）", "刘帮扶", "整改中", "31"), h5
d = rows["D202004-0001"]
assert (d["状态"], d["挂单天数"], d["超期天数"], d["责任单位"]) == ("逾期", "76", "46", "宁乡市人社局"), d
assert rows["T202005-0001"]["情况"] == "来电反映就业信息登记有误，联系电话 138****5678"
PYEOF
}

# A month synced again, or an earlier one after a later one, gives the same
# ledger: codes, dates and closings.
test_every_month_again_gives_the_same_ledger() {
	before=$(q "$DB" "SELECT * FROM v_ledger ORDER BY code" | grep -v '^$' | md5sum)
	for p in 2020-05 2020-04 2020-06; do
		"$BIN/bangfu-reconcile" -q --db "$DB" --period $p || bad "reconcile $p again"
	done
	"$BIN/bangfu-ledger" -q --db "$DB" --period 2020-05 || bad "bangfu-ledger without files"
	[ "$(q "$DB" "SELECT * FROM v_ledger ORDER BY code" | grep -v '^$' | md5sum)" = "$before" ] && ok ||
		bad "re-syncing changed the ledger"
}

# Nothing of the story's outputs carries a whole ID number or phone: the
# work lists and the 销号台账 mask them, the checklist has none, and the
# complaint's phone in the 12317 list is masked wherever it is printed.
test_no_whole_id_or_phone_in_what_was_written() {
	pycheck "IDs and phones" "$DB" "$TMP" <<'PYEOF'
import glob, os, re, sqlite3, sys, zipfile
db, tmp = sys.argv[1:3]
c = sqlite3.connect(db)
secrets = {i for (i,) in c.execute("SELECT id_number FROM person")} | {"13812345678"}
secrets |= {p for (p,) in c.execute("SELECT phone FROM roster_row UNION SELECT phone FROM hr_row") if p}
files = [f for d in ["lists-2020-04", "lists-2020-05", "lists-2020-06", "ledger-05", "ledger-06"]
         for f in glob.glob(os.path.join(tmp, d, "*"))]
files += glob.glob(os.path.join(tmp, "checklist-*.xlsx"))
assert len(files) >= 11, files
for path in files:
    if path.endswith(".xlsx"):
        with zipfile.ZipFile(path) as z:
            text = "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    else:
        text = open(path, encoding="utf-8-sig").read()
    for s in secrets:
        assert s not in text, (path, s[:6])
PYEOF
}

# The checklist goes to leadership: its 问题台账 names no one, not even in
# the words of an external list (王一 → 王某).
test_the_checklist_names_no_one() {
	pycheck "no names in the checklist" "$DB" "$TMP/checklist-06.xlsx" <<'PYEOF'
import sqlite3, sys, openpyxl
names = {n for (n,) in sqlite3.connect(sys.argv[1]).execute("SELECT name FROM person")}
wb = openpyxl.load_workbook(sys.argv[2])
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            assert not (isinstance(v, str) and any(n in v for n in names)), (ws.title, v)
ws = wb["宁乡市问题台账"]
details = [r[4] for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "D202004-0001"]
assert details == ["联点督查发现：王某就业信息未录入省平台"], details
PYEOF
}

# The lists and the checklist of a month read the stored ledger when it is
# the one as of the day they are made for (the latest month, nothing dated
# after that day) and derive it otherwise; both ways give the same
# workbooks.  BANGFU_TEST_DERIVE_LEDGER=1 makes them always derive.
#
# both_ways DB PERIOD AS_OF: the lists and the checklist (as of AS_OF)
# written both ways, compared; the statements into $TMP/trace-PERIOD-WAY.
both_ways() {
	for way in stored derived; do
		out=$TMP/same-$(basename "$1" .db)-$2-$way
		[ $way = derived ] && export BANGFU_TEST_DERIVE_LEDGER=1
		BANGFU_TRACE_SQL=0 "$BIN/bangfu-report" -q --db "$1" --period $2 --out "$TMP/same.xlsx" \
			--townships "$out" 2>"$out.trace" &&
			BANGFU_TRACE_SQL=0 "$BIN/bangfu-checklist" -q --db "$1" --period $2 --as-of $3 \
				--out "$out/checklist.xlsx" 2>>"$out.trace" || bad "$2's lists and checklist ($way)"
		unset BANGFU_TEST_DERIVE_LEDGER
		$PY "$TOP/tests/dump_cells.py" "$out" >"$out.txt"
	done
	out=$TMP/same-$(basename "$1" .db)-$2
	if [ -s "$out-stored.txt" ] && cmp -s "$out-stored.txt" "$out-derived.txt"; then
		ok
	else
		bad "$2: the stored ledger's lists and checklist differ from the derived ones"
		diff "$out-stored.txt" "$out-derived.txt" | head -10 | sed 's/^/    /'
	fi
}

# stored_read DB PERIOD WAY: the run read the stored ledger (the lists'
# items, or the checklist's copy of it)
stored_read() {
	grep -c 'FROM main.ledger_item WHERE closed_on\|INTO temp.ledger_asof SELECT \* FROM main.ledger_item' \
		"$TMP/same-$(basename "$1" .db)-$2-$3.trace"
}

test_the_stored_ledger_is_the_one_derived() {
	# April before its returns: the latest month, nothing dated after
	# April 30: the lists read the stored ledger, the checklist as of
	# May 12 too
	both_ways "$TMP/april.db" 2020-04 2020-05-12
	[ "$(stored_read "$TMP/april.db" 2020-04 stored)" = 2 ] && ok || bad "April's lists and checklist derived the ledger"
	# at the end, with a return dated July 3: June's lists (June 30)
	# derive, its checklist as of August 31 reads the stored ledger;
	# earlier months always derive
	for p in 2020-04 2020-05 2020-06; do
		both_ways "$DB" $p 2020-08-31
	done
	[ "$(stored_read "$DB" 2020-06 stored)" = 1 ] && ok || bad "June's checklist as of August derived the ledger"
	[ "$(stored_read "$DB" 2020-05 stored)$(stored_read "$DB" 2020-06 derived)" = 00 ] && ok ||
		bad "the stored ledger read where it is not the one as of the day"
}

run_tests
