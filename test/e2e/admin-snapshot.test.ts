import { writeSyntheticDumpFile } from '@brickyard/parts';
import { type TestServer } from '@brickyard/testing';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from './e2e-harness';

// The console's Snapshot tab (issue 14, item 2) against a real server, MySQL, job worker and Chromium: an admin
// uploads a synthetic dump big enough for its import to take a while (no sleeps anywhere), watches the bar
// move from the task's frames, reads the diff, ranks now, and finds the import in the history.
const root = path.resolve(import.meta.dirname, '..', '..');
const shots = path.join(import.meta.dirname, 'screenshots');
const ADMIN = { username: 'archivist', password: 'keeps every snapshot' };
const PARTS = 30_000;
/** axe is run on this tab's section: the console's header (the event feed) is another part of issue 14, checked by its own tests. */

let server: TestServer;
let browser: Browser;
let work: string;
let dump: string;
const problems: string[] = [];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-admin-snapshot-'));
  dump = path.join(work, 'registry-2026.sql.gz');
  [{ server, browser }] = await Promise.all([
    startE2e({ workers: 1, env: { JOB_WORKERS: '1', PLUGINS_WATCH: 'false' } }),
    writeSyntheticDumpFile(dump, { parts: PARTS, format: 'sql', seed: 14 }),
  ]);
  const created = spawnSync(process.execPath, [path.join(root, 'bin', 'brickyard.js'), 'user', 'create', ADMIN.username, '--email', 'archive@example.org', '--admin'], {
    cwd: root,
    input: `${ADMIN.password}\n`,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: server.database.url, BRICKYARD_HOME: server.home, PLUGINS_DIR: server.pluginsDir, PORT: '1' },
  });
  expect(created.stdout + created.stderr).toMatch(/created admin archivist/);
}, 300_000);

afterAll(async () => {
  await stopE2e({ server, browser });
  fs.rmSync(work, { recursive: true, force: true });
});

async function signedIn(viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  const response = await context.request.post(`${server.url}/api/auth/login`, { data: ADMIN });
  expect(response.status()).toBe(200);
  return context;
}

async function snapshotTab(context: BrowserContext, label: string, provoked?: string[]): Promise<Page> {
  const page = await context.newPage();
  watchProblems(page, label, problems, { provoked });
  await page.goto(`${server.url}/admin`);
  await page.locator('[data-admin-tab="snapshot"]').click();
  await page.locator('[data-snapshot-status]').waitFor();
  await page.locator('[data-import-row]').first().waitFor();
  return page;
}

