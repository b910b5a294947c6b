-- Ingest: loaded files, their rows (one table per source), rejects, warnings.
-- Applied by the library's migration code (lib/db.c) in one transaction;
-- schema_version records how far a database has been migrated.

CREATE TABLE source_file (
	file_id       INTEGER PRIMARY KEY,
	period        TEXT NOT NULL,            -- YYYY-MM
	source        TEXT NOT NULL CHECK (source IN ('roster', 'hr')),
	file_name     TEXT NOT NULL,            -- base name as given
	file_path     TEXT NOT NULL,            -- path as given on the command line
	size_bytes    INTEGER NOT NULL,
	sha256        TEXT NOT NULL,
	encoding      TEXT NOT NULL,            -- UTF-8, UTF-8 (BOM), GB18030, or as forced
	delimiter     TEXT NOT NULL,
	header_line   INTEGER NOT NULL,         -- physical line of the (lower) header row
	header_json   TEXT NOT NULL,            -- the header cells, in order
	rows_read     INTEGER NOT NULL DEFAULT 0,
	rows_loaded   INTEGER NOT NULL DEFAULT 0,
	rows_rejected INTEGER NOT NULL DEFAULT 0,
	loaded_at     TEXT NOT NULL,            -- UTC, ISO 8601
	UNIQUE (period, source, file_name),
	CHECK (rows_read = rows_loaded + rows_rejected)
);

-- Rows that could not be loaded, with the place and the reason.
CREATE TABLE reject (
	file_id     INTEGER NOT NULL REFERENCES source_file (file_id) ON DELETE CASCADE,
	line        INTEGER NOT NULL,           -- first physical line of the record
	col         INTEGER,                    -- 1-based field (or byte, for encoding errors)
	column_name TEXT,
	code        TEXT NOT NULL,
	message     TEXT NOT NULL,
	raw         TEXT                        -- the record as read (decoded, truncated to 64 KiB)
);
CREATE INDEX reject_file ON reject (file_id);

-- Loaded rows that carry something a person should look at, but not a reason
-- to drop the row: a date that is no date, gender against the ID, an abolished
-- region code.
CREATE TABLE row_warning (
	file_id     INTEGER NOT NULL REFERENCES source_file (file_id) ON DELETE CASCADE,
	line        INTEGER NOT NULL,
	col         INTEGER,
	column_name TEXT,
	code        TEXT NOT NULL,
	message     TEXT NOT NULL
);
CREATE INDEX row_warning_file ON row_warning (file_id);

-- The ID columns are the same in both sources: the text as read, what the ID
-- rules made of it (lib/idno.c), and what the ID says about the person.
CREATE TABLE roster_row (
	file_id         INTEGER NOT NULL REFERENCES source_file (file_id) ON DELETE CASCADE,
	period          TEXT NOT NULL,
	line            INTEGER NOT NULL,
	id_raw          TEXT NOT NULL,
	id_norm         TEXT NOT NULL,          -- normalised text (may be invalid)
	id_number       TEXT,                   -- valid 18-character ID, else NULL
	id_status       TEXT NOT NULL,          -- ok / bad_length / bad_check / ... (idno)
	id_damage       TEXT,                   -- excel_scientific / excel_rounded
	id_prefix       TEXT,                   -- digits that survived Excel damage
	id_upgraded     INTEGER NOT NULL DEFAULT 0,
	id_gender       TEXT,                   -- M / F from the sequence digit
	birth_date      TEXT,
	name TEXT, gender TEXT, ethnicity TEXT, politics TEXT, education TEXT, health TEXT,
	labor_ability TEXT, phone TEXT, city TEXT, county TEXT, township TEXT, village TEXT,
	household_id TEXT, relation TEXT, employed TEXT, work_place TEXT, employer TEXT,
	work_start TEXT, intent TEXT, service_need TEXT, training_intent TEXT,
	household_type TEXT, relocated TEXT,
	extra           TEXT                    -- JSON object of columns with no canonical field
);

CREATE TABLE hr_row (
	file_id         INTEGER NOT NULL REFERENCES source_file (file_id) ON DELETE CASCADE,
	period          TEXT NOT NULL,
	line            INTEGER NOT NULL,
	id_raw          TEXT NOT NULL,
	id_norm         TEXT NOT NULL,
	id_number       TEXT,
	id_status       TEXT NOT NULL,
	id_damage       TEXT,
	id_prefix       TEXT,
	id_upgraded     INTEGER NOT NULL DEFAULT 0,
	id_gender       TEXT,
	birth_date      TEXT,
	name TEXT, gender TEXT, phone TEXT, city TEXT, county TEXT, township TEXT,
	employment_status TEXT, employment_type TEXT, work_province TEXT, work_city TEXT,
	work_county TEXT, employer TEXT, work_start TEXT, returned TEXT, return_date TEXT,
	registered_at TEXT, updated_at TEXT, entered_by TEXT,
	extra           TEXT
);

-- Indexes for reconciliation are built by reconcile after the bulk load;
-- these only serve --replace and per-file counts.
CREATE INDEX roster_row_file ON roster_row (file_id);
CREATE INDEX hr_row_file ON hr_row (file_id);

CREATE VIEW v_source_file AS
SELECT period, source, file_name, sha256, encoding, rows_read, rows_loaded,
       rows_rejected, loaded_at, size_bytes, delimiter, header_line, file_id
FROM source_file;

CREATE VIEW v_reject AS
SELECT f.period, f.source, f.file_name, r.line, r.column_name, r.code, r.message,
       r.col, r.raw
FROM reject r JOIN source_file f USING (file_id);

CREATE VIEW v_warning AS
SELECT f.period, f.source, f.file_name, w.line, w.column_name, w.code, w.message
FROM row_warning w JOIN source_file f USING (file_id);
