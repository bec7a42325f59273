import { freePort, getOnNewConnection, startTestServer, WsProbe, type TestServer } from '@brickyard/testing';
import * as http from 'node:http';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, test } from 'vitest';

// Lazy enrichment from a local stand-in for the Registry's per-part XML API,
// answering well, malformed, slowly, or with errors. It is on loopback, so the
// server lists it in PARTS_SOURCE_ALLOWED_HOSTS (host:port); the last test
// takes the exception away. test/parts/enrichment-limits.test.ts has hostile answers.
let server: TestServer;
let registry: http.Server;
const requests = new Map<string, number>();
const behaviour = new Map<string, 'ok' | 'malformed' | 'error' | 'slow'>([
  ['BBa_B0015', 'ok'], ['BBa_B0010', 'malformed'], ['BBa_B0012', 'error'], ['BBa_B0034', 'slow'],
]);

const rsbpml = (name: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rsbpml><part_list><part>
  <part_id>151</part_id><part_name>${name}</part_name><part_url>http://parts.igem.org/Part:${name}</part_url>
  <parameters><parameter><name>efficiency</name><value>1</value><units></units></parameter></parameters>
  <categories><category>//direction/forward</category><category>//terminator/double</category></categories>
  <twins><twin>BBa_J34801</twin><twin>BBa_K773001</twin></twins>
</part></part_list></rsbpml>`;

beforeAll(async () => {
  registry = http.createServer((request, response) => {
    const name = decodeURIComponent(request.url!.split('/').pop()!);
    requests.set(name, (requests.get(name) ?? 0) + 1);
    const mode = behaviour.get(name) ?? 'error';
    const reply = () => {
      if (mode === 'error') return response.writeHead(500).end('internal error');
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(mode === 'malformed' ? '<rsbpml><part_list><part><part_name>' : rsbpml(name));
    };
    setTimeout(reply, mode === 'slow' ? 3000 : 300);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => registry.listen(port, '127.0.0.1', resolve));
  server = await startTestServer({
    workers: 2,
    env: {
      PLUGINS_WATCH: 'false',
      PARTS_DEMO_DATA: 'true',
      PARTS_SOURCE_URL: `http://127.0.0.1:${port}/part/{name}`,
      PARTS_SOURCE_ALLOWED_HOSTS: `127.0.0.1:${port}`,
      PARTS_EXTRAS_TIMEOUT_MS: '1000',
    },
  });
});
afterAll(async () => {
  const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  await db.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db.end();
  await server?.stop();
  registry?.close();
});

