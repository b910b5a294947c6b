/* libFuzzer target: the subsidy rules template and its predicates
 * (report/screen_rules.c, screen_eval.c).  An input whose first byte is
 * odd is a whole rules file; otherwise it is the conditions cell of one
 * rule, quoted into a file with the other columns fixed.  What loads is
 * checked in the sandbox against v_screen_person of a database made once,
 * and what passes is evaluated (screen_compute) for a period without
 * persons, inside a transaction that is rolled back: a predicate that got
 * past the sandbox must still only read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "db.h"
#include "screen.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;

static void remove_db(const char *path)
{
	char p[128];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static sqlite3 *fuzz_db(void)
{
	static char path[64];
	struct bangfu_err err;
	int fd;

	if (db)
		return db;
	snprintf(path, sizeof path, "/tmp/bangfu-fuzz-rules-XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		abort();
	close(fd);
	remove_db(path);
	if (db_open(path, &db, &err) != 0) {
		fprintf(stderr, "fuzz_screen_rules: %s\n", err.message);
		abort();
	}
	/* the file may go: the connection keeps it open */
	remove_db(path);
	return db;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct screen_rules *rules = NULL;
	struct bangfu_err err;
	struct strbuf file;
	char path[64];
	int fd;

	if (size == 0)
		return 0;
	strbuf_init(&file);
	if (data[0] & 1) {
		strbuf_add(&file, data + 1, size - 1);
	} else {
		strbuf_addstr(&file, "id,subsidy,document,article,recipient,populations,conditions,unverified,amount,unit,"
				     "max_months,limit,valid_from,valid_to\nf_2025,测试,文件,一,person,exited,\"");
		for (size_t i = 1; i < size; i++) {
			if (data[i] == '"')
				strbuf_addch(&file, '"');
			strbuf_addch(&file, (char)data[i]);
		}
		strbuf_addstr(&file, "\",,,once,,,2021-07-26,2025-12-31\n");
	}
	fd = memfd_create("rules.csv", 0);
	if (fd < 0 || write(fd, file.buf, file.len) != (ssize_t)file.len)
		abort();
	strbuf_free(&file);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	bangfu_err_clear(&err);
	if (screen_rules_load(path, &rules, &err) == 0 && screen_rules_check(fuzz_db(), rules, &err) == 0) {
		struct screen_summary sum = {0};
		int *in_force = calloc((size_t)rules->n, sizeof *in_force);

		for (int i = 0; i < rules->n; i++)
			in_force[i] = 1;
		if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
			abort();
		screen_compute(db, "2025-10", rules, in_force, &sum, &err);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		/* whatever a predicate did, the view is still there and the
		 * tables untouched */
		if (sqlite3_exec(db, "SELECT count(*) FROM v_screen_person; SELECT count(*) FROM person", NULL, NULL, NULL) !=
		    SQLITE_OK)
			abort();
		free(in_force);
	}
	screen_rules_free(rules);
	close(fd);
	return 0;
}
