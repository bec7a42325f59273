/**
 * Benchmark — ranking 1M parts: `rankParts(db, <snapshot>.parts_filtered,
 * strategy)` divided by one plain UPDATE of every weight
 * (`UPDATE part_weights SET weight = RAND()`, the same rows, same table and
 * index), measured in the same run. Goal ≤ 2.
 *
 * The parts: a synthetic dump of `--seed-parts` parts (100k by default) is
 * imported with importSnapshot (so the rows are what an import writes:
 * sequences, compatibility, checksums, FULLTEXT, all indexes), then its live
 * rows are copied with SQL (part_id + k·10⁷, part_name + "#k") until
 * parts_filtered holds `--parts` rows (1M by default). Copying is much faster than
 * importing a 1M dump and gives the same columns, value mix and table size.
 * Every other snapshot table keyed by part_id alone (a side table of per-part
 * columns, if the snapshot has one) gets the same copies, so the result does not
 * depend on which columns live in parts_filtered. ~2% of the parts get forum
 * counters (part_forum_stats), so the LEFT JOIN finds some.
 *
 * Runs, in order: bayesian on an empty part_weights (every weight new),
 * bayesian again (nothing changed: zero writes), classic (the strategy changed:
 * every weight changes), classic again (zero writes), the baseline UPDATE, and
 * bayesian once more (after the baseline scrambled the weights: every weight
 * changes). Each is timed, with rankParts' own steps (forum counters and
 * maxima, computing the weights, writing them) and how it wrote them (changed
 * rows in place, or a new table swapped in); then, to show where the time goes,
 * one bare scan of parts_filtered and one of part_weights. The databases are
 * dropped at the end.
 *
 *   node bin/run-ts.js bench/ranking.ts [--parts 1m] [--seed-parts 100k] [--seed 1]
 */
import { importSnapshot, writeSyntheticDumpFile } from '@brickyard/parts';
import { qualified, rankParts, type RankResult } from '@brickyard/ranking';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { log, machine, printResult, runBench, tempDir } from './lib/common';
import { arg, createAppDatabase, fmtCount, growPerPartTables, mysqldCpuSeconds, ownCpuSeconds, parseCount } from './lib/parts';

const GOAL = 2;
const PARTS = parseCount(arg('parts', '1m'));
const SEED_PARTS = parseCount(arg('seed-parts', '100k'));
const SEED = Number(arg('seed', '1'));

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** CPU seconds the whole machine has been busy (Linux /proc/stat), or NaN. */
function machineBusySeconds(): number {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    return (fields.reduce((a, b) => a + b, 0) - idle) / 100;
  } catch {
    return NaN;
  }
}

/** Starts a window; its end says how many cores other processes (not this one, not mysqld) kept busy on average. */
function otherLoad(): () => string {
  const t0 = performance.now();
  const busy0 = machineBusySeconds() - ownCpuSeconds() - mysqldCpuSeconds();
  return () => {
    const other = machineBusySeconds() - ownCpuSeconds() - mysqldCpuSeconds() - busy0;
    const cores = other / ((performance.now() - t0) / 1000);
    return Number.isNaN(cores) ? 'other processes: ?' : `other processes ${cores.toFixed(2)} of ${os.availableParallelism()} cores`;
  };
}

