-- Repairs, and what makes a file recognisably a bangfu database.
--
-- Schema files 002–005 were edited after databases had been made with them:
-- a database made by an earlier bangfu can lack person.phone,
-- problem_sync_run.check_state, the index repair_person, and the present
-- forms of v_township_check and v_township_progress.  This migration brings
-- any of them to the present schema, and is a no-op on what is already
-- there.  (From here on a schema change is a new file; a landed file is
-- never edited.)
--
-- The lines below are read by lib/db.c before the SQL runs (SQLite has no
-- ADD COLUMN IF NOT EXISTS):
-- add column if missing: person phone TEXT
-- add column if missing: problem_sync_run check_state TEXT

-- A bangfu database says so in its header ("bang"); lib/db.c refuses to
-- open an SQLite file of another program.
PRAGMA application_id = 1650552423;

-- person.phone as reconcile fills it (the roster's, else the platform's;
-- an invalid ID's own row), for the rows of a database that lacked it.
UPDATE person SET phone = CASE
	WHEN id_valid THEN coalesce(
		nullif((SELECT r.phone FROM roster_row r WHERE r.period = person.period
			AND r.id_number = person.id_number ORDER BY r.rowid LIMIT 1), ''),
		(SELECT h.phone FROM hr_row h WHERE h.period = person.period
			AND h.id_number = person.id_number ORDER BY h.rowid LIMIT 1))
	WHEN person_key LIKE 'roster:%' THEN (SELECT r.phone FROM roster_row r
		WHERE r.file_id = CAST(substr(person_key, 8, instr(substr(person_key, 8), ':') - 1) AS INTEGER)
		AND r.line = CAST(substr(substr(person_key, 8), instr(substr(person_key, 8), ':') + 1) AS INTEGER))
	WHEN person_key LIKE 'hr:%' THEN (SELECT h.phone FROM hr_row h
		WHERE h.file_id = CAST(substr(person_key, 4, instr(substr(person_key, 4), ':') - 1) AS INTEGER)
		AND h.line = CAST(substr(substr(person_key, 4), instr(substr(person_key, 4), ':') + 1) AS INTEGER))
	END
WHERE EXISTS (SELECT 1 FROM temp.migration_added WHERE tbl = 'person' AND col = 'phone');

-- A source row by its place in its file: an invalid ID's person names its
-- row 'roster:FILE:LINE' (bangfu-screen looked these up by scanning the
-- file's rows: minutes at 200,000 people).  The new index serves lookups by
-- file as well, so the one on file_id alone goes.
CREATE INDEX IF NOT EXISTS roster_row_line ON roster_row (file_id, line);
CREATE INDEX IF NOT EXISTS hr_row_line ON hr_row (file_id, line);
DROP INDEX IF EXISTS roster_row_file;
DROP INDEX IF EXISTS hr_row_file;

-- The invalid-ID items of the problem list name the proposed repair of
-- their row.
CREATE INDEX IF NOT EXISTS repair_person ON repair (period, person_key);

-- The views as 003 and 004 define them now; v_township_progress also
-- counts, as region_unknown (地点不详), the employed of 脱贫劳动力 whose work
-- place says no region, so that 省外 + 省内县外 + 县内 + 地点不详 = employed.
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
)
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
       CASE WHEN reached < min(min_answered, sampled) THEN '待补充核查'
	    WHEN accuracy < threshold THEN '需重新校准' ELSE '达标' END AS verdict_label,
       max(min(min_answered, sampled) - reached, 0) AS more_needed
FROM rated;

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
