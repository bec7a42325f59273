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

/** Every distinct (enzyme, site) of the standards, with the patterns searched for it: the site, and its reverse complement when different. */
const SITE_KEYS: { enzyme: string; site: string; patterns: { text: string; strand: 'forward' | 'reverse' }[] }[] = [];
const keyIndex = new Map<string, number>();
for (const sites of Object.values(ASSEMBLY_STANDARDS)) {
  for (const { enzyme, site } of sites) {
    const key = `${enzyme}:${site}`;
    if (keyIndex.has(key)) continue;
    keyIndex.set(key, SITE_KEYS.length);
    const reverse = reverseComplement(site);
    SITE_KEYS.push({ enzyme, site, patterns: [{ text: site, strand: 'forward' }, ...(reverse !== site ? [{ text: reverse, strand: 'reverse' as const }] : [])] });
  }
}
const STANDARD_KEYS = Object.entries(ASSEMBLY_STANDARDS).map(([standard, sites]) => [standard, sites.map(({ enzyme, site }) => keyIndex.get(`${enzyme}:${site}`)!)] as const);

/** Patterns by the 2-bit code of their first 6 bases (a=0 c=1 g=2 t=3): one pass over a sequence finds every site on both strands. */
const BASE = new Int8Array(128).fill(-1);
BASE[0x61] = 0;
BASE[0x63] = 1;
BASE[0x67] = 2;
BASE[0x74] = 3;
const BY_PREFIX = new Map<number, { key: number; text: string; strand: 'forward' | 'reverse' }[]>();
SITE_KEYS.forEach(({ patterns }, key) => {
  for (const pattern of patterns) {
    if (pattern.text.length < 6 || !/^[acgt]+$/.test(pattern.text)) throw new Error(`site ${pattern.text}: the scanner needs at least 6 bases of a, c, g, t`);
    let code = 0;
    for (let i = 0; i < 6; i++) code = (code << 2) | BASE[pattern.text.charCodeAt(i)]!;
    const list = BY_PREFIX.get(code) ?? [];
    list.push({ key, ...pattern });
    BY_PREFIX.set(code, list);
  }
});
const PREFIX_TABLE: ({ key: number; text: string; strand: 'forward' | 'reverse' }[] | undefined)[] = Array.from({ length: 4096 }, (_, code) => BY_PREFIX.get(code));

/**
 * Scans a lower-case sequence for every standard's forbidden sites, in one
 * pass: a rolling code of the last 6 bases picks the candidate sites, longer
 * sites are then checked in place. Overlapping occurrences all count.
 */
export function scanCompatibility(sequence: string): Compatibility {
  let byKey: SiteHit[][] | undefined;
  let code = 0;
  let valid = 0;
  for (let i = 0; i < sequence.length; i++) {
    const c = sequence.charCodeAt(i);
    const base = c < 128 ? BASE[c]! : -1;
    if (base < 0) {
      valid = 0;
      continue;
    }
    code = ((code << 2) | base) & 0xfff;
    if (++valid < 6) continue;
    const candidates = PREFIX_TABLE[code];
    if (!candidates) continue;
    const start = i - 5;
    for (const { key, text, strand } of candidates) {
      if (text.length > 6 && !sequence.startsWith(text, start)) continue;
      byKey ??= SITE_KEYS.map(() => []);
      const { enzyme, site } = SITE_KEYS[key]!;
      byKey[key]!.push({ enzyme, site, position: start + 1, strand });
    }
  }
  const result: Compatibility = {};
  for (const [standard, keys] of STANDARD_KEYS) {
    if (!byKey) {
      result[standard] = [];
      continue;
    }
    // Per site: forward hits before reverse ones at equal positions; per standard: in site order, then by position (stable).
    const hits: SiteHit[] = [];
    for (const key of keys) for (const hit of byKey[key]!) hits.push(hit);
    result[standard] = hits.length > 1 ? hits.sort((a, b) => a.position - b.position) : hits;
  }
  return result;
}
