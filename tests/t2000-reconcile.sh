#!/bin/sh
# bangfu-reconcile: the hand-made cases of tests/data/reconcile against the
# assertions of tests/data/reconcile/expect (one person per case, ids.txt
# maps them), the samples and generated data against their ground truth
# (tests/check_truth.py), Excel-damaged IDs and their repairs, and a period
# with nothing to reconcile.
. "$(dirname "$0")/lib.sh"

test_reconcile_classifies_the_hand_made_cases() {
	db=$TMP/rec.db
	d=$DATA/reconcile
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$d/roster.csv" || bad "ingest roster"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$d/hr.tsv" || bad "ingest hr"
	"$BIN/bangfu-reconcile" --db "$db" --period $PERIOD 2>"$TMP/err" || { bad "reconcile failed"; cat "$TMP/err"; return; }
	grep -q "invalid_id" "$TMP/err" && ok || bad "reconcile should print the per-category counts"
	check_expect reconcile "$d/expect" "$db"
	# Re-running replaces the result: same database content.
	before=$(q "$db" "SELECT count(*), group_concat(person_key || category) FROM person")
	"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || bad "second reconcile failed"
	[ "$(q "$db" "SELECT count(*), group_concat(person_key || category) FROM person")" = "$before" ] && ok ||
		bad "re-running reconcile should give the same result"
}

test_reconcile_matches_the_samples_truth() {
	db=$TMP/truth-samples.db
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TOP/samples/roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$TOP/samples/hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "pipeline on samples"; return; }
	if $PY "$TOP/tests/check_truth.py" "$db" $PERIOD "$TOP/samples" >"$TMP/truth.out"; then ok; else
		bad "reconcile against samples/truth.csv"; sed 's/^/    /' "$TMP/truth.out"
	fi
}

test_reconcile_matches_generated_truth_with_every_damage() {
	[ -x "$GEN" ] || { bad "bangfu-gen missing"; return; }
	for form in plain real; do
		out=$TMP/gen-$form
		db=$TMP/gen-$form.db
		"$GEN" --people 20000 --seed 11 --period $PERIOD --form $form --out "$out" 2>/dev/null ||
			{ bad "generating $form"; continue; }
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$out/roster.csv" &&
			"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$out/hr.csv" &&
			"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "pipeline on generated $form"; continue; }
		[ "$(q "$db" "SELECT sum(rows_rejected) FROM source_file")" = 0 ] && ok || bad "$form: rows rejected"
		if $PY "$TOP/tests/check_truth.py" "$db" $PERIOD "$out" >"$TMP/truth.out"; then ok; else
			bad "reconcile against generated truth ($form)"; sed 's/^/    /' "$TMP/truth.out"
		fi
	done
}

# What reconcile counts as it writes the persons equals what SQL counts over
# them: township_total against its definition (the 总表 measures), and the
# zero-employment households against theirs, on generated data.
test_counts_made_in_the_pass_equal_their_sql_definitions() {
	db=$TMP/gen-plain.db
	[ -f "$db" ] || { bad "the generated database of the truth test is missing"; return; }
	defined="WITH p AS (SELECT period, city, county, township, category, in_hr, employed, work_region,
		employment_type, intent, returned, (in_roster AND coalesce(able, 1) AND coalesce(labour_age, 1)) AS base
		FROM person WHERE period = '$PERIOD')
		SELECT period, city, county, township, count(*), sum(base), sum(base AND in_hr), sum(base AND employed IS '是'),
		sum(base AND employed IS '是' AND work_region IS '省外'), sum(base AND employed IS '是' AND work_region IS '省内县外'),
		sum(base AND employed IS '是' AND work_region IS '县内'),
		sum(base AND employed IS '是' AND coalesce(work_region, '') NOT IN ('省外', '省内县外', '县内')),
		sum(base AND employed IS '是' AND employment_type IS '公益性岗位'),
		sum(base AND employed IS '是' AND employment_type IS '就业帮扶车间'), sum(base AND employed IS NOT '是'),
		sum(base AND employed IS NOT '是' AND coalesce(trim(intent), '') NOT IN ('', '无', '否', '无意愿', '暂无')),
		sum(base AND returned IS '是'), sum(category = 'consistent'), sum(category = 'conflict')
		FROM p GROUP BY period, city, county, township"
	stored="SELECT * FROM township_total WHERE period = '$PERIOD'"
	[ "$(q "$db" "SELECT count(*) FROM (SELECT * FROM ($defined) EXCEPT $stored)") $(q "$db" "SELECT count(*) FROM ($stored EXCEPT SELECT * FROM ($defined))")" = "0 0" ] &&
		[ "$(q "$db" "SELECT count(*) FROM township_total WHERE period = '$PERIOD'")" -gt 100 ] && ok ||
		bad "township_total differs from its definition over person"
	households="SELECT household_id, min(city), min(county), min(township), min(village), count(*),
		sum(coalesce(able, 0) AND coalesce(labour_age, 0)) FROM person
		WHERE period = '$PERIOD' AND in_roster AND coalesce(household_id, '') <> '' GROUP BY household_id
		HAVING sum(coalesce(able, 0) AND coalesce(labour_age, 0)) > 0 AND sum(employed IS '是' OR roster_employed IS '是') = 0"
	zero="SELECT household_id, city, county, township, village, members, able_members FROM zero_household
		WHERE period = '$PERIOD'"
	[ "$(q "$db" "SELECT count(*) FROM ($households EXCEPT $zero)") $(q "$db" "SELECT count(*) FROM ($zero EXCEPT $households)")" = "0 0" ] &&
		[ "$(q "$db" "SELECT count(*) FROM zero_household WHERE period = '$PERIOD'")" -gt 10 ] && ok ||
		bad "zero_household differs from its definition over person"
}

