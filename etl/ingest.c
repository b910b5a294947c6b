/* bangfu-ingest — load roster or HR-platform files for one period.
 * Options and messages only; the loading is lib/load.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "load.h"
#include "msg.h"
#include "tmpl.h"

static void usage(FILE *to)
{
	fprintf(to,
		"usage: bangfu-ingest --period YYYY-MM --source roster|hr [options] FILE...\n"
		"\n"
		"Load delimited text files (CSV, tab or | separated; UTF-8, UTF-8 with BOM or\n"
		"GB18030) into the database, one transaction per file.  Rows that cannot be\n"
		"loaded are kept in the reject table (view v_reject) with line, column and reason.\n"
		"\n"
		"  --db PATH          database file (default bangfu.db)\n"
		"  --period YYYY-MM   the month the files report on\n"
		"  --source S         roster (扶贫/乡村振兴 system export) or hr (省平台 dump)\n"
		"  --encoding E       do not detect: read as E (UTF-8, GB18030, GBK, ...)\n"
		"  --replace          replace a file of the same name loaded earlier for the period\n"
		"  --templates DIR    read column aliases from DIR/columns.csv\n"
		"  --quiet, --verbose less or more output on stderr\n"
		"  --help             this text\n"
		"\n"
		"Exit status: 0 loaded (rejected rows included), 1 a file refused, 2 usage, 3 internal error.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},       {"period", required_argument, NULL, 'p'},
		{"source", required_argument, NULL, 's'},   {"encoding", required_argument, NULL, 'e'},
		{"replace", no_argument, NULL, 'r'},        {"templates", required_argument, NULL, 't'},
		{"quiet", no_argument, NULL, 'q'},          {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
	const char *db_path = "bangfu.db";
	struct load_options opt = {0};
	struct tmpl_columns *columns = NULL;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int c, status = EXIT_OK;

	msg_init(argv[0]);
	bangfu_err_clear(&err);
	while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'p': opt.period = optarg; break;
		case 's': opt.source = optarg; break;
		case 'e': opt.encoding = optarg; break;
		case 'r': opt.replace = 1; break;
		case 't': tmpl_set_dir(optarg); break;
		case 'q': msg_set_verbosity(0); break;
		case 'v': msg_set_verbosity(2); break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!opt.period || !opt.source || optind >= argc) {
		msg_errorf("--period, --source and at least one FILE are required");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(opt.source, "roster") != 0 && strcmp(opt.source, "hr") != 0) {
		msg_errorf("--source must be roster or hr, not '%s'", opt.source);
		return EXIT_USAGE;
	}
	if (!db_period_arg(opt.period))
		return EXIT_BAD_INPUT;
	if (tmpl_columns_load(opt.source, &columns, &err) != 0) {
		return msg_fail(&err);
	}
	opt.columns = columns;
	if (db_open(db_path, &db, &err) != 0) {
		tmpl_columns_free(columns);
		return msg_fail(&err);
	}
	for (int i = optind; i < argc; i++) {
		struct load_summary sum;

		if (load_file(db, argv[i], &opt, &sum, &err) != 0) {
			status = msg_fail(&err);
			msg_errorf("%s: nothing loaded from this file%s", argv[i],
				   i + 1 < argc ? "; the files after it were not read" : "");
			break;
		}
		if (sum.outcome == LOAD_ALREADY) {
			msg_info("%s: already loaded for %s %s as %s (same SHA-256); nothing to do "
				 "(--replace loads it again)",
				 argv[i], opt.period, opt.source, sum.already_as);
			continue;
		}
		msg_info("%s: %s%s, delimiter %s, header at line %ld: %ld rows read = %ld loaded + %ld rejected"
			 "%s%ld warnings",
			 argv[i], sum.replaced ? "replaced earlier load; " : "", sum.encoding,
			 sum.delimiter == '\t' ? "tab" : sum.delimiter == ',' ? "comma" : sum.delimiter == '|' ? "|" : ";",
			 sum.header_line, sum.rows_read, sum.rows_loaded, sum.rows_rejected, ", ", sum.warnings);
		if (sum.rows_rejected)
			msg_info("%s: see the rejected rows with: sqlite3 %s \"SELECT line, column_name, code, message "
				 "FROM v_reject WHERE file_name = '%s'\"",
				 argv[i], db_path, sum.file_name);
	}
	db_close(db);
	tmpl_columns_free(columns);
	return status;
}
