/**
 * Restriction sites that make a part incompatible with an assembly standard,
 * as the Registry's compatibility box checks them (BBF RFC 10, 12, 21, 23, 25
 * and 1000). Non-palindromic sites are searched on both strands.
 */
export const ASSEMBLY_STANDARDS: Record<string, { enzyme: string; site: string }[]> = {
  '10': [
    { enzyme: 'EcoRI', site: 'gaattc' },
    { enzyme: 'XbaI', site: 'tctaga' },
    { enzyme: 'SpeI', site: 'actagt' },
    { enzyme: 'PstI', site: 'ctgcag' },
    { enzyme: 'NotI', site: 'gcggccgc' },
  ],
  '12': [
    { enzyme: 'EcoRI', site: 'gaattc' },
    { enzyme: 'NheI', site: 'gctagc' },
    { enzyme: 'SpeI', site: 'actagt' },
    { enzyme: 'PstI', site: 'ctgcag' },
    { enzyme: 'NotI', site: 'gcggccgc' },
  ],
  '21': [
    { enzyme: 'EcoRI', site: 'gaattc' },
    { enzyme: 'BglII', site: 'agatct' },
    { enzyme: 'BamHI', site: 'ggatcc' },
    { enzyme: 'XhoI', site: 'ctcgag' },
  ],
  '23': [
    { enzyme: 'EcoRI', site: 'gaattc' },
    { enzyme: 'XbaI', site: 'tctaga' },
    { enzyme: 'SpeI', site: 'actagt' },
    { enzyme: 'PstI', site: 'ctgcag' },
  ],
  '25': [
    { enzyme: 'EcoRI', site: 'gaattc' },
    { enzyme: 'XbaI', site: 'tctaga' },
    { enzyme: 'SpeI', site: 'actagt' },
    { enzyme: 'PstI', site: 'ctgcag' },
    { enzyme: 'AgeI', site: 'accggt' },
    { enzyme: 'NgoMIV', site: 'gccggc' },
  ],
  '1000': [
    { enzyme: 'BsaI', site: 'ggtctc' },
    { enzyme: 'SapI', site: 'gctcttc' },
  ],
};

export interface SiteHit {
  enzyme: string;
  site: string;
  /** 1-based position of the site's first base on the given strand's forward coordinates. */
  position: number;
  strand: 'forward' | 'reverse';
}

/** Per standard, the offending sites (an empty list means compatible). */
export type Compatibility = Record<string, SiteHit[]>;

const COMPLEMENT: Record<string, string> = { a: 't', c: 'g', g: 'c', t: 'a', n: 'n' };
export const reverseComplement = (seq: string) =>
  [...seq].reverse().map((b) => COMPLEMENT[b] ?? 'n').join('');

function positions(sequence: string, site: string): number[] {
  const found: number[] = [];
  for (let i = sequence.indexOf(site); i >= 0; i = sequence.indexOf(site, i + 1)) found.push(i + 1);
  return found;
}

/** Scans a lower-case sequence for every standard's forbidden sites. */
export function scanCompatibility(sequence: string): Compatibility {
  const result: Compatibility = {};
  const cache = new Map<string, SiteHit[]>();
  for (const [standard, sites] of Object.entries(ASSEMBLY_STANDARDS)) {
    result[standard] = sites.flatMap(({ enzyme, site }) => {
      const key = `${enzyme}:${site}`;
      let hits = cache.get(key);
      if (!hits) {
        hits = positions(sequence, site).map((position) => ({ enzyme, site, position, strand: 'forward' as const }));
        const reverse = reverseComplement(site);
        if (reverse !== site) {
          hits.push(...positions(sequence, reverse).map((position) => ({ enzyme, site, position, strand: 'reverse' as const })));
        }
        hits.sort((a, b) => a.position - b.position);
        cache.set(key, hits);
      }
      return hits;
    }).sort((a, b) => a.position - b.position);
  }
  return result;
}
