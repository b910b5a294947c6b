/* xlsx — the house style of every workbook bangfu writes (SPEC §7), over
 * libxlsxwriter: Chinese fonts, the merged title and the 填报单位 / 统计时段 /
 * 生成时间 / 单位 rows, header rows that repeat on every printed page, A4
 * landscape fitted to width, "第 N 页 共 M 页" footers, frozen panes, and the
 * formats for text, counts, rates and dates.  Input text is always written as
 * a string (never a formula), identifiers as text without Excel's green
 * triangles.  Column widths and row heights come from what the cells hold
 * (xlsx_put_text and friends, applied when the book is closed, a streamed
 * book's rows as they are written): a column grows to its longest value up
 * to a cap, a longer value wraps and its row grows.  Files are created mode
 * 0600 unless xlsx_set_file_mode() says otherwise.  What goes into a sheet
 * is the stage's business. */
#ifndef BANGFU_XLSX_H
#define BANGFU_XLSX_H

#include <limits.h>
#include <sys/types.h>
#include <xlsxwriter.h>

#include "msg.h"
#include "outputs.h"

/* The largest data rows in one sheet: Excel's limit less the title block. */
#define XLSX_MAX_ROWS 1048576

/* The widest a column grows to fit its values (characters; a Chinese
 * character counts 2); a longer value wraps.  A column declared wider
 * wraps at its declared width. */
#define XLSX_WIDTH_CAP 40

struct xlsx_sheet_fit; /* xlsx.c: what a sheet's columns and rows need */

struct xlsx_book {
	lxw_workbook *wb;
	char path[PATH_MAX];
	char unit[256];     /* 填报单位 */
	char period[64];    /* 统计时段 */
	char generated[32]; /* 生成时间 */
	lxw_format *title, *meta, *header, *text, *text_wrap, *count, *rate, *rate_bad, *decimal,
		*date, *total_text, *total_count, *total_rate, *flag, *input;
	/* The wrapping twins xlsx_put_text uses for a value longer than its cap. */
	lxw_format *total_text_wrap, *flag_wrap, *input_wrap;
	struct xlsx_sheet_fit **fits; /* one per sheet, applied by xlsx_close */
	int nfits;
	long rows; /* data rows written (xlsx_split counts them): what a closer holds in memory */
	/* Streamed (xlsx_open_streamed): each row goes to a temporary file
	 * when the next row of its sheet begins (libxlsxwriter's
	 * constant_memory mode; strings inline, no shared-string table), so
	 * the book's memory does not grow with its rows.  A sheet's rows must
	 * then be written in order: a cell, height or outline of a row
	 * already passed fails the book when it is closed.  Row heights are
	 * set as the row is written, over the columns' widths so far. */
	int streamed;
	char failed[256]; /* a streamed book's first write out of order */
};

/* The mode output files get: 0600 by default (they hold personal data),
 * wider when the environment says BANGFU_FILE_MODE=0640 (say) or a stage
 * calls xlsx_set_file_mode. */
void xlsx_set_file_mode(mode_t mode);
mode_t xlsx_file_mode(void);

int xlsx_open(struct xlsx_book *b, const char *path, const char *unit, const char *period,
	      struct bangfu_err *err);
/* The same, streamed (above): for lists of any length written row by row. */
int xlsx_open_streamed(struct xlsx_book *b, const char *path, const char *unit, const char *period,
		       struct bangfu_err *err);
/* Write and close; -1 with err when the file cannot be written. */
int xlsx_close(struct xlsx_book *b, struct bangfu_err *err);

/* ---- workbooks closed on other threads ----
 *
 * Writing a workbook out (its XML, deflated into the zip) is most of what a
 * list costs.  A stage that writes many workbooks starts a closer, hands it
 * each workbook it has filled, and goes on filling the next while the
 * closer's threads (one per CPU, or BANGFU_THREADS) write them out.  What
 * it holds stays bounded: one book at most waits for a thread, and a book
 * waits while those waiting or being written hold more than
 * XLSX_CLOSER_ROWS rows (a book's `rows`; a larger book goes alone).
 * While a closer runs, the process's umask is the one its files need (set
 * and restored by this thread, never by the workers). */
