import { startTestServer, writePlugin, WsProbe, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';

// The refusals a security review asked for: admin and platform tasks are no one
// else's to read, follow or cancel, and fill no one's quota; secrets in a task's
// URL are never shown back; payloads and submissions are bounded; websockets
// check the page's origin, ids are unguessable, a task's topic is its owner's.
let server: TestServer;

beforeAll(async () => {
  const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-task-security-'));
  writePlugin(pluginsDir, 'lab', {
    'server/index.ts': `
      import { definePlugin, defineTask } from '@brickyard/sdk';
      import { Module } from '@nestjs/common';
      @Module({}) class LabModule {}
      export default definePlugin({ module: LabModule, tasks: {
        bulky: defineTask({ access: 'anyone', run: () => ({ text: 'x'.repeat(5000) }) }),
        nap: defineTask({ access: 'anyone', run: async () => { await new Promise((r) => setTimeout(r, 60_000)); } }),
      } });`,
  });
  server = await startTestServer({
    pluginsDir,
    env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '1', TASKS_PER_USER_LIMIT: '5', TASKS_MAX_PAYLOAD_BYTES: '2048', TASKS_SUBMISSIONS_PER_MINUTE: '12', WS_MAX_TOPICS: '3' },
  });
});
afterAll(() => server?.stop());

const submit = async (kind: string, params: unknown, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) => {
  const response = await fetch(`${server.url}/api/tasks`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ kind, params, ...extra }) });
  return { status: response.status, body: (await response.json()) as any };
};
const adminTask = async (id: string) => (await server.admin('GET', `/api/tasks/${id}`)).body;
async function ended(id: string) {
  for (let i = 0; i < 200; i++) {
    const task = await adminTask(id);
    if (!['queued', 'running'].includes(task.state)) return task;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${id} did not end`);
}

describe('admin and platform tasks', () => {
  test("an admin's import is the admin's: not readable, cancellable or followable by anyone else, its URL's secrets never shown", async () => {
    const source = 'http://user:hunter2@127.0.0.1:9/dump.sql?token=s3cret&x=1';
    const imported = await server.admin('POST', '/api/admin/parts/import', { source });
    expect(imported.status).toBe(202);
    expect(imported.body.owner).toBe('admin');
    expect(JSON.stringify(imported.body), JSON.stringify(imported.body)).not.toMatch(/hunter2|s3cret/);
    const id = imported.body.id;
    expect((await fetch(`${server.url}/api/tasks/${id}`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/tasks/${id}`, { method: 'DELETE' })).status).toBe(404);
    const socket = await WsProbe.open(server.wsUrl);
    const refused = await socket.request({ handler: 'subscribe', data: { topic: `task:${id}` }, id: 's' }, 's');
    expect(refused).toMatchObject({ handler: 'error', data: { code: 'forbidden' } });
    socket.close();
    const done = await ended(id);
    expect(done.state).toBe('failed'); // nothing listens on port 9
    expect(JSON.stringify(done)).not.toMatch(/hunter2|s3cret/);
    expect(done.params.source).toBe('http://***:***@127.0.0.1:9/dump.sql?token=***&x=***');
    const history = JSON.stringify((await server.admin('GET', '/api/admin/parts/imports')).body);
    expect(history).not.toMatch(/hunter2|s3cret/);
  });

  test('anonymous tasks filling their quota do not stop the admin or the scheduled ranking', async () => {
    const naps = await Promise.all(Array.from({ length: 5 }, () => submit('lab.nap', {})));
    try {
      expect(naps.map((n) => n.status)).toEqual([201, 201, 201, 201, 201]);
      const over = await submit('lab.nap', {});
      expect(over).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
      // The admin's ranking is outside every quota, and runs on its own queue while anyone's naps keep the default one busy.
      const rank = await server.admin('POST', '/api/admin/parts/rank');
      expect(rank.status).toBe(202);
      expect(rank.body.queue).toBe('snapshot');
      expect((await ended(rank.body.id)).state).toBe('succeeded');
    } finally {
      for (const nap of naps) await fetch(`${server.url}/api/tasks/${nap.body.id}`, { method: 'DELETE' });
    }
  });
});

