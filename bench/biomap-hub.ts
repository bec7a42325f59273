/**
 * BioMap on a hub part: GET /api/plugins/biomap/<hub>/analyze_reverse for a
 * part used by thousands of composite parts (each used in turn by a few
 * devices), p50 over repeated requests, against GET /api/parts/<hub> (the
 * part page's own read, its "used in" list included) measured in the same run.
 * Goal: the capped graph answers with too_large in ≤ 3 × the part page's read.
 *
 * Method: a real `brickyard serve` with plugins/biomap (granted `database`), a
 * generated dump imported through the admin API: one basic part BBa_K0HUB used
 * by `--users` composites, each used by `--devices` devices, plus a composite
 * BBa_K0TOP built from five of those composites (for the subparts walk). The
 * two routes are requested alternately after warm-up, one at a time.
 *
 *   node bin/run-ts.js bench/biomap-hub.ts [--users 5000] [--devices 4] [--requests 40]
 */
import { startTestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { arg, log, machine, onCleanup, percentile, printResult, runBench, tempDir } from './lib/common';

const GOAL = 3;

runBench(async () => {
  const users = Number(arg('users', '5000'));
  const devices = Number(arg('devices', '4'));
  const requests = Number(arg('requests', '40'));
  const work = tempDir('biomap-hub-');
  const pluginsDir = path.join(work, 'plugins');
  fs.mkdirSync(pluginsDir);
  fs.symlinkSync(path.resolve(import.meta.dirname, '..', 'plugins', 'biomap'), path.join(pluginsDir, 'biomap'), 'dir');

  // The dump: plain INSERTs with column lists, as the importer reads any mysqldump.
  const columns = 'part_id, ok, part_name, short_desc, description, part_type, status, specified_u_list, deep_u_list, source, sequence, sequence_length';
  const rows: string[] = [];
  const row = (id: number, name: string, type: string, children: number[]) =>
    rows.push(`(${id}, 1, '${name}', '${type.toLowerCase()} ${id}', '', '${type}', 'Available', '_${children.join('_')}_', '_${children.join('_')}_', '', '${'acgt'.repeat(8)}', 32)`);
  row(1, 'BBa_K0HUB', 'Terminator', [1]);
  let id = 2;
  const composites: number[] = [];
  for (let u = 0; u < users; u++) composites.push(id), row(id++, `BBa_K1${String(u).padStart(6, '0')}`, 'Composite', [1]);
  for (const composite of composites) for (let d = 0; d < devices; d++) row(id++, `BBa_K2${String(id).padStart(7, '0')}`, 'Device', [composite]);
  row(id++, 'BBa_K0TOP', 'Device', composites.slice(0, 5));
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += 2000) statements.push(`INSERT INTO \`parts\` (${columns}) VALUES ${rows.slice(i, i + 2000).join(',\n')};`);
  const dump = path.join(work, 'hub.sql.gz');
  fs.writeFileSync(dump, zlib.gzipSync(`-- hub dump for bench/biomap-hub.ts\n${statements.join('\n')}\n`));
  log(`dump: ${rows.length} parts; BBa_K0HUB used by ${users}, each of those by ${devices}`);

  const server = await startTestServer({ pluginsDir, workers: 1, env: { JOB_WORKERS: '1', PLUGINS_WATCH: 'false' } });
  onCleanup(() => server.stop());
  await server.admin('POST', '/api/admin/plugins/biomap/grants', { capability: 'database' });
  const submitted = await server.admin('POST', '/api/admin/parts/import', { source: dump });
  for (;;) {
    const task = (await server.admin('GET', `/api/tasks/${submitted.body.id}`)).body;
    if (task.state === 'succeeded') break;
    if (task.state !== 'queued' && task.state !== 'running') throw new Error(`import: ${JSON.stringify(task)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log('imported');

  const time = async (route: string) => {
    const started = performance.now();
    const response = await fetch(server.url + route);
    const body = (await response.json()) as any;
    if (response.status !== 200) throw new Error(`${route}: ${response.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, body };
  };
  const graphRoute = '/api/plugins/biomap/BBa_K0HUB/analyze_reverse';
  const pageRoute = '/api/parts/BBa_K0HUB';
  for (let i = 0; i < 5; i++) await time(graphRoute), await time(pageRoute);
  const graph: number[] = [];
  const page: number[] = [];
  let answer: any;
  for (let i = 0; i < requests; i++) {
    const g = await time(graphRoute);
    answer = g.body;
    graph.push(g.ms);
    page.push((await time(pageRoute)).ms);
  }
  const down: number[] = [];
  for (let i = 0; i < 10; i++) down.push((await time('/api/plugins/biomap/BBa_K0TOP/analyze')).ms);
  const [g50, p50] = [percentile(graph, 50), percentile(page, 50)];
  log(`hub graph: ${answer.nodes.length} nodes, ${answer.edges.length} edges, too_large ${answer.too_large}; p90 ${percentile(graph, 90).toFixed(1)} ms vs ${percentile(page, 90).toFixed(1)} ms`);
  log(`subparts of BBa_K0TOP (3 levels): p50 ${percentile(down, 50).toFixed(1)} ms`);
  printResult({
    bench: 'biomap-hub',
    summary: `${machine()}; hub used by ${users} (×${devices}): analyze_reverse p50 ${g50.toFixed(1)} ms (${answer.nodes.length} nodes, too_large ${answer.too_large}) vs part page read p50 ${p50.toFixed(1)} ms`,
    ratio: g50 / p50,
    ratioLabel: `${g50.toFixed(1)} ÷ ${p50.toFixed(1)} ms`,
    goal: `≤ ${GOAL} × the part page's read`,
    met: g50 / p50 <= GOAL && answer.too_large === true,
  });
});
