#!/bin/sh
# make demo: the whole pipeline on the checked-in samples, into out/demo/:
# load, reconcile, sample, simulated call-back answers, verify, subsidy
# screening, report, checklist.  The samples are of 2025-12, the last month
# of 湘人社规〔2021〕10号, so that the screening has rules in force.
set -eu
umask 077 # everything under out/demo holds personal data
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
OUT=$TOP/out/demo
PERIOD=2025-12
DB=$OUT/bangfu.db
rm -rf "$OUT"
mkdir -p "$OUT"
# The checklist's tasks: templates/tasks_demo.csv, an example made from the
# 2020 special action's tasks with invented deadlines around the demo's
# date (its 依据 says so), so that the checklist shows every status; and two
# counties' reports.
cat >"$OUT/status-demo.csv" <<'EOF'
市州,县市区,任务编号,完成状态,情况说明
邵阳市,洞口县,1.2.1,已完成,走访重点企业 42 家
邵阳市,大祥区,1.2.1,进行中,已走访 18 家
邵阳市,洞口县,2.1,已完成,服务清单已印发
邵阳市,大祥区,2.1,已完成,服务清单已印发
EOF
# The targets template's example rows (marked 示例) are never applied; the
# demo's own copy marks them as its targets, for the demo's year and month.
sed -e '/,示例/s/,2026-10,/,2025-12,/' -e '/,示例/s/,2026,/,2025,/' -e 's/,示例/,演示数据/' \
	"$TOP/templates/targets.csv" >"$OUT/targets-demo.csv"
run() {
	"$BIN/bangfu-month" --db "$DB" --period $PERIOD --as-of 2026-01-20 \
		--unit "湖南省人力资源和社会保障厅（演示）" --tasks "$TOP/templates/tasks_demo.csv" \
		--status "$OUT/status-demo.csv" --targets "$OUT/targets-demo.csv" \
		--roster "$TOP/samples/roster.csv" --hr "$TOP/samples/hr.csv" --services "$TOP/samples/services.csv" \
		--out "$OUT" "$@"
}
# The month's first run: load, reconcile, draw the sample, write the sheets.
run
# The townships call the sampled people back and return the sheets.
if [ -d "$OUT/check-sheets" ]; then
	/usr/bin/python3 "$TOP/scripts/simulate-answers.py" "$OUT/check-sheets" "$OUT/returned"
	# The second run: the files loaded before and the stages whose inputs did
	# not change are skipped; the answers are verified, and the report and
	# checklist include the checks.
	run --returned "$OUT/returned"
fi

echo
echo "Loaded files (view v_source_file):"
sqlite3 -header -column "$DB" \
	"SELECT source, file_name, encoding, rows_read, rows_loaded, rows_rejected FROM v_source_file"
echo
echo "Persons by reconciliation category (view v_person):"
sqlite3 -header -column "$DB" "SELECT category, count(*) AS persons FROM v_person GROUP BY category ORDER BY 2 DESC"
if sqlite3 "$DB" "SELECT 1 FROM sqlite_master WHERE name = 'v_township_check'" | grep -q 1; then
	echo
	echo "Township checks (view v_township_check):"
	sqlite3 -header -column "$DB" "SELECT county, township, sampled, answered, accurate,
		printf('%.1f%%', 100 * accuracy) AS accuracy,
		printf('%.1f%%–%.1f%%', 100 * ci_low, 100 * ci_high) AS wilson_95, verdict_label
		FROM v_township_check ORDER BY county, township"
fi
echo
echo "Subsidy candidates by rule and status (table subsidy_candidate; the lists in $OUT/subsidies):"
sqlite3 -header -column "$DB" "SELECT subsidy, document, status, count(*) AS persons FROM subsidy_candidate
	WHERE period = '$PERIOD' GROUP BY rule_id, status ORDER BY min(rule_order), status"
# The ID tool on the roster's bad ID numbers, as a clerk would run it.
sqlite3 "$DB" "SELECT id_raw FROM roster_row WHERE id_status <> 'ok' ORDER BY line" >"$OUT/bad-ids.txt"
"$BIN/bangfu-idcheck" -q "$OUT/bad-ids.txt" >"$OUT/bad-ids.tsv"
echo
echo "Outputs in $OUT:"
ls -l "$OUT"
echo "Query it yourself: sqlite3 $OUT/bangfu.db 'SELECT * FROM v_reject'"
