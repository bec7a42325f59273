import type { EnterElement, Selection as D3Selection } from 'd3-selection';
import { featureTitle, type DrawnFeature, type ViewEvents } from './map-model';

/**
 * The features of either view as SVG links: a subpart is a link to its part
 * page (Enter, or a click), any other feature a button that selects its bases
 * (Space, or a shift-click on a subpart). Both views join their features into
 * `<a class="sm-feature">` elements made here, then draw their own shapes.
 */
export function enterFeatures(enter: D3Selection<EnterElement, DrawnFeature, SVGGElement, unknown>, events: ViewEvents, labelAnchor?: string) {
  const a = enter.append('a').attr('class', (d) => `sm-feature sm-kind-${d.kind}`);
  a.append('title');
  a.append('path');
  const label = a.append('text').attr('class', 'sm-feature-label');
  if (labelAnchor) label.attr('text-anchor', labelAnchor);
  a.on('click', (event: MouseEvent, d) => {
    event.preventDefault();
    if (d.href && !event.shiftKey) events.openPart(d.href);
    else events.pickFeature(d);
  });
  a.on('keydown', (event: KeyboardEvent, d) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    if (d.href && event.key === 'Enter') events.openPart(d.href);
    else events.pickFeature(d);
  });
  return a;
}

/** The link or button attributes and title of every joined feature. */
export function describeFeatures<E extends Element>(g: D3Selection<E, DrawnFeature, SVGGElement, unknown>): void {
  g.attr('href', (d) => d.href)
    .attr('tabindex', 0)
    .attr('role', (d) => (d.href ? 'link' : 'button'))
    .attr('aria-label', featureTitle)
    .attr('data-part', (d) => (d.href ? decodeURIComponent(d.href.slice('/parts/'.length)) : null));
  g.select('title').text(featureTitle);
}
