import * as fs from 'node:fs';
import * as path from 'node:path';
import vue from '@vitejs/plugin-vue';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const heavy = process.env.BRICKYARD_HEAVY_TESTS === '1';
// Browser tests (Chromium against a real server) run after the rest, one file at a time: timing-sensitive tests
// of the rest (rate limits, pings) and the browser's own waits do not share two cores with each other.
const browser = process.env.BRICKYARD_BROWSER_TESTS === '1';

interface NestProject {
  type: 'application' | 'library';
  root: string;
  sourceRoot?: string;
  entryFile?: string;
}

/** `@brickyard/<name>` for each library project of nest-cli.json, as bin/ts-hook.js resolves it. */
const nestCli = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'nest-cli.json'), 'utf8')) as { projects: Record<string, NestProject> };
const libraryAliases = Object.entries(nestCli.projects)
  .filter(([, project]) => project.type === 'library')
  .map(([name, project]) => ({
    find: `@brickyard/${name}`,
    replacement: path.resolve(import.meta.dirname, project.sourceRoot ?? project.root, `${project.entryFile ?? 'index'}.ts`),
  }));

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
    // Plugins' client components in their component tests (test/<name>.client.test.ts).
    vue(),
  ],
  resolve: {
    // @brickyard/client is the browser's shared module (client/lib), not a Nest library.
    alias: [...libraryAliases, { find: '@brickyard/client', replacement: path.resolve(import.meta.dirname, 'client', 'lib', 'index.ts') }],
  },
  test: {
    // Heavy tests (minutes, both cores) run alone after the rest: `BRICKYARD_HEAVY_TESTS=1 vitest run`.
    // A plugin's browser tests live beside its others as test/*.e2e.test.ts: `npx vitest run plugins/<name>` runs its server tests,
    // with BRICKYARD_BROWSER_TESTS=1 its browser ones.
    include: heavy
      ? ['test/**/*.heavy.test.ts']
      : browser
        ? ['test/e2e/**/*.test.ts', 'plugins/**/*.e2e.test.ts']
        : ['{apps,libs,plugins,test}/**/*.{test,spec}.ts', 'client/{lib,src}/**/*.spec.ts'],
    exclude: heavy || browser ? ['**/node_modules/**'] : ['**/node_modules/**', '**/*.heavy.test.ts', '**/*.e2e.test.ts', 'test/e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: heavy || browser ? 1 : 2,
    reporters: ['default'],
  },
});
