#!/usr/bin/python3
"""Fill a township work list (乡镇工作清单) as a township clerk does, and
save it under another name:

    fill_work_list.py BOOK.xlsx OUT.xlsx CODE=整改情况|整改日期|经办人[|整改说明[|帮扶责任人[|责任人]]] ...

Each CODE is found by its 问题编号 on any sheet; the columns by their header
(row 3).  An empty part leaves the cell as it was.  Exits 1 when a code is
on no sheet."""
import sys

import openpyxl

book, out, *specs = sys.argv[1:]
wb = openpyxl.load_workbook(book)
wanted = {}
for spec in specs:
    code, _, rest = spec.partition("=")
    wanted[code] = rest.split("|")
columns = ["整改情况", "整改日期", "经办人", "整改说明", "帮扶责任人", "责任人"]
found = set()
for ws in wb.worksheets:
    head = [c.value for c in ws[3]]
    if "问题编号" not in head:
        continue
    at = head.index("问题编号") + 1
    for r in range(4, ws.max_row + 1):
        code = ws.cell(r, at).value
        if code not in wanted:
            continue
        for label, value in zip(columns, wanted[code]):
            if value:
                ws.cell(r, head.index(label) + 1).value = value
        found.add(code)
missing = set(wanted) - found
if missing:
    sys.exit("not on any sheet: " + ", ".join(sorted(missing)))
wb.save(out)
