import { defineClientPlugin } from '@brickyard/client';
import HelloPage from './HelloPage.vue';
import HelloPanel from './HelloPanel.vue';

/**
 * The hello plugin in the browser: a page at /plugins/hello/, its menu entry,
 * and a panel on every part page. The server compiles this folder when the
 * plugin loads; edit a file and open pages change within a second.
 */
export default defineClientPlugin({
  routes: [{ path: '', component: HelloPage, meta: { title: 'Hello' } }],
  menu: [{ title: 'Hello', to: '' }],
  slots: {
    'part.panels': { component: HelloPanel, title: 'Hello' },
  },
});
