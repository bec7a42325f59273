import type { TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from '../../../test/e2e/e2e-harness';

// BioMap in Chromium against a real server with the demo snapshot: the panel on a composite part's page,
// the full page opened from it, and a click on a node that leads to that part's page.
const shots = path.resolve(import.meta.dirname, '..', '..', '..', 'test', 'e2e', 'screenshots');
let server: TestServer;
let browser: Browser;
let pluginsDir: string;
const problems: string[] = [];

beforeAll(async () => {
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'biomap-e2e-'));
  fs.symlinkSync(path.resolve(import.meta.dirname, '..'), path.join(pluginsDir, 'biomap'), 'dir');
  ({ server, browser } = await startE2e({ pluginsDir, env: { PLUGINS_WATCH: 'false', JOB_WORKERS: '1' } }));
}, 180_000);

afterAll(async () => {
  await stopE2e({ server, browser });
  fs.rmSync(pluginsDir, { recursive: true, force: true });
});

/** `provoked`: URLs the test fails on purpose (an unknown part's 404), whose console lines are the browser's own. */
async function open(route: string, width: number, provoked: string[] = []): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: width > 800 ? 900 : 844 } });
  watchProblems(page, route, problems, { provoked });
  await page.goto(server.url + route);
  return page;
}

const nodes = (page: Page, scope: string) => page.locator(`${scope} a.biomap-node`).evaluateAll((links) => links.map((a) => a.getAttribute('data-part')));

test('a composite part page shows its neighbourhood; BioMap opens from it; a node leads to its part', async () => {
  const page = await open('/parts/BBa_I20270', 1280);
  const panel = page.locator('.biomap-panel');
  await panel.locator('a.biomap-node').first().waitFor();
  expect(await nodes(page, '.biomap-panel')).toEqual(['BBa_I20270', 'BBa_J23151', 'BBa_B0032', 'BBa_E0040', 'BBa_B0010', 'BBa_B0012']);
  await expect.poll(() => panel.textContent()).toContain('Built from 5 parts · used in 0 parts');
  await panel.scrollIntoViewIfNeeded();
  expect(await seriousAxeViolations(page, '.biomap-panel')).toEqual([]);
  await panel.screenshot({ path: path.join(shots, 'biomap-panel-desktop.png') });
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0)); // the page's sticky header stays on top in a full-page shot
  await page.screenshot({ path: path.join(shots, 'biomap-part-page-desktop.png'), fullPage: true });

  await panel.getByRole('link', { name: 'Open in BioMap →' }).click();
  await page.waitForURL('**/plugins/biomap/?part=BBa_I20270');
  await page.locator('section[aria-labelledby="biomap-up-title"]').waitFor();
  await page.locator('section[aria-labelledby="biomap-down-title"] a.biomap-node').first().waitFor();
  expect(await nodes(page, 'section[aria-labelledby="biomap-down-title"]')).toHaveLength(6);
  expect(await page.locator('#biomap-part').inputValue()).toBe('BBa_I20270');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'biomap-page-desktop.png'), fullPage: true });

  // A node is a link to its part's page.
  await page.locator('section[aria-labelledby="biomap-down-title"] a.biomap-node[data-part="BBa_B0010"] circle').click();
  await page.waitForURL('**/parts/BBa_B0010');
  await expect.poll(() => page.locator('h1 .part-name').textContent()).toBe('BBa_B0010');
  await expect.poll(() => panel.textContent()).toContain('Built from 0 parts · used in 2 parts');
  expect((await nodes(page, '.biomap-panel')).sort()).toEqual(['BBa_B0010', 'BBa_B0015', 'BBa_I20270']);
  await page.close();
  expect(problems).toEqual([]);
}, 120_000);

