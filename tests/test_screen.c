/* Unit tests for report/screen.c: the rules template (the real one and broken
 * ones), months in post at a period's end, policy periods, and each
 * subsidy's rule against persons at its boundaries.  Run from the top of the
 * tree (make check does), where templates/subsidy_rules.csv is. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screen.h"

#define RULES "templates/subsidy_rules.csv"

static struct screen_rules *rules;

static void load_rules(void)
{
	struct bangfu_err err;

	if (screen_rules_load(RULES, &rules, &err) != 0) {
		fprintf(stderr, "%s:%ld:%ld: %s\n", err.file, err.line, err.column, err.message);
		abort();
	}
}

static void free_rules(void)
{
	screen_rules_free(rules);
	rules = NULL;
}

static const struct screen_rule *rule(const char *id)
{
	for (int i = 0; i < rules->n; i++)
		if (!strcmp(rules->v[i].id, id))
			return &rules->v[i];
	ck_abort_msg("no rule %s in %s", id, RULES);
	return NULL;
}

/* A person both sources agree on, employed outside the province since
 * 2024-01-15, 35, of labour age. */
static struct screen_person agreed(void)
{
	struct screen_person p = {0};

	p.category = "consistent";
	p.employed = "是";
	p.work_region = "省外";
	p.work_place = "广东省深圳市南山区";
	p.employment_type = "外出务工";
	p.work_start = "2024-01-15";
	p.work_start_from = "省平台";
	p.employer = "深圳市某某电子有限公司";
	p.birth_date = "1990-03-01";
	p.labour_age = 1;
	return p;
}

static enum screen_status eval(const char *id, const char *period, const struct screen_person *p,
			       struct screen_outcome *o)
{
	return screen_evaluate(rule(id), period, p, o);
}

/* ---- months in post ---- */

static void expect_months(const char *start, const char *period, int want_min, int want_max)
{
	int lo, hi, rc = screen_months_in_post(start, period, &lo, &hi);

	ck_assert_msg(rc == 0, "%s at %s: not a date", start, period);
	ck_assert_msg(lo == want_min && hi == want_max, "%s at %s: %d..%d months, expected %d..%d", start, period, lo,
		      hi, want_min, want_max);
}

START_TEST(test_started_on_the_first_day_six_months_before_has_exactly_six)
{
	expect_months("2025-05-01", "2025-10", 6, 6);
	expect_months("2025-05-02", "2025-10", 5, 5);
	expect_months("2025-04-30", "2025-10", 6, 6);
}
END_TEST

START_TEST(test_twelve_months_boundary)
{
	expect_months("2024-11-01", "2025-10", 12, 12);
	expect_months("2024-11-02", "2025-10", 11, 11);
}
END_TEST

START_TEST(test_month_end_start_is_clamped)
{
	/* 2025-03-31 + 6 months = 2025-09-30, the period's last day: worked in full */
	expect_months("2025-03-31", "2025-09", 6, 6);
	/* a leap day */
	expect_months("2024-02-29", "2025-02", 12, 12);
}
END_TEST

START_TEST(test_month_only_start_gives_a_range)
{
	expect_months("2025-05", "2025-10", 5, 6);
	expect_months("2025-10", "2025-10", 0, 1);
}
END_TEST

START_TEST(test_start_after_the_period_or_no_date_is_unknown)
{
	int lo, hi;

	ck_assert_int_eq(screen_months_in_post("2025-11-01", "2025-10", &lo, &hi), -1);
	ck_assert_int_eq(screen_months_in_post("去年", "2025-10", &lo, &hi), -1);
	ck_assert_int_eq(screen_months_in_post(NULL, "2025-10", &lo, &hi), -1);
}
END_TEST

/* ---- policy periods ---- */

START_TEST(test_a_period_in_2020_uses_the_2017_rules)
{
	ck_assert(screen_rule_in_force(rule("service_2017"), "2020-12"));
	ck_assert(!screen_rule_in_force(rule("service_2021"), "2020-12"));
	ck_assert(screen_rule_in_force(rule("post_2017"), "2017-07"));
	ck_assert(!screen_rule_in_force(rule("post_2017"), "2017-06"));
}
END_TEST

START_TEST(test_the_2021_rules_start_on_2021_07_26_and_end_with_2025)
{
	ck_assert(!screen_rule_in_force(rule("service_2017"), "2021-01"));
	ck_assert(!screen_rule_in_force(rule("service_2021"), "2021-06"));
	ck_assert(screen_rule_in_force(rule("service_2021"), "2021-07"));
	ck_assert(screen_rule_in_force(rule("service_2021"), "2025-12"));
	ck_assert(!screen_rule_in_force(rule("service_2021"), "2026-01"));
}
END_TEST

