#!/usr/bin/python3
"""The 本月变动 sheet of a progress report against bangfu-gen's truth.

usage: check_changes.py REPORT.xlsx changes_truth.csv PERIOD [本月变动.csv]

合计, every 市州, 县市区 and 乡镇 row and every column of the sheet equal the
changes the generator planted (changes_truth.csv of the month's --evolve-from
run); 县市区 and 乡镇 rows are collapsed; the CSV, when given, holds the same
rows.  Exits 1 with the first difference.
"""
import collections, csv, sys, openpyxl
book, truth, period = sys.argv[1:4]
csv_path = sys.argv[4] if len(sys.argv) > 4 else None
COLS = {"就业转失业": "became_unemployed", "新就业": "newly_employed", "返乡回流": "newly_returned",
        "新增": "new_in_roster", "退出": "gone_from_roster", "ID更正": "id_corrected", "ID变无效": "id_damaged"}
want = collections.Counter()
places = set()
for r in csv.DictReader(open(truth, encoding="utf-8")):
    places.add((r["city"], r["county"], r["township"]))
    for key in ((), (r["city"],), (r["city"], r["county"]), (r["city"], r["county"], r["township"])):
        want[key, r["change"]] += 1
ws = openpyxl.load_workbook(book)["本月变动"]
assert "本月变动情况（%s，与 " % period in ws["A1"].value, ws["A1"].value
head = [c.value for c in ws[3]]
assert head == ["地区"] + list(COLS), head
city = county = None
seen, sheet_rows = set(), []
for r in range(4, ws.max_row + 1):
    name = ws.cell(r, 1).value
    if name is None:
        break
    level = ws.row_dimensions[r].outline_level
    if name == "合计":
        assert r == 4 and level == 0
        key = ()
    elif level == 0:
        city, key = name, (name,)
    elif level == 1:
        county, key = name, (city, name)
        assert ws.row_dimensions[r].hidden, f"{name}: 县市区 rows are collapsed"
    else:
        key = (city, county, name)
        assert ws.row_dimensions[r].hidden, f"{name}: 乡镇 rows are collapsed"
    seen.add(key)
    values = [ws.cell(r, i).value for i in range(2, 2 + len(COLS))]
    expected = [want[key, code] for code in COLS.values()]
    assert values == expected, (key, values, expected)
    sheet_rows.append((len(key), key, values))
assert all(p in seen for p in places), sorted(places - seen)[:5]
assert sum(1 for n, k, v in sheet_rows if n == 3) >= 20, "every township has its row"
total = sheet_rows[0][2]
assert all(v > 0 for v in total), total
if csv_path is None:
    sys.exit(0)
rows = list(csv.reader(open(csv_path, encoding="utf-8-sig")))
assert rows[0] == ["层级", "市州", "县市区", "乡镇"] + list(COLS), rows[0]
level = {"合计": 0, "市州": 1, "县市区": 2, "乡镇": 3}
assert [(level[r[0]], tuple(x for x in r[1:4] if x), [int(x) for x in r[4:]]) for r in rows[1:]] == sheet_rows
