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
  for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0']) expect(isPublicAddress(ip), ip).toBe(false);
  for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) expect(isPublicAddress(ip), ip).toBe(true);
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

test('the body is cut off at maxBytes, and a slow answer at the deadline', async () => {
  const big = await fetchOutbound(`http://127.0.0.1:${port}/big`, policy(['127.0.0.1']));
  await expect(readText(big.body)).rejects.toThrow(/larger than 1000 bytes \(X_BYTES\)/);
  const slow = await fetchOutbound(`http://127.0.0.1:${port}/slow`, policy(['127.0.0.1']));
  await expect(readText(slow.body)).rejects.toThrow(/within 1000 ms \(X_TIMEOUT\)/);
});
