/* Unit tests of lib/idno.c (GB 11643-1999 ID numbers) and lib/region.c
 * (the GB/T 2260 table).  One behaviour per test; the vectors were computed
 * independently of the code under test (ISO 7064 MOD 11-2 by hand script),
 * and the reference date is fixed unless a test is about "today".  Not
 * here: how a stage prints these results (tests/data/idcheck/). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "idno.h"
#include "region.h"

#define REF 20261101 /* the reference date of every test that needs one */

/* Valid IDs of 宁乡市 (430182), born 1990-01-01 unless named otherwise. */
#define ID_FEMALE "430182199001011248"   /* sequence 124: even */
#define ID_MALE "430182199001011053"     /* sequence 105: odd */
#define ID_MALE_X "43018219900101123X"   /* sequence 123, check X */
#define ID_OLD_REGION "430124199001011236" /* 宁乡县, abolished 2017 */

static struct idno parse(const char *raw)
{
	struct idno id;

	idno_parse(raw, REF, &id);
	return id;
}

static void assert_ok_as(const char *raw, const char *want_id)
{
	struct idno id = parse(raw);

	ck_assert_msg(id.status == IDNO_OK, "'%s' gave %s", raw, idno_status_code(id.status));
	ck_assert_str_eq(id.id, want_id);
}

static void assert_status(const char *raw, enum idno_status want)
{
	struct idno id = parse(raw);

	ck_assert_msg(id.status == want, "'%s' gave %s, expected %s", raw, idno_status_code(id.status),
		      idno_status_code(want));
	if (want != IDNO_OK)
		ck_assert_str_eq(id.id, "");
}

/* ---- normalisation ---- */

START_TEST(test_folds_full_width_digits_and_x)
{
	assert_ok_as("４３０１８２１９９００１０１１２３Ｘ", ID_MALE_X);
	assert_ok_as("４３０１８２１９９００１０１１２３ｘ", ID_MALE_X);
	assert_ok_as("430182１９９００１０１１２４８", ID_FEMALE);
}
END_TEST

START_TEST(test_uppercases_lowercase_x)
{
	struct idno id = parse("43018219900101123x");

	ck_assert_int_eq(id.status, IDNO_OK);
	ck_assert_str_eq(id.normalised, ID_MALE_X);
	ck_assert_str_eq(id.id, ID_MALE_X);
}
END_TEST

START_TEST(test_drops_leading_apostrophe)
{
	assert_ok_as("'430182199001011248", ID_FEMALE);
	assert_ok_as("\xE2\x80\x98" "430182199001011248", ID_FEMALE); /* ‘ */
	assert_ok_as("\xE2\x80\x99" "430182199001011248", ID_FEMALE); /* ’ */
	assert_ok_as("  '430182199001011248", ID_FEMALE);
}
END_TEST

START_TEST(test_drops_spaces_and_tabs_anywhere)
{
	assert_ok_as(" 430182 19900101 1248 ", ID_FEMALE);
	assert_ok_as("\t430182\t199001011248\t", ID_FEMALE);
	assert_ok_as("430182199001011248\r\n", ID_FEMALE);
}
END_TEST

START_TEST(test_drops_nbsp_and_ideographic_space)
{
	assert_ok_as("\xC2\xA0" "430182199001011248" "\xC2\xA0", ID_FEMALE);
	assert_ok_as("430182　19900101　1248", ID_FEMALE); /* U+3000 */
	assert_ok_as("\xEF\xBB\xBF" "430182199001011248", ID_FEMALE); /* a BOM from the first line */
}
END_TEST

START_TEST(test_drops_surrounding_quotes)
{
	assert_ok_as("\"430182199001011248\"", ID_FEMALE);
	assert_ok_as("“430182199001011248”", ID_FEMALE);
	assert_ok_as("\"'430182199001011248\"", ID_FEMALE);
}
END_TEST

START_TEST(test_keeps_a_quote_inside_the_number)
{
	assert_status("430182\"199001011248", IDNO_BAD_CHAR);
}
END_TEST

START_TEST(test_normalised_text_is_cut_on_character_boundaries)
{
	char out[8];
	size_t n = idno_normalise("张三丰", out, sizeof out);

	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(out, "张三");
}
END_TEST

START_TEST(test_reports_empty_after_normalising)
{
	assert_status("", IDNO_EMPTY);
	assert_status("  \t ", IDNO_EMPTY);
	assert_status("'", IDNO_EMPTY);
	assert_status("\"\"", IDNO_EMPTY);
	assert_status("　", IDNO_EMPTY);
}
END_TEST

