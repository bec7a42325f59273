import { withAdvisoryLock } from '@brickyard/db';
import type { DataSource, QueryRunner } from 'typeorm';
import { FORUM_COUNTERS, STRATEGIES, type RankingStrategy } from './ranking-strategies';
import { createForumTable, createStateTable, RANKING_FORUM, RANKING_STATE } from './ranking-state';

export interface RankResult {
  strategy: string;
  parts: number;
  /** Weights inserted or changed (weights equal to the stored ones count as unchanged). */
  written: number;
  removed: number;
  /**
   * How the weights reached `part_weights`: `rows`, only the changed rows were
   * written in place; `table`, at least half of them changed, so the new
   * weights were written as a new table and swapped in (see rankParts).
   */
  method: 'rows' | 'table';
  durationMs: number;
  /** Milliseconds of each step: the forum counters and maxima, computing the weights, writing them. */
  stepsMs: { inputs: number; weights: number; write: number };
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
 * The SELECT computing every part's weight under a strategy, from `inputsTable`
 * (as `p`: RANKING_INPUTS and FORUM_COUNTERS, see rankParts) and `stateTable`
 * (one row of the maxima, as `m`; see ranking-state.ts).
 */
export function weightsQuery(strategy: RankingStrategy, inputsTable: string, stateTable: string): string {
  const numerator = strategy.signals.map((s) => `${s.score} * COALESCE(${s.value}, 0)`).join(' + ');
  // Integer sum of the present signals' scores; a signal that is never NULL is not evaluated for it.
  const denominator = strategy.signals.map((s) => (s.alwaysPresent ? `${s.score}` : `IF((${s.value}) IS NOT NULL, ${s.score}, 0)`)).join(' + ');
  return `
    SELECT p.part_id, COALESCE(ROUND((${numerator}) / NULLIF(${denominator}, 0), 9), 0) AS weight
    FROM ${inputsTable} p
    CROSS JOIN ${stateTable} m`;
}

/** How long the swap of a new weights table waits for readers of the old one before the changed rows are written in place instead. */
const SWAP_LOCK_WAIT_SECONDS = 3;

/**
 * Recomputes every part's weight, set-based in SQL, and writes the weights that
 * changed (new parts are inserted). `partsTable` is the live snapshot or,
 * during an import, the one about to go live; weights of parts no longer in it
 * are removed only with `removeMissing`, so the live view never loses a part early.
 * One ranking runs at a time per app database (a MySQL named lock).
 *
 * The steps, on one connection:
 * 1. the forum counters of the few parts that have any (a few percent) go into
 *    a small in-memory table keyed by part_id (a hash lookup per part is cheap;
 *    a lookup by part_name, under its unicode collation, is not), and are kept
 *    as `ranking_forum_next`; the maxima as `ranking_state_next` (one row);
 * 2. one `INSERT … SELECT` computes every weight into `part_weights_next`,
 *    reading the parts from their covering index `ranking_inputs` in part_id
 *    order, each beside its stored weight (`previous`);
 * 3. the changed weights are written:
 *    - fewer than half changed: only those rows are written in place (one
 *      upsert, and one anti-join DELETE of the parts that left), in one
 *      transaction;
 *    - at least half changed (the first ranking, a strategy change): writing
 *      every row in place costs more than writing a fresh table, so the
 *      weight index is built on `part_weights_next` and it replaces
 *      `part_weights` in one `RENAME TABLE`. If readers of the old table hold
 *      it longer than SWAP_LOCK_WAIT_SECONDS, the rows are written in place
 *      after all;
 *    either way, the state and forum counters the weights were computed from
 *    replace the previous ones (in the same RENAME when the table is swapped),
 *    so a part's components can be worked out on read (partComponentsQuery).
 */
export async function rankParts(db: DataSource, partsTable: string, strategyName: string, removeMissing = true): Promise<RankResult> {
  const strategy = STRATEGIES[strategyName];
  if (!strategy) throw new Error(`no ranking strategy "${strategyName}": choose ${Object.keys(STRATEGIES).join(' or ')}`);
  const database = String(db.options.database);
  return withAdvisoryLock(db, `brickyard_ranking:${database}`.slice(0, 64), (runner) => rank(runner, partsTable, strategy, removeMissing), 3600);
}

const WORK_TABLES = ['part_weights_next', 'part_weights_prev', `${RANKING_FORUM}_next`, `${RANKING_FORUM}_prev`, `${RANKING_STATE}_next`, `${RANKING_STATE}_prev`];

async function rank(runner: QueryRunner, partsTable: string, strategy: RankingStrategy, removeMissing: boolean): Promise<RankResult> {
  const started = Date.now();
  let t = started;
  const lap = () => {
    const now = Date.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  // Left by a ranking that died (the named lock says no other one is running).
  await runner.query(`DROP TABLE IF EXISTS ${WORK_TABLES.join(', ')}`);
  await runner.query('DROP TEMPORARY TABLE IF EXISTS rank_forum');
  try {
    // A MEMORY table is sized when created: room for every forum row, whatever the server's default.
    const [{ n: forumRows }] = await runner.query('SELECT COUNT(*) AS n FROM part_forum_stats');
    await runner.query(
      `SET STATEMENT max_heap_table_size = GREATEST(@@max_heap_table_size, ${Number(forumRows) * 128 + 1048576}) FOR
       CREATE TEMPORARY TABLE rank_forum (part_id INT NOT NULL, ${FORUM_COUNTERS.map((c) => `${c} INT NOT NULL`).join(', ')},
         PRIMARY KEY USING HASH (part_id)) ENGINE=MEMORY
       SELECT p.part_id, ${FORUM_COUNTERS.map((c) => `f.${c}`).join(', ')}
       FROM part_forum_stats f STRAIGHT_JOIN ${partsTable} p ON p.part_name = f.part_name`,
    );
    await runner.query(createForumTable(`${RANKING_FORUM}_next`));
    await runner.query(`INSERT INTO ${RANKING_FORUM}_next SELECT * FROM rank_forum`);
    await runner.query(createStateTable(`${RANKING_STATE}_next`, partsTable, strategy.name));
    const inputs = lap();

    // The parts with their forum counters (NULL when none): merged into the weights query, not materialized.
    const parts = `(SELECT ${RANKING_INPUTS.filter((c) => c !== 'part_name').map((c) => `p.${c}`).join(', ')}, ${FORUM_COUNTERS.map((c) => `f.${c}`).join(', ')}
       FROM ${partsTable} p LEFT JOIN rank_forum f ON f.part_id = p.part_id)`;
    await runner.query('CREATE TABLE part_weights_next (part_id INT NOT NULL PRIMARY KEY, weight DOUBLE NOT NULL, previous DOUBLE NULL) ENGINE=InnoDB');
    await runner.query(
      `INSERT INTO part_weights_next (part_id, weight, previous)
       SELECT w.part_id, w.weight, o.weight FROM (${weightsQuery(strategy, parts, `${RANKING_STATE}_next`)}) w LEFT JOIN part_weights o ON o.part_id = w.part_id`,
    );
    const [counts] = await runner.query(
      `SELECT COUNT(*) AS parts, COALESCE(SUM(previous IS NULL OR previous <> weight), 0) AS changed, COUNT(previous) AS kept FROM part_weights_next`,
    );
    const [{ stored }] = await runner.query('SELECT COUNT(*) AS stored FROM part_weights');
    const records = Number(counts.parts);
    const written = Number(counts.changed);
    const missing = Number(stored) - Number(counts.kept);
    const removed = removeMissing ? missing : 0;
    await runner.query(`UPDATE ${RANKING_STATE}_next SET parts = ?`, [records]);
    const weights = lap();

    let method: RankResult['method'] = 'rows';
    if (written + removed > 0 && 2 * (written + removed) >= records) {
      if (await swapInNewTable(runner, !removeMissing && missing > 0)) method = 'table';
      else await writeChangedRows(runner, { removed, previousKnown: false });
    } else {
      await writeChangedRows(runner, { removed, previousKnown: true });
    }
    return {
      strategy: strategy.name, parts: records, written, removed, method, durationMs: Date.now() - started,
      stepsMs: { inputs, weights, write: lap() },
    };
  } finally {
    await runner.query('DROP TEMPORARY TABLE IF EXISTS rank_forum').catch(() => {});
    await runner.query(`DROP TABLE IF EXISTS ${WORK_TABLES.join(', ')}`).catch(() => {});
  }
}

/**
 * Replaces `part_weights` (and the ranking state and forum counters) with the
 * new tables in one RENAME; with `keepMissing`, the weights of parts not ranked
 * are carried over first. False when readers held the old table too long.
 */
async function swapInNewTable(runner: QueryRunner, keepMissing: boolean): Promise<boolean> {
  if (keepMissing) {
    await runner.query(
      `INSERT INTO part_weights_next (part_id, weight)
       SELECT o.part_id, o.weight FROM part_weights o LEFT JOIN part_weights_next n ON n.part_id = o.part_id WHERE n.part_id IS NULL`,
    );
  }
  // Dropping the column is instant (metadata only); the index is built once, from sorted weights.
  await runner.query('ALTER TABLE part_weights_next DROP COLUMN previous, ADD KEY weight (weight)');
  try {
    await runner.query(
      `SET STATEMENT lock_wait_timeout = ${SWAP_LOCK_WAIT_SECONDS} FOR
       RENAME TABLE part_weights TO part_weights_prev, part_weights_next TO part_weights,
         ${RANKING_FORUM} TO ${RANKING_FORUM}_prev, ${RANKING_FORUM}_next TO ${RANKING_FORUM},
         ${RANKING_STATE} TO ${RANKING_STATE}_prev, ${RANKING_STATE}_next TO ${RANKING_STATE}`,
    );
    return true;
  } catch (error) {
    if ((error as { errno?: number }).errno === 1205) return false; // ER_LOCK_WAIT_TIMEOUT
    throw error;
  }
}

/**
 * Writes only the weights that differ from the stored ones (inserting new
 * parts), removes the weights of parts that left, in one transaction; then the
 * state and forum counters replace the previous ones. `previousKnown`: the
 * `previous` column of part_weights_next still tells which rows changed (it
 * is gone once a swap was prepared; the stored weights are joined instead).
 */
async function writeChangedRows(runner: QueryRunner, options: { removed: number; previousKnown: boolean }): Promise<void> {
  const changed = options.previousKnown
    ? 'SELECT part_id, weight FROM part_weights_next WHERE previous IS NULL OR previous <> weight'
    : 'SELECT n.part_id, n.weight FROM part_weights_next n LEFT JOIN part_weights o ON o.part_id = n.part_id WHERE o.part_id IS NULL OR o.weight <> n.weight';
  await runner.startTransaction();
  try {
    await runner.query(`INSERT INTO part_weights (part_id, weight) ${changed} ON DUPLICATE KEY UPDATE weight = VALUES(weight)`);
    if (options.removed > 0) {
      await runner.query('DELETE w FROM part_weights w LEFT JOIN part_weights_next n ON n.part_id = w.part_id WHERE n.part_id IS NULL');
    }
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction().catch(() => {});
    throw error;
  }
  await runner.query(
    `RENAME TABLE ${RANKING_FORUM} TO ${RANKING_FORUM}_prev, ${RANKING_FORUM}_next TO ${RANKING_FORUM},
       ${RANKING_STATE} TO ${RANKING_STATE}_prev, ${RANKING_STATE}_next TO ${RANKING_STATE}`,
  );
}

export const qualified = (database: string, table: string) => `${q(database)}.${q(table)}`;
