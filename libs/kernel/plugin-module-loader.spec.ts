import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFiles } from '@brickyard/testing';
import { expect, test } from 'vitest';

const repo = path.resolve(__dirname, '..', '..');

// Runs in a plain Node process (the loader works on Node's own CommonJS caches, which vitest replaces).
const script = `
import Module from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePlugin, loadPluginModule, pluginChecksum, unloadPluginModule } from '@brickyard/kernel';

const [dir, cache] = process.argv.slice(2);
const pathCache = (Module as unknown as { _pathCache: Record<string, string> })._pathCache;
const report = async () => {
  const build = await compilePlugin(dir!, 'demo', pluginChecksum(dir!), cache!);
  const inBuild = (f: string) => typeof f === 'string' && f.startsWith(build + path.sep);
  const loaded = loadPluginModule(build, dir!, 'server/index.js');
  const answer = (loaded.exports as { answer: () => string }).answer();
  const whileLoaded = {
    modules: Object.keys(require.cache).filter(inBuild).length,
    paths: Object.values(pathCache).filter(inBuild).length,
  };
  unloadPluginModule(loaded);
  const afterUnload = {
    modules: Object.keys(require.cache).filter(inBuild).length,
    paths: Object.values(pathCache).filter(inBuild).length,
  };
  console.log(JSON.stringify({ answer, whileLoaded, afterUnload }));
};
void report();
`;

test('unloading a build removes its modules and cached resolutions from Node, without scanning the caches', () => {
  const dir = writeFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'loader-')), {
    'server/index.ts': `import { part } from './part'; import { deep } from './nested/deep'; export const answer = () => part + deep;`,
    'server/part.ts': `export const part = 'a';`,
    'server/nested/deep.ts': `import { part } from '../part'; export const deep = part + 'b';`,
  });
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'loader-cache-'));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loader-script-')), 'probe.ts');
  fs.writeFileSync(file, script);
  const run = spawnSync(process.execPath, [path.join(repo, 'bin', 'run-ts.js'), file, dir, cache], { encoding: 'utf8', cwd: repo });
  expect(run.stderr).toBe('');
  const result = JSON.parse(run.stdout);
  expect(result.answer).toBe('aab');
  expect(result.whileLoaded.modules).toBe(3);
  expect(result.whileLoaded.paths).toBeGreaterThanOrEqual(3);
  expect(result.afterUnload).toEqual({ modules: 0, paths: 0 });
});
