import { startTestServer, type TestServer } from '@brickyard/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Browser, fileForm } from './browser';
import { makePng } from './png';

// Avatars (uploaded to MySQL, served with their sniffed type) and signing out
// everywhere, against a real server.
let server: TestServer;
const LIMIT = 64 * 1024;

beforeAll(async () => {
  server = await startTestServer({ env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '0', ACCOUNTS_AVATAR_MAX_BYTES: String(LIMIT) } });
});
afterAll(() => server?.stop());

const browser = () => new Browser(() => server.url);
const GRAVATAR = /^https:\/\/www\.gravatar\.com\/avatar\/[0-9a-f]{32}\?d=identicon/;
/** What no answer may ever contain: a password hash, or a hash's or token's field. */
const SECRET = /argon2|password|token_hash|reset/i;

describe('avatars', () => {
  const ada = browser();
  const png = makePng(8, [200, 30, 90]);

  beforeAll(async () => {
    expect((await ada.call('POST', '/api/auth/register', { username: 'ada', email: 'ada@example.org', password: 'correct horse battery' })).status).toBe(201);
  });

  test('an uploaded PNG becomes the profile picture, served back byte for byte with its type', async () => {
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const uploaded = await ada.call('POST', '/api/users/me/avatar', fileForm(png, 'me.png', 'image/png'));
    expect(uploaded.status).toBe(200);
    expect(uploaded.text).not.toMatch(SECRET);
    const avatarUrl = uploaded.body.avatar_url as string;
    expect(avatarUrl).toMatch(/^\/api\/users\/ada\/avatar\?v=[0-9a-f]{16}$/);
    expect((await ada.call('GET', '/api/users/ada')).body.avatar_url).toBe(avatarUrl);
    expect((await ada.call('GET', '/api/auth/me')).body.avatar_url).toBe(avatarUrl);

    const served = await browser().call('GET', avatarUrl); // anyone may see it
    expect(served.status).toBe(200);
    expect(Buffer.compare(served.bytes, png)).toBe(0);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-disposition')).toBe('inline');
    expect(served.headers.get('cache-control')).toMatch(/max-age=31536000/);
    const etag = served.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);

    const unversioned = await fetch(`${server.url}/api/users/ada/avatar`);
    expect(unversioned.headers.get('cache-control')).toBe('public, no-cache');
    const again = await fetch(`${server.url}/api/users/ada/avatar`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  test('a new picture is a new URL', async () => {
    const before = (await ada.call('GET', '/api/auth/me')).body.avatar_url;
    const other = makePng(8, [10, 200, 10]);
    const uploaded = await ada.call('POST', '/api/users/me/avatar', fileForm(other, 'green.png', 'image/png'));
    expect(uploaded.body.avatar_url).not.toBe(before);
    expect(Buffer.compare((await browser().call('GET', uploaded.body.avatar_url)).bytes, other)).toBe(0);
  });

  test('a file over ACCOUNTS_AVATAR_MAX_BYTES is refused with 413 and the server goes on', async () => {
    const big = makePng(256, 'noise'); // about 197 KB of real PNG
    expect(big.length).toBeGreaterThan(LIMIT * 2);
    const refused = await ada.call('POST', '/api/users/me/avatar', fileForm(big, 'big.png', 'image/png'));
    expect(refused).toMatchObject({ status: 413, body: { code: 'payload_too_large', message: expect.stringContaining(String(LIMIT)) } });
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const small = makePng(4, [1, 2, 3]);
    const accepted = await ada.call('POST', '/api/users/me/avatar', fileForm(small, 'small.png', 'image/png'));
    expect(accepted.status).toBe(200);
    expect(Buffer.compare((await browser().call('GET', accepted.body.avatar_url)).bytes, small)).toBe(0);
  });

  test('a body announced as 1 GiB is answered with 413 at once, and its connection is cut instead of read to the end', async () => {
    // A raw socket, because node:http's client stops sending once it has the answer.
    const net = await import('node:net');
    const boundary = 'brickyard-test-boundary';
    const outcome = await new Promise<{ answer: string; sentMiB: number; cut: boolean }>((resolve) => {
      let sent = 0;
      let answer = '';
      const socket = net.connect(server.port, '127.0.0.1');
      const done = (cut: boolean) => (socket.destroy(), resolve({ answer, sentMiB: sent / 2 ** 20, cut }));
      socket.on('data', (data) => (answer += data));
      socket.on('error', () => done(true));
      socket.on('close', () => done(true));
      const part = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`;
      socket.write(
        `POST /api/users/me/avatar HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${ada.header()}\r\nX-CSRF-Token: ${ada.cookies.get('brickyard_csrf')}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${1 << 30}\r\n\r\n${part}`,
      );
      socket.write(makePng(4, [0, 0, 0]));
      const chunk = Buffer.alloc(1 << 20);
      const pump = () => {
        while (sent < 300 * 2 ** 20) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
        done(false);
      };
      pump();
    });
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 413 [^]*"code":"payload_too_large"/);
    expect(outcome.cut).toBe(true);
    expect(outcome.sentMiB).toBeLessThan(100); // DRAIN_LIMIT (32 MiB) read, plus what the sockets buffered
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  test('a file of exactly ACCOUNTS_AVATAR_MAX_BYTES is accepted, one byte more is not', async () => {
    const exact = makePng(8, [9, 9, 9], LIMIT);
    expect(exact.length).toBe(LIMIT);
    const accepted = await ada.call('POST', '/api/users/me/avatar', fileForm(exact, 'exact.png', 'image/png'));
    expect(accepted.status).toBe(200);
    expect(Buffer.compare((await browser().call('GET', accepted.body.avatar_url)).bytes, exact)).toBe(0);
    const over = await ada.call('POST', '/api/users/me/avatar', fileForm(makePng(8, [9, 9, 9], LIMIT + 1), 'over.png', 'image/png'));
    expect(over).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
  });

  test('the type is judged by content: SVG, HTML named .png, and text are refused with 400', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>');
    const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
    for (const [bytes, name, type] of [[svg, 'me.svg', 'image/svg+xml'], [html, 'me.png', 'image/png'], [svg, 'me.png', 'image/png']] as const) {
      const refused = await ada.call('POST', '/api/users/me/avatar', fileForm(bytes, name, type));
      expect(refused, name).toMatchObject({ status: 400, body: { code: 'bad_request', message: expect.stringMatching(/image\/png, image\/jpeg, image\/gif, image\/webp/) } });
    }
    const notMultipart = await ada.call('POST', '/api/users/me/avatar', { file: png.toString('base64') });
    expect(notMultipart).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    // What is served is still the last accepted picture, as a PNG.
    expect((await browser().call('GET', '/api/users/ada/avatar')).headers.get('content-type')).toBe('image/png');
  });

  test('anonymous callers get 401, a session without the CSRF token 403', async () => {
    const anonymous = await browser().call('POST', '/api/users/me/avatar', fileForm(png, 'me.png', 'image/png'));
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    const forged = await ada.call('POST', '/api/users/me/avatar', fileForm(png, 'me.png', 'image/png'), { csrf: false });
    expect(forged).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await browser().call('DELETE', '/api/users/me/avatar')).status).toBe(401);
    expect((await ada.call('DELETE', '/api/users/me/avatar', undefined, { csrf: false })).status).toBe(403);
  });

  test('deleting the picture falls back to Gravatar', async () => {
    const removed = await ada.call('DELETE', '/api/users/me/avatar');
    expect(removed.status).toBe(200);
    expect(removed.body.avatar_url).toMatch(GRAVATAR);
    expect((await ada.call('GET', '/api/users/ada')).body.avatar_url).toMatch(GRAVATAR);
    expect((await browser().call('GET', '/api/users/ada/avatar')).status).toBe(404);
    expect((await browser().call('GET', '/api/users/nobody-at-all/avatar')).status).toBe(404);
  });

  test('the bytes are in MySQL with their hash, for every host to serve', async () => {
    const picture = makePng(6, [0, 0, 255]);
    await ada.call('POST', '/api/users/me/avatar', fileForm(picture, 'blue.png', 'image/png'));
    const { createConnection } = await import('mysql2/promise');
    const db = await createConnection(server.database.url);
    const [rows] = (await db.query('SELECT type, bytes, sha256 FROM accounts_avatars')) as any;
    await db.end();
    expect(rows).toHaveLength(1);
    expect(rows[0].type).toBe('image/png');
    expect(Buffer.compare(rows[0].bytes, picture)).toBe(0);
  });
});

describe('signing out', () => {
  test('logout with {"everywhere": true} ends every session of the user; a plain logout only this one', async () => {
    const phone = browser();
    expect((await phone.call('POST', '/api/auth/register', { username: 'grace', email: 'grace@example.org', password: 'first password' })).status).toBe(201);
    const laptop = browser();
    const tablet = browser();
    for (const device of [laptop, tablet]) expect((await device.call('POST', '/api/auth/login', { username: 'grace', password: 'first password' })).status).toBe(200);

    expect((await tablet.call('POST', '/api/auth/logout')).body).toEqual({ signedOut: true, everywhere: false });
    expect((await tablet.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await laptop.call('GET', '/api/auth/me')).status).toBe(200); // a plain logout leaves the others

    const laptopCookie = laptop.header();
    const everywhere = await phone.call('POST', '/api/auth/logout', { everywhere: true });
    expect(everywhere).toMatchObject({ status: 200, body: { signedOut: true, everywhere: true } });
    expect(everywhere.setCookie.find((c) => c.startsWith('brickyard_session='))).toMatch(/Max-Age=0/);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: laptopCookie } })).status).toBe(401);
    expect((await laptop.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await phone.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await browser().call('POST', '/api/auth/login', { username: 'grace', password: 'first password' })).status).toBe(200); // the account is fine
  });

  test('logging out everywhere needs a session and the CSRF token', async () => {
    expect((await browser().call('POST', '/api/auth/logout', { everywhere: true })).status).toBe(401);
    expect((await browser().call('POST', '/api/auth/logout', { everywhere: 'yes' })).status).toBe(400);
    const grace = browser();
    await grace.call('POST', '/api/auth/login', { username: 'grace', password: 'first password' });
    expect((await grace.call('POST', '/api/auth/logout', { everywhere: true }, { csrf: false })).status).toBe(403);
    expect((await grace.call('GET', '/api/auth/me')).status).toBe(200);
  });
});

test('no answer of these tests held a password, its hash, or a reset token', () => {
  expect(Browser.answers.length).toBeGreaterThan(30);
  for (const answer of Browser.answers) expect(answer).not.toMatch(/argon2|password_?hash|token_?hash|"password"|"token"/i);
});