START_TEST(test_workfare_training_ends_with_2021)
{
	ck_assert(screen_rule_in_force(rule("workfare_2021"), "2021-12"));
	ck_assert(!screen_rule_in_force(rule("workfare_2021"), "2022-01"));
}
END_TEST

START_TEST(test_a_rule_out_of_force_lists_nobody)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	ck_assert_int_eq(eval("transport_2021", "2020-10", &p, &o), SCREEN_NO);
	ck_assert_int_eq(eval("transport_2017", "2020-10", &p, &o), SCREEN_ELIGIBLE);
}
END_TEST

/* ---- each subsidy ---- */

START_TEST(test_transport_needs_work_outside_the_county)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	ck_assert_int_eq(eval("transport_2021", "2025-10", &p, &o), SCREEN_ELIGIBLE);
	ck_assert(!o.has_amount); /* the document leaves the amount to the counties */
	ck_assert_ptr_nonnull(strstr(o.evidence, "省外"));
	p.work_region = "省内县外";
	ck_assert_int_eq(eval("transport_2021", "2025-10", &p, &o), SCREEN_ELIGIBLE);
	p.work_region = "县内";
	ck_assert_int_eq(eval("transport_2021", "2025-10", &p, &o), SCREEN_NO);
}
END_TEST

START_TEST(test_service_subsidy_at_exactly_six_months_is_listed_and_five_is_not)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.work_start = "2025-05-01";
	ck_assert_int_eq(eval("service_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	ck_assert_int_eq(o.months, 6);
	ck_assert_ptr_nonnull(strstr(o.evidence, "满6个月"));
	p.work_start = "2025-05-02";
	ck_assert_int_eq(eval("service_2021", "2025-10", &p, &o), SCREEN_NO);
}
END_TEST

START_TEST(test_service_subsidy_is_200_under_2017_rules_and_300_under_2021)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.work_start = "2020-01-10";
	eval("service_2017", "2020-10", &p, &o);
	ck_assert(o.has_amount);
	ck_assert(o.amount == 200);
	p.work_start = "2024-01-10";
	eval("service_2021", "2025-10", &p, &o);
	ck_assert(o.has_amount);
	ck_assert(o.amount == 300);
}
END_TEST

START_TEST(test_service_subsidy_needs_the_placing_agency_verified)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	ck_assert_int_eq(eval("service_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	ck_assert_ptr_nonnull(strstr(o.reason, "人力资源服务机构"));
}
END_TEST

START_TEST(test_service_subsidy_once_a_year)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.earlier_period = "2025-08";
	ck_assert_int_eq(eval("service_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	ck_assert_ptr_nonnull(strstr(o.reason, "2025-08"));
	ck_assert_ptr_nonnull(strstr(o.reason, "每人每年只享受一次"));
}
END_TEST

START_TEST(test_post_subsidy_at_twelve_months_is_listed_and_eleven_is_not)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.work_start = "2019-11-01";
	ck_assert_int_eq(eval("post_2017", "2020-10", &p, &o), SCREEN_VERIFY);
	ck_assert_int_eq(o.months, 12);
	ck_assert(o.amount == 1000);
	p.work_start = "2019-11-02";
	ck_assert_int_eq(eval("post_2017", "2020-10", &p, &o), SCREEN_NO);
}
END_TEST

START_TEST(test_post_subsidy_names_contract_and_social_insurance_as_missing)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	ck_assert_int_eq(eval("post_2017", "2020-10", &p, &o), SCREEN_VERIFY);
	ck_assert_ptr_nonnull(strstr(o.reason, "劳动合同"));
	ck_assert_ptr_nonnull(strstr(o.reason, "社会保险"));
}
END_TEST

START_TEST(test_post_subsidy_of_1500_only_for_local_work)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.work_start = "2018-01-01";
	ck_assert_int_eq(eval("post_poor_2017", "2020-10", &p, &o), SCREEN_NO);
	p.work_region = "县内";
	p.employment_type = "就业帮扶车间";
	ck_assert_int_eq(eval("post_poor_2017", "2020-10", &p, &o), SCREEN_VERIFY);
	ck_assert(o.amount == 1500);
	ck_assert_ptr_nonnull(strstr(o.reason, "贫困地区"));
}
END_TEST

