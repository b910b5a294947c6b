#!/bin/sh
# How the fixtures here were made: for every commit of bangfu that changed a
# schema file, the database a stage of that commit would have created (its
# schema/NNN_*.sql files applied in order, schema_version as its lib/db.c
# recorded it), dumped as SQL.  tests/test_upgrade.sh loads each one and runs
# today's stages on it.  Run from the top of a clone with history:
#   sh tests/data/schema-history/make.sh
set -eu
out=tests/data/schema-history
for c in $(git log --reverse --format=%h -- schema/001_ingest.sql schema/002_reconcile.sql \
	schema/003_sample.sql schema/004_report.sql schema/005_checklist.sql schema/006_screen.sql); do
	n=$(git log --reverse --format=%h -- schema | grep -n "^$c" | cut -d: -f1)
	db=$(mktemp)
	rm -f "$db"
	sqlite3 "$db" "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
	for f in $(git ls-tree --name-only "$c" schema/ | grep '\.sql$' | sort); do
		git show "$c:$f" | sqlite3 "$db"
		v=$(basename "$f" | sed 's/^0*\([0-9][0-9]*\).*/\1/')
		sqlite3 "$db" "INSERT INTO schema_version VALUES ($v, '$(basename "$f")', '2026-11-25T00:00:00Z')"
	done
	{
		echo "-- The schema a bangfu of commit $c created."
		sqlite3 "$db" .dump | grep -v '^PRAGMA foreign_keys'
	} >"$out/$(printf '%02d' "$n")-$c.sql"
	rm -f "$db"
done
