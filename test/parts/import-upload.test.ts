import { writeSyntheticDumpFile } from '@brickyard/parts';
import { BrowserSession, startTestServer, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Dumps uploaded to the console (POST /api/admin/parts/import/upload) against a real server, MySQL and job
// worker: an upload imports and its diff is listed; refusals come before any import and leave the live snapshot
// and the upload folder as they were; a failed import keeps its file.
const MAX_BYTES = 2_000_000;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-upload-'));
let server: TestServer;
let uploads: string;

beforeAll(async () => {
  server = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true', JOB_WORKERS: '1', PARTS_UPLOAD_MAX_BYTES: String(MAX_BYTES) } });
  uploads = path.join(server.home, 'snapshot-uploads');
}, 120_000);
afterAll(async () => {
  const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  await db.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db.end();
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const form = (bytes: Buffer, filename: string, fields: Record<string, string> = {}) => {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  body.append('file', new Blob([new Uint8Array(bytes)]), filename);
  return body;
};
const asAdmin = async (method: string, route: string, body?: FormData) => {
  const response = await fetch(server.url + route, { method, body, headers: { authorization: `Bearer ${server.adminToken}` } });
  return { status: response.status, body: (await response.json()) as any };
};
async function finished(id: string): Promise<any> {
  for (let i = 0; i < 900; i++) {
    const task = (await server.admin('GET', `/api/tasks/${id}`)).body;
    if (!['queued', 'running'].includes(task.state)) return task;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`task ${id} did not finish`);
}
const liveNames = async () => {
  const all: string[] = [];
  for (let page = 1; ; page++) {
    const body = (await (await fetch(`${server.url}/api/parts?sort=name&max_results=100&page=${page}`)).json()) as any;
    all.push(...body.items.map((p: any) => p.part_name));
    if (!body.links.next) return all;
  }
};
const importCount = async () => (await server.admin('GET', '/api/admin/parts/imports')).body.length;
const uploadFolder = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads) : []);

describe('who may use the snapshot routes', () => {
  const routes: [string, string][] = [
    ['POST', '/api/admin/parts/import/upload'],
    ['GET', '/api/admin/parts/imports/1/diff?change=added'],
    ['GET', '/api/admin/parts/snapshot'],
    ['GET', '/api/admin/parts/imports'],
    ['POST', '/api/admin/parts/rank'],
  ];

  test('anonymous callers get 401 and signed-in non-admins 403, an upload included, and nothing is written', async () => {
    const dump = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'data', 'demo', 'parts-demo.sql.gz'));
    const anonymous = new BrowserSession(server.url);
    const member = new BrowserSession(server.url);
    expect((await member.register('member')).status).toBeLessThan(300);
    for (const [method, route] of routes) {
      const body = method === 'POST' && route.endsWith('upload') ? form(dump, 'parts.sql.gz') : undefined;
      const refusedAnonymous = await anonymous.call(method, route, body);
      expect({ route, status: refusedAnonymous.status }).toEqual({ route, status: 401 });
      const refusedMember = await member.call(method, route, body);
      expect({ route, status: refusedMember.status }).toEqual({ route, status: 403 });
      expect(refusedMember.body.message).toMatch(/admins/);
    }
    expect(uploadFolder()).toEqual([]);
  });
});

