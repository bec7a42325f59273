import { startTestServer, writeFiles, writePlugin, WsProbe, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

// Plugins' client code compiled by a real server (two HTTP workers): served content-hashed, cached once
// per host, refused with file:line when broken while the previous bundle serves, and announced to pages.
const root = path.resolve(import.meta.dirname, '..', '..');
let server: TestServer;
/** Inside the platform's tree, where esbuild's lookup would reach the platform's node_modules. */
let pluginsDir: string;

beforeAll(async () => {
  pluginsDir = fs.mkdtempSync(path.join(root, 'test', 'tmp-clients-'));
  server = await startTestServer({ pluginsDir, workers: 2, env: { PLUGINS_WATCH: 'false' } });
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(pluginsDir, { recursive: true, force: true });
});

const panel = (text: string) => `<script setup lang="ts">
const props = defineProps<{ part: { part_name: string } }>();
</script>
<template><p class="shown">${text} {{ props.part.part_name }}</p></template>
<style scoped>
.shown { font-weight: 600; }
</style>
`;
const clientFiles = (text: string) => ({
  'client/index.ts': `import { defineClientPlugin } from '@brickyard/client';
import Panel from './Panel.vue';
export default defineClientPlugin({ menu: [{ title: 'Shown', to: '' }], slots: { 'part.panels': Panel } });
`,
  'client/Panel.vue': panel(text),
});
const manifest = (name: string, withServer = true) =>
  JSON.stringify({ name, version: '1.0.0', title: name, brickyard: '^1', client: 'client/index.ts', ...(withServer ? { server: 'server/index.ts' } : {}) });

type Listed = { name: string; client: string | null; status: string; error: string | null };
const listed = async (name: string): Promise<Listed | undefined> => ((await (await fetch(`${server.url}/api/plugins`)).json()) as Listed[]).find((p) => p.name === name);

async function reload() {
  const reply = await server.admin('POST', '/api/admin/reload');
  expect(reply.status).toBe(200);
  return reply.body;
}

test('a client is compiled once per host, served content-hashed and gzipped, and listed', async () => {
  writePlugin(pluginsDir, 'shown', { 'plugin.json': manifest('shown'), ...clientFiles('one') });
  expect((await reload()).ok).toBe(true);
  const plugin = (await listed('shown'))!;
  expect(plugin).toMatchObject({ status: 'active', error: null });
  expect(plugin.client).toMatch(/^\/assets\/plugins\/shown\/[A-Za-z0-9_-]{16}\.js$/);

  const plain = await fetch(server.url + plugin.client, { headers: { 'accept-encoding': 'identity' } });
  expect(plain.status).toBe(200);
  expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  const code = await plain.text();
  expect(code).toMatch(/from\s*"vue"/);
  expect(code).toContain('one ');
  const zipped = await fetch(server.url + plugin.client, { headers: { 'accept-encoding': 'gzip' } });
  expect(zipped.headers.get('content-encoding')).toBe('gzip');
  expect(await zipped.text()).toBe(code); // fetch unzipped it
  expect((await fetch(`${server.url}/assets/plugins/shown/AAAAAAAAAAAAAAAA.js`)).status).toBe(404);

  // Both workers serve it, but the first to converge compiled it: one record of what these sources gave.
  const cache = path.join(server.home, 'client-build', 'shown');
  expect(fs.readdirSync(path.join(cache, 'sources'))).toHaveLength(1);
  expect(fs.readdirSync(cache).filter((f) => f.endsWith('.js'))).toEqual([path.basename(plugin.client!)]);
});

test('a client-only plugin is listed and has no server routes', async () => {
  writePlugin(pluginsDir, 'client-only', { 'plugin.json': manifest('client-only', false), ...clientFiles('only') });
  expect((await reload()).ok).toBe(true);
  expect((await listed('client-only'))?.client).toMatch(/^\/assets\/plugins\/client-only\//);
  expect((await fetch(`${server.url}/api/plugins/client-only/`)).status).toBe(404);
});

test('disabling and enabling a plugin is announced to pages, and its client leaves and comes back', async () => {
  const probe = await WsProbe.open(server.wsUrl);
  await probe.next((f) => f.handler === 'welcome');
  const url = (await listed('client-only'))!.client;
  expect((await server.admin('POST', '/api/admin/plugins/client-only/disable')).status).toBe(200);
  await probe.next((f) => f.handler === 'plugins.changed');
  expect(await listed('client-only')).toBeUndefined();
  expect((await server.admin('POST', '/api/admin/plugins/client-only/enable')).status).toBe(200);
  await probe.next((f) => f.handler === 'plugins.changed');
  expect((await listed('client-only'))?.client).toBe(url);
  probe.close();
});

test('pages are told when a client changes, not when only the server does', async () => {
  const probe = await WsProbe.open(server.wsUrl);
  await probe.next((f) => f.handler === 'welcome');
  const before = (await listed('shown'))!.client!;

  writeFiles(path.join(pluginsDir, 'shown'), { 'client/Panel.vue': panel('two') });
  const reply = await reload();
  const frame = await probe.next((f) => f.handler === 'plugins.changed');
  expect(frame.data).toEqual({ generation: reply.generation });
  const after = (await listed('shown'))!.client!;
  expect(after).not.toBe(before);
  expect((await fetch(server.url + before)).status).toBe(200); // a page that read the old list still gets the old bundle

  const entry = path.join(pluginsDir, 'shown', 'server', 'index.ts');
  fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace('"hello"', '"server only"'));
  await reload();
  expect(await (await fetch(`${server.url}/api/plugins/shown/`)).json()).toEqual({ answer: 'server only' });
  await expect(probe.next((f) => f.handler === 'plugins.changed', 1000)).rejects.toThrow(/no matching frame/);
  expect((await listed('shown'))!.client).toBe(after);
  probe.close();
});

test('a broken client is refused with file:line like a server error, and the previous version keeps serving', async () => {
  const serving = (await listed('shown'))!.client!;
  const probe = await WsProbe.open(server.wsUrl);
  await probe.next((f) => f.handler === 'welcome');
  writeFiles(path.join(pluginsDir, 'shown'), { 'client/Panel.vue': panel('three').replace('</template>', '<b>{{ props. }}</b></template>') });
  const reply = await reload();
  await probe.next((f) => f.handler === 'plugins.changed'); // pages' plugin lists show the refusal
  probe.close();
  expect(reply.ok).toBe(false);
  const error = reply.errors.find((e: { plugin: string }) => e.plugin === 'shown')?.error;
  expect(error).toMatch(/^cannot compile client\/Panel\.vue:4:\d+: Error parsing JavaScript expression: Unexpected token/);
  const row = (await server.admin('GET', '/api/admin/plugins')).body.find((r: { name: string }) => r.name === 'shown');
  expect(row).toMatchObject({ status: 'failed', last_error: error });
  expect(await listed('shown')).toMatchObject({ client: serving, status: 'failed', error });
  expect((await fetch(server.url + serving)).status).toBe(200);
  expect(await (await fetch(`${server.url}/api/plugins/shown/`)).json()).toEqual({ answer: 'server only' });

  writeFiles(path.join(pluginsDir, 'shown'), { 'client/Panel.vue': panel('four') });
  expect((await reload()).ok).toBe(true);
  expect(await listed('shown')).toMatchObject({ status: 'active', error: null });
  expect((await listed('shown'))!.client).not.toBe(serving);
});

test("a client importing a package of the platform's own node_modules is refused", async () => {
  writePlugin(pluginsDir, 'borrower', {
    'plugin.json': manifest('borrower', false),
    ...clientFiles('x'),
    'client/index.ts': `import { defineClientPlugin } from '@brickyard/client';\nimport { valid } from 'semver';\nexport default defineClientPlugin({ menu: [{ title: String(valid('1.0.0')), to: '' }] });\n`,
  });
  const reply = await reload();
  expect(reply.errors).toContainEqual({
    plugin: 'borrower',
    error: `cannot compile client/index.ts:2:23: "semver" is not in the plugin's own node_modules (it resolved to the platform's): add it to the plugin's package.json and install it there`,
  });
  expect(await listed('borrower')).toBeUndefined();
});
