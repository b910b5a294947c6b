#!/bin/sh
# The driver: run every stage of the pipeline for one period, in order.
#
#   scripts/run-period.sh --db DB --period YYYY-MM --roster FILE --hr FILE --out DIR
#                         [--returned FILE]... [--as-of YYYY-MM-DD] [--unit NAME]
#                         [--tasks FILE] [--status FILE] [--targets FILE]
#
# ingest (both sources) → reconcile → sample (check sheets in DIR/check-sheets;
# the same draw on every run) → verify (the returned sheets, when given; re-
# verification lists in DIR/recalibrate) → screen (DIR/subsidies; skipped
# with a message when no subsidy rule covers the month) → report
# (DIR/progress-PERIOD.xlsx, township workbooks in DIR/townships) → checklist
# (DIR/checklist-PERIOD.xlsx).
# Run it again when the townships send their sheets back: files loaded before
# are recognised by their SHA-256 and not loaded twice.  Stops at the first
# stage that fails, with that stage's message.
set -eu
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/bin}
db=bangfu.db period="" roster="" hr="" out=out as_of=$(date +%F) unit=""
returned="" tasks="" status="" targets=""
usage() {
	echo "usage: $0 --db DB --period YYYY-MM --roster FILE --hr FILE --out DIR" \
		"[--returned FILE]... [--as-of YYYY-MM-DD] [--unit NAME] [--tasks FILE] [--status FILE] [--targets FILE]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--db) db=$2 ;;
	--period) period=$2 ;;
	--roster) roster=$2 ;;
	--hr) hr=$2 ;;
	--out) out=$2 ;;
	--returned) returned="$returned
$2" ;;
	--as-of) as_of=$2 ;;
	--unit) unit=$2 ;;
	--tasks) tasks=$2 ;;
	--status) status=$2 ;;
	--targets) targets=$2 ;;
	*) usage ;;
	esac
	shift 2
done
[ -n "$period" ] && [ -n "$roster" ] && [ -n "$hr" ] || { echo "$0: --period, --roster and --hr are required" >&2; exit 2; }
mkdir -p "$out"

stage() {
	[ -x "$BIN/bangfu-$1" ] && return 0
	echo "run-period: bangfu-$1 is not built; skipped" >&2
	return 1
}
step() { echo "== $*" >&2; }

step ingest
"$BIN/bangfu-ingest" --db "$db" --period "$period" --source roster "$roster"
"$BIN/bangfu-ingest" --db "$db" --period "$period" --source hr "$hr"
if stage reconcile; then step reconcile; "$BIN/bangfu-reconcile" --db "$db" --period "$period"; fi
if stage sample; then step sample; "$BIN/bangfu-sample" --db "$db" --period "$period" --out "$out/check-sheets"; fi
if [ -n "$returned" ] && stage verify; then
	step verify
	# one argument per --returned, names with spaces kept
	old_ifs=$IFS
	IFS='
'
	# shellcheck disable=SC2086
	set -- $returned
	IFS=$old_ifs
	"$BIN/bangfu-verify" --db "$db" --period "$period" --out "$out/recalibrate" "$@"
fi
if stage screen; then
	step screen
	if [ -n "$unit" ]; then set -- --unit "$unit"; else set --; fi
	# A month no subsidy rule covers (templates/subsidy_rules.csv) is not an
	# error of the month's data: say so and go on.  Its messages are kept in
	# a new private file (mktemp), never in a fixed name under the output
	# folder that a symbolic link could point elsewhere.
	screen_err=$(mktemp "${TMPDIR:-/tmp}/bangfu-screen.XXXXXX")
	if ! "$BIN/bangfu-screen" --db "$db" --period "$period" --out "$out/subsidies" "$@" 2>"$screen_err"; then
		cat "$screen_err" >&2
		if grep -q "no rule is in force" "$screen_err"; then
			echo "run-period: no subsidy rule is in force for $period; screening skipped" >&2
		else
			rm -f "$screen_err"
			exit 1
		fi
	else
		cat "$screen_err" >&2
	fi
	rm -f "$screen_err"
fi
if stage report; then
	step report
	if [ -n "$unit" ]; then set -- --unit "$unit"; else set --; fi
	if [ -n "$targets" ]; then set -- "$@" --targets "$targets"; fi
	"$BIN/bangfu-report" --db "$db" --period "$period" --out "$out/progress-$period.xlsx" \
		--townships "$out/townships" "$@"
fi
if stage checklist; then
	step checklist
	if [ -n "$unit" ]; then set -- --unit "$unit"; else set --; fi
	if [ -n "$tasks" ]; then set -- "$@" --tasks "$tasks"; fi
	if [ -n "$status" ]; then set -- "$@" --status "$status"; fi
	"$BIN/bangfu-checklist" --db "$db" --period "$period" --as-of "$as_of" \
		--out "$out/checklist-$period.xlsx" "$@"
fi
