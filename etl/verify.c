/* bangfu-verify — load the check sheets townships send back, apply the 90%
 * rule per township and write the re-verification lists.  Options and
 * messages; the work is lib/verify.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "msg.h"
#include "problem.h"
#include "reconcile.h"
#include "tmpl.h"
#include "verify.h"

/* file, sheet, row, column and what is allowed; CSV as file:line:column. */
static void print_reject(const struct verify_reject *x)
{
	char letters[8];

	if (x->sheet[0] && x->col > 0) {
		verify_column_letters(x->col, letters);
		msg_errorf("%s: sheet %s: row %ld: column %s (%s) %s", x->file, x->sheet, x->row, letters, x->label,
			   x->reason);
	} else if (x->sheet[0] && x->row > 0) {
		msg_errorf("%s: sheet %s: row %ld: %s", x->file, x->sheet, x->row, x->reason);
	} else if (x->sheet[0]) {
		msg_errorf("%s: sheet %s: %s", x->file, x->sheet, x->reason);
	} else if (x->col > 0) {
		msg_errorf("%s:%ld:%d: %s %s", x->file, x->row, x->col, x->label, x->reason);
	} else if (x->row > 0) {
		msg_errorf("%s:%ld: %s", x->file, x->row, x->reason);
	} else {
		msg_errorf("%s: %s", x->file, x->reason);
	}
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: bangfu-verify --period YYYY-MM [--out DIR] [--db DB] FILE...\n"
		"\n"
		"Load returned check sheets (xlsx from Excel or LibreOffice, or CSV in UTF-8 or\n"
		"GB18030).  Every row is checked against the period's sample; if any row is\n"
		"rejected, nothing is loaded and the rejects are listed (the first 1000) with\n"
		"file, sheet, row, column and what is allowed.  An answer belongs to its\n"
		"sampled person: a file loaded again (same name, rows of the same counties)\n"
		"replaces the answers it gives again and keeps the others.  Then each checked\n"
		"township gets its accuracy, Wilson interval and verdict (view\n"
		"v_township_check): below 90%% it must recalibrate, and with --out its\n"
		"re-verification list (重新校准清单) is written to DIR.\n"
		"\n"
		"  --db PATH          database file (default bangfu.db)\n"
		"  --period YYYY-MM   the sampled month\n"
		"  --out DIR          write re-verification lists here\n"
		"  --full-id          print whole ID numbers and phones in the lists (default:\n"
		"                     masked, valid or not)\n"
		"  --templates DIR    read columns.csv from DIR\n"
		"  --quiet, --verbose less or more output on stderr\n"
		"  --help             this text\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'}, {"period", required_argument, NULL, 'p'},
		{"out", required_argument, NULL, 'o'}, {"full-id", no_argument, NULL, 'f'},
		{"templates", required_argument, NULL, 't'}, {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *db_path = "bangfu.db";
	struct verify_options opt = {0};
	struct verify_summary sum = {0};
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int c, status = EXIT_OK;

	msg_init(argv[0]);
	bangfu_err_clear(&err);
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'p': opt.period = optarg; break;
		case 'o': opt.out_dir = optarg; break;
		case 'f': opt.full_id = 1; break;
		case 't': tmpl_set_dir(optarg); break;
		case 'q': msg_set_verbosity(0); break;
		case 'v': msg_set_verbosity(2); break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!opt.period) {
		msg_errorf("--period is required");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!db_period_arg(opt.period))
		return EXIT_BAD_INPUT;
	if (db_open_existing(db_path, &db, &err) != 0 || reconcile_register_functions(db, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	if (optind < argc && verify_load(db, &opt, argv + optind, argc - optind, &sum, &err) != 0) {
		for (long i = 0; i < sum.nkept_rejects; i++)
			print_reject(&sum.rejects[i]);
		if (sum.nrejects > sum.nkept_rejects)
			msg_errorf("... and %ld more rejected rows (the first %d are listed)",
				   sum.nrejects - sum.nkept_rejects, VERIFY_REJECTS_KEPT);
		if (sum.stopped)
			print_reject(&sum.stop);
		status = msg_fail(&err);
		goto out;
	}
	if (optind < argc) {
		msg_info("%ld files (%ld unchanged since loaded): %ld rows read, %ld answers loaded, %ld rows not yet checked",
			 sum.files, sum.files_unchanged, sum.rows_read, sum.answers, sum.blank_rows);
		for (long i = 0; i < sum.ngaps; i++)
			msg_info("%s: %s: %ld of %ld sampled persons have no row (rows deleted from the sheet?): %s",
				 sum.gaps[i].file, sum.gaps[i].place, sum.gaps[i].missing, sum.gaps[i].sampled,
				 sum.gaps[i].codes);
		for (long i = 0; i < sum.nkept; i++)
			msg_info("%s: %ld answers loaded earlier from this file are kept: this version leaves them empty "
				 "or has no row for them",
				 sum.kept[i].file, sum.kept[i].answers);
	}
	if (verify_report(db, &opt, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%ld townships checked: %ld 达标, %ld 需重新校准, %ld 待补充核查 (view v_township_check)",
		 sum.townships_checked, sum.pass, sum.recalibrate, sum.undecided);
	if (sum.lists_written)
		msg_info("wrote %ld re-verification lists to %s", sum.lists_written, opt.out_dir);
	{
		/* townships to recalibrate join the problem list (挂单销号) */
		struct problem_summary ps;

		if (problem_sync_if_stale(db, opt.period, &ps, &err) != 0) {
			status = msg_fail(&err);
		}
	}
out:
	verify_summary_free(&sum);
	db_close(db);
	return status;
}
