-- Employment services (就业服务): the public employment service platform's
-- service records as a third source, linked to the period's persons by
-- reconcile (etl/services.c), and the measures of 湘人社规〔2021〕10号（十三）
-- ("311": 每年至少3次岗位信息、1次职业培训信息、1次职业指导) and 湘人社函
-- 〔2020〕58号 四（三）1.（1）(a job message every week for returnees and for
-- the unemployed who want work; 人岗匹配成功率 above 15%).
--
-- source_file takes the new sources.  SQLite cannot alter a CHECK
-- constraint; the table's text in the schema is widened in place (the
-- procedure of SQLite's ALTER TABLE documentation for constraint changes
-- that leave the stored rows valid), and the schema reloaded.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, 'CHECK (source IN (''roster'', ''hr''))',
		  'CHECK (source IN (''roster'', ''hr'', ''service'', ''ledger'', ''posts''))')
WHERE type = 'table' AND name = 'source_file';
PRAGMA writable_schema = RESET;

-- One service record: the ID columns as in roster_row, then what was done.
-- service_type, channel and outcome are the texts as read; etl/services.c
-- maps them to codes with templates/service_values.csv at reconcile.
CREATE TABLE service_row (
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
	service_date    TEXT NOT NULL,          -- ISO date (a record without one is rejected)
	service_type    TEXT,                   -- 岗位信息推送 / 职业培训信息 / 职业指导 / 职业介绍 / 培训报名 …
	channel         TEXT,                   -- 短信 / 电话 / 现场 / 微信 …
	item            TEXT,                   -- the job or the course
	outcome         TEXT,                   -- 应聘 / 录用 / 入职, when known
	unit            TEXT,                   -- the unit that served
	extra           TEXT
);
CREATE INDEX service_row_file ON service_row (file_id);

-- The county's monthly e-ledger (务工情况电子台账, --source ledger): the
-- roster's fields with 就业意愿 and 培训意愿, due by a day of the month
-- (templates/service_policy.csv); where it has a person, its 就业意愿 and
-- 培训意愿 are the ones the services count.
CREATE TABLE ledger_row (
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
	name TEXT, gender TEXT, phone TEXT, city TEXT, county TEXT, township TEXT, village TEXT,
	household_id TEXT, employed TEXT, work_place TEXT, employer TEXT, work_start TEXT,
	intent TEXT, training_intent TEXT, updated_on TEXT,
	extra           TEXT
);
CREATE INDEX ledger_row_file ON ledger_row (file_id);

-- The 公益性岗位安置人员花名册 (--source posts): who holds a public-welfare
-- post, where, since when.
CREATE TABLE posts_row (
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
	name TEXT, gender TEXT, phone TEXT, city TEXT, county TEXT, township TEXT, village TEXT,
	post TEXT, post_unit TEXT, post_start TEXT, post_end TEXT, subsidy TEXT,
	extra           TEXT
);
CREATE INDEX posts_row_file ON posts_row (file_id);

-- templates/service_values.csv as last read: kind (type, channel,
-- outcome), the code and every text meaning it.
CREATE TABLE service_alias (
	kind  TEXT NOT NULL,
	alias TEXT NOT NULL,
	code  TEXT NOT NULL,
	PRIMARY KEY (kind, alias)
);

-- templates/service_policy.csv as the period's reconcile read it.
CREATE TABLE service_setting (
	period TEXT NOT NULL,
	key    TEXT NOT NULL,
	value  TEXT NOT NULL,
	PRIMARY KEY (period, key)
);

-- What linking the service records did, per period: the records of the
-- 12 months, those linked by a valid ID, by an ID repair reconcile
-- proposed, those matching no person, and those of a type the template
-- does not know.  hr_dump_date: the latest 更新时间 of the period's HR
-- dump, the day its records are judged on.  weeks: the period's weeks (Monday to Sunday, counted in
-- the month that holds their Thursday), week_from/week_to their span.
CREATE TABLE service_run (
	period       TEXT PRIMARY KEY,
	window_from  TEXT NOT NULL,
	window_to    TEXT NOT NULL,
	records      INTEGER NOT NULL,
	linked       INTEGER NOT NULL,
	repaired     INTEGER NOT NULL,
	unmatched    INTEGER NOT NULL,
	unknown_type INTEGER NOT NULL,
	weeks        INTEGER NOT NULL,
	week_from    TEXT NOT NULL,
	week_to      TEXT NOT NULL,
	match_days   INTEGER NOT NULL,
	match_min    REAL NOT NULL,
	hr_dump_date TEXT,                  -- the HR dump's date: its latest 更新时间
	return_days  INTEGER NOT NULL       -- a returnee's record older than this then: follow up
);

