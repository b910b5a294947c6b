/* datefmt — see datefmt.h.  Hand-written because none of the project's
 * libraries parses these Chinese office forms; strptime() would need one
 * format per form and still not know Excel serials. */
#include "datefmt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Excel's day 0 is 1899-12-30 once its fictitious 1900-02-29 is skipped;
 * serials this small are never dates in these files. */
#define EXCEL_SERIAL_MIN 1000
#define EXCEL_SERIAL_MAX 80000

int datefmt_month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && leap);
}

int datefmt_valid_ymd(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= datefmt_month_days(y, m);
}

/* Howard Hinnant's civil-date algorithms. */
long datefmt_days_from_civil(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void datefmt_civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* Read up to maxdigits digits; returns the count read. */
static int read_num(const char **p, int maxdigits, int *value)
{
	int n = 0, v = 0;

	while (n < maxdigits && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*value = v;
	return n;
}

static int is_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* A time after the date: " 10:20", " 10:20:30", "T10:20:30", with optional
 * fraction.  Accepted and dropped; only the day matters to the pipeline. */
static int skip_time(const char *p)
{
	if (*p == '\0')
		return 1;
	if (*p != ' ' && *p != 'T')
		return 0;
	while (*p == ' ' || *p == 'T')
		p++;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != ':' && *p != '.')
			return 0;
	return 1;
}

static enum datefmt_result emit(int y, int m, int d, char out[11])
{
	if (y < 1900 || y > 2199)
		return DATEFMT_INVALID;
	char buf[32];

	if (d == 0) {
		if (m < 1 || m > 12)
			return DATEFMT_INVALID;
		snprintf(buf, sizeof buf, "%04d-%02d", y, m);
		memcpy(out, buf, 8);
		return DATEFMT_MONTH;
	}
	if (!datefmt_valid_ymd(y, m, d))
		return DATEFMT_INVALID;
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, 11);
	return DATEFMT_DAY;
}

static const char YEAR_CH[] = "\xe5\xb9\xb4";  /* 年 */
static const char MONTH_CH[] = "\xe6\x9c\x88"; /* 月 */
static const char DAY_CH[] = "\xe6\x97\xa5";   /* 日 */

static enum datefmt_result parse_chinese(const char *p, char out[11])
{
	int y, m, d = 0;

	if (read_num(&p, 4, &y) != 4 || strncmp(p, YEAR_CH, 3) != 0)
		return DATEFMT_INVALID;
	p += 3;
	if (read_num(&p, 2, &m) < 1 || strncmp(p, MONTH_CH, 3) != 0)
		return DATEFMT_INVALID;
	p += 3;
	if (*p && !(*p == ' ' || *p == 'T')) {
		if (read_num(&p, 2, &d) < 1)
			return DATEFMT_INVALID;
		if (strncmp(p, DAY_CH, 3) == 0)
			p += 3;
		else if (strncmp(p, "\xe5\x8f\xb7", 3) == 0) /* 号 */
			p += 3;
		else
			return DATEFMT_INVALID;
		if (d == 0)
			return DATEFMT_INVALID;
	}
	if (!skip_time(p))
		return DATEFMT_INVALID;
	return emit(y, m, d, out);
}

static enum datefmt_result parse_digits_only(const char *s, size_t len, char out[11])
{
	int v = 0;

	if (len > 8)
		return DATEFMT_INVALID; /* no date form has more digits; and v would overflow */
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (s[i] - '0');
	if (len == 8)
		return emit(v / 10000, v / 100 % 100, v % 100 ? v % 100 : -1, out);
	if (len == 6 && v / 100 >= 1900)
		return emit(v / 100, v % 100, 0, out);
	if (len >= 4 && len <= 5 && v >= EXCEL_SERIAL_MIN && v <= EXCEL_SERIAL_MAX) {
		int y, m, d;

		datefmt_civil_from_days(datefmt_days_from_civil(1899, 12, 30) + v, &y, &m, &d);
		return emit(y, m, d, out);
	}
	return DATEFMT_INVALID;
}

enum datefmt_result datefmt_parse(const char *s, char out[11])
{
	const char *p = s, *start;
	size_t len;
	int y, m, d = 0;
	char sep;

	out[0] = '\0';
	if (is_blank(s))
		return DATEFMT_EMPTY;
	while (isspace((unsigned char)*p))
		p++;
	start = p;
	len = strlen(start);
	while (len && isspace((unsigned char)start[len - 1]))
		len--;

	/* All digits (optionally with a fraction, for Excel serials with a time). */
	{
		size_t ndig = strspn(start, "0123456789");

		if (ndig == len)
			return parse_digits_only(start, len, out);
		if (start[ndig] == '.' && ndig >= 4 && ndig <= 5 &&
		    strspn(start + ndig + 1, "0123456789") == len - ndig - 1 && len > ndig + 1)
			return parse_digits_only(start, ndig, out);
	}
	if (strstr(start, YEAR_CH))
		return parse_chinese(start, out);

	if (read_num(&p, 4, &y) != 4)
		return DATEFMT_INVALID;
	sep = *p;
	if (sep != '-' && sep != '/' && sep != '.')
		return DATEFMT_INVALID;
	p++;
	if (read_num(&p, 2, &m) < 1)
		return DATEFMT_INVALID;
	if (*p == sep) {
		p++;
		if (read_num(&p, 2, &d) < 1 || d == 0)
			return DATEFMT_INVALID;
	}
	/* Ignore trailing whitespace that was trimmed from len. */
	if ((size_t)(p - start) < len && !skip_time(p))
		return DATEFMT_INVALID;
	return emit(y, m, d, out);
}
