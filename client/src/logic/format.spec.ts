import { describe, expect, test } from 'vitest';
import { descriptionSegments } from './description';
import { formatCount, formatDate, formatLength, formatWeight, gcPercent, plural, sequenceLines } from './format';
import { weightLines } from './weight-words';

describe('formatting', () => {
  test('counts, lengths and weights', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(null)).toBe('—');
    expect(formatLength(799)).toBe('799 bp');
    expect(formatLength(12_400)).toBe('12.4 kb');
    expect(formatWeight(0.538666)).toBe('53.9');
    expect(formatWeight(1)).toBe('100.0');
    expect(formatWeight(null)).toBe('—');
    expect(plural(1, 'part')).toBe('1 part');
    expect(plural(2, 'part')).toBe('2 parts');
  });

  test('dates are the day the Registry gave, whatever the time zone', () => {
    expect(formatDate('2004-10-29T00:00:00.000Z')).toBe('29 Oct 2004');
    expect(formatDate('2003-07-16T23:30:00.000Z')).toBe('16 Jul 2003');
    expect(formatDate('not a date')).toBe('—');
    expect(formatDate(null)).toBe('—');
  });

  test('a sequence reads in numbered lines of blocks of ten', () => {
    const lines = sequenceLines('a'.repeat(65));
    expect(lines.map((l) => l.start)).toEqual([1, 61]);
    expect(lines[0]!.blocks).toHaveLength(6);
    expect(lines[1]!.blocks).toEqual(['aaaaa']);
  });

  test('GC content counts G and C among the bases only', () => {
    expect(gcPercent('GGCC')).toBe(100);
    expect(gcPercent('atgc')).toBe(50);
    expect(gcPercent('ggaNN')).toBe(66.7);
    expect(gcPercent('')).toBeNull();
  });
});

describe('descriptions', () => {
  test('<partinfo> citations become part links and the rest stays text', () => {
    expect(descriptionSegments('Ptet-rbs (<partinfo>BBa_I14017 </partinfo>)-gfp')).toEqual([
      { text: 'Ptet-rbs (' },
      { part: 'BBa_I14017' },
      { text: ')-gfp' },
    ]);
    expect(descriptionSegments('<b>not markup</b>')).toEqual([{ text: '<b>not markup</b>' }]);
    expect(descriptionSegments(null)).toEqual([]);
  });
});

describe('the weight in words', () => {
  test('each signal the part has becomes a line, strongest first; absent ones are left out', () => {
    const lines = weightLines({
      status: 'Available',
      works: 'None',
      uses: 3,
      compatible_standards: 5,
      weight: { value: 0.5, strategy: 'bayesian', components: { status: 1, works: 0.1, uses: 0.4, compatibility: 0.8333, experiences: null, novel_signal: 0.2 } },
    });
    expect(lines.map((l) => l.key)).toEqual(['status', 'compatibility', 'uses', 'novel_signal', 'works']);
    expect(lines[0]).toMatchObject({ label: 'Status', words: '“Available” in the Registry' });
    expect(lines[1]!.words).toBe('compatible with 5 of 6 assembly standards');
    expect(lines[2]!.words).toContain('used in 3 other parts');
    expect(lines[3]).toMatchObject({ label: 'novel signal' });
    expect(lines[4]!.words).toBe('no experience reported in the Registry');
  });

  test('a part not ranked yet has no lines', () => {
    expect(weightLines({ weight: { value: null, strategy: null, components: null } })).toEqual([]);
  });
});
