#!/bin/sh
# The stages in Chinese: po/zh_CN.po complete and up to date with the
# sources; a case of each kind of message (a refused file with its
# file:line:column, an empty period, a bad --period, an unknown option, a
# refused returned sheet, bangfu-month's summary and a month refused,
# bangfu-ledger's refused problem list and work lists (CSV and xlsx),
# bangfu-archive refused, --help, the progress line on a terminal) run in
# English, with LANGUAGE=zh_CN, and with LANG=zh_CN.UTF-8 on a machine that
# lacks that locale (lib/msg.c's fallback): the same exit status and the
# same "prog: file:line:col: " prefix, the message in Chinese, the English
# run unchanged.  And the catalog of an installed bangfu found from another
# directory.
#
# lib.sh pins English (LC_ALL=C.UTF-8, no LANGUAGE); each case here runs
# its command three times: as lib.sh leaves it, with LANGUAGE=zh_CN, and
# with LANG=zh_CN.UTF-8 and LC_ALL empty.  $run says which (en, zh, zhl),
# for a command that must not find the state the run before it left.
. "$(dirname "$0")/lib.sh"
unset BANGFU_LOCALEDIR

# in_language en|zh|zhl CMD...: CMD (a program or a function) in that language
in_language() {
	run=$1
	shift
	case $run in
	en) "$@" ;;
	zh) (LANGUAGE=zh_CN && export LANGUAGE && "$@") ;;
	zhl) (LC_ALL='' LANG=zh_CN.UTF-8 && export LC_ALL LANG && "$@") ;;
	esac
}

# lang_run LABEL STATUS CMD...: CMD exits STATUS in every language; its
# output (stdout and stderr) in $TMP/en.out, zh.out and zhl.out.
lang_run() {
	label=$1 want=$2
	shift 2
	for l in en zh zhl; do
		in_language $l "$@" >"$TMP/$l.out" 2>&1
		got=$?
		[ "$got" = "$want" ] && ok || { bad "$label ($l): exit $got, want $want"; sed 's/^/    /' "$TMP/$l.out" | head -n 5; }
	done
}

