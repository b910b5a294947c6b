/* xlsx — see xlsx.h. */
#include "xlsx.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define FONT "宋体"
#define PAPER_A4 9

static mode_t file_mode = 0600;
static int mode_set;

void xlsx_set_file_mode(mode_t mode)
{
	file_mode = mode & 0666;
	mode_set = 1;
}

mode_t xlsx_file_mode(void)
{
	/* BANGFU_FILE_MODE (octal, e.g. 0640) widens it for every stage; never
	 * executable, never more than rw for all. */
	if (!mode_set) {
		const char *env = getenv("BANGFU_FILE_MODE");
		char *end;
		long m = env ? strtol(env, &end, 8) : -1;

		if (env && *env && !*end && m >= 0400 && m <= 0666 && !(m & 0111))
			file_mode = (mode_t)m;
		mode_set = 1;
	}
	return file_mode;
}

static lxw_format *fmt(lxw_workbook *wb, double size, int bold, int align, int border)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_font_name(f, FONT);
	format_set_font_size(f, size);
	if (bold)
		format_set_bold(f);
	if (align)
		format_set_align(f, (uint8_t)align);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	return f;
}

int xlsx_open(struct xlsx_book *b, const char *path, const char *unit, const char *period,
	      struct bangfu_err *err)
{
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
	time_t now = time(NULL);
	struct tm tm;

	memset(b, 0, sizeof *b);
	snprintf(b->path, sizeof b->path, "%s", path);
	snprintf(b->unit, sizeof b->unit, "%s", unit && unit[0] ? unit : "");
	snprintf(b->period, sizeof b->period, "%s", period ? period : "");
	localtime_r(&now, &tm);
	strftime(b->generated, sizeof b->generated, "%Y-%m-%d %H:%M", &tm);
	b->wb = workbook_new_opt(path, &opt);
	if (!b->wb)
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "cannot create the workbook");

	b->title = fmt(b->wb, 16, 1, LXW_ALIGN_CENTER, 0);
	b->meta = fmt(b->wb, 10, 0, LXW_ALIGN_LEFT, 0);
	b->header = fmt(b->wb, 10, 1, LXW_ALIGN_CENTER, 1);
	format_set_text_wrap(b->header);
	format_set_bg_color(b->header, 0xD9E1F2);
	b->text = fmt(b->wb, 10, 0, LXW_ALIGN_LEFT, 1);
	format_set_num_format(b->text, "@");
	b->text_wrap = fmt(b->wb, 10, 0, LXW_ALIGN_LEFT, 1);
	format_set_text_wrap(b->text_wrap);
	b->count = fmt(b->wb, 10, 0, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->count, "#,##0");
	b->decimal = fmt(b->wb, 10, 0, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->decimal, "#,##0.00");
	b->rate = fmt(b->wb, 10, 0, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->rate, "0.0%");
	b->rate_bad = workbook_add_format(b->wb);
	format_set_font_color(b->rate_bad, 0x9C0006);
	format_set_bg_color(b->rate_bad, 0xFFC7CE);
	b->date = fmt(b->wb, 10, 0, LXW_ALIGN_CENTER, 1);
	format_set_num_format(b->date, "yyyy-mm-dd");
	b->total_text = fmt(b->wb, 10, 1, LXW_ALIGN_CENTER, 1);
	format_set_bg_color(b->total_text, 0xF2F2F2);
	b->total_count = fmt(b->wb, 10, 1, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->total_count, "#,##0");
	format_set_bg_color(b->total_count, 0xF2F2F2);
	b->total_rate = fmt(b->wb, 10, 1, LXW_ALIGN_RIGHT, 1);
	format_set_num_format(b->total_rate, "0.0%");
	format_set_bg_color(b->total_rate, 0xF2F2F2);
	b->flag = fmt(b->wb, 10, 1, LXW_ALIGN_CENTER, 1);
	format_set_font_color(b->flag, 0x9C0006);
	format_set_bg_color(b->flag, 0xFFC7CE);
	b->input = fmt(b->wb, 10, 0, LXW_ALIGN_LEFT, 1);
	format_set_bg_color(b->input, 0xFFF2CC);
	format_set_num_format(b->input, "@");
	format_set_unlocked(b->input);
	return 0;
}

int xlsx_close(struct xlsx_book *b, struct bangfu_err *err)
{
	mode_t mode = xlsx_file_mode();
	mode_t old = umask((mode_t)(~mode & 0777));
	lxw_error rc = workbook_close(b->wb);

	umask(old);
	b->wb = NULL;
	if (rc != LXW_NO_ERROR)
		return bangfu_fail(err, ERR_INPUT, b->path, 0, 0, "cannot_write", "cannot write the workbook: %s",
				   lxw_strerror(rc));
	/* fopen() keeps the mode of a file that existed; set it either way. */
	if (chmod(b->path, mode) != 0)
		return bangfu_fail(err, ERR_INPUT, b->path, 0, 0, "cannot_write", "cannot set the file mode: %s",
				   strerror(errno));
	return 0;
}

