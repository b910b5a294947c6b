#!/bin/sh
# Personal data in what the stages write: every file every stage writes
# (workbooks, CSV, its messages on stderr) is scanned for any ID number or
# phone of the input.  Without --full-id there must be none anywhere, but
# for one thing: the check sheets carry the platform's phone, because the
# township calls that number back (电话回访) and checks it.  With --full-id
# the named lists sent to townships and counties may carry them (that is
# what the option is for), but the leadership workbooks, their CSV and every
# message still must not.
. "$(dirname "$0")/lib.sh"
PERIOD=2021-10 # a month with subsidy rules in force, so that screening writes its lists

# Every stage of a month on generated data, writing into $1; each stage's
# stderr into $1/stderr/STAGE.txt.  $2 is --full-id or empty.
month() {
	out=$1 full=$2
	db=$out/bangfu.db
	mkdir -p "$out/stderr"
	"$BIN/bangfu-ingest" --db "$db" --period $PERIOD --source roster "$TMP/gen/roster.csv" 2>"$out/stderr/ingest-roster.txt" &&
		"$BIN/bangfu-ingest" --db "$db" --period $PERIOD --source hr "$TMP/gen/hr.csv" 2>"$out/stderr/ingest-hr.txt" &&
		"$BIN/bangfu-reconcile" -v --db "$db" --period $PERIOD 2>"$out/stderr/reconcile.txt" &&
		"$BIN/bangfu-sample" -v --db "$db" --period $PERIOD --out "$out/check-sheets" $full 2>"$out/stderr/sample.txt" &&
		$PY "$TOP/scripts/simulate-answers.py" "$out/check-sheets" "$TMP/returned-$(basename "$out")" >/dev/null &&
		"$BIN/bangfu-verify" -v --db "$db" --period $PERIOD --out "$out/recalibrate" $full \
			"$TMP/returned-$(basename "$out")"/*.xlsx 2>"$out/stderr/verify.txt" &&
		"$BIN/bangfu-report" -v --db "$db" --period $PERIOD --out "$out/progress.xlsx" --townships "$out/townships" \
			--csv "$out/csv" $full 2>"$out/stderr/report.txt" &&
		"$BIN/bangfu-checklist" -v --db "$db" --period $PERIOD --as-of 2021-10-31 --out "$out/checklist.xlsx" \
			--ledger "$out/ledger" $full 2>"$out/stderr/checklist.txt" &&
		"$BIN/bangfu-screen" -v --db "$db" --period $PERIOD --out "$out/subsidies" $full 2>"$out/stderr/screen.txt"
}

# Print every place in the files under $1 (but the named lists when $2 is
# "allow-lists") where an ID or phone of the input stands.
scan() {
	$PY - "$TMP/gen.db" "$1" "$2" <<'EOF'
import os, re, sqlite3, sys, zipfile
db, top, mode = sys.argv[1], sys.argv[2], sys.argv[3]
con = sqlite3.connect(db)
ids, phones = set(), set()
for table in ("roster_row", "hr_row"):
    for id_raw, id_norm, id_number, phone in con.execute(f"SELECT id_raw, id_norm, id_number, phone FROM {table}"):
        for v in (id_raw, id_norm, id_number):
            if v and len(re.sub(r"\D", "", v)) >= 10:
                ids.add(v.strip().upper())
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 7:
            phones.add(digits[-11:] if len(digits) > 11 else digits)
# Named lists for townships and counties, where --full-id puts whole numbers.
lists = ("check-sheets", "townships", "recalibrate", "subsidies/补贴筛选名单_", "ledger/销号台账_")
runs = re.compile(r"[0-9][0-9Xx.E+]{6,}")
found = 0
for dirpath, _, files in os.walk(top):
    for name in files:
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, top)
        if name.endswith(".db") or ".db-" in name:
            continue
        if mode == "allow-lists" and any(rel.startswith(l) for l in lists):
            continue
        # The call-back sheets carry the phone to call; never an ID.
        secrets = ids if rel.startswith("check-sheets") else ids | phones
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(path) as z:
                text = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        else:
            text = open(path, encoding="utf-8", errors="replace").read()
        for m in runs.finditer(text):
            v = m.group(0).upper()
            digits = re.sub(r"\D", "", v)
            if v in secrets or digits in secrets or digits[-11:] in secrets:
                print(f"{rel}: {v[:6]}… stands in it")
                found += 1
                break
sys.exit(1 if found else 0)
EOF
}

"$GEN" --people 3000 --seed 5 --period $PERIOD --out "$TMP/gen" 2>/dev/null &&
	"$BIN/bangfu-ingest" -q --db "$TMP/gen.db" --period $PERIOD --source roster "$TMP/gen/roster.csv" &&
	"$BIN/bangfu-ingest" -q --db "$TMP/gen.db" --period $PERIOD --source hr "$TMP/gen/hr.csv" ||
	give_up "generating the month"

test_no_id_or_phone_in_anything_written_by_default() {
	if ! month "$TMP/masked" ""; then
		bad "a stage failed"
		tail -n 3 "$TMP"/masked/stderr/*.txt
		return
	fi
	[ -n "$(ls "$TMP/masked/check-sheets")" ] && [ -n "$(ls "$TMP/masked/townships")" ] &&
		[ -n "$(ls "$TMP/masked/subsidies")" ] && [ -n "$(ls "$TMP/masked/ledger")" ] && ok ||
		bad "every stage should have written its files"
	if scan "$TMP/masked" all >"$TMP/scan.out"; then ok; else
		bad "ID numbers or phones of the input in the outputs:"
		sed 's/^/    /' "$TMP/scan.out" | head -20
	fi
}

test_with_full_id_only_the_named_lists_carry_them() {
	if ! month "$TMP/full" --full-id; then
		bad "a stage failed with --full-id"
		tail -n 3 "$TMP"/full/stderr/*.txt
		return
	fi
	if scan "$TMP/full" allow-lists >"$TMP/scan.out"; then ok; else
		bad "with --full-id, ID numbers or phones outside the named lists:"
		sed 's/^/    /' "$TMP/scan.out" | head -20
	fi
	# The option does what it says: the lists do carry whole numbers.
	if scan "$TMP/full/townships" all >/dev/null; then bad "--full-id township lists should show whole IDs"; else ok; fi
	if scan "$TMP/full/ledger" all >/dev/null; then bad "--full-id 销号台账 should show whole IDs"; else ok; fi
}

run_tests
