import { api, preloadSequenceMap } from '@brickyard/client';

/** A part as GET /api/parts lists it. */
export interface PartSummary {
  part_name: string;
  short_desc: string;
  nickname?: string;
  part_type: string;
  author?: string;
  status: string;
  sample_status: string;
  works: string;
  creation_date?: string;
  uses: number;
  sequence_length: number;
  weight: number | null;
  stars?: number;
  watches?: number;
  rates?: number;
}

export interface PartsPage {
  items: PartSummary[];
  page: number;
  per_page: number;
  total: number;
}

export interface SubpartRef {
  ordinal: number;
  part_name: string;
  short_desc: string;
  part_type: string;
  start_pos: number;
  end_pos: number;
}

export interface Feature {
  feature_id: number;
  feature_type: string;
  start_pos: number;
  end_pos: number;
  label: string;
  reverse: number;
}

export interface Extras {
  parameters: { name: string; value: string; units: string }[];
  twins: string[];
  categories: string[];
  url: string | null;
}

/** A part as GET /api/parts/:name answers (libs/parts/api/parts.controller.ts). */
export interface PartDetail extends Omit<PartSummary, 'weight'> {
  part_id: number;
  description: string;
  notes?: string;
  source?: string;
  sequence: string;
  categories: string[];
  compatible_standards: number;
  review_count?: number;
  rate_sum?: number;
  experiences?: number;
  features: Feature[];
  subparts: { specified: SubpartRef[]; deep: SubpartRef[] };
  used_in: { part_name: string; short_desc: string; part_type: string }[];
  twins: { part_name: string; short_desc: string; status: string }[];
  compatibility: Record<string, { compatible: boolean; sites: { enzyme: string; site: string; position: number; strand: string }[] }>;
  weight: { value: number | null; strategy: string | null; ranked_at: string | null; components: Record<string, number | null> | null };
  extras: Extras | null;
  extras_fetched_at: string | null;
  extras_state: 'fresh' | 'stale' | 'missing';
  /** What the signed-in caller did (starred, watching, rated), when signed in. */
  me?: Record<string, unknown>;
}

export const searchParts = (query: Record<string, string>, signal?: AbortSignal) => api.get<PartsPage>('/api/parts', query, signal);

export const getPart = (name: string, signal?: AbortSignal) => api.get<PartDetail>(`/api/parts/${encodeURIComponent(name)}`, undefined, signal);

/** A part asked for as the router enters its page, before the page's code has loaded and the shell has mounted; `settled` once it has answered. */
let ahead: { name: string; at: number; promise: Promise<PartDetail>; settled?: PartDetail } | null = null;
/** How long a part fetched ahead stays usable: a page that takes it opens right after. */
const AHEAD_MS = 5000;
/** How long the first page of a load waits for its part and its map's code before it shows "loading" instead. */
const FIRST_RENDER_WAIT_MS = 300;

/**
 * Starts what a part page needs as the router enters it: the part, the page's
 * code (`page`, its route's import) and the sequence map's code (d3). They
 * load together, while the shell mounts, instead of one after the other
 * (bench/part-map.ts). On the first page of a load (`first`) the router also
 * waits for them, up to FIRST_RENDER_WAIT_MS: the part is usually on its way
 * already (the server names it as a preload in the page's head), and the
 * shell's first render is then the whole page with its map, rather than a
 * loading state followed by two more renders. Later navigations do not wait:
 * the page they leave stays responsive.
 */
export function prefetchPartPage(name: string, first = false, page?: () => Promise<unknown>): Promise<void> | undefined {
  const mine: NonNullable<typeof ahead> = { name, at: Date.now(), promise: getPart(name) };
  ahead = mine;
  // The page reports a failure when it takes the answer.
  mine.promise.then((part) => (mine.settled = part)).catch(() => undefined);
  const map = preloadSequenceMap();
  const code = page?.().catch(() => undefined); // a failure shows when the router imports it
  if (!first) return undefined;
  const all = Promise.all([mine.promise, map, code]).then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([all, new Promise<void>((resolve) => setTimeout(resolve, FIRST_RENDER_WAIT_MS))]);
}

/** The part fetched ahead for `name`, once (a retry asks again): the part itself once it has answered, else its request; or null. */
export function takePrefetchedPart(name: string): PartDetail | Promise<PartDetail> | null {
  const taken = ahead;
  ahead = null;
  if (!taken || taken.name !== name || Date.now() - taken.at >= AHEAD_MS) return null;
  return taken.settled ?? taken.promise;
}

export const exportUrl = (name: string, format: 'fasta' | 'genbank') => `/api/parts/${encodeURIComponent(name)}/export?format=${format}`;
