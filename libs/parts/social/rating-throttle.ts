import { BrickyardError, type PluginStore } from '@brickyard/sdk';

/**
 * Biohub's rating throttle: at least `intervalSeconds` between two ratings by
 * one user. The claim is a key of the cluster's store set only when absent, with
 * the interval as its lifetime, so it holds across workers and hosts; its value
 * is when it was taken, to tell the refused user when to retry.
 */
export class RatingThrottle {
  constructor(
    private readonly store: PluginStore,
    private readonly intervalSeconds: () => number,
  ) {}

  /** Takes the user's slot, or refuses with 429 and the seconds left. */
  async claim(userId: string): Promise<void> {
    const seconds = this.intervalSeconds();
    if (seconds <= 0) return;
    const now = Date.now();
    if (await this.store.set(this.key(userId), String(now), { ifAbsent: true, ttlMs: seconds * 1000 })) return;
    const since = Number(await this.store.get(this.key(userId))) || now;
    const wait = Math.max(1, Math.ceil((since + seconds * 1000 - now) / 1000));
    throw new BrickyardError('rate_limited', `one rating every ${seconds} s: try again in ${wait} s`);
  }

  /** Gives the slot back (the rating it was taken for did not happen). */
  release(userId: string): Promise<void> {
    return this.store.delete(this.key(userId));
  }

  private key(userId: string): string {
    return `rating-throttle:${userId}`;
  }
}
