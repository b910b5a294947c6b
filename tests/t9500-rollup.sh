#!/bin/sh
# The national roll-up (scripts/rollup, docs/national.md): three generated
# provinces of 2,000 people with 5 planted cross-province cases of each
# kind per province (an ID copied onto another province's roster; an HR
# record moved, and one copied, to another province's platform), each
# ingested, reconciled and exported.  The export is checked without DuckDB:
# what it holds against the databases, its modes, and the planted cases as
# plain text joins.  The roll-up itself runs only where DuckDB is already
# installed (scripts/bench or scripts/rollup put it in
# ~/.cache/bangfu/duckdb; this suite installs nothing).
. "$(dirname "$0")/lib.sh"

P=2021-10
B=$TMP/b
BIN=$BIN sh "$TOP/scripts/rollup" bench --provinces 3 --people 2000 --plant 5 --no-duckdb --keep "$B" \
	>"$TMP/bench.out" 2>&1 || { sed 's/^/    /' "$TMP/bench.out" | tail -5; give_up "three provinces"; }
EXP=$B/export/period=$P

test_every_province_is_exported_with_its_persons_and_townships() {
	for code in 11 12 13; do
		db=$B/db/$code.db
		d=$EXP/province=$code
		[ -s "$d/person.csv" ] && [ -s "$d/township.csv" ] && ok || { bad "province $code: no export"; continue; }
		want=$(q "$db" "SELECT count(*) FROM person WHERE period = '$P' AND id_valid = 1")
		got=$(($(wc -l <"$d/person.csv") - 1))
		[ "$got" = "$want" ] && ok || bad "province $code: $got person rows, the database has $want valid IDs"
		want=$(q "$db" "SELECT count(*) FROM v_township_summary WHERE period = '$P'")
		got=$(($(wc -l <"$d/township.csv") - 1))
		[ "$got" = "$want" ] && ok || bad "province $code: $got township rows, want $want"
		# the townships' persons add up to every person, invalid IDs included
		want=$(q "$db" "SELECT count(*) FROM person WHERE period = '$P'")
		got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { s += $c["persons"] } END { print s }' \
			"$d/township.csv")
		[ "$got" = "$want" ] && ok || bad "province $code: townships add up to $got persons, want $want"
		head -n 1 "$d/person.csv" | grep -qx 'period,id_number,in_roster,in_hr,category,city,county,township' &&
			ok || bad "province $code: person.csv header $(head -n 1 "$d/person.csv")"
	done
}

test_exports_are_personal_data_mode_0600() {
	for f in "$EXP"/province=*/*.csv; do
		[ "$(stat -c %a "$f")" = 600 ] && ok || bad "${f#"$B"/} is mode $(stat -c %a "$f")"
	done
}

test_each_province_has_its_own_id_numbers() {
	for code in 11 12 13; do
		# every valid ID begins with the province's code, but those planted from others
		n=$(awk -F, -v c="$code" 'NR > 1 && substr($2, 1, 2) != c' "$EXP/province=$code/person.csv" | wc -l)
		[ "$n" = 15 ] && ok || bad "province $code: $n IDs of other provinces, want the 15 planted here"
	done
}

# The national check done by hand on the exports: the IDs in more than one
# province's export are exactly the planted ones, and each province's rows
# say what the planting made of them.
test_the_exports_hold_exactly_the_planted_cross_province_cases() {
	cat "$EXP"/province=*/person.csv | cut -d, -f2 | grep -v '^id_number$' | sort | uniq -d >"$TMP/multi"
	cut -d, -f2 "$B/truth.csv" | sort -u >"$TMP/planted"
	[ "$(wc -l <"$TMP/planted")" = 45 ] && ok || bad "$(wc -l <"$TMP/planted") planted IDs, want 45"
	cmp -s "$TMP/multi" "$TMP/planted" && ok ||
		bad "IDs in two provinces' exports differ from the planted ($(wc -l <"$TMP/multi") against 45)"
	awk -F, '
	FILENAME ~ /truth.csv$/ { t[++n] = $0; next }
	FNR == 1 { split(FILENAME, p, "province="); prov = substr(p[2], 1, 2); next }
	{ row[prov "," $2] = $3 "," $4 "," $5 }
	END {
		for (i = 1; i <= n; i++) {
			split(t[i], f, ",")
			a = row[f[3] "," f[2]]; b = row[f[5] "," f[2]]
			split(a, x, ","); split(b, y, ",")
			want_b = f[1] == "roster_twice" ? y[1] == 1 : y[2] == 1
			if (x[1] != 1 || !want_b || x[3] != f[4] || y[3] != f[6]) { print "not as planted: " t[i] " / " a " / " b; bad++ }
		}
		exit bad > 0
	}' "$B/truth.csv" "$EXP"/province=*/person.csv >"$TMP/joined" && ok ||
		{ bad "exports against the planted cases"; head -5 "$TMP/joined" | sed 's/^/    /'; }
}

