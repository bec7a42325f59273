import { type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from '../../../test/e2e/e2e-harness';

// ABACUS in Chromium against a real server: design crambin from the shipped file, watch it, see both structures.
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const shots = path.join(root, 'test', 'e2e', 'screenshots');

let server: TestServer;
let browser: Browser;
let pluginsDir: string;
const problems: string[] = [];

beforeAll(async () => {
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-abacus-'));
  fs.cpSync(path.join(root, 'plugins', 'abacus'), path.join(pluginsDir, 'abacus'), { recursive: true });
  ({ server, browser } = await startE2e({ pluginsDir, workers: 1, env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '1' } }));
}, 300_000);

afterAll(async () => {
  await stopE2e({ server, browser });
  fs.rmSync(pluginsDir, { recursive: true, force: true });
});

async function signedIn(username: string, width: number, height: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height } });
  const registered = await context.request.post(`${server.url}/api/auth/register`, { data: { username, email: `${username}@example.org`, password: 'correct horse battery' } });
  expect(registered.status()).toBe(201);
  const page = await context.newPage();
  watchProblems(page, `/plugins/abacus (${width} px)`, problems);
  await page.goto(`${server.url}/plugins/abacus/`);
  await page.getByRole('heading', { name: 'Protein design', level: 1 }).waitFor();
  return { context, page };
}

const viewersReady = (page: Page) => expect.poll(() => page.locator('.structure-viewer-stage.is-ready').count(), { timeout: 30_000 }).toBe(2);

test('design a protein from the shipped 1crn: progress, aligned sequences, both structures', { timeout: 180_000 }, async () => {
  const { context, page } = await signedIn('ada', 1280, 900);
  // A long design of GFP first (tens of seconds even on a quiet machine): its progress shows live, and it can be cancelled.
  await page.getByText('Green fluorescent protein (1GFL)').click();
  await page.getByText('Options').click();
  await page.getByLabel('Annealing sweeps').fill('50000');
  await page.getByRole('button', { name: 'Design a sequence' }).click();
  await page.getByRole('heading', { name: 'Designing…' }).waitFor();
  await expect.poll(() => page.locator('[data-abacus-status]').textContent(), { timeout: 30_000 }).toMatch(/annealing step [\d,]+ of 23,000,000, energy -?\d/);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'abacus-progress-desktop.png') });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('heading', { name: 'The design stopped' }).waitFor();
  await page.getByRole('button', { name: 'Design another' }).click();

  // Crambin, as shipped, keeping its six cysteines.
  await page.getByText('Crambin (1CRN)').click();
  await page.getByText('Options').click();
  await page.getByLabel('Keep native at').fill('A3, A4, A16, A26, A32, A40');
  await page.getByLabel('Annealing sweeps').fill('300');
  await page.getByRole('button', { name: 'Design a sequence' }).click();
  await page.getByRole('heading', { name: '1crn.pdb: designed' }).waitFor({ timeout: 60_000 });
  expect(page.url()).toMatch(/\/plugins\/abacus\/\?design=[\w-]+$/);
  const rows = page.locator('[data-abacus-row]');
  expect(await rows.count()).toBe(1);
  expect((await rows.first().locator('.abacus-native').allTextContents()).join('')).toBe('TTCCPSIVARSNFNVCRLPGTPEAICATYTGCIIIPGATCPGDYAN');
  const designed = (await rows.first().locator('.abacus-designed').allTextContents()).join('');
  expect(designed).toMatch(/^[ACDEFGHIKLMNPQRSTVWY]{46}$/);
  expect([2, 3, 15, 25, 31, 39].map((i) => designed[i]).join('')).toBe('CCCCCC');
  expect(await rows.first().locator('.abacus-ss-H').count()).toBeGreaterThan(10);
  await viewersReady(page);
  expect(await page.getByRole('application', { name: /1crn\.pdb, native/ }).count()).toBe(1);
  expect(await page.getByRole('application', { name: /1crn\.pdb, designed/ }).count()).toBe(1);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'abacus-desktop.png'), fullPage: true });
  const download = await page.getByRole('link', { name: 'Download PDB' }).getAttribute('href');
  const pdb = await (await context.request.get(`${server.url}${download}`)).text();
  expect(pdb.split('\n').filter((l) => l.startsWith('ATOM') && l.slice(12, 16) === ' CA ').map((l) => l.slice(17, 20))).toHaveLength(46);

  // The design is a link: opened again (here on a phone), it shows the same result.
  const url = page.url();
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  watchProblems(phone, '/plugins/abacus (390 px)', problems);
  await phone.goto(url);
  await phone.getByRole('heading', { name: '1crn.pdb: designed' }).waitFor({ timeout: 30_000 });
  await viewersReady(phone);
  expect(await phone.locator('[data-abacus-row]').count()).toBe(4); // 15 positions a row fit a phone
  expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(phone)).toEqual([]);
  await phone.screenshot({ path: path.join(shots, 'abacus-phone.png'), fullPage: true });
  // and ada was told
  const notices = await (await context.request.get(`${server.url}/api/notices?category=ABACUS`)).json();
  expect(notices.items.some((n: { message: string }) => n.message.startsWith('ABACUS designed 1crn.pdb'))).toBe(true);
  await context.close();
  expect(problems).toEqual([]);
});

test('a visitor who is not signed in is asked to sign in', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  watchProblems(page, '/plugins/abacus (anonymous)', problems);
  await page.goto(`${server.url}/plugins/abacus/`);
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
  expect(await page.getByRole('button', { name: 'Design a sequence' }).count()).toBe(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.close();
  expect(problems).toEqual([]);
});
