/* pack — the month's round trip with the counties, as files.  Out: one zip
 * per county (下发材料_市州_县市区_期.zip) holding what the stages wrote for
 * that county's townships — its check sheets (sample), township work lists
 * (report --townships), subsidy lists (screen) and the re-verification
 * lists of its townships to recalibrate (verify --out) — and a 填报说明
 * saying what each file is for and what comes back.  Back: the returned
 * files in a folder, loose or in zips, found for bangfu-verify --from.
 *
 * Not here: writing or reading what is in the files (the stages), checking
 * what comes back (verify).  Zips are written with minizip's zip.h and read
 * with its unzip.h; every zip is written through outputs (all of a run's or
 * none), mode 0600.
 *
 * The command bangfu-pack (cmd_pack, bangfu.h) is in pack.c, after the work. */
#ifndef BANGFU_PACK_H
#define BANGFU_PACK_H

#include <limits.h>
#include <sqlite3.h>

#include "msg.h"

/* What a package holds, in this order. */
/* The county workbooks come first; the re-verification lists (one per
 * township) last. */
enum pack_kind { PACK_SHEETS, PACK_TOWNSHIPS, PACK_FOLLOWUP, PACK_SUBSIDIES, PACK_RECALIBRATE, PACK_NKINDS };

struct pack_options {
	const char *period;
	const char *out_dir;           /* the zips (created when missing) */
	const char *dirs[PACK_NKINDS]; /* where each kind was written; NULL: none of that kind */
	const char *due;               /* the day the sheets are due back (填报说明), or NULL */
	const char *const *counties;   /* only these (县市区, or 市州县市区), NULL-terminated; NULL: all */
};

struct pack_summary {
	long counties, zips, files;
	long per_kind[PACK_NKINDS];
	long empty;        /* counties of the period with no file to pack */
	char empty_names[1024];
};

/* The zips of the period's counties, into opt->out_dir, all or none; -1
 * with err when a folder cannot be read, nothing is there to pack, or a
 * zip cannot be written. */
int pack_run(sqlite3 *db, const struct pack_options *opt, struct pack_summary *sum, struct bangfu_err *err);

/* The returned files in a folder (and its folders), for bangfu-verify. */
struct pack_return {
	char *path;  /* where to read it: in the folder, or unpacked from a zip */
	char *shown; /* its place for messages: "临湘市/x.xlsx", "临湘市.zip: x.xlsx" */
};

struct pack_returns {
	struct pack_return *files; /* sorted by shown */
	int n;
	char **skipped; /* what was not taken and why ("x.doc: not a returned file ...") */
	int nskipped;
	char tmpdir[PATH_MAX]; /* where zips were unpacked (mode 0700); "" when none */
};

/* Every .xlsx, .xls and .csv under dir, and those inside the .zip files
 * there (names in UTF-8 or, from Chinese Windows, GB18030; only the entry's
 * base name is used, so an entry cannot reach outside the temporary
 * folder).  A zip that cannot be opened is taken as a file, for verify to
 * refuse.  Hidden files, Office lock files (~$…) and the notes bangfu
 * writes (填报说明, 退回说明) are left out.  -1 with err when dir is no
 * folder or a zip cannot be unpacked for want of room. */
int pack_returns_find(const char *dir, struct pack_returns *out, struct bangfu_err *err);
/* Free, and remove what was unpacked. */
void pack_returns_free(struct pack_returns *r);

#endif
