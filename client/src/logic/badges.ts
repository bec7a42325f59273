/**
 * The colour of a part's badges: what a biologist scans for first is whether
 * they can get the part (status, sample) and whether it works.
 */
export type Tone = 'success' | 'warning' | 'danger' | 'secondary' | 'info';

const STATUS: ReadonlyMap<string, Tone> = new Map([
  ['Available', 'success'],
  ['Planning', 'info'],
  ['Informational', 'info'],
  ['Unavailable', 'warning'],
  ['Deleted', 'danger'],
]);
const SAMPLE: ReadonlyMap<string, Tone> = new Map([
  ['In stock', 'success'],
  ["It's complicated", 'warning'],
  ['Not in stock', 'secondary'],
  ['Discontinued', 'danger'],
]);
const WORKS: ReadonlyMap<string, Tone> = new Map([
  ['Works', 'success'],
  ['Issues', 'warning'],
  ['Fails', 'danger'],
]);

export const statusTone = (status: string | undefined): Tone => STATUS.get(status ?? '') ?? 'secondary';
export const sampleTone = (sample: string | undefined): Tone => SAMPLE.get(sample ?? '') ?? 'secondary';
export const worksTone = (works: string | undefined): Tone => WORKS.get(works ?? '') ?? 'secondary';

/** The badge classes of a tone: subtle backgrounds that keep AA contrast in both colour schemes. */
export const badgeClass = (tone: Tone) => `badge rounded-pill text-${tone}-emphasis bg-${tone}-subtle border border-${tone}-subtle`;
