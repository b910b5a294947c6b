/* bangfu — one program for every stage of the monthly batch.  Installed as
 * bangfu and as bangfu-STAGE (hard links); called by either name it runs
 * the stage's command (bangfu.h), so `bangfu-reconcile --period 2026-10`
 * and `bangfu reconcile --period 2026-10` are the same.  `bangfu` alone
 * lists the stages in the order of a month.  Nothing else lives here: a
 * stage's options and work are in its own file. */
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "bangfu.h"
#include "msg.h"

static const struct stage {
	const char *name;
	int (*cmd)(int argc, char **argv);
	const char *summary;
} STAGES[] = {
	{"month", cmd_month, "every stage of a month in order, skipping what has not changed"},
	{"ingest", cmd_ingest, "load the roster (扶贫系统) or the HR platform's dump (省平台) of a month"},
	{"reconcile", cmd_reconcile, "match both sources by ID number and put every person in a category"},
	{"sample", cmd_sample, "draw each township's call-back sample and write the check sheets"},
	{"verify", cmd_verify, "load the returned check sheets and apply the 90% rule"},
	{"ledger", cmd_ledger, "the problem ledger (挂单销号): external problem lists, the townships' returns"},
	{"report", cmd_report, "the leadership progress report (进度报表) and the township work lists"},
	{"checklist", cmd_checklist, "the special action's work checklist (工作清单) and problem list"},
	{"screen", cmd_screen, "subsidy candidates by data comparison (政策应享尽享)"},
	{"pack", cmd_pack, "one zip per county of what goes to its townships, with a 填报说明"},
	{"archive", cmd_archive, "move old periods into an archive database the same views read"},
	{"idcheck", cmd_idcheck, "the ID-number rules as a clerk's tool"},
};

static const struct stage *find(const char *name)
{
	for (size_t i = 0; i < sizeof STAGES / sizeof STAGES[0]; i++)
		if (strcmp(STAGES[i].name, name) == 0)
			return &STAGES[i];
	return NULL;
}

static int list_stages(FILE *to)
{
	fprintf(to, "usage: bangfu STAGE [options]   (or bangfu-STAGE [options])\n\n"
		    "The stages, in the order of a month:\n");
	for (size_t i = 0; i < sizeof STAGES / sizeof STAGES[0]; i++)
		fprintf(to, "  %-10s %s\n", STAGES[i].name, STAGES[i].summary);
	fprintf(to, "\n`bangfu STAGE --help` says more about each.\n");
	return to == stdout ? EXIT_OK : EXIT_USAGE;
}

int main(int argc, char **argv)
{
	char *self = basename(argv[0]);
	const struct stage *s;
	static char name[64];

	if (strncmp(self, "bangfu-", 7) == 0 && (s = find(self + 7)) != NULL)
		return s->cmd(argc, argv);
	if (argc < 2)
		return list_stages(stderr);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
		return list_stages(stdout);
	if ((s = find(argv[1])) == NULL) {
		msg_init("bangfu");
		msg_errorf("no stage named '%s'", argv[1]);
		return list_stages(stderr);
	}
	/* The stage names itself bangfu-STAGE in its messages either way. */
	snprintf(name, sizeof name, "bangfu-%s", s->name);
	argv[1] = name;
	return s->cmd(argc - 1, argv + 1);
}
