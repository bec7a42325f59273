import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** Names every page shares through the import map (index.html): never bundled into the host. */
const SHARED = ['vue', 'vue-router', '@brickyard/client'];

/** The host app: index.html and its code, with the shared modules left to the import map. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  plugins: [vue()],
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    // Browsers with import maps all preload modules natively.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // Which chunks each page needs (bin/build-client.js reads it, then removes it): the server preloads them with the page.
    manifest: true,
    rolldownOptions: { external: SHARED, checks: { pluginTimings: false } },
  },
  css: {
    preprocessorOptions: {
      // Bootstrap 5.3's Sass still uses @import and global functions; its deprecations are Bootstrap's, not ours.
      scss: { quietDeps: true, silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'if-function'] },
    },
  },
});
