import type { Criterion, PartsQuery } from '../api/parts-query';
import { FIELDS, MASK_BOOST, type CodedColumn, type FieldName, type SearchIndex } from './search-index';
import { fold, queryTokens } from './tokenizer';

export interface EvaluatedSearch {
  /** Every match that passes the filters (the exact total). */
  total: number;
  /** Documents in the order asked for: the first `limit` of them (all of them when `limit` is Infinity). */
  docs: number[];
  /** Relevance blended with weight, per entry of `docs` (the sort key when sorting by relevance). */
  scores: number[];
  /** The query's words, as the tokenizer read them. */
  words: string[];
}

/** Sort keys read from the index, by sort name (parts-query.ts SORTS). */
const SORT_KEYS: Record<string, (index: SearchIndex, doc: number) => number> = {
  weight: (index, doc) => index.weights[doc]!,
  name: (_index, doc) => doc,
  created: (index, doc) => index.data.created[doc]!,
  uses: (index, doc) => index.data.uses[doc]!,
};

/** The codes of a column whose value satisfies `test` (MySQL compares without trailing spaces). */
function codeSet(column: CodedColumn, test: (value: string) => boolean): Uint8Array {
  const set = new Uint8Array(column.values.length);
  column.values.forEach((value, code) => (set[code] = test(value.trimEnd()) ? 1 : 0));
  return set;
}

/** A document test for one criterion; folded comparisons, as MySQL's case- and accent-insensitive collation. */
function criterionTest(index: SearchIndex, criterion: Criterion): (doc: number) => boolean {
  const data = index.data;
  const value = fold(criterion.value);
  const coded = (column: CodedColumn, test: (v: string) => boolean) => {
    const set = codeSet(column, test);
    return (doc: number) => set[column.codes[doc]!] === 1;
  };
  switch (criterion.column) {
    case 'part_type': return coded(data.type, (v) => v === value.trimEnd());
    case 'status': return coded(data.status, (v) => v === value.trimEnd());
    case 'sample_status': return coded(data.sampleStatus, (v) => v === value.trimEnd());
    case 'works': return coded(data.works, (v) => v === value.trimEnd());
    case 'author': return coded(data.author, criterion.op === 'contains' ? (v) => v.includes(value) : (v) => v === value.trimEnd());
    case 'categories': return coded(data.categories, (v) => ` ${v}`.includes(` ${value}`));
    case 'sequence_length': return (doc) => data.sequenceLength[doc] === 0;
    case 'part_name': {
      const name = (doc: number) => fold(data.names[doc]!);
      if (criterion.op === 'prefix') return (doc) => name(doc).startsWith(value);
      if (criterion.op === 'contains') return (doc) => name(doc).includes(value);
      return (doc) => name(doc) === value.trimEnd();
    }
  }
}

/** The first position in docs[from, to) holding a value ≥ doc (postings are sorted): galloping, then binary search. */
function seek(docs: Int32Array, from: number, to: number, doc: number): number {
  let step = 1;
  let hi = from;
  while (hi < to && docs[hi]! < doc) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, to);
  while (from < hi) {
    const mid = (from + hi) >>> 1;
    if (docs[mid]! < doc) from = mid + 1;
    else hi = mid;
  }
  return from;
}

/**
 * The words' matches: intersected smallest list first, each candidate looked
 * up in the next list by galloping from where the last one was found. The
 * relevance of a match adds, per word, idf × the boost of the best field the
 * word is in (MASK_BOOST).
 */
