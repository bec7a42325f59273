import type { DataSource, QueryRunner } from 'typeorm';
import { FORUM_COUNTERS, signalInputsQuery, STRATEGIES, type RankingStrategy } from './ranking-strategies';
import { createForumTable, createStateTable, RANKING_FORUM, RANKING_STATE } from './ranking-state';

export interface RankResult {
  strategy: string;
  parts: number;
  /**
   * Weights written: those that changed (new parts included) when the stored
   * weights were compared with the new ones; every ranked part's when they were
   * all rewritten (see rankParts).
   */
  written: number;
  removed: number;
  /**
   * How the weights reached `part_weights`: `rows`, only the written rows, in
   * place; `table`, at least half of them were written, so as a new table
   * swapped in (see rankParts).
   */
  method: 'rows' | 'table';
  durationMs: number;
  /** Milliseconds of each step: the forum counters and maxima, computing the weights, writing them. */
  stepsMs: { inputs: number; weights: number; write: number };
}

/**
 * The SELECT computing every part's weight under a strategy, from `inputsTable`
 * (as `p`: RANKING_INPUTS and FORUM_COUNTERS, see rankParts) and `stateTable`
 * (one row of the maxima, as `m`; see ranking-state.ts).
 */
export function weightsQuery(strategy: RankingStrategy, inputsTable: string, stateTable: string): string {
  const numerator = strategy.signals.map((s) => `${s.score} * COALESCE(${s.value}, 0)`).join(' + ');
  // Integer sum of the present signals' scores, each known without evaluating the signal where it can be.
  const denominator = strategy.signals
    .map((s) => (s.alwaysPresent ? `${s.score}` : `IF(${s.presentWhen ?? `(${s.value}) IS NOT NULL`}, ${s.score}, 0)`))
    .join(' + ');
  return `
    SELECT p.part_id, COALESCE(ROUND((${numerator}) / NULLIF(${denominator}, 0), 9), 0) AS weight
    FROM ${inputsTable} p
    CROSS JOIN ${stateTable} m`;
}

