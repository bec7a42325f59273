import type { PartsQuery } from '../api/parts-query';
import { LIST_COLUMNS, type Queryable } from '../api/parts-search-sql';
import { evaluateSearch, matchedFields } from './query-evaluator';
import type { SearchIndex } from './search-index';
import { matchSpans } from './tokenizer';

/** Which of the query's words a listed part matched, where, and the spans to highlight in what a results list shows. */
export interface SearchMatch {
  words: string[];
  /** The searched fields holding at least one of the words (part_name, nickname, short_desc, categories, author, description). */
  fields: string[];
  /** [start, end) UTF-16 offsets of matched words in part_name and short_desc, as returned in the item. */
  highlights: { part_name: [number, number][]; short_desc: [number, number][] };
}

/** A listed part (LIST_COLUMNS) with its relevance and what matched. */
export interface SearchItem {
  part_id: number;
  part_name: string;
  relevance: number;
  match: SearchMatch;
  [column: string]: unknown;
}

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * A search with words answered from the index: the order, the page and the
 * exact total come from the index; the page's rows (with their counters of
 * now) from the `parts` view by primary key. A `sequence` filter is DNA, not
 * words: every match is taken from the index in order and MySQL keeps those
 * whose sequence holds it.
 */
export async function indexedSearch(db: Queryable, snapshotDatabase: string, index: SearchIndex, query: PartsQuery) {
  const depth = query.page * query.perPage;
  let evaluated = evaluateSearch(index, query, query.sequence ? Infinity : depth);
  if (query.sequence && evaluated.docs.length) {
    const ids = evaluated.docs.map((doc) => index.data.partIds[doc]!);
    const kept: { part_id: number }[] = await db.query(
      `SELECT part_id FROM ${q(snapshotDatabase)}.parts_sequences WHERE part_id IN (?) AND ${query.sequence.sql}`,
      [ids, ...query.sequence.params],
    );
    const keep = new Set(kept.map((row) => Number(row.part_id)));
    const at = evaluated.docs.map((doc, i) => i).filter((i) => keep.has(index.data.partIds[evaluated.docs[i]!]!));
    evaluated = { ...evaluated, total: at.length, docs: at.map((i) => evaluated.docs[i]!), scores: at.map((i) => evaluated.scores[i]!) };
  }
  const from = (query.page - 1) * query.perPage;
  const pageDocs = evaluated.docs.slice(from, depth);
  const pageScores = evaluated.scores.slice(from, depth);
  const rows: Record<string, any>[] = pageDocs.length
    ? await db.query(`SELECT ${LIST_COLUMNS} FROM parts WHERE part_id IN (?)`, [pageDocs.map((doc) => index.data.partIds[doc]!)])
    : [];
  const byId = new Map(rows.map((row) => [Number(row.part_id), row]));
  const words = new Set(evaluated.words);
  const items = pageDocs.flatMap((doc, i): SearchItem[] => {
    const row = byId.get(index.data.partIds[doc]!);
    // A part whose weight went away since the index last heard of it: the view no longer shows it.
    if (!row) return [];
    const match: SearchMatch = {
      words: evaluated.words,
      fields: matchedFields(index, doc, evaluated.words),
      highlights: { part_name: matchSpans(String(row.part_name), words), short_desc: matchSpans(String(row.short_desc ?? ''), words) },
    };
    return [{ ...row, part_id: Number(row.part_id), part_name: String(row.part_name), relevance: pageScores[i]!, match }];
  });
  return { items, total: evaluated.total, page: query.page, perPage: query.perPage };
}
