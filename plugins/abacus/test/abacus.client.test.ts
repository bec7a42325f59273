import { describe, expect, test } from 'vitest';
import { alignmentRows, markChanges, residueKeys } from '../client/alignment';

// The page's helpers: rows of the aligned sequences, and the copy of a PDB whose B-factors mark the changes.
const atom = (serial: number, name: string, res: string, chain: string, n: number, b = ' 12.00') =>
  `ATOM  ${String(serial).padStart(5)} ${name.padEnd(4)} ${res} ${chain}${String(n).padStart(4)}       1.000   2.000   3.000  1.00${b}           C`;

describe('the aligned sequences', () => {
  test('cut into rows with what each position shows', () => {
    const rows = alignmentRows('ACDEFG', 'ACDKFY', 'HHHCEL', '093000', 4);
    expect(rows.map((r) => r.start)).toEqual([0, 4]);
    expect(rows[0].cells[3]).toEqual({ native: 'E', designed: 'K', same: false, ss: 'C', burial: 0 });
    expect(rows[0].cells[1]).toMatchObject({ same: true, burial: 9, ss: 'H' });
    expect(rows[1].cells.map((c) => c.designed).join('')).toBe('FY');
  });
});

describe('colouring by change', () => {
  const designed = [atom(1, ' N', 'ALA', 'A', 1), atom(2, ' CA', 'ALA', 'A', 1), atom(3, ' N', 'LYS', 'A', 2), atom(4, ' CA', 'LYS', 'A', 2), 'END'].join('\n');
  test('the residues of a file in order', () => {
    expect(residueKeys(designed)).toEqual(['A   1 ', 'A   2 ']);
  });

  test('B-factor 1 in changed residues, 0 in kept ones, for every atom of the native file too', () => {
    const keys = residueKeys(designed);
    const native = ['HEADER    TEST', atom(1, ' N', 'ALA', 'A', 1), atom(2, ' CB', 'ALA', 'A', 1), atom(3, ' N', 'GLU', 'A', 2), atom(4, ' OE1', 'GLU', 'A', 2), 'ANISOU    4', 'END'].join('\n');
    const marked = markChanges(native, keys, 'AE', 'AK').split('\n');
    expect(marked.filter((l) => l.startsWith('ATOM')).map((l) => l.slice(60, 66))).toEqual(['  0.00', '  0.00', '  1.00', '  1.00']);
    expect(marked[0]).toBe('HEADER    TEST');
    expect(marked.some((l) => l.startsWith('ANISOU'))).toBe(false);
    expect(marked[1].slice(0, 60)).toBe(atom(1, ' N', 'ALA', 'A', 1).slice(0, 60));
  });
});
