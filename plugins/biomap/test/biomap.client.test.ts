import { createSSRApp, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { renderToString } from 'vue/server-renderer';
import { expect, test } from 'vitest';
import plugin from '../client/index';
import BiomapPanel from '../client/BiomapPanel.vue';
import GraphView from '../client/GraphView.vue';
import { drawing, type BiomapGraph } from '../client/graph';

// BioMap's client pieces, rendered by Vue's server renderer (no browser; biomap.e2e.test.ts drives the real page).
const down: BiomapGraph = {
  nodes: [
    { id: 'BBa_B0015', group: 1, type: 'Terminator', desc: 'double terminator' },
    { id: 'BBa_B0010', group: 0, type: 'Terminator', desc: 'T1' },
    { id: 'BBa_B0012', group: 0, type: 'Terminator', desc: 'TE' },
  ],
  edges: [
    { source: 'BBa_B0015', target: 'BBa_B0010', value: 1 },
    { source: 'BBa_B0015', target: 'BBa_B0012', value: 1 },
  ],
  too_large: false,
};
const up: BiomapGraph = {
  nodes: [{ id: 'BBa_B0015', group: 1, type: 'Terminator', desc: '' }, { id: 'BBa_K1', group: 0, type: 'Device', desc: '' }],
  edges: [{ source: 'BBa_K1', target: 'BBa_B0015', value: 1 }],
  too_large: false,
};

test('one drawing of both graphs: users a row above the part, subparts a row below', () => {
  const d = drawing('BBa_B0015', down, up);
  expect(d.nodes.map((n) => [n.id, n.layer])).toEqual([['BBa_B0015', 0], ['BBa_B0010', 1], ['BBa_B0012', 1], ['BBa_K1', -1]]);
  expect(d.edges).toHaveLength(3);
});

test('every node of a graph is a link to its part page, with a name and a legend of types', async () => {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: { render: () => null } }] });
  const app = createSSRApp({ render: () => h(GraphView, { drawing: drawing('BBa_B0015', down, up), label: 'Parts around BBa_B0015' }) }).use(router);
  const html = await renderToString(app);
  for (const part of ['BBa_B0015', 'BBa_B0010', 'BBa_B0012', 'BBa_K1']) expect(html).toContain(`href="/parts/${part}"`);
  expect(html).toContain('aria-label="Parts around BBa_B0015"');
  expect(html).toMatch(/<title[^>]*>BBa_B0010 · Terminator · T1<\/title>/);
  expect(html.match(/<line /g)).toHaveLength(3);
  expect(html).toMatch(/biomap-legend-item[^>]*>.*Device.*Terminator/s);
});

test('its part panel links to the full page for the part', async () => {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: { render: () => null } }] });
  const html = await renderToString(createSSRApp(BiomapPanel, { part: { part_name: 'BBa_B0015' } }).use(router));
  expect(html).toContain('href="/plugins/biomap/?part=BBa_B0015"');
  expect(html).toContain('Reading the snapshot');
});

test('it declares its page, menu entry and panel', () => {
  expect(plugin.routes?.map((route) => route.path)).toEqual(['']);
  expect(plugin.menu).toEqual([{ title: 'BioMap', to: '' }]);
  expect(plugin.slots?.['part.panels']).toMatchObject({ component: BiomapPanel, title: 'BioMap' });
});