function intersect(index: SearchIndex, words: string[]): { docs: Int32Array; relevance: Float64Array } {
  const lists = words.map((word) => index.postings(word)).sort((a, b) => a[1] - a[0] - (b[1] - b[0]));
  const { docs, masks } = index.data;
  const [first] = lists;
  if (!first || first[1] === first[0]) return { docs: new Int32Array(0), relevance: new Float64Array(0) };
  const idf = (list: [number, number]) => Math.log(1 + index.size / (list[1] - list[0]));
  let candidates = docs.slice(first[0], first[1]);
  const firstIdf = idf(first);
  // Plain loops: TypedArray.from with a map function walks an iterator, ten times slower.
  let relevance = new Float64Array(candidates.length);
  for (let i = 0, at = first[0]; i < relevance.length; i++, at++) relevance[i] = firstIdf * MASK_BOOST[masks[at]!]!;
  for (const list of lists.slice(1)) {
    const listIdf = idf(list);
    let kept = 0;
    let at = list[0];
    const end = list[1];
    // Lists of like sizes are merged step by step; a much longer one is galloped through.
    const gallop = end - at > 8 * candidates.length;
    for (let i = 0; i < candidates.length && at < end; i++) {
      const doc = candidates[i]!;
      if (gallop) at = seek(docs, at, end, doc);
      else while (at < end && docs[at]! < doc) at++;
      if (at < end && docs[at] === doc) {
        candidates[kept] = doc;
        relevance[kept++] = relevance[i]! + listIdf * MASK_BOOST[masks[at]!]!;
      }
    }
    candidates = candidates.subarray(0, kept);
    relevance = relevance.subarray(0, kept);
  }
  return { docs: candidates, relevance };
}

/**
 * The `limit` best of `n` entries by key (descending or ascending), ties by
 * document (part name) ascending, in order: a bounded heap when few are
 * asked of many (a page of a broad word), else a full sort.
 */
export function topK(n: number, key: Float64Array, doc: Int32Array, descending: boolean, limit: number): number[] {
  const sign = descending ? -1 : 1;
  // a before b: a's key comes first in the order asked for, or the keys tie and a's name sorts first.
  const before = (a: number, b: number) => {
    const d = sign * (key[a]! - key[b]!);
    return d < 0 || (d === 0 && doc[a]! < doc[b]!);
  };
  if (limit >= n || limit > n / 8) {
    const all = Array.from({ length: n }, (_, i) => i).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return all.slice(0, Math.min(limit, n));
  }
  // A max-heap on "comes last": its root is the worst of the best `limit` so far.
  const heap: number[] = [];
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && before(heap[worst]!, heap[l]!)) worst = l;
      if (r < heap.length && before(heap[worst]!, heap[r]!)) worst = r;
      if (worst === i) return;
      swap(i, worst);
      i = worst;
    }
  };
  for (let i = 0; i < n; i++) {
    if (heap.length < limit) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0 && before(heap[(c - 1) >> 1]!, heap[c]!); c = (c - 1) >> 1) swap(c, (c - 1) >> 1);
    } else if (before(i, heap[0]!)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : 1));
}

/**
 * A search with words over the index: matches (every word, AND), the filters
 * of `query.criteria`, parts with a weight only (as the `parts` view), then the
 * first `limit` in the order asked for: relevance blended with weight,
 * `relevance × (0.5 + weight)`, by default; ties by part name.
 */
export function evaluateSearch(index: SearchIndex, query: Pick<PartsQuery, 'criteria' | 'text' | 'sort'>, limit: number): EvaluatedSearch {
  const words = queryTokens(query.text);
  const matched = intersect(index, words);
  const tests = query.criteria.map((criterion) => criterionTest(index, criterion));
  const weights = index.weights;
  const docs = new Int32Array(matched.docs.length);
  const relevance = new Float64Array(matched.docs.length);
  let n = 0;
  next: for (let i = 0; i < matched.docs.length; i++) {
    const doc = matched.docs[i]!;
    const weight = weights[doc]!;
    if (Number.isNaN(weight)) continue;
    for (const test of tests) if (!test(doc)) continue next;
    docs[n] = doc;
    relevance[n++] = matched.relevance[i]! * (0.5 + weight);
  }
  const sortKey = query.sort ? SORT_KEYS[query.sort.field]! : undefined;
  let keys = relevance;
  if (sortKey) {
    keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = sortKey(index, docs[i]!);
  }
  const order = topK(n, keys, docs, query.sort ? query.sort.descending : true, limit);
  return { total: n, docs: order.map((i) => docs[i]!), scores: order.map((i) => relevance[i]!), words };
}

/** The fields each word of the query was found in, for one matched document (postings are looked up by binary search). */
export function matchedFields(index: SearchIndex, doc: number, words: string[]): FieldName[] {
  let union = 0;
  for (const word of words) {
    const [from, to] = index.postings(word);
    const at = seek(index.data.docs, from, to, doc);
    if (at < to && index.data.docs[at] === doc) union |= index.data.masks[at]!;
  }
  return FIELDS.filter((field) => union & field.bit).map((field) => field.name);
}
