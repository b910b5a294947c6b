#!/usr/bin/python3
"""Write the checklist test data: two months (2020-04, 2020-05) of a roster
and an HR dump for three counties in two 市州, where some problems of April
are fixed in May and others are not.  Run once; the CSVs are checked in.

    宁乡市 (长沙市 花明楼镇)  A3 not entered → entered; A4 conflict stays;
                             A5 HR ID typo → fixed; A6 roster duplicate stays;
                             household H7 zero-employment → A7 employed
    浏阳市 (长沙市 集里街道)  B2 not entered stays; B3 conflict → fixed;
                             B6 new conflict in May; B4/B5 returnees (B5 stale)
    攸县   (株洲市 网岭镇)    clean; C2 returnee updated
"""
import os

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = "10X98765432"


def pid(region, birth, seq):
    body = f"{region}{birth}{seq:03d}"
    return body + C[sum(int(d) * w for d, w in zip(body, W)) % 11]


def bad(idn):  # wrong check character
    return idn[:17] + ("0" if idn[17] != "0" else "1")


NX = ("长沙市", "宁乡市", "花明楼镇", "430182")
LY = ("长沙市", "浏阳市", "集里街道", "430181")
YX = ("株洲市", "攸县", "网岭镇", "430223")

people = {
    "A1": (NX, "19850312", 101, "张一", "男"), "A2": (NX, "19860101", 102, "李二", "女"),
    "A3": (NX, "19870202", 103, "王三", "男"), "A4": (NX, "19880303", 105, "赵四", "男"),
    "A5": (NX, "19890404", 107, "钱五", "男"), "A6": (NX, "19900505", 109, "孙六", "男"),
    "A7": (NX, "19910606", 111, "周七", "男"), "A8": (NX, "19920707", 112, "周七妻", "女"),
    "B1": (LY, "19800101", 121, "吴一", "男"), "B2": (LY, "19810202", 123, "郑二", "男"),
    "B3": (LY, "19820303", 125, "冯三", "男"), "B4": (LY, "19830404", 127, "陈四", "男"),
    "B5": (LY, "19840505", 129, "褚五", "男"), "B6": (LY, "19850606", 131, "卫六", "男"),
    "C1": (YX, "19700101", 141, "蒋一", "男"), "C2": (YX, "19710202", 143, "沈二", "男"),
    "C3": (YX, "19720303", 145, "韩三", "男"),
}
for k, (place, birth, seq, name, g) in people.items():
    if g == "女":
        seq += 1 if seq % 2 else 0
    else:
        seq += 0 if seq % 2 else 1
    people[k] = (place, pid(place[3], birth, seq), name, g)

R_HEAD = "证件号码,姓名,性别,联系方式,市州,县市区,乡镇,行政村,户编号,劳动能力,是否已就业,就业地点,就业单位名称,就业时间"
H_HEAD = ("证件号码,姓名,性别,联系电话,市州,县市区,乡镇,就业状态,就业类型,就业省份,就业城市,就业县区,"
          "就业单位名称,就业时间,是否返乡回流,返乡时间,更新时间")


def roster_row(k, employed="是", employer="某厂", phone=None, hh=None):
    (city, county, town, _), idn, name, g = people[k]
    phone = phone or "1380000" + str(sum(map(ord, k)) * 7 % 10000).zfill(4)
    place = "湖南省长沙市" + county if employed == "是" else ""
    emp = employer if employed == "是" else ""
    start = "2020-03-01" if employed == "是" else ""
    return ",".join([idn, name, g, phone, city, county, town, "某村", hh or ("H" + k), "普通劳动力",
                     employed, place, emp, start])


def hr_row(k, status="已就业", employer="某厂", phone=None, idn=None, name=None, returned="否",
           ret="", upd="2020-04-10"):
    (city, county, town, _), pidn, pname, g = people[k]
    phone = phone or "1380000" + str(sum(map(ord, k)) * 7 % 10000).zfill(4)
    emp = status == "已就业"
    return ",".join([idn or pidn, name or pname, g, phone, city, county, town, status,
                     "就地就近就业" if emp else "", "湖南省" if emp else "", "长沙市" if emp else "",
                     county if emp else "", employer if emp else "", "2020-03-01" if emp else "",
                     returned, ret, upd])


def month(p):
    roster, hr = [R_HEAD], [H_HEAD]
    may = p == "2020-05"
    for k in ["A1", "A2", "A3", "A4", "A5", "A6", "B1", "B2", "B3", "B4", "B5", "B6", "C1", "C2", "C3"]:
        roster.append(roster_row(k))
    roster.append(roster_row("A6"))  # duplicate, both months
    roster.append(roster_row("A7", employed="是" if may else "否", hh="H7"))
    roster.append(roster_row("A8", employed="否", hh="H7"))
    upd = "2020-05-20" if may else "2020-04-25"
    for k in ["A1", "A2", "B1", "C1", "C3"]:
        hr.append(hr_row(k, upd=upd))
    if may:
        hr.append(hr_row("A3", upd=upd))
    hr.append(hr_row("A4", employer="另一家公司"))  # conflict both months
    hr.append(hr_row("A5", idn=None if may else bad(people["A5"][1])))
    hr.append(hr_row("A6"))
    hr.append(hr_row("A7", status="已就业" if may else "未就业"))
    hr.append(hr_row("A8", status="未就业"))
    hr.append(hr_row("B3", name="冯山" if not may else None))  # conflict in April only
    hr.append(hr_row("B4", returned="是", ret="2020-04-02", upd="2020-06-05" if may else "2020-05-01"))
    hr.append(hr_row("B5", returned="是", ret="2020-03-20", upd="2020-04-01"))
    hr.append(hr_row("B6", phone="13999999999" if may else None))  # conflict in May only
    hr.append(hr_row("C2", returned="是", ret="2020-04-20", upd="2020-06-01" if may else "2020-05-05"))
    return roster, hr


here = os.path.dirname(os.path.abspath(__file__))
for p in ["2020-04", "2020-05"]:
    roster, hr = month(p)
    tag = p.replace("-", "")
    with open(os.path.join(here, f"roster_{tag}.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(roster) + "\n")
    with open(os.path.join(here, f"hr_{tag}.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(hr) + "\n")
