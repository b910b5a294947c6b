#!/usr/bin/python3
"""Write the ledger story's data: three months (2020-04, 2020-05, 2020-06) of
a roster and an HR dump for two counties of 长沙市, and two external problem
lists.  Run once; the files are checked in.  tests/t4500-ledger.sh tells the
story and asserts every count and date of it.

  宁乡市 花明楼镇
    P1 王一   not entered in April; entered in May        → closed by the data (May)
    P2 李二   employer differs in April; corrected in May  → returned 已整改 5-06, then the data: both
    P3 赵三   phone differs, every month                    → 整改中 (April list), 已整改 6-05 (May
                                                              list), June still differs: reopened
    P4 钱四   not entered, every month                      → 无法整改 (April list), stays open
    H5 孙五家 zero-employment April and May; 孙五 employed in June → closed by the data (June)
    P6 周六   employed in April, not in May, again in June: 就业转失业 opened in May;
              returned 已整改 6-03 (May list) and the data of June: closed by both
    C1 C2     consistent
  浏阳市 集里街道
    P7 吴七   not entered April and May; entered in June   → closed by the data (June)
    P8 郑八   on the platform only in May (扶贫名单外人员); returned 6-08; in the roster in June
    C3        consistent

  回头看.csv  GB18030, title rows: 孙五家 帮扶措施未落实, found 2020-04-20, 整改时限 2020-05-20
  督查.csv    UTF-8, no 问题来源 column (loaded with --source 督查): 王一 未录入, found 2020-04-25
  (the 12317 list is an xlsx the suite writes: 赵三's phone complaint, found 2020-05-12)
"""
import os

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"


def pid(region, birth, seq):
    body = f"{region}{birth}{seq:03d}"
    return body + C[sum(int(d) * w for d, w in zip(body, W)) % 11]


NX = ("长沙市", "宁乡市", "花明楼镇", "430182")
LY = ("长沙市", "浏阳市", "集里街道", "430181")

# key: place, birth, sequence, name, gender, household
people = {
    "P1": (NX, "19850101", 11, "王一", "男", "HP1"), "P2": (NX, "19860101", 13, "李二", "男", "HP2"),
    "P3": (NX, "19870101", 15, "赵三", "男", "HP3"), "P4": (NX, "19880101", 17, "钱四", "男", "HP4"),
    "H5a": (NX, "19700101", 19, "孙五", "男", "H5"), "H5b": (NX, "19720101", 20, "孙五妻", "女", "H5"),
    "P6": (NX, "19900101", 21, "周六", "男", "HC1"), "C1": (NX, "19910101", 23, "冯一", "男", "HC1"),
    "C2": (NX, "19920101", 25, "陈二", "男", "HC2"),
    "P7": (LY, "19800101", 31, "吴七", "男", "HP7"), "P8": (LY, "19810101", 33, "郑八", "男", "HP8"),
    "C3": (LY, "19820101", 35, "褚三", "男", "HC3"),
}
ids = {k: pid(v[0][3], v[1], v[2]) for k, v in people.items()}


def phone(k):
    return "1380000" + str(1000 + list(people).index(k))


R_HEAD = "证件号码,姓名,性别,联系方式,市州,县市区,乡镇,行政村,户编号,劳动能力,是否已就业,就业地点,就业单位名称,就业时间"
H_HEAD = ("证件号码,姓名,性别,联系电话,市州,县市区,乡镇,就业状态,就业类型,就业省份,就业城市,就业县区,"
          "就业单位名称,就业时间,是否返乡回流,返乡时间,更新时间")


def roster_row(k, employed=True, employer="某厂"):
    (city, county, town, _), _, _, name, g, hh = people[k]
    yes = "是" if employed else "否"
    return ",".join([ids[k], name, g, phone(k), city, county, town, "某村", hh, "普通劳动力", yes,
                     "湖南省长沙市" + county if employed else "", employer if employed else "",
                     "2020-03-01" if employed else ""])


def hr_row(k, employed=True, employer="某厂", tel=None, upd="2020-04-25"):
    (city, county, town, _), _, _, name, g, _ = people[k]
    return ",".join([ids[k], name, g, tel or phone(k), city, county, town, "已就业" if employed else "未就业",
                     "就地就近就业" if employed else "", "湖南省" if employed else "", "长沙市" if employed else "",
                     county if employed else "", employer if employed else "", "2020-03-01" if employed else "",
                     "否", "", upd])


def month(p):
    m = int(p[5:])
    upd = f"2020-{m:02d}-25"
    roster = [R_HEAD]
    hr = [H_HEAD]
    for k in ["P1", "P2", "P3", "P4", "C1", "C2", "P7", "C3"]:
        roster.append(roster_row(k))
    roster.append(roster_row("H5a", employed=m == 6))
    roster.append(roster_row("H5b", employed=False))
    roster.append(roster_row("P6", employed=m != 5))
    if m == 6:
        roster.append(roster_row("P8"))
    # the platform
    for k in ["C1", "C2", "C3"]:
        hr.append(hr_row(k, upd=upd))
    if m >= 5:
        hr.append(hr_row("P1", upd=upd))
    hr.append(hr_row("P2", employer="另一家公司" if m == 4 else "某厂", upd=upd))
    hr.append(hr_row("P3", tel="13999990003", upd=upd))
    hr.append(hr_row("H5a", employed=m == 6, upd=upd))
    hr.append(hr_row("H5b", employed=False, upd=upd))
    hr.append(hr_row("P6", employed=m != 5, upd=upd))
    if m == 6:
        hr.append(hr_row("P7", upd=upd))
    if m >= 5:
        hr.append(hr_row("P8", upd=upd))
    return roster, hr


here = os.path.dirname(os.path.abspath(__file__))
for p in ["2020-04", "2020-05", "2020-06"]:
    roster, hr = month(p)
    tag = p.replace("-", "")
    with open(os.path.join(here, f"roster_{tag}.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(roster) + "\n")
    with open(os.path.join(here, f"hr_{tag}.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(hr) + "\n")

# 回头看: GB18030 with title rows, as an office's Excel saves it
lookback = ["长沙市脱贫攻坚“回头看”就业扶贫问题清单",
            "填报单位：长沙市扶贫办,,,,,",
            "序号,问题来源,县市区,乡镇,户编号,问题描述,发现日期,整改时限",
            "1,回头看,宁乡市,花明楼镇,H5,孙五家庭有劳动能力成员均未就业，帮扶措施未落实,2020年4月20日,2020-05-20"]
with open(os.path.join(here, "回头看.csv"), "w", encoding="gb18030", newline="\r\n") as f:
    f.write("\n".join(lookback) + "\n")
# 督查: no 问题来源 column (bangfu-ledger --source 督查), the person by ID
inspection = ["县市区,乡镇,证件号码,姓名,问题描述,发现日期,责任单位",
              f"宁乡市,花明楼镇,{ids['P1']},王一,联点督查发现：王一就业信息未录入省平台,2020/4/25,宁乡市人社局"]
with open(os.path.join(here, "督查.csv"), "w", encoding="utf-8") as f:
    f.write("\n".join(inspection) + "\n")