-- Per person of the period who wants work, returned, has 培训意愿 or got a
-- service: what the 12 months and the period's weeks gave.
--   want_work      未就业 (employed 否) with a 就业意向 (not 无/否/无意愿/暂无)
--   returnee       the platform's 是否返乡回流 is 是
--   training_intent the roster's 培训意愿 is 是 (or 有)
--   jobs12 … guidance12  distinct records of the 12 months: job messages
--                  (岗位信息推送, 职业介绍), training information (职业培训
--                  信息, 培训报名), career guidance (职业指导)
--   weeks_pushed   the period's weeks with at least one job message (a job
--                  record that is not itself a hire)
--   pushed         a job message within the period's weeks
--   hired          录用/入职 within match_days after such a message
-- (the same day, type and job or course is one record, in one file or two)
CREATE TABLE service_person (
	period          TEXT NOT NULL,
	person_key      TEXT NOT NULL,
	id_number       TEXT NOT NULL,
	city TEXT, county TEXT, township TEXT, village TEXT, name TEXT,
	want_work       INTEGER NOT NULL,
	returnee        INTEGER NOT NULL,
	training_intent INTEGER NOT NULL,
	jobs12          INTEGER NOT NULL,
	training12      INTEGER NOT NULL,
	guidance12      INTEGER NOT NULL,
	weeks_pushed    INTEGER NOT NULL,
	pushed          INTEGER NOT NULL,
	hired           INTEGER NOT NULL,
	PRIMARY KEY (period, person_key)
);
CREATE INDEX service_person_place ON service_person (period, city, county, township);

-- Per person: the 311 and what is missing, the weeks, the match.
CREATE VIEW v_service_person AS
SELECT sp.period, sp.city, sp.county, sp.township, sp.village, sp.name, sp.id_number, sp.person_key,
       sp.want_work, (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(sp.want_work AS TEXT)) AS want_work_label,
       sp.returnee, (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(sp.returnee AS TEXT)) AS returnee_label,
       sp.training_intent, (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(sp.training_intent AS TEXT)) AS training_intent_label,
       sp.jobs12, sp.training12, sp.guidance12,
       (sp.jobs12 >= 3 AND sp.training12 >= 1 AND sp.guidance12 >= 1) AS ok_311,
       (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST((sp.jobs12 >= 3 AND sp.training12 >= 1 AND sp.guidance12 >= 1) AS TEXT)) AS ok_311_label,
       rtrim(CASE WHEN sp.jobs12 < 3 THEN '岗位信息差' || (3 - sp.jobs12) || '次、' ELSE '' END
	     || CASE WHEN sp.training12 < 1 THEN '职业培训信息、' ELSE '' END
	     || CASE WHEN sp.guidance12 < 1 THEN '职业指导' ELSE '' END, '、') AS missing_311,
       r.weeks, sp.weeks_pushed, sp.pushed, sp.hired
FROM service_person sp JOIN service_run r USING (period);

