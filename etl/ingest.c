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

/* --list: the period's files; --remove: one of them out again. */
static int list_or_remove(sqlite3 *db, const char *period, const char *source, int list, const char *remove)
{
	struct bangfu_err err;
	char name[256];
	int later;

	bangfu_err_clear(&err);
	if (list) {
		int n = load_list(db, period, source, stdout, &err);

		if (n < 0)
			return msg_fail(&err);
		msg_info("%d files loaded for %s", n, period);
		return EXIT_OK;
	}
	if (load_remove(db, period, remove, name, &later, &err) != 0)
		return msg_fail(&err);
	msg_info("%s: removed from %s: its rows, rejects and warnings", name, period);
	if (later)
		msg_info("run again for %s: %s%s%s", period, later & LOAD_STAGE_RECONCILE ? "bangfu-reconcile" : "",
			 later & LOAD_STAGE_SAMPLE ? ", bangfu-reconcile --resample and bangfu-sample (the sample was "
						     "drawn from these persons)"
						   : "",
			 later & LOAD_STAGE_SCREEN ? ", bangfu-screen" : "");
	return EXIT_OK;
}

int cmd_ingest(int argc, char **argv)
{
	const char *db_path = "bangfu.db", *remove = NULL;
	struct load_options opt = {0};
	int source = -1, list = 0;
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the month the files report on"),
		{.kind = CLI_CHOICE, .name = "source", .value = &source, .arg = "roster|hr", .choices = SOURCES,
		 .help = "roster (扶贫/乡村振兴 system export) or hr (省平台 dump); needed to load"},
		CLI_OPT_STRING("encoding", &opt.encoding, "E", "do not detect: read as E (UTF-8, GB18030, GBK, ...)"),
		CLI_OPT_FLAG("replace", &opt.replace, "replace a file of the same name loaded earlier for the period"),
		CLI_OPT_FLAG("force", &opt.force,
			     "load a file although the same bytes are loaded for another period\n"
			     "(refused otherwise: last month's export sent again)"),
		CLI_OPT_FLAG("list", &list, "list the period's loaded files (of --source, or both) and stop"),
		CLI_OPT_STRING("remove", &remove, "FILE|SHA",
			       "take a loaded file of the period out again (by name, or the first\n"
			       "8 or more hex digits of its SHA-256) and say which stages to run again"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-ingest", "[FILE...]",
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
	if (list || remove) {
		if (first < argc || (list && remove)) {
			msg_errorf("--list and --remove take no FILE and not each other");
			return EXIT_USAGE;
		}
		if (db_open_existing(db_path, &db, &err) != 0)
			return msg_fail(&err);
		status = list_or_remove(db, opt.period, source >= 0 ? SOURCES[source] : NULL, list, remove);
		db_close(db);
		return status;
	}
	if (source < 0 || first >= argc) {
		msg_errorf(source < 0 ? "--source is required to load files" : "no FILE given");
		cli_usage(&cmd, stderr);
		return EXIT_USAGE;
	}
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
