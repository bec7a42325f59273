import { describe, expect, test } from 'vitest';
import { alsoFoundIn, highlightPieces, suggestionOptions } from './search-match';

describe('search highlights', () => {
  test('cuts text at the marked spans', () => {
    expect(highlightPieces('T7 Promoter', [[0, 2], [3, 11]])).toEqual([
      { text: 'T7', marked: true }, { text: ' ', marked: false }, { text: 'Promoter', marked: true },
    ]);
    expect(highlightPieces('BBa_I719005', [[4, 11]])).toEqual([{ text: 'BBa_', marked: false }, { text: 'I719005', marked: true }]);
  });

  test('ignores spans that do not fit the text (never throws, never drops text)', () => {
    expect(highlightPieces('abc', [[2, 9], [0, 1], [0, 2]])).toEqual([{ text: 'a', marked: true }, { text: 'bc', marked: false }]);
    expect(highlightPieces('abc', undefined)).toEqual([{ text: 'abc', marked: false }]);
  });

  test('names the fields a results row does not show', () => {
    expect(alsoFoundIn({ words: ['x'], fields: ['short_desc', 'description', 'author'], highlights: { part_name: [], short_desc: [] } })).toEqual(['description', 'author']);
  });

  test('suggestions complete the last word of the query', () => {
    const options = suggestionOptions('t7 prom', { names: [], types: ['Regulatory'], words: [{ word: 'promoter', parts: 40 }] });
    expect(options).toEqual(['t7 promoter', 't7 t:Regulatory']);
    expect(suggestionOptions('K11', { names: [{ part_name: 'BBa_K1100' }], types: [], words: [] })).toEqual(['BBa_K1100']);
  });
});
