/* Unit tests for lib/csvin.c: sniffing, decoding, quoting, line numbers,
 * chunk boundaries and over-long records.  Files are written to a temporary
 * directory; the per-form end-to-end cases are in tests/data/ingest/. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvin.h"
#include "tmpl.h"

static char tmpdir[] = "/tmp/bangfu-test-csvin.XXXXXX";
static struct tmpl_columns *columns;

static const char *write_file(const char *name, const void *data, size_t len)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static struct csvin *open_text(const char *name, const char *text, struct bangfu_err *err)
{
	struct csvin_options opt = {.columns = columns};

	return csvin_open(write_file(name, text, strlen(text)), &opt, err);
}

START_TEST(test_header_key_ignores_spaces_stars_and_bracket_width)
{
	char key[128], key2[128];

	csvin_header_key(" *县 (市、区) ", key, sizeof key);
	csvin_header_key("县（市、区）", key2, sizeof key2);
	ck_assert_str_eq(key, key2);
	csvin_header_key("姓名：", key, sizeof key);
	ck_assert_str_eq(key, "姓名");
}
END_TEST

START_TEST(test_finds_header_below_title_rows)
{
	struct bangfu_err err;
	struct csvin *in = open_text("title.csv",
				     "某某表\n填报单位：某县,,\n,,\n姓名,证件号码\n张三,430124198503121238\n", &err);
	struct csvin_row *row;

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(csvin_header_line(in), 4);
	ck_assert_int_eq(csvin_next(in, &row, &err), 1);
	ck_assert_int_eq(row->line, 5);
	ck_assert_str_eq(row->fields[1], "430124198503121238");
	ck_assert_int_eq(csvin_next(in, &row, &err), 0);
	csvin_close(in);
}
END_TEST

START_TEST(test_detects_tab_and_pipe)
{
	struct bangfu_err err;
	struct csvin *in = open_text("tab.txt", "姓名\t证件号码\t备注\n张三\t1\t有,逗号\n", &err);

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(csvin_delimiter(in), '\t');
	csvin_close(in);
	in = open_text("pipe.txt", "姓名|证件号码\n张三|1\n", &err);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(csvin_delimiter(in), '|');
	csvin_close(in);
}
END_TEST

START_TEST(test_counts_lines_inside_quoted_newlines)
{
	struct bangfu_err err;
	struct csvin *in = open_text("nl.csv", "姓名,证件号码\n\"张\n三\",1\r\n\r\n李四,2\n", &err);
	struct csvin_row *row;

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(csvin_next(in, &row, &err), 1);
	ck_assert_int_eq(row->line, 2);
	ck_assert_str_eq(row->fields[0], "张\n三");
	ck_assert_int_eq(csvin_next(in, &row, &err), 1);
	ck_assert_int_eq(row->line, 5);
	ck_assert_str_eq(row->fields[0], "李四");
	csvin_close(in);
}
END_TEST

START_TEST(test_skips_blank_rows_excel_writes)
{
	struct bangfu_err err;
	struct csvin *in = open_text("blank.csv", "姓名,证件号码\n,\n张三,1\n , \n", &err);
	struct csvin_row *row;

	ck_assert_int_eq(csvin_next(in, &row, &err), 1);
	ck_assert_int_eq(row->line, 3);
	ck_assert_int_eq(csvin_next(in, &row, &err), 0);
	csvin_close(in);
}
END_TEST

/* Lines cut by the 1 MiB read boundary must come out whole, GB18030 included. */
START_TEST(test_lines_across_read_chunks_stay_whole)
{
	struct bangfu_err err;
	struct csvin_options opt = {.columns = columns};
	char path[512];
	FILE *f;
	struct csvin *in;
	struct csvin_row *row;
	long n = 0;

	snprintf(path, sizeof path, "%s/big.csv", tmpdir);
	f = fopen(path, "wb");
	fputs("\xd0\xd5\xc3\xfb,\xd6\xa4\xbc\xfe\xba\xc5\xc2\xeb\n", f); /* 姓名,证件号码 in GB18030 */
	for (long i = 0; i < 60000; i++)
		fprintf(f, "\xd5\xc5\xc8\xfd%ld,%0*ld\n", i, (int)(i % 37) + 1, i); /* 张三 */
	fclose(f);
	in = csvin_open(path, &opt, &err);
	ck_assert_ptr_nonnull(in);
	ck_assert_str_eq(csvin_encoding(in), "GB18030");
	while (csvin_next(in, &row, &err) == 1) {
		char want[64];

		ck_assert_int_eq(row->rejected, 0);
		snprintf(want, sizeof want, "张三%ld", n);
		ck_assert_str_eq(row->fields[0], want);
		ck_assert_int_eq(atol(row->fields[1]), n);
		ck_assert_int_eq(row->line, n + 2);
		n++;
	}
	ck_assert_int_eq(n, 60000);
	ck_assert_int_eq(strlen(csvin_sha256(in)), 64);
	csvin_close(in);
}
END_TEST