test('the page: a part by name, both graphs, and a name that is not a part', async () => {
  const page = await open('/plugins/biomap/', 390, ['/api/plugins/biomap/BBa_NOPE1/']);
  await page.locator('#biomap-part').fill('BBa_B0010');
  await page.getByRole('button', { name: 'Show graphs' }).click();
  await page.waitForURL('**/plugins/biomap/?part=BBa_B0010');
  await page.locator('section[aria-labelledby="biomap-up-title"] a.biomap-node').first().waitFor();
  expect((await nodes(page, 'section[aria-labelledby="biomap-up-title"]')).sort()).toEqual(['BBa_B0010', 'BBa_B0015', 'BBa_I20270']);
  expect(await page.locator('section[aria-labelledby="biomap-down-title"]').textContent()).toContain('BBa_B0010 is a basic part');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'biomap-page-phone.png'), fullPage: true });

  await page.locator('#biomap-part').fill('BBa_NOPE1');
  await page.getByRole('button', { name: 'Show graphs' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('There is no part BBa_NOPE1 in the snapshot');
  await page.close();

  const part = await open('/parts/BBa_B0015', 390);
  const panel = part.locator('.biomap-panel');
  await panel.locator('a.biomap-node').first().waitFor();
  await panel.scrollIntoViewIfNeeded();
  expect(await seriousAxeViolations(part, '.biomap-panel')).toEqual([]);
  await panel.screenshot({ path: path.join(shots, 'biomap-panel-phone.png') });
  // From the keyboard: a node takes focus and Enter opens its part.
  await panel.locator('a.biomap-node[data-part="BBa_B0010"]').focus();
  await part.keyboard.press('Enter');
  await part.waitForURL('**/parts/BBa_B0010');
  await part.close();
  expect(problems).toEqual([]);
}, 120_000);

test('a hub part: more users than the cap, drawn as rows of dots, with the graph marked too large', async () => {
  // The demo dump plus 150 composite parts built with BBa_B0010 (its id in the dump is 1), imported as an admin would.
  const demo = zlib.gunzipSync(fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'data', 'demo', 'parts-demo.sql.gz'))).toString('latin1');
  expect(demo).toContain("(1,1,'BBa_B0010'");
  const users = Array.from({ length: 150 }, (_, i) => `(${9_000_000 + i}, 1, 'BBa_K9${String(i).padStart(5, '0')}', 'terminated device ${i}', '', 'Composite', 'Available', '_1_', '_1_', '', '${'acgt'.repeat(8)}', 32)`);
  const added = `INSERT INTO \`parts\` (part_id, ok, part_name, short_desc, description, part_type, status, specified_u_list, deep_u_list, source, sequence, sequence_length) VALUES ${users.join(',')};\n`;
  const file = path.join(pluginsDir, '..', `biomap-hub-${process.pid}.sql.gz`);
  fs.writeFileSync(file, zlib.gzipSync(Buffer.from(demo + added, 'latin1')));
  const submitted = await server.admin('POST', '/api/admin/parts/import', { source: file });
  for (let i = 0; ; i++) {
    const task: any = (await server.admin('GET', `/api/tasks/${submitted.body.id}`)).body;
    if (task.state === 'succeeded') break;
    if ((task.state !== 'queued' && task.state !== 'running') || i > 300) throw new Error(JSON.stringify(task));
    await new Promise((r) => setTimeout(r, 200));
  }
  fs.rmSync(file, { force: true });

  const page = await open('/plugins/biomap/?part=BBa_B0010', 1280);
  const up = page.locator('section[aria-labelledby="biomap-up-title"]');
  await up.locator('a.biomap-node').first().waitFor();
  expect(await nodes(page, 'section[aria-labelledby="biomap-up-title"]')).toHaveLength(1 + 100); // the part and its first 100 users
  expect(await up.getByRole('note').textContent()).toContain('Used by more parts than can be drawn');
  expect(await up.locator('text').count()).toBe(1); // only the part asked about is labelled; the others name themselves on hover
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'biomap-hub-desktop.png'), fullPage: true });
  await page.close();
  expect(problems).toEqual([]);
}, 120_000);
