-- What a reconciliation was made of: the period's source files (source and
-- SHA-256 of each, sorted).  bangfu-reconcile refuses to reconcile a period
-- again from other files once a sample has been drawn from its persons
-- (the answers would attach to another population), unless --resample.
ALTER TABLE reconcile_run ADD COLUMN sources TEXT;
