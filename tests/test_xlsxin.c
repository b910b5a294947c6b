/* Unit tests for lib/xlsxin.c: reading cells the way Excel and other writers
 * store them, streaming large sheets, and refusing what is not an honest xlsx.
 * Workbooks are made at test time in a temporary directory: with
 * libxlsxwriter for what Excel-like writers produce, and part by part with
 * minizip's zip API for the forms libxlsxwriter never writes (prefixed
 * namespaces, rows without numbers, damaged and hostile files). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>
#include <zlib.h>

#include "strbuf.h"
#include "xlsxin.h"

#define SML_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKG_REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define BIG_ROWS 30000

static char tmpdir[] = "/tmp/bangfu-test-xlsxin.XXXXXX";
static char main_xlsx[512], big_xlsx[512];
static struct strbuf dumped;

static const char *tmp_path(const char *name)
{
	static char path[512];

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	return path;
}

static const char *write_file(const char *name, const void *data, size_t len)
{
	const char *path = tmp_path(name);
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

/* ---- making workbooks ---- */

struct part {
	const char *name;
	const char *data;
	unsigned long declared_size; /* nonzero: stored raw, claiming this uncompressed size */
};

/* A zip of the given parts; stored (method 0) or deflated. */
static const char *write_zip(const char *name, const struct part *parts, int nparts, int method)
{
	const char *path = tmp_path(name);
	zipFile zf = zipOpen64(path, APPEND_STATUS_CREATE);

	ck_assert_ptr_nonnull(zf);
	for (int i = 0; i < nparts; i++) {
		zip_fileinfo zi;
		unsigned len = (unsigned)strlen(parts[i].data);
		int raw = parts[i].declared_size != 0;

		memset(&zi, 0, sizeof zi);
		ck_assert_int_eq(zipOpenNewFileInZip2(zf, parts[i].name, &zi, NULL, 0, NULL, 0, NULL,
						      raw ? 0 : method,
						      method && !raw ? Z_DEFAULT_COMPRESSION : 0, raw),
				 ZIP_OK);
		ck_assert_int_eq(zipWriteInFileInZip(zf, parts[i].data, len), ZIP_OK);
		if (raw)
			ck_assert_int_eq(zipCloseFileInZipRaw(zf, parts[i].declared_size,
							      crc32(0, (const Bytef *)parts[i].data, len)),
					 ZIP_OK);
		else
			ck_assert_int_eq(zipCloseFileInZip(zf), ZIP_OK);
	}
	ck_assert_int_eq(zipClose(zf, NULL), ZIP_OK);
	return path;
}

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"</Types>";

static const char package_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Relationships xmlns=\"" PKG_REL_NS "\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_NS "/officeDocument\" Target=\"xl/workbook.xml\"/>"
	"</Relationships>";

