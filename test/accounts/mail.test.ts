import * as fs from 'node:fs';
import { startTestServer, type TestServer } from '@brickyard/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Browser } from './browser';
import { bodyOf, startSmtpServer } from './smtp-server';

// Mail by SMTP, chosen by a setting for each mail: a real SMTP conversation
// with a server written in the test (node:net), which keeps what it receives.
let server: TestServer;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const SMTP_PASSWORD = 'smtp-pass-7f3a9c';

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({
    env: {
      PLUGINS_WATCH: 'false',
      JOB_WORKERS: '0',
      ACCOUNTS_SMTP_URL: `smtp://mailer:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}`,
      ACCOUNTS_MAIL_FROM: 'Brickyard <registry@brickyard.test>',
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

const browser = () => new Browser(() => server.url);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits (up to 5 s) for `check` to hold: mail is sent after the answer. */
async function eventually<T>(check: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < 5000; waited += 50) {
    const value = check();
    if (value) return value;
    await sleep(50);
  }
  throw new Error('timed out waiting');
}
const tokenIn = (text: string) => /token=([A-Za-z0-9_-]{43})/.exec(text)?.[1];
const tokens: string[] = [];

describe('mail by SMTP', () => {
  test('the SMTP URL is a secret: masked in the settings, never in the log', async () => {
    const listed = await server.admin('GET', '/api/admin/config');
    const entry = (listed.body as { key: string; value: unknown; secret: boolean; section: string }[]).find((s) => s.key === 'ACCOUNTS_SMTP_URL');
    expect(entry).toMatchObject({ section: 'accounts', secret: true, value: '********' });
    expect(JSON.stringify(listed.body)).not.toContain(SMTP_PASSWORD);
    expect(server.output()).not.toContain(SMTP_PASSWORD);
  });

  test('switched to smtp at runtime, the reset link arrives by SMTP, answers are the same for any email, and the link works once', async () => {
    const franklin = browser();
    expect((await franklin.call('POST', '/api/auth/register', { username: 'franklin', email: 'rf@example.org', password: 'photo fifty one' })).status).toBe(201);
    expect((await server.admin('PUT', '/api/admin/config/ACCOUNTS_MAIL_TRANSPORT', { value: 'smtp' })).status).toBe(200);

    const anon = browser();
    const unknown = await anon.call('POST', '/api/auth/reset', { email: 'nobody@example.org' });
    const known = await anon.call('POST', '/api/auth/reset', { email: 'rf@example.org' });
    expect(known).toMatchObject({ status: 200 });
    expect(known.body).toEqual(unknown.body);

    const mail = await eventually(() => smtp.received.at(-1));
    expect(smtp.received).toHaveLength(1); // none for the unknown email
    expect(mail.auth).toEqual({ user: 'mailer', password: SMTP_PASSWORD });
    expect(mail.from).toBe('registry@brickyard.test');
    expect(mail.to).toEqual(['rf@example.org']);
    expect(mail.data).toMatch(/^Subject: Reset your password\r$/m);
    expect(mail.data).toMatch(/^From: Brickyard <registry@brickyard\.test>\r$/m);
    const token = tokenIn(bodyOf(mail.data))!;
    expect(token).toBeDefined();
    tokens.push(token);
    expect(known.text + unknown.text).not.toContain(token);
    expect(server.output()).not.toContain(token);
    expect(fs.existsSync(`${server.home}/outbox`)).toBe(false); // nothing went to the outbox

    expect(await anon.call('POST', '/api/auth/reset/confirm', { token, password: 'double helix' })).toMatchObject({ status: 200, body: { reset: true, username: 'franklin' } });
    expect(await anon.call('POST', '/api/auth/reset/confirm', { token, password: 'triple helix' })).toMatchObject({ status: 400, body: { code: 'invalid_params' } });
    expect((await browser().call('POST', '/api/auth/login', { username: 'franklin', password: 'double helix' })).status).toBe(200);
    expect((await franklin.call('GET', '/api/auth/me')).status).toBe(401); // the reset ended every session
  });

  test('a failed send tells the requester nothing, and is logged without the link', async () => {
    smtp.state.rejectData = true;
    try {
      const anon = browser();
      const unknown = await anon.call('POST', '/api/auth/reset', { email: 'nobody-else@example.org' });
      const known = await anon.call('POST', '/api/auth/reset', { email: 'rf@example.org' });
      expect(known.status).toBe(200);
      expect(known.body).toEqual(unknown.body);

      const refused = await eventually(() => smtp.refused.at(-1));
      const token = tokenIn(bodyOf(refused.data))!;
      expect(token).toBeDefined(); // the server had the link, and quoted its line in its refusal
      tokens.push(token);
      const line = await eventually(() => server.output().split('\n').find((l) => l.includes('"msg":"mail not sent"')));
      expect(JSON.parse(line)).toMatchObject({ plugin: 'accounts', to: 'rf@example.org', transport: 'smtp', error: { responseCode: 554 } });
      expect(server.output()).not.toContain(token);
      expect(server.output()).not.toContain(SMTP_PASSWORD);
    } finally {
      smtp.state.rejectData = false;
    }
  });

  test('back to the outbox by the setting, for the next mail', async () => {
    expect((await server.admin('PUT', '/api/admin/config/ACCOUNTS_MAIL_TRANSPORT', { value: 'outbox' })).status).toBe(200);
    const before = smtp.received.length;
    await browser().call('POST', '/api/auth/reset', { email: 'rf@example.org' });
    const file = await eventually(() => (fs.existsSync(`${server.home}/outbox`) ? fs.readdirSync(`${server.home}/outbox`).filter((f) => f.endsWith('.eml'))[0] : undefined));
    const mail = fs.readFileSync(`${server.home}/outbox/${file}`, 'utf8');
    expect(mail).toMatch(/^To: rf@example.org\nSubject: Reset your password\nFrom: Brickyard <registry@brickyard\.test>\n/);
    tokens.push(tokenIn(mail)!);
    expect(smtp.received.length).toBe(before);
  });

  test('no answer held a reset token, a password or its hash', () => {
    expect(tokens).toHaveLength(3);
    for (const answer of Browser.answers) {
      expect(answer).not.toMatch(/argon2|password_?hash/i);
      for (const token of tokens) expect(answer).not.toContain(token);
    }
  });
});
