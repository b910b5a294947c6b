/* Unit tests of lib/compare.c: when reconciliation calls two values the
 * same (names, employers, phones, yes/no, gender) and the work-region class
 * of a place against a home county.  Homes used: 宁乡市 430182 (长沙市),
 * 澧县 430723 (常德市), 南县 430921 (益阳市). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

#define NINGXIANG 430182
#define LIXIAN 430723
#define NANXIAN 430921

static const char *key(size_t (*fn)(const char *, char *, size_t), const char *s)
{
	static char buf[4][256];
	static int k;
	char *out = buf[k++ % 4];

	fn(s, out, 256);
	return out;
}

#define SAME(fn, a, b) ck_assert_msg(strcmp(key(fn, a), key(fn, b)) == 0, "'%s' and '%s' should be the same", a, b)
#define DIFF(fn, a, b) ck_assert_msg(strcmp(key(fn, a), key(fn, b)) != 0, "'%s' and '%s' should differ", a, b)

START_TEST(test_names_ignore_spaces_and_unify_dots)
{
	SAME(compare_name_key, "张 三", "张三");
	SAME(compare_name_key, "张\u3000三 ", "张三");
	SAME(compare_name_key, "阿依古丽·买买提", "阿依古丽•买买提");
	SAME(compare_name_key, "阿依古丽．买买提", "阿依古丽・买买提");
	SAME(compare_name_key, "阿依古丽.买买提", "阿依古丽·买买提");
	DIFF(compare_name_key, "张三", "张山");
	DIFF(compare_name_key, "阿依古丽买买提", "阿依古丽·买买提");
	ck_assert_uint_eq(compare_name_key("  ", (char[8]){0}, 8), 0);
}
END_TEST

START_TEST(test_name_key_never_overflows)
{
	char out[8];
	size_t n = compare_name_key("欧阳娜娜娜娜", out, sizeof out);

	ck_assert_uint_lt(n, sizeof out);
	ck_assert_uint_eq(strlen(out), n);
}
END_TEST

START_TEST(test_employers_unify_legal_forms_and_brackets)
{
	SAME(compare_employer_key, "长沙市华达电子有限责任公司", "长沙市华达电子有限公司");
	SAME(compare_employer_key, "长沙市华达电子股份有限公司", "长沙市华达电子公司");
	SAME(compare_employer_key, "华达（长沙）电子有限公司", "华达(长沙)电子有限公司");
	SAME(compare_employer_key, "ＡＢＣ 电子厂", "abc电子厂");
	DIFF(compare_employer_key, "长沙市华达电子有限公司", "长沙市华达五金有限公司");
	/* the legal form alone is not a name to strip to nothing */
	ck_assert_str_eq(key(compare_employer_key, "公司"), "公司");
}
END_TEST

START_TEST(test_phones_keep_digits_without_country_code)
{
	SAME(compare_phone_key, "138-0731-1234", "13807311234");
	SAME(compare_phone_key, "+86 138 0731 1234", "13807311234");
	SAME(compare_phone_key, "008613807311234", "13807311234");
	SAME(compare_phone_key, "１３８０７３１１２３４", "13807311234");
	DIFF(compare_phone_key, "13807311234", "13807311235");
	/* a landline starting with 86 is not a country code */
	ck_assert_str_eq(key(compare_phone_key, "86123456"), "86123456");
	ck_assert_str_eq(key(compare_phone_key, "无"), "");
}
END_TEST

START_TEST(test_employed_and_gender_labels)
{
	ck_assert_str_eq(compare_employed("是"), "是");
	ck_assert_str_eq(compare_employed(" 已就业 "), "是");
	ck_assert_str_eq(compare_employed("未就业"), "否");
	ck_assert_str_eq(compare_employed("失业"), "否");
	ck_assert_str_eq(compare_employed("不详"), "");
	ck_assert_str_eq(compare_employed(""), "");
	ck_assert_str_eq(compare_gender("男性"), "男");
	ck_assert_str_eq(compare_gender("F"), "女");
	ck_assert_str_eq(compare_gender("未知"), "");
}
END_TEST

static const char *text(const char *place, int home, const char *home_county)
{
	return compare_region_label(compare_work_region(place, NULL, NULL, NULL, home, NULL, home_county));
}

static const char *cols(const char *prov, const char *city, const char *county, int home)
{
	return compare_region_label(compare_work_region(NULL, prov, city, county, home, NULL, NULL));
}

START_TEST(test_region_from_full_place_names)
{
	ck_assert_str_eq(text("广东省深圳市宝安区", NINGXIANG, NULL), "省外");
	ck_assert_str_eq(text("广东省", NINGXIANG, NULL), "省外");
	ck_assert_str_eq(text("北京市朝阳区", NINGXIANG, NULL), "省外");
	ck_assert_str_eq(text("湖南省长沙市雨花区", NINGXIANG, NULL), "省内县外");
	ck_assert_str_eq(text("湖南省长沙市宁乡市", NINGXIANG, NULL), "县内");
	ck_assert_str_eq(text("湖南省常德市武陵区", NINGXIANG, NULL), "省内县外");
}
END_TEST

START_TEST(test_region_without_province_or_with_short_names)
{
	ck_assert_str_eq(text("长沙市宁乡市", NINGXIANG, NULL), "县内");
	ck_assert_str_eq(text("长沙市雨花区", NINGXIANG, NULL), "省内县外");
	ck_assert_str_eq(text("宁乡市", NINGXIANG, NULL), "县内");
	ck_assert_str_eq(text("广东深圳", NINGXIANG, NULL), "省外");
	ck_assert_str_eq(text("本县", NINGXIANG, NULL), "县内");
	ck_assert_str_eq(text("县内", NINGXIANG, NULL), "县内");
	ck_assert_str_eq(text(" 省外 ", NINGXIANG, NULL), "省外");
}
END_TEST

