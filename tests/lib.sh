# tests/lib.sh — what every shell suite shares: where things are, a
# temporary directory that goes away, the assertion counters, the helpers
# the suites used to define each for itself, and the loop that runs a
# suite's tests and prints its summary line.  The idea is git's
# t/test-lib.sh; the suites stay plain sh functions.
#
# A suite is tests/tNNNN-WHAT.sh, numbered by the stage it tests:
#
#   0xxx  the build and the manuals        5xxx  bangfu-report
#   1xxx  bangfu-ingest                    6xxx  bangfu-screen
#   2xxx  bangfu-reconcile, bangfu-idcheck 7xxx  bangfu-checklist
#   3xxx  bangfu-sample                    8xxx  hostile input, privacy
#   4xxx  bangfu-verify                    9xxx  files and paths, old databases
#
# and reads:
#
#   #!/bin/sh
#   # What the suite tests, and the data it builds.
#   . "$(dirname "$0")/lib.sh"
#   test_a_behaviour_said_as_a_sentence() {
#           "$BIN/bangfu-ingest" ... && ok || bad "what should have happened"
#   }
#   run_tests
#
# Every function named test_* is run, in the order of the file; an
# assertion is one call of ok or bad.  A suite that must build something
# first does so before run_tests and calls give_up when that fails.  Files
# under tests/ that are not suites (helpers) must not be named tNNNN-*.
#
# Running: `make check-run` runs every suite (after the Check units) and
# adds up their counts.  One suite: `sh tests/t5000-report.sh`; some of its
# tests: `sh tests/t5000-report.sh charts targets` runs the test functions
# whose names contain one of the words (a later test may need what an
# earlier one made).  The environment:
#
#   BIN=DIR            the programs to test (default: bin/ of this tree)
#   KEEP=1             keep the temporary directory and say where it is
#   VERBOSE=1          one line per test function: ok/FAIL, assertions, seconds
#   UPDATE_EXPECTED=1  rewrite the expected-output files that expect_cells
#                      compares with (tests/data/*/*.cells), then review
#                      the change with `git diff tests/data` before committing
#                      (tests/README.md lists the commands)
#   TEST_RESULTS=DIR   also write DIR/SUITE.counts ("passed N", "failed N")
#
# What a suite may use:
#
#   TOP DATA BIN GEN PY TMP PERIOD TODAY SUITE
#   ok, bad TEXT                 count a passed / failed assertion
#   q [DB] SQL                   sqlite3 (DB defaults to $DB)
#   dbstate DB                   a digest of the database's content
#   pycheck LABEL ARG... <<EOF   run python from TOP: one assertion
#   expect_exit N LABEL CMD...   run CMD, stderr to $TMP/err: exit status N
#   has TEXT LABEL               $TMP/err holds TEXT
#   check_expect LABEL FILE DB   the "sql: QUERY => RESULT" lines of FILE
#   expect_cells LABEL FILE OUT... [-- SUB=TEXT...]
#                                the cells of workbooks / CSV files, dumped
#                                by tests/dump_cells.py, against FILE
#   reconciled_db DB             the hand-made cases of tests/data/reconcile,
#                                loaded and reconciled for $PERIOD
#   generated_county             a generated county set, reconciled: $TMP/base.db
#   sampled NAME, book_of COUNTY a sampled copy of it, its check sheets
#   give_up TEXT                 a failed setup: count it, print the summary, exit
#   run_tests                    run the test functions, print the summary, exit

set -u
# Messages in English, whatever the machine's language: suites compare them.
# (t0200-locale runs the stages in Chinese.)
LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE LANG LC_MESSAGES
TOP=$(cd "$(dirname "$0")/.." && pwd)
DATA=$TOP/tests/data
BIN=${BIN:-$TOP/bin}
# The generator is a tool, not a stage: a BIN of wrapped stages (make
# valgrind) need not hold it.
GEN=$BIN/bangfu-gen
[ -x "$GEN" ] || GEN=$TOP/bin/bangfu-gen
PY=/usr/bin/python3
SUITE=$(basename "$0" .sh)
PERIOD=2026-10
TODAY=$(date +%F)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bangfu-$SUITE.XXXXXX") || exit 3
pass=0
fail=0
_only="$*"
_done=

# The temporary directory goes whatever happens; a suite that stops before
# its summary (a shell error, an exit in a test) fails.
_cleanup() {
	status=$?
	if [ -n "${KEEP:-}" ]; then echo "$SUITE: kept $TMP" >&2; else rm -rf "$TMP"; fi
	if [ -z "$_done" ]; then
		echo "FAIL: $SUITE stopped before its summary (exit $status)"
		exit 1
	fi
}
trap _cleanup EXIT
trap 'exit 130' INT TERM HUP

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

