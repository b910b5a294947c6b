-- The screening's totals per township and rule, written by bangfu-screen in
-- the transaction that writes the period's subsidy_candidate rows (counted
-- as each candidate is recorded), so that every summary of a screening
-- (v_subsidy_city, the progress report's 补贴筛选 sheet, the province
-- summary workbook) reads a few thousand rows instead of sorting the
-- candidates again: at 4 million people a period has about 12 million
-- candidate rows, and summing them took the progress report 90 seconds.
--
-- Amounts are NULL where no candidate of the group has one (a subsidy whose
-- document fixes no amount), as SQL's sum() of the candidates was.
-- Existing screenings are counted from their candidates below.

CREATE TABLE subsidy_total (
	period            TEXT NOT NULL,
	city TEXT, county TEXT, township TEXT,  -- as in subsidy_candidate (NULL when the sources left it empty)
	rule_id           TEXT NOT NULL,
	rule_order        INTEGER NOT NULL,
	subsidy           TEXT NOT NULL,
	document          TEXT NOT NULL,
	article           TEXT NOT NULL,
	eligible          INTEGER NOT NULL,     -- candidates 符合
	eligible_amount   REAL,
	to_verify         INTEGER NOT NULL,     -- candidates 待核实
	to_verify_amount  REAL,
	candidates        INTEGER NOT NULL,
	province_listed   INTEGER NOT NULL      -- of them on the province's list (list_level 'province')
);
CREATE INDEX subsidy_total_period ON subsidy_total (period, rule_id);

INSERT INTO subsidy_total (period, city, county, township, rule_id, rule_order, subsidy, document, article,
			   eligible, eligible_amount, to_verify, to_verify_amount, candidates, province_listed)
SELECT period, city, county, township, rule_id, min(rule_order), subsidy, document, article,
       sum(status = '符合'), sum(CASE WHEN status = '符合' THEN amount END),
       sum(status = '待核实'), sum(CASE WHEN status = '待核实' THEN amount END),
       count(*), sum(list_level = 'province')
FROM subsidy_candidate GROUP BY period, city, county, township, rule_id, subsidy, document, article;

DROP VIEW IF EXISTS v_subsidy_city;
CREATE VIEW v_subsidy_city AS
SELECT period, coalesce(city, '') AS city, rule_id, subsidy, document, article,
       sum(eligible) AS eligible, sum(eligible_amount) AS eligible_amount,
       sum(to_verify) AS to_verify, sum(to_verify_amount) AS to_verify_amount,
       sum(candidates) AS candidates
FROM subsidy_total GROUP BY period, coalesce(city, ''), rule_id, subsidy, document, article;
