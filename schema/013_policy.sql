-- The policy model: populations and places as dimensions of every person,
-- the labour-age window by birth month (the 2025 retirement-age reform),
-- the employer's place, and the one per-person view the subsidy rules'
-- predicates read (v_screen_person).
--
-- Persons reconciled before this migration keep NULL in the new columns
-- (population unknown, employer's place unknown): run bangfu-reconcile for
-- a period again to fill them.

-- The HR platform's 用人单位所在地 and 人员类别 (templates/columns.csv):
-- files loaded from now on fill them.
ALTER TABLE hr_row ADD COLUMN employer_place TEXT;
ALTER TABLE hr_row ADD COLUMN person_class TEXT;

-- What bangfu-reconcile gives each person (templates/population_values.csv,
-- templates/key_counties.csv, templates/retirement_age.csv):
ALTER TABLE person ADD COLUMN population TEXT;        -- exited 脱贫人口 / monitored 监测对象 / low_income 农村低收入人口 / other; NULL unknown
ALTER TABLE person ADD COLUMN relocated INTEGER;      -- 易地扶贫搬迁: 1 / 0 / NULL unknown
ALTER TABLE person ADD COLUMN key_county INTEGER;     -- home county is a 乡村振兴重点帮扶县: 1 / 0; NULL while the list is empty
ALTER TABLE person ADD COLUMN training_intent INTEGER; -- 培训意愿: 1 / 0 / NULL
ALTER TABLE person ADD COLUMN employer_region TEXT;   -- 省外 / 省内县外 / 县内: the employer's place against the home county
ALTER TABLE person ADD COLUMN labour_age_until TEXT;  -- the day the statutory retirement age is reached (first day outside the labour age)

DROP VIEW IF EXISTS v_person;
CREATE VIEW v_person AS
SELECT period, id_number, category, name, city, county, township, in_roster, in_hr,
       person_key, id_valid, reason, village, household_id, gender, birth_date,
       roster_rows, hr_rows, repair_pending, able, labour_age, employed, roster_employed,
       hr_status, work_region, employment_type, returned,
       population, relocated, key_county, training_intent, employer_region, labour_age_until
FROM person;

-- The measures of the progress report per township, split by population
-- (counted by bangfu-reconcile, etl/reconcile.c count_township).  labour and
-- the measures over it count 脱贫劳动力: the roster's able persons of labour
-- age whose population is 脱贫人口 or not given; the others have their own
-- columns.  Periods reconciled before keep 0 in the new columns.
ALTER TABLE township_total ADD COLUMN population_unknown INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN monitored_labour INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN monitored_employed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN low_income_labour INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN low_income_employed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN relocated_labour INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN relocated_employed INTEGER NOT NULL DEFAULT 0;
-- 湘人社函〔2020〕58号 四（二）3（3）“确保每个搬迁家庭至少有一名有劳动能力且有就业意愿的贫困劳动力
-- 实现就业”: relocated households with a member able, of labour age and
-- employed or willing to work, and of them those with such a member employed.
ALTER TABLE township_total ADD COLUMN relocated_households INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN relocated_households_employed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN key_county INTEGER;  -- as person.key_county, for the township's county

-- The same per township as a view of its own, next to v_township_progress
-- (which keeps its columns): the progress report's 分人群 reads both.
DROP VIEW IF EXISTS v_township_population;
CREATE VIEW v_township_population AS
SELECT period, coalesce(city, '') AS city, coalesce(county, '') AS county, coalesce(township, '') AS township,
       labour, employed, population_unknown, monitored_labour, monitored_employed, low_income_labour,
       low_income_employed, relocated_labour, relocated_employed, relocated_households, relocated_households_employed,
       key_county
FROM township_total;

-- The one view the subsidy rules read (docs/bangfu-screen.md lists its
-- columns): one row per person of a period, with the values of the first
-- row of each source fetched by rowid (person.roster_rowid, hr_rowid).
-- Yes/no columns are 1 / 0 / NULL, so that a predicate over an unknown value
-- is NULL (待核实), not false.  Plain SQL: the sqlite3 CLI reads it too.
-- Months in post count the start day as worked, to the period's last day
-- (started 2025-05-01: 6 months at 2025-10-31); a start known only to the
-- month gives months_in_post NULL and the range in _min .. _max.
DROP VIEW IF EXISTS v_screen_person;
CREATE VIEW v_screen_person AS
WITH v_screen_person_rows AS (
	SELECT p.*,
	       CASE WHEN p.hr_rowid IS NOT NULL THEN nullif(coalesce(h.work_province, '') || coalesce(h.work_city, '')
			|| coalesce(h.work_county, ''), '') ELSE nullif(r.work_place, '') END AS work_place,
	       coalesce(nullif(h.employer, ''), nullif(r.employer, '')) AS employer,
	       nullif(h.employer_place, '') AS employer_place,
	       coalesce(nullif(h.work_start, ''), nullif(r.work_start, '')) AS work_start,
	       CASE WHEN coalesce(h.work_start, '') <> '' THEN '省平台'
		    WHEN coalesce(r.work_start, '') <> '' THEN '扶贫系统' END AS work_start_source
	FROM person p
	LEFT JOIN hr_row h ON h.rowid = p.hr_rowid
	LEFT JOIN roster_row r ON r.rowid = p.roster_rowid
), v_screen_person_months AS (
	-- whole months from the start to the day after the period's last day:
	-- the months between the two, one less when the start day is after the
	-- 1st (a month-end start clamps the same way: 03-31 + 6 months = 09-30);
	-- a month-only start is the range of its first and last day.  A start
	-- after the period, or no date, gives NULL.
	SELECT b.*,
	       CASE WHEN to_next IS NULL OR to_next < 1 THEN NULL
		    WHEN length(work_start) = 10 THEN to_next - (substr(work_start, 9, 2) > '01')
		    ELSE to_next - 1 END AS months_min,
	       CASE WHEN to_next IS NULL OR to_next < 1 THEN NULL
		    WHEN length(work_start) = 10 THEN to_next - (substr(work_start, 9, 2) > '01')
		    ELSE to_next END AS months_max
	FROM (SELECT b.*,
		     CASE WHEN work_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
			    OR work_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]' THEN
			CAST(substr(period, 1, 4) AS INTEGER) * 12 + CAST(substr(period, 6, 2) AS INTEGER) + 1
			- CAST(substr(work_start, 1, 4) AS INTEGER) * 12 - CAST(substr(work_start, 6, 2) AS INTEGER) END
			AS to_next
	      FROM v_screen_person_rows b) b
)
SELECT period, person_key, id_number, id_valid, category,
       CASE WHEN category = 'conflict' THEN
		(SELECT group_concat(c.field, ',') FROM conflict c
		 WHERE c.period = m.period AND c.id_number = m.person_key AND c.field <> 'gender_id') END AS conflicts,
       in_roster, in_hr, name, gender, birth_date,
       date(period || '-01', '+1 month', '-1 day') AS period_end,
       CASE WHEN birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN
		CAST(substr(period, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER)
		- CASE WHEN substr(birth_date, 6, 2) > substr(period, 6, 2) THEN 1
		       WHEN substr(birth_date, 6, 2) < substr(period, 6, 2) THEN 0
		       ELSE substr(birth_date, 9, 2) > substr(date(period || '-01', '+1 month', '-1 day'), 9, 2) END
	END AS age,
       city, county, township, village, household_id,
       population, relocated, key_county,
       able, labor_ability, labour_age AS in_labour_age, labour_age_until,
       CASE employed WHEN '是' THEN 1 WHEN '否' THEN 0 END AS employed,
       employment_type, work_region, work_place, employer, employer_region, employer_place,
       work_start, work_start_source,
       CASE WHEN months_min = months_max THEN months_min END AS months_in_post,
       months_min AS months_in_post_min, months_max AS months_in_post_max,
       CASE returned WHEN '是' THEN 1 WHEN '否' THEN 0 END AS returned, return_date,
       training_intent, intent
FROM v_screen_person_months m;

-- The screening's rows say where they are listed and for whom: a subsidy
-- paid from the funds of the employer's place (用人单位所在地) is listed by
-- the county when the employer is in the person's county, and by the
-- province when it is elsewhere in Hunan; the person's population and the
-- employer's place go with it.
ALTER TABLE subsidy_candidate ADD COLUMN list_level TEXT NOT NULL DEFAULT 'county';  -- county / province
ALTER TABLE subsidy_candidate ADD COLUMN population TEXT;
ALTER TABLE subsidy_candidate ADD COLUMN employer_place TEXT;

DROP VIEW IF EXISTS v_subsidy_candidate;
CREATE VIEW v_subsidy_candidate AS
SELECT period, city, county, township, village, name, id_number, rule_id, subsidy, document, article,
       (SELECT label FROM label WHERE kind = 'recipient' AND code = recipient) AS recipient_label,
       status, reason, evidence, months, amount, standard, employer, recipient, person_key,
       list_level, population, employer_place
FROM subsidy_candidate;
