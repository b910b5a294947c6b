-- Subsidy screening by data comparison (政策应享尽享, 湘人社函〔2020〕58号
-- 四(二)3(2)): per period, every person the rules of
-- templates/subsidy_rules.csv list for a subsidy, with the evidence, the
-- amount and the status.  bangfu-screen replaces a period's rows in one
-- transaction.  The rule's texts are copied in, so a later edit of the
-- template does not change what an earlier month said.

CREATE TABLE screen_run (
	period          TEXT PRIMARY KEY,
	run_at          TEXT NOT NULL,
	rules_file      TEXT NOT NULL,
	rules_in_force  TEXT NOT NULL,          -- rule ids in force at the period's last day, comma-separated
	persons         INTEGER NOT NULL,       -- employed persons looked at
	candidates      INTEGER NOT NULL,       -- rows of subsidy_candidate
	eligible        INTEGER NOT NULL,       -- of them 符合
	to_verify       INTEGER NOT NULL        -- of them 待核实
);

CREATE TABLE subsidy_candidate (
	period      TEXT NOT NULL,
	person_key  TEXT NOT NULL,              -- person.person_key
	rule_id     TEXT NOT NULL,              -- id column of the rules template
	rule_order  INTEGER NOT NULL,           -- the rule's row in the template, for ordering
	id_number   TEXT NOT NULL,
	name TEXT, city TEXT, county TEXT, township TEXT, village TEXT,
	employer    TEXT,                       -- 就业单位 (platform, else roster)
	subsidy     TEXT NOT NULL,              -- 补贴项目, e.g. 就业创业服务补助
	document    TEXT NOT NULL,              -- e.g. 湘人社规〔2021〕10号
	article     TEXT NOT NULL,              -- e.g. 二（四）
	recipient   TEXT NOT NULL CHECK (recipient IN ('person', 'employer', 'agency')),
	status      TEXT NOT NULL CHECK (status IN ('符合', '待核实')),
	reason      TEXT,                       -- 待核实: what is missing or disputed
	evidence    TEXT NOT NULL,              -- the field values that satisfy the rule
	months      INTEGER,                    -- months in post at the period's last day
	amount      REAL,                       -- yuan; NULL where the document fixes no amount
	standard    TEXT NOT NULL,              -- the rule's standard as text
	PRIMARY KEY (period, person_key, rule_id)
);
CREATE INDEX subsidy_candidate_place ON subsidy_candidate (period, city, county, township);
-- The once-per-year limit looks up a person's earlier periods.
CREATE INDEX subsidy_candidate_person ON subsidy_candidate (person_key, subsidy, period);

CREATE VIEW v_subsidy_candidate AS
SELECT period, city, county, township, village, name, id_number, rule_id, subsidy, document, article,
       CASE recipient WHEN 'person' THEN '个人' WHEN 'employer' THEN '用人单位' ELSE '人力资源服务机构' END
	AS recipient_label,
       status, reason, evidence, months, amount, standard, employer, recipient, person_key
FROM subsidy_candidate;

-- Per 市州 and subsidy: what the province summary (and the progress report,
-- when a period is screened) shows.
CREATE VIEW v_subsidy_city AS
SELECT period, coalesce(city, '') AS city, rule_id, subsidy, document, article,
       sum(status = '符合') AS eligible, sum(CASE WHEN status = '符合' THEN amount END) AS eligible_amount,
       sum(status = '待核实') AS to_verify, sum(CASE WHEN status = '待核实' THEN amount END) AS to_verify_amount,
       count(*) AS candidates
FROM subsidy_candidate GROUP BY period, coalesce(city, ''), rule_id, subsidy, document, article;