static const char one_sheet_workbook[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<workbook xmlns=\"" SML_NS "\" xmlns:r=\"" REL_NS "\">"
	"<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

static const char one_sheet_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Relationships xmlns=\"" PKG_REL_NS "\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_NS "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL_NS "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"</Relationships>";

static const char one_string_sst[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<sst xmlns=\"" SML_NS "\" count=\"1\" uniqueCount=\"1\"><si><t>only</t></si></sst>";

/* A one-sheet package around sheet_xml (a whole part, or the inside of
 * <sheetData> when it does not start with "<?xml"). */
static const char *write_one_sheet(const char *name, const char *sheet_xml, int method)
{
	struct strbuf sheet = {0};
	const char *path;

	if (strncmp(sheet_xml, "<?xml", 5) == 0) {
		strbuf_addstr(&sheet, sheet_xml);
	} else {
		strbuf_addstr(&sheet, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				      "<worksheet xmlns=\"" SML_NS "\"><sheetData>");
		strbuf_addstr(&sheet, sheet_xml);
		strbuf_addstr(&sheet, "</sheetData></worksheet>");
	}
	{
		struct part parts[] = {
			{"[Content_Types].xml", content_types, 0},
			{"_rels/.rels", package_rels, 0},
			{"xl/workbook.xml", one_sheet_workbook, 0},
			{"xl/_rels/workbook.xml.rels", one_sheet_rels, 0},
			{"xl/sharedStrings.xml", one_string_sst, 0},
			{"xl/worksheets/sheet1.xml", strbuf_str(&sheet), 0},
		};

		path = write_zip(name, parts, (int)(sizeof parts / sizeof *parts), method);
	}
	strbuf_free(&sheet);
	return path;
}

/* The workbook most tests read: what a clerk's export looks like. */
static int make_main_workbook(void)
{
	lxw_workbook *wb;
	lxw_worksheet *ws, *ws2, *ws3;
	lxw_format *fmt, *red;

	snprintf(main_xlsx, sizeof main_xlsx, "%s/main.xlsx", tmpdir);
	wb = workbook_new(main_xlsx);
	if (!wb)
		return -1;
	ws = workbook_add_worksheet(wb, "花名册");
	ws2 = workbook_add_worksheet(wb, "退役军人");
	ws3 = workbook_add_worksheet(wb, "隐藏");
	fmt = workbook_add_format(wb);
	format_set_bold(fmt);
	red = workbook_add_format(wb);
	format_set_font_color(red, LXW_COLOR_RED);

	worksheet_write_string(ws, 0, 0, "姓名", fmt);
	worksheet_write_string(ws, 0, 1, "证件号码", NULL);
	worksheet_write_string(ws, 0, 2, "数字", NULL);
	worksheet_write_string(ws, 0, 3, "布尔", NULL);
	worksheet_write_string(ws, 1, 0, "张三", NULL);
	worksheet_write_string(ws, 1, 1, "430124199001011234", NULL);
	worksheet_write_number(ws, 1, 2, 4.30124E+17, NULL);
	worksheet_write_boolean(ws, 1, 3, 1, NULL);
	/* row 3 left out */
	worksheet_write_string(ws, 3, 0, "李四", NULL);
	worksheet_write_number(ws, 3, 2, 43952, NULL);
	worksheet_write_boolean(ws, 3, 3, 0, NULL);
	worksheet_set_row(ws, 5, 30, NULL);   /* row 6: height only */
	worksheet_write_blank(ws, 6, 2, fmt); /* row 7: a formatted empty cell */
	worksheet_write_string(ws, 7, 0, "x", NULL);
	worksheet_write_string(ws, 7, 4, "y", NULL);
	worksheet_write_formula_num(ws, 8, 0, "=1+2", NULL, 3);
	worksheet_write_formula_str(ws, 8, 1, "=\"a\"&\"b\"", NULL, "ab");
	worksheet_write_number(ws, 8, 2, 0.5, NULL);
	{
		lxw_rich_string_tuple f1 = {.format = red, .string = "红色"};
		lxw_rich_string_tuple f2 = {.format = NULL, .string = "黑色"};
		lxw_rich_string_tuple *fragments[] = {&f1, &f2, NULL};

		worksheet_write_rich_string(ws, 8, 3, fragments, NULL);
	}

	worksheet_write_string(ws2, 0, 0, "姓名", NULL);
	worksheet_write_string(ws2, 0, 1, "类别", NULL);
	worksheet_write_string(ws2, 1, 0, "王五", NULL);
	worksheet_write_string(ws2, 1, 1, "退役军人", NULL);

	worksheet_write_string(ws3, 0, 0, "secret", NULL);
	worksheet_hide(ws3);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* A long sheet as libxlsxwriter writes it in constant-memory mode (inline
 * strings), every 100th row left out. */
static int make_big_workbook(void)
{
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
	lxw_workbook *wb;
	lxw_worksheet *ws;
	char text[64];

	snprintf(big_xlsx, sizeof big_xlsx, "%s/big.xlsx", tmpdir);
	wb = workbook_new_opt(big_xlsx, &opt);
	if (!wb)
		return -1;
	ws = workbook_add_worksheet(wb, "大表");
	for (int r = 0; r < BIG_ROWS; r++) {
		if (r % 100 == 99)
			continue;
		snprintf(text, sizeof text, "人员%d", r);
		worksheet_write_string(ws, (lxw_row_t)r, 0, text, NULL);
		worksheet_write_number(ws, (lxw_row_t)r, 1, r, NULL);
		snprintf(text, sizeof text, "4301241990%08d", r);
		worksheet_write_string(ws, (lxw_row_t)r, 2, text, NULL);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* ---- reading ---- */

/* Sheet i as "row:cell|cell\n" lines, ending with "ERR code: message\n" when
 * reading fails. */
static const char *dump_sheet(struct xlsxin *x, int i)
{
	struct bangfu_err err;
	struct xlsxin_row *row;
	int rc;

	strbuf_reset(&dumped);
	if (xlsxin_sheet_begin(x, i, &err) != 0) {
		strbuf_addf(&dumped, "ERR %s: %s\n", err.code, err.message);
		return strbuf_str(&dumped);
	}
	while ((rc = xlsxin_next_row(x, &row, &err)) == 1) {
		strbuf_addf(&dumped, "%ld:", row->row);
		for (int c = 0; c < row->ncells; c++)
			strbuf_addf(&dumped, "%s%s", c ? "|" : "", row->cells[c]);
		strbuf_addch(&dumped, '\n');
	}
	if (rc < 0)
		strbuf_addf(&dumped, "ERR %s: %s\n", err.code, err.message);
	return strbuf_str(&dumped);
}

static struct xlsxin *open_ok(const char *path)
{
	struct bangfu_err err;
	struct xlsxin *x = xlsxin_open(path, &err);

	if (!x)
		ck_abort_msg("cannot open %s: %s", path, err.message);
	return x;
}

/* The message a one-sheet workbook's reading ends with. */
static void assert_sheet_fails(const char *path, const char *code, const char *text)
{
	struct xlsxin *x = open_ok(path);
	const char *out = dump_sheet(x, 0);
	char want[64];

	snprintf(want, sizeof want, "ERR %s: ", code);
	if (!strstr(out, want) || !strstr(out, text))
		ck_abort_msg("expected %s with \"%s\", got:\n%s", code, text, out);
	xlsxin_close(x);
}

static void assert_open_fails(const char *path, const char *code, const char *text)
{
	struct bangfu_err err;
	struct xlsxin *x = xlsxin_open(path, &err);

	ck_assert_ptr_null(x);
	ck_assert_int_eq(err.kind, ERR_INPUT);
	ck_assert_str_eq(err.code, code);
	if (!strstr(err.message, text))
		ck_abort_msg("expected \"%s\" in: %s", text, err.message);
	ck_assert_str_eq(err.file, path);
}

START_TEST(test_column_index_follows_excel_letters)
{
	ck_assert_int_eq(xlsxin_column_index("A"), 0);
	ck_assert_int_eq(xlsxin_column_index("A1"), 0);
	ck_assert_int_eq(xlsxin_column_index("Z"), 25);
	ck_assert_int_eq(xlsxin_column_index("AA"), 26);
	ck_assert_int_eq(xlsxin_column_index("AB12"), 27);
	ck_assert_int_eq(xlsxin_column_index("XFD"), 16383);
	ck_assert_int_eq(xlsxin_column_index("XFD1048576"), 16383);
	ck_assert_int_eq(xlsxin_column_index("XFE"), -1);
	ck_assert_int_eq(xlsxin_column_index("AAAA1"), -1);
	ck_assert_int_eq(xlsxin_column_index("1"), -1);
	ck_assert_int_eq(xlsxin_column_index(""), -1);
	ck_assert_int_eq(xlsxin_column_index("A0"), -1);
	ck_assert_int_eq(xlsxin_column_index("A1B"), -1);
	ck_assert_int_eq(xlsxin_column_index("$A$1"), -1);
	ck_assert_int_eq(xlsxin_column_index(NULL), -1);
}
END_TEST

START_TEST(test_lists_sheets_in_tab_order_hidden_included)
{
	struct xlsxin *x = open_ok(main_xlsx);

	ck_assert_int_eq(xlsxin_sheet_count(x), 3);
	ck_assert_str_eq(xlsxin_sheet_name(x, 0), "花名册");
	ck_assert_str_eq(xlsxin_sheet_name(x, 1), "退役军人");
	ck_assert_str_eq(xlsxin_sheet_name(x, 2), "隐藏");
	ck_assert_ptr_null(xlsxin_sheet_name(x, 3));
	xlsxin_close(x);
}
END_TEST

START_TEST(test_reads_cells_as_the_file_holds_them)
{
	struct xlsxin *x = open_ok(main_xlsx);

	ck_assert_str_eq(dump_sheet(x, 0),
			 "1:姓名|证件号码|数字|布尔\n"
			 "2:张三|430124199001011234|4.30124E+17|TRUE\n"
			 "4:李四||43952|FALSE\n"
			 "8:x||||y\n"
			 "9:3|ab|0.5|红色黑色\n");
	ck_assert_str_eq(dump_sheet(x, 1), "1:姓名|类别\n2:王五|退役军人\n");
	ck_assert_str_eq(dump_sheet(x, 2), "1:secret\n");
	xlsxin_close(x);
}
END_TEST

START_TEST(test_switches_sheets_in_the_middle_of_one)
{
	struct xlsxin *x = open_ok(main_xlsx);
	struct bangfu_err err;
	struct xlsxin_row *row;

	ck_assert_int_eq(xlsxin_sheet_begin(x, 0, &err), 0);
	ck_assert_int_eq(xlsxin_next_row(x, &row, &err), 1);
	ck_assert_int_eq(row->row, 1);
	ck_assert_int_eq(xlsxin_next_row(x, &row, &err), 1);
	ck_assert_int_eq(row->row, 2);
	ck_assert_int_eq(row->ncells, 4);
	ck_assert_str_eq(dump_sheet(x, 1), "1:姓名|类别\n2:王五|退役军人\n");
	ck_assert_int_eq(xlsxin_next_row(x, &row, &err), 0);
	ck_assert_str_eq(strstr(dump_sheet(x, 0), "4:"), "4:李四||43952|FALSE\n8:x||||y\n9:3|ab|0.5|红色黑色\n");
	xlsxin_close(x);
}
END_TEST

START_TEST(test_cells_are_writable)
{
	struct xlsxin *x = open_ok(main_xlsx);
	struct bangfu_err err;
	struct xlsxin_row *row;

	ck_assert_int_eq(xlsxin_sheet_begin(x, 0, &err), 0);
	ck_assert_int_eq(xlsxin_next_row(x, &row, &err), 1);
	ck_assert_int_eq(xlsxin_next_row(x, &row, &err), 1);
	row->cells[1][0] = 'X';
	ck_assert_str_eq(row->cells[1], "X30124199001011234");
	ck_assert_int_eq(xlsxin_next_row(x, &row, &err), 1);
	ck_assert_str_eq(row->cells[1], "");
	row->cells[1][0] = '\0';
	xlsxin_close(x);
}
END_TEST

START_TEST(test_streams_a_long_sheet_across_read_chunks)
{
	struct xlsxin *x = open_ok(big_xlsx);
	struct bangfu_err err;
	struct xlsxin_row *row;
	char want[64];
	long rows = 0, expect = 0;
	int rc;

	ck_assert_int_eq(xlsxin_sheet_begin(x, 0, &err), 0);
	while ((rc = xlsxin_next_row(x, &row, &err)) == 1) {
		if (expect % 100 == 99)
			expect++;
		ck_assert_int_eq(row->row, expect + 1);
		ck_assert_int_eq(row->ncells, 3);
		snprintf(want, sizeof want, "人员%ld", expect);
		ck_assert_str_eq(row->cells[0], want);
		snprintf(want, sizeof want, "%ld", expect);
		ck_assert_str_eq(row->cells[1], want);
		snprintf(want, sizeof want, "4301241990%08ld", expect);
		ck_assert_str_eq(row->cells[2], want);
		expect++;
		rows++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(rows, BIG_ROWS - BIG_ROWS / 100);
	ck_assert_int_eq(xlsxin_next_row(x, &row, &err), 0);
	xlsxin_close(x);
}
END_TEST

START_TEST(test_reads_prefixed_namespaces_inline_strings_and_unnumbered_rows)
{
	static const char workbook[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<x:workbook xmlns:x=\"" SML_NS "\" xmlns:r=\"" REL_NS "\">\n"
		"<x:sheets><x:sheet name=\"数据\" sheetId=\"1\" r:id=\"rId7\"/></x:sheets></x:workbook>";
	static const char rels[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Relationships xmlns=\"" PKG_REL_NS "\">"
		"<Relationship Id=\"rId7\" Type=\"" REL_NS "/worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
		"<Relationship Id=\"rId8\" Type=\"" REL_NS "/sharedStrings\" Target=\"./sharedStrings.xml\"/>"
		"</Relationships>";
	static const char sst[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<x:sst xmlns:x=\"" SML_NS "\" count=\"2\" uniqueCount=\"2\">"
		"<x:si><x:t>共享</x:t></x:si>"
		"<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>张</x:t></x:r><x:r><x:t xml:space=\"preserve\">三 </x:t></x:r>"
		"<x:rPh sb=\"0\" eb=\"1\"><x:t>ちょう</x:t></x:rPh><x:phoneticPr fontId=\"1\"/></x:si>"
		"</x:sst>";
	static const char sheet[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<x:worksheet xmlns:x=\"" SML_NS "\"\n"
		" xmlns:x14=\"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main\">\n"
		"<x:sheetData>\n"
		"<x:row><x:c t=\"inlineStr\"><x:is><x:t>行一</x:t></x:is></x:c><x:c t=\"s\"><x:v>0</x:v></x:c></x:row>\n"
		"<x:row><x:c t=\"e\"><x:v>#N/A</x:v></x:c><x:c t=\"b\"><x:v>0</x:v></x:c>"
		"<x:c><x:f>A1</x:f><x:v>1.5</x:v></x:c><x14:c><x14:v>ignored</x14:v></x14:c></x:row>\n"
		"<x:row r=\"5\"><x:c r=\"C5\" t=\"inlineStr\"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:is></x:c>"
		"<x:c t=\"s\"><x:v>1</x:v></x:c></x:row>\n"
		"<x:row><x:c t=\"inlineStr\"><x:is><x:t>a_x000D_b_x005F_x0041_</x:t></x:is></x:c>"
		"<x:c t=\"str\"><x:f>\"\"</x:f><x:v></x:v></x:c></x:row>\n"
		"<x:row><x:c r=\"B8\"><x:v>7</x:v></x:c></x:row>\n"
		"</x:sheetData></x:worksheet>";
	struct part parts[] = {
		{"xl/workbook.xml", workbook, 0},
		{"xl/_rels/workbook.xml.rels", rels, 0},
		{"xl/sharedStrings.xml", sst, 0},
		{"xl/worksheets/data.xml", sheet, 0},
	};
	/* no [Content_Types].xml, no _rels/.rels: the workbook is where Excel puts it */
	struct xlsxin *x = open_ok(write_zip("prefixed.xlsx", parts, 4, Z_DEFLATED));

	ck_assert_int_eq(xlsxin_sheet_count(x), 1);
	ck_assert_str_eq(xlsxin_sheet_name(x, 0), "数据");
	ck_assert_str_eq(dump_sheet(x, 0),
			 "1:行一|共享\n"
			 "2:#N/A|FALSE|1.5\n"
			 "5:||富文本|张三 \n"
			 "6:a\rb_x0041_\n"
			 "8:|7\n");
	xlsxin_close(x);
}
END_TEST

START_TEST(test_refuses_a_file_that_is_not_a_zip)
{
	const char *text = "姓名,证件号码\n张三,430124199001011234\n";

	assert_open_fails(write_file("renamed.xlsx", text, strlen(text)), "not_xlsx",
			  "not an xlsx workbook (not a zip archive)");
}
END_TEST

START_TEST(test_refuses_an_empty_file_and_an_old_xls)
{
	static const char ole2[16] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

	assert_open_fails(write_file("empty.xlsx", "", 0), "not_xlsx", "an empty file");
	assert_open_fails(write_file("old.xlsx", ole2, sizeof ole2), "not_xlsx", "an old .xls");
}
END_TEST

START_TEST(test_refuses_a_missing_file)
{
	assert_open_fails(tmp_path("no-such.xlsx"), "unreadable", "cannot open");
}
END_TEST

START_TEST(test_refuses_a_zip_without_workbook)
{
	struct part parts[] = {{"hello.txt", "just text\n", 0}};

	assert_open_fails(write_zip("noworkbook.xlsx", parts, 1, Z_DEFLATED), "not_xlsx",
			  "without the workbook part xl/workbook.xml");
}
END_TEST

START_TEST(test_refuses_a_sheet_without_its_part)
{
	struct part parts[] = {
		{"_rels/.rels", package_rels, 0},
		{"xl/workbook.xml", one_sheet_workbook, 0},
		{"xl/_rels/workbook.xml.rels", one_sheet_rels, 0},
	};

	assert_open_fails(write_zip("nosheet.xlsx", parts, 3, Z_DEFLATED), "missing_part",
			  "sheet 'Sheet1': its part xl/worksheets/sheet1.xml is missing");
}
END_TEST

START_TEST(test_reports_malformed_xml_with_part_line_and_column)
{
	const char *path = write_one_sheet(
		"malformed.xlsx",
		"<?xml version=\"1.0\"?>\n"
		"<worksheet xmlns=\"" SML_NS "\"><sheetData>\n"
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ok</t></is></c></row>\n"
		"<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"B2\"><v>2</v></x></row>\n"
		"</sheetData></worksheet>",
		Z_DEFLATED);
	struct xlsxin *x = open_ok(path);
	struct bangfu_err err;
	struct xlsxin_row *row;

	ck_assert_str_eq(dump_sheet(x, 0),
			 "1:ok\nERR bad_xml: sheet 'Sheet1', xl/worksheets/sheet1.xml line 4 column 54: "
			 "mismatched tag\n");
	bangfu_err_clear(&err);
	ck_assert_int_eq(xlsxin_next_row(x, &row, &err), -1);
	ck_assert_int_eq(err.kind, ERR_INPUT);
	ck_assert_str_eq(err.file, path);
	ck_assert_str_eq(err.code, "bad_xml");
	xlsxin_close(x);
}
END_TEST

START_TEST(test_refuses_a_doctype_so_no_billion_laughs)
{
	assert_sheet_fails(
		write_one_sheet("lol.xlsx",
				"<?xml version=\"1.0\"?>\n"
				"<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
				"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
				"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">]>\n"
				"<worksheet xmlns=\"" SML_NS "\"><sheetData><row r=\"1\"><c r=\"A1\" "
				"t=\"inlineStr\"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>",
				Z_DEFLATED),
		"bad_xml", "line 2 column 16: a DOCTYPE declaration");
}
END_TEST

START_TEST(test_reports_a_crc_mismatch)
{
	const char *path = write_one_sheet(
		"crc.xlsx", "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>MARKER</t></is></c></row>", 0);
	FILE *f = fopen(path, "r+b");
	char buf[4096];
	size_t n;
	char *at;

	/* stored, so the text is in the file as is: change one letter */
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof buf, f);
	at = memmem(buf, n, "MARKER", 6);
	ck_assert_ptr_nonnull(at);
	at[5] = 'S';
	rewind(f);
	ck_assert_uint_eq(fwrite(buf, 1, n, f), n);
	fclose(f);
	{
		struct xlsxin *x = open_ok(path);

		ck_assert_str_eq(dump_sheet(x, 0),
				 "1:MARKES\nERR bad_zip: sheet 'Sheet1', xl/worksheets/sheet1.xml: "
				 "damaged zip entry (CRC mismatch)\n");
		xlsxin_close(x);
	}
}
END_TEST

START_TEST(test_refuses_a_sheet_claiming_over_a_gibibyte)
{
	struct part parts[] = {
		{"_rels/.rels", package_rels, 0},
		{"xl/workbook.xml", one_sheet_workbook, 0},
		{"xl/_rels/workbook.xml.rels", one_sheet_rels, 0},
		{"xl/sharedStrings.xml", one_string_sst, 0},
		{"xl/worksheets/sheet1.xml", "<worksheet/>", 0x50000000UL},
	};

	assert_sheet_fails(write_zip("bomb.xlsx", parts, 5, Z_DEFLATED), "too_large",
			   "xl/worksheets/sheet1.xml: 1280 MiB uncompressed, over the 1024 MiB limit");
}
END_TEST

START_TEST(test_refuses_shared_strings_claiming_over_256_mib)
{
	struct part parts[] = {
		{"_rels/.rels", package_rels, 0},
		{"xl/workbook.xml", one_sheet_workbook, 0},
		{"xl/_rels/workbook.xml.rels", one_sheet_rels, 0},
		{"xl/sharedStrings.xml", "<sst/>", 300UL * 1024 * 1024},
		{"xl/worksheets/sheet1.xml", "<worksheet/>", 0},
	};

	assert_sheet_fails(write_zip("sstbomb.xlsx", parts, 5, Z_DEFLATED), "too_large",
			   "xl/sharedStrings.xml: 300 MiB uncompressed, over the 256 MiB limit");
}
END_TEST

START_TEST(test_refuses_a_cell_beyond_column_xfd)
{
	assert_sheet_fails(write_one_sheet("xfe.xlsx",
					   "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>"
					   "<row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row>",
					   Z_DEFLATED),
			   "bad_cell_ref", "cell 'XFE2' is beyond Excel's last column XFD");
}
END_TEST

START_TEST(test_refuses_a_cell_longer_than_a_mebibyte)
{
	size_t len = 1024 * 1024 + 10;
	char *text = malloc(len + 1);
	struct strbuf cell = {0};

	ck_assert_ptr_nonnull(text);
	memset(text, 'a', len);
	text[len] = '\0';
	strbuf_addstr(&cell, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
	strbuf_addstr(&cell, text);
	strbuf_addstr(&cell, "</t></is></c></row>");
	free(text);
	assert_sheet_fails(write_one_sheet("long.xlsx", strbuf_str(&cell), Z_DEFLATED),
			   "cell_too_long", "longer than 1 MiB");
	strbuf_free(&cell);
}
END_TEST

START_TEST(test_refuses_a_shared_string_index_out_of_range)
{
	assert_sheet_fails(write_one_sheet("sstidx.xlsx",
					   "<row r=\"3\"><c r=\"B3\" t=\"s\"><v>1</v></c></row>",
					   Z_DEFLATED),
			   "bad_shared_string",
			   "cell B3 refers to shared string '1', but xl/sharedStrings.xml has 1");
}
END_TEST

START_TEST(test_next_row_before_a_sheet_is_an_internal_error)
{
	struct xlsxin *x = open_ok(main_xlsx);
	struct bangfu_err err;
	struct xlsxin_row *row;

	ck_assert_int_eq(xlsxin_next_row(x, &row, &err), -1);
	ck_assert_int_eq(err.kind, ERR_INTERNAL);
	ck_assert_int_eq(xlsxin_sheet_begin(x, 3, &err), -1);
	ck_assert_int_eq(err.kind, ERR_INTERNAL);
	xlsxin_close(x);
	xlsxin_close(NULL);
}
END_TEST

/* An edited header found by where the layout put it, between its found
 * neighbours; never across inserted columns, outside the row, or onto a
 * column another field holds. */
START_TEST(test_column_between_places_an_edited_header_by_its_neighbours)
{
	/* layout positions 0..4; position 2 was renamed by the clerk */
	const int at[] = {0, 1, -1, 3, 4};
	const int none[] = {-1, -1};
	const int shifted[] = {0, 1, -1, 4, 5}; /* a column inserted before 3 */
	const int first_lost[] = {-1, 1, 2};
	const int last_lost[] = {0, 1, -1};
	const int lonely[] = {-1, -1, -1};
	const int taken[] = {-1, 2};

	ck_assert_int_eq(xlsxin_column_between(at, 5, 2, 256, none, 2), 2);
	ck_assert_int_eq(xlsxin_column_between(shifted, 5, 2, 256, none, 2), -1);
	ck_assert_int_eq(xlsxin_column_between(first_lost, 3, 0, 256, none, 2), 0);
	ck_assert_int_eq(xlsxin_column_between(last_lost, 3, 2, 256, none, 2), 2);
	ck_assert_int_eq(xlsxin_column_between(lonely, 3, 1, 256, none, 2), -1);
	ck_assert_int_eq(xlsxin_column_between(at, 5, 2, 2, none, 2), -1);
	ck_assert_int_eq(xlsxin_column_between(at, 5, 2, 256, taken, 2), -1);
}
END_TEST

/* Cells trimmed as csvin trims them, no more than asked for. */
START_TEST(test_trimmed_cells_drop_spaces_tabs_and_line_ends)
{
	char a[] = "  是\t", b[] = "\t2026-10-05\r\n", c[] = "", d[] = "x";
	char *cells[] = {a, b, c, d};
	struct xlsxin_row row = {.cells = cells, .ncells = 4};
	char *out[3];

	ck_assert_int_eq(xlsxin_trimmed_cells(&row, out, 3), 3);
	ck_assert_str_eq(out[0], "是");
	ck_assert_str_eq(out[1], "2026-10-05");
	ck_assert_str_eq(out[2], "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("xlsxin");
	TCase *tc = tcase_create("read");
	SRunner *sr;
	char cmd[600];
	int failed;

	if (!mkdtemp(tmpdir))
		return EXIT_FAILURE;
	if (make_main_workbook() != 0 || make_big_workbook() != 0) {
		fprintf(stderr, "cannot write the test workbooks in %s\n", tmpdir);
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_column_index_follows_excel_letters);
	tcase_add_test(tc, test_lists_sheets_in_tab_order_hidden_included);
	tcase_add_test(tc, test_reads_cells_as_the_file_holds_them);
	tcase_add_test(tc, test_switches_sheets_in_the_middle_of_one);
	tcase_add_test(tc, test_cells_are_writable);
	tcase_add_test(tc, test_streams_a_long_sheet_across_read_chunks);
	tcase_add_test(tc, test_reads_prefixed_namespaces_inline_strings_and_unnumbered_rows);
	tcase_add_test(tc, test_refuses_a_file_that_is_not_a_zip);
	tcase_add_test(tc, test_refuses_an_empty_file_and_an_old_xls);
	tcase_add_test(tc, test_refuses_a_missing_file);
	tcase_add_test(tc, test_refuses_a_zip_without_workbook);
	tcase_add_test(tc, test_refuses_a_sheet_without_its_part);
	tcase_add_test(tc, test_reports_malformed_xml_with_part_line_and_column);
	tcase_add_test(tc, test_refuses_a_doctype_so_no_billion_laughs);
	tcase_add_test(tc, test_reports_a_crc_mismatch);
	tcase_add_test(tc, test_refuses_a_sheet_claiming_over_a_gibibyte);
	tcase_add_test(tc, test_refuses_shared_strings_claiming_over_256_mib);
	tcase_add_test(tc, test_refuses_a_cell_beyond_column_xfd);
	tcase_add_test(tc, test_refuses_a_cell_longer_than_a_mebibyte);
	tcase_add_test(tc, test_refuses_a_shared_string_index_out_of_range);
	tcase_add_test(tc, test_next_row_before_a_sheet_is_an_internal_error);
	tcase_add_test(tc, test_column_between_places_an_edited_header_by_its_neighbours);
	tcase_add_test(tc, test_trimmed_cells_drop_spaces_tabs_and_line_ends);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	strbuf_free(&dumped);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
