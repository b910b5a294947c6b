#!/bin/sh
# End-to-end tests of bangfu-screen: the rules template against the policy
# documents' text; generated data for a 2021-rules month (2025-10) and a
# 2017-rules month (2020-10), ingested, reconciled and screened, compared with
# an independent expectation (tests/data/screen/expect.py, which computes the
# candidates from the generated CSV files and the reconciled categories); the
# workbooks read back with openpyxl; the once-a-year limit across months; and
# bad input (a bad rules row, no reconcile result, no rules in force).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/long_names.sh"
DATA=$TOP/tests/data/screen
DB=$TMP/bangfu.db

# The independent expectation for a period: $1 period [$2 earlier period].
expect() {
	if (cd "$TOP" && $PY "$DATA/expect.py" "$DB" "$1" "$TMP/in-${3:-$1}" ${2:+"$2"}) >"$TMP/py.out" 2>&1; then ok; else
		bad "candidates of $1 differ from the expectation"; sed 's/^/    /' "$TMP/py.out" | tail -n 15; fi
}

# gen + ingest + reconcile one month into $DB; $1 period, $2 seed
load_month() {
	mkdir -p "$TMP/in-$1"
	"$GEN" -q --people 3000 --seed "$2" --period "$1" --form plain --out "$TMP/in-$1" &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period "$1" --source roster "$TMP/in-$1/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period "$1" --source hr "$TMP/in-$1/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$DB" --period "$1"
}

test_the_rules_template_says_what_the_documents_say() {
	pycheck "rules template against the documents" "$TOP/templates/subsidy_rules.csv" "$DATA" <<'EOF'
import csv, re, sys
rules_path, data = sys.argv[1:3]
docs = {
    "湘人社发〔2017〕58号": "hunan-2017-58-employment-poverty-implementation.txt",
    "湘人社规〔2021〕10号": "hunan-2021-10-employment-assistance-rural-revitalization.txt",
}
flat = lambda s: re.sub(r"\s+", "", s)
text = {d: flat(open(f"{data}/{f}", encoding="utf-8").read()) for d, f in docs.items()}
rows = list(csv.DictReader(open(rules_path, encoding="utf-8")))
problems = []
def cn_date(iso):
    y, m, d = (int(x) for x in iso.split("-"))
    return [f"{y}年{m}月{d}日"] + ([f"{y}年底"] if (m, d) == (12, 31) else [])
for n, r in enumerate(rows, 2):
    where = f"{r['id']} (line {n})"
    doc = text.get(r["document"])
    if doc is None:
        problems.append(f"{where}: unknown document {r['document']}"); continue
    quote = flat(r["source_text"])
    if not quote or quote not in doc:
        problems.append(f"{where}: source_text is not in {r['document']}"); continue
    if r["amount"]:
        if f"{r['amount']}元" not in quote:
            problems.append(f"{where}: amount {r['amount']} is not in its source_text")
    elif not r["note"]:
        problems.append(f"{where}: no amount and no note saying why")
    if r["max_months"] and f"不超过{r['max_months']}个月" not in quote:
        problems.append(f"{where}: max_months {r['max_months']} is not in its source_text")
    m = re.search(r"months >= (\d+)", r["conditions"])
    if m and f"{m.group(1)}个月" not in doc:
        problems.append(f"{where}: {m.group(1)} months is not in {r['document']}")
    for col in ("valid_from", "valid_to"):
        if not any(flat(d) in doc for d in cn_date(r[col])):
            problems.append(f"{where}: {col} {r[col]} is not a date of {r['document']}")
# the subsidies and amounts issue 9 names
want = {("就业创业服务补助", "湘人社发〔2017〕58号"): "200", ("就业创业服务补助", "湘人社规〔2021〕10号"): "300",
        ("岗位补贴", "湘人社发〔2017〕58号"): "1000", ("岗位补贴（贫困地区企业吸纳当地）", "湘人社发〔2017〕58号"): "1500",
        ("以工代训职业培训补贴", "湘人社规〔2021〕10号"): "500"}
have = {(r["subsidy"], r["document"]): r["amount"] for r in rows}
for k, v in want.items():
    if have.get(k) != v:
        problems.append(f"{k}: amount {have.get(k)}, expected {v}")
for name in ("一次性交通补助", "社会保险补贴", "乡村公益性岗位补贴"):
    if not any(r["subsidy"] == name for r in rows):
        problems.append(f"no rule for {name}")
assert not problems, "\n".join(problems)
EOF
}

