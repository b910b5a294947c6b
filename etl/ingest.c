/* bangfu-ingest — load roster or HR-platform files for one period: the
 * command line and what it says per file; loading one file is load.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangfu.h"
#include "cli.h"
#include "db.h"
#include "load.h"
#include "msg.h"
#include "tmpl.h"

static const char *const SOURCES[] = {"roster", "hr", NULL};

int cmd_ingest(int argc, char **argv)
{
	const char *db_path = "bangfu.db";
	struct load_options opt = {0};
	int source = -1;
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the month the files report on"),
		{.kind = CLI_CHOICE, .name = "source", .value = &source, .arg = "roster|hr", .choices = SOURCES,
		 .flags = CLI_REQUIRED,
		 .help = "roster (扶贫/乡村振兴 system export) or hr (省平台 dump)"},
		CLI_OPT_STRING("encoding", &opt.encoding, "E", "do not detect: read as E (UTF-8, GB18030, GBK, ...)"),
		CLI_OPT_FLAG("replace", &opt.replace, "replace a file of the same name loaded earlier for the period"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-ingest", "FILE...",
		"Load delimited text files (CSV, tab or | separated; UTF-8, UTF-8 with BOM or\n"
		"GB18030) into the database, one transaction per file.  Rows that cannot be\n"
		"loaded are kept in the reject table (view v_reject) with line, column and reason.",
		"Exit status: 0 loaded (rejected rows included), 1 a file refused, 2 usage, 3 internal error.",
		options};
	struct tmpl_columns *columns = NULL;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	int first, status = EXIT_OK;

	bangfu_err_clear(&err);
	if ((first = cli_parse(&cmd, argc, argv, &status)) < 0)
		return status;
	opt.source = SOURCES[source];
	if (tmpl_columns_load(opt.source, &columns, &err) != 0) {
		return msg_fail(&err);
	}
	opt.columns = columns;
	if (db_open(db_path, &db, &err) != 0) {
		tmpl_columns_free(columns);
		return msg_fail(&err);
	}
	for (int i = first; i < argc; i++) {
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
