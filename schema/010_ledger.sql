-- The ledger of the special action (挂单销号, 湘人社函〔2020〕58号 四.2): one
-- source of findings, and every item of it — found by the data, or listed by
-- 回头看, 联点督查 and the 12317 hotline — with its ledger code, 责任单位 and
-- 责任人, 整改时限, status (在办 / 逾期 / 已销号), 销号日期 and 销号依据.
-- Written by etl/findings.c (findings_sync after reconcile and verify; the
-- derivation of the ledger) and etl/ledger.c (bangfu-ledger: external
-- problem lists and the township work lists returned); read by the township
-- workbooks, bangfu-checklist and a statistician's own queries.
--
-- problem_seen (the findings of each period) gains two kinds — hr_only
-- 扶贫名单外人员 and became_unemployed 就业转失业 — and the person or
-- household a finding was made on, so that the lists render a finding's
-- evidence from the rows it was found on instead of finding it again.
-- SQLite cannot widen a CHECK in place: the table is rebuilt.

CREATE TABLE problem_seen_010 (
	period       TEXT NOT NULL,
	problem_key  TEXT NOT NULL,             -- kind:subject, see etl/findings.h
	kind         TEXT NOT NULL CHECK (kind IN
		('not_entered', 'conflict', 'invalid_id', 'hr_only', 'duplicate', 'zero_household',
		 'became_unemployed', 'recalibrate')),
	scope_key    TEXT NOT NULL,             -- the problem_scope that can close it
	city TEXT, county TEXT, township TEXT, village TEXT,
	subject      TEXT NOT NULL,             -- ID number, household number or township
	name         TEXT,                      -- person, when there is one
	detail       TEXT,                      -- what was found, without ID numbers, phones or names
	responsible  TEXT NOT NULL,             -- 责任单位: the unit that must act
	person_key   TEXT,                      -- the period's person row it was found on
	household_id TEXT,                      -- the household, for households and persons with one
	PRIMARY KEY (problem_key, period)
);

-- Earlier findings keep their rows; what they lack is filled in where the
-- key says it, and a proposed ID repair leaves the detail (the lists show
-- it, masked, from the repair itself).
INSERT INTO problem_seen_010 (period, problem_key, kind, scope_key, city, county, township, village, subject,
			      name, detail, responsible, person_key, household_id)
SELECT s.period, s.problem_key, s.kind, s.scope_key, s.city, s.county, s.township, s.village, s.subject, s.name,
       CASE WHEN s.kind = 'invalid_id' AND instr(s.detail, '；建议改为 ') > 0
	    THEN substr(s.detail, 1, instr(s.detail, '；建议改为 ') - 1) || '；有证件号码修正建议'
	    ELSE s.detail END,
       s.responsible,
       CASE WHEN s.kind IN ('not_entered', 'conflict', 'duplicate') THEN s.subject
	    WHEN s.kind = 'invalid_id' THEN (SELECT min(p.person_key) FROM person p WHERE p.period = s.period
		AND p.category = 'invalid_id' AND p.id_number = s.subject AND p.county IS s.county
		AND p.township IS s.township AND p.name IS s.name) END,
       CASE WHEN s.kind = 'zero_household' THEN s.subject
	    WHEN s.kind IN ('not_entered', 'conflict', 'duplicate') THEN (SELECT p.household_id FROM person p
		WHERE p.period = s.period AND p.person_key = s.subject)
	    WHEN s.kind = 'invalid_id' THEN (SELECT min(p.household_id) FROM person p WHERE p.period = s.period
		AND p.category = 'invalid_id' AND p.id_number = s.subject AND p.county IS s.county
		AND p.township IS s.township AND p.name IS s.name) END
FROM problem_seen s;

DROP TABLE problem_seen;
ALTER TABLE problem_seen_010 RENAME TO problem_seen;
CREATE INDEX problem_seen_period ON problem_seen (period);

-- The list as of the latest synced period carries the same two columns.
ALTER TABLE problem ADD COLUMN person_key TEXT;
ALTER TABLE problem ADD COLUMN household_id TEXT;

-- The ledger code of every item ever listed (问题编号): printed on the
-- township work lists, and how a returned list names its items (the ID
-- there is masked).  Assigned once, never changed or reused:
-- S202004-0001 for a finding of the data first listed with 2020-04, and for
-- external items H (回头看), D (联点督查), T (12317 投诉), Q (其他) with the
-- month they were found.
CREATE TABLE ledger_code (
	problem_key TEXT PRIMARY KEY,
	code        TEXT NOT NULL UNIQUE,
	listed      TEXT NOT NULL                -- the month of the code
) WITHOUT ROWID;

