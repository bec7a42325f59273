import { forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3';

/**
 * BioMap's layout: a d3 force simulation (the platform's shared d3). Links pull connected parts together, every
 * part repels every other (many-body), a gentle x-force keeps the graph centred and a y-force per level draws
 * each part to its level's row, so composite parts sit above the parts they are built from. The simulation is
 * stopped and ticked to rest at once, so the SVG is drawn once and the same graph always gets the same drawing
 * (d3-force places nodes on its phyllotaxis spiral and jiggles with a seeded generator: no Math.random).
 * At rest each row is tidied so labels never overlap (see below).
 */
export interface LayoutNode {
  id: string;
  /** The row: 0 is the part asked about, negative above it, positive below. */
  layer: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface Point {
  x: number;
  y: number;
}

export interface LayoutOptions {
  /** Distance between the rows of two levels. */
  rowGap?: number;
  /** The links' rest length. */
  linkDistance?: number;
  /** The many-body strength (negative: repulsion). */
  charge?: number;
  /** Ticks run to rest: alpha cools from 1 to d3's alphaMin (0.001) in this many, as d3's default does in 300. */
  ticks?: number;
  /** Least distance between neighbours on a row: room for a label. */
  minGap?: number;
  /** Most parts on one line of a row; a longer row (a hub's users) wraps. */
  perLine?: number;
  /** Distance between the lines of a wrapped row. */
  lineGap?: number;
}

interface SimNode extends SimulationNodeDatum {
  id: string;
  layer: number;
}

export function forceLayout(nodes: LayoutNode[], edges: LayoutEdge[], options: LayoutOptions = {}): Map<string, Point> {
  const { rowGap = 90, linkDistance = 70, charge = -260, ticks = 300, minGap = 84, perLine = Infinity, lineGap = 36 } = options;
  const sim: SimNode[] = nodes.map((node) => ({ id: node.id, layer: node.layer }));
  const known = new Set(sim.map((node) => node.id));
  const links: SimulationLinkDatum<SimNode>[] = edges
    .filter((edge) => edge.source !== edge.target && known.has(edge.source) && known.has(edge.target))
    .map((edge) => ({ source: edge.source, target: edge.target }));

  const simulation = forceSimulation(sim)
    .force('link', forceLink<SimNode, SimulationLinkDatum<SimNode>>(links).id((node) => node.id).distance(linkDistance))
    .force('charge', forceManyBody<SimNode>().strength(charge))
    .force('x', forceX<SimNode>(0).strength(0.04))
    .alphaDecay(1 - Math.pow(0.001, 1 / ticks))
    .stop();
  // First loosely, so parts can pass one another in two dimensions and settle beside the parts they are linked to;
  // then firmly, each part onto its level's row.
  const rowsForce = forceY<SimNode>((node) => node.layer * rowGap).strength(0.05);
  simulation.force('y', rowsForce);
  for (let tick = 0; tick < ticks; tick++) {
    if (tick === Math.floor(ticks / 2)) rowsForce.strength(0.6);
    simulation.tick();
  }

  const x = sim.map((node) => node.x ?? 0);
  const y = sim.map((node) => node.y ?? 0);
  // Tidy rows: each node on its level's row, neighbours at least minGap apart (room for a label), in the order the
  // forces found, the row kept where the forces centred it. A row of more than perLine parts (a hub's users) wraps
  // onto lines lineGap apart, and the rows beyond it move over to make room.
  const rows = new Map<number, number[]>();
  sim.forEach((node, i) => rows.set(node.layer, [...(rows.get(node.layer) ?? []), i]));
  const lines = (layer: number) => Math.max(1, Math.ceil((rows.get(layer)?.length ?? 1) / perLine));
  const top = new Map<number, number>([[0, 0]]);
  const layers = [...rows.keys()];
  for (let layer = 1; layer <= Math.max(0, ...layers); layer++) top.set(layer, top.get(layer - 1)! + (lines(layer - 1) - 1) * lineGap + rowGap);
  for (let layer = -1; layer >= Math.min(0, ...layers); layer--) top.set(layer, top.get(layer + 1)! - rowGap - (lines(layer) - 1) * lineGap);
  for (const [layer, members] of rows) {
    members.sort((a, b) => x[a]! - x[b]! || a - b);
    const centre = members.reduce((sum, i) => sum + x[i]!, 0) / members.length;
    const size = Math.min(perLine, members.length);
    for (let line = 0; line < lines(layer); line++) {
      const part = members.slice(line * size, (line + 1) * size);
      if (lines(layer) > 1) part.forEach((i, k) => (x[i] = centre + (k - (part.length - 1) / 2) * minGap));
      for (let k = 1; k < part.length; k++) x[part[k]!] = Math.max(x[part[k]!]!, x[part[k - 1]!]! + minGap);
      const shift = part.reduce((sum, i) => sum + x[i]!, 0) / part.length - centre;
      for (const i of part) (x[i] = x[i]! - shift), (y[i] = top.get(layer)! + line * lineGap);
    }
  }
  // Centre horizontally on the part asked about (the first node).
  const shift = x[0] ?? 0;
  return new Map(sim.map((node, i) => [node.id, { x: x[i]! - shift, y: y[i]! }]));
}
