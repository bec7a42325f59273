import { createHash } from 'node:crypto';
import type { PluginStore } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';

/**
 * Keeps the totals of listings without words (filters over the `parts` view) in
 * Redis, shared by every process of the cluster: a COUNT over a large snapshot
 * reads every row the filters keep, and the same filters are listed again and
 * again. (Searches with words are counted by the in-memory search index.)
 *
 * A total depends on the live snapshot and on which parts have a weight (the
 * `parts` view shows only those). Both change only by an import or a ranking,
 * and each of those ends by writing what `dataVersion` reads: an import its
 * `finished_at`, a ranking its `ranking_state`. The version is read before
 * counting and is part of the key, so a total counted over older data is never
 * served once the version has moved. The time to live bounds what a process
 * killed between a change and its record could leave behind.
 */
export class SearchCountCache {
  constructor(
    /** The parts plugin's shared store (Redis, shared by the cluster). */
    private readonly store: PluginStore,
    private readonly db: DataSource,
    /** Seconds a total is kept; 0 turns the cache off. */
    private readonly ttlSeconds: () => number,
  ) {}

  /** The total for `query` (any JSON-able description of the words and filters), from the cache or from `count`. */
  async total(query: unknown, count: () => Promise<number>): Promise<number> {
    const ttl = this.ttlSeconds();
    if (ttl <= 0) return count();
    const version = await this.dataVersion();
    const key = `search-total:${createHash('sha1').update(JSON.stringify([version, query])).digest('hex')}`;
    const cached = await this.store.get(key).catch(() => null);
    if (cached !== null) return Number(cached);
    const total = await count();
    // Redis being away costs speed, not answers.
    await this.store.set(key, String(total), { ttlMs: ttl * 1000 }).catch(() => {});
    return total;
  }

  private async dataVersion(): Promise<string> {
    const [row] = await this.db.query(
      `SELECT (SELECT MAX(finished_at) FROM snapshot_imports) AS imported, (SELECT CONCAT(ranked_at, ' ', weights_checksum) FROM ranking_state) AS ranked`,
    );
    return `${row?.imported ?? ''}|${row?.ranked ?? ''}`;
  }
}
