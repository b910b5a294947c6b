/* idno — see idno.h.  The rules of GB 11643-1999 and what Excel does to
 * the numbers: normalising what a clerk typed or pasted, validating it,
 * upgrading 15-digit numbers, naming the damage and proposing repairs.
 * Nothing here knows about files, sources or databases, and nothing here
 * prints: every answer is in the struct idno or a return value. */
#include "idno.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "datefmt.h"
#include "labels.h"
#include "region.h"

static const int WEIGHTS[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char CHECK_MAP[] = "10X98765432";

/* The 34 province-level codes of GB/T 2260 (incl. 71 台湾, 81 香港, 82 澳门,
 * which the county table has no rows for). */
static const int PROVINCES[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
				43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

static int is_province(int code)
{
	for (size_t i = 0; i < sizeof PROVINCES / sizeof PROVINCES[0]; i++)
		if (PROVINCES[i] == code)
			return 1;
	return 0;
}

static int digits_value(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

char idno_check_char(const char *first17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		if (!is_digit(first17[i]))
			return 0;
		sum += (first17[i] - '0') * WEIGHTS[i];
	}
	return CHECK_MAP[sum % 11];
}

int idno_upgrade15(const char *in15, char out18[19])
{
	if (strlen(in15) != 15 || !all_digits(in15, 15))
		return -1;
	memcpy(out18, in15, 6);
	out18[6] = '1';
	out18[7] = '9';
	memcpy(out18 + 8, in15 + 6, 9);
	out18[17] = idno_check_char(out18);
	out18[18] = '\0';
	return 0;
}

/* ---- normalisation ------------------------------------------------------ */

/* Byte length of the UTF-8 sequence starting at s; 1 for a stray byte, so
 * broken input is copied through byte by byte (and then fails as bad_char)
 * rather than swallowed. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = 1;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

static int char_is(const unsigned char *s, size_t n, const char *utf8)
{
	return n == strlen(utf8) && memcmp(s, utf8, n) == 0;
}

/* Invisible characters that Excel, web forms and copy-paste leave in a
 * cell: dropped wherever they are, since an ID never contains a space. */
static int is_blank(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n' || s[0] == '\v' ||
		       s[0] == '\f';
	return char_is(s, n, "\xC2\xA0") ||     /* NBSP */
	       char_is(s, n, "\xE3\x80\x80") || /* ideographic space U+3000 */
	       char_is(s, n, "\xE2\x80\x8B") || /* zero-width space */
	       char_is(s, n, "\xEF\xBB\xBF");   /* BOM / zero-width no-break space */
}

/* Quotes and apostrophes that may surround a number: Excel's "'" that
 * marks a cell as text, CSV quoting left over, Word's curly quotes. */
static int is_quote(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] == '\'' || s[0] == '"';
	return char_is(s, n, "\xE2\x80\x98") || char_is(s, n, "\xE2\x80\x99") || /* ‘ ’ */
	       char_is(s, n, "\xE2\x80\x9C") || char_is(s, n, "\xE2\x80\x9D") || /* “ ” */
	       char_is(s, n, "\xEF\xBC\x87") || char_is(s, n, "\xEF\xBC\x82");   /* ＇ ＂ */
}

/* The ASCII character a full-width digit or X stands for, or 0. */
static char fold_width(const unsigned char *s, size_t n)
{
	if (n == 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99)
		return (char)('0' + (s[2] - 0x90)); /* ０-９ */
	if (char_is(s, n, "\xEF\xBC\xB8") || char_is(s, n, "\xEF\xBD\x98"))
		return 'X'; /* Ｘ ｘ */
	return 0;
}

size_t idno_normalise(const char *raw, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)(raw ? raw : "");
	size_t o = 0, keep = 0;

	if (outsz == 0)
		return 0;
	while (*s) {
		size_t n = utf8_len(s);
		char ascii = fold_width(s, n);
		const char *put = (const char *)s;
		size_t putlen = n;

		if (is_blank(s, n) || (o == 0 && is_quote(s, n))) {
			s += n;
			continue;
		}
		if (ascii) {
			put = &ascii;
			putlen = 1;
		} else if (*s == 'x') {
			ascii = 'X';
			put = &ascii;
		}
		/* Whole characters only: a cut UTF-8 sequence would make the
		 * normalised text invalid wherever it is stored or printed. */
		if (o + putlen >= outsz)
			break;
		memcpy(out + o, put, putlen);
		o += putlen;
		/* Trailing quotes are dropped at the end; quotes inside stay
		 * and make the ID bad_char. */
		if (!is_quote(s, n))
			keep = o;
		s += n;
	}
	out[keep] = '\0';
	return keep;
}

