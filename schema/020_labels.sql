-- The database explains itself: every code a view shows has its Chinese
-- label beside it (category → category_label, field → field_label, …, from
-- the label table that lib/labels.c keeps), and every yes/no a view shows is
-- 0/1 with a label (kind yesno).  The tables keep what they stored: person's
-- employed, roster_employed and returned stay '是'/'否' there (the stages read
-- them so); the views show them as 1/0 like every other flag.
--
-- Each view is redefined from its latest definition and keeps its columns in
-- their order; the labels are added beside their codes.  Also: v_problem says
-- the period it is as of (the latest synced one), and v_conflict says for a
-- gender_id conflict which sex the ID number gives (its 17th digit).

DROP VIEW IF EXISTS v_person;
CREATE VIEW v_person AS
SELECT period, id_number, category,
       (SELECT label FROM label WHERE kind = 'category' AND code = p.category) AS category_label,
       name, city, county, township,
       in_roster, (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(p.in_roster AS TEXT)) AS in_roster_label,
       in_hr, (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(p.in_hr AS TEXT)) AS in_hr_label,
       person_key,
       id_valid, (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(p.id_valid AS TEXT)) AS id_valid_label,
       reason,
       CASE WHEN p.reason IS NULL THEN NULL
	    WHEN p.category = 'duplicate'
	    THEN (SELECT label FROM label WHERE kind = 'duplicate_in' AND code = p.reason)
	    WHEN instr(p.reason, '/') > 0
	    THEN (SELECT label FROM label WHERE kind = 'id_status' AND code = substr(p.reason, 1, instr(p.reason, '/') - 1))
		 || '：' || (SELECT label FROM label WHERE kind = 'id_damage' AND code = substr(p.reason, instr(p.reason, '/') + 1))
	    ELSE (SELECT label FROM label WHERE kind = 'id_status' AND code = p.reason) END AS reason_label,
       village, household_id, gender, birth_date, roster_rows, hr_rows,
       repair_pending,
       (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(p.repair_pending AS TEXT)) AS repair_pending_label,
       able, (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(p.able AS TEXT)) AS able_label,
       labour_age,
       (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(p.labour_age AS TEXT)) AS labour_age_label,
       CASE p.employed WHEN '是' THEN 1 WHEN '否' THEN 0 END AS employed,
       (SELECT label FROM label WHERE kind = 'yesno'
	AND code = CASE p.employed WHEN '是' THEN '1' WHEN '否' THEN '0' END) AS employed_label,
       CASE p.roster_employed WHEN '是' THEN 1 WHEN '否' THEN 0 END AS roster_employed,
       (SELECT label FROM label WHERE kind = 'yesno'
	AND code = CASE p.roster_employed WHEN '是' THEN '1' WHEN '否' THEN '0' END) AS roster_employed_label,
       hr_status, work_region, employment_type,
       CASE p.returned WHEN '是' THEN 1 WHEN '否' THEN 0 END AS returned,
       (SELECT label FROM label WHERE kind = 'yesno'
	AND code = CASE p.returned WHEN '是' THEN '1' WHEN '否' THEN '0' END) AS returned_label,
       population,
       (SELECT label FROM label WHERE kind = 'population' AND code = p.population) AS population_label,
       relocated,
       (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(p.relocated AS TEXT)) AS relocated_label,
       key_county,
       (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(p.key_county AS TEXT)) AS key_county_label,
       training_intent,
       (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(p.training_intent AS TEXT)) AS training_intent_label,
       employer_region, labour_age_until
FROM person p;

