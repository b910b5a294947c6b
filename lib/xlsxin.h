/* xlsxin — reading the cells of an xlsx workbook, row by row.
 *
 * Owns: opening the zip (minizip), finding the workbook and its sheets
 * through the package relationships, resolving shared strings, and streaming
 * a sheet's XML through expat so that memory does not grow with the sheet.
 * Gives each cell as the text the file holds: numbers and date serials as
 * written in the XML ("43952", "0.5", "4.30124E+17"), booleans as
 * "TRUE"/"FALSE", formulas as their cached value, errors as "#N/A" etc.
 * Refuses, with a message naming the part, what is not an xlsx, damaged zip
 * entries, malformed XML and parts too large to be honest (zip bombs).
 * Not here: number formats, dates, what the columns mean (the stages, datefmt,
 * idno), or writing workbooks (xlsx). */
#ifndef BANGFU_XLSXIN_H
#define BANGFU_XLSXIN_H

#include "msg.h"

struct xlsxin;

struct xlsxin_row {
	long row;     /* 1-based row number as in Excel */
	int ncells;   /* columns A.. up to the last non-empty cell */
	char **cells; /* UTF-8, "" for empty; writable; valid until the next call */
};

/* Open a workbook and read its list of sheets.  NULL with err filled
 * (ERR_INPUT) when the file is not a readable xlsx: not a zip, no workbook
 * part, a sheet without its part, ... */
struct xlsxin *xlsxin_open(const char *path, struct bangfu_err *err);
void xlsxin_close(struct xlsxin *x); /* NULL is a no-op */

/* Sheets in workbook order (the order of the tabs), hidden ones included. */
int xlsxin_sheet_count(const struct xlsxin *x);
const char *xlsxin_sheet_name(const struct xlsxin *x, int i);

/* Start reading sheet i (ending the sheet being read, if any): 0, or -1 with
 * err filled.  Shared strings are loaded on the first call. */
int xlsxin_sheet_begin(struct xlsxin *x, int i, struct bangfu_err *err);

/* Next row of the sheet that has at least one non-empty cell: 1 with *row
 * filled, 0 at the end of the sheet, -1 with err filled when the sheet is
 * damaged (and on every later call for that sheet).  Rows that hold only
 * formatting are skipped; row->row says where each row is. */
int xlsxin_next_row(struct xlsxin *x, struct xlsxin_row **row, struct bangfu_err *err);

/* The 0-based column of a cell reference ("A1" -> 0, "AB12" -> 27, "XFD" ->
 * 16383); the row digits are optional.  -1 when ref is not a reference or is
 * beyond Excel's last column XFD. */
int xlsxin_column_index(const char *ref);

/* ---- returned sheets: what verify and the ledger read alike ---- */

/* 1 when the file at path starts as a zip (an xlsx, or a zip of returns). */
int xlsxin_is_zip(const char *path);

/* The row's first `max` cells as csvin would give them, trimmed of spaces,
 * tabs and line ends in place; their count. */
int xlsxin_trimmed_cells(const struct xlsxin_row *row, char **out, int max);

/* A header the clerk edited, found by where the protected layout put it:
 * at[q] is the column where layout position q was found (-1: not found) for
 * q in [0, n).  The column of position p from its nearest found neighbours,
 * or -1 when none was found, when columns were inserted or deleted between
 * them, when it falls outside [0, max), or when it is one of taken[0..ntaken)
 * (-1 entries there are ignored). */
int xlsxin_column_between(const int *at, int n, int p, int max, const int *taken, int ntaken);

#endif
