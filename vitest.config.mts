import * as path from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const heavy = process.env.BRICKYARD_HEAVY_TESTS === '1';

export default defineConfig({
  plugins: [
    // Nest and TypeORM need decorator metadata, which Vite's own transform does not emit.
    swc.vite({
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      },
    }),
  ],
  resolve: {
    alias: [{ find: /^@brickyard\/([a-z-]+)$/, replacement: path.resolve(import.meta.dirname, 'libs/$1/index.ts') }],
  },
  test: {
    // Heavy tests (minutes, both cores) run alone after the rest: `BRICKYARD_HEAVY_TESTS=1 vitest run`.
    include: heavy ? ['test/**/*.heavy.test.ts'] : ['{apps,libs,plugins,test}/**/*.{test,spec}.ts'],
    exclude: heavy ? ['**/node_modules/**'] : ['**/node_modules/**', '**/*.heavy.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: heavy ? 1 : 2,
    reporters: ['default'],
  },
});
