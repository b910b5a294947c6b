# A province of long place names for the layout tests of the report stages:
# bangfu-gen over two counties of 湘西土家族苗族自治州 (the longest 市州 name), the longest
# rural township names of data/ (许家桥回族维吾尔族乡, 枫树维吾尔族回族乡 …) and
# 邵阳市绥宁县 (鹅公岭侗族苗族乡 …): 市州 that sort differently by character
# code than in GB/T 2260 order.  Sourced by the report suites after lib.sh.
#
#   long_names_province DIR PERIOD PEOPLE   → DIR/bangfu.db reconciled for PERIOD
#
# 3000 people reach every township.

long_names_province() {
	dir=$1
	period=$2
	people=$3
	mkdir -p "$dir/data" "$dir/in" || return 1
	$PY - "$TOP/data" "$dir/data" <<'EOF' || return 1
import csv, sys
src, dst = sys.argv[1:3]
def width(s):
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s)
with open(f"{src}/hunan_townships.csv", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
rural = [r for r in rows if r["township"].endswith(("镇", "乡")) and not r["township"].endswith("街道")]
longest = sorted(rural, key=lambda r: -width(r["township"]))[:12]
# few enough townships that a few thousand people reach every one
keep = [r for r in rural if r["county"] in ("吉首市", "泸溪县", "绥宁县") or r in longest]
codes = {r["township_code"] for r in keep}
with open(f"{dst}/hunan_townships.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(keep)
with open(f"{src}/hunan_villages.csv", encoding="utf-8") as f, \
        open(f"{dst}/hunan_villages.csv", "w", encoding="utf-8", newline="") as out:
    r = csv.reader(f)
    w = csv.writer(out, lineterminator="\n")
    w.writerow(next(r))
    w.writerows(v for v in r if v[2] in codes)
EOF
	"$GEN" -q --people "$people" --seed 12 --period "$period" --data "$dir/data" --out "$dir/in" &&
		"$BIN/bangfu-ingest" -q --db "$dir/bangfu.db" --period "$period" --source roster "$dir/in/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$dir/bangfu.db" --period "$period" --source hr "$dir/in/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$dir/bangfu.db" --period "$period"
}

# The layout a reader sees, checked on every sheet of the workbooks given:
# a text cell that does not wrap fits its column (a Chinese character counts
# 2), a wrapping one has a row tall enough for its lines, and the meta row
# under the title (填报单位 … 生成时间) fits the columns it is merged over.
# Prints what is wrong; exits 1 then.
layout_check() {
	$PY - "$@" <<'EOF'
import math, sys, openpyxl
from openpyxl.utils import get_column_letter

def width(s):
    return max(sum(2 if ord(c) > 0x2E7F else 1 for c in line) for line in str(s).split("\n"))

bad = []
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        merged = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = rng
        def col_width(c):
            d = ws.column_dimensions.get(get_column_letter(c))
            return d.width if d is not None and d.width else 8.43
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                v = cell.value
                if not isinstance(v, str) or not v:
                    continue
                where = f"{path.rsplit('/', 1)[-1]} {ws.title}!{cell.coordinate}"
                rng = merged.get((cell.row, cell.column))
                if rng is not None:
                    if (rng.min_row, rng.min_col) != (cell.row, cell.column):
                        continue
                    w = sum(col_width(c) for c in range(rng.min_col, rng.max_col + 1))
                else:
                    w = col_width(cell.column)
                need = width(v) + 2 * (cell.alignment.indent or 0)
                lines = math.ceil(need / (1.05 * w)) + v.count("\n")
                height = ws.row_dimensions[cell.row].height or 15
                if cell.alignment.wrap_text or rng is not None:
                    if lines > 1 and height < 11 * lines:
                        bad.append(f"{where}: {lines} lines in a row {height} pt tall: {v[:30]}")
                elif need > w:
                    bad.append(f"{where}: needs {need} but the column is {w:.1f} wide: {v[:30]}")
for b in bad[:20]:
    print(b)
sys.exit(1 if bad else 0)
EOF
}