-- The counts every level adds up (the township's, below; the others sum it).
CREATE VIEW v_service_township AS
SELECT sp.period, coalesce(sp.city, '') AS city, coalesce(sp.county, '') AS county,
       coalesce(sp.township, '') AS township,
       sum(sp.want_work) AS want_work,
       sum(sp.want_work AND sp.jobs12 >= 3) AS jobs3,
       sum(sp.want_work AND sp.training12 >= 1) AS training1,
       sum(sp.want_work AND sp.guidance12 >= 1) AS guidance1,
       sum(sp.want_work AND sp.jobs12 >= 3 AND sp.training12 >= 1 AND sp.guidance12 >= 1) AS all311,
       sum(sp.returnee) AS returnees,
       sum(sp.returnee AND r.weeks > 0 AND sp.weeks_pushed = r.weeks) AS returnees_weekly,
       sum(sp.want_work AND r.weeks > 0 AND sp.weeks_pushed = r.weeks) AS want_weekly,
       sum(sp.pushed) AS pushed,
       sum(sp.pushed AND sp.hired) AS hired,
       sum(sp.training_intent) AS training_intent,
       sum(sp.training_intent AND sp.training12 >= 1) AS training_followed
FROM service_person sp JOIN service_run r USING (period)
GROUP BY sp.period, sp.city, sp.county, sp.township;

-- Every level in one view: level 'province' (city, county, township ''),
-- 'city', 'county', 'township'; the shares and the match rate with its flag
-- (match_low: below service_run.match_min with someone pushed).
CREATE VIEW v_service_area AS
WITH lv AS (
	SELECT period, 'township' AS level, city, county, township, want_work, jobs3, training1, guidance1, all311,
	       returnees, returnees_weekly, want_weekly, pushed, hired, training_intent, training_followed
	FROM v_service_township
	UNION ALL
	SELECT period, 'county', city, county, '', sum(want_work), sum(jobs3), sum(training1), sum(guidance1),
	       sum(all311), sum(returnees), sum(returnees_weekly), sum(want_weekly), sum(pushed), sum(hired),
	       sum(training_intent), sum(training_followed)
	FROM v_service_township GROUP BY period, city, county
	UNION ALL
	SELECT period, 'city', city, '', '', sum(want_work), sum(jobs3), sum(training1), sum(guidance1),
	       sum(all311), sum(returnees), sum(returnees_weekly), sum(want_weekly), sum(pushed), sum(hired),
	       sum(training_intent), sum(training_followed)
	FROM v_service_township GROUP BY period, city
	UNION ALL
	SELECT period, 'province', '', '', '', sum(want_work), sum(jobs3), sum(training1), sum(guidance1),
	       sum(all311), sum(returnees), sum(returnees_weekly), sum(want_weekly), sum(pushed), sum(hired),
	       sum(training_intent), sum(training_followed)
	FROM v_service_township GROUP BY period
)
SELECT lv.*, lv.want_work - lv.all311 AS short311,
       CASE WHEN lv.want_work > 0 THEN 1.0 * lv.all311 / lv.want_work END AS share311,
       CASE WHEN lv.returnees > 0 THEN 1.0 * lv.returnees_weekly / lv.returnees END AS returnees_weekly_share,
       CASE WHEN lv.want_work > 0 THEN 1.0 * lv.want_weekly / lv.want_work END AS want_weekly_share,
       CASE WHEN lv.pushed > 0 THEN 1.0 * lv.hired / lv.pushed END AS match_rate,
       (lv.pushed > 0 AND 1.0 * lv.hired / lv.pushed < r.match_min) AS match_low,
       CASE WHEN lv.training_intent > 0 THEN 1.0 * lv.training_followed / lv.training_intent END
	       AS training_followed_share,
       r.weeks, r.match_days, r.match_min
FROM lv JOIN service_run r USING (period);

-- The follow-up lists of the township workbooks (乡镇跟进名单), one row per
-- person and list:
--   1 became_unemployed  就业转失业 this month (person_change)
--   2 returnee_stale     返乡回流 whose platform record (更新时间) is older
--                        than return_days at the HR dump's date
--   3 short_311          wants work and is short of "311" (what is missing)
--   4 training_no_info   培训意愿 and no training information in 12 months
-- Lists 3 and 4 only when the 12 months have service records.  The phone
-- is the roster's, else the platform's, read from the person's rows (as
-- person.phone has it; a database reconciled before that column existed
-- has no person.phone to read).
CREATE VIEW v_service_followup AS
SELECT p.period, coalesce(p.city, '') AS city, coalesce(p.county, '') AS county,
       coalesce(p.township, '') AS township, 1 AS list, 'became_unemployed' AS list_code, p.village, p.name,
       p.id_number, coalesce((SELECT phone FROM roster_row WHERE rowid = p.roster_rowid),
		(SELECT phone FROM hr_row WHERE rowid = p.hr_rowid)) AS phone, p.household_id,
       '上月已就业，本月未就业' || CASE WHEN coalesce(p.intent, '') <> '' THEN '；就业意向：' || p.intent ELSE '' END
	       || CASE WHEN p.hr_status IS NOT NULL THEN '；省平台就业状态：' || p.hr_status ELSE '' END AS detail,
       p.person_key
