/* Unit tests of etl/changes.c: when two valid IDs of one name in one
 * household are one typing slip apart (an ID corrected between months), and
 * when they are two persons. */
#include <check.h>
#include <stdlib.h>

#include "changes.h"

/* 430182198503121012 with its first 17 digits slipped, each under its own
 * check character (what an upgraded 15-digit number has). */
START_TEST(test_one_digit_of_the_body_is_a_slip_whatever_the_check_character)
{
	ck_assert_int_eq(changes_ids_near("430182198503121012", "430182198503121032"), 1);
	ck_assert_int_eq(changes_ids_near("430182198503121012", "430182198503181012"), 1);
	ck_assert_int_eq(changes_ids_near("430182198503121012", "430182198503121025"), 1);
	ck_assert_int_eq(changes_ids_near("43018219850312102X", "430182198503121012"), 1);
}
END_TEST

START_TEST(test_two_neighbours_swapped_are_a_slip)
{
	ck_assert_int_eq(changes_ids_near("430182198503121012", "430182198503211017"), 1);
	ck_assert_int_eq(changes_ids_near("430182198503121012", "340182198503121012"), 1);
}
END_TEST

START_TEST(test_ids_further_apart_are_two_persons)
{
	/* two digits apart, not neighbours swapped */
	ck_assert_int_eq(changes_ids_near("430182198503121012", "430182198504131012"), 0);
	/* neighbours that are not swapped but changed */
	ck_assert_int_eq(changes_ids_near("430182198503121012", "430182198503341012"), 0);
	/* another person of the household */
	ck_assert_int_eq(changes_ids_near("430182198503121012", "430182201101011029"), 0);
	/* the same ID is no slip */
	ck_assert_int_eq(changes_ids_near("430182198503121012", "430182198503121012"), 0);
}
END_TEST

START_TEST(test_what_is_no_18_character_id_is_never_near)
{
	ck_assert_int_eq(changes_ids_near("4.30182E+17", "430182198503121012"), 0);
	ck_assert_int_eq(changes_ids_near("43018219850312101", "430182198503121012"), 0);
	ck_assert_int_eq(changes_ids_near(NULL, "430182198503121012"), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("changes");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_one_digit_of_the_body_is_a_slip_whatever_the_check_character);
	tcase_add_test(tc, test_two_neighbours_swapped_are_a_slip);
	tcase_add_test(tc, test_ids_further_apart_are_two_persons);
	tcase_add_test(tc, test_what_is_no_18_character_id_is_never_near);
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
