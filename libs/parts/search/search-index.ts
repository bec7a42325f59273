/**
 * The in-memory search index of one snapshot: an inverted index of words to
 * sorted document numbers, plus what filters and sorts read, in typed arrays.
 *
 * A document is a part of `parts_filtered`, numbered in the order of
 * `ORDER BY part_name` as MySQL sorts it (its collation), so "then by
 * part_name" is "then by document number", and postings sorted by number are
 * sorted by name. All postings live in one Int32Array (a term is an offset and
 * a length into it) with one Uint8Array of field bits beside it: a million
 * parts have millions of distinct words (each part name is one), and one typed
 * array per word would cost more in headers than its contents.
 *
 * The index is immutable once built, except `weights`, which a rating changes
 * one slot at a time and a ranking replaces whole (see search-index-service.ts).
 */

/** The searched fields, as bits of a posting's field mask, with how much a word found in each counts. */
export const FIELDS = [
  { name: 'part_name', bit: 1, boost: 5 },
  { name: 'nickname', bit: 2, boost: 4 },
  { name: 'short_desc', bit: 4, boost: 3 },
  { name: 'categories', bit: 8, boost: 2 },
  { name: 'author', bit: 16, boost: 1.5 },
  { name: 'description', bit: 32, boost: 1 },
] as const;

export type FieldName = (typeof FIELDS)[number]['name'];

/** The best boost of a field mask (a word found in the name and the description counts as found in the name). */
export const MASK_BOOST: Float64Array = (() => {
  const boosts = new Float64Array(64);
  for (let mask = 1; mask < 64; mask++) boosts[mask] = Math.max(...FIELDS.filter((f) => mask & f.bit).map((f) => f.boost));
  return boosts;
})();

/** A column with few distinct values (type, status, …): a code per document and the folded value of each code. */
export interface CodedColumn {
  codes: Uint16Array | Uint32Array;
  /** Folded (search-index compares folded values, as MySQL's collation does). */
  values: string[];
  /** Each code's value as the first part holding it spells it. */
  display: string[];
}

/** No creation date (MySQL sorts NULL first ascending, as this does). */
export const NO_DATE = -2_147_483_648;

export interface SearchIndexData {
  /** What the index was built from (search-index-service.ts compares it with the live one). */
  version: string;
  terms: Map<string, number>;
  /** Term → its postings: docs[offsets[t] .. offsets[t + 1]). */
  offsets: Int32Array;
  docs: Int32Array;
  masks: Uint8Array;
  partIds: Int32Array;
  names: string[];
  /** Part ids sorted, and the document of each: a part id's document by binary search. */
  sortedPartIds: Int32Array;
  docOfSorted: Int32Array;
  type: CodedColumn;
  status: CodedColumn;
  sampleStatus: CodedColumn;
  works: CodedColumn;
  author: CodedColumn;
  categories: CodedColumn;
  uses: Int32Array;
  /** Days since 1970-01-01, NO_DATE when none. */
  created: Int32Array;
  sequenceLength: Int32Array;
  /** Documents by folded name, and by the folded name after its first `_` (`k1995950` of `BBa_K1995950`): name suggestions. */
  byName: Int32Array;
  byNameTail: Int32Array;
  /** Terms sorted (JS order), for word suggestions. */
  sortedTerms: string[];
}

export class SearchIndex {
  /** Weight of each document; NaN when the part has none (the `parts` view does not show it). */
  weights: Float64Array;

  constructor(
    readonly data: SearchIndexData,
    weights: Float64Array,
  ) {
    this.weights = weights;
  }

  get size(): number {
    return this.data.partIds.length;
  }

  /** The postings of a word: [start, end) into data.docs and data.masks; empty when unknown. */
  postings(word: string): [number, number] {
    const term = this.data.terms.get(word);
    if (term === undefined) return [0, 0];
    return [this.data.offsets[term]!, this.data.offsets[term + 1]!];
  }

  /** The document of a part id, or -1. */
  docOf(partId: number): number {
    const ids = this.data.sortedPartIds;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const id = ids[mid]!;
      if (id === partId) return this.data.docOfSorted[mid]!;
      if (id < partId) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** The first index in `sorted` (ascending, read through `key`) whose key is ≥ `value`. */
export function lowerBound(length: number, key: (i: number) => string, value: string): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(mid) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
