import { SearchIndexService } from '@brickyard/parts';
import type { PluginStore } from '@brickyard/sdk';
import { startTestServer, type TestServer } from '@brickyard/testing';
import { Redis } from 'ioredis';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, test } from 'vitest';

// When the parts plugin's app is rebuilt (a reload of its own code), the new generation's
// search service starts while the old one still serves: it takes the old index over instead of
// building its own, and an index whose owner stopped is not taken over (a disabled plugin's
// index is freed). Services of this process over a real server's databases and Redis.
let server: TestServer;
let db: mysql.Connection;
let redis: Redis;
let store: PluginStore;
const logger = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  server = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true' } });
  db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: server.database.name });
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `brickyard:${server.database.name}:handover-test:`;
  store = {
    get: (key) => redis.get(prefix + key),
    set: async (key, value) => (await redis.set(prefix + key, value)) === 'OK',
    delete: async (key) => void (await redis.del(prefix + key)),
    increment: (key) => redis.incr(prefix + key),
  };
});
afterAll(async () => {
  await db?.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db?.end();
  redis?.disconnect();
  await server?.stop();
});

const service = () =>
  new SearchIndexService({ query: async (sql, params) => (await db.query(sql, params))[0] }, `${server.database.name}_igem`, store, logger, { pollMs: () => 250, waitMs: () => 15_000 });

test("a new generation's service starts from the serving one's index; a stopped one's is built again", async () => {
  const serving = service();
  const index = await serving.current();
  expect(index.size).toBeGreaterThan(50); // the demo snapshot

  const next = service();
  next.start();
  expect(next.ready).toBe(index); // at once: no build
  serving.stop();
  expect(await next.current()).toBe(index);

  next.stop();
  const afterDisable = service();
  afterDisable.start();
  expect(afterDisable.ready).toBeUndefined(); // its owner stopped: nothing held
  const rebuilt = await afterDisable.current();
  expect(rebuilt).not.toBe(index);
  expect(rebuilt.size).toBe(index.size);
  afterDisable.stop();
});
