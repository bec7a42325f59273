import { defineClientPlugin } from '@brickyard/client';
import BiocircuitPage from './BiocircuitPage.vue';

/** BioCircuit in the browser: one page at /plugins/biocircuit/ and its menu entry. */
export default defineClientPlugin({
  routes: [{ path: '', component: BiocircuitPage, meta: { title: 'BioCircuit' } }],
  menu: [{ title: 'BioCircuit', to: '' }],
});
