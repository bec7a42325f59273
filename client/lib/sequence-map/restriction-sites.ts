/**
 * The restriction sites that break assembly standards, as the part page's
 * compatibility panel lists them and the map marks them: one mark per site on
 * the sequence, naming every standard it breaks.
 */

/** The parts API's compatibility: per RFC number, the offending sites (1-based first base in forward coordinates). */
export type Compatibility = Record<string, { compatible: boolean; sites: { enzyme: string; site: string; position: number; strand: string }[] }>;

export interface MapSite {
  enzyme: string;
  site: string;
  start: number;
  end: number;
  strand: string;
  /** The RFCs this site breaks, by number, ascending. */
  standards: string[];
}

/** The names the panel and the map give the standards. */
export const STANDARD_NAMES: Record<string, string> = {
  '10': 'BioBrick RFC[10]',
  '12': 'Silver RFC[12]',
  '21': 'Berkeley RFC[21]',
  '23': 'Freiburg RFC[23]',
  '25': 'Freiburg RFC[25]',
  '1000': 'Type IIS RFC[1000]',
};
export const standardName = (standard: string) => STANDARD_NAMES[standard] ?? `RFC[${standard}]`;

/** A stable key of one site, shared by the panel and the map (the panel asks the map to show a site by it). */
export const siteKey = (site: { enzyme: string; position?: number; start?: number; strand: string }) => `${site.enzyme}:${site.position ?? site.start}:${site.strand}`;

/** Every offending site once, by position, with the standards it breaks. */
export function sitesFromCompatibility(compatibility: Compatibility | null | undefined): MapSite[] {
  const byKey = new Map<string, MapSite>();
  const standards = Object.keys(compatibility ?? {}).sort((a, b) => Number(a) - Number(b));
  for (const standard of standards) {
    for (const site of compatibility![standard]!.sites) {
      const key = siteKey(site);
      const known = byKey.get(key);
      if (known) known.standards.push(standard);
      else byKey.set(key, { enzyme: site.enzyme, site: site.site.toUpperCase(), start: site.position, end: site.position + site.site.length - 1, strand: site.strand, standards: [standard] });
    }
  }
  return [...byKey.values()].sort((a, b) => a.start - b.start || a.enzyme.localeCompare(b.enzyme));
}
