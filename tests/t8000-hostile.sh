#!/bin/sh
# Hostile input and faults beyond t1000-ingest.sh's file cases: a 100 MB field,
# a 10,000-column line, a path that is not there, cells that look like
# formulas, SQL metacharacters in every text field, and reconcile killed at
# random moments.  The big files are made here, not checked in.
. "$(dirname "$0")/lib.sh"

# The header and first data row of the plain UTF-8 roster case.
HEADER=$(sed -n 1p "$DATA/ingest/utf8.csv")
ROW=$(sed -n 2p "$DATA/ingest/utf8.csv")

test_a_100mb_field_is_rejected_in_bounded_memory() {
	f=$TMP/big-field.csv
	{
		echo "$HEADER"
		echo "$ROW"
		printf '430182198503121012,"'
		head -c 100000000 /dev/zero | tr '\0' 'x'
		printf '"\n'
		echo "$ROW" | sed 's/^[^,]*/430182199001011029/'
	} >"$f"
	# The database is made first (a header-only file of another month), so
	# that the peak is the 100 MB field's: creating the schema's tables and
	# views costs nothing to speak of (8 MB in all), but under AddressSanitizer
	# its freed allocations stay in quarantine, tens of MB that grow with
	# every view.
	echo "$HEADER" >"$TMP/header-only.csv"
	"$BIN/bangfu-ingest" -q --db "$TMP/big.db" --period 2000-01 --source roster "$TMP/header-only.csv" ||
		{ bad "a header-only file should load"; return; }
	/usr/bin/time -f "%M" -o "$TMP/rss" "$BIN/bangfu-ingest" -q --db "$TMP/big.db" --period $PERIOD \
		--source roster "$f" 2>"$TMP/err"
	[ $? -eq 0 ] && ok || { bad "a 100 MB field should reject its row, not the file"; cat "$TMP/err"; }
	[ "$(q "$TMP/big.db" "SELECT line || ' ' || code FROM v_reject")" = "3 record_too_long" ] && ok ||
		bad "the 100 MB row should be rejected as record_too_long at line 3"
	[ "$(q "$TMP/big.db" "SELECT count(*) FROM roster_row")" = 2 ] && ok || bad "the rows around it should load"
	rss=$(tail -n 1 "$TMP/rss")
	[ "$rss" -lt 65536 ] && ok || bad "memory should stay bounded on a 100 MB field (peak ${rss} KB)"
}

test_a_10000_column_line_is_rejected() {
	f=$TMP/wide.csv
	{
		echo "$HEADER"
		echo "$ROW"
		awk 'BEGIN { for (i = 1; i < 10000; i++) printf "a,"; print "a" }'
	} >"$f"
	"$BIN/bangfu-ingest" -q --db "$TMP/wide.db" --period $PERIOD --source roster "$f" 2>"$TMP/err"
	[ $? -eq 0 ] && ok || bad "a 10,000-column line should reject its row"
	[ "$(q "$TMP/wide.db" "SELECT line || ' ' || code FROM v_reject")" = "3 too_many_fields" ] && ok ||
		bad "the wide line should be rejected as too_many_fields at line 3"
}

test_a_missing_path_is_refused() {
	db=$TMP/missing.db
	"$BIN/bangfu-ingest" -q --db "$db" --period 2026-09 --source roster "$DATA/ingest/utf8.csv"
	before=$(dbstate "$db")
	"$BIN/bangfu-ingest" --db "$db" --period $PERIOD --source roster "$TMP/no/such/file.csv" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "no/such/file.csv" "$TMP/err" && ok || { bad "a missing path should exit 1 naming it"; cat "$TMP/err"; }
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "a missing path must leave the database unchanged"
}

# Every text field of the hand-made reconcile cases replaced by TEXT (IDs,
# dates, yes/no and places kept so that the persons still pair up).
rewrite_names() {
	# $1 in, $2 out, $3 delimiter, $4 replacement for name and employer
	$PY - "$1" "$2" "$3" "$4" <<'EOF'
import csv, sys
src, dst, delim, text = sys.argv[1:5]
rows = list(csv.reader(open(src, encoding="utf-8"), delimiter=delim))
head = rows[0]
swap = [i for i, h in enumerate(head) if h in ("姓名", "就业单位名称", "行政村", "户编号")]
with open(dst, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, delimiter=delim)
    w.writerow(head)
    for k, r in enumerate(rows[1:]):
        for i in swap:
            if i < len(r) and r[i]:
                r[i] = text + str(k)
        w.writerow(r)
EOF
}

