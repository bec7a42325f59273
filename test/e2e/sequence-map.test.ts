import type { TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from './e2e-harness';
import { startRegistryStub } from './registry-stub';

// The sequence map (client/lib/sequence-map/) on real part pages in Debian's Chromium: it draws
// a part's features, its subparts open their pages, a drag selects bases (length and GC), a search
// marks its hits, a coding feature translates; and screenshots of the part page with the map.
const shots = path.join(import.meta.dirname, 'screenshots');
const DRAWN = '.seqmap[data-map-state="drawn"]';

let server: TestServer;
let registry: Awaited<ReturnType<typeof startRegistryStub>>;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  registry = await startRegistryStub(new Set(), 0);
  ({ server, browser } = await startE2e({ env: { PLUGINS_WATCH: 'false', PARTS_SOURCE_URL: registry.url, PARTS_SOURCE_ALLOWED_HOSTS: registry.host } }));
});

afterAll(async () => {
  await stopE2e({ server, browser });
  await registry?.close();
});

async function open(context: BrowserContext, route: string): Promise<Page> {
  const page = await context.newPage();
  watchProblems(page, route, problems);
  await page.goto(server.url + route);
  return page;
}

const newContext = (viewport = { width: 1280, height: 800 }, colorScheme: 'light' | 'dark' = 'light') => browser.newContext({ viewport, colorScheme });
const sequenceOf = async (name: string) => ((await (await fetch(`${server.url}/api/parts/${name}`)).json()) as { sequence: string }).sequence.toUpperCase();

/** GC % as a biologist computes it by hand: G and C over A, C, G and T, one decimal. */
const gc = (bases: string) => Math.round(((bases.match(/[GC]/g)?.length ?? 0) / (bases.match(/[ACGT]/g)?.length ?? 1)) * 1000) / 10;

