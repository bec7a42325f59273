import { startTestServer, writePlugin, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

// A plugin folder dropped into PLUGINS_DIR, edited, then deleted, while the server runs.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function waitForAnswer(route: string, accept: (status: number, body: any) => boolean, withinMs: number) {
  const started = Date.now();
  let last: { status: number; body: any } = { status: 0, body: null };
  while (Date.now() - started < withinMs) {
    const response = await fetch(server.url + route);
    last = { status: response.status, body: await response.json().catch(() => null) };
    if (accept(last.status, last.body)) return { ...last, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${route} did not reach the expected answer within ${withinMs} ms; last: ${JSON.stringify(last)}`);
}

test('a dropped-in plugin answers within 2 s; an edit changes the answer; deleting it makes the route 404', async () => {
  const route = '/api/plugins/drop-in/';
  expect((await fetch(server.url + route)).status).toBe(404);

  const dir = writePlugin(server.pluginsDir, 'drop-in', {}, 'first');
  const mounted = await waitForAnswer(route, (s, b) => s === 200 && b?.answer === 'first', 2000);
  expect(mounted.ms).toBeLessThan(2000);

  const entry = path.join(dir, 'server', 'index.ts');
  fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace('"first"', '"second"'));
  await waitForAnswer(route, (s, b) => s === 200 && b?.answer === 'second', 2000);

  fs.rmSync(dir, { recursive: true });
  await waitForAnswer(route, (s) => s === 404, 2000);

  const health: any = await (await fetch(`${server.url}/api/health`)).json();
  expect(health.plugins).toContainEqual(expect.objectContaining({ name: 'drop-in', status: 'disabled' }));
});
