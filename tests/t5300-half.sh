#!/bin/sh
# bangfu-report --half: the half-year analysis workbook.  Generated months
# (bangfu-gen --evolve-from, 3000 persons, seed 7): 2025-04, the same month
# a year before, then 2026-01, 2026-02 and 2026-04 of the first half (2026-03
# is missing), each ingested and reconciled, 2026-01 and 2026-02 sampled and
# checked with every fourth township at 75% (scripts/simulate-answers.py).
# The workbook read back with openpyxl against the database's totals and
# changes, cell by cell, and its summary's numbers; bad arguments; a
# province of long place names.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/long_names.sh"

G=$TMP/gen
DB=$TMP/months.db
MONTHS="2025-04 2026-01 2026-02 2026-04"

"$GEN" -q --people 3000 --seed 7 --period 2025-04 --out "$G/2025-04" &&
	"$GEN" -q --seed 7 --period 2026-01 --evolve-from "$G/2025-04" --out "$G/2026-01" &&
	"$GEN" -q --seed 7 --period 2026-02 --form real --evolve-from "$G/2026-01" --out "$G/2026-02" &&
	"$GEN" -q --seed 7 --period 2026-04 --evolve-from "$G/2026-02" --out "$G/2026-04" ||
	give_up "bangfu-gen: the months"
for m in $MONTHS; do
	"$BIN/bangfu-ingest" -q --db "$DB" --period "$m" --source roster "$G/$m/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period "$m" --source hr "$G/$m/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$DB" --period "$m" || give_up "ingest and reconcile $m"
done
for m in 2026-01 2026-02; do
	"$BIN/bangfu-sample" -q --db "$DB" --period "$m" --out "$TMP/sheets-$m" &&
		$PY "$TOP/scripts/simulate-answers.py" "$TMP/sheets-$m" "$TMP/returned-$m" >/dev/null &&
		"$BIN/bangfu-verify" -q --db "$DB" --period "$m" --from "$TMP/returned-$m" --notices "$TMP/notices-$m" \
			--out "$TMP/recalibrate-$m" || give_up "sample and verify $m"
done
BOOK=$TMP/out/半年分析-2026-H1.xlsx
mkdir -p "$TMP/out"

test_bad_arguments_exit_2_and_say_what_is_expected() {
	for half in 2026-H3 2026-1 2026-h1 H1-2026 2026-H12 1999-H1; do
		expect_exit 2 "--half $half" "$BIN/bangfu-report" --db "$DB" --half "$half" --out "$BOOK"
		has "--half '$half' is not a half-year: expected YYYY-H1 (January to June) or YYYY-H2" "--half $half"
	done
	expect_exit 2 "--half with --csv" "$BIN/bangfu-report" --db "$DB" --half 2026-H1 --out "$BOOK" --csv "$TMP/csv"
	has "--csv does not go with --half" "--half with --csv"
	expect_exit 2 "--half with --period" "$BIN/bangfu-report" --db "$DB" --half 2026-H1 --period 2026-01 \
		--out "$BOOK"
	has "--period does not go with --half" "--half with --period"
	expect_exit 2 "neither --period nor --half" "$BIN/bangfu-report" --db "$DB" --out "$BOOK"
	has "--period is required (or --half for the half-year analysis)" "neither --period nor --half"
	[ ! -e "$BOOK" ] && [ ! -e "$TMP/csv" ] && ok || bad "a refused command writes nothing"
}

test_a_half_without_a_reconciled_month_exits_1_and_writes_nothing() {
	expect_exit 1 "--half 2025-H2" "$BIN/bangfu-report" --db "$DB" --half 2025-H2 --out "$TMP/out/h2.xlsx"
	has "no month of 2025-H2 (2025-07 to 2025-12) is reconciled in this database" "the message"
	[ -z "$(ls "$TMP/out")" ] && ok || bad "nothing is left in the output directory: $(ls "$TMP/out")"
}

