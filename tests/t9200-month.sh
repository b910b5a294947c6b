#!/bin/sh
# bangfu-month, the month in one command, on the samples: every stage once;
# again with nothing changed (every stage skipped, nothing written); a
# template changed (only the stages that read it run); returns from two
# counties, one refused with its 退回说明 while the month goes on; --dry-run
# writes nothing; a folder that is a symbolic link is refused; a failing
# stage stops the month.  And the progress line on a terminal.
. "$(dirname "$0")/lib.sh"

DB=$TMP/month.db
OUT=$TMP/out
month() {
	"$BIN/bangfu-month" --db "$DB" --period $PERIOD --as-of 2026-11-25 --out "$OUT" \
		--roster "$TOP/samples/roster.csv" --hr "$TOP/samples/hr.csv" "$@"
}
# name size mtime of every file under the output folder
outputs_state() { find "$OUT" -type f -printf '%P %s %T@\n' | sort; }

test_the_first_run_runs_every_stage_and_says_what_it_wrote() {
	expect_exit 0 "the first run" month
	for s in reconcile sample report checklist; do
		[ "$(q "SELECT count(*) FROM month_step WHERE period = '$PERIOD' AND step = '$s'")" = 1 ] && ok ||
			bad "$s should be recorded as run"
	done
	[ -s "$OUT/progress-$PERIOD.xlsx" ] && [ -s "$OUT/checklist-$PERIOD.xlsx" ] &&
		[ -n "$(ls "$OUT/check-sheets")" ] && [ -n "$(ls "$OUT/townships")" ] && ok || bad "the month's files"
	has "bangfu-month: $PERIOD done in" "the summary line"
	has "progress-$PERIOD.xlsx        进度报表" "the summary names the report"
	has "check-sheets                 抽查核实表 to the counties; they come back for --returned (2 files)" \
		"the summary counts the check sheets"
	has "no rule is in force at the end of $PERIOD" "a month no subsidy rule covers is said"
	grep -q "reconcile [0-9.]* s" "$TMP/err" && ok || bad "the time of each stage"
}

test_nothing_changed_nothing_runs() {
	before=$(outputs_state)
	db_before=$(q "SELECT group_concat(step || ran_at) FROM month_step")
	expect_exit 0 "the second run" month
	for s in reconcile sample screen report checklist; do
		has "$s: unchanged since" "$s skipped"
	done
	has "roster.csv is already loaded for $PERIOD as roster.csv (same SHA-256); skipped" "the roster not loaded again"
	[ "$(outputs_state)" = "$before" ] && ok || bad "a run with nothing changed rewrote files"
	[ "$(q "SELECT group_concat(step || ran_at) FROM month_step")" = "$db_before" ] && ok ||
		bad "a run with nothing changed ran a stage"
}

test_a_changed_template_reruns_the_stages_and_a_changed_option_file_only_its_own() {
	cp -r "$TOP/templates" "$TMP/tmpl"
	sed 's/,示例/,下达/' "$TOP/templates/targets.csv" >"$TMP/tmpl/targets.csv"
	expect_exit 0 "a changed template" month --templates "$TMP/tmpl"
	# every template is part of every stage's fingerprint: one that changed
	# runs them all again, for nothing is known about what reads what
	has "report" "the report ran"
	expect_exit 0 "the same templates again" month --templates "$TMP/tmpl"
	has "report: unchanged since" "the report skipped the second time"
	# a changed targets file given as an option reruns the report and not reconcile
	sed 's/,160,/,170,/' "$TMP/tmpl/targets.csv" >"$TMP/targets.csv"
	expect_exit 0 "--targets" month --templates "$TMP/tmpl" --targets "$TMP/targets.csv"
	has "reconcile: unchanged since" "reconcile does not read the targets"
	! grep -q "report: unchanged" "$TMP/err" && ok || bad "a new targets file reruns the report"
	has "targets: targets.csv: 5 used of 5 rows" "the report used the given targets"
}

