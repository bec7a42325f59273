import { type TestServer, writePlugin } from '@brickyard/testing';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from './e2e-harness';

// The operator console's live side (issue 14, item 2): the platform event feed in its header
// and the Processes tab's metrics and last reload. A real cluster (primary, two HTTP workers,
// a job worker), an admin made by the CLI, Debian's Chromium.
const root = path.resolve(import.meta.dirname, '..', '..');
const shots = path.join(import.meta.dirname, 'screenshots');
const LIVE_MS = 8000;
const ADMIN = { username: 'liveops', password: 'watches the yard live' };
const BROKEN = 'cannot compile server/index.ts:2:1: Expression expected';

let server: TestServer;
let browser: Browser;
let pluginsDir: string;
const problems: string[] = [];

beforeAll(async () => {
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-live-plugins-'));
  fs.cpSync(path.join(root, 'plugins', 'hello'), path.join(pluginsDir, 'hello'), { recursive: true });
  ({ server, browser } = await startE2e({ pluginsDir, workers: 2, env: { JOB_WORKERS: '1', PLUGINS_WATCH: 'false' } }));
  const created = spawnSync(process.execPath, [path.join(root, 'bin', 'brickyard.js'), 'user', 'create', ADMIN.username, '--email', 'live@example.org', '--admin'], {
    cwd: root,
    input: `${ADMIN.password}\n`,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: server.database.url, BRICKYARD_HOME: server.home, PLUGINS_DIR: pluginsDir, PORT: '1' },
  });
  expect(created.stdout + created.stderr).toMatch(/created admin liveops/);
}, 180_000);

afterAll(async () => {
  await stopE2e({ server, browser });
  fs.rmSync(pluginsDir, { recursive: true, force: true });
});

async function signedIn(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  const response = await context.request.post(`${server.url}/api/auth/login`, { data: ADMIN });
  expect(response.status()).toBe(200);
  return context;
}

async function open(context: BrowserContext, route: string): Promise<Page> {
  const page = await context.newPage();
  watchProblems(page, route, problems);
  await page.goto(server.url + route);
  return page;
}

/** Waits until the console has read its events, and its socket has had time to follow admin:events (a frame sent before would not reach it). */
async function following(page: Page): Promise<void> {
  await page.locator('[data-event-feed][data-loaded]').waitFor();
  await page.waitForTimeout(500);
}

test('the event feed shows a reload and a plugin failure live, as they happen; Escape closes it', { timeout: 90_000 }, async () => {
  const context = await signedIn();
  const page = await open(context, '/admin');
  const button = page.locator('[data-event-feed-button]');
  await following(page);
  // Opened with the keyboard.
  await button.focus();
  await page.keyboard.press('Enter');
  const panel = page.locator('#admin-event-list');
  await panel.waitFor();
  expect(await button.getAttribute('aria-expanded')).toBe('true');
  // A fresh cluster: nothing has happened yet, and the panel says what will appear.
  await panel.getByText('No platform events yet.').waitFor();

  const reload = (await server.admin('POST', '/api/admin/reload')).body;
  expect(reload.ok).toBe(true);
  const reloadItem = panel.locator('[data-event-kind="reload"]', { hasText: `generation ${reload.generation}` });
  await reloadItem.waitFor({ timeout: LIVE_MS });
  expect(await reloadItem.getAttribute('data-event-outcome')).toBe('succeeded');
  expect(await reloadItem.innerText()).toMatch(/just now · admin/); // the admin token asked

  writePlugin(pluginsDir, 'broken', { 'server/index.ts': `import { definePlugin } from '@brickyard/sdk';\nexport default definePlugin({ module: ;\n` });
  expect((await server.admin('POST', '/api/admin/reload')).body.errors).toEqual([{ plugin: 'broken', error: BROKEN }]);
  const failure = panel.locator('[data-event-kind="plugin-failure"]');
  await failure.waitFor({ timeout: LIVE_MS });
  expect(await failure.count()).toBe(1); // three processes refused it: one event
  expect(await failure.getAttribute('data-event-outcome')).toBe('failed');
  expect(await failure.innerText()).toContain(`Plugin broken 1.0.0 refused: ${BROKEN}`);
  // Newest first: the failure's reload (a warning) and the failure are above the first reload.
  const kinds = await panel.locator('[data-event-kind]').evaluateAll((items) => items.map((item) => item.getAttribute('data-event-kind')));
  expect(kinds.indexOf('plugin-failure')).toBeLessThan(kinds.lastIndexOf('reload'));
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-events-desktop.png') });

  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  expect(await page.evaluate('document.activeElement?.hasAttribute("data-event-feed-button")')).toBe(true);

  // Closed, a new event is counted as unseen on the button; opening it marks them seen.
  fs.rmSync(path.join(pluginsDir, 'broken'), { recursive: true });
  expect((await server.admin('POST', '/api/admin/reload')).body.ok).toBe(true);
  await expect.poll(() => page.locator('[data-event-unseen]').innerText().catch(() => ''), { timeout: LIVE_MS }).toBe('1');
  expect(await page.getByRole('button', { name: 'Events 1 new', exact: true }).count()).toBe(1);
  await button.click();
  await panel.locator('.is-new[data-event-kind="reload"]').waitFor();
  await page.mouse.click(5, 790); // a click outside closes it too
  await panel.waitFor({ state: 'detached' });
  expect(await page.locator('[data-event-unseen]').count()).toBe(0);
  await context.close();
  expect(problems).toEqual([]);
});

