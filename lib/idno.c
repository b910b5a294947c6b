/* idno — see idno.h.  The rules of GB 11643-1999 and what Excel does to
 * the numbers; nothing here knows about files, sources or databases. */
#include "idno.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datefmt.h"
#include "region.h"

static const int WEIGHTS[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char CHECK_MAP[] = "10X98765432";

static const int PROVINCES[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
				43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

char idno_check_char(const char *first17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		if (first17[i] < '0' || first17[i] > '9')
			return 0;
		sum += (first17[i] - '0') * WEIGHTS[i];
	}
	return CHECK_MAP[sum % 11];
}

static int is_province(int code)
{
	for (size_t i = 0; i < sizeof PROVINCES / sizeof PROVINCES[0]; i++)
		if (PROVINCES[i] == code)
			return 1;
	return 0;
}

int idno_upgrade15(const char *in15, char out18[19])
{
	if (strlen(in15) != 15 || strspn(in15, "0123456789") != 15)
		return -1;
	memcpy(out18, in15, 6);
	out18[6] = '1';
	out18[7] = '9';
	memcpy(out18 + 8, in15 + 6, 9);
	out18[17] = idno_check_char(out18);
	out18[18] = '\0';
	return 0;
}

size_t idno_normalise(const char *raw, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t o = 0;
	int leading = 1;

	if (outsz == 0)
		return 0;
	while (*s) {
		char c = 0;
		size_t step = 1;

		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '"') {
			s++;
			continue;
		}
		if (s[0] == 0xC2 && s[1] == 0xA0) { /* NBSP */
			s += 2;
			continue;
		}
		if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) { /* ideographic space */
			s += 3;
			continue;
		}
		/* a leading apostrophe: Excel's "store as text" mark, ASCII or curly */
		if (leading && *s == '\'') {
			s++;
			continue;
		}
		if (leading && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x98 || s[2] == 0x99)) {
			s += 3;
			continue;
		}
		leading = 0;
		if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) { /* ０-９ */
			c = (char)('0' + (s[2] - 0x90));
			step = 3;
		} else if (s[0] == 0xEF && s[1] == 0xBC && s[2] == 0xB8) { /* Ｘ */
			c = 'X';
			step = 3;
		} else if (s[0] == 0xEF && s[1] == 0xBD && s[2] == 0x98) { /* ｘ */
			c = 'X';
			step = 3;
		} else if (*s == 'x') {
			c = 'X';
		} else {
			c = (char)*s;
		}
		if (o + 1 < outsz)
			out[o++] = c;
		s += step;
	}
	out[o] = '\0';
	return o;
}

static int today_ymd(void)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Excel's scientific notation: "4.30124E+17", "4.30124e17", "4.30124199001011E+17". */
static int parse_scientific(const char *s, char prefix[19])
{
	const char *p = s;
	size_t n = 0;
	int exp;
	char *end;

	if (*p < '1' || *p > '9')
		return 0;
	prefix[n++] = *p++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && n < 18)
			prefix[n++] = *p++;
	}
	if (*p != 'E' && *p != 'e')
		return 0;
	p++;
	if (*p == '+')
		p++;
	exp = (int)strtol(p, &end, 10);
	if (end == p || *end || (exp != 16 && exp != 17) || n > 16)
		return 0;
	prefix[n] = '\0';
	return 1;
}

static void fill_details(const char *id18, int ref, struct idno *out, int *birth_ok)
{
	int y, m, d, ymd;

	out->province_code = (id18[0] - '0') * 10 + (id18[1] - '0');
	if (!is_province(out->province_code))
		out->province_code = 0;
	if (sscanf(id18 + 6, "%4d%2d%2d", &y, &m, &d) == 3) {
		ymd = y * 10000 + m * 100 + d;
		*birth_ok = datefmt_valid_ymd(y, m, d) && y >= 1900 && ymd <= ref;
		if (datefmt_valid_ymd(y, m, d)) {
			out->birth_year = y;
			out->birth_month = m;
			out->birth_day = d;
		}
	} else {
		*birth_ok = 0;
	}
	out->gender = ((id18[16] - '0') % 2) ? 'M' : 'F';
	out->region_known = region_by_code(atoi((char[7]){id18[0], id18[1], id18[2], id18[3], id18[4], id18[5], 0})) != NULL;
}

enum idno_status idno_parse(const char *raw, int ref_ymd, struct idno *out)
{
	char norm[64], id[19];
	size_t len;
	int birth_ok = 0;

