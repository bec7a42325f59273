import { startTestServer, writePlugin, WsProbe, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The one door (every feature a plugin, each plugin its own scope): who may
// submit a task, what a plugin without a capability is refused, what a grant
// allows, and the built-in parts plugin disabled and enabled again.
let server: TestServer;
let pluginsDir: string;
let probe: http.Server;
let probeHits = 0;

const sql = async (query: string, values: unknown[] = []) => {
  const connection = await createConnection(server.database.url);
  try {
    return (await connection.query(query, values))[0] as any[];
  } finally {
    await connection.end();
  }
};

const post = async (route: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(server.url + route, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
};

const rowOf = async (name: string) => (await server.admin('GET', '/api/admin/plugins')).body.find((r: { name: string }) => r.name === name);

async function reload() {
  const reply = await server.admin('POST', '/api/admin/reload');
  expect(reply.status).toBe(200);
  return reply.body;
}

/** A plugin whose manifest may request capabilities. */
function plugin(name: string, server: string, files: Record<string, string> = {}, capabilities?: string[]) {
  writePlugin(pluginsDir, name, {
    'plugin.json': JSON.stringify({ name, version: '1.0.0', title: name, brickyard: '^1', server: 'server/index.ts', ...(capabilities ? { capabilities } : {}) }),
    'server/index.ts': server,
    ...files,
  });
}

beforeAll(async () => {
  probe = http.createServer((_req, res) => {
    probeHits++;
    res.end('not a dump');
  });
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-door-'));
  writePlugin(pluginsDir, 'good', {}, 'still here');
  server = await startTestServer({ pluginsDir, env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '1', PARTS_DEMO_DATA: 'true' } });
});
afterAll(async () => {
  await server?.stop();
  probe?.close();
});

describe('who may run a task', () => {
  test('an anonymous caller cannot import or rank: 403, no task row, nothing fetched', async () => {
    const before = (await sql('SELECT COUNT(*) AS n FROM tasks'))[0].n;
    const source = `http://127.0.0.1:${(probe.address() as { port: number }).port}/dump.sql`;
    const imported = await post('/api/tasks', { kind: 'core.parts-import', params: { source } });
    expect(imported.status).toBe(403);
    expect(imported.body.code).toBe('forbidden');
    expect(imported.body.message).toMatch(/core\.parts-import may be submitted by admins only/);
    const ranked = await post('/api/tasks', { kind: 'core.rank', params: {} });
    expect(ranked.status).toBe(403);
    // Refused even with params that would not validate: access is decided first.
    expect((await post('/api/tasks', { kind: 'core.parts-import', params: { nonsense: true } })).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await sql('SELECT COUNT(*) AS n FROM tasks'))[0].n).toBe(before);
    expect(probeHits).toBe(0);
  });

  test('the admin routes still import and rank, and the tasks belong to the admin', async () => {
    const imported = await server.admin('POST', '/api/admin/parts/import', { source: 'demo' });
    expect(imported.status).toBe(202);
    expect(imported.body.owner).toBe('admin');
    const ranked = await server.admin('POST', '/api/admin/parts/rank');
    expect(ranked.status).toBe(202);
    for (const id of [imported.body.id, ranked.body.id]) {
      let task: any;
      for (let i = 0; i < 200 && !['succeeded', 'failed'].includes(task?.state); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        task = (await server.admin('GET', `/api/tasks/${id}`)).body;
      }
      expect(task.state).toBe('succeeded');
    }
    // An anonymous caller cannot read them.
    expect((await fetch(`${server.url}/api/tasks/${ranked.body.id}`)).status).toBe(404);
  });

  test('anonymous limits count per client address, and an admin submission is the admin\'s', async () => {
    const anonymous = await post('/api/tasks', { kind: 'core.noop', params: {} });
    expect(anonymous.status).toBe(201);
    expect(anonymous.body.owner).toBe('anonymous:127.0.0.1');
    const admin = await post('/api/tasks', { kind: 'core.noop', params: {} }, { authorization: `Bearer ${server.adminToken}` });
    expect(admin.body.owner).toBe('admin');
  });
});

