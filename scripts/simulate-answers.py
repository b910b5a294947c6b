#!/usr/bin/python3
"""Fill bangfu check sheets with simulated call-back answers (for make demo).

Every check-sheet workbook in IN_DIR is filled the way a township clerk saves
it and written under the same name to OUT_DIR: each sampled person gets
准确 / 不准确 / 无法联系, 电话回访, a checker and the day of the check, as a
date the way Excel stores one typed into the sheet's date cells.  The day is
--date (default today); bangfu-verify takes a day from the one the sample was
drawn to the day it loads the sheets.  Most townships are 97% accurate; every
fourth township is 75% accurate, so the demo shows townships that must
recalibrate.  The answers are the same for the same seed.
"""
import argparse
import datetime
import os
import random
import sys

import openpyxl


def day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a day: expected YYYY-MM-DD, e.g. 2026-11-05")


def main():
    parser = argparse.ArgumentParser(
        prog="simulate-answers.py",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("in_dir", metavar="IN_DIR", help="the check sheets bangfu-sample wrote")
    parser.add_argument("out_dir", metavar="OUT_DIR", help="where the filled sheets go (created)")
    parser.add_argument("legacy_seed", metavar="SEED", nargs="?", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=None, metavar="N", help="the answers' seed (default 1)")
    parser.add_argument("--date", type=day, default=datetime.date.today(), metavar="YYYY-MM-DD",
                        help="the day of the checks (default: today)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else args.legacy_seed if args.legacy_seed is not None else 1
    if not os.path.isdir(args.in_dir):
        parser.error(f"{args.in_dir}: no folder of check sheets")

    os.makedirs(args.out_dir, exist_ok=True)
    checked_on = datetime.datetime.combine(args.date, datetime.time())
    township_no = 0
    for name in sorted(os.listdir(args.in_dir)):
        if not name.endswith(".xlsx"):
            continue
        wb = openpyxl.load_workbook(os.path.join(args.in_dir, name))
        for ws in wb.worksheets:
            if ws.title == "填表说明":  # the instructions name the columns too
                continue
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
            rows = [r for r in range(start, ws.max_row + 1) if ws.cell(r, header["抽查编号"]).value]
            # exact shares, at random places: 4% unreachable, the rest (1 - accuracy) wrong
            unreachable = set(rng.sample(rows, round(0.04 * len(rows))))
            reached = [r for r in rows if r not in unreachable]
            wrong = set(rng.sample(reached, round((1 - accuracy) * len(reached))))
            for r in rows:
                answer = "无法联系" if r in unreachable else "不准确" if r in wrong else "准确"
                ws.cell(r, header["核查结果"]).value = answer
                ws.cell(r, header["核查方式"]).value = "电话回访"
                ws.cell(r, header["核查人"]).value = "李干事"
                ws.cell(r, header["核查日期"]).value = checked_on
                ws.cell(r, header["核查日期"]).number_format = "yyyy-mm-dd"
                if answer == "不准确" and "更正后就业状态" in header:
                    ws.cell(r, header["更正后就业状态"]).value = "未就业"
        wb.save(os.path.join(args.out_dir, name))
    print(f"simulate-answers: filled {township_no} township sheets into {args.out_dir}, checked on {args.date}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