DROP VIEW IF EXISTS v_conflict;
CREATE VIEW v_conflict AS
SELECT c.period, c.id_number, c.field,
       (SELECT label FROM label WHERE kind = 'field' AND code = c.field) AS field_label,
       c.roster_value, c.hr_value,
       p.name, p.city, p.county, p.township,
       -- gender_id: the sex the ID number gives (17th digit odd: men)
       CASE WHEN c.field = 'gender_id' AND length(c.id_number) = 18
	    THEN CASE WHEN CAST(substr(c.id_number, 17, 1) AS INTEGER) % 2 = 1 THEN 'M' ELSE 'F' END END AS id_gender,
       CASE WHEN c.field = 'gender_id' AND length(c.id_number) = 18
	    THEN (SELECT label FROM label WHERE kind = 'sex'
		  AND code = CASE WHEN CAST(substr(c.id_number, 17, 1) AS INTEGER) % 2 = 1 THEN 'M' ELSE 'F' END)
	    END AS id_gender_label
FROM conflict c LEFT JOIN person p ON p.period = c.period AND p.person_key = c.id_number;

DROP VIEW IF EXISTS v_repair;
CREATE VIEW v_repair AS
SELECT r.period, r.raw_id, r.proposed_id, r.rule,
       (SELECT label FROM label WHERE kind = 'repair_rule' AND code = r.rule) AS rule_label,
       r.evidence, r.source,
       (SELECT label FROM label WHERE kind = 'source' AND code = r.source) AS source_label,
       f.file_name, r.line,
       p.name, p.city, p.county, p.township
FROM repair r JOIN source_file f USING (file_id)
LEFT JOIN person p ON p.period = r.period AND p.person_key = r.person_key;

DROP VIEW IF EXISTS v_duplicate;
CREATE VIEW v_duplicate AS
SELECT d.period, d.id_number, d.source,
       (SELECT label FROM label WHERE kind = 'source' AND code = d.source) AS source_label,
       f.file_name, d.line, d.differs
FROM duplicate_row d JOIN source_file f USING (file_id);

DROP VIEW IF EXISTS v_source_file;
CREATE VIEW v_source_file AS
SELECT period, source, (SELECT label FROM label WHERE kind = 'source' AND code = s.source) AS source_label,
       file_name, sha256, encoding, rows_read, rows_loaded,
       rows_rejected, loaded_at, size_bytes, delimiter, header_line, file_id
FROM source_file s;

DROP VIEW IF EXISTS v_reject;
CREATE VIEW v_reject AS
SELECT f.period, f.source, (SELECT label FROM label WHERE kind = 'source' AND code = f.source) AS source_label,
       f.file_name, r.line, r.column_name, r.code,
       (SELECT label FROM label WHERE kind = 'reject' AND label.code = r.code) AS code_label, r.message,
       r.col, r.raw
FROM reject r JOIN source_file f USING (file_id);

DROP VIEW IF EXISTS v_warning;
CREATE VIEW v_warning AS
SELECT f.period, f.source, (SELECT label FROM label WHERE kind = 'source' AND code = f.source) AS source_label,
       f.file_name, w.line, w.column_name, w.code,
       (SELECT label FROM label WHERE kind = 'warning' AND label.code = w.code) AS code_label, w.message
FROM row_warning w JOIN source_file f USING (file_id);

DROP VIEW IF EXISTS v_problem;
CREATE VIEW v_problem AS
SELECT (SELECT max(period) FROM problem_sync_run) AS period,
       problem_key, kind,
       (SELECT label FROM label WHERE label.kind = 'problem_kind' AND code = problem.kind) AS kind_label,
       city, county, township, village, subject, name, detail, responsible,
       opened_period, last_seen_period, closed_period,
       CASE WHEN closed_period IS NULL THEN 'open' ELSE 'closed' END AS state,
       (SELECT label FROM label WHERE label.kind = 'problem_state'
	AND code = CASE WHEN closed_period IS NULL THEN 'open' ELSE 'closed' END) AS state_label,
       (CAST(substr(coalesce(closed_period, (SELECT max(period) FROM problem_sync_run)), 1, 4) AS INTEGER) * 12
	+ CAST(substr(coalesce(closed_period, (SELECT max(period) FROM problem_sync_run)), 6, 2) AS INTEGER))
       - (CAST(substr(opened_period, 1, 4) AS INTEGER) * 12 + CAST(substr(opened_period, 6, 2) AS INTEGER))
	AS age_months,
       first_period