describe('an uploaded dump', () => {
  let task: any;
  let before: string[];

  beforeAll(async () => {
    before = await liveNames();
    const file = path.join(work, 'synthetic.sql.gz');
    await writeSyntheticDumpFile(file, { parts: 600, format: 'sql', seed: 5 });
    const submitted = await asAdmin('POST', '/api/admin/parts/import/upload', form(fs.readFileSync(file), 'registry dump.sql.gz', { abortOnMalformed: 'false' }));
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ kind: 'core.parts-import', upload: { filename: 'registry dump.sql.gz', bytes: fs.statSync(file).size } });
    expect(submitted.body.params.source.startsWith(uploads + path.sep)).toBe(true);
    expect(submitted.body.params.source).toMatch(/registry_dump\.sql\.gz$/);
    task = await finished(submitted.body.id);
  }, 300_000);

  test('is imported by the task, then deleted; the history says it was an upload', async () => {
    expect(task).toMatchObject({ state: 'succeeded', progress: 100 });
    expect(task.result.partsRead).toBe(600);
    expect(uploadFolder()).toEqual([]);
    const [latest] = (await server.admin('GET', '/api/admin/parts/imports')).body;
    expect(latest).toMatchObject({ id: task.result.importId, state: 'succeeded', origin: 'upload', parts_live: task.result.partsLive });
    const status = (await server.admin('GET', '/api/admin/parts/snapshot')).body;
    expect(status).toMatchObject({ parts_live: task.result.partsLive, last_import: { id: task.result.importId }, running_import: null });
    expect(status.ranking).toMatchObject({ parts: task.result.partsLive });
  });

  test('its diff lists the names added, removed and changed, a page at a time', async () => {
    const { importId, added, removed } = task.result;
    expect(removed).toBe(before.length); // none of the demo parts is in a synthetic dump
    const first = (await server.admin('GET', `/api/admin/parts/imports/${importId}/diff?change=added&per_page=50`)).body;
    expect(first).toMatchObject({ import_id: importId, change: 'added', page: 1, per_page: 50, total: added, counts: { added, removed, changed: 0 } });
    expect(first.names).toHaveLength(50);
    expect(first.names).toEqual([...first.names].sort());
    const second = (await server.admin('GET', `/api/admin/parts/imports/${importId}/diff?change=added&per_page=50&page=2`)).body;
    expect(second.names[0] > first.names[49]).toBe(true);
    const live = new Set(await liveNames());
    for (const name of [...first.names, ...second.names]) expect(live.has(name)).toBe(true);
    const gone = (await server.admin('GET', `/api/admin/parts/imports/${importId}/diff?change=removed&per_page=200`)).body;
    expect(gone.names).toEqual([...before].sort());
  });

  test('a diff asked badly is refused with what to send', async () => {
    const bad = await server.admin('GET', `/api/admin/parts/imports/${task.result.importId}/diff?change=renamed`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/change must be added, removed or changed/);
    const missing = await server.admin('GET', '/api/admin/parts/imports/99999/diff?change=added');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/no import 99999/);
  });
});

test('the format comes from the content, not the name: an XML dump called .txt is imported as XML', async () => {
  const file = path.join(work, 'parts.xml');
  await writeSyntheticDumpFile(file, { parts: 200, format: 'xml', seed: 8 });
  const submitted = await asAdmin('POST', '/api/admin/parts/import/upload', form(fs.readFileSync(file), 'export from the registry.txt'));
  expect(submitted.status).toBe(202);
  expect(submitted.body.params.source).toMatch(/-export_from_the_registry\.xml$/);
  const task = await finished(submitted.body.id);
  expect(task).toMatchObject({ state: 'succeeded', result: { partsRead: 200 } });
  expect(uploadFolder()).toEqual([]);
}, 120_000);