/* ---- validation --------------------------------------------------------- */

static int today_ymd(void)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Excel's scientific notation of a long number: "4.30124E+17",
 * "4.30124e17", "4.30124199001011E+17".  Exponent 17 is an 18-digit
 * number, 16 a 17-digit one (an ID with a digit lost).  On a match writes
 * the mantissa digits to prefix and the exponent to *exp. */
static int parse_scientific(const char *s, char prefix[19], int *exp)
{
	char digits[19];
	size_t n = 0;
	int e = 0, e_digits = 0;

	if (*s < '1' || *s > '9')
		return 0;
	digits[n++] = *s++;
	if (*s == '.') {
		s++;
		while (is_digit(*s)) {
			if (n == 17) /* more than Excel ever shows: not Excel's doing */
				return 0;
			digits[n++] = *s++;
		}
	}
	if (*s != 'E' && *s != 'e')
		return 0;
	s++;
	if (*s == '+')
		s++;
	for (; is_digit(*s) && e_digits < 3; s++, e_digits++)
		e = e * 10 + (*s - '0');
	if (e_digits == 0 || *s || (e != 16 && e != 17))
		return 0;
	digits[n] = '\0';
	memcpy(prefix, digits, n + 1);
	*exp = e;
	return 1;
}

/* Birth date of an 18-character ID (digits 7-14) into out when it is a
 * calendar date; returns 1 when it is also a possible one (1900 or later,
 * not after ref_ymd). */
static int read_birth(const char *id18, int ref_ymd, struct idno *out)
{
	int y, m, d;

	if (!all_digits(id18 + 6, 8))
		return 0;
	y = digits_value(id18 + 6, 4);
	m = digits_value(id18 + 10, 2);
	d = digits_value(id18 + 12, 2);
	if (!datefmt_valid_ymd(y, m, d))
		return 0;
	out->birth_year = y;
	out->birth_month = m;
	out->birth_day = d;
	return y >= 1900 && y * 10000 + m * 100 + d <= ref_ymd;
}

static int read_province(const char *id, struct idno *out)
{
	int code;

	if (!all_digits(id, 2))
		return 0;
	code = digits_value(id, 2);
	if (!is_province(code))
		return 0;
	out->province_code = code;
	return 1;
}

/* Fill what the digits of an 18-character candidate say (province, birth,
 * gender, region) and return the first rule they break, in the order
 * province → birth; the check character is the caller's. */
static enum idno_status read_details(const char *id18, int ref_ymd, struct idno *out)
{
	int province_ok = read_province(id18, out);
	int birth_ok = read_birth(id18, ref_ymd, out);

	out->gender = (id18[16] - '0') % 2 ? 'M' : 'F';
	out->region_known = region_by_code(digits_value(id18, 6)) != NULL;
	if (!province_ok)
		return IDNO_BAD_PROVINCE;
	if (!birth_ok)
		return IDNO_BAD_BIRTH;
	return IDNO_OK;
}

/* Right characters for the length?  15: all digits; 18: 17 digits and a
 * digit or X.  Any other length is bad_length, unless it holds characters
 * no ID has (a name in the ID column says more as bad_char). */
static enum idno_status check_shape(const char *s, size_t len)
{
	if (len == 15)
		return all_digits(s, 15) ? IDNO_OK : IDNO_BAD_CHAR;
	if (len == 18)
		return all_digits(s, 17) && (is_digit(s[17]) || s[17] == 'X') ? IDNO_OK : IDNO_BAD_CHAR;
	for (size_t i = 0; i < len; i++)
		if (!is_digit(s[i]) && !(s[i] == 'X' && i == len - 1))
			return IDNO_BAD_CHAR;
	return IDNO_BAD_LENGTH;
}

