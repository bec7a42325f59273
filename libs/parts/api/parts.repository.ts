import { BrickyardError } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';
import { buildPartsQuery, type PartsQueryInput } from './parts-query';
import { LIST_COLUMNS, RATE_MEAN } from './parts-search-sql';
import type { SearchCountCache } from './search-count-cache';
import { indexedSearch } from '../search/indexed-search';
import type { SearchIndexService } from '../search/search-index-service';
import { suggest, type Suggestions } from '../search/suggestions';
import { queryTokens } from '../search/tokenizer';

/** How a part's weight was made up: the last ranking's strategy, when it ran, and each signal's value (null when absent). */
export interface WeightComponents {
  strategy: string;
  ranked_at: Date;
  components: Record<string, number | null>;
}

/**
 * Reads one part's weight components; undefined before the first ranking.
 * Ranking owns how weights are made (libs/ranking: readWeightComponents), and
 * depends on this library, so the process that serves the API passes it in.
 */
export type WeightComponentsReader = (db: DataSource, partsTable: string, partId: number) => Promise<WeightComponents | undefined>;

export interface PartSummary {
  part_name: string;
  [column: string]: unknown;
}

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** Reads parts through the app database's `parts` view, and their features and subparts from the snapshot. */
export class PartsRepository {
  constructor(
    private readonly db: DataSource,
    private readonly snapshot: string,
    private readonly options: {
      /** Totals kept across searches (none: every search counts). */
      totals?: SearchCountCache;
      /** Without it, parts are served with their weight and no components. */
      weightComponents?: WeightComponentsReader;
      /** Searches with words are answered from this in-memory index (libs/parts/search); without it, they are refused. */
      searchIndex?: SearchIndexService;
    } = {},
  ) {}

  private total(query: { where: string[]; params: unknown[] }, count: () => Promise<number>): Promise<number> {
    return this.options.totals ? this.options.totals.total([query.where, query.params, null], count) : count();
  }

  async search(input: PartsQueryInput): Promise<{ items: PartSummary[]; total: number; page: number; perPage: number }> {
    const query = buildPartsQuery(input);
    if (queryTokens(query.text).length) {
      if (!this.options.searchIndex) throw new BrickyardError('unavailable', 'searching by words needs the search index, which this process does not have');
      return indexedSearch(this.db, this.snapshot, await this.options.searchIndex.current(), query);
    }
    // Without words: a listing with filters, served by MySQL's indexes.
    const where = query.where.length ? `WHERE ${query.where.join(' AND ')}` : '';
    const limit = `LIMIT ${query.perPage} OFFSET ${(query.page - 1) * query.perPage}`;
    const [total, items] = await Promise.all([
      this.total(query, async () => Number((await this.db.query(`SELECT COUNT(*) AS total FROM parts ${where}`, query.params))[0].total)),
      this.db.query(`SELECT ${LIST_COLUMNS} FROM parts ${where} ORDER BY ${query.order} ${limit}`, query.params),
    ]);
    return { items, total, page: query.page, perPage: query.perPage };
  }

  /** Suggestions for the search box: names as typed, types and common words (suggestions.ts). */
  async suggest(typed: string, size: number): Promise<Suggestions> {
    if (!this.options.searchIndex) return { names: [], types: [], words: [] };
    return suggest(await this.options.searchIndex.current(), typed, size);
  }

  async find(name: string): Promise<Record<string, any> | undefined> {
    const [part] = await this.db.query(`SELECT *, ${RATE_MEAN} AS rate_mean FROM parts WHERE part_name = ?`, [name]);
    return part;
  }

  features(partId: number): Promise<Record<string, any>[]> {
    return this.db.query(
      `SELECT feature_id, feature_type, start_pos, end_pos, label, reverse FROM ${q(this.snapshot)}.features WHERE part_id = ? ORDER BY start_pos, feature_id`,
      [partId],
    );
  }

  /** Specified and deep subparts, in order, with positions where the dump's BioBrick features give them. */
  subparts(partId: number): Promise<Record<string, any>[]> {
    return this.db.query(
      `SELECT s.kind, s.ordinal, c.part_name, c.short_desc, c.part_type, s.start_pos, s.end_pos
       FROM ${q(this.snapshot)}.subparts s LEFT JOIN ${q(this.snapshot)}.parts_filtered c ON c.part_id = s.child_id
       WHERE s.parent_id = ? ORDER BY s.kind DESC, s.ordinal`,
      [partId],
    );
  }

  /** Composite parts that specify this one. */
  usedIn(partId: number, limit = 100): Promise<Record<string, any>[]> {
    return this.db.query(
      `SELECT DISTINCT p.part_name, p.short_desc, p.part_type FROM ${q(this.snapshot)}.subparts s
       JOIN ${q(this.snapshot)}.parts_filtered p ON p.part_id = s.parent_id
       WHERE s.child_id = ? AND s.kind = 'specified' ORDER BY p.part_name LIMIT ${limit}`,
      [partId],
    );
  }

  /** The part's weight components under the last ranking (see WeightComponentsReader). */
  weightComponents(partId: number): Promise<WeightComponents | undefined> {
    return this.options.weightComponents ? this.options.weightComponents(this.db, `${q(this.snapshot)}.parts_filtered`, partId) : Promise.resolve(undefined);
  }

  /** Parts with the same sequence. */
  twins(sha1: string, name: string): Promise<Record<string, any>[]> {
    return this.db.query(
      `SELECT part_name, short_desc, status FROM ${q(this.snapshot)}.parts_filtered WHERE seq_sha1 = ? AND part_name <> ? ORDER BY part_name`,
      [sha1, name],
    );
  }
}
