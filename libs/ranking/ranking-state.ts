import type { DataSource } from 'typeorm';
import { FORUM_COUNTERS, signalInputsQuery, STRATEGIES, type RankingStrategy } from './ranking-strategies';
import { sqlString } from './value-tables';

/**
 * What the last ranking saw besides the parts themselves, kept so a part's
 * weight components can be worked out on read, exactly as the ranking computed
 * them, without storing a million JSON texts:
 *
 * - `ranking_state`, one row: the strategy, the maxima and the global mean
 *   rating (maximaQuery), the number of parts ranked and when, and the
 *   CHECKSUM TABLE of the weights it left (so the next ranking knows whether
 *   the stored weights are still its own);
 * - `ranking_forum`: the forum counters of the parts that had any, by part_id.
 *
 * A ranking builds both as `<name>_next` and swaps them in with the weights.
 */
export const RANKING_STATE = 'ranking_state';
export const RANKING_FORUM = 'ranking_forum';

/**
 * The one-row table `m` of the strategies: maxima (and, for `classic`'s log
 * scales, minima) of the part counters, maxima of the forum counters, and the
 * global mean rating. `partsTable` needs only
 * `uses`, `review_total` and `review_count`.
 */
export function maximaQuery(partsTable: string): string {
  return `
    SELECT MAX(p2.uses) AS max_uses, MAX(p2.review_total) AS max_review_total, MAX(p2.review_count) AS max_review_count,
      MIN(p2.uses) AS min_uses, MIN(p2.review_total) AS min_review_total, MIN(p2.review_count) AS min_review_count,
      ${FORUM_MAXIMA}
    FROM ${partsTable} p2`;
}

/**
 * The columns of `m` that come from part_forum_stats: its maxima and the global
 * mean rating (3 when nothing is rated). A ranking stores them in its state; a
 * live reweight (reweight-part.ts) computes them afresh with this same text.
 */
export const FORUM_MAXIMA = `COALESCE((SELECT MAX(rates) FROM part_forum_stats), 0) AS max_rates,
      COALESCE((SELECT MAX(stars) FROM part_forum_stats), 0) AS max_stars,
      COALESCE((SELECT MAX(watches) FROM part_forum_stats), 0) AS max_watches,
      COALESCE((SELECT 1e0 * SUM(rate_sum) / NULLIF(SUM(rates), 0) FROM part_forum_stats), 3) AS mean_rate`;

/**
 * `CREATE TABLE <table>` holding the ranking state of `strategy` over
 * `partsTable` (one row), or, with `empty`, none (the table's shape only). The
 * column types come from the maxima query, so the state gives the signals the
 * very values the ranking used.
 */
export function createStateTable(table: string, partsTable: string, strategy: string, options: { empty?: boolean } = {}): string {
  return `CREATE TABLE ${table} (PRIMARY KEY (id)) ENGINE=InnoDB
    SELECT 1 AS id, CAST(${sqlString(strategy)} AS CHAR(40)) AS strategy, m.*, CAST(0 AS UNSIGNED) AS parts, NOW(3) AS ranked_at,
      CAST(NULL AS UNSIGNED) AS weights_checksum
    FROM (${maximaQuery(partsTable)}) m${options.empty ? ' WHERE FALSE' : ''}`;
}

/** `CREATE TABLE <table>` for the forum counters as ranked (part_id and FORUM_COUNTERS). */
export function createForumTable(table: string): string {
  return `CREATE TABLE ${table} (part_id INT NOT NULL PRIMARY KEY, ${FORUM_COUNTERS.map((c) => `${c} INT NOT NULL`).join(', ')}) ENGINE=InnoDB`;
}

/**
 * The SQL text of a strategy's components as a JSON object: the text
 * JSON_OBJECT('name', value, …) would give, built with CONCAT (each value
 * through its own val_str, NULL as null) at a tenth of the server's CPU time.
 * Signal names are plain identifiers.
 */
export function componentsExpression(strategy: RankingStrategy): string {
  return `CONCAT(${strategy.signals.map((s, i) => `'${i ? ', ' : '{'}"${s.name}": ', IFNULL(${s.value}, 'null')`).join(', ')}, '}')`;
}

/**
 * One part's weight components under the last ranking's strategy and state:
 * one row (strategy, ranked_at, components as JSON text) for the part with
 * part_id = ?, none when nothing was ranked yet. `partsTable` is the live
 * snapshot's parts table.
 */
export function partComponentsQuery(partsTable: string): string {
  const inputs = signalInputsQuery(partsTable, RANKING_FORUM, 'p.part_id = ?');
  const cases = Object.values(STRATEGIES).map((s) => `WHEN ${sqlString(s.name)} THEN ${componentsExpression(s)}`).join(' ');
  return `SELECT m.strategy, m.ranked_at, CASE m.strategy ${cases} END AS components FROM (${inputs}) p CROSS JOIN ${RANKING_STATE} m`;
}

/**
 * One part's weight components as the parts API serves them (a
 * WeightComponentsReader of @brickyard/parts); undefined before the first ranking.
 */
export async function readWeightComponents(
  db: DataSource,
  partsTable: string,
  partId: number,
): Promise<{ strategy: string; ranked_at: Date; components: Record<string, number | null> } | undefined> {
  const [row] = await db.query(partComponentsQuery(partsTable), [partId]);
  return row && { strategy: row.strategy, ranked_at: row.ranked_at, components: JSON.parse(row.components) };
}
