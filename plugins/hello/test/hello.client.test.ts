import { createSSRApp } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { expect, test } from 'vitest';
import plugin from '../client/index';
import HelloPanel from '../client/HelloPanel.vue';

// hello's client components, rendered by Vue's server renderer (no browser; test/e2e drives the real page).
test('its part panel greets the part before the server answers, and can be waved at', async () => {
  const html = await renderToString(createSSRApp(HelloPanel, { part: { part_name: 'BBa_B0015' } }));
  expect(html).toContain('Hello, BBa_B0015!');
  expect(html).toContain('>Wave</button>');
  expect(html).toContain('0 waves');
  expect(html).toMatch(/data-v-[0-9a-f]{8}/); // its scoped style applies to it
});

test('it declares its page, menu entry and panel', () => {
  expect(plugin.routes?.map((route) => route.path)).toEqual(['']);
  expect(plugin.menu).toEqual([{ title: 'Hello', to: '' }]);
  expect(plugin.slots?.['part.panels']).toMatchObject({ component: HelloPanel, title: 'Hello' });
});
