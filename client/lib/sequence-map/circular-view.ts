import { drag } from 'd3-drag';
import { select, pointer } from 'd3-selection';
import { arc } from 'd3-shape';
import { angleAtPoint, angleOf, arcAngles, pointAt, positionAtAngle } from './coordinates';
import { describeFeatures, enterFeatures } from './feature-elements';
import { siteTitle, type DrawnFeature, type MapModel, type MapView, type ViewEvents } from './map-model';
import { selectionBetween, type Selection } from './selection';

const LANE = 17;
const FEATURE_W = 13;

/**
 * The circular view, as plasmid maps are drawn: the origin at the top,
 * clockwise; ticks and offending sites outside the backbone, features in
 * lanes inside it, the part's name and length in the middle. Dragging around
 * the circle selects, across the origin too.
 */
export function createCircularView(svgElement: SVGSVGElement, events: ViewEvents): MapView {
  const svg = select(svgElement);
  svg.selectAll('*').remove();
  svg.attr('class', 'sm-svg sm-circular');
  const root = svg.append('g');
  const dragArea = root.append('circle').attr('class', 'sm-drag-area');
  const selectionPath = root.append('path').attr('class', 'sm-selection');
  const backbone = root.append('g').attr('class', 'sm-backbone');
  const ticksG = root.append('g').attr('class', 'sm-ruler');
  const hitsG = root.append('g').attr('class', 'sm-hits');
  const sitesG = root.append('g').attr('class', 'sm-sites');
  const featuresG = root.append('g').attr('class', 'sm-features');
  const centre = root.append('g').attr('class', 'sm-centre');
  centre.append('text').attr('class', 'sm-centre-name').attr('y', -4);
  centre.append('text').attr('class', 'sm-centre-length').attr('y', 16);

  let model: MapModel | null = null;
  let radius = 100;
  const L = () => model!.sequence.length;
  const ring = (inner: number, outer: number, start: number, end: number) =>
    arc()({ innerRadius: inner, outerRadius: outer, ...arcAngles(start, end, L()) }) ?? '';

  // Drag: the anchor base where it starts; the direction is the way the pointer has turned most.
  let anchor = 0;
  let turned = 0;
  let lastAngle = 0;
  dragArea.call(
    drag<SVGCircleElement, unknown>()
      .container(() => root.node()!)
      .on('start', (event: { x: number; y: number }) => {
        lastAngle = angleAtPoint(event.x, event.y);
        anchor = positionAtAngle(lastAngle, L());
        turned = 0;
      })
      .on('drag', (event: { x: number; y: number }) => {
        const angle = angleAtPoint(event.x, event.y);
        let delta = angle - lastAngle;
        if (delta > Math.PI) delta -= 2 * Math.PI;
        if (delta < -Math.PI) delta += 2 * Math.PI;
        turned += delta;
        lastAngle = angle;
        const selection = selectionBetween(anchor, positionAtAngle(angle, L()), true, turned >= 0);
        showSelection(selection);
        events.select(selection);
      }),
  );
  dragArea.on('click', (event: MouseEvent) => {
    if (turned !== 0) return;
    const [px, py] = pointer(event, root.node());
    const position = positionAtAngle(angleAtPoint(px, py), L());
    events.select({ start: position, end: position });
  });

  function draw(next: MapModel, width: number) {
    model = next;
    const size = Math.max(260, Math.min(width, 520));
    // Room outside the backbone for ticks and site labels.
    radius = size / 2 - 52;
    const lanesDepth = Math.max(0, next.lanes) * LANE;
    const inner = Math.max(radius * 0.35, radius - 18 - lanesDepth);
    svg.attr('viewBox', `${-size / 2} ${-size / 2} ${size} ${size}`).attr('width', size).attr('height', size);
    dragArea.attr('r', radius + 24);
    backbone
      .selectAll('circle')
      .data([radius - 2, radius + 2])
      .join('circle')
      .attr('r', (r) => r);
    drawTicks();
    drawHits();
    drawSites();
    drawFeatures(inner);
    centre.select('.sm-centre-name').text(next.name);
    centre.select('.sm-centre-length').text(`${L().toLocaleString('en')} bp`);
    showSelection(next.selection);
  }

  function drawTicks() {
    const length = L();
    const step = niceStep(length / 12);
    const ticks = [1];
    for (let t = step; t < length; t += step) if (t - 1 > step / 3 && length - t > step / 3) ticks.push(t);
    const g = ticksG
      .selectAll<SVGGElement, number>('g.sm-tick')
      .data(ticks, (t) => String(t))
      .join((enter) => {
        const tick = enter.append('g').attr('class', 'sm-tick');
        tick.append('line');
        tick.append('text');
        return tick;
      });
    g.select('line').each(function (t) {
      const a = angleOf(t, length);
      const p0 = pointAt(a, radius + 3);
      const p1 = pointAt(a, radius + 9);
      select(this).attr('x1', p0.x).attr('y1', p0.y).attr('x2', p1.x).attr('y2', p1.y);
    });
    g.select('text').each(function (t) {
      const a = angleOf(t, length);
      const p = pointAt(a, radius + 20);
      select(this)
        .attr('x', p.x)
        .attr('y', p.y + 4)
        .attr('text-anchor', Math.abs(Math.sin(a)) < 0.3 ? 'middle' : Math.sin(a) > 0 ? 'start' : 'end')
        .text(t.toLocaleString('en'));
    });
  }

  function drawHits() {
    hitsG
      .selectAll('path.sm-hit')
      .data(model!.hits.map((hit, index) => ({ hit, index })))
      .join('path')
      .attr('class', (d) => `sm-hit${d.index === model!.activeHit ? ' sm-hit-active' : ''}`)
      .attr('d', (d) => ring(radius - 6, radius + 6, d.hit.start, d.hit.end));
  }

  function drawSites() {
    const g = sitesG
      .selectAll<SVGGElement, MapModel['sites'][number]>('g.sm-site')
      .data(model!.sites, (d) => `${d.enzyme}:${d.start}:${d.strand}`)
      .join((enter) => {
        const site = enter.append('g').attr('class', 'sm-site');
        site.append('title');
        site.append('path').attr('class', 'sm-site-span');
        site.append('text').attr('class', 'sm-site-label');
        return site;
      });
    g.select('title').text(siteTitle);
    g.select('path').attr('d', (d) => ring(radius - 5, radius + 5, d.start, d.end));
    // Labels just outside the ticks' numbers, nudged apart when two sites sit close.
    let lastAngle = -1;
    let bump = 0;
    g.select('text').each(function (d) {
      const a = angleOf(d.start, L());
      bump = a - lastAngle < 0.12 ? bump + 1 : 0;
      lastAngle = a;
      const p = pointAt(a, radius + 34 + (bump % 2) * 12);
      select(this)
        .attr('x', p.x)
        .attr('y', p.y + 4)
        .attr('text-anchor', Math.abs(Math.sin(a)) < 0.3 ? 'middle' : Math.sin(a) > 0 ? 'start' : 'end')
        .text(d.enzyme);
    });
  }

  function drawFeatures(inner: number) {
    const outerOf = (d: DrawnFeature) => Math.max(inner + FEATURE_W, radius - 10 - d.lane * LANE);
    const g = featuresG
      .selectAll<SVGAElement, DrawnFeature>('a.sm-feature')
      .data(model!.features, (d) => String(d.index))
      .join((enter) => enterFeatures(enter, events, 'middle'));
    describeFeatures(g);
    g.select('path').attr('d', (d) => ring(outerOf(d) - FEATURE_W, outerOf(d), d.start, d.end));
    // Labels along the arc, upright on either half of the circle, when the arc is long enough for them.
    g.select('text').each(function (d) {
      const { startAngle, endAngle } = arcAngles(d.start, d.end, L());
      const middle = (startAngle + endAngle) / 2;
      const r = outerOf(d) - FEATURE_W / 2;
      const fits = (endAngle - startAngle) * r - 10 > d.label.length * 6.2;
      const p = pointAt(middle, r);
      const degrees = (middle * 180) / Math.PI;
      const upright = Math.cos(middle) < 0 ? degrees + 180 : degrees;
      select(this)
        .attr('transform', `translate(${p.x},${p.y}) rotate(${upright})`)
        .attr('dy', '0.35em')
        .style('font-size', '9.5px')
        .text(fits ? d.label : '');
    });
  }

  function showSelection(selection: Selection | null) {
    if (model) model = { ...model, selection };
    selectionPath.attr('d', selection && model ? ring(radius * 0.3, radius + 10, selection.start, selection.end) : null);
  }

  return { draw, showSelection, destroy: () => svg.selectAll('*').remove() };
}

/** A round step for about `rough` bases: 1, 2 or 5 times a power of ten. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const steps = [1, 2, 5, 10].map((m) => m * power);
  return steps.find((s) => s >= rough) ?? 10 * power;
}
