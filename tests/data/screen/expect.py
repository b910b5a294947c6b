"""Independent expectation for tests/t6000-screen.sh.

Computes, from the generated roster.csv and hr.csv and the reconciled
categories in the database, which persons each subsidy rule lists for a
period, with status (符合/待核实) and amount, and compares with
subsidy_candidate.  It does not read templates/subsidy_rules.csv: the rules
are written out here again from the documents, so a wrong template row or a
wrong evaluation shows up as a difference.

usage: expect.py DB PERIOD INDIR [EARLIER_PERIOD]
"""
import calendar
import csv
import datetime
import sqlite3
import sys

OUT = {"省外", "省内县外"}
JOB = {"外出务工", "就地就近就业", "就业帮扶车间"}
# id: from, to, regions, min months, employment types, documented-only conditions, amount, unit, cap, once a year
R = {
    "transport_2017": ("2017-07-01", "2020-12-31", OUT, None, None, False, None, "once", None, False),
    "service_2017": ("2017-07-01", "2020-12-31", OUT, 6, None, True, 200, "once", None, True),
    "post_2017": ("2017-07-01", "2020-12-31", None, 12, JOB, True, 1000, "year", None, False),
    "post_poor_2017": ("2017-07-01", "2020-12-31", {"县内"}, 12, JOB, True, 1500, "year", None, False),
    "social_2017": ("2017-07-01", "2020-12-31", None, 12, JOB, True, None, "year", None, False),
    "transport_2021": ("2021-07-26", "2025-12-31", OUT, None, None, False, None, "once", None, False),
    "service_2021": ("2021-07-26", "2025-12-31", OUT, 6, None, True, 300, "once", None, True),
    "social_2021": ("2021-07-26", "2025-12-31", None, 12, JOB, True, None, "year", None, False),
    "workfare_2021": ("2021-07-26", "2021-12-31", None, None, JOB, True, 500, "month", 6, False),
    "startup_2021": ("2021-07-26", "2025-12-31", None, 6, {"自主创业"}, True, None, "once", None, False),
    "flexible_2021": ("2021-07-26", "2025-12-31", None, None, {"灵活就业"}, True, None, "year", None, False),
    "public_post_2021": ("2021-07-26", "2025-12-31", None, None, {"公益性岗位"}, False, None, "month", None, False),
}

PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
             54, 61, 62, 63, 64, 65, 71, 81, 82}
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(d17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(d17, W)) % 11]


def norm_id(raw):
    s = raw.strip().lstrip("'").replace(" ", "").replace("\t", "")
    s = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in s).replace("Ｘ", "X").replace("x", "X")
    if len(s) == 15 and s.isdigit():
        d17 = s[:6] + "19" + s[6:]
        s = d17 + check_char(d17)
    if len(s) != 18 or not s[:17].isdigit() or s[17] != check_char(s[:17]):
        return None
    if int(s[:2]) not in PROVINCES:
        return None
    try:
        born = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None
    return s if datetime.date(1900, 1, 1) <= born <= datetime.date.today() else None


def first_rows(path):
    rows = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            i = norm_id(row["证件号码"])
            if i and i not in rows:
                rows[i] = row
    return rows


def parse_day(s):
    s = (s or "").strip()
    try:
        return datetime.date.fromisoformat(s)
    except ValueError:
        return None


def months_in_post(start, end):
    """Whole months with the start day worked, to the end of `end`."""
    nxt = end + datetime.timedelta(days=1)
    n = (nxt.year - start.year) * 12 + nxt.month - start.month
    while n > 0:
        y, m = start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1
        d = min(start.day, calendar.monthrange(y, m)[1])
        if datetime.date(y, m, d) <= nxt:
            break
        n -= 1
    return max(n, 0)


def region(hr, ro):
    home_city = (ro or hr)["市州"]
    home_county = (ro or hr)["县市区"]
    if hr is not None:
        prov, city, county = hr["就业省份"].strip(), hr["就业城市"].strip(), hr["就业县区"].strip()
        if not (prov or city or county):
            return None
        if prov and prov != "湖南省":
            return "省外"
        return "县内" if county == home_county and city in ("", home_city) else "省内县外"
    place = ro["就业地点"].strip()
    if not place:
        return None
    if not place.startswith("湖南"):
        return "省外"
    return "县内" if home_county in place else "省内县外"


