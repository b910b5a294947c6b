-- Returned check sheets, county by county: the 备注 (note) a clerk writes
-- beside an answer.  Free text, never rejected, kept with the answer.
ALTER TABLE check_result ADD COLUMN note TEXT;