START_TEST(test_rejects_an_overlong_record_and_goes_on)
{
	struct bangfu_err err;
	struct csvin_options opt = {.columns = columns};
	size_t big = 6 * 1024 * 1024;
	char *text = malloc(big + 100);
	struct csvin *in;
	struct csvin_row *row;
	size_t len;

	len = (size_t)sprintf(text, "姓名,证件号码\n张三,");
	memset(text + len, '9', big);
	len += big;
	len += (size_t)sprintf(text + len, "\n李四,2\n");
	in = csvin_open(write_file("long.csv", text, len), &opt, &err);
	free(text);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(csvin_next(in, &row, &err), 1);
	ck_assert_int_eq(row->rejected, 1);
	ck_assert_str_eq(row->reject_code, "record_too_long");
	ck_assert_int_eq(row->line, 2);
	ck_assert_int_eq(csvin_next(in, &row, &err), 1);
	ck_assert_int_eq(row->rejected, 0);
	ck_assert_int_eq(row->line, 3);
	ck_assert_str_eq(row->fields[0], "李四");
	ck_assert_int_eq(csvin_next(in, &row, &err), 0);
	csvin_close(in);
}
END_TEST

START_TEST(test_refuses_utf16)
{
	struct bangfu_err err;
	struct csvin_options opt = {.columns = columns};
	struct csvin *in = csvin_open(write_file("u16.csv", "\xff\xfe\x53\x59", 4), &opt, &err);

	ck_assert_ptr_null(in);
	ck_assert_str_eq(err.code, "not_text");
	ck_assert_ptr_nonnull(strstr(err.message, "UTF-16"));
}
END_TEST

START_TEST(test_forced_encoding_wins)
{
	struct bangfu_err err;
	struct csvin_options opt = {.columns = columns, .encoding = "gbk"};
	/* 姓名,证件号码 / 张三,1 in GBK */
	const char *gbk = "\xd0\xd5\xc3\xfb,\xd6\xa4\xbc\xfe\xba\xc5\xc2\xeb\n\xd5\xc5\xc8\xfd,1\n";
	struct csvin *in = csvin_open(write_file("gbk.csv", gbk, strlen(gbk)), &opt, &err);
	struct csvin_row *row;

	ck_assert_ptr_nonnull(in);
	ck_assert_str_eq(csvin_encoding(in), "GBK");
	ck_assert_int_eq(csvin_next(in, &row, &err), 1);
	ck_assert_str_eq(row->fields[0], "张三");
	csvin_close(in);
}
END_TEST

START_TEST(test_without_columns_the_first_line_is_the_header)
{
	struct bangfu_err err;
	struct csvin_options opt = {0};
	const char *text = "a;b\n1;2\n";
	struct csvin *in = csvin_open(write_file("plain.csv", text, strlen(text)), &opt, &err);

	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(csvin_ncolumns(in), 2);
	ck_assert_int_eq(csvin_find_column(in, "b"), 1);
	csvin_close(in);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("csvin");
	TCase *tc = tcase_create("read");
	SRunner *sr;
	struct bangfu_err err;
	char cmd[600];
	int failed;

	if (!mkdtemp(tmpdir))
		return EXIT_FAILURE;
	tmpl_set_dir("templates");
	if (tmpl_columns_load("roster", &columns, &err) != 0) {
		fprintf(stderr, "cannot load templates/columns.csv: %s\n", err.message);
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_header_key_ignores_spaces_stars_and_bracket_width);
	tcase_add_test(tc, test_finds_header_below_title_rows);
	tcase_add_test(tc, test_detects_tab_and_pipe);
	tcase_add_test(tc, test_counts_lines_inside_quoted_newlines);
	tcase_add_test(tc, test_skips_blank_rows_excel_writes);
	tcase_add_test(tc, test_lines_across_read_chunks_stay_whole);
	tcase_add_test(tc, test_rejects_an_overlong_record_and_goes_on);
	tcase_add_test(tc, test_refuses_utf16);
	tcase_add_test(tc, test_forced_encoding_wins);
	tcase_add_test(tc, test_without_columns_the_first_line_is_the_header);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tmpl_columns_free(columns);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