runBench(async () => {
  log(`ranking on ${machine()}`);
  const wholeRun = otherLoad();
  const app = await createAppDatabase('rank');
  const live = `\`${app.snapshot}\`.parts_filtered`;

  // 1. A real import of a smaller dump.
  const dir = tempDir('bench-ranking-');
  const file = path.join(dir, 'seed.sql');
  await writeSyntheticDumpFile(file, { parts: SEED_PARTS, format: 'sql', seed: SEED });
  let t = performance.now();
  const imported = await importSnapshot({ source: file, appDatabaseUrl: app.url, snapshotDatabase: app.snapshot });
  log(`imported a ${fmtCount(SEED_PARTS)}-part synthetic dump: ${imported.partsLive} live parts in ${secs(performance.now() - t)}`);

  // 2. Copies of its live rows until there are PARTS of them (one statement per copy, so no giant transaction).
  t = performance.now();
  const copied = await growPerPartTables(app, PARTS);
  log(`copied rows of ${copied.join(', ')}`);
  await app.db.query(`
    INSERT INTO part_forum_stats (part_name, rates, rate_sum, stars, watches, experiences, good_experiences)
    SELECT part_name, 1 + CRC32(part_name) % 20, 0, CRC32(CONCAT('s', part_name)) % 15, CRC32(CONCAT('w', part_name)) % 10,
      CRC32(CONCAT('e', part_name)) % 8, 0
    FROM ${live} WHERE CRC32(part_name) % 50 = 0`);
  await app.db.query(`UPDATE part_forum_stats SET rate_sum = rates * (1 + CRC32(CONCAT('r', part_name)) % 5), good_experiences = FLOOR(experiences * (CRC32(CONCAT('g', part_name)) % 101) / 100)`);
  const [{ n }] = await app.db.query(`SELECT COUNT(*) AS n FROM ${live}`);
  const [{ f }] = await app.db.query('SELECT COUNT(*) AS f FROM part_forum_stats');
  const [size] = await app.db.query(
    `SELECT ROUND(data_length / 1048576) AS data_mib, ROUND(index_length / 1048576) AS index_mib FROM information_schema.TABLES WHERE table_schema = ? AND table_name = 'parts_filtered'`,
    [app.snapshot],
  );
  log(`parts_filtered: ${n} rows (${size.data_mib} MiB data, ${size.index_mib} MiB indexes), ${f} with forum counters; built in ${secs(performance.now() - t)}`);

  // 3. The runs.
  const table = qualified(app.snapshot, 'parts_filtered');
  const rank = async (label: string, strategy: string): Promise<RankResult> => {
    const load = otherLoad();
    const result = await rankParts(app.db, table, strategy);
    const steps = Object.entries(result.stepsMs).map(([k, ms]) => `${k} ${secs(ms)}`).join(', ');
    log(`${label.padEnd(52)} ${secs(result.durationMs).padStart(8)}  (${result.parts} parts, ${result.written} weights changed, ${result.removed} removed, written as ${result.method}; ${steps}; ${load()})`);
    return result;
  };
  const bayesianFirst = await rank('bayesian, empty part_weights (all new)', 'bayesian');
  const bayesianSame = await rank('bayesian again (nothing changed)', 'bayesian');
  const classicFirst = await rank('classic after bayesian (all changed)', 'classic');
  const classicSame = await rank('classic again (nothing changed)', 'classic');
  t = performance.now();
  const baselineLoad = otherLoad();
  const updated = await app.db.query('UPDATE part_weights SET weight = RAND()');
  const baselineMs = performance.now() - t;
  log(`${'baseline: UPDATE part_weights SET weight = RAND()'.padEnd(52)} ${secs(baselineMs).padStart(8)}  (${updated.affectedRows ?? updated[1] ?? '?'} rows; ${baselineLoad()})`);
  const bayesianAfter = await rank('bayesian after the baseline (all changed)', 'bayesian');

  // 4. Where the time goes: one bare scan of parts_filtered, one of part_weights.
  t = performance.now();
  await app.db.query(`SELECT MAX(review_total) AS m FROM ${live}`);
  const scanMs = performance.now() - t;
  t = performance.now();
  await app.db.query('SELECT MAX(weight) AS m FROM part_weights IGNORE INDEX (weight)');
  const weightsScanMs = performance.now() - t;
  log(`diagnostics: one full scan of parts_filtered ${secs(scanMs)}; one scan of part_weights ${secs(weightsScanMs)}`);
  log(`over the whole benchmark: ${wholeRun()}`);

  const line = (name: string, what: string, result: RankResult) => {
    const ratio = result.durationMs / baselineMs;
    printResult({
      bench: `ranking-${name}`,
      summary: `${what}: ${secs(result.durationMs)} (${result.written} written) vs UPDATE of every weight ${secs(baselineMs)}, ${n} parts`,
      ratio,
      ratioLabel: 'rankParts / plain UPDATE',
      goal: `≤ ${GOAL}`,
      met: ratio <= GOAL,
    });
  };
  line('bayesian-first', 'rankParts bayesian, first run (all new)', bayesianFirst);
  line('bayesian-unchanged', 'rankParts bayesian, second run (zero writes)', bayesianSame);
  line('classic-first', 'rankParts classic, first run (all changed)', classicFirst);
  line('classic-unchanged', 'rankParts classic, second run (zero writes)', classicSame);
  line('bayesian-rewrite', 'rankParts bayesian after the weights changed (all changed)', bayesianAfter);
});
