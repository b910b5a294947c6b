-- Month-over-month changes (etl/changes.c) name their person, and a person
-- whose roster ID changed between the months is one change, not one gone
-- and one new:
--
--   id_corrected  last month's roster row had an invalid ID (or a valid one
--                 a digit or a transposition away) and this month's has the
--                 valid ID, same name and 户编号: old_id → id_number
--   id_damaged    the reverse: last month's valid ID, this month an invalid
--                 one for the same name and 户编号
--
-- person_key is the key of the person row the change is about: this
-- period's row, or for gone_from_roster / gone_from_hr the previous
-- period's (v_change joins it so).  old_person_key and old_id: the previous
-- period's person of an ID change.  The rows made before carry only valid
-- IDs, whose person_key is the ID.
ALTER TABLE person_change ADD COLUMN person_key TEXT;
ALTER TABLE person_change ADD COLUMN old_id TEXT;
ALTER TABLE person_change ADD COLUMN old_person_key TEXT;
UPDATE person_change SET person_key = id_number WHERE person_key IS NULL;

DROP VIEW IF EXISTS v_change_summary;
CREATE VIEW v_change_summary AS
SELECT c.period, c.previous_period, c.change, count(*) AS persons, l.label AS change_label
FROM person_change c LEFT JOIN label l ON l.kind = 'change' AND l.code = c.change
GROUP BY c.period, c.previous_period, c.change;

-- One row per change with its label and the person's place (the previous
-- period's for a person gone from a source).
CREATE VIEW v_change AS
SELECT c.period, c.previous_period, c.change, l.label AS change_label, c.id_number, c.old_id, c.person_key,
       c.old_person_key, p.name, coalesce(p.city, '') AS city, coalesce(p.county, '') AS county,
       coalesce(p.township, '') AS township, p.village, p.household_id
FROM person_change c
LEFT JOIN label l ON l.kind = 'change' AND l.code = c.change
LEFT JOIN person p ON p.period = CASE WHEN c.change IN ('gone_from_roster', 'gone_from_hr')
				      THEN c.previous_period ELSE c.period END
	AND p.person_key = c.person_key;

-- The changes per township: the progress report's 本月变动 (and its CSV).
CREATE VIEW v_change_township AS
SELECT period, previous_period, city, county, township,
       sum(change = 'became_unemployed') AS became_unemployed,
       sum(change = 'newly_employed') AS newly_employed,
       sum(change = 'newly_returned') AS newly_returned,
       sum(change = 'new_in_roster') AS new_in_roster,
       sum(change = 'gone_from_roster') AS gone_from_roster,
       sum(change = 'id_corrected') AS id_corrected,
       sum(change = 'id_damaged') AS id_damaged,
       sum(change = 'new_in_hr') AS new_in_hr,
       sum(change = 'gone_from_hr') AS gone_from_hr
FROM v_change GROUP BY period, previous_period, city, county, township;
