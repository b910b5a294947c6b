#!/bin/sh
# End-to-end tests of bangfu-report: build a reconciled, sampled and verified
# database from three cities' files (samples/ for 邵阳市, tests/data/reconcile
# for 长沙市, tests/data/report for 株洲市, whose text starts with = + - @),
# write the report and the township workbooks, and read them back with
# openpyxl against the database.  One behaviour per function.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/long_names.sh"
DB=$TMP/bangfu.db
OUT=$TMP/out

# 2026-09: 长沙市 only.  2026-10: all three cities, sampled, one township's
# answers below 90%.  File names are unique per period and source.
setup() {
	mkdir -p "$OUT" "$TMP/in"
	# 长沙市 sends the same file in both months (--force: the same bytes for another period)
	cp "$DATA/reconcile/roster.csv" "$TMP/in/changsha-roster.csv"
	cp "$DATA/reconcile/hr.tsv" "$TMP/in/changsha-hr.tsv"
	"$BIN/bangfu-ingest" -q --db "$DB" --period 2026-09 --source roster "$TMP/in/changsha-roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period 2026-09 --source hr "$TMP/in/changsha-hr.tsv" &&
		"$BIN/bangfu-reconcile" -q --db "$DB" --period 2026-09 &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period $PERIOD --source roster --force "$TOP/samples/roster.csv" \
			"$TMP/in/changsha-roster.csv" "$DATA/report/zhuzhou-roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period $PERIOD --source hr --force "$TOP/samples/hr.csv" \
			"$TMP/in/changsha-hr.tsv" "$DATA/report/zhuzhou-hr.tsv" &&
		"$BIN/bangfu-reconcile" -q --db "$DB" --period $PERIOD &&
		"$BIN/bangfu-sample" -q --db "$DB" --period $PERIOD --seed 7 --out "$TMP/sheets" || return 1
	mkdir -p "$TMP/returned"
	for book in "$TMP"/sheets/*.xlsx; do
		case $book in
		*宁乡市*) pattern=AAAAAAAIII ;;  # 7 of 10: 花明楼镇 must recalibrate
		*) pattern=$($PY -c 'print("A" * 29 + "I" + "A" * 200)') ;;
		esac
		$PY "$TOP/tests/fill_check_sheet.py" "$book" "$TMP/returned/$(basename "$book")" "$pattern" || return 1
	done
	"$BIN/bangfu-verify" -q --db "$DB" --period $PERIOD "$TMP"/returned/*.xlsx || return 1
	"$BIN/bangfu-report" --db "$DB" --period $PERIOD --out "$OUT/report.xlsx" --unit 湖南省人社厅 \
		--targets "$DATA/report/targets.csv" --townships "$OUT/townships" 2>"$TMP/report.err"
}

test_the_report_has_every_sheet_and_is_mode_0600() {
	[ "$(stat -c %a "$OUT/report.xlsx")" = 600 ] && ok || bad "report should be mode 0600"
	for f in "$OUT"/townships/*.xlsx; do
		[ "$(stat -c %a "$f")" = 600 ] || { bad "township workbook $f should be mode 0600"; return; }
	done
	ok
	grep -q "wrote .*report.xlsx" "$TMP/report.err" && ok || bad "report should say what it wrote"
	pycheck "sheets" "$OUT/report.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["总表", "分人群", "本月变动", "就业服务", "比对情况", "乡镇抽查", "零就业家庭", "趋势", "说明"], wb.sheetnames
EOF
}

test_totals_equal_the_database_and_the_levels_add_up() {
	pycheck "总表 totals and outline" "$OUT/report.xlsx" "$DB" <<'EOF'
import sys, sqlite3, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
ws = wb["总表"]
head = [c.value for c in ws[3]]
col = {h: i for i, h in enumerate(head)}
rows = []
for r in range(4, ws.max_row + 1):
    name = ws.cell(r, 1).value
    if name is None:
        break
    rows.append((r, name, ws.row_dimensions[r].outline_level, [c.value for c in ws[r]]))
assert rows[0][1] == "合计", rows[0]
total = rows[0][3]
# The total against counts made straight from the person table.
base = ("period = '2026-10' AND in_roster AND coalesce(able, 1) AND coalesce(labour_age, 1)"
        " AND (population IS NULL OR population = 'exited')")
want = {
    "脱贫劳动力人数": f"SELECT count(*) FROM person WHERE {base}",
    "省平台录入人数": f"SELECT count(*) FROM person WHERE {base} AND in_hr",
    "已就业人数": f"SELECT count(*) FROM person WHERE {base} AND employed = '是'",
    "未就业人数": f"SELECT count(*) FROM person WHERE {base} AND employed IS NOT '是'",
    "返乡回流人数": f"SELECT count(*) FROM person WHERE {base} AND returned = '是'",
    "其中：省外": f"SELECT count(*) FROM person WHERE {base} AND employed = '是' AND work_region = '省外'",
    "其中：就业帮扶车间": f"SELECT count(*) FROM person WHERE {base} AND employed = '是' AND employment_type = '就业帮扶车间'",
    "需重新校准乡镇数": "SELECT count(*) FROM v_township_check WHERE period = '2026-10' AND verdict = 'recalibrate'",
}
for label, sql in want.items():
    got, exp = total[col[label]], db.execute(sql).fetchone()[0]
    assert got == exp, (label, got, exp)
assert total[col["脱贫劳动力人数"]] == total[col["已就业人数"]] + total[col["未就业人数"]]
acc, inacc = db.execute("SELECT sum(accurate), sum(inaccurate) FROM v_township_check WHERE period = '2026-10'").fetchone()
assert abs(total[col["抽查准确率"]] - acc / (acc + inacc)) < 1e-9
# Levels: 市州 0, 县市区 1, 乡镇 2; each level sums to the one above.
counts = [h for h in head if h and ("人数" in h or h.startswith("其中") or h.endswith("乡镇数"))]
def children(i, level):
    out = []
    for r in rows[i + 1:]:
        if r[2] < level:
            break
        if r[2] == level:
            out.append(r)
    return out
cities = [r for r in rows[1:] if r[2] == 0]
assert len(cities) == 3, [r[1] for r in cities]
assert [r[1] for r in cities] == ["长沙市", "株洲市", "邵阳市"], [r[1] for r in cities]   # GB/T 2260 order
for h in counts:
    assert total[col[h]] == sum(r[3][col[h]] for r in cities), h
for i, r in enumerate(rows):
    if r[2] in (0, 1) and r[1] != "合计":
        kids = children(i, r[2] + 1)
        assert kids, r[1]
        for h in counts:
            assert r[3][col[h]] == sum(k[3][col[h]] for k in kids), (r[1], h)
# Collapsed to 市州 by default: detail rows hidden.
assert all(ws.row_dimensions[r[0]].hidden for r in rows if r[2] > 0)
assert not any(ws.row_dimensions[r[0]].hidden for r in rows if r[2] == 0)
assert ws.sheet_properties.outlinePr.summaryBelow is False
assert ws.freeze_panes == "B4", ws.freeze_panes
EOF
}

# 分人群: 脱贫劳动力 as in 总表, 监测对象 and 农村低收入人口 apart, 易地搬迁 labour
# and the relocated households (湘人社函〔2020〕58号: a household with a
# member able and willing to work), against the person table; with the
# shipped (empty) key-county list no key-county row, with one county listed
# a row that sums that county.
test_population_split_matches_the_database_and_names_key_counties() {
	pycheck "分人群 against the database" "$OUT/report.xlsx" "$DB" <<'EOF'
import sys, sqlite3, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
ws = wb["分人群"]
head = [c.value for c in ws[3]]
total = [c.value for c in ws[4]]
assert total[0] == "合计", total
labour = "period = '2026-10' AND in_roster AND coalesce(able, 1) AND coalesce(labour_age, 1)"
want = {
    1: f"SELECT count(*) FROM person WHERE {labour} AND (population IS NULL OR population = 'exited')",
    4: f"SELECT count(*) FROM person WHERE {labour} AND population IS NULL",
    5: f"SELECT count(*) FROM person WHERE {labour} AND population = 'monitored'",
    6: f"SELECT count(*) FROM person WHERE {labour} AND population = 'monitored' AND employed = '是'",
    8: f"SELECT count(*) FROM person WHERE {labour} AND population = 'low_income'",
    11: f"SELECT count(*) FROM person WHERE {labour} AND relocated = 1",
    14: "SELECT sum(relocated_households) FROM township_total WHERE period = '2026-10'",
}
for c, sql in want.items():
    assert total[c] == db.execute(sql).fetchone()[0], (head[c], total[c])
assert total[5] > 0 and total[14] > 0, total
# the 总表's headline is the same 脱贫劳动力
zb = [c.value for c in wb["总表"][4]]
assert zb[1] == total[1], (zb[1], total[1])
names = [r[0] for r in ws.iter_rows(min_row=4, values_only=True)]
assert "其中：乡村振兴重点帮扶县" not in names
notes = [v for r in ws.iter_rows(values_only=True) for v in r if isinstance(v, str) and v.startswith("注：")]
assert notes and "未填" in notes[0], notes
EOF
	cp "$DB" "$TMP/key.db"
	mkdir -p "$TMP/key-tmpl" && cp "$TOP"/templates/*.csv "$TMP/key-tmpl/"
	printf '430525,洞口县,邵阳市,国家级,测试用,\n' >>"$TMP/key-tmpl/key_counties.csv"
	"$BIN/bangfu-reconcile" -q --templates "$TMP/key-tmpl" --db "$TMP/key.db" --period $PERIOD &&
		"$BIN/bangfu-report" -q --db "$TMP/key.db" --period $PERIOD --out "$TMP/key.xlsx" ||
		{ bad "report with a key county"; return; }
	pycheck "分人群 with a key county" "$TMP/key.xlsx" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["分人群"]
rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
key = rows["其中：乡村振兴重点帮扶县"]
assert list(key[1:3]) == list(rows["洞口县"][1:3]) and key[1] > 0, (key, rows["洞口县"])
EOF
}

test_rates_are_numbers_with_a_percent_format_and_flagged_below_threshold() {
	pycheck "rates" "$OUT/report.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["总表"]
head = [c.value for c in ws[3]]
n = 0
for label in ["录入率", "就业率", "比对一致率", "抽查准确率", "完成率"]:
    c = head.index(label) + 1
    cell = ws.cell(4, c)
    assert isinstance(cell.value, float) and 0 <= cell.value <= 2, (label, cell.value)
    assert "%" in cell.number_format, (label, cell.number_format)
    n += 1
rules = {str(rng.sqref): [r.operator for r in rule] for rng, rule in ws.conditional_formatting._cf_rules.items()}
letters = {openpyxl.utils.get_column_letter(head.index(l) + 1) for l in ["录入率", "比对一致率", "抽查准确率"]}
flagged = {k.rstrip("0123456789:").split(":")[0].rstrip("0123456789") for k, ops in rules.items() if "lessThan" in ops}
assert letters <= flagged, (letters, rules)
EOF
}

test_the_flagged_township_stands_out() {
	pycheck "乡镇抽查" "$OUT/report.xlsx" "$DB" <<'EOF'
import sys, sqlite3, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
ws = wb["乡镇抽查"]
head = [c.value for c in ws[3]]
rows = {ws.cell(r, 3).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 3).value}
checked = db.execute("SELECT count(*) FROM v_township_check WHERE period = '2026-10'").fetchone()[0]
assert len(rows) == checked, (len(rows), checked)
r = rows["花明楼镇"]
verdict = ws.cell(r, head.index("结论") + 1)
assert verdict.value == "需重新校准", verdict.value
assert verdict.fill.fgColor.rgb.endswith("FFC7CE"), verdict.fill.fgColor.rgb
acc = ws.cell(r, head.index("抽查准确率") + 1)
assert abs(acc.value - 0.7) < 1e-9 and "%" in acc.number_format
others = [ws.cell(rr, head.index("结论") + 1).value for t, rr in rows.items() if t != "花明楼镇"]
assert "需重新校准" not in others, others
# the whole row through a formula rule
formulas = [rule.formula for rng, rules in ws.conditional_formatting._cf_rules.items() for rule in rules if rule.type == "expression"]
assert any("需重新校准" in f[0] for f in formulas), formulas
EOF
}

test_compare_counts_add_up_to_the_rows_loaded() {
	pycheck "比对情况" "$OUT/report.xlsx" "$DB" <<'EOF'
import sys, sqlite3, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
ws = wb["比对情况"]
head = [c.value for c in ws[3]]
col = {h: i for i, h in enumerate(head)}
total = [c.value for c in ws[4]]
assert total[0] == "合计"
roster, hr = db.execute("SELECT sum(rows_loaded) FILTER (WHERE source = 'roster'), sum(rows_loaded) FILTER (WHERE source = 'hr')"
                        " FROM v_source_file WHERE period = '2026-10'").fetchone()
assert total[col["扶贫系统行数"]] == roster, (total, roster)
assert total[col["人社平台行数"]] == hr
cats = ["一致", "不一致", "仅扶贫系统（未录入省平台）", "仅人社平台", "证件号码无效", "重复"]
assert total[col["比对人员数"]] == sum(total[col[c]] for c in cats)
assert total[col["比对人员数"]] == db.execute("SELECT count(*) FROM person WHERE period = '2026-10'").fetchone()[0]
body = [[c.value for c in ws[r]] for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value]
body = [r for r in body if isinstance(r[2], int)]
assert len(body) == db.execute("SELECT count(*) FROM v_county_summary WHERE period = '2026-10'").fetchone()[0]
for h in ["扶贫系统行数", "人社平台行数", "比对人员数"] + cats:
    assert total[col[h]] == sum(r[col[h]] for r in body), h
notes = " ".join(str(ws.cell(r, 1).value) for r in range(5, ws.max_row + 1))
assert "不符" not in notes and "相符" in notes, notes
EOF
}

test_notes_list_the_inputs_with_sha256() {
	q "SELECT sha256 FROM v_source_file WHERE period = '$PERIOD' UNION ALL SELECT sha256 FROM check_file" >"$TMP/sha"
	[ "$(wc -l <"$TMP/sha")" -ge 8 ] && ok || bad "expected 6 input files and the returned sheets"
	pycheck "说明" "$OUT/report.xlsx" "$TMP/sha" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["说明"]
text = "\n".join(f"{ws.cell(r, 1).value}\t{ws.cell(r, 2).value}" for r in range(1, ws.max_row + 1))
for sha in open(sys.argv[2]).read().split():
    assert sha in text, sha
for want in ["湖南省人社厅", "2026-10", "环比对照期\t2026-09", "读入 297 行 = 载入 297 行 + 拒收 0 行", "抽样方案",
             "种子 7", "总表：脱贫劳动力人数", "总表：已就业人数", "总表：完成率", "来源"]:
    assert want in text, want
EOF
}

test_month_over_month_and_trend() {
	pycheck "环比 and 趋势" "$OUT/report.xlsx" "$DB" <<'EOF'
import sys, sqlite3, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
ws = wb["总表"]
head = [c.value for c in ws[3]]
end = next(r for r in range(4, ws.max_row + 2) if ws.cell(r, 1).value is None)   # the table, not the chart's data
rows = {ws.cell(r, 1).value: [c.value for c in ws[r]] for r in range(4, end) if ws.row_dimensions[r].outline_level == 0}
def labour(period, city):
    return db.execute("SELECT sum(labour) FROM v_township_progress WHERE period = ? AND city = ?", (period, city)).fetchone()[0]
cs = rows["长沙市"]
assert cs[head.index("劳动力环比增减")] == labour("2026-10", "长沙市") - labour("2026-09", "长沙市")
assert rows["株洲市"][head.index("劳动力环比增减")] == "—"   # not in 2026-09
tr = wb["趋势"]
periods = [tr.cell(r, 1).value for r in range(4, tr.max_row + 1) if isinstance(tr.cell(r, 2).value, int)]
assert periods == ["2026-09", "2026-10"], periods
assert tr.cell(4, 2).value == labour("2026-09", "长沙市")
assert tr.cell(4, 9).value is None          # 2026-09 was not sampled: a gap, not zero
# the current period's row: the 总表 total, and the database's sums
th = [c.value for c in tr[3]]
cur = [c.value for c in tr[5]]
total = rows["合计"]
assert cur[th.index("脱贫劳动力人数")] == total[head.index("脱贫劳动力人数")]
assert cur[th.index("已就业人数")] == total[head.index("已就业人数")]
want = db.execute("SELECT sum(labour), sum(employed), sum(returned) FROM v_township_progress"
                  " WHERE period = '2026-10'").fetchone()
got = (cur[th.index("脱贫劳动力人数")], cur[th.index("已就业人数")], cur[th.index("返乡回流人数")])
assert got == want, (got, want)
assert cur[th.index("零就业家庭户数")] == db.execute(
    "SELECT count(*) FROM zero_household WHERE period = '2026-10'").fetchone()[0]
acc = db.execute("SELECT sum(accurate), sum(inaccurate) FROM v_township_check WHERE period = '2026-10'").fetchone()
assert abs(cur[th.index("抽查准确率")] - acc[0] / (acc[0] + acc[1])) < 1e-9
EOF
}

test_targets_by_name_code_and_month() {
	pycheck "targets" "$OUT/report.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["总表"]
head = [c.value for c in ws[3]]
t, d, e = head.index("目标任务"), head.index("完成率"), head.index("已就业人数")
end = next(r for r in range(4, ws.max_row + 2) if ws.cell(r, 1).value is None)
rows = {(ws.row_dimensions[r].outline_level, ws.cell(r, 1).value): [c.value for c in ws[r]] for r in range(4, end)}
assert rows[(0, "合计")][t] == 400                       # the month's target wins over the year's 500
assert rows[(0, "株洲市")][t] == 4                        # by code 4302
assert rows[(1, "茶陵县")][t] == 2                        # by code 430224, the month's
assert rows[(1, "宁乡市")][t] == 8                        # 长沙市/宁乡市
assert rows[(0, "邵阳市")][t] == "—"                      # 2025's target does not apply
zz = rows[(0, "株洲市")]
assert abs(zz[d] - zz[e] / 4) < 1e-9
EOF
}

# The shipped template's rows are examples (示例): never applied to a
# province's data, and the stage says so; a target of the month naming no
# place of the data is a warning naming file and line, and the 说明 says both.
test_example_targets_are_never_applied_and_unmatched_ones_are_named() {
	cat >"$TMP/targets-mixed.csv" <<'CSV'
level,area,period,target,note
省,湖南省,2026,160,示例
县市区,洞口县,2026-10,110,示例：月目标优先于年目标
市州,株洲市,2026-10,7,
县市区,长沙市/不存在县,2026-10,9,下达
CSV
	expect_exit 0 "examples and an unknown area are warnings" \
		"$BIN/bangfu-report" --db "$DB" --period $PERIOD --out "$TMP/ex.xlsx" --targets "$TMP/targets-mixed.csv"
	has "2 example rows of the targets (marked 示例) were not applied" "the example rows named as not applied"
	has "targets-mixed.csv:5: 县市区 长沙市/不存在县 (2026-10) names no place in 2026-10's data; not used" \
		"the unmatched target is a warning with file and line"
	has "targets: targets-mixed.csv: 1 used of 2 rows" "1 of 2 rows used"
	pycheck "examples not applied" "$TMP/ex.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["总表"]
head = [c.value for c in ws[3]]
t = head.index("目标任务")
end = next(r for r in range(4, ws.max_row + 2) if ws.cell(r, 1).value is None)
rows = {(ws.row_dimensions[r].outline_level, ws.cell(r, 1).value): ws.cell(r, t + 1).value for r in range(4, end)}
assert rows[(0, "合计")] == "—", rows[(0, "合计")]          # 示例 160 not applied
assert rows[(0, "株洲市")] == 7, rows
notes = {ws2.cell(r, 1).value: ws2.cell(r, 2).value for ws2 in [wb["说明"]] for r in range(1, ws2.max_row + 1)}
assert notes["目标任务"] == "targets-mixed.csv：本期用到 1 条目标（文件共 2 条）；1 条所写地区不在本期数据中，未用；2 条标为“示例”的行未用（请换成本地下达的目标）", notes["目标任务"]
EOF
	# the shipped template holds only examples: nothing applied, one warning
	expect_exit 0 "the shipped template" "$BIN/bangfu-report" --db "$DB" --period $PERIOD --out "$TMP/ex2.xlsx"
	has "example rows of the targets (marked 示例) were not applied" "the shipped template's examples are never applied"
	! grep -q "^bangfu-report: targets:" "$TMP/err" && ok || bad "no target of the shipped template is used"
}

test_charts_and_print_settings() {
	pycheck "charts and print" "$OUT/report.xlsx" <<'EOF'
import sys, zipfile, re, openpyxl
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
charts = sorted(n for n in names if re.match(r"xl/charts/chart\d+\.xml$", n))
assert len(charts) == 2, charts
kinds = [("barChart" in z.read(c).decode(), "lineChart" in z.read(c).decode()) for c in charts]
assert (True, False) in kinds and (False, True) in kinds, kinds
# the bar chart hangs on 总表 (sheet1), the line chart on 趋势 (sheet8, after
# 分人群, 本月变动 and 就业服务)
order = openpyxl.load_workbook(sys.argv[1]).sheetnames
assert order.index("趋势") == 7, order
for sheet, kind in (("sheet1", "barChart"), ("sheet8", "lineChart")):
    rels = z.read(f"xl/worksheets/_rels/{sheet}.xml.rels").decode()
    drawing = re.search(r'Target="../drawings/(drawing\d+\.xml)"', rels).group(1)
    drels = z.read(f"xl/drawings/_rels/{drawing}.rels").decode()
    chart = re.search(r'Target="../charts/(chart\d+\.xml)"', drels).group(1)
    assert kind in z.read("xl/charts/" + chart).decode(), (sheet, chart)
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    ps = ws.page_setup
    assert ps.orientation == "landscape" and str(ps.paperSize) == "9", (ws.title, ps.orientation, ps.paperSize)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth in (None, 1) and ps.fitToHeight == 0, ws.title
    assert ws.print_title_rows == "$3:$3", (ws.title, ws.print_title_rows)
    assert "第 &P 页 共 &N 页" in ws.oddFooter.center.text, ws.title
    assert ws.freeze_panes in ("A4", "B4"), (ws.title, ws.freeze_panes)
    assert ws["A1"].font.name == "宋体" and ws.merged_cells.ranges, ws.title
    assert "填报单位：湖南省人社厅" in ws["A2"].value and "统计时段：2026-10" in ws["A2"].value
ws = wb["总表"]
assert any(c.value == "单位：人" for c in ws[2])
EOF
}

test_input_text_is_stored_as_text_never_a_formula() {
	pycheck "= + - @ as text" "$OUT/report.xlsx" "$OUT"/townships/*.xlsx <<'EOF'
import sys, openpyxl
seen = set()
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (path, ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    seen.add(c.value)
for want in ["=1+2镇", "@张三", "+一村"]:
    assert want in seen, (want, sorted(seen)[:20])
EOF
}

test_leadership_report_carries_no_personal_data() {
	pycheck "no IDs or names in the report" "$OUT/report.xlsx" "$DB" <<'EOF'
import sys, re, sqlite3, openpyxl
db = sqlite3.connect(sys.argv[2])
names = {n for (n,) in db.execute("SELECT DISTINCT name FROM person WHERE name IS NOT NULL AND length(name) >= 2")}
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                assert not re.search(r"(?<![0-9a-fA-F])\d{17}[\dX](?![0-9a-fA-F])", c.value), (ws.title, c.coordinate)
                assert c.value not in names, (ws.title, c.coordinate, c.value)
EOF
}

test_township_workbooks_list_the_work_with_masked_ids() {
	ls "$OUT"/townships/乡镇工作清单_株洲市_茶陵县_$PERIOD.xlsx >/dev/null 2>&1 && ok || bad "no workbook for 茶陵县"
	n=$(ls "$OUT"/townships/*.xlsx | wc -l)
	[ "$n" = "$(q "SELECT count(DISTINCT coalesce(city, '') || '/' || coalesce(county, '')) FROM person WHERE period = '$PERIOD'
		AND (category IN ('roster_only', 'conflict', 'invalid_id', 'hr_only', 'duplicate')
		     OR person_key IN (SELECT id_number FROM conflict WHERE period = '$PERIOD')
		     OR household_id IN (SELECT household_id FROM zero_household WHERE period = '$PERIOD'))")" ] &&
		ok || bad "one township workbook per county with work to do (got $n)"
	ls -a "$OUT"/townships | grep -q '^\.' && ls -a "$OUT"/townships | grep -v '^\.\.\?$' | grep -q '^\.' &&
		bad "temporary files left in the townships directory" || ok
	pycheck "township lists" "$DB" "$OUT"/townships/*.xlsx <<'EOF'
import sys, re, sqlite3, openpyxl
db = sqlite3.connect(sys.argv[1])
kinds, ids, codes = {}, [], set()
for path in sys.argv[2:]:
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "填表说明", wb.sheetnames
    for ws in wb.worksheets[1:]:
        head = [c.value for c in ws[3]]
        assert head[:5] == ["序号", "问题编号", "事项", "姓名", "证件号码"], head
        for r in range(4, ws.max_row + 1):
            row = {h: ws.cell(r, i + 1).value for i, h in enumerate(head)}
            if row["状态"] == "已销号" or not row["问题编号"]:
                continue  # closed since last month, and the line above them
            k = row["事项"]
            kinds[k] = kinds.get(k, 0) + 1
            codes.add(row["问题编号"])
            ids.append(row["证件号码"] or "")
            phone = row["联系电话"] or ""
            assert not re.search(r"\d{11}", phone), phone
            for c in ws[r]:
                if isinstance(c.value, str):
                    assert not re.search(r"(?<![0-9a-fA-F])\d{17}[\dX](?![0-9a-fA-F])", c.value), (path, ws.title, c.coordinate, c.value)
def count(sql):
    return db.execute(sql).fetchone()[0]
assert kinds.get("未录入省平台") == count("SELECT count(*) FROM person WHERE period = '2026-10' AND category = 'roster_only'"), kinds
assert kinds.get("扶贫名单外人员") == count("SELECT count(*) FROM person WHERE period = '2026-10' AND category = 'hr_only'"), kinds
# an invalid ID is one item per source, text, place and name, whatever its rows
assert kinds.get("证件号码无效") == count("SELECT count(*) FROM (SELECT DISTINCT substr(person_key, 1, 2), id_number,"
                                     " county, township, name FROM person WHERE period = '2026-10' AND category = 'invalid_id')"), kinds
assert kinds.get("零就业家庭") == count("SELECT count(*) FROM zero_household WHERE period = '2026-10'"), kinds
assert kinds.get("信息不一致") == count("SELECT count(DISTINCT id_number) FROM conflict WHERE period = '2026-10'"), kinds
assert kinds.get("重复记录") == count("SELECT count(*) FROM person WHERE period = '2026-10' AND category = 'duplicate'"), kinds
assert kinds.get("需重新校准乡镇") == count("SELECT count(*) FROM v_township_check WHERE period = '2026-10' AND verdict = 'recalibrate'"), kinds
# every open item of the ledger once, by its code
assert codes == {c for (c,) in db.execute("SELECT code FROM ledger_item WHERE closed_on IS NULL")}, len(codes)
masked = [i for i in ids if i]
assert masked and all("*" in i for i in masked), [i for i in masked if "*" not in i][:5]
EOF
	"$BIN/bangfu-report" -q --db "$DB" --period $PERIOD --out "$TMP/full.xlsx" --townships "$TMP/full" --full-id ||
		{ bad "--full-id run failed"; return; }
	id=$(q "SELECT id_number FROM person WHERE period = '$PERIOD' AND category = 'roster_only' AND city = '株洲市' ORDER BY name LIMIT 1")
	pycheck "--full-id shows whole IDs" "$id" "$TMP"/full/乡镇工作清单_株洲市_茶陵县_$PERIOD.xlsx <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[2])
cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
assert sys.argv[1] in cells, sys.argv[1]
assert "13900000002" in cells
EOF
}

test_a_period_without_reconcile_is_refused() {
	"$BIN/bangfu-report" --db "$DB" --period 2026-08 --out "$TMP/no.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "run bangfu-reconcile" "$TMP/err" && ok ||
		{ bad "an unreconciled period should exit 1 saying to run bangfu-reconcile"; cat "$TMP/err"; }
	[ ! -e "$TMP/no.xlsx" ] && [ -z "$(ls -A "$TMP" | grep '^\.no\.xlsx')" ] && ok || bad "no file should be left"
}

test_bad_input_exits_1_and_leaves_the_old_file() {
	echo old >"$TMP/keep.xlsx"
	"$BIN/bangfu-report" --db "$DB" --period $PERIOD --out "$TMP/keep.xlsx" --targets "$DATA/report/bad_targets.csv" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "bad_targets.csv:2" "$TMP/err" && grep -q "目标任务 '一百'" "$TMP/err" && ok ||
		{ bad "a bad target should exit 1 naming file and line"; cat "$TMP/err"; }
	[ "$(cat "$TMP/keep.xlsx")" = old ] && ok || bad "a failed run must leave the earlier file as it was"
	[ -z "$(ls -A "$TMP" | grep '^\.keep')" ] && ok || bad "a failed run must not leave a temporary file"
	"$BIN/bangfu-report" --db "$TMP/nonexistent.db" --period $PERIOD --out "$TMP/x.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && [ ! -e "$TMP/nonexistent.db" ] && ok || bad "a missing database should exit 1 and not be created"
	"$BIN/bangfu-report" --db "$DB" --period 2026-13 --out "$TMP/x.xlsx" 2>/dev/null
	[ $? -eq 1 ] && ok || bad "period 2026-13 should exit 1"
	"$BIN/bangfu-report" --db "$DB" --period $PERIOD --out "$TMP/nodir/x.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "nodir" "$TMP/err" && ok || bad "an output directory that does not exist should exit 1"
	"$BIN/bangfu-report" --db "$DB" --period $PERIOD --out "$TMP/x.csv" 2>/dev/null
	[ $? -eq 1 ] && ok || bad "--out must be an .xlsx"
	"$BIN/bangfu-report" --db "$DB" --period $PERIOD 2>/dev/null
	[ $? -eq 2 ] && ok || bad "missing --out is a usage error (2)"
	"$BIN/bangfu-report" --help | grep -q "usage:" && ok || bad "--help"
}

test_a_period_without_a_sample_says_so() {
	"$BIN/bangfu-report" -q --db "$DB" --period 2026-09 --out "$TMP/sep.xlsx" || { bad "2026-09 report failed"; return; }
	pycheck "本期未抽查" "$TMP/sep.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["乡镇抽查"]
assert ws["A4"].value.startswith("本期未抽查"), ws["A4"].value
assert wb["总表"].cell(4, 1).value == "合计"
EOF
}

test_township_lists_say_since_when_an_item_is_open() {
	# 长沙市 was in 2026-09 too: what it still has open shows its first month.
	want=$(q "SELECT count(*) FROM problem WHERE closed_period IS NULL AND opened_period = '2026-09'")
	[ "$want" -gt 0 ] || { bad "the test data should have items open since 2026-09"; return; }
	pycheck "挂单 since 2026-09 in the township lists" "$want" "$OUT"/townships/*长沙市*.xlsx <<'EOF'
import sys, openpyxl
want, paths = int(sys.argv[1]), sys.argv[2:]
n = 0
for path in paths:
    for ws in openpyxl.load_workbook(path).worksheets[1:]:
        head = [c.value for c in ws[3]]
        for r in range(4, ws.max_row + 1):
            if "自 2026-09 起挂单" in str(ws.cell(r, head.index("情况") + 1).value or ""):
                n += 1
assert n == want, (n, want)
EOF
}

test_csv_has_the_same_numbers_as_the_workbook() {
	"$BIN/bangfu-report" -q --db "$DB" --period $PERIOD --out "$TMP/csv.xlsx" --csv "$TMP/csv" ||
		{ bad "report --csv failed"; return; }
	for f in 总表 比对情况 乡镇抽查 零就业家庭; do
		[ -f "$TMP/csv/$f.csv" ] && [ "$(stat -c %a "$TMP/csv/$f.csv")" = 600 ] && ok || bad "$f.csv missing or not 0600"
	done
	pycheck "总表.csv against 总表 and the database" "$TMP/csv.xlsx" "$TMP/csv/总表.csv" "$DB" <<'EOF'
import csv, sqlite3, sys, openpyxl
book, path, db = sys.argv[1:4]
rows = list(csv.DictReader(open(path, encoding="utf-8-sig")))
ws = openpyxl.load_workbook(book)["总表"]
head = [c.value for c in ws[3]]
total = rows[0]
assert total["层级"] == "合计", total
assert int(total["脱贫劳动力人数"]) == ws.cell(4, head.index("脱贫劳动力人数") + 1).value
assert int(total["已就业人数"]) == ws.cell(4, head.index("已就业人数") + 1).value
cities = [r for r in rows if r["层级"] == "市州"]
assert sum(int(r["已就业人数"]) for r in cities) == int(total["已就业人数"])
townships = [r for r in rows if r["层级"] == "乡镇"]
n = sqlite3.connect(db).execute("SELECT count(DISTINCT coalesce(city,'') || county || township) FROM person"
                                " WHERE period = '2026-10' AND township IS NOT NULL").fetchone()[0]
assert len(townships) == n, (len(townships), n)
rate = float(total["就业率"])
assert abs(rate - int(total["已就业人数"]) / int(total["脱贫劳动力人数"])) < 1e-6
EOF
	got=$(sed 1d "$TMP/csv/乡镇抽查.csv" | grep -c "需重新校准")
	[ "$got" = "$(q "SELECT count(*) FROM v_township_check WHERE period = '$PERIOD' AND verdict = 'recalibrate'")" ] && ok ||
		bad "乡镇抽查.csv should list the townships to recalibrate ($got)"
}

test_csv_to_an_unwritable_place_writes_nothing() {
	: >"$TMP/a-file"
	rm -f "$TMP/nocsv.xlsx"
	"$BIN/bangfu-report" --db "$DB" --period $PERIOD --out "$TMP/nocsv.xlsx" --csv "$TMP/a-file/csv" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "a-file/csv" "$TMP/err" && ok || { bad "--csv under a file should exit 1 naming it"; cat "$TMP/err"; }
	[ ! -e "$TMP/nocsv.xlsx" ] && [ -z "$(ls -A "$TMP" | grep '^\.nocsv')" ] && ok ||
		bad "a failed --csv must leave neither the workbook nor a temporary file"
}

test_township_lists_mask_phones_in_every_text() {
	# 联系电话 is masked; the 情况 text of a phone conflict must be too
	pycheck "no whole phone or ID anywhere in the township lists" "$DB" "$OUT"/townships/*.xlsx <<'EOF'
import re, sys, sqlite3, openpyxl
db = sqlite3.connect(sys.argv[1])
phones = {re.sub(r"\D", "", p) for (p,) in db.execute(
    "SELECT phone FROM roster_row WHERE period = '2026-10' UNION SELECT phone FROM hr_row WHERE period = '2026-10'") if p}
phones = {p for p in phones if len(p) >= 7}
ids = {i for (i,) in db.execute("SELECT id_norm FROM roster_row WHERE period = '2026-10' UNION"
                                " SELECT id_norm FROM hr_row WHERE period = '2026-10'") if i and len(i) >= 15}
ids |= {i for (i,) in db.execute("SELECT proposed_id FROM repair WHERE period = '2026-10'")}
assert phones and ids
conflicts = 0
for path in sys.argv[2:]:
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str):
                    continue
                digits = re.sub(r"\D", "", c.value)
                for p in phones:
                    assert p not in digits, (path, ws.title, c.coordinate, c.value)
                for i in ids:
                    assert i not in c.value, (path, ws.title, c.coordinate, c.value)
                conflicts += c.value.count("联系电话：扶贫系统")
assert conflicts == db.execute("SELECT count(*) FROM conflict WHERE period = '2026-10' AND field = 'phone'").fetchone()[0], conflicts
EOF
	"$BIN/bangfu-report" -q --db "$DB" --period $PERIOD --out "$TMP/phones.xlsx" --townships "$TMP/phones" --full-id ||
		{ bad "--full-id run failed"; return; }
	pycheck "--full-id: the phone conflict shows the whole numbers" "$DB" "$TMP"/phones/*.xlsx <<'EOF'
import sys, sqlite3, openpyxl
db = sqlite3.connect(sys.argv[1])
want = {(r, h) for r, h in db.execute("SELECT roster_value, hr_value FROM conflict WHERE period = '2026-10' AND field = 'phone'")}
text = "\n".join(c.value for p in sys.argv[2:] for ws in openpyxl.load_workbook(p).worksheets
                 for row in ws.iter_rows() for c in row if isinstance(c.value, str))
for r, h in want:
    assert f"联系电话：扶贫系统“{r}”→ 省平台“{h}”" in text, (r, h)
EOF
}

test_township_lists_show_what_a_repair_changes() {
	pycheck "拟更正为: the positions the repair changes, and only those" "$DB" "$OUT"/townships/*.xlsx <<'EOF'
import re, sys, sqlite3, openpyxl
db = sqlite3.connect(sys.argv[1])
def mask(s, other=None):
    n = len(s)
    head, tail = (6, 4) if n >= 11 else (0, 2 if n > 4 else 0)
    return "".join(ch if i < head or i >= n - tail or (other is not None and other[i] != ch) else "*"
                   for i, ch in enumerate(s))
def pair(a, b):
    return (mask(a, b), mask(b, a)) if len(a) == len(b) else (mask(a), mask(b))
repairs = {name: (raw, proposed) for name, raw, proposed in db.execute(
    "SELECT p.name, p.id_number, r.proposed_id FROM repair r JOIN person p ON p.period = r.period"
    " AND p.person_key = r.person_key WHERE r.period = '2026-10'")}
seen = 0
for path in sys.argv[2:]:
    for ws in openpyxl.load_workbook(path).worksheets[1:]:
        head = [c.value for c in ws[3]]
        for r in ws.iter_rows(min_row=4, values_only=True):
            detail = r[head.index("情况")] or ""
            m = re.search(r"拟更正为 (\S+?)（", detail)
            if not m:
                continue
            raw, proposed = repairs[r[head.index("姓名")]]
            want_raw, want_proposed = pair(raw, proposed)
            assert r[head.index("证件号码")] == want_raw, (r[head.index("证件号码")], want_raw)
            assert m.group(1) == want_proposed, (m.group(1), want_proposed)
            if len(raw) == len(proposed) and raw != proposed:
                assert want_raw != want_proposed, (raw, proposed)
            seen += 1
assert seen == len(repairs), (seen, len(repairs))
# the test data holds repairs in the masked middle: a typo and a transposition
assert any(len(a) == len(b) and any(a[i] != b[i] for i in range(6, 14)) for a, b in repairs.values())
EOF
}

test_notes_name_files_not_server_paths() {
	pycheck "说明 names files, not paths" "$OUT/report.xlsx" "$TOP" "$TMP" <<'EOF'
import re, sys, openpyxl
book, top, tmp = sys.argv[1:4]
text = [c.value for ws in openpyxl.load_workbook(book).worksheets for row in ws.iter_rows() for c in row
        if isinstance(c.value, str)]
assert any(v.startswith("targets.csv：") for v in text), "the targets file by name"
for v in text:
    assert top not in v and tmp not in v, v
    assert not re.search(r"(?<![\w.])/(?:[\w.-]+/)+[\w.-]+", v), v
EOF
}

test_recalibrate_count_is_a_dash_until_a_township_has_a_verdict() {
	pycheck "需重新校准乡镇数: — where no township has a verdict" "$OUT/report.xlsx" "$DB" <<'EOF'
import sys, sqlite3, openpyxl
db = sqlite3.connect(sys.argv[2])
ws = openpyxl.load_workbook(sys.argv[1])["总表"]
head = [c.value for c in ws[3]]
col = head.index("需重新校准乡镇数") + 1
verdict = {(c, t): v for c, t, v in db.execute("SELECT county, township, verdict FROM v_township_check WHERE period = '2026-10'")}
county = None
dashes = numbers = 0
for r in range(4, ws.max_row + 1):
    level, name, v = ws.row_dimensions[r].outline_level, ws.cell(r, 1).value, ws.cell(r, col).value
    if name is None:
        break
    if level == 1:
        county = name
    if level == 2:
        got = verdict.get((county, name))
        if got in ("pass", "recalibrate"):
            assert v == (1 if got == "recalibrate" else 0), (county, name, v, got)
            numbers += 1
        else:
            assert v == "—", (county, name, v, got)
            dashes += 1
assert numbers > 0, (dashes, numbers)
EOF
	"$BIN/bangfu-report" -q --db "$DB" --period 2026-09 --out "$TMP/sep-dash.xlsx" || { bad "2026-09 report failed"; return; }
	pycheck "需重新校准乡镇数 of an unsampled month: — on every row" "$TMP/sep-dash.xlsx" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["总表"]
head = [c.value for c in ws[3]]
col = head.index("需重新校准乡镇数") + 1
values = []
for r in range(4, ws.max_row + 1):
    if ws.cell(r, 1).value is None:
        break
    values.append(ws.cell(r, col).value)
assert values and all(v == "—" for v in values), values
EOF
}

test_every_sheet_fits_its_text() {
	layout_check "$OUT/report.xlsx" "$OUT"/townships/*.xlsx >"$TMP/layout.out" && ok ||
		{ bad "text cut or rows too low in the report"; sed 's/^/    /' "$TMP/layout.out"; }
}

test_a_province_of_long_place_names_reads_well() {
	long=$TMP/long
	long_names_province "$long" 2026-10 3000 &&
		"$BIN/bangfu-sample" -q --db "$long/bangfu.db" --period 2026-10 --out "$long/sheets" &&
		"$BIN/bangfu-report" -q --db "$long/bangfu.db" --period 2026-10 --out "$long/report.xlsx" \
			--townships "$long/townships" --expand township || { bad "long names: the pipeline failed"; return; }
	layout_check "$long/report.xlsx" "$long"/townships/*.xlsx >"$TMP/layout.out" && ok ||
		{ bad "long names: text cut or rows too low"; sed 's/^/    /' "$TMP/layout.out"; }
	pycheck "long names: widths, GB/T 2260 order, — before any return, the meta row" "$long/report.xlsx" \
		"$TOP/data/gbt2260_counties.csv" <<'EOF'
import csv, sys, openpyxl
from openpyxl.utils import get_column_letter
book, regions = sys.argv[1:3]
def width(s):
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s)
wb = openpyxl.load_workbook(book)
ws = wb["总表"]
names = []
for r in range(4, ws.max_row + 1):
    if ws.cell(r, 1).value is None:
        break
    names.append((ws.cell(r, 1).value, ws.row_dimensions[r].outline_level))
assert "湘西土家族苗族自治州" in [n for n, l in names]
need = max(width(n) + 2 * l for n, l in names)
assert ws.column_dimensions["A"].width >= need, (ws.column_dimensions["A"].width, need)
longest = max((n for n, l in names if l == 2), key=width)
assert width(longest) >= 20, longest
# 市州 in GB/T 2260 order, which is not the order of their character codes
order = {}
with open(regions, encoding="utf-8") as f:
    for r in csv.DictReader(f):
        order.setdefault(r["city"], int(r["city_code"]))
cities = [n for n, l in names if l == 0 and n != "合计"]
assert cities == sorted(cities, key=order.get), cities
assert cities != sorted(cities), cities
# sampled, nothing returned: nobody knows yet which township must recalibrate
col = [c.value for c in ws[3]].index("需重新校准乡镇数") + 1
values = [ws.cell(r, col).value for r in range(4, 4 + len(names))]
assert all(v == "—" for v in values), values
# 零就业家庭: the meta row is whole, not "生成时间：20单位：人"
zs = wb["零就业家庭"]
meta = zs["A2"].value
merged = next(r for r in zs.merged_cells.ranges if r.min_row == 2)
w = sum(zs.column_dimensions[get_column_letter(c)].width for c in range(merged.min_col, merged.max_col + 1))
lines = -(-width(meta) // (1.05 * w))
assert (zs.row_dimensions[2].height or 15) >= 11 * lines, (meta, w, zs.row_dimensions[2].height)
EOF
}

# Every split adds up to its total, on every row of every sheet, for a
# generated province: 省外 + 省内县外 + 县内 + 地点不详 = 已就业, 已就业 + 未就业 =
# 脱贫劳动力, the categories of 比对情况 to its persons, the answers of 乡镇抽查
# to what was returned — in the workbook and in the CSV.
test_every_split_adds_up_to_its_total_on_a_generated_province() {
	g=$TMP/gen
	gdb=$TMP/gen.db
	"$GEN" --people 20000 --seed 11 --period $PERIOD --out "$g" 2>/dev/null &&
		"$BIN/bangfu-ingest" -q --db "$gdb" --period $PERIOD --source roster "$g/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$gdb" --period $PERIOD --source hr "$g/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$gdb" --period $PERIOD &&
		"$BIN/bangfu-sample" -q --db "$gdb" --period $PERIOD --out "$g/sheets" &&
		$PY "$TOP/scripts/simulate-answers.py" "$g/sheets" "$g/returned" >/dev/null &&
		"$BIN/bangfu-verify" -q --db "$gdb" --period $PERIOD "$g"/returned/*.xlsx &&
		"$BIN/bangfu-report" -q --db "$gdb" --period $PERIOD --out "$g/report.xlsx" --csv "$g/csv" ||
		{ bad "the generated province's pipeline"; return; }
	pycheck "splits add up" "$g/report.xlsx" "$g/csv/总表.csv" <<'PYEOF'
import csv, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])

def table(name):
    """The data rows under the header (row 3), up to the first empty row."""
    ws = wb[name]
    head = [c.value for c in ws[3]]
    rows = []
    for r in ws.iter_rows(min_row=4, values_only=True):
        if r[0] is None:
            break
        rows.append(dict(zip(head, r)))
    return rows

def check(rows, parts, whole, where):
    assert rows, where
    for r in rows:
        got = sum(r[p] for p in parts)
        assert got == r[whole], (where, r, parts, got, r[whole])

z = table("总表")
check(z, ["其中：省外", "其中：省内县外", "其中：县内", "其中：地点不详"], "已就业人数", "总表")
check(z, ["已就业人数", "未就业人数"], "脱贫劳动力人数", "总表")
for r in z:
    assert r["其中：公益性岗位"] + r["其中：就业帮扶车间"] <= r["已就业人数"], r
    assert r["其中：有就业意愿"] <= r["未就业人数"], r
    assert r["省平台录入人数"] <= r["脱贫劳动力人数"], r
c = table("比对情况")
check(c, ["一致", "不一致", "仅扶贫系统（未录入省平台）", "仅人社平台", "证件号码无效", "重复"], "比对人员数", "比对情况")
k = table("乡镇抽查")
check(k, ["准确", "不准确", "无法联系"], "已返回结果", "乡镇抽查")
with open(sys.argv[2], encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        parts = sum(int(float(r[h])) for h in ["其中：省外", "其中：省内县外", "其中：县内", "其中：地点不详"])
        assert parts == int(float(r["已就业人数"])), ("总表.csv", r)
PYEOF
}

# What differs from run to run in the outputs of this month: today's date
# (the returned sheets are dated today) and the SHA-256 of the returned
# sheets (filled in today); for expect_cells.
run_dependent() {
	echo -- "$TODAY=<today>"
	for f in "$TMP"/returned/*.xlsx; do
		echo "$(sha256sum <"$f" | cut -c1-64)=<sha256-of-$(basename "$f")>"
	done
}

# Every cell of what the stage writes for the month, against the files in
# tests/data/report/ (UPDATE_EXPECTED=1 rewrites them; see tests/lib.sh):
# the report with its township workbooks and --csv, for 2026-10 (three
# cities, sampled and checked, targets) and for 2026-09 (长沙市 only, not
# sampled).  They pin what the leadership and the townships read.
test_the_outputs_are_the_expected_cells() {
	subs=$(run_dependent)
	for p in 2026-10 2026-09; do
		o=$TMP/cells-$p
		mkdir -p "$o"
		"$BIN/bangfu-report" -q --db "$DB" --period $p --out "$o/report.xlsx" --unit 湖南省人社厅 \
			--targets "$DATA/report/targets.csv" --townships "$o/townships" --csv "$o/csv" 2>"$TMP/err" ||
			{ bad "report $p"; sed 's/^/    /' "$TMP/err"; continue; }
		# shellcheck disable=SC2086
		expect_cells "report $p" "$DATA/report/report-$p.cells" "$o/report.xlsx" $subs
		# shellcheck disable=SC2086
		expect_cells "township workbooks $p" "$DATA/report/townships-$p.cells" "$o/townships" $subs
		# shellcheck disable=SC2086
		expect_cells "--csv $p" "$DATA/report/csv-$p.cells" "$o/csv" $subs
	done
}

if ! setup; then
	cat "$TMP/report.err" 2>/dev/null
	give_up "could not build the reconciled, verified database and the report"
fi
ok
run_tests
