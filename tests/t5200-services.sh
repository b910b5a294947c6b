#!/bin/sh
# Employment services (就业服务): the service records of bangfu-gen
# --services (2,500 people of a province, no damage, seed 11) loaded beside
# their roster and HR dump; after reconcile the measures of every township
# (311, weekly job messages, the match, training intent followed up) and
# the records of nobody equal services_truth.csv (tests/check_services.py).
# Then what is not the generator's: a record linked by a proposed ID repair,
# the templates, a month without service records, the generator's other
# files unmoved, and an ingest of service records killed.
. "$(dirname "$0")/lib.sh"

DB=$TMP/svc.db
"$GEN" -q --people 2500 --seed 11 --period $PERIOD --no-damage --services --out "$TMP/gen" &&
	"$BIN/bangfu-ingest" -q --db "$DB" --period $PERIOD --source roster "$TMP/gen/roster.csv" &&
	"$BIN/bangfu-ingest" -q --db "$DB" --period $PERIOD --source hr "$TMP/gen/hr.csv" &&
	"$BIN/bangfu-ingest" -q --db "$DB" --period $PERIOD --source service "$TMP/gen/services.csv" &&
	"$BIN/bangfu-reconcile" -q --db "$DB" --period $PERIOD || give_up "generating and loading the services"

test_the_measures_of_every_township_equal_the_truth() {
	pycheck "services against services_truth.csv" tests/check_services.py "$DB" $PERIOD "$TMP/gen"
	# the truth is not empty: there is something to get wrong
	[ "$(q "SELECT want_work > 100 AND all311 > 0 AND all311 < want_work AND hired > 0 AND hired < pushed
		AND returnees_weekly > 0 AND returnees_weekly < returnees AND match_low IN (0, 1)
		FROM v_service_area WHERE period = '$PERIOD' AND level = 'province'")" = 1 ] && ok ||
		bad "the province's measures should be neither nothing nor everything"
	[ "$(q "SELECT weeks, week_from, week_to, window_from, window_to FROM service_run")" = \
		"5|2026-09-28|2026-11-01|2025-11-01|2026-10-31" ] && ok ||
		bad "2026-10 has five weeks (28 Sep to 1 Nov: their Thursdays in October) and 12 months from 2025-11"
}

test_every_level_adds_up_and_a_short_person_says_what_is_missing() {
	[ "$(q "SELECT count(DISTINCT w || ' ' || a || ' ' || p) || ' ' || count(*) FROM (SELECT level,
		sum(want_work) w, sum(all311) a, sum(pushed) p FROM v_service_area WHERE period = '$PERIOD'
		GROUP BY level)")" = "1 4" ] && ok ||
		bad "township, county, city and province should add up to the same"
	[ "$(q "SELECT count(*) FROM v_service_person WHERE want_work AND NOT ok_311 AND missing_311 = ''")" = 0 ] &&
		[ "$(q "SELECT DISTINCT missing_311 FROM v_service_person WHERE jobs12 = 2 AND training12 > 0
			AND guidance12 = 0")" = "岗位信息差1次、职业指导" ] &&
		[ "$(q "SELECT DISTINCT missing_311 FROM v_service_person WHERE jobs12 >= 3 AND training12 = 0
			AND guidance12 > 0")" = "职业培训信息" ] && ok ||
		bad "everyone short of 311 should be told what is missing"
}

test_reconciling_again_gives_the_same_services() {
	before=$(q "SELECT count(*), sum(jobs12), sum(weeks_pushed), sum(hired) FROM service_person")
	"$BIN/bangfu-reconcile" -q --db "$DB" --period $PERIOD
	[ "$(q "SELECT count(*), sum(jobs12), sum(weeks_pushed), sum(hired) FROM service_person")" = "$before" ] &&
		[ "$(q "SELECT count(*) FROM service_run")" = 1 ] && ok || bad "a second reconcile should replace, not add"
}