def main():
    db_path, period, indir = sys.argv[1:4]
    earlier = sys.argv[4] if len(sys.argv) > 4 else None
    y, m = int(period[:4]), int(period[5:])
    end = datetime.date(y, m, calendar.monthrange(y, m)[1])
    pol = dict(r[:2] for r in csv.reader(open("templates/policy.csv", encoding="utf-8")))
    age_min, age_max = int(pol["labour_age_min"]), int(pol["labour_age_max_male"])
    assert pol["labour_age_max_female"] == pol["labour_age_max_male"], "test assumes one upper labour age"

    roster = first_rows(f"{indir}/roster.csv")
    hr = first_rows(f"{indir}/hr.csv")
    db = sqlite3.connect(db_path)
    cat = dict(db.execute("SELECT person_key, category FROM person WHERE period = ? AND id_valid", (period,)))
    conflicts = {}
    for k, f in db.execute("SELECT id_number, field FROM conflict WHERE period = ? AND field <> 'gender_id'", (period,)):
        conflicts.setdefault(k, set()).add(f)

    expected = {}
    for pid in set(roster) | set(hr):
        ro, h = roster.get(pid), hr.get(pid)
        if pid not in cat:
            print("person missing from the database:", pid)
            return 1
        status = h["就业状态"].strip() if h else ""
        employed = status == "已就业" if status in ("已就业", "未就业", "失业") else bool(ro) and ro["是否已就业"].strip() == "是"
        if not employed:
            continue
        b = datetime.date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))
        age = end.year - b.year - ((end.month, end.day) < (b.month, b.day))
        labour = age_min <= age <= age_max
        reg = region(h, ro)
        etype = h["就业类型"].strip() if h else ""
        ws_text = (h["就业时间"].strip() if h else "") or (ro["就业时间"].strip() if ro else "")
        ws = parse_day(ws_text)
        months = months_in_post(ws, end) if ws and ws <= end else None
        for rid, (frm, to, regions, min_m, types, unverified, amount, unit, cap, yearly) in R.items():
            if not (frm <= end.isoformat() <= to) or not labour:
                continue
            unknown = False
            if regions is not None:
                if reg is None:
                    unknown = True
                elif reg not in regions:
                    continue
            if types is not None:
                if not etype:
                    unknown = True
                elif etype not in types:
                    continue
            if min_m is not None:
                if months is None:
                    unknown = True
                elif months < min_m:
                    continue
            touched = {"employed"}
            if regions is not None:
                touched.add("work_region")
            if min_m is not None or types is not None or rid.split("_")[0] in ("service", "post", "social", "workfare"):
                touched.add("employer")
            c = cat[pid]
            agreed = c == "consistent" or (c == "conflict" and not (conflicts.get(pid, set()) & touched))
            ok = agreed and not unknown and not unverified
            if yearly and earlier and (pid, rid) in EARLIER:
                ok = False
            amt = None
            if amount is not None:
                if unit != "month":
                    amt = float(amount)
                elif months is not None:
                    amt = float(amount * min(months, cap or months))
            expected[(pid, rid)] = ("符合" if ok else "待核实", amt)

    actual = {(k, r): (s, a) for k, r, s, a in db.execute(
        "SELECT person_key, rule_id, status, amount FROM subsidy_candidate"
        " WHERE period = ? AND person_key NOT LIKE '%:%'", (period,))}
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    differ = sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k])
    for what, keys, src in (("missing", missing, expected), ("extra", extra, actual), ("differs", differ, expected)):
        for k in keys[:5]:
            print(what, k, "expected", expected.get(k), "actual", actual.get(k), "category", cat.get(k[0]))
    if missing or extra or differ:
        print(f"{len(expected)} expected, {len(actual)} actual: {len(missing)} missing, {len(extra)} extra, "
              f"{len(differ)} differ")
        return 1
    statuses = {s for s, _ in expected.values()}
    print(f"{period}: {len(expected)} candidates agree ({sorted(statuses)})")
    return 0


EARLIER = set()
if __name__ == "__main__":
    if len(sys.argv) > 4:
        _db = sqlite3.connect(sys.argv[1])
        EARLIER = set(_db.execute("SELECT person_key, rule_id FROM subsidy_candidate WHERE period = ?",
                                  (sys.argv[4],)))
    sys.exit(main())
