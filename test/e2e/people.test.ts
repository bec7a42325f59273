import type { TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from './e2e-harness';

// The people pages in Debian's Chromium against a real server: sign up, out and in; a notice
// that arrives live in the bell and is marked read; following from a profile; accessibility
// and screenshots (test/e2e/screenshots/, looked at).
const shots = path.join(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';
const PART = 'BBa_B0015';
const stamp = Date.now().toString(36);
const ALICE = `alice${stamp}`;
const BOB = `bob${stamp}`;

let server: TestServer;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  ({ server, browser } = await startE2e({ env: { JOB_WORKERS: '0', ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT: '3' } }));
});

afterAll(async () => {
  await stopE2e({ server, browser });
});

/** A one-pixel PNG: profiles without an upload show Gravatar's identicon, a host this test machine cannot reach. */
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mO8c+fOfwAIUANPbJ0F8wAAAABJRU5ErkJggg==', 'base64');

async function newContext(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.route('https://www.gravatar.com/**', (route) => route.fulfill({ contentType: 'image/png', body: PIXEL }));
  return context;
}

async function open(context: BrowserContext, route: string, provoked: string[] = []): Promise<Page> {
  const page = await context.newPage();
  watchProblems(page, route, problems, { provoked });
  await page.goto(server.url + route);
  return page;
}

/** A JSON request with the page's cookies and its CSRF token, as the app sends it. */
async function call(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const token = (await page.context().cookies()).find((cookie) => cookie.name === 'brickyard_csrf')?.value;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['x-csrf-token'] = decodeURIComponent(token);
  return page.evaluate(
    async ({ method, url, body, headers }) => {
      const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, json: await response.json().catch(() => null) };
    },
    { method, url, body, headers },
  );
}

async function signIn(page: Page, username: string) {
  await page.goto(server.url + '/sign-in');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.user-chip').waitFor();
}

test('sign up, sign out, a wrong password is said in words, sign in', async () => {
  const context = await newContext();
  const page = await open(context, '/sign-up', ['/api/auth/login']);
  await page.getByLabel('Username').fill(ALICE);
  await page.getByLabel('Email').fill(`${ALICE}@example.org`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/settings$/);
  await expect.poll(() => page.locator('.user-chip').textContent()).toContain(ALICE);

  await page.locator('#sign-out').click();
  await page.waitForURL(server.url + '/');
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor();

  await page.goto(server.url + '/sign-in');
  await page.getByLabel('Username').fill(ALICE);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toBe('The username or the password is wrong.');
  await signIn(page, ALICE);
  expect(await page.locator('.user-chip').textContent()).toContain(ALICE);

  // Past the failures allowed for one name (3 here), the 429 is said in words.
  const ghost = await open(context, '/sign-in', ['/api/auth/login']);
  for (let attempt = 0; attempt < 4; attempt++) {
    await ghost.getByLabel('Username').fill(`ghost${stamp}`);
    await ghost.getByLabel('Password').fill('guess');
    await ghost.getByRole('button', { name: 'Sign in' }).click();
    await ghost.getByRole('button', { name: 'Sign in' }).and(ghost.locator(':enabled')).waitFor();
  }
  await expect.poll(() => ghost.getByRole('alert').textContent()).toMatch(/^Please wait\. Too many failed sign-ins: try again in \d+ minutes\.$/);
  await context.close();
  expect(problems).toEqual([]);
});

