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