q() {
	if [ $# -ge 2 ]; then sqlite3 -batch "$1" "$2"; else sqlite3 -batch "$DB" "$1"; fi
}

dbstate() { sqlite3 -batch "$1" .dump 2>/dev/null | md5sum; }

# Run a python check (the script on stdin) from the top of the tree: ok
# when it exits 0, else its last lines go under FAIL.
pycheck() {
	label=$1
	shift
	if (cd "$TOP" && $PY - "$@") >"$TMP/py.out" 2>&1; then ok; else
		bad "$label"
		sed 's/^/    /' "$TMP/py.out" | tail -n 15
	fi
}

# expect_exit STATUS LABEL CMD...: CMD exits with STATUS; its stderr is in
# $TMP/err for has.
expect_exit() {
	want=$1 label=$2
	shift 2
	"$@" 2>"$TMP/err"
	got=$?
	if [ "$got" = "$want" ]; then ok; else
		bad "$label: exit $got, want $want"
		sed 's/^/    /' "$TMP/err" | head -n 12
	fi
}

# has TEXT LABEL: $TMP/err contains TEXT.
has() {
	if grep -qF -- "$1" "$TMP/err"; then ok; else
		bad "$2: stderr lacks '$1'"
		sed 's/^/    /' "$TMP/err" | head -n 12
	fi
}

# The "sql: QUERY => RESULT" lines of an expect file against a database:
# sqlite3 must print exactly RESULT (lines joined with ';').
check_expect() {
	label=$1 expect=$2 db=$3
	while IFS= read -r line; do
		case $line in
		sql:*)
			rest=${line#sql: }
			query=${rest%% => *}
			want=${rest#* => }
			got=$(q "$db" "$query" 2>&1 | tr '\n' ';' | sed 's/;$//')
			if [ "$got" = "$want" ]; then ok; else
				bad "$label: $query"
				echo "    got:  $got"
				echo "    want: $want"
			fi
			;;
		esac
	done <"$expect"
}

# expect_cells LABEL EXPECTED OUTPUT... [-- TEXT=REPLACEMENT...]: the cells
# of the workbooks and CSV files OUTPUT (files, or directories: every .xlsx
# and .csv in them) dumped by tests/dump_cells.py must be the lines of
# EXPECTED.  What differs from run to run is replaced: the generation time
# always, and each TEXT given (today's date, the digest of a file made
# today).  With UPDATE_EXPECTED=1 EXPECTED is rewritten instead.
expect_cells() {
	label=$1 expected=$2
	shift 2
	if ! $PY "$TOP/tests/dump_cells.py" "$@" >"$TMP/cells" 2>"$TMP/cells.err"; then
		bad "$label: cannot dump the outputs"
		sed 's/^/    /' "$TMP/cells.err" | tail -n 5
		return
	fi
	if [ -n "${UPDATE_EXPECTED:-}" ]; then
		cp "$TMP/cells" "$expected" && echo "$SUITE: wrote ${expected#"$TOP"/}" >&2 && ok ||
			bad "$label: cannot write $expected"
		return
	fi
	if [ ! -f "$expected" ]; then
		bad "$label: ${expected#"$TOP"/} missing (UPDATE_EXPECTED=1 writes it)"
	elif diff -u "$expected" "$TMP/cells" >"$TMP/cells.diff"; then
		ok
	else
		bad "$label: differs from ${expected#"$TOP"/} ($(grep -c '^[-+][^-+]' "$TMP/cells.diff") lines)"
		sed 's/^/    /' "$TMP/cells.diff" | head -n 30
	fi
}

# The hand-made cases (tests/data/reconcile), loaded and reconciled for
# $PERIOD into the database $1: the stages after reconcile start here.
reconciled_db() {
	"$BIN/bangfu-ingest" -q --db "$1" --period $PERIOD --source roster "$DATA/reconcile/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$1" --period $PERIOD --source hr "$DATA/reconcile/hr.tsv" &&
		"$BIN/bangfu-reconcile" -q --db "$1" --period $PERIOD
}

# A generated county set of 岳阳市 (bangfu-gen, 3000 people, seed 3: eight
# counties, 240 sampled persons in the big ones), loaded and reconciled for
# $PERIOD: the files in $TMP/gen, the database $TMP/base.db.
generated_county() {
	"$GEN" -q --people 3000 --seed 3 --period $PERIOD --out "$TMP/gen" &&
		"$BIN/bangfu-ingest" -q --db "$TMP/base.db" --period $PERIOD --source roster "$TMP/gen/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$TMP/base.db" --period $PERIOD --source hr "$TMP/gen/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$TMP/base.db" --period $PERIOD
}

# A copy of the generated county's database in $TMP/NAME with its sample
# drawn: sheets in $TMP/NAME/sheets.  Sets d and db.
sampled() {
	d=$TMP/$1
	db=$d/db
	mkdir -p "$d"
	cp "$TMP/base.db" "$db"
	"$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --out "$d/sheets"
}

# The check-sheet workbook of county $1 drawn by sampled.
book_of() { ls "$d"/sheets/*"$1"*.xlsx; }

_summary() {
	echo "$SUITE: $pass passed, $fail failed"
	if [ -n "${TEST_RESULTS:-}" ]; then
		mkdir -p "$TEST_RESULTS" && printf 'passed %d\nfailed %d\n' $pass $fail >"$TEST_RESULTS/$SUITE.counts"
	fi
	_done=1
	[ "$fail" -eq 0 ] && exit 0
	exit 1
}

# A setup the tests need has failed: one failed assertion, and the summary.
give_up() {
	bad "$*"
	_summary
}

# Every test_* function of the suite in the order of the file, or those
# whose names contain a word given on the command line.
run_tests() {
	ran=0
	for t in $(sed -n 's/^\(test_[a-z0-9_]*\)() {$/\1/p' "$0"); do
		if [ -n "$_only" ]; then
			want=
			for word in $_only; do
				case $t in *"$word"*) want=1 ;; esac
			done
			[ -n "$want" ] || continue
		fi
		ran=$((ran + 1))
		p0=$pass f0=$fail s0=$(date +%s)
		case $(type "$t" 2>&1) in
		*function*) $t ;;
		*) bad "$t is named in $SUITE.sh but is no function (a here-document ended early?)" ;;
		esac
		if [ -n "${VERBOSE:-}" ]; then
			if [ $fail -eq $f0 ]; then r=ok; else r=FAIL; fi
			echo "$r $t ($((pass - p0)) passed, $((fail - f0)) failed, $(($(date +%s) - s0)) s)"
		fi
	done
	[ $ran -gt 0 ] || bad "no test function of $SUITE.sh ran${_only:+ (asked for: $_only)}"
	_summary
}