describe('a plugin gets only its own', () => {
  test('a migration touching a table outside its prefix is refused; requested and granted, it runs', async () => {
    const migration = {
      'migrations/1700000000000-notes.ts': `
        export class Notes1700000000000 {
          name = 'Notes1700000000000';
          async up(db: any) { await db.query('CREATE TABLE shared_notes (id INT PRIMARY KEY)'); }
          async down() {}
        }`,
    };
    const source = `
      import { definePlugin } from '@brickyard/sdk';
      import { Controller, Get, Module } from '@nestjs/common';
      import { Notes1700000000000 } from '../migrations/1700000000000-notes';
      @Controller() class C { @Get() get() { return { ok: true }; } }
      @Module({ controllers: [C] }) class M {}
      export default definePlugin({ module: M, migrations: [Notes1700000000000] });`;
    plugin('mig-intruder', source, migration);
    let report = await reload();
    let error = report.errors.find((e: { plugin: string }) => e.plugin === 'mig-intruder')?.error;
    expect(error).toMatch(/may only use tables named mig_intruder_…, but a statement touches shared_notes.*capability "tables:shared_"/);
    expect(await sql("SHOW TABLES LIKE 'shared_notes'")).toEqual([]);
    expect(await (await fetch(`${server.url}/api/plugins/good/`)).json()).toEqual({ answer: 'still here' });

    plugin('mig-intruder', source, migration, ['tables:shared_']);
    report = await reload();
    error = report.errors.find((e: { plugin: string }) => e.plugin === 'mig-intruder')?.error;
    expect(error).toMatch(/requests capability "tables:shared_", which is not granted.*npx brickyard plugin grant mig-intruder tables:shared_/);

    const granted = await server.admin('POST', '/api/admin/plugins/mig-intruder/grants', { capability: 'tables:shared_' });
    expect(granted.status).toBe(200);
    expect(granted.body.plugin.status).toBe('active');
    expect(await sql("SHOW TABLES LIKE 'shared_notes'")).toHaveLength(1);
    expect((await rowOf('mig-intruder')).capabilities).toEqual({ requested: ['tables:shared_'], granted: ['tables:shared_'], stored: ['tables:shared_'] });
  });

  test("injecting the host's DataSource is refused until capability database is granted", async () => {
    const source = `
      import { definePlugin } from '@brickyard/sdk';
      import { Controller, Get, Module } from '@nestjs/common';
      import { DataSource } from 'typeorm';
      @Controller() class C {
        constructor(private readonly db: DataSource) {}
        @Get() async get() { return { tasks: Number((await this.db.query('SELECT COUNT(*) AS n FROM tasks'))[0].n) >= 0 }; }
      }
      @Module({ controllers: [C] }) class M {}
      export default definePlugin({ module: M });`;
    plugin('ds-intruder', source);
    let report = await reload();
    expect(report.errors.find((e: { plugin: string }) => e.plugin === 'ds-intruder')?.error).toMatch(
      /injects the host's DataSource, which plugins do not get.*needs capability "database"; add it to "capabilities"/,
    );
    expect((await fetch(`${server.url}/api/plugins/ds-intruder/`)).status).toBe(404);

    plugin('ds-intruder', source, {}, ['database']);
    await reload();
    await server.admin('POST', '/api/admin/plugins/ds-intruder/grants', { capability: 'database' });
    const answer = await fetch(`${server.url}/api/plugins/ds-intruder/`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ tasks: true });
  });

  test('a revoked capability stops the version that held it at the next reload', async () => {
    expect((await fetch(`${server.url}/api/plugins/ds-intruder/`)).status).toBe(200);
    const revoked = await server.admin('DELETE', '/api/admin/plugins/ds-intruder/grants/database');
    expect(revoked.status).toBe(200);
    expect(revoked.body.plugin).toMatchObject({ status: 'failed', last_error: expect.stringMatching(/requests capability "database", which is not granted/) });
    expect((await fetch(`${server.url}/api/plugins/ds-intruder/`)).status).toBe(404);
  });

  test('names that would own the core\'s namespaces, and imports of the platform\'s own libraries, are refused', async () => {
    for (const name of ['core', 'task', 'plugin', 'database', 'tasks', 'redis']) plugin(name, `
      import { definePlugin } from '@brickyard/sdk';
      import { Module } from '@nestjs/common';
      @Module({}) class M {}
      export default definePlugin({ module: M, tasks: { rank: { access: 'anyone', run: () => 1 } } });`);
    plugin('config-reader', `
      import { definePlugin } from '@brickyard/sdk';
      import { Config } from '@brickyard/config';
      import { Module } from '@nestjs/common';
      @Module({}) class M {}
      export default definePlugin({ module: M, settings: {} , onMount: () => void new Config().get('DATABASE_URL') });`);
    const report = await reload();
    const error = (name: string) => report.errors.find((e: { plugin: string }) => e.plugin === name)?.error;
    expect(error('core')).toMatch(/"core" is reserved by the platform/);
    expect(error('task')).toMatch(/reserved/);
    expect(error('plugin')).toMatch(/reserved/);
    expect(error('database')).toMatch(/would own the core setting DATABASE_URL/);
    expect(error('tasks')).toMatch(/reserved/);
    expect(error('redis')).toMatch(/would own the core setting REDIS_URL/);
    expect(error('config-reader')).toMatch(/imports the platform only through @brickyard\/sdk, not @brickyard\/config/);
    // core.rank is still the parts plugin's, for admins only.
    expect((await post('/api/tasks', { kind: 'core.rank', params: {} })).status).toBe(403);
    for (const name of ['core', 'task', 'plugin', 'database', 'tasks', 'redis', 'config-reader']) fs.rmSync(path.join(pluginsDir, name), { recursive: true, force: true });
  });

  test("submitting another plugin's or a core task kind is refused; with tasks:core granted it works", async () => {
    const source = `
      import { definePlugin, InjectPluginContext, type PluginContext } from '@brickyard/sdk';
      import { Controller, Get, Module, Query } from '@nestjs/common';
      @Controller() class C {
        constructor(@InjectPluginContext() private readonly plugin: PluginContext) {}
        @Get() submit(@Query('kind') kind: string) { return this.plugin.tasks.submit(kind, {}); }
      }
      @Module({ controllers: [C] }) class M {}
      export default definePlugin({ module: M, tasks: { own: { access: 'admin', run: () => 'mine' } } });`;
    plugin('kind-intruder', source);
    await reload();
    for (const kind of ['core.noop', 'hello.count', 'parts.anything']) {
      const refused = await fetch(`${server.url}/api/plugins/kind-intruder/?kind=${kind}`);
      expect(refused.status).toBe(403);
      const body = (await refused.json()) as any;
      expect(body.code).toBe('capability_missing');
      expect(body.message).toMatch(new RegExp(`task kind ${kind.replace('.', '\\.')} is not plugin kind-intruder's.*capability "tasks:${kind.split('.')[0]}"`));
    }
    // Its own admin-only kind, on its own account: allowed (the plugin submits it, not the caller).
    const own = await fetch(`${server.url}/api/plugins/kind-intruder/?kind=kind-intruder.own`);
    expect(own.status).toBe(200);
    expect(((await own.json()) as any).owner).toBe('plugin:kind-intruder');

    plugin('kind-intruder', source, {}, ['tasks:core']);
    await reload();
    await server.admin('POST', '/api/admin/plugins/kind-intruder/grants', { capability: 'tasks:core' });
    const core = await fetch(`${server.url}/api/plugins/kind-intruder/?kind=core.noop`);
    expect(core.status).toBe(200);
    expect(((await core.json()) as any).kind).toBe('core.noop');
  });

  test("a websocket handler named in another plugin's name is refused at load", async () => {
    plugin('ws-namer', `
      import { definePlugin } from '@brickyard/sdk';
      import { Module } from '@nestjs/common';
      @Module({}) class M {}
      export default definePlugin({ module: M, wsHandlers: { 'hello.echo': (data: unknown) => data } });`);
    const report = await reload();
    expect(report.errors.find((e: { plugin: string }) => e.plugin === 'ws-namer')?.error).toMatch(
      /websocket handler "hello\.echo" is named in plugin "hello".*declare it as "echo"/,
    );
  });

  test("another plugin's topic is refused with the same code over HTTP and websocket; granted, it works", async () => {
    const source = `
      import { definePlugin, InjectPluginContext, type PluginContext } from '@brickyard/sdk';
      import { Controller, Get, Module, Query } from '@nestjs/common';
      @Controller() class C {
        constructor(@InjectPluginContext() private readonly plugin: PluginContext) {}
        @Get() async send(@Query('topic') topic: string) { await this.plugin.realtime.toTopic(topic, 'topic-intruder.news', { hi: 1 }); return { sent: true }; }
      }
      @Module({ controllers: [C] }) class M {}
      export default definePlugin({ module: M, wsHandlers: { join: (data: { topic: string }, context) => { context.subscribe(data.topic); return { joined: data.topic }; } } });`;
    plugin('topic-intruder', source);
    await reload();
    const http = await fetch(`${server.url}/api/plugins/topic-intruder/?topic=hello:news`);
    expect(http.status).toBe(403);
    const httpBody = (await http.json()) as any;
    const socket = await WsProbe.open(server.wsUrl);
    try {
      const frame = await socket.request({ handler: 'topic-intruder.join', data: { topic: 'hello:news' }, id: 'j1' }, 'j1');
      expect(frame.handler).toBe('error');
      expect(frame.data.code).toBe(httpBody.code);
      expect(httpBody.code).toBe('capability_missing');
      expect(frame.data.message).toMatch(/topic "hello:news" is not plugin topic-intruder's/);
      // Its own topics are its to use.
      expect((await socket.request({ handler: 'topic-intruder.join', data: { topic: 'topic-intruder:news' }, id: 'j2' }, 'j2')).data).toEqual({ joined: 'topic-intruder:news' });

      plugin('topic-intruder', source, {}, ['topics:hello:']);
      await reload();
      await server.admin('POST', '/api/admin/plugins/topic-intruder/grants', { capability: 'topics:hello:' });
      expect((await socket.request({ handler: 'topic-intruder.join', data: { topic: 'hello:news' }, id: 'j3' }, 'j3')).data).toEqual({ joined: 'hello:news' });
      expect((await fetch(`${server.url}/api/plugins/topic-intruder/?topic=hello:news`)).status).toBe(200);
      await socket.next((f) => f.handler === 'topic-intruder.news');
    } finally {
      socket.close();
    }
  });
});

