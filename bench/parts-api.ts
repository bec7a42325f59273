/**
 * Benchmark — the parts API: requests per second of part detail
 * (`GET /api/parts/<name>`, rotating over 2000 random live parts) and of search
 * (`GET /api/parts?q=promoter`) on a real Brickyard server (`brickyard serve`,
 * WORKERS=1, JOB_WORKERS=0), divided by a bare `node:http` + mysql2 server in its
 * own process (bench/lib/parts-bare-server.js: one pool of 10 = DATABASE_POOL_SIZE)
 * running the same SQL as the repository (copied) on the same databases.
 * Goal ≥ 0.7 for each.
 *
 * Data: a synthetic dump of `--parts` parts (100k) imported with importAndRank
 * into a fresh app database. Lazy enrichment never fetches: part_extras.fetched_at
 * is pre-filled for every part (and PARTS_SOURCE_URL points at a closed local
 * port, in case). The search totals cache is off (PARTS_SEARCH_TOTALS_CACHE_SECONDS=0),
 * so Brickyard counts on every search as the bare server does. The detail route also runs the enricher's freshness query on
 * part_extras; the baseline runs the five repository queries (as briefed) and,
 * reported beside it, a variant that runs that sixth query too.
 *
 * Load: wrk (one thread, `--connections` keep-alive connections, a Lua script
 * rotating the paths), its own process; warm-up, then `--rounds` rounds of
 * `--seconds` per target, alternating which server goes first; medians.
 *
 * Then, with `--p50-parts` (1m by default; 0 skips), the live snapshot is grown
 * to that many parts by copying rows (as bench/ranking.ts does), ranked, and the
 * search latency is measured one request at a time (3 to 20 requests, ~60 s) on
 * both servers, and under `--connections` on Brickyard when it is under 2 s.
 *
 * Search is measured with bench/lib/parts-closed-loop.js instead of wrk, for
 * `--search-seconds` (30) per round: at 100k parts one search takes seconds under
 * load, wrk counts only the answers that arrive within its window, and the
 * closed loop waits for every answer it asked for (req/s = answers / elapsed).
 *
 *   node bin/run-ts.js bench/parts-api.ts [--parts 100k] [--p50-parts 1m] [--connections 16] [--seconds 10] [--search-seconds 30] [--rounds 2]
 */
import { writeSyntheticDumpFile } from '@brickyard/parts';
import { importAndRank, partComponentsQuery, qualified, rankParts } from '@brickyard/ranking';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, machine, printResult, runBench, tempDir } from './lib/common';
import { hasWrk, runWrk, track } from './lib/load';
import { arg, createAppDatabase, fmtCount, growPartsFiltered, parseCount, watchOthers } from './lib/parts';
import { startBenchServer } from './lib/server';

const GOAL = 0.7;
const PARTS = parseCount(arg('parts', '100k'));
const P50_PARTS = parseCount(arg('p50-parts', '1m'));
const CONNECTIONS = Number(arg('connections', '16'));
const SECONDS = Number(arg('seconds', '10'));
const ROUNDS = Number(arg('rounds', '2'));
/** Search answers take seconds once the snapshot outgrows the buffer pool: longer windows, so enough of them finish. */
const SEARCH_SECONDS = Number(arg('search-seconds', '30'));
const WARMUP_SECONDS = 4;
/** Sequential searches over the big snapshot: at least 3, at most 20, within this budget per server. */
const LATENCY_BUDGET_MS = 60_000;
const SEARCH = '/api/parts?q=promoter';

interface Load {
  rps: number;
  requests: number;
  non2xx: number;
  errors: string;
  p50ms: number;
  p99ms: number;
}

const toMs = (text: string) => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[m[2] as 'us' | 'ms' | 's' | 'm']);
};

/** wrk (one thread) over keep-alive connections, with a Lua script rotating the paths. */
async function wrk(base: string, script: string, connections: number, seconds: number): Promise<Load> {
  const w = await runWrk(base, connections, seconds, 1, { script, timeout: '30s' });
  return { rps: w.rps, requests: w.requests, non2xx: w.non2xx, errors: w.socketErrors, p50ms: toMs(w.latencyP50), p99ms: toMs(w.latencyP99) };
}

