import { startTestServer, writePlugin, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

// A failing request is answered with its request id and logged once, with its cause;
// a plugin can use packages from its own node_modules.
let server: TestServer;

beforeAll(async () => {
  const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-logs-'));
  writePlugin(pluginsDir, 'fragile', {
    'node_modules/local-helper/package.json': JSON.stringify({ name: 'local-helper', version: '1.0.0', main: 'index.js' }),
    'node_modules/local-helper/index.js': 'exports.shout = (s) => s.toUpperCase() + "!";',
    'server/index.ts': `
      import { definePlugin } from '@brickyard/sdk';
      import { Controller, Get, Module } from '@nestjs/common';
      import { shout } from 'local-helper';
      @Controller() class FragileController {
        @Get('shout') shout() { return { said: shout('hello') }; }
        @Get('boom') boom() { throw new Error('the centrifuge is unbalanced'); }
      }
      @Module({ controllers: [FragileController] }) class FragileModule {}
      export default definePlugin({ module: FragileModule });
    `,
  });
  server = await startTestServer({ pluginsDir, env: { PLUGINS_WATCH: 'false' } });
});
afterAll(() => server?.stop());

test("a plugin resolves packages from its own node_modules", async () => {
  expect(await (await fetch(`${server.url}/api/plugins/fragile/shout`)).json()).toEqual({ said: 'HELLO!' });
});

test('a failed request answers 500 with its id and logs its cause once', async () => {
  const response = await fetch(`${server.url}/api/plugins/fragile/boom`);
  expect(response.status).toBe(500);
  const body: any = await response.json();
  expect(body).toEqual({ statusCode: 500, code: 'internal', message: 'internal server error', requestId: response.headers.get('x-request-id') });
  await new Promise((r) => setTimeout(r, 200)); // let the log line reach the pipe
  const lines = server.output().split('\n').filter((line) => line.includes(body.requestId));
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0]!);
  expect(entry).toMatchObject({ level: 50, reqId: body.requestId, url: '/api/plugins/fragile/boom', status: 500, msg: 'request failed' });
  expect(entry.err.message).toBe('the centrifuge is unbalanced');
  expect(entry.err.stack).toContain('server/index.ts');
});
