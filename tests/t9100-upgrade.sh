#!/bin/sh
# Databases made by earlier bangfu: every schema a commit of bangfu created
# (tests/data/schema-history/states, made by make.sh there), holding a month's data,
# is upgraded by today's stages and then gives the same answers as a database
# made today.  Also: a file that is not a bangfu database is refused and left
# as it was, and no database is created through a symbolic link.
. "$(dirname "$0")/lib.sh"

# The shape of a schema: every table's and view's columns, every index's
# columns, one line each, sorted (ALTER TABLE ADD COLUMN puts a column last,
# so the order of columns is not compared).
shape() {
	q "$1" "SELECT m.type || ' ' || m.name || ': ' || c.name
		FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type IN ('table', 'view')
		UNION ALL SELECT 'index ' || m.name || ' on ' || m.tbl_name || ': ' || group_concat(i.name, ',')
		FROM sqlite_master m, pragma_index_info(m.name) i WHERE m.type = 'index' GROUP BY m.name
		ORDER BY 1"
}

# What the stages answer about a month, for comparing databases.
answers() {
	q "$1" "SELECT category, count(*), count(phone), group_concat(DISTINCT work_region) FROM person GROUP BY 1 ORDER BY 1;
		SELECT * FROM v_township_progress ORDER BY city, county, township;
		SELECT kind, count(*) FROM v_problem GROUP BY 1 ORDER BY 1;
		SELECT count(*), sum(sampled) FROM v_township_check;"
}

# A month of the hand-made reconcile cases, made by today's bangfu.
ref=$TMP/ref.db
"$BIN/bangfu-ingest" -q --db "$ref" --period $PERIOD --source roster "$DATA/reconcile/roster.csv" &&
	"$BIN/bangfu-ingest" -q --db "$ref" --period $PERIOD --source hr "$DATA/reconcile/hr.tsv" &&
	"$BIN/bangfu-reconcile" -q --db "$ref" --period $PERIOD &&
	"$BIN/bangfu-sample" -q --db "$ref" --period $PERIOD --out "$TMP/ref-sheets" &&
	"$BIN/bangfu-checklist" -q --db "$ref" --period $PERIOD --as-of 2026-11-25 --out "$TMP/ref-checklist.xlsx" ||
	give_up "the reference month"

# Copy the reference month's rows into an old database: each table the old
# schema has, through the columns both have, and the rows it can hold (the
# kinds of finding an earlier bangfu knew; the stages find the others).
copy_rows() {
	old=$1
	for t in $(q "$old" "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version'"); do
		cols=$(sqlite3 -batch "$old" "ATTACH '$ref' AS ref;
			SELECT group_concat('\"' || o.name || '\"', ',') FROM pragma_table_info('$t') o
			WHERE o.name IN (SELECT name FROM ref.pragma_table_info('$t'))")
		[ -n "$cols" ] || continue
		where=
		[ "$t" = problem_seen ] && where="WHERE kind IN ('not_entered', 'conflict', 'invalid_id', 'duplicate',
			'zero_household', 'recalibrate')"
		sqlite3 -batch "$old" "ATTACH '$ref' AS ref; INSERT INTO main.\"$t\" ($cols) SELECT $cols FROM ref.\"$t\" $where" ||
			return 1
	done
}

test_every_earlier_schema_is_upgraded_with_its_data() {
	want_shape=$(shape "$ref")
	want=$(answers "$ref")
	while read -r name files; do
		db=$TMP/$name.db
		sqlite3 -batch "$db" "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
			applied_at TEXT NOT NULL)"
		for f in $files; do
			sqlite3 -batch "$db" <"$DATA/schema-history/$f" &&
				sqlite3 -batch "$db" "INSERT INTO schema_version VALUES (${f%%_*} + 0, '${f%%.*}.sql',
					'2026-11-25T00:00:00Z')" || { bad "$name: cannot build its schema ($f)"; continue 2; }
		done
		copy_rows "$db" || { bad "$name: cannot copy the month into it"; continue; }
		# The stages of a month, run again on the old database: whatever it
		# lacks is added, what it has is kept.
		if ! { "$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD &&
			"$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --out "$TMP/$name-sheets" &&
			"$BIN/bangfu-report" -q --db "$db" --period $PERIOD --out "$TMP/$name.xlsx" &&
			"$BIN/bangfu-checklist" -q --db "$db" --period $PERIOD --as-of 2026-11-25 \
				--out "$TMP/$name-checklist.xlsx"; } 2>"$TMP/err"; then
			bad "$name: the stages fail on an upgraded database"
			sed 's/^/    /' "$TMP/err"
			continue
		fi
		[ "$(shape "$db")" = "$want_shape" ] && ok || {
			bad "$name: upgraded schema differs from today's"
			shape "$db" >"$TMP/got"
			echo "$want_shape" | diff - "$TMP/got" | sed 's/^/    /' | head -20
		}
		[ "$(answers "$db")" = "$want" ] && ok || bad "$name: upgraded database answers differently"
		[ "$(q "$db" "PRAGMA application_id")" = 1650552423 ] && ok || bad "$name: not marked as bangfu's"
	done <"$DATA/schema-history/states"
}

