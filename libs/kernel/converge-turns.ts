import type { Redis } from 'ioredis';
import * as os from 'node:os';

export interface ConvergeTurnOptions {
  /** A turn is released by its holder; this expiry only frees it if the holder died mid-converge. */
  ttlMs?: number;
  /** Past this wait a process converges anyway (a slow converge elsewhere must not hold the cluster back). */
  maxWaitMs?: number;
}

const POLL_MS = 5;

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * The processes of one host take turns to converge. A rebuild is CPU work on
 * the event loop that serves requests; when every worker rebuilt at the same
 * moment they competed for the same cores and all their requests waited
 * together. Taking turns, the others serve at full speed while one rebuilds
 * (docs/benchmarks.md, "Latency while reloading"). The turn is a Redis key per
 * host, so it also covers job workers started separately on that host.
 */
export class ConvergeTurns {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    namespace: string,
    private readonly holder: string,
    private readonly options: ConvergeTurnOptions = {},
  ) {
    this.key = `${namespace}:converge-turn:${os.hostname()}`;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const { ttlMs = 30_000, maxWaitMs = 10_000 } = this.options;
    const deadline = Date.now() + maxWaitMs;
    let held = false;
    while (!(held = (await this.redis.set(this.key, this.holder, 'PX', ttlMs, 'NX')) === 'OK') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    try {
      return await work();
    } finally {
      if (held) await this.redis.eval(RELEASE, 1, this.key, this.holder).catch(() => {});
    }
  }
}