describe('refused uploads', () => {
  test('a file that is not a dump is refused before any import, saying what a dump is', async () => {
    const live = await liveNames();
    const count = await importCount();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    for (const [bytes, name, said] of [
      [png, 'parts.sql', /not text/],
      [Buffer.from('name,sequence\nBBa_X,acgt\n'), 'parts.sql', /neither an SQL dump nor an XML dump \(it starts with “name,sequence”/],
      [zlib.gzipSync(Buffer.from('just some notes\n')), 'parts.sql.gz', /neither an SQL dump nor an XML dump/],
      [Buffer.from('PK\x03\x04zipped', 'latin1'), 'parts.zip', /zip archive: unzip it/],
      [Buffer.alloc(0), 'empty.sql', /empty/],
    ] as const) {
      const refused = await asAdmin('POST', '/api/admin/parts/import/upload', form(bytes, name));
      expect({ name, status: refused.status }).toEqual({ name, status: 400 });
      expect(refused.body.message).toMatch(said);
      expect(refused.body.message).toMatch(/Upload a Registry dump: \.sql or \.xml, optionally \.gz/);
    }
    const noFile = await asAdmin('POST', '/api/admin/parts/import/upload', (() => { const f = new FormData(); f.append('abortOnMalformed', 'true'); return f; })());
    expect(noFile.status).toBe(400);
    expect(noFile.body.message).toMatch(/no file in the form field "file"/);
    const json = await server.admin('POST', '/api/admin/parts/import/upload', { source: 'demo' });
    expect(json.status).toBe(400);
    expect(json.body.message).toMatch(/multipart\/form-data/);
    expect(uploadFolder()).toEqual([]);
    expect(await importCount()).toBe(count);
    expect(await liveNames()).toEqual(live);
  });

  test('a file over PARTS_UPLOAD_MAX_BYTES is 413, whether its size is announced or streamed, and nothing is kept', async () => {
    const live = await liveNames();
    const count = await importCount();
    const big = Buffer.concat([Buffer.from('-- MySQL dump\n'), Buffer.alloc(MAX_BYTES, 0x20)]);
    const announced = await asAdmin('POST', '/api/admin/parts/import/upload', form(big, 'big.sql'));
    expect(announced.status).toBe(413);
    expect(announced.body.message).toMatch(new RegExp(`larger than ${MAX_BYTES} bytes, the limit \\(PARTS_UPLOAD_MAX_BYTES\\)`));

    // Chunked, without a Content-Length: the limit stops the stream as it is written.
    const boundary = 'brickyard-test-boundary';
    const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.sql"\r\ncontent-type: application/octet-stream\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const streamed = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const request = http.request(`${server.url}/api/admin/parts/import/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
      });
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
      });
      request.on('error', reject);
      request.write(head);
      for (let sent = 0; sent < big.length; sent += 64 * 1024) request.write(big.subarray(sent, sent + 64 * 1024));
      request.end(tail);
    });
    expect(streamed.status).toBe(413);
    expect(streamed.body.message).toMatch(/PARTS_UPLOAD_MAX_BYTES/);
    await new Promise((r) => setTimeout(r, 300)); // the partial file's removal is not awaited by the answer
    expect(uploadFolder()).toEqual([]);
    expect(await importCount()).toBe(count);
    expect(await liveNames()).toEqual(live);
  });

  test('an upload whose import fails leaves the live snapshot as it was and keeps the file', async () => {
    const live = await liveNames();
    const dump =
      'CREATE TABLE `parts` (\n  `part_id` int(11),\n  `part_name` varchar(255),\n  `status` varchar(20),\n  `sequence` longtext\n);\n' +
      "INSERT INTO `parts` VALUES (1,'BBa_OK1','Available','acgtacgtacgtacgt'),(2,'BBa_BAD','Available');\n";
    const submitted = await asAdmin('POST', '/api/admin/parts/import/upload', form(Buffer.from(dump), 'bad.sql', { abortOnMalformed: 'true' }));
    expect(submitted.status).toBe(202);
    const task = await finished(submitted.body.id);
    expect(task.state).toBe('failed');
    expect(task.error).toMatch(/import aborted at the first malformed row/);
    expect(await liveNames()).toEqual(live);
    const kept = uploadFolder();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/-bad\.sql$/);
    expect(fs.readFileSync(path.join(uploads, kept[0]!), 'utf8')).toBe(dump);
    const [latest] = (await server.admin('GET', '/api/admin/parts/imports')).body;
    expect(latest).toMatchObject({ state: 'failed', origin: 'upload', source: path.join(uploads, kept[0]!) });

    const badFlag = await asAdmin('POST', '/api/admin/parts/import/upload', form(Buffer.from(dump), 'bad.sql', { abortOnMalformed: 'yes' }));
    expect(badFlag.status).toBe(400);
    expect(badFlag.body.message).toMatch(/abortOnMalformed must be true or false/);
    expect(uploadFolder()).toEqual(kept);
  }, 120_000);
});
