-- Report: the progress counts of every township of a period, the numbers
-- bangfu-report's 总表 rolls up to 县市区, 市州 and the province.  A view, so a
-- statistician gets the same numbers with sqlite3 as the leadership report:
--
--   SELECT city, sum(labour), sum(employed) FROM v_township_progress
--   WHERE period = '2026-10' GROUP BY city;
--
-- labour: 脱贫劳动力 — persons of the roster (扶贫系统) who have labour ability
-- (劳动能力 not 丧失劳动力/无劳动力) and are of labour age at the period's last
-- day (templates/policy.csv).  A person whose age or ability cannot be told
-- (an invalid ID has no birth date) is counted: the roster lists them as
-- labour.  Every other count but persons, consistent and conflict is "of
-- labour", so the columns of a row never count someone the row's 脱贫劳动力
-- does not.  employed is the platform's (省平台) 就业状态 where the person is
-- entered, else the roster's 是否已就业 (as reconcile decides, person.employed).
-- City, county and township are '' when the source left them empty, to join
-- v_township_check, which does the same.  Grouped on the raw columns, in the
-- order of the index person_place, so that no sort of every person is needed.

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
       c.verdict AS verdict
FROM g LEFT JOIN v_township_check c
	ON c.period = g.period AND c.city = coalesce(g.city, '') AND c.county = coalesce(g.county, '')
	AND c.township = coalesce(g.township, '');
