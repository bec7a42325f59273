import { LIST_COLUMNS, MATCH_WORDS, type Queryable, WEIGHT_BLEND } from './parts-search-sql';

/** Deeper pages than this (page × per_page) are left to the plain query: their candidate sets would be large. */
export const MAX_RANKED_DEPTH = 1000;
/** Candidates read at first: at least this many, and 16 per row of the pages up to the one asked for. */
const FIRST_CANDIDATES = 1000;
/** Candidates grow while the bound does not hold; past this many the plain query is cheaper. */
const MAX_CANDIDATES = 64_000;

export interface RankedPage {
  items: Record<string, unknown>[];
  /** The exact number of matches when the candidates held all of them; otherwise undefined (count them). */
  total?: number;
}

interface Candidate {
  candidate_id: number;
  rel: number;
  /** rel × (0.5 + weight); null when the part fails a filter or has no weight (the view would not show it). */
  relevance: number | null;
  max_weight: number | null;
}

/**
 * The page of a search ordered by relevance blended with weight, exact, from
 * the best-ranked matches only (the plain query reads and joins every match).
 *
 * 1. Candidates: the first `n` rows of a FULLTEXT query on the snapshot's
 *    `parts_filtered` alone. InnoDB returns FULLTEXT matches by rank, highest
 *    first (ha_innobase::ft_read walks `rankings_by_rank`; a test checks it), so
 *    these are the n most relevant, and LIMIT stops the reads there. Each is
 *    joined to the `parts` view with the query's filters, which gives its score
 *    rel × (0.5 + weight) as the plain query computes it.
 * 2. Bound: a match not read has rel ≤ r (the lowest rel read), so its score is
 *    at most r × (0.5 + wmax), wmax the highest weight stored. When the K-th best
 *    candidate score (K = page × per_page) is strictly above that, no unread
 *    match can reach the first K places, ties by name included: the page is the
 *    plain query's. Otherwise n grows, ×4 or by the share of candidates the
 *    filters kept, up to MAX_CANDIDATES, then gives up.
 * 3. Page: the candidates scoring at least the K-th score, ordered by the server
 *    (`relevance DESC, part_name ASC`, the view's collation) with the scores
 *    passed back as JSON (a double survives the round trip exactly).
 *
 * Returns undefined when the bound cannot be established (the caller runs the
 * plain query). When fewer than n matches exist, they were all read: the total
 * comes with the page and no count is needed.
 */
export async function rankedPage(
  db: Queryable,
  partsTable: string,
  query: { where: string[]; params: unknown[]; words: string; page: number; perPage: number },
  firstCandidates = FIRST_CANDIDATES,
): Promise<RankedPage | undefined> {
  const depth = query.page * query.perPage;
  if (depth > MAX_RANKED_DEPTH) return undefined;
  let n = Math.max(firstCandidates, depth * 16);
  while (n <= MAX_CANDIDATES) {
    const filters = query.where.length ? ` AND ${query.where.join(' AND ')}` : '';
    const candidates: Candidate[] = await db.query(
      `SELECT c.candidate_id, c.rel, ${WEIGHT_BLEND('c.rel')} AS relevance, (SELECT MAX(weight) FROM part_weights) AS max_weight
       FROM (SELECT part_id AS candidate_id, ${MATCH_WORDS} AS rel FROM ${partsTable} WHERE ${MATCH_WORDS} LIMIT ${n}) c
       LEFT JOIN parts ON parts.part_id = c.candidate_id${filters}`,
      [query.words, query.words, ...query.params],
    );
    const complete = candidates.length < n;
    const scores = candidates.filter((c) => c.relevance !== null).map((c) => Number(c.relevance)).sort((a, b) => b - a);
    const kth = scores[depth - 1];
    if (!complete) {
      const lowestRead = candidates.reduce((lowest, c) => Math.min(lowest, Number(c.rel)), Infinity);
      const blend = 0.5 + Number(candidates[0]!.max_weight);
      // No unread match can score above lowestRead × blend; a negative blend would bound nothing.
      if (kth === undefined || !(blend > 0 && kth > lowestRead * blend)) {
        // Filters that keep few matches need proportionally more candidates: grow by what they kept, at least ×4.
        n *= Math.max(4, Math.ceil((2 * depth) / Math.max(1, scores.length)));
        continue;
      }
    }
    const threshold = kth ?? -Infinity;
    const needed = candidates.filter((c) => c.relevance !== null && Number(c.relevance) >= threshold).map((c) => [c.candidate_id, Number(c.relevance)]);
    const items = needed.length
      ? await db.query(
          `SELECT ${LIST_COLUMNS}, c.relevance
           FROM JSON_TABLE(?, '$[*]' COLUMNS (candidate_id INT PATH '$[0]', relevance DOUBLE PATH '$[1]')) c
           JOIN parts ON parts.part_id = c.candidate_id
           ORDER BY c.relevance DESC, part_name ASC LIMIT ${query.perPage} OFFSET ${(query.page - 1) * query.perPage}`,
          [JSON.stringify(needed)],
        )
      : [];
    return { items, total: complete ? scores.length : undefined };
  }
  return undefined;
}
