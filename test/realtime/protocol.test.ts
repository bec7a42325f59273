import { startTestServer, writePlugin, WsProbe, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

// The websocket protocol of README, "Websockets and background tasks": replies by id, and a precise error
// frame for every malformed frame, with the connection living on.
let server: TestServer;
let probe: WsProbe;

beforeAll(async () => {
  const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-ws-'));
  fs.cpSync(path.resolve(import.meta.dirname, '..', '..', 'plugins', 'hello'), path.join(pluginsDir, 'hello'), { recursive: true });
  writePlugin(pluginsDir, 'slow', {
    'server/index.ts': `
      import { definePlugin } from '@brickyard/sdk';
      import { Module } from '@nestjs/common';
      @Module({}) class SlowModule {}
      export default definePlugin({ module: SlowModule, wsHandlers: {
        wait: async (data: { ms: number }) => { await new Promise((r) => setTimeout(r, data.ms)); return { waited: data.ms }; },
        fail: () => { throw new Error('the gel cracked'); },
      } });
    `,
  });
  server = await startTestServer({
    pluginsDir,
    env: { PLUGINS_WATCH: 'false', WS_MAX_FRAME_BYTES: '1024', WS_RATE_PER_SECOND: '5', WS_RATE_BURST: '10', WS_HEARTBEAT_MS: '300' },
  });
  probe = await WsProbe.open(server.wsUrl);
});
afterAll(async () => {
  probe?.close();
  await server?.stop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorOf = (frame: any) => (expect(frame.handler).toBe('error'), frame.data);

test('greets the connection with its socket id', async () => {
  const welcome = await probe.next((f) => f.handler === 'welcome');
  expect(welcome.data).toEqual({ socketId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), userId: null }); // random: it names no host or process
});

test('replies carry the request id; concurrent requests are paired correctly', async () => {
  const [slow, fast] = await Promise.all([
    probe.request({ handler: 'slow.wait', data: { ms: 200 }, id: 'slow' }, 'slow'),
    probe.request({ handler: 'hello.echo', data: { n: 1 }, id: 'fast' }, 'fast'),
  ]);
  expect(slow).toEqual({ handler: 'slow.wait', data: { waited: 200 }, id: 'slow' });
  expect(fast).toEqual({ handler: 'hello.echo', data: { n: 1 }, id: 'fast' });
  const ping = await probe.request({ handler: 'ping', id: 'p1' }, 'p1');
  expect(ping.data).toMatchObject({ pong: expect.any(Number), pid: expect.any(Number) });
  await pause(1100); // refill the rate limiter
});

test.each([
  ['not JSON', '{"handler": "ping", "id": "x1"', undefined, 'bad_json', /^frame is not JSON: /],
  ['no handler', { data: 1, id: 'x2' }, 'x2', 'bad_frame', /^the frame has no "handler"$/],
  ['handler of the wrong type', { handler: 5, id: 'x3' }, 'x3', 'bad_frame', /^"handler" must be a string, not number$/],
  ['id of the wrong type', { handler: 'ping', id: 7 }, undefined, 'bad_frame', /^"id" must be a string of 1 to 100 characters$/],
  ['unknown handler', { handler: 'nope.nothing', id: 'x5' }, 'x5', 'unknown_handler', /^no handler named "nope.nothing"/],
  ['data of the wrong type', { handler: 'hello.announce', data: { text: 5 }, id: 'x6' }, 'x6', 'invalid_params', /^hello.announce: text: /],
  ['a bad topic', { handler: 'subscribe', data: { topic: '' }, id: 'x7' }, 'x7', 'bad_topic', /^data must be \{"topic": string\}/],
  ['a throwing handler (its message goes to the log, not to the caller)', { handler: 'slow.fail', id: 'x8' }, 'x8', 'internal', /^internal error$/],
])('%s gets a precise error frame and the connection lives on', async (_name, frame, id, code, message) => {
  const before = probe.frames.length;
  probe.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  const reply = await probe.next((f) => f.handler === 'error' && probe.frames.indexOf(f) >= before);
  const error = errorOf(reply);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(reply.id).toBe(id);
  const alive = await probe.request({ handler: 'ping', id: `alive-${code}-${before}` }, `alive-${code}-${before}`);
  expect(alive.handler).toBe('ping');
  await pause(250);
});

test('frames over the rate get rate_limited errors; the connection lives on', async () => {
  await pause(2100);
  const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => probe.request({ handler: 'ping', id: `burst-${i}` }, `burst-${i}`)));
  const limited = replies.filter((r) => r.handler === 'error');
  expect(limited.length).toBeGreaterThanOrEqual(8);
  expect(errorOf(limited[0]).code).toBe('rate_limited');
  expect(errorOf(limited[0]).message).toBe('more than 5 frames per second (bursts of 10): this frame was dropped');
  await pause(1200);
  expect((await probe.request({ handler: 'ping', id: 'after-burst' }, 'after-burst')).handler).toBe('ping');
});

test('a frame over the size limit closes only that connection, with 1009', async () => {
  const other = await WsProbe.open(server.wsUrl);
  const big = await WsProbe.open(server.wsUrl);
  big.socket.send(JSON.stringify({ handler: 'hello.echo', data: 'x'.repeat(2000) }));
  expect((await big.untilClosed()).code).toBe(1009);
  expect((await other.request({ handler: 'ping', id: 'still' }, 'still')).handler).toBe('ping');
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  other.close();
});

test('a peer that stops answering pings is dropped', async () => {
  const silent = await WsProbe.open(server.wsUrl);
  (silent.socket as any)._socket.pause(); // stops reading: server pings go unanswered
  await pause(1200);
  (silent.socket as any)._socket.resume();
  expect((await silent.untilClosed()).code).toBe(1006);
  expect(probe.closed).toBeUndefined();
});

test('upgrades elsewhere than /ws are refused', async () => {
  await expect(WsProbe.open(server.wsUrl.replace('/ws', '/nope'))).rejects.toThrow(/404/);
});
