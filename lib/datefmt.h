/* datefmt — every date form the input files use, turned into ISO text.
 *
 * Accepted: 2020-05-01, 2020/5/1, 2020.5.1, 2020年5月1日, 20200501, a
 * trailing time ("2020-05-01 10:20:30"), month-only 2020-05 / 2020年5月 /
 * 202005, and Excel serial day numbers (43952, 43952.5).  Not here: what a
 * column means or whether a date is plausible for it. */
#ifndef BANGFU_DATEFMT_H
#define BANGFU_DATEFMT_H

enum datefmt_result {
	DATEFMT_INVALID = -1, /* not a date in any accepted form */
	DATEFMT_EMPTY = 0,    /* blank: no date given */
	DATEFMT_DAY = 1,      /* out = "YYYY-MM-DD" */
	DATEFMT_MONTH = 2,    /* out = "YYYY-MM" */
};

/* Parse s; on DATEFMT_DAY/MONTH writes the ISO form to out (11 bytes). */
enum datefmt_result datefmt_parse(const char *s, char out[11]);

/* 1 when y-m-d is a real calendar date. */
int datefmt_valid_ymd(int y, int m, int d);
/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
long datefmt_days_from_civil(int y, int m, int d);
void datefmt_civil_from_days(long days, int *y, int *m, int *d);
/* The last day of a month: 28..31. */
int datefmt_month_days(int y, int m);

#endif
