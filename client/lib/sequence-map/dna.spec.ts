import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cleanSequence, gcPercent, reverseComplement } from './dna';

describe('DNA', () => {
  test('reverse complement, IUPAC codes included', () => {
    expect(reverseComplement('GAATTC')).toBe('GAATTC');
    expect(reverseComplement('aaccg')).toBe('CGGTT');
    // R (A|G) pairs with Y (C|T), K with M, B with V, D with H; S, W and N are their own complements.
    expect(reverseComplement('RYKMBVDHSWN')).toBe('NWSDHBVKMRY');
    expect(reverseComplement('AXC')).toBe('GNT');
  });

  test('the reverse complement of the reverse complement is the sequence', () => {
    fc.assert(fc.property(fc.stringMatching(/^[ACGTRYSWKMBDHVN]*$/), (s) => reverseComplement(reverseComplement(s)) === s));
  });

  test('GC content counts only bases whose pairing is known', () => {
    expect(gcPercent('GGCC')).toBe(100);
    expect(gcPercent('atgc')).toBe(50);
    expect(gcPercent('GCA')).toBe(66.7);
    expect(gcPercent('SSWW')).toBe(50);
    expect(gcPercent('GCNNNN')).toBe(100);
    expect(gcPercent('NNN')).toBeNull();
    expect(gcPercent('')).toBeNull();
  });

  test('a pasted sequence reads as its bases', () => {
    expect(cleanSequence('  1 gaattc gc\n 61 tt')).toBe('GAATTCGCTT');
  });
});
