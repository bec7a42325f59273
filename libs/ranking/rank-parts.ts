import type { DataSource, QueryRunner } from 'typeorm';
import { FORUM_COUNTERS, STRATEGIES, type RankingStrategy } from './ranking-strategies';

export interface RankResult {
  strategy: string;
  parts: number;
  /** Weights inserted or changed (unchanged ones are not written). */
  written: number;
  removed: number;
  durationMs: number;
  /** Milliseconds of each step: the forum counters, the maxima, the upsert (with its two counts), the removal. */
  stepsMs: { inputs: number; maxima: number; upsert: number; remove: number };
}

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * The columns of the parts table that ranking reads: the strategies' signals
 * use only these (through `p.`), so the snapshot may keep anything else
 * elsewhere. part_id keys the weights; part_name only finds the forum
 * counters. All but part_name are in the snapshot's covering index
 * `ranking_inputs` (RANKING_INPUTS_INDEX), which the weights query scans.
 */
export const RANKING_INPUTS = [
  'part_id', 'part_name', 'status', 'sample_status', 'works', 'uses', 'favorite', 'has_barcode', 'compatible_standards', 'review_total', 'review_count',
] as const;

/**
 * The one-row table `m` of the strategies: maxima of the part counters and of
 * the forum counters, and the global mean rating. `partsTable` needs only
 * `uses`, `review_total` and `review_count`.
 */
export function maximaQuery(partsTable: string): string {
  return `
    SELECT MAX(p2.uses) AS max_uses, MAX(p2.review_total) AS max_review_total, MAX(p2.review_count) AS max_review_count,
      COALESCE((SELECT MAX(rates) FROM part_forum_stats), 0) AS max_rates,
      COALESCE((SELECT MAX(stars) FROM part_forum_stats), 0) AS max_stars,
      COALESCE((SELECT MAX(watches) FROM part_forum_stats), 0) AS max_watches,
      COALESCE((SELECT 1e0 * SUM(rate_sum) / NULLIF(SUM(rates), 0) FROM part_forum_stats), 3) AS mean_rate
    FROM ${partsTable} p2`;
}

/**
 * The SELECT computing every part's weight and components under a strategy,
 * from `inputsTable` (as `p`: RANKING_INPUTS and FORUM_COUNTERS, see
 * rankParts) and `maximaTable` (one row of maximaQuery, as `m`).
 */