test_the_workbook_is_written_whole_with_its_two_sheets() {
	expect_exit 0 "--half 2026-H1" "$BIN/bangfu-report" --db "$DB" --half 2026-H1 --out "$BOOK" --unit 湖南省人社厅
	has "2026-H1: 3 of 6 months in the database (no data: 2026-03, 2026-05, 2026-06); 同比 for 1" "the line on stderr"
	[ "$(stat -c %a "$BOOK")" = 600 ] && ok || bad "mode 0600 like the report"
	[ "$(ls "$TMP/out")" = "半年分析-2026-H1.xlsx" ] && ok || bad "one file, no temporary left: $(ls "$TMP/out")"
	pycheck "the sheets, the title and the headers" "$BOOK" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["半年对比", "说明"], wb.sheetnames
ws = wb["半年对比"]
assert ws["A1"].value == "就业帮扶2026年上半年分析：各月对比（2026-01 至 2026-06）", ws["A1"].value
assert "填报单位：湖南省人社厅" in ws["A2"].value and "统计时段：2026年上半年（2026-01 至 2026-06）" in ws["A2"].value
groups = ["脱贫劳动力人数", "已就业人数", "就业率", "就业率同比（百分点）", "已就业人数同比增减", "外出务工人数",
          "就业转失业人数", "新就业人数", "抽查准确率"]
assert ws.cell(3, 1).value == "地区"
for g, label in enumerate(groups):
    assert ws.cell(3, 2 + 6 * g).value == label, (g, ws.cell(3, 2 + 6 * g).value)
    assert [ws.cell(4, 2 + 6 * g + m).value for m in range(6)] == ["%d月" % (m + 1) for m in range(6)]
assert ws.max_column == 1 + 6 * len(groups), ws.max_column
assert ws.freeze_panes == "B5", ws.freeze_panes
assert ws.print_title_rows == "$3:$4" and ws.print_title_cols == "$A:$A", (ws.print_title_rows, ws.print_title_cols)
for row in ws.iter_rows():
    for c in row:
        assert c.data_type != "f", c.coordinate
EOF
}

