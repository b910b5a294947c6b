#!/usr/bin/python3
"""Print every cell of workbooks and CSV files as text lines, for diffing.

usage: dump_cells.py PATH... [-- TEXT=REPLACEMENT...]

PATH is an .xlsx or .csv file, or a directory: its .xlsx and .csv files in
the order of their names.  One line per non-empty cell:

    FILE:SHEET!A1<TAB>value                      (workbook)
    FILE!A1<TAB>value                            (CSV)

Numbers are printed with 10 significant digits, so that the last bit of a
rate does not matter; a number cell with a format other than General gets
it in a third column (`0.0%`).  Newlines and tabs in text show as \\n, \\t.
After the cells of a sheet: its merged ranges (`!merged`) and every row
with an outline level or hidden (`!row 5<TAB>outline 1 hidden`); a CSV
file starting with a byte-order mark gets `!bom<TAB>yes`, and each its line
ends (`!eol<TAB>CRLF` or `LF`).

What differs from run to run is replaced in every value: a date with a time
of day (生成时间, 载入时间, 抽样时间) by <time> always, and each TEXT after
`--` by its REPLACEMENT (the tests pass today's date, the SHA-256 of a file
written today).
"""
import csv
import datetime
import io
import os
import re
import sys

import openpyxl
from openpyxl.utils import get_column_letter

# A moment (生成时间, 载入时间, 抽样时间) is never the same twice.
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?Z?")


def paths_of(args):
    for arg in args:
        if os.path.isdir(arg):
            for name in sorted(os.listdir(arg)):
                if name.endswith((".xlsx", ".csv")) and not name.startswith("."):
                    yield os.path.join(arg, name)
        else:
            yield arg


def text(value, subs):
    if isinstance(value, bool):
        s = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        s = format(value, ".10g")
    elif isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        s = value.isoformat()
    else:
        s = str(value)
    s = MOMENT.sub("<time>", s)
    for old, new in subs:
        s = s.replace(old, new)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def dump_xlsx(path, name, subs, out):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        where = f"{name}:{text(ws.title, subs)}"
        for row in ws.iter_rows():
            for c in row:
                if c.value is None or c.value == "":
                    continue
                line = f"{where}!{c.coordinate}\t{text(c.value, subs)}"
                if isinstance(c.value, (int, float)) and c.number_format != "General":
                    line += "\t" + c.number_format
                out.append(line)
        merged = sorted(str(r) for r in ws.merged_cells.ranges)
        if merged:
            out.append(f"{where}!merged\t{' '.join(merged)}")
        for r in sorted(ws.row_dimensions):
            d = ws.row_dimensions[r]
            marks = ([f"outline {d.outline_level}"] if d.outline_level else []) + (["hidden"] if d.hidden else [])
            if marks:
                out.append(f"{where}!row {r}\t{' '.join(marks)}")


def dump_csv(path, name, subs, out):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        out.append(f"{name}!bom\tyes")
    eol = "CRLF" if b"\r\n" in raw else "LF"
    out.append(f"{name}!eol\t{eol}")
    rows = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value != "":
                out.append(f"{name}!{get_column_letter(c)}{r}\t{text(value, subs)}")


def main(argv):
    if "--" in argv:
        i = argv.index("--")
        args, subs = argv[:i], [tuple(s.split("=", 1)) for s in argv[i + 1:]]
    else:
        args, subs = argv, []
    out = []
    for path in paths_of(args):
        name = text(os.path.basename(path), subs)
        if path.endswith(".xlsx"):
            dump_xlsx(path, name, subs, out)
        elif path.endswith(".csv"):
            dump_csv(path, name, subs, out)
        else:
            sys.exit(f"{path}: neither .xlsx nor .csv")
    sys.stdout.write("".join(line + "\n" for line in out))


if __name__ == "__main__":
    main(sys.argv[1:])