START_TEST(test_region_names_inside_other_names)
{
	/* 澧县 is inside 临澧县, 南县 inside 衡南县: whole names only */
	ck_assert_str_eq(text("湖南省常德市临澧县", LIXIAN, NULL), "省内县外");
	ck_assert_str_eq(text("常德市澧县", LIXIAN, NULL), "县内");
	ck_assert_str_eq(text("湖南省衡阳市衡南县", NANXIAN, NULL), "省内县外");
	ck_assert_str_eq(text("衡南县", NANXIAN, NULL), "省内县外");
	ck_assert_str_eq(text("湖南省益阳市南县", NANXIAN, NULL), "县内");
}
END_TEST

START_TEST(test_region_zones_named_with_their_city)
{
	/* GB/T 2260: 431102.. and the zone 永州市回龙圩管理区 */
	ck_assert_str_eq(text("湖南省永州市回龙圩管理区", NINGXIANG, NULL), "省内县外");
	ck_assert_str_eq(text("湖南省永州市永州市回龙圩管理区", NINGXIANG, NULL), "省内县外");
}
END_TEST

START_TEST(test_region_home_from_roster_county_when_id_code_is_abolished)
{
	/* 430124 was 宁乡县; the roster says 宁乡市 */
	ck_assert_str_eq(text("湖南省长沙市宁乡市", 430124, "宁乡市"), "县内");
	ck_assert_str_eq(text("湖南省长沙市雨花区", 430124, "宁乡市"), "省内县外");
	ck_assert_str_eq(text("广东省深圳市宝安区", 430124, NULL), "省外");
}
END_TEST

/* An invalid ID's digits name no province (490802…) or another one
 * (410802…): the roster's city and county names say where home is, and the
 * city tells 张家界市永定区 from 龙岩市永定区. */
START_TEST(test_region_home_from_roster_city_and_county_when_the_id_is_invalid)
{
	const char *place = "湖南省张家界市永定区";

	ck_assert_str_eq(compare_region_label(compare_work_region(place, NULL, NULL, NULL, 490802, "张家界市", "永定区")),
			 "县内");
	ck_assert_str_eq(compare_region_label(compare_work_region(place, NULL, NULL, NULL, 410802, "张家界市", "永定区")),
			 "县内");
	ck_assert_str_eq(compare_region_label(compare_work_region("江苏省镇江市丹徒区", NULL, NULL, NULL, 0, "张家界市",
								  "永定区")),
			 "省外");
	ck_assert_str_eq(compare_region_label(compare_work_region(NULL, "湖南省", "岳阳市", "云溪区", 680802, "张家界市",
								  "永定区")),
			 "省内县外");
	/* without the city the county name is ambiguous, and nothing is guessed */
	ck_assert_str_eq(compare_region_label(compare_work_region(place, NULL, NULL, NULL, 490802, NULL, "永定区")), "");
}
END_TEST

START_TEST(test_region_from_platform_columns)
{
	ck_assert_str_eq(cols("广东省", "深圳市", "宝安区", NINGXIANG), "省外");
	ck_assert_str_eq(cols("广东省", "", "", NINGXIANG), "省外");
	ck_assert_str_eq(cols("湖南省", "长沙市", "宁乡市", NINGXIANG), "县内");
	ck_assert_str_eq(cols("湖南省", "长沙市", "雨花区", NINGXIANG), "省内县外");
	ck_assert_str_eq(cols("湖南省", "常德市", "", NINGXIANG), "省内县外");
	ck_assert_str_eq(cols("北京市", "北京市", "朝阳区", NINGXIANG), "省外");
	ck_assert_str_eq(cols("湖北省", "仙桃市", "", NINGXIANG), "省外");
	ck_assert_str_eq(cols("湖南省", "益阳市", "南县", NANXIAN), "县内");
	ck_assert_str_eq(cols("湖南省", "衡阳市", "衡南县", NANXIAN), "省内县外");
}
END_TEST

START_TEST(test_region_unknown_when_the_place_says_too_little)
{
	ck_assert_str_eq(text("湖南省", NINGXIANG, NULL), "");
	ck_assert_str_eq(text("湖南省长沙市", NINGXIANG, NULL), ""); /* 宁乡市 or another county */
	ck_assert_str_eq(text("工地上", NINGXIANG, NULL), "");
	ck_assert_str_eq(text("", NINGXIANG, NULL), "");
	ck_assert_str_eq(cols("", "", "", NINGXIANG), "");
	ck_assert_str_eq(cols("火星省", "", "", NINGXIANG), "");
	ck_assert_str_eq(text("广东省深圳市宝安区", 0, NULL), ""); /* no home */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_names_ignore_spaces_and_unify_dots);
	tcase_add_test(tc, test_name_key_never_overflows);
	tcase_add_test(tc, test_employers_unify_legal_forms_and_brackets);
	tcase_add_test(tc, test_phones_keep_digits_without_country_code);
	tcase_add_test(tc, test_employed_and_gender_labels);
	tcase_add_test(tc, test_region_from_full_place_names);
	tcase_add_test(tc, test_region_without_province_or_with_short_names);
	tcase_add_test(tc, test_region_names_inside_other_names);
	tcase_add_test(tc, test_region_zones_named_with_their_city);
	tcase_add_test(tc, test_region_home_from_roster_county_when_id_code_is_abolished);
	tcase_add_test(tc, test_region_home_from_roster_city_and_county_when_the_id_is_invalid);
	tcase_add_test(tc, test_region_from_platform_columns);
	tcase_add_test(tc, test_region_unknown_when_the_place_says_too_little);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
