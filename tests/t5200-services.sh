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
			AND guidance12 = 0")" = "岗位信息差1次 职业指导" ] &&
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
	printf '证件号码,姓名,服务日期,服务类型\n%s,某,2026-10-12,职业指导\n%s,某,2026-10-12,职业指导\n' "$raw" \
		"43070219800101999X" >"$d/more.csv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source service "$d/more.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "loading the repaired record"; return; }
	[ "$(q "$db" "SELECT guidance12 FROM service_person WHERE id_number = '$id'")" = $(( ${before:-0} + 1 )) ] &&
		[ "$(q "$db" "SELECT repaired FROM service_run")" = 1 ] && ok ||
		bad "a record under $raw should count for $id, whose repair reconcile proposed"
	[ "$(q "$db" "SELECT unmatched FROM service_run")" = $((before_run + 1)) ] && ok ||
		bad "a record whose ID is nobody's should be counted as of no person"
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