-- Problems found outside the data (湘人社函〔2020〕58号 四.2: 回头看问题清单,
-- 联点督查问题清单, 12317 投诉问题清单 and others), loaded by bangfu-ledger
-- --problems.  Closed only by a township's return, never by the data.
CREATE TABLE ledger_external (
	problem_key  TEXT PRIMARY KEY,          -- 'external:KIND:' and the list's own number, or its content
	kind         TEXT NOT NULL CHECK (kind IN ('lookback', 'inspection', 'hotline', 'feedback')),
	source_ref   TEXT,                      -- the list's own number (问题编号, 工单号), when it has one
	city TEXT, county TEXT NOT NULL, township TEXT, village TEXT,
	subject      TEXT,                      -- ID number (as given, masked or not), when there is one
	name         TEXT,
	household_id TEXT,
	detail       TEXT NOT NULL,             -- the problem as the list describes it
	responsible  TEXT NOT NULL,             -- 责任单位
	person       TEXT,                      -- 责任人 named by the list
	found_on     TEXT NOT NULL,             -- 发现日期 (YYYY-MM-DD)
	deadline_on  TEXT,                      -- 整改时限 given by the list; NULL: by kind (ledger_rule)
	file_name    TEXT NOT NULL,
	sha256       TEXT NOT NULL,
	line         INTEGER NOT NULL,
	loaded_at    TEXT NOT NULL
);

-- What the townships returned on the work lists of a period (整改情况,
-- 整改日期, 经办人 …), one row per item and period.  A file loaded again
-- (its name and the counties its rows belong to) replaces the returns it
-- gives again.
CREATE TABLE ledger_return (
	period        TEXT NOT NULL,            -- the work lists' period
	problem_key   TEXT NOT NULL,
	status        TEXT NOT NULL CHECK (status IN ('done', 'ongoing', 'unable')),
	fixed_on      TEXT NOT NULL,            -- 整改日期
	handler       TEXT NOT NULL,            -- 经办人
	person        TEXT,                     -- 责任人, as the township gives it
	helper        TEXT,                     -- 帮扶责任人 (就业转失业, 零就业家庭)
	note          TEXT,                     -- 整改说明 (why, for 无法整改)
	file_name     TEXT NOT NULL,
	file_counties TEXT NOT NULL,
	sheet         TEXT,
	row           INTEGER NOT NULL,
	loaded_at     TEXT NOT NULL,
	PRIMARY KEY (period, problem_key)
);
CREATE INDEX ledger_return_key ON ledger_return (problem_key);

-- Files bangfu-ledger loaded: returned work lists (known by period, name and
-- counties) and external problem lists (known by name and SHA-256).
CREATE TABLE ledger_file (
	what       TEXT NOT NULL CHECK (what IN ('return', 'problems')),
	period     TEXT NOT NULL,               -- returns: the lists' period; problem lists: ''
	file_name  TEXT NOT NULL,
	counties   TEXT NOT NULL,               -- returns: 市州县市区 of its rows; problem lists: ''
	sha256     TEXT NOT NULL,
	rows_read  INTEGER NOT NULL,
	items      INTEGER NOT NULL,
	loaded_at  TEXT NOT NULL,
	PRIMARY KEY (what, period, file_name, counties, sha256)
);

-- templates/ledger_kinds.csv and templates/contacts.csv as the ledger was
-- last derived with them (every sync reads them again): the days to the
-- 整改时限 and what closes an item, by kind, in the template's order; and
-- the 责任人 of each unit.
CREATE TABLE ledger_rule (
	kind      TEXT PRIMARY KEY,
	seq       INTEGER NOT NULL,             -- the row's place in the template: the order of the lists
	days      INTEGER NOT NULL,
	closed_by TEXT NOT NULL CHECK (closed_by IN ('data', 'return', 'either', 'both'))
);

CREATE TABLE ledger_contact (
	city TEXT NOT NULL, county TEXT NOT NULL, township TEXT NOT NULL,   -- '' = any
	unit   TEXT NOT NULL,                   -- 责任单位, as the items name it
	person TEXT NOT NULL                    -- 责任人
);

