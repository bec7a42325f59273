import { baseDatabaseUrl, startTestServer, type TestServer } from '@brickyard/testing';
import { withDatabase } from '@brickyard/db';
import { createConnection } from 'mysql2/promise';
import * as crypto from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
// The account setup creates when it installs MariaDB: rights on the two databases, nothing else.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { accountStatements } = require('../../bin/database-account.js') as typeof import('../../bin/database-account.js');

const root = baseDatabaseUrl();
const suffix = crypto.randomBytes(4).toString('hex');
const user = `by_lp_${suffix}`;
const password = crypto.randomBytes(12).toString('base64url');
const database = `by_lp_${suffix}`;
let server: TestServer;

const asRoot = async (sql: string) => {
  const connection = await createConnection(withDatabase(root, 'mysql'));
  try {
    return (await connection.query(sql))[0] as any[];
  } finally {
    await connection.end();
  }
};

beforeAll(async () => {
  for (const statement of accountStatements({ user, password, appDatabase: database, snapshotDatabase: `${database}_igem` })) await asRoot(statement);
  const url = withDatabase(root, database).replace(/^mysql:\/\/[^@]*@/, `mysql://${user}:${password}@`);
  server = await startTestServer({
    database: { url, name: database, drop: async () => {
      await asRoot(`DROP DATABASE IF EXISTS \`${database}\``);
      await asRoot(`DROP DATABASE IF EXISTS \`${database}_igem\``);
    } },
    env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '1', PARTS_DEMO_DATA: 'true' },
  });
});
afterAll(async () => {
  await server?.stop();
  for (const host of ['localhost', '127.0.0.1', '::1']) await asRoot(`DROP USER IF EXISTS '${user}'@'${host}'`);
});

test('the platform runs as the least-privilege account: migrations, demo import, ranking, search', async () => {
  const grants = (await asRoot(`SHOW GRANTS FOR '${user}'@'127.0.0.1'`)).map((row) => Object.values(row)[0] as string);
  expect(grants.filter((g) => /ON \*\.\*/.test(g)).every((g) => /GRANT USAGE ON \*\.\*/.test(g))).toBe(true); // no server-wide privilege
  const list = (await (await fetch(`${server.url}/api/parts?q=terminator`)).json()) as any;
  expect(list.total).toBeGreaterThan(0);
  const ended = async (id: string) => {
    for (let i = 0; i < 300; i++) {
      const task = (await server.admin('GET', `/api/tasks/${id}`)).body;
      if (!['queued', 'running'].includes(task.state)) return task;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`task ${id} did not end`);
  };
  const ranked = await ended((await server.admin('POST', '/api/admin/parts/rank')).body.id);
  expect(ranked.state, JSON.stringify(ranked)).toBe('succeeded');
  const imported = await ended((await server.admin('POST', '/api/admin/parts/import', { source: 'demo' })).body.id);
  expect(imported.state, JSON.stringify(imported)).toBe('succeeded');
});
