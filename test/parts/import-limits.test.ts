import { startTestServer, type TestServer } from '@brickyard/testing';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Imports from a hostile server on 127.0.0.1 (slow senders, redirects to another
// local port, huge and malformed bodies), through the admin API as tasks, on a
// real server with a job worker. A cancelled or timed-out import stops for real
// (download, reading, statements) and never goes live, and releases its lock; every
// limit is refused naming its setting, with the live snapshot untouched and the
// server serving.

const MiB = 1 << 20;
const SLOW_ROWS = 10;
const SLOW_ROW_MS = 250; // the slow dump takes 2.5 s to send
const DOWNLOAD_TIMEOUT_MS = 4000;

let server: TestServer;
let db: mysql.Connection;
let hostile: http.Server;
let elsewhere: http.Server; // another local port, never allowed
let port: number;
let otherPort: number;
let bomb: Buffer;

/** Every request the hostile servers answered: its path, and when its connection closed. */
const requests: { path: string; at: number; closedAt?: number; complete?: boolean }[] = [];

const HEAD = 'CREATE TABLE `parts` (\n  `part_id` int(11),\n  `part_name` varchar(255),\n  `status` varchar(20),\n  `sequence` longtext\n);\n';
const row = (id: number, name: string) => `(${id},'${name}','Available','${'acgt'.repeat(10)}')`;
const dump = (prefix: string, first: number, n: number) =>
  `${HEAD}INSERT INTO \`parts\` VALUES ${Array.from({ length: n }, (_, i) => row(first + i, `${prefix}${i + 1}`)).join(',')};\n`;

/** Writes `piece` until the peer goes away or `total` bytes were sent, minding backpressure. */
async function flood(res: http.ServerResponse, head: string, piece: string, total: number): Promise<void> {
  const chunk = Buffer.from(piece.repeat(Math.ceil(65_536 / piece.length)));
  res.write(head);
  for (let sent = 0; sent < total && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk)) await new Promise((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
  }
  if (!res.destroyed) res.end();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  // The last segment says what to answer; what comes before tells the requests apart.
  const path = (req.url ?? '/').replace(/^.*\//, '/');
  const record: (typeof requests)[number] = { path: req.url ?? '/', at: Date.now() };
  requests.push(record);
  res.on('finish', () => (record.complete = true));
  req.socket.on('close', () => (record.closedAt = Date.now()));
  switch (path) {
    case '/fast.sql':
      return void res.end(dump('BBa_ADMIN', 8001, 3));
    case '/slow.sql': // a real dump, a row every SLOW_ROW_MS
      return void (async () => {
        res.write(`${HEAD}INSERT INTO \`parts\` VALUES `);
        for (let i = 0; i < SLOW_ROWS && !res.destroyed; i++) {
          await sleep(SLOW_ROW_MS);
          res.write(`${i ? ',' : ''}${row(9001 + i, `BBa_PLANTED${i + 1}`)}`);
        }
        if (!res.destroyed) res.end(';\n');
      })();
    case '/bomb.sql.gz':
      return void res.end(bomb);
    case '/tag.xml': // an XML tag that never ends: 64 MB of one attribute
      return void flood(res, '<?xml version="1.0"?>\n<mysqldump>\n<database name="parts_bbdb">\n<table_data name="parts">\n<row>\n<field name="sequence" a="', 'acgt', 64 * MiB);
    case '/no-semicolon.sql': // an INSERT whose quote never closes
      return void flood(res, `${HEAD}INSERT INTO \`parts\` VALUES (1,'BBa_X','Available','`, 'acgt', 64 * MiB);
    case '/huge.sql': // 64 MB of comments: nothing a reader holds, only bytes
      return void flood(res, '', '-- nothing to see here, just bytes\n', 64 * MiB);
    case '/trickle.sql': // a byte now and then, forever
      return void (async () => {
        res.write('-- ');
        while (!res.destroyed) {
          await sleep(100);
          res.write('a');
        }
      })();
    case '/redirect.sql':
      return void res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/fast.sql` }).end();
    default:
      res.writeHead(404).end();
  }
}

const listen = async (s: http.Server) => {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
};

beforeAll(async () => {
  // A gzip bomb: 256 MiB of one byte in a few hundred KB.
  const gzip = zlib.createGzip({ level: 9 });
  const pieces: Buffer[] = [];
  gzip.on('data', (c: Buffer) => pieces.push(c));
  const ended = new Promise((r) => gzip.on('end', r));
  gzip.write('-- ');
  const block = Buffer.alloc(MiB, 0x61);
  for (let i = 0; i < 256; i++) gzip.write(block);
  gzip.end('\n');
  await ended;
  bomb = Buffer.concat(pieces);

  hostile = http.createServer(handler);
  elsewhere = http.createServer(handler);
  port = await listen(hostile);
  otherPort = await listen(elsewhere);
  server = await startTestServer({
    env: {
      PLUGINS_WATCH: 'false',
      PARTS_DEMO_DATA: 'true',
      JOB_WORKERS: '1',
      // Only the hostile server's own port: its redirect to another local port must be refused.
      PARTS_IMPORT_ALLOWED_HOSTS: `127.0.0.1:${port}`,
      PARTS_IMPORT_MAX_DOWNLOAD_BYTES: String(16 * MiB),
      PARTS_IMPORT_DOWNLOAD_TIMEOUT_MS: String(DOWNLOAD_TIMEOUT_MS),
      PARTS_IMPORT_MAX_STATEMENT_BYTES: String(2 * MiB),
      PARTS_IMPORT_MAX_FIELD_BYTES: String(2 * MiB),
    },
  });
  db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: `${server.database.name}_igem` });
}, 120_000);

afterAll(async () => {
  await db?.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db?.end();
  await server?.stop();
  hostile?.closeAllConnections();
  elsewhere?.closeAllConnections();
  hostile?.close();
  elsewhere?.close();
});

const url = (path: string, p = port) => `http://127.0.0.1:${p}${path}`;
const liveNames = async () => ((await db.query('SELECT part_name FROM parts_filtered ORDER BY part_name')) as any)[0].map((r: any) => r.part_name) as string[];
const workingTables = async () =>
  ((await db.query("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE '%\\_new'")) as any)[0].map((r: any) => r.t);
const imports = async () => (await server.admin('GET', '/api/admin/parts/imports')).body as any[];
const task = async (id: string) => (await server.admin('GET', `/api/tasks/${id}`)).body;
const FINAL = ['succeeded', 'failed', 'timed_out', 'cancelled'];

async function submit(source: string): Promise<string> {
  const submitted = await server.admin('POST', '/api/admin/parts/import', { source });
  expect(submitted.status).toBe(202);
  return submitted.body.id;
}

async function settled(id: string, timeoutMs = 60_000): Promise<any> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    const t = await task(id);
    if (FINAL.includes(t.state)) return t;
  }
  throw new Error(`task ${id} did not end within ${timeoutMs} ms: ${JSON.stringify(await task(id))}`);
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    const value = await probe();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The row of the last import from `source`. */
const importOf = async (source: string) => (await imports()).find((r) => r.source === source);

describe('a stopped import stops for real and never goes live', () => {
  /** Holds the app database's ranking lock from a connection of the test's own, as a long ranking would. */
  async function holdRankingLock(): Promise<mysql.Connection> {
    const holder = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
    const [[got]] = (await holder.query('SELECT GET_LOCK(?, 30) AS got', [`brickyard_ranking:${server.database.name}`.slice(0, 64)])) as any;
    expect(got.got).toBe(1);
    return holder;
  }
  /** Statements of the server waiting for the ranking lock. */
  const waitingForRankingLock = async () =>
    Number((((await db.query("SELECT COUNT(*) AS n FROM information_schema.processlist WHERE info LIKE 'SELECT GET_LOCK(%brickyard\\_ranking%'")) as any)[0][0].n));
  const rankedAt = async () => String((((await db.query(`SELECT ranked_at FROM \`${server.database.name}\`.ranking_state`)) as any)[0][0].ranked_at));

  test('core.rank cancelled while its statement waits for the ranking lock: the statement is killed, the ranking never runs', { timeout: 60_000 }, async () => {
    const ranked = await rankedAt();
    const holder = await holdRankingLock();
    try {
      const submitted = await server.admin('POST', '/api/admin/parts/rank');
      expect(submitted.status).toBe(202);
      await until('the ranking to wait for its lock', async () => (await waitingForRankingLock()) > 0);
      expect((await server.admin('DELETE', `/api/tasks/${submitted.body.id}`)).body).toMatchObject({ state: 'cancelled' });
      await until('its statement to be killed', async () => (await waitingForRankingLock()) === 0, 2000);
    } finally {
      await holder.end();
    }
    await sleep(1500);
    expect(await rankedAt()).toBe(ranked);
  });

  test('an import cancelled while its ranking waits for a lock: the statement is killed, nothing goes live', { timeout: 60_000 }, async () => {
    const before = await liveNames();
    const holder = await holdRankingLock();
    const source = url('/locked/fast.sql');
    try {
      const id = await submit(source);
      await until('the import to rank before its swap', async () => (await waitingForRankingLock()) > 0);
      expect((await server.admin('DELETE', `/api/tasks/${id}`)).body).toMatchObject({ state: 'cancelled' });
      await until('its statement to be killed', async () => (await waitingForRankingLock()) === 0, 2000);
      const row = await until('the import to be recorded as stopped', async () => ((await importOf(source))?.state === 'failed' ? importOf(source) : undefined), 5000);
      expect(row.error).toBe('the import was stopped: cancelled');
      expect(await workingTables()).toEqual([]);
    } finally {
      await holder.end();
    }
    await sleep(1500);
    expect(await liveNames()).toEqual(before);
  });

  test('cancelled while a slow server sends the dump: the download closes, nothing goes live, the lock is released', { timeout: 60_000 }, async () => {
    const before = await liveNames();
    expect(before).toHaveLength(98); // the demo snapshot
    const source = url('/cancel/slow.sql');
    const id = await submit(source);
    const request = await until('the slow download to start', () => requests.find((r) => r.path === '/cancel/slow.sql'));
    await until('the import to be running', async () => (await task(id)).state === 'running');
    await sleep(2 * SLOW_ROW_MS);
    const cancelled = await server.admin('DELETE', `/api/tasks/${id}`);
    expect(cancelled.body).toMatchObject({ state: 'cancelled' });
    const cancelledAt = Date.now();
    // The admin's own import, at once: it gets the lock as soon as the stopped one has cleaned up.
    const next = await submit(url('/fast.sql'));

    // The download is closed at once, long before the slow server would have finished.
    await until('the download to be closed', () => request.closedAt);
    expect(request.closedAt! - cancelledAt).toBeLessThan(1000);
    expect(request.complete).toBeFalsy();
    expect(await settled(next)).toMatchObject({ state: 'succeeded' });
    expect(await liveNames()).toEqual(['BBa_ADMIN1', 'BBa_ADMIN2', 'BBa_ADMIN3']);
    const row = await importOf(source);
    expect(row).toMatchObject({ state: 'failed', error: 'the import was stopped: cancelled' });
    expect(await workingTables()).toEqual([]);

    // Past the time the slow import would have finished (and ranked, and swapped), it still is not live.
    await sleep(Math.max(0, request.at + SLOW_ROWS * SLOW_ROW_MS + 3000 - Date.now()));
    expect(await liveNames()).toEqual(['BBa_ADMIN1', 'BBa_ADMIN2', 'BBa_ADMIN3']);
    expect(await importOf(source)).toMatchObject({ state: 'failed' });
    expect(await task(id)).toMatchObject({ state: 'cancelled' });
  });

  test('past PARTS_IMPORT_TIMEOUT_MS: it stops the same way, and fails naming the setting', { timeout: 60_000 }, async () => {
    const set = await server.admin('PUT', '/api/admin/config/PARTS_IMPORT_TIMEOUT_MS', { value: 1000 });
    expect(set.status).toBe(200);
    try {
      const before = await liveNames();
      const source = url('/timeout/slow.sql');
      const started = Date.now();
      const id = await submit(source);
      const ended = await settled(id);
      expect(ended).toMatchObject({ state: 'failed', error: 'the import was stopped: its time limit of 1000 ms passed (PARTS_IMPORT_TIMEOUT_MS)' });
      expect(Date.now() - started).toBeLessThan(SLOW_ROWS * SLOW_ROW_MS);
      const request = requests.find((r) => r.path === '/timeout/slow.sql')!;
      await until('the download to be closed', () => request.closedAt);
      expect(request.complete).toBeFalsy();
      expect((await importOf(source))).toMatchObject({ state: 'failed', error: ended.error });
      expect(await workingTables()).toEqual([]);
      await sleep(Math.max(0, request.at + SLOW_ROWS * SLOW_ROW_MS + 3000 - Date.now()));
      expect(await liveNames()).toEqual(before);
    } finally {
      await server.admin('DELETE', '/api/admin/config/PARTS_IMPORT_TIMEOUT_MS');
    }
    // The lock was released: the next import runs.
    expect(await settled(await submit(url('/again/fast.sql')))).toMatchObject({ state: 'succeeded' });
  });
});

describe('limits: each refused naming its setting, the live snapshot untouched, the server serving', () => {
  // [what, path (on the allowed port, unless a port is given), message, whether the server would have sent far more than was read]
  const cases: [string, string | [string, () => number], RegExp, boolean][] = [
    ['a gzip bomb', '/bomb.sql.gz', /^the dump decompresses to more than 100 times its compressed size \(\d+ bytes from \d+\): a gzip bomb\? \(PARTS_IMPORT_MAX_GZIP_RATIO\)$/, false],
    ['an XML tag that never ends, 64 MB of it', '/tag.xml', /^an XML tag starting at line 6 is longer than 2097152 characters \(no ">" ends it\) \(PARTS_IMPORT_MAX_FIELD_BYTES\)$/, true],
    ['an SQL statement with no ";"', '/no-semicolon.sql', /^the SQL statement starting at line 7 is longer than 2097152 bytes \(no ";" ends it\) \(PARTS_IMPORT_MAX_STATEMENT_BYTES\)$/, true],
    ['a download larger than the cap', '/huge.sql', /^the answer from http:\/\/127\.0\.0\.1:\d+\/huge\.sql is larger than 16777216 bytes \(PARTS_IMPORT_MAX_DOWNLOAD_BYTES\)$/, true],
    ['a download slower than the timeout', '/trickle.sql', new RegExp(`^no complete answer from .* within ${DOWNLOAD_TIMEOUT_MS} ms \\(PARTS_IMPORT_DOWNLOAD_TIMEOUT_MS\\)$`), true],
    ['a redirect from the allowed host to another local port', '/redirect.sql', /^127\.0\.0\.1 is a private or local address: fetches go to public hosts only \(PARTS_IMPORT_ALLOWED_HOSTS lists exceptions\)$/, false],
    ['a local URL not in PARTS_IMPORT_ALLOWED_HOSTS', ['/fast.sql', () => otherPort], /^127\.0\.0\.1 is a private or local address: fetches go to public hosts only \(PARTS_IMPORT_ALLOWED_HOSTS lists exceptions\)$/, false],
  ];

  test.each(cases)('%s', { timeout: 60_000 }, async (_what, where, message, streams) => {
    const source = typeof where === 'string' ? url(where) : url(where[0], where[1]());
    const before = await liveNames();
    const count = requests.length;
    const started = Date.now();
    const ended = await settled(await submit(source));
    expect(ended.state).toBe('failed');
    expect(ended.error).toMatch(message);
    expect(Date.now() - started).toBeLessThan(DOWNLOAD_TIMEOUT_MS + 5000);
    expect((await imports())[0]).toMatchObject({ source, state: 'failed' });
    expect(await liveNames()).toEqual(before);
    expect(await workingTables()).toEqual([]);
    const mine = requests.slice(count);
    if (streams) {
      // The download was closed as soon as the import stopped, not left to run or time out.
      await until('its download to be closed', () => mine.every((r) => r.closedAt), 3000);
      expect(mine.some((r) => r.complete)).toBe(false);
    }
    // Nothing reached the other port: the redirect was not followed, the local URL not fetched.
    expect(mine.filter((r) => r.path === '/fast.sql')).toEqual([]);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  });
});
