-- Labels in one table: the Chinese label of every code bangfu stores
-- (category, field, verdict, problem kind, ID status, repair rule, change,
-- recipient, yes/no …).  lib/labels.c holds the table and keeps this copy
-- equal to it (label_version: a fingerprint of the entries), so that the
-- stages, the views and a statistician's own queries show the same words:
--
--   SELECT p.category, l.label, count(*) FROM person p
--   JOIN label l ON l.kind = 'category' AND l.code = p.category
--   WHERE p.period = '2026-10' GROUP BY 1, 2;
--
-- The views that spelled labels out in CASE expressions now join it, and the
-- progress report's sheets read views of their own, which its workbook and
-- its CSV both print (one query per table).

CREATE TABLE label (
	kind  TEXT NOT NULL,                    -- category, field, verdict, problem_kind, ...
	code  TEXT NOT NULL,                    -- what the database stores
	label TEXT NOT NULL,                    -- what people read
	PRIMARY KEY (kind, code)
) WITHOUT ROWID;

CREATE TABLE label_version (
	fingerprint TEXT NOT NULL
);

DROP VIEW IF EXISTS v_township_progress;
DROP VIEW IF EXISTS v_township_check;

CREATE VIEW v_township_check AS
WITH counts AS (
	SELECT s.period, s.city, s.county, s.township, count(*) AS sampled,
	       count(c.result) AS answered,
	       sum(c.result = 'accurate') AS accurate,
	       sum(c.result = 'inaccurate') AS inaccurate,
	       sum(c.result = 'unreachable') AS unreachable
	FROM sample s LEFT JOIN check_result c ON c.period = s.period AND c.sample_code = s.sample_code
	GROUP BY s.period, s.city, s.county, s.township
), rated AS (
	SELECT k.*, p.threshold, p.min_answered,
	       CASE p.confidence WHEN 0.90 THEN 1.6449 WHEN 0.99 THEN 2.5758 ELSE 1.9600 END AS z,
	       coalesce(k.accurate, 0) + coalesce(k.inaccurate, 0) AS reached,
	       CASE WHEN coalesce(k.accurate, 0) + coalesce(k.inaccurate, 0) > 0
	            THEN 1.0 * k.accurate / (k.accurate + k.inaccurate) END AS accuracy
	FROM counts k JOIN sample_plan p ON p.period = k.period
), judged AS (
SELECT period, city, county, township, sampled, answered,
       coalesce(accurate, 0) AS accurate, coalesce(inaccurate, 0) AS inaccurate,
       coalesce(unreachable, 0) AS unreachable, accuracy,
       CASE WHEN reached > 0 THEN
	(accuracy + z * z / (2 * reached) - z * sqrt(accuracy * (1 - accuracy) / reached + z * z / (4.0 * reached * reached)))
	/ (1 + z * z / reached) END AS ci_low,
       CASE WHEN reached > 0 THEN
	(accuracy + z * z / (2 * reached) + z * sqrt(accuracy * (1 - accuracy) / reached + z * z / (4.0 * reached * reached)))
	/ (1 + z * z / reached) END AS ci_high,
       CASE WHEN reached < min(min_answered, sampled) THEN 'undecided'
	    WHEN accuracy < threshold THEN 'recalibrate' ELSE 'pass' END AS verdict,
       threshold,
       max(min(min_answered, sampled) - reached, 0) AS more_needed
FROM rated
)
SELECT j.period, j.city, j.county, j.township, j.sampled, j.answered, j.accurate, j.inaccurate,
       j.unreachable, j.accuracy, j.ci_low, j.ci_high, j.verdict, j.threshold, l.label AS verdict_label,
       j.more_needed
FROM judged j LEFT JOIN label l ON l.kind = 'verdict' AND l.code = j.verdict;

CREATE VIEW v_township_progress AS
WITH p AS (
	SELECT period, city, county, township, category, in_hr, employed, work_region,
	       employment_type, intent, returned,
	       (in_roster AND coalesce(able, 1) AND coalesce(labour_age, 1)) AS base
	FROM person
), g AS (
	SELECT period, city, county, township,
	       count(*) AS persons,
	       sum(base) AS labour,
	       sum(base AND in_hr) AS entered,
	       sum(base AND employed IS '是') AS employed,
	       sum(base AND employed IS '是' AND work_region IS '省外') AS out_province,
	       sum(base AND employed IS '是' AND work_region IS '省内县外') AS in_province,
	       sum(base AND employed IS '是' AND work_region IS '县内') AS in_county,
	       sum(base AND employed IS '是' AND coalesce(work_region, '') NOT IN ('省外', '省内县外', '县内'))
		AS region_unknown,
	       sum(base AND employed IS '是' AND employment_type IS '公益性岗位') AS public_post,
	       sum(base AND employed IS '是' AND employment_type IS '就业帮扶车间') AS workshop,
	       sum(base AND employed IS NOT '是') AS unemployed,
	       sum(base AND employed IS NOT '是'
	           AND coalesce(trim(intent), '') NOT IN ('', '无', '否', '无意愿', '暂无')) AS willing,
	       sum(base AND returned IS '是') AS returned,
	       sum(category = 'consistent') AS consistent,
	       sum(category = 'conflict') AS conflict
	FROM p GROUP BY period, city, county, township
)
SELECT g.period, coalesce(g.city, '') AS city, coalesce(g.county, '') AS county,
       coalesce(g.township, '') AS township, persons, labour, entered, employed, out_province, in_province,
       in_county, public_post, workshop, unemployed, willing, returned, consistent, conflict,
       coalesce(c.accurate, 0) AS accurate,
       coalesce(c.inaccurate, 0) AS inaccurate,
       (c.township IS NOT NULL) AS checked,
       coalesce(c.verdict = 'recalibrate', 0) AS recalibrate,
       c.verdict AS verdict,
       region_unknown
