/* dbread — a statement's rows read on another thread.
 *
 * A stage that writes a million rows into workbooks spends about as long in
 * SQLite finding them (joins, sorting) as in writing them; with the rows
 * read ahead on a thread of their own the two take two cores.  The reader
 * steps the statement and copies each row (every column's text, and its
 * number when it is one) into batches; the stage takes them in order.
 *
 * While a reader runs, the statement's connection is the reader's: the
 * stage must not use it (nor the statement) until dbread_finish.  Memory is
 * bounded: a few batches of DBREAD_BATCH rows are in flight. */
#ifndef BANGFU_DBREAD_H
#define BANGFU_DBREAD_H

#include <sqlite3.h>

#define DBREAD_BATCH 512

struct dbread;
struct dbread_row; /* one row of a batch */

/* Start reading st (bound, not yet stepped) on another thread. */
struct dbread *dbread_start(sqlite3_stmt *st);
/* The next row, or NULL when there are none left (or the statement failed:
 * dbread_finish says which).  Valid until the next call. */
const struct dbread_row *dbread_next(struct dbread *r);
/* Stop (the rows not taken are dropped), wait for the thread, free the
 * reader and reset st.  Returns SQLITE_DONE when every row was read, else
 * the statement's error code (the connection's error message says more). */
int dbread_finish(struct dbread *r);

/* A column as sqlite3_column_text, _int, _int64 and _double give it: the
 * text of a NULL is NULL; a number from text as SQLite converts it. */
const char *dbread_text(const struct dbread_row *row, int col);
/* The text, "" for a NULL: what a workbook's cell shows. */
const char *dbread_str(const struct dbread_row *row, int col);
int dbread_int(const struct dbread_row *row, int col);
sqlite3_int64 dbread_int64(const struct dbread_row *row, int col);
double dbread_double(const struct dbread_row *row, int col);

#endif