# lang_check LABEL PREFIX ENGLISH: the first line of the English output
# that starts with PREFIX goes on with ENGLISH; in the other two a line
# starts with the same PREFIX, its message in Chinese: more CJK characters
# than the English message, which is gone, and no run of two English words
# of it left.
lang_check() {
	pycheck "$1: the message in Chinese after '$2'" "$2" "$3" "$TMP/en.out" "$TMP/zh.out" "$TMP/zhl.out" <<'EOF'
import re, sys
prefix, english, en, *others = sys.argv[1:]

def line_of(path):
    for line in open(path, encoding="utf-8"):
        if line.startswith(prefix):
            return line.rstrip("\n")
    raise AssertionError(f"{path}: no line starts with {prefix!r}:\n{open(path, encoding='utf-8').read()[:600]}")

def cjk(s):
    return len(re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", s))

e = line_of(en)[len(prefix):]
assert e.startswith(english), f"the English message changed: {e!r}, want {english!r}..."
runs = re.findall(r"[A-Za-z]+(?: [a-z]+)+", e)
for path in others:
    z = line_of(path)[len(prefix):]
    assert cjk(z) > cjk(e), f"{path}: not in Chinese: {z!r}"
    assert e not in open(path, encoding="utf-8").read(), f"{path}: the English message is there: {e!r}"
    left = [r for r in runs if r in z]
    assert not left, f"{path}: English left in {z!r}: {left}"
EOF
}

# lang_case LABEL STATUS PREFIX ENGLISH CMD...: lang_run, then lang_check.
lang_case() {
	label=$1 want=$2 prefix=$3 english=$4
	shift 4
	lang_run "$label" "$want" "$@"
	lang_check "$label" "$prefix" "$english"
}

# The hand-made cases reconciled, their sample drawn, and a returned check
# sheet as CSV whose first row answers 差不多.
DB=$TMP/db
reconciled_db "$DB" && "$BIN/bangfu-sample" -q --db "$DB" --period $PERIOD --seed 7 --out "$TMP/sheets" ||
	give_up "setup: the reconciled and sampled database"
printf '抽查编号,核查结果\n%s,差不多\n' "$(q "SELECT min(sample_code) FROM sample")" >"$TMP/returned.csv"

# Each language its own database and folder: the second run would skip.
month_of() {
	"$BIN/bangfu-month" --db "$TMP/month-$run.db" --period $PERIOD --as-of 2026-11-25 --out "$TMP/month-$run" \
		--roster "$TOP/samples/roster.csv" --hr "$TOP/samples/hr.csv"
}

test_the_catalog_translates_every_message_of_the_sources() {
	msgfmt --check --statistics -o /dev/null "$TOP/po/zh_CN.po" 2>"$TMP/stats" || bad "msgfmt --check refuses po/zh_CN.po"
	grep -q "^[0-9]* translated messages\.$" "$TMP/stats" && ok ||
		bad "po/zh_CN.po has untranslated or fuzzy entries: $(cat "$TMP/stats")"
	[ -z "$(msgattrib --only-fuzzy --no-obsolete "$TOP/po/zh_CN.po")" ] && ok || bad "po/zh_CN.po has fuzzy entries"
	# what xgettext finds in the sources now, every message of it translated
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$TOP" pot POT="$TMP/bangfu.pot" >"$TMP/pot.err" 2>&1 ||
		{ bad "make pot"; sed 's/^/    /' "$TMP/pot.err" | head -n 5; return; }
	msgcmp "$TOP/po/zh_CN.po" "$TMP/bangfu.pot" 2>"$TMP/cmp.err" && ok ||
		{ bad "po/zh_CN.po lacks messages of the sources (make po, then translate)"; head -n 8 "$TMP/cmp.err"; }
}

test_a_refused_file_names_its_line_and_column_in_chinese() {
	lang_case "duplicate columns" 1 "bangfu-ingest: $DATA/ingest/duplicate_column.csv:1:3: " \
		"columns 1 (证件号码) and 3 (身份证号) both mean 证件号码" \
		"$BIN/bangfu-ingest" --db "$TMP/refused.db" --period $PERIOD --source roster "$DATA/ingest/duplicate_column.csv"
	lang_case "no header" 1 "bangfu-ingest: $DATA/ingest/missing_column.csv:1: " \
		"the header row has no column for 证件号码" \
		"$BIN/bangfu-ingest" --db "$TMP/refused.db" --period $PERIOD --source roster "$DATA/ingest/missing_column.csv"
}

# csvin's reject (a wrapper of its own) is stored in the user's language.
test_a_rejected_row_keeps_its_reason_in_the_language_of_the_run() {
	for l in en zh; do
		in_language $l "$BIN/bangfu-ingest" -q --db "$TMP/rows-$l.db" --period $PERIOD --source roster \
			"$DATA/ingest/bad_utf8.csv" || bad "loading bad_utf8.csv ($l)"
	done
	en=$(q "$TMP/rows-en.db" "SELECT line || ':' || message FROM v_reject ORDER BY line LIMIT 1")
	zh=$(q "$TMP/rows-zh.db" "SELECT line || ':' || message FROM v_reject ORDER BY line LIMIT 1")
	case $en in *"is not valid UTF-8"*) ok ;; *) bad "the English reason: $en" ;; esac
	case $zh in "${en%%:*}:第 "*"不是有效的 UTF-8"*) ok ;; *) bad "the reason in Chinese, same line: $zh (English: $en)" ;; esac
}

test_an_empty_period_and_a_bad_period_in_chinese() {
	lang_case "an empty period" 1 "bangfu-reconcile: " "nothing is loaded for 2026-01: run bangfu-ingest" \
		"$BIN/bangfu-reconcile" --db "$DB" --period 2026-01
	lang_case "a bad --period" 1 "bangfu-report: " "--period '2026-13' is not a month: expected YYYY-MM" \
		"$BIN/bangfu-report" --db "$DB" --period 2026-13 --out "$TMP/r.xlsx"
	[ ! -e "$TMP/r.xlsx" ] && ok || bad "a report written for a bad --period"
}

# LANGUAGE of the user's own with a locale the machine lacks: Chinese too,
# and so for the stages bangfu-month runs (they inherit both).
test_a_language_with_a_locale_the_machine_lacks() {
	(LANGUAGE=zh_CN LC_ALL='' LANG=zh_CN.UTF-8 && export LANGUAGE LC_ALL LANG &&
		"$BIN/bangfu-reconcile" --db "$DB" --period 2026-01) 2>"$TMP/err"
	has "bangfu-reconcile: 2026-01 尚未载入任何数据" "LANGUAGE with LANG=zh_CN.UTF-8 missing"
	(LANGUAGE=zh_CN LC_ALL='' LANG=zh_CN.UTF-8 && export LANGUAGE LC_ALL LANG && run=both && month_of) >"$TMP/err" 2>&1
	has "bangfu-sample: $PERIOD：抽取了样本" "a stage of bangfu-month"
}

