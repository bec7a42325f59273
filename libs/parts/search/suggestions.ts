import { lowerBound, type SearchIndex } from './search-index';
import { fold, queryTokens } from './tokenizer';

export interface Suggestions {
  /** Parts whose name starts with what was typed, with or without its `BBa_`: `K11` and `BBa_K11` both give BBa_K11…, by name. */
  names: { part_name: string }[];
  /** Part types starting with the last word typed. */
  types: string[];
  /** Indexed words starting with the last word typed, the most common first, with how many parts hold each. */
  words: { word: string; parts: number }[];
}

/**
 * Words scanned for the most common ones: a short prefix can have a hundred thousand
 * (every `bba_…` name); past this many the most common among the first ones
 * alphabetically are offered (2,000 keep a suggestion under 20 ms at 100k parts).
 */
const MAX_WORDS_SCANNED = 2_000;

/** The documents of `sorted` (by folded key) whose key starts with `prefix`, the first `size` of them. */
function prefixRange(sorted: Int32Array, key: (doc: number) => string, prefix: string, size: number): number[] {
  const out: number[] = [];
  for (let i = lowerBound(sorted.length, (j) => key(sorted[j]!), prefix); i < sorted.length && out.length < size; i++) {
    const doc = sorted[i]!;
    if (!key(doc).startsWith(prefix)) break;
    out.push(doc);
  }
  return out;
}

/**
 * Suggestions for the search box as the user types (GET /api/parts/suggest):
 * names from the index's sorted name arrays (binary search, then a walk),
 * types from the type column's few values, words from the sorted vocabulary.
 * Names are suggested only for parts with a weight (the ones search shows).
 */
export function suggest(index: SearchIndex, typed: string, size: number): Suggestions {
  const text = fold(typed.trim());
  const data = index.data;
  const folded = (doc: number) => fold(data.names[doc]!);
  const tail = (doc: number) => {
    const name = folded(doc);
    return name.slice(name.indexOf('_') + 1);
  };
  const names: { part_name: string }[] = [];
  if (text && !/\s/.test(text)) {
    const seen = new Set<number>();
    for (const doc of [...prefixRange(data.byName, folded, text, size * 2), ...prefixRange(data.byNameTail, tail, text, size * 2)]) {
      if (seen.has(doc) || Number.isNaN(index.weights[doc]!)) continue;
      seen.add(doc);
      names.push({ part_name: data.names[doc]! });
    }
    names.sort((a, b) => (fold(a.part_name) < fold(b.part_name) ? -1 : 1)).splice(size);
  }
  const last = queryTokens(typed).at(-1) ?? '';
  const types = last ? [...new Set(data.type.values.filter((type) => type.startsWith(last)))].slice(0, size) : [];
  const words: { word: string; parts: number }[] = [];
  if (last) {
    const terms = data.sortedTerms;
    const first = lowerBound(terms.length, (j) => terms[j]!, last);
    for (let i = first; i < terms.length && i - first < MAX_WORDS_SCANNED && terms[i]!.startsWith(last); i++) {
      // Whole part names are offered as names, not as words.
      if (terms[i]!.includes('_')) continue;
      const [from, to] = index.postings(terms[i]!);
      words.push({ word: terms[i]!, parts: to - from });
    }
    words.sort((a, b) => b.parts - a.parts || (a.word < b.word ? -1 : 1)).splice(size);
  }
  // Types as the snapshot spells them (the index compares them folded).
  return { names, types: types.map((type) => data.type.display[data.type.values.indexOf(type)]!), words };
}
