import { startTestServer, writePlugin, WsProbe, type TestServer } from '@brickyard/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

// Background tasks end to end: a real job worker (forked by the primary), BullMQ
// on the real Redis, progress over the websocket.
const root = path.resolve(import.meta.dirname, '..', '..');
let server: TestServer;
const extraWorkers: ChildProcess[] = [];

beforeAll(async () => {
  const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-tasks-'));
  fs.cpSync(path.join(root, 'plugins', 'hello'), path.join(pluginsDir, 'hello'), { recursive: true });
  writePlugin(pluginsDir, 'lab', {
    'server/index.ts': `
      import { definePlugin, defineSetting, defineTask, text } from '@brickyard/sdk';
      import { Module } from '@nestjs/common';
      import { spawn } from 'node:child_process';
      @Module({}) class LabModule {}
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      export default definePlugin({ module: LabModule, settings: { LAB_FLAVOUR: defineSetting({ description: 'a flavour', schema: text(), default: 'vanilla' }) }, tasks: {
        keeper: defineTask({ access: 'anyone', isolated: true, run: async (p: { value: string }, c) => {
          await c.plugin!.store.set('kept', p.value.repeat(3));
          let denied = '';
          try { c.plugin!.database(); } catch (error) { denied = (error as Error).message; }
          const kept = await c.plugin!.store.get('kept');
          return { kept: kept === p.value.repeat(3) ? kept.length : kept, flavour: c.plugin!.settings.get('LAB_FLAVOUR'), denied };
        } }),
        parent: defineTask({ access: 'anyone', isolated: true, timeoutMs: 60_000, run: async (_p, c) => {
          const child = spawn('sleep', ['60'], { stdio: 'ignore' });
          c.signal.addEventListener('abort', () => child.kill('SIGKILL'));
          await c.progress(10, \`pid \${child.pid}\`);
          for (;;) {} // busy: the abort is heard only if the thread is not; terminated after the grace
        } }),
        polite: defineTask({ access: 'anyone', isolated: true, timeoutMs: 60_000, run: async (_p, c) => {
          const child = spawn('sleep', ['60'], { stdio: 'ignore' });
          c.signal.addEventListener('abort', () => child.kill('SIGKILL'));
          await c.progress(10, \`pid \${child.pid}\`);
          return new Promise((_resolve, reject) => c.signal.addEventListener('abort', () => reject(c.signal.reason)));
        } }),
        spin: defineTask({ access: 'anyone', isolated: true, timeoutMs: 1500, run: () => { for (;;) {} } }),
        stubborn: defineTask({ access: 'anyone', timeoutMs: 800, run: () => new Promise(() => {}) }),
        fragile: defineTask({ access: 'anyone', onWorkerLoss: 'fail', run: async () => { await sleep(60_000); return 'never'; } }),
        crunch: defineTask({ access: 'anyone', queue: 'heavy', isolated: true, run: async (p: { n: number }, c) => { let s = 0; for (let i = 0; i < p.n; i++) s += i; await c.progress(100, 'summed'); return { sum: s }; } }),
        explode: defineTask({ access: 'anyone', run: () => { throw new Error('the flask broke'); } }),
        vanish: defineTask({ access: 'anyone', retries: 1, run: () => { process.kill(process.pid, 'SIGKILL'); } }),
        nap: defineTask({ access: 'anyone', run: async (p: { ms: number }, c) => { await sleep(p.ms); if (c.signal.aborted) throw c.signal.reason; return { slept: p.ms }; } }),
      } });
    `,
  });
  server = await startTestServer({
    pluginsDir,
    env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '1', JOB_WORKER_QUEUES: 'default', TASKS_LOCK_MS: '2000', TASKS_PER_USER_LIMIT: '20', TASKS_SUBMISSIONS_PER_MINUTE: '100000' },
  });
  // The primary's job worker may still be starting: wait until it has joined the cluster.
  for (let i = 0; i < 200 && !(await jobWorkerPid()); i++) await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  for (const worker of extraWorkers) worker.kill('SIGKILL');
  await server?.stop();
});

async function jobWorkerPid(): Promise<number | undefined> {
  const processes = (await server.admin('GET', '/api/admin/processes')).body as { role: string; pid: number }[];
  return processes.find((p) => p.role === 'job')?.pid;
}

