import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { reverseComplement } from './dna';
import { findMotif, motifProblem } from './iupac-search';

describe('IUPAC search on both strands', () => {
  test('forward and reverse hits, 1-based inclusive', () => {
    // GGTCTC (BsaI) at 3–8 forward; its reverse complement GAGACC at 12–17 is a reverse-strand hit.
    expect(findMotif('AAGGTCTCAAAGAGACCAA', 'ggtctc')).toEqual([
      { start: 3, end: 8, strand: 'forward' },
      { start: 12, end: 17, strand: 'reverse' },
    ]);
  });

  test('a palindromic motif is one hit on both strands', () => {
    expect(findMotif('TTGAATTCTT', 'GAATTC')).toEqual([{ start: 3, end: 8, strand: 'both' }]);
  });

  test('overlapping hits all count', () => {
    expect(findMotif('AAAA', 'AA').map((h) => [h.start, h.strand])).toEqual([[1, 'forward'], [2, 'forward'], [3, 'forward']]);
    expect(findMotif('ATATAT', 'ATA').filter((h) => h.strand === 'forward').map((h) => h.start)).toEqual([1, 3]);
  });

  test('IUPAC codes in the motif match any base they stand for; an N in the sequence only matches N', () => {
    expect(findMotif('GCAGC', 'GCN').filter((h) => h.strand === 'forward')).toEqual([{ start: 1, end: 3, strand: 'forward' }]);
    expect(findMotif('ACGTT', 'RY')).toEqual([{ start: 1, end: 2, strand: 'both' }, { start: 3, end: 4, strand: 'both' }]); // RY is its own reverse complement
    expect(findMotif('ANA', 'ACA')).toEqual([]);
    expect(findMotif('ANA', 'ANA').length).toBeGreaterThan(0);
    expect(findMotif('ACGU', 'acgu')).toEqual([{ start: 1, end: 4, strand: 'both' }]);
  });

  test('hits across the origin only on a circular sequence', () => {
    const seq = 'TCAAAAAAGAAT'; // GAATTC = GAAT (9–12) + TC (1–2)
    expect(findMotif(seq, 'GAATTC')).toEqual([]);
    expect(findMotif(seq, 'GAATTC', true)).toEqual([{ start: 9, end: 2, strand: 'both' }]);
  });

  test('a motif longer than the sequence, or not IUPAC, finds nothing and says why', () => {
    expect(findMotif('ACG', 'ACGT')).toEqual([]);
    expect(findMotif('ACGT', 'AXG')).toEqual([]);
    expect(motifProblem('AXG?')).toBe('Not IUPAC nucleotide codes: X ?');
    expect(motifProblem(' ')).toMatch(/Type a sequence/);
    expect(motifProblem('gcnnw')).toBeNull();
  });

  test('every reverse hit is a forward hit of the reverse complement, read on the other strand', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ACGT]{4,40}$/), fc.stringMatching(/^[ACGTN]{1,4}$/), (seq, motif) => {
        const forward = findMotif(seq, motif).filter((h) => h.strand !== 'forward').map((h) => seq.length - h.end + 1);
        const onOther = findMotif(reverseComplement(seq), motif).filter((h) => h.strand !== 'reverse').map((h) => h.start);
        expect(forward.sort((a, b) => a - b)).toEqual(onOther.sort((a, b) => a - b));
      }),
    );
  });
});
