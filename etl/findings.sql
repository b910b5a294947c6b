-- findings: the fixed SQL of etl/findings.c, embedded at build time
-- (scripts/embed-sql-parts.sh) as one C string per section; a section
-- starts at a line "-- @name".  Parameters: :period the month synced,
-- :upto the last month the list is derived as of, :until the last day a
-- return or an external item counts.  A scope key names what a period
-- looked at: 'county:CITY|COUNTY' for the persons of a county,
-- 'township:CITY|COUNTY|TOWNSHIP' for a checked township.  A month's end
-- is date(MONTH || '-01', '+1 month', '-1 day').

-- @facts
-- What the period found, replacing what an earlier sync of it found.
-- Details never hold an ID number, a phone or a name: the checklist prints
-- them for leadership.
DELETE FROM problem_seen WHERE period = :period;

DELETE FROM problem_scope WHERE period = :period;

-- What the period looked at.
INSERT OR IGNORE INTO problem_scope (period, scope_key)
  SELECT DISTINCT :period, 'county:' || coalesce(p.city, '') || '|' || coalesce(p.county, '') FROM person p WHERE p.period = :period;

INSERT OR IGNORE INTO problem_scope (period, scope_key)
  SELECT :period, 'township:' || coalesce(t.city, '') || '|' || coalesce(t.county, '') || '|' || coalesce(t.township, '') FROM v_township_check t
  WHERE t.period = :period AND t.verdict IN ('pass', 'recalibrate');

-- Roster persons not entered into the platform: the county HR office enters them.
INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township,
    village, subject, name, detail, responsible, person_key, household_id)
  SELECT :period, 'not_entered:' || p.id_number, 'not_entered', 'county:' || coalesce(p.city, '') || '|' || coalesce(p.county, ''),
   p.city, p.county, p.township, p.village, p.id_number, p.name,
   CASE WHEN p.repair_pending THEN '省平台有证件号码疑似录错的同一人（见证件号码修正建议）' END,
   coalesce(p.county, '') || '人社部门', p.person_key, p.household_id
  FROM person p WHERE p.period = :period AND p.category = 'roster_only';

-- Differing fields, including a gender against the ID alone: the township re-checks.
INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township,
    village, subject, name, detail, responsible, person_key, household_id)
  SELECT :period, 'conflict:' || p.id_number, 'conflict', 'county:' || coalesce(p.city, '') || '|' || coalesce(p.county, ''),
   p.city, p.county, p.township, p.village, p.id_number, p.name,
   (SELECT group_concat(label, '、') FROM (SELECT coalesce(l.label, c.field) AS label FROM conflict c
     LEFT JOIN label l ON l.kind = 'field' AND l.code = c.field
     WHERE c.period = p.period AND c.id_number = p.person_key ORDER BY c.field)),
   coalesce(p.township, p.county, '') || '就业扶贫经办', p.person_key, p.household_id
  FROM person p WHERE p.period = :period AND p.id_valid
   AND EXISTS (SELECT 1 FROM conflict c WHERE c.period = p.period AND c.id_number = p.person_key);

-- An invalid ID has no stable person key (that is file and line); the
-- source, the text as normalised and the place and name are.
INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township,
    village, subject, name, detail, responsible, person_key, household_id)
  SELECT :period, 'invalid_id:' || substr(p.person_key, 1, instr(p.person_key, ':') - 1) || ':'
   || p.id_number || ':' || coalesce(p.county, '') || ':' || coalesce(p.township, '') || ':'
   || coalesce(p.name, ''),
   'invalid_id', 'county:' || coalesce(p.city, '') || '|' || coalesce(p.county, ''), p.city, p.county, p.township, p.village, p.id_number, p.name,
   CASE WHEN p.person_key LIKE 'roster:%' THEN '扶贫系统' ELSE '省平台' END || '：证件号码'
   || coalesce((SELECT label FROM label WHERE kind = 'id_status' AND code = CASE WHEN instr(p.reason, '/')
      THEN substr(p.reason, 1, instr(p.reason, '/') - 1) ELSE p.reason END), '格式错误')
   || CASE WHEN count(*) > 1 THEN '（' || count(*) || ' 行）' ELSE '' END
   || CASE WHEN max(EXISTS (SELECT 1 FROM repair r WHERE r.period = p.period AND r.person_key = p.person_key))
    THEN '；有证件号码修正建议' ELSE '' END,
   coalesce(p.township, p.county, '') || '就业扶贫经办', min(p.person_key), min(p.household_id)
  FROM person p WHERE p.period = :period AND p.category = 'invalid_id' GROUP BY 2;

