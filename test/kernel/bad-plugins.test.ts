import { startTestServer, writePlugin, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Every way a plugin can be broken is refused with a precise message, in the
// reload reply and in plugins.last_error, while the rest keeps serving.
let server: TestServer;
let secondDir: string;

beforeAll(async () => {
  const firstDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-bad-a-'));
  secondDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-bad-b-'));
  writePlugin(firstDir, 'good', {}, 'still here');
  server = await startTestServer({ pluginsDir: `${firstDir}:${secondDir}`, env: { PLUGINS_WATCH: 'false' } });
});
afterAll(() => server?.stop());

const firstDir = () => server.pluginsDir.split(':')[0]!;

async function reloadExpectingRefusal(plugin: string) {
  const reply = await server.admin('POST', '/api/admin/reload');
  expect(reply.status).toBe(200);
  expect(reply.body.ok).toBe(false);
  expect(reply.body.notConverged).toEqual([]);
  const error = reply.body.errors.find((e: { plugin: string }) => e.plugin === plugin)?.error;
  const rows = (await server.admin('GET', '/api/admin/plugins')).body;
  const row = rows.find((r: { name: string }) => r.name === plugin);
  expect(row.status).toBe('failed');
  expect(row.last_error).toBe(error);
  // The rest of the platform keeps serving.
  const good = await fetch(`${server.url}/api/plugins/good/`);
  expect(await good.json()).toEqual({ answer: 'still here' });
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  if (process.env.SHOW_ERRORS) console.log(plugin, "=>", error);
  return error as string;
}

const plugin = (body: string) => ({ 'server/index.ts': body });

describe('refused plugins', () => {
  test('syntax error: names the file and line', async () => {
    writePlugin(firstDir(), 'bad-syntax', plugin(`import { definePlugin } from '@brickyard/sdk';\nexport default definePlugin({ module: ;\n`));
    const error = await reloadExpectingRefusal('bad-syntax');
    expect(error).toBe("cannot compile server/index.ts:2:1: Expression expected");
  });

  test('exception at module init: the message and where it was thrown', async () => {
    writePlugin(
      firstDir(),
      'bad-init',
      plugin(`
        import { definePlugin } from '@brickyard/sdk';
        import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
        @Injectable() class Starter implements OnModuleInit { onModuleInit() { throw new Error('the reactor is offline'); } }
        @Module({ providers: [Starter] }) class BadInitModule {}
        export default definePlugin({ module: BadInitModule });
      `),
    );
    const error = await reloadExpectingRefusal('bad-init');
    expect(error).toMatch(/^exception while starting the plugin: the reactor is offline \(at server\/index\.ts:\d+:\d+\)$/);
  });

  test('failing migration: names the migration and the database error', async () => {
    writePlugin(firstDir(), 'bad-migration', {
      'server/index.ts': `
        import { definePlugin } from '@brickyard/sdk';
        import { Module } from '@nestjs/common';
        import { Broken1700000000000 } from '../migrations/1700000000000-broken';
        @Module({}) class BadMigrationModule {}
        export default definePlugin({ module: BadMigrationModule, migrations: [Broken1700000000000] });
      `,
      'migrations/1700000000000-broken.ts': `
        export class Broken1700000000000 {
          name = 'Broken1700000000000';
          async up(db: any) { await db.query('ALTER TABLE bad_migration_nothing ADD COLUMN x INT'); }
          async down() {}
        }
      `,
    });
    const error = await reloadExpectingRefusal('bad-migration');
    expect(error).toMatch(/^migration Broken1700000000000 failed: .*bad_migration_nothing.* doesn't exist/);
  });

  test('invalid manifest: every wrong field', async () => {
    writePlugin(firstDir(), 'bad-manifest', {
      'plugin.json': JSON.stringify({ name: 'bad-manifest', version: 'one', brickyard: '^1', server: 'server/index.ts', colour: 'red' }),
    });
    const error = await reloadExpectingRefusal('bad-manifest');
    expect(error).toBe(
      'plugin.json is invalid: "version" must be a semantic version like 1.0.0; "title" is required; unknown field(s) "colour"',
    );
  });

  test('folder and name that differ', async () => {
    writePlugin(firstDir(), 'misnamed', {
      'plugin.json': JSON.stringify({ name: 'another-name', version: '1.0.0', title: 'x', brickyard: '^1', server: 'server/index.ts' }),
    });
    const error = await reloadExpectingRefusal('misnamed');
    expect(error).toBe('plugin.json names the plugin "another-name" but its folder is "misnamed": rename one so they match');
  });

  test('duplicate name in two PLUGINS_DIR folders', async () => {
    writePlugin(firstDir(), 'twin');
    writePlugin(secondDir, 'twin');
    const error = await reloadExpectingRefusal('twin');
    expect(error).toBe(
      `duplicate plugin name "twin": found in ${path.join(firstDir(), 'twin')} and ${path.join(secondDir, 'twin')}; remove or rename all but one`,
    );
  });

  test('a package that cannot be resolved', async () => {
    writePlugin(
      firstDir(),
      'bad-import',
      plugin(`
        import { definePlugin } from '@brickyard/sdk';
        import { Module } from '@nestjs/common';
        import { pad } from 'no-such-package-anywhere';
        @Module({}) class BadImportModule {}
        export default definePlugin({ module: BadImportModule, entities: [], migrations: [] , tasks: { pad } as any });
      `),
    );
    const error = await reloadExpectingRefusal('bad-import');
    expect(error).toMatch(/^Cannot find module 'no-such-package-anywhere' \(at server\/index\.ts:3:\d+\)$/);
  });

  test('a Nest dependency that cannot be resolved', async () => {
    writePlugin(
      firstDir(),
      'bad-di',
      plugin(`
        import { definePlugin } from '@brickyard/sdk';
        import { Inject, Injectable, Module } from '@nestjs/common';
        @Injectable() class NeedsGhost { constructor(@Inject('Ghost') readonly ghost: unknown) {} }
        @Module({ providers: [NeedsGhost] }) class BadDiModule {}
        export default definePlugin({ module: BadDiModule });
      `),
    );
    const error = await reloadExpectingRefusal('bad-di');
    expect(error).toMatch(/^exception while starting the plugin: .*can't resolve dependencies of the NeedsGhost \(\?\)/);
  });

  test('a server entry that does not export definePlugin()', async () => {
    writePlugin(firstDir(), 'bad-export', plugin(`export default { module: class {} };`));
    const error = await reloadExpectingRefusal('bad-export');
    expect(error).toMatch(/server\/index\.ts must `export default definePlugin/);
  });
});

test('a working plugin broken by an edit keeps serving its previous version, marked failed', async () => {
  const entry = path.join(firstDir(), 'good', 'server', 'index.ts');
  const working = fs.readFileSync(entry, 'utf8');
  fs.writeFileSync(entry, working.replace('class AnswerController', 'class AnswerController {{'));
  const error = await reloadExpectingRefusal('good'); // also checks the old version still answers
  expect(error).toMatch(/^cannot compile server\/index\.ts/);
  fs.writeFileSync(entry, working);
  const reply = await server.admin('POST', '/api/admin/reload');
  expect(reply.body.errors.map((e: { plugin: string }) => e.plugin)).not.toContain('good');
  const rows = (await server.admin('GET', '/api/admin/plugins')).body;
  expect(rows.find((r: { name: string }) => r.name === 'good')).toMatchObject({ status: 'active', last_error: null });
});