-- The ledger as of the latest synced period with every return loaded:
-- derived (by findings.c) from problem_seen, problem_scope, ledger_external,
-- ledger_return and the rules, never updated in place.
CREATE TABLE ledger_item (
	problem_key      TEXT PRIMARY KEY,
	code             TEXT NOT NULL,
	kind             TEXT NOT NULL,
	origin           TEXT NOT NULL,         -- data / external
	city TEXT, county TEXT, township TEXT, village TEXT,
	subject          TEXT,
	name             TEXT,
	household_id     TEXT,
	person_key       TEXT,
	detail           TEXT,
	responsible      TEXT NOT NULL,         -- 责任单位
	person           TEXT,                  -- 责任人: the latest return's, else the list's, else contacts
	helper           TEXT,                  -- 帮扶责任人: the latest given
	closed_by        TEXT NOT NULL,
	first_period     TEXT NOT NULL,         -- the month first found
	opened_period    TEXT NOT NULL,         -- the month the current episode began
	last_seen_period TEXT,                  -- data: the last month that found it
	closed_period    TEXT,                  -- data: the first later month that looked and did not find it
	opened_on        TEXT NOT NULL,         -- 挂单日期: the last day of opened_period, or 发现日期
	deadline_on      TEXT NOT NULL,         -- 整改时限
	closed_on        TEXT,                  -- 销号日期; NULL while open
	basis            TEXT,                  -- 销号依据: data / return / data+return
	return_period    TEXT,                  -- the latest return of the episode: its lists' period,
	return_status    TEXT,                  --   status (done / ongoing / unable),
	return_on        TEXT,                  --   整改日期,
	return_handler   TEXT,                  --   经办人,
	return_note      TEXT,                  --   and 整改说明
	reopened         INTEGER NOT NULL,      -- 1: a return said 已整改 and later data still found it
	note             TEXT                   -- why it was reopened, or found again after a close
);
CREATE INDEX ledger_item_place ON ledger_item (city, county, township);

-- The findings of each period, labelled: what every list renders.
CREATE VIEW v_finding AS
SELECT s.period, s.problem_key, c.code, s.kind,
       (SELECT label FROM label WHERE label.kind = 'problem_kind' AND label.code = s.kind) AS kind_label,
       s.city, s.county, s.township, s.village, s.subject, s.name, s.detail, s.responsible,
       s.person_key, s.household_id
FROM problem_seen s LEFT JOIN ledger_code c ON c.problem_key = s.problem_key;

-- The ledger, labelled and judged today: state open / overdue (整改时限 passed,
-- the deadline day itself on time) / closed, and the days open (to the
-- 销号日期 for a closed item).
CREATE VIEW v_ledger AS
SELECT i.code, i.problem_key, i.kind,
       (SELECT label FROM label WHERE label.kind = 'problem_kind' AND label.code = i.kind) AS kind_label,
       i.origin, i.city, i.county, i.township, i.village, i.subject, i.name, i.household_id, i.detail,
       i.responsible, i.person, i.helper, i.opened_on, i.deadline_on,
       CASE WHEN i.closed_on IS NOT NULL THEN 'closed' WHEN i.deadline_on < date('now') THEN 'overdue'
	    ELSE 'open' END AS state,
       (SELECT label FROM label WHERE label.kind = 'ledger_state' AND label.code =
	CASE WHEN i.closed_on IS NOT NULL THEN 'closed' WHEN i.deadline_on < date('now') THEN 'overdue'
	     ELSE 'open' END) AS state_label,
       CAST(julianday(coalesce(i.closed_on, date('now'))) - julianday(i.opened_on) AS INTEGER) AS days_open,
       i.closed_on, i.basis,
       (SELECT label FROM label WHERE label.kind = 'ledger_basis' AND label.code = i.basis) AS basis_label,
       i.closed_period, i.return_period, i.return_status,
       (SELECT label FROM label WHERE label.kind = 'return_status' AND label.code = i.return_status)
	AS return_status_label,
       i.return_on, i.return_handler, i.return_note, i.reopened, i.note,
       i.first_period, i.opened_period, i.last_seen_period, i.closed_by
FROM ledger_item i;

-- Every return loaded, labelled.
CREATE VIEW v_ledger_return AS
SELECT r.period, c.code, r.problem_key, r.status,
       (SELECT label FROM label WHERE label.kind = 'return_status' AND label.code = r.status) AS status_label,
       r.fixed_on, r.handler, r.person, r.helper, r.note, r.file_name, r.file_counties, r.sheet, r.row,
       r.loaded_at
FROM ledger_return r LEFT JOIN ledger_code c ON c.problem_key = r.problem_key;