/** Records every value the bar of `task` (import or rank) shows, as the page renders it, from before the task starts. */
async function recordProgress(page: Page, task: 'import' | 'rank'): Promise<void> {
  // Runs in the page (this file is compiled without the DOM's types, hence `any`).
  await page.evaluate((task) => {
    const page = globalThis as any;
    const seen: number[] = (page[`${task}ProgressSeen`] = []);
    const note = () => {
      const bar = page.document.querySelector(`[data-${task}-task] [data-task-progress]`);
      const value = bar ? Number(bar.getAttribute('data-task-progress')) : undefined;
      if (value !== undefined && seen[seen.length - 1] !== value) seen.push(value);
    };
    new page.MutationObserver(note).observe(page.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-task-progress'] });
  }, task);
}

async function progressSeen(page: Page, task: 'import' | 'rank'): Promise<number[]> {
  return ((await page.evaluate((task) => (globalThis as any)[`${task}ProgressSeen`], task)) as number[] | undefined) ?? [];
}

test('an admin uploads a dump: the bar moves with the task, the diff follows, then Rank now, and the history lists it', { timeout: 600_000 }, async () => {
  const context = await signedIn();
  const page = await snapshotTab(context, '/admin snapshot (desktop)');
  expect(await page.locator('[data-parts-live]').innerText()).toBe('98');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-snapshot-desktop.png'), fullPage: true });

  await recordProgress(page, 'import');
  await page.locator('#import-file').setInputFiles(dump);
  await page.locator('[data-import-start]').click();
  // The import's own progress, from the task frames: a screenshot while it runs.
  await page.locator('[data-import-task]').waitFor({ timeout: 120_000 });
  await page.waitForFunction(
    () => {
      const bar = (globalThis as any).document.querySelector('[data-import-task] [data-task-progress]');
      const value = Number(bar?.getAttribute('data-task-progress'));
      return value >= 5 && value < 80;
    },
    undefined,
    { timeout: 120_000 },
  );
  expect(await page.locator('[data-import-task] [data-task-message]').innerText()).toMatch(/read \d+ parts, \d+ features/);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-snapshot-progress-desktop.png'), fullPage: true });

  const result = page.locator('[data-import-result]');
  await result.waitFor({ timeout: 400_000 });
  const seen = await progressSeen(page, 'import');
  const between = seen.filter((value) => value > 0 && value < 100);
  expect(between.length, `progress values seen: ${seen.join(', ')}`).toBeGreaterThanOrEqual(3);
  expect([...between].sort((a, b) => a - b)).toEqual(between); // it only moves forward
  expect(seen[seen.length - 1]).toBe(100);

  // The diff: demo parts the synthetic dump lacks removed, its own added, the counts as the API says, names linked.
  const [latest] = (await server.admin('GET', '/api/admin/parts/imports')).body;
  expect(latest).toMatchObject({ state: 'succeeded', origin: 'upload', parts_read: PARTS });
  const diff = result.locator('[data-snapshot-diff]');
  await diff.locator('[data-diff-change="added"] a').first().waitFor();
  expect(await diff.locator('[data-diff-change="added"] [data-diff-count]').innerText()).toBe(latest.added.toLocaleString('en-US'));
  expect(await diff.locator('[data-diff-change="removed"] [data-diff-count]').innerText()).toBe(latest.removed.toLocaleString('en-US'));
  expect(latest.removed).toBeGreaterThan(0);
  expect(await diff.locator('[data-diff-change="removed"] a').count()).toBe(0); // removed parts have no page any more
  const added = (await server.admin('GET', `/api/admin/parts/imports/${latest.id}/diff?change=added&per_page=8`)).body.names as string[];
  const links = diff.locator('[data-diff-change="added"] a');
  expect(await links.allInnerTexts()).toEqual(added);
  expect(await links.first().getAttribute('href')).toBe(`/parts/${encodeURIComponent(added[0]!)}`);
  await page.locator('[data-parts-live]', { hasText: latest.parts_live.toLocaleString('en-US') }).waitFor({ timeout: 10_000 });
  // The history lists it, with the uploaded file's name.
  const row = page.locator(`[data-import-row="${latest.id}"]`);
  await row.waitFor();
  expect(await row.getAttribute('data-state')).toBe('succeeded');
  expect(await row.innerText()).toContain('registry-2026.sql.gz');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-snapshot-imported-desktop.png'), fullPage: true });

  // Rank now: the bar goes through the ranking's steps, then the result.
  const rankedBefore = (await server.admin('GET', '/api/admin/parts/snapshot')).body.ranking.ranked_at;
  const shownBefore = (await page.locator('[data-last-ranking]').textContent()) ?? '';
  await recordProgress(page, 'rank');
  await page.locator('[data-rank-now]').click();
  await page.locator('[data-rank-task]').waitFor();
  const rankResult = page.locator('[data-rank-result]');
  await rankResult.waitFor({ timeout: 120_000 });
  expect(await rankResult.innerText()).toMatch(new RegExp(`Ranked ${latest.parts_live.toLocaleString('en-US')} parts \\(bayesian\\)`));
  expect(await page.locator('[data-rank-task] [data-task-state]').getAttribute('data-task-progress')).toBe('100');
  const rankSeen = await progressSeen(page, 'rank');
  expect(rankSeen.filter((value) => value > 0 && value < 100).length, `rank progress seen: ${rankSeen.join(', ')}`).toBeGreaterThanOrEqual(1);
  const rankedAfter = (await server.admin('GET', '/api/admin/parts/snapshot')).body.ranking.ranked_at;
  expect(Date.parse(rankedAfter)).toBeGreaterThan(Date.parse(rankedBefore));
  await page.waitForFunction((before) => (globalThis as any).document.querySelector('[data-last-ranking]')?.textContent?.trim() !== before, shownBefore.trim(), { timeout: 10_000 });
  await page.screenshot({ path: path.join(shots, 'admin-snapshot-ranked-desktop.png'), fullPage: true });
  await context.close();
  expect(problems).toEqual([]);
});

test('an upload cancelled while it imports leaves the live snapshot as it was and its file kept, as the page says', { timeout: 300_000 }, async () => {
  const context = await signedIn();
  const page = await snapshotTab(context, '/admin snapshot (cancel)');
  const liveBefore = (await server.admin('GET', '/api/admin/parts/snapshot')).body.parts_live;
  await page.locator('#import-file').setInputFiles(dump);
  await page.locator('[data-import-start]').click();
  await page.waitForFunction(
    () => Number((globalThis as any).document.querySelector('[data-import-task] [data-task-progress]')?.getAttribute('data-task-progress')) >= 5,
    undefined,
    { timeout: 120_000 },
  );
  await page.getByRole('button', { name: 'Cancel the import' }).click();
  await page.locator('[data-import-task] [data-task-state="cancelled"]').waitFor({ timeout: 60_000 });
  const kept = page.locator('[data-import-task] .kept-path');
  await kept.waitFor();
  const keptPath = await kept.innerText();
  expect(keptPath.startsWith(path.join(server.home, 'snapshot-uploads') + path.sep)).toBe(true);
  expect(fs.statSync(keptPath).size).toBe(fs.statSync(dump).size);
  expect(await page.locator('[data-import-task]').innerText()).toContain('The live snapshot is unchanged.');
  expect((await server.admin('GET', '/api/admin/parts/snapshot')).body.parts_live).toBe(liveBefore);
  // The history says it failed, and why, once the importer has cleaned up.
  await page.locator('[data-import-row][data-state="failed"]').first().waitFor({ timeout: 30_000 });
  expect(await page.locator('[data-import-row][data-state="failed"]').first().innerText()).toMatch(/the import was stopped/);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-snapshot-cancelled-desktop.png'), fullPage: true });
  fs.rmSync(keptPath);
  await context.close();
  expect(problems).toEqual([]);
});

test('a file that is not a dump is refused in the page with the reason, and nothing is imported', { timeout: 120_000 }, async () => {
  const context = await signedIn();
  const page = await snapshotTab(context, '/admin snapshot (refused)', ['/api/admin/parts/import/upload', 'status of 400']);
  const before = (await server.admin('GET', '/api/admin/parts/imports')).body.length;
  const notes = path.join(work, 'notes.sql');
  fs.writeFileSync(notes, 'part name, sequence\nBBa_X, acgt\n');
  await page.locator('#import-file').setInputFiles(notes);
  await page.locator('[data-import-start]').click();
  const refusal = page.locator('[data-import-refusal]');
  await refusal.waitFor();
  expect(await refusal.innerText()).toMatch(/notes\.sql is not a dump the importer reads: the file is text but neither an SQL dump nor an XML dump/);
  expect(await page.locator('[data-import-task]').count()).toBe(0);
  expect((await server.admin('GET', '/api/admin/parts/imports')).body.length).toBe(before);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-snapshot-refused-desktop.png'), fullPage: true });
  await context.close();
  expect(problems).toEqual([]);
});

test('the Snapshot tab on a phone: no sideways scrolling, the history opens an import’s changes', { timeout: 120_000 }, async () => {
  const context = await signedIn({ width: 390, height: 844 });
  const page = await snapshotTab(context, '/admin snapshot (phone)');
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-snapshot-phone.png'), fullPage: true });
  const first = page.locator('[data-import-row][data-state="succeeded"]').first();
  await first.getByRole('button', { name: /Show the changes/ }).click();
  await first.locator('[data-diff-change="added"] [data-diff-count]').waitFor();
  await first.locator('[data-diff-change="added"] li').first().waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(shots, 'admin-snapshot-diff-phone.png'), fullPage: true });
  await context.close();
  expect(problems).toEqual([]);
});
