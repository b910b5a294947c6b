#!/bin/sh
# The manuals in docs/ and what the programs print cannot drift apart.
# `bangfu-STAGE --help` is generated from the option table of the stage's
# command; docs/bangfu-STAGE.md is written by hand.  Every option the help
# prints is in the manual with the same argument (`--source roster|hr`), the
# manual's synopsis is the help's usage line, and every option the
# manual's Options table lists is one the help prints.  Every stage that
# `bangfu --help` lists has its manual, linked from docs/bangfu.md and the
# README, and every manual is of a stage or of bangfu-gen, whose help and
# manual agree the same way.
. "$(dirname "$0")/lib.sh"

# The stages, as `bangfu --help` lists them.
stages() {
	"$BIN/bangfu" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p'
}

# Every program with a manual: the stages and the test-data generator
# (bangfu-gen, a tool: not a stage of the month, not installed).
documented() {
	stages
	echo gen
}

test_every_stage_has_a_manual_linked_from_the_overview_and_the_readme() {
	n=$(stages | wc -l)
	[ "$n" -ge 8 ] && ok || bad "bangfu --help lists $n stages"
	for s in $(stages); do
		if [ ! -f "$TOP/docs/bangfu-$s.md" ]; then
			bad "docs/bangfu-$s.md missing"
		elif ! grep -qF "(bangfu-$s.md)" "$TOP/docs/bangfu.md"; then
			bad "docs/bangfu.md does not link bangfu-$s.md"
		elif ! grep -qF "(docs/bangfu-$s.md)" "$TOP/README.md"; then
			bad "README.md does not link docs/bangfu-$s.md"
		else
			ok
		fi
	done
	for f in "$TOP"/docs/bangfu-*.md; do
		s=$(basename "$f" .md)
		documented | grep -qx "${s#bangfu-}" && ok || bad "docs/$s.md is the manual of no stage"
	done
}

# The help of each stage into $TMP/help-STAGE.
helps() {
	for s in $(stages); do
		"$BIN/bangfu-$s" --help >"$TMP/help-$s" || bad "bangfu-$s --help exits $?"
	done
	"$GEN" --help >"$TMP/help-gen" || bad "bangfu-gen --help exits $?"
}

test_every_option_the_help_prints_is_in_the_manual() {
	helps
	for s in $(documented); do
		pycheck "bangfu-$s --help against docs/bangfu-$s.md" "$TMP/help-$s" "docs/bangfu-$s.md" <<'EOF'
import re, sys
help_text = open(sys.argv[1], encoding="utf-8").read()
manual = open(sys.argv[2], encoding="utf-8").read().replace("\\|", "|")
usage = help_text.split("\n")[0]
assert usage.startswith("usage: "), usage
problems = []
if "    " + usage[len("usage: "):] + "\n" not in manual:
    problems.append(f"the synopsis is not the usage line: {usage}")
labels = re.findall(r"^  ((?:-\w, )?--[a-z][a-z-]*(?: \S+)?)(?:  |$)", help_text, re.M)
assert len(labels) >= 4, labels
for label in labels:
    if not re.search(re.escape(label) + r"(?![\w|-])", manual):
        problems.append(f"'{label}' is not in the manual")
assert not problems, "\n".join(problems)
EOF
	done
}

test_every_option_of_the_manual_is_one_the_help_prints() {
	helps
	for s in $(documented); do
		pycheck "docs/bangfu-$s.md's options against bangfu-$s --help" "$TMP/help-$s" "docs/bangfu-$s.md" <<'EOF'
import re, sys
help_text = open(sys.argv[1], encoding="utf-8").read()
manual = open(sys.argv[2], encoding="utf-8").read().replace("\\|", "|")
labels = set(re.findall(r"^  ((?:-\w, )?--[a-z][a-z-]*(?: \S+)?)(?:  |$)", help_text, re.M))
section = re.search(r"^## Options\n(.*?)(?=^## )", manual, re.M | re.S)
assert section, "no '## Options' section"
listed = re.findall(r"^\| `([^`]+)` \|", section.group(1), re.M)
assert listed, "the Options section lists no option"
extra = [o for o in listed if o not in labels]
assert not extra, f"not in --help: {extra}"
EOF
	done
}

run_tests