# Every cell of 半年对比 from the database: the per-township totals summed
# by place, the changes of v_change, 同比 against 2025-04; 无数据 for the
# months the database lacks, "—" where nothing compares.
test_every_cell_of_the_comparison_equals_the_database() {
	pycheck "半年对比 against the database" "$BOOK" "$DB" <<'EOF'
import collections, math, sqlite3, sys, openpyxl
book, db = sys.argv[1:3]
con = sqlite3.connect(db)
half = ["2026-%02d" % m for m in range(1, 7)]
before = ["2025-%02d" % m for m in range(1, 7)]
run = dict(con.execute("SELECT period, coalesce(previous_period, '') FROM reconcile_run"))
assert sorted(run) == ["2025-04", "2026-01", "2026-02", "2026-04"], run
tot = collections.defaultdict(lambda: [0] * 5)
for p, city, county, *v in con.execute("SELECT period, city, county, labour, employed, out_province + in_province,"
                                       " accurate, inaccurate FROM v_township_progress"):
    for key in ((), (city,), (city, county)):
        tot[p, key] = [a + b for a, b in zip(tot[p, key], v)]
chg = collections.Counter()
for p, city, county, change in con.execute("SELECT period, city, county, change FROM v_change"):
    for key in ((), (city,), (city, county)):
        chg[p, key, change] += 1
def rate(p, key):
    labour, employed = tot[p, key][0], tot[p, key][1]
    return employed / labour if labour else None
def expected(g, m, key):
    p, b = half[m], before[m]
    if p not in run:
        return "无数据"
    t = tot[p, key]
    if g == 0: return t[0]
    if g == 1: return t[1]
    if g == 2: return rate(p, key) if rate(p, key) is not None else "—"
    if g == 3:
        if b not in run or (b, key) not in tot or rate(p, key) is None or rate(b, key) is None:
            return "—"
        return (rate(p, key) - rate(b, key)) * 100
    if g == 4: return t[1] - tot[b, key][1] if b in run and (b, key) in tot else "—"
    if g == 5: return t[2]
    if g in (6, 7):
        return chg[p, key, "became_unemployed" if g == 6 else "newly_employed"] if run[p] else "—"
    return t[3] / (t[3] + t[4]) if t[3] + t[4] else "—"
ws = openpyxl.load_workbook(book)["半年对比"]
seen, city = [], None
for r in range(5, ws.max_row + 1):
    name = ws.cell(r, 1).value
    if name is None:
        break
    level = ws.row_dimensions[r].outline_level
    if name == "合计":
        assert r == 5 and level == 0
        key = ()
    elif level == 0:
        city, key = name, (name,)
        assert not ws.row_dimensions[r].hidden
    else:
        key = (city, name)
        assert level == 1 and ws.row_dimensions[r].hidden, f"{name}: 县市区 rows are collapsed"
    seen.append(key)
    for g in range(9):
        for m in range(6):
            got, want = ws.cell(r, 2 + 6 * g + m).value, expected(g, m, key)
            if isinstance(want, float):
                assert isinstance(got, float) and math.isclose(got, want, abs_tol=1e-9), (key, g, m, got, want)
            else:
                assert got == want, (key, g, m, got, want)
places = {k for (p, k) in tot if p in half and p in run}
assert set(seen) == places and len(seen) == len(places), (sorted(places - set(seen))[:3], len(seen))
assert sum(len(k) == 2 for k in seen) >= 5, "several 县市区"
# what the test data must hold for the cells above to mean something
assert ws.cell(5, 2 + 6 * 3 + 3).value != "—" and ws.cell(5, 2 + 6 * 3).value == "—", "同比 of 4月 only"
assert ws.cell(5, 2 + 6 * 6 + 3).value > 0 and ws.cell(5, 2 + 6 * 8).value < 1, "changes and checks"
assert ws.cell(5, 2 + 6 * 8 + 3).value == "—", "2026-04 has no checks"
note = ws.cell(r + 1, 2).value
assert note.startswith("注：人数单位为人。“无数据”：数据库中没有该月的已比对期次（2026-03、2026-05、2026-06）；"), note
EOF
}

# The 说明 sheet's sentences carry the numbers of the database: which
# months are missing, the province's rate from the first month to the last
# and against a year before, the 市州 and 县市区 that rose and fell most,
# 就业转失业 and the townships below the threshold twice.
test_the_summary_says_what_the_numbers_say() {
	pycheck "说明 against the database" "$BOOK" "$DB" <<'EOF'
import collections, sqlite3, sys, openpyxl
book, db = sys.argv[1:3]
con = sqlite3.connect(db)
wb = openpyxl.load_workbook(book)
notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=4, values_only=True)}
def has(label, text):
    assert text in notes[label], f"{label}: '{text}' not in '{notes[label]}'"
has("各月数据", "数据库中有 2026-01、2026-02、2026-04 共 3 个月的数据；2026-03、2026-05、2026-06 共 3 个月无数据")
has("同比", "上年同期在数据库中的月份：2025-04；其余月份的同比为“—”。")
tot = collections.defaultdict(lambda: [0, 0])
for p, city, county, labour, employed in con.execute(
        "SELECT period, city, county, labour, employed FROM v_township_progress"):
    for key in ((), (city,), (city, county)):
        tot[p, key][0] += labour
        tot[p, key][1] += employed
rate = lambda p, k: tot[p, k][1] / tot[p, k][0]
r0, r1, rb = rate("2026-01", ()), rate("2026-04", ()), rate("2025-04", ())
has("主要变化：全省", "全省就业率由 2026-01 的 %.1f%% 变为 2026-04 的 %.1f%%，" % (r0 * 100, r1 * 100))
has("主要变化：全省", "已就业人数由 %d 人变为 %d 人，" % (tot["2026-01", ()][1], tot["2026-04", ()][1]))
has("主要变化：全省", "与上年同期 2025-04 的 %.1f%% 相比，2026-04 的就业率" % (rb * 100))
def moves(n):
    d = {k: rate("2026-04", k) - rate("2026-01", k) for (p, k) in tot
         if p == "2026-01" and len(k) == n and ("2026-04", k) in tot and tot["2026-04", k][0]}
    return d
