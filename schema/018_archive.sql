-- The periods bangfu-archive moved out of this database (etl/archive.c):
-- when, before which month, into which file, and the highest file number
-- they took, so that a file loaded later never gets the number of an
-- archived one (a source row's rowid is made of its file's number).
CREATE TABLE archive_run (
	archived_at TEXT NOT NULL,           -- ISO 8601, UTC
	before      TEXT NOT NULL,           -- YYYY-MM: the periods before it went
	to_file     TEXT NOT NULL,           -- the archive database, as given
	periods     TEXT NOT NULL,           -- "2026-01, 2026-02"
	max_file_id INTEGER NOT NULL
);
