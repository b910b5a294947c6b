#!/bin/sh
# The driver: run every stage of the pipeline for one period, in order.
#   scripts/run-period.sh --db DB --period YYYY-MM --roster FILE --hr FILE --out DIR
# Stages that are not built yet are skipped with a line saying so.
set -eu
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/bin}
db=bangfu.db period="" roster="" hr="" out=out
while [ $# -gt 0 ]; do
	case $1 in
	--db) db=$2; shift 2 ;;
	--period) period=$2; shift 2 ;;
	--roster) roster=$2; shift 2 ;;
	--hr) hr=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "usage: $0 --db DB --period YYYY-MM --roster FILE --hr FILE --out DIR" >&2; exit 2 ;;
	esac
done
[ -n "$period" ] && [ -n "$roster" ] && [ -n "$hr" ] || { echo "$0: --period, --roster and --hr are required" >&2; exit 2; }
mkdir -p "$out"

stage() { [ -x "$BIN/bangfu-$1" ]; }

"$BIN/bangfu-ingest" --db "$db" --period "$period" --source roster "$roster"
"$BIN/bangfu-ingest" --db "$db" --period "$period" --source hr "$hr"
for s in reconcile sample verify report checklist; do
	stage "$s" || echo "run-period: bangfu-$s is not built yet; skipped" >&2
done
if stage reconcile; then "$BIN/bangfu-reconcile" --db "$db" --period "$period"; fi
if stage sample; then "$BIN/bangfu-sample" --db "$db" --period "$period" --out "$out/check-sheets"; fi
if stage report; then "$BIN/bangfu-report" --db "$db" --period "$period" --out "$out/progress-$period.xlsx"; fi
