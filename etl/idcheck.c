/* bangfu-idcheck — the ID-number rules of idno.c as a tool for clerks:
 * one result line per ID, tab-separated, on stdout.  Reads IDs one per line,
 * or one named column of a CSV in any encoding csvin reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bangfu.h"
#include "cli.h"
#include "csvin.h"
#include "datefmt.h"
#include "idno.h"
#include "msg.h"
#include "region.h"

struct tally {
	long total, ok;
};

static void put_clean(const char *s)
{
	for (; *s; s++)
		putchar(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

struct cand_list {
	int n;
};

static void collect(const char *candidate, const char *rule, void *ctx)
{
	struct cand_list *l = ctx;

	(void)candidate;
	(void)rule;
	l->n++;
}

/* What a clerk should know beyond the status. */
static void notes(const struct idno *id, int ref_ymd, char *out, size_t outsz)
{
	size_t n = 0;

	out[0] = '\0';
#define ADD(...) (n += (size_t)snprintf(out + n, n < outsz ? outsz - n : 0, __VA_ARGS__))
	if (id->upgraded)
		ADD("%s15位号码已升级为18位", n ? "；" : "");
	if (id->status == IDNO_OK && !id->region_known)
		ADD("%s地区码 %.6s 不在现行 GB/T 2260 中（可能是已撤销的旧县码）", n ? "；" : "", id->id);
	if (id->status == IDNO_BAD_CHECK && strlen(id->normalised) == 18) {
		struct cand_list l = {.n = 0};
		char want = idno_check_char(id->normalised);

		ADD("%s按前17位校验码应为 %c", n ? "；" : "", want ? want : '?');
		idno_repair_candidates(id->normalised, ref_ymd, collect, &l);
		if (l.n)
			ADD("；改一位或换相邻两位可得 %d 个有效号码，需与另一来源核对后确认", l.n);
	}
	if (id->status == IDNO_EXCEL_DAMAGE && id->surviving_prefix[0])
		ADD("%s被 Excel 损坏，只剩前 %zu 位 %s；请从原始材料重新录入，勿用此列", n ? "；" : "",
		    strlen(id->surviving_prefix), id->surviving_prefix);
	if (id->status == IDNO_BAD_BIRTH && strlen(id->normalised) >= 15)
		ADD("%s出生日期 %.*s 不存在或晚于参考日期", n ? "；" : "",
		    strlen(id->normalised) == 15 ? 6 : 8, id->normalised + 6);
	if (id->status == IDNO_BAD_PROVINCE)
		ADD("%s前两位 %.2s 不是省级行政区划代码", n ? "；" : "", id->normalised);
	if (id->status == IDNO_BAD_CHAR)
		ADD("%s含有数字和末位 X 以外的字符", n ? "；" : "");
	if (id->status == IDNO_BAD_LENGTH)
		ADD("%s%zu 位（应为18位或15位）", n ? "；" : "", strlen(id->normalised));
#undef ADD
	if (n >= outsz && outsz > 4)
		strcpy(out + outsz - 4, "...");
}

static void check_one(const char *input, const char *label, int ref_ymd, struct tally *t)
{
	struct idno id;
	char note[1024];

	idno_parse(input, ref_ymd, &id);
	t->total++;
	if (id.status == IDNO_OK)
		t->ok++;
	notes(&id, ref_ymd, note, sizeof note);
	put_clean(label);
	putchar('\t');
	put_clean(id.status == IDNO_OK ? id.id : id.normalised);
	printf("\t%s\t", idno_status_code(id.status));
	if (id.status == IDNO_OK || id.status == IDNO_BAD_CHECK || id.status == IDNO_BAD_PROVINCE)
		printf("%s", id.gender == 'M' ? "男" : id.gender == 'F' ? "女" : "");
	putchar('\t');
	if (id.birth_year)
		printf("%04d-%02d-%02d", id.birth_year, id.birth_month, id.birth_day);
	putchar('\t');
	if (id.province_code && region_province_name(id.province_code))
		fputs(region_province_name(id.province_code), stdout);
	printf("\t%s\t%s\n", idno_damage_code(id.damage), note);
}