setup() {
	load_month 2025-10 5 && load_month 2020-10 6 || return 1
	"$BIN/bangfu-screen" --db "$DB" --period 2025-10 --out "$TMP/out" --unit 湖南省人社厅 2>"$TMP/screen.err" &&
		"$BIN/bangfu-screen" -q --db "$DB" --period 2020-10 --out "$TMP/out2020"
}

test_2021_rules_month_matches_the_independent_expectation() {
	expect 2025-10
	[ "$(q "SELECT count(*) FROM subsidy_candidate WHERE period = '2025-10' AND rule_id NOT LIKE '%2021'")" = 0 ] &&
		ok || bad "2025-10 should use only the 2021 rules"
}

test_2017_rules_month_matches_the_independent_expectation() {
	expect 2020-10
	[ "$(q "SELECT group_concat(DISTINCT amount) FROM subsidy_candidate WHERE period = '2020-10'
		AND rule_id = 'service_2017'")" = 200.0 ] && ok || bad "2017 service subsidy should be 200"
	[ "$(q "SELECT group_concat(DISTINCT amount) FROM subsidy_candidate WHERE period = '2025-10'
		AND rule_id = 'service_2021'")" = 300.0 ] && ok || bad "2021 service subsidy should be 300"
	[ "$(q "SELECT group_concat(DISTINCT amount) FROM subsidy_candidate WHERE period = '2020-10'
		AND rule_id = 'post_poor_2017'")" = 1500.0 ] && ok || bad "2017 post subsidy in poor areas should be 1500"
}

test_both_statuses_occur_and_contract_rules_are_never_eligible() {
	[ "$(q "SELECT count(DISTINCT status) FROM subsidy_candidate WHERE period = '2025-10'")" = 2 ] && ok ||
		bad "2025-10 should have both 符合 and 待核实"
	[ "$(q "SELECT count(*) FROM subsidy_candidate WHERE rule_id IN ('post_2017', 'post_poor_2017', 'social_2017',
		'social_2021') AND (status <> '待核实' OR reason NOT LIKE '%劳动合同%')")" = 0 ] && ok ||
		bad "contract and social-insurance rules must be 待核实 naming the contract"
	[ "$(q "SELECT count(*) FROM subsidy_candidate WHERE person_key LIKE '%:%' AND (status <> '待核实'
		OR reason NOT LIKE '%证件号码无效%')")" = 0 ] && ok || bad "invalid-ID persons must be 待核实"
	[ "$(q "SELECT count(*) FROM subsidy_candidate WHERE person_key LIKE '%:%'")" -gt 0 ] && ok ||
		bad "some invalid-ID persons should be listed"
	[ "$(q "SELECT count(*) FROM v_subsidy_candidate WHERE period = '2025-10'")" = \
		"$(q "SELECT candidates FROM screen_run WHERE period = '2025-10'")" ] && ok || bad "view and run disagree"
}

