import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFiles } from '@brickyard/testing';
import { expect, test } from 'vitest';
import { compilePlugin, PluginCompileError } from './plugin-compiler';
import { pluginChecksum } from './plugin-files';

const plugin = (files: Record<string, string>) => writeFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'compile-')), files);

test('compiles TypeScript to CommonJS with decorator metadata, keyed by content', async () => {
  const dir = plugin({
    'server/index.ts': `import { x } from './x'; class A { constructor(readonly b: Date) {} } @((t: any) => t) class B { constructor(a: A) {} } export default { x, B };`,
    'server/x.ts': 'export const x: number = 1;',
    'server/data.json': '{"a":1}',
    'test/ignored.test.ts': 'garbage that would not compile {',
  });
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
  const checksum = pluginChecksum(dir);
  const build = await compilePlugin(dir, 'demo', checksum, cache);
  expect(build).toBe(path.join(cache, 'demo', checksum));
  const code = fs.readFileSync(path.join(build, 'server', 'index.js'), 'utf8');
  expect(code).toContain('require("./x")');
  expect(code).toContain('design:paramtypes');
  expect(fs.existsSync(path.join(build, 'server', 'data.json'))).toBe(true);
  expect(fs.existsSync(path.join(build, 'test'))).toBe(false);

  fs.writeFileSync(path.join(dir, 'test', 'ignored.test.ts'), 'changed');
  expect(pluginChecksum(dir)).toBe(checksum); // tests do not change the server build
  fs.writeFileSync(path.join(dir, 'server', 'x.ts'), 'export const x: number = 2;');
  expect(pluginChecksum(dir)).not.toBe(checksum);
});

test('a syntax error names the file, line and problem', async () => {
  const dir = plugin({ 'server/index.ts': 'const a = 1;\nconst b = ;\n' });
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));
  const error = await compilePlugin(dir, 'demo', pluginChecksum(dir), cache).catch((e) => e);
  expect(error).toBeInstanceOf(PluginCompileError);
  expect(error.message).toBe('cannot compile server/index.ts:2:1: Expression expected');
  expect(fs.readdirSync(path.join(cache, 'demo'))).toEqual([]); // no half build left behind
});

test('the build cache is private (0700), and a cached build owned by another user is refused', async () => {
  const dir = plugin({ 'server/index.ts': 'export default 1;' });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'home-'));
  fs.chmodSync(home, 0o755);
  const cache = path.join(home, 'build');
  const checksum = pluginChecksum(dir);
  await compilePlugin(dir, 'owned', checksum, cache);
  expect(fs.statSync(cache).mode & 0o777).toBe(0o700);
  expect(fs.statSync(path.join(cache, 'owned')).mode & 0o777).toBe(0o700);
  if (process.getuid?.() !== 0) return; // only root can give the build to someone else
  fs.chownSync(path.join(cache, 'owned', checksum), 65534, 65534);
  await expect(compilePlugin(dir, 'owned', checksum, cache)).rejects.toThrow(/belongs to uid 65534, not to this process \(uid 0\): remove it/);
  fs.chownSync(path.join(cache, 'owned'), 65534, 65534);
  await expect(compilePlugin(dir, 'owned', checksum, cache)).rejects.toThrow(/owned belongs to uid 65534/);
});
