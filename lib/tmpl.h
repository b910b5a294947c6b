/* tmpl — the CSV templates under templates/ that a statistician edits in
 * Excel: where they are found, and the column map (canonical field → header
 * aliases) used by csvin.  Other templates get their loaders here as the
 * stages that need them arrive. */
#ifndef BANGFU_TMPL_H
#define BANGFU_TMPL_H

#include <stddef.h>

#include "msg.h"

#define TMPL_FIELD_MAX 32

struct tmpl_column {
	char field[TMPL_FIELD_MAX]; /* canonical name: id_number, name, ... */
	char label[64];             /* Chinese label for messages and reports */
	int required;               /* the header row must name it */
	int is_date;                /* parse with datefmt */
	int is_id;                  /* parse with idno */
	char **aliases;             /* header texts that mean this field */
	int naliases;
};

struct tmpl_columns {
	struct tmpl_column *cols;
	int n;
};

/* Where templates are read from: the directory set here (e.g. --templates),
 * else $BANGFU_TEMPLATES, else templates/ next to the executable's bin/, else
 * the installed share/bangfu/templates. */
void tmpl_set_dir(const char *dir);
/* Full path of a template file; -1 with err when it is nowhere. */
int tmpl_path(const char *name, char *out, size_t outsz, struct bangfu_err *err);

/* The columns of templates/columns.csv whose source is `source` or "both". */
int tmpl_columns_load(const char *source, struct tmpl_columns **out, struct bangfu_err *err);
void tmpl_columns_free(struct tmpl_columns *cols);
/* Index of a canonical field, or -1. */
int tmpl_columns_find(const struct tmpl_columns *cols, const char *field);

/* Key/value templates such as templates/policy.csv (labour ages) and
 * templates/sampling.csv (the sampling plan): one key,value,note row each. */
struct tmpl_policy;
int tmpl_policy_load(const char *name, struct tmpl_policy **out, struct bangfu_err *err);
void tmpl_policy_free(struct tmpl_policy *p);
/* The value of key, or NULL. */
const char *tmpl_policy_text(const struct tmpl_policy *p, const char *key);
/* An integer value; -1 with err naming the file and key when it is missing or not a number. */
int tmpl_policy_int(const struct tmpl_policy *p, const char *key, long *out, struct bangfu_err *err);
int tmpl_policy_double(const struct tmpl_policy *p, const char *key, double *out, struct bangfu_err *err);
/* The file it was read from. */
const char *tmpl_policy_path(const struct tmpl_policy *p);

#endif
