#!/bin/sh
# make demo: the whole pipeline on the checked-in samples, into out/demo/.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
OUT=$TOP/out/demo
PERIOD=2026-10
rm -rf "$OUT"
mkdir -p "$OUT"
BIN=$BIN sh "$TOP/scripts/run-period.sh" --db "$OUT/bangfu.db" --period $PERIOD \
	--roster "$TOP/samples/roster.csv" --hr "$TOP/samples/hr.csv" --out "$OUT"

echo
echo "Loaded files (view v_source_file):"
sqlite3 -header -column "$OUT/bangfu.db" \
	"SELECT source, file_name, encoding, rows_read, rows_loaded, rows_rejected FROM v_source_file"
echo
echo "ID numbers by status (roster / HR):"
sqlite3 -header -column "$OUT/bangfu.db" \
	"SELECT id_status, sum(src = 'roster') AS roster, sum(src = 'hr') AS hr FROM
	   (SELECT id_status, 'roster' AS src FROM roster_row UNION ALL SELECT id_status, 'hr' FROM hr_row)
	 GROUP BY id_status ORDER BY id_status"
echo
# The ID tool on the roster's ID column, as a clerk would run it.
if [ -x "$BIN/bangfu-idcheck" ]; then
	sqlite3 "$OUT/bangfu.db" "SELECT id_raw FROM roster_row WHERE id_status <> 'ok' ORDER BY line" >"$OUT/bad-ids.txt"
	"$BIN/bangfu-idcheck" "$OUT/bad-ids.txt" >"$OUT/bad-ids.tsv"
fi
echo "Outputs in $OUT:"
ls -l "$OUT"
echo "Query it yourself: sqlite3 $OUT/bangfu.db 'SELECT * FROM v_reject'"
