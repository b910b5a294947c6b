-- The schema a bangfu of commit bfab70b created.
BEGIN TRANSACTION;
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
INSERT INTO schema_version VALUES(1,'001_ingest.sql','2026-11-25T00:00:00Z');
INSERT INTO schema_version VALUES(2,'002_reconcile.sql','2026-11-25T00:00:00Z');
INSERT INTO schema_version VALUES(3,'003_sample.sql','2026-11-25T00:00:00Z');
INSERT INTO schema_version VALUES(4,'004_report.sql','2026-11-25T00:00:00Z');
INSERT INTO schema_version VALUES(5,'005_checklist.sql','2026-11-25T00:00:00Z');
CREATE TABLE source_file (
	file_id       INTEGER PRIMARY KEY,
	period        TEXT NOT NULL,            -- YYYY-MM
	source        TEXT NOT NULL CHECK (source IN ('roster', 'hr')),
	file_name     TEXT NOT NULL,            -- base name as given
	file_path     TEXT NOT NULL,            -- path as given on the command line
	size_bytes    INTEGER NOT NULL,
	sha256        TEXT NOT NULL,
	encoding      TEXT NOT NULL,            -- UTF-8, UTF-8 (BOM), GB18030, or as forced
	delimiter     TEXT NOT NULL,
	header_line   INTEGER NOT NULL,         -- physical line of the (lower) header row
	header_json   TEXT NOT NULL,            -- the header cells, in order
	rows_read     INTEGER NOT NULL DEFAULT 0,
	rows_loaded   INTEGER NOT NULL DEFAULT 0,
	rows_rejected INTEGER NOT NULL DEFAULT 0,
	loaded_at     TEXT NOT NULL,            -- UTC, ISO 8601
	UNIQUE (period, source, file_name),
	CHECK (rows_read = rows_loaded + rows_rejected)
);
CREATE TABLE reject (
	file_id     INTEGER NOT NULL REFERENCES source_file (file_id) ON DELETE CASCADE,
	line        INTEGER NOT NULL,           -- first physical line of the record
	col         INTEGER,                    -- 1-based field (or byte, for encoding errors)
	column_name TEXT,
	code        TEXT NOT NULL,
	message     TEXT NOT NULL,
	raw         TEXT                        -- the record as read (decoded, truncated to 64 KiB)
);
CREATE TABLE row_warning (
	file_id     INTEGER NOT NULL REFERENCES source_file (file_id) ON DELETE CASCADE,
	line        INTEGER NOT NULL,
	col         INTEGER,
	column_name TEXT,
	code        TEXT NOT NULL,
	message     TEXT NOT NULL
);
CREATE TABLE roster_row (
	file_id         INTEGER NOT NULL REFERENCES source_file (file_id) ON DELETE CASCADE,
	period          TEXT NOT NULL,
	line            INTEGER NOT NULL,
	id_raw          TEXT NOT NULL,
	id_norm         TEXT NOT NULL,          -- normalised text (may be invalid)
	id_number       TEXT,                   -- valid 18-character ID, else NULL
	id_status       TEXT NOT NULL,          -- ok / bad_length / bad_check / ... (idno)
	id_damage       TEXT,                   -- excel_scientific / excel_rounded
	id_prefix       TEXT,                   -- digits that survived Excel damage
	id_upgraded     INTEGER NOT NULL DEFAULT 0,
	id_gender       TEXT,                   -- M / F from the sequence digit
	birth_date      TEXT,
	name TEXT, gender TEXT, ethnicity TEXT, politics TEXT, education TEXT, health TEXT,
	labor_ability TEXT, phone TEXT, city TEXT, county TEXT, township TEXT, village TEXT,
	household_id TEXT, relation TEXT, employed TEXT, work_place TEXT, employer TEXT,
	work_start TEXT, intent TEXT, service_need TEXT, training_intent TEXT,
	household_type TEXT, relocated TEXT,
	extra           TEXT                    -- JSON object of columns with no canonical field
);
CREATE TABLE hr_row (
	file_id         INTEGER NOT NULL REFERENCES source_file (file_id) ON DELETE CASCADE,
	period          TEXT NOT NULL,
	line            INTEGER NOT NULL,
	id_raw          TEXT NOT NULL,
	id_norm         TEXT NOT NULL,
	id_number       TEXT,
	id_status       TEXT NOT NULL,
	id_damage       TEXT,
	id_prefix       TEXT,
	id_upgraded     INTEGER NOT NULL DEFAULT 0,
	id_gender       TEXT,
	birth_date      TEXT,
	name TEXT, gender TEXT, phone TEXT, city TEXT, county TEXT, township TEXT,
	employment_status TEXT, employment_type TEXT, work_province TEXT, work_city TEXT,
	work_county TEXT, employer TEXT, work_start TEXT, returned TEXT, return_date TEXT,
	registered_at TEXT, updated_at TEXT, entered_by TEXT,
	extra           TEXT
);
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
CREATE TABLE conflict (
	period       TEXT NOT NULL,
	id_number    TEXT NOT NULL,
	field        TEXT NOT NULL,             -- name gender gender_id employed work_region employer phone
	roster_value TEXT,
	hr_value     TEXT
);
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
CREATE TABLE zero_household (
	period        TEXT NOT NULL,
	household_id  TEXT NOT NULL,
	city TEXT, county TEXT, township TEXT, village TEXT,
	members       INTEGER NOT NULL,
	able_members  INTEGER NOT NULL,
	PRIMARY KEY (period, household_id)
);
CREATE TABLE sample_plan (
	period        TEXT PRIMARY KEY,
	seed          INTEGER NOT NULL,
	algorithm     TEXT NOT NULL,            -- how the draw was made, by name
	sample_size   INTEGER NOT NULL,         -- per township (all when fewer)
	min_answered  INTEGER NOT NULL,         -- answers needed for a verdict
	threshold     REAL NOT NULL,            -- accuracy below this: recalibrate
	confidence    REAL NOT NULL,            -- of the Wilson interval
	plan_text     TEXT NOT NULL,            -- the plan file as it was
	drawn_at      TEXT NOT NULL
);
CREATE TABLE sample (
	period       TEXT NOT NULL,
	sample_code  TEXT NOT NULL,             -- printed on the check sheet: YYYYMM-county-township-rank
	id_number    TEXT NOT NULL,
	city TEXT, county TEXT, township TEXT,
	draw_rank    INTEGER NOT NULL,          -- 1.. within the township
	draw_key     INTEGER NOT NULL,          -- the person's random key (smallest are drawn)
	PRIMARY KEY (period, sample_code),
	UNIQUE (period, id_number)
);
CREATE TABLE check_result (
	period            TEXT NOT NULL,
	sample_code       TEXT NOT NULL,
	result            TEXT NOT NULL CHECK (result IN ('accurate', 'inaccurate', 'unreachable')),
	method            TEXT,                 -- 电话回访 / 现场核查 / 交叉检查
	corrected_status  TEXT,
	corrected_place   TEXT,
	corrected_employer TEXT,
	checker           TEXT,
	check_date        TEXT,
	file_name         TEXT NOT NULL,
	sheet             TEXT,
	row               INTEGER NOT NULL,
	loaded_at         TEXT NOT NULL,
	PRIMARY KEY (period, sample_code)
);
CREATE TABLE check_file (
	period     TEXT NOT NULL,
	file_name  TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	rows_read  INTEGER NOT NULL,
	answers    INTEGER NOT NULL,
	loaded_at  TEXT NOT NULL,
	PRIMARY KEY (period, file_name)
);
CREATE TABLE problem_sync_run (
	period     TEXT PRIMARY KEY,
	synced_at  TEXT NOT NULL,
	found      INTEGER NOT NULL,            -- items found in the period
	opened     INTEGER NOT NULL,            -- of them, new (or found again after a close)
	closed     INTEGER NOT NULL             -- items closed in the period
);
CREATE TABLE problem_seen (
	period       TEXT NOT NULL,
	problem_key  TEXT NOT NULL,             -- kind:subject, see problem.h
	kind         TEXT NOT NULL CHECK (kind IN
		('not_entered', 'conflict', 'invalid_id', 'duplicate', 'zero_household', 'recalibrate')),
	scope_key    TEXT NOT NULL,             -- the problem_scope that can close it
	city TEXT, county TEXT, township TEXT, village TEXT,
	subject      TEXT NOT NULL,             -- ID number, household number or township
	name         TEXT,                      -- person or household head, when there is one
	detail       TEXT,                      -- conflicting fields, ID status, rows ...
	responsible  TEXT NOT NULL,             -- the unit that must act
	PRIMARY KEY (problem_key, period)
);
CREATE TABLE problem_scope (
	period     TEXT NOT NULL,
	scope_key  TEXT NOT NULL,               -- 'county:CITY|COUNTY' or 'township:CITY|COUNTY|TOWNSHIP'
	PRIMARY KEY (scope_key, period)
);
CREATE TABLE problem (
	problem_key      TEXT PRIMARY KEY,
	kind             TEXT NOT NULL,
	city TEXT, county TEXT, township TEXT, village TEXT,
	subject          TEXT NOT NULL,
	name             TEXT,
	detail           TEXT,
	responsible      TEXT NOT NULL,
	opened_period    TEXT NOT NULL,
	last_seen_period TEXT NOT NULL,
	closed_period    TEXT,
	first_period     TEXT NOT NULL          -- the first period it was ever found
);
CREATE INDEX reject_file ON reject (file_id);
CREATE INDEX row_warning_file ON row_warning (file_id);
CREATE INDEX roster_row_file ON roster_row (file_id);
CREATE INDEX hr_row_file ON hr_row (file_id);
CREATE VIEW v_source_file AS
SELECT period, source, file_name, sha256, encoding, rows_read, rows_loaded,
       rows_rejected, loaded_at, size_bytes, delimiter, header_line, file_id