# A pipeline on the rewritten cases; prints the database path.
pipeline_with() {
	tag=$1 text=$2
	d=$TMP/$tag
	mkdir -p "$d"
	rewrite_names "$DATA/reconcile/roster.csv" "$d/roster.csv" , "$text"
	rewrite_names "$DATA/reconcile/hr.tsv" "$d/hr.tsv" "$(printf '\t')" "$text"
	"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source roster "$d/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source hr "$d/hr.tsv" &&
		"$BIN/bangfu-reconcile" -q --db "$d/db" --period $PERIOD &&
		"$BIN/bangfu-sample" -q --db "$d/db" --period $PERIOD --out "$d/sheets" || return 1
	if [ -x "$BIN/bangfu-report" ]; then
		"$BIN/bangfu-report" -q --db "$d/db" --period $PERIOD --out "$d/report.xlsx" --townships "$d/townships" ||
			return 1
	fi
	return 0
}

# No cell of any workbook under $1 is a formula, and $2 appears as text.
no_formulas() {
	$PY - "$1" "$2" <<'EOF'
import glob, os, sys
import openpyxl
root, text = sys.argv[1], sys.argv[2]
found = formulas = 0
for path in glob.glob(os.path.join(root, "**", "*.xlsx"), recursive=True):
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    formulas += 1
                    print(f"{path}:{ws.title}!{c.coordinate} is a formula: {c.value}")
                elif isinstance(c.value, str) and c.value.startswith(text):
                    found += 1
sys.exit(0 if formulas == 0 and found > 0 else 1)
EOF
}

test_cells_that_look_like_formulas_stay_text() {
	for lead in '=HYPERLINK("http://x","y")' '+86' '-A1' '@SUM(A1)'; do
		pipeline_with formula "$lead" || { bad "pipeline with names starting '$lead'"; continue; }
		[ "$(q "$TMP/formula/db" "SELECT count(*) FROM roster_row WHERE name LIKE '$(echo "$lead" | cut -c1)%'")" -gt 0 ] &&
			ok || bad "names starting '$lead' should be stored as given"
		if no_formulas "$TMP/formula" "$lead" >"$TMP/out"; then ok; else
			bad "names starting '$lead' must be text in every workbook"; head -5 "$TMP/out"
		fi
		rm -rf "$TMP/formula"
	done
}

test_sql_metacharacters_pass_through_every_text_field() {
	evil="x'); DROP TABLE person; -- \"%_\\"
	pipeline_with evil "$evil" || { bad "pipeline with SQL metacharacters"; return; }
	db=$TMP/evil/db
	[ "$(q "$db" "SELECT count(*) FROM sqlite_master WHERE name IN ('person', 'roster_row', 'hr_row')")" = 3 ] &&
		ok || bad "tables must survive SQL metacharacters"
	[ "$(q "$db" "SELECT count(*) FROM roster_row WHERE substr(name, 1, length(name) - 1) = 'x''); DROP TABLE person; -- \"%_\\' OR substr(name, 1, length(name) - 2) = 'x''); DROP TABLE person; -- \"%_\\'")" -gt 0 ] &&
		ok || bad "the text should be stored exactly"
	[ "$(q "$db" "PRAGMA integrity_check")" = ok ] && ok || bad "integrity after metacharacters"
}

test_killed_reconcile_leaves_the_database_as_it_was() {
	d=$TMP/kill
	"$GEN" -q --people 40000 --seed 5 --period $PERIOD --form plain --out "$d" || { bad "gen"; return; }
	db=$d/db
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$d/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$d/hr.csv" || { bad "ingest"; return; }
	cp "$db" "$d/reference.db"
	"$BIN/bangfu-reconcile" -q --db "$d/reference.db" --period $PERIOD || { bad "reference reconcile"; return; }
	want=$(q "$d/reference.db" "SELECT count(*), total(length(person_key || category)) FROM person")
	before=$(dbstate "$db")
	killed=0
	for delay in 0.05 0.2 0.4 0.6 0.9; do
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD 2>/dev/null &
		pid=$!
		sleep $delay
		if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); fi
		wait $pid 2>/dev/null
		[ "$(q "$db" "PRAGMA integrity_check")" = ok ] && ok || bad "integrity after kill at ${delay}s"
		# Killed in time: nothing of the run is there.  Too late: it finished.
		if [ "$(q "$db" "SELECT count(*) FROM reconcile_run")" = 0 ]; then
			[ "$(dbstate "$db")" = "$before" ] && ok || bad "a killed reconcile must leave the database as it was"
		fi
	done
	[ $killed -ge 2 ] && ok || bad "the test should kill reconcile mid-run at least twice (killed $killed)"
	"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || bad "reconcile after the kills"
	[ "$(q "$db" "SELECT count(*), total(length(person_key || category)) FROM person")" = "$want" ] && ok ||
		bad "re-running after kills should give the uninterrupted result"
}