static enum idno_status scientific_damage(const char *prefix, int exp, struct idno *out)
{
	size_t n = strlen(prefix);

	out->damage = IDNO_DAMAGE_SCIENTIFIC;
	memcpy(out->surviving_prefix, prefix, n + 1);
	/* Only the last mantissa digit can be off (rounded), so with three or
	 * more digits the first two still name the province. */
	if (exp == 17 && n >= 3)
		read_province(prefix, out);
	return out->status = IDNO_EXCEL_DAMAGE;
}

enum idno_status idno_parse(const char *raw, int ref_ymd, struct idno *out)
{
	char id[19], prefix[19];
	enum idno_status st;
	size_t len;
	int exp;

	memset(out, 0, sizeof *out);
	if (ref_ymd == 0)
		ref_ymd = today_ymd();
	len = idno_normalise(raw, out->normalised, sizeof out->normalised);
	if (len == 0)
		return out->status = IDNO_EMPTY;
	if (parse_scientific(out->normalised, prefix, &exp))
		return scientific_damage(prefix, exp, out);
	st = check_shape(out->normalised, len);
	if (st != IDNO_OK)
		return out->status = st;
	if (len == 15) {
		idno_upgrade15(out->normalised, id);
		out->upgraded = 1;
	} else {
		memcpy(id, out->normalised, 19);
	}
	st = read_details(id, ref_ymd, out);
	if (st != IDNO_OK)
		return out->status = st;
	if (idno_check_char(id) != id[17]) {
		/* Excel keeps 15 significant digits: an 18-digit number ending
		 * in zeros whose check fails lost its tail.  (One in eleven
		 * such numbers passes its check by chance; nothing can tell
		 * those from a real ID.) */
		if (all_digits(id, 18) && memcmp(id + 15, "000", 3) == 0) {
			out->damage = IDNO_DAMAGE_ROUNDED;
			memcpy(out->surviving_prefix, id, 15);
			out->surviving_prefix[15] = '\0';
			out->gender = 0; /* the sequence digit is one of the lost */
			return out->status = IDNO_EXCEL_DAMAGE;
		}
		return out->status = IDNO_BAD_CHECK;
	}
	memcpy(out->id, id, 19);
	return out->status = IDNO_OK;
}

const char *idno_status_code(enum idno_status s)
{
	static const char *const codes[] = {"ok",	 "empty",	"bad_length",	"bad_char",
					    "bad_check", "bad_birth", "bad_province", "excel_damage"};

	return (unsigned)s < sizeof codes / sizeof codes[0] ? codes[s] : "unknown";
}

