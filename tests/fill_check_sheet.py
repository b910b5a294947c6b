#!/usr/bin/python3
"""Fill a bangfu check sheet the way a township clerk would, for the tests.

usage: fill_check_sheet.py IN.xlsx OUT.xlsx PATTERN [DATE]
PATTERN has one letter per data row of every township sheet, in order:
A 准确, I 不准确, U 无法联系, - left blank.  DATE (default today) is written
as text, as LibreOffice keeps what is typed into a text cell; a check date
must lie between the day the sample was drawn and today.  openpyxl rewrites
the whole file, as a spreadsheet program does when it saves.
"""
import datetime
import sys
import openpyxl

src, dst, pattern = sys.argv[1], sys.argv[2], sys.argv[3]
date = sys.argv[4] if len(sys.argv) > 4 else datetime.date.today().isoformat()
labels = {"A": "准确", "I": "不准确", "U": "无法联系"}
wb = openpyxl.load_workbook(src)
k = 0
for ws in wb.worksheets:
    if ws.title == "填表说明":  # the instructions name the columns too
        continue
    header = None
    for row in ws.iter_rows(min_row=1, max_row=10):
        names = [c.value for c in row]
        if "抽查编号" in names and "核查结果" in names:
            header = {name: i for i, name in enumerate(names)}
            start = row[0].row + 1
            break
    if header is None:
        continue
    for r in range(start, ws.max_row + 1):
        if not ws.cell(r, header["抽查编号"] + 1).value:
            continue
        letter = pattern[k] if k < len(pattern) else "-"
        k += 1
        if letter == "-":
            continue
        ws.cell(r, header["核查结果"] + 1).value = labels[letter]
        ws.cell(r, header["核查方式"] + 1).value = "电话回访"
        ws.cell(r, header["核查人"] + 1).value = "李干事"
        ws.cell(r, header["核查日期"] + 1).value = date
        if letter == "I":
            ws.cell(r, header["更正后就业状态"] + 1).value = "未就业"
wb.save(dst)