test('a comment on my experience arrives live in the bell; mark all read clears it', async () => {
  const mine = await newContext();
  const page = await open(mine, '/');
  await signIn(page, ALICE);
  const experience = await call(page, 'POST', '/api/forum/experiences', { part_name: PART, title: 'Clean stop in DH5α', text: 'Read-through **under 2 %**.', works: true });
  expect(experience.status).toBe(201);
  await page.locator('.notice-bell').waitFor();
  expect(await page.locator('.notice-bell .tool-count').count()).toBe(0);

  const theirs = await newContext();
  const other = await open(theirs, '/');
  expect((await call(other, 'POST', '/api/auth/register', { username: BOB, email: `${BOB}@example.org`, password: PASSWORD })).status).toBe(201);
  expect((await call(other, 'POST', `/api/forum/experiences/${experience.json.id}/comments`, { text: 'Same here with <b>MG1655</b>.' })).status).toBe(201);

  // Live: no reload on this page.
  await expect.poll(() => page.locator('.notice-bell .tool-count').textContent(), { timeout: 10_000 }).toBe('1');
  await page.locator('.notice-bell').click();
  const item = page.locator('#notice-menu .people-item').first();
  await expect.poll(() => item.textContent()).toContain(BOB);
  expect(await page.locator('#notice-menu a[href^="/users/"]').count()).toBeGreaterThan(0);
  expect(await page.locator('#notice-menu b').count()).toBe(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.locator('#notice-menu').getByRole('button', { name: 'Mark all read' }).click();
  await expect.poll(() => page.locator('.notice-bell .tool-count').count()).toBe(0);

  // The notices page lists it, read.
  await page.goto(server.url + '/notices');
  await expect.poll(() => page.locator('.people-item').first().textContent()).toContain(BOB);
  expect(await page.locator('.notice-unread').count()).toBe(0);
  await mine.close();
  await theirs.close();
  expect(problems).toEqual([]);
});

test('follow and unfollow from a profile; the count follows', async () => {
  const context = await newContext();
  const page = await open(context, '/');
  await signIn(page, ALICE);
  await page.goto(`${server.url}/users/${BOB}`);
  const button = page.locator('#follow-button');
  await expect.poll(() => button.textContent()).toContain('Follow');
  expect(await page.locator('#profile-followers').textContent()).toBe('0');
  await button.click();
  await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
  expect(await page.locator('#profile-followers').textContent()).toBe('1');
  await page.reload();
  await expect.poll(() => page.locator('#follow-button').getAttribute('aria-pressed')).toBe('true');
  await page.locator('#follow-button').click();
  await expect.poll(() => page.locator('#profile-followers').textContent()).toBe('0');
  await context.close();
  expect(problems).toEqual([]);
});

test('a profile lists the parts its user starred and watches, newest first', async () => {
  const context = await newContext();
  const page = await open(context, '/');
  await signIn(page, ALICE);
  expect((await call(page, 'PUT', '/api/parts/BBa_B0015/star', {})).status).toBe(200);
  expect((await call(page, 'PUT', '/api/parts/BBa_B0034/star', {})).status).toBe(200);
  expect((await call(page, 'PUT', '/api/parts/BBa_B0034/watch', {})).status).toBe(200);
  await page.goto(`${server.url}/users/${ALICE}`);
  const stars = page.locator('[data-user-parts="stars"] .people-item');
  await expect.poll(() => stars.allTextContents()).toHaveLength(2);
  expect((await stars.first().textContent()) ?? '').toContain('BBa_B0034');
  await expect.poll(() => page.locator('[data-user-parts="watches"]').textContent()).toContain('BBa_B0034');
  await stars.first().getByRole('link').click();
  await page.waitForURL(/\/parts\/BBa_B0034$/);
  // Someone else's profile with nothing starred says so.
  await page.goto(`${server.url}/users/${BOB}`);
  await expect.poll(() => page.locator('[data-user-parts="stars"]').textContent()).toContain('No starred parts yet');
  await context.close();
  expect(problems).toEqual([]);
});

test('the home timeline pages back with "Show older" until nothing is left', async () => {
  const writer = `tl${stamp}`;
  const context = await newContext();
  const page = await open(context, '/');
  expect((await call(page, 'POST', '/api/auth/register', { username: writer, email: `${writer}@example.org`, password: PASSWORD })).status).toBe(201);
  const names: string[] = (await call(page, 'GET', '/api/parts?max_results=10')).json.items.map((part: { part_name: string }) => part.part_name);
  expect(names).toHaveLength(10);
  for (const name of names) expect((await call(page, 'PUT', `/api/parts/${name}/watch`, {})).status).toBe(200);
  expect((await call(page, 'POST', '/api/auth/logout', {})).status).toBe(200);
  await signIn(page, BOB);
  expect((await call(page, 'PUT', `/api/users/${writer}/follow`, {})).status).toBe(200);
  await page.goto(server.url + '/');
  const entries = page.locator('#timeline-title ~ .people-list .people-item');
  await expect.poll(() => entries.count()).toBe(8);
  await page.locator('[data-timeline-older]').click();
  await expect.poll(() => entries.count()).toBe(10);
  expect(await page.locator('[data-timeline-older]').count()).toBe(0);
  expect(await entries.last().textContent()).toContain(names[0]);
  await context.close();
  expect(problems).toEqual([]);
});

test('the account menu opens from the navbar, leads to the account pages, closes with Escape, and signs out', async () => {
  const context = await newContext();
  const page = await open(context, '/');
  await signIn(page, ALICE);
  const button = page.locator('[data-account-menu]');
  await button.click();
  const menu = page.locator('#account-menu');
  await menu.waitFor();
  expect(await button.getAttribute('aria-expanded')).toBe('true');
  for (const name of ['Your profile', 'Notices', 'Settings', 'Submit a plugin']) await menu.getByRole('link', { name }).waitFor();
  expect(await menu.locator('[data-admin-menu-link]').count()).toBe(0); // not an admin
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'account-menu-desktop.png') });
  await page.keyboard.press('Escape');
  await expect.poll(() => menu.isVisible()).toBe(false);
  await expect.poll(() => page.evaluate('document.activeElement?.hasAttribute("data-account-menu")')).toBe(true);
  await button.click();
  await menu.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL(/\/settings$/);
  await expect.poll(() => menu.isVisible()).toBe(false);
  await button.click();
  await menu.locator('[data-sign-out]').click();
  await page.waitForURL(server.url + '/');
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
  expect(await page.locator('[data-account-menu]').count()).toBe(0);
  await context.close();
  expect(problems).toEqual([]);
});