/* ---- length and characters ---- */

START_TEST(test_rejects_wrong_length)
{
	assert_status("43018219900101124", IDNO_BAD_LENGTH);     /* 17 */
	assert_status("4301821990010112480", IDNO_BAD_LENGTH);   /* 19 */
	assert_status("4301821990010112", IDNO_BAD_LENGTH);      /* 16 */
	assert_status("4301821990010112X", IDNO_BAD_LENGTH);     /* 17, X last */
	assert_status("43", IDNO_BAD_LENGTH);
}
END_TEST

START_TEST(test_rejects_letters)
{
	assert_status("43018219900101A248", IDNO_BAD_CHAR);
	assert_status("43018219900101124O", IDNO_BAD_CHAR);
	assert_status("张三", IDNO_BAD_CHAR);
	assert_status("4301821990", IDNO_BAD_LENGTH);
}
END_TEST

START_TEST(test_rejects_x_anywhere_but_the_end)
{
	assert_status("4301821990X1011248", IDNO_BAD_CHAR);
	assert_status("X30182199001011248", IDNO_BAD_CHAR);
	assert_status("43018290010112X", IDNO_BAD_CHAR); /* 15 digits have no check character */
}
END_TEST

/* ---- check character ---- */

START_TEST(test_computes_check_character)
{
	ck_assert_int_eq(idno_check_char("43018219900101124"), '8');
	ck_assert_int_eq(idno_check_char("43018219900101123"), 'X');
	ck_assert_int_eq(idno_check_char("11010519491001123"), '7');
	ck_assert_int_eq(idno_check_char("4301821990010112A"), 0);
}
END_TEST

START_TEST(test_accepts_valid_ids)
{
	assert_ok_as(ID_FEMALE, ID_FEMALE);
	assert_ok_as(ID_MALE, ID_MALE);
	assert_ok_as("110105194910011237", "110105194910011237");
}
END_TEST

START_TEST(test_accepts_id_ending_in_x)
{
	assert_ok_as(ID_MALE_X, ID_MALE_X);
}
END_TEST

START_TEST(test_rejects_wrong_check_character)
{
	assert_status("430182199001011249", IDNO_BAD_CHECK);
	assert_status("430182199001011245", IDNO_BAD_CHECK);
	assert_status("430182199001011240", IDNO_BAD_CHECK);
	assert_status("430182199001011230", IDNO_BAD_CHECK); /* X expected */
	assert_status("43018219900101124X", IDNO_BAD_CHECK);
}
END_TEST

START_TEST(test_fills_details_even_when_check_fails)
{
	struct idno id = parse("430182199001011249");

	ck_assert_int_eq(id.status, IDNO_BAD_CHECK);
	ck_assert_int_eq(id.gender, 'F');
	ck_assert_int_eq(id.birth_year, 1990);
	ck_assert_int_eq(id.birth_month, 1);
	ck_assert_int_eq(id.birth_day, 1);
	ck_assert_int_eq(id.province_code, 43);
	ck_assert_str_eq(id.normalised, "430182199001011249");
}
END_TEST

/* ---- birth date ---- */

START_TEST(test_accepts_leap_day_2000)
{
	struct idno id = parse("430182200002291232");

	ck_assert_int_eq(id.status, IDNO_OK);
	ck_assert_int_eq(id.birth_year, 2000);
	ck_assert_int_eq(id.birth_month, 2);
	ck_assert_int_eq(id.birth_day, 29);
}
END_TEST

START_TEST(test_rejects_leap_day_of_1900)
{
	struct idno id = parse("430182190002291236");

	ck_assert_int_eq(id.status, IDNO_BAD_BIRTH);
	ck_assert_int_eq(id.birth_year, 0); /* no such day: unknown */
}
END_TEST

START_TEST(test_rejects_leap_day_of_2019)
{
	assert_status("430182201902291232", IDNO_BAD_BIRTH);
}
END_TEST

START_TEST(test_rejects_month_13)
{
	assert_status("430182199013011237", IDNO_BAD_BIRTH);
}
END_TEST

START_TEST(test_rejects_birth_after_reference_date)
{
	struct idno id = parse("430182202611021237");

	ck_assert_int_eq(id.status, IDNO_BAD_BIRTH);
	ck_assert_int_eq(id.birth_year, 2026); /* a real day, just not yet */
	ck_assert_int_eq(id.birth_day, 2);
}
END_TEST

