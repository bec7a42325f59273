import { createTestDatabase, type TestDatabase } from '@brickyard/testing';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';

// The `brickyard` command with no server running.
const root = path.resolve(import.meta.dirname, '..', '..');
let database: TestDatabase;
let home: string;
// Inside the repository so that Vitest's include patterns reach the scaffold's test.
const pluginsDir = fs.mkdtempSync(path.join(root, 'test', 'tmp-scaffold-'));

beforeAll(async () => {
  database = await createTestDatabase('cli');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-cli-home-'));
});
afterAll(async () => {
  await database?.drop();
  fs.rmSync(pluginsDir, { recursive: true, force: true });
});

async function brickyard(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(root, 'bin', 'brickyard.js'), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url, BRICKYARD_HOME: home, PLUGINS_DIR: pluginsDir, PORT: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('`plugin new` scaffolds a plugin whose own test passes', { timeout: 180_000 }, async () => {
  const created = await brickyard('plugin', 'new', 'lab-notes');
  expect(created.code).toBe(0);
  const dir = path.join(pluginsDir, 'lab-notes');
  expect(created.stdout).toContain(`created ${dir}`);
  const files = fs.readdirSync(dir, { recursive: true }).map(String).sort();
  expect(files).toEqual(
    expect.arrayContaining([
      'plugin.json',
      'server/index.ts',
      'server/lab-notes.controller.ts',
      'server/lab-notes.service.ts',
      'server/lab-notes-item.entity.ts',
      'test/lab-notes.test.ts',
      'client/index.ts',
      'client/LabNotesPage.vue',
      'client/LabNotesPanel.vue',
      'test/lab-notes.client.test.ts',
    ]),
  );
  expect(files.some((f) => /^migrations\/\d+-create-items\.ts$/.test(f))).toBe(true);

  const again = await brickyard('plugin', 'new', 'lab-notes');
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('already exists');

  const run = await promisify(execFile)(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', path.relative(root, dir)], {
    cwd: root,
    env: process.env,
  }).catch((error) => error as { stdout: string; stderr: string; code: number });
  expect(run.stdout).toMatch(/Tests\s+.*6 passed/); // four against a real server, two of its client's components
});

test('`plugin new` refuses a bad name', async () => {
  const result = await brickyard('plugin', 'new', 'Bad_Name');
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('"Bad_Name" is not a valid plugin name: use [a-z][a-z0-9-]{1,40}');
});

test('`migrate` runs core and plugin migrations, then reports them up to date', async () => {
  fs.cpSync(path.join(root, 'plugins', 'hello'), path.join(pluginsDir, 'hello'), { recursive: true });
  const first = await brickyard('migrate');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/core: ran KernelTables1763780000000/);
  expect(first.stdout).toMatch(/hello: ran CreateGreetings1763780100000/);
  const second = await brickyard('migrate');
  expect(second.stdout).toMatch(/core: up to date/);
  expect(second.stdout).toMatch(/hello: up to date/);
});

test('enable and disable work without a server, and say so', async () => {
  const unknown = await brickyard('plugin', 'disable', 'hello');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('no plugin named hello is known');

  const { createHostDataSource } = await import('@brickyard/db');
  const db = await createHostDataSource(database.url, 1);
  await db.query("INSERT INTO plugins (name, enabled, status) VALUES ('hello', 1, 'active')");
  const disabled = await brickyard('plugin', 'disable', 'hello');
  expect(disabled.code).toBe(0);
  expect(disabled.stdout).toContain('hello disabled. No server is running: the change applies when it starts');
  expect((await db.query("SELECT enabled FROM plugins WHERE name = 'hello'"))[0].enabled).toBe(0);
  const enabled = await brickyard('plugin', 'enable', 'hello');
  expect(enabled.stdout).toContain('hello enabled.');
  expect((await db.query("SELECT enabled FROM plugins WHERE name = 'hello'"))[0].enabled).toBe(1);
  await db.destroy();

  const list = await brickyard('plugin', 'list');
  expect(list.stdout).toMatch(/hello.*yes.*active/);
  const reload = await brickyard('plugin', 'reload');
  expect(reload.stdout).toContain('No server is running: nothing to reload.');
});

