/**
 * Benchmark — a no-op task, submit → succeeded, divided by a raw BullMQ round
 * trip on the same Redis (measured in the same run). Goal: p50 ≤ 2 × raw.
 *
 * Ours: `brickyard serve` with WORKERS=1, JOB_WORKERS=1, TASKS_PER_USER_LIMIT
 * and WS_RATE_* raised. One round trip = `POST /api/tasks {"kind":"core.noop", "socketId"}`
 * (keep-alive) until the `task` frame with state `succeeded` arrives on the websocket
 * whose `welcome` socketId the POST named (the frame may arrive before the POST answer).
 * With --subscribe, the POST names no socket and the client subscribes to `task:<id>` as
 * soon as the POST answers instead. A task that ends before its subscription is registered
 * (the race) never sends that frame to us: after 250 ms without it, GET /api/tasks/:id
 * tells; such a trip is counted at the subscription's acknowledgement (an upper bound:
 * the task had ended before it), and how many there were is printed.
 * Baseline: bullmq `Queue.add` (removeOnComplete, as ours) in this process, a
 * bullmq `Worker` with a no-op processor (concurrency 4, as TASKS_CONCURRENCY)
 * in another process, completion learnt from `QueueEvents` 'completed' in this
 * process; a unique key prefix, deleted at the end.
 * Trips are sequential; ours and raw alternate (which goes first alternates too)
 * after a warm-up of each. Ratio = ours p50 ÷ raw p50.
 *
 * Then, unless --no-stages, a stage breakdown: a second Brickyard server whose
 * processes preload bench/task-roundtrip-probe.ts (wrapping the methods a task
 * passes through, from outside) logs a monotonic timestamp at each stage, and the
 * median of each step on the critical path is printed (the probe's own cost
 * is included: compare its end-to-end p50 with the uninstrumented one).
 *
 *   node bin/run-ts.js bench/task-roundtrip.ts [--trips 200] [--warmup 20] [--stage-trips 100] [--no-stages] [--subscribe]
 */
import type { TestServer } from '@brickyard/testing';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { arg, log, machine, mean, onCleanup, percentile, printResult, runBench, sleep } from './lib/common';
import { describeCpu, waitForQuiet, watchCpu } from './lib/cpu';
import { startBenchServer } from './lib/server';

const GOAL = 2;
const args = process.argv.slice(2);
const TRIPS = Number(arg('trips', '200'));
const WARMUP = Number(arg('warmup', '20'));
const STAGE_TRIPS = Number(arg('stage-trips', '100'));
/** Default: the POST names the client's socket (`socketId`); `--subscribe`: subscribe to task:<id> after the POST answers (the race). */
const SOCKET_MODE = !args.includes('--subscribe');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = path.resolve(__dirname, '..');
/** Monotonic ms on the clock every process of the machine shares (the probe writes the same). */
const now = () => Number(process.hrtime.bigint()) / 1e6;

// ---------------------------------------------------------------------------
// The raw BullMQ worker (child process): `--role bullmq-worker --prefix <p>`