START_TEST(test_accepts_birth_on_reference_date)
{
	assert_ok_as("430182202611011231", "430182202611011231");
}
END_TEST

START_TEST(test_rejects_birth_before_1900)
{
	assert_status("430182189912311234", IDNO_BAD_BIRTH);
}
END_TEST

START_TEST(test_reference_date_zero_means_today)
{
	struct idno id;

	ck_assert_int_eq(idno_parse("430182299901011233", 0, &id), IDNO_BAD_BIRTH); /* born 2999 */
	ck_assert_int_eq(idno_parse(ID_FEMALE, 0, &id), IDNO_OK);
}
END_TEST

/* ---- province and region ---- */

START_TEST(test_rejects_unknown_province)
{
	struct idno id = parse("990182199001011239");

	ck_assert_int_eq(id.status, IDNO_BAD_PROVINCE);
	ck_assert_int_eq(id.province_code, 0);
	ck_assert_int_eq(id.birth_year, 1990);
	ck_assert_int_eq(id.gender, 'M');
}
END_TEST

START_TEST(test_accepts_taiwan_hong_kong_macau_codes)
{
	struct idno id = parse("810000198001011236");

	ck_assert_int_eq(id.status, IDNO_OK);
	ck_assert_int_eq(id.province_code, 81);
	ck_assert_int_eq(id.region_known, 0);
	assert_ok_as("710000198001011232", "710000198001011232");
}
END_TEST

START_TEST(test_checks_characters_then_province_then_birth_then_check)
{
	/* 99 province, month 13, and a wrong check character at once */
	assert_status("990182199013011230", IDNO_BAD_PROVINCE);
	/* month 13 and a wrong check character */
	assert_status("430182199013011230", IDNO_BAD_BIRTH);
	/* a letter in an otherwise hopeless number */
	assert_status("99018219901301A230", IDNO_BAD_CHAR);
}
END_TEST

START_TEST(test_region_missing_from_gbt2260_is_only_a_warning)
{
	struct idno id = parse(ID_OLD_REGION);

	ck_assert_int_eq(id.status, IDNO_OK);
	ck_assert_int_eq(id.region_known, 0);
	ck_assert_int_eq(id.province_code, 43);
}
END_TEST

START_TEST(test_region_in_gbt2260_is_known)
{
	ck_assert_int_eq(parse(ID_FEMALE).region_known, 1);
}
END_TEST

/* ---- 15-digit numbers ---- */

START_TEST(test_upgrades_15_digit_number)
{
	struct idno id = parse("430182900101123");

	ck_assert_int_eq(id.status, IDNO_OK);
	ck_assert_int_eq(id.upgraded, 1);
	ck_assert_str_eq(id.id, ID_MALE_X);
	ck_assert_str_eq(id.normalised, "430182900101123");
	ck_assert_int_eq(id.gender, 'M');
	ck_assert_int_eq(id.birth_year, 1990);
}
END_TEST

START_TEST(test_takes_gender_of_15_digit_from_last_digit)
{
	struct idno id = parse("430182900101124");

	ck_assert_int_eq(id.status, IDNO_OK);
	ck_assert_str_eq(id.id, ID_FEMALE);
	ck_assert_int_eq(id.gender, 'F');
}
END_TEST

START_TEST(test_upgrade15_inserts_century_and_check)
{
	char out[19];

	ck_assert_int_eq(idno_upgrade15("430182900101124", out), 0);
	ck_assert_str_eq(out, ID_FEMALE);
	ck_assert_int_eq(idno_upgrade15("43018290010112", out), -1);
	ck_assert_int_eq(idno_upgrade15("43018290010112X", out), -1);
}
END_TEST

START_TEST(test_upgraded_number_is_still_validated)
{
	struct idno id = parse("990182900101123");

	ck_assert_int_eq(id.status, IDNO_BAD_PROVINCE);
	ck_assert_int_eq(id.upgraded, 1);
	assert_status("430182901301123", IDNO_BAD_BIRTH);
	assert_status("430182900229123", IDNO_BAD_BIRTH); /* 1990 was no leap year */
}
END_TEST

START_TEST(test_18_digit_number_is_not_upgraded)
{
	ck_assert_int_eq(parse(ID_FEMALE).upgraded, 0);
}
END_TEST