-- On the platform, not in the roster: the county verifies the person is a target.
INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township,
    village, subject, name, detail, responsible, person_key, household_id)
  SELECT :period, 'hr_only:' || p.id_number, 'hr_only', 'county:' || coalesce(p.city, '') || '|' || coalesce(p.county, ''),
   p.city, p.county, p.township, p.village, p.id_number, p.name,
   '省平台有此人，扶贫系统名单中没有' || coalesce('；省平台就业状态 ' || nullif(p.hr_status, ''), ''),
   coalesce(p.county, '') || '人社部门', p.person_key, p.household_id
  FROM person p WHERE p.period = :period AND p.category = 'hr_only';

-- The office whose source holds the ID twice de-duplicates it.
INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township,
    village, subject, name, detail, responsible, person_key, household_id)
  SELECT :period, 'duplicate:' || p.id_number, 'duplicate', 'county:' || coalesce(p.city, '') || '|' || coalesce(p.county, ''),
   p.city, p.county, p.township, p.village, p.id_number, p.name,
   CASE WHEN p.roster_rows > 1 THEN '扶贫系统 ' || p.roster_rows || ' 行' ELSE '' END
   || CASE WHEN p.roster_rows > 1 AND p.hr_rows > 1 THEN '，' ELSE '' END
   || CASE WHEN p.hr_rows > 1 THEN '省平台 ' || p.hr_rows || ' 行' ELSE '' END,
   coalesce(p.county, '') || CASE WHEN p.roster_rows > 1 AND p.hr_rows > 1 THEN '人社部门、扶贫部门'
    WHEN p.hr_rows > 1 THEN '人社部门' ELSE '扶贫部门' END, p.person_key, p.household_id
  FROM person p WHERE p.period = :period AND p.category = 'duplicate';

INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township,
    village, subject, name, detail, responsible, person_key, household_id)
  SELECT :period, 'zero_household:' || coalesce(z.county, '') || ':' || z.household_id, 'zero_household',
   'county:' || coalesce(z.city, '') || '|' || coalesce(z.county, ''), z.city, z.county, z.township, z.village, z.household_id, NULL,
   '家庭成员 ' || z.members || ' 人，有劳动能力 ' || z.able_members || ' 人，均未就业',
   coalesce(z.county, '') || '人社部门、扶贫部门', NULL, z.household_id
  FROM zero_household z WHERE z.period = :period;

-- 就业转失业: the latest change of employment up to the period was
-- became_unemployed, and the person is still not employed.  One pass
-- over the changes, not a look-up per person.
INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township,
    village, subject, name, detail, responsible, person_key, household_id)
  SELECT :period, 'became_unemployed:' || p.id_number, 'became_unemployed', 'county:' || coalesce(p.city, '') || '|' || coalesce(p.county, ''),
   p.city, p.county, p.township, p.village, p.id_number, p.name,
   c.previous_period || ' 已就业，' || c.period || ' 未就业'
   || CASE WHEN c.period < :period THEN '，' || :period || ' 仍未就业' ELSE '' END,
   coalesce(p.township, p.county, '') || '就业扶贫经办', p.person_key, p.household_id
  FROM (SELECT id_number, max(period) AS last FROM person_change WHERE period <= :period
    AND change IN ('newly_employed', 'became_unemployed') GROUP BY id_number) t
  JOIN person_change c ON c.id_number = t.id_number AND c.period = t.last AND c.change = 'became_unemployed'
  JOIN person p ON p.period = :period AND p.person_key = t.id_number
  WHERE p.employed = '否';

INSERT OR IGNORE INTO problem_seen (period, problem_key, kind, scope_key, city, county, township,
    village, subject, name, detail, responsible, person_key, household_id)
  SELECT :period, 'recalibrate:' || coalesce(t.city, '') || ':' || coalesce(t.county, '') || ':'
   || coalesce(t.township, ''), 'recalibrate', 'township:' || coalesce(t.city, '') || '|' || coalesce(t.county, '') || '|' || coalesce(t.township, ''),
   t.city, t.county, t.township, NULL, coalesce(t.township, ''), NULL,
   printf('抽查准确率 %.1f%%（准确 %d，不准确 %d）', 100.0 * t.accuracy, t.accurate, t.inaccurate),
   coalesce(t.township, t.county, '') || '就业扶贫经办', NULL, NULL
  FROM v_township_check t WHERE t.period = :period AND t.verdict = 'recalibrate';