FROM person_change c JOIN person p ON p.period = c.period AND p.person_key = c.person_key
WHERE c.change = 'became_unemployed'
UNION ALL
SELECT p.period, coalesce(p.city, ''), coalesce(p.county, ''), coalesce(p.township, ''), 2, 'returnee_stale',
       p.village, p.name, p.id_number,
       coalesce((SELECT phone FROM roster_row WHERE rowid = p.roster_rowid),
		(SELECT phone FROM hr_row WHERE rowid = p.hr_rowid)),
       p.household_id,
       CASE WHEN p.updated_at IS NULL THEN '省平台没有更新时间'
	    ELSE '省平台最后更新 ' || substr(p.updated_at, 1, 10) || '，至导出日 ' || r.hr_dump_date || ' 已 '
		 || CAST(julianday(r.hr_dump_date) - julianday(substr(p.updated_at, 1, 10)) AS INTEGER) || ' 天' END
	|| CASE WHEN p.return_date IS NOT NULL THEN '；返乡时间 ' || p.return_date ELSE '' END,
       p.person_key
FROM person p JOIN service_run r ON r.period = p.period
WHERE p.returned = '是' AND r.hr_dump_date IS NOT NULL
  AND (p.updated_at IS NULL
       OR substr(p.updated_at, 1, 10) < date(r.hr_dump_date, '-' || r.return_days || ' days'))
UNION ALL
SELECT v.period, coalesce(v.city, ''), coalesce(v.county, ''), coalesce(v.township, ''), 3, 'short_311', v.village,
       v.name, v.id_number,
       coalesce((SELECT phone FROM roster_row WHERE rowid = p.roster_rowid),
		(SELECT phone FROM hr_row WHERE rowid = p.hr_rowid)), p.household_id,
       '12 个月内岗位信息 ' || v.jobs12 || ' 次、职业培训信息 ' || v.training12 || ' 次、职业指导 ' || v.guidance12
	       || ' 次；缺：' || v.missing_311,
       v.person_key
FROM v_service_person v JOIN person p ON p.period = v.period AND p.person_key = v.person_key
JOIN service_run r ON r.period = v.period
WHERE v.want_work AND NOT v.ok_311 AND r.records > 0
UNION ALL
SELECT v.period, coalesce(v.city, ''), coalesce(v.county, ''), coalesce(v.township, ''), 4, 'training_no_info',
       v.village, v.name, v.id_number,
       coalesce((SELECT phone FROM roster_row WHERE rowid = p.roster_rowid),
		(SELECT phone FROM hr_row WHERE rowid = p.hr_rowid)), p.household_id,
       '有培训意愿，12 个月内没有职业培训信息' || CASE WHEN v.want_work THEN '（未就业，有就业意愿）' ELSE '' END,
       v.person_key
FROM v_service_person v JOIN person p ON p.period = v.period AND p.person_key = v.person_key
JOIN service_run r ON r.period = v.period
WHERE v.training_intent AND v.training12 = 0 AND r.records > 0;

-- Which county's e-ledger (and 公益性岗位花名册) arrived when: per county
-- of the period's persons, the first load of a file of that source with a
-- row of the county, against the due day of the month after the period
-- (templates/service_policy.csv ledger_due_day, as the period's reconcile
-- read it: the files of 2026-10 by 2026-11-20).  late: loaded after the due day, or not at all (loaded_at NULL).
CREATE VIEW v_source_arrival AS
WITH due AS (SELECT period, strftime('%Y-%m', period || '-01', '+1 month') || '-'
		   || printf('%02d', CAST(value AS INTEGER)) AS due_on
	     FROM service_setting WHERE key = 'ledger_due_day'),
counties AS (SELECT DISTINCT period, coalesce(city, '') AS city, coalesce(county, '') AS county FROM person),
arrived AS (SELECT r.period, 'ledger' AS source, coalesce(r.county, '') AS county, min(f.loaded_at) AS loaded_at
	    FROM ledger_row r JOIN source_file f USING (file_id) GROUP BY 1, 2, 3
	    UNION ALL
	    SELECT r.period, 'posts', coalesce(r.county, ''), min(f.loaded_at)
	    FROM posts_row r JOIN source_file f USING (file_id) GROUP BY 1, 2, 3)
SELECT c.period, s.source, (SELECT label FROM label WHERE kind = 'source' AND code = s.source) AS source_label,
       c.city, c.county, d.due_on, a.loaded_at,
       a.loaded_at IS NULL OR substr(a.loaded_at, 1, 10) > d.due_on AS late,
       (SELECT label FROM label WHERE kind = 'yesno'
	AND code = CAST((a.loaded_at IS NULL OR substr(a.loaded_at, 1, 10) > d.due_on) AS TEXT)) AS late_label
FROM counties c JOIN due d USING (period)
CROSS JOIN (SELECT 'ledger' AS source UNION ALL SELECT 'posts') s
LEFT JOIN arrived a ON a.period = c.period AND a.source = s.source AND a.county = c.county;
