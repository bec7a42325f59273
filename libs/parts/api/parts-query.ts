import { reverseComplement } from '../snapshot/assembly-standards';

/** A bad query: the API answers 400 with this message. */
export class PartsQueryError extends Error {}

/** Every query parameter of GET /api/parts, with what it means (the OpenAPI document lists these). */
export const QUERY_PARAMETERS = {
  q: 'words and prefixes n: t: a: s: c: o:, e.g. `gfp t:Reporter o:-uses`',
  type: 'part type, e.g. Coding',
  status: 'status, e.g. Available',
  sample_status: "sample status, e.g. In stock",
  works: 'experience: Works, Issues, Fails, None',
  category: 'category prefix, e.g. //chassis/prokaryote',
  has_sequence: 'true or false (the snapshot keeps parts with more than 10 bases)',
  sequence: 'DNA to find, on both strands; IUPAC codes allowed; at least 6 bases',
  sort: 'weight, name, created or uses; prefix - for descending; Eve\'s [("uses", -1)] also works',
  page: 'page number, from 1',
  max_results: 'page size, 1 to 100 (default 25)',
  where: 'Eve-style JSON filter on part_type, status, sample_status, works, part_name, author',
} as const;

/** Sort keys and their columns. A Map: a key like "constructor" must not find Object.prototype's. */
export const SORTS: ReadonlyMap<string, string> = new Map([['weight', 'weight'], ['name', 'part_name'], ['created', 'creation_date'], ['uses', 'uses']]);

export interface PartsQueryInput {
  q?: string;
  type?: string;
  status?: string;
  sample_status?: string;
  works?: string;
  category?: string;
  has_sequence?: string;
  sequence?: string;
  sort?: string;
  page?: string;
  max_results?: string;
  /** Eve-style JSON filter, e.g. {"part_type": "Coding"}. */
  where?: string;
}

/**
 * One condition of a query, as the in-memory search index applies it
 * (libs/parts/search/query-evaluator.ts); the SQL path applies `where`.
 * eq: equal; prefix: starts with; contains: holds; category: one of the part's
 * categories starts with the value; empty: sequence_length = 0.
 */
export interface Criterion {
  column: 'part_type' | 'status' | 'sample_status' | 'works' | 'part_name' | 'author' | 'categories' | 'sequence_length';
  op: 'eq' | 'prefix' | 'contains' | 'category' | 'empty';
  value: string;
}

export interface PartsQuery {
  where: string[];
  params: unknown[];
  /** The same conditions as `where`, for the search index; the sequence filter is not among them (see `sequence`). */
  criteria: Criterion[];
  /** The query's words as typed (prefixed terms taken out), for the search index's tokenizer. */
  text: string;
  /** The `sequence` filter's SQL, kept apart: the search index filters its matches with it in MySQL. */
  sequence?: { sql: string; params: unknown[] };
  /** The sort asked for (`o:` or `sort`); undefined: relevance with words, weight without. */
  sort?: { field: string; descending: boolean };
  /** ORDER BY of a listing without words (a search with words is ordered by the search index). */
  order: string;
  page: number;
  perPage: number;
}

// Lookups by user-given keys are Maps, never plain objects (whose prototype answers "toString", "__proto__", …).
const IUPAC = new Map(Object.entries({
  a: 'a', c: 'c', g: 'g', t: 't', u: 't', r: '[ag]', y: '[ct]', s: '[cg]', w: '[at]', k: '[gt]', m: '[ac]',
  b: '[cgt]', d: '[agt]', h: '[act]', v: '[acg]', n: '[acgt]',
}));
const COMPLEMENT_CODE = new Map(Object.entries({ a: 't', c: 'g', g: 'c', t: 'a', u: 'a', r: 'y', y: 'r', s: 's', w: 'w', k: 'm', m: 'k', b: 'v', v: 'b', d: 'h', h: 'd', n: 'n' }));
const EVE_FIELDS = new Map(Object.entries({
  part_type: 'part_type', type: 'part_type', status: 'status', sample_status: 'sample_status', works: 'works', part_name: 'part_name', author: 'author',
}));

