/**
 * Diagnostic for benchmark 4 — how long a code-changing reload blocks the event
 * loop of the HTTP worker that converges. The benchmark process itself is the
 * worker (as in reload-heap.ts): a `KernelProcess('http')` with the same
 * migrations and extensions as apps/server, and N generated plugins. A 1 ms
 * timer records every gap between its ticks; per reload we report the converge
 * time and the longest gap (the longest time a request would have waited),
 * and the sum of gaps over 2 ms. Baseline in the same run: the same timer with
 * no reload running.
 *
 *   node bin/run-ts.js bench/reload-stalls.ts [--plugins 10] [--reloads 40] [--cpu-prof]
 */
import * as path from 'node:path';
import { KernelProcess } from '@brickyard/kernel';
import { createTestDatabase } from '@brickyard/testing';
import { coreMigrations } from '../migrations';
import { arg, fmtMs, log, machine, onCleanup, percentile, runBench, sleep, tempDir } from './lib/common';
import { writeBenchPlugins } from './lib/plugins';
import { dropInProcessCluster } from './lib/server';

const PLUGINS = Number(arg('plugins', '10'));
const RELOADS = Number(arg('reloads', '40'));

/** Records the gaps between ticks of a 1 ms timer: each gap is time the event loop could not serve. */
function watchGaps() {
  const gaps: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 1);
  return {
    take() {
      const taken = gaps.splice(0);
      last = performance.now();
      return taken;
    },
    stop: () => clearInterval(timer),
  };
}

runBench(async () => {
  log(`reload-stalls on ${machine()}, ${PLUGINS} plugins, ${RELOADS} reloads`);
  const database = await createTestDatabase('stall');
  onCleanup(() => dropInProcessCluster(database));
  const home = tempDir('bench-stall-home-');
  const pluginsDir = tempDir('bench-stall-plugins-');
  const plugins = writeBenchPlugins(pluginsDir, PLUGINS);
  const edited = plugins[0]!;
  const host = await KernelProcess.start('http', {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      BRICKYARD_HOME: home,
      PLUGINS_DIR: pluginsDir,
      PLUGINS_WATCH: 'false',
      SNAPSHOT_DATABASE: '',
      LOG_LEVEL: 'warn',
    },
    migrations: coreMigrations,
  });
  onCleanup(() => host.close());
  const kernel = host.kernel;
  let target = kernel.current!.number;
  for (let i = 0; i < 5; i++) {
    edited.setAnswer(`warm${i}`);
    await kernel.converge(++target);
  }

  const gaps = watchGaps();
  await sleep(2000);
  const idle = gaps.take();
  const converge: number[] = [];
  const longest: number[] = [];
  const blocked: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RELOADS; i++) {
    edited.setAnswer(`v${i}`);
    gaps.take();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await kernel.converge(++target);
    converge.push(performance.now() - t0);
    await sleep(5); // the old generation's retire runs now
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000);
    const taken = gaps.take();
    longest.push(Math.max(...taken));
    blocked.push(taken.filter((g) => g > 2).reduce((a, b) => a + b, 0));
    if (!result.rebuilt) throw new Error('reload did not rebuild');
    await sleep(100);
  }
  gaps.stop();
  const p = (values: number[], q: number) => fmtMs(percentile(values, q));
  log(`idle: longest gap ${fmtMs(Math.max(...idle))}, p99 gap ${p(idle, 99)}`);
  log(`converge: p50 ${p(converge, 50)}, p90 ${p(converge, 90)}`);
  log(`process CPU per reload (incl. the retire of the replaced apps): p50 ${p(cpu, 50)}, p90 ${p(cpu, 90)}`);
  log(`longest gap per reload: p50 ${p(longest, 50)}, p90 ${p(longest, 90)}, max ${fmtMs(Math.max(...longest))}`);
  log(`blocked time (gaps > 2 ms) per reload: p50 ${p(blocked, 50)}, p90 ${p(blocked, 90)}`);
  console.log(`RESULT reload-stalls plugins=${PLUGINS} converge_p50_ms=${percentile(converge, 50).toFixed(1)} cpu_p50_ms=${percentile(cpu, 50).toFixed(1)} longest_gap_p50_ms=${percentile(longest, 50).toFixed(1)} longest_gap_p90_ms=${percentile(longest, 90).toFixed(1)} idle_longest_gap_ms=${Math.max(...idle).toFixed(1)} (${path.basename(__filename)})`);
});
