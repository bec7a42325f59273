import { BrowserSession, type TestServer } from '@brickyard/testing';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from './e2e-harness';

// The operator console at /admin (issue 14, item 2): a real server with two HTTP workers, the hello
// plugin in its PLUGINS_DIR, an admin made by the CLI, and Debian's Chromium.
const root = path.resolve(import.meta.dirname, '..', '..');
const shots = path.join(import.meta.dirname, 'screenshots');
const LIVE_MS = 5000;
const ADMIN = { username: 'operator', password: 'runs the whole yard' };

let server: TestServer;
let browser: Browser;
let pluginsDir: string;
const problems: string[] = [];

beforeAll(async () => {
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-admin-plugins-'));
  fs.cpSync(path.join(root, 'plugins', 'hello'), path.join(pluginsDir, 'hello'), { recursive: true });
  ({ server, browser } = await startE2e({ pluginsDir, workers: 2, env: { JOB_WORKERS: '1' } }));
  const created = spawnSync(process.execPath, [path.join(root, 'bin', 'brickyard.js'), 'user', 'create', ADMIN.username, '--email', 'ops@example.org', '--admin'], {
    cwd: root,
    input: `${ADMIN.password}\n`,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: server.database.url, BRICKYARD_HOME: server.home, PLUGINS_DIR: pluginsDir, PORT: '1' },
  });
  expect(created.stdout + created.stderr).toMatch(/created admin operator/);
}, 180_000);

afterAll(async () => {
  await stopE2e({ server, browser });
  fs.rmSync(pluginsDir, { recursive: true, force: true });
});

/** A browser context signed in as `username` (the app's session and CSRF cookies, as the sign-in page would leave). */
async function signedIn(username: string, password: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  const response = await context.request.post(`${server.url}/api/auth/login`, { data: { username, password } });
  expect(response.status()).toBe(200);
  return context;
}

async function open(context: BrowserContext, route: string, provoked?: string[]): Promise<Page> {
  const page = await context.newPage();
  watchProblems(page, route, problems, { provoked });
  await page.goto(server.url + route);
  return page;
}

/** Every admin API route the console calls, with a harmless body. */
const ADMIN_ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/admin/plugins'],
  ['POST', '/api/admin/plugins/hello/enable'],
  ['POST', '/api/admin/plugins/hello/disable'],
  ['POST', '/api/admin/plugins/hello/grants', { capability: 'database' }],
  ['DELETE', '/api/admin/plugins/hello/grants/database'],
  ['POST', '/api/admin/reload'],
  ['GET', '/api/admin/config'],
  ['PUT', '/api/admin/config/TASKS_PER_USER_LIMIT', { value: 9 }],
  ['DELETE', '/api/admin/config/TASKS_PER_USER_LIMIT'],
  ['GET', '/api/admin/tasks'],
  ['GET', '/api/admin/processes'],
];

