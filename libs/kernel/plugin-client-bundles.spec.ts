import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFiles } from '@brickyard/testing';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { PluginClientBundles } from './plugin-client-bundles';
import { PluginClientCompileError } from './plugin-client-compiler';

// The server's compile of plugins' client code: esbuild + @vue/compiler-sfc, for real.
const root = path.resolve(import.meta.dirname, '..', '..');
/** Plugins inside the platform's tree, where esbuild's lookup would find the platform's node_modules. */
const inside = fs.mkdtempSync(path.join(root, 'test', 'tmp-client-'));
afterAll(() => fs.rmSync(inside, { recursive: true, force: true }));

const open: PluginClientBundles[] = [];
afterEach(async () => {
  for (const bundles of open.splice(0)) await bundles.close();
});
function bundlesIn(cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-cache-'))): PluginClientBundles {
  const bundles = new PluginClientBundles(cacheDir);
  open.push(bundles);
  return bundles;
}

const plugin = (files: Record<string, string>, parent = os.tmpdir()) => writeFiles(fs.mkdtempSync(path.join(parent, 'plugin-')), files);
const build = (bundles: PluginClientBundles, dir: string, builtin = false) => bundles.build('demo', dir, 'client/index.ts', { builtin });
const refusal = (bundles: PluginClientBundles, dir: string) => build(bundles, dir).then(() => 'compiled', (error: Error) => error);

const INDEX = `import { defineClientPlugin } from '@brickyard/client';
import Panel from './Panel.vue';
import { label } from './label';
export default defineClientPlugin({ menu: [{ title: label, to: '' }], slots: { 'part.panels': Panel } });
`;
const PANEL = `<script setup lang="ts">
import { ref } from 'vue';
import type { Props } from './types';
const props = defineProps<Props>();
const colour = ref('rgb(1, 2, 3)');
</script>
<template><p class="panel">{{ props.part.part_name }}</p></template>
<style scoped>
.panel { color: v-bind(colour); }
</style>
`;
const sources = {
  'client/index.ts': INDEX,
  'client/label.ts': `export const label: string = 'Demo';\n`,
  'client/types.ts': `export interface Props { part: { part_name: string } }\n`,
  'client/Panel.vue': PANEL,
};

