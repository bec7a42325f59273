import { createHostDataSource } from '@brickyard/db';
import { qualified, rankParts } from '@brickyard/ranking';
import { BrowserSession, startTestServer, WsProbe, type TestServer } from '@brickyard/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';

// Part social (issue 12): ratings, stars and watches by signed-in users, exact
// counters under concurrency, live weights equal to the batch ranking's, pushes,
// views and popular parts; on a real server (two workers) over the demo snapshot.
let server: TestServer;
let db: DataSource;
const INTERVAL = 2; // PARTS_RATING_INTERVAL_SECONDS in this file

beforeAll(async () => {
  server = await startTestServer({
    workers: 2,
    env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true', JOB_WORKERS: '0', PARTS_RATING_INTERVAL_SECONDS: String(INTERVAL) },
  });
  db = await createHostDataSource(server.database.url, 4);
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

/** A browser of one user (BrowserSession: cookies, CSRF echoed). */
class Browser extends BrowserSession {
  constructor() {
    super(() => server.url);
  }
}

const anonymous = new Browser();
const PASSWORD = 'correct horse battery';

async function register(username: string): Promise<Browser> {
  const browser = new Browser();
  const answer = await browser.call('POST', '/api/auth/register', { username, email: `${username}@example.org`, password: PASSWORD });
  expect(answer.status).toBe(201);
  return browser;
}

/**
 * `count` users signed in through the real sign-in route: rows copied from one
 * registered user (one argon2 hash instead of `count`), then POST /api/auth/login
 * for each, a few at a time.
 */
async function manyUsers(prefix: string, count: number): Promise<Browser[]> {
  await register(`${prefix}-0`);
  await db.query(
    `INSERT INTO accounts_users (username, email, password_hash, role)
     SELECT CONCAT(?, '-', n.i), CONCAT(?, '-', n.i, '@example.org'), u.password_hash, 'user'
     FROM accounts_users u JOIN (SELECT seq AS i FROM seq_1_to_${count - 1}) n WHERE u.username = ?`,
    [prefix, prefix, `${prefix}-0`],
  );
  const browsers = Array.from({ length: count }, () => new Browser());
  for (let i = 0; i < count; i += 8) {
    await Promise.all(browsers.slice(i, i + 8).map(async (browser, j) => {
      const answer = await browser.call('POST', '/api/auth/login', { username: `${prefix}-${i + j}`, password: PASSWORD });
      expect(answer.status).toBe(200);
    }));
  }
  return browsers;
}

const counters = async (name: string) => {
  const [row] = await db.query('SELECT rates, rate_sum, stars, watches FROM part_forum_stats WHERE part_name = ?', [name]);
  return row ? { rates: row.rates, rate_sum: row.rate_sum, stars: row.stars, watches: row.watches } : undefined;
};
/** The activities the parts plugin recorded about a part, as [type, username, params]. */
const activities = async (name: string) =>
  (await db.query("SELECT type, username, params FROM activities WHERE plugin = 'parts' AND part_name = ? ORDER BY id", [name])).map(
    (r: any) => [r.type, r.username, JSON.parse(r.params)],
  );
const weightOf = async (name: string) => (await anonymous.call('GET', `/api/parts/${name}`)).body.weight.value as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ratings, stars and watches', () => {
  let ada: Browser;
  beforeAll(async () => {
    ada = await register('ada');
  });

  test('a part shows its counters to anyone, and what a signed-in user did to it', async () => {
    const part = (await anonymous.call('GET', '/api/parts/BBa_B0015')).body;
    expect(part).toMatchObject({ stars: 0, watches: 0, rates: 0, rate_mean: null });
    expect(part.me).toBeUndefined();
    expect((await ada.call('GET', '/api/parts/BBa_B0015')).body.me).toEqual({ starred: false, watching: false, rating: null });
    const listed = (await anonymous.call('GET', '/api/parts?max_results=3')).body.items;
    for (const item of listed) expect(item).toMatchObject({ stars: expect.any(Number), watches: expect.any(Number), rates: expect.any(Number), rate_mean: null });
  });

  test('anonymous callers get 401; cookie changes without the right CSRF token 403; unknown parts 404; bad scores 400', async () => {
    for (const [method, route] of [['PUT', 'rating'], ['DELETE', 'rating'], ['PUT', 'star'], ['DELETE', 'star'], ['PUT', 'watch'], ['DELETE', 'watch']]) {
      const body = route === 'rating' && method === 'PUT' ? { score: 3 } : undefined;
      expect(await anonymous.call(method!, `/api/parts/BBa_B0015/${route}`, body), `${method} ${route}`).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
      expect(await ada.call(method!, `/api/parts/BBa_B0015/${route}`, body, { csrf: false })).toMatchObject({ status: 403, body: { message: expect.stringMatching(/X-CSRF-Token/) } });
      expect(await ada.call(method!, `/api/parts/BBa_B0015/${route}`, body, { csrf: 'forged' })).toMatchObject({ status: 403 });
      expect(await ada.call(method!, `/api/parts/BBa_NOPE0000/${route}`, body)).toMatchObject({ status: 404, body: { code: 'not_found', message: expect.stringContaining('BBa_NOPE0000') } });
    }
    for (const bad of [{ score: 0 }, { score: 6 }, { score: 3.5 }, { score: '4' }, {}, { score: 4, extra: 1 }]) {
      const answer = await ada.call('PUT', '/api/parts/BBa_B0015/rating', bad);
      expect(answer, JSON.stringify(bad)).toMatchObject({ status: 400, body: { code: 'invalid_params', message: expect.stringMatching(/score|extra/) } });
    }
    expect((await ada.call('PUT', '/api/parts/BBa_B0015/rating', { score: 9 })).body.message).toMatch(/score must be 1 to 5/);
    expect(await counters('BBa_B0015')).toBeUndefined(); // nothing refused left a trace
  });

  test('stars and watches are idempotent: twice counts once, and each answer has the counters and `me`', async () => {
    const first = await ada.call('PUT', '/api/parts/BBa_B0015/star');
    expect(first).toMatchObject({ status: 200, body: { part_name: 'BBa_B0015', stars: 1, watches: 0, rates: 0, rate_mean: null, weight: expect.any(Number), me: { starred: true, watching: false, rating: null } } });
    expect((await ada.call('PUT', '/api/parts/BBa_B0015/star')).body.stars).toBe(1);
    expect((await ada.call('PUT', '/api/parts/bba_b0015/watch')).body).toMatchObject({ part_name: 'BBa_B0015', watches: 1, me: { starred: true, watching: true } });
    expect((await ada.call('PUT', '/api/parts/BBa_B0015/watch')).body.watches).toBe(1);
    const [{ short_desc }] = await db.query("SELECT short_desc FROM parts WHERE part_name = 'BBa_B0015'");
    expect(await activities('BBa_B0015')).toEqual([['watch', 'ada', { intro: short_desc }]]);
    expect(await counters('BBa_B0015')).toEqual({ rates: 0, rate_sum: 0, stars: 1, watches: 1 });
    expect((await ada.call('GET', '/api/parts/BBa_B0015')).body).toMatchObject({ stars: 1, watches: 1, me: { starred: true, watching: true, rating: null } });
    expect((await ada.call('DELETE', '/api/parts/BBa_B0015/star')).body).toMatchObject({ stars: 0, me: { starred: false } });
    expect((await ada.call('DELETE', '/api/parts/BBa_B0015/star')).body.stars).toBe(0);
    expect((await ada.call('DELETE', '/api/parts/BBa_B0015/watch')).body).toMatchObject({ watches: 0, me: { watching: false } });
    expect((await ada.call('DELETE', '/api/parts/BBa_B0015/watch')).body.watches).toBe(0);
    expect(await activities('BBa_B0015')).toEqual([]);
    expect(await counters('BBa_B0015')).toEqual({ rates: 0, rate_sum: 0, stars: 0, watches: 0 });
  });

  test("a user's stars and watches are listed for their profile, newest first, paged; unknown users 404", async () => {
    const grace = await register('grace');
    await grace.call('PUT', '/api/parts/BBa_B0015/star');
    await sleep(5);
    await grace.call('PUT', '/api/parts/BBa_B0034/star');
    await grace.call('PUT', '/api/parts/BBa_B0034/watch');
    const stars = await anonymous.call('GET', '/api/parts/users/grace/stars');
    expect(stars.status).toBe(200);
    expect(stars.body).toMatchObject({ total: 2, page: 1, per_page: 10 });
    expect(stars.body.items.map((item: { part_name: string }) => item.part_name)).toEqual(['BBa_B0034', 'BBa_B0015']);
    expect(stars.body.items[0]).toMatchObject({ short_desc: expect.any(String), part_type: expect.any(String), weight: expect.any(Number), since: expect.any(String) });
    const second = await anonymous.call('GET', '/api/parts/users/grace/stars?per_page=1&page=2');
    expect(second.body).toMatchObject({ total: 2, page: 2, items: [{ part_name: 'BBa_B0015' }] });
    expect((await anonymous.call('GET', '/api/parts/users/grace/watches')).body).toMatchObject({ total: 1, items: [{ part_name: 'BBa_B0034' }] });
    await grace.call('DELETE', '/api/parts/BBa_B0034/watch');
    expect((await anonymous.call('GET', '/api/parts/users/grace/watches')).body).toMatchObject({ total: 0, items: [] });
    expect((await anonymous.call('GET', '/api/parts/users/nobody-here/stars')).status).toBe(404);
    const bad = await anonymous.call('GET', '/api/parts/users/grace/stars?per_page=500');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('per_page must be 1 to 50');
    expect((await anonymous.call('GET', "/api/parts/users/x'%20OR%201=1%20--/stars")).status).toBe(404);
  });

  test('one rating per user and part, changeable and removable; a second rating within the interval is 429 with when to retry', async () => {
    const before = await weightOf('BBa_B0034');
    const rated = await ada.call('PUT', '/api/parts/BBa_B0034/rating', { score: 4 });
    expect(rated).toMatchObject({ status: 200, body: { rates: 1, rate_mean: 4, me: { rating: 4 } } });
    expect(rated.body.weight).not.toBe(before);
    const refused = await ada.call('PUT', '/api/parts/BBa_B0015/rating', { score: 2 });
    expect(refused).toMatchObject({ status: 429, body: { code: 'rate_limited', message: expect.stringMatching(/one rating every 2 s: try again in [12] s/) } });
    await sleep(INTERVAL * 1000 + 100);
    expect((await ada.call('PUT', '/api/parts/BBa_B0034/rating', { score: 2 })).body).toMatchObject({ rates: 1, rate_mean: 2, me: { rating: 2 } });
    expect(await counters('BBa_B0034')).toMatchObject({ rates: 1, rate_sum: 2 });
    expect(await activities('BBa_B0034')).toEqual([['rating', 'ada', { score: 2 }]]); // the latest score replaced the first
    const removed = await ada.call('DELETE', '/api/parts/BBa_B0034/rating');
    expect(removed.body).toMatchObject({ rates: 0, rate_mean: null, me: { rating: null } });
    expect(removed.body.weight).toBe(before); // as if never rated (the global mean is back where it was)
    expect((await ada.call('DELETE', '/api/parts/BBa_B0034/rating')).body.rates).toBe(0);
    expect(await counters('BBa_B0034')).toMatchObject({ rates: 0, rate_sum: 0 });
    expect(await activities('BBa_B0034')).toEqual([]);
  });

  test('SQL in a part name changes nothing', async () => {
    const snapshot = async () => ({
      forum: await db.query('SELECT * FROM part_forum_stats ORDER BY part_name'),
      rows: await db.query('SELECT (SELECT COUNT(*) FROM parts_ratings) r, (SELECT COUNT(*) FROM parts_stars) s, (SELECT COUNT(*) FROM parts_watches) w'),
    });
    const before = await snapshot();
    await sleep(INTERVAL * 1000); // a rating may be tried
    for (const name of ["BBa_B0015' OR '1'='1", "BBa_B0015'; DELETE FROM parts_stars; --", 'BBa_B0015" OR 1=1 --', '%', '_________', "') OR 1=1 #"]) {
      const encoded = encodeURIComponent(name);
      for (const [method, route, body] of [['PUT', 'star'], ['PUT', 'watch'], ['PUT', 'rating', { score: 5 }], ['DELETE', 'rating']] as const) {
        expect((await ada.call(method, `/api/parts/${encoded}/${route}`, body)).status, `${method} ${route} ${name}`).toBe(404);
      }
      expect((await anonymous.call('GET', `/api/parts/${encoded}`)).status).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('under concurrency, and the ranking', () => {
  test('200 users rating one part at once leave exact counters and mean, and the weight the batch ranking computes', async () => {
    const users = await manyUsers('rater', 200);
    const scores = users.map((_, i) => 1 + ((i * 7) % 5));
    const answers = await Promise.all(users.map((user, i) => user.call('PUT', '/api/parts/BBa_E0040/rating', { score: scores[i] })));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const sum = scores.reduce((a, b) => a + b, 0);
    expect(await counters('BBa_E0040')).toEqual({ rates: 200, rate_sum: sum, stars: 0, watches: 0 });
    const [{ n }] = await db.query("SELECT COUNT(*) AS n FROM parts_ratings WHERE part_name = 'BBa_E0040'");
    expect(Number(n)).toBe(200);
    const part = (await anonymous.call('GET', '/api/parts/BBa_E0040')).body;
    expect(part).toMatchObject({ rates: 200, rate_sum: sum, rate_mean: Math.round((sum / 200) * 1000) / 1000 });
    // The answer of the last rating to commit saw every counter: the largest `rates` of the answers is 200.
    expect(Math.max(...answers.map((a) => a.body.rates))).toBe(200);
    // The live weight is the batch's: rank now, as core.rank does, and compare.
    const live = part.weight.value;
    const [{ snapshot }] = await db.query("SELECT CONCAT(DATABASE(), '_igem') AS snapshot");
    await rankParts(db, qualified(snapshot, 'parts_filtered'), 'bayesian');
    expect(await weightOf('BBa_E0040')).toBe(live);
  });

  test("a rating changes the part's weight and its place in search within a second", async () => {
    const bob = await register('bob');
    const list = async () => (await anonymous.call('GET', '/api/parts?max_results=100')).body.items as { part_name: string; weight: number }[];
    const before = await list();
    // The lowest-ranked unrated part with others just above it: one rating of 5 lifts it past some of them.
    const index = before.findLastIndex((p, i) => i > 5 && p.part_name !== 'BBa_E0040');
    const target = before[index]!;
    const started = Date.now();
    const rated = await bob.call('PUT', `/api/parts/${target.part_name}/rating`, { score: 5 });
    const after = await list();
    const elapsed = Date.now() - started;
    expect(rated.body.weight).toBeGreaterThan(target.weight);
    const moved = after.findIndex((p) => p.part_name === target.part_name);
    expect(after[moved]!.weight).toBe(rated.body.weight);
    expect(moved).toBeLessThan(index);
    const weights = after.map((p) => p.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('pushes, views and popular parts', () => {
  test("a part's topic and its watchers' sockets receive parts.social with the new counters and weight", async () => {
    const watcher = await register('watcher');
    expect((await watcher.call('PUT', '/api/parts/BBa_R0010/watch')).status).toBe(200);
    const watcherSocket = WsProbe.wrap(new WebSocket(server.wsUrl, { headers: { cookie: watcher.header() } }));
    await watcherSocket.next((f) => f.handler === 'welcome');
    const subscriber = await WsProbe.open(server.wsUrl);
    await subscriber.next((f) => f.handler === 'welcome');
    expect(await subscriber.request({ handler: 'subscribe', data: { topic: 'parts:BBa_R0010' }, id: 's1' }, 's1')).toMatchObject({ id: 's1' });
    const carol = await register('carol');
    const rated = await carol.call('PUT', '/api/parts/BBa_R0010/rating', { score: 3 });
    const expected = { part_name: 'BBa_R0010', stars: 0, watches: 1, rates: 1, rate_mean: 3, weight: rated.body.weight };
    expect((await subscriber.next((f) => f.handler === 'parts.social')).data).toEqual(expected);
    expect((await watcherSocket.next((f) => f.handler === 'parts.social')).data).toEqual(expected);
    subscriber.close();
    watcherSocket.socket.close();
  });

  test('a view counts once per viewer and part in two hours; popular parts rank recent stars, watches, ratings and views', async () => {
    const views = async (name: string) => Number((await db.query('SELECT COALESCE(SUM(views), 0) AS v FROM parts_views WHERE part_name = ?', [name]))[0].v);
    const dave = await register('dave');
    for (let i = 0; i < 3; i++) await anonymous.call('GET', '/api/parts/BBa_J23100');
    for (let i = 0; i < 2; i++) await dave.call('GET', '/api/parts/BBa_J23100');
    expect(await views('BBa_J23100')).toBe(2);
    for (const route of ['star', 'watch']) expect((await dave.call('PUT', `/api/parts/BBa_J23100/${route}`)).status).toBe(200);
    const popular = await anonymous.call('GET', '/api/parts/popular?size=3');
    expect(popular.status).toBe(200);
    expect(popular.body.window_hours).toBe(48);
    expect(popular.body.items.map((p: any) => p.part_name)).toEqual(['BBa_E0040', 'BBa_J23100', expect.any(String)]);
    expect(popular.body.items[0]).toMatchObject({ rates: 200, recent: { ratings: 200, total: expect.any(Number) } });
    expect(popular.body.items[1]).toMatchObject({ stars: 1, watches: 1, recent: { stars: 1, watches: 1, ratings: 0, views: 2, total: 4 } });
    // Up to 8 by default, of the parts with any activity in the window.
    const all = (await anonymous.call('GET', '/api/parts/popular')).body.items;
    expect(all.length).toBeGreaterThan(3);
    expect(all.length).toBeLessThanOrEqual(8);
    expect(all.slice(0, 2)).toEqual(popular.body.items.slice(0, 2));
    // Kept for a minute: a new star does not show yet.
    await dave.call('PUT', '/api/parts/BBa_B0015/star');
    expect((await anonymous.call('GET', '/api/parts/popular?size=3')).body).toEqual(popular.body);
    for (const size of ['0', '51', 'x', '2.5']) expect((await anonymous.call('GET', `/api/parts/popular?size=${size}`)).status, size).toBe(400);
  });
});
