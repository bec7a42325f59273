import { api } from '@brickyard/client';

/** What GET /api/parts says matched in a listed part (libs/parts/search/indexed-search.ts). */
export interface SearchMatch {
  words: string[];
  fields: string[];
  highlights: { part_name: [number, number][]; short_desc: [number, number][] };
}

/** A piece of text, marked when it is one of the words searched for. */
export interface TextPiece {
  text: string;
  marked: boolean;
}

/** Cuts `text` at the spans the server marked (sorted, not overlapping); spans outside the text are ignored. */
export function highlightPieces(text: string, spans: [number, number][] | undefined): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const [start, end] of spans ?? []) {
    if (start < at || end > text.length || end <= start) continue;
    if (start > at) pieces.push({ text: text.slice(at, start), marked: false });
    pieces.push({ text: text.slice(start, end), marked: true });
    at = end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), marked: false });
  return pieces;
}

/** Fields a results list does not show, in words: where else the search found the part. */
const HIDDEN_FIELDS: Record<string, string> = { description: 'description', author: 'author', categories: 'categories', nickname: 'nickname' };

export function alsoFoundIn(match: SearchMatch | undefined): string[] {
  return (match?.fields ?? []).filter((field) => field in HIDDEN_FIELDS).map((field) => HIDDEN_FIELDS[field]!);
}

/** GET /api/parts/suggest: names as typed (with or without BBa_), types and common words for the search box. */
export interface Suggestions {
  names: { part_name: string }[];
  types: string[];
  words: { word: string; parts: number }[];
}

export const suggestParts = (q: string, signal?: AbortSignal) => api.get<Suggestions>('/api/parts/suggest', { q, size: '8' }, signal);

/**
 * The search box's choices for what is typed: whole part names, and the query
 * with its last word completed (a word, or a type as t:Type).
 */
export function suggestionOptions(typed: string, suggestions: Suggestions): string[] {
  const head = typed.replace(/\S*$/, '');
  const options = [
    ...suggestions.names.map((n) => n.part_name),
    ...suggestions.words.map((w) => `${head}${w.word}`),
    ...suggestions.types.map((type) => `${head}t:${/\s/.test(type) ? `"${type}"` : type}`),
  ];
  return [...new Set(options)].filter((option) => option.trim() !== typed.trim());
}