test('the Processes tab shows each process\'s metrics and which processes the last reload waited for', { timeout: 60_000 }, async () => {
  fs.rmSync(path.join(pluginsDir, 'broken'), { recursive: true, force: true }); // the reload below refuses nothing
  const context = await signedIn();
  const page = await open(context, '/admin');
  await page.locator('[data-admin-tab="processes"]').click();
  await expect.poll(() => page.locator('[data-admin-process]').count(), { timeout: LIVE_MS }).toBe(4);
  for (const row of await page.locator('[data-admin-process]').all()) {
    expect(await row.locator('[data-metric="cpu"]').innerText()).toMatch(/^\d+\.\d %$/);
    expect(await row.locator('[data-metric="memory"]').innerText()).toMatch(/^\d+ MB \/ \d+ MB$/);
    expect(await row.locator('[data-metric="lag"]').innerText()).toMatch(/^\d+\.\d \/ \d+\.\d ms$/);
    expect(await row.locator('[data-metric="uptime"]').innerText()).toMatch(/^\d+ (s|min)( \d+ s)?$/);
  }
  await following(page); // the tab follows admin:events
  const reload = (await server.admin('POST', '/api/admin/reload')).body;
  const card = page.locator(`[data-last-reload][data-generation-reloaded="${reload.generation}"]`);
  await card.waitFor({ timeout: LIVE_MS });
  expect(await card.innerText()).toMatch(/every process converged/);
  expect(await card.innerText()).toMatch(/asked by admin/); // the admin token
  const waited = card.locator('[data-reload-process]');
  expect(await waited.count()).toBe(3); // two HTTP workers and the job worker; never the primary
  expect(await card.locator('[data-outcome="converged"]').count()).toBe(3);
  for (const item of await waited.all()) expect(await item.innerText()).toMatch(/\d+ ms/);
  const pids = (await waited.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-reload-process'))))).sort();
  expect(pids).toEqual(reload.converged.map((p: { pid: number }) => p.pid).sort());
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-processes-live-desktop.png'), fullPage: true });
  await context.close();
  expect(problems).toEqual([]);
});

test('at phone width: process cards, and the event list across the screen', { timeout: 60_000 }, async () => {
  const context = await signedIn({ width: 390, height: 844 });
  const page = await open(context, '/admin');
  await page.locator('[data-admin-tab="processes"]').click();
  await page.locator('[data-last-reload]').waitFor();
  await expect.poll(() => page.locator('[data-admin-process]').count(), { timeout: LIVE_MS }).toBe(4);
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-processes-live-phone.png'), fullPage: true });

  await page.locator('[data-event-feed-button]').click();
  await page.locator('#admin-event-list [data-event-kind]').first().waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-events-phone.png') });
  await context.close();
  expect(problems).toEqual([]);
});
