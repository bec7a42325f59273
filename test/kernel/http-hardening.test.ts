import { startTestServer, type TestServer } from '@brickyard/testing';
import * as net from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';

// What every response carries, which request ids are adopted, and what a slow client is allowed.
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true', HTTP_HEADERS_TIMEOUT_MS: '1500', HTTP_REQUEST_TIMEOUT_MS: '3000' } });
});
afterAll(() => server?.stop());

test('security headers on every response: served, refused, and answered by the host itself', async () => {
  const responses = [
    await fetch(`${server.url}/api/health`),
    await fetch(`${server.url}/api/nothing-here`),
    await fetch(`${server.url}/api/parts/BBa_B0015`),
    await fetch(`${server.url}/api/health`, { headers: { authorization: 'Bearer wrong' } }), // the host's own 401
  ];
  expect(responses.map((r) => r.status)).toEqual([200, 404, 200, 401]);
  for (const response of responses) {
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  }
  // The page's inline script is allowed by its hash, and only it.
  const page = await fetch(`${server.url}/`);
  expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}'/);
});

test('a body over the limit is a 413 with a code, and the worker goes on', async () => {
  // The length is announced and only a few bytes sent: the answer comes before the body (no race with a closing socket).
  const http = await import('node:http');
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(`${server.url}/api/tasks`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(2 << 20) } }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', (error) => (error as NodeJS.ErrnoException).code === 'EPIPE' || (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error));
    request.write('{"kind": "core.noop", "params": {"echo": "');
  });
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.body).code).toBe('payload_too_large');
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
});

test('an incoming x-request-id is adopted only if it is short and plain', async () => {
  const plain = await fetch(`${server.url}/api/health`, { headers: { 'x-request-id': 'trace-me.1' } });
  expect(plain.headers.get('x-request-id')).toBe('trace-me.1');
  for (const bad of ['<script>alert(1)</script>', 'a'.repeat(65), 'two words']) {
    const response = await fetch(`${server.url}/api/health`, { headers: { 'x-request-id': bad } });
    expect(response.headers.get('x-request-id')).not.toBe(bad);
    expect(response.headers.get('x-request-id')).toMatch(/^[\w.-]{1,64}$/);
  }
});

test('an export names its file after the stored part; a NUL in the URL is a 404 with a body, not a raw 500', async () => {
  const exported = await fetch(`${server.url}/api/parts/BBa_B0015/export?format=fasta`);
  expect(exported.headers.get('content-disposition')).toBe('attachment; filename="BBa_B0015.fasta"');
  const nul = await fetch(`${server.url}/api/parts/BBa_B0015%00x/export?format=fasta`);
  expect(nul.status).toBe(404);
  expect(((await nul.json()) as any).code).toBe('not_found');
});

/** Sends `text` a byte at a time, one byte every `everyMs`; resolves with the ms until the server closed the socket. */
function trickle(text: string, everyMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(server.port, '127.0.0.1');
    let i = 0;
    const timer = setInterval(() => {
      if (i < text.length && !socket.destroyed) socket.write(text[i++]!);
    }, everyMs);
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    });
    socket.on('error', () => {});
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error('the server kept a trickling client for 15 s'));
    }, 15_000);
  });
}

test('a client trickling its headers or its body is cut off at the timeouts', async () => {
  const headers = await trickle('GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'y'.repeat(500), 100);
  expect(headers).toBeLessThan(1500 + 2500);
  const body = await trickle('POST /api/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n' + '{'.repeat(5000), 20);
  expect(body).toBeLessThan(3000 + 2500);
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
});
