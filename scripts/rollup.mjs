// scripts/rollup.mjs EXPORT_DIR OUT_DIR — the national roll-up in DuckDB.
// Run by `scripts/rollup national` (read docs/national.md); the DuckDB
// package's folder is BANGFU_DUCKDB_DIR (its node_modules holds
// @duckdb/node-api).
//
// EXPORT_DIR holds one folder per province, province=CODE/, each with the
// township.csv and person.csv that `scripts/rollup export` wrote from the
// province's database (v_rollup_township, v_rollup_person).  Writes to
// OUT_DIR:
//   province.csv        the totals of each province, and of the country
//                       (province 'all'), with the national check's counts
//   township.csv        every township of every province
//   cross-province.csv  the national check: one row per ID and pair of
//                       provinces, kind roster_twice (the ID is on both
//                       provinces' rosters; province < other_province) or
//                       work_elsewhere (on the roster of province, with a
//                       work record on the platform of other_province)
// Prints the counts (no ID) and each step's seconds on stdout.
// BANGFU_DUCKDB_MEMORY_LIMIT (e.g. 4GB) caps the memory DuckDB uses (past
// it, what can spill goes to OUT_DIR/.spill); BANGFU_ROLLUP_BUCKETS=N
// (below) bounds the largest part, the aggregate over every ID.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [exportDir, outDir] = process.argv.slice(2);
if (!exportDir || !outDir) {
	console.error('usage: node scripts/rollup.mjs EXPORT_DIR OUT_DIR');
	process.exit(2);
}
const duckDir = process.env.BANGFU_DUCKDB_DIR;
const req = createRequire(resolve(duckDir || '.', 'package.json'));
const { DuckDBInstance } = await import(pathToFileURL(req.resolve('@duckdb/node-api')).href);

// a path as an SQL string literal
const lit = (p) => "'" + resolve(p).replaceAll("'", "''") + "'";
const persons = `read_csv(${lit(exportDir + '/province=*/person.csv')}, header = true, all_varchar = true,
	hive_partitioning = true, hive_types = {'province': VARCHAR})`;
const townships = `read_csv(${lit(exportDir + '/province=*/township.csv')}, header = true,
	hive_partitioning = true, hive_types = {'province': VARCHAR},
	types = {'period': 'VARCHAR', 'city': 'VARCHAR', 'county': 'VARCHAR', 'township': 'VARCHAR'})`;

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const t0 = performance.now();
let last = t0;
async function step(label, sql) {
	await con.run(sql);
	const now = performance.now();
	console.log(`step ${label} ${((now - last) / 1000).toFixed(2)}`);
	last = now;
}
async function rows(sql) {
	return (await con.runAndReadAll(sql)).getRows();
}

await con.run('SET preserve_insertion_order = false');
// spilled rows are personal data: into OUT_DIR, not the working folder
await con.run(`SET temp_directory = ${lit(outDir + '/.spill')}`);
if (process.env.BANGFU_DUCKDB_MEMORY_LIMIT)
	await con.run(`SET memory_limit = '${process.env.BANGFU_DUCKDB_MEMORY_LIMIT.replaceAll("'", "''")}'`);

// The national check.  A valid ID is one person in a province's period, so
// an ID on more than one row of all the exports is in more than one
// province: one hash aggregate streams over every person file, and only
// those IDs' rows are read again and paired.
// BANGFU_ROLLUP_BUCKETS=N splits that aggregate by a hash of the ID into N
// passes, each holding a 1/N share of the IDs (an ID pairs only with
// itself, so the passes are independent): memory for N readings.
const buckets = Math.max(1, parseInt(process.env.BANGFU_ROLLUP_BUCKETS || '1', 10) || 1);
await con.run('CREATE TABLE multi (id_number VARCHAR)');
for (let b = 0; b < buckets; b++)
	await con.run(`INSERT INTO multi SELECT id_number FROM ${persons}
		${buckets > 1 ? `WHERE hash(id_number) % ${buckets} = ${b}` : ''}
		GROUP BY id_number HAVING count(*) > 1`);
await step(`ids-in-two-provinces${buckets > 1 ? ` (${buckets} buckets)` : ''}`, 'SELECT 1');
await step('their-rows', `CREATE TABLE cand AS
	SELECT province, id_number, in_roster = '1' AS in_roster, in_hr = '1' AS in_hr, category,
	       city, county, township
	FROM ${persons} WHERE id_number IN (SELECT id_number FROM multi)`);