test('plugins add commands: `parts generate`, `parts import` and `parts rank` run with the parts plugin loaded', { timeout: 120_000 }, async () => {
  const dump = path.join(home, 'tiny.sql.gz');
  const generated = await brickyard('parts', 'generate', '--parts', '30', '--out', dump);
  expect(generated.stderr).toBe('');
  expect(generated.stdout).toMatch(/^wrote 30 parts and \d+ features to /);
  const imported = await brickyard('parts', 'import', dump);
  expect(imported.code, imported.stderr).toBe(0);
  expect(imported.stdout).toMatch(/imported 30 parts and \d+ features in [\d.]+ s: \d+ live parts/);
  const ranked = await brickyard('parts', 'rank');
  expect(ranked.stdout).toMatch(/^ranked \d+ parts with bayesian: /);
  const help = await brickyard('parts', '--help');
  expect(help.stdout).toMatch(/import \[options\] <source>[\s\S]*rank[\s\S]*generate[\s\S]*build-demo/);
  const unknownOption = await brickyard('parts', 'generate', '--out', 'x.txt', '--parts', '3');
  expect(unknownOption.code).toBe(1);
  expect(unknownOption.stderr).toContain('--out must end in .sql, .sql.gz, .xml or .xml.gz');
});

test('`plugin grant` and `plugin revoke` record capabilities; `plugin list` shows requested and granted', async () => {
  const bogus = await brickyard('plugin', 'grant', 'hello', 'everything');
  expect(bogus.code).toBe(1);
  expect(bogus.stderr).toMatch(/"everything" is not a capability: use one of database/);
  const granted = await brickyard('plugin', 'grant', 'hello', 'tables:shared_');
  expect(granted.stdout).toContain('granted tables:shared_ to hello. No server is running');
  const list = await brickyard('plugin', 'list');
  expect(list.stdout).toMatch(/parts \(built-in\).*database, snapshot:write, tasks:core/);
  const revoked = await brickyard('plugin', 'revoke', 'hello', 'tables:shared_');
  expect(revoked.code).toBe(0);
  expect((await brickyard('plugin', 'revoke', 'hello', 'tables:shared_')).stderr).toContain('hello was not granted tables:shared_');
});

test('`user create` reads the password from standard input, never from an argument', async () => {
  const { spawnSync } = await import('node:child_process');
  const run = (args: string[], input: string) =>
    spawnSync(process.execPath, [path.join(root, 'bin', 'brickyard.js'), ...args], {
      cwd: root,
      input,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: database.url, BRICKYARD_HOME: home, PLUGINS_DIR: pluginsDir, PORT: '1' },
    });
  const created = run(['user', 'create', 'lovelace', '--email', 'ada@example.org', '--admin'], 'analytical engine\n');
  expect(created.stderr).toBe('');
  expect(created.stdout).toMatch(/^created admin lovelace \(id \d+\)/);
  expect(created.stdout + created.stderr).not.toContain('analytical engine');
  const short = run(['user', 'create', 'babbage', '--email', 'cb@example.org'], 'short\n');
  expect(short.status).toBe(1);
  expect(short.stderr).toContain('at least 8 characters');
  const again = run(['user', 'create', 'lovelace', '--email', 'other@example.org'], 'analytical engine\n');
  expect(again.stderr).toContain('exists');
  const { createHostDataSource } = await import('@brickyard/db');
  const db = await createHostDataSource(database.url, 1);
  const [row] = await db.query("SELECT role, password_hash FROM accounts_users WHERE username = 'lovelace'");
  await db.destroy();
  expect(row.role).toBe('admin');
  expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
});
