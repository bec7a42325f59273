/**
 * Benchmark 3 — requests per second of a plugin route, divided by the same
 * handler on a bare `node:http` server (the baseline, measured in the same run).
 * Goal: ≥ 0.7.
 *
 * Server under test: `brickyard serve` with WORKERS=1 and one plugin whose
 * `GET /api/plugins/bench-00` answers `{"answer":"v0"}`. Baseline: one bare
 * `node:http` process answering the same JSON on the same path. Load: wrk
 * (keep-alive, 1 thread) when installed, else bench/lib/loadgen.ts, always in
 * its own process; same connections and duration for both, after a warm-up
 * of each. Many short rounds, alternating which server goes first; a round
 * during which other processes took CPU is left out (see lib/cpu.ts), and the
 * result is the median of the remaining rounds' ratios. Also reported: the
 * server's CPU time per request (from /proc), which depends less on the load
 * generator and on the machine's other load.
 *
 * `--with-nest` also measures, in every round, a plain NestJS + Fastify app with
 * the same controller and no Brickyard (bench/lib/nest-reference-server.ts): the
 * ceiling of any platform built on that stack, reported beside the result.
 *
 *   node bin/run-ts.js bench/route-throughput.ts [--connections 32] [--seconds 4] [--rounds 12] [--node-loadgen] [--with-nest]
 */
import { arg, fmtMs, log, machine, percentile, printResult, runBench, sleep, tempDir } from './lib/common';
import { describeCpu, treeCpuSeconds, waitForQuiet, watchCpu } from './lib/cpu';
import { hasWrk, runLoadgen, runWrk, startBareServer, startNestReferenceServer } from './lib/load';
import { writeBenchPlugin } from './lib/plugins';
import { startBenchServer } from './lib/server';

const GOAL = 0.7;
const args = process.argv.slice(2);
const CONNECTIONS = Number(arg('connections', '32'));
const SECONDS = Number(arg('seconds', '4'));
const WARMUP_SECONDS = 5;
const ROUNDS = Number(arg('rounds', '12'));
/** A measurement during which other processes used more than this many cores is "disturbed". */
const DISTURBED = 0.25;
const useWrk = !args.includes('--node-loadgen') && hasWrk();
const WITH_NEST = args.includes('--with-nest');
type Target = 'brickyard' | 'bare' | 'nest';

interface Measurement {
  foreignCores: number;
  /** Cores the server under test used (all its processes). */
  serverCores: number;
  /** Server CPU time per answered request, in µs: a cost that does not depend on the load generator. */
  cpuUsPerRequest: number;
  rps: number;
  non2xx: number;
  errors: string;
  p50: string;
  p99: string;
}

async function load(url: string, seconds: number, serverPid: number): Promise<Measurement> {
  const stop = watchCpu();
  const cpu0 = treeCpuSeconds(serverPid);
  const t0 = performance.now();
  let r: Omit<Measurement, 'foreignCores' | 'serverCores' | 'cpuUsPerRequest'> & { requests: number };
  if (useWrk) {
    const w = await runWrk(url, CONNECTIONS, seconds);
    r = { rps: w.rps, requests: w.requests, non2xx: w.non2xx, errors: w.socketErrors, p50: w.latencyP50, p99: w.latencyP99 };
  } else {
    const l = await runLoadgen({ url, connections: CONNECTIONS, durationMs: seconds * 1000, rate: 0 });
    r = { rps: l.rps, requests: l.requests, non2xx: l.non200, errors: String(l.errors), p50: fmtMs(l.latency.p50), p99: fmtMs(l.latency.p99) };
  }
  // wrk's own start/stop falls inside this window: it slightly understates the server's load.
  const serverCpu = treeCpuSeconds(serverPid) - cpu0;
  const wall = (performance.now() - t0) / 1000;
  return { ...r, foreignCores: stop().foreignCores, serverCores: serverCpu / wall, cpuUsPerRequest: (serverCpu * 1e6) / r.requests };
}