/* ---- Excel damage ---- */

START_TEST(test_recognises_scientific_notation)
{
	struct idno id = parse("4.30124E+17");

	ck_assert_int_eq(id.status, IDNO_EXCEL_DAMAGE);
	ck_assert_int_eq(id.damage, IDNO_DAMAGE_SCIENTIFIC);
	ck_assert_str_eq(id.surviving_prefix, "430124");
	ck_assert_int_eq(id.province_code, 43);
	ck_assert_str_eq(id.id, "");
}
END_TEST

START_TEST(test_recognises_scientific_notation_variants)
{
	static const struct {
		const char *raw, *prefix;
	} cases[] = {
		{"4.30182199001011E+17", "430182199001011"},
		{"4.30124e17", "430124"},
		{"4.30124e+17", "430124"},
		{"4.30124E+016", "430124"},
		{"4.30124E16", "430124"},
		{"4E+17", "4"},
		{" '4.30124E+17 ", "430124"},
		{"４.３０１２４E+17", "430124"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct idno id = parse(cases[i].raw);

		ck_assert_msg(id.status == IDNO_EXCEL_DAMAGE, "'%s' gave %s", cases[i].raw,
			      idno_status_code(id.status));
		ck_assert_int_eq(id.damage, IDNO_DAMAGE_SCIENTIFIC);
		ck_assert_str_eq(id.surviving_prefix, cases[i].prefix);
	}
}
END_TEST

START_TEST(test_other_exponents_are_not_excel_damage)
{
	struct idno id = parse("4.30124E+10");

	ck_assert_int_eq(id.status, IDNO_BAD_CHAR);
	ck_assert_int_eq(id.damage, IDNO_DAMAGE_NONE);
	ck_assert_str_eq(id.surviving_prefix, "");
	assert_status("4.30124E-17", IDNO_BAD_CHAR);
	assert_status("0.43012E+18", IDNO_BAD_CHAR);
	assert_status("4.30124E+", IDNO_BAD_CHAR);
}
END_TEST

START_TEST(test_broken_scientific_leaves_no_prefix)
{
	struct idno id = parse("4.3012X");

	ck_assert_int_eq(id.status, IDNO_BAD_CHAR);
	ck_assert_str_eq(id.surviving_prefix, "");
}
END_TEST

START_TEST(test_recognises_rounded_tail)
{
	struct idno id = parse("430182199001011000");

	ck_assert_int_eq(id.status, IDNO_EXCEL_DAMAGE);
	ck_assert_int_eq(id.damage, IDNO_DAMAGE_ROUNDED);
	ck_assert_str_eq(id.surviving_prefix, "430182199001011");
	ck_assert_int_eq(id.birth_year, 1990);
	ck_assert_int_eq(id.province_code, 43);
	ck_assert_int_eq(id.gender, 0); /* the sequence digit was lost */
	ck_assert_str_eq(id.id, "");
}
END_TEST

START_TEST(test_recognises_longer_rounded_tail)
{
	struct idno id = parse("430182199001010000");

	ck_assert_int_eq(id.status, IDNO_EXCEL_DAMAGE);
	ck_assert_int_eq(id.damage, IDNO_DAMAGE_ROUNDED);
}
END_TEST

START_TEST(test_tail_of_zeros_with_valid_check_is_ok)
{
	struct idno id = parse("430182199001014000");

	ck_assert_int_eq(id.status, IDNO_OK);
	ck_assert_int_eq(id.damage, IDNO_DAMAGE_NONE);
	ck_assert_str_eq(id.surviving_prefix, "");
}
END_TEST

START_TEST(test_two_zeros_are_a_bad_check_not_damage)
{
	struct idno id = parse("430182199001011200");

	ck_assert_int_eq(id.status, IDNO_BAD_CHECK);
	ck_assert_int_eq(id.damage, IDNO_DAMAGE_NONE);
}
END_TEST

START_TEST(test_damage_codes_are_stable)
{
	ck_assert_str_eq(idno_damage_code(IDNO_DAMAGE_NONE), "");
	ck_assert_str_eq(idno_damage_code(IDNO_DAMAGE_SCIENTIFIC), "excel_scientific");
	ck_assert_str_eq(idno_damage_code(IDNO_DAMAGE_ROUNDED), "excel_rounded");
}
END_TEST

/* ---- gender ---- */

START_TEST(test_takes_gender_from_sequence_digit)
{
	ck_assert_int_eq(parse(ID_FEMALE).gender, 'F');
	ck_assert_int_eq(parse(ID_MALE).gender, 'M');
	ck_assert_int_eq(parse(ID_MALE_X).gender, 'M');
	ck_assert_int_eq(parse("").gender, 0);
}
END_TEST

/* ---- repair candidates ---- */

struct found {
	int n;
	char ids[64][19];
	char rules[64][16];
};

static void collect(const char *candidate, const char *rule, void *ctx)
{
	struct found *f = ctx;

	ck_assert_int_lt(f->n, 64);
	strcpy(f->ids[f->n], candidate);
	strcpy(f->rules[f->n], rule);
	f->n++;
}

static const char *rule_of(const struct found *f, const char *id)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->ids[i], id) == 0)
			return f->rules[i];
	return NULL;
}

