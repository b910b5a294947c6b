/* Check unit tests of lib/outputs: a run's files are written whole or not
 * at all, and a failed commit leaves the files it would have replaced. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outputs.h"

static char dir[] = "/tmp/bangfu-outputs-XXXXXX";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static char *read_file(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void path_of(char *out, const char *name)
{
	snprintf(out, 512, "%s/%s", dir, name);
}

START_TEST(test_every_file_lands_together)
{
	struct outputs o = {0};
	struct bangfu_err err;
	const char *tmp;
	char a[512], b[512];

	path_of(a, "a.xlsx");
	path_of(b, "b.xlsx");
	write_file(a, "old a");
	ck_assert_int_eq(outputs_add(&o, a, &tmp, &err), 0);
	write_file(tmp, "new a");
	ck_assert_int_eq(outputs_add(&o, b, &tmp, &err), 0);
	write_file(tmp, "new b");
	ck_assert_int_eq(outputs_commit(&o, &err), 0);
	ck_assert_str_eq(read_file(a), "new a");
	ck_assert_str_eq(read_file(b), "new b");
}
END_TEST

/* The second file cannot be placed (a folder holds its name): the first
 * must not stay half-done, and the file it would have replaced is back. */
START_TEST(test_a_failed_commit_puts_the_old_files_back)
{
	struct outputs o = {0};
	struct bangfu_err err;
	const char *tmp;
	char a[512], b[512], inside[600];

	path_of(a, "c.xlsx");
	path_of(b, "d.xlsx");
	write_file(a, "old c");
	ck_assert_int_eq(mkdir(b, 0700), 0);
	snprintf(inside, sizeof inside, "%s/keep", b);
	write_file(inside, "x");
	ck_assert_int_eq(outputs_add(&o, a, &tmp, &err), 0);
	write_file(tmp, "new c");
	ck_assert_int_eq(outputs_add(&o, b, &tmp, &err), 0);
	write_file(tmp, "new d");
	ck_assert_int_eq(outputs_commit(&o, &err), -1);
	ck_assert_str_eq(read_file(a), "old c");
	ck_assert_ptr_nonnull(strstr(err.file, "d.xlsx"));
	/* no temporary file is left in the folder */
	{
		char cmd[700];

		snprintf(cmd, sizeof cmd, "ls -A %s | grep -v -x -e a.xlsx -e b.xlsx -e c.xlsx -e d.xlsx | grep -q .", dir);
		ck_assert_int_ne(system(cmd), 0);
	}
}
END_TEST

/* Hundreds of lists in one folder, read once: each file's killed runs'
 * leftovers are still removed (dots in the name, a pid that has ended), a
 * live process's are kept, and so are another output's. */
START_TEST(test_killed_runs_leftovers_of_many_files_in_one_folder)
{
	struct outputs o = {0};
	struct bangfu_err err;
	const char *tmp;
	char sub[512], path[700], name[128];
	pid_t dead = fork();

	if (dead == 0)
		_exit(0);
	ck_assert_int_gt(dead, 0);
	waitpid(dead, NULL, 0);
	path_of(sub, "many");
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof path, "%s/.清单_%03d_2026-10.xlsx.%ld.AbC123", sub, i, (long)dead);
		write_file(path, "left by a killed run");
	}
	snprintf(path, sizeof path, "%s/.清单_000_2026-10.xlsx.%ld.XyZ789", sub, (long)getpid());
	write_file(path, "a live run's");
	snprintf(path, sizeof path, "%s/.other.xlsx.%ld.AbC123", sub, (long)dead);
	write_file(path, "another output's");
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "清单_%03d_2026-10.xlsx", i);
		snprintf(path, sizeof path, "%s/%s", sub, name);
		ck_assert_int_eq(outputs_add(&o, path, &tmp, &err), 0);
		write_file(tmp, "new");
		snprintf(path, sizeof path, "%s/.%s.%ld.AbC123", sub, name, (long)dead);
		ck_assert_int_ne(access(path, F_OK), 0);
	}
	ck_assert_int_eq(outputs_commit(&o, &err), 0);
	snprintf(path, sizeof path, "%s/.清单_000_2026-10.xlsx.%ld.XyZ789", sub, (long)getpid());
	ck_assert_int_eq(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s/.other.xlsx.%ld.AbC123", sub, (long)dead);
	ck_assert_int_eq(access(path, F_OK), 0);
	snprintf(path, sizeof path, "%s/清单_299_2026-10.xlsx", sub);
	ck_assert_str_eq(read_file(path), "new");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("outputs");
	TCase *tc = tcase_create("outputs");
	SRunner *sr;
	int failed;

	if (!mkdtemp(dir))
		return EXIT_FAILURE;
	tcase_add_test(tc, test_every_file_lands_together);
	tcase_add_test(tc, test_a_failed_commit_puts_the_old_files_back);
	tcase_add_test(tc, test_killed_runs_leftovers_of_many_files_in_one_folder);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	{
		char cmd[600];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			failed++;
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