static int check_lines(FILE *f, const char *name, int ref_ymd, struct tally *t)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;

	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lineno == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
			memmove(line, line + 3, (size_t)len - 2);
		if (strspn(line, " \t") == strlen(line))
			continue; /* blank lines separate, they are not IDs */
		if (strlen(line) > 256) {
			msg_errorf("%s:%ld: a line of %zd bytes is not an ID number; is this the right file?", name,
				   lineno, len);
			free(line);
			return -1;
		}
		check_one(line, line, ref_ymd, t);
	}
	free(line);
	if (ferror(f)) {
		msg_errorf("%s: cannot read: %m", name);
		return -1;
	}
	return 0;
}

static int check_table(const char *path, const char *column, int ref_ymd, struct tally *t)
{
	struct csvin_options opt = {.encoding = NULL, .columns = NULL, .display_name = path};
	struct bangfu_err err;
	struct csvin *in;
	struct csvin_row *row;
	int col, rc;

	bangfu_err_clear(&err);
	in = csvin_open(path, &opt, &err);
	if (!in) {
		msg_error(&err);
		return -1;
	}
	col = csvin_find_column(in, column);
	if (col < 0) {
		msg_errorf("%s:%ld: no column named '%s' in the header", path, csvin_header_line(in), column);
		csvin_close(in);
		return -1;
	}
	while ((rc = csvin_next(in, &row, &err)) == 1) {
		char label[64];

		snprintf(label, sizeof label, "%ld", row->line);
		if (row->rejected || col >= row->nfields) {
			msg_errorf("%s:%ld:%ld: %s; row skipped", path, row->line,
				   row->rejected ? row->reject_col : (long)col + 1,
				   row->rejected ? row->reject_message : msg_tr("the row has no such column"));
			continue;
		}
		check_one(row->fields[col], row->fields[col], ref_ymd, t);
	}
	if (rc < 0)
		msg_error(&err);
	csvin_close(in);
	return rc < 0 ? -1 : 0;
}

int cmd_idcheck(int argc, char **argv)
{
	const char *column = NULL;
	char ref[11] = "";
	int no_header = 0, first, ref_ymd = 0, status = EXIT_OK;
	const struct cli_option options[] = {
		CLI_OPT_STRING("column", &column, "NAME",
			       "FILE is a table (CSV, tab or |; UTF-8 or GB18030): check\n"
			       "the column whose header is NAME; input gets file:line"),
		CLI_OPT_DATE("ref", ref, "birth dates after this day are impossible (default today)", 0),
		CLI_OPT_FLAG("no-header", &no_header, "do not print the header line"),
		CLI_COMMON_OUTPUT,
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-idcheck", "[FILE...]",
		N_("Check Chinese resident ID numbers (GB 11643-1999) and print one tab-separated\n"
		"line per ID: input, id_number (18 characters, upgraded from 15), status (ok or\n"
		"the error code), gender, birth_date, province, damage (Excel damage class)\n"
		"and notes.  Reads one ID per line from each FILE, or standard input."),
		N_("Status codes: ok, empty, bad_length, bad_char, bad_check, bad_birth,\n"
		"bad_province, excel_damage.  Exit status: 0 checked (bad IDs included),\n"
		"1 a file could not be read, 2 usage."),
		options};
	struct tally t = {0, 0};

	if ((first = cli_parse(&cmd, argc, argv, &status)) < 0)
		return status;
	if (ref[0])
		ref_ymd = atoi(ref) * 10000 + atoi(ref + 5) * 100 + atoi(ref + 8);
	if (column && first >= argc) {
		msg_errorf("--column needs a FILE");
		return EXIT_USAGE;
	}
	if (!no_header)
		puts("input\tid_number\tstatus\tgender\tbirth_date\tprovince\tdamage\tnotes");
	if (first >= argc) {
		if (check_lines(stdin, "<stdin>", ref_ymd, &t) != 0)
			status = EXIT_BAD_INPUT;
	}
	for (int i = first; i < argc; i++) {
		if (column) {
			if (check_table(argv[i], column, ref_ymd, &t) != 0)
				status = EXIT_BAD_INPUT;
			continue;
		}
		FILE *f = fopen(argv[i], "r");

		if (!f) {
			msg_errorf("%s: cannot open: %m", argv[i]);
			status = EXIT_BAD_INPUT;
			continue;
		}
		if (check_lines(f, argv[i], ref_ymd, &t) != 0)
			status = EXIT_BAD_INPUT;
		fclose(f);
	}
	if (fflush(stdout) != 0) {
		msg_errorf("writing the results failed: %m");
		return EXIT_INTERNAL;
	}
	msg_info("%ld IDs checked: %ld ok, %ld with a problem", t.total, t.ok, t.total - t.ok);
	return status;
}