/** The longest sequence a search takes (a longer one is refused with 400, not sent to the regular expression engine). */
export const MAX_SEQUENCE_QUERY = 1000;

/** A LIKE pattern matching `text` literally: `%` and `_` typed by a user are not wildcards. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Splits `gfp t:Coding a:"Randy Rettberg"` into words and prefixed terms; quotes group words. */
export function tokenize(q: string): { prefix?: string; value: string }[] {
  const tokens: { prefix?: string; value: string }[] = [];
  const pattern = /(?:([a-z]):)?(?:"([^"]*)"|(\S+))/gi;
  for (const match of q.matchAll(pattern)) {
    const value = (match[2] ?? match[3] ?? '').trim();
    if (!value && !match[1]) continue;
    tokens.push({ prefix: match[1]?.toLowerCase(), value });
  }
  return tokens;
}

function parseSort(sort: string): { field: string; descending: boolean; sql: string } {
  // Accepts `-uses`, `uses`, or Eve's `[("uses", -1)]`.
  const eve = /^\[\s*\(\s*"([a-z_]+)"\s*,\s*(-?1)\s*\)\s*\]$/.exec(sort.trim());
  const [field, descending] = eve ? [eve[1]!, eve[2] === '-1'] : [sort.replace(/^[-+]/, ''), sort.startsWith('-')];
  const column = SORTS.get(field);
  if (!column) throw new PartsQueryError(`cannot sort by "${field}": use one of ${[...SORTS.keys()].join(', ')} (prefix - for descending)`);
  return { field, descending, sql: `${column} ${descending ? 'DESC' : 'ASC'}, part_name ASC` };
}

function sequenceCondition(raw: string): { sql: string; params: unknown[] } {
  const query = raw.toLowerCase().replace(/\s+/g, '');
  if (!/^[acgturyswkmbdhvn]+$/.test(query)) throw new PartsQueryError('a sequence query uses only DNA letters and IUPAC codes (ACGT U RYSWKMBDHVN)');
  if (query.length < 6) throw new PartsQueryError('a sequence query needs at least 6 bases');
  if (query.length > MAX_SEQUENCE_QUERY) throw new PartsQueryError(`a sequence query takes at most ${MAX_SEQUENCE_QUERY} bases (this one has ${query.length})`);
  const reverse = [...query].reverse().map((c) => COMPLEMENT_CODE.get(c)!).join('');
  if (/^[acgt]+$/.test(query)) {
    return { sql: '(INSTR(sequence, ?) > 0 OR INSTR(sequence, ?) > 0)', params: [query, reverseComplement(query)] };
  }
  const regex = (s: string) => [...s].map((c) => IUPAC.get(c)).join('');
  return { sql: '(sequence REGEXP ? OR sequence REGEXP ?)', params: [regex(query), regex(reverse)] };
}

/**
 * Reads the API's query string: the filters as SQL over the `parts` view (a
 * listing without words) and as criteria (the search index, for a search with
 * words); `n:` name, `t:` type, `a:` author, `s:` status, `c:` category prefix
 * and `o:` order are taken out of the text first, so a prefix never leaks into
 * the words.
 */
