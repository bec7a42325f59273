import type { Redis } from 'ioredis';
import type { ClusterRole, PluginError } from './control-bus';

/** How one process took part in a reload. */
export interface ReloadParticipant {
  id: string;
  host: string;
  pid: number;
  role: ClusterRole;
  /**
   * `converged`: it replied with the new generation; `failed`: it replied that it could not
   * converge (it keeps its previous generation); `no-reply`: the reload stopped waiting for it;
   * `departed`: it stopped beating during the reload (died) and was no longer waited for.
   */
  outcome: 'converged' | 'failed' | 'no-reply' | 'departed';
  /** Milliseconds from the reload's start to its reply (converged or failed). */
  ms: number | null;
  /** Why it did not converge. */
  reason: string | null;
}

/** One cluster reload as kept for the console (GET /api/admin/reloads). */
export interface ReloadRecord {
  generation: number;
  reason: string;
  /** Who asked: a user name, or the signal or watcher that started it. */
  requestedBy: string;
  startedAt: number;
  durationMs: number;
  ok: boolean;
  /** Every process the reload waited for, in the order they replied (those that did not, last). */
  processes: ReloadParticipant[];
  errors: PluginError[];
}

/** Enough to see a pattern (every reload slow on one host) without growing. */
export const RELOADS_KEPT = 20;

/** The last RELOADS_KEPT reloads of a cluster, newest first, in a Redis list beside the process registry. */
export class ReloadHistory {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  private get key(): string {
    return `${this.namespace}:reloads`;
  }

  async add(record: ReloadRecord): Promise<void> {
    await this.redis.multi().lpush(this.key, JSON.stringify(record)).ltrim(this.key, 0, RELOADS_KEPT - 1).exec();
  }

  async list(limit = RELOADS_KEPT): Promise<ReloadRecord[]> {
    const texts = await this.redis.lrange(this.key, 0, Math.max(0, Math.min(limit, RELOADS_KEPT) - 1));
    return texts.map((text) => JSON.parse(text) as ReloadRecord);
  }
}