test_the_same_record_in_two_files_counts_once() {
	db=$TMP/twice.db
	cp "$DB" "$db"
	head -n 200 "$TMP/gen/services.csv" >"$TMP/again.csv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source service "$TMP/again.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "loading a part again"; return; }
	[ "$(q "$db" "SELECT count(*), sum(jobs12), sum(training12), sum(hired) FROM service_person")" = \
		"$(q "SELECT count(*), sum(jobs12), sum(training12), sum(hired) FROM service_person")" ] && ok ||
		bad "records loaded twice (a month's file and a correction) should count once"
}

# A roster row with a mistyped ID gets a proposed repair from reconcile; a
# service record with the same mistyped ID is the repaired person's.
test_a_record_with_a_repaired_id_is_linked_and_one_of_nobody_is_counted() {
	d=$TMP/repair
	mkdir -p "$d"
	"$GEN" -q --people 1500 --seed 12 --period $PERIOD --no-damage --rate id_typo=0.05 --services --out "$d" ||
		{ bad "generating"; return; }
	db=$d/db
	for s in roster:roster.csv hr:hr.csv service:services.csv; do
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source "${s%%:*}" "$d/${s#*:}"
	done
	"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "reconcile"; return; }
	raw=$(q "$db" "SELECT raw_id FROM repair WHERE rule = 'substitution' ORDER BY raw_id LIMIT 1")
	id=$(q "$db" "SELECT proposed_id FROM repair WHERE raw_id = '$raw'")
	[ -n "$raw" ] || { bad "no repair proposed to test with"; return; }
	before=$(q "$db" "SELECT guidance12 FROM service_person WHERE id_number = '$id'")
	before_run=$(q "$db" "SELECT unmatched FROM service_run")
	# two IDs that are nobody's and invalid (bad check characters), the same day and service: two records
	printf '证件号码,姓名,服务日期,服务类型\n%s,某,2026-10-12,职业指导\n%s,某,2026-10-12,职业指导\n%s,某,2026-10-12,职业指导\n' \
		"$raw" "43070219800101999X" "43070219800101998X" >"$d/more.csv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source service "$d/more.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "loading the repaired record"; return; }
	[ "$(q "$db" "SELECT guidance12 FROM service_person WHERE id_number = '$id'")" = $(( ${before:-0} + 1 )) ] &&
		[ "$(q "$db" "SELECT repaired FROM service_run")" = 1 ] && ok ||
		bad "a record under $raw should count for $id, whose repair reconcile proposed"
	[ "$(q "$db" "SELECT unmatched FROM service_run")" = $((before_run + 2)) ] && ok ||
		bad "records whose IDs are nobody's should be counted as of no person, each"
}

test_a_month_without_service_records_is_said_and_measured_as_nothing_given() {
	db=$TMP/none.db
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP/gen/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$TMP/gen/hr.csv" || { bad "loading"; return; }
	"$BIN/bangfu-reconcile" --db "$db" --period $PERIOD 2>"$TMP/err" || { bad "reconcile without services"; return; }
	has "no service records of the 12 months loaded" "reconcile should say the services are missing"
	[ "$(q "$db" "SELECT records, all311, want_work > 0 FROM service_run JOIN v_service_area USING (period)
		WHERE level = 'province'")" = "0|0|1" ] && ok || bad "without records nobody has had 311"
}