test_an_unknown_option_and_the_usage_in_chinese() {
	lang_case "an unknown option" 2 "bangfu-sample: " "unknown option '--bogus'" \
		"$BIN/bangfu-sample" --db "$DB" --period $PERIOD --out "$TMP/s" --bogus
	for l in zh zhl; do
		grep -q "^用法：bangfu-sample --period YYYY-MM --out DIR \[选项\]$" "$TMP/$l.out" && ok ||
			{ bad "the usage line in Chinese ($l)"; head -n 3 "$TMP/$l.out"; }
	done
	grep -q "^usage: bangfu-sample --period YYYY-MM --out DIR \[options\]$" "$TMP/en.out" && ok || bad "the English usage line"
}

test_a_refused_returned_sheet_in_chinese() {
	before=$(dbstate "$DB")
	lang_case "a refused returned sheet" 1 "bangfu-verify: returned.csv:2:2: " "核查结果 must be one of 准确, 不准确, 无法联系" \
		"$BIN/bangfu-verify" --db "$DB" --period $PERIOD "$TMP/returned.csv"
	lang_case "the refusal" 1 "bangfu-verify: returned.csv: " "refused (1 rows rejected): nothing of it was loaded" \
		"$BIN/bangfu-verify" --db "$DB" --period $PERIOD "$TMP/returned.csv"
	[ "$(dbstate "$DB")" = "$before" ] && ok || bad "a refused sheet changed the database"
}

test_the_month_summary_in_chinese() {
	lang_run "bangfu-month" 0 month_of
	lang_check "bangfu-month's summary" "bangfu-month: " "$PERIOD done in "
	lang_check "bangfu-month's outputs" "bangfu-month:   check-sheets " \
		"                抽查核实表 to the counties; they come back for --returned (2 files)"
	# the stages it runs speak the same language
	lang_check "a stage of the month" "bangfu-sample: " "$PERIOD: drew the sample with seed"
	[ -s "$TMP/month-zh/progress-$PERIOD.xlsx" ] && [ -s "$TMP/month-zhl/progress-$PERIOD.xlsx" ] && ok ||
		bad "the month in Chinese wrote no report"
}

# bangfu-month refused: a roster file ingest refuses stops the month, the
# ingest's file:line:column and the month's own word on it in Chinese.
month_refused() {
	"$BIN/bangfu-month" --db "$TMP/refused-$run.db" --period $PERIOD --as-of 2026-11-25 --out "$TMP/refused-$run" \
		--roster "$DATA/ingest/duplicate_column.csv" --hr "$TOP/samples/hr.csv"
}

test_a_refused_month_in_chinese() {
	lang_run "a refused month" 1 month_refused
	lang_check "the month's ingest" "bangfu-ingest: $DATA/ingest/duplicate_column.csv:1:3: " \
		"columns 1 (证件号码) and 3 (身份证号) both mean 证件号码"
	lang_check "the month stopped" "bangfu-month: " \
		"ingest of $DATA/ingest/duplicate_column.csv failed (exit 1): the stages after it did not run"
	for l in en zh zhl; do
		[ ! -e "$TMP/refused-$l/progress-$PERIOD.xlsx" ] && ok || bad "a refused month wrote its report ($l)"
	done
}

# bangfu-ledger refuses a problem list, a returned work list as CSV and one
# as the xlsx it was sent as: the place (file:line:column; file, sheet, row
# and column) kept, the reason and the count of refused files in Chinese,
# and nothing loaded.  Each run on its own copy of the database.
ledger_of() {
	cp "$DB" "$TMP/ledger-$run.db"
	"$BIN/bangfu-ledger" --db "$TMP/ledger-$run.db" --period $PERIOD "$@"
}

