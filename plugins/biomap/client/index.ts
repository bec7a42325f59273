import { defineClientPlugin } from '@brickyard/client';
import BiomapPage from './BiomapPage.vue';
import BiomapPanel from './BiomapPanel.vue';

/** BioMap in the browser: its page at /plugins/biomap/, a menu entry, and a panel on every part page. */
export default defineClientPlugin({
  routes: [{ path: '', component: BiomapPage, meta: { title: 'BioMap' } }],
  menu: [{ title: 'BioMap', to: '' }],
  slots: {
    'part.panels': { component: BiomapPanel, title: 'BioMap' },
  },
});
