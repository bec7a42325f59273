import { type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from '../../../test/e2e/e2e-harness';

// BioCircuit in Chromium against a real server: enter a table, see the circuits drawn, the bars and the DNA.
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const shots = path.join(root, 'test', 'e2e', 'screenshots');

let server: TestServer;
let browser: Browser;
let pluginsDir: string;
const problems: string[] = [];

beforeAll(async () => {
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-biocircuit-'));
  fs.cpSync(path.join(root, 'plugins', 'biocircuit'), path.join(pluginsDir, 'biocircuit'), { recursive: true });
  ({ server, browser } = await startE2e({ pluginsDir, workers: 1, env: { PLUGINS_WATCH: 'false' } }));
}, 300_000);

afterAll(async () => {
  await stopE2e({ server, browser });
  fs.rmSync(pluginsDir, { recursive: true, force: true });
});

async function open(width: number, height: number, route: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  watchProblems(page, route, problems, { provoked: ['/biocircuit/101'] }); // the table refused on purpose: the browser logs its 400
  await page.goto(`${server.url}/plugins/biocircuit/`);
  await page.getByRole('heading', { name: 'BioCircuit', level: 1 }).waitFor();
  return page;
}

async function designTable(page: Page, table: string) {
  await page.getByLabel(/Outputs of rows/).fill(table);
  await page.getByRole('button', { name: 'Design', exact: true }).click();
  await page.locator('[data-summary]', { hasText: `Table ${table}` }).waitFor();
}

test('a table becomes circuits drawn as graphs, with the bars per row and the DNA in the sequence map', { timeout: 120_000 }, async () => {
  const page = await open(1280, 900, '/plugins/biocircuit (desktop)');
  await designTable(page, '0001');
  await expect.poll(() => page.locator('[data-circuit-card]').count()).toBeGreaterThanOrEqual(2);
  // Each card is a drawn graph: 2 inputs and the gates, joined by arrows.
  const first = page.locator('[data-circuit-card]').first();
  expect(await first.locator('[data-circuit-graph] .node').count()).toBeGreaterThanOrEqual(4);
  expect(await first.locator('[data-circuit-graph] path.edge').count()).toBeGreaterThanOrEqual(3);
  expect(await first.getAttribute('aria-pressed')).toBe('true');
  expect(await first.textContent()).toMatch(/ON\/OFF \d/);
  // The chosen circuit drawn large, beside its bars: one per row, the ON row above the OFF rows.
  await page.getByRole('img', { name: /^Circuit 1, enlarged: 3 gates \(\w+, \w+, \w+\), 4 connections$/ }).waitFor();
  const bars = page.locator('[data-level-bars] [data-bar]');
  await expect.poll(() => bars.count(), { timeout: 10_000 }).toBe(4);
  const heights = await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
  expect(heights[3]).toBeGreaterThan(Math.max(heights[0], heights[1], heights[2]));
  // The assembled DNA in the sequence map, with the repressors' genes.
  await page.locator('.seqmap[data-map-state="drawn"]').waitFor();
  expect(await page.locator('.seqmap').textContent()).toMatch(/\d[\d,]* bp/);
  const gb = await page.locator('[data-genbank]').getAttribute('href');
  expect(gb).toMatch(/\/api\/plugins\/biocircuit\/biocircuit\/0001\/genbank\?circuit=0$/);
  expect(await (await fetch(server.url + gb)).text()).toMatch(/^LOCUS/);

  // A bigger one: majority of three; the second circuit can be chosen.
  await designTable(page, '00010111');
  // The summary names the new table before d3 has redrawn the bars: wait for them.
  await expect.poll(() => page.locator('[data-level-bars] [data-bar]').count(), { timeout: 10_000 }).toBe(8);
  await page.locator('[data-circuit-card]').nth(1).click();
  await page.getByRole('heading', { name: /Circuit 2: assembled DNA/ }).waitFor();
  await page.locator('.seqmap[data-map-state="drawn"]').waitFor();
  await page.locator('[data-circuit-card]').first().click();
  await page.locator('.seqmap[data-map-state="drawn"]').waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'biocircuit-desktop.png'), fullPage: true });

  // An expression, then Biohub's parity mode, then a table it refuses with the reason.
  await page.getByText('Expression', { exact: true }).click();
  await page.getByLabel(/Expression over/).fill('a ^ b');
  await page.getByRole('button', { name: 'Design', exact: true }).click();
  await page.locator('[data-summary]', { hasText: 'Table 0110' }).waitFor();
  await page.getByRole('button', { name: /Biohub 11--/ }).click();
  await page.locator('[data-circuit-card]', { hasText: 'score 10' }).first().waitFor();
  expect(await page.locator('[data-circuit-card] .score').allTextContents()).toEqual(['score 10', 'score 10', 'score 16.5', 'score 16.5', 'score 17.5']);
  await page.screenshot({ path: path.join(shots, 'biocircuit-parity-desktop.png'), fullPage: true });
  await page.getByLabel('Gates', { exact: true }).selectOption('cello');
  await page.getByLabel(/Outputs of rows/).fill('101');
  await page.getByRole('button', { name: 'Design', exact: true }).click();
  await expect.poll(() => page.locator('[data-problem]').textContent()).toMatch(/3 rows: it needs a power of two/);
  await page.close();
  expect(problems).toEqual([]);
});

test('on a phone: no sideways scrolling, the circuits and the map fit', { timeout: 120_000 }, async () => {
  const page = await open(390, 844, '/plugins/biocircuit (phone)');
  await page.locator('[data-circuit-card]').first().waitFor(); // the page designs its example on arrival
  await page.locator('.seqmap[data-map-state="drawn"]').waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'biocircuit-phone.png'), fullPage: true });
  await page.close();
  expect(problems).toEqual([]);
});
