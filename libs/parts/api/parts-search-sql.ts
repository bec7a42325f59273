/**
 * SQL shared by the statements of a parts listing and of a search's page.
 * bench/lib/parts-bare-server.js keeps a copy of these (it must not import our
 * code): change both together.
 */

/** A part's mean rating from the `parts` view's counters (rates, rate_sum), to three decimals; NULL when unrated. */
export const RATE_MEAN = 'IF(rates > 0, ROUND(1e0 * rate_sum / rates, 3), NULL)';

/** The columns of a listed part (the `parts` view's names), with its social counters. */
export const LIST_COLUMNS = `part_id, part_name, short_desc, part_type, author, status, sample_status, works, creation_date, uses,
  sequence_length, nickname, categories, weight, stars, watches, rates, ${RATE_MEAN} AS rate_mean`;

/** What the search statements need of a connection: TypeORM's DataSource, or a thin wrapper over mysql2 in tests. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}