FROM problem;

DROP VIEW IF EXISTS v_ledger;
CREATE VIEW v_ledger AS
SELECT i.code, i.problem_key, i.kind,
       (SELECT label FROM label WHERE label.kind = 'problem_kind' AND label.code = i.kind) AS kind_label,
       i.origin,
       (SELECT label FROM label WHERE label.kind = 'ledger_origin' AND label.code = i.origin) AS origin_label,
       i.city, i.county, i.township, i.village, i.subject, i.name, i.household_id, i.detail,
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
       i.return_on, i.return_handler, i.return_note, i.reopened,
       (SELECT label FROM label WHERE label.kind = 'yesno' AND label.code = CAST(i.reopened AS TEXT)) AS reopened_label,
       i.note, i.first_period, i.opened_period, i.last_seen_period, i.closed_by,
       (SELECT label FROM label WHERE label.kind = 'closed_by' AND label.code = i.closed_by) AS closed_by_label
FROM ledger_item i;

DROP VIEW IF EXISTS v_township_progress;
CREATE VIEW v_township_progress AS
SELECT g.period, coalesce(g.city, '') AS city, coalesce(g.county, '') AS county,
       coalesce(g.township, '') AS township, persons, labour, entered, employed, out_province, in_province,
       in_county, public_post, workshop, unemployed, willing, returned, consistent, conflict,
       coalesce(c.accurate, 0) AS accurate,
       coalesce(c.inaccurate, 0) AS inaccurate,
       (c.township IS NOT NULL) AS checked,
       (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST((c.township IS NOT NULL) AS TEXT)) AS checked_label,
       coalesce(c.verdict = 'recalibrate', 0) AS recalibrate,
       (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(coalesce(c.verdict = 'recalibrate', 0) AS TEXT))
	AS recalibrate_label,
       c.verdict AS verdict,
       (SELECT label FROM label WHERE kind = 'verdict' AND code = c.verdict) AS verdict_label,
       region_unknown
FROM township_total g LEFT JOIN v_township_check c
	ON c.period = g.period AND c.city = coalesce(g.city, '') AND c.county = coalesce(g.county, '')
	AND c.township = coalesce(g.township, '');

DROP VIEW IF EXISTS v_township_population;
CREATE VIEW v_township_population AS
SELECT period, coalesce(city, '') AS city, coalesce(county, '') AS county, coalesce(township, '') AS township,
       labour, employed, population_unknown, monitored_labour, monitored_employed, low_income_labour,
       low_income_employed, relocated_labour, relocated_employed, relocated_households, relocated_households_employed,
       key_county,
       (SELECT label FROM label WHERE kind = 'yesno' AND code = CAST(t.key_county AS TEXT)) AS key_county_label
FROM township_total t;

DROP VIEW IF EXISTS v_subsidy_candidate;
CREATE VIEW v_subsidy_candidate AS
SELECT period, city, county, township, village, name, id_number, rule_id, subsidy, document, article,
       (SELECT label FROM label WHERE kind = 'recipient' AND code = recipient) AS recipient_label,
       status, reason, evidence, months, amount, standard, employer, recipient, person_key,
       list_level, (SELECT label FROM label WHERE kind = 'list_level' AND code = s.list_level) AS list_level_label,
       population, (SELECT label FROM label WHERE kind = 'population' AND code = s.population) AS population_label,
       employer_place
FROM subsidy_candidate s;

DROP VIEW IF EXISTS v_month_step;
CREATE VIEW v_month_step AS
SELECT period, step, (SELECT label FROM label WHERE kind = 'step' AND code = m.step) AS step_label,
       ran_at, round(seconds, 1) AS seconds
FROM month_step m;