FROM g LEFT JOIN v_township_check c
	ON c.period = g.period AND c.city = coalesce(g.city, '') AND c.county = coalesce(g.county, '')
	AND c.township = coalesce(g.township, '');

DROP VIEW IF EXISTS v_problem;
CREATE VIEW v_problem AS
SELECT problem_key, kind,
       (SELECT label FROM label WHERE label.kind = 'problem_kind' AND code = problem.kind) AS kind_label,
       city, county, township, village, subject, name, detail, responsible,
       opened_period, last_seen_period, closed_period,
       CASE WHEN closed_period IS NULL THEN 'open' ELSE 'closed' END AS state,
       (CAST(substr(coalesce(closed_period, (SELECT max(period) FROM problem_sync_run)), 1, 4) AS INTEGER) * 12
	+ CAST(substr(coalesce(closed_period, (SELECT max(period) FROM problem_sync_run)), 6, 2) AS INTEGER))
       - (CAST(substr(opened_period, 1, 4) AS INTEGER) * 12 + CAST(substr(opened_period, 6, 2) AS INTEGER))
	AS age_months,
       first_period
FROM problem;

DROP VIEW IF EXISTS v_subsidy_candidate;
CREATE VIEW v_subsidy_candidate AS
SELECT period, city, county, township, village, name, id_number, rule_id, subsidy, document, article,
       (SELECT label FROM label WHERE kind = 'recipient' AND code = recipient) AS recipient_label,
       status, reason, evidence, months, amount, standard, employer, recipient, person_key
FROM subsidy_candidate;

-- 比对情况 of the progress report, one row per county: rows of each source,
-- persons in each category, proposed ID repairs, and the three most frequent
-- kinds of conflict ("就业单位 12；联系电话 5").  Its workbook sheet and
-- 比对情况.csv print this view.
CREATE VIEW v_report_compare AS
SELECT s.period, s.city, s.county, s.roster_rows, s.hr_rows, s.persons, s.consistent, s.conflict,
       s.roster_only, s.hr_only, s.invalid_id, s.duplicate, coalesce(rep.n, 0) AS repairs, top.top_conflicts
FROM v_county_summary s
LEFT JOIN (SELECT r.period, p.city, p.county, count(*) AS n FROM repair r
	   JOIN person p ON p.period = r.period AND p.person_key = r.person_key
	   GROUP BY r.period, p.city, p.county) rep
	ON rep.period = s.period AND rep.city IS s.city AND rep.county IS s.county
LEFT JOIN (SELECT period, city, county, group_concat(label || ' ' || n, '；') AS top_conflicts FROM (
		SELECT period, city, county, label, n FROM (
			SELECT period, city, county, label, n,
			       row_number() OVER (PARTITION BY period, city, county ORDER BY n DESC, field) AS rank
			FROM (SELECT c.period, p.city, p.county, c.field, coalesce(l.label, c.field) AS label,
				     count(*) AS n
			      FROM conflict c JOIN person p ON p.period = c.period AND p.person_key = c.id_number
			      LEFT JOIN label l ON l.kind = 'field' AND l.code = c.field
			      GROUP BY c.period, p.city, p.county, c.field))
		WHERE rank <= 3 ORDER BY period, city, county, rank)
	   GROUP BY period, city, county) top
	ON top.period = s.period AND top.city IS s.city AND top.county IS s.county;

-- 零就业家庭 of the progress report, one row per county of the period's data
-- (0 where it has none): households, the townships they are in, members,
-- able members.  Its sheet and 零就业家庭.csv print this view.
CREATE VIEW v_report_zero AS
WITH z AS (
	SELECT period, city, county, count(*) AS households, count(DISTINCT township) AS townships,
	       sum(members) AS members, sum(able_members) AS able
	FROM zero_household GROUP BY period, city, county
), c AS (
	SELECT DISTINCT period, city, county FROM person
)
SELECT c.period, c.city, c.county, coalesce(z.households, 0) AS households, coalesce(z.townships, 0) AS townships,
       coalesce(z.members, 0) AS members, coalesce(z.able, 0) AS able_members
FROM c LEFT JOIN z ON z.period = c.period AND z.city IS c.city AND z.county IS c.county;