/* Excel sheet names: at most 31 characters, none of []:*?/\, unique. */
static void sheet_name(struct xlsx_book *b, const char *want, char *out, size_t outsz)
{
	size_t o = 0, chars = 0;

	for (const unsigned char *p = (const unsigned char *)want; *p && chars < 28 && o + 5 < outsz;) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;

		if (strchr("[]:*?/\\", *p) && len == 1) {
			out[o++] = '_';
			p++;
		} else {
			for (size_t i = 0; i < len && p[i]; i++)
				out[o++] = (char)p[i];
			p += len;
		}
		chars++;
	}
	out[o] = '\0';
	if (o == 0)
		snprintf(out, outsz, "Sheet");
	for (int n = 2; workbook_get_worksheet_by_name(b->wb, out); n++) {
		char base[128];

		snprintf(base, sizeof base, "%.*s", (int)o, out);
		snprintf(out, outsz, "%.100s(%d)", base, n);
	}
}

lxw_worksheet *xlsx_sheet(struct xlsx_book *b, const char *name, const char *title, int unit_people,
			  const struct xlsx_column *cols, int ncols, int *first_row)
{
	char safe[160], meta[512];
	lxw_worksheet *ws;
	int last = ncols > 0 ? ncols - 1 : 0;

	sheet_name(b, name, safe, sizeof safe);
	ws = workbook_add_worksheet(b->wb, safe);
	if (!ws)
		return NULL;
	if (last > 0)
		worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)last, title, b->title);
	else
		worksheet_write_string(ws, 0, 0, title, b->title);
	worksheet_set_row(ws, 0, 30, NULL);
	snprintf(meta, sizeof meta, "填报单位：%s    统计时段：%s    生成时间：%s", b->unit[0] ? b->unit : "—",
		 b->period[0] ? b->period : "—", b->generated);
	if (unit_people && last >= 2) {
		worksheet_merge_range(ws, 1, 0, 1, (lxw_col_t)(last - 1), meta, b->meta);
		worksheet_write_string(ws, 1, (lxw_col_t)last, "单位：人", b->meta);
	} else if (last > 0) {
		worksheet_merge_range(ws, 1, 0, 1, (lxw_col_t)last, meta, b->meta);
	} else {
		worksheet_write_string(ws, 1, 0, meta, b->meta);
	}
	for (int c = 0; c < ncols; c++) {
		worksheet_write_string(ws, 2, (lxw_col_t)c, cols[c].label, b->header);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL);
	}
	worksheet_set_row(ws, 2, 32, NULL);
	worksheet_freeze_panes(ws, 3, 0);
	worksheet_set_paper(ws, PAPER_A4);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 2, 2);
	worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
	worksheet_set_footer(ws, "&C第 &P 页 共 &N 页");
	worksheet_set_header(ws, "&L&\"宋体\"&9&A");
	*first_row = 3;
	return ws;
}

void xlsx_text(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *f)
{
	if (!s || !s[0])
		worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, f);
	else
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s, f);
}

void xlsx_number(lxw_worksheet *ws, int row, int col, double v, lxw_format *f)
{
	worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
}

void xlsx_rate(struct xlsx_book *b, lxw_worksheet *ws, int row, int col, double v, lxw_format *f)
{
	(void)b;
	if (isnan(v))
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, "—", f);
	else
		worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
}

static void flag(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int last_row, int col, uint8_t criteria,
		 double value)
{
	lxw_conditional_format cf = {0};

	if (last_row < first_row)
		return;
	cf.type = LXW_CONDITIONAL_TYPE_CELL;
	cf.criteria = criteria;
	cf.value = value;
	cf.format = b->rate_bad;
	worksheet_conditional_format_range(ws, (lxw_row_t)first_row, (lxw_col_t)col, (lxw_row_t)last_row,
					   (lxw_col_t)col, &cf);
}

void xlsx_flag_below(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int last_row, int col,
		     double threshold)
{
	flag(b, ws, first_row, last_row, col, LXW_CONDITIONAL_CRITERIA_LESS_THAN, threshold);
}

void xlsx_flag_above_zero(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int last_row, int col)
{
	flag(b, ws, first_row, last_row, col, LXW_CONDITIONAL_CRITERIA_GREATER_THAN, 0);
}

double xlsx_text_height(const char *text, double width, double points_per_line)
{
	double units = 0, lines = 1, usable = width * 0.92;

	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;

		if (*p == '\n') {
			lines += 1;
			units = 0;
		} else {
			double w = len == 1 ? 1.1 : 1.8;

			if (units + w > usable) {
				lines += 1;
				units = 0;
			}
			units += w;
		}
		for (size_t i = 0; i < len && *p; i++)
			p++;
	}
	return lines * points_per_line + 4;
}

void xlsx_text_ids(lxw_worksheet *ws, int first_row, int last_row, int first_col, int last_col)
{
	char range[64];

	if (last_row < first_row)
		return;
	lxw_rowcol_to_range(range, (lxw_row_t)first_row, (lxw_col_t)first_col, (lxw_row_t)last_row,
			    (lxw_col_t)last_col);
	worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, range);
}

void xlsx_note(struct xlsx_book *b, lxw_worksheet *ws, int row, const char *label, const char *text)
{
	xlsx_text(ws, row, 0, label, b->text);
	xlsx_text(ws, row, 1, text, b->text_wrap);
}
