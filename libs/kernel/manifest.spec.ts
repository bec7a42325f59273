import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFiles } from '@brickyard/testing';
import { describe, expect, test } from 'vitest';
import { discoverPlugins } from './discovery';
import { PLATFORM_API_VERSION, readManifest } from './manifest';

const folder = (files: Record<string, string>) => writeFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-')), files);

const valid = { name: 'demo', version: '1.2.3', title: 'Demo', brickyard: '^1', server: 'server/index.ts' };

describe('readManifest', () => {
  test('accepts a valid manifest', () => {
    const dir = folder({ 'plugin.json': JSON.stringify(valid), 'server/index.ts': '' });
    expect(readManifest(dir)).toEqual(valid);
  });

  test('accepts a client-only plugin, and one with both a server and a client', () => {
    const { server: _server, ...clientOnly } = { ...valid, client: 'client/index.ts' };
    expect(readManifest(folder({ 'plugin.json': JSON.stringify(clientOnly), 'client/index.ts': '' }))).toEqual(clientOnly);
    const both = { ...valid, client: 'client/index.ts' };
    expect(readManifest(folder({ 'plugin.json': JSON.stringify(both), 'server/index.ts': '', 'client/index.ts': '' }))).toEqual(both);
  });

  test.each(['^1', '1.x', '>=1 <2', '*', '1.0.0', '^1.0.0', '~1.0'])(
    'accepts "brickyard": %j, an npm semver range that includes this Brickyard',
    (brickyard) => {
      expect(PLATFORM_API_VERSION).toBe('1.0.0');
      const dir = folder({ 'plugin.json': JSON.stringify({ ...valid, brickyard }), 'server/index.ts': '' });
      expect(readManifest(dir).brickyard).toBe(brickyard);
    },
  );

  const notARange = '"brickyard" must be an npm semver range such as "^1", "1.x" or ">=1 <2"';
  test.each([
    ['^2', 'plugin.json asks for platform API ^2, but this Brickyard provides 1.0.0'],
    ['<1', 'plugin.json asks for platform API <1, but this Brickyard provides 1.0.0'],
    ['2.x', 'plugin.json asks for platform API 2.x, but this Brickyard provides 1.0.0'],
    ['banana', `plugin.json is invalid: ${notARange}`],
    ['', `plugin.json is invalid: ${notARange}`],
    ['  ', `plugin.json is invalid: ${notARange}`],
  ])('refuses "brickyard": %j with a precise message', (brickyard, message) => {
    const dir = folder({ 'plugin.json': JSON.stringify({ ...valid, brickyard }), 'server/index.ts': '' });
    expect(() => readManifest(dir)).toThrow(message);
  });

  test.each([
    [{}, 'plugin.json is missing in'],
    [{ 'plugin.json': '{ "name": ' }, 'plugin.json is not valid JSON: '],
    [{ 'plugin.json': JSON.stringify({ ...valid, name: 'Demo!' }) }, '"name" must match [a-z][a-z0-9-]{1,40}'],
    [{ 'plugin.json': JSON.stringify({ ...valid, brickyard: '^2' }), 'server/index.ts': '' }, 'asks for platform API ^2, but this Brickyard provides 1.0.0'],
    [{ 'plugin.json': JSON.stringify({ ...valid, brickyard: undefined }) }, '"brickyard" is required'],
    [{ 'plugin.json': JSON.stringify(valid) }, '"server" points to server/index.ts, which does not exist'],
    [{ 'plugin.json': JSON.stringify({ ...valid, server: '../outside.ts' }) }, '"server" server must be a path inside the plugin folder'],
    [{ 'plugin.json': JSON.stringify({ ...valid, client: 'client/index.ts' }), 'server/index.ts': '' }, '"client" points to client/index.ts, which does not exist'],
    [{ 'plugin.json': JSON.stringify({ ...valid, client: '/etc/passwd' }), 'server/index.ts': '' }, '"client" client must be a path inside the plugin folder'],
    [{ 'plugin.json': JSON.stringify({ ...valid, server: undefined }) }, 'plugin.json names neither "server" nor "client"'],
  ])('refuses %j with a precise message', (files, message) => {
    expect(() => readManifest(folder(files as Record<string, string>))).toThrow(message);
  });
});

describe('discoverPlugins', () => {
  test('lists plugin folders, skips others, and reports mismatched names', () => {
    const root = folder({
      'demo/plugin.json': JSON.stringify(valid),
      'demo/server/index.ts': '',
      'wrong/plugin.json': JSON.stringify({ ...valid, name: 'right' }),
      'wrong/server/index.ts': '',
      'not-a-plugin/readme.md': '',
      '.hidden/plugin.json': '{}',
    });
    const found = discoverPlugins([root, path.join(root, 'missing')], null); // without the built-in plugins
    expect(found.map((p) => [p.name, p.error ?? null])).toEqual([
      ['demo', null],
      ['wrong', 'plugin.json names the plugin "right" but its folder is "wrong": rename one so they match'],
    ]);
  });
});