#define XLSX_CLOSER_ROWS 200000
struct xlsx_closer;
struct xlsx_closer *xlsx_closer_start(void);
/* Take the book (b is left closed, nothing to free); waits while the queue
 * is full.  -1 with err when an earlier book failed: the stage stops. */
int xlsx_closer_add(struct xlsx_closer *c, struct xlsx_book *b, struct bangfu_err *err);
/* Wait for every book handed over; -1 with err (the first failure) when one
 * could not be written.  Frees the closer; NULL is nothing to do. */
int xlsx_closer_finish(struct xlsx_closer *c, struct bangfu_err *err);

struct xlsx_column {
	const char *label;
	double width; /* in characters; a Chinese character counts 2 */
};

/* A sheet in the house style: title (merged over the columns), the meta row
 * (填报单位, 统计时段, 生成时间, 单位：人 when unit_people), the header row,
 * frozen below the header, print setup.  Returns the sheet and sets *first_row
 * to the first data row.  Sheet names are cut to Excel's 31 characters and
 * made unique.  A column is at least its declared width; the header row and
 * the meta row are as tall as their wrapped text needs. */
lxw_worksheet *xlsx_sheet(struct xlsx_book *b, const char *sheet_name, const char *title, int unit_people,
			  const struct xlsx_column *cols, int ncols, int *first_row);
/* The same with the unit cell's own text ("单位：人，元"), or none for NULL. */
lxw_worksheet *xlsx_sheet_unit(struct xlsx_book *b, const char *sheet_name, const char *title, const char *unit,
			       const struct xlsx_column *cols, int ncols, int *first_row);

/* ---- cells that size their column and row (every sheet of report,
 * checklist and screen writes through these) ---- */

/* The width a text needs on one line: a Chinese (or other wide) character
 * counts 2, any other 1; the longest line of a text with line breaks. */
double xlsx_text_width(const char *text);

/* Text as text; its column grows to fit it up to the cap (XLSX_WIDTH_CAP or
 * xlsx_column_cap), beyond which the value wraps and its row grows: the
 * house formats text, total_text, flag and input are swapped for their
 * wrapping twins; a stage's own format wraps when it has text_wrap set.
 * The format's indent counts 2 characters a level. */
void xlsx_put_text(struct xlsx_book *b, lxw_worksheet *ws, int row, int col, const char *s, lxw_format *fmt);
void xlsx_put_number(struct xlsx_book *b, lxw_worksheet *ws, int row, int col, double v, lxw_format *fmt);
/* A rate in [0,1]; NaN (no denominator) as "—". */
void xlsx_put_rate(struct xlsx_book *b, lxw_worksheet *ws, int row, int col, double v, lxw_format *fmt);
/* A column's cap other than XLSX_WIDTH_CAP (0 keeps the declared width). */
void xlsx_column_cap(struct xlsx_book *b, lxw_worksheet *ws, int col, double cap);
/* A row at least this tall (points), e.g. a header row of long labels. */
void xlsx_row_height(struct xlsx_book *b, lxw_worksheet *ws, int row, double points);
/* A row's outline level (1, 2: detail under the row above it), hidden or
 * carrying the collapsed "+". */
void xlsx_row_outline(struct xlsx_book *b, lxw_worksheet *ws, int row, int level, int hidden, int collapsed);
/* A text merged over columns first_col..last_col of a row, wrapped, its row
 * as tall as the text needs over the columns' final widths. */
void xlsx_put_merged(struct xlsx_book *b, lxw_worksheet *ws, int row, int first_col, int last_col, const char *s,
		     lxw_format *fmt);

