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

/**
 * One regular expression for every pattern, tried again one base after each
 * match, so overlapping occurrences all count. No pattern is a prefix of
 * another, so at most one can start at a position: the leftmost match is the
 * only one there.
 */
const PATTERNS = new Map<string, { key: number; strand: 'forward' | 'reverse' }>();
SITE_KEYS.forEach(({ patterns }, key) => patterns.forEach(({ text, strand }) => PATTERNS.set(text, { key, strand })));
for (const a of PATTERNS.keys()) {
  if (!/^[a-z]+$/.test(a)) throw new Error(`site ${a}: only lower-case bases`);
  for (const b of PATTERNS.keys()) if (a !== b && b.startsWith(a)) throw new Error(`site ${a} is a prefix of ${b}: the one-pass scan cannot tell them apart`);
}
const ANY_SITE = new RegExp([...PATTERNS.keys()].join('|'), 'g');

/** Every site found, per distinct (enzyme, site), in order of position; undefined when none. */
function findSites(sequence: string): { position: number; strand: 'forward' | 'reverse' }[][] | undefined {
  let byKey: { position: number; strand: 'forward' | 'reverse' }[][] | undefined;
  ANY_SITE.lastIndex = 0;
  for (let match = ANY_SITE.exec(sequence); match; match = ANY_SITE.exec(sequence)) {
    const { key, strand } = PATTERNS.get(match[0])!;
    byKey ??= SITE_KEYS.map(() => []);
    byKey[key]!.push({ position: match.index + 1, strand });
    ANY_SITE.lastIndex = match.index + 1;
  }
  return byKey;
}

/** Per standard, its sites' hits: in site order, then by position (a stable sort, as the standards list them). */
function hitsOf<T extends { position: number }>(byKey: T[][], keys: readonly number[]): T[] {
  const hits: T[] = [];
  for (const key of keys) for (const hit of byKey[key]!) hits.push(hit);
  return hits.length > 1 ? hits.sort((a, b) => a.position - b.position) : hits;
}

/** Scans a lower-case sequence for every standard's forbidden sites, on both strands, in one pass. */
export function scanCompatibility(sequence: string): Compatibility {
  const byKey = findSites(sequence);
  const result: Compatibility = {};
  for (const [standard, keys] of STANDARD_KEYS) {
    result[standard] = byKey
      ? hitsOf(byKey.map((hits, key) => hits.map(({ position, strand }) => ({ enzyme: SITE_KEYS[key]!.enzyme, site: SITE_KEYS[key]!.site, position, strand }))), keys)
      : [];
  }
  return result;
}

// The JSON text of a hit, around its position: `{"enzyme":…,"site":…,"position":` and `,"strand":…}`.
const HIT_JSON = SITE_KEYS.map(({ enzyme, site }) => `{"enzyme":${JSON.stringify(enzyme)},"site":${JSON.stringify(site)},"position":`);
const STRAND_JSON = { forward: ',"strand":"forward"}', reverse: ',"strand":"reverse"}' };
const EMPTY_JSON = `{${STANDARD_KEYS.map(([standard]) => `${JSON.stringify(standard)}:[]`).join(',')}}`;

/**
 * `JSON.stringify(scanCompatibility(sequence))`, byte for byte, and how many
 * standards have no offending site, without building the objects.
 */
export function compatibilityJson(sequence: string): { json: string; compatibleStandards: number } {
  const found = findSites(sequence);
  if (!found) return { json: EMPTY_JSON, compatibleStandards: STANDARD_KEYS.length };
  const byKey = found.map((hits, key) => hits.map(({ position, strand }) => ({ position, key, strand })));
  let json = '{';
  let compatible = 0;
  STANDARD_KEYS.forEach(([standard, keys], i) => {
    const hits = hitsOf(byKey, keys);
    if (!hits.length) compatible++;
    json += `${i ? ',' : ''}${JSON.stringify(standard)}:[`;
    hits.forEach((hit, j) => (json += `${j ? ',' : ''}${HIT_JSON[hit.key]}${hit.position}${STRAND_JSON[hit.strand]}`));
    json += ']';
  });
  return { json: json + '}', compatibleStandards: compatible };
}
