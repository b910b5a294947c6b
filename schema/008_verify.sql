-- Returned check sheets are known by their name and the counties their rows
-- belong to: x.xlsx from 临湘市 and x.xlsx from 华容县 are two files, and a
-- reload of one replaces only the answers it gives again (lib/verify.c).

-- check_file keyed by (period, file_name, counties) instead of (period,
-- file_name).  counties: 市州县市区 of the sample items the file's rows name,
-- sorted, joined by '、'.
CREATE TABLE check_file_by_place (
	period     TEXT NOT NULL,
	file_name  TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	rows_read  INTEGER NOT NULL,
	answers    INTEGER NOT NULL,
	loaded_at  TEXT NOT NULL,
	counties   TEXT NOT NULL,
	PRIMARY KEY (period, file_name, counties)
);

INSERT INTO check_file_by_place (period, file_name, sha256, rows_read, answers, loaded_at, counties)
SELECT f.period, f.file_name, f.sha256, f.rows_read, f.answers, f.loaded_at,
       coalesce((SELECT group_concat(place, '、') FROM (
		SELECT DISTINCT coalesce(s.city, '') || coalesce(s.county, '') AS place
		FROM check_result r JOIN sample s ON s.period = r.period AND s.sample_code = r.sample_code
		WHERE r.period = f.period AND r.file_name = f.file_name ORDER BY place)), '')
FROM check_file f;

DROP TABLE check_file;
ALTER TABLE check_file_by_place RENAME TO check_file;

-- The file an answer came from: (period, file_name, file_counties) of check_file.
ALTER TABLE check_result ADD COLUMN file_counties TEXT;

UPDATE check_result SET file_counties = (
	SELECT f.counties FROM check_file f
	WHERE f.period = check_result.period AND f.file_name = check_result.file_name);