-- @derive
-- The problem list as it stood after :upto, into temp.problem_asof.  For
-- each item, from its latest sighting: closed by the first later period
-- whose scope covers it; opened at its first sighting after the last
-- covering period that did not find it.
INSERT INTO temp.problem_asof (problem_key, kind, city, county, township, village, subject, name, detail,
  responsible, opened_period, last_seen_period, closed_period, first_period, person_key, household_id)
  WITH last AS (SELECT problem_key, max(period) AS last_seen, min(period) AS first_seen
   FROM problem_seen WHERE period <= :upto GROUP BY problem_key)
  SELECT s.problem_key, s.kind, s.city, s.county, s.township, s.village, s.subject, s.name, s.detail,
   s.responsible,
   (SELECT min(x.period) FROM problem_seen x WHERE x.problem_key = l.problem_key
     AND x.period <= l.last_seen AND x.period > coalesce((SELECT max(c.period) FROM problem_scope c
      WHERE c.scope_key = s.scope_key AND c.period < l.last_seen AND NOT EXISTS (SELECT 1
       FROM problem_seen y WHERE y.problem_key = l.problem_key AND y.period = c.period)), '')),
   l.last_seen,
   (SELECT min(c.period) FROM problem_scope c WHERE c.scope_key = s.scope_key
     AND c.period > l.last_seen AND c.period <= :upto),
   l.first_seen, s.person_key, s.household_id
  FROM last l JOIN problem_seen s ON s.problem_key = l.problem_key AND s.period = l.last_seen;

-- @codes
-- Codes for the items that have none: per prefix and month, after the
-- highest number given so far, in the order of place, kind and subject.
INSERT INTO ledger_code (problem_key, code, listed)
  WITH base AS (SELECT substr(code, 1, 7) AS prefix, max(CAST(substr(code, 9) AS INTEGER)) AS n
   FROM ledger_code GROUP BY 1),
  fresh AS (
   SELECT p.problem_key, 'S' || replace(p.first_period, '-', '') AS prefix, p.first_period AS listed,
    p.city, p.county, p.township, p.kind, p.subject FROM problem p
    WHERE NOT EXISTS (SELECT 1 FROM ledger_code c WHERE c.problem_key = p.problem_key)
   UNION ALL
   SELECT e.problem_key, CASE e.kind WHEN 'lookback' THEN 'H' WHEN 'inspection' THEN 'D'
     WHEN 'hotline' THEN 'T' ELSE 'Q' END || replace(substr(e.found_on, 1, 7), '-', ''),
    substr(e.found_on, 1, 7), e.city, e.county, e.township, e.kind, coalesce(e.source_ref, e.found_on)
    FROM ledger_external e
    WHERE NOT EXISTS (SELECT 1 FROM ledger_code c WHERE c.problem_key = e.problem_key))
  SELECT f.problem_key, f.prefix || '-' || printf('%04d', coalesce(b.n, 0) + row_number() OVER (
    PARTITION BY f.prefix ORDER BY bf_place_order(f.city, f.county), coalesce(f.city, ''),
    coalesce(f.county, ''), coalesce(f.township, ''), k.seq, f.subject, f.problem_key)), f.listed
  FROM fresh f LEFT JOIN base b ON b.prefix = f.prefix LEFT JOIN ledger_rule k ON k.kind = f.kind;

