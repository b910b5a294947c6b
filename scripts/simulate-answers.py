#!/usr/bin/python3
"""Fill bangfu check sheets with simulated call-back answers (for make demo).

usage: simulate-answers.py IN_DIR OUT_DIR [SEED]

Every check-sheet workbook in IN_DIR is filled the way a township clerk saves
it and written under the same name to OUT_DIR: each sampled person gets
准确 / 不准确 / 无法联系, 电话回访, a checker and a date.  Most townships are
about 97% accurate; every fourth township is about 75% accurate, so the
demo shows townships that must recalibrate.  Deterministic for a seed.
"""
import os
import random
import sys

import openpyxl

src_dir, dst_dir = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
os.makedirs(dst_dir, exist_ok=True)
township_no = 0
for name in sorted(os.listdir(src_dir)):
    if not name.endswith(".xlsx"):
        continue
    wb = openpyxl.load_workbook(os.path.join(src_dir, name))
    for ws in wb.worksheets:
        header = None
        for row in ws.iter_rows(min_row=1, max_row=10):
            names = [c.value for c in row]
            if "抽查编号" in names and "核查结果" in names:
                header = {n: i + 1 for i, n in enumerate(names) if n}
                start = row[0].row + 1
                break
        if header is None:
            continue
        township_no += 1
        accuracy = 0.75 if township_no % 4 == 0 else 0.97
        rng = random.Random(seed * 100003 + township_no)
        for r in range(start, ws.max_row + 1):
            if not ws.cell(r, header["抽查编号"]).value:
                continue
            u = rng.random()
            answer = "无法联系" if u < 0.04 else "准确" if rng.random() < accuracy else "不准确"
            ws.cell(r, header["核查结果"]).value = answer
            ws.cell(r, header["核查方式"]).value = "电话回访"
            ws.cell(r, header["核查人"]).value = "李干事"
            ws.cell(r, header["核查日期"]).value = "2026-11-05"
            if answer == "不准确" and "更正后就业状态" in header:
                ws.cell(r, header["更正后就业状态"]).value = "未就业"
    wb.save(os.path.join(dst_dir, name))
print(f"simulate-answers: filled {township_no} township sheets into {dst_dir}")
