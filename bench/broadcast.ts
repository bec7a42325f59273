/**
 * Benchmark — one message broadcast to 10,000 connected websocket clients, on
 * loopback, divided by a bare `ws` server doing the same (measured in the same run).
 * Goal: messages/s ≥ 0.7 × the bare server's.
 *
 * Ours: a real `brickyard serve` with WORKERS=1, so all clients sit on that one
 * HTTP worker (WS_MAX_CONNECTIONS 20000, WS_RATE_* raised, WS_HEARTBEAT_MS one
 * hour so no ping round falls inside a measurement). A broadcast goes the way a
 * real one goes: `RealtimePublisher.toEveryone()` publishes the fan-out message
 * on the cluster's Redis channel, the worker's subscriber parses it and sends
 * the frame to every connection (`RealtimeHost.deliver`).
 * Baseline: a bare `ws` WebSocketServer in its own process on another port; it
 * subscribes to a Redis channel and, on each message, sends that (already
 * serialised) text to all its clients. Both trigger paths thus cross Redis once
 * and both servers send the same bytes.
 *
 * Clients: minimal websocket clients (real upgrade handshake, then raw TCP
 * reads searched for the frame; see Clients) in this process, not in any
 * server's; this process also triggers each broadcast, so trigger and arrival
 * times are read on one clock (performance.now()). Per broadcast: latency
 * trigger → each client's receipt (p50/p99 across clients, pooled over the
 * broadcasts) and messages/s = clients reached ÷ time until the last delivery.
 * Ratio = median messages/s of ours ÷ the bare server's. Also printed: CPU time
 * per broadcast of each server process and of the clients.
 *
 * Memory: VmRSS of the Brickyard HTTP worker (/proc/<pid>/status, pid from GET
 * /api/health) with N idle connections minus with none, ÷ N; each reading right
 * after two full GCs in the worker, asked of a tiny plugin (bench-gc, the only
 * plugin of the server) so start-up garbage does not blur it; the readings
 * without forced GC are printed too. Same for the bare server (over IPC).
 *
 *   node bin/run-ts.js bench/broadcast.ts [--clients 10000] [--broadcasts 20] [--bytes 128]
 *
 * Needs about N + 300 open files in this process and in the server's worker:
 * the soft `ulimit -n` is checked first, and N is lowered (and the limit named) when it is too small.
 */
import { RealtimePublisher } from '@brickyard/realtime';
import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { writePlugin } from '@brickyard/testing';
import { WebSocketServer } from 'ws';
import { arg, log, machine, onCleanup, percentile, printResult, runBench, sleep, tempDir } from './lib/common';
import { waitForQuiet, watchCpu } from './lib/cpu';
import { startBenchServer } from './lib/server';

const GOAL = 0.7;
const args = process.argv.slice(2);
const REQUESTED = Number(arg('clients', '10000'));
const BROADCASTS = Number(arg('broadcasts', '20'));
const WARMUP = 3;
const BYTES = Number(arg('bytes', '128'));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const HANDLER = 'bench.broadcast';
/** Every broadcast frame starts with this; the sequence number follows. */
const PREFIX = `{"handler":"${HANDLER}","data":{"seq":`;
const PREFIX_BYTES = Buffer.from(PREFIX);
/** Handshakes in flight while connecting. */
const CONNECT_CONCURRENCY = 200;

// ---------------------------------------------------------------------------
// The baseline server (child process): `--role bare-server --channel <c>`