START_TEST(test_repair_finds_original_after_one_digit_typo)
{
	struct found f = {0};
	int n = idno_repair_candidates("430182198001011248", REF, collect, &f); /* 1990 → 1980 */

	ck_assert_int_eq(n, f.n);
	ck_assert_ptr_nonnull(rule_of(&f, ID_FEMALE));
	ck_assert_str_eq(rule_of(&f, ID_FEMALE), "substitution");
}
END_TEST

START_TEST(test_repair_finds_original_after_adjacent_swap)
{
	struct found f = {0};

	idno_repair_candidates("430182199001012148", REF, collect, &f); /* ...12 → ...21 */
	ck_assert_ptr_nonnull(rule_of(&f, ID_FEMALE));
	ck_assert_str_eq(rule_of(&f, ID_FEMALE), "transposition");
}
END_TEST

START_TEST(test_repair_finds_x_check_character)
{
	struct found f = {0};

	idno_repair_candidates("430182199001011237", REF, collect, &f);
	ck_assert_ptr_nonnull(rule_of(&f, ID_MALE_X));
	ck_assert_str_eq(rule_of(&f, ID_MALE_X), "substitution");
}
END_TEST

START_TEST(test_repair_candidates_are_valid_and_distinct)
{
	struct found f = {0};
	int n = idno_repair_candidates("430182199001011249", REF, collect, &f);

	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(n, f.n);
	for (int i = 0; i < n; i++) {
		struct idno id;

		ck_assert_int_eq(idno_parse(f.ids[i], REF, &id), IDNO_OK);
		ck_assert_ptr_null(memchr(f.ids[i], 'X', 17));
		for (int k = 0; k < i; k++)
			ck_assert_str_ne(f.ids[i], f.ids[k]);
	}
}
END_TEST

START_TEST(test_repair_respects_reference_date)
{
	/* Born 2026-11-02 by the digits, with the check character of that
	 * date mistyped: fixing the check character gives a valid ID only
	 * once the reference date has reached the birth date. */
	const char *typo = "430182202611021231", *fixed = "430182202611021237";
	struct found before = {0}, after = {0};

	idno_repair_candidates(typo, 20261101, collect, &before);
	ck_assert_ptr_null(rule_of(&before, fixed));
	for (int i = 0; i < before.n; i++) {
		struct idno id;

		ck_assert_int_eq(idno_parse(before.ids[i], 20261101, &id), IDNO_OK);
	}
	idno_repair_candidates(typo, 20261102, collect, &after);
	ck_assert_ptr_nonnull(rule_of(&after, fixed));
}
END_TEST

START_TEST(test_repair_of_valid_id_finds_nothing)
{
	struct found f = {0};

	ck_assert_int_eq(idno_repair_candidates(ID_FEMALE, REF, collect, &f), 0);
	ck_assert_int_eq(idno_repair_candidates(ID_MALE_X, REF, collect, &f), 0);
}
END_TEST

START_TEST(test_repair_needs_18_characters)
{
	struct found f = {0};

	ck_assert_int_eq(idno_repair_candidates("430182900101123", REF, collect, &f), 0);
	ck_assert_int_eq(idno_repair_candidates("4301821990010112481", REF, collect, &f), 0);
	ck_assert_int_eq(idno_repair_candidates("43018219900101A248", REF, collect, &f), 0);
	ck_assert_int_eq(f.n, 0);
}
END_TEST

/* ---- masking ---- */

