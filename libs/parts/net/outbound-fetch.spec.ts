import * as http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fetchOutbound, isPublicAddress, readText } from './outbound-fetch';

let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/redirect') return void res.writeHead(302, { location: `http://127.0.0.1:${port}/ok` }).end();
    if (req.url === '/big') return void res.end('x'.repeat(100_000));
    if (req.url === '/slow') return void res.write('a'); // never ends
    res.end('fine');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => server.close());

const policy = (allowHosts: string[] = [], more = {}) => ({ allowHosts, allowSetting: 'X_HOSTS', timeoutMs: 1000, timeoutSetting: 'X_TIMEOUT', maxBytes: 1000, maxBytesSetting: 'X_BYTES', ...more });

test('private, local and link-local addresses are not public', () => {
  for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0.0.0.0', '::7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::1', '2001::1', 'fec0::1', '::']) {
    expect(isPublicAddress(ip), ip).toBe(false);
  }
  // NAT64 and 6to4 carry a public IPv4 address: reachable (an IPv6-only host with DNS64 reaches everything so).
  for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '64:ff9b::808:808', '2002:808:808::1']) expect(isPublicAddress(ip), ip).toBe(true);
});

test('a local host is refused unless listed; a listed one is fetched', async () => {
  await expect(fetchOutbound(`http://127.0.0.1:${port}/ok`, policy())).rejects.toThrow(/127\.0\.0\.1 is a private or local address: fetches go to public hosts only \(X_HOSTS lists exceptions\)/);
  await expect(fetchOutbound(`http://localhost:${port}/ok`, policy())).rejects.toThrow(/localhost is (127\.0\.0\.1|::1), a private or local address/);
  await expect(fetchOutbound(`file:///etc/hostname`, policy())).rejects.toThrow(/only http and https/);
  const ok = await fetchOutbound(`http://127.0.0.1:${port}/ok`, policy(['127.0.0.1']));
  expect(await readText(ok.body)).toBe('fine');
});

test('a redirect is checked like the first request', async () => {
  const followed = await fetchOutbound(`http://127.0.0.1:${port}/redirect`, policy([`127.0.0.1:${port}`]));
  expect(followed.url).toBe(`http://127.0.0.1:${port}/ok`);
  expect(await readText(followed.body)).toBe('fine');
  await expect(fetchOutbound(`http://127.0.0.1:${port}/redirect`, policy([`127.0.0.1:${port}`], { maxRedirects: 0 }))).rejects.toThrow(/more than 0 redirects/);
});

test("a redirect's endless body is not read, and the socket closes when the cap trips", async () => {
  let open = 0;
  const endless = http.createServer((req, res) => {
    open++;
    req.socket.on('close', () => open--);
    if (req.url === '/loop') res.writeHead(302, { location: `http://127.0.0.1:${(endless.address() as { port: number }).port}/nowhere` });
    const chunk = 'x'.repeat(65536);
    const pump = () => { while (res.write(chunk)) if (res.destroyed) return; };
    res.on('drain', pump);
    pump();
  });
  await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
  const port2 = (endless.address() as { port: number }).port;
  try {
    await expect(fetchOutbound(`http://127.0.0.1:${port2}/loop`, policy([`127.0.0.1:${port2}`], { maxRedirects: 0 }))).rejects.toThrow(/more than 0 redirects/);
    const capped = await fetchOutbound(`http://127.0.0.1:${port2}/big`, policy([`127.0.0.1:${port2}`]));
    await expect(readText(capped.body)).rejects.toThrow(/larger than 1000 bytes/);
    for (let i = 0; i < 50 && open > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(open).toBe(0);
  } finally {
    endless.close();
  }
});

test('the body is cut off at maxBytes, and a slow answer at the deadline', async () => {
  const big = await fetchOutbound(`http://127.0.0.1:${port}/big`, policy(['127.0.0.1']));
  await expect(readText(big.body)).rejects.toThrow(/larger than 1000 bytes \(X_BYTES\)/);
  const slow = await fetchOutbound(`http://127.0.0.1:${port}/slow`, policy(['127.0.0.1']));
  await expect(readText(slow.body)).rejects.toThrow(/within 1000 ms \(X_TIMEOUT\)/);
});