/** bench/lib/parts-closed-loop.js in its own process: waits for every answer it asked for (search answers take seconds). */
function closedLoop(url: string, connections: number, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, [path.join(__dirname, 'lib', 'parts-closed-loop.js'), JSON.stringify({ url, connections, durationMs: seconds * 1000 })], { stdio: ['ignore', 'pipe', 'inherit'] }));
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.once('exit', (code) => {
      try {
        const r = JSON.parse(out.trim());
        resolve({ rps: r.rps, requests: r.requests, non2xx: r.non200, errors: r.errors ? String(r.errors) : 'none', p50ms: r.p50ms, p99ms: r.p99ms });
      } catch {
        reject(new Error(`the closed-loop load generator failed (${code}): ${out}`));
      }
    });
  });
}

function writeScript(dir: string, name: string, paths: string[]): string {
  const file = path.join(dir, `${name}.lua`);
  fs.writeFileSync(
    file,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',\n')}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`,
  );
  return file;
}

async function startBare(appDb: string, snapshot: string): Promise<string> {
  const env = { ...process.env, COMPONENTS_SQL: partComponentsQuery(qualified(snapshot, 'parts_filtered')) };
  const child = track(spawn(process.execPath, [path.join(__dirname, 'lib', 'parts-bare-server.js'), appDb, snapshot], { cwd: path.resolve(__dirname, '..'), env, stdio: ['ignore', 'pipe', 'inherit'] }));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
  });
  return `http://127.0.0.1:${port}`;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const rate = (rps: number) => (rps < 10 ? rps.toFixed(2) : rps.toFixed(0));
const fmt = (l: Load) => `${rate(l.rps)} req/s, p50 ${l.p50ms.toFixed(1)} ms, p99 ${l.p99ms.toFixed(1)} ms${l.non2xx ? `, ${l.non2xx} non-2xx` : ''}${l.errors !== 'none' ? `, socket errors ${l.errors}` : ''}`;

