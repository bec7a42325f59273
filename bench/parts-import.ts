/**
 * Benchmark — importing the iGEM snapshot: `importSnapshot` of a synthetic SQL
 * dump divided by loading the same file with the `mysql` client into a fresh
 * database (`mysql -uroot -h127.0.0.1 <db> < dump.sql`: the dump's CREATE TABLE
 * + extended INSERTs, nothing derived), measured in the same run on the same
 * bytes (an uncompressed .sql written by writeSyntheticDumpFile). Goal ≤ 1.5.
 *
 * Also measured, not in the ratio: `importAndRank` (what `brickyard parts import`
 * and the import task run: the same import, plus ranking the new snapshot before
 * the swap and again after it) into another fresh database. Each import goes
 * into a fresh app database + `<name>_igem` snapshot database (the first import
 * of a deployment: nothing to diff against). The importer's progress messages
 * give the phases, with wall time and the CPU time of this process (parsing)
 * and of mysqld in each.
 *
 * Every run is capped (`--cap-min`, 25 by default): over the cap its statements
 * are killed and the benchmark says where it was. Databases and dump files are
 * removed at the end, also on failure or Ctrl-C.
 *
 * importAndRank runs for sizes up to `--rank-max` (100k by default: at 1M it
 * would be a second import of tens of minutes; bench/ranking.ts measures the
 * ranking it adds at 1M).
 *
 * Also measured, not in the ratio: the same mysql client load with the dump's
 * tables switched to InnoDB (`--no-innodb-reference` skips it), which shows
 * what a durable, transactional load of the same bytes costs on this server.
 *
 * `--reader-floor` also times the importer's reader alone on the file, with no
 * database: parsing, then parsing + mapping (what node must do at least).
 *
 *   node bin/run-ts.js bench/parts-import.ts [--parts 100k,1m] [--cap-min 25] [--seed 1] [--rank-max 100k] [--no-rank] [--no-innodb-reference] [--reader-floor]
 */
import { importSnapshot, openDump, writeSyntheticDumpFile } from '@brickyard/parts';
import { MAPPED_DUMP_COLUMNS, mapFeature, mapPart } from '../libs/parts/snapshot/part-record';
import { importAndRank } from '@brickyard/ranking';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, machine, printResult, runBench, tempDir } from './lib/common';
import { waitForQuiet } from './lib/cpu';
import {
  adminQuery, arg, createAppDatabase, dropDatabases, fmtCount, killQueriesIn, mysqlClientLoad, mysqldCpuSeconds, ownCpuSeconds, parseCount,
  PhaseRecorder, watchOthers, withTimeout,
} from './lib/parts';

const GOAL = 1.5;
const SIZES = arg('parts', '100k,1m').split(',').map(parseCount);
const CAP_MS = Number(arg('cap-min', '25')) * 60_000;
const SEED = Number(arg('seed', '1'));
const WITH_RANK = !process.argv.includes('--no-rank');
/** importAndRank runs only for sizes up to this (a second full import: at 1M it would double a run of tens of minutes). */
const RANK_MAX = parseCount(arg('rank-max', '100k'));
/** Also time the importer's reader alone on the file (no database): parsing only, then parsing + mapping. */
const WITH_READER_FLOOR = process.argv.includes('--reader-floor');
/** Also load the dump with the mysql client into InnoDB tables (a reference for the ratio's denominator, not part of it). */
const WITH_INNODB_REFERENCE = !process.argv.includes('--no-innodb-reference');

interface OurRun {
  ok: boolean;
  seconds: number;
  phases: ReturnType<PhaseRecorder['summary']>;
  note: string;
  nodeCpu: number;
  mysqldCpu: number;
  load: string;
}

