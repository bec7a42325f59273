import { startTestServer, type TestServer } from '@brickyard/testing';
import { Redis } from 'ioredis';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, test } from 'vitest';

// Listing totals (no words: MySQL counts) are kept in Redis, and an import or a ranking makes
// new ones at once. Searches with words are counted by the in-memory index and never kept
// (test/parts/search-index.test.ts).
let server: TestServer;
let db: mysql.Connection;
let redis: Redis;

beforeAll(async () => {
  server = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true', JOB_WORKERS: '1' } });
  db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: server.database.name });
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  await db?.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db?.end();
  redis?.disconnect();
  await server?.stop();
});

const total = async (query: string) => (await (await fetch(`${server.url}/api/parts?${query}`)).json() as any).total as number;
const cachedTotals = async () => (await redis.keys(`brickyard:${server.database.name}:plugin:parts:search-total:*`)).length;

async function waitForTask(id: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const task: any = (await server.admin("GET", `/api/tasks/${id}`)).body;
    if (task.state === 'succeeded') return;
    if (task.state !== 'queued' && task.state !== 'running') throw new Error(JSON.stringify(task));
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${id} did not end`);
}

test('a total is counted once, served from Redis, and counted again after a ranking or an import', async () => {
  const listed = await total('type=Terminator');
  const available = await total('type=Terminator&status=Available');
  expect(listed).toBeGreaterThan(1);
  expect(await total('q=terminator')).toBeGreaterThan(1);
  expect(await cachedTotals()).toBe(2);
  // A weight removed behind the platform's back: the view no longer shows the part, but the kept totals stand.
  const [[part]] = (await db.query("SELECT part_id FROM parts WHERE part_type = 'Terminator' AND status = 'Available' LIMIT 1")) as any;
  await db.query('DELETE FROM part_weights WHERE part_id = ?', [part.part_id]);
  expect(await total('type=Terminator')).toBe(listed);
  expect(await total('type=Terminator&status=Available')).toBe(available);
  // An import records its end: every total is counted again over what is live.
  await db.query('UPDATE snapshot_imports SET finished_at = CURRENT_TIMESTAMP(3) + INTERVAL 1 SECOND ORDER BY id DESC LIMIT 1');
  expect(await total('type=Terminator')).toBe(listed - 1);
  expect(await total('type=Terminator&status=Available')).toBe(available - 1);
  // A ranking gives the part its weight back, and its new state makes the totals new again.
  await waitForTask((await server.admin('POST', '/api/admin/parts/rank')).body.id);
  expect(await total('type=Terminator')).toBe(listed);
  expect(await total('type=Terminator&status=Available')).toBe(available);
});

test('with PARTS_SEARCH_TOTALS_CACHE_SECONDS=0 every search counts', async () => {
  const reply = await server.admin('PUT', '/api/admin/config/PARTS_SEARCH_TOTALS_CACHE_SECONDS', { value: 0 });
  expect(reply.status).toBe(200);
  const terminators = await total('type=Terminator');
  const [[part]] = (await db.query("SELECT part_id FROM parts WHERE part_type = 'Terminator' LIMIT 1")) as any;
  await db.query('DELETE FROM part_weights WHERE part_id = ?', [part.part_id]);
  expect(await total('type=Terminator')).toBe(terminators - 1);
});
