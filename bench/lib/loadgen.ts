/**
 * A small HTTP load generator, run as its own process so that it never shares
 * an event loop with the server under test:
 *
 *   node bin/run-ts.js bench/lib/loadgen-main.ts '<json LoadOptions>'
 *
 * `connections` keep-alive connections each send one request at a time. With
 * `rate` > 0 the requests follow a fixed schedule (`rate` per second in all) and
 * latency counts from the scheduled send time, so a stalled server is charged
 * for the requests it delayed (no coordinated omission); with `rate` 0 each
 * connection sends as fast as answers come (throughput mode). Prints one JSON
 * `LoadResult` line on stdout.
 */
import * as http from 'node:http';

export interface LoadOptions {
  url: string;
  connections: number;
  durationMs: number;
  /** Requests per second for all connections together; 0 = as fast as possible. */
  rate: number;
  /** Sent (and not counted) before the measured period. */
  warmupMs?: number;
  /** Also return every measured latency (to pool several runs). */
  raw?: boolean;
  /** `GET` by default. */
  method?: string;
  /** Sent with every request (e.g. a session cookie, a content type). */
  headers?: Record<string, string>;
  /** Sent as the body of every request. */
  body?: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  /** Answers with a status other than 200. */
  non200: number;
  statuses: Record<string, number>;
  /** Socket errors and timeouts. */
  errors: number;
  errorSamples: string[];
  /** Latency from the scheduled send time (ms). */
  latency: Percentiles;
  /** Latency from the actual send time (ms): the server's service time plus the network. */
  serviceTime: Percentiles;
  /** The slowest requests: when they were scheduled (ms since the start of the measured period) and how long they took. */
  slowest: { atMs: number; ms: number }[];
  /** Every latency from the scheduled send time, when `raw` was asked. */
  latencies?: number[];
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

function percentiles(values: Float64Array | number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN);
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: sorted.length ? sorted[sorted.length - 1]! : NaN, mean: sum / (sorted.length || 1) };
}

export async function generateLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const warmupMs = options.warmupMs ?? 0;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const end = measureFrom + options.durationMs;
  const interval = options.rate > 0 ? (1000 * options.connections) / options.rate : 0;

  const latencies: number[] = [];
  const service: number[] = [];
  const scheduledAt: number[] = [];
  const statuses: Record<string, number> = {};
  let non200 = 0;
  let errors = 0;
  const errorSamples: string[] = [];

  const send = () =>
    new Promise<number>((resolve) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, agent, method: options.method ?? 'GET', headers: options.headers, timeout: 30_000 },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', () => resolve(-1));
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout after 30 s')));
      request.on('error', (error) => {
        if (errorSamples.length < 5) errorSamples.push(error.message);
        resolve(-1);
      });
      request.end(options.body);
    });

  const loop = async (index: number) => {
    // Spread the connections' schedules evenly over one interval.
    let scheduled = t0 + (interval * index) / options.connections;
    for (;;) {
      let now = performance.now();
      if (interval > 0 && scheduled > now) {
        await new Promise((resolve) => setTimeout(resolve, scheduled - now));
        now = performance.now();
      }
      if (now >= end) return;
      const intended = interval > 0 ? scheduled : now;
      const status = await send();
      const done = performance.now();
      if (intended >= measureFrom) {
        latencies.push(done - intended);
        service.push(done - now);
        scheduledAt.push(intended - measureFrom);
        if (status === -1) errors++;
        else {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status !== 200) non200++;
        }
      }
      if (interval > 0) scheduled += interval;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, i) => loop(i)));
  agent.destroy();

  const order = latencies.map((_, i) => i).sort((a, b) => latencies[b]! - latencies[a]!);
  return {
    requests: latencies.length,
    rps: latencies.length / (options.durationMs / 1000),
    non200,
    statuses,
    errors,
    errorSamples,
    latency: percentiles(latencies),
    serviceTime: percentiles(service),
    slowest: order.slice(0, 10).map((i) => ({ atMs: Math.round(scheduledAt[i]!), ms: Number(latencies[i]!.toFixed(1)) })),
    ...(options.raw ? { latencies: latencies.map((v) => Math.round(v * 100) / 100) } : {}),
  };
}
