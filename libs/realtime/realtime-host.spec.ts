import { freePort, WsProbe } from '@brickyard/testing';
import * as http from 'node:http';
import type { PluginContext } from '@brickyard/sdk';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { RealtimeClient, RealtimeError } from './client/realtime-client';
import type { FanoutMessage } from './fanout';
import { RealtimeHost } from './realtime-host';

// The host in-process, with an identity hook: who receives what, and the limits.
let server: http.Server;
let host: RealtimeHost;
let url: string;

beforeAll(async () => {
  server = http.createServer();
  const noSend = async () => {};
  const realtime = { toSocket: noSend, toUser: noSend, toUsers: noSend, toTopic: noSend, toEveryone: noSend, toRecipients: noSend };
  host = new RealtimeHost({
    limits: { maxFrameBytes: 4096, ratePerSecond: 100, rateBurst: 100, maxConnections: 5, heartbeatMs: 60_000, maxTopics: 10 },
    allowOrigin: () => true,
    logger: pino({ level: 'silent' }),
    findHandler: (name) =>
      name === 'test.never'
        ? { handler: () => new Promise(() => {}), plugin: { name: 'test', realtime } as unknown as PluginContext, mayUseTopic: (topic) => topic.startsWith('test:') }
        : undefined,
    identify: (request) => {
      const user = (request.headers['x-user'] as string | undefined) ?? null;
      return { userId: user, role: user ? 'user' : 'anonymous', address: null };
    },
  });
  host.attach(server);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${port}/ws`;
});
afterAll(async () => {
  await host.close();
  server.close();
});

function asUser(user: string): Promise<WsProbe> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { 'x-user': user } });
    const probe = WsProbe.wrap(socket); // before 'open', so the welcome frame is recorded
    socket.once('open', () => resolve(probe));
    socket.once('error', reject);
  });
}

test('frames reach exactly their audience: a user, several users, a topic, everyone', async () => {
  const ada = await WsProbe.open(url); // anonymous
  const [u1, u1b, u2, u3] = await Promise.all(['u1', 'u1', 'u2', 'u3'].map(asUser));
  await u3.request({ handler: 'subscribe', data: { topic: 'lab' }, id: 's' }, 's');
  const send = (to: FanoutMessage['to'], text: string) => host.deliver({ to, frame: JSON.stringify({ handler: 'note', data: text }) });
  send({ users: ['u1'] }, 'to u1');
  send({ users: ['u2', 'u3'] }, 'to u2 and u3');
  send({ topic: 'lab' }, 'to lab');
  send({ everyone: true }, 'to all');
  await new Promise((r) => setTimeout(r, 200));
  const notes = (probe: WsProbe) => probe.frames.filter((f) => f.handler === 'note').map((f) => f.data);
  expect(notes(u1)).toEqual(['to u1', 'to all']);
  expect(notes(u1b)).toEqual(['to u1', 'to all']);
  expect(notes(u2)).toEqual(['to u2 and u3', 'to all']);
  expect(notes(u3)).toEqual(['to u2 and u3', 'to lab', 'to all']);
  expect(notes(ada)).toEqual(['to all']);
  expect(u1.frames[0]).toMatchObject({ handler: 'welcome', data: { userId: 'u1' } });
  // One socket, by id.
  const id = u2.frames[0].data.socketId;
  send({ socket: id }, 'just u2');
  await new Promise((r) => setTimeout(r, 100));
  expect(notes(u2).at(-1)).toBe('just u2');
  expect(notes(u1).at(-1)).toBe('to all');

  // The connection limit (5) refuses the sixth with 503.
  await expect(WsProbe.open(url)).rejects.toThrow(/503/);
  for (const probe of [ada, u1, u1b, u2, u3]) probe.close();
});

test('the client times out a request that gets no reply, and keeps working', async () => {
  await new Promise((r) => setTimeout(r, 100)); // the previous sockets are closing
  const client = new RealtimeClient({ url, WebSocket: WebSocket as any });
  // Connected first: the 300 ms below are the reply's, not the connection's (slow on a busy machine).
  expect(await client.request('ping')).toMatchObject({ pid: process.pid });
  const error = await client.request('test.never', {}, 300).catch((e) => e);
  expect(error).toBeInstanceOf(RealtimeError);
  expect(error).toMatchObject({ code: 'timeout', message: 'no reply to test.never within 300 ms' });
  expect(await client.request('ping')).toMatchObject({ pid: process.pid });
  client.close();
  await expect(client.request('ping', undefined, 200)).rejects.toMatchObject({ code: 'timeout' });
});
