import { describe, expect, test } from 'vitest';
import { assignLanes, featureKind, featureLabel, featureSpan, subpartName } from './features';
import { sitesFromCompatibility } from './restriction-sites';
import { contains, describeSelection, parseSelection, selectedBases, selectionBetween, selectionFasta, selectionLength } from './selection';

describe('selection', () => {
  const seq = 'AAAACCCCGGGGTTTT';

  test('a drag either way on a line selects the same bases', () => {
    expect(selectionBetween(5, 8)).toEqual({ start: 5, end: 8 });
    expect(selectionBetween(8, 5)).toEqual({ start: 5, end: 8 });
    expect(describeSelection(seq, { start: 5, end: 8 })).toEqual({ start: 5, end: 8, length: 4, gc: 100, bases: 'CCCC' });
  });

  test('on a circle a selection may run across the origin', () => {
    const across = selectionBetween(15, 2, true, true);
    expect(across).toEqual({ start: 15, end: 2 });
    expect(selectionLength(across, 16)).toBe(4);
    expect(selectedBases(seq, across)).toBe('TTAA');
    expect(contains(across, 16) && contains(across, 1) && !contains(across, 3)).toBe(true);
    expect(selectionBetween(15, 2, true, false)).toEqual({ start: 2, end: 15 });
  });

  test('typed ranges are checked against the sequence', () => {
    expect(parseSelection(3, 9, 16, false)).toEqual({ start: 3, end: 9 });
    expect(parseSelection(9, 3, 16, false)).toBeNull();
    expect(parseSelection(9, 3, 16, true)).toEqual({ start: 9, end: 3 });
    expect(parseSelection(0, 3, 16, false)).toBeNull();
    expect(parseSelection(1, 17, 16, false)).toBeNull();
    expect(parseSelection(1.5, 3, 16, false)).toBeNull();
  });

  test('FASTA of a selection names the part and the range, 60 bases a line', () => {
    expect(selectionFasta('BBa_X', seq.toLowerCase(), { start: 5, end: 8 })).toBe('>BBa_X:5-8 4 bp\nCCCC\n');
    const long = 'A'.repeat(130);
    expect(selectionFasta('P', long, { start: 1, end: 130 }).split('\n').map((l) => l.length)).toEqual([15, 60, 60, 10, 0]);
  });
});

describe('features', () => {
  const f = (feature_type: string, start_pos: number, end_pos: number, label = '', reverse = 0) => ({ feature_type, start_pos, end_pos, label, reverse });

  test('kinds, labels and the parts subpart features stand for', () => {
    expect(featureKind(f('BioBrick', 1, 2))).toBe('subpart');
    expect(featureKind(f('stem_loop', 1, 2))).toBe('terminator');
    expect(featureKind(f('s_mutation', 1, 2))).toBe('other');
    expect(subpartName(f('BioBrick', 1, 80, 'BBa_B0010'))).toBe('BBa_B0010');
    expect(subpartName(f('BioBrick', 1, 2, 'prefix'))).toBeNull();
    expect(subpartName(f('cds', 1, 80, 'BBa_B0010'))).toBeNull();
    expect(featureLabel(f('rbs', 1, 15, 'RBS-1\\Strong'))).toBe('RBS-1 Strong');
    expect(featureLabel(f('rbs', 1, 15, ''))).toBe('rbs');
    expect(featureSpan(f('cds', 90, 10), 50)).toEqual({ start: 10, end: 50 });
  });

  test('overlapping features go to separate lanes, the longest next to the sequence', () => {
    expect(assignLanes([{ start: 12, end: 55 }, { start: 1, end: 80 }, { start: 89, end: 129 }, { start: 60, end: 70 }])).toEqual([1, 0, 0, 1]);
  });
});

describe('restriction sites', () => {
  test('one mark per site, naming every standard it breaks', () => {
    const site = { enzyme: 'XbaI', site: 'tctaga', position: 12, strand: 'forward' };
    const sites = sitesFromCompatibility({
      '10': { compatible: false, sites: [site] },
      '1000': { compatible: true, sites: [] },
      '23': { compatible: false, sites: [site, { enzyme: 'PstI', site: 'ctgcag', position: 3, strand: 'forward' }] },
    });
    expect(sites).toEqual([
      { enzyme: 'PstI', site: 'CTGCAG', start: 3, end: 8, strand: 'forward', standards: ['23'] },
      { enzyme: 'XbaI', site: 'TCTAGA', start: 12, end: 17, strand: 'forward', standards: ['10', '23'] },
    ]);
    expect(sitesFromCompatibility(undefined)).toEqual([]);
  });
});