test_no_personal_data_in_messages() {
	d=$TMP/logs
	mkdir -p "$d"
	{
		"$BIN/bangfu-ingest" -v --db "$d/db" --period $PERIOD --source roster "$DATA/reconcile/roster.csv"
		"$BIN/bangfu-ingest" -v --db "$d/db" --period $PERIOD --source hr "$DATA/reconcile/hr.tsv"
		"$BIN/bangfu-reconcile" -v --db "$d/db" --period $PERIOD
		"$BIN/bangfu-sample" -v --db "$d/db" --period $PERIOD --out "$d/s"
		code=$(q "$d/db" "SELECT sample_code FROM sample LIMIT 1")
		name=$(q "$d/db" "SELECT p.name FROM sample s JOIN person p ON p.period = s.period AND p.id_number = s.id_number
			LIMIT 1 OFFSET 1")
		printf '抽查编号,姓名,核查结果,核查方式,核查日期\n%s,%s,准确,电话回访,2026-11-05\n%s,%s,不准确,电话回访,2026-11-05\n' \
			"$code" "$name" "$code" "$name" >"$d/ret.csv"
		"$BIN/bangfu-verify" -v --db "$d/db" --period $PERIOD "$d/ret.csv"
		"$BIN/bangfu-report" -v --db "$d/db" --period $PERIOD --out "$d/r.xlsx" --townships "$d/t"
		"$BIN/bangfu-checklist" -v --db "$d/db" --period $PERIOD --as-of 2026-11-25 --out "$d/c.xlsx"
	} >"$d/out" 2>"$d/err"
	grep -q "is not the name of the sampled person" "$d/err" && ok || bad "the wrong name should have been reported"
	# every name and ID of the input, none in the messages
	sed 1d "$DATA/reconcile/roster.csv" | cut -d, -f1,2 | tr ',' '\n' | grep -v '^$' | sort -u >"$d/personal"
	if grep -F -f "$d/personal" "$d/err" >"$d/leaks"; then
		bad "personal data in messages:"; head -3 "$d/leaks"
	else
		ok
	fi
}

test_output_files_are_0600_unless_widened() {
	d=$TMP/mode
	mkdir -p "$d"
	"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source roster "$DATA/reconcile/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$d/db" --period $PERIOD --source hr "$DATA/reconcile/hr.tsv" &&
		"$BIN/bangfu-reconcile" -q --db "$d/db" --period $PERIOD || { bad "setup"; return; }
	"$BIN/bangfu-sample" -q --db "$d/db" --period $PERIOD --out "$d/a" &&
		BANGFU_FILE_MODE=0640 "$BIN/bangfu-sample" -q --db "$d/db" --period $PERIOD --out "$d/b" &&
		BANGFU_FILE_MODE=0777 "$BIN/bangfu-sample" -q --db "$d/db" --period $PERIOD --out "$d/c" || { bad "sample"; return; }
	[ "$(stat -c %a "$d/db")" = 600 ] && ok || bad "a new database should be 0600"
	[ "$(stat -c %a "$d"/a/*.xlsx)" = 600 ] && ok || bad "check sheets should be 0600 by default"
	[ "$(stat -c %a "$d"/b/*.xlsx)" = 640 ] && ok || bad "BANGFU_FILE_MODE=0640 should widen to 0640"
	[ "$(stat -c %a "$d"/c/*.xlsx)" = 600 ] && ok || bad "an executable BANGFU_FILE_MODE must be ignored"
	BANGFU_FILE_MODE=0640 "$BIN/bangfu-report" -q --db "$d/db" --period $PERIOD --out "$d/r.xlsx" --csv "$d/csv" ||
		{ bad "report"; return; }
	[ "$(stat -c %a "$d/r.xlsx")" = 640 ] && [ "$(stat -c %a "$d/csv/总表.csv")" = 640 ] && ok ||
		bad "the report and its CSV should follow BANGFU_FILE_MODE"
}

run_tests
