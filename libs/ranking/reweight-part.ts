import { weightsQuery } from './rank-parts';
import { FORUM_COUNTERS, signalInputsQuery, STRATEGIES } from './ranking-strategies';
import { FORUM_MAXIMA, RANKING_FORUM, RANKING_STATE } from './ranking-state';

/** A connection to run statements on: a QueryRunner inside the caller's transaction. */
export interface StatementRunner {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/**
 * Recomputes one part's weight now, after its forum counters changed (a rating,
 * a star, a watch), with the very SQL a ranking runs (weightsQuery over the
 * strategy's signals), so the part's new weight is the one a ranking run right
 * then would compute for it:
 *
 * - `p`: the part's ranking inputs from `partsTable` and its counters from
 *   part_forum_stats, as the ranking reads them;
 * - `m`: the last ranking's state (its strategy, and the maxima of uses and
 *   reviews, which only an import changes) with the forum maxima and the global
 *   mean rating computed afresh (FORUM_MAXIMA: part_forum_stats is small).
 *
 * Run it in the transaction that changed the counters, holding the part's
 * part_forum_stats row lock: concurrent changes of one part then take turns and
 * the last one sees every counter. Nothing is done (undefined) before the first
 * ranking (no state) or for a part not in `partsTable`.
 *
 * The part's row of ranking_forum is kept in step, so its components read back
 * with its counters of now. What stays stale until the next ranking: the other
 * parts' weights when the forum maxima or the global mean rating moved (each
 * rating moves the mean a little), and ranking_state itself (the maxima and mean
 * of the last ranking, which the other parts' weights and every part's
 * components are read with). part_weights then no longer matches the state's
 * CHECKSUM, so the next ranking rewrites every weight instead of comparing.
 */
export async function reweightPart(runner: StatementRunner, partsTable: string, partName: string): Promise<{ partId: number; weight: number } | undefined> {
  const [state] = await runner.query(`SELECT strategy FROM ${RANKING_STATE}`);
  const strategy = state ? STRATEGIES[state.strategy] : undefined;
  if (!strategy) return undefined;
  const [part] = await runner.query(`SELECT part_id, part_name FROM ${partsTable} WHERE part_name = ?`, [partName]);
  if (!part) return undefined;
  const partId = Number(part.part_id);
  // The part's counters keyed by part_id, as the ranking's in-memory forum table has them.
  const forum = `(SELECT ${partId} AS part_id, ${FORUM_COUNTERS.join(', ')} FROM part_forum_stats WHERE part_name = ?)`;
  const inputs = `(${signalInputsQuery(partsTable, forum, `p.part_id = ${partId}`)})`;
  const maxima = `(SELECT s.max_uses, s.max_review_total, s.max_review_count, s.min_uses, s.min_review_total, s.min_review_count, ${FORUM_MAXIMA} FROM ${RANKING_STATE} s)`;
  await runner.query(
    // WHERE TRUE: without it, ON DUPLICATE KEY would be read as the CROSS JOIN's ON.
    `INSERT INTO part_weights (part_id, weight) SELECT w.part_id, w.weight FROM (${weightsQuery(strategy, inputs, maxima)}) w WHERE TRUE
     ON DUPLICATE KEY UPDATE weight = VALUES(weight)`,
    [part.part_name],
  );
  await runner.query(
    `INSERT INTO ${RANKING_FORUM} (part_id, ${FORUM_COUNTERS.join(', ')}) SELECT ${partId}, ${FORUM_COUNTERS.join(', ')} FROM part_forum_stats WHERE part_name = ?
     ON DUPLICATE KEY UPDATE ${FORUM_COUNTERS.map((c) => `${c} = VALUES(${c})`).join(', ')}`,
    [part.part_name],
  );
  const [row] = await runner.query('SELECT weight FROM part_weights WHERE part_id = ?', [partId]);
  return { partId, weight: Number(row.weight) };
}