START_TEST(test_social_insurance_subsidy_has_no_fixed_amount_and_needs_a_contract)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	ck_assert_int_eq(eval("social_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	ck_assert(!o.has_amount);
	ck_assert_ptr_nonnull(strstr(o.reason, "1年以上劳动合同"));
	p.employment_type = "公益性岗位";
	ck_assert_int_eq(eval("social_2021", "2025-10", &p, &o), SCREEN_NO);
}
END_TEST

START_TEST(test_public_post_subsidy_for_public_welfare_posts)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.employment_type = "公益性岗位";
	p.work_region = "县内";
	ck_assert_int_eq(eval("public_post_2021", "2025-10", &p, &o), SCREEN_ELIGIBLE);
	ck_assert(!o.has_amount); /* 50%–100% of the local minimum wage, set by 市州 */
	p.employment_type = "外出务工";
	ck_assert_int_eq(eval("public_post_2021", "2025-10", &p, &o), SCREEN_NO);
}
END_TEST

START_TEST(test_workfare_training_pays_500_a_month_for_at_most_six)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.employment_type = "就业帮扶车间";
	p.work_start = "2021-07-01";
	ck_assert_int_eq(eval("workfare_2021", "2021-10", &p, &o), SCREEN_VERIFY);
	ck_assert_int_eq(o.months, 4);
	ck_assert(o.amount == 2000);
	p.work_start = "2020-01-01";
	eval("workfare_2021", "2021-10", &p, &o);
	ck_assert(o.amount == 3000);
}
END_TEST

START_TEST(test_outside_labour_age_is_not_listed_and_unknown_age_is_to_verify)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.labour_age = 0;
	ck_assert_int_eq(eval("transport_2021", "2025-10", &p, &o), SCREEN_NO);
	p.labour_age = -1;
	ck_assert_int_eq(eval("transport_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	ck_assert_ptr_nonnull(strstr(o.reason, "劳动年龄"));
}
END_TEST

START_TEST(test_age_in_the_evidence_at_the_period_end)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.birth_date = "1965-10-31"; /* 60 on the period's last day */
	eval("transport_2021", "2025-10", &p, &o);
	ck_assert_ptr_nonnull(strstr(o.evidence, "60岁"));
	p.birth_date = "1965-11-01";
	eval("transport_2021", "2025-10", &p, &o);
	ck_assert_ptr_nonnull(strstr(o.evidence, "59岁"));
}
END_TEST

START_TEST(test_not_employed_is_never_listed)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.employed = "否";
	for (int i = 0; i < rules->n; i++)
		ck_assert_int_eq(screen_evaluate(&rules->v[i], "2025-10", &p, &o), SCREEN_NO);
}
END_TEST

START_TEST(test_a_conflict_outside_the_rule_keeps_the_person_eligible)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.category = "conflict";
	p.conflicts = "name,phone";
	ck_assert_int_eq(eval("transport_2021", "2025-10", &p, &o), SCREEN_ELIGIBLE);
	ck_assert_ptr_nonnull(strstr(o.evidence, "不涉及本项条件"));
	p.conflicts = "employer";
	ck_assert_int_eq(eval("transport_2021", "2025-10", &p, &o), SCREEN_ELIGIBLE);
}
END_TEST

