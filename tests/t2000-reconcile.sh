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
# them: township_total against its definition (the 总表 measures: 脱贫劳动力
# are the roster's able persons of labour age whose population is 脱贫人口 or
# not given; 监测对象, 农村低收入人口 and 易地搬迁 have their own columns; the
# relocated households are counted in the township of their first member;
# every category and the rows of each source, which v_township_summary and
# v_county_summary read),
# and the zero-employment households against theirs, on generated data.
test_counts_made_in_the_pass_equal_their_sql_definitions() {
	db=$TMP/gen-plain.db
	[ -f "$db" ] || { bad "the generated database of the truth test is missing"; return; }
	willing="coalesce(trim(intent), '') NOT IN ('', '无', '否', '无意愿', '暂无')"
	defined="WITH q AS (SELECT rowid AS r, *, (in_roster AND coalesce(able, 1) AND coalesce(labour_age, 1)) AS labour
		FROM person WHERE period = '$PERIOD'),
		p AS (SELECT *, labour AND (population IS NULL OR population = 'exited') AS base FROM q),
		h AS (SELECT household_id, min(r) AS first, max(relocated IS 1) AS relocated,
			max(able IS 1 AND labour_age IS 1 AND (employed IS '是' OR roster_employed IS '是' OR $willing)) AS wants,
			max(able IS 1 AND labour_age IS 1 AND (employed IS '是' OR roster_employed IS '是')) AS works
			FROM q WHERE in_roster AND coalesce(household_id, '') <> '' GROUP BY household_id),
		hh AS (SELECT f.city, f.county, f.township, count(*) AS n, sum(h.works) AS works FROM h JOIN q f ON f.r = h.first
			WHERE h.relocated AND h.wants GROUP BY f.city, f.county, f.township)
		SELECT period, p.city, p.county, p.township, count(*), sum(base), sum(base AND in_hr), sum(base AND employed IS '是'),
		sum(base AND employed IS '是' AND work_region IS '省外'), sum(base AND employed IS '是' AND work_region IS '省内县外'),
		sum(base AND employed IS '是' AND work_region IS '县内'),
		sum(base AND employed IS '是' AND coalesce(work_region, '') NOT IN ('省外', '省内县外', '县内')),
		sum(base AND employed IS '是' AND employment_type IS '公益性岗位'),
		sum(base AND employed IS '是' AND employment_type IS '就业帮扶车间'), sum(base AND employed IS NOT '是'),
		sum(base AND employed IS NOT '是' AND $willing),
		sum(base AND returned IS '是'), sum(category = 'consistent'), sum(category = 'conflict'),
		sum(base AND population IS NULL), sum(labour AND population IS 'monitored'),
		sum(labour AND population IS 'monitored' AND employed IS '是'), sum(labour AND population IS 'low_income'),
		sum(labour AND population IS 'low_income' AND employed IS '是'), sum(labour AND relocated IS 1),
		sum(labour AND relocated IS 1 AND employed IS '是'), coalesce(max(hh.n), 0), coalesce(max(hh.works), 0),
		max(p.key_county), sum(category = 'roster_only'), sum(category = 'hr_only'), sum(category = 'invalid_id'),
		sum(category = 'duplicate'), sum(roster_rows), sum(hr_rows)
		FROM p LEFT JOIN hh ON hh.city IS p.city AND hh.county IS p.county AND hh.township IS p.township
		GROUP BY period, p.city, p.county, p.township"
	stored="SELECT * FROM township_total WHERE period = '$PERIOD'"
	[ "$(q "$db" "SELECT count(*) FROM (SELECT * FROM ($defined) EXCEPT $stored)") $(q "$db" "SELECT count(*) FROM ($stored EXCEPT SELECT * FROM ($defined))")" = "0 0" ] &&
		[ "$(q "$db" "SELECT count(*) FROM township_total WHERE period = '$PERIOD'")" -gt 100 ] &&
		[ "$(q "$db" "SELECT sum(monitored_labour) > 0 AND sum(low_income_labour) > 0 AND sum(relocated_households) > 0
		FROM township_total WHERE period = '$PERIOD'")" = 1 ] && ok ||
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
	# and their members' names, in the order of the persons
	names="SELECT household_id, group_concat(name, '、') FROM (SELECT household_id, name FROM person
		WHERE period = '$PERIOD' AND in_roster AND household_id IN (SELECT household_id FROM zero_household
		WHERE period = '$PERIOD') ORDER BY rowid) GROUP BY household_id"
	stored="SELECT household_id, names FROM zero_household WHERE period = '$PERIOD'"
	[ "$(q "$db" "SELECT count(*) FROM ($names EXCEPT $stored)") $(q "$db" "SELECT count(*) FROM ($stored EXCEPT $names)")" = "0 0" ] &&
		[ "$(q "$db" "SELECT count(*) FROM zero_household WHERE period = '$PERIOD' AND names LIKE '%、%'")" -gt 0 ] && ok ||
		bad "zero_household's names differ from its members' over person"
}

