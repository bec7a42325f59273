import { describe, expect, test } from 'vitest';
import { PER_PAGE, activeFilters, maxPage, pageWindow, parseSearch, toApiQuery, toRouteQuery, withChange } from './search-state';

describe('the search URL and the search state', () => {
  test('a URL reads into a state and back into the same URL', () => {
    const query = { q: 'gfp t:Reporter', type: 'Coding', status: 'Available', sample_status: 'In stock', works: 'Works', category: '//function/reporter', sort: '-uses', page: '3' };
    const state = parseSearch(query);
    expect(state).toEqual({ ...query, page: 3 });
    expect(toRouteQuery(state)).toEqual(query);
  });

  test('defaults stay out of the URL, so equal searches have equal URLs', () => {
    expect(toRouteQuery(parseSearch({}))).toEqual({});
    expect(toRouteQuery(parseSearch({ q: '  ', page: '1', sort: '' }))).toEqual({});
  });

  test('bad values from a hand-edited URL fall back instead of reaching the API', () => {
    expect(parseSearch({ page: '-2' }).page).toBe(1);
    expect(parseSearch({ page: 'abc' }).page).toBe(1);
    expect(parseSearch({ page: '999999' }).page).toBe(1000 / PER_PAGE); // the API reads 1,000 results deep
    expect(parseSearch({ sort: 'constructor' }).sort).toBe('');
    expect(parseSearch({ q: ['first', 'second'] }).q).toBe('second');
    expect(parseSearch({ q: null }).q).toBe('');
    expect(parseSearch({ q: 'x'.repeat(5000) }).q).toHaveLength(2000);
  });

  test('the API query carries the page and its size', () => {
    expect(toApiQuery(parseSearch({ q: 'gfp' }))).toEqual({ q: 'gfp', page: '1', max_results: String(PER_PAGE) });
  });

  test('changing the query or a filter goes back to page 1; changing the page keeps the rest', () => {
    const state = parseSearch({ q: 'gfp', type: 'Coding', page: '4' });
    expect(withChange(state, { type: 'RBS' })).toMatchObject({ q: 'gfp', type: 'RBS', page: 1 });
    expect(withChange(state, { page: 5 })).toMatchObject({ q: 'gfp', type: 'Coding', page: 5 });
  });

  test('active filters are listed in the page order', () => {
    expect(activeFilters(parseSearch({ works: 'Works', type: 'RBS', q: 'x' }))).toEqual([
      { key: 'type', value: 'RBS' },
      { key: 'works', value: 'Works' },
    ]);
  });
});

describe('pagination', () => {
  test('the last page follows the total, and never goes past what the API serves', () => {
    expect(maxPage(0)).toBe(1);
    expect(maxPage(PER_PAGE)).toBe(1);
    expect(maxPage(PER_PAGE + 1)).toBe(2);
    expect(maxPage(1_000_000)).toBe(1000 / PER_PAGE);
  });

  test('links show the ends and two pages around the current one, with gaps', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 5)).toEqual([1, 2, 3, null, 5]);
    expect(pageWindow(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
    expect(pageWindow(20, 20)).toEqual([1, null, 18, 19, 20]);
  });
});
