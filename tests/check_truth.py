#!/usr/bin/python3
"""Compare a reconciled database with the generator's ground truth.

usage: check_truth.py DB PERIOD TRUTH_DIR

Per category: precision and recall must be 100%; the conflicting fields must
be exactly those of truth_fields.csv; every proposed ID repair must propose
the person's true ID.  Prints one line per check; exits 1 on any failure.
"""
import csv
import sqlite3
import sys

db_path, period, truth_dir = sys.argv[1], sys.argv[2], sys.argv[3]
db = sqlite3.connect(db_path)
truth = list(csv.DictReader(open(f"{truth_dir}/truth.csv", encoding="utf-8")))
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1


# What v_person must hold, keyed by valid ID: every truth person under their
# true ID, except that an invalid_id person shows there only on the intact
# side, as roster_only or hr_only.
expected = {}
invalid_persons = 0
for t in truth:
    cat = t["expected_category"]
    if cat == "invalid_id":
        invalid_persons += 1
        cat = "roster_only" if t["roster_id_raw"] == t["true_id"] else "hr_only"
    expected[t["true_id"]] = cat

got = dict(db.execute(
    "SELECT id_number, category FROM person WHERE period = ? AND id_valid", (period,)))
cats = ["consistent", "conflict", "roster_only", "hr_only", "duplicate"]
for c in cats:
    want = {i for i, k in expected.items() if k == c}
    have = {i for i, k in got.items() if k == c}
    tp = len(want & have)
    precision = tp / len(have) if have else 1.0
    recall = tp / len(want) if want else 1.0
    check(precision == 1.0 and recall == 1.0,
          f"{c}: {len(want)} expected, {len(have)} found, precision {precision:.4f}, recall {recall:.4f}")
    for i in sorted(want ^ have)[:5]:
        print(f"       {i}: truth {expected.get(i)}, database {got.get(i)}")

n_invalid = db.execute(
    "SELECT count(*) FROM person WHERE period = ? AND category = 'invalid_id'", (period,)).fetchone()[0]
check(n_invalid == invalid_persons, f"invalid_id: {invalid_persons} expected, {n_invalid} found")

fields_want = {(r["true_id"], r["field"]) for r in csv.DictReader(open(f"{truth_dir}/truth_fields.csv", encoding="utf-8"))}
fields_have = set(db.execute(
    "SELECT id_number, field FROM conflict WHERE period = ? AND field <> 'gender_id'", (period,)))
check(fields_want == fields_have,
      f"conflicting fields: {len(fields_want)} expected, {len(fields_have)} found, "
      f"{len(fields_want - fields_have)} missed, {len(fields_have - fields_want)} extra")
for x in sorted(fields_want ^ fields_have)[:8]:
    print(f"       {x} {'missed' if x in fields_want else 'extra'}")

raw_to_true = {}
for t in truth:
    for side in ("roster_id_raw", "hr_id_raw"):
        if t[side] and t[side] != t["true_id"]:
            raw_to_true.setdefault(t[side], set()).add(t["true_id"])
repairs = list(db.execute("SELECT raw_id, proposed_id, rule FROM repair WHERE period = ?", (period,)))
wrong = [(r, p, rule) for r, p, rule in repairs if p not in raw_to_true.get(r, set())]
check(not wrong, f"ID repairs: {len(repairs)} proposed, {len(wrong)} wrong")
for w in wrong[:5]:
    print(f"       {w}")
repairable = sum(1 for t in truth if any(k in t["kinds"].split(";") for k in ("id_typo", "id_transposition")))
by_rule = dict(db.execute("SELECT rule, count(*) FROM repair WHERE period = ? GROUP BY rule", (period,)))
print(f"info repairs by rule: {by_rule}; typo/transposition persons: {repairable}")
sys.exit(1 if failures else 0)
