/* idno — Chinese resident ID numbers (GB 11643-1999): normalisation,
 * validation, the 15→18 upgrade, Excel-damage classes and repair candidates.
 *
 * Pure functions over strings; no I/O, no database.  Region names come from
 * region.h.  What a reconciliation does with a bad ID (matching, proposing a
 * repair to a township) is not here: this module only says what an ID is. */
#ifndef BANGFU_IDNO_H
#define BANGFU_IDNO_H

#include <stddef.h>

enum idno_status {
	IDNO_OK = 0,
	IDNO_EMPTY,        /* nothing left after normalisation */
	IDNO_BAD_LENGTH,   /* not 15 or 18 characters */
	IDNO_BAD_CHAR,     /* a character other than 0-9 (and X as the 18th) */
	IDNO_BAD_CHECK,    /* the 18th character does not match ISO 7064 MOD 11-2 */
	IDNO_BAD_BIRTH,    /* impossible date, before 1900, or after the reference date */
	IDNO_BAD_PROVINCE, /* the first two digits are no province */
	IDNO_EXCEL_DAMAGE, /* destroyed by Excel: see enum idno_damage */
};

enum idno_damage {
	IDNO_DAMAGE_NONE = 0,
	IDNO_DAMAGE_SCIENTIFIC, /* "4.30124E+17": Excel showed it as a number */
	IDNO_DAMAGE_ROUNDED,    /* 18 digits whose tail Excel set to zeros (it keeps 15) */
};

struct idno {
	char normalised[64];   /* after trimming, width folding, x→X (may be invalid) */
	char id[19];           /* the 18-character ID when status is OK (upgraded if 15) */
	enum idno_status status;
	enum idno_damage damage;
	int upgraded;          /* 1 when a 15-digit number was upgraded to 18 */
	int region_known;      /* 1 when the 6-digit region is in GB/T 2260 (else a warning) */
	char gender;           /* 'M' or 'F' from the sequence digit; 0 when unknown */
	int birth_year, birth_month, birth_day; /* 0 when unknown */
	int province_code;     /* first two digits when they are a province, else 0 */
	/* For damaged IDs, the digits that survived (e.g. "430124" of 4.30124E+17,
	 * the first 15 of a truncated one), to match on; "" otherwise. */
	char surviving_prefix[19];
};

/* Parse one raw ID.  ref_ymd (yyyymmdd) is the date after which a birth
 * date is "in the future"; pass 0 for today.  Always fills *out; returns
 * out->status. */
enum idno_status idno_parse(const char *raw, int ref_ymd, struct idno *out);

/* Normalise: trim, drop spaces/tabs/leading apostrophe, full-width digits and
 * Ｘ to ASCII, x to X.  Writes at most outsz-1 bytes; returns the length. */
size_t idno_normalise(const char *raw, char *out, size_t outsz);

/* The check character of the first 17 digits ('0'-'9' or 'X'); 0 if the 17
 * are not all digits. */
char idno_check_char(const char *first17);

/* Upgrade a 15-digit number to 18 (insert "19" before the year, append the
 * check character).  out needs 19 bytes.  Returns 0, or -1 if in is not 15 digits. */
int idno_upgrade15(const char *in15, char out18[19]);

/* Stable machine code and Chinese label of a status / damage class. */
const char *idno_status_code(enum idno_status s);   /* "ok", "bad_length", ... */
const char *idno_status_label(enum idno_status s);  /* "长度错误", ... */
const char *idno_damage_code(enum idno_damage d);   /* "", "excel_scientific", "excel_rounded" */

/* Repair candidates for an 18-character ID that fails its check character:
 * every single-digit substitution and every adjacent transposition of the
 * first 17 digits (or the check character itself) that yields a valid ID
 * with a possible birth date.  Calls cb for each distinct candidate with the
 * rule ("substitution" or "transposition"); returns the number found. */
typedef void (*idno_candidate_cb)(const char *candidate, const char *rule, void *ctx);
int idno_repair_candidates(const char *id18, int ref_ymd, idno_candidate_cb cb, void *ctx);

/* Mask for sheets sent to townships: keep the first 6 and last 4,
 * "430124********1234". out needs 19 bytes (or strlen+1 for other lengths). */
void idno_mask(const char *id, char *out, size_t outsz);

/* A wrong ID and its proposed repair masked alike, so that a clerk sees the
 * repair: both as idno_mask has them, and where the two differ — there and
 * nowhere else — the characters of each shown:
 *   430821199011011234 / 430821199001011234
 *   → 430821****1***1234 / 430821****0***1234.
 * Texts of different lengths (a damaged ID) are masked each on its own.
 * Each out needs as many bytes as its input plus one. */
void idno_mask_pair(const char *wrong, const char *proposed, char *wrong_out, size_t wrong_sz, char *proposed_out,
		    size_t proposed_sz);

/* Mask a phone for sheets sent to townships: the first 3 and last 4 digits
 * stay, 138****5678, whatever stands between them ("0739-5234567" →
 * "073*-***4567"); fewer than 8 digits keep their last 2. */
void idno_mask_phone(const char *phone, char *out, size_t outsz);

#endif
