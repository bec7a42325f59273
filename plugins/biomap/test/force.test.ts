import { expect, test } from 'vitest';
import { forceLayout, type LayoutEdge, type LayoutNode, type Point } from '../client/force';

// The client's layout on its own (d3-force, run to rest): levels in order, users above and subparts below, labels
// that never overlap, the part asked about in the middle, and the same drawing every time for the same graph.
const nodes: LayoutNode[] = [
  { id: 'BBa_ROOT01', layer: 0 },
  ...['BBa_A00001', 'BBa_B00001', 'BBa_C00001', 'BBa_D00001', 'BBa_E00001'].map((id) => ({ id, layer: 1 })),
  { id: 'BBa_USER01', layer: -1 },
  { id: 'BBa_USER02', layer: -2 },
  { id: 'BBa_DEEP01', layer: 2 },
  { id: 'BBa_DEEP02', layer: 2 },
];
const edges: LayoutEdge[] = [
  ...nodes.filter((n) => n.layer === 1).map((n) => ({ source: 'BBa_ROOT01', target: n.id })),
  { source: 'BBa_USER01', target: 'BBa_ROOT01' },
  { source: 'BBa_USER02', target: 'BBa_USER01' },
  { source: 'BBa_A00001', target: 'BBa_DEEP01' },
  { source: 'BBa_E00001', target: 'BBa_DEEP02' },
];

/** A label's box as GraphView draws it: 11px monospace (about 6.7px a character), centred under or over its node. */
const box = (id: string, at: Point) => ({ left: at.x - (id.length * 6.7) / 2, right: at.x + (id.length * 6.7) / 2, top: at.y - 12, bottom: at.y + 12 });

test('levels in order: each on its own row, users above the part and subparts below', () => {
  const at = forceLayout(nodes, edges, { rowGap: 90, minGap: 84 });
  expect(at.get('BBa_ROOT01')).toEqual({ x: 0, y: 0 });
  for (const node of nodes) expect(at.get(node.id)!.y).toBe(node.layer * 90);
  // The forces, not the input order, decide where a subpart goes: under the part it is in.
  const x = (id: string) => at.get(id)!.x;
  expect(Math.abs(x('BBa_DEEP01') - x('BBa_A00001'))).toBeLessThan(Math.abs(x('BBa_DEEP01') - x('BBa_E00001')));
  expect(Math.abs(x('BBa_DEEP02') - x('BBa_E00001'))).toBeLessThan(Math.abs(x('BBa_DEEP02') - x('BBa_A00001')));
  expect(x('BBa_DEEP01')).toBeLessThan(x('BBa_DEEP02'));
  const row = nodes.filter((n) => n.layer === 1).map((n) => x(n.id));
  expect(Math.abs(row.reduce((s, v) => s + v, 0) / row.length)).toBeLessThan(84); // the row sits under its part
  expect([...at.values()].every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
});

test('no two labels overlap', () => {
  const at = forceLayout(nodes, edges, { rowGap: 90, minGap: 84 });
  const boxes = nodes.map((n) => box(n.id, at.get(n.id)!));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      expect(apart, `${nodes[i]!.id} and ${nodes[j]!.id}`).toBe(true);
    }
  }
});

test('is deterministic, and draws a lone part', () => {
  expect([...forceLayout(nodes, edges)]).toEqual([...forceLayout(nodes, edges)]);
  expect([...forceLayout([...nodes].reverse().sort((a, b) => (a.id === 'BBa_ROOT01' ? -1 : b.id === 'BBa_ROOT01' ? 1 : 0)), edges)].length).toBe(nodes.length);
  expect([...forceLayout([{ id: 'only', layer: 0 }], [])]).toEqual([['only', { x: 0, y: 0 }]]);
  // An edge to a part not drawn, or from a part to itself, is ignored rather than breaking the simulation.
  expect([...forceLayout([{ id: 'only', layer: 0 }], [{ source: 'only', target: 'gone' }, { source: 'only', target: 'only' }])]).toEqual([['only', { x: 0, y: 0 }]]);
});

test('wraps a long row onto lines and moves the rows beyond it', () => {
  const users = Array.from({ length: 60 }, (_, i) => ({ id: `u${i}`, layer: -1 }));
  const at = forceLayout([{ id: 'root', layer: 0 }, ...users, { id: 'sub', layer: 1 }, { id: 'top', layer: -2 }], [
    ...users.map((u) => ({ source: u.id, target: 'root' })),
    { source: 'root', target: 'sub' },
    { source: 'top', target: 'u0' },
  ], { rowGap: 90, minGap: 18, perLine: 25, lineGap: 22 });
  const ys = [...new Set(users.map((u) => at.get(u.id)!.y))].sort((a, b) => a - b);
  expect(ys).toEqual([-134, -112, -90]); // three lines, the last a row above the part
  expect(at.get('top')!.y).toBe(-224);
  expect(at.get('sub')!.y).toBe(90);
  const width = Math.max(...users.map((u) => at.get(u.id)!.x)) - Math.min(...users.map((u) => at.get(u.id)!.x));
  expect(width).toBeLessThanOrEqual(24 * 18 + 1e-9);
  // Dots on a line never touch (GraphView draws them with radius 7).
  for (const y of ys) {
    const xs = users.map((u) => at.get(u.id)!).filter((p) => p.y === y).map((p) => p.x).sort((p, q) => p - q);
    for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(18 - 1e-9);
  }
});

test('a hub of 500 parts (drawn as dots, cooled in 100 ticks as GraphView does) comes to rest quickly', () => {
  const users = Array.from({ length: 499 }, (_, i) => ({ id: `u${i}`, layer: i < 100 ? -1 : -2 }));
  const started = performance.now();
  const at = forceLayout([{ id: 'root', layer: 0 }, ...users], users.map((u, i) => (i < 100 ? { source: u.id, target: 'root' } : { source: u.id, target: `u${i % 100}` })), { minGap: 18, perLine: 25, lineGap: 22, ticks: 100 });
  expect(at.size).toBe(500);
  expect(new Set([...at.values()].map((p) => `${p.x},${p.y}`)).size).toBe(500); // no two dots on one spot
  expect(performance.now() - started).toBeLessThan(5_000); // Barnes–Hut many-body: well under a second on a quiet machine
});