static void assert_mask(const char *in, size_t outsz, const char *want)
{
	char out[64];

	ck_assert_uint_le(outsz, sizeof out);
	memset(out, '#', sizeof out);
	idno_mask(in, out, outsz);
	ck_assert_str_eq(out, want);
}

START_TEST(test_masks_middle_of_id)
{
	assert_mask(ID_FEMALE, 19, "430182********1248");
	assert_mask(ID_MALE_X, 19, "430182********123X");
	assert_mask("430182900101123", 16, "430182*****1123");
}
END_TEST

START_TEST(test_masks_short_strings_but_the_last_two)
{
	assert_mask("4301821990", 64, "********90");
	assert_mask("12345", 64, "***45");
	assert_mask("1234", 64, "****");
	assert_mask("", 64, "");
}
END_TEST

START_TEST(test_mask_never_overruns_a_small_buffer)
{
	assert_mask(ID_FEMALE, 10, "430182***");
	assert_mask(ID_FEMALE, 4, "430");
	assert_mask(ID_FEMALE, 1, "");
}
END_TEST

START_TEST(test_mask_counts_characters_not_bytes)
{
	assert_mask("张三李四王五", 64, "****王五");
}
END_TEST

/* A wrong ID and its repair masked alike: the clerk sees the change, and
 * nothing else of the middle. */
static void assert_mask_pair(const char *wrong, const char *proposed, const char *want_wrong,
			     const char *want_proposed)
{
	char a[64], b[64];

	memset(a, '#', sizeof a);
	memset(b, '#', sizeof b);
	idno_mask_pair(wrong, proposed, a, sizeof a, b, sizeof b);
	ck_assert_str_eq(a, want_wrong);
	ck_assert_str_eq(b, want_proposed);
}

START_TEST(test_mask_pair_shows_the_digit_a_repair_changes)
{
	/* one digit typed wrong (the 11th), the check character right */
	assert_mask_pair("430821199011011234", "430821199001011234", "430821****1***1234", "430821****0***1234");
}
END_TEST

START_TEST(test_mask_pair_shows_both_digits_of_a_transposition)
{
	assert_mask_pair("430821199001101234", "430821199001011234", "430821******101234", "430821******011234");
}
END_TEST

START_TEST(test_mask_pair_of_equal_ids_is_the_plain_mask)
{
	assert_mask_pair(ID_FEMALE, ID_FEMALE, "430182********1248", "430182********1248");
}
END_TEST

START_TEST(test_mask_pair_of_a_changed_tail_shows_no_more_than_the_mask)
{
	/* Excel's zeros are in the last four, which the mask shows anyway */
	assert_mask_pair("430182199001011000", ID_FEMALE, "430182********1000", "430182********1248");
}
END_TEST

START_TEST(test_mask_pair_masks_texts_of_different_length_each_alone)
{
	assert_mask_pair("4.30182E+17", ID_FEMALE, "4.3018*E+17", "430182********1248");
	assert_mask_pair("43018219900101124", ID_FEMALE, "430182*******1124", "430182********1248");
}
END_TEST

START_TEST(test_mask_pair_never_overruns_a_small_buffer)
{
	char a[10], b[4];

	idno_mask_pair("430821199011011234", "430821199001011234", a, sizeof a, b, sizeof b);
	ck_assert_str_eq(a, "430821***");
	ck_assert_str_eq(b, "430");
}
END_TEST

/* ---- codes and labels ---- */

START_TEST(test_status_codes_are_stable)
{
	ck_assert_str_eq(idno_status_code(IDNO_OK), "ok");
	ck_assert_str_eq(idno_status_code(IDNO_EMPTY), "empty");
	ck_assert_str_eq(idno_status_code(IDNO_BAD_LENGTH), "bad_length");
	ck_assert_str_eq(idno_status_code(IDNO_BAD_CHAR), "bad_char");
	ck_assert_str_eq(idno_status_code(IDNO_BAD_CHECK), "bad_check");
	ck_assert_str_eq(idno_status_code(IDNO_BAD_BIRTH), "bad_birth");
	ck_assert_str_eq(idno_status_code(IDNO_BAD_PROVINCE), "bad_province");
	ck_assert_str_eq(idno_status_code(IDNO_EXCEL_DAMAGE), "excel_damage");
}
END_TEST