/** How long the swap of a new weights table waits for readers of the old one before the rows are written in place instead. */
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
 * 2. one `INSERT … SELECT` computes the weights into `part_weights_next`,
 *    reading the parts from their covering index `ranking_inputs` in part_id
 *    order:
 *    - when the stored weights are the last ranking's own, under the same
 *      strategy (its state names the strategy and the table's CHECKSUM), each
 *      new weight is compared with the stored one and only those that differ
 *      are kept;
 *    - otherwise (a first ranking, a strategy change, weights written by
 *      anyone else) every weight is rewritten, with no comparison;
 * 3. the weights are written:
 *    - fewer than half of the parts' weights to write: those rows, in place
 *      (one upsert, and one anti-join DELETE of the parts that left), in one
 *      transaction;
 *    - at least half (every weight when they are all rewritten, or a change
 *      of the global mean rating): writing every row in place costs more than
 *      writing a fresh table, so `part_weights_next` is completed with the
 *      unchanged weights, indexed, and replaces `part_weights` in one
 *      `RENAME TABLE`. If readers of the old table hold it longer than
 *      SWAP_LOCK_WAIT_SECONDS, the rows are written in place after all;
 *    either way, the state and forum counters the weights were computed from
 *    replace the previous ones (in the same RENAME when the table is swapped),
 *    so a part's components can be worked out on read (partComponentsQuery).
 *
 * `signal` stops it (a cancelled or timed-out task): no statement starts after
 * it, the running one (waiting for the lock included) is killed, the work
 * tables are dropped and the lock released, and it fails with the signal's
 * reason. Stopped before the final RENAME or COMMIT, nothing it wrote is seen.
 */
/** The MySQL named lock one ranking of an app database holds (one ranking at a time per database). */
export const rankingLockName = (appDatabase: string) => `brickyard_ranking:${appDatabase}`.slice(0, 64);

export async function rankParts(
  db: DataSource,
  partsTable: string,
  strategyName: string,
  removeMissing = true,
  signal?: AbortSignal,
  /** Told as each step begins (the share of the work done before it, 0–1), e.g. for a task's progress bar. */
  onProgress?: (fraction: number, message: string) => void,
): Promise<RankResult> {
  const strategy = STRATEGIES[strategyName];
  if (!strategy) throw new Error(`no ranking strategy "${strategyName}": choose ${Object.keys(STRATEGIES).join(' or ')}`);
  const database = String(db.options.database);
  const lockName = rankingLockName(database);
  if (signal?.aborted) throw stoppedError(signal);
  const runner = db.createQueryRunner();
  await runner.connect();
  const guard = new StopGuard(db, runner, signal);
  let locked = false;
  try {
    await guard.start();
    guard.check();
    const [row] = await runner.query('SELECT GET_LOCK(?, ?) AS locked', [lockName, LOCK_WAIT_SECONDS]);
    locked = Number(row?.locked) === 1;
    guard.check();
    if (!locked) throw new Error(`could not take the database lock "${lockName}" within ${LOCK_WAIT_SECONDS}s: another process holds it`);
    return await new Ranking(runner, partsTable, strategy, removeMissing, guard, onProgress).run();
  } catch (error) {
    throw signal?.aborted ? stoppedError(signal) : error;
  } finally {
    await guard.settle();
    try {
      if (locked) await runner.query('SELECT RELEASE_LOCK(?)', [lockName]);
    } finally {
      await runner.release();
    }
  }
}

/** How long a ranking waits for the one under way (one at a time per app database). */
const LOCK_WAIT_SECONDS = 3600;

function stoppedError(signal: AbortSignal): Error {
  const reason = signal.reason as Error | undefined;
  return new Error(`the ranking was stopped: ${reason?.message ?? String(reason)}`);
}

/**
 * Stops a ranking when its signal aborts: `check` refuses to start another
 * statement, and the one running on the ranking's connection is killed (KILL
 * QUERY from another connection of the pool). `settle` ends that (and waits for a
 * kill under way) before the clean-up statements, so none of them is killed.
 */
class StopGuard {
  private killing?: Promise<unknown>;
  private onAbort?: () => void;

  constructor(
    private readonly db: DataSource,
    private readonly runner: QueryRunner,
    private readonly signal?: AbortSignal,
  ) {}

  async start(): Promise<void> {
    const signal = this.signal;
    if (!signal) return;
    const [{ id }] = await this.runner.query('SELECT CONNECTION_ID() AS id');
    this.onAbort = () => {
      this.killing = this.db.query(`KILL QUERY ${Number(id)}`).catch(() => {});
    };
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  check(): void {
    if (this.signal?.aborted) throw stoppedError(this.signal);
  }

  async settle(): Promise<void> {
    if (this.onAbort) this.signal!.removeEventListener('abort', this.onAbort);
    this.onAbort = undefined;
    await this.killing;
  }
}

const NEXT = 'part_weights_next';
const WORK_TABLES = [NEXT, 'part_weights_prev', `${RANKING_FORUM}_next`, `${RANKING_FORUM}_prev`, `${RANKING_STATE}_next`, `${RANKING_STATE}_prev`];

/** One run of rankParts, holding the ranking lock on `runner`'s connection. */
class Ranking {
  constructor(
    private readonly runner: QueryRunner,
    private readonly partsTable: string,
    private readonly strategy: RankingStrategy,
    private readonly removeMissing: boolean,
    private readonly guard: StopGuard,
    private readonly onProgress: (fraction: number, message: string) => void = () => {},
  ) {}

  async run(): Promise<RankResult> {
    const started = Date.now();
    let t = started;
    const lap = () => {
      const now = Date.now();
      const ms = now - t;
      t = now;
      return ms;
    };
    // Left by a ranking that died (the named lock says no other one is running).
    await this.query(`DROP TABLE IF EXISTS ${WORK_TABLES.join(', ')}`);
    await this.query('DROP TEMPORARY TABLE IF EXISTS rank_forum');
    try {
      // Steps, not rows: each is one set-based statement or a few, so this is how far along the ranking is.
      this.onProgress(0.05, 'reading the forum counters and the maxima');
      await this.prepareInputs();
      const inputs = lap();
      this.onProgress(0.3, `computing the weights (${this.strategy.name})`);
      const counts = await this.computeWeights();
      const weights = lap();
      this.onProgress(0.7, `writing the weights that changed (${counts.written})`);
      const removed = this.removeMissing ? counts.missing : 0;
      const toWrite = counts.written + removed;
      let method: RankResult['method'] = 'rows';
      if (!counts.compared || (toWrite > 0 && 2 * toWrite >= counts.parts)) {
        if (await this.swapInNewTable(counts)) method = 'table';
        else await this.writeRows({ removed, onlyChangedInNext: false });
      } else {
        await this.writeRows({ removed, onlyChangedInNext: true });
      }
      return {
        strategy: this.strategy.name, parts: counts.parts, written: counts.written, removed, method, durationMs: Date.now() - started,
        stepsMs: { inputs, weights, write: lap() },
      };
    } finally {
      await this.guard.settle();
      await this.runner.query('DROP TEMPORARY TABLE IF EXISTS rank_forum').catch(() => {});
      await this.runner.query(`DROP TABLE IF EXISTS ${WORK_TABLES.join(', ')}`).catch(() => {});
    }
  }

  /** Runs a statement of the ranking, unless it was stopped. */
  private query(sql: string, params?: unknown[]): Promise<any> {
    this.guard.check();
    return this.runner.query(sql, params);
  }

  /** The forum counters (in memory, and as `ranking_forum_next`) and the state with the maxima (`ranking_state_next`). */
  private async prepareInputs(): Promise<void> {
    // A MEMORY table is sized when created: room for every forum row, whatever the server's default.
    const [{ n: forumRows }] = await this.query('SELECT COUNT(*) AS n FROM part_forum_stats');
    await this.query(
      `SET STATEMENT max_heap_table_size = GREATEST(@@max_heap_table_size, ${Number(forumRows) * 128 + 1048576}) FOR
       CREATE TEMPORARY TABLE rank_forum (part_id INT NOT NULL, ${FORUM_COUNTERS.map((c) => `${c} INT NOT NULL`).join(', ')},
         PRIMARY KEY USING HASH (part_id)) ENGINE=MEMORY
       SELECT p.part_id, ${FORUM_COUNTERS.map((c) => `f.${c}`).join(', ')}
       FROM part_forum_stats f STRAIGHT_JOIN ${this.partsTable} p ON p.part_name = f.part_name`,
    );
    await this.query(createForumTable(`${RANKING_FORUM}_next`));
    await this.query(`INSERT INTO ${RANKING_FORUM}_next SELECT * FROM rank_forum`);
    await this.query(createStateTable(`${RANKING_STATE}_next`, this.partsTable, this.strategy.name));
  }

  /**
   * Step 2: the weights into part_weights_next, compared with the stored ones
   * when those are the last ranking's own. `written`: rows in part_weights_next
   * (the changed weights, or all); `missing`: stored weights of parts not ranked.
   */
  private async computeWeights(): Promise<{ compared: boolean; parts: number; written: number; missing: number; unchangedRanked: number }> {
    const [{ stored }] = await this.query('SELECT COUNT(*) AS stored FROM part_weights');
    const storedCount = Number(stored);
    const [state] = await this.query(`SELECT strategy, weights_checksum FROM ${RANKING_STATE}`);
    const compared = storedCount > 0 && state?.strategy === this.strategy.name && String(state.weights_checksum) === (await this.checksum('part_weights'));
    // The parts with their forum counters (NULL when none): merged into the weights query, not materialized.
    const weights = weightsQuery(this.strategy, `(${signalInputsQuery(this.partsTable, 'rank_forum')})`, `${RANKING_STATE}_next`);
    await this.query(`CREATE TABLE ${NEXT} (part_id INT NOT NULL PRIMARY KEY, weight DOUBLE NOT NULL, previous DOUBLE NULL) ENGINE=InnoDB`);
    let result: { compared: boolean; parts: number; written: number; missing: number; unchangedRanked: number };
    if (compared) {
      await this.query(
        `INSERT INTO ${NEXT} (part_id, weight, previous)
         SELECT w.part_id, w.weight, o.weight FROM (${weights}) w LEFT JOIN part_weights o ON o.part_id = w.part_id
         WHERE o.weight IS NULL OR o.weight <> w.weight`,
      );
      const [{ n }] = await this.query(`SELECT COUNT(*) AS n FROM ${this.partsTable}`);
      const [{ written, added }] = await this.query(`SELECT COUNT(*) AS written, COUNT(*) - COUNT(previous) AS added FROM ${NEXT}`);
      const kept = Number(n) - Number(added);
      result = { compared, parts: Number(n), written: Number(written), missing: storedCount - kept, unchangedRanked: kept - (Number(written) - Number(added)) };
    } else {
      await this.query(`INSERT INTO ${NEXT} (part_id, weight) ${weights}`);
      const [{ n }] = await this.query(`SELECT COUNT(*) AS n FROM ${NEXT}`);
      result = { compared, parts: Number(n), written: Number(n), missing: storedCount ? await this.countMissing() : 0, unchangedRanked: 0 };
    }
    await this.query(`UPDATE ${RANKING_STATE}_next SET parts = ?`, [result.parts]);
    return result;
  }

  /**
   * Stored weights whose part is not in part_weights_next (which holds every
   * ranked part). When both tables hold the same set of part_ids, as between
   * imports, their fingerprints (count, sum, XOR of CRC32s: two scans of a
   * narrow table) agree and no lookups are needed; otherwise an anti-join counts them.
   */
  private async countMissing(): Promise<number> {
    const fingerprint = async (table: string) =>
      JSON.stringify(await this.query(`SELECT COUNT(*) AS n, SUM(part_id) AS s, BIT_XOR(CRC32(part_id)) AS x FROM ${table}`));
    if ((await fingerprint('part_weights')) === (await fingerprint(NEXT))) return 0;
    const [{ n }] = await this.query(`SELECT COUNT(*) AS n FROM part_weights o LEFT JOIN ${NEXT} n ON n.part_id = o.part_id WHERE n.part_id IS NULL`);
    return Number(n);
  }

  private async checksum(table: string): Promise<string> {
    const [row] = await this.query(`CHECKSUM TABLE ${table}`);
    return String(row.Checksum);
  }

  /**
   * Completes part_weights_next with the stored weights it lacks (unchanged
   * ones; without removeMissing, those of parts not ranked too), indexes it,
   * and swaps it in with the state and forum counters in one RENAME. False
   * when readers held the old table too long.
   */
  private async swapInNewTable(counts: { missing: number; unchangedRanked: number }): Promise<boolean> {
    const keepMissing = !this.removeMissing && counts.missing > 0;
    if (keepMissing || counts.unchangedRanked > 0) {
      const onlyRanked = keepMissing ? '' : `JOIN ${this.partsTable} p ON p.part_id = o.part_id`;
      await this.query(
        `INSERT INTO ${NEXT} (part_id, weight)
         SELECT o.part_id, o.weight FROM part_weights o ${onlyRanked} LEFT JOIN ${NEXT} n ON n.part_id = o.part_id WHERE n.part_id IS NULL`,
      );
    }
    // Dropping the column is instant (metadata only); the index is built once, from sorted weights.
    await this.query(`ALTER TABLE ${NEXT} DROP COLUMN previous, ADD KEY weight (weight)`);
    await this.query(`UPDATE ${RANKING_STATE}_next SET weights_checksum = ?`, [await this.checksum(NEXT)]);
    try {
      await this.query(
        `SET STATEMENT lock_wait_timeout = ${SWAP_LOCK_WAIT_SECONDS} FOR
         RENAME TABLE part_weights TO part_weights_prev, ${NEXT} TO part_weights,
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
   * Writes the weights that differ from the stored ones (inserting new parts)
   * and removes those of parts that left, in one transaction; then the state
   * (with the weights' new checksum) and forum counters replace the previous
   * ones. `onlyChangedInNext`: part_weights_next holds only the changed weights;
   * otherwise it holds them all and is compared with the stored ones here.
   */
  private async writeRows(options: { removed: number; onlyChangedInNext: boolean }): Promise<void> {
    const changed = options.onlyChangedInNext
      ? `SELECT part_id, weight FROM ${NEXT}`
      : `SELECT n.part_id, n.weight FROM ${NEXT} n LEFT JOIN part_weights o ON o.part_id = n.part_id WHERE o.part_id IS NULL OR o.weight <> n.weight`;
    await this.runner.startTransaction();
    try {
      await this.query(`INSERT INTO part_weights (part_id, weight) ${changed} ON DUPLICATE KEY UPDATE weight = VALUES(weight)`);
      if (options.removed > 0) {
        await this.query(`DELETE w FROM part_weights w LEFT JOIN ${this.partsTable} p ON p.part_id = w.part_id WHERE p.part_id IS NULL`);
      }
      await this.runner.commitTransaction();
    } catch (error) {
      await this.guard.settle();
      await this.runner.rollbackTransaction().catch(() => {});
      throw error;
    }
    await this.query(`UPDATE ${RANKING_STATE}_next SET weights_checksum = ?`, [await this.checksum('part_weights')]);
    await this.query(
      `RENAME TABLE ${RANKING_FORUM} TO ${RANKING_FORUM}_prev, ${RANKING_FORUM}_next TO ${RANKING_FORUM},
         ${RANKING_STATE} TO ${RANKING_STATE}_prev, ${RANKING_STATE}_next TO ${RANKING_STATE}`,
    );
  }
}

const q = (name: string) => `\`${name.replace(/`/g, "``")}\``;

export const qualified = (database: string, table: string) => `${q(database)}.${q(table)}`;