test('a picture chosen in settings is previewed, then uploaded and shown on the profile', async () => {
  const context = await newContext();
  const page = await open(context, '/');
  await signIn(page, ALICE);
  // A real PNG: the site's own mark, drawn by Chromium.
  const png = await page.locator('.brand-mark').first().screenshot();
  await page.goto(server.url + '/settings');
  await page.getByLabel(/PNG, JPEG/).setInputFiles({ name: 'bricks.png', mimeType: 'image/png', buffer: png });
  await expect.poll(() => page.locator('form:has(#settings-file) img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect.poll(() => page.locator('#status-avatar').textContent()).toBe('Picture saved.');
  await page.goto(`${server.url}/users/${ALICE}`);
  await expect.poll(() => page.locator('.profile-avatar').getAttribute('src')).toMatch(new RegExp(`^/api/users/${ALICE}/avatar\\?v=`));
  await context.close();
  expect(problems).toEqual([]);
});

test('password reset: the mailed /reset?token= link sets a new password that signs in', async () => {
  const carol = `carol${stamp}`;
  const context = await newContext();
  const page = await open(context, '/');
  expect((await call(page, 'POST', '/api/auth/register', { username: carol, email: `${carol}@example.org`, password: PASSWORD })).status).toBe(201);
  await call(page, 'POST', '/api/auth/logout', {});
  await page.goto(server.url + '/reset');
  await page.getByLabel('Email of your account').fill(`${carol}@example.org`);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect.poll(() => page.locator('.alert-success').textContent()).toContain('on its way');

  const outbox = path.join(server.home, 'outbox');
  const mail = async () => {
    const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
    const texts = files.map((f) => fs.readFileSync(path.join(outbox, f), 'utf8')).filter((t) => t.includes(`To: ${carol}@example.org`));
    return /\/reset\?token=([A-Za-z0-9_-]+)/.exec(texts[0] ?? '')?.[1];
  };
  await expect.poll(mail, { timeout: 10_000 }).toBeTruthy();
  await page.goto(`${server.url}/reset?token=${await mail()}`);
  await page.getByLabel('New password').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect.poll(() => page.locator('.alert-success').textContent()).toContain('password is changed');

  await page.goto(server.url + '/sign-in');
  await page.getByLabel('Username').fill(carol);
  await page.getByLabel('Password').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.locator('.user-chip').textContent()).toContain(carol);
  await context.close();
  expect(problems).toEqual([]);
});

test('screenshots and axe: sign-in, settings, profile, notices at desktop and phone widths', async () => {
  for (const [size, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
    const context = await newContext(viewport);
    const page = await open(context, '/sign-in');
    await page.getByLabel('Username').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, `sign-in-${size}.png`) });
    await signIn(page, ALICE);
    for (const [name, route, ready] of [
      ['settings', '/settings', '#settings-name'],
      ['profile', `/users/${ALICE}`, '.profile-head'],
      ['notices', '/notices', '.people-item'],
      ['home-signed-in', '/', '#timeline-title ~ .people-list, #timeline-title ~ .state-card'],
    ] as const) {
      await page.goto(server.url + route);
      await page.locator(ready).waitFor();
      if (name === 'settings') await expect.poll(() => page.locator('#settings-name').inputValue()).toBe(ALICE);
      expect(await seriousAxeViolations(page), `${name} ${size}`).toEqual([]);
      await page.screenshot({ path: path.join(shots, `${name}-${size}.png`), fullPage: true });
    }
    await page.locator('.notice-bell').click();
    await page.locator('#notice-menu .people-item').first().waitFor();
    expect(await seriousAxeViolations(page), `notice menu ${size}`).toEqual([]);
    await page.screenshot({ path: path.join(shots, `notice-menu-${size}.png`) });
    await context.close();
  }
  expect(problems).toEqual([]);
});
