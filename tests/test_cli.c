/* Check unit tests of lib/cli: parsing a stage's option table, the exit
 * status of each kind of bad command line, and the help printed from it. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"

static const char *db_path, *period, *out;
static char as_of[11];
static long seed;
static int full_id, expand;
static struct cli_list returned;
static const char *const levels[] = {"city", "county", "township", NULL};

static const struct cli_option options[] = {
	CLI_OPT_PERIOD(&period, "the month"),
	CLI_OPT_REQUIRED("out", &out, "FILE.xlsx", "the workbook"),
	CLI_OPT_DATE("as-of", as_of, "the day", 0),
	CLI_OPT_INT("seed", &seed, "N", 0, 1000, "the seed"),
	CLI_OPT_FLAG("full-id", &full_id, "whole IDs"),
	CLI_OPT_CHOICE("expand", &expand, NULL, levels, "how far it opens"),
	CLI_OPT_LIST("returned", &returned, "FILE", "a returned file\n(may be given again)"),
	CLI_COMMON(&db_path),
	CLI_OPT_END(),
};

static const struct cli_command cmd = {"bangfu-test", "[FILE...]", "What the stage does.", "Exit status: 0.",
				       options};

static int parse(int *status, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	db_path = period = out = NULL;
	as_of[0] = '\0';
	seed = -1;
	full_id = expand = 0;
	cli_list_free(&returned);
	argv[argc++] = "bangfu-test";
	va_start(ap, status);
	for (char *a; (a = va_arg(ap, char *)) != NULL && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	*status = -1;
	return cli_parse(&cmd, argc, argv, status);
}

START_TEST(test_parses_every_kind_of_option)
{
	int status;
	int first = parse(&status, "--period", "2026-10", "--out", "x.xlsx", "--as-of", "2026/11/5", "--seed", "42",
			  "--full-id", "--expand", "county", "--returned", "a.xlsx", "--returned", "b.xlsx", "--db",
			  "m.db", "f1", "f2", NULL);

	ck_assert_int_eq(first, 14 + 4);
	ck_assert_str_eq(period, "2026-10");
	ck_assert_str_eq(out, "x.xlsx");
	ck_assert_str_eq(as_of, "2026-11-05");
	ck_assert_int_eq(seed, 42);
	ck_assert_int_eq(full_id, 1);
	ck_assert_int_eq(expand, 1);
	ck_assert_int_eq(returned.n, 2);
	ck_assert_str_eq(returned.items[1], "b.xlsx");
	ck_assert_str_eq(db_path, "m.db");
}
END_TEST

START_TEST(test_a_missing_required_option_is_a_usage_error)
{
	int status;

	ck_assert_int_eq(parse(&status, "--period", "2026-10", NULL), -1);
	ck_assert_int_eq(status, EXIT_USAGE);
}
END_TEST

START_TEST(test_unknown_options_and_missing_values_are_usage_errors)
{
	int status;

	ck_assert_int_eq(parse(&status, "--period", "2026-10", "--out", "x", "--nope", NULL), -1);
	ck_assert_int_eq(status, EXIT_USAGE);
	ck_assert_int_eq(parse(&status, "--period", "2026-10", "--out", "x", "-z", NULL), -1);
	ck_assert_int_eq(status, EXIT_USAGE);
	ck_assert_int_eq(parse(&status, "--out", "x", "--period", NULL), -1);
	ck_assert_int_eq(status, EXIT_USAGE);
	ck_assert_int_eq(parse(&status, "--period", "2026-10", "--out", "x", "--expand", "village", NULL), -1);
	ck_assert_int_eq(status, EXIT_USAGE);
	ck_assert_int_eq(parse(&status, "--period", "2026-10", "--out", "x", "--seed", "1001", NULL), -1);
	ck_assert_int_eq(status, EXIT_USAGE);
	ck_assert_int_eq(parse(&status, "--period", "2026-10", "--out", "x", "--seed", "4x", NULL), -1);
	ck_assert_int_eq(status, EXIT_USAGE);
}
END_TEST

START_TEST(test_a_value_that_is_no_month_or_day_is_bad_input)
{
	int status;

	ck_assert_int_eq(parse(&status, "--period", "2026-13", "--out", "x", NULL), -1);
	ck_assert_int_eq(status, EXIT_BAD_INPUT);
	ck_assert_int_eq(parse(&status, "--period", "2026-10", "--out", "x", "--as-of", "2026-02-30", NULL), -1);
	ck_assert_int_eq(status, EXIT_BAD_INPUT);
}
END_TEST

START_TEST(test_help_exits_zero_before_checking_what_is_required)
{
	int status;

	ck_assert_int_eq(parse(&status, "--help", NULL), -1);
	ck_assert_int_eq(status, EXIT_OK);
	ck_assert_int_eq(parse(&status, "-h", NULL), -1);
	ck_assert_int_eq(status, EXIT_OK);
}
END_TEST

START_TEST(test_help_lists_every_option_with_its_value)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cli_usage(&cmd, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "usage: bangfu-test --period YYYY-MM --out FILE.xlsx [options] [FILE...]"));
	ck_assert_ptr_nonnull(strstr(text, "What the stage does."));
	for (const struct cli_option *o = options; o->kind != CLI_END; o++) {
		char want[64];

		snprintf(want, sizeof want, "--%s", o->name);
		ck_assert_msg(strstr(text, want) != NULL, "%s missing from the help", want);
	}
	ck_assert_ptr_nonnull(strstr(text, "--expand city|county|township"));
	ck_assert_ptr_nonnull(strstr(text, "-q, --quiet"));
	ck_assert_ptr_nonnull(strstr(text, "(may be given again)"));
	ck_assert_ptr_nonnull(strstr(text, "Exit status: 0."));
	free(text);
}
END_TEST

START_TEST(test_operands_are_checked)
{
	static const struct cli_option none[] = {CLI_COMMON_OUTPUT, CLI_OPT_END()};
	static const struct cli_command no_operands = {"bangfu-x", NULL, "x", NULL, none};
	static const struct cli_command needs_files = {"bangfu-y", "FILE...", "y", NULL, none};
	char *with_file[] = {"bangfu-x", "f", NULL};
	char *bare[] = {"bangfu-y", NULL};
	int status = -1;

	ck_assert_int_eq(cli_parse(&no_operands, 2, with_file, &status), -1);
	ck_assert_int_eq(status, EXIT_USAGE);
	status = -1;
	ck_assert_int_eq(cli_parse(&needs_files, 1, bare, &status), -1);
	ck_assert_int_eq(status, EXIT_USAGE);
	ck_assert_int_eq(cli_parse(&needs_files, 2, (char *[]){"bangfu-y", "f", NULL}, &status), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_parses_every_kind_of_option);
	tcase_add_test(tc, test_a_missing_required_option_is_a_usage_error);
	tcase_add_test(tc, test_unknown_options_and_missing_values_are_usage_errors);
	tcase_add_test(tc, test_a_value_that_is_no_month_or_day_is_bad_input);
	tcase_add_test(tc, test_help_exits_zero_before_checking_what_is_required);
	tcase_add_test(tc, test_help_lists_every_option_with_its_value);
	tcase_add_test(tc, test_operands_are_checked);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
