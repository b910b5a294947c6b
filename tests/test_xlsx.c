/* Unit tests for lib/xlsx.c: how wide a text is (a Chinese character counts
 * 2), how tall a wrapped text is, that a book of fitted cells closes, and
 * the closer's threads.  What the sheets look like is read back by the
 * tests/test_*.sh scripts.  The closer's tests are the ones to run under
 * ThreadSanitizer after touching it:
 *   make B=build/tsan BIN=build/tsan/bin CFLAGS='-O1 -g' SAN=-fsanitize=thread build/tsan/tests/test_xlsx
 *   CK_FORK=no TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/test_xlsx */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unzip.h>

#include "xlsx.h"

START_TEST(test_a_chinese_character_counts_two)
{
	ck_assert_double_eq(xlsx_text_width("湘西土家族苗族自治州"), 20);
	ck_assert_double_eq(xlsx_text_width("洞口县"), 6);
}
END_TEST

START_TEST(test_digits_and_latin_count_one)
{
	ck_assert_double_eq(xlsx_text_width("430525********6650"), 18);
	ck_assert_double_eq(xlsx_text_width("2026-10"), 7);
	ck_assert_double_eq(xlsx_text_width(""), 0);
	ck_assert_double_eq(xlsx_text_width(NULL), 0);
}
END_TEST

START_TEST(test_full_width_punctuation_counts_two)
{
	/* （ ） ： “ ” are as wide as a character beside them */
	ck_assert_double_eq(xlsx_text_width("（一）1.（2）"), 13);
	ck_assert_double_eq(xlsx_text_width("扶贫系统“否”"), 14);
	ck_assert_double_eq(xlsx_text_width("单位：人"), 8);
}
END_TEST

START_TEST(test_the_widest_line_of_several)
{
	ck_assert_double_eq(xlsx_text_width("ab\n湘西土家族苗族自治州\n洞口县"), 20);
}
END_TEST

START_TEST(test_a_cut_character_is_not_read_past_the_end)
{
	ck_assert_double_eq(xlsx_text_width("ab\xE6"), 3);
	ck_assert_double_eq(xlsx_text_width("ab\xE6\xB9"), 3);
}
END_TEST

START_TEST(test_a_longer_text_needs_more_lines)
{
	double one = xlsx_text_height("洞口县", 40, 14);
	double two = xlsx_text_height("扶贫系统有此人，省平台没有记录；扶贫系统记录：是否已就业 是，县内", 40, 14);

	ck_assert_double_eq(one, 14 + 4);
	ck_assert_double_ge(two, 2 * 14 + 4);
	ck_assert_double_eq(xlsx_text_height("a\nb\nc", 40, 14), 3 * 14 + 4);
}
END_TEST

START_TEST(test_a_book_of_fitted_cells_closes_mode_0600)
{
	static const struct xlsx_column cols[] = {{"市州", 8}, {"情况", 10}, {"人数", 6}};
	char path[] = "/tmp/bangfu-test-xlsx-XXXXXX.xlsx";
	struct bangfu_err err = {0};
	struct xlsx_book b;
	struct stat sb;
	lxw_worksheet *ws;
	int fd = mkstemps(path, 5), first;

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(xlsx_open(&b, path, "湖南省人力资源和社会保障厅", "2026-10", &err), 0);
	ws = xlsx_sheet_unit(&b, "测试", "测试", "单位：人、元", cols, 3, &first);
	ck_assert_ptr_nonnull(ws);
	xlsx_put_text(&b, ws, first, 0, "湘西土家族苗族自治州", b.text);
	xlsx_put_text(&b, ws, first, 1, "扶贫系统有此人，省平台没有记录；扶贫系统记录：是否已就业 是，县内", b.text);
	xlsx_put_number(&b, ws, first, 2, 1234567, b.count);
	xlsx_row_outline(&b, ws, first + 1, 1, 1, 0);
	xlsx_put_merged(&b, ws, first + 2, 0, 2, "注：一段很长的说明文字，合并在三列之上，需要换行显示。", b.text_wrap);
	ck_assert_int_eq(xlsx_close(&b, &err), 0);
	ck_assert_ptr_null(b.fits);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	unlink(path);
}
END_TEST

/* A filled book at path, one sheet of a few rows. */
static void fill(struct xlsx_book *b, const char *path, int rows)
{
	static const struct xlsx_column cols[] = {{"乡镇", 8}, {"姓名", 8}};
	struct bangfu_err err = {0};
	lxw_worksheet *ws;
	int first;

	ck_assert_int_eq(xlsx_open(b, path, "某县", "2026-10", &err), 0);
	ws = xlsx_sheet(b, "名单", "名单", 0, cols, 2, &first);
	ck_assert_ptr_nonnull(ws);
	for (int r = 0; r < rows; r++) {
		xlsx_put_text(b, ws, first + r, 0, "城关镇", b->text);
		xlsx_put_text(b, ws, first + r, 1, "张三", b->text);
	}
}