# Populations, relocation and training intent come from the sources through
# templates/population_values.csv: every person of the generated files gets
# the code of what its roster row (else its platform row) says.
test_every_person_gets_its_population_from_the_files() {
	pycheck "population, relocated, training_intent against the generated files" "$TMP/gen-real.db" "$TMP/gen-real" $PERIOD <<'EOF'
import csv, sqlite3, sys
db, indir, period = sys.argv[1:4]
POP = {"脱贫户": "exited", "监测对象": "monitored", "农村低收入人口": "low_income",
       "脱贫劳动力": "exited", "监测对象劳动力": "monitored"}
def rows(name, delim, enc):
    with open(f"{indir}/{name}", encoding=enc, newline="") as f:
        lines = list(csv.reader(f, delimiter=delim))
    if name == "roster.csv":
        head = next(i for i, r in enumerate(lines) if "户编号" in r)
        hdr = [a or b for a, b in zip(lines[head], lines[head + 1])]
        return [dict(zip(hdr, r)) for r in lines[head + 2:]]
    return [dict(zip(lines[0], r)) for r in lines[1:]]
truth = {t["true_id"]: t for t in csv.DictReader(open(f"{indir}/truth.csv", encoding="utf-8"))}
want = {}
for r in rows("roster.csv", ",", "gb18030"):
    want.setdefault(r["身份证号码"], (POP[r["户属性"]], {"是": 1, "否": 0}[r["是否易地搬迁"]],
                                   {"是": 1, "否": 0}[r["是否有培训意愿"]]))
hr_pop = {}
for r in rows("hr.csv", "\t", "utf-8"):
    hr_pop.setdefault(r["身份证件号码"], POP[r["人员类别"]])
db = sqlite3.connect(db)
checked = 0
for key, pop, rel, tr, in_roster in db.execute(
        "SELECT person_key, population, relocated, training_intent, in_roster FROM person"
        " WHERE period = ? AND id_valid AND category IN ('consistent', 'conflict', 'roster_only', 'hr_only')", (period,)):
    t = truth[key]
    if in_roster and t["roster_id_raw"] == key:
        assert (pop, rel, tr) == want[key], (key, (pop, rel, tr), want[key])
        checked += 1
    elif not in_roster and t["hr_id_raw"] == key:
        assert (pop, rel, tr) == (hr_pop[key], None, None), (key, pop, rel, tr)
        checked += 1
assert checked > 15000, checked
pops = dict(db.execute("SELECT population, count(*) FROM person WHERE period = ? GROUP BY 1", (period,)))
assert pops.get("monitored", 0) > 500 and pops.get("low_income", 0) > 300 and pops.get("exited", 0) > 10000, pops
EOF
}