test('a plain user gets 403 from every admin API route the console uses, and the 403 page at /admin', { timeout: 60_000 }, async () => {
  const plain = new BrowserSession(server.url);
  expect((await plain.register('plainuser', 'just a regular member')).status).toBeLessThan(300);
  for (const [method, route, body] of ADMIN_ROUTES) {
    expect({ route, status: (await plain.call(method, route, body)).status }).toEqual({ route, status: 403 });
  }
  const anonymous = new BrowserSession(server.url);
  for (const [method, route, body] of ADMIN_ROUTES) expect([401, 403]).toContain((await anonymous.call(method, route, body)).status);

  const context = await signedIn('plainuser', 'just a regular member');
  const page = await open(context, '/admin');
  await page.locator('[data-admin-forbidden]').waitFor();
  expect(await page.locator('h1').innerText()).toContain('for admins');
  expect(await page.locator('[data-admin-plugin]').count()).toBe(0);
  expect(await page.locator('[data-admin-link]').count()).toBe(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-403-desktop.png') });
  await context.close();

  const signedOut = await browser.newPage();
  watchProblems(signedOut, '/admin (signed out)', problems);
  await signedOut.goto(`${server.url}/admin`);
  await signedOut.locator('[data-admin-forbidden]').waitFor();
  await signedOut.close();
  expect(problems).toEqual([]);
});

test('an admin disables hello in /admin: its menu entry leaves a second open page live, and returns on enable', { timeout: 90_000 }, async () => {
  const context = await signedIn(ADMIN.username, ADMIN.password);
  const other = await open(context, '/');
  const menuEntry = other.locator('nav a', { hasText: 'Hello' });
  await menuEntry.first().waitFor();
  await other.locator('[data-admin-link]').waitFor();
  await other.evaluate(() => ((globalThis as { stayed?: boolean }).stayed = true));

  const adminPage = await open(context, '/admin');
  const hello = adminPage.locator('[data-admin-plugin="hello"]');
  await hello.waitFor();
  expect(await hello.locator('[data-status]').innerText()).toBe('active');

  await adminPage.locator('[data-admin-toggle="hello"]').click();
  await adminPage.locator('[data-admin-result]', { hasText: 'Disabled hello' }).waitFor({ timeout: LIVE_MS * 4 });
  expect(await adminPage.locator('[data-admin-result]').innerText()).toMatch(/Every process has it: \d+ processes applied it/);
  await hello.locator('[data-status]', { hasText: 'disabled' }).waitFor({ timeout: LIVE_MS });
  await menuEntry.first().waitFor({ state: 'detached', timeout: LIVE_MS });
  expect(await adminPage.locator('[data-admin-toggle="hello"]').innerText()).toBe('Enable');

  await adminPage.locator('[data-admin-toggle="hello"]').click();
  await adminPage.locator('[data-admin-result]', { hasText: 'Enabled hello' }).waitFor({ timeout: LIVE_MS * 4 });
  await menuEntry.first().waitFor({ timeout: LIVE_MS });
  await hello.locator('[data-status]', { hasText: 'active' }).waitFor({ timeout: LIVE_MS });
  expect(await other.evaluate(() => (globalThis as { stayed?: boolean }).stayed)).toBe(true);

  expect(await seriousAxeViolations(adminPage)).toEqual([]);
  await adminPage.screenshot({ path: path.join(shots, 'admin-plugins-desktop.png'), fullPage: true });
  await context.close();
  expect(problems).toEqual([]);
});

test('an admin edits a runtime setting, every process reports it, and reset restores the default', { timeout: 90_000 }, async () => {
  const context = await signedIn(ADMIN.username, ADMIN.password);
  // The refused value below: the browser logs its 400 rightly.
  const page = await open(context, '/admin', ['/api/admin/config/TASKS_PER_USER_LIMIT']);
  await page.locator('[data-admin-tab="config"]').click();
  const setting = page.locator('[data-setting="TASKS_PER_USER_LIMIT"]');
  await setting.waitFor();
  // Read-only and secret settings cannot be edited here.
  expect(await page.locator('[data-setting="PORT"] input').isDisabled()).toBe(true);
  expect(await page.locator('[data-setting="DATABASE_URL"]').innerText()).not.toContain(server.database.url);

  await setting.locator('input').fill('7');
  await setting.locator('button', { hasText: 'Save' }).click();
  await setting.locator('[data-setting-result]', { hasText: 'Saved' }).waitFor({ timeout: LIVE_MS * 4 });
  expect(await setting.locator('[data-setting-result]').innerText()).toMatch(/Every process has it/);
  const value = async () => (await server.admin('GET', '/api/admin/config')).body.find((s: { key: string }) => s.key === 'TASKS_PER_USER_LIMIT');
  expect(await value()).toMatchObject({ value: 7, source: 'override' });
  expect(await setting.innerText()).toContain('from override');

  // A value of the wrong type is refused by the server and said so.
  await setting.locator('input').fill('-3');
  await setting.locator('button', { hasText: 'Save' }).click();
  await setting.locator('[data-setting-result]', { hasText: 'TASKS_PER_USER_LIMIT' }).waitFor({ timeout: LIVE_MS });
  expect((await value()).value).toBe(7);

  await setting.locator('button', { hasText: 'Reset' }).click();
  await setting.locator('[data-setting-result]', { hasText: 'Reset to the default' }).waitFor({ timeout: LIVE_MS * 4 });
  expect(await value()).toMatchObject({ value: 5, source: 'default' });

  // A setting with a fixed list of values is a choice among them.
  const level = page.locator('[data-setting="LOG_LEVEL"]');
  expect(await level.locator('select option').allTextContents()).toEqual(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
  await level.locator('select').selectOption('warn');
  await level.locator('button', { hasText: 'Save' }).click();
  await level.locator('[data-setting-result]', { hasText: 'Saved' }).waitFor({ timeout: LIVE_MS * 4 });
  expect((await server.admin('GET', '/api/admin/config')).body.find((s: { key: string }) => s.key === 'LOG_LEVEL')).toMatchObject({ value: 'warn', source: 'override' });
  await level.locator('button', { hasText: 'Reset' }).click();
  await level.locator('[data-setting-result]', { hasText: 'Reset to the default' }).waitFor({ timeout: LIVE_MS * 4 });

  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-config-desktop.png') });
  await context.close();
  expect(problems).toEqual([]);
});

test('an admin follows tasks live in /admin, filters them, cancels one and reads a result', { timeout: 90_000 }, async () => {
  const user = new BrowserSession(server.url);
  expect((await user.register('taskuser', 'counts a great deal')).status).toBeLessThan(300);
  const short = await user.call('POST', '/api/tasks', { kind: 'hello.count', params: { to: 3, stepMs: 10 } });
  const long = await user.call('POST', '/api/tasks', { kind: 'hello.count', params: { to: 300, stepMs: 100 } });
  expect([short.status, long.status]).toEqual([201, 201]);
  const owner: string = long.body.owner;

  const context = await signedIn(ADMIN.username, ADMIN.password);
  const page = await open(context, '/admin');
  await page.locator('[data-admin-tab="tasks"]').click();
  await page.locator('#task-owner').fill(owner);
  const running = page.locator(`[data-admin-task="${long.body.id}"]`);
  await running.and(page.locator('[data-state="running"]')).waitFor({ timeout: LIVE_MS * 2 });
  // Progress arrives as frames: the bar moves without a reload of the list.
  const progress = () => running.locator('[role="progressbar"]').getAttribute('aria-valuenow').then(Number);
  const first = await progress();
  await expect.poll(progress, { timeout: LIVE_MS }).toBeGreaterThan(first);
  expect(await running.innerText()).toMatch(/counted \d+ of 300/);
  expect(await page.locator('[data-admin-task]').count()).toBe(2);

  const done = page.locator(`[data-admin-task="${short.body.id}"]`);
  await done.and(page.locator('[data-state="succeeded"]')).waitFor({ timeout: LIVE_MS * 2 });
  expect(await done.innerText()).toContain('Result: {"counted":3}');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-tasks-desktop.png') });

  await running.locator('button', { hasText: 'Cancel' }).click();
  await running.and(page.locator('[data-state="cancelled"]')).waitFor({ timeout: LIVE_MS });
  expect((await user.call('GET', `/api/tasks/${long.body.id}`)).body.state).toBe('cancelled');

  await page.locator('#task-state').selectOption('succeeded');
  await expect.poll(() => page.locator('[data-admin-task]').count(), { timeout: LIVE_MS }).toBe(1);
  expect(await page.locator('[data-admin-task]').getAttribute('data-admin-task')).toBe(short.body.id);
  await context.close();
  expect(problems).toEqual([]);
});

test('an admin sees every process with its role and generation, which follows a reload', { timeout: 60_000 }, async () => {
  const context = await signedIn(ADMIN.username, ADMIN.password);
  const page = await open(context, '/admin');
  await page.locator('[data-admin-tab="processes"]').click();
  // The primary, two HTTP workers and one job worker.
  await expect.poll(() => page.locator('[data-admin-process]').count(), { timeout: LIVE_MS }).toBe(4);
  expect(await page.locator('[data-role="http"]').count()).toBe(2);
  expect(await page.locator('[data-role="job"]').count()).toBe(1);
  expect(await page.locator('[data-role="primary"]').count()).toBe(1);
  const generations = () => page.locator('[data-generation]').allInnerTexts().then((all) => all.map((text) => parseInt(text, 10)));
  const before = Math.max(...(await generations()));
  expect((await server.admin('POST', '/api/admin/reload')).body.ok).toBe(true);
  await expect.poll(async () => (await generations()).every((g) => g === before + 1), { timeout: LIVE_MS * 2 }).toBe(true);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-processes-desktop.png') });
  await context.close();
  expect(problems).toEqual([]);
});

test('the console at phone width', { timeout: 60_000 }, async () => {
  const context = await signedIn(ADMIN.username, ADMIN.password, { width: 390, height: 844 });
  const page = await open(context, '/admin');
  await page.locator('[data-admin-plugin="hello"]').waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-plugins-phone.png') });
  await page.locator('[data-admin-tab="config"]').click();
  await page.locator('[data-setting="TASKS_PER_USER_LIMIT"]').waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-config-phone.png') });
  await page.locator('[data-admin-tab="tasks"]').click();
  await page.locator('[data-admin-task]').first().waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-tasks-phone.png') });
  await page.locator('[data-admin-tab="processes"]').click();
  await page.locator('[data-admin-process]').first().waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-processes-phone.png') });
  await context.close();
  expect(problems).toEqual([]);
});