runBench(async () => {
  log(`parts-api on ${machine()}`);
  const wholeRun = watchOthers();
  if (!hasWrk()) throw new Error('this benchmark needs wrk (apt-get install wrk)');
  const dir = tempDir('bench-parts-api-');
  const app = await createAppDatabase('papi');

  // 1. The snapshot: a real import, ranked; extras marked fresh so no enrichment fetch starts.
  const file = path.join(dir, 'dump.sql');
  await writeSyntheticDumpFile(file, { parts: PARTS, format: 'sql', seed: 1 });
  let t = performance.now();
  const imported = await importAndRank(app.services, file);
  fs.rmSync(file, { force: true });
  log(`imported ${fmtCount(PARTS)} synthetic parts with importAndRank: ${imported.partsLive} live, in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const fillExtras = () =>
    app.db.query(`INSERT IGNORE INTO part_extras (part_name, extras, fetched_at) SELECT part_name, NULL, CURRENT_TIMESTAMP(3) FROM \`${app.snapshot}\`.parts_filtered`);
  await fillExtras();

  const names: string[] = (await app.db.query('SELECT part_name FROM parts ORDER BY RAND() LIMIT 2000')).map((r: { part_name: string }) => r.part_name);
  const [{ matches }] = await app.db.query(
    "SELECT COUNT(*) AS matches FROM parts WHERE MATCH(part_name, short_desc, description, author, nickname, categories) AGAINST ('promoter' IN NATURAL LANGUAGE MODE)",
  );
  log(`detail: ${names.length} random parts; search "promoter" matches ${matches} of ${imported.partsLive} parts`);
  const scripts = {
    detail: writeScript(dir, 'detail', names.map((n) => `/api/parts/${encodeURIComponent(n)}`)),
    detailExtras: writeScript(dir, 'detail-extras', names.map((n) => `/with-extras/api/parts/${encodeURIComponent(n)}`)),
    search: writeScript(dir, 'search', [SEARCH]),
  };

  // 2. The servers.
  const server = await startBenchServer({
    workers: 1,
    database: { url: app.url, name: app.name, drop: app.dropAll },
    // Totals are counted on every search, as the bare server does: the cache kept in Redis would otherwise answer repeats.
    env: { JOB_WORKERS: '0', PARTS_DEMO_DATA: 'false', PARTS_SOURCE_URL: 'http://127.0.0.1:9/{name}', PARTS_SEARCH_TOTALS_CACHE_SECONDS: '0' },
  });
  const bare = await startBare(app.name, app.snapshot);
  const sample = names.find(Boolean)!;
  const [ours, theirs] = await Promise.all([fetch(`${server.url}/api/parts/${encodeURIComponent(sample)}`), fetch(`${bare}/api/parts/${encodeURIComponent(sample)}`)]);
  const [a, b] = [(await ours.json()) as any, (await theirs.json()) as any];
  const sameKeys = JSON.stringify(Object.keys(a).sort()) === JSON.stringify(Object.keys(b).sort());
  log(`check ${sample}: brickyard ${ours.status} (extras_state ${a.extras_state}), bare ${theirs.status}, same fields: ${sameKeys}, same features/subparts/twins: ${JSON.stringify([a.features, a.subparts, a.used_in, a.twins]) === JSON.stringify([b.features, b.subparts, b.used_in, b.twins])}`);
  const [sa, sb] = await Promise.all([fetch(server.url + SEARCH).then((r) => r.json() as any), fetch(bare + SEARCH).then((r) => r.json() as any)]);
  log(`check search: brickyard total ${sa.total}, bare total ${sb.total}, same first page: ${JSON.stringify(sa.items.map((i: any) => i.part_name)) === JSON.stringify(sb.items.map((i: any) => i.part_name))}`);

  // 3. Throughput.
  const throughputLoad = watchOthers();
  const targets = [
    { name: 'detail', brickyard: scripts.detail, bare: scripts.detail, bareExtras: scripts.detailExtras, seconds: SECONDS, closed: false },
    { name: 'search', brickyard: scripts.search, bare: scripts.search, seconds: SEARCH_SECONDS, closed: true },
  ];
  const results: Record<string, { brickyard: Load[]; bare: Load[]; bareExtras: Load[] }> = {};
  for (const target of targets) {
    log(`${target.name}: warm-up ${WARMUP_SECONDS} s each, then ${ROUNDS} × ${target.seconds} s each, ${CONNECTIONS} connections`);
    const measure = (base: string, script: string, seconds: number) => (target.closed ? closedLoop(base + SEARCH, CONNECTIONS, seconds) : wrk(base, script, CONNECTIONS, seconds));
    await measure(server.url, target.brickyard, WARMUP_SECONDS);
    await measure(bare, target.bare, WARMUP_SECONDS);
    const r = (results[target.name] = { brickyard: [] as Load[], bare: [] as Load[], bareExtras: [] as Load[] });
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? (['bare', 'brickyard'] as const) : (['brickyard', 'bare'] as const);
      for (const who of order) {
        const load = await measure(who === 'brickyard' ? server.url : bare, target[who], target.seconds);
        r[who].push(load);
        log(`  ${target.name} ${who.padEnd(9)} ${fmt(load)} (${load.requests} requests)`);
      }
      if (target.bareExtras) {
        const load = await wrk(bare, target.bareExtras, CONNECTIONS, SECONDS);
        r.bareExtras.push(load);
        log(`  ${target.name} bare + the part_extras query ${fmt(load)}`);
      }
    }
  }

  log(`throughput phase: ${throughputLoad()}`);

  // 4. Search latency over a bigger snapshot.
  let p50Text = '';
  if (P50_PARTS > imported.partsLive) {
    t = performance.now();
    const { rows, tables } = await growPartsFiltered(app, P50_PARTS);
    const ranked = await rankParts(app.db, qualified(app.snapshot, 'parts_filtered'), app.services.strategy);
    await fillExtras();
    const [{ total }] = await app.db.query('SELECT COUNT(*) AS total FROM parts');
    const [{ m }] = await app.db.query(
      "SELECT COUNT(*) AS m FROM parts WHERE MATCH(part_name, short_desc, description, author, nickname, categories) AGAINST ('promoter' IN NATURAL LANGUAGE MODE)",
    );
    // The last 1000 copies (a cheap sample, no scan of the wide table): each should have its parts_sequences row.
    const [sampled] = await app.db.query(
      `SELECT COUNT(*) AS n, COALESCE(SUM(s.part_id IS NULL), 0) AS missing
       FROM (SELECT part_id FROM \`${app.snapshot}\`.parts_filtered WHERE part_id >= 10000000 ORDER BY part_id DESC LIMIT 1000) p
       LEFT JOIN \`${app.snapshot}\`.parts_sequences s ON s.part_id = p.part_id`,
    );
    log(`grew the live snapshot to ${rows} parts by copying rows of ${tables.join(', ')}, ranked (${(ranked.durationMs / 1000).toFixed(1)} s): ${total} parts in the view, "promoter" matches ${m}; of the last ${sampled.n} copies, ${sampled.missing} lack a parts_sequences row; ${((performance.now() - t) / 1000).toFixed(0)} s`);
    const latencyLoad = watchOthers();
    // One request at a time, timed here (a search may take seconds: too slow for wrk's fixed duration).
    const timed = async (base: string) => {
      const times: number[] = [];
      const until = performance.now() + LATENCY_BUDGET_MS;
      while (times.length < 3 || (times.length < 20 && performance.now() < until)) {
        const t0 = performance.now();
        const response = await fetch(base + SEARCH, { signal: AbortSignal.timeout(300_000) });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`search answered ${response.status}`);
        times.push(performance.now() - t0);
      }
      return { p50: median(times), max: Math.max(...times), n: times.length, first: times[0]! };
    };
    const one = await timed(server.url);
    log(`  search over ${fmtCount(rows)} parts, brickyard, one at a time: p50 ${one.p50.toFixed(0)} ms, max ${one.max.toFixed(0)} ms, first (cold) ${one.first.toFixed(0)} ms, ${one.n} requests`);
    const oneBare = await timed(bare);
    log(`  search over ${fmtCount(rows)} parts, bare,      one at a time: p50 ${oneBare.p50.toFixed(0)} ms, max ${oneBare.max.toFixed(0)} ms, ${oneBare.n} requests`);
    let loadedText = '';
    if (one.p50 < 2000) {
      const loaded = await wrk(server.url, scripts.search, CONNECTIONS, SECONDS);
      log(`  search over ${fmtCount(rows)} parts, brickyard, ${CONNECTIONS} connections: ${fmt(loaded)}`);
      loadedText = `, ${loaded.p50ms.toFixed(0)} ms under ${CONNECTIONS} connections (${loaded.rps.toFixed(1)} req/s)`;
    }
    log(`search latency phase: ${latencyLoad()}`);
    p50Text = `search p50 over ${fmtCount(rows)} parts: ${one.p50.toFixed(0)} ms one at a time (bare ${oneBare.p50.toFixed(0)} ms)${loadedText}`;
    console.log(`RESULT parts-api-search-p50-${fmtCount(rows)}: ${p50Text} | ratio brickyard/bare p50 = ${(one.p50 / oneBare.p50).toFixed(2)} | goal none | informational`);
  }

  log(`over the whole benchmark: ${wholeRun()}`);
  for (const target of targets) {
    const r = results[target.name]!;
    const ours = median(r.brickyard.map((l) => l.rps));
    const base = median(r.bare.map((l) => l.rps));
    if (!(ours > 0 && base > 0)) {
      console.log(`RESULT parts-api-${target.name}: no ratio — too few answers within ${target.seconds} s windows (brickyard ${ours.toFixed(1)} req/s, bare ${base.toFixed(1)} req/s): raise --${target.name === 'search' ? 'search-' : ''}seconds | goal ≥ ${GOAL} | NOT MEASURED`);
      continue;
    }
    const ratio = ours / base;
    const extras = r.bareExtras.length ? `; bare + the enricher's part_extras query ${rate(median(r.bareExtras.map((l) => l.rps)))} req/s (ratio ${(ours / median(r.bareExtras.map((l) => l.rps))).toFixed(2)})` : '';
    printResult({
      bench: `parts-api-${target.name}`,
      summary: `${target.name === 'detail' ? 'GET /api/parts/<name>' : `GET ${SEARCH}`} over ${imported.partsLive} parts, ${CONNECTIONS} connections: brickyard ${rate(ours)} req/s (p50 ${median(r.brickyard.map((l) => l.p50ms)).toFixed(1)} ms) vs bare node:http+mysql2 ${rate(base)} req/s (p50 ${median(r.bare.map((l) => l.p50ms)).toFixed(1)} ms)${extras}`,
      ratio,
      ratioLabel: 'brickyard / bare',
      goal: `≥ ${GOAL}`,
      met: ratio >= GOAL,
    });
  }
});