# Key counties come from templates/key_counties.csv only: empty (the
# shipped file), nobody is known to be in one; filled, the persons of the
# county listed and only they.
test_key_counties_come_from_the_template_only() {
	db=$TMP/gen-plain.db
	[ "$(q "$db" "SELECT count(*) FROM person WHERE period = '$PERIOD' AND key_county IS NOT NULL")" = 0 ] && ok ||
		bad "with the shipped (empty) list nobody should be in a key county"
	mkdir -p "$TMP/tmpl" && cp "$TOP"/templates/*.csv "$TMP/tmpl/"
	code=$(q "$db" "SELECT substr(person_key, 1, 6) FROM person WHERE period = '$PERIOD' AND id_valid AND in_roster
		GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
	county=$(q "$db" "SELECT county FROM person WHERE period = '$PERIOD' AND substr(person_key, 1, 6) = '$code' LIMIT 1")
	printf '%s,%s,,国家级,测试用,\n' "$code" "$county" >>"$TMP/tmpl/key_counties.csv"
	"$BIN/bangfu-reconcile" -q --templates "$TMP/tmpl" --db "$db" --period $PERIOD || { bad "reconcile with a key county"; return; }
	[ "$(q "$db" "SELECT count(*) FROM person WHERE period = '$PERIOD' AND key_county = 1 AND county IS NOT '$county'")" = 0 ] &&
		[ "$(q "$db" "SELECT count(*) FROM person WHERE period = '$PERIOD' AND key_county = 1")" -gt 100 ] &&
		[ "$(q "$db" "SELECT count(*) FROM person WHERE period = '$PERIOD' AND key_county IS NULL")" = 0 ] &&
		[ "$(q "$db" "SELECT count(DISTINCT county) FROM township_total WHERE period = '$PERIOD' AND key_county = 1")" = 1 ] &&
		ok || bad "a key county on the list should mark its persons and townships, and only them"
	printf '430199,不存在县,,国家级,测试用,\n' >>"$TMP/tmpl/key_counties.csv"
	expect_exit 1 "a county code not in GB/T 2260" "$BIN/bangfu-reconcile" --templates "$TMP/tmpl" --db "$db" --period $PERIOD
	has "key_counties.csv:6:1: county_code '430199' is not the 6-digit GB/T 2260 code" "the bad code should be named with its line"
	"$BIN/bangfu-reconcile" -q --db "$db" --period $PERIOD || bad "reconcile again with the shipped templates"
}

# The labour-age window by birth month (templates/retirement_age.csv): at the
# end of 2025-06 a man born 1965-04-15 reached 60 years 1 month on
# 2025-05-15 and is past it; one born 1965-05-15 reaches 60 years 2 months on
# 2025-07-15 and is not; women (female_55) born 1970-04-20 and 1970-05-10
# reach 55 years 1 month on 2025-05-20 and 55 years 2 months on 2025-07-10;
# a man born 1964-12-31 kept the old age of 60.
test_labour_age_follows_the_retirement_schedule_by_birth_month() {
	db=$TMP/labour.db
	$PY - "$TMP/labour-roster.csv" <<'EOF'
import sys
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def idn(birth, seq):
    d17 = "430122" + birth.replace("-", "") + seq
    return d17 + "10X98765432"[sum(int(c) * w for c, w in zip(d17, W)) % 11]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("证件号码,姓名,性别,市州,县市区,乡镇,劳动能力,是否已就业,户类型\n")
    for birth, seq, name in (("1965-04-15", "011", "甲"), ("1965-05-15", "013", "乙"), ("1970-04-20", "022", "丙"),
                             ("1970-05-10", "024", "丁"), ("1964-12-31", "015", "戊"), ("2009-06-30", "017", "己")):
        f.write(f"{idn(birth, seq)},{name},{'男' if int(seq) % 2 else '女'},长沙市,望城区,乌山街道,普通劳动力,否,脱贫户\n")
EOF
	"$BIN/bangfu-ingest" -q --db "$db" --period 2025-06 --source roster "$TMP/labour-roster.csv" &&
		"$BIN/bangfu-reconcile" -q --db "$db" --period 2025-06 || { bad "labour: pipeline failed"; return; }
	got=$(q "$db" "SELECT group_concat(name || labour_age || labour_age_until, ' ') FROM (SELECT * FROM person ORDER BY birth_date)")
	[ "$got" = "戊02024-12-31 甲02025-05-15 乙12025-07-15 丙02025-05-20 丁12025-07-10 己12072-06-30" ] && ok ||
		bad "labour age by birth month: $got"
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