# place order: the sheet's row order
ws = wb["半年对比"]
order, city = [], None
for r in range(6, ws.max_row + 1):
    name = ws.cell(r, 1).value
    if name is None:
        break
    if ws.row_dimensions[r].outline_level == 0:
        city = name
        order.append((name,))
    else:
        order.append((city, name))
for n, what in ((1, "市州"), (2, "县市区")):
    d = moves(n)
    assert len(d) >= 2
    up = max(d, key=lambda k: (d[k], -order.index(k)))
    down = min(d, key=lambda k: (d[k], order.index(k)))
    for k, word in ((up, "上升"), (down, "下降")):
        if (d[k] > 0) == (word == "上升") and d[k] != 0:
            has("主要变化：" + what, "%s中就业率%s最多的是%s（由 %.1f%% 到 %.1f%%，" % (
                what, word, "".join(k), rate("2026-01", k) * 100, rate("2026-04", k) * 100))
        else:
            has("主要变化：" + what, "没有就业率%s的%s" % (word, what))
became = collections.Counter()
for p, city, county in con.execute("SELECT period, city, county FROM v_change WHERE change = 'became_unemployed'"
                                   " AND period LIKE '2026-%'"):
    became[p] += 1
    became[(city, county)] += 1
total = sum(became[p] for p in ("2026-01", "2026-02", "2026-04"))
has("主要变化：就业转失业", "本半年就业转失业共 %d 人（3 个月与上一个已比对月相比之和）" % total)
top_month = max(("2026-01", "2026-02", "2026-04"), key=lambda p: (became[p], -int(p[5:])))
has("主要变化：就业转失业", "最多的是 %s（%d 人）" % (top_month, became[top_month]))
counties = sorted((k for k in order if len(k) == 2 and became[k]), key=lambda k: (-became[k], order.index(k)))[:3]
has("主要变化：就业转失业", "；就业转失业最多的县市区：" + "、".join("%s %d 人" % ("".join(k), became[k]) for k in counties) + "。")
has("主要变化：就业转失业", "2026-01 的变动是与 2025-04 相比")
has("主要变化：就业转失业", "2026-04 的变动是与 2026-02 相比")
twice = sorted(con.execute("SELECT city, county, township, count(*), group_concat(period, '、')"
                           " FROM (SELECT * FROM v_township_check WHERE verdict = 'recalibrate' ORDER BY period)"
                           " GROUP BY city, county, township HAVING count(*) >= 2"),
               key=lambda t: (-t[3], order.index((t[0], t[1])), t[2]))
assert len(twice) >= 2, twice
has("主要变化：抽查准确率", "抽查准确率两次及以上低于 90%%、须重新开展信息校准的乡镇有 %d 个：" % len(twice))
has("主要变化：抽查准确率", "、".join("%s%s%s（%s）" % (t[0], t[1], t[2], t[4]) for t in twice[:10]))
assert ("等。" in notes["主要变化：抽查准确率"]) == (len(twice) > 10)
EOF
}

test_a_half_of_one_month_says_there_is_nothing_to_compare() {
	expect_exit 0 "--half 2025-H1" "$BIN/bangfu-report" --db "$DB" --half 2025-H1 --out "$TMP/h1-2025.xlsx" \
		--expand county
	pycheck "a half of one month" "$TMP/h1-2025.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=4, values_only=True)}
assert "本半年只有这一个月的数据，无从比较各月变化" in notes["主要变化：全省"], notes["主要变化：全省"]
assert "主要变化：市州" not in notes and "主要变化：县市区" not in notes
assert notes["同比"] == "上年同期（2024-01 至 2024-06）都不在数据库中，同比列为“—”。", notes["同比"]
assert "本半年没有可与上月比较的月份" in notes["主要变化：就业转失业"]
assert "本半年各月都没有乡镇得出抽查结论" in notes["主要变化：抽查准确率"]
ws = wb["半年对比"]
assert [ws.cell(5, 2 + m).value == "无数据" for m in range(6)] == [True] * 3 + [False] + [True] * 2
for r in range(5, ws.max_row + 1):
    if ws.cell(r, 1).value is None:
        break
    assert not ws.row_dimensions[r].hidden, "--expand county shows every row"
EOF
}

