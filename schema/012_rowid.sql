-- A source row's rowid is its place: (file_id << 32) | line.  Rows are
-- stored in file order, a row is found by its file and line without an
-- index (an invalid ID's person names its row 'roster:FILE:LINE'), and a
-- file's rows are one rowid range.  bangfu-ingest writes rows so; the rows
-- of a database made before are renumbered here, and the indexes that did
-- the same work go.
UPDATE roster_row SET rowid = (file_id << 32) | line;
UPDATE hr_row SET rowid = (file_id << 32) | line;
DROP INDEX IF EXISTS roster_row_line;
DROP INDEX IF EXISTS hr_row_line;
DROP INDEX IF EXISTS roster_row_file;
DROP INDEX IF EXISTS hr_row_file;
