import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How a process is doing, measured over the interval since its previous heartbeat. */
export interface ProcessMetrics {
  /** CPU time (user + system) over wall time, in percent of one core (a busy multi-threaded process may pass 100). */
  cpuPercent: number;
  /** Resident set size and V8 heap in use, in bytes. */
  rssBytes: number;
  heapUsedBytes: number;
  /** Event-loop delay over the interval, in milliseconds: its mean and 99th percentile. */
  loopLagMeanMs: number;
  loopLagP99Ms: number;
  /** When the process started (epoch ms) and for how long it has run. */
  startedAt: number;
  uptimeSeconds: number;
}

/** Event-loop delay is sampled every 20 ms: fine enough to see a stall, cheap enough to leave on. */
const LOOP_RESOLUTION_MS = 20;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Measures this process between two samples (the control bus's heartbeats):
 * each sample reads the counters' change since the previous one, then resets
 * the event-loop histogram. A few reads of process counters every 2 s; no
 * timers of its own besides Node's delay monitor.
 */
export class ProcessMetricsSampler {
  private readonly loop: IntervalHistogram;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();
  private readonly startedAt = Date.now() - Math.round(process.uptime() * 1000);

  constructor() {
    this.loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loop.enable();
  }

  sample(): ProcessMetrics {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const wallMicros = Math.max(1, (now - this.lastAt) * 1000);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const memory = process.memoryUsage();
    // The histogram holds nanoseconds and includes the sampling resolution itself: that is subtracted, so an idle loop reads ~0.
    const count = this.loop.count;
    const lag = (ns: number) => (count ? round(Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS), 2) : 0);
    const metrics: ProcessMetrics = {
      cpuPercent: round(((cpu.user + cpu.system) / wallMicros) * 100),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      loopLagMeanMs: lag(this.loop.mean),
      loopLagP99Ms: lag(this.loop.percentile(99)),
      startedAt: this.startedAt,
      uptimeSeconds: Math.round(process.uptime()),
    };
    this.loop.reset();
    return metrics;
  }

  stop(): void {
    this.loop.disable();
  }
}
