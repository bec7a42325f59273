/**
 * The search page's state and the URL are one thing: every control writes the
 * URL, and the page reads everything from it, so a search can be bookmarked,
 * shared, reloaded and walked with the browser's back button.
 */

/** What the route's query may hold (vue-router's LocationQuery, without depending on it). */
export type RawQuery = Record<string, string | null | (string | null)[] | undefined>;

export interface SearchState {
  q: string;
  type: string;
  status: string;
  sample_status: string;
  works: string;
  category: string;
  /** '' is the API's own order: relevance blended with weight for words, weight otherwise. */
  sort: string;
  page: number;
}

export const PER_PAGE = 20;

/** The filters, in the order the page shows them. */
export const FILTER_KEYS = ['type', 'status', 'sample_status', 'works', 'category'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const SORT_OPTIONS: readonly { value: string; label: string }[] = [
  { value: '', label: 'Best match' },
  { value: '-weight', label: 'Weight, highest first' },
  { value: '-uses', label: 'Most used' },
  { value: '-created', label: 'Newest' },
  { value: 'created', label: 'Oldest' },
  { value: 'name', label: 'Name, A–Z' },
  { value: '-name', label: 'Name, Z–A' },
];

const KNOWN_SORTS = new Set(SORT_OPTIONS.map((option) => option.value));

/** The last value of a query parameter (`?q=a&q=b` → `b`), trimmed, bounded as the API bounds it. */
function single(value: RawQuery[string]): string {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return (last ?? '').trim().slice(0, 2000);
}

export function parseSearch(query: RawQuery): SearchState {
  const page = Number.parseInt(single(query.page), 10);
  const sort = single(query.sort);
  return {
    q: single(query.q),
    type: single(query.type),
    status: single(query.status),
    sample_status: single(query.sample_status),
    works: single(query.works),
    category: single(query.category),
    sort: KNOWN_SORTS.has(sort) ? sort : '',
    // The API reads pages up to 1,000 results deep; further is refused, so it is never linked.
    page: Number.isFinite(page) && page >= 1 ? Math.min(page, maxPage()) : 1,
  };
}

/** The deepest page the API serves at PER_PAGE results a page. */
export function maxPage(total = Infinity): number {
  return Math.max(1, Math.min(Math.ceil(total / PER_PAGE), Math.floor(1000 / PER_PAGE)));
}

/** The route query of a state: defaults left out, so URLs stay short and equal states have equal URLs. */
export function toRouteQuery(state: SearchState): Record<string, string> {
  const query: Record<string, string> = {};
  if (state.q) query.q = state.q;
  for (const key of FILTER_KEYS) if (state[key]) query[key] = state[key];
  if (state.sort) query.sort = state.sort;
  if (state.page > 1) query.page = String(state.page);
  return query;
}

/** The GET /api/parts parameters of a state. */
export function toApiQuery(state: SearchState): Record<string, string> {
  return { ...toRouteQuery(state), page: String(state.page), max_results: String(PER_PAGE) };
}

/** A change of the query or a filter starts again at page 1; a change of page keeps the rest. */
export function withChange(state: SearchState, change: Partial<SearchState>): SearchState {
  const resetsPage = Object.keys(change).some((key) => key !== 'page');
  return { ...state, ...change, page: change.page ?? (resetsPage ? 1 : state.page) };
}

export function activeFilters(state: SearchState): { key: FilterKey; value: string }[] {
  return FILTER_KEYS.filter((key) => state[key]).map((key) => ({ key, value: state[key] }));
}

/**
 * The page numbers to link around `current`: the first, the last, and two on
 * each side, with null for a gap. 1 … 4 5 [6] 7 8 … 20.
 */
export function pageWindow(current: number, last: number, radius = 2): (number | null)[] {
  const pages: (number | null)[] = [];
  for (let n = 1; n <= last; n++) {
    if (n === 1 || n === last || Math.abs(n - current) <= radius) pages.push(n);
    else if (pages[pages.length - 1] !== null) pages.push(null);
  }
  return pages;
}