START_TEST(test_a_closer_writes_every_book_handed_to_it)
{
	char dir[] = "/tmp/bangfu-test-closer-XXXXXX", path[8][64];
	struct bangfu_err err = {0};
	struct xlsx_closer *c;
	mode_t before = umask(022), after;

	setenv("BANGFU_THREADS", _i ? "2" : "1", 1);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	c = xlsx_closer_start();
	for (int i = 0; i < 8; i++) {
		struct xlsx_book b;

		snprintf(path[i], sizeof path[i], "%s/%d.xlsx", dir, i);
		fill(&b, path[i], 50 * (i + 1));
		ck_assert_int_eq(xlsx_closer_add(c, &b, &err), 0);
		ck_assert_ptr_null(b.wb); /* the closer has it */
	}
	ck_assert_int_eq(xlsx_closer_finish(c, &err), 0);
	after = umask(022);
	ck_assert_int_eq(after, 022); /* the closer put the umask back */
	for (int i = 0; i < 8; i++) {
		struct stat sb;
		char magic[2] = {0};
		FILE *f = fopen(path[i], "rb");

		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(fread(magic, 1, 2, f), 2);
		fclose(f);
		ck_assert(magic[0] == 'P' && magic[1] == 'K');
		ck_assert_int_eq(stat(path[i], &sb), 0);
		ck_assert_int_eq(sb.st_mode & 0777, 0600);
		unlink(path[i]);
	}
	rmdir(dir);
	umask(before);
	unsetenv("BANGFU_THREADS");
}
END_TEST

/* Books said to hold more than XLSX_CLOSER_ROWS go one at a time, smaller
 * ones beside each other; none is lost or waits for ever. */
START_TEST(test_large_books_go_through_the_closer_one_at_a_time)
{
	char dir[] = "/tmp/bangfu-test-closer-XXXXXX", path[10][64];
	struct bangfu_err err = {0};
	struct xlsx_closer *c;

	setenv("BANGFU_THREADS", "2", 1);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	c = xlsx_closer_start();
	for (int i = 0; i < 10; i++) {
		struct xlsx_book b;

		snprintf(path[i], sizeof path[i], "%s/%d.xlsx", dir, i);
		fill(&b, path[i], 20);
		b.rows = i % 3 ? XLSX_CLOSER_ROWS + 1 : XLSX_CLOSER_ROWS / 4;
		ck_assert_int_eq(xlsx_closer_add(c, &b, &err), 0);
	}
	ck_assert_int_eq(xlsx_closer_finish(c, &err), 0);
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(access(path[i], F_OK), 0);
		unlink(path[i]);
	}
	rmdir(dir);
	unsetenv("BANGFU_THREADS");
}
END_TEST

START_TEST(test_a_book_the_closer_cannot_write_fails_the_run)
{
	char dir[] = "/tmp/bangfu-test-closer-XXXXXX", bad[128], good[128];
	struct bangfu_err err = {0};
	struct xlsx_closer *c;
	struct xlsx_book b;

	setenv("BANGFU_THREADS", _i ? "2" : "1", 1);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(bad, sizeof bad, "%s/gone/1.xlsx", dir); /* a directory nobody made */
	snprintf(good, sizeof good, "%s/2.xlsx", dir);
	c = xlsx_closer_start();
	fill(&b, bad, 10);
	xlsx_closer_add(c, &b, &err);
	fill(&b, good, 10);
	xlsx_closer_add(c, &b, &err);
	ck_assert_int_eq(xlsx_closer_finish(c, &err), -1);
	ck_assert_str_eq(err.file, bad);
	unlink(good);
	rmdir(dir);
	unsetenv("BANGFU_THREADS");
}
END_TEST

/* The XML of the first sheet of the workbook at path (to be freed). */
static char *sheet_xml(const char *path)
{
	unzFile z = unzOpen(path);
	unz_file_info info;
	char *xml;

	ck_assert_ptr_nonnull(z);
	ck_assert_int_eq(unzLocateFile(z, "xl/worksheets/sheet1.xml", 0), UNZ_OK);
	ck_assert_int_eq(unzGetCurrentFileInfo(z, &info, NULL, 0, NULL, 0, NULL, 0), UNZ_OK);
	xml = calloc(1, info.uncompressed_size + 1);
	ck_assert_ptr_nonnull(xml);
	ck_assert_int_eq(unzOpenCurrentFile(z), UNZ_OK);
	ck_assert_int_eq(unzReadCurrentFile(z, xml, (unsigned)info.uncompressed_size), (int)info.uncompressed_size);
	unzCloseCurrentFile(z);
	unzClose(z);
	return xml;
}

/* A streamed book at path (a fresh temporary name) with one sheet 名单 of
 * the columns given; the sheet, *first its first data row. */
static lxw_worksheet *streamed_sheet(struct xlsx_book *b, char *path, const struct xlsx_column *cols, int ncols,
				     int *first)
{
	struct bangfu_err err = {0};
	int fd = mkstemps(path, 5);
	lxw_worksheet *ws;

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(xlsx_open_streamed(b, path, "某县", "2026-10", &err), 0);
	ws = xlsx_sheet(b, "名单", "名单", 0, cols, ncols, first);
	ck_assert_ptr_nonnull(ws);
	return ws;
}

