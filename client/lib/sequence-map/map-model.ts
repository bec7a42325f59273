import type { MotifHit } from './iupac-search';
import type { MapSite } from './restriction-sites';
import type { Selection } from './selection';
import { assignLanes, featureKind, featureLabel, featureSpan, isReverse, subpartName, type FeatureKind, type MapFeature } from './features';

/** A feature as both views draw it: its span, kind, lane and, for a subpart, the page it links to. */
export interface DrawnFeature {
  index: number;
  start: number;
  end: number;
  reverse: boolean;
  kind: FeatureKind;
  label: string;
  lane: number;
  /** `/parts/<name>` for a subpart feature. */
  href: string | null;
  source: MapFeature;
}

/** Everything a view needs to draw; the component rebuilds it when its inputs change. */
export interface MapModel {
  name: string;
  sequence: string;
  features: DrawnFeature[];
  lanes: number;
  sites: MapSite[];
  hits: MotifHit[];
  activeHit: number;
  selection: Selection | null;
}

/** What a view tells the component: a drag selected bases, a feature was picked. */
export interface ViewEvents {
  select(selection: Selection | null): void;
  pickFeature(feature: DrawnFeature): void;
  openPart(href: string): void;
}

/** A view (linear or circular) drawn into an SVG element by d3. */
export interface MapView {
  draw(model: MapModel, width: number): void;
  /** Only the selection changed: cheaper than a full draw. */
  showSelection(selection: Selection | null): void;
  zoomBy?(factor: number): void;
  panBy?(bases: number): void;
  reset?(): void;
  /** Brings bases start…end into view (zooming in when they are small). */
  reveal?(start: number, end: number): void;
  destroy(): void;
}

export function drawnFeatures(features: MapFeature[], length: number): { features: DrawnFeature[]; lanes: number } {
  const spans = features.map((f) => featureSpan(f, length));
  const lanes = assignLanes(spans);
  const drawn = features.map((source, index) => {
    const part = subpartName(source);
    return {
      index,
      ...spans[index]!,
      reverse: isReverse(source),
      kind: featureKind(source),
      label: featureLabel(source),
      lane: lanes[index]!,
      href: part ? `/parts/${encodeURIComponent(part)}` : null,
      source,
    };
  });
  return { features: drawn, lanes: lanes.length ? Math.max(...lanes) + 1 : 0 };
}

/** Text a feature's tooltip and accessible name give. */
export function featureTitle(feature: DrawnFeature): string {
  const where = `${feature.start}–${feature.end}${feature.reverse ? ', reverse strand' : ''}`;
  return `${feature.label} (${feature.source.feature_type}, ${where})${feature.href ? ': open the part' : ''}`;
}

/** A site's tooltip: enzyme, site, where, and the standards it breaks. */
export function siteTitle(site: MapSite): string {
  return `${site.enzyme} ${site.site} at ${site.start}–${site.end} (${site.strand}): breaks RFC ${site.standards.join(', ')}`;
}
