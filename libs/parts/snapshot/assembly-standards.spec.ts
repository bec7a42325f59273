import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ASSEMBLY_STANDARDS, compatibilityJson, reverseComplement, scanCompatibility } from './assembly-standards';

test('finds each standard\'s sites with 1-based positions, on both strands', () => {
  //                      1234567890123456789012345
  const sequence = 'aagctagcttgaattcaaggtctcaa';
  const result = scanCompatibility(sequence);
  expect(result['10']).toEqual([{ enzyme: 'EcoRI', site: 'gaattc', position: 11, strand: 'forward' }]);
  expect(result['12']).toEqual([
    { enzyme: 'NheI', site: 'gctagc', position: 3, strand: 'forward' },
    { enzyme: 'EcoRI', site: 'gaattc', position: 11, strand: 'forward' },
  ]);
  expect(result['1000']).toEqual([{ enzyme: 'BsaI', site: 'ggtctc', position: 19, strand: 'forward' }]);
  // BsaI's site read on the other strand.
  expect(scanCompatibility('ttgagaccaa')['1000']).toEqual([{ enzyme: 'BsaI', site: 'ggtctc', position: 3, strand: 'reverse' }]);
  expect(scanCompatibility('acgtacgt')).toEqual({ '10': [], '12': [], '21': [], '23': [], '25': [], '1000': [] });
});

test('reverse complement', () => {
  expect(reverseComplement('gaattcn')).toBe('ngaattc');
  expect(reverseComplement('ggtctc')).toBe('gagacc');
});

/** The straightforward scan (indexOf per site and per strand), as the oracle for the one-pass scanner. */
function referenceScan(sequence: string) {
  const positions = (site: string) => {
    const found: number[] = [];
    for (let i = sequence.indexOf(site); i >= 0; i = sequence.indexOf(site, i + 1)) found.push(i + 1);
    return found;
  };
  const result: Record<string, { enzyme: string; site: string; position: number; strand: string }[]> = {};
  for (const [standard, sites] of Object.entries(ASSEMBLY_STANDARDS)) {
    result[standard] = sites
      .flatMap(({ enzyme, site }) => {
        const hits = positions(site).map((position) => ({ enzyme, site, position, strand: 'forward' }));
        const reverse = reverseComplement(site);
        if (reverse !== site) hits.push(...positions(reverse).map((position) => ({ enzyme, site, position, strand: 'reverse' })));
        return hits.sort((a, b) => a.position - b.position);
      })
      .sort((a, b) => a.position - b.position);
  }
  return result;
}

test('the one-pass scan finds exactly what an indexOf per site finds, and its JSON is JSON.stringify of it', () => {
  const sites = [...new Set(Object.values(ASSEMBLY_STANDARDS).flatMap((s) => s.map(({ site }) => site)))];
  const pieces = fc.oneof(fc.constantFrom(...sites, ...sites.map(reverseComplement)), fc.stringMatching(/^[acgtn]{0,12}$/));
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
      const sequence = parts.join('');
      const expected = referenceScan(sequence);
      expect(scanCompatibility(sequence)).toEqual(expected);
      const { json, compatibleStandards } = compatibilityJson(sequence);
      expect(json).toBe(JSON.stringify(expected));
      expect(compatibleStandards).toBe(Object.values(expected).filter((hits) => hits.length === 0).length);
    }),
    { numRuns: 500 },
  );
});
