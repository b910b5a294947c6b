-- Reconciliation results, per period.  bangfu-reconcile replaces a period's
-- rows in one transaction; the views below are the stable interface (SPEC §10).

CREATE TABLE reconcile_run (
	period          TEXT PRIMARY KEY,
	previous_period TEXT,                   -- the period compared against, if any
	run_at          TEXT NOT NULL,
	roster_rows     INTEGER NOT NULL,
	hr_rows         INTEGER NOT NULL,
	persons         INTEGER NOT NULL,
	consistent      INTEGER NOT NULL,
	conflict        INTEGER NOT NULL,
	roster_only     INTEGER NOT NULL,
	hr_only         INTEGER NOT NULL,
	invalid_id      INTEGER NOT NULL,
	duplicate       INTEGER NOT NULL,
	repairs         INTEGER NOT NULL
);

-- One row per person of a period.  A valid ID is one person whatever number
-- of rows carry it; every row with an invalid ID is a person of its own
-- (person_key 'roster:FILE_ID:LINE' or 'hr:FILE_ID:LINE').
CREATE TABLE person (
	period          TEXT NOT NULL,
	person_key      TEXT NOT NULL,
	id_number       TEXT NOT NULL,          -- the valid ID, or the normalised invalid text
	id_valid        INTEGER NOT NULL,
	category        TEXT NOT NULL CHECK (category IN
		('consistent', 'conflict', 'roster_only', 'hr_only', 'invalid_id', 'duplicate')),
	reason          TEXT,                   -- invalid_id: the ID's status; duplicate: where
	in_roster       INTEGER NOT NULL,
	in_hr           INTEGER NOT NULL,
	roster_rows     INTEGER NOT NULL,
	hr_rows         INTEGER NOT NULL,
	repair_pending  INTEGER NOT NULL DEFAULT 0, -- another row's proposed repair points here
	name TEXT, gender TEXT, birth_date TEXT, city TEXT, county TEXT, township TEXT, village TEXT,
	household_id    TEXT,
	labor_ability   TEXT,
	able            INTEGER,                -- has labour ability (not 丧失/无劳动力)
	labour_age      INTEGER,                -- of labour age at the period's last day
	roster_employed TEXT,                   -- 是 / 否 as the roster says
	hr_status       TEXT,                   -- 已就业 / 未就业 / 失业 as the platform says
	employed        TEXT,                   -- 是 / 否: the platform's when entered, else the roster's
	work_region     TEXT,                   -- 省外 / 省内县外 / 县内 of the same source
	employment_type TEXT,
	intent          TEXT,                   -- roster 就业意向 of the unemployed
	returned        TEXT,                   -- platform 是否返乡回流
	return_date     TEXT,
	updated_at      TEXT,
	PRIMARY KEY (period, person_key)
);
CREATE INDEX person_place ON person (period, city, county, township);

CREATE TABLE conflict (
	period       TEXT NOT NULL,
	id_number    TEXT NOT NULL,
	field        TEXT NOT NULL,             -- name gender gender_id employed work_region employer phone
	roster_value TEXT,
	hr_value     TEXT
);
CREATE INDEX conflict_person ON conflict (period, id_number);

CREATE TABLE repair (
	period      TEXT NOT NULL,
	person_key  TEXT NOT NULL,              -- the invalid row's person
	source      TEXT NOT NULL,
	file_id     INTEGER NOT NULL,
	line        INTEGER NOT NULL,
	raw_id      TEXT NOT NULL,
	proposed_id TEXT NOT NULL,
	rule        TEXT NOT NULL,              -- substitution transposition excel_scientific excel_rounded name_birth_township
	evidence    TEXT NOT NULL
);

CREATE TABLE duplicate_row (
	period    TEXT NOT NULL,
	id_number TEXT NOT NULL,
	source    TEXT NOT NULL,
	file_id   INTEGER NOT NULL,
	line      INTEGER NOT NULL,
	differs   TEXT NOT NULL                 -- fields differing from the first row ('' = identical)
);

CREATE TABLE person_change (
	period          TEXT NOT NULL,
	previous_period TEXT NOT NULL,
	id_number       TEXT NOT NULL,
	change          TEXT NOT NULL           -- newly_employed became_unemployed newly_returned new_in_roster gone_from_roster new_in_hr gone_from_hr
);
CREATE INDEX person_change_period ON person_change (period, change);

CREATE TABLE zero_household (
	period        TEXT NOT NULL,
	household_id  TEXT NOT NULL,
	city TEXT, county TEXT, township TEXT, village TEXT,
	members       INTEGER NOT NULL,
	able_members  INTEGER NOT NULL,
	PRIMARY KEY (period, household_id)
);

CREATE VIEW v_person AS
SELECT period, id_number, category, name, city, county, township, in_roster, in_hr,
       person_key, id_valid, reason, village, household_id, gender, birth_date,
       roster_rows, hr_rows, repair_pending, able, labour_age, employed, roster_employed,
       hr_status, work_region, employment_type, returned
FROM person;

CREATE VIEW v_conflict AS
SELECT c.period, c.id_number, c.field, c.roster_value, c.hr_value, p.name, p.city, p.county, p.township
FROM conflict c LEFT JOIN person p ON p.period = c.period AND p.person_key = c.id_number;

CREATE VIEW v_repair AS
SELECT r.period, r.raw_id, r.proposed_id, r.rule, r.evidence, r.source, f.file_name, r.line,
       p.name, p.city, p.county, p.township
FROM repair r JOIN source_file f USING (file_id)
LEFT JOIN person p ON p.period = r.period AND p.person_key = r.person_key;

CREATE VIEW v_duplicate AS
SELECT d.period, d.id_number, d.source, f.file_name, d.line, d.differs
FROM duplicate_row d JOIN source_file f USING (file_id);

CREATE VIEW v_township_summary AS
SELECT period, city, county, township, count(*) AS persons,
       sum(category = 'consistent') AS consistent, sum(category = 'conflict') AS conflict,
       sum(category = 'roster_only') AS roster_only, sum(category = 'hr_only') AS hr_only,
       sum(category = 'invalid_id') AS invalid_id, sum(category = 'duplicate') AS duplicate
FROM person GROUP BY period, city, county, township;

CREATE VIEW v_county_summary AS
SELECT period, city, county, count(*) AS persons,
       sum(category = 'consistent') AS consistent, sum(category = 'conflict') AS conflict,
       sum(category = 'roster_only') AS roster_only, sum(category = 'hr_only') AS hr_only,
       sum(category = 'invalid_id') AS invalid_id, sum(category = 'duplicate') AS duplicate,
       sum(roster_rows) AS roster_rows, sum(hr_rows) AS hr_rows
FROM person GROUP BY period, city, county;

CREATE VIEW v_change_summary AS
SELECT period, previous_period, change, count(*) AS persons
FROM person_change GROUP BY period, previous_period, change;

CREATE VIEW v_zero_household AS
SELECT period, city, county, township, village, household_id, members, able_members
FROM zero_household;