async function runOurs(label: string, size: number, run: (onProgress: PhaseRecorder['onProgress'], appUrl: string, snapshot: string, services: Parameters<typeof importAndRank>[0]) => Promise<{ partsLive: number; partsRead: number; featuresRead: number }>): Promise<OurRun> {
  const app = await createAppDatabase(`pimp${size}`);
  log(`${label}: app database ${app.name}, snapshot ${app.snapshot}`);
  await waitForQuiet();
  const phases = new PhaseRecorder((line) => console.log(line));
  const others = watchOthers();
  const cpu0 = ownCpuSeconds();
  const db0 = mysqldCpuSeconds();
  const started = performance.now();
  const outcome = await withTimeout(run(phases.onProgress, app.url, app.snapshot, app.services), CAP_MS, async () => {
    log(`${label}: over the ${CAP_MS / 60000} min cap, killing its statements`);
    await killQueriesIn([app.name, app.snapshot]);
  });
  const seconds = (performance.now() - started) / 1000;
  const nodeCpu = ownCpuSeconds() - cpu0;
  const mysqldCpu = mysqldCpuSeconds() - db0;
  const load = others();
  const summary = phases.summary();
  let note: string;
  if (outcome.value) {
    note = `${outcome.value.partsRead} parts and ${outcome.value.featuresRead} features read, ${outcome.value.partsLive} parts live`;
  } else {
    const last = summary[summary.length - 1];
    note = outcome.timedOut
      ? `did not finish within ${CAP_MS / 60000} min: it was in phase "${last?.name}" for ${last?.seconds.toFixed(0)} s (last message: "${last?.lastMessage}")`
      : `failed after ${seconds.toFixed(1)} s in phase "${last?.name}": ${outcome.error?.message}`;
  }
  // Wait for the killed import to let go of its connections before dropping its databases.
  if (!outcome.value) await new Promise((r) => setTimeout(r, 2000));
  await app.dropAll();
  return { ok: !!outcome.value, seconds, phases: summary, note, nodeCpu, mysqldCpu, load };
}

