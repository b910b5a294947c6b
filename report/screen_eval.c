/* screen_eval — one rule against one person's facts.  Evaluation is
 * three-valued: a condition the data establishes holds or fails; one it
 * cannot tell (no work start, an invalid ID without a birth date) keeps the
 * person on the list as 待核实 with the reason, because the point of the
 * screening is that nobody entitled is missed (应享尽享) and nobody is
 * declared entitled on data that does not show it.  No database. */
#include "screen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datefmt.h"
#include "labels.h"

/* ---- evaluating one rule for one person ---- */

static void add(char *buf, size_t sz, const char *text)
{
	size_t n = strlen(buf);

	if (n + 1 >= sz)
		return;
	snprintf(buf + n, sz - n, "%s%s", n ? "；" : "", text);
}

static int in_list(const char *v, const char (*list)[48], int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

/* "就业地区、就业单位" of the conflicting fields the rule reads; "" when none. */
static void touched_conflicts(const struct screen_rule *rule, const char *conflicts, char *out, size_t outsz)
{
	char buf[256], *save = NULL;

	out[0] = '\0';
	if (!conflicts || strlen(conflicts) >= sizeof buf)
		return;
	snprintf(buf, sizeof buf, "%s", conflicts);
	for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save))
		if (screen_rule_touches(rule, f)) {
			size_t n = strlen(out);

			snprintf(out + n, outsz - n, "%s%s", n ? "、" : "", label_of("field", f));
		}
}

static void conflict_labels(const char *conflicts, char *out, size_t outsz)
{
	char buf[256], *save = NULL;

	out[0] = '\0';
	if (!conflicts || strlen(conflicts) >= sizeof buf)
		return;
	snprintf(buf, sizeof buf, "%s", conflicts);
	for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(out);

		snprintf(out + n, outsz - n, "%s%s", n ? "、" : "", label_of("field", f));
	}
}

static void category_check(const struct screen_rule *rule, const struct screen_person *p, struct screen_outcome *o)
{
	const char *cat = p->category ? p->category : "";
	char fields[256], text[512];

	if (!strcmp(cat, "consistent")) {
		if (rule->categories & SCREEN_CAT_CONSISTENT)
			add(o->evidence, sizeof o->evidence, "比对：两系统一致");
		else
			add(o->reason, sizeof o->reason, "本项不认“一致”的比对结果");
	} else if (!strcmp(cat, "conflict")) {
		touched_conflicts(rule, p->conflicts, fields, sizeof fields);
		if (fields[0]) {
			snprintf(text, sizeof text, "两系统%s不一致，涉及本项条件，需先核实更正", fields);
			add(o->reason, sizeof o->reason, text);
		} else if (!(rule->categories & SCREEN_CAT_CONFLICT)) {
			add(o->reason, sizeof o->reason, "两系统信息不一致，本项只认两系统一致的人员");
		} else {
			conflict_labels(p->conflicts, fields, sizeof fields);
			snprintf(text, sizeof text, "比对：%s不一致，不涉及本项条件", fields[0] ? fields : "部分信息");
			add(o->evidence, sizeof o->evidence, text);
		}
	} else if (!strcmp(cat, "roster_only")) {
		add(o->reason, sizeof o->reason, "未录入省平台，就业信息只有扶贫系统一方，需先录入省平台");
	} else if (!strcmp(cat, "hr_only")) {
		add(o->reason, sizeof o->reason, "不在扶贫系统名单，需核实是否为脱贫人口或监测对象");
	} else if (!strcmp(cat, "invalid_id")) {
		add(o->reason, sizeof o->reason, "证件号码无效，无法与另一系统比对，需先更正证件号码");
	} else if (!strcmp(cat, "duplicate")) {
		add(o->reason, sizeof o->reason, "证件号码在同一系统重复出现，需先去重");
	} else {
		add(o->reason, sizeof o->reason, "无比对结果");
	}
}

static int age_at(const char *birth, const char *period)
{
	char iso[11];
	int y, m, d, by, bm, bd;

	if (!birth || datefmt_parse(birth, iso) != DATEFMT_DAY)
		return -1;
	by = atoi(iso);
	bm = atoi(iso + 5);
	bd = atoi(iso + 8);
	screen_period_end(period, &y, &m, &d);
	return y - by - (m < bm || (m == bm && d < bd));
}

