/* bangfu.h — the stages of bangfu, each a command of the one program (bangfu.c).
 * A stage's command parses its options (lib/cli), does its work and says
 * what it did; `bangfu-ingest ARGS` and `bangfu ingest ARGS` run the same
 * cmd_ingest.  Each command is defined in its stage's file under etl/ or
 * report/, beside the stage's logic. */
#ifndef BANGFU_H
#define BANGFU_H

int cmd_ingest(int argc, char **argv);    /* etl/ingest.c */
int cmd_idcheck(int argc, char **argv);   /* etl/idcheck.c */
int cmd_reconcile(int argc, char **argv); /* etl/reconcile.c */
int cmd_sample(int argc, char **argv);    /* etl/sample.c */
int cmd_verify(int argc, char **argv);    /* etl/verify.c */
int cmd_ledger(int argc, char **argv);    /* etl/ledger.c */
int cmd_report(int argc, char **argv);    /* report/report.c */
int cmd_checklist(int argc, char **argv); /* report/checklist.c */
int cmd_screen(int argc, char **argv);    /* report/screen.c */
int cmd_pack(int argc, char **argv);      /* etl/pack.c */
int cmd_archive(int argc, char **argv);   /* etl/archive.c */
int cmd_month(int argc, char **argv);     /* etl/month.c: every stage of a month in order */

#endif
