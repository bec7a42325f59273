import { BrowserSession, startTestServer, WsProbe, writePlugin, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The operator console's live side (issue 14, item 2): metrics in every heartbeat, the reloads
// with the processes each waited for, and the platform's event record, pushed to admins only.
// A real cluster: two HTTP workers, a job worker and the primary.
let server: TestServer;
let pluginsDir: string;

beforeAll(async () => {
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-events-'));
  writePlugin(pluginsDir, 'good', {}, 'still here');
  server = await startTestServer({ pluginsDir, workers: 2, env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '1' } });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  fs.rmSync(pluginsDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function events(query = 'per_page=100'): Promise<any[]> {
  const answer = await server.admin('GET', `/api/admin/events?${query}`);
  expect(answer.status).toBe(200);
  return answer.body.items;
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, withinMs = 20_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await sleep(200);
    value = await read();
  }
  return value;
}

async function finished(id: string): Promise<any> {
  return until(
    async () => (await server.admin('GET', `/api/tasks/${id}`)).body,
    (task) => ['succeeded', 'failed', 'timed_out', 'cancelled'].includes(task?.state),
    60_000,
  );
}

const adminSocket = () => WsProbe.wrap(new WebSocket(server.wsUrl, { headers: { authorization: `Bearer ${server.adminToken}` } }));
const socketOf = (browser?: BrowserSession) => WsProbe.wrap(new WebSocket(server.wsUrl, browser ? { headers: { cookie: browser.header() } } : {}));

describe('processes', () => {
  test('every process reports plausible metrics: CPU, memory, event-loop lag, uptime; the primary is listed as such', async () => {
    // The server answers once its HTTP workers serve; the job worker may still be starting. Then one heartbeat
    // more, so every entry is measured over a full interval.
    await until(async () => (await server.admin('GET', '/api/admin/processes')).body as any[], (list) => list.length === 4);
    await sleep(2500);
    const answer = await server.admin('GET', '/api/admin/processes');
    expect(answer.status).toBe(200);
    const processes = answer.body as any[];
    expect(processes.map((p) => p.role).sort()).toEqual(['http', 'http', 'job', 'primary']);
    expect(processes.find((p) => p.role === 'primary').pid).toBe(server.pid);
    for (const p of processes) {
      const m = p.metrics;
      expect(m, `metrics of ${p.role} ${p.pid}`).toBeDefined();
      expect(m.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(m.cpuPercent).toBeLessThan(800);
      expect(m.rssBytes).toBeGreaterThan(20 * 2 ** 20);
      expect(m.rssBytes).toBeLessThan(4 * 2 ** 30);
      expect(m.heapUsedBytes).toBeGreaterThan(2 ** 20);
      expect(m.heapUsedBytes).toBeLessThan(m.rssBytes);
      expect(m.loopLagMeanMs).toBeGreaterThanOrEqual(0);
      expect(m.loopLagP99Ms).toBeGreaterThanOrEqual(m.loopLagMeanMs);
      expect(m.loopLagP99Ms).toBeLessThan(5000);
      expect(m.uptimeSeconds).toBeGreaterThanOrEqual(0);
      expect(m.uptimeSeconds).toBeLessThan(600);
      expect(m.startedAt).toBeLessThanOrEqual(Date.now());
      expect(Math.abs(Date.now() - m.uptimeSeconds * 1000 - m.startedAt)).toBeLessThan(15_000);
    }
  });

  test('a reload is kept with every process it waited for, when each converged, and who asked', async () => {
    const processes = (await server.admin('GET', '/api/admin/processes')).body as any[];
    const report = (await server.admin('POST', '/api/admin/reload')).body;
    expect(report.ok).toBe(true);
    const answer = await server.admin('GET', '/api/admin/reloads');
    expect(answer.status).toBe(200);
    const [last] = answer.body.reloads;
    expect(last).toMatchObject({ generation: report.generation, reason: 'admin reload', requestedBy: 'admin', ok: true, durationMs: report.durationMs });
    // Waited for every HTTP and job process, never for the primary.
    const waitedFor = processes.filter((p) => p.role !== 'primary').map((p) => p.id).sort();
    expect(last.processes.map((p: any) => p.id).sort()).toEqual(waitedFor);
    for (const p of last.processes) {
      expect(p.outcome).toBe('converged');
      expect(p.ms).toBeGreaterThanOrEqual(0);
      expect(p.ms).toBeLessThanOrEqual(last.durationMs);
    }
    // In reply order.
    const times = last.processes.map((p: any) => p.ms);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // And it is a platform event, with its outcome.
    const [event] = await events('kind=reload&per_page=1');
    expect(event).toMatchObject({ kind: 'reload', outcome: 'succeeded', subject: `generation ${report.generation}`, actor: 'admin' });
    expect(event.message).toMatch(new RegExp(`^Reload to generation ${report.generation} \\(admin reload\\): 3 processes in \\d+ ms$`));
  });

  test('a signal to the primary is kept too, asked by the signal', async () => {
    const before = (await server.admin('GET', '/api/admin/reloads')).body.reloads.length;
    process.kill(server.pid, 'SIGUSR1');
    const reloads = await until(async () => (await server.admin('GET', '/api/admin/reloads')).body.reloads, (list) => list.length > before);
    expect(reloads[0]).toMatchObject({ reason: 'SIGUSR1', requestedBy: 'SIGUSR1', ok: true });
    expect(reloads[0].processes).toHaveLength(3);
    const recorded = await until(() => events('kind=reload&per_page=1'), ([e]) => e?.subject === `generation ${reloads[0].generation}`);
    expect(recorded[0].message).toMatch(/\(SIGUSR1\)/);
  });
});

describe('platform events', () => {
  test('a broken plugin is recorded once, with file and line, however many processes refuse it, and not again while unchanged', async () => {
    writePlugin(pluginsDir, 'broken', { 'server/index.ts': `import { definePlugin } from '@brickyard/sdk';\nexport default definePlugin({ module: ;\n` });
    const report = (await server.admin('POST', '/api/admin/reload')).body;
    expect(report.errors).toEqual([{ plugin: 'broken', error: 'cannot compile server/index.ts:2:1: Expression expected' }]);
    expect(report.converged).toHaveLength(3); // three processes refused it
    const failures = await until(() => events('kind=plugin-failure'), (list) => list.length > 0);
    await sleep(500); // any late duplicate would have landed
    const broken = (await events('kind=plugin-failure')).filter((e) => e.subject === 'broken');
    expect(broken).toHaveLength(1);
    expect(failures[0]).toMatchObject({ kind: 'plugin-failure', outcome: 'failed', subject: 'broken', detail: { plugin: 'broken', error: 'cannot compile server/index.ts:2:1: Expression expected' } });
    expect(failures[0].message).toBe('Plugin broken 1.0.0 refused: cannot compile server/index.ts:2:1: Expression expected');
    // The reload itself says plugins were refused.
    const [reload] = await events('kind=reload&per_page=1');
    expect(reload).toMatchObject({ outcome: 'warning' });
    expect(reload.message).toMatch(/refused: broken$/);

    // Reloaded again, unchanged: the same failure, not a new one.
    await server.admin('POST', '/api/admin/reload');
    await sleep(500);
    expect((await events('kind=plugin-failure')).filter((e) => e.subject === 'broken')).toHaveLength(1);
    fs.rmSync(path.join(pluginsDir, 'broken'), { recursive: true });
    await server.admin('POST', '/api/admin/reload');
  });

  test('a snapshot import and a ranking run are recorded: started, then done with a summary; a failed import with its reason', { timeout: 120_000 }, async () => {
    const imported = await server.admin('POST', '/api/tasks', { kind: 'core.parts-import', params: { source: 'demo' } });
    expect(imported.status).toBe(201);
    expect((await finished(imported.body.id)).state).toBe('succeeded');
    const ranked = await server.admin('POST', '/api/tasks', { kind: 'core.rank', params: {} });
    expect((await finished(ranked.body.id)).state).toBe('succeeded');
    const missing = await server.admin('POST', '/api/tasks', { kind: 'core.parts-import', params: { source: '/nowhere/dump.sql' } });
    const failedTask = await finished(missing.body.id);
    expect(failedTask.state).toBe('failed');

    const of = async (id: string, count: number) => (await until(() => events(), (list) => list.filter((e) => e.subject === id).length >= count)).filter((e) => e.subject === id).reverse();
    const importEvents = await of(imported.body.id, 2);
    expect(importEvents.map((e) => [e.kind, e.outcome])).toEqual([['import', 'started'], ['import', 'succeeded']]);
    expect(importEvents[0].message).toBe(`Snapshot import started from demo (task ${imported.body.id})`);
    expect(importEvents[1].message).toMatch(/^Snapshot import done: [\d,]+ parts live \([\d,]+ added, [\d,]+ removed, [\d,]+ changed\) in [\d,]+ ms$/);
    expect(importEvents[1].actor).toBe('admin');

    const rankEvents = await of(ranked.body.id, 2);
    expect(rankEvents.map((e) => [e.kind, e.outcome])).toEqual([['ranking', 'started'], ['ranking', 'succeeded']]);
    expect(rankEvents[1].message).toMatch(/^Ranking done: [\d,]+ parts ranked with \w+ \([\d,]+ weights written\) in [\d,]+ ms$/);

    const failedEvents = await of(missing.body.id, 2);
    expect(failedEvents.map((e) => e.outcome)).toEqual(['started', 'failed']);
    expect(failedEvents[1].message).toBe(`Snapshot import failed: ${failedTask.error}`);
    expect(failedTask.error).toBeTruthy();
  });

  test('the scheduled ranking (job workers submit core.rank on their own) is recorded too', { timeout: 90_000 }, async () => {
    // The parts plugin's schedule ticks a minute after the job worker mounted it, and the first tick is due.
    const scheduled = await until(() => events('kind=ranking&per_page=100'), (list) => list.some((e) => e.actor === 'plugin:parts' && e.outcome !== 'started'), 80_000);
    const runs = scheduled.filter((e) => e.actor === 'plugin:parts').reverse();
    expect(runs[0]).toMatchObject({ kind: 'ranking', outcome: 'started' });
    expect(runs[0].message).toMatch(/^Scheduled ranking started \(task [\w-]+\)$/);
    expect(runs[1]).toMatchObject({ kind: 'ranking', outcome: 'succeeded', subject: runs[0].subject });
    expect(runs[1].message).toMatch(/^Ranking done: /);
  });

  test('events page newest first', async () => {
    const first = (await server.admin('GET', '/api/admin/events?per_page=2&page=1')).body;
    const second = (await server.admin('GET', '/api/admin/events?per_page=2&page=2')).body;
    expect(first).toMatchObject({ page: 1, per_page: 2 });
    expect(first.total).toBeGreaterThan(4);
    expect(first.items).toHaveLength(2);
    const ids = [...first.items, ...second.items].map((e: any) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(4);
  });

  test('the live frame reaches an admin socket, and never a user\'s or an anonymous one, who may not subscribe', async () => {
    const user = new BrowserSession(server.url);
    expect((await user.register('plain_watcher')).status).toBe(201);
    const admin = adminSocket();
    const plain = socketOf(user);
    const anonymous = socketOf();
    for (const socket of [admin, plain, anonymous]) await socket.next((f) => f.handler === 'welcome');

    expect(await admin.request({ handler: 'subscribe', data: { topic: 'admin:events' }, id: 'a' }, 'a')).toMatchObject({ handler: 'subscribe', data: { topic: 'admin:events' } });
    for (const socket of [plain, anonymous]) {
      const refused = await socket.request({ handler: 'subscribe', data: { topic: 'admin:events' }, id: 'r' }, 'r');
      expect(refused).toMatchObject({ handler: 'error', data: { code: 'forbidden', message: 'admin:events is followed by admins only' } });
    }

    const report = (await server.admin('POST', '/api/admin/reload')).body;
    const frame = await admin.next((f) => f.handler === 'admin.event', 10_000);
    expect(frame.data).toMatchObject({ kind: 'reload', outcome: 'succeeded', subject: `generation ${report.generation}` });
    await sleep(500);
    for (const socket of [plain, anonymous]) expect(socket.frames.filter((f) => f.handler === 'admin.event')).toEqual([]);
    for (const socket of [admin, plain, anonymous]) socket.socket.close();
  });
});

describe('who may read them', () => {
  test('anonymous callers get 401, signed-in users 403, bad paging 400 with what is allowed', async () => {
    const user = new BrowserSession(server.url);
    expect((await user.register('plain_reader')).status).toBe(201);
    for (const route of ['/api/admin/events', '/api/admin/reloads', '/api/admin/processes']) {
      const anonymous = await fetch(server.url + route);
      expect(anonymous.status, route).toBe(401);
      const plain = await user.call('GET', route);
      expect(plain.status, route).toBe(403);
      expect(plain.body.message).toMatch(/for admins/);
    }
    const tooMany = await server.admin('GET', '/api/admin/events?per_page=1000');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/^invalid query: per_page: .*\(page ≥ 1, per_page 1 to 100, kind one of reload, plugin-failure, import, ranking\)$/);
    const badKind = await server.admin('GET', '/api/admin/events?kind=nonsense');
    expect(badKind.status).toBe(400);
    expect(badKind.body.message).toMatch(/kind/);
    // No plugin may be granted the new routes' paths.
    for (const capability of ['routes:/api/admin/events', 'routes:/api/admin/reloads']) {
      const refused = await server.admin('POST', '/api/admin/plugins/good/grants', { capability });
      expect(refused.status, capability).toBe(400);
    }
    const badLimit = await server.admin('GET', '/api/admin/reloads?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.message).toMatch(/limit 1 to 20/);
  });
});
