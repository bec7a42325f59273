import type { DataSource } from 'typeorm';
import { STRATEGIES, type RankingStrategy } from './ranking-strategies';

export interface RankResult {
  strategy: string;
  parts: number;
  written: number;
  removed: number;
  durationMs: number;
}

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** The SELECT computing every part's weight and components under a strategy. */
export function weightsQuery(strategy: RankingStrategy, partsTable: string, where = ''): string {
  const present = (value: string) => `(${value}) IS NOT NULL`;
  const numerator = strategy.signals.map((s) => `${s.score} * COALESCE(${s.value}, 0)`).join(' + ');
  const denominator = strategy.signals.map((s) => `IF(${present(s.value)}, ${s.score}, 0)`).join(' + ');
  const components = strategy.signals.map((s) => `'${s.name}', ${s.value}`).join(', ');
  return `
    SELECT p.part_name,
      ROUND((${numerator}) / NULLIF(${denominator}, 0), 9) AS weight,
      JSON_OBJECT(${components}) AS components
    FROM ${partsTable} p
    LEFT JOIN part_forum_stats f ON f.part_name = p.part_name
    CROSS JOIN (
      SELECT MAX(p2.uses) AS max_uses, MAX(p2.review_total) AS max_review_total, MAX(p2.review_count) AS max_review_count,
        COALESCE((SELECT MAX(rates) FROM part_forum_stats), 0) AS max_rates,
        COALESCE((SELECT MAX(stars) FROM part_forum_stats), 0) AS max_stars,
        COALESCE((SELECT MAX(watches) FROM part_forum_stats), 0) AS max_watches,
        COALESCE((SELECT 1e0 * SUM(rate_sum) / NULLIF(SUM(rates), 0) FROM part_forum_stats), 3) AS mean_rate
      FROM ${partsTable} p2
    ) m
    ${where}`;
}

/**
 * Recomputes every part's weight, set-based in SQL, and writes only the weights
 * that changed (new parts are inserted). `partsTable` is the live snapshot or,
 * during an import, the one about to go live; weights of parts no longer in it
 * are removed only with `removeMissing`, so the live view never loses a part early.
 */
export async function rankParts(db: DataSource, partsTable: string, strategyName: string, removeMissing = true): Promise<RankResult> {
  const started = Date.now();
  const strategy = STRATEGIES[strategyName];
  if (!strategy) throw new Error(`no ranking strategy "${strategyName}": choose ${Object.keys(STRATEGIES).join(' or ')}`);
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('DROP TEMPORARY TABLE IF EXISTS computed_weights');
    await runner.query(
      `CREATE TEMPORARY TABLE computed_weights (part_name VARCHAR(255) NOT NULL PRIMARY KEY, weight DOUBLE NULL, components TEXT NOT NULL)
       ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci AS ${weightsQuery(strategy, partsTable)}`,
    );
    const updated = await runner.query(`
      UPDATE part_weights w JOIN computed_weights c ON c.part_name = w.part_name
      SET w.weight = COALESCE(c.weight, 0), w.components = c.components, w.strategy = ?
      WHERE NOT (w.weight <=> COALESCE(c.weight, 0)) OR w.strategy <> ? OR NOT (w.components <=> c.components)`, [strategy.name, strategy.name]);
    const inserted = await runner.query(`
      INSERT INTO part_weights (part_name, weight, components, strategy)
      SELECT c.part_name, COALESCE(c.weight, 0), c.components, ? FROM computed_weights c
      LEFT JOIN part_weights w ON w.part_name = c.part_name WHERE w.part_name IS NULL`, [strategy.name]);
    let removed = 0;
    if (removeMissing) {
      const result = await runner.query(`DELETE w FROM part_weights w LEFT JOIN computed_weights c ON c.part_name = w.part_name WHERE c.part_name IS NULL`);
      removed = result.affectedRows;
    }
    const [{ n }] = await runner.query('SELECT COUNT(*) AS n FROM computed_weights');
    await runner.query('DROP TEMPORARY TABLE computed_weights');
    return { strategy: strategy.name, parts: Number(n), written: affected(updated) + affected(inserted), removed, durationMs: Date.now() - started };
  } finally {
    await runner.release();
  }
}

function affected(result: unknown): number {
  const r = result as { affectedRows?: number } | [unknown, number];
  if (Array.isArray(r)) return Number(r[1]) || 0;
  return r.affectedRows ?? 0;
}

export const qualified = (database: string, table: string) => `${q(database)}.${q(table)}`;