START_TEST(test_status_labels_are_chinese)
{
	ck_assert_str_eq(idno_status_label(IDNO_EMPTY), "空");
	ck_assert_str_eq(idno_status_label(IDNO_BAD_LENGTH), "长度错误");
	ck_assert_str_eq(idno_status_label(IDNO_BAD_CHAR), "含非法字符");
	ck_assert_str_eq(idno_status_label(IDNO_BAD_CHECK), "校验码错误");
	ck_assert_str_eq(idno_status_label(IDNO_BAD_BIRTH), "出生日期无效");
	ck_assert_str_eq(idno_status_label(IDNO_BAD_PROVINCE), "省份代码无效");
	ck_assert_str_eq(idno_status_label(IDNO_EXCEL_DAMAGE), "Excel损坏");
}
END_TEST

/* ---- region table ---- */

START_TEST(test_region_by_code_finds_ningxiang)
{
	const struct region *r = region_by_code(430182);

	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->county, "宁乡市");
	ck_assert_int_eq(r->city_code, 4301);
	ck_assert_str_eq(r->city, "长沙市");
	ck_assert_int_eq(r->province_code, 43);
	ck_assert_str_eq(r->province, "湖南省");
}
END_TEST

START_TEST(test_region_by_code_returns_null_for_unknown_codes)
{
	ck_assert_ptr_null(region_by_code(999999));
	ck_assert_ptr_null(region_by_code(430124)); /* 宁乡县 became 宁乡市 430182 */
	ck_assert_ptr_null(region_by_code(0));
	ck_assert_ptr_null(region_by_code(-1));
}
END_TEST

START_TEST(test_region_finds_first_and_last_rows)
{
	int n = region_count();

	ck_assert_ptr_eq(region_by_code(region_at(0)->county_code), region_at(0));
	ck_assert_ptr_eq(region_by_code(region_at(n - 1)->county_code), region_at(n - 1));
	ck_assert_ptr_null(region_at(-1));
	ck_assert_ptr_null(region_at(n));
}
END_TEST

START_TEST(test_region_table_is_sorted_and_whole)
{
	ck_assert_int_eq(region_count(), 2978); /* data rows of data/gbt2260_counties.csv */
	for (int i = 1; i < region_count(); i++)
		ck_assert_int_lt(region_at(i - 1)->county_code, region_at(i)->county_code);
}
END_TEST

START_TEST(test_region_province_name)
{
	ck_assert_str_eq(region_province_name(43), "湖南省");
	ck_assert_str_eq(region_province_name(11), "北京市");
	ck_assert_str_eq(region_province_name(65), "新疆维吾尔自治区");
	ck_assert_str_eq(region_province_name(81), "香港特别行政区");
	ck_assert_ptr_null(region_province_name(99));
	ck_assert_ptr_null(region_province_name(0));
}
END_TEST

/* ---- runner ---- */

