import type { TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from './e2e-harness';
import { startRegistryStub } from './registry-stub';

// The browser app in Debian's Chromium against a real server (demo parts, a job worker, the
// hello plugin for a task): search, part pages and their live updates, the shell, accessibility,
// and screenshots of the main pages (test/e2e/screenshots/, committed, looked at).
const root = path.resolve(import.meta.dirname, '..', '..');
const shots = path.join(import.meta.dirname, 'screenshots');
/** A part whose Registry answer takes a while: its page shows the wait, then the extras pushed over the websocket. */
const SLOW_PART = 'BBa_B0034';

let server: TestServer;
let registry: Awaited<ReturnType<typeof startRegistryStub>>;
let browser: Browser;
const problems: string[] = [];
/** Requests that fail on purpose below (a query the API refuses, a part that does not exist): the browser logs them, rightly. */
const provoked = ['/api/parts?q=x%3Awhat', '/api/parts/BBa_NOPE404'];

beforeAll(async () => {
  registry = await startRegistryStub(new Set([SLOW_PART]), 2000);
  const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-e2e-plugins-'));
  fs.cpSync(path.join(root, 'plugins', 'hello'), path.join(pluginsDir, 'hello'), { recursive: true });
  ({ server, browser } = await startE2e({
    pluginsDir,
    env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '1', PARTS_SOURCE_URL: registry.url, PARTS_SOURCE_ALLOWED_HOSTS: registry.host },
  }));
});

afterAll(async () => {
  await stopE2e({ server, browser });
  await registry?.close();
});

/** A page whose console errors, failed requests and uncaught exceptions are collected: none are allowed. */
async function open(context: BrowserContext, route: string): Promise<Page> {
  const page = await context.newPage();
  watchProblems(page, route, problems, { provoked });
  await page.goto(server.url + route);
  return page;
}

const newContext = (viewport = { width: 1280, height: 800 }, colorScheme: 'light' | 'dark' = 'light') => browser.newContext({ viewport, colorScheme });

test('search, open a part, its page shows name, badges and subparts; a subpart opens its own page', async () => {
  const context = await newContext();
  const page = await open(context, '/');
  await page.locator('#home-q').fill('terminator');
  await page.locator('#home-q').press('Enter');
  await page.waitForURL(/\/parts\?q=terminator$/);
  await expect.poll(() => page.locator('#results-title').textContent()).toMatch(/\d+ parts? match “terminator”/);

  await page.locator('.result a.part-name', { hasText: 'BBa_B0015' }).click();
  await page.waitForURL(/\/parts\/BBa_B0015$/);
  await expect.poll(() => page.locator('h1 .part-name').textContent()).toBe('BBa_B0015');
  const badges = await page.locator('.part-head .part-badges .badge').allTextContents();
  expect(badges.map((b) => b.trim())).toEqual(expect.arrayContaining(['Terminator', 'Status: Available']));
  expect(await page.title()).toBe('BBa_B0015 · Brickyard');
  const subparts = page.locator('section[aria-labelledby="sub-title"] a.part-name');
  expect(await subparts.allTextContents()).toEqual(['BBa_B0010', 'BBa_B0012', 'BBa_B0010', 'BBa_B0012']);
  // The weight, explained in words, and the downloads.
  expect(await page.locator('#weight-title + .weight-big').textContent()).toMatch(/^\d+\.\d \/ 100$/);
  expect(await page.locator('.weight-lines li').count()).toBeGreaterThan(2);
  expect(await page.locator('a[download]', { hasText: 'FASTA' }).getAttribute('href')).toBe('/api/parts/BBa_B0015/export?format=fasta');

  await subparts.first().click();
  await page.waitForURL(/\/parts\/BBa_B0010$/);
  await expect.poll(() => page.locator('h1 .part-name').textContent()).toBe('BBa_B0010');
  await expect.poll(() => page.locator('section[aria-labelledby="used-title"] a.part-name').allTextContents()).toContain('BBa_B0015');
  await context.close();
});