test_export_refuses_what_it_cannot_export() {
	expect_exit 1 "a database of another program" sh "$TOP/scripts/rollup" export --db "$TMP/bench.out" \
		--period $P --province 11 --out "$TMP/x"
	sqlite3 "$TMP/other.db" 'CREATE TABLE t (x)'
	expect_exit 1 "an SQLite file of another program" sh "$TOP/scripts/rollup" export --db "$TMP/other.db" \
		--period $P --province 11 --out "$TMP/x"
	has "not a bangfu database" "another program's database"
	expect_exit 1 "a month not reconciled" sh "$TOP/scripts/rollup" export --db "$B/db/11.db" \
		--period 2021-09 --province 11 --out "$TMP/x"
	has "2021-09 is not reconciled" "a month not reconciled"
	expect_exit 1 "a province code that is none" sh "$TOP/scripts/rollup" export --db "$B/db/11.db" \
		--period $P --province "1'1" --out "$TMP/x"
	expect_exit 2 "no --out" sh "$TOP/scripts/rollup" export --db "$B/db/11.db" --period $P --province 11
	[ ! -e "$TMP/x" ] && ok || bad "a refused export wrote $TMP/x"
}

test_the_roll_up_says_when_duckdb_is_unavailable() {
	ROLLUP_NO_INSTALL=1 BANGFU_DUCKDB_DIR=$TMP/no-duckdb expect_exit 1 "no DuckDB" \
		sh "$TOP/scripts/rollup" national --period $P --out "$TMP/nat0" "$B/export"
	has "DuckDB unavailable" "no DuckDB"
}

DUCK_DIR=${BANGFU_DUCKDB_DIR:-$HOME/.cache/bangfu/duckdb}
test_the_roll_up_lists_the_planted_cases_and_adds_up_the_provinces() {
	if ! command -v node >/dev/null || [ ! -d "$DUCK_DIR/node_modules/@duckdb/node-api" ]; then
		echo "$SUITE: the DuckDB roll-up skipped: DuckDB unavailable (scripts/bench installs it)"
		return
	fi
	ROLLUP_NO_INSTALL=1 BANGFU_DUCKDB_DIR=$DUCK_DIR sh "$TOP/scripts/rollup" national --period $P \
		--out "$TMP/nat" "$B/export" >"$TMP/nat.out" 2>"$TMP/err" && ok ||
		{ bad "the roll-up failed"; sed 's/^/    /' "$TMP/err" | tail -5; return; }
	awk -F, 'NR > 1 { print $1 "," $2 "," $3 "," $7 "," $8 "," $12 }' "$TMP/nat/cross-province.csv" |
		LC_ALL=C sort >"$TMP/found"
	cmp -s "$B/truth.csv" "$TMP/found" && ok ||
		{ bad "the national check differs from the planted cases"; diff "$B/truth.csv" "$TMP/found" | head -8; }
	grep -qx 'roster_twice 15 15' "$TMP/nat.out" && grep -qx 'work_elsewhere 45 45' "$TMP/nat.out" && ok ||
		bad "the printed counts: $(grep -v '^step' "$TMP/nat.out" | tr '\n' ' ')"
	! grep -q '[0-9]\{17\}[0-9X]' "$TMP/nat.out" && ok || bad "the roll-up printed an ID number"
	want=0
	for code in 11 12 13; do
		want=$((want + $(q "$B/db/$code.db" "SELECT count(*) FROM person WHERE period = '$P'")))
	done
	got=$(awk -F, '$1 == "all" { print $3 }' "$TMP/nat/province.csv")
	[ "$got" = "$want" ] && ok || bad "the country's persons: $got, the databases hold $want"
	# 5 roster copies from each province and 5 onto each: 10 per province
	[ "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 != "all" { printf "%s ", $c["roster_twice"] }' "$TMP/nat/province.csv")" = "10 10 10 " ] && ok ||
		bad "roster_twice per province: $(cut -d, -f1,19 "$TMP/nat/province.csv" | tr '\n' ' ')"
	for f in province township cross-province; do
		[ "$(stat -c %a "$TMP/nat/$f.csv")" = 600 ] && ok || bad "$f.csv is mode $(stat -c %a "$TMP/nat/$f.csv")"
	done
}

run_tests
