-- The names of a zero-employment household's members ("甲、乙", the
-- roster's persons of the household in the order reconcile wrote them),
-- written by bangfu-reconcile with the household (etl/reconcile.c keeps a
-- household's names while none of its members is employed).  The township
-- work lists name the members of each 零就业家庭 item; they found them by
-- grouping every person of the month (no index leads from a household to
-- its members): 5.6 of report --townships' seconds at 4 million people.
-- For the periods reconciled before, the names are gathered here once.

ALTER TABLE zero_household ADD COLUMN names TEXT;

UPDATE zero_household SET names = n.names
FROM (SELECT period, household_id, group_concat(name, '、') AS names
      FROM (SELECT p.period, p.household_id, p.name FROM person p
            WHERE p.in_roster AND EXISTS (SELECT 1 FROM zero_household z
             WHERE z.period = p.period AND z.household_id = p.household_id)
            ORDER BY p.period, p.household_id, p.rowid)
      GROUP BY period, household_id) AS n
WHERE zero_household.period = n.period AND zero_household.household_id = n.household_id;
