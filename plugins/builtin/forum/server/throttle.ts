import { BrickyardError, type PluginStore } from '@brickyard/sdk';

/** A 429 that says when to retry: controllers send `retryAfter` as the Retry-After header. */
export class ThrottledError extends BrickyardError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super('rate_limited', message);
  }
}

/**
 * Biohub's throttles (THROTTLE.experience, .post, .vote): at least an interval
 * between two actions of one kind by one user (on one part, for experiences).
 * A claim is a key of the cluster's shared store set only when absent, living
 * for the interval, so it holds across workers and hosts; its value is when it
 * was taken, to tell a refused user when to retry. A claim whose action then
 * fails is given back.
 */
export class ForumThrottle {
  constructor(private readonly store: PluginStore) {}

  /** Takes the slot `key` for `seconds`, or throws a 429 naming `what` and the seconds left. */
  async claim(key: string, seconds: number, what: string): Promise<Claim> {
    if (seconds <= 0) return { release: async () => {} };
    const now = Date.now();
    const storeKey = `throttle:${key}`;
    if (await this.store.set(storeKey, String(now), { ifAbsent: true, ttlMs: seconds * 1000 })) {
      return { release: () => this.store.delete(storeKey).catch(() => {}) };
    }
    const since = Number(await this.store.get(storeKey)) || now;
    const wait = Math.max(1, Math.ceil((since + seconds * 1000 - now) / 1000));
    throw new ThrottledError(`${what}: try again in ${wait} s`, wait);
  }

  /** Takes every slot or none: the first refusal gives back those already taken. */
  async claimAll(claims: { key: string; seconds: number; what: string }[]): Promise<Claim> {
    const taken: Claim[] = [];
    try {
      for (const c of claims) taken.push(await this.claim(c.key, c.seconds, c.what));
    } catch (error) {
      await Promise.all(taken.map((t) => t.release()));
      throw error;
    }
    return { release: async () => void (await Promise.all(taken.map((t) => t.release()))) };
  }
}

export interface Claim {
  release(): Promise<void>;
}