FROM source_file;
CREATE VIEW v_reject AS
SELECT f.period, f.source, f.file_name, r.line, r.column_name, r.code, r.message,
       r.col, r.raw
FROM reject r JOIN source_file f USING (file_id);
CREATE VIEW v_warning AS
SELECT f.period, f.source, f.file_name, w.line, w.column_name, w.code, w.message
FROM row_warning w JOIN source_file f USING (file_id);
CREATE INDEX person_place ON person (period, city, county, township);
CREATE INDEX conflict_person ON conflict (period, id_number);
CREATE INDEX person_change_period ON person_change (period, change);
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
	SELECT period, coalesce(city, '') AS city, coalesce(county, '') AS county,
	       coalesce(township, '') AS township, category, in_hr, employed, work_region,
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
SELECT g.*,
       coalesce(c.accurate, 0) AS accurate,
       coalesce(c.inaccurate, 0) AS inaccurate,
       (c.township IS NOT NULL) AS checked,
       coalesce(c.verdict = 'recalibrate', 0) AS recalibrate,
       c.verdict AS verdict
FROM g LEFT JOIN v_township_check c
	ON c.period = g.period AND c.city = g.city AND c.county = g.county AND c.township = g.township;
CREATE INDEX problem_seen_period ON problem_seen (period);
CREATE INDEX problem_place ON problem (city, county, township);
CREATE VIEW v_problem AS
SELECT problem_key, kind,
       CASE kind WHEN 'not_entered' THEN '未录入省平台' WHEN 'conflict' THEN '信息不一致'
		 WHEN 'invalid_id' THEN '证件号码无效' WHEN 'duplicate' THEN '重复记录'
		 WHEN 'zero_household' THEN '零就业家庭' WHEN 'recalibrate' THEN '需重新校准' END AS kind_label,
       city, county, township, village, subject, name, detail, responsible,
       opened_period, last_seen_period, closed_period,
       CASE WHEN closed_period IS NULL THEN 'open' ELSE 'closed' END AS state,
       (CAST(substr(coalesce(closed_period, (SELECT max(period) FROM problem_sync_run)), 1, 4) AS INTEGER) * 12
	+ CAST(substr(coalesce(closed_period, (SELECT max(period) FROM problem_sync_run)), 6, 2) AS INTEGER))
       - (CAST(substr(opened_period, 1, 4) AS INTEGER) * 12 + CAST(substr(opened_period, 6, 2) AS INTEGER))
	AS age_months,
       first_period
FROM problem;
CREATE INDEX repair_person ON repair (period, person_key);
COMMIT;
