/**
 * Runs every benchmark in sequence, each in its own process, and prints their
 * RESULT lines together at the end: `npm run bench`
 * (= `node bin/run-ts.js bench/run-all.ts`). Takes about 7 minutes on a quiet
 * machine, up to about 11 on a busy one (the benchmarks wait for quiet).
 * `--only reload-heap,route-throughput` runs a subset.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { log, machine } from './lib/common';

const root = path.resolve(__dirname, '..');

const benches: { name: string; nodeArgs: string[]; args: string[] }[] = [
  { name: 'reload-latency', nodeArgs: [], args: [] },
  { name: 'reload-heap', nodeArgs: ['--expose-gc'], args: ['--snapshots'] },
  { name: 'route-throughput', nodeArgs: [], args: [] },
  { name: 'reload-under-load', nodeArgs: [], args: [] },
  { name: 'broadcast', nodeArgs: [], args: [] },
  { name: 'task-roundtrip', nodeArgs: [], args: [] },
  { name: 'login', nodeArgs: [], args: [] },
  // The parts snapshot (docs/benchmarks.md, "Parts snapshot"): about 30 more minutes. Full sizes:
  // parts-import --parts 100k,1m (~25 min) and parts-api --p50-parts 1m (~20 min).
  { name: 'parts-import', nodeArgs: [], args: ['--parts', '100k'] },
  { name: 'ranking', nodeArgs: [], args: ['--parts', '1m'] },
  { name: 'parts-api', nodeArgs: [], args: ['--p50-parts', '0'] },
  { name: 'live-reweight', nodeArgs: [], args: [] },
  { name: 'timeline', nodeArgs: [], args: [] },
  { name: 'part-map', nodeArgs: [], args: [] },
  { name: 'plugin-client-live', nodeArgs: [], args: [] },
  { name: 'rating-live', nodeArgs: [], args: [] },
  { name: 'admin-first-load', nodeArgs: [], args: [] },
];

function gitState(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--short', '--', 'apps', 'libs', 'migrations', 'bin'], { cwd: root, encoding: 'utf8' })
    .stdout.split('\n')
    .filter((line) => line.trim());
  return `commit ${head}${dirty.length ? ` + uncommitted changes in ${dirty.length} platform file(s): ${dirty.map((l) => l.slice(3)).join(', ')}` : ''}`;
}

function run(bench: (typeof benches)[number]): Promise<{ code: number; results: string[]; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...bench.nodeArgs, path.join(root, 'bin', 'run-ts.js'), path.join(__dirname, `${bench.name}.ts`), ...bench.args],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const results: string[] = [];
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.startsWith('RESULT ')) results.push(line);
    });
    // Ctrl-C reaches the child too (same process group); it cleans up and exits.
    child.once('exit', (code) => resolve({ code: code ?? 1, results, ms: Date.now() - started }));
  });
}

async function main(): Promise<void> {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(process.argv[onlyAt + 1]?.split(',')) : undefined;
  const selected = benches.filter((b) => !only || only.has(b.name));
  process.on('SIGINT', () => log('interrupted: waiting for the running benchmark to clean up…'));
  log(`Brickyard benchmarks on ${machine()}`);
  log(`code under test: ${gitState()}`);
  const summary: string[] = [];
  let failed = 0;
  for (const bench of selected) {
    console.log(`\n=== ${bench.name} ===`);
    const { code, results, ms } = await run(bench);
    if (code !== 0) {
      failed++;
      summary.push(`FAILED ${bench.name}: exit code ${code} (see its output above)`);
    }
    summary.push(...results);
    log(`${bench.name} took ${(ms / 1000).toFixed(0)} s`);
  }
  console.log('\n=== summary ===');
  for (const line of summary) console.log(line);
  process.exitCode = failed ? 1 : 0;
}

void main();
