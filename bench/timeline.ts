/**
 * Benchmark — the forum's timeline (`GET /api/forum/timeline`) with 100k
 * activities and a user following 1k users, divided by a primary-key read
 * through the same server measured in the same run the same way. Goal: p50 ≤ 5 × baseline.
 *
 * Server: `brickyard serve` on the demo snapshot, WORKERS=1, JOB_WORKERS=0.
 * Data, written by SQL before measuring: 10k users; the reader `reader_dense`
 * follows 1k of them and watches 5 demo parts; 100k activities in `activities`
 * (types experience/comment/vote/rating/watch, on the 98 demo parts, fixed
 * seed): every 200th by one of 1k users the sparse reader follows, the others by
 * a user drawn uniformly from the other 9k, so about 11 % are by the dense
 * reader's followed users and about 5 % more on its watched parts. For
 * information, `reader_sparse` follows the 1k users who wrote only 500 of the
 * 100k (0.5 %) and watches nothing:
 * the newest 2000 ids then hold about 10 of theirs, and the page of 20 needs
 * the indexes (ActivityService.list's second step).
 *
 * One timeline request = `GET /api/forum/timeline?limit=20` with the reader's
 * session cookie (a page of 20, newest first). Baseline = `GET
 * /api/forum/experiences/:id` of one experience (a short Markdown text, no
 * comments or attachments) with the same cookie: one SELECT by primary key
 * (with its vote and comment counts), the attachments' SELECT, and the Markdown
 * render. Requests are sequential on one keep-alive connection (undici's
 * fetch), timeline and baseline alternating after a warm-up of each.
 * Ratio = timeline p50 ÷ baseline p50.
 *
 *   node bin/run-ts.js bench/timeline.ts [--activities 100000] [--followed 1000] [--requests 400] [--warmup 40]
 */
import { BrowserSession } from '@brickyard/testing';
import * as mysql from 'mysql2/promise';
import { arg, fmtMs, log, machine, percentile, printResult, runBench } from './lib/common';
import { describeCpu, waitForQuiet, watchCpu } from './lib/cpu';
import { startBenchServer } from './lib/server';

const GOAL = 5;
const ACTIVITIES = Number(arg('activities', '100000'));
const FOLLOWED = Number(arg('followed', '1000'));
const USERS = 10 * FOLLOWED;
const REQUESTS = Number(arg('requests', '400'));
const WARMUP = Number(arg('warmup', '40'));
/** Share of the activities written by the sparse reader's followed users. */
const SPARSE_SHARE = 0.005;
const TYPES = ['experience', 'comment', 'vote', 'rating', 'watch'];