-- @ledger
-- The ledger, into temp.ledger_asof, from the problem list in
-- temp.problem_asof (as of :upto), the external items found by :until and
-- the returns of the lists up to :upto dated by :until.  Per item:
--   seen_on    the last day of the last month whose data found it (data items);
--   ok_on      the first 已整改 of the episode that no later data contradicts;
--   done_on    the last 已整改 of the episode;
--   refuted_on the last 已整改 of the episode the data of a month ending
--              on or after it contradicts;
-- and closed_on as the kind's closed_by says.  A return belongs to the
-- episode when it was made on the lists of a month of it.
INSERT INTO temp.ledger_asof (problem_key, code, kind, origin, city, county, township, village, subject,
  name, household_id, person_key, detail, responsible, person, helper, closed_by, first_period,
  opened_period, last_seen_period, closed_period, opened_on, deadline_on, closed_on, basis,
  return_period, return_status, return_on, return_handler, return_note, reopened, note)
  WITH items AS (
   SELECT p.problem_key, p.kind, 'data' AS origin, p.city, p.county, p.township, p.village, p.subject,
    p.name, p.household_id, p.person_key, p.detail, p.responsible, NULL AS list_person, p.first_period,
    p.opened_period, p.last_seen_period, p.closed_period, date(p.opened_period || '-01', '+1 month', '-1 day') AS opened_on,
    NULL AS deadline_given, date(p.last_seen_period || '-01', '+1 month', '-1 day') AS seen_on,
    date(p.closed_period || '-01', '+1 month', '-1 day') AS data_closed_on
   FROM temp.problem_asof p
   UNION ALL
   SELECT e.problem_key, e.kind, 'external', e.city, e.county, e.township, e.village, e.subject, e.name,
    e.household_id, NULL, e.detail, e.responsible, e.person, substr(e.found_on, 1, 7),
    substr(e.found_on, 1, 7), NULL, NULL, e.found_on, e.deadline_on, NULL, NULL
   FROM ledger_external e WHERE e.found_on <= :until
  ), r AS (SELECT * FROM ledger_return WHERE period <= :upto AND fixed_on <= :until
  ), j AS (
   SELECT i.*, k.days, k.closed_by,
    (SELECT min(x.fixed_on) FROM r x WHERE x.problem_key = i.problem_key AND x.status = 'done'
      AND x.period >= i.opened_period AND (i.seen_on IS NULL OR x.fixed_on > i.seen_on)) AS ok_on,
    (SELECT max(x.fixed_on) FROM r x WHERE x.problem_key = i.problem_key AND x.status = 'done'
      AND x.period >= i.opened_period) AS done_on,
    (SELECT max(x.fixed_on) FROM r x WHERE x.problem_key = i.problem_key AND x.status = 'done'
      AND x.period >= i.opened_period AND x.fixed_on <= i.seen_on) AS refuted_on,
    (SELECT max(x.period) FROM r x WHERE x.problem_key = i.problem_key AND x.period >= i.opened_period)
      AS last_return
   FROM items i JOIN ledger_rule k ON k.kind = i.kind
  ), c AS (
   SELECT j.*, CASE j.closed_by WHEN 'data' THEN data_closed_on WHEN 'return' THEN ok_on
    WHEN 'either' THEN CASE WHEN data_closed_on IS NULL THEN ok_on WHEN ok_on IS NULL THEN data_closed_on
     WHEN ok_on < data_closed_on THEN ok_on ELSE data_closed_on END
    WHEN 'both' THEN CASE WHEN data_closed_on IS NOT NULL AND done_on IS NOT NULL THEN
     CASE WHEN done_on > data_closed_on THEN done_on ELSE data_closed_on END END END AS closed_on
   FROM j
  )
  SELECT c.problem_key, lc.code, c.kind, c.origin, c.city, c.county, c.township, c.village, c.subject,
   c.name, c.household_id, c.person_key, c.detail, c.responsible,
   coalesce((SELECT x.person FROM r x WHERE x.problem_key = c.problem_key AND x.person IS NOT NULL
     ORDER BY x.period DESC LIMIT 1), c.list_person,
    (SELECT t.person FROM ledger_contact t WHERE t.unit = c.responsible
      AND t.city IN ('', coalesce(c.city, '')) AND t.county IN ('', coalesce(c.county, ''))
      AND t.township IN ('', coalesce(c.township, ''))
     ORDER BY t.township <> '' DESC, t.county <> '' DESC, t.city <> '' DESC LIMIT 1)),
   (SELECT x.helper FROM r x WHERE x.problem_key = c.problem_key AND x.helper IS NOT NULL
     ORDER BY x.period DESC LIMIT 1),
   c.closed_by, c.first_period, c.opened_period, c.last_seen_period, c.closed_period, c.opened_on,
   coalesce(c.deadline_given, date(c.opened_on, '+' || c.days || ' days')), c.closed_on,
   CASE WHEN c.closed_on IS NULL THEN NULL WHEN c.closed_by IN ('data', 'return') THEN c.closed_by
    WHEN c.closed_by = 'both' THEN 'data+return'
    WHEN c.data_closed_on IS NOT NULL AND c.ok_on IS NOT NULL THEN 'data+return'
    WHEN c.data_closed_on IS NOT NULL THEN 'data' ELSE 'return' END,
   lr.period, lr.status, lr.fixed_on, lr.handler, lr.note,
   c.refuted_on IS NOT NULL AND c.closed_by IN ('either', 'return'),
   CASE WHEN c.refuted_on IS NOT NULL THEN '乡镇 ' || c.refuted_on || ' 报已整改，' ||
     (SELECT min(s.period) FROM problem_seen s WHERE s.problem_key = c.problem_key AND s.period <= :upto
      AND date(s.period || '-01', '+1 month', '-1 day') >= c.refuted_on) || ' 数据仍有此问题，重新挂单'
    WHEN c.first_period < c.opened_period THEN c.first_period || ' 首次发现，销号后 ' || c.opened_period
     || ' 再次发现' END
  FROM c LEFT JOIN ledger_code lc ON lc.problem_key = c.problem_key
  LEFT JOIN r lr ON lr.problem_key = c.problem_key AND lr.period = c.last_return;