test_workbooks_per_county_and_summary() {
	grep -q "wrote .* county workbooks" "$TMP/screen.err" && ok || bad "screen should say what it wrote"
	for f in "$TMP"/out/*.xlsx; do
		[ "$(stat -c %a "$f")" = 600 ] || { bad "$f should be mode 0600"; return; }
	done
	ok
	[ -z "$(find "$TMP/out" -name '.*' -type f)" ] && ok || bad "temporary files left in the output directory"
	pycheck "county workbooks" "$TMP/out" "$DB" <<'EOF'
import glob, re, sqlite3, sys, openpyxl
out, db = sys.argv[1:3]
db = sqlite3.connect(db)
books = sorted(glob.glob(f"{out}/补贴筛选名单_*_2025-10.xlsx"))
counties = db.execute("SELECT count(DISTINCT city || '|' || county) FROM subsidy_candidate WHERE period = '2025-10'").fetchone()[0]
assert len(books) == counties, (len(books), counties)
rows = 0
for path in books:
    city, county = path.rsplit("/", 1)[1].split("_")[1:3]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "说明", wb.sheetnames
    towns = [t for (t,) in db.execute("SELECT DISTINCT township FROM subsidy_candidate WHERE period = '2025-10'"
                                      " AND city = ? AND county = ? ORDER BY township", (city, county))]
    assert sorted(wb.sheetnames[1:]) == sorted(t[:28] for t in towns), (wb.sheetnames, towns)
    for ws in wb.worksheets[1:]:
        head = [c.value for c in ws[3]]
        assert head[:5] == ["序号", "行政村", "姓名", "证件号码", "补贴项目"], head
        for r in ws.iter_rows(min_row=4, values_only=True):
            if r[0] is None or str(r[0]).startswith("合计"):
                continue
            rows += 1
            assert not re.fullmatch(r"\d{17}[\dX]", r[3] or ""), f"ID not masked: {r[3]}"
            assert r[11] in ("符合", "待核实"), r[11]
            if r[11] == "待核实":
                assert r[12], "待核实 without a reason"
            else:
                assert r[8], "符合 without evidence"
total = db.execute("SELECT count(*) FROM subsidy_candidate WHERE period = '2025-10'").fetchone()[0]
assert rows == total, (rows, total)
EOF
	pycheck "province summary" "$TMP/out/补贴筛选汇总_2025-10.xlsx" "$DB" <<'EOF'
import sys, sqlite3, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
assert wb.sheetnames == ["汇总", "分市州", "说明"], wb.sheetnames
want = {s: (e, ea, v, va) for s, e, ea, v, va in db.execute(
    "SELECT subsidy, sum(status = '符合'), sum(CASE WHEN status = '符合' THEN amount END),"
    " sum(status = '待核实'), sum(CASE WHEN status = '待核实' THEN amount END)"
    " FROM subsidy_candidate WHERE period = '2025-10' GROUP BY subsidy")}
seen = 0
for r in wb["汇总"].iter_rows(min_row=4, values_only=True):
    if r[1] in want:
        e, ea, v, va = want[r[1]]
        assert (r[5], r[7]) == (e, v), (r, want[r[1]])
        if va is not None:
            assert r[8] == va, (r, va)
        seen += 1
assert seen == len(want), (seen, want)
city = {(c, s): n for c, s, n in db.execute("SELECT city, subsidy, candidates FROM v_subsidy_city WHERE period = '2025-10'")}
got = {(r[0], r[1]): r[8] for r in wb["分市州"].iter_rows(min_row=4, values_only=True) if r[0] and r[0] != "合计（人次）"}
assert got == city, (got, city)
EOF
}

test_full_id_shows_whole_numbers() {
	"$BIN/bangfu-screen" -q --db "$DB" --period 2025-10 --out "$TMP/full" --full-id || { bad "--full-id run failed"; return; }
	pycheck "whole IDs" "$TMP/full" <<'EOF'
import glob, re, sys, openpyxl
ids = [r[3] for p in glob.glob(sys.argv[1] + "/补贴筛选名单_*.xlsx") for ws in openpyxl.load_workbook(p).worksheets[1:]
       for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
assert ids and sum(bool(re.fullmatch(r"\d{17}[\dX]", i)) for i in ids) > len(ids) * 0.9
EOF
}

test_rerun_replaces_the_period() {
	before=$(q "SELECT count(*), sum(status = '符合') FROM subsidy_candidate WHERE period = '2025-10'")
	"$BIN/bangfu-screen" -q --db "$DB" --period 2025-10 --out "$TMP/out" || { bad "rerun failed"; return; }
	[ "$(q "SELECT count(*), sum(status = '符合') FROM subsidy_candidate WHERE period = '2025-10'")" = "$before" ] &&
		[ "$(q "SELECT count(*) FROM screen_run WHERE period = '2025-10'")" = 1 ] && ok ||
		bad "a second run should give the same rows, once"
}

test_service_subsidy_once_a_year_across_months() {
	# the same people a month later: everyone listed for the service subsidy
	# in 2025-10 is 待核实 in 2025-11, naming 2025-10
	"$BIN/bangfu-ingest" -q --db "$DB" --period 2025-11 --force --source roster "$TMP/in-2025-10/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$DB" --period 2025-11 --force --source hr "$TMP/in-2025-10/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$DB" --period 2025-11 &&
		"$BIN/bangfu-screen" -q --db "$DB" --period 2025-11 --out "$TMP/out11" || { bad "2025-11 run failed"; return; }
	expect 2025-11 2025-10 2025-10
	[ "$(q "SELECT count(*) FROM subsidy_candidate n JOIN subsidy_candidate o ON o.period = '2025-10'
		AND o.person_key = n.person_key AND o.rule_id = n.rule_id WHERE n.period = '2025-11'
		AND n.rule_id = 'service_2021' AND n.reason LIKE '%已于2025-10列入%'")" = \
		"$(q "SELECT count(*) FROM subsidy_candidate n JOIN subsidy_candidate o ON o.period = '2025-10'
		AND o.person_key = n.person_key AND o.rule_id = n.rule_id WHERE n.period = '2025-11'
		AND n.rule_id = 'service_2021'")" ] &&
		[ "$(q "SELECT count(*) FROM subsidy_candidate WHERE period = '2025-11' AND rule_id = 'service_2021'
		AND reason LIKE '%已于2025-10列入%'")" -gt 100 ] && ok ||
		bad "service subsidy candidates of 2025-10 should be 待核实 in 2025-11 naming 2025-10"
	[ "$(q "SELECT count(*) FROM subsidy_candidate WHERE period = '2025-11' AND rule_id = 'transport_2021'
		AND reason LIKE '%已于%'")" = 0 ] && ok || bad "transport has no yearly limit"
}

# bad input: exit 1, file:line:column, nothing written, database unchanged
expect_refused() {
	label=$1
	pattern=$2
	shift 2
	before=$(q "SELECT count(*) FROM subsidy_candidate")
	rm -rf "$TMP/refused"
	"$BIN/bangfu-screen" --db "$DB" --out "$TMP/refused" "$@" 2>"$TMP/refused.err"
	rc=$?
	if [ $rc -ne 1 ]; then bad "$label: exit $rc, expected 1"; return; fi
	grep -q -- "$pattern" "$TMP/refused.err" && ok || { bad "$label: message should match '$pattern'"; cat "$TMP/refused.err"; }
	[ ! -e "$TMP/refused" ] && [ "$(q "SELECT count(*) FROM subsidy_candidate")" = "$before" ] && ok ||
		bad "$label: something was written"
}

test_bad_input_is_refused_with_its_place() {
	expect_refused "unknown field" "bad_rules_unknown_field.csv:3:6: .*unknown field 'salary'" \
		--period 2025-10 --rules "$DATA/bad_rules_unknown_field.csv"
	expect_refused "no reconcile result" "2025-09 has no reconcile result.*bangfu-reconcile" --period 2025-09
	expect_refused "no rules in force" "no rule is in force at the end of 2026-10" --period 2026-10
	expect_refused "2021 before the 2021 rules" "no rule is in force at the end of 2021-03" --period 2021-03
	expect_refused "not a month" "not a month" --period 2025-13
	printf 'id,subsidy\n' >"$TMP/short.csv"
	expect_refused "template without columns" "short.csv:1: .*is missing" --period 2025-10 --rules "$TMP/short.csv"
}

test_a_month_no_rule_covers_is_no_error_with_if_in_force() {
	rm -rf "$TMP/uncovered"
	expect_exit 0 "--if-in-force, a month no rule covers" \
		"$BIN/bangfu-screen" --db "$DB" --period 2026-10 --out "$TMP/uncovered" --if-in-force
	has "no rule is in force at the end of 2026-10" "says why nothing was screened"
	has "nothing screened" "says nothing was screened"
	[ ! -e "$TMP/uncovered" ] && ok || bad "--if-in-force with no rule in force writes nothing"
	expect_exit 1 "--if-in-force does not excuse other errors" \
		"$BIN/bangfu-screen" --db "$DB" --period 2025-09 --out "$TMP/uncovered" --if-in-force
}

test_the_progress_report_includes_the_screening() {
	"$BIN/bangfu-report" -q --db "$DB" --period 2025-10 --out "$TMP/progress.xlsx" || { bad "report failed"; return; }
	pycheck "补贴筛选 sheet of the progress report" "$TMP/progress.xlsx" "$DB" <<'EOF'
import sqlite3, sys, openpyxl
book, db = sys.argv[1:3]
ws = openpyxl.load_workbook(book)["补贴筛选"]
head = [c.value for c in ws[3]]
rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] and r[1]]
got = (sum(r[head.index("符合人数")] for r in rows), sum(r[head.index("待核实人数")] for r in rows))
want = sqlite3.connect(db).execute("SELECT sum(eligible), sum(to_verify) FROM v_subsidy_city"
                                   " WHERE period = '2025-10'").fetchone()
assert got == want, (got, want)
for r in rows:
    assert not any(isinstance(v, str) and v.isdigit() and len(v) >= 15 for v in r), "no ID numbers"
EOF
	"$BIN/bangfu-report" -q --db "$DB" --period 2020-10 --out "$TMP/progress2020.xlsx" || bad "report 2020 failed"
	pycheck "2020-10, screened with the 2017 rules, has the sheet too" "$TMP/progress2020.xlsx" <<'EOF'
import sys, openpyxl
assert "补贴筛选" in openpyxl.load_workbook(sys.argv[1]).sheetnames  # 2020-10 was screened too
EOF
}

test_totals_add_up_and_amounts_say_yuan() {
	pycheck "合计 rows are the sums of their rows" "$TMP/out" <<'EOF'
import glob, sys, openpyxl
out = sys.argv[1]
def numeric(v):
    return isinstance(v, (int, float))
wb = openpyxl.load_workbook(f"{out}/补贴筛选汇总_2025-10.xlsx")
for name in ("汇总", "分市州"):
    ws = wb[name]
    row2 = [c.value for c in ws[2]]
    assert "单位：人、元" in row2 and "单位：人" not in row2, (name, row2)
    head = [c.value for c in ws[3]]
    total = [c.value for c in ws[4]]
    assert total[0] == "合计（人次）", (name, total)
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=5) if r[0].value is not None]
    body = [r for r in body if any(numeric(v) for v in r[head.index("符合人数"):])]
    assert body, name
    for i, h in enumerate(head):
        if h.endswith("人数") or h.endswith("（元）"):
            assert abs(total[i] - sum(r[i] for r in body if numeric(r[i]))) < 1e-6, (name, h, total[i])
sheets = 0
for path in glob.glob(f"{out}/补贴筛选名单_*_2025-10.xlsx"):
    for ws in openpyxl.load_workbook(path).worksheets[1:]:
        head = [c.value for c in ws[3]]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
        items = [r for r in rows if isinstance(r[0], int)]
        totals = [r for r in rows if isinstance(r[0], str) and r[0].startswith("合计")]
        assert len(totals) == 1, (path, ws.title, totals)
        t = totals[0]
        amount = head.index("金额（元）")
        assert abs(t[amount] - sum(r[amount] for r in items if numeric(r[amount]))) < 1e-6, (path, ws.title)
        status = head.index("状态")
        assert t[0] == "合计：%d 人次（符合 %d，待核实 %d）" % (len(items), sum(r[status] == "符合" for r in items),
                                                  sum(r[status] == "待核实" for r in items)), t[0]
        sheets += 1
assert sheets > 0
EOF
}

test_notes_name_the_rules_file_not_its_path() {
	pycheck "说明 names the rules file, not its path" "$TOP" "$TMP" "$TMP/out"/*.xlsx <<'EOF'
import re, sys, openpyxl
top, tmp = sys.argv[1:3]
seen = 0
for path in sys.argv[3:]:
    ws = openpyxl.load_workbook(path)["说明"]
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str):
                assert top not in c.value and tmp not in c.value, (path, c.value)
                assert not re.search(r"(?<![\w.])/(?:[\w.-]+/)+[\w.-]+", c.value), (path, c.value)
                seen += "subsidy_rules.csv" in c.value
assert seen == len(sys.argv[3:]), seen
EOF
}

test_every_sheet_fits_its_text() {
	layout_check "$TMP/out"/*.xlsx >"$TMP/layout.out" && ok ||
		{ bad "screen: text cut or rows too low"; sed 's/^/    /' "$TMP/layout.out"; }
}

test_the_progress_report_adds_up_the_screening() {
	[ -f "$TMP/progress.xlsx" ] || "$BIN/bangfu-report" -q --db "$DB" --period 2025-10 --out "$TMP/progress.xlsx"
	pycheck "补贴筛选 of the progress report: 合计, 人、元, the rules file by name" "$TMP/progress.xlsx" "$TOP" <<'EOF'
import sys, openpyxl
book, top = sys.argv[1:3]
ws = openpyxl.load_workbook(book)["补贴筛选"]
row2 = [c.value for c in ws[2]]
assert "单位：人、元" in row2 and "单位：人" not in row2, row2
head = [c.value for c in ws[3]]
total = [c.value for c in ws[4]]
assert total[0] == "合计（人次）", total
rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] and r[1]]
for i, h in enumerate(head):
    if h.endswith("人数") or h.endswith("（元）"):
        assert abs(total[i] - sum(r[i] for r in rows if isinstance(r[i], (int, float)))) < 1e-6, (h, total[i])
notes = [v for r in ws.iter_rows(values_only=True) for v in r if isinstance(v, str) and "bangfu-screen 于" in v]
assert notes and "subsidy_rules.csv" in notes[0] and top not in notes[0], notes
EOF
	layout_check "$TMP/progress.xlsx" >"$TMP/layout.out" && ok ||
		{ bad "progress report of a screened month: text cut or rows too low"; sed 's/^/    /' "$TMP/layout.out"; }
}

setup || give_up "setup"
run_tests
