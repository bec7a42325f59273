import { expect, test } from 'vitest';
import { forceLayout } from '../client/force';

// The client's layout, on its own: rows by layer, room for labels, the part asked about in the middle, and the same
// drawing every time for the same graph.
const nodes = [
  { id: 'root', layer: 0 },
  ...['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, layer: 1 })),
  { id: 'user', layer: -1 },
  { id: 'deep', layer: 2 },
];
const edges = [...['a', 'b', 'c', 'd', 'e'].map((target) => ({ source: 'root', target })), { source: 'user', target: 'root' }, { source: 'a', target: 'deep' }];

test('puts each layer on its own row, users above and subparts below, labels apart', () => {
  const at = forceLayout(nodes, edges, { rowGap: 90, minGap: 84 });
  expect(at.get('root')).toEqual({ x: 0, y: 0 });
  expect(at.get('user')!.y).toBe(-90);
  expect(at.get('deep')!.y).toBe(180);
  const row = ['a', 'b', 'c', 'd', 'e'].map((id) => at.get(id)!);
  expect(row.every((p) => p.y === 90)).toBe(true);
  const xs = row.map((p) => p.x).sort((p, q) => p - q);
  for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(84 - 1e-9);
  expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length)).toBeLessThan(84); // the row sits under its part
  expect([...at.values()].every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
});

test('is deterministic, and draws a lone part', () => {
  expect([...forceLayout(nodes, edges)]).toEqual([...forceLayout(nodes, edges)]);
  expect([...forceLayout([{ id: 'only', layer: 0 }], [])]).toEqual([['only', { x: 0, y: 0 }]]);
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
});