# Excel keeps 15 significant digits and truncates (KB 269370): a roster ID
# shown as ...011000 is any ID from ...011000 to ...01199X.  Tails above and
# below 500, a tail that a rounding export carried up (...032000 for
# ...031774), a scientific form rounded up (4.3016E+17 for 430156...), and
# two same-name candidates in one window (no proposal).
test_reconcile_repairs_ids_excel_truncated_or_rounded() {
	db=$TMP/excel.db
	h='证件号码,姓名,性别,联系方式,市州,县市区,乡镇,行政村,户编号,劳动能力,是否已就业'
	printf '%s\n' "$h" \
		'430182198001011000,甲一,男,,长沙市,宁乡市,花明楼镇,某村,E1,普通劳动力,是' \
		'430182198002021000,甲二,女,,长沙市,宁乡市,花明楼镇,某村,E2,普通劳动力,是' \
		'430182198003032000,甲三,男,,长沙市,宁乡市,花明楼镇,某村,E3,普通劳动力,是' \
		'4.3016E+17,甲四,男,,长沙市,宁乡市,花明楼镇,某村,E4,普通劳动力,是' \
		'430182198005051000,甲五,男,,长沙市,宁乡市,花明楼镇,某村,E5,普通劳动力,是' >"$TMP/excel-roster.csv"
	printf '%s\n' '证件号码,姓名,性别,联系电话,市州,县市区,乡镇,就业状态' \
		'430182198001011833,甲一,男,,长沙市,宁乡市,花明楼镇,已就业' \
		'430182198002021419,甲二,女,,长沙市,宁乡市,花明楼镇,已就业' \
		'430182198003031774,甲三,男,,长沙市,宁乡市,花明楼镇,已就业' \
		'430156198006061554,甲四,男,,长沙市,宁乡市,花明楼镇,已就业' \
		'430182198005051218,甲五,男,,长沙市,宁乡市,花明楼镇,已就业' \
		'430182198005051728,甲五,男,,长沙市,宁乡市,花明楼镇,已就业' >"$TMP/excel-hr.csv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster "$TMP/excel-roster.csv" &&
		"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source hr "$TMP/excel-hr.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || { bad "excel: pipeline failed"; return; }
	for want in '430182198001011000|430182198001011833|excel_rounded' \
		'430182198002021000|430182198002021419|excel_rounded' \
		'430182198003032000|430182198003031774|excel_rounded' \
		'4.3016E+17|430156198006061554|excel_scientific'; do
		raw=${want%%|*}
		got=$(q "$db" "SELECT raw_id || '|' || proposed_id || '|' || rule FROM v_repair WHERE raw_id = '$raw'")
		[ "$got" = "$want" ] && ok || bad "excel: repair of $raw: got '$got', want '$want'"
	done
	[ "$(q "$db" "SELECT count(*) FROM v_repair WHERE raw_id = '430182198005051000'")" = 0 ] && ok ||
		bad "excel: two same-name candidates in the window must give no proposal"
}

test_reconcile_without_data_fails_clearly() {
	db=$TMP/empty-rec.db
	"$BIN/bangfu-reconcile" --db "$db" --period 2026-01 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "no such database" "$TMP/err" && [ ! -e "$db" ] && ok ||
		bad "reconcile without a database should exit 1 and create none"
	"$BIN/bangfu-ingest" -q --db "$db" --period 2026-09 --source roster "$DATA/ingest/utf8.csv"
	"$BIN/bangfu-reconcile" --db "$db" --period 2026-01 2>"$TMP/err"
	[ $? -eq 1 ] && grep -q "nothing is loaded for 2026-01" "$TMP/err" && ok || bad "reconcile of an empty period should exit 1"
}

# Once a sample is drawn from a period's persons, reconciling the period
# again from other files is refused: the answers belong to the persons of
# the earlier files.  --resample drops the sample; the same files again are
# fine.
test_a_sampled_period_is_not_reconciled_from_other_files_without_resample() {
	db=$TMP/resample.db
	reconciled_db "$db" || { bad "setup"; return; }
	"$BIN/bangfu-sample" -q --db "$db" --period $PERIOD --out "$TMP/resample-sheets" || { bad "sample"; return; }
	expect_exit 0 "the same files again" "$BIN/bangfu-reconcile" --db "$db" --period $PERIOD
	head -n 5 "$DATA/reconcile/roster.csv" >"$TMP/extra-roster.csv"
	sed -i '2,5s/^430182/430181/' "$TMP/extra-roster.csv"
	"$BIN/bangfu-ingest" -q --db "$db" --period $PERIOD --source roster --force "$TMP/extra-roster.csv" || bad "ingest"
	before=$(dbstate "$db")
	expect_exit 1 "another file after the sample" "$BIN/bangfu-reconcile" --db "$db" --period $PERIOD
	has "files changed since its sample was drawn" "the refusal says why"
	has "--resample" "the refusal says what to do"
	[ "$(dbstate "$db")" = "$before" ] && ok || bad "a refused reconcile must leave the database as it was"
	expect_exit 0 "--resample" "$BIN/bangfu-reconcile" --db "$db" --period $PERIOD --resample
	has "run bangfu-sample again" "--resample says what to run next"
	[ "$(q "$db" "SELECT count(*) FROM sample WHERE period = '$PERIOD'")" = 0 ] && ok ||
		bad "--resample should drop the sample"
}

run_tests
