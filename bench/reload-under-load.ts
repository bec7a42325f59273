/**
 * Benchmark 4 — p99 latency of a plugin route while the cluster reloads every
 * 500 ms, divided by its p99 under the same load without reloads (the baseline,
 * measured in the same run). Goal: ≤ 3, and no answer other than 200.
 *
 * Server: `brickyard serve` with WORKERS=2 (default; `--workers 1` to compare) and
 * 10 generated plugins. Load: bench/lib/loadgen.ts in its own process, a fixed
 * schedule of 500 req/s over 16 keep-alive connections on the edited plugin's
 * route; latency counts from the scheduled send time, so stalls are not hidden.
 * Reloads: rewrite that plugin's controller, then `POST /api/admin/reload`, every
 * 500 ms (the next one waits if the previous has not answered yet). Phases
 * alternate idle/reload/reload/idle; the latencies of each kind are pooled.
 *
 *   node bin/run-ts.js bench/reload-under-load.ts [--workers 2] [--rate 500] [--seconds 15] [--plugins 10]
 */
import type { TestServer } from '@brickyard/testing';
import { arg, fmtMs, log, machine, percentile, printResult, runBench, sleep, tempDir } from './lib/common';
import { describeCpu, waitForQuiet, watchCpu, type CpuUsage } from './lib/cpu';
import { runLoadgen } from './lib/load';
import type { LoadResult } from './lib/loadgen';
import { writeBenchPlugins, type BenchPlugin } from './lib/plugins';
import { adminReload, startBenchServer } from './lib/server';

const GOAL = 3;
const WORKERS = Number(arg('workers', '2'));
const RATE = Number(arg('rate', '500'));
const CONNECTIONS = 16;
const SECONDS = Number(arg('seconds', '15'));
const PLUGINS = Number(arg('plugins', '10'));
const RELOAD_EVERY_MS = 500;
const WARMUP_MS = 3000;

interface ReloadStats {
  count: number;
  failed: string[];
  /** Ticks at which the previous reload was still running, so the next started late. */
  late: number;
  durations: number[];
}

interface Phase {
  kind: 'idle' | 'reload';
  load: LoadResult;
  cpu: CpuUsage;
  reloads?: ReloadStats;
}

async function reloadEvery(server: TestServer, plugin: BenchPlugin, until: Promise<unknown>, startAfterMs: number): Promise<ReloadStats> {
  const stats: ReloadStats = { count: 0, failed: [], late: 0, durations: [] };
  let done = false;
  void until.finally(() => (done = true));
  await sleep(startAfterMs);
  let next = performance.now();
  let version = 0;
  while (!done) {
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
    else if (stats.count > 0) stats.late++;
    if (done) break;
    next += RELOAD_EVERY_MS;
    const t0 = performance.now();
    plugin.setAnswer(`load-v${++version}`);
    const reply = await adminReload(server);
    stats.durations.push(performance.now() - t0);
    stats.count++;
    if (!reply.ok) stats.failed.push(JSON.stringify(reply.body).slice(0, 300));
    if (performance.now() > next) next = performance.now(); // late: start the next one at once, do not pile up
  }
  return stats;
}

async function phase(kind: Phase['kind'], server: TestServer, plugin: BenchPlugin): Promise<Phase> {
  const url = `${server.url}/api/plugins/${plugin.name}`;
  const stopCpu = watchCpu();
  const loading = runLoadgen({ url, connections: CONNECTIONS, rate: RATE, durationMs: SECONDS * 1000, warmupMs: WARMUP_MS, raw: true });
  // Reloads start during the load generator's warm-up and go on until it is done.
  const reloads = kind === 'reload' ? await reloadEvery(server, plugin, loading, WARMUP_MS - 1000) : undefined;
  const load = await loading;
  const cpu = stopCpu();
  const result: Phase = { kind, load, cpu, reloads };
  log(
    `${kind.padEnd(6)} phase: ${load.requests} requests, p50 ${fmtMs(load.latency.p50)}, p99 ${fmtMs(load.latency.p99)}, ` +
      `p99.9 ${fmtMs(load.latency.p999)}, max ${fmtMs(load.latency.max)} (service time p99 ${fmtMs(load.serviceTime.p99)}); non-200 ${load.non200}, errors ${load.errors}` +
      (reloads ? `; ${reloads.count} reloads (${reloads.failed.length} failed, ${reloads.late} late), reload p50 ${fmtMs(percentile(reloads.durations, 50))}` : '') +
      `; ${describeCpu(cpu)}`,
  );
  if (load.errorSamples.length) log(`  errors: ${load.errorSamples.join('; ')}`);
  if (reloads?.failed.length) log(`  failed reloads: ${reloads.failed.slice(0, 3).join(' | ')}`);
  await sleep(1000); // let the last replaced generation drain and close
  return result;
}

