import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';

// nest-cli.json lists the apps and the libraries, and is what `@brickyard/<lib>`
// resolves through: bin/ts-hook.js (every process) and vitest.config.mts (the
// tests) map it to the library project's `sourceRoot`/`entryFile`.ts. These checks
// keep it true: every folder of apps/ and libs/ is a project, every project's
// files exist, and TypeScript's `paths` (tsconfig.json) resolve the same files.
const root = path.resolve(import.meta.dirname, '..');

interface NestProject {
  type: 'application' | 'library';
  root: string;
  sourceRoot?: string;
  entryFile?: string;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
const nestCli = readJson('nest-cli.json') as { root?: string; sourceRoot?: string; projects: Record<string, NestProject> };
const projects = Object.entries(nestCli.projects);
const libraries = projects.filter(([, project]) => project.type === 'library');
const entryOf = (project: NestProject) => path.join(root, project.sourceRoot ?? project.root, `${project.entryFile ?? 'index'}.ts`);
const folders = (dir: string) =>
  fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => `${dir}/${entry.name}`);

describe('nest-cli.json', () => {
  test.each([...folders('apps'), ...folders('libs')])('%s is one of its projects', (folder) => {
    const name = path.basename(folder);
    const type = folder.startsWith('apps/') ? 'application' : 'library';
    const entryFile = type === 'application' ? 'main' : 'index';
    const add = `add "${name}": { "type": "${type}", "root": "${folder}", "entryFile": "${entryFile}", "sourceRoot": "${folder}" } to the projects of nest-cli.json`;
    expect(nestCli.projects[name], add).toBeDefined();
    expect(nestCli.projects[name], `nest-cli.json's project "${name}" must be the ${type} in ${folder}`).toMatchObject({ type, root: folder });
  });

  test.each(projects)('project %s: its root, source root and entry file exist', (name, project) => {
    expect(['application', 'library']).toContain(project.type);
    expect(name, 'a project name is also its `@brickyard/<name>` import').toMatch(/^[a-z][a-z0-9-]*$/);
    expect(fs.statSync(path.join(root, project.root)).isDirectory(), `${project.root} is not a folder`).toBe(true);
    const sourceRoot = project.sourceRoot ?? project.root;
    expect(fs.statSync(path.join(root, sourceRoot)).isDirectory(), `${sourceRoot} is not a folder`).toBe(true);
    expect(path.relative(project.root, sourceRoot).startsWith('..'), `${sourceRoot} is outside ${project.root}`).toBe(false);
    expect(fs.existsSync(entryOf(project)), `${path.relative(root, entryOf(project))} does not exist`).toBe(true);
  });

  test('its default project is one of its applications', () => {
    const defaults = projects.filter(([, p]) => p.type === 'application' && p.root === nestCli.root && (p.sourceRoot ?? p.root) === nestCli.sourceRoot);
    expect(defaults.map(([name]) => name)).toHaveLength(1);
  });
});

describe('@brickyard/<lib> resolves to the entry of the library project <lib> of nest-cli.json', () => {
  const expected = Object.fromEntries(libraries.map(([name, project]) => [`@brickyard/${name}`, entryOf(project)]));

  test('in every process, through bin/ts-hook.js', () => {
    const script = `
      require('./bin/ts-hook');
      const resolved = {};
      for (const request of JSON.parse(process.env.REQUESTS)) resolved[request] = require.resolve(request);
      let missing = '';
      try { require.resolve('@brickyard/not-a-project'); } catch (error) { missing = error.message; }
      console.log(JSON.stringify({ resolved, missing }));`;
    const run = spawnSync(process.execPath, ['-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, REQUESTS: JSON.stringify(Object.keys(expected)) },
    });
    expect(run.stderr).toBe('');
    const { resolved, missing } = JSON.parse(run.stdout);
    expect(resolved).toEqual(expected);
    expect(missing).toContain('must be a library project of nest-cli.json');
  });

  test('in the tests, through the aliases of vitest.config.mts', async () => {
    const configFile = path.join(root, 'vitest.config.mts');
    const { default: config } = await import(configFile);
    const aliases = config.resolve.alias as { find: string | RegExp; replacement: string }[];
    // Besides the Nest libraries, the tests resolve the browser's shared module (client components' tests).
    const browser = { '@brickyard/client': path.join(root, 'client', 'lib', 'index.ts') };
    expect(Object.fromEntries(aliases.map((alias) => [String(alias.find), alias.replacement]))).toEqual({ ...expected, ...browser });
  });

  test("for TypeScript, through tsconfig.json's paths", () => {
    const { compilerOptions } = readJson('tsconfig.json') as { compilerOptions: { baseUrl?: string; paths?: Record<string, string[]> } };
    const paths = compilerOptions.paths ?? {};
    const base = path.resolve(root, compilerOptions.baseUrl ?? '.');
    const resolved = Object.fromEntries(Object.keys(expected).map((request) => [request, resolveTsPath(request, paths, base)]));
    expect(resolved, "tsconfig.json's paths must send each @brickyard/<lib> to the entry nest-cli.json names").toEqual(expected);
    const exactNames = Object.keys(paths).filter((key) => key.startsWith('@brickyard/') && !key.includes('*'));
    for (const key of exactNames) expect(expected, `tsconfig.json maps ${key}, which is no library project of nest-cli.json`).toHaveProperty([key]);
  });
});

/** TypeScript's `paths` lookup: the exact key, else the pattern with the longest prefix; its first target that exists. */
function resolveTsPath(request: string, paths: Record<string, string[]>, base: string): string | undefined {
  const matches = Object.keys(paths)
    .map((key) => {
      const star = key.indexOf('*');
      if (star < 0) return key === request ? { key, prefix: key, captured: '' } : undefined;
      const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
      const fits = request.length >= prefix.length + suffix.length && request.startsWith(prefix) && request.endsWith(suffix);
      return fits ? { key, prefix, captured: request.slice(prefix.length, request.length - suffix.length) } : undefined;
    })
    .filter((match) => match !== undefined)
    .sort((a, b) => Number(b.key === request) - Number(a.key === request) || b.prefix.length - a.prefix.length);
  const best = matches[0];
  if (!best) return undefined;
  for (const target of paths[best.key]) {
    const file = path.resolve(base, target.replace('*', best.captured));
    for (const candidate of [file, `${file}.ts`, path.join(file, 'index.ts')]) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
  }
  return undefined;
}
