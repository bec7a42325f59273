/**
 * Benchmark — search with words (issue 16), against a part page of the same run.
 *
 * Data: a synthetic dump of `--parts` parts (100k) imported with importAndRank
 * into a fresh app database; extras pre-filled so a part page never fetches.
 *
 * 1. Candidates, side by side, in this process, over the same 50 queries one at
 *    a time (each answers an exact total and the first page of 25 by
 *    relevance × weight, or by the sort asked for):
 *    - `index`: libs/parts/search (what the API runs), with its build time and
 *      the memory it holds (heap + array buffers, after a full GC);
 *    - `scan`: a brute-force pass over every part's word set, same tokenizer
 *      (no index: what the index saves);
 *    - `fulltext`: MySQL's InnoDB FULLTEXT (the previous search), COUNT then
 *      the page ordered by MATCH × (0.5 + weight) (the words it cannot index,
 *      T7, E., are dropped: its totals differ).
 * 2. The API, on a real server (`brickyard serve`, WORKERS=1, JOB_WORKERS=0): for
 *    `--rounds` rounds, each of the 50 queries then one part page (rotating over
 *    2000 random parts), one request at a time; p50 and max of search ÷ p50 of
 *    the part page. Goal p50 ≤ 1.5 at 100k, ≤ 2 at 1M.
 * 3. Throughput: wrk, `--connections` connections, `--seconds` s, the 50 queries
 *    rotating vs the part pages rotating, alternating, `--rounds` each; ratio of
 *    medians. Goal ≥ 0.5.
 * 4. With `--big` (1m; 0 skips): the snapshot grown to that many parts by copying
 *    rows (bench/lib/parts.ts), ranked, the server's index rebuilt (the import
 *    record moved, as an import's swap ends it; the rebuild is timed from the
 *    API), the index built in this process too (time, memory), and step 2 again.
 *
 *   node bin/run-ts.js bench/parts-search.ts [--parts 100k] [--big 1m] [--connections 16] [--seconds 10] [--rounds 3]
 */
import {
  buildPartsQuery, evaluateSearch, fieldTexts, indexTokens, loadSearchIndex, queryTokens, writeSyntheticDumpFile, LIST_COLUMNS,
  type IndexedPart, type PartsQueryInput, type SearchIndex,
} from '@brickyard/parts';
import { importAndRank, qualified, rankParts } from '@brickyard/ranking';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { log, machine, percentile, printResult, runBench, tempDir } from './lib/common';
import { hasWrk, runWrk } from './lib/load';
import { arg, createAppDatabase, fmtCount, growPartsFiltered, parseCount, watchOthers, type AppDatabase } from './lib/parts';
import { startBenchServer } from './lib/server';

const PARTS = parseCount(arg('parts', '100k'));
const BIG = parseCount(arg('big', '1m'));
const CONNECTIONS = Number(arg('connections', '16'));
const SECONDS = Number(arg('seconds', '10'));
const ROUNDS = Number(arg('rounds', '3'));

/** 50 varied queries: short words, common and rare words, part names, prefixes, filters, sorts, deep pages. */
const QUERIES: PartsQueryInput[] = [
  { q: 'promoter' }, { q: 'T7' }, { q: 't7 promoter' }, { q: 'E. coli' }, { q: 'the' }, { q: 'a' }, { q: 'reporter protein' }, { q: 'GFP' },
  { q: 'gfp reporter' }, { q: 'terminator' }, { q: 'rbs' }, { q: 'friends' }, { q: 'BBa_B0034' }, { q: 'B0034' }, { q: 'bba' },
  { q: 'BBa_Z01B0034' }, { q: 'pSB1C3' }, { q: 'Müller' }, { q: 'rettberg' }, { q: 'randy rettberg' }, { q: "o'brien" }, { q: 'igem team' },
  { q: 'chassis' }, { q: 'prokaryote' }, { q: 'nosuchwordanywhere' }, { q: 'promoter nosuchwordanywhere' }, { q: '"reporter protein"' },
  { q: 'coding sequence' }, { q: 'lac' }, { q: 'inverter' }, { q: 'promoter t:Coding' }, { q: 'promoter s:Available' },
  { q: 'terminator', type: 'Terminator' }, { q: 'promoter a:Shetty' }, { q: 'promoter n:BBa_K' }, { q: 'protein c:function' },
  { q: 'protein', category: '//chassis' }, { q: 'promoter', status: 'Available', sample_status: 'In stock' }, { q: 'promoter', works: 'Works' },
  { q: 'promoter', where: '{"part_type": "Regulatory"}' }, { q: 'promoter', has_sequence: 'true' }, { q: 'gfp', sort: 'name' },
  { q: 'gfp', sort: '-uses' }, { q: 'gfp o:created' }, { q: 'the', page: '3', max_results: '100' }, { q: 'promoter', page: '40' },
  { q: 'reporter', sort: '-weight' }, { q: 'it s' }, { q: 'for' }, { q: 'protein generator' },
];