describe('what every plugin gets', () => {
  test('the parts reader, its store, and onMount/onUnmount around each version it serves', async () => {
    const source = (version: number) => `
      import { definePlugin, InjectPluginContext, type PluginContext } from '@brickyard/sdk';
      import { Controller, Get, Module } from '@nestjs/common';
      @Controller() class C {
        constructor(@InjectPluginContext() private readonly plugin: PluginContext) {}
        @Get() async get() {
          const part = await this.plugin.parts.find('BBa_B0015', { sequence: true });
          const b0010 = await this.plugin.parts.find('BBa_B0010');
          const subparts = (await this.plugin.parts.subpartsOf([part!.partId])).map((l) => l.of + ':' + l.part.name);
          const users = (await this.plugin.parts.usersOf([b0010!.partId], 1)).map((l) => l.part.name);
          return { name: part?.name, type: part?.type, bases: part?.sequence?.length, parts: await this.plugin.parts.count(), mounted: await this.plugin.store.get('mounted'), subparts, users, id: part!.partId };
        }
      }
      @Module({ controllers: [C] }) class M {}
      export default definePlugin({
        module: M,
        onMount: async (context) => { await context.store.set('mounted', '${version}'); },
        onUnmount: async (context) => { await context.store.set('unmounted', '${version}'); },
      });`;
    plugin('hooks', source(1));
    await reload();
    const first = (await (await fetch(`${server.url}/api/plugins/hooks/`)).json()) as any;
    expect(first).toMatchObject({ name: 'BBa_B0015', type: 'Terminator', mounted: '1' });
    // How parts are built: B0015 is B0010 then B0012; B0010's users, at most 1 by name and one more to tell there are more.
    expect(first.subparts).toEqual([`${first.id}:BBa_B0010`, `${first.id}:BBa_B0012`]);
    expect(first.users).toHaveLength(2);
    expect(first.users).toEqual([...first.users].sort());
    expect(first.bases).toBeGreaterThan(50);
    expect(first.parts).toBeGreaterThan(50);
    plugin('hooks', source(2));
    await reload();
    expect(((await (await fetch(`${server.url}/api/plugins/hooks/`)).json()) as any).mounted).toBe('2');
    const { Redis } = await import('ioredis');
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const key = `brickyard:${server.database.name}:plugin:hooks:unmounted`;
      for (let i = 0; i < 50 && (await redis.get(key)) !== '1'; i++) await new Promise((r) => setTimeout(r, 100)); // after the old version drained
      expect(await redis.get(key)).toBe('1');
    } finally {
      redis.disconnect();
    }
  });

  test('an onMount that throws refuses that version; the previous one keeps serving', async () => {
    plugin('hooks', `
      import { definePlugin } from '@brickyard/sdk';
      import { Module } from '@nestjs/common';
      @Module({}) class M {}
      export default definePlugin({ module: M, onMount: () => { throw new Error('the incubator is cold'); } });`);
    const report = await reload();
    expect(report.errors.find((e: { plugin: string }) => e.plugin === 'hooks')?.error).toMatch(/the incubator is cold/);
    expect(((await (await fetch(`${server.url}/api/plugins/hooks/`)).json()) as any).mounted).toBe('2');
  });

  test('routes outside its base path need a granted routes: capability, and stay within it', async () => {
    const source = `
      import { definePlugin } from '@brickyard/sdk';
      import { Controller, Get, Module } from '@nestjs/common';
      @Controller('api/notebook') class Notebook { @Get() get() { return { page: 1 }; } }
      @Controller('api/plugins/wide/health') class Own { @Get() get() { return { own: true }; } }
      @Module({ controllers: [Notebook, Own] }) class M {}
      export default definePlugin({ module: M });`;
    plugin('wide', source, {}, ['routes:/api/notebook']);
    let report = await reload();
    expect(report.errors.find((e: { plugin: string }) => e.plugin === 'wide')?.error).toMatch(/requests capability "routes:\/api\/notebook", which is not granted/);
    expect((await fetch(`${server.url}/api/notebook`)).status).toBe(404);
    await server.admin('POST', '/api/admin/plugins/wide/grants', { capability: 'routes:/api/notebook' });
    expect(await (await fetch(`${server.url}/api/notebook`)).json()).toEqual({ page: 1 });
    expect(await (await fetch(`${server.url}/api/plugins/wide/health`)).json()).toEqual({ own: true });
    expect((await fetch(`${server.url}/api/notebookx`)).status).toBe(404);

    plugin('wide', source.replace("@Controller('api/plugins/wide/health')", "@Controller('api/tasks/steal')"), {}, ['routes:/api/notebook']);
    report = await reload();
    expect(report.errors.find((e: { plugin: string }) => e.plugin === 'wide')?.error).toMatch(/route GET \/api\/tasks\/steal is outside \/api\/plugins\/wide\/.*capability "routes:\/api\/tasks"/);
    expect(await (await fetch(`${server.url}/api/notebook`)).json()).toEqual({ page: 1 }); // the granted version keeps serving
  });
});