test_returns_from_two_counties_one_refused_the_month_goes_on() {
	"$PY" "$TOP/scripts/simulate-answers.py" "$OUT/check-sheets" "$TMP/returned" >/dev/null 2>&1 ||
		{ bad "simulate-answers"; return; }
	# 洞口县's clerk typed an answer that is none of the allowed ones
	"$PY" - "$TMP/returned"/*洞口县*.xlsx <<'EOF' || bad "spoiling a file"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets[1:]:
    for row in ws.iter_rows(min_row=1, max_row=10):
        names = [c.value for c in row]
        if "核查结果" in names:
            ws.cell(row[0].row + 1, names.index("核查结果") + 1).value = "大概准确"
            break
    break
wb.save(sys.argv[1])
EOF
	expect_exit 0 "a refused county file does not stop the month" month --returned "$TMP/returned"
	has "some returned files were refused" "the refusal is said at the end"
	has "1 refused" "verify counts the refused file"
	[ -n "$(ls "$OUT/returns" 2>/dev/null | grep 洞口县)" ] && ok || bad "洞口县 gets its 退回说明"
	[ "$(q "SELECT count(*) FROM check_file WHERE period = '$PERIOD' AND file_name LIKE '%大祥区%'")" = 1 ] && ok ||
		bad "大祥区's file was loaded"
	[ "$(q "SELECT count(*) FROM check_file WHERE period = '$PERIOD' AND file_name LIKE '%洞口县%'")" = 0 ] && ok ||
		bad "洞口县's file was refused"
	has "checklist" "the stages after verify ran"
	pycheck "the report has the checks" "$OUT/progress-$PERIOD.xlsx" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["乡镇抽查"]
text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
assert "大祥区" in text, text[:300]
EOF
}

test_dry_run_says_what_would_run_and_writes_nothing() {
	before=$(outputs_state)
	state=$(dbstate "$DB")
	"$BIN/bangfu-month" --db "$DB" --period $PERIOD --as-of 2026-11-26 --out "$OUT" \
		--roster "$TOP/samples/roster.csv" --hr "$TOP/samples/hr.csv" --dry-run >"$TMP/plan" 2>"$TMP/err" &&
		ok || bad "--dry-run failed"
	grep -q "^skip  reconcile  unchanged since" "$TMP/plan" && ok || { bad "dry run: reconcile skipped"; cat "$TMP/plan"; }
	grep -q "^run   checklist  bangfu-checklist .*--as-of 2026-11-26" "$TMP/plan" && ok ||
		{ bad "dry run: the checklist of another day would run"; cat "$TMP/plan"; }
	[ "$(outputs_state)" = "$before" ] && [ "$(dbstate "$DB")" = "$state" ] && ok || bad "--dry-run wrote something"
	"$BIN/bangfu-month" --db "$TMP/new.db" --period $PERIOD --out "$TMP/new-out" --roster "$TOP/samples/roster.csv" \
		--hr "$TOP/samples/hr.csv" --dry-run >"$TMP/plan" 2>"$TMP/err" && ok || bad "--dry-run of a new month"
	grep -q "^run   ingest" "$TMP/plan" && grep -q "^run   report" "$TMP/plan" && ok || bad "a new month runs everything"
	[ ! -e "$TMP/new.db" ] && [ ! -e "$TMP/new-out" ] && ok || bad "--dry-run of a new month made files"
}

test_a_symbolic_link_for_a_folder_is_refused() {
	mkdir -p "$TMP/elsewhere"
	ln -s "$TMP/elsewhere" "$TMP/linked"
	expect_exit 1 "--out a symbolic link" "$BIN/bangfu-month" --db "$DB" --period $PERIOD --out "$TMP/linked"
	has "is a symbolic link" "says why"
	mkdir -p "$TMP/o2"
	ln -s "$TMP/elsewhere" "$TMP/o2/townships"
	expect_exit 1 "a stage's folder a symbolic link" "$BIN/bangfu-month" --db "$DB" --period $PERIOD --out "$TMP/o2"
	has "townships: a symbolic link" "names the folder"
	[ -z "$(ls -A "$TMP/elsewhere")" ] && ok || bad "nothing written through the link"
}

test_a_failing_stage_stops_the_month() {
	expect_exit 1 "a roster that is not there" "$BIN/bangfu-month" --db "$TMP/fail.db" --period $PERIOD \
		--out "$TMP/fail-out" --roster "$TMP/no-such-roster.csv"
	has "no-such-roster.csv" "the stage's message names the file"
	has "the stages after it did not run" "the driver says it stopped"
	[ ! -e "$TMP/fail-out/progress-$PERIOD.xlsx" ] && ok || bad "no report after a failed stage"
}

# On a terminal (script(1) gives the stage one) a long step shows a line
# rewritten in place; into a file, nothing but the messages.  A machine
# without pseudo-terminals (a chroot without /dev/pts) checks the same line
# through BANGFU_PROGRESS=always, which draws it as on a terminal.
test_progress_on_a_terminal_and_not_in_a_file() {
	"$GEN" --people 400000 --period $PERIOD --out "$TMP/big" --quiet --no-damage || { bad "gen"; return; }
	progress_line="roster.csv: rows [0-9,]* ([0-9,]*/s, [0-9]*%, [0-9]*:[0-9][0-9] left)"
	if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
		script -qec "'$BIN/bangfu-ingest' --db '$TMP/big.db' --period $PERIOD --source roster '$TMP/big/roster.csv'" \
			/dev/null >"$TMP/tty.out" 2>&1 || { bad "ingest on a terminal"; return; }
	else
		echo "$SUITE: no pseudo-terminal on this machine: the terminal's line through BANGFU_PROGRESS=always"
		BANGFU_PROGRESS=always "$BIN/bangfu-ingest" --db "$TMP/big.db" --period $PERIOD --source roster \
			"$TMP/big/roster.csv" >"$TMP/tty.out" 2>&1 || { bad "ingest"; return; }
	fi
	tr '\r' '\n' <"$TMP/tty.out" | grep -q "$progress_line" && ok ||
		{ bad "the progress line: count, rate, share, time left"; tr '\r' '\n' <"$TMP/tty.out" | head -5; }
	BANGFU_PROGRESS=always "$BIN/bangfu-reconcile" --db "$TMP/big.db" --period $PERIOD >"$TMP/tty.out" 2>&1 ||
		bad "reconcile"
	"$BIN/bangfu-ingest" --db "$TMP/big.db" --period $PERIOD --source hr "$TMP/big/hr.csv" 2>"$TMP/err" ||
		bad "ingest into a file"
	! grep -q "$(printf '\r')" "$TMP/err" && ! grep -q "/s," "$TMP/err" && ok || bad "no progress line into a file"
	BANGFU_PROGRESS=never "$BIN/bangfu-reconcile" -v --db "$TMP/big.db" --period $PERIOD 2>"$TMP/err" || bad "reconcile"
	! grep -q "/s," "$TMP/err" && ok || bad "BANGFU_PROGRESS=never: no progress even with --verbose"
}

run_tests
