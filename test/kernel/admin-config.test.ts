import { startTestServer, type TestServer } from '@brickyard/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: 2, env: { PLUGINS_WATCH: 'false' } });
});
afterAll(() => server?.stop());

test('admin routes need the admin token', async () => {
  const none = await fetch(`${server.url}/api/admin/config`);
  expect(none.status).toBe(401);
  expect(((await none.json()) as any).message).toMatch(/Authorization: Bearer <token>.*admin-token/);
  const wrong = await fetch(`${server.url}/api/admin/config`, { headers: { authorization: 'Bearer nope' } });
  expect(wrong.status).toBe(401);
  expect((await fetch(`${server.url}/api/admin/reload`, { method: 'POST' })).status).toBe(401);
});

test('lists every setting with its documentation, secrets masked', async () => {
  const { status, body } = await server.admin('GET', '/api/admin/config');
  expect(status).toBe(200);
  const byKey = new Map(body.map((s: { key: string }) => [s.key, s]));
  expect(byKey.get('PORT')).toMatchObject({ section: 'server', value: server.port, source: 'environment', readOnly: true, secret: false });
  expect(byKey.get('DATABASE_URL')).toMatchObject({ value: '********', secret: true });
  expect(byKey.get('SITE_TITLE')).toMatchObject({ value: 'Brickyard', source: 'default', readOnly: false });
  // A fixed list of values is given, so the console offers a choice; other settings have none.
  expect(byKey.get('LOG_LEVEL')).toMatchObject({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] });
  expect(byKey.get('SITE_TITLE')).not.toHaveProperty('choices');
  for (const setting of body) expect(setting.description.length).toBeGreaterThan(10);
});

test('an override is validated, stored and applied by a reload of every worker', async () => {
  const put = await server.admin('PUT', '/api/admin/config/SITE_TITLE', { value: 'Parts Lab' });
  expect(put.status).toBe(200);
  expect(put.body.reload).toMatchObject({ ok: true, notConverged: [] });
  expect(put.body.reload.converged).toHaveLength(2);
  for (let i = 0; i < 6; i++) {
    const page = await (await fetch(`${server.url}/`, { headers: { connection: 'close' } })).text();
    expect(page).toContain('<title>Parts Lab</title>');
  }
  const listed = (await server.admin('GET', '/api/admin/config')).body.find((s: { key: string }) => s.key === 'SITE_TITLE');
  expect(listed).toMatchObject({ value: 'Parts Lab', source: 'override' });

  const reset = await server.admin('DELETE', '/api/admin/config/SITE_TITLE');
  expect(reset.status).toBe(200);
  expect(await (await fetch(`${server.url}/`)).text()).toContain('<title>Brickyard</title>');
});

test('bad overrides are refused with a message and change nothing', async () => {
  const readOnly = await server.admin('PUT', '/api/admin/config/PORT', { value: 4000 });
  expect(readOnly.status).toBe(400);
  expect(readOnly.body.message).toBe('PORT is read-only at runtime: set it in the environment and restart');

  const invalid = await server.admin('PUT', '/api/admin/config/LOG_LEVEL', { value: 'loud' });
  expect(invalid.status).toBe(400);
  expect(invalid.body.message).toMatch(/^LOG_LEVEL value is invalid \("loud"\): /);

  const unknown = await server.admin('PUT', '/api/admin/config/NOPE', { value: 1 });
  expect(unknown.status).toBe(404);

  const noValue = await server.admin('PUT', '/api/admin/config/SITE_TITLE', { title: 'x' });
  expect(noValue.status).toBe(400);
  expect(noValue.body.message).toMatch(/\{"value": …\}/);

  const listed = (await server.admin('GET', '/api/admin/config')).body;
  expect(listed.find((s: { key: string }) => s.key === 'LOG_LEVEL')).toMatchObject({ value: 'info' });
});

test('health reports the generation, plugins and pid; a request id comes back', async () => {
  const response = await fetch(`${server.url}/api/health`, { headers: { 'x-request-id': 'trace-me' } });
  expect(response.headers.get('x-request-id')).toBe('trace-me');
  const health: any = await response.json();
  // Only the built-in plugins (this server's PLUGINS_DIR is empty).
  expect(health).toMatchObject({ status: 'ok', plugins: [{ name: 'accounts', status: 'active' }, { name: 'forum', status: 'active' }, { name: 'parts', status: 'active' }] });
  expect(health.generation).toBeGreaterThan(0);
  expect(typeof health.pid).toBe('number');
});
