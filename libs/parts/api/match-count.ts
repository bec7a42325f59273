import { MATCH_WORDS, type Queryable } from './parts-search-sql';

/**
 * Matches up to which counting through the FULLTEXT index pays; past it, a
 * scan of the table is cheaper (measured at 100k and 1M parts, see
 * docs/benchmarks.md, "Parts search").
 */
export const INDEX_COUNT_LIMIT = 5000;

/**
 * The exact number of parts of the `parts` view matching the words and the
 * filters, by the cheaper of two plans; both count the same rows (a match's
 * relevance is > 0, anything else's is 0).
 *
 * InnoDB cannot count FULLTEXT matches without reading them: it fetches every
 * matched row by FTS_DOC_ID, in rank order, which jumps around the table (about
 * six page accesses per match, most of them misses once the table outgrows the
 * buffer pool). That is cheap for a few thousand matches and dear for a
 * quarter of a million. So:
 * 1. a probe reads at most `indexCountLimit` matches through the index, on
 *    `partsTable` (the snapshot's parts_filtered) alone, so the filters cannot
 *    make it read more; when there are fewer, the count through the index reads
 *    the same few rows again (now cached) and applies the filters;
 * 2. otherwise the count scans parts_filtered in primary-key order (sequential
 *    reads, with read-ahead) and tests each row's relevance: `(MATCH(...)) + 0
 *    > 0` is not a condition the optimizer can serve from the FULLTEXT index,
 *    so it scans, and looks each row's relevance up by document id in the
 *    result InnoDB computed once for the statement. Only the rows that match
 *    are then looked up in part_weights.
 *
 * The scan names the view's tables itself, because through the view the
 * optimizer may drive the join from part_weights (it did at 100k parts: every
 * part fetched by primary key, 0.8 s instead of 0.15 s) and STRAIGHT_JOIN would
 * keep the view's order, weights first. It joins what decides whether the view
 * shows a part: its weight (inner join) and its sequence (for the `sequence`
 * filter); the view's other joins are LEFT JOINs on unique keys, which change no
 * count. Keep it in step with createPartsView (migrations); a test compares it
 * with a COUNT through the view.
 */
export async function countMatches(
  db: Queryable,
  snapshot: { database: string },
  where: string[],
  params: unknown[],
  words: string,
  indexCountLimit = INDEX_COUNT_LIMIT,
): Promise<number> {
  const partsTable = `${snapshot.database}.parts_filtered`;
  const filters = where.length ? `${where.join(' AND ')} AND ` : '';
  const [{ n }] = await db.query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${partsTable} WHERE ${MATCH_WORDS} LIMIT ${indexCountLimit}) probe`, [words]);
  const [{ total }] =
    Number(n) < indexCountLimit
      ? await db.query(`SELECT COUNT(*) AS total FROM parts WHERE ${filters}${MATCH_WORDS}`, [...params, words])
      : await db.query(
          `SELECT COUNT(*) AS total FROM ${partsTable} p STRAIGHT_JOIN part_weights w ON w.part_id = p.part_id
           LEFT JOIN ${snapshot.database}.parts_sequences s ON s.part_id = p.part_id
           WHERE ${filters}(${MATCH_WORDS}) + 0 > 0`,
          [...params, words],
        );
  return Number(total);
}
