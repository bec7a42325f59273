import { RealtimeClient } from '@brickyard/realtime';
import { startTestServer, writePlugin, WsProbe, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';

// Websockets across the cluster: fan-out between workers, connections that
// outlive reloads, and the client library's reconnect and resubscribe.
let server: TestServer;
let pluginsDir: string;

const versioned = (version: number) => `
  import { definePlugin } from '@brickyard/sdk';
  import { Module } from '@nestjs/common';
  @Module({}) class VersionedModule {}
  export default definePlugin({ module: VersionedModule, wsHandlers: { version: () => ({ version: ${version} }) } });
`;

beforeAll(async () => {
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-ws-cluster-'));
  fs.cpSync(path.resolve(import.meta.dirname, '..', '..', 'plugins', 'hello'), path.join(pluginsDir, 'hello'), { recursive: true });
  writePlugin(pluginsDir, 'versioned', { 'server/index.ts': versioned(0) });
  writePlugin(pluginsDir, 'relay', {
    // Frames to every client need a capability the operator grants (below).
    'plugin.json': JSON.stringify({ name: 'relay', version: '1.0.0', title: 'relay', brickyard: '^1', server: 'server/index.ts', capabilities: ['realtime:everyone'] }),
    'server/index.ts': `
      import { definePlugin } from '@brickyard/sdk';
      import { Module } from '@nestjs/common';
      @Module({}) class RelayModule {}
      export default definePlugin({ module: RelayModule, wsHandlers: {
        toSocket: async (d: { socketId: string; text: string }, c) => { await c.realtime.toSocket(d.socketId, 'relay.note', { text: d.text }); return true; },
        everyone: async (d: { text: string }, c) => { await c.realtime.toEveryone('relay.note', { text: d.text }); return true; },
      } });
    `,
  });
  server = await startTestServer({ pluginsDir, workers: 2, env: { PLUGINS_WATCH: 'false' } });
  expect((await server.admin('POST', '/api/admin/plugins/relay/grants', { capability: 'realtime:everyone' })).body.plugin.status).toBe('active');
});
afterAll(() => server?.stop());

/** Opens connections until two are on different workers (the cluster balances new connections). */
async function onTwoWorkers(): Promise<[WsProbe, WsProbe]> {
  const byPid = new Map<number, WsProbe>();
  for (let i = 0; i < 20 && byPid.size < 2; i++) {
    const probe = await WsProbe.open(server.wsUrl);
    const { data } = await probe.request({ handler: 'ping', id: 'who' }, 'who');
    if (byPid.has(data.pid)) probe.close();
    else byPid.set(data.pid, probe);
  }
  expect(byPid.size).toBe(2);
  return [...byPid.values()] as [WsProbe, WsProbe];
}

test('a message sent on worker A reaches a client connected to worker B', async () => {
  const [a, b] = await onTwoWorkers();
  await b.request({ handler: 'subscribe', data: { topic: 'hello:announcements' }, id: 's' }, 's');
  const arrival = b.next((f) => f.handler === 'hello.announcement');
  const sent = await a.request({ handler: 'hello.announce', data: { text: 'gel is ready' }, id: 'a1' }, 'a1');
  expect(sent.data).toEqual({ sent: true });
  const announcement = await arrival;
  expect(announcement.data).toEqual({ text: 'gel is ready', from: expect.any(String) });

  // To one socket by its id, and to everyone, from the other worker.
  const socketB = b.frames.find((f) => f.handler === 'welcome').data.socketId;
  const direct = b.next((f) => f.handler === 'relay.note');
  await a.request({ handler: 'relay.toSocket', data: { socketId: socketB, text: 'just you' }, id: 'a2' }, 'a2');
  expect((await direct).data).toEqual({ text: 'just you' });
  const toAllA = a.next((f) => f.handler === 'relay.note' && f.data.text === 'all');
  const toAllB = b.next((f) => f.handler === 'relay.note' && f.data.text === 'all');
  await b.request({ handler: 'relay.everyone', data: { text: 'all' }, id: 'b1' }, 'b1');
  await Promise.all([toAllA, toAllB]);
  a.close();
  b.close();
});

test('a client connected through 50 reloads is never disconnected and reaches the new handlers', { timeout: 180_000 }, async () => {
  const client = new RealtimeClient({ url: server.wsUrl, WebSocket: WebSocket as any, timeoutMs: 5000 });
  const closes: unknown[] = [];
  client.on('close', (event) => closes.push(event));
  expect(await client.request('versioned.version')).toEqual({ version: 0 });
  const entry = path.join(pluginsDir, 'versioned', 'server', 'index.ts');
  for (let version = 1; version <= 50; version++) {
    fs.writeFileSync(entry, versioned(version));
    const reply = await server.admin('POST', '/api/admin/reload');
    expect(reply.body.ok).toBe(true);
    expect(await client.request('versioned.version')).toEqual({ version });
  }
  expect(closes).toEqual([]);
  expect(client.opens).toBe(1);

  // When the plugin goes, its handlers answer unknown_handler; the connection stays.
  await server.admin('POST', '/api/admin/plugins/versioned/disable');
  await expect(client.request('versioned.version')).rejects.toMatchObject({ code: 'unknown_handler' });
  expect(await client.request('ping')).toMatchObject({ pong: expect.any(Number) });
  client.close();
});

test('the client reconnects to a restarted server and resubscribes its topics', { timeout: 120_000 }, async () => {
  const listener = new RealtimeClient<{ 'hello.announcement': { text: string } }>({ url: server.wsUrl, WebSocket: WebSocket as any, minDelayMs: 100, maxDelayMs: 500 });
  await listener.subscribe('hello:announcements');
  const reconnecting: unknown[] = [];
  listener.on('reconnecting', (event) => reconnecting.push(event));

  const { database, home, port } = server;
  await server.stop({ keepData: true });
  server = await startTestServer({ pluginsDir, database, home, port, workers: 2, env: { PLUGINS_WATCH: 'false' } });

  await new Promise<void>((resolve) => {
    if (listener.opens >= 2) return resolve();
    const off = listener.on('open', () => (off(), resolve()));
  });
  expect(reconnecting.length).toBeGreaterThan(0);
  const received = new Promise((resolve) => listener.on('hello.announcement', resolve));
  // The resubscription may still be in flight: announce until it lands.
  const speaker = new RealtimeClient({ url: server.wsUrl, WebSocket: WebSocket as any });
  let message: unknown;
  for (let i = 0; i < 20 && !message; i++) {
    await speaker.request('hello.announce', { text: 'back online' });
    message = await Promise.race([received, new Promise((r) => setTimeout(r, 100))]);
  }
  expect(message).toEqual({ text: 'back online', from: expect.any(String) });
  listener.close();
  speaker.close();
});
