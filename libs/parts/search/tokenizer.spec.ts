import { describe, expect, test } from 'vitest';
import { topK } from './query-evaluator';
import { fold, indexTokens, matchSpans, queryTokens, stripMarkup } from './tokenizer';

describe('tokenizer', () => {
  test('keeps short words, splits on punctuation, folds case and accents', () => {
    expect(indexTokens('T7 Promoter')).toEqual(['t7', 'promoter']);
    expect(queryTokens('E. coli')).toEqual(['e', 'coli']);
    expect(queryTokens("5' UTR, λ phage")).toEqual(['5', 'utr', 'λ', 'phage']);
    expect(fold('Müller')).toBe('muller');
    expect(queryTokens('the a of')).toEqual(['the', 'a', 'of']);
  });

  test('a part name is indexed whole and by its pieces; a query keeps it whole', () => {
    expect(indexTokens('BBa_K1995950')).toEqual(['bba_k1995950', 'bba', 'k1995950']);
    expect(queryTokens('BBa_K1995950')).toEqual(['bba_k1995950']);
    expect(queryTokens('K1995950')).toEqual(['k1995950']);
    expect(indexTokens('__x__')).toEqual(['x']);
  });

  test('markup is not text', () => {
    expect(indexTokens(stripMarkup('<P>GFP &amp; <i>RFP</i></P>'))).toEqual(['gfp', 'rfp']);
  });

  test('spans mark whole words and the matching pieces of names, in the original text', () => {
    expect(matchSpans('T7 Promoter (strong)', new Set(['t7', 'promoter']))).toEqual([[0, 2], [3, 11]]);
    expect(matchSpans('BBa_I719005', new Set(['i719005']))).toEqual([[4, 11]]);
    expect(matchSpans('BBa_I719005', new Set(['bba_i719005']))).toEqual([[0, 11]]);
    expect(matchSpans('Müller lab', new Set(['muller']))).toEqual([[0, 6]]);
  });
});

describe('topK', () => {
  test('the heap and the full sort give the same order, ties by document', () => {
    const n = 20_000;
    const key = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 101);
    const doc = Int32Array.from({ length: n }, (_, i) => n - i);
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => key[b]! - key[a]! || doc[a]! - doc[b]!);
    expect(topK(n, key, doc, true, 25)).toEqual(expected.slice(0, 25));
    expect(topK(n, key, doc, true, n)).toEqual(expected);
    const ascending = Array.from({ length: n }, (_, i) => i).sort((a, b) => key[a]! - key[b]! || doc[a]! - doc[b]!);
    expect(topK(n, key, doc, false, 100)).toEqual(ascending.slice(0, 100));
  });
});
