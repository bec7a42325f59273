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
 * 1. a probe reads at most INDEX_COUNT_LIMIT matches through the index, on
 *    `partsTable` (the snapshot's parts_filtered) alone, so the filters cannot
 *    make it read more; when there are fewer, the count through the index reads
 *    the same few rows again (now cached) and applies the filters;
 * 2. otherwise the count scans the table in primary-key order (sequential reads,
 *    with read-ahead) and tests each row's relevance: `(MATCH(...)) + 0 > 0` is
 *    not a condition the optimizer can serve from the FULLTEXT index, so it
 *    scans, and looks each row's relevance up by document id in the result
 *    InnoDB computed once for the statement.
 */
export async function countMatches(
  db: Queryable,
  partsTable: string,
  where: string[],
  params: unknown[],
  words: string,
  indexCountLimit = INDEX_COUNT_LIMIT,
): Promise<number> {
  const filters = where.length ? `${where.join(' AND ')} AND ` : '';
  const [{ n }] = await db.query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${partsTable} WHERE ${MATCH_WORDS} LIMIT ${indexCountLimit}) probe`, [words]);
  const condition = Number(n) < indexCountLimit ? MATCH_WORDS : `(${MATCH_WORDS}) + 0 > 0`;
  const [{ total }] = await db.query(`SELECT COUNT(*) AS total FROM parts WHERE ${filters}${condition}`, [...params, words]);
  return Number(total);
}
