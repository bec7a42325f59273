import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * `@brickyard/client` as one ES module of its own (library mode), with vue
 * and vue-router external: the host page maps its name to this file, so the
 * shell and every plugin get one API client, one websocket, one user store.
 */
export default defineConfig({
  root: import.meta.dirname,
  logLevel: 'warn',
  // Vue single-file components shared with plugins (the structure viewer).
  plugins: [vue()],
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    reportCompressedSize: false,
    lib: { entry: 'lib/index.ts', formats: ['es'], fileName: () => 'brickyard-client.js' },
    rolldownOptions: {
      external: ['vue', 'vue-router'],
      // Lazily loaded parts (the structure viewer, NGL) go beside the module under /shared/, named like it: `name.<12-char hash>.js`.
      output: { chunkFileNames: '[name].[hash:12].js' },
      checks: { pluginTimings: false },
    },
  },
});