test('filters, sort and page live in the URL, and a reload keeps them', async () => {
  const context = await newContext();
  const page = await open(context, '/parts');
  await expect.poll(() => page.locator('#results-title').textContent()).toMatch(/^\d+ parts$/);
  await page.locator('.pagination a', { hasText: 'Next' }).click();
  await page.waitForURL(/\/parts\?page=2$/);
  await page.locator('#filter-type').selectOption('Terminator');
  await page.waitForURL(/\/parts\?type=Terminator$/); // a new filter starts again at page 1
  await page.locator('#search-sort').selectOption('-uses');
  await page.waitForURL(/type=Terminator&sort=-uses$/);
  await page.reload();
  expect(await page.locator('#filter-type').inputValue()).toBe('Terminator');
  expect(await page.locator('#search-sort').inputValue()).toBe('-uses');
  await expect.poll(() => page.locator('.result .badge-type').allTextContents()).toEqual(expect.arrayContaining(['Terminator']));
  expect(new Set(await page.locator('.result .badge-type').allTextContents())).toEqual(new Set(['Terminator']));

  // No match is said, with a way out; a query the API cannot read is said too.
  await page.goto(`${server.url}/parts?q=zzqqxxnothing`);
  await expect.poll(() => page.locator('.state-card').textContent()).toContain('No parts match');
  await page.goto(`${server.url}/parts?q=${encodeURIComponent('x:what')}`);
  await expect.poll(() => page.locator('.state-error').textContent()).toContain('unknown prefix');
  await context.close();
});

test('search marks the matched words (T7, a name without BBa_) and suggests names while typing', async () => {
  const context = await newContext();
  const page = await open(context, '/parts?q=t7%20promoter');
  const first = page.locator('.result').first();
  await expect.poll(() => first.locator('a.part-name').textContent()).toBe('BBa_I719005');
  expect((await first.locator('.result-desc mark.search-hit').allTextContents()).map((t) => t.toLowerCase())).toEqual(expect.arrayContaining(['t7', 'promoter']));
  await page.goto(`${server.url}/parts?q=I719005`);
  await expect.poll(() => page.locator('.result a.part-name mark.search-hit').first().textContent()).toBe('I719005');
  // The search box offers part names as they are typed, without their BBa_ too.
  await page.locator('#search-q').fill('I71900');
  await expect.poll(() => page.locator('#search-suggestions option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value))).toContain('BBa_I719005');
  await context.close();
});

test('a part page opened by its URL takes its code and data from the preloads the server named', async () => {
  const context = await newContext();
  const page = await context.newPage();
  watchProblems(page, '/parts/BBa_C0012 (preloads)', problems, { counted: (message) => message.type() === 'error' || /preload/i.test(message.text()) });
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto(`${server.url}/parts/BBa_C0012`);
  await page.locator('.seqmap[data-map-state="drawn"]').waitFor();
  const html = await (await fetch(`${server.url}/parts/BBa_C0012`)).text();
  expect(html).toContain('<link rel="preload" as="fetch" crossorigin href="/api/parts/BBa_C0012">');
  expect(html).toMatch(/<link rel="modulepreload" href="\/assets\/PartPage-[\w-]+\.js">/);
  expect(html).toMatch(/<link rel="modulepreload" href="\/shared\/SequenceMap\.[\w-]+\.js">/);
  // One request each: the page's own fetch and imports were answered by the preloads (a mismatch would fetch twice and warn).
  expect(requested.filter((p) => p === '/api/parts/BBa_C0012')).toHaveLength(1);
  expect(requested.filter((p) => /^\/assets\/PartPage-[\w-]+\.(js|css)$/.test(p))).toHaveLength(2);
  await page.waitForTimeout(3500); // Chromium warns of a preload left unused a few seconds after load
  await context.close();
});

test('a part page shows the Registry extras when the server pushes them, without a reload', async () => {
  const context = await newContext();
  const page = await open(context, `/parts/${SLOW_PART}`);
  await expect.poll(() => page.locator('[aria-labelledby="extras-title"]').textContent()).toContain('Fetching from the Registry');
  await expect.poll(() => page.locator('.param-list').textContent(), { timeout: 15_000 }).toContain('efficiency0.97');
  expect(await page.locator('.category-list').textContent()).toContain('//terminator/double');
  await context.close();
});

test('the shell: live connection, a task with a live progress bar, the signed-in user and the notices bell', async () => {
  const context = await newContext();
  const page = await open(context, '/');
  await expect.poll(() => page.locator('.connection').getAttribute('class')).toContain('connection-connected');
  expect(await page.locator('a', { hasText: 'Sign in' }).count()).toBe(1);

  // Submitted through the page's own @brickyard/client (the import map's single instance), with this tab's socket.
  await expect.poll(() => page.evaluate("import('@brickyard/client').then((c) => c.connection.socketId ?? null)")).not.toBeNull();
  await page.evaluate("import('@brickyard/client').then((c) => c.submitTask('hello.count', { to: 6, stepMs: 250 }))");
  await page.locator('button[aria-controls="task-tray"]').click();
  const bar = page.locator('#task-tray .progress');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 15_000 }).toBe(100);
  expect(await page.locator('#task-tray').textContent()).toContain('Done');
  await page.keyboard.press('Escape');
  expect(await page.locator('#task-tray').isVisible()).toBe(false);

  const username = `e2e${Date.now().toString(36)}`;
  const status = await page.evaluate(
    async (body) => (await fetch('/api/auth/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status,
    { username, email: `${username}@example.org`, password: 'correct horse battery' },
  );
  expect(status).toBe(201);
  await page.reload();
  await expect.poll(() => page.locator('.user-chip').textContent()).toContain(username);
  await expect.poll(() => page.locator('button.notice-bell').getAttribute('aria-label')).toBe('Notifications, none unread');
  await context.close();
});

test('keyboard: the skip link leads to the content; an unknown path is a 404 page, not a blank one', async () => {
  const context = await newContext();
  const page = await open(context, '/no/such/page');
  await expect.poll(() => page.locator('h1').textContent()).toBe('This page does not exist');
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
  await page.keyboard.press('Enter');
  expect(await page.evaluate('document.activeElement?.id')).toBe('main');
  await page.goto(`${server.url}/parts/BBa_NOPE404`);
  await expect.poll(() => page.locator('h1').textContent()).toBe('No part named BBa_NOPE404');
  await context.close();
});

test('axe-core finds no serious or critical violation on home, search and part pages, light and dark', { timeout: 120_000 }, async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await newContext(undefined, colorScheme);
    for (const [route, ready] of [['/', '.part-card .part-name'], ['/parts?q=terminator', '.result'], ['/parts/BBa_B0015', '.weight-lines']] as const) {
      const page = await open(context, route);
      await page.locator(ready).first().waitFor();
      expect(await seriousAxeViolations(page), `${route} (${colorScheme})`).toEqual([]);
      await page.close();
    }
    await context.close();
  }
});