static Suite *idno_suite(void)
{
	Suite *s = suite_create("idno");
	TCase *tc;

	tc = tcase_create("normalise");
	tcase_add_test(tc, test_folds_full_width_digits_and_x);
	tcase_add_test(tc, test_uppercases_lowercase_x);
	tcase_add_test(tc, test_drops_leading_apostrophe);
	tcase_add_test(tc, test_drops_spaces_and_tabs_anywhere);
	tcase_add_test(tc, test_drops_nbsp_and_ideographic_space);
	tcase_add_test(tc, test_drops_surrounding_quotes);
	tcase_add_test(tc, test_keeps_a_quote_inside_the_number);
	tcase_add_test(tc, test_normalised_text_is_cut_on_character_boundaries);
	tcase_add_test(tc, test_reports_empty_after_normalising);
	suite_add_tcase(s, tc);

	tc = tcase_create("shape");
	tcase_add_test(tc, test_rejects_wrong_length);
	tcase_add_test(tc, test_rejects_letters);
	tcase_add_test(tc, test_rejects_x_anywhere_but_the_end);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_character");
	tcase_add_test(tc, test_computes_check_character);
	tcase_add_test(tc, test_accepts_valid_ids);
	tcase_add_test(tc, test_accepts_id_ending_in_x);
	tcase_add_test(tc, test_rejects_wrong_check_character);
	tcase_add_test(tc, test_fills_details_even_when_check_fails);
	suite_add_tcase(s, tc);

	tc = tcase_create("birth_date");
	tcase_add_test(tc, test_accepts_leap_day_2000);
	tcase_add_test(tc, test_rejects_leap_day_of_1900);
	tcase_add_test(tc, test_rejects_leap_day_of_2019);
	tcase_add_test(tc, test_rejects_month_13);
	tcase_add_test(tc, test_rejects_birth_after_reference_date);
	tcase_add_test(tc, test_accepts_birth_on_reference_date);
	tcase_add_test(tc, test_rejects_birth_before_1900);
	tcase_add_test(tc, test_reference_date_zero_means_today);
	suite_add_tcase(s, tc);

	tc = tcase_create("province_region");
	tcase_add_test(tc, test_rejects_unknown_province);
	tcase_add_test(tc, test_accepts_taiwan_hong_kong_macau_codes);
	tcase_add_test(tc, test_checks_characters_then_province_then_birth_then_check);
	tcase_add_test(tc, test_region_missing_from_gbt2260_is_only_a_warning);
	tcase_add_test(tc, test_region_in_gbt2260_is_known);
	suite_add_tcase(s, tc);

	tc = tcase_create("upgrade15");
	tcase_add_test(tc, test_upgrades_15_digit_number);
	tcase_add_test(tc, test_takes_gender_of_15_digit_from_last_digit);
	tcase_add_test(tc, test_upgrade15_inserts_century_and_check);
	tcase_add_test(tc, test_upgraded_number_is_still_validated);
	tcase_add_test(tc, test_18_digit_number_is_not_upgraded);
	suite_add_tcase(s, tc);

	tc = tcase_create("excel_damage");
	tcase_add_test(tc, test_recognises_scientific_notation);
	tcase_add_test(tc, test_recognises_scientific_notation_variants);
	tcase_add_test(tc, test_other_exponents_are_not_excel_damage);
	tcase_add_test(tc, test_broken_scientific_leaves_no_prefix);
	tcase_add_test(tc, test_recognises_rounded_tail);
	tcase_add_test(tc, test_recognises_longer_rounded_tail);
	tcase_add_test(tc, test_tail_of_zeros_with_valid_check_is_ok);
	tcase_add_test(tc, test_two_zeros_are_a_bad_check_not_damage);
	tcase_add_test(tc, test_damage_codes_are_stable);
	suite_add_tcase(s, tc);

	tc = tcase_create("gender");
	tcase_add_test(tc, test_takes_gender_from_sequence_digit);
	suite_add_tcase(s, tc);

	tc = tcase_create("repair");
	tcase_add_test(tc, test_repair_finds_original_after_one_digit_typo);
	tcase_add_test(tc, test_repair_finds_original_after_adjacent_swap);
	tcase_add_test(tc, test_repair_finds_x_check_character);
	tcase_add_test(tc, test_repair_candidates_are_valid_and_distinct);
	tcase_add_test(tc, test_repair_respects_reference_date);
	tcase_add_test(tc, test_repair_of_valid_id_finds_nothing);
	tcase_add_test(tc, test_repair_needs_18_characters);
	suite_add_tcase(s, tc);

	tc = tcase_create("mask");
	tcase_add_test(tc, test_masks_middle_of_id);
	tcase_add_test(tc, test_masks_short_strings_but_the_last_two);
	tcase_add_test(tc, test_mask_never_overruns_a_small_buffer);
	tcase_add_test(tc, test_mask_counts_characters_not_bytes);
	tcase_add_test(tc, test_mask_pair_shows_the_digit_a_repair_changes);
	tcase_add_test(tc, test_mask_pair_shows_both_digits_of_a_transposition);
	tcase_add_test(tc, test_mask_pair_of_equal_ids_is_the_plain_mask);
	tcase_add_test(tc, test_mask_pair_of_a_changed_tail_shows_no_more_than_the_mask);
	tcase_add_test(tc, test_mask_pair_masks_texts_of_different_length_each_alone);
	tcase_add_test(tc, test_mask_pair_never_overruns_a_small_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("codes");
	tcase_add_test(tc, test_status_codes_are_stable);
	tcase_add_test(tc, test_status_labels_are_chinese);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *region_suite(void)
{
	Suite *s = suite_create("region");
	TCase *tc = tcase_create("lookup");

	tcase_add_test(tc, test_region_by_code_finds_ningxiang);
	tcase_add_test(tc, test_region_by_code_returns_null_for_unknown_codes);
	tcase_add_test(tc, test_region_finds_first_and_last_rows);
	tcase_add_test(tc, test_region_table_is_sorted_and_whole);
	tcase_add_test(tc, test_region_province_name);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(idno_suite());
	int failed;

	srunner_add_suite(sr, region_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
