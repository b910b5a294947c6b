#!/usr/bin/python3
"""Write the month-over-month test data: two months (2026-10, 2026-11) of a
roster and an HR dump, one person per case.  Run once; the CSVs are checked
in, `expect` says what bangfu-reconcile must find for 2026-11.

    宁乡市 花明楼镇  A 张一  roster ID one digit off (a valid number) → right: ID更正
                    B 李二  roster ID with a wrong check character → right: ID更正
                    C 王三  roster ID right → Excel's 4.30182E+17: ID变无效
                    D 赵四  leaves both sources: 退出
                    E 钱五  comes: 新增
                    J 孙六  leaves, K 孙六 of the same household comes, IDs far
                            apart: 退出 and 新增, two persons
                    M1, M2 周七  two of one name in one household, both IDs
                            wrong → right: which is which cannot be told, 新增 2
    攸县 网岭镇      N 蒋一  employed → 失业: 就业转失业
                    O 沈二  not employed → employed: 新就业
                    P 韩三  是否返乡回流 否 → 是: 返乡回流
                    Q 杨四  roster ID with two digits swapped → right: ID更正
"""

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"


def check(body):
    return C[sum(int(d) * w for d, w in zip(body, W)) % 11]


def pid(region, birth, seq):
    body = f"{region}{birth}{seq:03d}"
    return body + check(body)


def bad_check(idn):
    return idn[:17] + ("0" if idn[17] != "0" else "1")


def slipped(idn):
    """One digit of the birth date changed, the check character computed afresh."""
    body = idn[:16] + str((int(idn[16]) + 2) % 10)
    return body + check(body)


def swapped(idn):
    body = idn[:8] + idn[9] + idn[8] + idn[10:17]
    assert body != idn[:17]
    t = body + idn[17]
    assert check(body) != idn[17], "the swap must break the check"
    return t


NX = ("长沙市", "宁乡市", "花明楼镇", "某村", "430182")
YX = ("株洲市", "攸县", "网岭镇", "某村", "430223")

# key: place, birth, seq, name, gender, household
P = {
    "A": (NX, "19850312", 101, "张一", "男", "H1"), "B": (NX, "19860101", 102, "李二", "女", "H2"),
    "C": (NX, "19870202", 103, "王三", "男", "H3"), "D": (NX, "19880303", 105, "赵四", "男", "H4"),
    "E": (NX, "19890404", 107, "钱五", "男", "H5"), "J": (NX, "19700505", 109, "孙六", "男", "H6"),
    "K": (NX, "19990909", 111, "孙六", "男", "H6"), "M1": (NX, "19750606", 113, "周七", "男", "H7"),
    "M2": (NX, "20000707", 115, "周七", "男", "H7"),
    "N": (YX, "19800101", 121, "蒋一", "男", "H8"), "O": (YX, "19810202", 123, "沈二", "男", "H9"),
    "P": (YX, "19820303", 125, "韩三", "男", "H10"), "Q": (YX, "19830404", 127, "杨四", "男", "H11"),
}
ID = {k: pid(v[0][4], v[1], v[2]) for k, v in P.items()}

# what each month's roster writes as the ID (None: not in the month)
roster_id = {
    "2026-10": {"A": slipped(ID["A"]), "B": bad_check(ID["B"]), "C": ID["C"], "D": ID["D"], "E": None,
                "J": ID["J"], "K": None, "M1": bad_check(ID["M1"]), "M2": bad_check(ID["M2"]),
                "N": ID["N"], "O": ID["O"], "P": ID["P"], "Q": swapped(ID["Q"])},
    "2026-11": {"A": ID["A"], "B": ID["B"], "C": "4.30182E+17", "D": None, "E": ID["E"], "J": None,
                "K": ID["K"], "M1": ID["M1"], "M2": ID["M2"], "N": ID["N"], "O": ID["O"], "P": ID["P"],
                "Q": ID["Q"]},
}
JOB = ("是", "广东省深圳市宝安区", "深圳市华强电子有限公司", "2020-05-01")
NO_JOB = ("否", "", "", "")
employed = {"2026-10": {"N": True, "O": False}, "2026-11": {"N": False, "O": True}}
returned = {"2026-10": {"P": "否"}, "2026-11": {"P": "是"}}

for month in ("2026-10", "2026-11"):
    tag = month.replace("-", "")
    with open(f"roster_{tag}.csv", "w", encoding="utf-8", newline="") as f:
        f.write("证件号码,姓名,性别,联系方式,市州,县市区,乡镇,行政村,户编号,劳动能力,是否已就业,就业地点,就业单位名称,就业时间\n")
        for k, (place, birth, seq, name, gender, hh) in P.items():
            rid = roster_id[month][k]
            if rid is None:
                continue
            job = JOB if employed[month].get(k, True) else NO_JOB
            f.write(",".join([rid, name, gender, f"138{seq:08d}", *place[:4], hh, "普通劳动力", *job]) + "\n")
    with open(f"hr_{tag}.csv", "w", encoding="utf-8", newline="") as f:
        f.write("证件号码,姓名,性别,联系电话,市州,县市区,乡镇,就业状态,就业类型,就业省份,就业城市,就业县区,"
                "就业单位名称,就业时间,是否返乡回流,返乡时间\n")
        for k, (place, birth, seq, name, gender, hh) in P.items():
            if roster_id[month][k] is None:
                continue
            if employed[month].get(k, True):
                job = ["已就业", "外出务工", "广东省", "深圳市", "宝安区", "深圳市华强电子有限公司", "2020-05-01"]
            else:
                job = ["失业", "", "", "", "", "", ""]
            back = returned[month].get(k, "否")
            f.write(",".join([ID[k], name, gender, f"138{seq:08d}", *place[:3], *job, back,
                              "2026-11-05" if back == "是" else ""]) + "\n")
with open("ids.txt", "w", encoding="utf-8") as f:
    for k in P:
        f.write(f"{k} {ID[k]} {roster_id['2026-10'][k] or '-'} {roster_id['2026-11'][k] or '-'}\n")
