/**
 * How the map reads features: their kind (for colour and legend), their label,
 * the part a subpart feature stands for, and the lanes they are stacked in.
 */

/** A feature as the parts API gives it (libs/parts/api/parts.controller.ts), 1-based inclusive. */
export interface MapFeature {
  feature_id?: number;
  feature_type: string;
  start_pos: number;
  end_pos: number;
  label: string;
  reverse: number | boolean;
}

/** The kinds the legend shows, in its order; each has a colour in SequenceMap.vue's styles (light and dark). */
export const KINDS = ['subpart', 'promoter', 'rbs', 'cds', 'terminator', 'tag', 'binding', 'barcode', 'other'] as const;
export type FeatureKind = (typeof KINDS)[number];

export const KIND_LABELS: Record<FeatureKind, string> = {
  subpart: 'Subpart',
  promoter: 'Promoter',
  rbs: 'RBS',
  cds: 'Coding',
  terminator: 'Terminator',
  tag: 'Tag',
  binding: 'Binding site',
  barcode: 'Barcode',
  other: 'Other',
};

/** The Registry's feature types (free text, mostly lower-case) and the kind each belongs to. */
const TYPE_KINDS: Record<string, FeatureKind> = {
  biobrick: 'subpart',
  promoter: 'promoter',
  rbs: 'rbs',
  cds: 'cds',
  stem_loop: 'terminator',
  terminator: 'terminator',
  polya: 'terminator',
  stop: 'terminator',
  tag: 'tag',
  binding: 'binding',
  operator: 'binding',
  primer_binding: 'binding',
  protein: 'binding',
  barcode: 'barcode',
};

export function featureKind(feature: Pick<MapFeature, 'feature_type'>): FeatureKind {
  return TYPE_KINDS[String(feature.feature_type ?? '').toLowerCase()] ?? 'other';
}

/** The part a subpart feature stands for (its label is the part's name), or null. */
export function subpartName(feature: MapFeature): string | null {
  if (featureKind(feature) !== 'subpart') return null;
  const label = feature.label.trim();
  return /^BBa_[A-Za-z0-9_.-]+$/.test(label) ? label : null;
}

/** What a feature is called on the map: its label, unless that only repeats its type. Registry labels escape spaces as `\`. */
export function featureLabel(feature: MapFeature): string {
  const label = (feature.label ?? '').replace(/\\/g, ' ').trim();
  return label || feature.feature_type || 'feature';
}

export const isReverse = (feature: MapFeature) => Boolean(feature.reverse);

/** A feature's span normalised: start ≤ end within 1…length (the Registry has a few reversed or overlong ones). */
export function featureSpan(feature: MapFeature, length: number): { start: number; end: number } {
  const a = Math.max(1, Math.min(length, feature.start_pos));
  const b = Math.max(1, Math.min(length, feature.end_pos));
  return { start: Math.min(a, b), end: Math.max(a, b) };
}

/**
 * Lanes for features that overlap: each feature goes into the first lane
 * where it overlaps nothing, longest features first so the long ones (whole
 * subparts) sit next to the sequence. Returns each feature's lane, by index.
 */
export function assignLanes(spans: { start: number; end: number }[]): number[] {
  const order = spans.map((_, i) => i).sort((a, b) => spans[b]!.end - spans[b]!.start - (spans[a]!.end - spans[a]!.start) || spans[a]!.start - spans[b]!.start);
  const lanes: { start: number; end: number }[][] = [];
  const result = new Array<number>(spans.length);
  for (const i of order) {
    const span = spans[i]!;
    let lane = lanes.findIndex((taken) => taken.every((t) => span.end < t.start || span.start > t.end));
    if (lane < 0) lane = lanes.push([]) - 1;
    lanes[lane]!.push(span);
    result[i] = lane;
  }
  return result;
}
