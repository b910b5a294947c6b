-- The rest of each township's categories and its rows in township_total,
-- counted by bangfu-reconcile as it writes the persons (etl/reconcile.c
-- count_township), so that v_township_summary and v_county_summary (the
-- progress report's 比对情况, and what a statistician asks the database
-- first) read a row per township instead of grouping every person of every
-- period: at 4 million people the report spent 10 of its seconds there.
-- The views keep their columns and contents.  For the periods reconciled
-- before, the new columns are counted here once from the persons.

ALTER TABLE township_total ADD COLUMN roster_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN hr_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN invalid_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN duplicate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN roster_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE township_total ADD COLUMN hr_rows INTEGER NOT NULL DEFAULT 0;

UPDATE township_total SET (roster_only, hr_only, invalid_id, duplicate, roster_rows, hr_rows) = (
	SELECT coalesce(sum(category = 'roster_only'), 0), coalesce(sum(category = 'hr_only'), 0),
	       coalesce(sum(category = 'invalid_id'), 0), coalesce(sum(category = 'duplicate'), 0),
	       coalesce(sum(roster_rows), 0), coalesce(sum(hr_rows), 0)
	FROM person p
	WHERE p.period = township_total.period AND p.city IS township_total.city
	  AND p.county IS township_total.county AND p.township IS township_total.township);

DROP VIEW IF EXISTS v_township_summary;
CREATE VIEW v_township_summary AS
SELECT period, city, county, township, persons, consistent, conflict, roster_only, hr_only, invalid_id, duplicate
FROM township_total ORDER BY period, city, county, township;

DROP VIEW IF EXISTS v_county_summary;
CREATE VIEW v_county_summary AS
SELECT period, city, county, sum(persons) AS persons,
       sum(consistent) AS consistent, sum(conflict) AS conflict,
       sum(roster_only) AS roster_only, sum(hr_only) AS hr_only,
       sum(invalid_id) AS invalid_id, sum(duplicate) AS duplicate,
       sum(roster_rows) AS roster_rows, sum(hr_rows) AS hr_rows
FROM township_total GROUP BY period, city, county;