# A year before moved out by bangfu-archive is no 同比, and 说明 says where
# it went (by the archive's file name).
test_an_archived_year_before_is_named() {
	mkdir -p "$TMP/arc"
	cp "$DB" "$TMP/arc/bangfu.db"
	"$BIN/bangfu-archive" -q --db "$TMP/arc/bangfu.db" --before 2026-01 --to "$TMP/arc/archive.db" &&
		"$BIN/bangfu-report" -q --db "$TMP/arc/bangfu.db" --half 2026-H1 --out "$TMP/arc/half.xlsx" ||
		{ bad "archive and --half"; return; }
	pycheck "同比 of an archived year" "$TMP/arc/half.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
notes = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=4, values_only=True)}
assert notes["同比"] == ("上年同期（2025-01 至 2025-06）都不在数据库中，同比列为“—”。"
                        "2025-04 已由 bangfu-archive 移到 archive.db，本表读不到。"), notes["同比"]
assert "2026-01 的变动是与 2025-04 相比" in notes["主要变化：就业转失业"]
ws = wb["半年对比"]
assert ws.cell(5, 2 + 6 * 3 + 3).value == "—" and ws.cell(5, 2 + 6 * 4 + 3).value == "—"
EOF
}

test_no_name_or_id_number_is_in_the_workbook() {
	pycheck "no personal data" "$BOOK" "$DB" <<'EOF'
import re, sqlite3, sys, openpyxl
book, db = sys.argv[1:3]
names = {n for (n,) in sqlite3.connect(db).execute("SELECT DISTINCT name FROM person WHERE name <> ''")}
assert len(names) > 1000
for ws in openpyxl.load_workbook(book).worksheets:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            if isinstance(v, str):
                assert not re.search(r"\d{15}", v), v
                assert v not in names, v
EOF
}

test_the_workbook_reads_well_with_long_place_names() {
	long=$TMP/long
	long_names_province "$long" 2026-07 3000 &&
		"$GEN" -q --seed 12 --period 2026-08 --data "$long/data" --evolve-from "$long/in" --out "$long/in2" &&
		"$BIN/bangfu-ingest" -q --db "$long/bangfu.db" --period 2026-08 --source roster "$long/in2/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$long/bangfu.db" --period 2026-08 --source hr "$long/in2/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$long/bangfu.db" --period 2026-08 &&
		"$BIN/bangfu-report" -q --db "$long/bangfu.db" --half 2026-H2 --out "$long/half.xlsx" --expand county ||
		{ bad "long names: the pipeline failed"; return; }
	layout_check "$long/half.xlsx" >"$TMP/layout.out" && ok ||
		{ bad "long names: text cut or rows too low"; sed 's/^/    /' "$TMP/layout.out"; }
	pycheck "long names: the 市州 and their 县市区 in GB/T 2260 order" "$long/half.xlsx" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["半年对比"]
names = [ws.cell(r, 1).value for r in range(5, ws.max_row + 1)]
names = names[:names.index(None)]
assert names[0] == "合计" and "湘西土家族苗族自治州" in names, names
assert names.index("邵阳市") < names.index("绥宁县") < names.index("湘西土家族苗族自治州") < names.index("吉首市"), names
assert [ws.cell(4, 2 + m).value for m in range(6)] == ["7月", "8月", "9月", "10月", "11月", "12月"]
EOF
}

run_tests
