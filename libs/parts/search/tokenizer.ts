/**
 * How text becomes search words, the same for the index, the query, the
 * brute-force check (test/parts/search-brute-force.ts) and highlights.
 *
 * - Case and accents do not matter: text is folded (NFKD, marks dropped, lower
 *   case), as MySQL's utf8mb4_unicode_ci compares.
 * - A word is a run of letters, digits and `_`: `T7`, `E.` (→ `e`), `5'` (→ `5`),
 *   `λ`, `pSB1C3` are all words. Nothing is too short and there are no stop
 *   words: a biologist's `T7` or `E. coli` must find what they name.
 * - A word with `_` (a part name) is indexed whole and by its pieces:
 *   `BBa_I719005` gives `bba_i719005`, `bba` and `i719005`, so both the full
 *   name and the name without its `BBa_` find the part. A query word keeps
 *   its `_` (it names one part or one piece: `bba_i719005` finds only it).
 * - Markup in descriptions (`<P>`, `&amp;`) is not text.
 */

/** A run of letters, digits and underscores: one raw word. */
const RAW_WORD = /[\p{L}\p{N}_]+/gu;
const MARKS = /\p{M}+/gu;
const ASCII = /^[\x00-\x7f]*$/;

/** Lower case without accents: `Müller` → `muller`. Lengths may change (NFKD): for comparison, never for offsets. */
export function fold(text: string): string {
  // Most names and words are ASCII: normalizing them changes nothing and costs three times the lower-casing.
  return ASCII.test(text) ? text.toLowerCase() : text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** HTML tags and entities replaced by spaces (descriptions in the Registry's dump are HTML). */
export function stripMarkup(text: string): string {
  return text.replace(/<[^>]*>/g, ' ').replace(/&#?\w+;/g, ' ');
}

/** The pieces of a folded raw word: itself, and when it holds `_`, each non-empty piece between them. */
function wordForms(word: string, pieces: boolean): string[] {
  const trimmed = word.replace(/^_+|_+$/g, '');
  if (!trimmed) return [];
  if (!pieces || !trimmed.includes('_')) return [trimmed];
  return [trimmed, ...trimmed.split('_').filter(Boolean)];
}

/** The words under which a field's text is indexed (duplicates possible; the index keeps a set). */
export function indexTokens(text: string): string[] {
  const out: string[] = [];
  for (const match of fold(text).matchAll(RAW_WORD)) out.push(...wordForms(match[0], true));
  return out;
}

/** The words a query's text asks for: each must be found (AND); part names stay whole. */
export function queryTokens(text: string): string[] {
  const out: string[] = [];
  for (const match of fold(text).matchAll(RAW_WORD)) out.push(...wordForms(match[0], false));
  return [...new Set(out)];
}

/**
 * Where in `text` (UTF-16 offsets of the original, not the folded text) the
 * query's words are: whole raw words, or the pieces of a part name that
 * matched (`I719005` in `BBa_I719005`). Sorted, not overlapping.
 */
export function matchSpans(text: string, words: ReadonlySet<string>): [number, number][] {
  const spans: [number, number][] = [];
  for (const match of text.matchAll(RAW_WORD)) {
    const raw = match[0];
    const start = match.index!;
    const whole = wordForms(fold(raw), false)[0];
    if (whole !== undefined && words.has(whole)) {
      spans.push([start, start + raw.length]);
      continue;
    }
    let offset = 0;
    for (const piece of raw.split('_')) {
      if (piece && words.has(fold(piece))) spans.push([start + offset, start + offset + piece.length]);
      offset += piece.length + 1;
    }
  }
  return spans;
}
