import { defineClientPlugin } from '@brickyard/client';
import AbacusPage from './AbacusPage.vue';

/** ABACUS in the browser: one page at /plugins/abacus/ (a design is /plugins/abacus/?design=<id>) and its menu entry. */
export default defineClientPlugin({
  routes: [{ path: '', component: AbacusPage, meta: { title: 'Protein design' } }],
  menu: [{ title: 'Protein design', to: '' }],
});