test('the built-in parts plugin can be disabled and enabled without a restart, data intact', async () => {
  const before = (await (await fetch(`${server.url}/api/parts?max_results=1`)).json()) as any;
  expect(before.total).toBeGreaterThan(50);
  expect((await rowOf('parts')).builtin).toBe(true);

  const disabled = await server.admin('POST', '/api/admin/plugins/parts/disable');
  expect(disabled.body.plugin.status).toBe('disabled');
  const gone = await fetch(`${server.url}/api/parts`);
  expect(gone.status).toBe(404);
  expect(((await gone.json()) as any).code).toBe('not_found');
  const noKind = await server.admin('POST', '/api/admin/parts/rank');
  expect(noKind.status).toBe(404);
  const submitted = await post('/api/tasks', { kind: 'core.rank', params: {} }, { authorization: `Bearer ${server.adminToken}` });
  expect(submitted.status).toBe(400);
  expect(submitted.body.message).toMatch(/no task kind "core.rank"/);
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  expect(await (await fetch(`${server.url}/api/plugins/good/`)).json()).toEqual({ answer: 'still here' });

  const enabled = await server.admin('POST', '/api/admin/plugins/parts/enable');
  expect(enabled.body.plugin.status).toBe('active');
  const after = (await (await fetch(`${server.url}/api/parts?max_results=1`)).json()) as any;
  expect(after.total).toBe(before.total);
  expect((await fetch(`${server.url}/api/parts/BBa_B0015`)).status).toBe(200);
  expect((await server.admin('POST', '/api/admin/parts/rank')).status).toBe(202);
});
