import { defineConfig } from 'vite';

/**
 * `@brickyard/client` as one ES module of its own (library mode), with vue
 * and vue-router external: the host page maps its name to this file, so the
 * shell and every plugin get one API client, one websocket, one user store.
 */
export default defineConfig({
  root: import.meta.dirname,
  logLevel: 'warn',
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    reportCompressedSize: false,
    lib: { entry: 'lib/index.ts', formats: ['es'], fileName: () => 'brickyard-client.js' },
    rolldownOptions: { external: ['vue', 'vue-router'], checks: { pluginTimings: false } },
  },
});
