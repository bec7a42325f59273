import type { TestServer } from '@brickyard/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { demoParts, signUp, startForumServer, stopForumServer } from './forum-server';

// Biohub's throttles with their default settings: one experience per user and
// part a day, 15 s between posts, 15 s between votes; held in the cluster's
// store (two workers here, so a second request may land on another process).
let server: TestServer;
let parts: string[];

beforeAll(async () => {
  server = await startForumServer({ WORKERS: '2' });
  parts = await demoParts(server, 3);
}, 120_000);
afterAll(() => stopForumServer(server));

const expectThrottled = (answer: { status: number; body: any; headers: Headers }, what: RegExp) => {
  expect(answer).toMatchObject({ status: 429, body: { code: 'rate_limited', message: expect.stringMatching(what) } });
  expect(answer.body.message).toMatch(/try again in \d+ s/);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
};

test('posts: 15 s between two of one user (experiences and comments), per user', async () => {
  const ada = await signUp(server, 'ada_thr');
  const bob = await signUp(server, 'bob_thr');
  const first = await ada.browser.call('POST', '/api/forum/experiences', { part_name: parts[0], title: 'one', text: 'x' });
  expect(first.status).toBe(201);
  expectThrottled(await ada.browser.call('POST', '/api/forum/experiences', { part_name: parts[1], title: 'two', text: 'x' }), /one post every 15 s/);
  expectThrottled(await ada.browser.call('POST', `/api/forum/experiences/${first.body.id}/comments`, { text: 'x' }), /one post every 15 s/);
  // Another user is not held back; a refused request (here: bad input) takes no slot.
  expect((await bob.browser.call('POST', `/api/forum/experiences/${first.body.id}/comments`, { text: '' })).status).toBe(400);
  expect((await bob.browser.call('POST', `/api/forum/experiences/${first.body.id}/comments`, { text: 'hello' })).status).toBe(201);
  expectThrottled(await bob.browser.call('POST', `/api/forum/experiences/${first.body.id}/comments`, { text: 'again' }), /one post every 15 s/);
  // Concurrent posts of one user: exactly one gets through.
  const cy = await signUp(server, 'cy_thr');
  const burst = await Promise.all([1, 2, 3, 4].map((i) => cy.browser.call('POST', `/api/forum/experiences/${first.body.id}/comments`, { text: `burst ${i}` })));
  expect(burst.map((a) => a.status).sort()).toEqual([201, 429, 429, 429]);
});

test('experiences: one per user and part a day, even once the post interval is over', async () => {
  const dee = await signUp(server, 'dee_thr');
  expect((await dee.browser.call('POST', '/api/forum/experiences', { part_name: parts[2], title: 'first', text: 'x' })).status).toBe(201);
  // The post slot is gone from the store (as after 15 s); the per-part day still holds.
  const redis = new (await import('ioredis')).default(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keys = await redis.keys(`*${server.database.name}*throttle:post:*`);
  expect(keys.length).toBeGreaterThan(0);
  await redis.del(...keys);
  await redis.quit();
  expectThrottled(await dee.browser.call('POST', '/api/forum/experiences', { part_name: parts[2], title: 'second', text: 'x' }), new RegExp(`one experience on ${parts[2]} every 86400 s`));
});

test('votes: 15 s between two of one user; voting for one\'s own is 403', async () => {
  const author = await signUp(server, 'author_thr');
  const voter = await signUp(server, 'voter_thr');
  const first = await author.browser.call('POST', '/api/forum/experiences', { part_name: parts[0], title: 'a', text: 'x' });
  expect(first.status).toBe(201);
  expect((await author.browser.call('PUT', `/api/forum/experiences/${first.body.id}/vote`)).status).toBe(403);
  const other = await signUp(server, 'other_thr');
  const second = await other.browser.call('POST', '/api/forum/experiences', { part_name: parts[1], title: 'b', text: 'x' });
  expect((await voter.browser.call('PUT', `/api/forum/experiences/${first.body.id}/vote`)).body).toMatchObject({ votes: 1, voted: true });
  // Voting again for the same one changes nothing and is not throttled; another vote is.
  expect((await voter.browser.call('PUT', `/api/forum/experiences/${first.body.id}/vote`)).body).toMatchObject({ votes: 1, voted: true });
  expectThrottled(await voter.browser.call('PUT', `/api/forum/experiences/${second.body.id}/vote`), /one vote every 15 s/);
});
