import { startPluginTestServer, type TestServer } from '@brickyard/testing';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

let server: TestServer;
beforeAll(async () => {
  server = await startPluginTestServer(path.resolve(import.meta.dirname, '..'));
});
afterAll(() => server?.stop());

test('greets', async () => {
  const response = await fetch(`${server.url}/api/plugins/hello/?name=Ada`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ message: 'Hello, Ada!' });
});

test('stores greetings in its own table and lists the newest first', async () => {
  for (const text of ['first', 'second']) {
    const created = await fetch(`${server.url}/api/plugins/hello/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(created.status).toBe(201);
  }
  const list: any = await (await fetch(`${server.url}/api/plugins/hello/greetings`)).json();
  expect(list.map((g: { text: string }) => g.text)).toEqual(['second', 'first']);
});

test('refuses an empty greeting with a message', async () => {
  const response = await fetch(`${server.url}/api/plugins/hello/greetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: '' }),
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as any).message).toMatch(/1 to 200 characters/);
});

test('its setting is listed under its section and changed at runtime by an admin', async () => {
  const settings = (await server.admin('GET', '/api/admin/config')).body as { key: string; section: string; value: unknown }[];
  expect(settings.find((s) => s.key === 'HELLO_GREETING')).toMatchObject({ section: 'hello', value: 'Hello', source: 'default' });
  const refused = await server.admin('PUT', '/api/admin/config/HELLO_GREETING', { value: '' });
  expect(refused.status).toBe(400);
  expect(refused.body.code).toBe('invalid_params');
  const changed = await server.admin('PUT', '/api/admin/config/HELLO_GREETING', { value: 'Bonjour' });
  expect(changed.body.reload.ok).toBe(true);
  expect(await (await fetch(`${server.url}/api/plugins/hello/?name=Ada`)).json()).toEqual({ message: 'Bonjour, Ada!' });
  await server.admin('DELETE', '/api/admin/config/HELLO_GREETING');
  expect(await (await fetch(`${server.url}/api/plugins/hello/?name=Ada`)).json()).toEqual({ message: 'Hello, Ada!' });
});