async function bullmqWorker(): Promise<void> {
  const worker = new Worker('noop', async () => null, { connection: { url: REDIS_URL }, prefix: arg('prefix', ''), concurrency: 4 });
  worker.on('error', (error) => console.error(`raw bullmq worker: ${error.message}`));
  await worker.waitUntilReady();
  process.send!('ready');
  const stop = () => void worker.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

async function startRawBullmq() {
  const prefix = `bench-raw-${crypto.randomBytes(4).toString('hex')}`;
  const connection = { url: REDIS_URL };
  const queue = new Queue('noop', { connection, prefix });
  const events = new QueueEvents('noop', { connection, prefix });
  const waiters = new Map<string, (t: number) => void>();
  events.on('completed', ({ jobId }) => waiters.get(jobId)?.(now()));
  const child = spawn(process.execPath, [path.join(root, 'bin', 'run-ts.js'), __filename, '--role', 'bullmq-worker', '--prefix', prefix], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onCleanup(async () => {
    await events.close().catch(() => {});
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close().catch(() => {});
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  await Promise.all([
    queue.waitUntilReady(),
    events.waitUntilReady(),
    new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the raw bullmq worker exited (${code})`)));
    }),
  ]);
  let n = 0;
  /** One round trip in ms. */
  const trip = async (): Promise<number> => {
    const jobId = `j${++n}`;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<number>((resolve, reject) => {
      waiters.set(jobId, resolve);
      timer = setTimeout(() => reject(new Error(`raw job ${jobId} did not complete within 10 s`)), 10_000);
    });
    const t0 = now();
    await queue.add('noop', {}, { jobId, removeOnComplete: true, removeOnFail: true });
    const t1 = await done.finally(() => (clearTimeout(timer), waiters.delete(jobId)));
    return t1 - t0;
  };
  return { trip, prefix };
}

// ---------------------------------------------------------------------------
// Brickyard: HTTP submit + websocket completion

interface OurTrip {
  /** Submit → `succeeded` frame, ms (for a lost race: → the subscription's acknowledgement, an upper bound). */
  ms: number;
  lost: boolean;
  postMs: number;
  id: string;
  t0: number;
  tDone: number;
}

async function brickyardClient(server: TestServer) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  onCleanup(async () => agent.destroy());
  const request = (method: string, route: string, body?: unknown) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        `${server.url}${route}`,
        { method, agent, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const socket = new WebSocket(server.wsUrl, { perMessageDeflate: false });
  onCleanup(async () => socket.terminate());
  const finals = new Map<string, (t: number) => void>();
  /** Final frames that arrived before the POST answer told us the id (socketId mode). */
  const early = new Map<string, number>();
  const acks = new Map<string, (t: number) => void>();
  let socketId = '';
  const welcomed = new Promise<void>((resolve) =>
    socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString());
      if (frame.handler === 'welcome') (socketId = frame.data.socketId), resolve();
    }),
  );
  socket.on('message', (raw: Buffer) => {
    const t = now();
    const frame = JSON.parse(raw.toString());
    if (frame.handler === 'task' && ['succeeded', 'failed', 'timed_out', 'cancelled'].includes(frame.data?.state)) {
      if (frame.data.state !== 'succeeded') console.error(`task ${frame.data.id} ended ${frame.data.state}: ${frame.data.error}`);
      const waiter = finals.get(frame.data.id);
      if (waiter) waiter(t);
      else if (SOCKET_MODE) early.set(frame.data.id, t);
    } else if (frame.handler === 'subscribe' && frame.id) {
      acks.get(frame.id)?.(t);
    } else if (frame.handler === 'error') {
      console.error(`websocket error frame: ${JSON.stringify(frame.data)}`);
      if (frame.id) acks.get(frame.id)?.(NaN);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  await welcomed;

  let n = 0;
  const within = (promise: Promise<number>, ms: number) => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([promise, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(NaN), ms)))]).finally(() => clearTimeout(timer));
  };
  /** socketId mode: the POST names this socket, which gets every frame of the task (no subscription, no race). */
  const socketTrip = async (): Promise<OurTrip> => {
    const t0 = now();
    const posted = await request('POST', '/api/tasks', { kind: 'core.noop', socketId });
    const tPost = now();
    if (posted.status !== 201 && posted.status !== 200) throw new Error(`POST /api/tasks answered ${posted.status}: ${JSON.stringify(posted.body)}`);
    const id = posted.body.id as string;
    let tDone = early.get(id);
    if (tDone === undefined) {
      tDone = await within(new Promise<number>((resolve) => finals.set(id, resolve)), 10_000);
      finals.delete(id);
      if (Number.isNaN(tDone)) throw new Error(`task ${id}: no final frame on the socket within 10 s`);
    }
    early.delete(id);
    return { ms: tDone - t0, postMs: tPost - t0, id, t0, tDone, lost: false };
  };
  const trip = async (): Promise<OurTrip> => {
    if (SOCKET_MODE) return socketTrip();
    const t0 = now();
    const posted = await request('POST', '/api/tasks', { kind: 'core.noop' });
    const tPost = now();
    if (posted.status !== 201 && posted.status !== 200) throw new Error(`POST /api/tasks answered ${posted.status}: ${JSON.stringify(posted.body)}`);
    const id = posted.body.id as string;
    const ackId = `s${++n}`;
    const final = new Promise<number>((resolve) => finals.set(id, resolve));
    const ack = new Promise<number>((resolve) => acks.set(ackId, resolve));
    socket.send(JSON.stringify({ handler: 'subscribe', data: { topic: `task:${id}` }, id: ackId }));
    let tDone = await within(final, 250);
    let lost = false;
    if (Number.isNaN(tDone)) {
      const { body } = await request('GET', `/api/tasks/${id}`);
      if (body?.state === 'succeeded') {
        tDone = await within(final, 100); // the frame may be on its way
        if (Number.isNaN(tDone)) {
          // The task ended before the subscription took effect: it ended before the
          // subscription's acknowledgement, which is counted (an upper bound).
          lost = true;
          tDone = await within(ack, 1000);
          if (Number.isNaN(tDone)) throw new Error(`task ${id}: the subscription to its topic was not acknowledged`);
        }
      } else {
        tDone = await within(final, 10_000);
        if (Number.isNaN(tDone)) throw new Error(`task ${id} did not succeed within 10 s (state ${body?.state} after 250 ms)`);
      }
    }
    finals.delete(id);
    acks.delete(ackId);
    socket.send(JSON.stringify({ handler: 'unsubscribe', data: { topic: `task:${id}` } }));
    return { ms: tDone - t0, postMs: tPost - t0, id, t0, tDone, lost };
  };
  return { trip };
}

async function startOurs(extraEnv: Record<string, string> = {}) {
  const server = await startBenchServer({
    workers: 1,
    // Two frames per trip (subscribe, unsubscribe): above the default 50 frames/s.
    env: { JOB_WORKERS: '1', TASKS_PER_USER_LIMIT: '10000', TASKS_SUBMISSIONS_PER_MINUTE: '100000', WS_RATE_PER_SECOND: '100000', WS_RATE_BURST: '100000', ...extraEnv },
  });
  const deadline = Date.now() + 60_000;
  while (!server.output().includes('"msg":"job worker ready"') || !server.output().includes('serving task queue')) {
    if (Date.now() > deadline) throw new Error(`the job worker did not start:\n${server.output().slice(-3000)}`);
    await sleep(100);
  }
  return server;
}

const stats = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99), mean: mean(values), min: Math.min(...values) });
const ms = (v: number) => `${v.toFixed(2)} ms`;

// ---------------------------------------------------------------------------
// Stage breakdown

interface Mark {
  t: number;
  pid: number;
  stage: string;
  id: string;
}

/**
 * Steps of the critical path, each from the previous mark to this one. `pid`:
 * 'http' (the HTTP worker), 'job' (the job worker); `nth`: which occurrence in
 * that process for this task.
 */
const PATH: { label: string; stage: string; where?: 'http' | 'job' | 'client'; nth?: number }[] = [
  { label: 'client sends POST → HTTP worker emits "request"', stage: 'http.request' },
  { label: 'Fastify/Nest: body, routing, identify, validation', stage: 'db.insert.start', where: 'http' },
  { label: 'DB INSERT … SELECT (per-owner limit folded in)', stage: 'db.insert.end', where: 'http' },
  { label: '(view, publish queued issued)', stage: 'queue.add.start', where: 'http' },
  { label: 'BullMQ Queue.add (HTTP worker)', stage: 'queue.add.end', where: 'http' },
  { label: 'BullMQ pickup: add → job worker runs process()', stage: 'runner.process.start', where: 'job' },
  { label: 'job worker: process() → run starts', stage: 'runner.run.start', where: 'job' },
  { label: 'run core.noop (inline, with abort wiring)', stage: 'runner.run.end', where: 'job' },
  { label: '(between)', stage: 'claim.start', where: 'job' },
  { label: 'Redis: claim the outcome and PUBLISH it, one script (TaskOutcomes) → HTTP worker delivers', stage: 'deliver.succeeded.start', where: 'http' },
  { label: 'ws frame → client receives it', stage: 'client.done', where: 'client' },
];

/** Off the critical path: the row's final UPDATE, written while the frame travels (from the claim's end). */
const WRITE_PATH = { label: 'DB UPDATE queued → succeeded (writeEnd), from the claim', from: 'claim.end', stage: 'db.finish.end' };

/** Off the critical path: what the HTTP answer costs after Queue.add. */
const RESPONSE_PATH: { label: string; stage: string; nth?: number }[] = [
  { label: 'await the queued publish, serialise + write the response', stage: 'http.response' },
  { label: 'response → client has parsed it', stage: 'client.posted' },
];

async function stageBreakdown(raw: { trip(): Promise<number> }): Promise<void> {
  const logFile = path.join(os.tmpdir(), `bench-task-stages-${crypto.randomBytes(4).toString('hex')}.log`);
  onCleanup(async () => fs.rmSync(logFile, { force: true }));
  const probe = path.join(__dirname, 'task-roundtrip-probe.ts');
  log(`stage breakdown: a second Brickyard server with the stage probe preloaded in every process (log ${logFile})…`);
  const server = await startOurs({
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(root, 'bin', 'ts-hook.js')} --require ${probe}`.trim(),
    BENCH_STAGE_LOG: logFile,
  });
  const health = await new Promise<any>((resolve, reject) =>
    http.get(`${server.url}/api/health`, { agent: false }, (res) => {
      let t = '';
      res.on('data', (c) => (t += c));
      res.on('end', () => resolve(JSON.parse(t)));
    }).on('error', reject),
  );
  const httpPid = Number(health.pid);
  const ours = await brickyardClient(server);
  // As in the measurement: a raw BullMQ trip between two of ours.
  for (let i = 0; i < WARMUP; i++) (await ours.trip(), await raw.trip());
  await waitForQuiet(30_000);
  const stopWatch = watchCpu();
  const trips: (OurTrip & { tPost: number })[] = [];
  for (let i = 0; i < STAGE_TRIPS; i++) {
    const t = await ours.trip();
    trips.push({ ...t, tPost: t.t0 + t.postMs });
    await raw.trip();
  }
  log(`stage trips done: ${describeCpu(stopWatch())} meanwhile`);
  await sleep(500);
  await server.stop();

  const byId = new Map<string, Mark[]>();
  const anonymous: Mark[] = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    const [t, pid, stage, id] = line.split(' ');
    if (!stage) continue;
    const mark = { t: Number(t), pid: Number(pid), stage, id: id! };
    if (id === '-') anonymous.push(mark);
    else byId.set(id!, [...(byId.get(id!) ?? []), mark]);
  }
  const steps = new Map<string, number[]>();
  const responseSteps = new Map<string, number[]>();
  const writeSteps: number[] = [];
  const totals: number[] = [];
  let used = 0;
  for (const trip of trips) {
    if (trip.lost) continue;
    const marks = byId.get(trip.id) ?? [];
    const jobPid = marks.find((m) => m.stage === 'runner.process.start')?.pid;
    // The HTTP request carries no task id: take the one inside this trip's window.
    const inWindow = (stage: string) => anonymous.find((m) => m.stage === stage && m.pid === httpPid && m.t >= trip.t0 && m.t <= trip.tPost);
    const find = (stage: string, where?: string, nth = 0): number | undefined => {
      if (stage === 'client.done') return trip.tDone;
      if (stage === 'client.posted') return trip.tPost;
      if (stage === 'http.request' || stage === 'http.response') return inWindow(stage)?.t;
      const pid = where === 'http' ? httpPid : where === 'job' ? jobPid : undefined;
      return marks.filter((m) => m.stage === stage && (pid === undefined || m.pid === pid))[nth]?.t;
    };
    const times = PATH.map((s) => find(s.stage, s.where, s.nth));
    if (times.some((t) => t === undefined)) continue;
    used++;
    let previous = trip.t0;
    PATH.forEach((s, i) => {
      const key = `${i}`;
      steps.set(key, [...(steps.get(key) ?? []), times[i]! - previous]);
      previous = times[i]!;
    });
    totals.push(trip.tDone - trip.t0);
    let from = find('queue.add.end', 'http')!;
    RESPONSE_PATH.forEach((s, i) => {
      const t = find(s.stage, 'http', s.nth);
      if (t === undefined) return;
      responseSteps.set(`${i}`, [...(responseSteps.get(`${i}`) ?? []), t - from]);
      from = t;
    });
    const claimed = find(WRITE_PATH.from, 'job');
    const written = find(WRITE_PATH.stage, 'job');
    if (claimed !== undefined && written !== undefined) writeSteps.push(written - claimed);
  }
  if (!used) {
    log('stage breakdown: no trip had every mark; the probe did not load?');
    return;
  }
  const medians = PATH.map((_, i) => percentile(steps.get(`${i}`)!, 50));
  console.log('');
  console.log(`stage breakdown (instrumented server, ${used} trips; end-to-end p50 ${ms(percentile(totals, 50))}; medians of each step, which need not add up to the median total):`);
  console.log('| # | step on the critical path | median | p90 |');
  console.log('|---|---|---|---|');
  PATH.forEach((s, i) => console.log(`| ${i + 1} | ${s.label} | ${ms(medians[i]!)} | ${ms(percentile(steps.get(`${i}`)!, 90))} |`));
  console.log(`|   | sum of medians | ${ms(medians.reduce((a, b) => a + b, 0))} | |`);
  const group = (test: (label: string) => boolean) => PATH.reduce((sum, s, i) => sum + (test(s.label) ? medians[i]! : 0), 0);
  console.log(
    `grouped (medians): DB ${ms(group((l) => l.includes('DB ')))}, Redis/BullMQ ${ms(group((l) => l.includes('BullMQ') || l.includes('Redis')))}, ` +
      `HTTP in + Nest ${ms(medians[0]! + medians[1]!)}, other ${ms(group((l) => !l.includes('DB ') && !l.includes('BullMQ') && !l.includes('Redis')) - medians[0]! - medians[1]!)}`,
  );
  console.log('off the critical path, after Queue.add in the HTTP worker (the POST answer):');
  RESPONSE_PATH.forEach((s, i) => {
    const values = responseSteps.get(`${i}`);
    if (values) console.log(`  ${s.label}: median ${ms(percentile(values, 50))}`);
  });
  if (writeSteps.length) console.log(`off the critical path, in the job worker: ${WRITE_PATH.label}: median ${ms(percentile(writeSteps, 50))}`);
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  log(`task round-trip benchmark on ${machine()}`);
  log('starting a Brickyard server (WORKERS=1, JOB_WORKERS=1) and a raw BullMQ worker…');
  const server = await startOurs();
  const raw = await startRawBullmq();
  const ours = await brickyardClient(server);
  log(`raw BullMQ prefix ${raw.prefix}; warm-up: ${WARMUP} trips each`);
  for (let i = 0; i < WARMUP; i++) {
    await ours.trip();
    await raw.trip();
  }
  const oursTrips: OurTrip[] = [];
  const rawMs: number[] = [];
  await waitForQuiet(30_000);
  const stopWatch = watchCpu();
  for (let i = 0; i < TRIPS; i++) {
    if (i % 2 === 0) {
      oursTrips.push(await ours.trip());
      rawMs.push(await raw.trip());
    } else {
      rawMs.push(await raw.trip());
      oursTrips.push(await ours.trip());
    }
    if ((i + 1) % 50 === 0) log(`${i + 1}/${TRIPS} trips`);
  }
  const cpu = stopWatch();
  log(`trips done: ${describeCpu(cpu)} meanwhile`);
  const measured = oursTrips;
  const o = stats(measured.map((t) => t.ms));
  // Ours and raw alternate O R R O O R …: an even trip (after the first) directly follows one of ours, whose row may still be being written.
  const afterOurs = stats(measured.filter((_, i) => i > 0 && i % 2 === 0).map((t) => t.ms));
  const afterRaw = stats(measured.filter((_, i) => i % 2 === 1).map((t) => t.ms));
  const won = stats(measured.filter((t) => !t.lost).map((t) => t.ms));
  const lost = measured.filter((t) => t.lost).length;
  const post = stats(measured.map((t) => t.postMs));
  const r = stats(rawMs);
  const ratio = o.p50 / r.p50;
  console.log('');
  console.log(
    `${TRIPS} sequential round trips each (after ${WARMUP} warm-up), alternating; ` +
      (SOCKET_MODE
        ? `frames sent to the socket named in the POST; ${measured.filter((t) => t.tDone < t.t0 + t.postMs).length} final frames arrived before the POST answer`
        : `subscribing after the POST: ${lost} of ours ended before their subscription took effect and are counted at its acknowledgement (without them: p50 ${ms(won.p50)}, p99 ${ms(won.p99)})`),
  );
  console.log('| | p50 | p99 | mean | min |');
  console.log('|---|---|---|---|---|');
  console.log(`| Brickyard: POST /api/tasks → \`succeeded\` frame | ${ms(o.p50)} | ${ms(o.p99)} | ${ms(o.mean)} | ${ms(o.min)} |`);
  console.log(`| … trips right after one of ours / after a raw one | ${ms(afterOurs.p50)} / ${ms(afterRaw.p50)} | ${ms(afterOurs.p99)} / ${ms(afterRaw.p99)} | | |`);
  console.log(`| … of which the POST answer | ${ms(post.p50)} | ${ms(post.p99)} | ${ms(post.mean)} | ${ms(post.min)} |`);
  console.log(`| raw BullMQ: Queue.add → QueueEvents completed | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.mean)} | ${ms(r.min)} |`);
  console.log('');
  const result = {
    bench: 'task-roundtrip',
    summary:
      `no-op task submit → succeeded over ${measured.length} trips (${SOCKET_MODE ? 'frames to the socket named in the POST' : `subscribing after the POST; ${lost} lost the subscription race, counted at its ack`}): ` +
      `Brickyard p50 ${ms(o.p50)} (p99 ${ms(o.p99)}), raw BullMQ p50 ${ms(r.p50)} (p99 ${ms(r.p99)}); other load ${cpu.foreignCores.toFixed(2)} cores`,
    ratio,
    ratioLabel: 'brickyard p50 ÷ raw BullMQ p50',
    goal: `≤ ${GOAL}`,
    met: ratio <= GOAL,
  };
  await server.stop();
  if (!args.includes('--no-stages')) await stageBreakdown(raw);
  console.log('');
  printResult(result);
}

if (arg('role', '') === 'bullmq-worker') {
  void bullmqWorker();
} else {
  runBench(main);
}
