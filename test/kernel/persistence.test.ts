import { startTestServer, writePlugin, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, test } from 'vitest';

// A plugin's tables and rows outlive disable → enable and a server restart;
// its migrations run once.
const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-persist-'));
const hello = path.resolve(import.meta.dirname, '..', '..', 'plugins', 'hello');
fs.cpSync(hello, path.join(pluginsDir, 'hello'), { recursive: true, filter: (src) => !src.includes(`${path.sep}test`) });
writePlugin(pluginsDir, 'other', {}, 'other');

let server: TestServer | undefined;
afterAll(() => server?.stop());

const greetings = async () =>
  ((await (await fetch(`${server!.url}/api/plugins/hello/greetings`)).json()) as { text: string }[]).map((g) => g.text);

test('rows survive disable, enable and a restart', async () => {
  server = await startTestServer({ pluginsDir, env: { PLUGINS_WATCH: 'false' } });
  const post = await fetch(`${server.url}/api/plugins/hello/greetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'kept' }),
  });
  expect(post.status).toBe(201);

  const disabled = await server.admin('POST', '/api/admin/plugins/hello/disable');
  expect(disabled.status).toBe(200);
  expect(disabled.body.plugin).toMatchObject({ name: 'hello', enabled: false, status: 'disabled' });
  expect((await fetch(`${server.url}/api/plugins/hello/greetings`)).status).toBe(404);
  expect((await fetch(`${server.url}/api/plugins/other`)).status).toBe(200);

  const enabled = await server.admin('POST', '/api/admin/plugins/hello/enable');
  expect(enabled.body.plugin).toMatchObject({ status: 'active' });
  expect(await greetings()).toEqual(['kept']);

  const { database, home } = server;
  await server.stop({ keepData: true });
  server = await startTestServer({ pluginsDir, database, home, env: { PLUGINS_WATCH: 'false' } });
  expect(await greetings()).toEqual(['kept']);

  // The migration ran once, whatever the number of starts and reloads.
  const rows = (await server.admin('GET', '/api/admin/plugins')).body;
  expect(rows.find((r: { name: string }) => r.name === 'hello')).toMatchObject({ enabled: true, status: 'active', version: '1.0.0' });
  const { createHostDataSource } = await import('@brickyard/db');
  const db = await createHostDataSource(database.url, 1);
  const migrations = await db.query('SELECT name FROM plugin_migrations WHERE plugin = ?', ['hello']);
  await db.destroy();
  expect(migrations).toEqual([{ name: 'CreateGreetings1763780100000' }]);
});

test('unknown plugins are 404 with a message on the admin routes', async () => {
  const reply = await server!.admin('POST', '/api/admin/plugins/nope/enable');
  expect(reply.status).toBe(404);
  expect(reply.body.message).toBe('no plugin named nope: GET /api/admin/plugins lists them');
});
