#!/usr/bin/env python3
"""bangfu's service measures (v_service_township, service_run) against the
generator's services_truth.csv: every count of every township, and the
records of the 12 months and those of nobody.  Prints each difference and
exits 1 if there is one.

    check_services.py DB PERIOD GENERATED_DIR
"""
import csv
import sqlite3
import sys

FIELDS = ["want_work", "jobs3", "training1", "guidance1", "all311", "returnees", "returnees_weekly",
          "want_weekly", "pushed", "hired", "training_intent", "training_followed"]


def main():
    db, period, gen = sys.argv[1:4]
    con = sqlite3.connect(db)
    truth, records = {}, None
    with open(gen + "/services_truth.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["township"] == "*records":
                records = (int(row["want_work"]), int(row["jobs3"]))
                continue
            truth[(row["city"], row["county"], row["township"])] = [int(row[k]) for k in FIELDS]
    got = {}
    for row in con.execute("SELECT city, county, township, " + ", ".join(FIELDS) +
                           " FROM v_service_township WHERE period = ?", (period,)):
        got[tuple(row[:3])] = list(row[3:])
    bad = 0
    for key in sorted(set(truth) | set(got)):
        t, g = truth.get(key, [0] * len(FIELDS)), got.get(key, [0] * len(FIELDS))
        for name, a, b in zip(FIELDS, t, g):
            if a != b:
                bad += 1
                if bad <= 20:
                    print("%s %s: truth %d, bangfu %d" % ("/".join(key), name, a, b))
    run = con.execute("SELECT records, unmatched FROM service_run WHERE period = ?", (period,)).fetchone()
    if run != records:
        bad += 1
        print("records, of nobody: truth %s, bangfu %s" % (records, run))
    # every level adds up to the province
    prov = con.execute("SELECT " + ", ".join(FIELDS) + " FROM v_service_area WHERE period = ? AND level = 'province'",
                       (period,)).fetchone()
    total = [sum(v[i] for v in truth.values()) for i in range(len(FIELDS))]
    if list(prov or []) != total:
        bad += 1
        print("province: truth %s, bangfu %s" % (total, prov))
    print("%d townships, %d differences" % (len(truth), bad))
    return 1 if bad else 0


sys.exit(main())
