#!/bin/sh
# How the fixtures here were made.  Every commit of bangfu that changed a
# schema file made databases of its own shape: its schema/NNN_*.sql files
# applied in order, schema_version as its lib/db.c recorded it.  Each
# version of each file is kept once, as NNN_name.COMMIT.sql (COMMIT: the
# commit that wrote that version); `states` lists, one line per commit,
# the file versions a database of that commit was made from.
# tests/t9100-upgrade.sh builds each state and runs today's stages on it.
# Run from the top of a clone with history:
#   sh tests/data/schema-history/make.sh
set -eu
out=tests/data/schema-history
files="schema/001_ingest.sql schema/002_reconcile.sql schema/003_sample.sql schema/004_report.sql
schema/005_checklist.sql schema/006_screen.sql"
: >"$out/states"
# shellcheck disable=SC2086
for c in $(git log --reverse --format=%h -- $files); do
	line=$c
	for f in $(git ls-tree --name-only "$c" schema/ | grep -E '/00[1-6]_.*\.sql$' | sort); do
		v=$(git log -1 --format=%h "$c" -- "$f")
		base=$(basename "$f" .sql)
		[ -f "$out/$base.$v.sql" ] || git show "$v:$f" >"$out/$base.$v.sql"
		line="$line $base.$v.sql"
	done
	echo "$line" >>"$out/states"
done