/* Cells.  Text is written as text whatever it starts with (=, +, -, @). */
void xlsx_text(lxw_worksheet *ws, int row, int col, const char *s, lxw_format *fmt);
void xlsx_number(lxw_worksheet *ws, int row, int col, double v, lxw_format *fmt);
/* A rate in [0,1] as a percentage; NaN (no denominator) as "—". */
void xlsx_rate(struct xlsx_book *b, lxw_worksheet *ws, int row, int col, double v, lxw_format *fmt);

/* Highlight rates below threshold in [first_row,last_row] x col. */
void xlsx_flag_below(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int last_row, int col,
		     double threshold);

/* Highlight counts above zero (逾期, townships to recalibrate). */
void xlsx_flag_above_zero(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int last_row, int col);

/* The row height (points) a wrapped text needs in a cell `width` characters
 * wide: neither Excel nor LibreOffice grows a row for wrapped or merged
 * cells by itself when it opens a file.  A Chinese character counts 2. */
double xlsx_text_height(const char *text, double width, double points_per_line);

/* An autofilter over rows first_row (the header) .. last_row, columns
 * first_col .. last_col; in a streamed sheet too, with rows (a 合计)
 * already written below it. */
void xlsx_autofilter(struct xlsx_book *b, lxw_worksheet *ws, int first_row, int first_col, int last_row,
		     int last_col);

/* Turn off the "number stored as text" warning over a range of identifier
 * columns (ID numbers, phones). */
void xlsx_text_ids(lxw_worksheet *ws, int first_row, int last_row, int first_col, int last_col);

/* A 说明 sheet row: a label and a wrapped text, the row as tall as the text. */
void xlsx_note(struct xlsx_book *b, lxw_worksheet *ws, int row, const char *label, const char *text);

/* ---- one workbook per county, one sheet per township ----
 *
 * The writer every list for townships goes through (check sheets, township
 * work lists, subsidy lists): rows arrive ordered by city, county and
 * township; xlsx_split_to() before each row opens the county's workbook
 * PREFIX_市州_县市区_期.xlsx in dir (through outputs: all of a run's files or
 * none) and the township's sheet "县市区乡镇 TITLE（期）", and says where the
 * row goes.  The stage writes the row's cells and advances row.  Hooks let a
 * stage add its 说明 sheet to each workbook and finish each sheet (totals,
 * filters, print setup).  A finished workbook is written out by a closer
 * (above) while the stage fills the next.  The workbooks are streamed
 * (xlsx_open_streamed): a sheet's rows are written in order. */
struct xlsx_split {
	/* set by the stage */
	struct outputs *outs;
	const char *dir, *prefix, *title, *period;
	const struct xlsx_column *cols;
	int ncols;
	int title_cols;  /* columns the title block spans (0: all) */
	/* the sheet's name for a township (default: the township, cut to
	 * Excel's 31 characters); a stage whose sheets are read back names them */
	void (*sheet_name)(const char *township, char *out, size_t outsz);
	int (*on_book)(struct xlsx_split *s, struct bangfu_err *err); /* a workbook opened */
	void (*on_sheet)(struct xlsx_split *s);                        /* a sheet opened */
	void (*on_sheet_end)(struct xlsx_split *s);                    /* a sheet is done */
	void *ctx;
	/* kept by the writer */
	struct xlsx_closer *closer; /* finished workbooks are written out on other threads */
	struct xlsx_book book;
	int book_open;
	lxw_worksheet *ws;
	int first_row, row; /* the sheet's first data row, and the next row to write */
	char city[256], county[256], township[256];
	long books, sheets;
};

/* Make the county's workbook and the township's sheet current; 0, or -1
 * with err. */
int xlsx_split_to(struct xlsx_split *s, const char *city, const char *county, const char *township,
		  struct bangfu_err *err);
/* Finish the last sheet and close the last workbook, and wait for those
 * written in the background (on a failure too: then err is left as it was
 * and the stage discards its outputs). */
int xlsx_split_close(struct xlsx_split *s, struct bangfu_err *err);

#endif