/** A fixed-seed generator, so every run writes the same data. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function timed(browser: BrowserSession, route: string): Promise<number> {
  const started = performance.now();
  const answer = await browser.call('GET', route);
  const ms = performance.now() - started;
  if (answer.status !== 200) throw new Error(`${route}: ${answer.status} ${answer.text.slice(0, 200)}`);
  return ms;
}

async function main(): Promise<void> {
  log(`machine: ${machine()}`);
  const server = await startBenchServer({
    env: { PARTS_DEMO_DATA: 'true', WORKERS: '1', JOB_WORKERS: '0', FORUM_POST_INTERVAL_SECONDS: '0', FORUM_EXPERIENCE_INTERVAL_SECONDS: '0' },
  });
  const db = await mysql.createConnection({ uri: server.database.url });
  const [partRows] = (await db.query(`SELECT part_name FROM \`${server.database.name}_igem\`.parts_filtered`)) as any;
  const partNames: string[] = partRows.map((r: any) => r.part_name);
  log(`demo snapshot: ${partNames.length} parts`);

  // Readers sign up through the API (their sessions); everyone else is written by SQL.
  const dense = new BrowserSession(server.url);
  const sparse = new BrowserSession(server.url);
  const denseId = String((await dense.register('reader_dense')).body.id);
  const sparseId = String((await sparse.register('reader_sparse')).body.id);
  const started = performance.now();
  for (let from = 0; from < USERS; from += 2000) {
    const rows = Array.from({ length: Math.min(2000, USERS - from) }, (_, i) => [`u${from + i}`, `u${from + i}@bench.example`, 'x']);
    await db.query('INSERT INTO accounts_users (username, email, password_hash) VALUES ?', [rows]);
  }
  const [[{ first }]] = (await db.query("SELECT MIN(id) AS first FROM accounts_users WHERE username LIKE 'u%'")) as any;
  const userId = (i: number) => String(Number(first) + i);
  // Users 0..FOLLOWED-1 are the dense reader's; FOLLOWED..2·FOLLOWED-1 the sparse reader's.
  await db.query('INSERT INTO accounts_follows (follower_id, followee_id) VALUES ?', [Array.from({ length: FOLLOWED }, (_, i) => [denseId, userId(i)])]);
  await db.query('INSERT INTO accounts_follows (follower_id, followee_id) VALUES ?', [Array.from({ length: FOLLOWED }, (_, i) => [sparseId, userId(FOLLOWED + i)])]);
  await db.query('INSERT INTO parts_watches (part_name, user_id) VALUES ?', [partNames.slice(0, 5).map((name) => [name, denseId])]);

  const next = random(42);
  const sparseEvery = Math.round(1 / SPARSE_SHARE);
  for (let from = 0; from < ACTIVITIES; from += 5000) {
    const rows = [];
    for (let i = from; i < Math.min(ACTIVITIES, from + 5000); i++) {
      // Every 200th activity is by one of the sparse reader's followed users; the others by anyone else.
      const other = Math.floor(next() * (USERS - FOLLOWED));
      const user = i % sparseEvery === 0 ? FOLLOWED + Math.floor(next() * FOLLOWED) : other < FOLLOWED ? other : other + FOLLOWED;
      const type = TYPES[Math.floor(next() * TYPES.length)]!;
      rows.push([type, userId(user), `u${user}`, partNames[Math.floor(next() * partNames.length)], 'experience', String(i + 1), JSON.stringify({ title: `Activity ${i}` }), 'forum']);
    }
    await db.query('INSERT INTO activities (type, user_id, username, part_name, target_type, target_id, params, plugin) VALUES ?', [rows]);
  }
  await db.query('ANALYZE TABLE activities');
  log(`seeded ${USERS} users, ${FOLLOWED} followed by each reader, ${ACTIVITIES} activities in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The baseline's experience: one short post by a followed user (written through the API by a third user).
  const writer = new BrowserSession(server.url);
  await writer.register('writer_bench');
  const experience = await writer.call('POST', '/api/forum/experiences', { part_name: partNames[0], title: 'Baseline', text: 'A short **experience**.' });
  if (experience.status !== 201) throw new Error(`could not create the baseline experience: ${experience.status} ${experience.text}`);
  const baselineRoute = `/api/forum/experiences/${experience.body.id}`;
  const timelineRoute = '/api/forum/timeline?limit=20';

  const page = await dense.call('GET', timelineRoute);
  const sparsePage = await sparse.call('GET', timelineRoute);
  log(`dense timeline: ${page.body.items.length} items; sparse timeline: ${sparsePage.body.items.length} items`);

  for (let i = 0; i < WARMUP; i++) {
    await timed(dense, timelineRoute);
    await timed(sparse, timelineRoute);
    await timed(dense, baselineRoute);
  }
  await waitForQuiet();
  const cpu = watchCpu();
  const times = { timeline: [] as number[], sparse: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < REQUESTS; i++) {
    // Alternate which goes first, so neither always follows the other.
    if (i % 2) {
      times.baseline.push(await timed(dense, baselineRoute));
      times.timeline.push(await timed(dense, timelineRoute));
    } else {
      times.timeline.push(await timed(dense, timelineRoute));
      times.baseline.push(await timed(dense, baselineRoute));
    }
    times.sparse.push(await timed(sparse, timelineRoute));
  }
  const load = describeCpu(cpu());
  await db.end();

  const p = (values: number[], q: number) => percentile(values, q);
  for (const [name, values] of Object.entries(times)) log(`${name}: p50 ${fmtMs(p(values, 50))}, p90 ${fmtMs(p(values, 90))}, p99 ${fmtMs(p(values, 99))} (${values.length} requests)`);
  const ratio = p(times.timeline, 50) / p(times.baseline, 50);
  const sparseRatio = p(times.sparse, 50) / p(times.baseline, 50);
  log(`${load}`);
  printResult({
    bench: 'timeline',
    summary: `timeline p50 ${fmtMs(p(times.timeline, 50))} vs experience by id ${fmtMs(p(times.baseline, 50))} (${ACTIVITIES} activities, ${FOLLOWED} followed); sparse follows (0.5 %) p50 ${fmtMs(p(times.sparse, 50))} = ${sparseRatio.toFixed(2)}×; ${load}`,
    ratio,
    ratioLabel: 'timeline p50 ÷ PK read p50',
    goal: `≤ ${GOAL}`,
    met: ratio <= GOAL,
  });
}

runBench(main);
