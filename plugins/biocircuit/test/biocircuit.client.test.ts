import { createSSRApp, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { expect, test } from 'vitest';
import plugin from '../client/index';
import CircuitGraph from '../client/CircuitGraph.vue';
import LevelBars from '../client/LevelBars.vue';
import type { Circuit } from '../client/types';

// BioCircuit's client components, rendered by Vue's server renderer (the e2e test drives the real page).
const and: Circuit = {
  nodes: ['INPUT', 'INPUT', 'A1_AmtR', 'P3_PhlF', 'S2_SrpR'],
  arcs: [{ from: 0, to: 2 }, { from: 1, to: 3 }, { from: 2, to: 4 }, { from: 3, to: 4 }],
  output: 4,
  score: 120,
  onOff: 120,
};

test('the graph: inputs, then each gate one layer right of its furthest input, the output marked', async () => {
  const html = await renderToString(createSSRApp({ render: () => h(CircuitGraph, { circuit: and, sensors: ['pTac', 'pTet'], label: 'Circuit 1' }) }));
  expect(html).toContain('aria-label="Circuit 1: 3 gates (A1_AmtR, P3_PhlF, S2_SrpR), 4 connections"');
  expect(html.match(/class="node/g)).toHaveLength(5);
  expect(html.match(/class="edge"/g)!.length).toBe(4 + 1); // four arcs and the output's stub
  expect(html).toContain('translate(8,'); // inputs in the first layer
  expect(html).toMatch(/translate\(158,[^)]*\)" class="node"/); // the NOTs in the second
  expect(html).toMatch(/translate\(308,[^)]*\)" class="node output"/); // the NOR, the output, in the third
  for (const text of ['pTac', 'pTet', 'AmtR', 'PhlF', 'SrpR']) expect(html).toContain(`>${text}<`);
});

test('the graph: a layer\'s gates ordered by the height of their inputs, arcs into a gate landing apart', async () => {
  // v0 feeds the second gate, v1 the first: drawn in index order, their arcs would cross.
  const crossed: Circuit = { nodes: ['INPUT', 'INPUT', 'A1_AmtR', 'P3_PhlF', 'S2_SrpR'], arcs: [{ from: 1, to: 2 }, { from: 0, to: 3 }, { from: 2, to: 4 }, { from: 3, to: 4 }], output: 4, score: 1, onOff: 1 };
  const html = await renderToString(createSSRApp({ render: () => h(CircuitGraph, { circuit: crossed, label: 'Circuit 1' }) }));
  // Each node is a <g transform="translate(x,y)"> with its title as the first text.
  const nodes = html.split('<g ').map((g) => /^transform="translate\(([\d.]+),([\d.]+)\)"[^>]*>.*?class="title"[^>]*>(\w+)</.exec(g)).filter((m) => m !== null);
  const y = (name: string) => Number(nodes.find((m) => m[3] === name)?.[2]);
  expect(nodes.find((m) => m[3] === 'PhlF')?.[1]).toBe('158');
  expect(y('PhlF')).toBeLessThan(y('AmtR')); // PhlF (fed by v0, on top) above AmtR (fed by v1)
  // d3.linkHorizontal's cubic curves, each ending at its own port on the NOR (4 px above and below its middle).
  const ends = [...html.matchAll(/class="edge"[^>]*d="([^"]+)"|d="([^"]+)" class="edge"/g)].map((m) => (m[1] ?? m[2]).split(/[ ,C]/).slice(-2).map(Number));
  const intoNor = ends.filter(([x]) => x === 308 - 6);
  expect(intoNor).toHaveLength(2);
  expect(Math.abs(intoNor[0][1] - intoNor[1][1])).toBe(8);
});

test('the bars: one per row, ON rows coloured, the thresholds drawn', async () => {
  const rows = ['0', '0', '0', '1'].map((expected, row) => ({ row, inputs: row.toString(2).padStart(2, '0'), expected: expected as '0' | '1', logic: Number(expected), level: expected === '1' ? 12 : 0.1 }));
  const html = await renderToString(createSSRApp({ render: () => h(LevelBars, { rows, onOff: 120 }) }));
  expect(html.match(/data-bar/g)).toHaveLength(4);
  expect(html.match(/class="bar on"/g)).toHaveLength(1);
  expect(html.match(/class="threshold/g)).toHaveLength(2);
  // d3's scales: bands of 30 px from x = 54, 40 px apart; a log axis of whole decades (10⁻² to 10², 40 px each over 160 px).
  const rects = [...html.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
  expect(rects.map(([x]) => x)).toEqual([54, 94, 134, 174]);
  expect(rects.map(([, , w]) => w)).toEqual([30, 30, 30, 30]);
  expect(rects[0][3]).toBeCloseTo(40, 6); // 0.1 RPU: one decade above 10⁻²
  expect(rects[3][3]).toBeCloseTo((Math.log10(12) + 2) * 40, 6);
  expect(html).toContain('data-axis="output"'); // d3's axes are drawn into these after mounting
  expect(html).toContain('data-axis="rows"');
  expect(html).toMatch(/<strong[^>]*>120\.0×<\/strong>/);
});

test('it declares its page and menu entry', () => {
  expect(plugin.routes?.map((route) => route.path)).toEqual(['']);
  expect(plugin.menu).toEqual([{ title: 'BioCircuit', to: '' }]);
});
