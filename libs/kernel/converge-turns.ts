import type { Redis } from 'ioredis';
import * as os from 'node:os';

/** A turn is released by its holder; this expiry only frees it if the holder died mid-converge. */
const TURN_TTL_MS = 30_000;
/** Past this wait a process converges anyway (a slow converge elsewhere must not hold the cluster back). */
const MAX_WAIT_MS = 10_000;
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
  ) {
    this.key = `${namespace}:converge-turn:${os.hostname()}`;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + MAX_WAIT_MS;
    let held = false;
    while (!(held = (await this.redis.set(this.key, this.holder, 'PX', TURN_TTL_MS, 'NX')) === 'OK') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    try {
      return await work();
    } finally {
      if (held) await this.redis.eval(RELEASE, 1, this.key, this.holder).catch(() => {});
    }
  }
}