test_bangfu_ledger_refusals_in_chinese() {
	printf '问题来源,县市区,问题描述,发现日期\n差不多,宁乡市,村里反映的问题,2026-10-05\n' >"$TMP/problems.csv"
	lang_case "a refused problem list" 1 "bangfu-ledger: problems.csv:2:1: " \
		"问题来源 must be one of 回头看, 督查 (联点督查), 12317, 其他" ledger_of --problems "$TMP/problems.csv"
	lang_check "the refused files" "bangfu-ledger: 1 " "of 1 files rejected (1 rows): nothing was loaded from them"
	for l in en zh zhl; do
		[ "$(q "$TMP/ledger-$l.db" "SELECT count(*) FROM ledger_file")" = 0 ] && ok ||
			bad "a refused problem list was loaded ($l)"
	done

	code=$(q "SELECT min(code) FROM ledger_item WHERE closed_on IS NULL AND kind <> 'recalibrate'")
	printf '问题编号,整改情况,整改日期,经办人\n%s,差不多,2026-11-05,张经办\n' "$code" >"$TMP/returned-list.csv"
	lang_case "a refused work list" 1 "bangfu-ledger: returned-list.csv:2:2: " \
		"整改情况 must be one of 已整改, 整改中, 无法整改" ledger_of "$TMP/returned-list.csv"

	"$BIN/bangfu-report" -q --db "$DB" --period $PERIOD --out "$TMP/ledger-report.xlsx" --townships "$TMP/lists" \
		2>"$TMP/report.err" ||
		{ bad "the township work lists"; return; }
	for list in "$TMP"/lists/*.xlsx; do
		$PY "$TOP/tests/fill_work_list.py" "$list" "$TMP/returned-list.xlsx" "$code=差不多|2026-11-05|张经办" \
			2>/dev/null && break
	done
	[ -s "$TMP/returned-list.xlsx" ] || { bad "$code is on no work list"; return; }
	lang_case "a refused work list (xlsx)" 1 "bangfu-ledger: returned-list.xlsx: " "sheet " \
		ledger_of "$TMP/returned-list.xlsx"
	# its sheet, row and column letter as in English
	where=$(sed -n 's/^bangfu-ledger: returned-list.xlsx: sheet \(.*\): row \([0-9]*\): column \([A-Z]*\) (整改情况) .*/\1：第 \2 行：\3 列（整改情况）/p' \
		"$TMP/en.out")
	for l in zh zhl; do
		[ -n "$where" ] && grep -qF "bangfu-ledger: returned-list.xlsx: 工作表 $where只能是" "$TMP/$l.out" && ok ||
			{ bad "the sheet, row and column of the reject ($l): $where"; grep returned-list "$TMP/$l.out" | head -n 2; }
	done
}

# bangfu-archive refused: --to the database itself, named in front.
test_bangfu_archive_refused_in_chinese() {
	before=$(dbstate "$DB")
	lang_case "a refused archive" 1 "bangfu-archive: $DB: " "--to is the database itself" \
		"$BIN/bangfu-archive" --db "$DB" --before 2026-11 --to "$DB"
	[ "$(dbstate "$DB")" = "$before" ] && ok || bad "a refused archive changed the database"
}

# --help in Chinese: every option as in English, in the same order, the
# texts translated and wrapped no wider than the English.
test_help_of_two_stages_in_chinese() {
	for stage in bangfu-ingest bangfu-report; do
		for l in en zh zhl; do
			in_language $l "$BIN/$stage" --help >"$TMP/$l.out" 2>"$TMP/$l.err"
			[ $? = 0 ] && [ ! -s "$TMP/$l.err" ] && ok || bad "$stage --help ($l): exit or stderr"
		done
		help_case_check "$stage"
	done
}

help_case_check() {
	pycheck "$1 --help in Chinese" "$1" "$TMP/en.out" "$TMP/zh.out" "$TMP/zhl.out" <<'EOF'
import re, sys
stage = sys.argv[1]
en, *others = [open(p, encoding="utf-8").read() for p in sys.argv[2:]]
opt = re.compile(r"^  ((?:-\w, )?--[\w-]+(?: [^ ]+)?)", re.M)
width = lambda s: sum(2 if ord(c) > 0x2e7f else 1 for c in s)
usage = en.split("\n")[0]
assert usage.startswith(f"usage: {stage} --"), en[:80]
prose = [l.strip() for l in en.split("\n")
         if not l.lstrip().startswith("-") and len(re.findall(r"\b[a-z]{3,}\b", l)) >= 4]
assert prose, "no English prose in the English help"
for zh in others:
    assert zh.split("\n")[0] == usage.replace("usage: ", "用法：").replace("[options]", "[选项]"), zh[:80]
    assert opt.findall(zh) == opt.findall(en), (opt.findall(zh), opt.findall(en))
    assert max(map(width, zh.split("\n"))) <= max(map(width, en.split("\n"))), "wrapped wider than the English"
    left = [l for l in prose if l in zh]
    assert not left, f"English lines left: {left[:3]}"
    assert len(re.findall(r"[\u4e00-\u9fff]", zh)) > 3 * len(re.findall(r"[\u4e00-\u9fff]", en)), "little Chinese"
EOF
}

