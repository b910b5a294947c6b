-- The problem list of the special action (挂单销号, 湘人社函〔2020〕58号 四.2):
-- every actionable finding of a period's reconciliation and township checks
-- becomes an item with a key that stays the same from month to month; an item
-- a later reconciliation no longer finds is closed (销号).  Written by
-- lib/problem.c (problem_sync), read by bangfu-checklist and the township
-- workbooks.
--
-- What a sync writes are the facts of one period: problem_seen (the items
-- found) and problem_scope (what the period looked at: a county present in
-- the data, a township with a check verdict).  The table problem is derived
-- from those facts for all synced periods, so syncing a period again, or an
-- earlier one after a later one, gives the same list.

CREATE TABLE problem_sync_run (
	period     TEXT PRIMARY KEY,
	synced_at  TEXT NOT NULL,
	found      INTEGER NOT NULL,            -- items found in the period
	opened     INTEGER NOT NULL,            -- of them, new (or found again after a close)
	closed     INTEGER NOT NULL,            -- items closed in the period
	check_state TEXT                        -- the township verdicts it saw (to tell a stale sync)
);

-- One row per item found in a period.
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
CREATE INDEX problem_seen_period ON problem_seen (period);

-- What a period looked at.  An open item is closed only by a period whose
-- scope covers it: a county missing from a month's files closes nothing.
CREATE TABLE problem_scope (
	period     TEXT NOT NULL,
	scope_key  TEXT NOT NULL,               -- 'county:CITY|COUNTY' or 'township:CITY|COUNTY|TOWNSHIP'
	PRIMARY KEY (scope_key, period)
);

-- The list as of the latest synced period: one row per item ever found.
-- opened_period is the start of the item's current episode (an item closed
-- and found again is opened again); closed_period is NULL while it is open.
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

-- The invalid-ID items name the proposed repair of their row.
CREATE INDEX repair_person ON repair (period, person_key);
