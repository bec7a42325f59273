/**
 * A small force-directed layout in the manner of d3-force (velocity Verlet with
 * a cooling alpha): links pull connected parts together, every pair repels, and
 * each node is drawn to the row of its layer, so composite parts sit above the
 * parts they are built from. It runs to rest at once (no animation).
 *
 * Why not d3 itself: a plugin's client may import only `vue`, `vue-router`,
 * `@brickyard/client` and packages in its own node_modules; the platform's copy
 * of d3 is refused by the compiler (see README.md).
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

export function forceLayout(
  nodes: LayoutNode[],
  edges: LayoutEdge[],
  options: { rowGap?: number; linkDistance?: number; charge?: number; ticks?: number; minGap?: number; perLine?: number; lineGap?: number } = {},
): Map<string, Point> {
  const { rowGap = 90, linkDistance = 70, charge = -260, ticks = 300, minGap = 84, perLine = Infinity, lineGap = 36 } = options;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const n = nodes.length;
  // Start on a phyllotaxis spiral, as d3 does: spread out and deterministic.
  const x = nodes.map((_, i) => 10 * Math.sqrt(0.5 + i) * Math.cos(i * Math.PI * (3 - Math.sqrt(5))));
  const y = nodes.map((node, i) => node.layer * rowGap + 10 * Math.sqrt(0.5 + i) * Math.sin(i * Math.PI * (3 - Math.sqrt(5))));
  const vx = new Array<number>(n).fill(0);
  const vy = new Array<number>(n).fill(0);
  const links = edges.map((e) => [index.get(e.source), index.get(e.target)]).filter((l): l is [number, number] => l[0] !== undefined && l[1] !== undefined && l[0] !== l[1]);
  const degree = new Array<number>(n).fill(0);
  for (const [s, t] of links) degree[s]!++, degree[t]!++;

  let alpha = 1;
  const alphaDecay = 1 - Math.pow(0.001, 1 / ticks);
  for (let tick = 0; tick < ticks; tick++) {
    alpha += (0 - alpha) * alphaDecay;
    // Links: springs toward linkDistance, weaker on hubs.
    for (const [s, t] of links) {
      let dx = x[t]! + vx[t]! - x[s]! - vx[s]!;
      let dy = y[t]! + vy[t]! - y[s]! - vy[s]!;
      const distance = Math.hypot(dx, dy) || 1e-6;
      const strength = 1 / Math.min(degree[s]!, degree[t]!);
      const pull = ((distance - linkDistance) / distance) * alpha * strength;
      dx *= pull;
      dy *= pull;
      const bias = degree[s]! / (degree[s]! + degree[t]!);
      vx[t]! -= dx * bias, vy[t]! -= dy * bias;
      vx[s]! += dx * (1 - bias), vy[s]! += dy * (1 - bias);
    }
    // Charge: every pair repels (n is capped by the server, so n² stays small).
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = x[j]! - x[i]! || 1e-3 * (j - i);
        const dy = y[j]! - y[i]! || 1e-3;
        const d2 = Math.max(dx * dx + dy * dy, 100);
        const push = (charge * alpha) / d2;
        vx[j]! -= dx * push, vy[j]! -= dy * push;
        vx[i]! += dx * push, vy[i]! += dy * push;
      }
    }
    // Rows: each node toward the height of its layer.
    for (let i = 0; i < n; i++) vy[i]! += (nodes[i]!.layer * rowGap - y[i]!) * 0.3 * alpha;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + (vx[i]! *= 0.6);
      y[i] = y[i]! + (vy[i]! *= 0.6);
    }
  }
  // Tidy rows: each node on its layer's row, neighbours at least minGap apart (room for a label), in the
  // order the forces found, the row kept where it was centred. A row of more than perLine parts (a hub's
  // users) wraps onto lines lineGap apart, and the rows beyond it move over to make room.
  const rows = new Map<number, number[]>();
  for (let i = 0; i < n; i++) rows.set(nodes[i]!.layer, [...(rows.get(nodes[i]!.layer) ?? []), i]);
  const lines = (layer: number) => Math.max(1, Math.ceil((rows.get(layer)?.length ?? 1) / perLine));
  const top = new Map<number, number>([[0, 0]]);
  const layers = [...rows.keys()];
  for (let layer = 1; layer <= Math.max(0, ...layers); layer++) top.set(layer, top.get(layer - 1)! + (lines(layer - 1) - 1) * lineGap + rowGap);
  for (let layer = -1; layer >= Math.min(0, ...layers); layer--) top.set(layer, top.get(layer + 1)! - rowGap - (lines(layer) - 1) * lineGap);
  for (const [layer, members] of rows) {
    members.sort((a, b) => x[a]! - x[b]!);
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
  return new Map(nodes.map((node, i) => [node.id, { x: x[i]! - shift, y: y[i]! }]));
}
