/* labels — the Chinese label of every code bangfu stores (category
 * consistent → 一致, field employer → 就业单位, verdict recalibrate → 需重新校准,
 * …), in one table.  The stages print them through label_of(); the database
 * holds the same table (label, kept equal to this one by labels_sync(), which
 * db_open calls), so that views and a statistician's own queries show them
 * with a join.  A code without a label is shown as itself. */
#ifndef BANGFU_LABELS_H
#define BANGFU_LABELS_H

#include <sqlite3.h>

#include "msg.h"

struct label {
	const char *kind; /* "category", "field", "verdict", ... */
	const char *code;
	const char *text;
};

/* The label of a code of a kind; the code itself when there is none ("" for NULL). */
const char *label_of(const char *kind, const char *code);

/* Make the database's label table equal to this one (a no-op when it is). */
int labels_sync(sqlite3 *db, struct bangfu_err *err);

#endif
