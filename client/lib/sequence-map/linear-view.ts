import { brushX, type BrushBehavior } from 'd3-brush';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { positionAtX, spanX } from './coordinates';
import { reverseComplement } from './dna';
import { describeFeatures, enterFeatures } from './feature-elements';
import { siteTitle, type DrawnFeature, type MapModel, type MapView, type ViewEvents } from './map-model';
import type { Selection } from './selection';

/** Vertical layout, in pixels. */
const PAD_X = 26;
const SITE_ROW = 20;
const RULER = 26;
const STRANDS = 30;
const LANE = 24;
const FEATURE_H = 18;
/** Bases are written out once each gets this many pixels; the zoom stops at twice that. */
const LETTER_PX = 9;

/**
 * The linear view: a ruler, both strands (letters when zoomed in far enough),
 * feature lanes below, offending sites above. Wheel with Ctrl (or a pinch),
 * the buttons, or dragging the ruler zoom and pan; dragging elsewhere selects.
 */
export function createLinearView(svgElement: SVGSVGElement, events: ViewEvents): MapView {
  const svg = select(svgElement);
  svg.selectAll('*').remove();
  svg.attr('class', 'sm-svg sm-linear');
  const root = svg.append('g');
  const clipId = `sm-clip-${Math.random().toString(36).slice(2, 8)}`;
  const clip = svg.append('clipPath').attr('id', clipId).append('rect');
  const rulerG = root.append('g').attr('class', 'sm-ruler');
  const rulerHit = rulerG.append('rect').attr('class', 'sm-ruler-hit');
  const rulerTicks = rulerG.append('g').attr('clip-path', `url(#${clipId})`);
  const body = root.append('g').attr('clip-path', `url(#${clipId})`);
  const brushG = body.append('g').attr('class', 'sm-brush');
  const strandsG = body.append('g').attr('class', 'sm-strands');
  const hitsG = body.append('g').attr('class', 'sm-hits');
  const sitesG = body.append('g').attr('class', 'sm-sites');
  const featuresG = body.append('g').attr('class', 'sm-features');

  let model: MapModel | null = null;
  let width = 0;
  let height = 0;
  let base: ScaleLinear<number, number> = scaleLinear();
  let x: ScaleLinear<number, number> = scaleLinear();
  let transform: ZoomTransform = zoomIdentity;
  let brushTop = 0;
  /** Set while the view moves the brush itself, so that move is not taken for a user's selection. */
  let movingBrush = false;

  const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    // Page scrolling stays the wheel's: zoom on Ctrl/⌘ + wheel (and trackpad pinches, which send it); drag only on the ruler.
    .filter((event: Event & { ctrlKey?: boolean; metaKey?: boolean; button?: number; target: EventTarget | null }) => {
      if (event.type === 'wheel') return Boolean(event.ctrlKey || event.metaKey);
      if (event.type === 'dblclick') return false;
      return !event.button && Boolean((event.target as Element | null)?.closest?.('.sm-ruler'));
    })
    .on('zoom', (event: { transform: ZoomTransform }) => {
      transform = event.transform;
      x = transform.rescaleX(base);
      render();
    });
  svg.call(zoomer);
  // A sideways swipe (trackpad, shift + wheel) pans: the page has nothing to scroll sideways here.
  svgElement.addEventListener('wheel', onWheel, { passive: false });
  function onWheel(event: WheelEvent) {
    const dx = event.shiftKey && !event.deltaX ? event.deltaY : event.deltaX;
    if (event.ctrlKey || event.metaKey || Math.abs(dx) <= Math.abs(event.shiftKey ? 0 : event.deltaY)) return;
    event.preventDefault();
    zoomer.translateBy(svg, -dx / transform.k, 0);
  }

  const brush: BrushBehavior<unknown> = brushX()
    .on('end', (event: { selection: [number, number] | null; sourceEvent?: Event }) => {
      if (movingBrush || !model || !event.sourceEvent) return;
      if (!event.selection) return events.select(null);
      const [x0, x1] = event.selection;
      const L = model.sequence.length;
      // The brush's edges are between bases: the first base right of x0 and the last one left of x1.
      const start = positionAtX(x, x0 + 0.5, L);
      const end = Math.max(start, positionAtX(x, x1 - 0.5, L));
      events.select({ start, end });
    });

  function layout() {
    const lanes = model!.features.length ? model!.lanes : 0;
    const siteRow = model!.sites.length ? SITE_ROW : 0;
    const rulerTop = siteRow;
    const strandsTop = rulerTop + RULER;
    const lanesTop = strandsTop + STRANDS + 6;
    height = lanesTop + lanes * LANE + 6;
    return { siteRow, rulerTop, strandsTop, lanesTop };
  }

  function draw(next: MapModel, nextWidth: number) {
    const resized = nextWidth !== width || model?.sequence !== next.sequence;
    model = next;
    width = Math.max(200, nextWidth);
    const L = model.sequence.length;
    const { rulerTop, strandsTop } = layout();
    svg.attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
    clip.attr('x', 0).attr('y', -4).attr('width', width).attr('height', height + 8);
    base = scaleLinear().domain([0, L]).range([PAD_X, width - PAD_X]);
    const maxZoom = Math.max(1, ((LETTER_PX * 2) * L) / (width - 2 * PAD_X));
    zoomer.scaleExtent([1, maxZoom]).translateExtent([[0, 0], [width, height]]).extent([[0, 0], [width, height]]);
    x = transform.rescaleX(base);
    rulerG.attr('transform', `translate(0,${rulerTop})`);
    rulerHit.attr('x', 0).attr('y', 0).attr('width', width).attr('height', RULER);
    brushTop = strandsTop - 4;
    brush.extent([[0, brushTop], [width, height]]);
    brushG.call(brush);
    // A new sequence or width starts from the whole sequence (the zoom event draws it).
    if (resized) svg.call(zoomer.transform, zoomIdentity);
    else render();
  }

  function render() {
    if (!model) return;
    const L = model.sequence.length;
    const { siteRow, strandsTop, lanesTop } = layout();
    const pxPerBase = (x(L) - x(0)) / L;
    renderRuler(L);
    renderStrands(L, strandsTop, pxPerBase);
    renderHits(strandsTop);
    renderSites(siteRow, strandsTop);
    renderFeatures(lanesTop);
    showSelection(model.selection);
  }

  function renderRuler(L: number) {
    const [lo, hi] = x.domain() as [number, number];
    const count = Math.max(2, Math.floor(width / 80));
    const ticks = scaleLinear().domain([Math.max(1, lo), Math.min(L, hi)]).ticks(count).filter((t) => Number.isInteger(t) && t >= 1 && t <= L);
    if (!ticks.includes(1) && lo < 1) ticks.unshift(1);
    rulerTicks
      .selectAll<SVGGElement, number>('g.sm-tick')
      .data(ticks, (t) => String(t))
      .join((enter) => {
        const g = enter.append('g').attr('class', 'sm-tick');
        g.append('line').attr('y1', RULER - 8).attr('y2', RULER);
        g.append('text').attr('y', RULER - 11).attr('text-anchor', 'middle');
        return g;
      })
      .attr('transform', (t) => `translate(${(x(t - 1) + x(t)) / 2},0)`)
      .select('text')
      .text((t) => t.toLocaleString('en'));
    rulerG.selectAll('line.sm-ruler-line').data([0]).join('line').attr('class', 'sm-ruler-line').attr('x1', x(0)).attr('x2', x(L)).attr('y1', RULER).attr('y2', RULER);
  }

  function renderStrands(L: number, top: number, pxPerBase: number) {
    const lines = [top + 8, top + 22];
    strandsG
      .selectAll('line.sm-strand')
      .data(lines)
      .join('line')
      .attr('class', 'sm-strand')
      .attr('x1', x(0))
      .attr('x2', x(L))
      .attr('y1', (y) => y)
      .attr('y2', (y) => y)
      .attr('opacity', pxPerBase >= LETTER_PX ? 0 : 1);
    // Which end is which: 5′→3′ on top, 3′←5′ below.
    strandsG
      .selectAll('text.sm-strand-end')
      .data([
        { x: x(0) - 5, y: top + 11, text: "5′", anchor: 'end' },
        { x: x(L) + 5, y: top + 11, text: "3′", anchor: 'start' },
        { x: x(0) - 5, y: top + 25, text: "3′", anchor: 'end' },
        { x: x(L) + 5, y: top + 25, text: "5′", anchor: 'start' },
      ])
      .join('text')
      .attr('class', 'sm-strand-end')
      .attr('x', (d) => d.x)
      .attr('y', (d) => d.y)
      .attr('text-anchor', (d) => d.anchor)
      .text((d) => d.text);
    // Letters only for the bases in view, and only when they fit.
    let letters: { i: number; forward: string; reverse: string }[] = [];
    if (pxPerBase >= LETTER_PX) {
      const [lo, hi] = x.domain() as [number, number];
      const from = Math.max(0, Math.floor(lo));
      const to = Math.min(L, Math.ceil(hi));
      const forward = model!.sequence.slice(from, to).toUpperCase();
      const reverse = reverseComplement(forward).split('').reverse().join('');
      letters = [...forward].map((b, k) => ({ i: from + k, forward: b, reverse: reverse[k]! }));
    }
    strandsG
      .selectAll<SVGGElement, (typeof letters)[number]>('g.sm-base')
      .data(letters, (d) => String(d.i))
      .join((enter) => {
        const g = enter.append('g').attr('class', 'sm-base');
        g.append('text').attr('class', 'sm-base-f').attr('y', 12);
        g.append('text').attr('class', 'sm-base-r').attr('y', 26);
        return g;
      })
      .attr('transform', (d) => `translate(${(x(d.i) + x(d.i + 1)) / 2},${top})`)
      .call((g) => g.select('.sm-base-f').text((d) => d.forward))
      .call((g) => g.select('.sm-base-r').text((d) => d.reverse));
  }

  function renderHits(top: number) {
    const hits = model!.hits.flatMap((hit, index) => {
      const L = model!.sequence.length;
      // A hit across the origin (circular parts) is drawn as its two pieces.
      const pieces = hit.end < hit.start ? [[hit.start, L], [1, hit.end]] : [[hit.start, hit.end]];
      return pieces.map(([s, e]) => ({ s: s!, e: e!, hit, index }));
    });
    hitsG
      .selectAll('rect.sm-hit')
      .data(hits)
      .join('rect')
      .attr('class', (d) => `sm-hit${d.index === model!.activeHit ? ' sm-hit-active' : ''}`)
      .attr('x', (d) => spanX(x, d.s, d.e)[0])
      .attr('width', (d) => Math.max(3, spanX(x, d.s, d.e)[1] - spanX(x, d.s, d.e)[0]))
      // Forward-strand hits on the upper strand, reverse ones on the lower, palindromes over both.
      .attr('y', (d) => top + (d.hit.strand === 'reverse' ? 15 : 1))
      .attr('height', (d) => (d.hit.strand === 'both' ? 28 : 14));
  }

  function renderSites(siteRow: number, strandsTop: number) {
    const g = sitesG
      .selectAll<SVGGElement, MapModel['sites'][number]>('g.sm-site')
      .data(model!.sites, (d) => `${d.enzyme}:${d.start}:${d.strand}`)
      .join((enter) => {
        const site = enter.append('g').attr('class', 'sm-site');
        site.append('title');
        site.append('rect').attr('class', 'sm-site-span');
        site.append('line').attr('class', 'sm-site-tick');
        site.append('text').attr('class', 'sm-site-label');
        return site;
      });
    g.select('title').text(siteTitle);
    g.select('rect').attr('x', (d) => spanX(x, d.start, d.end)[0]).attr('width', (d) => Math.max(2, spanX(x, d.start, d.end)[1] - spanX(x, d.start, d.end)[0])).attr('y', strandsTop + 2).attr('height', 26);
    g.select('line').attr('x1', (d) => spanX(x, d.start, d.end)[0]).attr('x2', (d) => spanX(x, d.start, d.end)[0]).attr('y1', siteRow - 3).attr('y2', strandsTop + 2);
    // Labels centred on their site, but kept inside the view at both ends.
    g.select('text')
      .attr('x', (d) => spanX(x, d.start, d.end)[0])
      .attr('y', siteRow - 7)
      .attr('text-anchor', (d) => {
        const at = spanX(x, d.start, d.end)[0];
        return at > width - 40 ? 'end' : at < 40 ? 'start' : 'middle';
      })
      .text((d) => d.enzyme);
  }

  function renderFeatures(lanesTop: number) {
    const g = featuresG
      .selectAll<SVGAElement, DrawnFeature>('a.sm-feature')
      .data(model!.features, (d) => String(d.index))
      .join((enter) => enterFeatures(enter, events));
    describeFeatures(g);
    g.select('path').attr('d', (d) => featurePath(d, lanesTop));
    g.select('text')
      .attr('x', (d) => {
        const [x0, x1] = spanX(x, d.start, d.end);
        return (Math.max(x0, 0) + Math.min(x1, width)) / 2;
      })
      .attr('y', (d) => lanesTop + d.lane * LANE + FEATURE_H / 2 + 4)
      .attr('text-anchor', 'middle')
      .text((d) => {
        const [x0, x1] = spanX(x, d.start, d.end);
        const room = Math.min(x1, width) - Math.max(x0, 0) - 12;
        // ~6.5 px per character at the label's size. A label that does not fit is left out, as on the circle:
        // a cut one ("Q2_Qa…") would be visible text that is not a word of the feature's accessible name
        // (its aria-label, the full title). Zooming in brings it back; hovering shows the title.
        return Math.floor(room / 6.5) >= d.label.length ? d.label : '';
      });
  }

  /** A box with an arrow point at its 3' end (right for forward, left for reverse), when it is wide enough. */
  function featurePath(d: DrawnFeature, lanesTop: number): string {
    const [x0, x1] = spanX(x, d.start, d.end);
    const y = lanesTop + d.lane * LANE;
    const h = FEATURE_H;
    const point = Math.min(8, (x1 - x0) / 3);
    if (d.kind === 'subpart' || point < 3) return `M${x0},${y}H${x1}V${y + h}H${x0}Z`;
    if (d.reverse) return `M${x0},${y + h / 2}L${x0 + point},${y}H${x1}V${y + h}H${x0 + point}Z`;
    return `M${x0},${y}H${x1 - point}L${x1},${y + h / 2}L${x1 - point},${y + h}H${x0}Z`;
  }

  function showSelection(selection: Selection | null) {
    if (!model) return;
    movingBrush = true;
    const L = model.sequence.length;
    if (!selection) brushG.call(brush.move, null);
    else {
      // A selection across the origin (made on the circle) shows on the line as all it covers.
      const [s, e] = selection.end < selection.start ? [1, L] : [selection.start, selection.end];
      brushG.call(brush.move, spanX(x, s, e));
    }
    movingBrush = false;
  }

  function zoomBy(factor: number) {
    zoomer.scaleBy(svg, factor, [width / 2, 0]);
  }

  function panBy(bases: number) {
    zoomer.translateBy(svg, -(base(bases) - base(0)), 0);
  }

  function reveal(start: number, end: number) {
    if (!model) return;
    const L = model.sequence.length;
    const span = end - start + 1;
    // Show the span with some room around it, at least 40 bases wide.
    const view = Math.min(L, Math.max(40, span * 3));
    const k = Math.min(zoomer.scaleExtent()[1], Math.max(1, L / view));
    const centre = base((start - 1 + end) / 2);
    zoomer.transform(svg, zoomIdentity.translate(width / 2, 0).scale(k).translate(-centre, 0));
  }

  return {
    draw,
    showSelection: (selection) => {
      if (model) model = { ...model, selection };
      showSelection(selection);
    },
    zoomBy,
    panBy,
    reset: () => zoomer.transform(svg, zoomIdentity),
    reveal,
    destroy: () => {
      svgElement.removeEventListener('wheel', onWheel);
      svg.on('.zoom', null);
      svg.selectAll('*').remove();
    },
  };
}

