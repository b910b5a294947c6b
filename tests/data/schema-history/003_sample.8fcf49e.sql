-- Sampling for call-back checks, the returned results, and the 90% rule
-- (湘人社函〔2020〕58号).  One plan and one sample per period.

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

-- Per township: the counts; accuracy over the persons reached; the Wilson
-- score interval; the verdict.  z is the normal quantile of the plan's
-- confidence (1.96 for 95%).
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
       threshold
FROM rated;