const char *idno_status_label(enum idno_status s)
{
	return label_of("id_status", idno_status_code(s));
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

/* ---- repair ------------------------------------------------------------- */

static int valid_candidate(const char *c, int ref_ymd)
{
	struct idno tmp;

	if (idno_check_char(c) != c[17])
		return 0;
	memset(&tmp, 0, sizeof tmp);
	return read_details(c, ref_ymd, &tmp) == IDNO_OK;
}

/* At most 18 substitutions (MOD 11-2 leaves one right value per
 * position) and 17 transpositions. */
#define MAX_CANDIDATES 64

struct candidates {
	char ids[MAX_CANDIDATES][19];
	int n;
};

static void offer(struct candidates *found, const char *c, const char *rule, int ref_ymd, idno_candidate_cb cb,
		  void *ctx)
{
	for (int k = 0; k < found->n; k++)
		if (memcmp(found->ids[k], c, 19) == 0)
			return;
	if (found->n == MAX_CANDIDATES || !valid_candidate(c, ref_ymd))
		return;
	memcpy(found->ids[found->n++], c, 19);
	cb(c, rule, ctx);
}

int idno_repair_candidates(const char *id18, int ref_ymd, idno_candidate_cb cb, void *ctx)
{
	struct candidates found;
	char c[19];

	if (strlen(id18) != 18 || !all_digits(id18, 17) || !(is_digit(id18[17]) || id18[17] == 'X'))
		return 0;
	if (ref_ymd == 0)
		ref_ymd = today_ymd();
	found.n = 0;
	for (int pos = 0; pos < 18; pos++) {
		/* X is a check character only: never a candidate elsewhere. */
		const char *alphabet = pos == 17 ? "0123456789X" : "0123456789";

		for (const char *a = alphabet; *a; a++) {
			if (*a == id18[pos])
				continue;
			memcpy(c, id18, 19);
			c[pos] = *a;
			offer(&found, c, "substitution", ref_ymd, cb, ctx);
		}
	}
	for (int pos = 0; pos < 17; pos++) {
		if (id18[pos] == id18[pos + 1] || id18[pos + 1] == 'X')
			continue;
		memcpy(c, id18, 19);
		c[pos] = id18[pos + 1];
		c[pos + 1] = id18[pos];
		offer(&found, c, "transposition", ref_ymd, cb, ctx);
	}
	return found.n;
}

/* ---- masking ------------------------------------------------------------ */

/* Masks by character, not byte, so whatever the string holds the result
 * is valid UTF-8: a '*' per hidden character.  18 (or 15, or any 11 or
 * more) characters keep the first 6 (the region, which the township knows
 * anyway) and the last 4.  Shorter strings are no ID: they keep only their
 * last 2 characters, and strings of 4 or fewer keep nothing, so a fragment
 * never shows more than a sliver of a person's number. */
static size_t count_chars(const unsigned char *s)
{
	size_t n = 0;

	for (const unsigned char *p = s; *p; p += utf8_len(p))
		n++;
	return n;
}

/* idno_mask, and where `other` (of the same length in characters) differs
 * from `id`, those characters shown as well. */
static void mask_against(const char *id, const char *other, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)(id ? id : "");
	const unsigned char *t = (const unsigned char *)other;
	size_t nchars, head, tail, o = 0, i = 0;

	if (outsz == 0)
		return;
	nchars = count_chars(s);
	if (nchars >= 11) {
		head = 6;
		tail = 4;
	} else {
		head = 0;
		tail = nchars > 4 ? 2 : 0;
	}
	for (; *s; i++) {
		size_t n = utf8_len(s);
		int shown = i < head || i >= nchars - tail;
		size_t putlen;

		if (!shown && t && *t) {
			size_t tn = utf8_len(t);

			shown = tn != n || memcmp(s, t, n) != 0;
		}
		putlen = shown ? n : 1;
		if (o + putlen >= outsz)
			break;
		if (shown)
			memcpy(out + o, s, n);
		else
			out[o] = '*';
		o += putlen;
		s += n;
		if (t && *t)
			t += utf8_len(t);
	}
	out[o] = '\0';
}

void idno_mask(const char *id, char *out, size_t outsz)
{
	mask_against(id, NULL, out, outsz);
}

void idno_mask_pair(const char *wrong, const char *proposed, char *wrong_out, size_t wrong_sz, char *proposed_out,
		    size_t proposed_sz)
{
	const unsigned char *a = (const unsigned char *)(wrong ? wrong : "");
	const unsigned char *b = (const unsigned char *)(proposed ? proposed : "");
	int aligned = count_chars(a) == count_chars(b);

	mask_against((const char *)a, aligned ? (const char *)b : NULL, wrong_out, wrong_sz);
	mask_against((const char *)b, aligned ? (const char *)a : NULL, proposed_out, proposed_sz);
}

/* Phones keep their first 3 and last 4 digits, 138****5678, whatever stands
 * between them ("0739-5234567" → "073*-***4567"); a number of fewer than 8
 * digits keeps its last 2.  Whatever is no digit stays as written. */
void idno_mask_phone(const char *phone, char *out, size_t outsz)
{
	size_t digits = 0, seen = 0, o = 0, head = 3, tail = 4;

	if (outsz == 0)
		return;
	for (const char *p = phone; *p; p++)
		digits += *p >= '0' && *p <= '9';
	if (digits < 8) {
		head = 0;
		tail = digits > 4 ? 2 : 0;
	}
	for (const char *p = phone; *p && o + 1 < outsz; p++) {
		if (*p >= '0' && *p <= '9') {
			out[o++] = seen < head || seen >= digits - tail ? *p : '*';
			seen++;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
}