runBench(async () => {
  log(`reload-under-load on ${machine()}`);
  const pluginsDir = tempDir('bench-underload-plugins-');
  const plugins = writeBenchPlugins(pluginsDir, PLUGINS);
  const edited = plugins[0]!;
  const server = await startBenchServer({ workers: WORKERS, pluginsDir });
  log(`server ready: WORKERS=${WORKERS}, ${PLUGINS} plugins; load ${RATE} req/s on ${CONNECTIONS} keep-alive connections to /api/plugins/${edited.name}`);
  // Warm the server up, reloads included.
  for (let i = 0; i < 5; i++) {
    edited.setAnswer(`warm-${i}`);
    await adminReload(server);
  }
  await waitForQuiet(30_000);

  const phases: Phase[] = [];
  for (const kind of ['idle', 'reload', 'reload', 'idle'] as const) {
    if (phases.length) await waitForQuiet(15_000);
    phases.push(await phase(kind, server, edited));
  }

  const pooled = (kind: Phase['kind']) => phases.filter((p) => p.kind === kind).flatMap((p) => p.load.latencies ?? []);
  const idle = pooled('idle');
  const reloading = pooled('reload');
  const idleP99 = percentile(idle, 99);
  const reloadP99 = percentile(reloading, 99);
  const ratio = reloadP99 / idleP99;
  const bad = phases.reduce((n, p) => n + p.load.non200 + p.load.errors, 0);
  const reloads = phases.flatMap((p) => (p.reloads ? [p.reloads] : []));
  const reloadCount = reloads.reduce((n, r) => n + r.count, 0);
  const reloadFailures = reloads.reduce((n, r) => n + r.failed.length, 0);
  const reloadDurations = reloads.flatMap((r) => r.durations);
  const disturbed = phases.some((p) => p.cpu.foreignCores > 0.25);
  log(
    `pooled: idle p50 ${fmtMs(percentile(idle, 50))} p99 ${fmtMs(idleP99)} p99.9 ${fmtMs(percentile(idle, 99.9))} (${idle.length} requests); ` +
      `reloading p50 ${fmtMs(percentile(reloading, 50))} p99 ${fmtMs(reloadP99)} p99.9 ${fmtMs(percentile(reloading, 99.9))} (${reloading.length} requests)`,
  );
  log(
    `${reloadCount} reloads, ${reloadFailures} failed, each p50 ${fmtMs(percentile(reloadDurations, 50))} p99 ${fmtMs(percentile(reloadDurations, 99))}; ` +
      `non-200 answers or errors: ${bad}${disturbed ? '; NOTE: other processes used > 0.25 core during a phase' : ''}`,
  );
  printResult({
    bench: 'reload-under-load',
    summary:
      `WORKERS=${WORKERS}, ${RATE} req/s: p99 idle ${fmtMs(idleP99)}, p99 with a code-changing reload every ${RELOAD_EVERY_MS} ms ${fmtMs(reloadP99)} ` +
      `(${reloadCount} reloads, ${reloadFailures} failed); non-200/errors ${bad}`,
    ratio,
    ratioLabel: 'p99 reloading / p99 idle',
    goal: `<= ${GOAL} and 0 non-200`,
    met: ratio <= GOAL && bad === 0 && reloadFailures === 0,
  });
});