export function weightsQuery(strategy: RankingStrategy, inputsTable: string, maximaTable: string): string {
  const numerator = strategy.signals.map((s) => `${s.score} * COALESCE(${s.value}, 0)`).join(' + ');
  // Integer sum of the present signals' scores; a signal that is never NULL is not evaluated for it.
  const denominator = strategy.signals.map((s) => (s.alwaysPresent ? `${s.score}` : `IF((${s.value}) IS NOT NULL, ${s.score}, 0)`)).join(' + ');
  // The text JSON_OBJECT('name', value, …) would give, built with CONCAT: the
  // same bytes (each value through its own val_str, NULL as null), at a tenth
  // of the server's CPU time. Signal names are plain identifiers.
  const components = `CONCAT(${strategy.signals
    .map((s, i) => `'${i ? ', ' : '{'}"${s.name}": ', IFNULL(${s.value}, 'null')`)
    .join(', ')}, '}')`;
  return `
    SELECT p.part_id,
      ROUND((${numerator}) / NULLIF(${denominator}, 0), 9) AS weight,
      ${components} AS components
    FROM ${inputsTable} p
    CROSS JOIN ${maximaTable} m`;
}

/**
 * Recomputes every part's weight, set-based in SQL, and writes only the weights
 * that changed (new parts are inserted). `partsTable` is the live snapshot or,
 * during an import, the one about to go live; weights of parts no longer in it
 * are removed only with `removeMissing`, so the live view never loses a part early.
 *
 * The statements, on one connection:
 * 1. the forum counters of the few parts that have any (a few percent) go into
 *    a small in-memory table keyed by part_id (a hash lookup per part is
 *    cheap; a lookup by part_name, under its unicode collation, is not);
 * 2. the maxima (one row);
 * 3. one `INSERT … SELECT … ON DUPLICATE KEY UPDATE` over the parts table, which
 *    the server reads from its covering index `ranking_inputs` in part_id order,
 *    the order of `part_weights`' key: new parts are inserted, and a row whose
 *    weight, components and strategy are all equal is not written (the server
 *    skips an update that changes nothing);
 * 4. with `removeMissing`, when `part_weights` holds more rows than the parts
 *    just ranked (all of which it now holds), one anti-join DELETE of the
 *    parts that left.
 */
export async function rankParts(db: DataSource, partsTable: string, strategyName: string, removeMissing = true): Promise<RankResult> {
  const started = Date.now();
  const strategy = STRATEGIES[strategyName];
  if (!strategy) throw new Error(`no ranking strategy "${strategyName}": choose ${Object.keys(STRATEGIES).join(' or ')}`);
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('DROP TEMPORARY TABLE IF EXISTS rank_forum, rank_maxima');
    let t = Date.now();
    const lap = () => {
      const now = Date.now();
      const ms = now - t;
      t = now;
      return ms;
    };
    // A MEMORY table is sized when created: room for every forum row, whatever the server's default.
    const [{ n: forumRows }] = await runner.query('SELECT COUNT(*) AS n FROM part_forum_stats');
    await runner.query(
      `SET STATEMENT max_heap_table_size = GREATEST(@@max_heap_table_size, ${Number(forumRows) * 128 + 1048576}) FOR
       CREATE TEMPORARY TABLE rank_forum (part_id INT NOT NULL, ${FORUM_COUNTERS.map((c) => `${c} INT NOT NULL`).join(', ')},
         PRIMARY KEY USING HASH (part_id)) ENGINE=MEMORY
       SELECT p.part_id, ${FORUM_COUNTERS.map((c) => `f.${c}`).join(', ')}
       FROM part_forum_stats f STRAIGHT_JOIN ${partsTable} p ON p.part_name = f.part_name`,
    );
    const inputs = lap();
    await runner.query(`CREATE TEMPORARY TABLE rank_maxima ENGINE=InnoDB ${maximaQuery(partsTable)}`);
    const maxima = lap();
    // The parts with their forum counters (NULL when none): merged into the weights query, not materialized.
    const parts = `(SELECT ${RANKING_INPUTS.filter((c) => c !== 'part_name').map((c) => `p.${c}`).join(', ')}, ${FORUM_COUNTERS.map((c) => `f.${c}`).join(', ')}
       FROM ${partsTable} p LEFT JOIN rank_forum f ON f.part_id = p.part_id)`;
    const before = await countWeights(runner);
    const upsert = await runner.query(
      `INSERT INTO part_weights (part_id, weight, components, strategy)
       SELECT w.part_id, COALESCE(w.weight, 0), w.components, ? FROM (${weightsQuery(strategy, parts, 'rank_maxima')}) w
       ON DUPLICATE KEY UPDATE weight = VALUES(weight), components = VALUES(components), strategy = VALUES(strategy)`,
      [strategy.name],
    );
    const { records, changed } = upsertCounts(upsert);
    const after = await countWeights(runner);
    const written = after - before + changed;
    const upserted = lap();
    let removed = 0;
    if (removeMissing && after > records) {
      const result = await runner.query(`DELETE w FROM part_weights w LEFT JOIN ${partsTable} p ON p.part_id = w.part_id WHERE p.part_id IS NULL`);
      removed = Number(result.affectedRows) || 0;
    }
    const remove = lap();
    return {
      strategy: strategy.name, parts: records, written, removed, durationMs: Date.now() - started,
      stepsMs: { inputs, maxima, upsert: upserted, remove },
    };
  } finally {
    await runner.query('DROP TEMPORARY TABLE IF EXISTS rank_forum, rank_maxima').catch(() => {});
    await runner.release();
  }
}

/**
 * Rows read and existing rows changed by an `INSERT … SELECT … ON DUPLICATE KEY
 * UPDATE`, from its OK packet's info, "Records: R  Duplicates: D": the server
 * counts as duplicates only the rows it updated with different values (an update
 * to equal values is skipped, not written). affectedRows cannot tell inserts from
 * unchanged rows when the client sets CLIENT_FOUND_ROWS (mysql2 does), so the
 * inserts are counted as the growth of the table.
 */
function upsertCounts(result: { info?: string }): { records: number; changed: number } {
  const match = /Records:\s*(\d+)\s+Duplicates:\s*(\d+)/.exec(result.info ?? '');
  if (!match) throw new Error(`rankParts: no record counts in the server's answer: ${JSON.stringify(result.info)}`);
  return { records: Number(match[1]), changed: Number(match[2]) };
}

async function countWeights(runner: QueryRunner): Promise<number> {
  const [{ n }] = await runner.query('SELECT COUNT(*) AS n FROM part_weights');
  return Number(n);
}

export const qualified = (database: string, table: string) => `${q(database)}.${q(table)}`;