runBench(async () => {
  log(`route-throughput on ${machine()}`);
  log(`load generator: ${useWrk ? `wrk -t1 -c${CONNECTIONS} -d${SECONDS}s` : `bench/lib/loadgen.ts, ${CONNECTIONS} keep-alive connections, ${SECONDS} s`} (separate process)`);
  const pluginsDir = tempDir('bench-throughput-plugins-');
  const plugin = writeBenchPlugin(pluginsDir, 'bench-00', false, 'v0');
  const route = `/api/plugins/${plugin.name}`;
  const server = await startBenchServer({ workers: 1, pluginsDir });
  const bare = await startBareServer(route, { answer: 'v0' });
  const targets: Partial<Record<Target, string>> = { brickyard: server.url + route, bare: bare.url };
  const pids: Partial<Record<Target, number>> = { brickyard: server.pid, bare: bare.pid };
  if (WITH_NEST) {
    const nest = await startNestReferenceServer(route, { answer: 'v0' });
    targets.nest = nest.url;
    pids.nest = nest.pid;
  }
  const names = Object.keys(targets) as Target[];
  for (const [name, url] of Object.entries(targets)) {
    const response = await fetch(url);
    const body = await response.text();
    if (response.status !== 200 || body !== '{"answer":"v0"}') throw new Error(`${name} answered ${response.status} ${body}`);
  }

  for (const name of names) await load(targets[name]!, WARMUP_SECONDS, pids[name]!); // JIT, connections
  await waitForQuiet(30_000);
  const results: Record<Target, Measurement[]> = { brickyard: [], bare: [], nest: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    // Which server goes first rotates from round to round.
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    if (round > 1) await waitForQuiet(5_000);
    for (const name of order) {
      const m = await load(targets[name]!, SECONDS, pids[name]!);
      results[name].push(m);
      log(`round ${round} ${name.padEnd(9)} ${m.rps.toFixed(0).padStart(6)} req/s, latency p50 ${m.p50} p99 ${m.p99}, non-2xx ${m.non2xx}, socket errors ${m.errors}; server used ${m.serverCores.toFixed(2)} cores, ${m.cpuUsPerRequest.toFixed(1)} µs CPU/request; ${describeCpu({ ...m, ownCores: 0, seconds: SECONDS })}`);
      await sleep(300);
    }
  }

  // Other processes only ever slow a server down: rounds where they took a share of
  // the CPU are left out when there are undisturbed ones. Each round's ratio compares
  // two back-to-back measurements; the result is the median of those ratios.
  const rounds = results.brickyard.map((m, i) => ({ brickyard: m, bare: results.bare[i]!, nest: results.nest[i] }));
  const quiet = rounds.filter((r) => ![r.brickyard, r.bare, r.nest].some((m) => m && m.foreignCores > DISTURBED));
  const used = quiet.length ? quiet : rounds;
  const ratio = percentile(used.map((r) => r.brickyard.rps / r.bare.rps), 50);
  const brickyard = percentile(used.map((r) => r.brickyard.rps), 50);
  const baseline = percentile(used.map((r) => r.bare.rps), 50);
  const cost = percentile(used.map((r) => r.brickyard.cpuUsPerRequest), 50);
  const bareCost = percentile(used.map((r) => r.bare.cpuUsPerRequest), 50);
  log(
    `server CPU per request: plugin route ${cost.toFixed(1)} µs, bare ${bareCost.toFixed(1)} µs; ` +
      `capacity ratio (bare cost / plugin route cost, as if each had a core to itself) ${(bareCost / cost).toFixed(2)}`,
  );
  const perRound = rounds.map((r) => (r.brickyard.rps / r.bare.rps).toFixed(2)).join(', ');
  const bad = [...results.brickyard, ...results.bare, ...results.nest].reduce((n, m) => n + m.non2xx, 0);
  const all = percentile(rounds.map((r) => r.brickyard.rps / r.bare.rps), 50);
  if (WITH_NEST) {
    const nestRatio = percentile(used.map((r) => r.nest!.rps / r.bare.rps), 50);
    const nestCost = percentile(used.map((r) => r.nest!.cpuUsPerRequest), 50);
    const ofNest = percentile(used.map((r) => r.brickyard.rps / r.nest!.rps), 50);
    log(
      `reference, plain NestJS + Fastify (no Brickyard): ${percentile(used.map((r) => r.nest!.rps), 50).toFixed(0)} req/s, ${nestCost.toFixed(1)} µs CPU/request; ` +
        `Nest alone / bare node:http = ${nestRatio.toFixed(2)} (capacity ${(bareCost / nestCost).toFixed(2)}); Brickyard plugin route / plain Nest = ${ofNest.toFixed(2)} (capacity ${(nestCost / cost).toFixed(2)})`,
    );
  }
  log(`per-round ratios: ${perRound} (median of all ${all.toFixed(2)}); rounds used: ${used.length}/${rounds.length}${quiet.length ? '' : ' (ALL DISTURBED by other processes)'}; non-2xx answers in all rounds: ${bad}`);
  printResult({
    bench: 'route-throughput',
    summary: `plugin route ${brickyard.toFixed(0)} req/s (WORKERS=1), bare node:http ${baseline.toFixed(0)} req/s (medians of ${used.length} ${quiet.length ? "undisturbed" : "DISTURBED"} of ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} keep-alive connections, ${useWrk ? 'wrk' : 'node loadgen'}); server CPU/request ${cost.toFixed(1)} µs vs ${bareCost.toFixed(1)} µs (capacity ratio ${(bareCost / cost).toFixed(2)})`,
    ratio,
    ratioLabel: 'plugin route / bare node:http req/s',
    goal: `>= ${GOAL}`,
    met: ratio >= GOAL,
  });
});
