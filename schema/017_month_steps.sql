-- What bangfu-month ran for a period, so that it can skip a stage whose
-- inputs have not changed since.  One row per step of a month (step:
-- 'reconcile', 'sample', 'verify', 'screen', 'report', 'checklist', 'pack'):
-- the fingerprint of everything the step read when it last succeeded (its
-- options, the templates, the program, the state of the database it
-- depends on, the files it was given), when it ran and how long it took.
-- Written by etl/month.c only; a stage run by hand leaves it alone, and its
-- change to the database changes the fingerprints of the steps after it.
CREATE TABLE month_step (
	period      TEXT NOT NULL,
	step        TEXT NOT NULL,
	fingerprint TEXT NOT NULL,           -- SHA-256, hex
	ran_at      TEXT NOT NULL,           -- ISO 8601, UTC
	seconds     REAL NOT NULL,
	PRIMARY KEY (period, step)
);

CREATE VIEW v_month_step AS
SELECT period, step, ran_at, round(seconds, 1) AS seconds FROM month_step;
