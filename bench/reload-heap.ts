/**
 * Benchmark 2 — heap growth across code-changing reloads, measured in one HTTP
 * worker. The benchmark process itself is the worker: it starts a
 * `KernelProcess('http')` as apps/server/http-worker.ts does (same migrations
 * and extensions; fresh database, temporary home and plugins folder) with the
 * long-lived HTTP host in front (no websocket host), then repeatedly rewrites a plugin's
 * controller and converges to a new generation, checking each time that the new
 * code answers. After 10 and after 500 reloads it waits for the replaced
 * generations to close, runs the GC and reads `heapUsed`.
 * Goal: heap(500) − heap(10) ≤ 10 MB. Baseline in the same run: heap after 10.
 *
 * WeakRefs to every generation and every loaded plugin module tell how many
 * replaced ones the GC could not collect; `--snapshots` also writes heap
 * snapshots at both points and prints which objects grew.
 *
 *   node --expose-gc bin/run-ts.js bench/reload-heap.ts [--reloads 500] [--snapshots | --snapshot-dir DIR]
 * (without --expose-gc it restarts itself with the flag)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as v8 from 'node:v8';

const args = process.argv.slice(2);
if (typeof global.gc !== 'function') {
  const result = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, '..', 'bin', 'run-ts.js'), __filename, ...args], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

import { createHttpHost, KernelProcess } from '@brickyard/kernel';
import { createTestDatabase } from '@brickyard/testing';
import { coreMigrations } from '../migrations';
import { arg, log, machine, onCleanup, printResult, runBench, sleep, tempDir } from './lib/common';
import { censusGrowth, heapCensus } from './lib/heap-snapshot';
import { writeBenchPlugin } from './lib/plugins';
import { dropInProcessCluster } from './lib/server';

const GOAL_MB = 10;
const RELOADS = Number(arg('reloads', '500'));
const BASELINE_AT = 10;
const SNAPSHOT_DIR = arg('snapshot-dir', '');
const SNAPSHOTS = args.includes('--snapshots') || !!SNAPSHOT_DIR;
const MB = 2 ** 20;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function fullGc(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    global.gc!();
    await new Promise((resolve) => setImmediate(resolve)); // let weak callbacks and finalizers run
  }
}

function get(agent: http.Agent, url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || 'null') }));
      })
      .on('error', reject);
  });
}

runBench(async () => {
  log(`reload-heap on ${machine()}`);
  const database = await createTestDatabase('heap');
  onCleanup(() => dropInProcessCluster(database));
  const home = tempDir('bench-heap-home-');
  const pluginsDir = tempDir('bench-heap-plugins-');
  const edited = writeBenchPlugin(pluginsDir, 'bench-00', true); // entity + migration: the leak-prone kind
  writeBenchPlugin(pluginsDir, 'bench-01', false);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    BRICKYARD_HOME: home,
    PLUGINS_DIR: pluginsDir,
    PLUGINS_WATCH: 'false',
    SNAPSHOT_DATABASE: '', // the `<app>_igem` default, dropped at the end
    LOG_LEVEL: 'warn',
  };
  // Built like apps/server/http-worker.ts builds its kernel: the built-in plugins (parts) are mounted as in production.
  const host = await KernelProcess.start('http', {
    env,
    migrations: coreMigrations,
  });
  onCleanup(() => host.close());
  const kernel = host.kernel;
  const server = createHttpHost(kernel, host.identity);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  onCleanup(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/plugins`;

  const generations: WeakRef<object>[] = [];
  const modules: WeakRef<object>[] = [];
  const draining = () => (kernel as unknown as { draining: Set<unknown> }).draining.size;
  let target = kernel.current!.number;
  const times: number[] = [];

  const reload = async (i: number) => {
    const answer = `v${i}`;
    edited.setAnswer(answer);
    const t0 = performance.now();
    const result = await kernel.converge(++target);
    times.push(performance.now() - t0);
    if (!result.rebuilt || result.errors.length) throw new Error(`reload ${i} did not rebuild: ${JSON.stringify(result)}`);
    generations.push(new WeakRef(kernel.current!));
    const plugin = kernel.current!.plugins.find((p) => p.name === edited.name)!;
    modules.push(new WeakRef(plugin.definition!.module));
    // Serve from the new generation: the route, the repository, the other plugin.
    const { body } = await get(agent, `${base}/${edited.name}`);
    if (body?.answer !== answer) throw new Error(`after reload ${i} the plugin answered ${JSON.stringify(body)}, not ${answer}`);
    if ((await get(agent, `${base}/${edited.name}/count`)).status !== 200) throw new Error('GET /count failed');
    if ((await get(agent, `${base}/bench-01`)).status !== 200) throw new Error('GET bench-01 failed');
  };

  const settle = async () => {
    const deadline = Date.now() + 15_000;
    while (draining() > 0 && Date.now() < deadline) await sleep(20);
    await sleep(200);
    await fullGc();
  };
  const alive = (refs: WeakRef<object>[]) => refs.filter((r) => r.deref() !== undefined).length;

  // Kept when --snapshot-dir is given (for a closer look in DevTools), removed otherwise.
  const snapshotDir = SNAPSHOT_DIR ? path.resolve(SNAPSHOT_DIR) : SNAPSHOTS ? tempDir('bench-heap-snapshots-') : '';
  if (SNAPSHOT_DIR) fs.mkdirSync(snapshotDir, { recursive: true });
  const points: { reloads: number; heapMB: number; generationsAlive: number; modulesAlive: number }[] = [];
  const checkpoint = async (reloads: number) => {
    await settle();
    const heapMB = process.memoryUsage().heapUsed / MB;
    // The current generation (and its plugin module) is rightly alive: 1 each is the floor.
    const point = { reloads, heapMB, generationsAlive: alive(generations), modulesAlive: alive(modules) };
    points.push(point);
    log(
      `after ${String(reloads).padStart(3)} reloads: heapUsed ${heapMB.toFixed(1)} MB, ` +
        `generations still reachable ${point.generationsAlive}/${generations.length}, plugin modules ${point.modulesAlive}/${modules.length}, ` +
        `converge p50 ${times.length ? [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!.toFixed(0) : '-'} ms`,
    );
  };

  const marks = new Set([BASELINE_AT, 50, 100, 200, 300, 400, RELOADS].filter((m) => m <= RELOADS));
  for (let i = 1; i <= RELOADS; i++) {
    await reload(i);
    if (marks.has(i)) {
      await checkpoint(i);
      if (SNAPSHOTS && (i === BASELINE_AT || i === RELOADS)) v8.writeHeapSnapshot(path.join(snapshotDir, `after-${i}.heapsnapshot`));
    }
  }

  const first = points.find((p) => p.reloads === BASELINE_AT)!;
  const last = points[points.length - 1]!;
  const growth = last.heapMB - first.heapMB;
  const perReloadKB = (growth * 1024) / (last.reloads - first.reloads);
  log(`heap growth ${growth.toFixed(2)} MB over ${last.reloads - first.reloads} reloads (${perReloadKB.toFixed(1)} KB per reload)`);

  if (SNAPSHOTS) {
    log('diffing the heap snapshots (this takes a while)…');
    // Paths into the build cache name a plugin build: strings of that kind that pile up are kept by module caches.
    const groups: [string, RegExp][] = [['naming a path in $BRICKYARD_HOME/build', new RegExp(escapeRegExp(path.join(home, 'build')))]];
    const before = heapCensus(path.join(snapshotDir, `after-${BASELINE_AT}.heapsnapshot`), groups);
    const after = heapCensus(path.join(snapshotDir, `after-${RELOADS}.heapsnapshot`), groups);
    const { byCount, bySize } = censusGrowth(before, after, 12);
    console.log(`\nObjects that grew most in number between reload ${BASELINE_AT} and ${RELOADS}:`);
    for (const row of byCount) console.log(`  ${String(row.count).padStart(8)}  (${row.countBefore} → ${row.countBefore + row.count})  ${(row.size / 1024).toFixed(0).padStart(7)} KB  ${row.key}`);
    console.log(`\nObjects that grew most in self size:`);
    for (const row of bySize) console.log(`  ${(row.size / 1024).toFixed(0).padStart(7)} KB  ${String(row.count).padStart(8)}  ${row.key}`);
    console.log('');
  }

  printResult({
    bench: 'reload-heap',
    summary:
      `heapUsed after ${BASELINE_AT} reloads ${first.heapMB.toFixed(1)} MB, after ${last.reloads} ${last.heapMB.toFixed(1)} MB, ` +
      `growth ${growth.toFixed(2)} MB (${perReloadKB.toFixed(1)} KB/reload); replaced generations still reachable ${last.generationsAlive - 1}`,
    ratio: growth / GOAL_MB,
    ratioLabel: 'growth / 10 MB goal',
    goal: `heap(${RELOADS}) - heap(${BASELINE_AT}) <= 10 MB (ratio <= 1)`,
    met: growth <= GOAL_MB,
  });
});