test('search → part → the map draws its features → a subpart feature opens its part', async () => {
  const context = await newContext();
  const page = await open(context, '/');
  await page.locator('#home-q').fill('terminator');
  await page.locator('#home-q').press('Enter');
  await page.locator('.result a.part-name', { hasText: 'BBa_B0015' }).click();
  await page.waitForURL(/\/parts\/BBa_B0015$/);
  await page.locator(DRAWN).waitFor();
  // BBa_B0015 = BBa_B0010 + BBa_B0012: two subpart features and their terminators' stem loops.
  expect(await page.locator('.sm-feature[data-part]').evaluateAll((els) => els.map((e) => e.getAttribute('data-part')))).toEqual(['BBa_B0010', 'BBa_B0012']);
  expect(await page.locator('.sm-feature').count()).toBe(2);
  expect(await page.locator('.seqmap-legend').textContent()).toContain('Subpart');
  expect(await page.locator('.sm-tick').count()).toBeGreaterThan(3);

  await page.locator('.sm-feature[data-part="BBa_B0012"]').click();
  await page.waitForURL(/\/parts\/BBa_B0012$/);
  await expect.poll(() => page.locator('h1 .part-name').textContent()).toBe('BBa_B0012');
  await page.locator(DRAWN).waitFor();
  // Keyboard: a subpart feature is a link that Enter follows.
  await page.goBack();
  await page.locator(DRAWN).waitFor();
  await page.locator('.sm-feature[data-part="BBa_B0010"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/parts\/BBa_B0010$/);
  await context.close();
});

test('dragging across the map selects bases: start, end, length and GC; typed ranges too', async () => {
  const context = await newContext();
  const page = await open(context, '/parts/BBa_B0015');
  await page.locator(DRAWN).waitFor();
  const sequence = await sequenceOf('BBa_B0015');
  const overlay = (await page.locator('.sm-brush .overlay').boundingBox())!;
  const y = overlay.y + 12; // on the strands, above the features
  await page.mouse.move(overlay.x + overlay.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(overlay.x + overlay.width * 0.4, y, { steps: 5 });
  await page.mouse.move(overlay.x + overlay.width * 0.6, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => page.locator('.sm-sel-length').count()).toBe(1);
  const start = Number(await page.locator('.seqmap-range input').nth(0).inputValue());
  const end = Number(await page.locator('.seqmap-range input').nth(1).inputValue());
  // 40 % of 129 bases, give or take the bases at the edges.
  expect(end - start + 1).toBeGreaterThan(45);
  expect(end - start + 1).toBeLessThan(59);
  expect(await page.locator('.sm-sel-length').textContent()).toBe(`${end - start + 1} bp`);
  expect(await page.locator('.sm-sel-gc').textContent()).toBe(`${gc(sequence.slice(start - 1, end))}%`);
  // The selection translates in any frame: 3 frames forward, 3 reverse.
  await page.locator('.seqmap-translation select').selectOption('-2');
  expect((await page.locator('.sm-protein').textContent())!.length).toBe(Math.floor((end - start) / 3));

  // Typed with the keyboard instead.
  await page.locator('.seqmap-range input').nth(0).fill('10');
  await page.locator('.seqmap-range input').nth(1).fill('29');
  await page.locator('.seqmap-range input').nth(1).press('Enter');
  await expect.poll(() => page.locator('.sm-sel-length').textContent()).toBe('20 bp');
  expect(await page.locator('.sm-sel-gc').textContent()).toBe(`${gc(sequence.slice(9, 29))}%`);
  await context.close();
});

test('find a motif on both strands, with IUPAC codes; a coding feature translates', async () => {
  const context = await newContext();
  const page = await open(context, '/parts/BBa_B0015');
  await page.locator(DRAWN).waitFor();
  const sequence = await sequenceOf('BBa_B0015');
  const motif = sequence.slice(40, 46);
  const reverse = [...motif].reverse().map((b) => ({ A: 'T', C: 'G', G: 'C', T: 'A' })[b]).join('');
  const count = (m: string) => [...sequence].filter((_, i) => sequence.startsWith(m, i)).length;
  const expected = reverse === motif ? count(motif) : count(motif) + count(reverse);
  await page.locator('.seqmap-find input').fill(motif.toLowerCase());
  await page.locator('.seqmap-find input').press('Enter');
  await expect.poll(() => page.locator('.seqmap-hits').textContent()).toContain(`${expected} ${expected === 1 ? 'hit' : 'hits'} of ${motif}`);
  expect(await page.locator('.sm-hit').count()).toBeGreaterThanOrEqual(expected);
  // The first hit is selected: the motif's six bases.
  expect(await page.locator('.sm-sel-length').textContent()).toBe('6 bp');
  // An ambiguous code matches any of its bases; a letter that is not one is refused, in words.
  await page.locator('.seqmap-find input').fill(`${motif.slice(0, 2)}N${motif.slice(3)}`);
  await page.locator('.seqmap-find input').press('Enter');
  await expect.poll(() => page.locator('.seqmap-hits').textContent()).toMatch(/\d+ hits? of/);
  await page.locator('.seqmap-find input').fill('GAXTTC');
  expect(await page.locator('.seqmap-status').textContent()).toContain('Not IUPAC nucleotide codes: X');

  // BBa_C0012 (lacI-LVA): its coding feature, clicked, translates in its own frame.
  await page.goto(`${server.url}/parts/BBa_C0012`);
  await page.locator(DRAWN).waitFor();
  await page.locator('.sm-feature.sm-kind-cds').first().click();
  const protein = (await page.locator('.sm-protein').textContent())!;
  expect(protein.length).toBe(1128 / 3);
  expect(protein.startsWith('M')).toBe(true);
  expect(protein.endsWith('*')).toBe(true);

  // The circular view draws the same features and the part's name in the middle.
  await page.locator('.seqmap-toolbar button', { hasText: 'Circular' }).click();
  await page.locator('.sm-circular .sm-feature').first().waitFor();
  const features = ((await (await fetch(`${server.url}/api/parts/BBa_C0012`)).json()) as { features: unknown[] }).features;
  expect(await page.locator('.sm-circular .sm-feature').count()).toBe(features.length);
  expect(await page.locator('.sm-centre-name').textContent()).toBe('BBa_C0012');
  await context.close();
});

test('screenshots of the part page with its map (desktop, phone, dark); axe-core finds nothing serious in the map', { timeout: 120_000 }, async () => {
  fs.mkdirSync(shots, { recursive: true });
  for (const [size, viewport, scheme] of [
    ['desktop', { width: 1280, height: 800 }, 'light'],
    ['phone', { width: 390, height: 844 }, 'light'],
    ['desktop-dark', { width: 1280, height: 800 }, 'dark'],
  ] as const) {
    const context = await newContext(viewport, scheme);
    const page = await open(context, '/parts/BBa_B0015');
    await page.locator(DRAWN).waitFor();
    await page.locator('.weight-lines').waitFor();
    await page.locator('.connection-connected').waitFor();
    await page.screenshot({ path: path.join(shots, `part-${size}.png`) });
    // axe-core on the map, with a selection and a search shown.
    await page.locator('.seqmap-find input').fill('GCW');
    await page.locator('.seqmap-find input').press('Enter');
    await page.locator('.sm-sel-length').waitFor();
    expect(await seriousAxeViolations(page, '.seqmap'), `${size}`).toEqual([]);
    await context.close();
  }
});

test('no console errors or uncaught exceptions on the pages above', () => {
  expect(problems).toEqual([]);
});
