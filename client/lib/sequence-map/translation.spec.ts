import { describe, expect, test } from 'vitest';
import { frameBases, frameLabel, translate, translateCodon, translateFrame } from './translation';

describe('translation, standard code', () => {
  test('codons, stops and ambiguous codons', () => {
    expect(translateCodon('ATG')).toBe('M');
    expect(translateCodon('tgg')).toBe('W');
    expect(['TAA', 'TAG', 'TGA'].map(translateCodon)).toEqual(['*', '*', '*']);
    expect(translateCodon('GCN')).toBe('A'); // every GC? codon is alanine
    expect(translateCodon('TAR')).toBe('*');
    expect(translateCodon('NNN')).toBe('X');
    expect(translateCodon('AT')).toBe('X');
  });

  test('a partial last codon is left over, not translated', () => {
    expect(translate('ATGGCCTAA')).toEqual({ protein: 'MA*', leftover: 0 });
    expect(translate('ATGGC')).toEqual({ protein: 'M', leftover: 2 });
    expect(translate('')).toEqual({ protein: '', leftover: 0 });
  });

  test('six frames: three on each strand', () => {
    const dna = 'ATGAAACCCTAG'; // reverse complement CTAGGGTTTCAT
    expect(frameBases(dna, 2)).toBe('TGAAACCCTAG');
    expect(frameBases(dna, -1)).toBe('CTAGGGTTTCAT');
    expect(translateFrame(dna, 1)).toEqual({ protein: 'MKP*', leftover: 0 });
    expect(translateFrame(dna, 2)).toEqual({ protein: '*NP', leftover: 2 });
    expect(translateFrame(dna, 3)).toEqual({ protein: 'ETL', leftover: 1 });
    expect(translateFrame(dna, -1)).toEqual({ protein: 'LGFH', leftover: 0 });
    expect(translateFrame(dna, -2)).toEqual({ protein: '*GF', leftover: 2 });
    expect(translateFrame(dna, -3)).toEqual({ protein: 'RVS', leftover: 1 });
    expect(frameLabel(-2)).toBe('−2');
    expect(frameLabel(3)).toBe('+3');
  });
});