async function bareServer(): Promise<void> {
  const channel = arg('channel', '');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, backlog: 4096 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const subscriber = new Redis(REDIS_URL);
  subscriber.on('message', (_channel, frame: string) => {
    for (const client of wss.clients) client.send(frame);
  });
  await subscriber.subscribe(channel);
  process.on('message', (message) => {
    if (message !== 'gc') return;
    (globalThis as { gc?: () => void }).gc?.();
    (globalThis as { gc?: () => void }).gc?.();
    process.send!('collected');
  });
  process.send!({ port: (wss.address() as { port: number }).port });
  const stop = () => {
    subscriber.disconnect();
    for (const client of wss.clients) client.terminate();
    wss.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

async function startBare(channel: string): Promise<{ port: number; pid: number; child: ChildProcess; collect(): Promise<void> }> {
  const child = spawn(process.execPath, ['--expose-gc', path.resolve(__dirname, '..', 'bin', 'run-ts.js'), __filename, '--role', 'bare-server', '--channel', channel], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: any) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code}) before listening`)));
  });
  const collect = () =>
    new Promise<void>((resolve) => {
      child.once('message', () => resolve());
      child.send('gc');
    });
  return { port, pid: child.pid!, child, collect };
}

/**
 * A plugin of the server under test whose route runs two full garbage
 * collections in the worker (gc is exposed at runtime), so that the worker's RSS
 * can be read without the garbage of its start-up.
 */
const GC_PLUGIN = `
  import { definePlugin } from '@brickyard/sdk';
  import { Controller, Get, Module } from '@nestjs/common';
  import * as v8 from 'node:v8';
  import * as vm from 'node:vm';
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  @Controller() class CollectController {
    @Get() collect() {
      gc();
      gc();
      return { pid: process.pid, rss: process.memoryUsage().rss };
    }
  }
  @Module({ controllers: [CollectController] }) class CollectModule {}
  export default definePlugin({ module: CollectModule });
`;

// ---------------------------------------------------------------------------
// Measurement side

function openFilesLimit(pid: number | 'self'): number {
  const line = fs.readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' ? Infinity : Number(soft);
}

function rssBytes(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line!.replace(/\D+/g, '')) * 1024;
}

/** CPU time (user + system) a process has used, in ms (/proc/<pid>/stat, 100 ticks per second). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15)
}

function getJson(url: string): Promise<any> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(JSON.parse(text)));
      })
      .on('error', reject);
  });
}

/**
 * N minimal websocket clients: a real upgrade handshake over a raw TCP socket,
 * then each incoming chunk is only searched for the broadcast frame's prefix and
 * its sequence number (a 128-byte frame arrives in one chunk on loopback). They
 * never send a frame (server heartbeats are off), so on this 2-core machine the
 * receiving side costs as little CPU as possible and the servers are what is measured.
 */
class Clients {
  readonly sockets: net.Socket[] = [];
  private arrivals: Float64Array[] = [];
  private counts: number[] = [];
  private waiter?: { seq: number; resolve: () => void };
  firstError?: string;

  private open(port: number, index: number): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
      const key = crypto.randomBytes(16).toString('base64');
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      let head = Buffer.alloc(0);
      const onHandshake = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onHandshake);
        const status = head.subarray(0, head.indexOf('\r\n')).toString();
        if (!status.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          return reject(new Error(`upgrade refused: ${status}: ${head.subarray(end + 4).toString().trim().slice(0, 200)}`));
        }
        socket.on('data', (data: Buffer) => this.receive(index, data));
        const rest = head.subarray(end + 4);
        if (rest.length) this.receive(index, rest);
        resolve(socket);
      };
      socket.on('data', onHandshake);
      socket.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`${error.code ?? ''} ${error.message}`.trim())));
      socket.once('close', () => reject(new Error('closed during the handshake')));
    });
  }

  /** Connects up to `n` clients; stops at the first failure (its reason is kept in firstError). */
  async connect(port: number, n: number): Promise<number> {
    let next = 0;
    let failed = false;
    const lane = async () => {
      while (!failed && next < n) {
        const index = next++;
        try {
          const socket = await this.open(port, index);
          socket.on('error', () => {}); // a reset after the measurement is not a result
          this.sockets[index] = socket;
        } catch (error) {
          failed = true;
          this.firstError ??= `client ${index + 1}: ${(error as Error).message}`;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, n) }, lane));
    const open = this.sockets.filter((s) => s && !s.destroyed).length;
    if (failed || open !== n) {
      for (const s of this.sockets) s?.destroy();
      this.sockets.length = 0;
    }
    return open;
  }

  private receive(index: number, data: Buffer): void {
    const at = data.indexOf(PREFIX_BYTES);
    if (at < 0) return; // the welcome frame
    let seq = 0;
    for (let i = at + PREFIX_BYTES.length; i < data.length; i++) {
      const c = data[i]!;
      if (c < 48 || c > 57) break;
      seq = seq * 10 + (c - 48);
    }
    const arrivals = this.arrivals[seq];
    if (!arrivals || !Number.isNaN(arrivals[index]!)) return;
    arrivals[index] = performance.now();
    if (++this.counts[seq]! === this.sockets.length && this.waiter?.seq === seq) this.waiter.resolve();
  }

  /** Triggers broadcast `seq` and resolves with every client's latency in ms (NaN: never arrived). */
  async broadcast(seq: number, trigger: () => Promise<void>, timeoutMs = 20_000): Promise<Float64Array> {
    const arrivals = new Float64Array(this.sockets.length).fill(NaN);
    this.arrivals[seq] = arrivals;
    this.counts[seq] = 0;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiter = { seq, resolve: () => (clearTimeout(timer), resolve()) };
    });
    const t0 = performance.now();
    await trigger();
    await done;
    this.waiter = undefined;
    delete this.arrivals[seq];
    return arrivals.map((t) => t - t0);
  }

  async closeAll(): Promise<void> {
    if (!this.sockets.length) return;
    for (const s of this.sockets) s.destroy();
    this.sockets.length = 0;
    await sleep(2000);
  }
}

interface Run {
  name: string;
  n: number;
  connectMs: number;
  rssIdleBytes: number;
  rss0: number;
  /** Per broadcast. */
  msgsPerSecond: number[];
  lastMs: number[];
  p50s: number[];
  missing: number;
  /** Every delivery latency of every measured broadcast. */
  pooled: number[];
  /** CPU ms per measured broadcast: the server process, and this (client) process. */
  serverCpuMs: number;
  clientCpuMs: number;
  /** Cores used by processes outside this benchmark during the measured broadcasts. */
  foreignCores: number;
}

function payload(seq: number): { seq: number; pad: string } {
  // The frame is BYTES long (for a 2-digit seq): {"handler":"bench.broadcast","data":{"seq":NN,"pad":"…"}}
  return { seq, pad: 'x'.repeat(Math.max(0, BYTES - PREFIX.length - 2 - ',"pad":""}}'.length)) };
}

async function measure(name: string, port: number, pid: number, n: number, collect: () => Promise<void>, trigger: (seq: number) => Promise<void>): Promise<Run> {
  await sleep(1000);
  const rawRss0 = rssBytes(pid);
  await collect();
  const rss0 = rssBytes(pid);
  const clients = new Clients();
  onCleanup(() => clients.closeAll());
  const c0 = performance.now();
  const connected = await clients.connect(port, n);
  const connectMs = performance.now() - c0;
  if (connected !== n) throw new Error(`${name}: only ${connected} of ${n} clients connected; the first failure: ${clients.firstError}`);
  log(`${name}: ${n} clients connected in ${(connectMs / 1000).toFixed(1)} s (${Math.round((n / connectMs) * 1000)}/s)`);
  await sleep(3000);
  const rawRss1 = rssBytes(pid);
  await collect();
  const rss1 = rssBytes(pid);
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  log(
    `${name}: server RSS after full GC ${mib(rss0)} with no connection, ${mib(rss1)} with ${n} idle: ${((rss1 - rss0) / n / 1024).toFixed(1)} KiB per connection ` +
      `(without forcing GC: ${mib(rawRss0)} → ${mib(rawRss1)}, ${((rawRss1 - rawRss0) / n / 1024).toFixed(1)} KiB)`,
  );
  const run: Run = { name, n, connectMs, rss0, rssIdleBytes: (rss1 - rss0) / n, msgsPerSecond: [], lastMs: [], p50s: [], missing: 0, pooled: [], serverCpuMs: 0, clientCpuMs: 0, foreignCores: NaN };
  let serverCpu0 = 0;
  let clientCpu0 = 0;
  let stopWatch: ReturnType<typeof watchCpu> | undefined;
  for (let i = 0; i < WARMUP + BROADCASTS; i++) {
    if (i === WARMUP) {
      await waitForQuiet(30_000);
      stopWatch = watchCpu();
      serverCpu0 = cpuMs(pid);
      const usage = process.cpuUsage();
      clientCpu0 = (usage.user + usage.system) / 1000;
    }
    const latencies = await clients.broadcast(i, () => trigger(i));
    const reached = Array.from(latencies).filter((l) => !Number.isNaN(l));
    const last = Math.max(...reached);
    if (i >= WARMUP) {
      run.missing += n - reached.length;
      run.msgsPerSecond.push((reached.length / last) * 1000);
      run.lastMs.push(last);
      run.p50s.push(percentile(reached, 50));
      for (const l of reached) run.pooled.push(l);
    }
    if (i === WARMUP - 1) log(`${name}: ${WARMUP} warm-up broadcasts done`);
    await sleep(250);
  }
  run.foreignCores = stopWatch!().foreignCores;
  const usage = process.cpuUsage();
  // The 250 ms pauses between broadcasts are idle (no heartbeat, no traffic).
  run.serverCpuMs = (cpuMs(pid) - serverCpu0) / BROADCASTS;
  run.clientCpuMs = ((usage.user + usage.system) / 1000 - clientCpu0) / BROADCASTS;
  const last = percentile(run.lastMs, 50);
  log(
    `${name}: ${BROADCASTS} broadcasts: delivery p50 ${percentile(run.pooled, 50).toFixed(1)} ms, p99 ${percentile(run.pooled, 99).toFixed(1)} ms, ` +
      `last delivery median ${last.toFixed(1)} ms (min ${Math.min(...run.lastMs).toFixed(1)}, max ${Math.max(...run.lastMs).toFixed(1)}); ` +
      `${Math.round(percentile(run.msgsPerSecond, 50))} msgs/s (median)${run.missing ? `; ${run.missing} deliveries MISSING` : ''}`,
  );
  log(`${name}: CPU per broadcast: server ${run.serverCpuMs.toFixed(0)} ms (${((run.serverCpuMs * 1000) / n).toFixed(1)} µs per message), clients (this process) ${run.clientCpuMs.toFixed(0)} ms; other processes used ${run.foreignCores.toFixed(2)} cores meanwhile`);
  await clients.closeAll();
  return run;
}

async function main(): Promise<void> {
  log(`broadcast benchmark on ${machine()}`);
  const selfLimit = openFilesLimit('self');
  // This process holds one fd per client; each server process one per connection (+ its pools, logs, …).
  let n = REQUESTED;
  if (selfLimit < n + 300) {
    n = Math.max(100, selfLimit - 300);
    log(`LIMIT: the soft open-files limit (ulimit -n) is ${selfLimit}; ${REQUESTED} clients need about ${REQUESTED + 300}: using N = ${n}`);
  } else {
    log(`open-files limit (ulimit -n) ${selfLimit}: enough for ${n} client sockets here and ${n} server sockets in each server process`);
  }

  const redis = new Redis(REDIS_URL);
  onCleanup(async () => redis.disconnect());
  const channel = `bench:broadcast:${crypto.randomBytes(4).toString('hex')}`;

  log('starting the bare ws server and a Brickyard server (WORKERS=1)…');
  const bare = await startBare(channel);
  const pluginsDir = tempDir('bench-broadcast-plugins-');
  writePlugin(pluginsDir, 'bench-gc', { 'server/index.ts': GC_PLUGIN });
  const server = await startBenchServer({
    workers: 1,
    pluginsDir,
    env: {
      WS_MAX_CONNECTIONS: String(Math.max(20_000, n * 2)),
      WS_RATE_PER_SECOND: '100000',
      WS_RATE_BURST: '100000',
      WS_HEARTBEAT_MS: '3600000',
    },
  });
  const health = await getJson(`${server.url}/api/health`);
  const workerPid = Number(health.pid);
  const workerLimit = openFilesLimit(workerPid);
  if (workerLimit < n + 300) log(`LIMIT: the Brickyard worker's open-files limit is ${workerLimit} (< ${n + 300})`);
  log(`bare ws server pid ${bare.pid} on port ${bare.port}; Brickyard HTTP worker pid ${workerPid} on port ${server.port}; frame ${JSON.stringify({ handler: HANDLER, data: payload(10) }).length} bytes`);

  const publisher = new RealtimePublisher(redis, `brickyard:${server.database.name}`);
  const bareRun = await measure('bare ws', bare.port, bare.pid, n, bare.collect, async (seq) => {
    await redis.publish(channel, JSON.stringify({ handler: HANDLER, data: payload(seq) }));
  });
  const collect = async () => {
    const answer = await getJson(`${server.url}/api/plugins/bench-gc`);
    if (answer?.pid !== workerPid) throw new Error(`the bench-gc plugin did not answer from the worker: ${JSON.stringify(answer)}`);
  };
  const oursRun = await measure('brickyard', server.port, workerPid, n, collect, (seq) => publisher.toEveryone(HANDLER, payload(seq)));

  const ours = percentile(oursRun.msgsPerSecond, 50);
  const base = percentile(bareRun.msgsPerSecond, 50);
  const ratio = ours / base;
  console.log('');
  console.log(`clients: ${n} on loopback, all on one Brickyard HTTP worker; ${BROADCASTS} broadcasts each after ${WARMUP} warm-up; frame ${BYTES} bytes`);
  console.log('| server | delivery p50 | delivery p99 | last delivery (median) | msgs/s (median) | server CPU per message | client CPU per broadcast | RSS per idle connection | other load |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of [oursRun, bareRun]) {
    console.log(
      `| ${r.name} | ${percentile(r.pooled, 50).toFixed(1)} ms | ${percentile(r.pooled, 99).toFixed(1)} ms | ${percentile(r.lastMs, 50).toFixed(1)} ms | ` +
        `${Math.round(percentile(r.msgsPerSecond, 50))} | ${((r.serverCpuMs * 1000) / r.n).toFixed(1)} µs | ${r.clientCpuMs.toFixed(0)} ms | ${(r.rssIdleBytes / 1024).toFixed(1)} KiB | ${r.foreignCores.toFixed(2)} cores |`,
    );
  }
  console.log('');
  printResult({
    bench: 'broadcast',
    summary:
      `${n} websocket clients, ${BROADCASTS} broadcasts: Brickyard ${Math.round(ours)} msgs/s (p50 ${percentile(oursRun.pooled, 50).toFixed(1)} ms, p99 ${percentile(oursRun.pooled, 99).toFixed(1)} ms), ` +
      `bare ws ${Math.round(base)} msgs/s (p50 ${percentile(bareRun.pooled, 50).toFixed(1)} ms, p99 ${percentile(bareRun.pooled, 99).toFixed(1)} ms); ` +
      `worker RSS per idle connection ${(oursRun.rssIdleBytes / 1024).toFixed(1)} KiB; other load ${oursRun.foreignCores.toFixed(2)} / ${bareRun.foreignCores.toFixed(2)} cores`,
    ratio,
    ratioLabel: 'brickyard msgs/s ÷ bare ws msgs/s',
    goal: `≥ ${GOAL}`,
    met: ratio >= GOAL,
  });
}

if (args.includes('--role') && arg('role', '') === 'bare-server') {
  void bareServer();
} else {
  runBench(main);
}
