import type { DataSource, QueryRunner } from 'typeorm';
import { FORUM_COUNTERS, STRATEGIES, type RankingStrategy } from './ranking-strategies';

export interface RankResult {
  strategy: string;
  parts: number;
  /** Weights inserted or changed (unchanged ones are not written). */
  written: number;
  removed: number;
  durationMs: number;
  /** Milliseconds of each step: copying the inputs, the maxima, the upsert (with its two counts), the removal. */
  stepsMs: { inputs: number; maxima: number; upsert: number; remove: number };
}

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * The columns of the parts table that ranking reads: the strategies' signals
 * use only these (through `p.`), so the snapshot may keep anything else
 * elsewhere.
 */
export const RANKING_INPUTS = [
  'part_name', 'status', 'sample_status', 'works', 'uses', 'favorite', 'has_barcode', 'compatible_standards', 'review_total', 'review_count',
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
    SELECT p.part_name,
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
 * 1. one scan of `partsTable` copies the ranking inputs (a few narrow columns)
 *    into a temporary table, then keyed by part name, and one UPDATE driven by
 *    `part_forum_stats` (a few percent of the parts) adds their forum counters,
 *    so no per-part join is left for the weights;
 * 2. the maxima (one row) from that copy and the forum counters;
 * 3. one `INSERT … SELECT … ON DUPLICATE KEY UPDATE` over the copy, in part-name
 *    order, so `part_weights` is walked in its key order: new parts are
 *    inserted, and a row whose weight, components and strategy are all equal
 *    is not written (the server skips an update that changes nothing);
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
    await runner.query('DROP TEMPORARY TABLE IF EXISTS rank_inputs, rank_maxima');
    let t = Date.now();
    const lap = () => {
      const now = Date.now();
      const ms = now - t;
      t = now;
      return ms;
    };
    // Loaded in the parts table's order, then keyed by name in one sorted build:
    // inserting a million rows in name order into a B-tree would touch it at random.
    await runner.query(
      `CREATE TEMPORARY TABLE rank_inputs (${FORUM_COUNTERS.map((c) => `${c} INT NULL`).join(', ')}) ENGINE=InnoDB
       SELECT ${RANKING_INPUTS.map((c) => `p.${c}`).join(', ')} FROM ${partsTable} p`,
    );
    await runner.query('ALTER TABLE rank_inputs ADD PRIMARY KEY (part_name)');
    await runner.query(
      `UPDATE part_forum_stats f STRAIGHT_JOIN rank_inputs p ON p.part_name = f.part_name
       SET ${FORUM_COUNTERS.map((c) => `p.${c} = f.${c}`).join(', ')}`,
    );
    const inputs = lap();
    await runner.query(`CREATE TEMPORARY TABLE rank_maxima ENGINE=InnoDB ${maximaQuery('rank_inputs')}`);
    const maxima = lap();
    const before = await countWeights(runner);
    const upsert = await runner.query(
      `INSERT INTO part_weights (part_name, weight, components, strategy)
       SELECT w.part_name, COALESCE(w.weight, 0), w.components, ? FROM (${weightsQuery(strategy, 'rank_inputs', 'rank_maxima')}) w
       ON DUPLICATE KEY UPDATE weight = VALUES(weight), components = VALUES(components), strategy = VALUES(strategy)`,
      [strategy.name],
    );
    const { records, changed } = upsertCounts(upsert);
    const after = await countWeights(runner);
    const written = after - before + changed;
    const upserted = lap();
    let removed = 0;
    if (removeMissing && after > records) {
      const result = await runner.query(`DELETE w FROM part_weights w LEFT JOIN rank_inputs c ON c.part_name = w.part_name WHERE c.part_name IS NULL`);
      removed = Number(result.affectedRows) || 0;
    }
    const remove = lap();
    return {
      strategy: strategy.name, parts: records, written, removed, durationMs: Date.now() - started,
      stepsMs: { inputs, maxima, upsert: upserted, remove },
    };
  } finally {
    await runner.query('DROP TEMPORARY TABLE IF EXISTS rank_inputs, rank_maxima').catch(() => {});
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