enum screen_status screen_evaluate(const struct screen_rule *rule, const char *period,
				   const struct screen_person *p, struct screen_outcome *o)
{
	char text[768];
	int ey, em, ed, min_m = -1, max_m = -1, have_months;

	memset(o, 0, sizeof *o);
	o->months = -1;
	if (!screen_rule_in_force(rule, period))
		return o->status = SCREEN_NO;
	if (!p->employed || strcmp(p->employed, "是") != 0)
		return o->status = SCREEN_NO;
	screen_period_end(period, &ey, &em, &ed);

	if (rule->regions) {
		int k = p->work_region ? screen_index_of(p->work_region, SCREEN_REGIONS, 3) : -1;

		if (k < 0) {
			add(o->reason, sizeof o->reason, "就业地区不详，无法判断是否跨区域就业");
		} else if (!(rule->regions & (1u << k))) {
			return o->status = SCREEN_NO;
		} else {
			snprintf(text, sizeof text, "就业地区：%s%s%s%s", p->work_region, p->work_place ? "（" : "",
				 p->work_place ? p->work_place : "", p->work_place ? "）" : "");
			add(o->evidence, sizeof o->evidence, text);
		}
	}
	if (rule->ntypes) {
		if (!p->employment_type || !p->employment_type[0]) {
			add(o->reason, sizeof o->reason, "就业类型不详（省平台未记录）");
		} else if (!in_list(p->employment_type, rule->types, rule->ntypes)) {
			return o->status = SCREEN_NO;
		} else {
			snprintf(text, sizeof text, "就业类型：%s", p->employment_type);
			add(o->evidence, sizeof o->evidence, text);
		}
	}
	have_months = p->work_start && p->work_start[0] &&
		      screen_months_in_post(p->work_start, period, &min_m, &max_m) == 0;
	if (rule->min_months >= 0) {
		if (!p->work_start || !p->work_start[0]) {
			add(o->reason, sizeof o->reason, "未填就业时间，无法计算在岗月数");
		} else if (!have_months) {
			snprintf(text, sizeof text, "就业时间“%s”无法识别或晚于统计期末", p->work_start);
			add(o->reason, sizeof o->reason, text);
		} else if (max_m < rule->min_months) {
			return o->status = SCREEN_NO;
		} else if (min_m < rule->min_months) {
			snprintf(text, sizeof text, "就业时间只到月份（%s），是否满%d个月取决于具体日期", p->work_start,
				 rule->min_months);
			add(o->reason, sizeof o->reason, text);
		} else {
			snprintf(text, sizeof text, "就业时间：%s（%s），至%04d-%02d-%02d在岗满%d个月（要求%d个月以上）",
				 p->work_start, p->work_start_from ? p->work_start_from : "省平台", ey, em, ed, min_m,
				 rule->min_months);
			add(o->evidence, sizeof o->evidence, text);
		}
	}
	if (rule->labour_age) {
		if (p->labour_age == 0)
			return o->status = SCREEN_NO;
		if (p->labour_age < 0) {
			add(o->reason, sizeof o->reason, "出生日期不详，无法判断是否在劳动年龄内");
		} else {
			int age = age_at(p->birth_date, period);

			if (age >= 0)
				snprintf(text, sizeof text, "年龄：%d岁（劳动年龄内）", age);
			else
				snprintf(text, sizeof text, "劳动年龄内");
			add(o->evidence, sizeof o->evidence, text);
		}
	}
	if (p->employer && p->employer[0] && rule->recipient != SCREEN_PERSON) {
		snprintf(text, sizeof text, "就业单位：%s", p->employer);
		add(o->evidence, sizeof o->evidence, text);
	}

	category_check(rule, p, o);
	if (rule->nunverified) {
		size_t n;

		snprintf(text, sizeof text, "数据无法确认，需核实：");
		for (int i = 0; i < rule->nunverified; i++) {
			n = strlen(text);
			snprintf(text + n, sizeof text - n, "%s%s", i ? "、" : "", rule->unverified[i]);
		}
		add(o->reason, sizeof o->reason, text);
	}
	if (rule->limit != SCREEN_LIMIT_NONE && p->earlier_period && p->earlier_period[0]) {
		snprintf(text, sizeof text, "%s已于%s列入筛选名单（%s），需核实是否已享受", rule->subsidy, p->earlier_period,
			 rule->limit == SCREEN_LIMIT_ONCE_PER_YEAR ? "每人每年只享受一次" : "只享受一次");
		add(o->reason, sizeof o->reason, text);
	}

	if (have_months)
		o->months = min_m;
	if (rule->has_amount) {
		if (rule->unit != SCREEN_UNIT_MONTH) {
			o->has_amount = 1;
			o->amount = rule->amount;
		} else if (have_months) {
			int m = rule->max_months > 0 && min_m > rule->max_months ? rule->max_months : min_m;

			o->has_amount = 1;
			o->amount = rule->amount * m;
		}
	}
	return o->status = o->reason[0] ? SCREEN_VERIFY : SCREEN_ELIGIBLE;
}