START_TEST(test_a_conflict_in_the_rule_fields_is_to_verify)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.category = "conflict";
	p.conflicts = "work_region";
	ck_assert_int_eq(eval("transport_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	ck_assert_ptr_nonnull(strstr(o.reason, "就业地区"));
	p.employment_type = "公益性岗位";
	p.conflicts = "employer";
	ck_assert_int_eq(eval("public_post_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	p.conflicts = "employed";
	ck_assert_int_eq(eval("public_post_2021", "2025-10", &p, &o), SCREEN_VERIFY);
}
END_TEST

START_TEST(test_persons_in_one_source_only_are_to_verify_with_the_reason)
{
	static const char *const cats[] = {"roster_only", "hr_only", "invalid_id", "duplicate"};
	static const char *const words[] = {"未录入省平台", "不在扶贫系统名单", "证件号码无效", "重复"};
	struct screen_person p = agreed();
	struct screen_outcome o;

	for (int i = 0; i < 4; i++) {
		p.category = cats[i];
		ck_assert_int_eq(eval("transport_2021", "2025-10", &p, &o), SCREEN_VERIFY);
		ck_assert_msg(strstr(o.reason, words[i]), "%s: reason '%s'", cats[i], o.reason);
	}
}
END_TEST

START_TEST(test_missing_work_start_or_type_is_to_verify_not_dropped)
{
	struct screen_person p = agreed();
	struct screen_outcome o;

	p.work_start = NULL;
	ck_assert_int_eq(eval("service_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	ck_assert_ptr_nonnull(strstr(o.reason, "就业时间"));
	p = agreed();
	p.employment_type = NULL;
	ck_assert_int_eq(eval("social_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	ck_assert_ptr_nonnull(strstr(o.reason, "就业类型"));
	p = agreed();
	p.work_start = "2025-05"; /* 5 or 6 months: depends on the day */
	ck_assert_int_eq(eval("service_2021", "2025-10", &p, &o), SCREEN_VERIFY);
	ck_assert_ptr_nonnull(strstr(o.reason, "具体日期"));
}
END_TEST

/* ---- the template ---- */

static int load_text(const char *text, struct bangfu_err *err)
{
	char path[] = "/tmp/bangfu-screen-rules.XXXXXX";
	struct screen_rules *r = NULL;
	int fd = mkstemp(path), rc;
	FILE *f = fdopen(fd, "w");

	fputs("id,subsidy,document,article,recipient,conditions,unverified,amount,unit,max_months,limit,"
	      "valid_from,valid_to,source_text,note\n",
	      f);
	fputs(text, f);
	fclose(f);
	rc = screen_rules_load(path, &r, err);
	screen_rules_free(r);
	unlink(path);
	return rc;
}

#define GOOD "a_2021,交通,文件,一,person,work_region in 省外,,,once,,,2021-07-26,2025-12-31,,\n"

START_TEST(test_the_shipped_template_loads_every_row)
{
	ck_assert_int_ge(rules->n, 12);
	ck_assert_int_eq(load_text(GOOD, &(struct bangfu_err){0}), 0);
}
END_TEST

START_TEST(test_an_unknown_field_in_a_condition_names_line_and_column)
{
	struct bangfu_err err;

	ck_assert_int_eq(load_text(GOOD "b_2021,交通,文件,一,person,salary >= 3000,,,once,,,2021-07-26,2025-12-31,,\n",
				   &err),
			 -1);
	ck_assert_int_eq(err.kind, ERR_INPUT);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 6);
	ck_assert_ptr_nonnull(strstr(err.message, "unknown field 'salary'"));
}
END_TEST

START_TEST(test_bad_values_are_refused_with_their_column)
{
	static const struct {
		const char *row;
		int column;
		const char *says;
	} cases[] = {
		{"b,x,d,a,person,work_region in 国外,,,once,,,2021-07-26,2025-12-31,,\n", 6, "国外"},
		{"b,x,d,a,person,employment_type in 打零工,,,once,,,2021-07-26,2025-12-31,,\n", 6, "打零工"},
		{"b,x,d,a,person,months > 6,,,once,,,2021-07-26,2025-12-31,,\n", 6, "operator"},
		{"b,x,d,a,person,,,三百,once,,,2021-07-26,2025-12-31,,\n", 8, "三百"},
		{"b,x,d,a,person,,,300,weekly,,,2021-07-26,2025-12-31,,\n", 9, "weekly"},
		{"b,x,d,a,person,,,300,once,6,,2021-07-26,2025-12-31,,\n", 10, "unit month"},
		{"b,x,d,a,person,,,300,once,,twice,2021-07-26,2025-12-31,,\n", 11, "twice"},
		{"b,x,d,a,person,,,300,once,,,2021-13-01,2025-12-31,,\n", 12, "not a date"},
		{"b,x,d,a,person,,,300,once,,,2025-01-01,2021-12-31,,\n", 13, "before"},
		{"b,x,d,a,boss,,,300,once,,,2021-07-26,2025-12-31,,\n", 5, "boss"},
		{"a_2021,x,d,a,person,,,300,once,,,2021-07-26,2025-12-31,,\n", 1, "already used"},
		{"b,x,,a,person,,,300,once,,,2021-07-26,2025-12-31,,\n", 3, "document is empty"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bangfu_err err;
		char text[512];

		snprintf(text, sizeof text, GOOD "%s", cases[i].row);
		ck_assert_msg(load_text(text, &err) == -1, "row %zu loaded: %s", i, cases[i].row);
		ck_assert_msg(err.line == 3 && err.column == cases[i].column, "row %zu: at %ld:%ld, expected 3:%d (%s)", i,
			      err.line, err.column, cases[i].column, err.message);
		ck_assert_msg(strstr(err.message, cases[i].says), "row %zu: '%s' does not say '%s'", i, err.message,
			      cases[i].says);
	}
}
END_TEST

START_TEST(test_a_missing_column_is_refused)
{
	char path[] = "/tmp/bangfu-screen-rules.XXXXXX";
	struct screen_rules *r = NULL;
	struct bangfu_err err;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("id,subsidy,document\nx,y,z\n", f);
	fclose(f);
	ck_assert_int_eq(screen_rules_load(path, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "is missing"));
	unlink(path);
}
END_TEST

START_TEST(test_standard_texts)
{
	char s[128];

	screen_rule_standard(rule("workfare_2021"), s, sizeof s);
	ck_assert_str_eq(s, "500元/人·月，最多6个月");
	screen_rule_standard(rule("post_2017"), s, sizeof s);
	ck_assert_str_eq(s, "1000元/人·年");
	screen_rule_standard(rule("transport_2021"), s, sizeof s);
	ck_assert_str_eq(s, "文件未定金额");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("screen");
	TCase *months = tcase_create("months");
	TCase *periods = tcase_create("periods");
	TCase *subsidies = tcase_create("subsidies");
	TCase *tmpl = tcase_create("template");
	SRunner *sr;
	int failed;

	tcase_add_test(months, test_started_on_the_first_day_six_months_before_has_exactly_six);
	tcase_add_test(months, test_twelve_months_boundary);
	tcase_add_test(months, test_month_end_start_is_clamped);
	tcase_add_test(months, test_month_only_start_gives_a_range);
	tcase_add_test(months, test_start_after_the_period_or_no_date_is_unknown);
	suite_add_tcase(s, months);

	tcase_add_checked_fixture(periods, load_rules, free_rules);
	tcase_add_test(periods, test_a_period_in_2020_uses_the_2017_rules);
	tcase_add_test(periods, test_the_2021_rules_start_on_2021_07_26_and_end_with_2025);
	tcase_add_test(periods, test_workfare_training_ends_with_2021);
	tcase_add_test(periods, test_a_rule_out_of_force_lists_nobody);
	suite_add_tcase(s, periods);

	tcase_add_checked_fixture(subsidies, load_rules, free_rules);
	tcase_add_test(subsidies, test_transport_needs_work_outside_the_county);
	tcase_add_test(subsidies, test_service_subsidy_at_exactly_six_months_is_listed_and_five_is_not);
	tcase_add_test(subsidies, test_service_subsidy_is_200_under_2017_rules_and_300_under_2021);
	tcase_add_test(subsidies, test_service_subsidy_needs_the_placing_agency_verified);
	tcase_add_test(subsidies, test_service_subsidy_once_a_year);
	tcase_add_test(subsidies, test_post_subsidy_at_twelve_months_is_listed_and_eleven_is_not);
	tcase_add_test(subsidies, test_post_subsidy_names_contract_and_social_insurance_as_missing);
	tcase_add_test(subsidies, test_post_subsidy_of_1500_only_for_local_work);
	tcase_add_test(subsidies, test_social_insurance_subsidy_has_no_fixed_amount_and_needs_a_contract);
	tcase_add_test(subsidies, test_public_post_subsidy_for_public_welfare_posts);
	tcase_add_test(subsidies, test_workfare_training_pays_500_a_month_for_at_most_six);
	tcase_add_test(subsidies, test_outside_labour_age_is_not_listed_and_unknown_age_is_to_verify);
	tcase_add_test(subsidies, test_age_in_the_evidence_at_the_period_end);
	tcase_add_test(subsidies, test_not_employed_is_never_listed);
	tcase_add_test(subsidies, test_a_conflict_outside_the_rule_keeps_the_person_eligible);
	tcase_add_test(subsidies, test_a_conflict_in_the_rule_fields_is_to_verify);
	tcase_add_test(subsidies, test_persons_in_one_source_only_are_to_verify_with_the_reason);
	tcase_add_test(subsidies, test_missing_work_start_or_type_is_to_verify_not_dropped);
	suite_add_tcase(s, subsidies);

	tcase_add_checked_fixture(tmpl, load_rules, free_rules);
	tcase_add_test(tmpl, test_the_shipped_template_loads_every_row);
	tcase_add_test(tmpl, test_an_unknown_field_in_a_condition_names_line_and_column);
	tcase_add_test(tmpl, test_bad_values_are_refused_with_their_column);
	tcase_add_test(tmpl, test_a_missing_column_is_refused);
	tcase_add_test(tmpl, test_standard_texts);
	suite_add_tcase(s, tmpl);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
