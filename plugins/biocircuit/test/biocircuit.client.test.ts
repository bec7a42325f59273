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

test('the bars: one per row, ON rows coloured, the thresholds drawn', async () => {
  const rows = ['0', '0', '0', '1'].map((expected, row) => ({ row, inputs: row.toString(2).padStart(2, '0'), expected: expected as '0' | '1', logic: Number(expected), level: expected === '1' ? 12 : 0.1 }));
  const html = await renderToString(createSSRApp({ render: () => h(LevelBars, { rows, onOff: 120 }) }));
  expect(html.match(/data-bar/g)).toHaveLength(4);
  expect(html.match(/class="bar on"/g)).toHaveLength(1);
  expect(html.match(/class="threshold/g)).toHaveLength(2);
  expect(html).toMatch(/<strong[^>]*>120\.0×<\/strong>/);
});

test('it declares its page and menu entry', () => {
  expect(plugin.routes?.map((route) => route.path)).toEqual(['']);
  expect(plugin.menu).toEqual([{ title: 'BioCircuit', to: '' }]);
});