test_the_report_sheet_and_its_csv_show_the_measures() {
	"$BIN/bangfu-report" -q --db "$DB" --period $PERIOD --out "$TMP/report.xlsx" --csv "$TMP/csv" \
		--followup "$TMP/followup" || { bad "bangfu-report"; return; }
	pycheck "就业服务 sheet and CSV" "$DB" "$TMP/report.xlsx" "$TMP/csv/就业服务.csv" "$TMP/gen/services_truth.csv" <<'PY'
import csv, sys, sqlite3, openpyxl
db, book, csvfile, truthfile = sys.argv[1:5]
wb = openpyxl.load_workbook(book)
assert wb.sheetnames[:4] == ["总表", "分人群", "本月变动", "就业服务"], wb.sheetnames
ws = wb["就业服务"]
head = [c.value for c in ws[3]]
assert head[0] == "地区" and head[1] == "有就业意愿的未就业人数" and head[15] == "人岗匹配成功率", head
rows = list(csv.reader(open(csvfile, encoding="utf-8-sig")))
assert rows[0][:5] == ["层级", "市州", "县市区", "乡镇", "有就业意愿的未就业人数"], rows[0]
body = rows[1:]
sheet = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=3 + len(body))]
truth = list(csv.DictReader(open(truthfile, encoding="utf-8")))
want = sum(int(t["want_work"]) for t in truth if t["township"] != "*records")
assert body[0][0] == "合计" and sheet[0][0] == "合计" and int(body[0][4]) == want == sheet[0][1], (body[0], want)
for r, s in zip(body, sheet):
    name = {"合计": "合计", "市州": r[1], "县市区": r[2], "乡镇": r[3]}[r[0]]
    assert s[0] == name, (s[0], r)
    for a, b in zip(r[4:], s[1:]):
        assert (a == "" and b == "—") or abs(float(a) - float(b)) < 1e-6, (r, s)
# every township of the truth is a row, under its county and city
towns = {(t["city"], t["county"], t["township"]) for t in truth if t["township"] != "*records"}
assert towns == {(r[1], r[2], r[3]) for r in body if r[0] == "乡镇"}
# the outline: cities open, counties and townships folded
assert ws.row_dimensions[5].outlineLevel == 0 and not ws.row_dimensions[5].hidden
# 趋势 carries the province's rates
trend = wb["趋势"]
head = [c.value for c in trend[3]]
row = [c.value for c in trend[4]]
assert row[0] == "2026-10", row
want = sqlite3.connect(db).execute("SELECT share311, returnees_weekly_share, want_weekly_share, match_rate"
                                   " FROM v_service_area WHERE level = 'province'").fetchone()
got = tuple(row[head.index(h)] for h in ("“311”覆盖率", "每周推送率（返乡）", "每周推送率（未就业有意愿）", "人岗匹配成功率"))
assert all(abs(a - b) < 1e-9 for a, b in zip(got, want)), (got, want)
PY
}

