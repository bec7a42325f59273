import type { TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from './e2e-harness';

// The structure viewer (NGL) on its demo page, /structures, in Debian's Chromium with --disable-gpu:
// WebGL there is software (SwiftShader), and the drawn pixels are checked, not just the DOM. Also:
// the page's CSP lets NGL run (its workers are blob: URLs), files and addresses load or fail in
// words, navigating away frees the WebGL context, a browser without WebGL gets a message, axe, and
// screenshots (test/e2e/screenshots/structures-*.png, looked at).
const root = path.resolve(import.meta.dirname, '..', '..');
const shots = path.join(import.meta.dirname, 'screenshots');

let server: TestServer;
let browser: Browser;
const problems: string[] = [];
/** A request the page's CSP refuses on purpose below: the browser logs it, rightly. */
const provoked = ['https://example.org/1crn.pdb'];

beforeAll(async () => {
  ({ server, browser } = await startE2e({ env: { PLUGINS_WATCH: 'false' } }));
});

afterAll(() => stopE2e({ server, browser }));

/** Errors, and the warning Chromium gives when a page holds too many WebGL contexts (a leak). */
const counted = (message: ConsoleMessage) => message.type() === 'error' || (message.type() === 'warning' && /too many active webgl contexts/i.test(message.text()));

/** A page whose console errors, failed requests and uncaught exceptions are collected: none are allowed. */
async function open(context: BrowserContext, route: string): Promise<Page> {
  const page = await context.newPage();
  watchProblems(page, route, problems, { provoked, counted });
  await page.goto(server.url + route);
  return page;
}

const newContext = (viewport = { width: 1280, height: 800 }, colorScheme: 'light' | 'dark' = 'light') => browser.newContext({ viewport, colorScheme });

const stage = (page: Page) => page.locator('.structure-viewer-stage');
const ready = (page: Page) => page.locator('.structure-viewer-stage.is-ready').waitFor({ timeout: 30_000 });

interface Pixels {
  /** Share of pixels that differ from the top-left one (the background). */
  drawn: number;
  /** Distinct colours, quantised to 4 bits a channel: a flat fill has one or two. */
  colours: number;
  /** A short digest, to tell one picture from another. */
  digest: string;
}

/** Run in a blank page: decodes a PNG (base64) and counts what {@link Pixels} holds. */
const PIXEL_STATS = `async (base64) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const context = new OffscreenCanvas(image.width, image.height).getContext('2d');
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  const colours = new Set();
  let drawn = 0;
  let digest = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) drawn++;
    colours.add(((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4));
    if (i % 64 === 0) digest = (digest * 31 + data[i] + data[i + 1] * 7 + data[i + 2] * 13) >>> 0;
  }
  return { drawn: drawn / (data.length / 4), colours: colours.size, digest: digest.toString(16) };
}`;

/**
 * What the viewer's canvas shows, as the screen does: a screenshot of it,
 * decoded by Chromium in a blank page (WebGL's own buffer is cleared after
 * each frame, so reading the canvas from the page would see nothing).
 */
async function pixels(page: Page): Promise<Pixels> {
  const png = await page.locator('.structure-viewer-canvas canvas').screenshot();
  const blank = await page.context().newPage();
  try {
    return (await blank.evaluate(`(${PIXEL_STATS})(${JSON.stringify(png.toString('base64'))})`)) as Pixels;
  } finally {
    await blank.close();
  }
}

/** Waits until the canvas shows a drawn structure different from `before` (NGL draws over a few frames, surfaces in a worker). */
async function drawnDifferently(page: Page, before?: Pixels): Promise<Pixels> {
  let last: Pixels | undefined;
  await expect
    .poll(
      async () => {
        last = await pixels(page);
        return last.drawn > 0.03 && last.colours > 12 && last.digest !== before?.digest;
      },
      { timeout: 30_000, interval: 400 },
    )
    .toBe(true);
  return last!;
}

test('the demo page draws 1CRN in 3-D, and redraws it as a surface, in ball and stick and by B-factor', { timeout: 120_000 }, async () => {
  const context = await newContext();
  const page = await open(context, '/');
  await page.locator('.navbar-nav a', { hasText: 'Structures' }).click();
  await page.waitForURL(/\/structures$/);
  await ready(page);
  expect(await page.title()).toBe('Protein structures · Brickyard');
  expect(await page.locator('#structure-title').textContent()).toContain('1CRN');
  expect(await page.locator('.structures-facts').textContent()).toMatch(/ChainsA\s*Residues46\s*Atoms327/);

  const cartoon = await drawnDifferently(page);
  await page.getByText('Surface', { exact: true }).click();
  expect(await stage(page).getAttribute('aria-label')).toBe('3-D view of 1CRN: surface, coloured by Chain');
  const surface = await drawnDifferently(page, cartoon);
  await page.getByText('Ball and stick', { exact: true }).click();
  const sticks = await drawnDifferently(page, surface);
  await page.getByText('B-factor', { exact: true }).click();
  await drawnDifferently(page, sticks);
  expect(await stage(page).getAttribute('aria-label')).toBe('3-D view of 1CRN: ball and stick, coloured by B-factor');

  // The controls are radio groups: arrow keys move the choice, and the drawing area takes keys too.
  await page.locator('input[type=radio][value=residue]').focus();
  await page.keyboard.press('ArrowLeft');
  expect(await page.locator('input[type=radio][value=chain]').isChecked()).toBe(true);
  const before = await pixels(page);
  await stage(page).focus();
  await page.keyboard.press('ArrowRight');
  const turned = await drawnDifferently(page, before);
  await page.getByRole('button', { name: 'Spin' }).click();
  expect(await page.getByRole('button', { name: 'Stop spinning' }).getAttribute('aria-pressed')).toBe('true');
  await drawnDifferently(page, turned);
  await page.getByRole('button', { name: 'Stop spinning' }).click();

  // The other example: two chains.
  await page.locator('.structure-example', { hasText: '1GFL' }).click();
  await expect.poll(() => page.locator('.structures-facts').textContent(), { timeout: 30_000 }).toMatch(/ChainsA, B\s*Residues460\s*Atoms3,950/);
  await context.close();
});

test('a PDB file from the computer and a file by address load; a wrong file or address is said in words', async () => {
  const context = await newContext();
  const page = await open(context, '/structures');
  await ready(page);

  const gfp = fs.readFileSync(path.join(root, 'client', 'public', 'structures', '1gfl.pdb'));
  await page.locator('#structure-file').setInputFiles({ name: 'my-gfp.pdb', mimeType: 'chemical/x-pdb', buffer: gfp });
  await expect.poll(() => page.locator('.structures-facts').textContent(), { timeout: 30_000 }).toContain('A, B');
  await ready(page);
  expect(await page.locator('.structures-credit').textContent()).toContain('Read in your browser from my-gfp.pdb');

  await page.locator('#structure-file').setInputFiles({ name: 'gfp.fasta', mimeType: 'text/plain', buffer: Buffer.from('>GFP\nMSKGEELFTGVV\n') });
  await expect.poll(() => page.locator('.structure-viewer-problem').textContent()).toContain('This is a FASTA sequence, not a structure');

  await page.locator('#structure-url').fill(`${server.url}/structures/1crn.pdb`);
  await page.locator('#structure-url').press('Enter');
  await ready(page);
  expect(await page.locator('.structures-facts').textContent()).toContain('327');

  // The server answers an unknown path with the app's page (history fallback): said as such.
  await page.locator('#structure-url').fill(`${server.url}/structures/no-such-file.pdb`);
  await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => page.locator('.structure-viewer-problem').textContent()).toContain('This is a web page (HTML), not a PDB file');
  // An address outside this site and the structure archives is refused by the page's CSP, and said so.
  await page.locator('#structure-url').fill('https://example.org/1crn.pdb');
  await page.getByRole('button', { name: 'Load' }).click();
  await expect.poll(() => page.locator('.structure-viewer-problem').textContent()).toContain('This page loads structures from this site and from RCSB PDB');
  await context.close();
});

