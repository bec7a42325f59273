/**
 * SQL shared by the statements of a parts search. bench/lib/parts-bare-server.js
 * keeps a copy of these (it must not import our code): change both together.
 */

/** A part's mean rating from the `parts` view's counters (rates, rate_sum), to three decimals; NULL when unrated. */
export const RATE_MEAN = 'IF(rates > 0, ROUND(1e0 * rate_sum / rates, 3), NULL)';

/** The columns of a listed part (the `parts` view's names), with its social counters. */
export const LIST_COLUMNS = `part_id, part_name, short_desc, part_type, author, status, sample_status, works, creation_date, uses,
  sequence_length, nickname, categories, weight, stars, watches, rates, ${RATE_MEAN} AS rate_mean`;

/** FULLTEXT relevance of the query's words (one `?`): InnoDB's natural-language rank, ≥ 0. */
export const MATCH_WORDS =
  'MATCH(part_name, short_desc, description, author, nickname, categories) AGAINST (? IN NATURAL LANGUAGE MODE)';

/**
 * The default order of a search with words: relevance blended with the part's
 * weight, `MATCH × (0.5 + weight)`, then part_name. A weight in [wmin, wmax]
 * bounds a part's score by relevance·(0.5 + wmax), which is what lets
 * relevance-top-k.ts read only the best-ranked matches.
 */
export const WEIGHT_BLEND = (relevance: string) => `${relevance} * (0.5 + weight)`;

/** What the search statements need of a connection: TypeORM's DataSource, or a thin wrapper over mysql2 in tests. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}