# A database reconciled before zero_household.names: the upgrade gathers
# the members' names of each zero-employment household from the persons,
# as reconcile writes them, and the township lists name them.
test_household_names_are_filled_in_for_households_reconciled_without_them() {
	db=$TMP/names.db
	cp "$ref" "$db"
	q "$db" "ALTER TABLE zero_household DROP COLUMN names; DELETE FROM schema_version WHERE version = 23"
	"$BIN/bangfu-report" -q --db "$db" --period $PERIOD --out "$TMP/names.xlsx" --townships "$TMP/names-lists" 2>"$TMP/err" ||
		{ bad "report on a database without zero_household.names"; cat "$TMP/err"; return; }
	want=$(q "$ref" "SELECT period, household_id, names FROM zero_household ORDER BY 1, 2")
	[ -n "$want" ] && [ "$(q "$db" "SELECT period, household_id, names FROM zero_household ORDER BY 1, 2")" = "$want" ] &&
		ok || bad "zero_household.names should be gathered from the persons"
}

# A report on a database whose persons were reconciled before person.phone
# existed: the phone comes back from the source rows (no reconcile run).
test_phone_is_filled_in_for_persons_reconciled_without_it() {
	db=$TMP/phone.db
	cp "$ref" "$db"
	q "$db" "DROP VIEW v_person; ALTER TABLE person DROP COLUMN phone; DELETE FROM schema_version WHERE version = 7"
	"$BIN/bangfu-report" -q --db "$db" --period $PERIOD --out "$TMP/phone.xlsx" 2>"$TMP/err" ||
		{ bad "report on a database without person.phone"; cat "$TMP/err"; return; }
	want=$(q "$ref" "SELECT person_key, phone FROM person ORDER BY 1")
	[ "$(q "$db" "SELECT person_key, phone FROM person ORDER BY 1")" = "$want" ] && ok ||
		bad "person.phone should be filled in from the source rows"
}

test_a_file_of_another_program_is_refused_untouched() {
	other=$TMP/other.sqlite
	q "$other" "CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT); INSERT INTO accounts VALUES (1, 'x')"
	before=$(md5sum <"$other")
	for stage in report checklist screen sample reconcile verify; do
		case $stage in
		report) args="--out $TMP/o.xlsx" ;;
		checklist) args="--as-of 2026-11-25 --out $TMP/o.xlsx" ;;
		screen | sample) args="--out $TMP/o" ;;
		verify) args="$TMP/none.xlsx" ;;
		*) args="" ;;
		esac
		# shellcheck disable=SC2086
		"$BIN/bangfu-$stage" --db "$other" --period $PERIOD $args >/dev/null 2>"$TMP/err"
		st=$?
		[ $st -eq 1 ] && grep -q "not a bangfu database" "$TMP/err" && ok ||
			{ bad "bangfu-$stage on another program's SQLite file: exit $st"; cat "$TMP/err"; }
	done
	"$BIN/bangfu-ingest" --db "$other" --period $PERIOD --source roster "$DATA/ingest/utf8.csv" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "not a bangfu database" "$TMP/err" && ok || bad "ingest into another program's file"
	[ "$(md5sum <"$other")" = "$before" ] && [ ! -e "$other-wal" ] && ok ||
		bad "another program's SQLite file was changed"
	printf 'just text\n' >"$TMP/text.db"
	"$BIN/bangfu-report" --db "$TMP/text.db" --period $PERIOD --out "$TMP/o.xlsx" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "not a bangfu database" "$TMP/err" && [ "$(cat "$TMP/text.db")" = "just text" ] && ok ||
		bad "a text file as --db should be refused untouched"
}

test_no_database_is_created_through_a_symlink() {
	ln -s "$TMP/elsewhere/new.db" "$TMP/dangling.db"
	mkdir -p "$TMP/elsewhere"
	"$BIN/bangfu-ingest" --db "$TMP/dangling.db" --period $PERIOD --source roster "$DATA/ingest/utf8.csv" 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "symbolic link" "$TMP/err" && [ ! -e "$TMP/elsewhere/new.db" ] && ok ||
		{ bad "a dangling --db symlink should be refused, nothing created"; cat "$TMP/err"; }
	# A symlink to an existing database is followed (it is the user's).
	ln -s "$ref" "$TMP/link.db"
	"$BIN/bangfu-report" -q --db "$TMP/link.db" --period $PERIOD --out "$TMP/link.xlsx" && ok ||
		bad "a symlink to an existing database should work"
	umask 022
	"$BIN/bangfu-ingest" -q --db "$TMP/fresh.db" --period $PERIOD --source roster "$DATA/ingest/utf8.csv"
	[ "$(stat -c %a "$TMP/fresh.db")" = 600 ] && ok || bad "a new database should be 0600 whatever the umask"
}

run_tests
