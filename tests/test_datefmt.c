/* Unit tests for lib/datefmt.c: every accepted date form, and what is not a date. */
#include <check.h>
#include <stdlib.h>

#include "datefmt.h"

static void expect_date(const char *in, enum datefmt_result want, const char *iso)
{
	char out[11];
	enum datefmt_result got = datefmt_parse(in, out);

	ck_assert_msg(got == want, "'%s': result %d, expected %d", in, got, want);
	if (iso)
		ck_assert_str_eq(out, iso);
}

START_TEST(test_accepts_iso_dates)
{
	expect_date("2020-05-01", DATEFMT_DAY, "2020-05-01");
	expect_date("  2020-05-01 ", DATEFMT_DAY, "2020-05-01");
}
END_TEST

START_TEST(test_accepts_slashes_and_dots_without_leading_zeros)
{
	expect_date("2020/5/1", DATEFMT_DAY, "2020-05-01");
	expect_date("2020.5.1", DATEFMT_DAY, "2020-05-01");
	expect_date("2020/12/31", DATEFMT_DAY, "2020-12-31");
}
END_TEST

START_TEST(test_accepts_chinese_dates)
{
	expect_date("2020年5月1日", DATEFMT_DAY, "2020-05-01");
	expect_date("2020年05月01号", DATEFMT_DAY, "2020-05-01");
	expect_date("2020年5月", DATEFMT_MONTH, "2020-05");
}
END_TEST

START_TEST(test_accepts_compact_digits)
{
	expect_date("20200501", DATEFMT_DAY, "2020-05-01");
	expect_date("202005", DATEFMT_MONTH, "2020-05");
}
END_TEST

START_TEST(test_accepts_month_only)
{
	expect_date("2020-05", DATEFMT_MONTH, "2020-05");
	expect_date("2020/5", DATEFMT_MONTH, "2020-05");
}
END_TEST

START_TEST(test_accepts_excel_serials)
{
	expect_date("43952", DATEFMT_DAY, "2020-05-01");
	expect_date("43952.75", DATEFMT_DAY, "2020-05-01");
	expect_date("36526", DATEFMT_DAY, "2000-01-01");
	expect_date("61", DATEFMT_INVALID, NULL);
}
END_TEST

START_TEST(test_drops_a_time_of_day)
{
	expect_date("2020-05-03 10:20:30", DATEFMT_DAY, "2020-05-03");
	expect_date("2020/5/3 9:05", DATEFMT_DAY, "2020-05-03");
	expect_date("2020-05-03T10:20:30", DATEFMT_DAY, "2020-05-03");
}
END_TEST

START_TEST(test_blank_is_empty_not_invalid)
{
	expect_date("", DATEFMT_EMPTY, NULL);
	expect_date("   ", DATEFMT_EMPTY, NULL);
}
END_TEST

START_TEST(test_rejects_impossible_dates)
{
	expect_date("2020-13-01", DATEFMT_INVALID, NULL);
	expect_date("2019-02-29", DATEFMT_INVALID, NULL);
	expect_date("2020-02-30", DATEFMT_INVALID, NULL);
	expect_date("20200431", DATEFMT_INVALID, NULL);
	expect_date("2020年13月", DATEFMT_INVALID, NULL);
	expect_date("1850-01-01", DATEFMT_INVALID, NULL);
	expect_date("2020-00", DATEFMT_INVALID, NULL);
}
END_TEST

START_TEST(test_accepts_leap_days)
{
	expect_date("2020-02-29", DATEFMT_DAY, "2020-02-29");
	expect_date("2000-02-29", DATEFMT_DAY, "2000-02-29");
	expect_date("1900-02-29", DATEFMT_INVALID, NULL);
}
END_TEST

START_TEST(test_rejects_text)
{
	expect_date("五月", DATEFMT_INVALID, NULL);
	expect_date("2020-05-01x", DATEFMT_INVALID, NULL);
	expect_date("May 2020", DATEFMT_INVALID, NULL);
	expect_date("2020--05", DATEFMT_INVALID, NULL);
}
END_TEST

START_TEST(test_civil_days_round_trip)
{
	int y, m, d;

	ck_assert_int_eq(datefmt_days_from_civil(1970, 1, 1), 0);
	for (long z = -100000; z < 100000; z += 997) {
		datefmt_civil_from_days(z, &y, &m, &d);
		ck_assert_int_eq(datefmt_days_from_civil(y, m, d), z);
	}
}
END_TEST

/* Found by fuzz/fuzz_datefmt.c: a long run of digits overflowed an int. */
START_TEST(test_rejects_long_digit_runs)
{
	expect_date("00200500200500", DATEFMT_INVALID, NULL);
	expect_date("99999999999999999999", DATEFMT_INVALID, NULL);
	expect_date("202005011", DATEFMT_INVALID, NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("datefmt");
	TCase *tc = tcase_create("parse");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_accepts_iso_dates);
	tcase_add_test(tc, test_accepts_slashes_and_dots_without_leading_zeros);
	tcase_add_test(tc, test_accepts_chinese_dates);
	tcase_add_test(tc, test_accepts_compact_digits);
	tcase_add_test(tc, test_accepts_month_only);
	tcase_add_test(tc, test_accepts_excel_serials);
	tcase_add_test(tc, test_drops_a_time_of_day);
	tcase_add_test(tc, test_blank_is_empty_not_invalid);
	tcase_add_test(tc, test_rejects_impossible_dates);
	tcase_add_test(tc, test_accepts_leap_days);
	tcase_add_test(tc, test_rejects_text);
	tcase_add_test(tc, test_civil_days_round_trip);
	tcase_add_test(tc, test_rejects_long_digit_runs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
