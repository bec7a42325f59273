import { startTestServer, writePlugin, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

// Two servers (as on two hosts: own home, own port, own plugin folder copy) on
// one database and one Redis form one cluster: a reload on one reaches the other.
let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  const pluginsA = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-host-a-'));
  const pluginsB = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-host-b-'));
  for (const dir of [pluginsA, pluginsB]) writePlugin(dir, 'shared', {}, 'shared');
  first = await startTestServer({ pluginsDir: pluginsA, env: { PLUGINS_WATCH: 'false' } });
  second = await startTestServer({ pluginsDir: pluginsB, database: first.database, env: { PLUGINS_WATCH: 'false' } });
});
afterAll(async () => {
  await second?.stop({ keepData: true });
  await first?.stop();
});

test('disabling a plugin through one host removes it on the other; the reply names every process', async () => {
  expect((await fetch(`${second.url}/api/plugins/shared`)).status).toBe(200);
  const reply = await first.admin('POST', '/api/admin/plugins/shared/disable');
  expect(reply.status).toBe(200);
  const pids = reply.body.reload.converged.map((p: { pid: number }) => p.pid).sort();
  const workerPids = [(await (await fetch(`${first.url}/api/health`)).json()) as any, (await (await fetch(`${second.url}/api/health`)).json()) as any]
    .map((h) => h.pid)
    .sort();
  expect(pids).toEqual(workerPids);
  expect((await fetch(`${second.url}/api/plugins/shared`)).status).toBe(404);
  expect((await fetch(`${first.url}/api/plugins/shared`)).status).toBe(404);
});

test('a process that stops answering is reported by name, with the reason', async () => {
  const reply = await first.admin('PUT', '/api/admin/config/RELOAD_TIMEOUT_MS', { value: 1500 });
  expect(reply.status).toBe(200);
  const health: any = await (await fetch(`${second.url}/api/health`)).json();
  process.kill(health.pid, 'SIGSTOP'); // frozen: still registered (for a few heartbeats), cannot reply
  try {
    const again = await first.admin('POST', '/api/admin/reload');
    expect(again.body.ok).toBe(false);
    expect(again.body.notConverged).toEqual([
      expect.objectContaining({ pid: health.pid, reason: expect.stringMatching(/^no reply within 1500 ms/) }),
    ]);
  } finally {
    process.kill(health.pid, 'SIGCONT');
  }
});

test('a process that stops beating during a reload is reported as departed, and the reload does not wait for it until the timeout', { timeout: 60_000 }, async () => {
  expect((await first.admin('PUT', '/api/admin/config/RELOAD_TIMEOUT_MS', { value: 30_000 })).status).toBe(200);
  const health: any = await (await fetch(`${second.url}/api/health`)).json();
  process.kill(health.pid, 'SIGSTOP'); // as a process that died between two heartbeats: registered, silent
  try {
    const started = Date.now();
    const again = await first.admin('POST', '/api/admin/reload');
    expect(Date.now() - started).toBeLessThan(20_000); // its entry goes stale after three missed heartbeats (6 s)
    expect(again.body).toMatchObject({ ok: true, notConverged: [], departed: [expect.objectContaining({ pid: health.pid })] });
  } finally {
    process.kill(health.pid, 'SIGCONT');
    await first.admin('DELETE', '/api/admin/config/RELOAD_TIMEOUT_MS');
  }
});