describe('compiling a plugin client', () => {
  test('TypeScript and a scoped SFC become one ES module; the shared modules stay imports', async () => {
    const bundles = bundlesIn();
    const bundle = await build(bundles, plugin(sources));
    expect(bundle.url).toMatch(/^\/assets\/plugins\/demo\/[A-Za-z0-9_-]{16}\.js$/);
    const code = fs.readFileSync(bundle.file, 'utf8');
    expect(code).toMatch(/from\s*"@brickyard\/client"/);
    expect(code).toMatch(/from\s*"vue"/);
    expect(code).not.toContain('createRenderer'); // Vue itself is not bundled
    const scope = /__scopeId\s*=\s*"(data-v-[0-9a-f]{8})"/.exec(code)?.[1];
    expect(scope).toBeDefined();
    expect(code).toContain(`.panel[${scope}]`); // the style is scoped with the component's own id
    // v-bind(): the script sets the variable the style reads, so both got the same id.
    const variable = new RegExp(`var\\(--([0-9a-z-]+)\\)`).exec(code)?.[1];
    expect(code).toContain(`${variable}:colour.value`);
    expect(code).toContain('withPluginStyle');
    expect(fs.readFileSync(`${bundle.file}.gz`).length).toBeGreaterThan(0);
  });

  test('the bundle is cached by its sources: another process takes it, and an unchanged client keeps its URL', async () => {
    const dir = plugin(sources);
    const first = bundlesIn();
    const bundle = await build(first, dir);
    const second = bundlesIn(first.cacheDir);
    expect(await build(second, dir)).toEqual(bundle);
    expect([first.compiles, second.compiles]).toEqual([1, 0]);
    // A change elsewhere in the plugin compiles again, and gives the same bundle.
    fs.writeFileSync(path.join(dir, 'README.md'), 'notes');
    expect(await build(first, dir)).toEqual(bundle);
    expect(first.compiles).toBe(2);
    fs.writeFileSync(path.join(dir, 'client', 'label.ts'), `export const label: string = 'Demo 2';\n`);
    expect((await build(first, dir)).url).not.toBe(bundle.url);
    expect(first.file('demo', path.basename(bundle.file))).toBe(bundle.file); // the previous bundle is still served
    expect(first.file('demo', '../../etc/passwd')).toBeUndefined();
  });

  test.each([
    ['client/label.ts', `export const label: string = ;\n`, /^cannot compile client\/label\.ts:1:30: Unexpected ";"$/],
    ['client/Panel.vue', PANEL.replace('{{ props.part.part_name }}', '{{ props. }}'), /^cannot compile client\/Panel\.vue:7:\d+: Error parsing JavaScript expression/],
    ['client/Panel.vue', PANEL.replace("ref('rgb(1, 2, 3)')", 'ref(;'), /^cannot compile client\/Panel\.vue:5:\d+: Unexpected token/],
    ['client/Panel.vue', PANEL.replace('color: v-bind(colour); }', 'color: red;'), /^cannot compile client\/Panel\.vue:9:\d+: Unclosed block$/],
    ['client/index.ts', `import './nowhere';\n${INDEX}`, /^cannot compile client\/index\.ts:1:\d+: Could not resolve "\.\/nowhere"/],
  ])('an error in %s names the file, line and problem, and is cached like a bundle', async (file, content, message) => {
    const dir = plugin({ ...sources, [file]: content });
    const bundles = bundlesIn();
    const error = await refusal(bundles, dir);
    expect(error).toBeInstanceOf(PluginClientCompileError);
    expect((error as Error).message).toMatch(message);
    const other = bundlesIn(bundles.cacheDir);
    expect(((await refusal(other, dir)) as Error).message).toBe((error as Error).message);
    expect(other.compiles).toBe(0);
  });

  test("packages resolving into the platform's node_modules are refused; the plugin's own are bundled", async () => {
    const dir = plugin({ ...sources, 'client/label.ts': `import { valid } from 'semver';\nexport const label = String(valid('1.0.0'));\n` }, inside);
    const error = await refusal(bundlesIn(), dir);
    expect((error as Error).message).toBe(
      `cannot compile client/label.ts:1:23: "semver" is not in the plugin's own node_modules (it resolved to the platform's): add it to the plugin's package.json and install it there`,
    );
    // Built-in plugins ship with the platform and may use its packages.
    expect((await build(bundlesIn(), dir, true)).url).toMatch(/\.js$/);
    writeFiles(dir, {
      'node_modules/semver/package.json': JSON.stringify({ name: 'semver', version: '1.0.0', main: 'index.js' }),
      'node_modules/semver/index.js': `exports.valid = (v) => 'own ' + v;\n`,
    });
    const own = await build(bundlesIn(), dir);
    expect(fs.readFileSync(own.file, 'utf8')).toContain('"own "+v'); // CommonJS, bundled from its own node_modules
  });

  test('d3 is shared like vue: left to the page\'s import map, never bundled', async () => {
    const dir = plugin({ ...sources, 'client/label.ts': `import { scaleLinear } from 'd3';\nexport const label = String(scaleLinear().domain([0, 1]).range([0, 10])(0.5));\n` }, inside);
    const body = fs.readFileSync((await build(bundlesIn(), dir)).file, 'utf8');
    expect(body).toMatch(/from\s*"d3"/);
    expect(body).not.toContain('function scaleLinear');
  });

  test('sub-paths of the shared modules and other platform libraries are refused', async () => {
    for (const [specifier, message] of [
      ['vue/dist/vue.esm-browser.js', 'import "vue" itself, not "vue/dist/vue.esm-browser.js"'],
      ['@brickyard/sdk', "a plugin's client imports the platform only through @brickyard/client, not @brickyard/sdk"],
    ]) {
      const dir = plugin({ ...sources, 'client/label.ts': `import '${specifier}';\nexport const label = 'x';\n` });
      expect(((await refusal(bundlesIn(), dir)) as Error).message).toContain(message);
    }
  });
});