describe('bounded payloads and submissions', () => {
  test('params over TASKS_MAX_PAYLOAD_BYTES are refused with 413 and stored nowhere; a result over it fails the task', async () => {
    const big = await submit('core.noop', { echo: 'x'.repeat(3000) });
    expect(big).toMatchObject({ status: 413, body: { code: 'payload_too_large', message: expect.stringMatching(/limit is 2048 \(TASKS_MAX_PAYLOAD_BYTES\)/) } });
    const listed = (await server.admin('GET', '/api/admin/tasks?kind=core.noop')).body.tasks;
    expect(listed.some((t: any) => JSON.stringify(t.params).length > 2048)).toBe(false);
    const bulky = await submit('lab.bulky', {});
    const done = await ended(bulky.body.id);
    expect(done).toMatchObject({ state: 'failed', result: null, error: expect.stringMatching(/^its result is \d+ bytes as JSON; the limit is 2048/) });
  });

  test('an owner may submit TASKS_SUBMISSIONS_PER_MINUTE tasks a minute; the admin is not counted', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await submit('core.noop', {})).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const refused = await submit('core.noop', {});
    expect(refused.body).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/TASKS_SUBMISSIONS_PER_MINUTE/) });
    const admin = await submit('core.noop', {}, { authorization: `Bearer ${server.adminToken}` });
    expect(admin.status).toBe(201);
  });
});

describe('websockets', () => {
  const open = (headers: Record<string, string>) =>
    new Promise<{ status?: number; probe?: WsProbe }>((resolve) => {
      const socket = new WebSocket(server.wsUrl, { headers });
      const probe = WsProbe.wrap(socket);
      socket.once('open', () => resolve({ probe }));
      socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
      socket.once('error', () => {});
    });

  test("a page of another origin cannot open a websocket; the server's own origin can", async () => {
    expect((await open({ origin: 'http://evil.example' })).status).toBe(403);
    const own = await open({ origin: `http://127.0.0.1:${server.port}` });
    expect(own.probe).toBeDefined();
    own.probe!.close();
  });

  test('socket ids are random and tell nothing; a task may name only its caller\'s own socket', async () => {
    const socket = await WsProbe.open(server.wsUrl);
    const welcome = await socket.next((f) => f.handler === 'welcome');
    expect(welcome.data.socketId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.stringify(welcome)).not.toContain(String(server.pid));
    const admin = (await open({ authorization: `Bearer ${server.adminToken}` })).probe!;
    const adminSocket = (await admin.next((f) => f.handler === 'welcome')).data.socketId;
    const hijack = await submit('core.noop', {}, {}, { socketId: adminSocket });
    expect(hijack).toMatchObject({ status: 400, body: { code: 'invalid_params', message: expect.stringMatching(/not one of your open websockets/) } });
    const made = await submit('core.noop', {}, { authorization: `Bearer ${server.adminToken}` }, { socketId: 'made-up' });
    expect(made.status).toBe(400);
    const own = await submit('core.noop', {}, { authorization: `Bearer ${server.adminToken}` }, { socketId: adminSocket });
    expect(own.status).toBe(201);
    await admin.next((f) => f.handler === 'task' && f.data.id === own.body.id);
    socket.close();
    admin.close();
  });

  test('a connection follows at most WS_MAX_TOPICS topics', async () => {
    const socket = await WsProbe.open(server.wsUrl);
    for (let i = 0; i < 3; i++) expect((await socket.request({ handler: 'subscribe', data: { topic: `lab:${i}` }, id: `s${i}` }, `s${i}`)).data).toEqual({ topic: `lab:${i}` });
    const fourth = await socket.request({ handler: 'subscribe', data: { topic: 'lab:3' }, id: 's3' }, 's3');
    expect(fourth).toMatchObject({ handler: 'error', data: { code: 'rate_limited', message: expect.stringMatching(/at most 3 topics \(WS_MAX_TOPICS\)/) } });
    socket.close();
  });
});