test('screenshots of the main pages at desktop and phone widths', { timeout: 120_000 }, async () => {
  fs.mkdirSync(shots, { recursive: true });
  const pages = [
    ['home', '/', '.part-card .part-name'],
    ['search', '/parts?q=t7%20promoter', '.result mark.search-hit'],
    ['part', '/parts/BBa_B0015', '.seqmap[data-map-state="drawn"]'], // the map drawn: the same picture as sequence-map.test.ts takes
    ['404', '/no-such-page', '.not-found'],
  ] as const;
  const sizes = [
    ['desktop', { width: 1280, height: 800 }, 'light'],
    ['phone', { width: 390, height: 844 }, 'light'],
    ['desktop-dark', { width: 1280, height: 800 }, 'dark'],
  ] as const;
  const taken: string[] = [];
  for (const [size, viewport, scheme] of sizes) {
    const context = await newContext(viewport, scheme);
    for (const [name, route, ready] of pages) {
      if (scheme === 'dark' && name !== 'part') continue;
      const page = await open(context, route);
      await page.locator(ready).first().waitFor();
      await page.locator('.connection-connected').waitFor();
      await page.screenshot({ path: path.join(shots, `${name}-${size}.png`) });
      taken.push(`${name}-${size}.png`);
      await page.close();
    }
    await context.close();
  }
  // Counted among this test's own files: other tests keep their screenshots here too.
  expect(fs.readdirSync(shots).filter((f) => taken.includes(f))).toHaveLength(9);
});

test('no console errors, failed loads or uncaught exceptions on any page above', () => {
  expect(problems).toEqual([]);
});
