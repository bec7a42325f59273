import type { Queryable } from '../api/parts-search-sql';
import { IndexBuilder, type IndexedPart } from './index-builder';
import type { SearchIndex } from './search-index';

/** Rows read per statement while building: bounded memory, and the event loop serves requests between chunks. */
const CHUNK = 20_000;

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * Builds the search index of the live snapshot from MySQL: every part of
 * `parts_filtered` in name order (keyset pages on its unique key, whose
 * collation is the order of the `parts` view), then the weights.
 */
export async function loadSearchIndex(db: Queryable, snapshotDatabase: string, version: string): Promise<SearchIndex> {
  const builder = new IndexBuilder();
  let after: string | undefined;
  for (;;) {
    const rows: IndexedPart[] = await db.query(
      `SELECT part_id, part_name, short_desc, description, author, nickname, categories, part_type, status, sample_status, works, uses,
         DATEDIFF(creation_date, '1970-01-01') AS created_days, sequence_length
       FROM ${q(snapshotDatabase)}.parts_filtered ${after === undefined ? '' : 'WHERE part_name > ?'} ORDER BY part_name LIMIT ${CHUNK}`,
      after === undefined ? [] : [after],
    );
    for (const row of rows) builder.add({ ...row, part_id: Number(row.part_id), uses: Number(row.uses), sequence_length: Number(row.sequence_length), created_days: row.created_days === null ? null : Number(row.created_days) });
    if (rows.length < CHUNK) break;
    after = rows[rows.length - 1]!.part_name;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const weights = await readWeights(db);
  return builder.finish(version, (partIds, docOf) => weightArray(partIds.length, weights, docOf));
}

/** Every stored weight, as parallel arrays (a million rows as two typed arrays, not a million objects kept). */
export async function readWeights(db: Queryable): Promise<{ ids: Int32Array; weights: Float64Array }> {
  const rows: { part_id: number; weight: number }[] = await db.query('SELECT part_id, weight FROM part_weights');
  const ids = new Int32Array(rows.length);
  const weights = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    ids[i] = Number(row.part_id);
    weights[i] = Number(row.weight);
  });
  return { ids, weights };
}

/** A weight per document, NaN for a part without one; parts with a weight but no document (another snapshot's) are counted. */
export function weightArray(size: number, stored: { ids: Int32Array; weights: Float64Array }, docOf: (partId: number) => number): Float64Array & { unknown?: number } {
  const array: Float64Array & { unknown?: number } = new Float64Array(size).fill(NaN);
  let unknown = 0;
  for (let i = 0; i < stored.ids.length; i++) {
    const doc = docOf(stored.ids[i]!);
    if (doc < 0) unknown++;
    else array[doc] = stored.weights[i]!;
  }
  array.unknown = unknown;
  return array;
}
