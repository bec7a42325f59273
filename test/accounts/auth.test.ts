import * as fs from 'node:fs';
import { BrowserSession, startTestServer, WsProbe, type TestServer } from '@brickyard/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';

// Accounts: sign-up, sign-in and -out, sessions in an httpOnly cookie kept in
// Redis, CSRF on cookie-authenticated changes, brute force refused, and the
// signed-in user seen the same way by HTTP, websockets and tasks.
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '0', ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT: '3', ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS: '8' } });
});
afterAll(() => server?.stop());

class Browser extends BrowserSession {
  constructor() {
    super(() => server.url);
  }
}

describe('accounts', () => {
  const ada = new Browser();

  test('register signs the user in with an httpOnly session cookie and a readable CSRF cookie; no hash is ever shown', async () => {
    const registered = await ada.call('POST', '/api/auth/register', { username: 'ada', email: 'ada@example.org', password: 'correct horse battery' });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ username: 'ada', email: 'ada@example.org', role: 'user' });
    expect(registered.text).not.toMatch(/argon2|password/i);
    expect(registered.setCookie.find((c) => c.startsWith('brickyard_session='))).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=\d+/);
    expect(registered.setCookie.find((c) => c.startsWith('brickyard_csrf='))).not.toMatch(/HttpOnly/);
    expect((await ada.call('GET', '/api/auth/me')).body).toMatchObject({ username: 'ada' });
    expect((await ada.call('GET', '/api/users/ada')).body).toEqual({
      id: expect.any(String), username: 'ada', display_name: 'ada', bio: '', role: 'user', created_at: expect.any(String),
      avatar_url: expect.stringMatching(/^https:\/\/www\.gravatar\.com\/avatar\/[0-9a-f]{32}\?d=identicon/), followers: 0, following: 0,
    });
    expect(server.output()).not.toMatch(/correct horse|argon2id\$/);
  });

  test('bad sign-ups are refused with what is wrong', async () => {
    const anon = new Browser();
    expect(await anon.call('POST', '/api/auth/register', { username: 'ada', email: 'other@example.org', password: 'long enough 1' })).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect(await anon.call('POST', '/api/auth/register', { username: 'x', email: 'nope', password: 'short' })).toMatchObject({ status: 400, body: { code: 'invalid_params' } });
    expect(await anon.call('POST', '/api/auth/register', { username: "ada' OR 1=1 --", email: 'sql@example.org', password: 'long enough 1' })).toMatchObject({ status: 400 });
  });

  test('a change made with the session cookie needs the CSRF token', async () => {
    const without = await ada.call('POST', '/api/auth/password', { current: 'correct horse battery', next: 'another horse battery' }, { csrf: false });
    expect(without).toMatchObject({ status: 403, body: { code: 'forbidden', message: expect.stringMatching(/X-CSRF-Token/) } });
    const wrong = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: ada.header(), 'x-csrf-token': 'forged' } });
    expect(wrong.status).toBe(403);
    expect((await ada.call('GET', '/api/auth/me')).status).toBe(200); // still signed in
  });

  test('sign-in makes a new session (a planted one is never adopted); sign-out ends it for good', async () => {
    const planted = new Browser();
    planted.cookies.set('brickyard_session', 'A'.repeat(43));
    const signedIn = await planted.call('POST', '/api/auth/login', { username: 'ada', password: 'correct horse battery' });
    expect(signedIn.status).toBe(200);
    const session = planted.cookies.get('brickyard_session')!;
    expect(session).not.toBe('A'.repeat(43));
    const stolen = planted.header();
    expect((await planted.call('POST', '/api/auth/logout')).status).toBe(200);
    const replay = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: stolen } });
    expect(replay.status).toBe(401);
  });

  test('wrong passwords: one message for both mistakes, then 429 per account', async () => {
    const guesser = new Browser();
    const unknown = await guesser.call('POST', '/api/auth/login', { username: 'nobody', password: 'x' });
    const wrong = await guesser.call('POST', '/api/auth/login', { username: 'ada', password: 'guess 1' });
    expect(unknown.body.message).toBe(wrong.body.message);
    expect(wrong).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    for (let i = 2; i <= 3; i++) await guesser.call('POST', '/api/auth/login', { username: 'ada', password: `guess ${i}` });
    const blocked = await guesser.call('POST', '/api/auth/login', { username: 'ada', password: 'correct horse battery' });
    expect(blocked).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
  });

  test('a password change ends every other session', async () => {
    const phone = new Browser();
    await phone.call('POST', '/api/auth/register', { username: 'grace', email: 'grace@example.org', password: 'first password' });
    const laptop = new Browser();
    expect((await laptop.call('POST', '/api/auth/login', { username: 'grace', password: 'first password' })).status).toBe(200);
    const changed = await phone.call('POST', '/api/auth/password', { current: 'first password', next: 'second password' });
    expect(changed.status).toBe(200);
    expect((await laptop.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await phone.call('GET', '/api/auth/me')).status).toBe(200);
    expect((await phone.call('POST', '/api/auth/password', { current: 'wrong', next: 'third password' })).status).toBe(403);
  });

  test('the signed-in user is who websockets and tasks see', async () => {
    const user = new Browser();
    const me = (await user.call('POST', '/api/auth/register', { username: 'rosalind', email: 'rf@example.org', password: 'double helix 51' })).body;
    const socket = new WebSocket(server.wsUrl, { headers: { cookie: user.header() } });
    const probe = WsProbe.wrap(socket);
    expect((await probe.next((f) => f.handler === 'welcome')).data.userId).toBe(me.id);
    socket.close();
    const anonymous = await WsProbe.open(server.wsUrl);
    expect((await anonymous.next((f) => f.handler === 'welcome')).data.userId).toBeNull();
    anonymous.close();
    const task = await user.call('POST', '/api/tasks', { kind: 'core.noop', params: {} });
    expect(task).toMatchObject({ status: 201, body: { owner: me.id } });
    expect((await user.call('GET', `/api/tasks/${task.body.id}`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/tasks/${task.body.id}`)).status).toBe(404); // not anonymous callers'
  });
});

describe('password reset', () => {
  const outbox = () => {
    const dir = `${server.home}/outbox`;
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => fs.readFileSync(`${dir}/${f}`, 'utf8')) : [];
  };
  /** The outbox once it holds `count` mails: they are sent after the answer, so that its timing says nothing. */
  const outboxOf = async (count: number) => {
    for (let waited = 0; outbox().length < count && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    return outbox();
  };

  test('the answer is the same for any email; the link goes to the outbox, works once, and ends every session', async () => {
    const turing = new Browser();
    await turing.call('POST', '/api/auth/register', { username: 'turing', email: 'at@example.org', password: 'enigma machine' });
    const before = outbox().length;
    const anon = new Browser();
    const unknown = await anon.call('POST', '/api/auth/reset', { email: 'nobody@example.org' });
    const known = await anon.call('POST', '/api/auth/reset', { email: 'at@example.org' });
    expect(unknown).toMatchObject({ status: 200 });
    expect(known.body).toEqual(unknown.body);
    const mails = await outboxOf(before + 1);
    expect(mails.length).toBe(before + 1);
    const mail = mails[mails.length - 1]!;
    expect(mail).toMatch(/^To: at@example.org\nSubject: Reset your password/);
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail)![1]!;
    expect(known.text + unknown.text).not.toContain(token);
    expect(server.output()).not.toContain(token);

    const confirmed = await anon.call('POST', '/api/auth/reset/confirm', { token, password: 'bombe machine' });
    expect(confirmed).toMatchObject({ status: 200, body: { reset: true, username: 'turing' } });
    expect((await turing.call('GET', '/api/auth/me')).status).toBe(401); // every session ended
    const again = await anon.call('POST', '/api/auth/reset/confirm', { token, password: 'colossus machine' });
    expect(again).toMatchObject({ status: 400, body: { code: 'invalid_params', message: expect.stringMatching(/unknown, already used or expired/) } });
    expect((await anon.call('POST', '/api/auth/login', { username: 'turing', password: 'bombe machine' })).status).toBe(200);
  });

  test('an expired link does not work; requests are limited per address', async () => {
    const anon = new Browser();
    const before = outbox().length;
    await anon.call('POST', '/api/auth/reset', { email: 'at@example.org' });
    const mail = (await outboxOf(before + 1)).at(-1)!;
    const token = /token=([A-Za-z0-9_-]{43})/.exec(mail)![1]!;
    const { createConnection } = await import('mysql2/promise');
    const db = await createConnection(server.database.url);
    await db.query('UPDATE accounts_password_resets SET expires_at = CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE used_at IS NULL');
    const [rows] = (await db.query('SELECT token_hash FROM accounts_password_resets')) as any;
    await db.end();
    expect(JSON.stringify(rows)).not.toContain(token); // only its hash is stored
    expect((await anon.call('POST', '/api/auth/reset/confirm', { token, password: 'too late now' })).status).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await anon.call('POST', '/api/auth/reset', { email: `x${i}@example.org` })).status);
    expect(statuses).toContain(429);
  });
});

describe('profiles and follows', () => {
  test('a user edits their profile, follows and unfollows others; anonymous callers cannot', async () => {
    const hopper = new Browser();
    await hopper.call('POST', '/api/auth/register', { username: 'hopper', email: 'gh@example.org', password: 'cobol compiler' });
    const edited = await hopper.call('PUT', '/api/users/me', { display_name: 'Grace Hopper', bio: 'Found a moth.' });
    expect(edited.body).toMatchObject({ display_name: 'Grace Hopper', bio: 'Found a moth.' });
    expect((await hopper.call('PUT', '/api/users/me', { bio: 'x'.repeat(1001) })).status).toBe(400);
    expect((await hopper.call('PUT', '/api/users/ada/follow')).body).toEqual({ following: true, followers: 1 });
    expect((await hopper.call('PUT', '/api/users/ada/follow')).body).toEqual({ following: true, followers: 1 }); // idempotent
    expect((await hopper.call('PUT', '/api/users/hopper/follow')).status).toBe(400);
    expect((await hopper.call('PUT', '/api/users/nobody-here/follow')).status).toBe(404);
    expect((await hopper.call('GET', '/api/users/ada/followers')).body).toEqual(['hopper']);
    expect((await hopper.call('GET', '/api/users/hopper/following')).body).toEqual(['ada']);
    expect((await hopper.call('GET', '/api/users/hopper')).body).toMatchObject({ display_name: 'Grace Hopper', followers: 0, following: 1 });
    expect((await hopper.call('DELETE', '/api/users/ada/follow')).body).toEqual({ following: false, followers: 0 });
    expect((await new Browser().call('PUT', '/api/users/ada/follow')).status).toBe(401);
    expect((await hopper.call('PUT', '/api/users/ada/follow', undefined, { csrf: false })).status).toBe(403);
  });
});

test('an admin account signs in with a session and reaches admin routes; a user does not', async () => {
  const boss = new Browser();
  await boss.call('POST', '/api/auth/register', { username: 'franklin', email: 'rf2@example.org', password: 'photo fifty one' });
  expect((await boss.call('GET', '/api/admin/plugins')).status).toBe(403);
  const { createConnection } = await import('mysql2/promise');
  const db = await createConnection(server.database.url);
  await db.query("UPDATE accounts_users SET role = 'admin' WHERE username = 'franklin'");
  await db.end();
  expect((await boss.call('POST', '/api/auth/login', { username: 'franklin', password: 'photo fifty one' })).body.role).toBe('admin');
  expect((await boss.call('GET', '/api/admin/plugins')).status).toBe(200);
  expect((await boss.call('POST', '/api/admin/reload', undefined, { csrf: false })).status).toBe(403); // still needs the CSRF token
  expect((await boss.call('POST', '/api/admin/reload')).status).toBe(200);
});

test('failed sign-ins are also limited per address, whichever accounts they try', async () => {
  const sprayer = new Browser();
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await sprayer.call('POST', '/api/auth/login', { username: `spray${i}`, password: 'password1' })).status);
  expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
  expect(statuses.at(-1)).toBe(429);
});