test('leaving the page frees its WebGL context: twenty visits stay under the browser limit', { timeout: 120_000 }, async () => {
  const context = await newContext();
  const page = await open(context, '/structures');
  for (let visit = 0; visit < 20; visit++) {
    await ready(page);
    await page.locator('.navbar-nav a', { hasText: 'Parts' }).click();
    await page.waitForURL(/\/parts$/);
    await page.locator('.navbar-nav a', { hasText: 'Structures' }).click();
  }
  await ready(page);
  await drawnDifferently(page);
  // Chromium warns "Too many active WebGL contexts" (a console warning, collected above) past 16.
  expect(problems.filter((p) => /WebGL/.test(p))).toEqual([]);
  // And the context of a page left is lost at once, not at some later garbage collection.
  await page.evaluate("window.leftCanvas = document.querySelector('.structure-viewer-canvas canvas')");
  expect(await page.evaluate('window.leftCanvas.getContext("webgl2").isContextLost()')).toBe(false);
  await page.locator('.navbar-nav a', { hasText: 'Parts' }).click();
  await page.waitForURL(/\/parts$/);
  expect(await page.evaluate('window.leftCanvas.isConnected')).toBe(false);
  expect(await page.evaluate('window.leftCanvas.getContext("webgl2").isContextLost()')).toBe(true);
  await context.close();
});

test('a browser without WebGL gets a message, not a broken page', async () => {
  const noWebgl = await chromium.launch({ executablePath: ensureChromium(), args: [...CHROMIUM_ARGS, '--disable-3d-apis'] });
  try {
    const context = await noWebgl.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await open(context, '/structures');
    await expect.poll(() => page.locator('.structure-viewer-problem').textContent()).toContain('No 3-D view in this browser');
    expect(await page.getByRole('button', { name: 'Reset view' }).count()).toBe(0);
    // The rest of the page still works.
    expect(await page.locator('#structure-file').isEnabled()).toBe(true);
  } finally {
    await noWebgl.close();
  }
});

test('axe-core finds no serious or critical violation on the structures page, light and dark', { timeout: 120_000 }, async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await newContext(undefined, colorScheme);
    const page = await open(context, '/structures');
    await ready(page);
    expect(await seriousAxeViolations(page), colorScheme).toEqual([]);
    await context.close();
  }
});

test('screenshots of the structures page at desktop and phone widths', { timeout: 120_000 }, async () => {
  fs.mkdirSync(shots, { recursive: true });
  const sizes = [
    ['desktop', { width: 1280, height: 800 }, 'light'],
    ['phone', { width: 390, height: 844 }, 'light'],
    ['desktop-dark', { width: 1280, height: 800 }, 'dark'],
  ] as const;
  for (const [size, viewport, scheme] of sizes) {
    const context = await newContext(viewport, scheme);
    const page = await open(context, '/structures');
    await page.locator('.structure-example', { hasText: '1GFL' }).click();
    await expect.poll(() => page.locator('.structures-facts').textContent(), { timeout: 30_000 }).toContain('A, B');
    await ready(page);
    await drawnDifferently(page);
    await page.locator('.connection-connected').waitFor();
    await page.evaluate('window.scrollTo(0, 0)'); // reading the canvas scrolled it into view
    await page.screenshot({ path: path.join(shots, `structures-${size}.png`) });
    await context.close();
  }
});

test('no console errors, failed loads or uncaught exceptions on the pages above', () => {
  expect(problems).toEqual([]);
});