async function benchSize(size: number, dir: string): Promise<void> {
  console.log(`\n--- ${fmtCount(size)} parts ---`);
  const file = path.join(dir, `synthetic-${size}.sql`);
  let t = performance.now();
  const written = await writeSyntheticDumpFile(file, { parts: size, format: 'sql', seed: SEED });
  const bytes = fs.statSync(file).size;
  log(`dump: ${written.parts} parts, ${written.features} features, ${(bytes / 2 ** 20).toFixed(0)} MiB, written in ${((performance.now() - t) / 1000).toFixed(1)} s (${file})`);

  // Baseline: the mysql client alone, same file, fresh database.
  const baseDb = `by_pimpbase_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE \`${baseDb}\``);
  await waitForQuiet();
  const baseOthers = watchOthers();
  const db0 = mysqldCpuSeconds();
  const baseline = await mysqlClientLoad(baseDb, file, CAP_MS).finally(() => dropDatabases([baseDb]));
  const baselineDbCpu = mysqldCpuSeconds() - db0;
  log(`baseline mysql < dump.sql: ${baseline.ok ? `${(baseline.ms / 1000).toFixed(1)} s (mysqld cpu ${baselineDbCpu.toFixed(1)} s)` : baseline.error}; ${baseOthers()}`);

  // Reference, not in the ratio: the same load into InnoDB tables (the dump's ENGINE=MyISAM rewritten by sed on the way).
  let innodb: Awaited<ReturnType<typeof mysqlClientLoad>> | undefined;
  if (WITH_INNODB_REFERENCE) {
    const innoDb = `by_pimpinno_${crypto.randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE \`${innoDb}\``);
    await waitForQuiet();
    const i0 = mysqldCpuSeconds();
    innodb = await mysqlClientLoad(innoDb, file, CAP_MS, 'InnoDB').finally(() => dropDatabases([innoDb]));
    log(`reference: the same load into InnoDB tables: ${innodb.ok ? `${(innodb.ms / 1000).toFixed(1)} s (mysqld cpu ${(mysqldCpuSeconds() - i0).toFixed(1)} s)` : innodb.error}`);
  }

  if (WITH_READER_FLOOR) {
    for (const map of [false, true]) {
      const cpu0 = ownCpuSeconds();
      const t0 = performance.now();
      const dump = await openDump(file, new Set(['parts', 'parts_seq_features']), MAPPED_DUMP_COLUMNS);
      let rows = 0;
      for await (const event of dump.events) {
        if (event.kind !== 'row') continue;
        rows++;
        if (map) event.row.table === 'parts' ? mapPart(event.row.values) : mapFeature(event.row.values);
      }
      log(`reader floor (no database): ${map ? 'parsing + mapping' : 'parsing'} ${rows} rows: ${((performance.now() - t0) / 1000).toFixed(1)} s (cpu ${(ownCpuSeconds() - cpu0).toFixed(1)} s)`);
    }
  }

  // Ours: importSnapshot alone.
  const ours = await runOurs(`importSnapshot ${fmtCount(size)}`, size, (onProgress, appDatabaseUrl, snapshotDatabase) =>
    importSnapshot({ source: file, appDatabaseUrl, snapshotDatabase, onProgress }),
  );
  log(`importSnapshot: ${ours.ok ? `${ours.seconds.toFixed(1)} s` : 'NOT FINISHED'} — ${ours.note}`);
  console.log(`  phases of importSnapshot (cpu: this process = parsing and batching; mysqld = the server's work):`);
  console.log(PhaseRecorder.format(ours.phases));
  console.log(`    total cpu: node ${ours.nodeCpu.toFixed(1)} s, mysqld ${ours.mysqldCpu.toFixed(1)} s over ${ours.seconds.toFixed(1)} s wall; ${ours.load}`);

  let ranked: OurRun | undefined;
  if (WITH_RANK && size <= RANK_MAX) {
    ranked = await runOurs(`importAndRank ${fmtCount(size)}`, size, (onProgress, _url, _snapshot, services) => importAndRank(services, file, { onProgress }));
    log(`importAndRank (strategy ${'bayesian'}): ${ranked.ok ? `${ranked.seconds.toFixed(1)} s` : 'NOT FINISHED'} — ${ranked.note}`);
    console.log('  phases of importAndRank ("ranking the new snapshot" = rankParts before the swap; the swap phase includes the second rankParts after it):');
    console.log(PhaseRecorder.format(ranked.phases));
  }
  fs.rmSync(file, { force: true });

  const rankText = ranked ? `; importAndRank ${ranked.ok ? `${ranked.seconds.toFixed(1)} s` : 'not finished'}` : '';
  if (baseline.ok && ours.ok) {
    const ratio = ours.seconds / (baseline.ms / 1000);
    printResult({
      bench: `parts-import-${fmtCount(size)}`,
      summary: `importSnapshot ${ours.seconds.toFixed(1)} s vs mysql < dump ${(baseline.ms / 1000).toFixed(1)} s (${(bytes / 2 ** 20).toFixed(0)} MiB, ${size} parts)${innodb?.ok ? `; into InnoDB ${(innodb.ms / 1000).toFixed(1)} s` : ''}${rankText}`,
      ratio,
      ratioLabel: 'importSnapshot / mysql client',
      goal: `≤ ${GOAL}`,
      met: ratio <= GOAL,
    });
  } else {
    console.log(
      `RESULT parts-import-${fmtCount(size)}: no ratio — baseline ${baseline.ok ? `${(baseline.ms / 1000).toFixed(1)} s` : baseline.error}; importSnapshot ${ours.note}${rankText} | goal ≤ ${GOAL} | NOT MET`,
    );
  }
}

runBench(async () => {
  log(`parts-import on ${machine()}`);
  const [vars] = [await adminQuery<{ Variable_name: string; Value: string }[]>("SHOW VARIABLES WHERE Variable_name IN ('version', 'innodb_buffer_pool_size', 'innodb_flush_log_at_trx_commit', 'innodb_log_file_size')")];
  log(`server: ${vars.map((v) => `${v.Variable_name}=${v.Value}`).join(', ')}`);
  log(`sizes: ${SIZES.map(fmtCount).join(', ')}; cap ${CAP_MS / 60000} min per run; seed ${SEED}; ${WITH_RANK ? `importAndRank up to ${fmtCount(RANK_MAX)} parts` : 'importAndRank skipped'}`);
  const dir = tempDir('bench-parts-import-');
  for (const size of SIZES) await benchSize(size, dir);
});