	memset(out, 0, sizeof *out);
	if (ref_ymd == 0)
		ref_ymd = today_ymd();
	len = idno_normalise(raw, norm, sizeof norm);
	snprintf(out->normalised, sizeof out->normalised, "%s", norm);
	if (len == 0)
		return out->status = IDNO_EMPTY;
	if (parse_scientific(norm, out->surviving_prefix)) {
		out->damage = IDNO_DAMAGE_SCIENTIFIC;
		return out->status = IDNO_EXCEL_DAMAGE;
	}
	if (len == 15 && strspn(norm, "0123456789") == 15) {
		idno_upgrade15(norm, id);
		out->upgraded = 1;
	} else if (len == 18) {
		if (strspn(norm, "0123456789") < 17 || !((norm[17] >= '0' && norm[17] <= '9') || norm[17] == 'X'))
			return out->status = IDNO_BAD_CHAR;
		memcpy(id, norm, 19);
	} else {
		for (size_t i = 0; i < len; i++)
			if (!((norm[i] >= '0' && norm[i] <= '9') || (norm[i] == 'X' && i == len - 1)))
				return out->status = IDNO_BAD_CHAR;
		return out->status = IDNO_BAD_LENGTH;
	}
	fill_details(id, ref_ymd, out, &birth_ok);
	if (!out->province_code)
		return out->status = IDNO_BAD_PROVINCE;
	if (!birth_ok)
		return out->status = IDNO_BAD_BIRTH;
	if (idno_check_char(id) != id[17]) {
		/* Excel keeps 15 significant digits: an 18-digit number ending in
		 * zeros whose check fails lost its tail. */
		if (strspn(id, "0123456789") == 18 && strcmp(id + 15, "000") == 0) {
			out->damage = IDNO_DAMAGE_ROUNDED;
			memcpy(out->surviving_prefix, id, 15);
			out->surviving_prefix[15] = '\0';
			return out->status = IDNO_EXCEL_DAMAGE;
		}
		return out->status = IDNO_BAD_CHECK;
	}
	memcpy(out->id, id, 19);
	return out->status = IDNO_OK;
}

const char *idno_status_code(enum idno_status s)
{
	static const char *const codes[] = {"ok",	   "empty",	  "bad_length",	  "bad_char",
					    "bad_check", "bad_birth", "bad_province", "excel_damage"};

	return (unsigned)s < sizeof codes / sizeof codes[0] ? codes[s] : "unknown";
}

const char *idno_status_label(enum idno_status s)
{
	static const char *const labels[] = {"正确",	   "空",	       "长度错误",	 "含非法字符",
					     "校验码错误", "出生日期无效", "省份代码无效", "Excel损坏"};

	return (unsigned)s < sizeof labels / sizeof labels[0] ? labels[s] : "";
}

const char *idno_damage_code(enum idno_damage d)
{
	switch (d) {
	case IDNO_DAMAGE_SCIENTIFIC:
		return "excel_scientific";
	case IDNO_DAMAGE_ROUNDED:
		return "excel_rounded";
	default:
		return "";
	}
}

static int valid_candidate(const char *c, int ref)
{
	struct idno tmp;
	int birth_ok;

	if (idno_check_char(c) != c[17])
		return 0;
	memset(&tmp, 0, sizeof tmp);
	fill_details(c, ref, &tmp, &birth_ok);
	return tmp.province_code && birth_ok;
}

int idno_repair_candidates(const char *id18, int ref_ymd, idno_candidate_cb cb, void *ctx)
{
	char seen[256][19], c[19];
	int n = 0;

	if (strlen(id18) != 18 || strspn(id18, "0123456789") < 17)
		return 0;
	if (ref_ymd == 0)
		ref_ymd = today_ymd();
	for (int pos = 0; pos < 18; pos++) {
		const char *alphabet = pos == 17 ? "0123456789X" : "0123456789";

		for (const char *a = alphabet; *a; a++) {
			if (*a == id18[pos])
				continue;
			memcpy(c, id18, 19);
			c[pos] = *a;
			if (valid_candidate(c, ref_ymd) && n < 256) {
				memcpy(seen[n++], c, 19);
				cb(c, "substitution", ctx);
			}
		}
	}
	for (int pos = 0; pos < 17; pos++) {
		int dup = 0;

		if (id18[pos] == id18[pos + 1] || (pos + 1 == 17 && id18[pos] == 'X'))
			continue;
		memcpy(c, id18, 19);
		c[pos] = id18[pos + 1];
		c[pos + 1] = id18[pos];
		if (c[pos] == 'X' && pos != 17)
			continue;
		for (int k = 0; k < n; k++)
			if (memcmp(seen[k], c, 18) == 0)
				dup = 1;
		if (!dup && valid_candidate(c, ref_ymd) && n < 256) {
			memcpy(seen[n++], c, 19);
			cb(c, "transposition", ctx);
		}
	}
	return n;
}

void idno_mask(const char *id, char *out, size_t outsz)
{
	size_t len = strlen(id);

	if (outsz == 0)
		return;
	if (len >= 11) {
		snprintf(out, outsz, "%.6s", id);
		for (size_t i = 6; i < len - 4 && i + 1 < outsz; i++)
			out[i] = '*';
		if (len < outsz) {
			memcpy(out + len - 4, id + len - 4, 4);
			out[len] = '\0';
		}
	} else {
		/* Too short to be a real ID: keep only the last two characters. */
		size_t i;

		for (i = 0; i + 2 < len && i + 1 < outsz; i++)
			out[i] = '*';
		for (; i < len && i + 1 < outsz; i++)
			out[i] = id[i];
		out[i] = '\0';
	}
}
