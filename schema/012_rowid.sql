-- A source row's rowid is its place: (file_id << 32) | line.  Rows are
-- stored in file order, a row is found by its file and line without an
-- index (an invalid ID's person names its row 'roster:FILE:LINE'), and a
-- file's rows are one rowid range.  bangfu-ingest writes rows so; the rows
-- of a database made before are renumbered here, and the indexes that did
-- the same work go.
UPDATE roster_row SET rowid = (file_id << 32) | line;
UPDATE hr_row SET rowid = (file_id << 32) | line;
DROP INDEX IF EXISTS roster_row_line;
DROP INDEX IF EXISTS hr_row_line;
DROP INDEX IF EXISTS roster_row_file;
DROP INDEX IF EXISTS hr_row_file;

-- A person's first row in each source, by rowid: the stages that show a
-- person's source values (screen, the check sheets, the re-verification
-- lists) fetch it directly.  Filled by reconcile; for persons reconciled
-- before, here.
ALTER TABLE person ADD COLUMN roster_rowid INTEGER;
ALTER TABLE person ADD COLUMN hr_rowid INTEGER;
UPDATE person SET
	roster_rowid = CASE WHEN in_roster THEN
		CASE WHEN id_valid THEN (SELECT min(r.rowid) FROM roster_row r WHERE r.period = person.period
					 AND r.id_number = person.id_number)
		     WHEN person_key LIKE 'roster:%' THEN
			(CAST(substr(person_key, 8, instr(substr(person_key, 8), ':') - 1) AS INTEGER) << 32)
			| CAST(substr(substr(person_key, 8), instr(substr(person_key, 8), ':') + 1) AS INTEGER) END END,
	hr_rowid = CASE WHEN in_hr THEN
		CASE WHEN id_valid THEN (SELECT min(h.rowid) FROM hr_row h WHERE h.period = person.period
					 AND h.id_number = person.id_number)
		     WHEN person_key LIKE 'hr:%' THEN
			(CAST(substr(person_key, 4, instr(substr(person_key, 4), ':') - 1) AS INTEGER) << 32)
			| CAST(substr(substr(person_key, 4), instr(substr(person_key, 4), ':') + 1) AS INTEGER) END END;

-- The measures of the progress report per township (脱贫劳动力, 录入, 已就业
-- and its splits, …; the 总表 columns of docs/bangfu-report.md), stored per
-- period: bangfu-reconcile counts them as it writes the persons (the one
-- definition, etl/reconcile.c count_township), and v_township_progress (the
-- report's 总表, and its trend over earlier months) reads them instead of
-- counting every person again.  For the periods reconciled before, they are
-- counted here once, by the rules reconcile applies.
CREATE TABLE township_total (
	period TEXT NOT NULL, city TEXT, county TEXT, township TEXT,
	persons INTEGER NOT NULL, labour INTEGER NOT NULL, entered INTEGER NOT NULL, employed INTEGER NOT NULL,
	out_province INTEGER NOT NULL, in_province INTEGER NOT NULL, in_county INTEGER NOT NULL,
	region_unknown INTEGER NOT NULL, public_post INTEGER NOT NULL, workshop INTEGER NOT NULL,
	unemployed INTEGER NOT NULL, willing INTEGER NOT NULL, returned INTEGER NOT NULL,
	consistent INTEGER NOT NULL, conflict INTEGER NOT NULL
);
CREATE INDEX township_total_period ON township_total (period, city, county, township);
INSERT INTO township_total
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
SELECT period, city, county, township, persons, labour, entered, employed, out_province, in_province, in_county,
       region_unknown, public_post, workshop, unemployed, willing, returned, consistent, conflict
FROM g;

DROP VIEW IF EXISTS v_township_progress;
CREATE VIEW v_township_progress AS
SELECT g.period, coalesce(g.city, '') AS city, coalesce(g.county, '') AS county,
       coalesce(g.township, '') AS township, persons, labour, entered, employed, out_province, in_province,
       in_county, public_post, workshop, unemployed, willing, returned, consistent, conflict,
       coalesce(c.accurate, 0) AS accurate,
       coalesce(c.inaccurate, 0) AS inaccurate,
       (c.township IS NOT NULL) AS checked,
       coalesce(c.verdict = 'recalibrate', 0) AS recalibrate,
       c.verdict AS verdict,
       region_unknown
FROM township_total g LEFT JOIN v_township_check c
	ON c.period = g.period AND c.city = coalesce(g.city, '') AND c.county = coalesce(g.county, '')
	AND c.township = coalesce(g.township, '');