export function buildPartsQuery(input: PartsQueryInput): PartsQuery {
  const where: string[] = [];
  const params: unknown[] = [];
  const criteria: Criterion[] = [];
  const words: string[] = [];
  let sort: ReturnType<typeof parseSort> | undefined;
  let sequence: PartsQuery['sequence'];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  const criterion = (column: Criterion['column'], op: Criterion['op'], value: string) => criteria.push({ column, op, value });
  for (const token of tokenize(input.q ?? '')) {
    if (!token.value) throw new PartsQueryError(`"${token.prefix}:" needs a value`);
    switch (token.prefix) {
      case undefined:
        words.push(token.value);
        break;
      case 'n': {
        const prefix = /^(bba_|psb)/i.test(token.value);
        add('part_name LIKE ?', prefix ? `${likeLiteral(token.value)}%` : `%${likeLiteral(token.value)}%`);
        criterion('part_name', prefix ? 'prefix' : 'contains', token.value);
        break;
      }
      case 't':
        add('part_type = ?', token.value);
        criterion('part_type', 'eq', token.value);
        break;
      case 'a':
        add('author LIKE ?', `%${likeLiteral(token.value)}%`);
        criterion('author', 'contains', token.value);
        break;
      case 's':
        add('status = ?', token.value);
        criterion('status', 'eq', token.value);
        break;
      case 'c': {
        const category = token.value.startsWith('//') ? token.value : `//${token.value}`;
        add("CONCAT(' ', categories) LIKE ?", `% ${likeLiteral(category)}%`);
        criterion('categories', 'category', category);
        break;
      }
      case 'o':
        sort = parseSort(token.value);
        break;
      default:
        throw new PartsQueryError(`unknown prefix "${token.prefix}:": use n: (name), t: (type), a: (author), s: (status), c: (category), o: (order)`);
    }
  }
  if (input.type) {
    add('part_type = ?', input.type);
    criterion('part_type', 'eq', input.type);
  }
  if (input.status) {
    add('status = ?', input.status);
    criterion('status', 'eq', input.status);
  }
  if (input.sample_status !== undefined) {
    add('sample_status = ?', input.sample_status);
    criterion('sample_status', 'eq', input.sample_status);
  }
  if (input.works !== undefined) {
    add('works = ?', input.works);
    criterion('works', 'eq', input.works);
  }
  if (input.category) {
    add("CONCAT(' ', categories) LIKE ?", `% ${likeLiteral(input.category)}%`);
    criterion('categories', 'category', input.category);
  }
  if (input.has_sequence !== undefined) {
    if (!['true', 'false', '1', '0'].includes(input.has_sequence)) throw new PartsQueryError('has_sequence must be true or false');
    // The snapshot keeps only parts with a sequence of more than 10 bases (as Biohub did).
    if (input.has_sequence === 'false' || input.has_sequence === '0') {
      add('sequence_length = 0');
      criterion('sequence_length', 'empty', '');
    }
  }
  if (input.sequence) {
    sequence = sequenceCondition(input.sequence);
    add(sequence.sql, ...sequence.params);
  }
  if (input.where) {
    let filter: unknown;
    try {
      filter = JSON.parse(input.where);
    } catch {
      throw new PartsQueryError('where must be a JSON object, e.g. {"part_type": "Coding"}');
    }
    if (!filter || typeof filter !== 'object' || Array.isArray(filter)) throw new PartsQueryError('where must be a JSON object, e.g. {"part_type": "Coding"}');
    for (const [field, value] of Object.entries(filter)) {
      const column = EVE_FIELDS.get(field);
      if (!column) throw new PartsQueryError(`cannot filter on "${field}": use ${[...EVE_FIELDS.keys()].join(', ')}`);
      if (typeof value !== 'string' && typeof value !== 'number') throw new PartsQueryError(`where.${field} must be a string or a number`);
      add(`${column} = ?`, String(value));
      criterion(column as Criterion['column'], 'eq', String(value));
    }
  }
  if (input.sort) sort = parseSort(input.sort);
  const perPage = input.max_results === undefined ? 25 : Number(input.max_results);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) throw new PartsQueryError('max_results must be a whole number from 1 to 100');
  const page = input.page === undefined ? 1 : Number(input.page);
  if (!Number.isInteger(page) || page < 1 || page > 100_000) throw new PartsQueryError('page must be a whole number from 1');
  return {
    where, params, criteria, text: words.join(' '), sequence, sort: sort && { field: sort.field, descending: sort.descending },
    order: sort?.sql ?? 'weight DESC, part_name ASC', page, perPage,
  };
}
