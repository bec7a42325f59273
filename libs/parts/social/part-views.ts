import type { Identity, PluginLogger, PluginStore } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';
import { RATE_MEAN } from '../api/parts-search-sql';

/** Biohub's rule: a viewer's views of one part count once per two hours. */
const VIEW_EVERY_MS = 2 * 3_600_000;
/** How long an answer of popular parts is kept (they change slowly; the query reads a window of every part's activity). */
const POPULAR_CACHE_MS = 60_000;
/** The longest window popular parts may look at (PARTS_POPULAR_WINDOW_HOURS' maximum); older view counts are deleted. */
export const POPULAR_MAX_WINDOW_HOURS = 720;

/** A popular part: its counters, and what happened to it in the window. */
export interface PopularPart {
  part_name: string;
  short_desc: string | null;
  part_type: string | null;
  weight: number;
  stars: number;
  watches: number;
  rates: number;
  rate_mean: number | null;
  /** Stars, watches, ratings (new or changed) and counted views in the window, and their sum, by which parts are ordered. */
  recent: { stars: number; watches: number; ratings: number; views: number; total: number };
}

/**
 * Views of part pages, counted per part and hour (parts_views), and popular
 * parts: those with the most recent stars, watches, ratings and views, each
 * counting one, over the last PARTS_POPULAR_WINDOW_HOURS.
 */
export class PartViews {
  constructor(
    private readonly db: DataSource,
    private readonly store: PluginStore,
    private readonly logger: PluginLogger,
    private readonly windowHours: () => number,
  ) {}

  /**
   * Counts `who`'s view of the part, at most once per VIEW_EVERY_MS: a claim in
   * the cluster's store (per user, or per client address when anonymous), then
   * one upsert of the hour's counter. Never fails the page: errors are logged.
   */
  async count(partName: string, who: Identity): Promise<void> {
    try {
      const viewer = who.userId ? `user:${who.userId}` : `address:${who.address ?? 'unknown'}`;
      if (!(await this.store.set(`viewed:${partName}:${viewer}`, '1', { ifAbsent: true, ttlMs: VIEW_EVERY_MS }))) return;
      await this.db.query(
        `INSERT INTO parts_views (hour, part_name, views) VALUES (DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:00:00'), ?, 1)
         ON DUPLICATE KEY UPDATE views = views + 1`,
        [partName],
      );
    } catch (error) {
      this.logger.warn({ err: error, part: partName }, 'could not count a view');
    }
  }

  /** The `size` most popular live parts, from the store when computed in the last POPULAR_CACHE_MS. */
  async popular(size: number): Promise<{ window_hours: number; items: PopularPart[] }> {
    const hours = this.windowHours();
    const key = `popular:${hours}:${size}`;
    const cached = await this.store.get(key);
    if (cached) return JSON.parse(cached);
    const rows: Record<string, any>[] = await this.db.query(
      `SELECT p.part_name, p.short_desc, p.part_type, p.weight, p.stars, p.watches, p.rates, ${RATE_MEAN} AS rate_mean,
         a.stars AS recent_stars, a.watches AS recent_watches, a.ratings AS recent_ratings, a.views AS recent_views, a.total
       FROM (
         SELECT part_name, SUM(stars) AS stars, SUM(watches) AS watches, SUM(ratings) AS ratings, SUM(views) AS views,
           SUM(stars + watches + ratings + views) AS total
         FROM (
           SELECT part_name, COUNT(*) AS stars, 0 AS watches, 0 AS ratings, 0 AS views FROM parts_stars
             WHERE created_at >= NOW(3) - INTERVAL ? HOUR GROUP BY part_name
           UNION ALL SELECT part_name, 0, COUNT(*), 0, 0 FROM parts_watches WHERE created_at >= NOW(3) - INTERVAL ? HOUR GROUP BY part_name
           UNION ALL SELECT part_name, 0, 0, COUNT(*), 0 FROM parts_ratings WHERE updated_at >= NOW(3) - INTERVAL ? HOUR GROUP BY part_name
           UNION ALL SELECT part_name, 0, 0, 0, SUM(views) FROM parts_views WHERE hour >= UTC_TIMESTAMP() - INTERVAL ? HOUR GROUP BY part_name
         ) events GROUP BY part_name
       ) a
       JOIN parts p ON p.part_name = a.part_name
       ORDER BY a.total DESC, p.weight DESC, p.part_name
       LIMIT ?`,
      [hours, hours, hours, hours, size],
    );
    const answer = {
      window_hours: hours,
      items: rows.map((r) => ({
        part_name: r.part_name, short_desc: r.short_desc, part_type: r.part_type, weight: Number(r.weight),
        stars: Number(r.stars), watches: Number(r.watches), rates: Number(r.rates), rate_mean: r.rate_mean === null ? null : Number(r.rate_mean),
        recent: { stars: Number(r.recent_stars), watches: Number(r.recent_watches), ratings: Number(r.recent_ratings), views: Number(r.recent_views), total: Number(r.total) },
      })),
    };
    await this.store.set(key, JSON.stringify(answer), { ttlMs: POPULAR_CACHE_MS });
    // Hour counters past the longest window any setting can ask for are of no use (a range of the primary key).
    await this.db.query(`DELETE FROM parts_views WHERE hour < UTC_TIMESTAMP() - INTERVAL ${POPULAR_MAX_WINDOW_HOURS} HOUR`);
    return answer;
  }
}