test_the_follow_up_lists_name_who_is_short_masked() {
	books=$(ls "$TMP/followup/"乡镇跟进名单_*_$PERIOD.xlsx 2>/dev/null | wc -l)
	[ "$books" = "$(q "SELECT count(DISTINCT city || '/' || county) FROM v_service_followup")" ] && ok ||
		bad "one follow-up workbook per county with someone to follow up ($books)"
	[ "$(stat -c %a "$TMP"/followup/*.xlsx | sort -u)" = 600 ] && ok || bad "the follow-up lists hold personal data: mode 0600"
	pycheck "follow-up lists" "$DB" "$TMP"/followup/*.xlsx <<'PY'
import re, sys, sqlite3, openpyxl
db = sqlite3.connect(sys.argv[1])
seen = {}
for path in sys.argv[2:]:
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "说明", wb.sheetnames
    for ws in wb.worksheets[1:]:
        head = [c.value for c in ws[3]]
        assert head == ["序号", "名单", "姓名", "证件号码", "联系电话", "行政村", "户编号", "情况", "请办理"], head
        for r in range(4, ws.max_row + 1):
            v = [c.value for c in ws[r]]
            assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", v[3]), v[3]
            assert v[4] is None or re.fullmatch(r"\d{3}\*{4}\d{4}", v[4]), v[4]
            seen[v[1]] = seen.get(v[1], 0) + 1
            if v[1] == "“311”未达到":
                assert "缺：" in v[7], v[7]
short = db.execute("SELECT sum(want_work AND NOT ok_311), sum(training_intent AND training12 = 0)"
                   " FROM v_service_person").fetchone()
stale = db.execute("SELECT count(*) FROM person p, service_run r WHERE p.period = r.period AND p.returned = '是'"
                   " AND substr(p.updated_at, 1, 10) < date(r.hr_dump_date, '-14 days')").fetchone()[0]
assert seen.get("“311”未达到") == short[0] and seen.get("有培训意愿未获培训信息") == short[1], (seen, short)
assert seen.get("返乡回流登记未更新") == stale > 0, (seen, stale)
PY
}

# 湘人社函〔2020〕58号 四（三）1.（1）measured from the service records, and
# the returnees' 14 days counted back from the HR dump's date, not the as-of day.
test_the_checklist_measures_weekly_messages_and_the_match_from_the_data() {
	for asof in 2026-11-02 2026-12-20; do
		"$BIN/bangfu-checklist" -q --db "$DB" --period $PERIOD --as-of $asof --out "$TMP/checklist-$asof.xlsx" ||
			{ bad "bangfu-checklist --as-of $asof"; return; }
	done
	pycheck "checklist 3.1.1 and 1.1.1" "$DB" "$TMP/checklist-2026-11-02.xlsx" "$TMP/checklist-2026-12-20.xlsx" <<'PY'
import sys, sqlite3, openpyxl
db = sqlite3.connect(sys.argv[1])
def cells(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        county = None
        for r in ws.iter_rows(min_row=4, values_only=True):
            if len(r) < 10:
                continue
            county = r[1] or county
            if r[5] in ("返乡回流和有就业意愿未就业人员每周推送岗位信息", "线上人岗匹配成功率超过15%",
                        "返乡回流人员登记14日内更新"):
                out[(ws.title, county, r[5])] = (r[6], r[7], r[9])
    return out
early, late = cells(sys.argv[2]), cells(sys.argv[3])
want = {}
for county, w_done, w_total, m_done, m_total in db.execute(
        "SELECT county, sum((returnee OR want_work) AND weeks_pushed = 5), sum(returnee OR want_work),"
        " sum(pushed AND hired), sum(pushed) FROM service_person GROUP BY county"):
    want[county] = (w_done, w_total, m_done, m_total)
seen = 0
for (sheet, county, what), (done, total, status) in late.items():
    if county not in want or sheet == "汇总":
        continue
    w = want[county]
    if what.startswith("返乡回流和"):
        assert (done, total) == w[:2], (county, done, total, w)
        assert status == ("已完成" if done == total else "逾期"), (county, status)
        seen += 1
    elif what.startswith("线上"):
        assert (done, total) == w[2:], (county, done, total, w)
        assert status == ("已完成" if done > 0.15 * total else "逾期"), (county, status)
        seen += 1
    else:
        assert early[(sheet, county, what)][:2] == (done, total), (county, early[(sheet, county, what)], done)
assert seen >= 2 * len(want) - 2, (seen, len(want))
updated = [v[0] for k, v in late.items() if k[2] == "返乡回流人员登记14日内更新"]
assert sum(updated) > 0, "some returnee should be updated within 14 days of the dump"
PY
}

# A county's e-ledger: where it has a person, its 培训意愿 counts; which
# county's arrived when, against the 20th of the month after.
test_a_county_ledger_says_the_training_intent_and_its_arrival_is_listed() {
	db=$TMP/ledger.db
	cp "$DB" "$db"
	county=$(q "$db" "SELECT county FROM person GROUP BY county ORDER BY count(*) DESC LIMIT 1")
	q "$db" "SELECT p.id_number, p.name, p.county FROM person p JOIN roster_row r ON r.rowid = p.roster_rowid
		WHERE p.county = '$county' AND r.training_intent = '否' ORDER BY p.id_number LIMIT 3" |
		awk -F'|' 'BEGIN { print "证件号码,姓名,县市区,培训意愿" } { print $1 "," $2 "," $3 ",是" }' >"$TMP/台账.csv"
	before=$(q "$db" "SELECT sum(training_intent) FROM service_person WHERE county = '$county'")
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source ledger "$TMP/台账.csv" &&
		"$BIN/bangfu-reconcile" --db "$db" --period $PERIOD 2>"$TMP/err" || { bad "loading a ledger"; return; }
	[ "$(q "$db" "SELECT sum(training_intent) FROM service_person WHERE county = '$county'")" = $((before + 3)) ] && ok ||
		bad "the ledger's 培训意愿 should count where it has the person"
	has "county e-ledgers: 3 rows" "reconcile should count the ledger's rows"
	has "no 公益性岗位花名册 loaded for $PERIOD" "reconcile should say what it lacks"
	[ "$(q "$db" "SELECT due_on, loaded_at IS NOT NULL, late FROM v_source_arrival WHERE source = 'ledger'
		AND county = '$county'")" = "2026-11-20|1|$([ "$(date +%F)" \> 2026-11-20 ] && echo 1 || echo 0)" ] &&
		[ "$(q "$db" "SELECT count(*) = sum(late) AND count(*) > 1 FROM v_source_arrival WHERE source = 'ledger'
			AND county <> '$county'")" = 1 ] && ok ||
		bad "v_source_arrival should list every county: the one that sent its ledger, the others missing"
}

# Service records are no persons: the report's 比对情况 counts the roster's
# and the platform's rows only, 说明 names the service file as what it is,
# and a service file loaded after the sample was drawn needs no --resample
# (removing it asks for reconcile alone).
test_service_files_are_no_persons_to_the_other_stages() {
	pycheck "比对情况 and 说明 with a service file" "$TMP/report.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
check = [c for r in wb["比对情况"].iter_rows(values_only=True) for c in r if isinstance(c, str) and c.startswith("核对：")]
assert check and "扶贫系统载入 2500 行" in check[0] and "省平台载入 2500 行" in check[0] and "不符" not in check[0], check
labels = [r[0] for r in wb["说明"].iter_rows(values_only=True)]
assert "就业服务记录" in labels, labels
PY
	db=$TMP/sampled.db
	cp "$DB" "$db"
	"$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --out "$TMP/sheets" || { bad "sampling"; return; }
	head -n 50 "$TMP/gen/services.csv" >"$TMP/later.csv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source service "$TMP/later.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD 2>"$TMP/err" && ok ||
		{ bad "a service file after the sample should not need --resample"; cat "$TMP/err"; }
	"$BIN/bangfu-ingest" --db "$db" --period $PERIOD --remove later.csv 2>"$TMP/err" &&
		has "run again for $PERIOD: bangfu-reconcile" "removing a service file asks for reconcile" &&
		! grep -q resample "$TMP/err" && ok || bad "removing a service file should not ask to draw the sample again"
}

# bangfu-month loads the three optional sources beside the roster and the
# dump, and its report step writes the follow-up lists.
test_the_month_driver_takes_the_optional_sources() {
	expect_exit 0 "bangfu-month with --services, --county-ledger and --posts" \
		"$BIN/bangfu-month" --db "$TMP/month.db" --period $PERIOD --as-of 2026-11-25 --out "$TMP/month" \
		--roster "$TMP/gen/roster.csv" --hr "$TMP/gen/hr.csv" --services "$TMP/gen/services.csv" \
		--county-ledger "$DATA/ingest/ledger.csv" --posts "$DATA/ingest/posts.csv"
	[ "$(sqlite3 "$TMP/month.db" "SELECT group_concat(source, ',') FROM (SELECT source FROM source_file
		WHERE period = '$PERIOD' ORDER BY source)")" = "hr,ledger,posts,roster,service" ] && ok ||
		bad "the month loaded every source"
	[ "$(sqlite3 "$TMP/month.db" "SELECT count(*) FROM service_person WHERE period = '$PERIOD'")" -gt 0 ] && ok ||
		bad "reconcile linked the services"
	has "乡镇跟进名单 to the townships" "the summary names the follow-up lists"
	[ "$(ls "$TMP/month/followup" | grep -c '\.xlsx$')" -ge 1 ] && ok || bad "follow-up workbooks in followup/"
	pycheck "the progress report has 就业服务" "$TMP/month/progress-$PERIOD.xlsx" <<'EOF2'
import sys, openpyxl
assert "就业服务" in openpyxl.load_workbook(sys.argv[1], read_only=True).sheetnames
EOF2
	expect_exit 0 "the same month again" \
		"$BIN/bangfu-month" --db "$TMP/month.db" --period $PERIOD --as-of 2026-11-25 --out "$TMP/month" \
		--roster "$TMP/gen/roster.csv" --hr "$TMP/gen/hr.csv" --services "$TMP/gen/services.csv" \
		--county-ledger "$DATA/ingest/ledger.csv" --posts "$DATA/ingest/posts.csv"
	has "reconcile: unchanged since" "nothing new: reconcile skipped"
}

test_a_bad_template_stops_reconcile_with_its_line() {
	mkdir -p "$TMP/tpl"
	cp "$TOP"/templates/*.csv "$TMP/tpl/"
	printf 'typ,job_push,岗位信息推送,,\n' >>"$TMP/tpl/service_values.csv"
	db=$TMP/tpl.db
	cp "$DB" "$db"
	BANGFU_TEMPLATES=$TMP/tpl expect_exit 1 "unknown kind" "$BIN/bangfu-reconcile" --db "$db" --period $PERIOD
	has "service_values.csv:15:1: unknown kind 'typ'" "the message should name the template's line"
	cp "$TOP"/templates/service_values.csv "$TMP/tpl/"
	printf 'outcome,applied,录用,,\n' >>"$TMP/tpl/service_values.csv"
	BANGFU_TEMPLATES=$TMP/tpl expect_exit 1 "an alias twice" "$BIN/bangfu-reconcile" --db "$db" --period $PERIOD
	has "'录用' already means outcome hired" "a text meaning two codes should be refused"
	cp "$TOP"/templates/service_values.csv "$TMP/tpl/"
	sed -i 's/^match_days,30,/match_days,thirty,/' "$TMP/tpl/service_policy.csv"
	BANGFU_TEMPLATES=$TMP/tpl expect_exit 1 "match_days" "$BIN/bangfu-reconcile" --db "$db" --period $PERIOD
	has "match_days" "a policy value that is no number should be refused"
}

test_the_generators_other_files_do_not_move() {
	"$GEN" -q --people 2500 --seed 11 --period $PERIOD --no-damage --out "$TMP/plain" || { bad "generating"; return; }
	for f in roster.csv hr.csv truth.csv truth_fields.csv; do
		cmp -s "$TMP/gen/$f" "$TMP/plain/$f" && ok || bad "$f differs with --services"
	done
	[ ! -e "$TMP/plain/services.csv" ] && ok || bad "services.csv only with --services"
	expect_exit 2 "--services with --evolve-from" "$GEN" --evolve-from "$TMP/gen" --services --period 2026-11 \
		--out "$TMP/next"
}

test_a_killed_service_ingest_leaves_nothing_half_written() {
	"$GEN" -q --people 60000 --seed 5 --period $PERIOD --no-damage --services --out "$TMP/big" ||
		{ bad "generating"; return; }
	db=$TMP/kill.db
	"$BIN/bangfu-ingest" -q --db "$db" --period 2026-09 --source roster "$DATA/ingest/utf8.csv"
	before=$(dbstate "$db")
	for delay in 0.1 0.3 0.6; do
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source service "$TMP/big/services.csv" &
		pid=$!
		sleep $delay
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		[ "$(q "$db" "PRAGMA integrity_check")" = ok ] && ok || bad "integrity after kill at ${delay}s"
		if [ "$(q "$db" "SELECT count(*) FROM source_file WHERE period = '$PERIOD'")" = 0 ]; then
			[ "$(dbstate "$db")" = "$before" ] && [ "$(q "$db" "SELECT count(*) FROM service_row")" = 0 ] && ok ||
				bad "a killed ingest changed the database (${delay}s)"
		else
			[ "$(q "$db" "SELECT rows_loaded = (SELECT count(*) FROM service_row) FROM source_file
				WHERE period = '$PERIOD'")" = 1 ] && ok || bad "a file recorded without all its rows"
			break
		fi
	done
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source service "$TMP/big/services.csv" 2>/dev/null
	[ "$(q "$db" "SELECT rows_read = rows_loaded AND rows_loaded = (SELECT count(*) FROM service_row)
		FROM source_file WHERE period = '$PERIOD'")" = 1 ] && ok ||
		bad "after kills, a re-run should load the whole file"
}

run_tests