async function submit(kind: string, params?: unknown, socketId?: string) {
  const response = await fetch(`${server.url}/api/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind, params, socketId }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const task = async (id: string) => (await (await fetch(`${server.url}/api/tasks/${id}`)).json()) as any;

async function until(id: string, done: (t: any) => boolean, withinMs = 20_000) {
  const started = Date.now();
  for (;;) {
    const t = await task(id);
    if (done(t)) return t;
    if (Date.now() - started > withinMs) throw new Error(`task ${id} did not get there within ${withinMs} ms: ${JSON.stringify(t)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('lifecycle: queued → running → succeeded, with progress pushed over the websocket', async () => {
  const probe = await WsProbe.open(server.wsUrl);
  const submitted = await submit('hello.count', { to: 5, stepMs: 150 });
  expect(submitted.status).toBe(201);
  expect(submitted.body).toMatchObject({ kind: 'hello.count', state: 'queued', queue: 'default', params: { to: 5, stepMs: 150 }, owner: 'anonymous:127.0.0.1' });
  const id = submitted.body.id;
  await probe.request({ handler: 'subscribe', data: { topic: `task:${id}` }, id: 'sub' }, 'sub');
  const final = await probe.next((f) => f.handler === 'task' && f.data.state === 'succeeded', 15_000);
  expect(final.data).toMatchObject({ id, state: 'succeeded', progress: 100, result: { counted: 5 }, attempts: 1 });
  const progress = probe.frames.filter((f) => f.handler === 'task' && f.data.state === 'running' && f.data.progressMessage);
  expect(progress.map((f) => f.data.progress)).toEqual(expect.arrayContaining([60, 80, 100]));
  expect(progress.at(-1).data.progressMessage).toBe('counted 5 of 5');
  expect(await task(id)).toMatchObject({ state: 'succeeded', result: { counted: 5 }, startedAt: expect.any(String), finishedAt: expect.any(String) });
  const mine = (await (await fetch(`${server.url}/api/tasks`)).json()) as any[];
  expect(mine.map((t) => t.id)).toContain(id);
  probe.close();
});

test('bad submissions are refused with a message', async () => {
  const unknown = await submit('nope.never');
  expect(unknown.status).toBe(400);
  expect(unknown.body.message).toMatch(/^no task kind "nope.never": core kinds start with "core."/);
  const invalid = await submit('hello.count', { to: 'ten' });
  expect(invalid.status).toBe(400);
  expect(invalid.body.message).toMatch(/^invalid params for hello.count: to: /);
  expect((await fetch(`${server.url}/api/tasks/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
});

test('a failing task ends failed with its error; a core task succeeds', async () => {
  const failing = await submit('lab.explode');
  expect(await until(failing.body.id, (t) => t.state === 'failed')).toMatchObject({ error: 'the flask broke' });
  const noop = await submit('core.noop', { echo: 'pong' });
  expect(await until(noop.body.id, (t) => t.state === 'succeeded')).toMatchObject({ result: { echo: 'pong' } });
});

test('a busy-looping isolated task is stopped at its timeout; the worker goes on', async () => {
  const spin = await submit('lab.spin');
  const ended = await until(spin.body.id, (t) => t.state !== 'queued' && t.state !== 'running');
  expect(ended).toMatchObject({ state: 'timed_out', error: 'exceeded its time limit of 1500 ms' });
  const stubborn = await submit('lab.stubborn');
  expect(await until(stubborn.body.id, (t) => t.state === 'timed_out')).toMatchObject({ error: 'exceeded its time limit of 800 ms' });
  const after = await submit('core.noop');
  expect((await until(after.body.id, (t) => t.state === 'succeeded')).state).toBe('succeeded');
});

test('an isolated task reaches its plugin\'s store and settings through its parent, nothing else', async () => {
  const keeper = await submit('lab.keeper', { value: 'x'.repeat(10_000) });
  const done = await until(keeper.body.id, (t) => t.state !== 'queued' && t.state !== 'running');
  expect(done.state).toBe('succeeded');
  expect(done.result).toMatchObject({ flavour: 'vanilla', denied: expect.stringMatching(/^an isolated task's thread has no plugin.database/) });
  expect(done.result.kept).toBe(30_000); // more than a task's params or result may hold (16 KB)
});

test('cancelling an isolated task: its thread hears the abort, kills its child, and is ended', async () => {
  // Gone, or a zombie (killed; its parent thread, terminated, will not reap it).
  const gone = (pid: number) => { try { return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z'); } catch { return true; } };
  for (const kind of ['lab.polite', 'lab.parent']) {
    const submitted = await submit(kind);
    const running = await until(submitted.body.id, (t) => /^pid \d+$/.test(t.progressMessage ?? ''));
    const pid = Number(running.progressMessage.slice(4));
    expect(gone(pid)).toBe(false);
    const started = Date.now();
    const cancelled = await fetch(`${server.url}/api/tasks/${submitted.body.id}`, { method: 'DELETE' });
    expect(await cancelled.json()).toMatchObject({ state: 'cancelled' });
    while (!gone(pid) && Date.now() - started < 1500) await new Promise((r) => setTimeout(r, 20));
    // A thread that listens stops its child at once; a busy one is terminated after the grace, its child orphaned.
    if (kind === 'lab.polite') expect(Date.now() - started).toBeLessThan(1500);
    else { expect(gone(pid)).toBe(false); process.kill(pid, 'SIGKILL'); }
  }
  const after = await submit('core.noop');
  expect((await until(after.body.id, (t) => t.state === 'succeeded')).state).toBe('succeeded');
});

test('cancellation stops a running task', async () => {
  const probe = await WsProbe.open(server.wsUrl);
  const counting = await submit('hello.count', { to: 100, stepMs: 100 });
  const id = counting.body.id;
  await probe.request({ handler: 'subscribe', data: { topic: `task:${id}` }, id: 's' }, 's');
  await until(id, (t) => t.progress > 0);
  const cancelled = await fetch(`${server.url}/api/tasks/${id}`, { method: 'DELETE' });
  expect(cancelled.status).toBe(200);
  expect(await cancelled.json()).toMatchObject({ state: 'cancelled', error: 'cancelled by request' });
  const cancelFrame = await probe.next((f) => f.handler === 'task' && f.data.state === 'cancelled');
  const progressAtCancel = (await task(id)).progress;
  await new Promise((r) => setTimeout(r, 500));
  expect(await task(id)).toMatchObject({ state: 'cancelled', progress: progressAtCancel });
  // Nothing says "running" after the cancel.
  expect(probe.frames.slice(probe.frames.indexOf(cancelFrame)).filter((f) => f.data?.state === 'running')).toEqual([]);
  const again = await fetch(`${server.url}/api/tasks/${id}`, { method: 'DELETE' });
  expect(again.status).toBe(409);
  probe.close();
});

test('SIGKILL of the job worker mid-task: retried by the next worker, or failed as declared', { timeout: 90_000 }, async () => {
  const retried = await submit('hello.count', { to: 20, stepMs: 150 });
  const fragile = await submit('lab.fragile');
  await until(retried.body.id, (t) => t.progress >= 10);
  await until(fragile.body.id, (t) => t.state === 'running');
  const pid = (await jobWorkerPid())!;
  process.kill(pid, 'SIGKILL'); // the primary starts another job worker
  const done = await until(retried.body.id, (t) => t.state === 'succeeded', 60_000);
  expect(done).toMatchObject({ attempts: 2, result: { counted: 20 } });
  const failed = await until(fragile.body.id, (t) => t.state !== 'running', 60_000);
  expect(failed).toMatchObject({ state: 'failed', error: 'the job worker running attempt 1 stopped; its kind is declared onWorkerLoss: fail' });
  expect(await jobWorkerPid()).not.toBe(pid);
});

test('a job worker that dies before the row says running (the first 20 ms): the task is retried, then failed, never left queued', { timeout: 90_000 }, async () => {
  // lab.vanish kills its own job worker at once, so the row is still `queued` each time; it allows 1 retry.
  const vanishing = await submit('lab.vanish');
  const failed = await until(vanishing.body.id, (t) => t.state === 'failed', 80_000);
  expect(failed).toMatchObject({ attempts: 2, error: 'the job worker running attempt 2 stopped; no retries left (1)' });
  for (let i = 0; i < 200 && !(await jobWorkerPid()); i++) await new Promise((r) => setTimeout(r, 100));
  expect((await submit('core.noop')).status).toBe(201); // the cluster has a job worker again
});

test('a second worker started with --queues picks up that queue', { timeout: 90_000 }, async () => {
  const crunch = await submit('lab.crunch', { n: 1000 });
  expect(crunch.body.queue).toBe('heavy');
  await new Promise((r) => setTimeout(r, 1500));
  expect((await task(crunch.body.id)).state).toBe('queued'); // the primary's worker serves only "default"
  const worker = spawn(process.execPath, [path.join(root, 'bin', 'brickyard.js'), 'worker', '--queues', 'heavy'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: server.database.url, BRICKYARD_HOME: server.home, PLUGINS_DIR: server.pluginsDir, JOB_WORKERS: '0' },
    stdio: 'ignore',
  });
  extraWorkers.push(worker);
  expect(await until(crunch.body.id, (t) => t.state === 'succeeded', 60_000)).toMatchObject({ result: { sum: 499500 }, progressMessage: 'summed' });
});

test('a socket named in the submission gets every frame of the task, with no subscription', async () => {
  const probe = await WsProbe.open(server.wsUrl);
  const { socketId } = (await probe.next((f) => f.handler === 'welcome')).data;
  const quick = await submit('core.noop', { echo: 'hi' }, socketId);
  expect(quick.status).toBe(201);
  const done = await probe.next((f) => f.handler === 'task' && f.data.id === quick.body.id && f.data.state === 'succeeded');
  expect(done.data).toMatchObject({ result: { echo: 'hi' }, attempts: 1, progress: 100, startedAt: expect.any(String), finishedAt: expect.any(String) });
  const frames = probe.frames.filter((f) => f.handler === 'task' && f.data.id === quick.body.id);
  expect(frames[0].data).toEqual(quick.body); // the queued frame is the POST answer
  // The frame built in memory is what GET reads from the row.
  expect(await task(quick.body.id)).toEqual(done.data);
  const counting = await submit('hello.count', { to: 3, stepMs: 50 }, socketId);
  await probe.next((f) => f.handler === 'task' && f.data.id === counting.body.id && f.data.state === 'succeeded');
  const states = probe.frames.filter((f) => f.handler === 'task' && f.data.id === counting.body.id).map((f) => f.data.state);
  expect(states[0]).toBe('queued');
  expect(states).toContain('running');
  expect(states.at(-1)).toBe('succeeded');
  expect((await submit('core.noop', {}, '' as string)).status).toBe(400);
  probe.close();
});

test('an end is published before its row is written, and a read right after the frame agrees with it', async () => {
  const probe = await WsProbe.open(server.wsUrl);
  const { socketId } = (await probe.next((f) => f.handler === 'welcome')).data;
  for (let i = 0; i < 30; i++) {
    const { body } = await submit('core.noop', { echo: i }, socketId);
    const done = await probe.next((f) => f.handler === 'task' && f.data.id === body.id && f.data.state === 'succeeded');
    expect(await task(body.id)).toEqual(done.data);
  }
  probe.close();
});

test('an end claimed by a job worker that died before writing the row: readers see it, the next worker writes it and does not run the task again', { timeout: 90_000 }, async () => {
  const { createHostDataSource } = await import('@brickyard/db');
  const { TaskOutcomes } = await import('../../libs/tasks/task-outcomes');
  const { Redis } = await import('ioredis');
  const db = await createHostDataSource(server.database.url, 1);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const napping = await submit('lab.nap', { ms: 5000 });
  const running = await until(napping.body.id, (t) => t.state === 'running');
  // What a job worker claims at the end of an attempt, before it writes the row; then it dies.
  const claimed = { ...running, state: 'succeeded', progress: 100, result: { slept: 'claimed' }, finishedAt: new Date().toISOString() };
  const nowhere = { channel: `${server.database.name}:test:nowhere`, message: '' }; // its frame is not what this test is about
  expect(await new TaskOutcomes(redis, `brickyard:${server.database.name}`).claim(claimed, nowhere)).toBe(true);
  const pid = (await jobWorkerPid())!;
  process.kill(pid, 'SIGKILL');
  const rowState = async () => (await db.query('SELECT state, attempts, result FROM tasks WHERE id = ?', [napping.body.id]))[0];
  expect((await rowState()).state).toBe('running');
  expect(await task(napping.body.id)).toEqual(claimed); // readers see the claimed end before the row says it
  expect((await fetch(`${server.url}/api/tasks/${napping.body.id}`, { method: 'DELETE' })).status).toBe(409);
  for (let i = 0; i < 300 && (await rowState()).state === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await rowState()).toMatchObject({ state: 'succeeded', attempts: 1, result: '{"slept":"claimed"}' });
  expect(await task(napping.body.id)).toEqual(claimed);
  redis.disconnect();
  await db.destroy();
});

test('a cancel racing the start of a task: it ends cancelled, with nothing after the cancel', { timeout: 60_000 }, async () => {
  const probe = await WsProbe.open(server.wsUrl);
  const { socketId } = (await probe.next((f) => f.handler === 'welcome')).data;
  // Cancels at 0 ms (before or as the job is picked up) and at ~10 ms (before the row is marked running, at 20 ms).
  for (const delay of [0, 0, 0, 0, 0, 10, 10, 10, 10, 10]) {
    const { body } = await submit('lab.nap', { ms: 150 }, socketId);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const cancel = await fetch(`${server.url}/api/tasks/${body.id}`, { method: 'DELETE' });
    expect(cancel.status).toBe(200);
    expect(await cancel.json()).toMatchObject({ state: 'cancelled', result: null });
  }
  await new Promise((r) => setTimeout(r, 600)); // every nap would have ended by now
  const ids = new Set(probe.frames.filter((f) => f.handler === 'task').map((f) => f.data.id));
  expect(ids.size).toBe(10);
  for (const id of ids) {
    const frames = probe.frames.filter((f) => f.handler === 'task' && f.data.id === id).map((f) => f.data);
    const cancelledAt = frames.findIndex((f) => f.state === 'cancelled');
    expect(cancelledAt).toBeGreaterThan(0);
    expect(frames.slice(cancelledAt).every((f) => f.state === 'cancelled')).toBe(true);
    expect(frames.some((f) => f.state === 'succeeded')).toBe(false);
    expect(await task(id)).toMatchObject({ state: 'cancelled', result: null, error: 'cancelled by request' });
  }
  probe.close();
});

test('the per-owner limit holds under concurrent submissions (folded into the insert); refused ones get no row', { timeout: 60_000 }, async () => {
  const naps = async () => (await server.admin('GET', '/api/admin/tasks?kind=lab.nap&limit=500')).body.tasks.length as number;
  const before = await naps();
  // No task of the anonymous owner may be active, or the limit counts it.
  for (const t of (await (await fetch(`${server.url}/api/tasks`)).json()) as any[]) {
    if (t.state === 'queued' || t.state === 'running') await fetch(`${server.url}/api/tasks/${t.id}`, { method: 'DELETE' });
  }
  const limited = await server.admin('PUT', '/api/admin/config/TASKS_PER_USER_LIMIT', { value: 3 });
  expect(limited.body.reload, JSON.stringify(limited.body)).toMatchObject({ ok: true });
  try {
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(Array.from({ length: 12 }, () => submit('lab.nap', { ms: 5000 })));
      const accepted = results.filter((r) => r.status === 201);
      // Cancelled first, so that a failure here leaves no active task to the tests after this one.
      for (const r of accepted) expect((await fetch(`${server.url}/api/tasks/${r.body.id}`, { method: 'DELETE' })).status).toBe(200);
      expect(accepted.length).toBe(3);
      const unexpected = results.filter((r) => r.status !== 201 && r.status !== 429);
      // On failure, say why: the answers and the server's errors (level ≥ 50 in its log).
      const why = () => `${JSON.stringify(unexpected)}\n${server.output().split('\n').filter((l) => /"level":(5|6)0/.test(l)).slice(-5).join('\n')}`;
      expect(results.filter((r) => r.status === 429).length, unexpected.length ? why() : undefined).toBe(9);
    }
    expect(await naps()).toBe(before + 9);
  } finally {
    await server.admin('DELETE', '/api/admin/config/TASKS_PER_USER_LIMIT');
  }
});

test('admins list tasks by state and kind, with queue counts', async () => {
  const { status, body } = await server.admin('GET', '/api/admin/tasks?state=succeeded&kind=hello.count');
  expect(status).toBe(200);
  expect(body.tasks.length).toBeGreaterThanOrEqual(1);
  expect(body.tasks.every((t: any) => t.state === 'succeeded' && t.kind === 'hello.count')).toBe(true);
  expect(body.queues.default).toMatchObject({ waiting: expect.any(Number), active: expect.any(Number) });
  expect((await server.admin('GET', '/api/admin/tasks?state=lost')).status).toBe(400);
  expect((await fetch(`${server.url}/api/admin/tasks`)).status).toBe(401);
  expect(((await (await fetch(`${server.url}/api/admin/tasks`)).json()) as any).code).toBe('unauthorized');
});

test('the per-owner limit refuses more active tasks with 429; the global limit caps running tasks per queue', { timeout: 60_000 }, async () => {
  expect((await server.admin('PUT', '/api/admin/config/TASKS_PER_USER_LIMIT', { value: 2 })).body.reload.ok).toBe(true);
  expect((await server.admin('PUT', '/api/admin/config/TASKS_GLOBAL_CONCURRENCY', { value: 1 })).body.reload.ok).toBe(true);
  const first = await submit('hello.count', { to: 4, stepMs: 100 });
  const second = await submit('hello.count', { to: 4, stepMs: 100 });
  const third = await submit('hello.count', { to: 1 });
  expect(third.status).toBe(429);
  expect(third.body.message).toBe('anonymous callers from 127.0.0.1 already have 2 tasks queued or running (TASKS_PER_USER_LIMIT 2): wait for one to finish or cancel one');
  expect(third.body.code).toBe('rate_limited');
  // With a global limit of 1, the second starts only after the first ends.
  const a = await until(first.body.id, (t) => t.state === 'succeeded');
  const b = await until(second.body.id, (t) => t.state === 'succeeded');
  const [earlier, later] = [a, b].sort((x, y) => Date.parse(x.startedAt) - Date.parse(y.startedAt));
  expect(Date.parse(later.startedAt)).toBeGreaterThanOrEqual(Date.parse(earlier.finishedAt) - 5);
  await server.admin('DELETE', '/api/admin/config/TASKS_PER_USER_LIMIT');
  await server.admin('DELETE', '/api/admin/config/TASKS_GLOBAL_CONCURRENCY');
});

test('the job worker picks up new task code on reload', async () => {
  const entry = path.join(server.pluginsDir, 'lab', 'server', 'index.ts');
  fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace("throw new Error('the flask broke')", "return 'mended'"));
  const reload = await server.admin('POST', '/api/admin/reload');
  expect(reload.body.ok).toBe(true);
  expect(reload.body.converged.map((p: { role: string }) => p.role)).toContain('job');
  const mended = await submit('lab.explode');
  expect(await until(mended.body.id, (t) => t.state !== 'queued' && t.state !== 'running')).toMatchObject({ state: 'succeeded', result: 'mended' });
});

test('finished tasks expire after their retention', async () => {
  const { createHostDataSource } = await import('@brickyard/db');
  const { TaskRepository } = await import('../../libs/tasks/task.repository');
  const db = await createHostDataSource(server.database.url, 1);
  const noop = await submit('core.noop');
  await until(noop.body.id, (t) => t.state === 'succeeded');
  // Readers see the end as soon as it is claimed; the row says it a moment later.
  for (let i = 0; i < 100 && !(await db.query('SELECT finished_at FROM tasks WHERE id = ?', [noop.body.id]))[0]?.finished_at; i++) await new Promise((r) => setTimeout(r, 20));
  const [row] = await db.query('SELECT expires_at > finished_at + INTERVAL 160 HOUR AS week FROM tasks WHERE id = ?', [noop.body.id]);
  expect(Number(row.week)).toBe(1); // TASKS_RESULT_TTL_HOURS defaults to a week
  await db.query('UPDATE tasks SET expires_at = CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [noop.body.id]);
  expect(await new TaskRepository(db).expire()).toBeGreaterThanOrEqual(1);
  expect((await fetch(`${server.url}/api/tasks/${noop.body.id}`)).status).toBe(404);
  await db.destroy();
});
