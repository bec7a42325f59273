import { expect, test } from 'vitest';
import { reverseComplement, scanCompatibility } from './assembly-standards';

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