# script(1) gives the stage a terminal: the progress line in Chinese.
test_the_progress_line_on_a_terminal_in_chinese() {
	"$GEN" --people 300000 --period $PERIOD --out "$TMP/big" --quiet || { bad "gen"; return; }
	# a machine without pseudo-terminals (a bare chroot has no /dev/pts): the
	# terminal's line through BANGFU_PROGRESS=always, as t9200 does
	pty=
	command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1 && pty=1
	[ -n "$pty" ] || echo "$SUITE: no pseudo-terminal on this machine: the terminal's line through BANGFU_PROGRESS=always"
	for l in en zh; do
		if [ -n "$pty" ]; then
			in_language $l script -qec "'$BIN/bangfu-ingest' --db '$TMP/big-$l.db' --period $PERIOD --source roster '$TMP/big/roster.csv'" \
				/dev/null >"$TMP/tty-$l.out" 2>&1 || { bad "ingest on a terminal ($l)"; return; }
		else
			BANGFU_PROGRESS=always in_language $l "$BIN/bangfu-ingest" --db "$TMP/big-$l.db" --period $PERIOD \
				--source roster "$TMP/big/roster.csv" >"$TMP/tty-$l.out" 2>&1 || { bad "ingest ($l)"; return; }
		fi
		tr '\r' '\n' <"$TMP/tty-$l.out" >"$TMP/tty-$l.txt"
	done
	grep -q "roster.csv: rows [0-9,]* ([0-9,]*/s, [0-9]*%, [0-9]*:[0-9][0-9] left)" "$TMP/tty-en.txt" && ok ||
		{ bad "the English progress line"; head -n 5 "$TMP/tty-en.txt"; }
	pycheck "the progress line in Chinese" "$TMP/tty-zh.txt" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
c = "[\u4e00-\u9fff]"
line = re.compile(rf"roster\.csv: {c}+ [0-9,]+ \([0-9,]+/s, [0-9]+%, [0-9]+:[0-9][0-9] [^)]*{c}[^)]*\)")
assert line.search(text), text[:400]
assert " left)" not in text and ": rows " not in text, text[:400]
EOF
}

# make install to a folder of its own, run from another: the installed
# catalog (share/locale next to bin/), not the build tree's.  A BIN of
# this tree's build/*/bin (make asan) is installed as such.
test_an_installed_bangfu_finds_its_catalog() {
	case $BIN in
	"$TOP"/build/*/bin) build="B=${BIN%/bin} BIN=$BIN" ;;
	*) build= ;;
	esac
	# shellcheck disable=SC2086
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$TOP" $build install PREFIX="$TMP/inst" >"$TMP/install.out" 2>&1 ||
		{ bad "make install"; tail -n 5 "$TMP/install.out"; return; }
	[ -f "$TMP/inst/share/locale/zh_CN/LC_MESSAGES/bangfu.mo" ] && ok || bad "no catalog installed"
	mkdir -p "$TMP/elsewhere"
	(cd "$TMP/elsewhere" && LANGUAGE=zh_CN "$TMP/inst/bin/bangfu-reconcile" --db "$DB" --period 2026-01 \
		--templates "$TOP/templates") 2>"$TMP/err"
	[ $? = 1 ] && ok || bad "the installed bangfu-reconcile: exit status"
	has "bangfu-reconcile: 2026-01 尚未载入任何数据" "the installed program in Chinese"
	(cd "$TMP/elsewhere" && LANGUAGE=zh_CN "$TMP/inst/bin/bangfu" --help) >"$TMP/out" 2>&1
	grep -q "^用法：bangfu 环节" "$TMP/out" && ok || { bad "bangfu --help in Chinese"; head -n 3 "$TMP/out"; }
	# without the installed catalog it speaks English: the Chinese above was its
	if [ ! -e "/usr/local/share/locale/zh_CN/LC_MESSAGES/bangfu.mo" ]; then
		rm "$TMP/inst/share/locale/zh_CN/LC_MESSAGES/bangfu.mo"
		(cd "$TMP/elsewhere" && LANGUAGE=zh_CN "$TMP/inst/bin/bangfu-reconcile" --db "$DB" --period 2026-01 \
		--templates "$TOP/templates") 2>"$TMP/err"
		has "nothing is loaded for 2026-01" "English without the catalog"
	fi
}

run_tests
