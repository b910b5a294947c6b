-- What a province hands to the national roll-up (docs/national.md): two
-- read-only views, exported as CSV by `scripts/rollup export` and read by
-- DuckDB at the national level.  Nothing is stored; both read what
-- bangfu-reconcile wrote.

-- One row per township of a period: the six categories of
-- v_township_summary and the progress report's measures of township_total
-- (the 总表 columns, docs/bangfu-report.md).  Places are '' where unknown.
CREATE VIEW v_rollup_township AS
SELECT s.period, coalesce(s.city, '') AS city, coalesce(s.county, '') AS county,
       coalesce(s.township, '') AS township,
       s.persons, s.consistent, s.conflict, s.roster_only, s.hr_only, s.invalid_id, s.duplicate,
       coalesce(t.labour, 0) AS labour, coalesce(t.entered, 0) AS entered,
       coalesce(t.employed, 0) AS employed, coalesce(t.out_province, 0) AS out_province,
       coalesce(t.in_province, 0) AS in_province, coalesce(t.in_county, 0) AS in_county,
       coalesce(t.unemployed, 0) AS unemployed, coalesce(t.returned, 0) AS returned
FROM v_township_summary s
LEFT JOIN township_total t ON t.period = s.period AND t.city IS s.city AND t.county IS s.county
	AND t.township IS s.township;

-- One row per person of a period with a valid ID: whether the roster and
-- the HR platform of this province hold the ID, the person's category
-- here, and the township (the roster's, else the platform's).  The checks
-- no province can make alone (the same ID on two provinces' rosters; a
-- roster person whose work record is on another province's platform) join
-- these rows across provinces.  Invalid IDs cannot be matched across
-- provinces and are counted in v_rollup_township only.
CREATE VIEW v_rollup_person AS
SELECT period, id_number, in_roster, in_hr, category,
       coalesce(city, '') AS city, coalesce(county, '') AS county, coalesce(township, '') AS township
FROM person
WHERE id_valid = 1;