const toQueryString = (input: PartsQueryInput) => new URLSearchParams(Object.entries(input) as [string, string][]).toString();
const median = (values: number[]) => percentile(values, 50);
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));

/** A full GC, then what the heap and the array buffers hold. */
const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();
function heldBytes(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function importVersion(app: AppDatabase): Promise<string> {
  const [{ version }] = await app.db.query("SELECT CONCAT(MAX(id), ' ', MAX(finished_at)) AS version FROM snapshot_imports WHERE state = 'succeeded'");
  return String(version);
}

/** The index built in this process: its time, and the memory it holds once built. */
async function buildInProcess(app: AppDatabase): Promise<{ index: SearchIndex; ms: number; bytes: number }> {
  const before = heldBytes();
  const t = performance.now();
  const index = await loadSearchIndex(app.db, app.snapshot, await importVersion(app));
  const took = performance.now() - t;
  return { index, ms: took, bytes: heldBytes() - before };
}

/** Each query once, timed; `times` in query order. */
async function timeEach(run: (input: PartsQueryInput) => Promise<number> | number): Promise<{ times: number[]; totals: number[] }> {
  const times: number[] = [];
  const totals: number[] = [];
  for (const input of QUERIES) {
    const t = performance.now();
    totals.push(await run(input));
    times.push(performance.now() - t);
  }
  return { times, totals };
}

async function candidates(app: AppDatabase, index: SearchIndex): Promise<string[]> {
  const lines: string[] = [];
  const describe = (name: string, times: number[]) => `${name.padEnd(9)} p50 ${ms(median(times))} ms, max ${ms(Math.max(...times))} ms`;
  // index: what the API runs (the page's rows then come from MySQL by primary key).
  const indexRun = () => timeEach((input) => {
    const query = buildPartsQuery(input);
    return evaluateSearch(index, query, query.page * query.perPage).total;
  });
  await indexRun(); // warm
  const ours = await indexRun();
  lines.push(describe('index', ours.times));
  // scan: every live part's word set, tested against the words (filters left out: a lower bound for a scan).
  const rows: IndexedPart[] = await app.db.query('SELECT part_id, part_name, short_desc, description, author, nickname, categories FROM parts');
  const sets = rows.map((row) => new Set(Object.values(fieldTexts(row)).flatMap((text) => indexTokens(text))));
  rows.length = 0;
  const scan = await timeEach((input) => {
    const words = queryTokens(buildPartsQuery(input).text);
    let n = 0;
    for (const set of sets) if (words.every((w) => set.has(w))) n++;
    return n;
  });
  lines.push(describe('scan', scan.times));
  sets.length = 0;
  // fulltext: the previous search's statements (COUNT, then the ordered page), filters included.
  const MATCH = 'MATCH(part_name, short_desc, description, author, nickname, categories) AGAINST (? IN NATURAL LANGUAGE MODE)';
  const fulltext = await timeEach(async (input) => {
    const query = buildPartsQuery(input);
    const words = query.text.replace(/[+\-<>()~*"@]/g, ' ').trim();
    const where = [...query.where, MATCH].join(' AND ');
    const [[{ total }]] = await Promise.all([
      app.db.query(`SELECT COUNT(*) AS total FROM parts WHERE ${where}`, [...query.params, words]),
      app.db.query(`SELECT ${LIST_COLUMNS}, ${MATCH} * (0.5 + weight) AS relevance FROM parts WHERE ${where} ORDER BY ${query.sort ? query.order : 'relevance DESC, part_name ASC'} LIMIT ${query.perPage} OFFSET ${(query.page - 1) * query.perPage}`, [words, ...query.params, words]),
    ]);
    return Number(total);
  });
  lines.push(describe('fulltext', fulltext.times));
  const t7 = QUERIES.findIndex((input) => input.q === 'T7');
  const differ = QUERIES.filter((_, i) => fulltext.totals[i] !== ours.totals[i]).length;
  lines.push(`totals: "T7" index ${ours.totals[t7]}, scan ${scan.totals[t7]}, fulltext ${fulltext.totals[t7]}; fulltext differs from the index on ${differ}/${QUERIES.length} queries (short words dropped, OR instead of AND)`);
  return lines;
}

/** Search (the 50 queries) and part pages, one request at a time, interleaved, `rounds` times. */
async function oneAtATime(base: string, names: string[], rounds: number) {
  const search: number[] = [];
  const page: number[] = [];
  let k = 0;
  const get = async (route: string) => {
    const t = performance.now();
    const response = await fetch(base + route);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${route} answered ${response.status}`);
    return performance.now() - t;
  };
  for (let round = 0; round < rounds; round++) {
    for (const input of QUERIES) {
      search.push(await get(`/api/parts?${toQueryString(input)}`));
      page.push(await get(`/api/parts/${encodeURIComponent(names[k++ % names.length]!)}`));
    }
  }
  const p50 = median(page);
  return { searchP50: median(search), searchMax: Math.max(...search), pageP50: p50, ratioP50: median(search) / p50, ratioMax: Math.max(...search) / p50, n: search.length };
}

/** GET /api/parts/suggest for what a user types: names letter by letter (with and without BBa_), and word prefixes. */
async function suggestTimes(base: string, names: string[]): Promise<{ p50: number; max: number; n: number }> {
  const typed = [...names.slice(0, 5).flatMap((name) => [4, 6, 8, 10].map((n) => name.slice(0, n))), ...names.slice(5, 10).map((name) => name.slice(4, 9)), 'p', 'pro', 'prom', 't7 pro', 'e. co', 'gf'];
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of typed) {
      const t = performance.now();
      const response = await fetch(`${base}/api/parts/suggest?q=${encodeURIComponent(q)}`);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`suggest ${q} answered ${response.status}`);
      times.push(performance.now() - t);
    }
  }
  return { p50: median(times), max: Math.max(...times), n: typed.length };
}

function writeScript(dir: string, name: string, paths: string[]): string {
  const file = path.join(dir, `${name}.lua`);
  fs.writeFileSync(file, `local paths = {${paths.map((p) => JSON.stringify(p)).join(',\n')}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`);
  return file;
}

/** Resident memory of the server's HTTP workers (children of the primary), in MiB. */
function workerRss(primaryPid: number): number[] {
  const children = fs.readFileSync(`/proc/${primaryPid}/task/${primaryPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return children.map((pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
}

runBench(async () => {
  log(`parts-search on ${machine()}`);
  const wholeRun = watchOthers();
  const dir = tempDir('bench-parts-search-');
  const app = await createAppDatabase('psearch');
  const file = path.join(dir, 'dump.sql');
  await writeSyntheticDumpFile(file, { parts: PARTS, format: 'sql', seed: 1 });
  const imported = await importAndRank(app.services, file);
  fs.rmSync(file, { force: true });
  const fillExtras = () => app.db.query(`INSERT IGNORE INTO part_extras (part_name, extras, fetched_at) SELECT part_name, NULL, CURRENT_TIMESTAMP(3) FROM \`${app.snapshot}\`.parts_filtered`);
  await fillExtras();
  log(`imported ${fmtCount(PARTS)} synthetic parts: ${imported.partsLive} live`);

  // 1. Candidates in this process.
  let built = await buildInProcess(app);
  log(`index at ${fmtCount(PARTS)}: built in ${ms(built.ms)} ms, holds ${(built.bytes / 2 ** 20).toFixed(0)} MiB (${built.index.data.terms.size} words, ${built.index.data.docs.length} postings)`);
  for (const line of await candidates(app, built.index)) log(`  ${line}`);
  const small = { buildMs: built.ms, mib: built.bytes / 2 ** 20 };
  built = undefined as never;

  // 2. The API one at a time.
  const server = await startBenchServer({
    workers: 1,
    database: { url: app.url, name: app.name, drop: app.dropAll },
    env: { JOB_WORKERS: '0', PARTS_DEMO_DATA: 'false', PARTS_SOURCE_URL: 'http://127.0.0.1:9/{name}' },
  });
  const names: string[] = (await app.db.query('SELECT part_name FROM parts ORDER BY RAND() LIMIT 2000')).map((r: { part_name: string }) => r.part_name);
  await oneAtATime(server.url, names, 1); // warm: the index is built at start, the first search may wait for it
  const load = watchOthers();
  const at100k = await oneAtATime(server.url, names, ROUNDS);
  log(`API at ${fmtCount(PARTS)}, one at a time (${at100k.n} searches): search p50 ${ms(at100k.searchP50)} ms, max ${ms(at100k.searchMax)} ms; part page p50 ${ms(at100k.pageP50)} ms; ${load()}`);
  log(`  HTTP worker RSS: ${workerRss(server.pid).map((m) => `${m.toFixed(0)} MiB`).join(', ')}`);
  const suggested = await suggestTimes(server.url, names);
  log(`  suggestions (GET /api/parts/suggest, ${suggested.n} prefixes as typed): p50 ${ms(suggested.p50)} ms, max ${ms(suggested.max)} ms end to end (goal < 20 ms)`);

  // 3. Throughput.
  let throughput: { search: number; page: number } | undefined;
  if (hasWrk()) {
    const searchScript = writeScript(dir, 'search', QUERIES.map((input) => `/api/parts?${toQueryString(input)}`));
    const pageScript = writeScript(dir, 'page', names.map((n) => `/api/parts/${encodeURIComponent(n)}`));
    await runWrk(server.url, CONNECTIONS, 3, 1, { script: searchScript, timeout: '10s' });
    await runWrk(server.url, CONNECTIONS, 3, 1, { script: pageScript, timeout: '10s' });
    const rps = { search: [] as number[], page: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const which of round % 2 ? (['page', 'search'] as const) : (['search', 'page'] as const)) {
        const w = await runWrk(server.url, CONNECTIONS, SECONDS, 1, { script: which === 'search' ? searchScript : pageScript, timeout: '10s' });
        if (w.non2xx) throw new Error(`${which}: ${w.non2xx} answers were not 2xx`);
        rps[which].push(w.rps);
        log(`  ${which.padEnd(6)} ${CONNECTIONS} connections: ${w.rps.toFixed(0)} req/s`);
      }
    }
    throughput = { search: median(rps.search), page: median(rps.page) };
  } else log('wrk is not installed: no throughput (apt-get install wrk)');

  // 4. The big snapshot.
  let big: { parts: number; buildMs: number; mib: number; rebuildMs: number; api: typeof at100k; rss: number[] } | undefined;
  if (BIG > imported.partsLive) {
    const { rows } = await growPartsFiltered(app, BIG);
    await rankParts(app.db, qualified(app.snapshot, 'parts_filtered'), app.services.strategy);
    await fillExtras();
    const inProcess = await buildInProcess(app);
    log(`index at ${fmtCount(rows)}: built in ${ms(inProcess.ms)} ms, holds ${(inProcess.bytes / 2 ** 20).toFixed(0)} MiB`);
    for (const line of await candidates(app, inProcess.index)) log(`  ${line}`);
    const bigStats = { buildMs: inProcess.ms, mib: inProcess.bytes / 2 ** 20 };
    // The server's index follows an import's record: moved, it rebuilds (its log says so, with the build's time);
    // searches wait for the new one. (The ranking above already made it rebuild: weights named parts it lacked.)
    const builds = () => server.output().match(/"search index built"/g)?.length ?? 0;
    const built = builds();
    const t = performance.now();
    await app.db.query("UPDATE snapshot_imports SET finished_at = finished_at + INTERVAL 1 SECOND WHERE state = 'succeeded' ORDER BY id DESC LIMIT 1");
    let answered = false;
    while (builds() === built || !answered) {
      if (performance.now() - t > 600_000) throw new Error(`the server did not rebuild its index within 10 minutes:\n${server.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
      if (builds() > built) answered = (await fetch(`${server.url}/api/parts?q=promoter`)).status === 200;
    }
    const rebuildMs = performance.now() - t;
    const serverBuildMs = Number([...server.output().matchAll(/"ms":(\d+),"msg":"search index built"/g)].at(-1)?.[1]);
    log(`the server's index rebuilt over ${fmtCount(rows)} parts in ${serverBuildMs} ms (its log); searched ${ms(rebuildMs)} ms after the import record moved`);
    const bigNames: string[] = (await app.db.query('SELECT part_name FROM parts ORDER BY RAND() LIMIT 2000')).map((r: { part_name: string }) => r.part_name);
    await oneAtATime(server.url, bigNames, 1);
    const api = await oneAtATime(server.url, bigNames, ROUNDS);
    log(`API at ${fmtCount(rows)}, one at a time: search p50 ${ms(api.searchP50)} ms, max ${ms(api.searchMax)} ms; part page p50 ${ms(api.pageP50)} ms`);
    big = { parts: rows, ...bigStats, rebuildMs, api, rss: workerRss(server.pid) };
    log(`  HTTP worker RSS: ${big.rss.map((m) => `${m.toFixed(0)} MiB`).join(', ')}`);
    const bigSuggested = await suggestTimes(server.url, bigNames);
    log(`  suggestions at ${fmtCount(rows)}: p50 ${ms(bigSuggested.p50)} ms, max ${ms(bigSuggested.max)} ms end to end`);
  }

  log(`over the whole benchmark: ${wholeRun()}`);
  printResult({
    bench: `parts-search-latency-${fmtCount(PARTS)}`,
    summary: `50 queries one at a time over ${imported.partsLive} parts: search p50 ${ms(at100k.searchP50)} ms, max ${ms(at100k.searchMax)} ms; GET /api/parts/<name> p50 ${ms(at100k.pageP50)} ms; max ÷ page p50 ${at100k.ratioMax.toFixed(2)}; index ${small.mib.toFixed(0)} MiB per worker, built in ${ms(small.buildMs)} ms`,
    ratio: at100k.ratioP50,
    ratioLabel: 'search p50 / part page p50',
    goal: '≤ 1.5',
    met: at100k.ratioP50 <= 1.5,
  });
  if (throughput) {
    printResult({
      bench: `parts-search-throughput-${fmtCount(PARTS)}`,
      summary: `${CONNECTIONS} connections: search ${throughput.search.toFixed(0)} req/s vs part page ${throughput.page.toFixed(0)} req/s`,
      ratio: throughput.search / throughput.page,
      ratioLabel: 'search / part page',
      goal: '≥ 0.5',
      met: throughput.search / throughput.page >= 0.5,
    });
  }
  if (big) {
    printResult({
      bench: `parts-search-latency-${fmtCount(big.parts)}`,
      summary: `50 queries one at a time over ${big.parts} parts: search p50 ${ms(big.api.searchP50)} ms, max ${ms(big.api.searchMax)} ms; part page p50 ${ms(big.api.pageP50)} ms; max ÷ page p50 ${big.api.ratioMax.toFixed(2)}; index ${big.mib.toFixed(0)} MiB per worker, built in ${ms(big.buildMs)} ms in-process, server rebuild seen after ${ms(big.rebuildMs)} ms`,
      ratio: big.api.ratioP50,
      ratioLabel: 'search p50 / part page p50',
      goal: '≤ 2',
      met: big.api.ratioP50 <= 2,
    });
  }
});