const detail = async (name: string) => (await getOnNewConnection(`${server.url}/api/parts/${name}`)).body;
const extrasRow = async (name: string) => {
  const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: server.database.name });
  const [[row]] = (await db.query('SELECT * FROM part_extras WHERE part_name = ?', [name])) as any;
  await db.end();
  return row;
};
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, withinMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - started > withinMs) throw new Error(`not reached within ${withinMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('one fetch however many readers ask, across workers; watchers get the extras over the websocket', async () => {
  const watcher = await WsProbe.open(server.wsUrl);
  await watcher.request({ handler: 'subscribe', data: { topic: 'parts:BBa_B0015' }, id: 'w' }, 'w');
  const pages = await Promise.all(Array.from({ length: 20 }, () => detail('BBa_B0015')));
  expect(pages.every((page) => page.extras === null && page.extras_state === 'missing')).toBe(true);
  const pushed = await watcher.next((f) => f.handler === 'parts.extras');
  expect(pushed.data).toEqual({
    part: 'BBa_B0015',
    extras: {
      parameters: [{ name: 'efficiency', value: '1', units: '' }],
      twins: ['BBa_J34801', 'BBa_K773001'],
      categories: ['//direction/forward', '//terminator/double'],
      url: 'http://parts.igem.org/Part:BBa_B0015',
    },
  });
  expect(requests.get('BBa_B0015')).toBe(1);
  const page = await detail('BBa_B0015');
  expect(page).toMatchObject({ extras_state: 'fresh', extras: pushed.data.extras });
  await new Promise((r) => setTimeout(r, 300));
  expect(requests.get('BBa_B0015')).toBe(1); // fresh extras are not fetched again
  watcher.close();
});

test.each([
  ['BBa_B0010', 'the answer is not a complete RSBPML document'],
  ['BBa_B0012', 'the Registry answered HTTP 500'],
  ['BBa_B0034', /^no complete answer from http:\/\/127\.0\.0\.1:\d+\/part\/BBa_B0034 within 1000 ms \(PARTS_EXTRAS_TIMEOUT_MS\)$/],
])('a failing answer (%s) is recorded, backed off, and the page still answers', async (name, error) => {
  expect((await detail(name)).extras_state).toBe('missing');
  const row = await until(() => extrasRow(name), (r) => r?.failures === 1, 6000);
  expect(row).toMatchObject({ extras: null });
  expect(row.last_error).toMatch(error);
  expect(new Date(row.retry_after).getTime()).toBeGreaterThan(Date.now());
  await detail(name);
  await new Promise((r) => setTimeout(r, 400));
  expect(requests.get(name)).toBe(1); // backing off: no new fetch
});

test('stale extras are kept when a refresh fails', async () => {
  const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: server.database.name });
  await db.query("UPDATE part_extras SET fetched_at = CURRENT_TIMESTAMP(3) - INTERVAL 11 DAY WHERE part_name = 'BBa_B0015'");
  await db.end();
  behaviour.set('BBa_B0015', 'error');
  const page = await detail('BBa_B0015');
  expect(page.extras_state).toBe('stale');
  expect(page.extras.twins).toEqual(['BBa_J34801', 'BBa_K773001']);
  const row = await until(() => extrasRow('BBa_B0015'), (r) => r.failures === 1);
  expect(row.last_error).toBe('the Registry answered HTTP 500');
  expect(JSON.parse(row.extras).twins).toEqual(['BBa_J34801', 'BBa_K773001']);
  expect((await detail('BBa_B0015')).extras.twins).toEqual(['BBa_J34801', 'BBa_K773001']);
});

test('without PARTS_SOURCE_ALLOWED_HOSTS a local or link-local source is refused at fetch time, recorded, and nothing is fetched', async () => {
  behaviour.set('BBa_C0040', 'ok');
  behaviour.set('BBa_C0061', 'ok');
  try {
    // The cloud metadata address (not listed): refused before any connection.
    const metadata = await server.admin('PUT', '/api/admin/config/PARTS_SOURCE_URL', { value: 'http://169.254.169.254/latest/meta-data/{name}' });
    expect(metadata.body.reload.ok).toBe(true);
    expect((await detail('BBa_C0062')).extras_state).toBe('missing');
    const linkLocal = await until(() => extrasRow('BBa_C0062'), (r) => r?.failures === 1 || r?.fetched_at);
    expect(linkLocal).toMatchObject({ extras: null, failures: 1 });
    expect(linkLocal.last_error).toBe('169.254.169.254 is a private or local address: fetches go to public hosts only (PARTS_SOURCE_ALLOWED_HOSTS lists exceptions)');
    expect((await server.admin('DELETE', '/api/admin/config/PARTS_SOURCE_URL')).body.reload.ok).toBe(true);

    // The local stand-in once its exception is taken away.
    expect((await server.admin('PUT', '/api/admin/config/PARTS_SOURCE_ALLOWED_HOSTS', { value: '' })).body.reload.ok).toBe(true);
    expect((await detail('BBa_C0040')).extras_state).toBe('missing');
    const local = await until(() => extrasRow('BBa_C0040'), (r) => r?.failures === 1 || r?.fetched_at);
    expect(local).toMatchObject({ extras: null, failures: 1 });
    expect(local.last_error).toBe('127.0.0.1 is a private or local address: fetches go to public hosts only (PARTS_SOURCE_ALLOWED_HOSTS lists exceptions)');
    expect(requests.get('BBa_C0040')).toBeUndefined();

    // The schemas refuse a source that is not an http(s) URL, and a list that is not of hosts.
    expect((await server.admin('PUT', '/api/admin/config/PARTS_SOURCE_URL', { value: 'file:///etc/{name}' })).status).toBe(400);
    expect((await server.admin('PUT', '/api/admin/config/PARTS_SOURCE_ALLOWED_HOSTS', { value: 'http://127.0.0.1/' })).status).toBe(400);
  } finally {
    await server.admin('DELETE', '/api/admin/config/PARTS_SOURCE_URL');
    await server.admin('DELETE', '/api/admin/config/PARTS_SOURCE_ALLOWED_HOSTS');
  }
  // Listed again (host:port, from the environment), the same source is fetched.
  await detail('BBa_C0061');
  const fetched = await until(() => extrasRow('BBa_C0061'), (r) => r?.fetched_at || r?.failures);
  expect(JSON.parse(fetched.extras).twins).toEqual(['BBa_J34801', 'BBa_K773001']);
  expect(requests.get('BBa_C0061')).toBe(1);
});