/* A streamed list as the township lists are: rows in order, a wrapped
 * text's row taller, a 合计 row merged under the list, the filter over the
 * list alone (set after the 合计 row), strings inline. */
START_TEST(test_a_streamed_book_sets_heights_and_its_filter_as_rows_go)
{
	static const struct xlsx_column cols[] = {{"乡镇", 8}, {"情况", 10}};
	char path[] = "/tmp/bangfu-test-xlsx-XXXXXX.xlsx";
	struct bangfu_err err = {0};
	struct xlsx_book b;
	int first, row;
	lxw_worksheet *ws = streamed_sheet(&b, path, cols, 2, &first);
	char *xml;

	for (row = first; row < first + 1000; row++) {
		xlsx_put_text(&b, ws, row, 0, "城关镇", b.text);
		xlsx_put_text(&b, ws, row, 1, row == first + 1 ? "扶贫系统有此人，省平台没有记录；扶贫系统记录：是否已就业 是，县内，"
								  "核实就业情况后在省平台录入"
							       : "一致", b.text);
	}
	xlsx_put_merged(&b, ws, row, 0, 1, "合计 1000 人", b.total_text);
	xlsx_autofilter(&b, ws, first - 1, 0, row - 1, 1);
	ck_assert_int_eq(xlsx_close(&b, &err), 0);
	xml = sheet_xml(path);
	ck_assert_ptr_nonnull(strstr(xml, "<autoFilter ref=\"A3:B1003\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<row r=\"5\" ht=\"46\" customHeight=\"1\">")); /* the wrapped row */
	ck_assert_ptr_nonnull(strstr(xml, "<row r=\"6\">"));                               /* one line */
	ck_assert_ptr_nonnull(strstr(xml, "t=\"inlineStr\"><is><t>合计 1000 人</t></is>"));
	ck_assert_ptr_nonnull(strstr(xml, "<mergeCell ref=\"A1004:B1004\"/>"));
	free(xml);
	unlink(path);
}
END_TEST

/* A streamed sheet cannot take a cell of a row it has passed: the book
 * fails at its close, naming the sheet and the row, instead of losing it. */
START_TEST(test_a_streamed_book_refuses_a_row_it_has_passed)
{
	static const struct xlsx_column cols[] = {{"乡镇", 8}, {"姓名", 8}};
	char path[] = "/tmp/bangfu-test-xlsx-XXXXXX.xlsx";
	struct bangfu_err err = {0};
	struct xlsx_book b;
	int first;
	lxw_worksheet *ws = streamed_sheet(&b, path, cols, 2, &first);

	xlsx_put_text(&b, ws, first + 5, 0, "城关镇", b.text);
	xlsx_put_text(&b, ws, first + 4, 1, "张三", b.text);
	ck_assert_int_eq(xlsx_close(&b, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "名单, row 8"));
	unlink(path);
}
END_TEST

/* Only a row passed fails a streamed book: a text over Excel's 32,767
 * characters is lost as in a book kept in memory (ingest refuses such
 * fields long before a list). */
START_TEST(test_a_streamed_book_fails_only_for_a_row_passed)
{
	static const struct xlsx_column cols[] = {{"乡镇", 8}};
	char path[] = "/tmp/bangfu-test-xlsx-XXXXXX.xlsx", *long_text = malloc(40001);
	struct bangfu_err err = {0};
	struct xlsx_book b;
	int first;
	lxw_worksheet *ws = streamed_sheet(&b, path, cols, 1, &first);

	memset(long_text, 'x', 40000);
	long_text[40000] = '\0';
	xlsx_put_text(&b, ws, first, 0, long_text, b.text);
	xlsx_put_text(&b, ws, first + 1, 0, "城关镇", b.text);
	ck_assert_int_eq(xlsx_close(&b, &err), 0);
	free(long_text);
	unlink(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("xlsx");
	TCase *tc = tcase_create("fit");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_a_chinese_character_counts_two);
	tcase_add_test(tc, test_digits_and_latin_count_one);
	tcase_add_test(tc, test_full_width_punctuation_counts_two);
	tcase_add_test(tc, test_the_widest_line_of_several);
	tcase_add_test(tc, test_a_cut_character_is_not_read_past_the_end);
	tcase_add_test(tc, test_a_longer_text_needs_more_lines);
	tcase_add_test(tc, test_a_book_of_fitted_cells_closes_mode_0600);
	tcase_add_loop_test(tc, test_a_closer_writes_every_book_handed_to_it, 0, 2);
	tcase_add_loop_test(tc, test_a_book_the_closer_cannot_write_fails_the_run, 0, 2);
	tcase_add_test(tc, test_large_books_go_through_the_closer_one_at_a_time);
	tcase_add_test(tc, test_a_streamed_book_sets_heights_and_its_filter_as_rows_go);
	tcase_add_test(tc, test_a_streamed_book_refuses_a_row_it_has_passed);
	tcase_add_test(tc, test_a_streamed_book_fails_only_for_a_row_passed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