await step('pairs', `CREATE TABLE cross_province AS
	SELECT 'roster_twice' AS kind, a.id_number, a.province, a.city, a.county, a.township, a.category,
	       b.province AS other_province, b.city AS other_city, b.county AS other_county,
	       b.township AS other_township, b.category AS other_category
	FROM cand a JOIN cand b ON a.id_number = b.id_number AND a.province < b.province
	WHERE a.in_roster AND b.in_roster
	UNION ALL
	SELECT 'work_elsewhere', a.id_number, a.province, a.city, a.county, a.township, a.category,
	       b.province, b.city, b.county, b.township, b.category
	FROM cand a JOIN cand b ON a.id_number = b.id_number AND a.province <> b.province
	WHERE a.in_roster AND b.in_hr`);

// The totals: every township of every province, and per province with the
// national check's counts beside them.
await step('townships', `CREATE TABLE township AS SELECT * FROM ${townships}`);
const measures = ['persons', 'consistent', 'conflict', 'roster_only', 'hr_only', 'invalid_id', 'duplicate',
	'labour', 'entered', 'employed', 'out_province', 'in_province', 'in_county', 'unemployed', 'returned'];
const sums = measures.map((m) => `sum(${m})::BIGINT AS ${m}`).join(', ');
await step('provinces', `CREATE TABLE province AS
	WITH t AS (SELECT province, count(*) AS townships, ${sums} FROM township GROUP BY province),
	c AS (SELECT province,
		count(DISTINCT id_number) FILTER (WHERE kind = 'roster_twice') AS roster_twice,
		count(DISTINCT id_number) FILTER (WHERE kind = 'work_elsewhere') AS work_elsewhere,
		count(DISTINCT id_number) FILTER (WHERE kind = 'work_elsewhere' AND category = 'roster_only')
			AS roster_only_found_elsewhere
	      FROM (SELECT kind, id_number, province, category FROM cross_province
		    UNION ALL
		    SELECT kind, id_number, other_province, other_category FROM cross_province
		    WHERE kind = 'roster_twice')
	      GROUP BY province),
	h AS (SELECT other_province AS province, count(DISTINCT id_number) AS hr_of_other_roster
	      FROM cross_province WHERE kind = 'work_elsewhere' GROUP BY 1)
	SELECT t.*, coalesce(c.roster_twice, 0) AS roster_twice, coalesce(c.work_elsewhere, 0) AS work_elsewhere,
	       coalesce(c.roster_only_found_elsewhere, 0) AS roster_only_found_elsewhere,
	       coalesce(h.hr_of_other_roster, 0) AS hr_of_other_roster
	FROM t LEFT JOIN c USING (province) LEFT JOIN h USING (province)`);

const out = (f) => lit(outDir + '/' + f);
await step('write', `
	COPY (SELECT * FROM (
		SELECT * FROM province
		UNION ALL
		SELECT 'all', ${['townships', ...measures].map((m) => `sum(${m})::BIGINT`).join(', ')},
		       (SELECT count(DISTINCT id_number) FROM cross_province WHERE kind = 'roster_twice'),
		       (SELECT count(DISTINCT id_number) FROM cross_province WHERE kind = 'work_elsewhere'),
		       sum(roster_only_found_elsewhere)::BIGINT, sum(hr_of_other_roster)::BIGINT
		FROM province)
	      ORDER BY province = 'all', province) TO ${out('province.csv')} (HEADER);
	COPY (SELECT * FROM township ORDER BY province, city, county, township) TO ${out('township.csv')} (HEADER);
	COPY (SELECT * FROM cross_province ORDER BY kind, province, other_province, id_number)
		TO ${out('cross-province.csv')} (HEADER)`);

const [[nprov, ntown, npers]] = await rows(`SELECT count(DISTINCT province), count(*), sum(persons)::BIGINT FROM township`);
console.log(`provinces ${nprov}`);
console.log(`townships ${ntown}`);
console.log(`persons ${npers}`);
for (const [kind, ids, pairs] of await rows(`SELECT kind, count(DISTINCT id_number), count(*) FROM cross_province
					       GROUP BY kind ORDER BY kind`))
	console.log(`${kind} ${ids} ${pairs}`);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(2)}`);
