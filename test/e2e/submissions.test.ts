import { BrowserSession, type TestServer } from '@brickyard/testing';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seriousAxeViolations, startE2e, stopE2e, watchProblems } from './e2e-harness';

// Plugins that users submit (issue 14, item 3), in Debian's Chromium: a user
// submits plugins from local git repositories (file://, allowed on this test
// server only), an admin reviews them in /admin → Submissions, and an approved
// one mounts live in the user's open page; an invalid one and one denied a
// capability are shown as such and never mount.
const root = path.resolve(import.meta.dirname, '..', '..');
const shots = path.join(import.meta.dirname, 'screenshots');
const LIVE_MS = 5000;
const ADMIN = { username: 'reviewer', password: 'reads every line twice' };
const USER = { username: 'curie', password: 'polonium and radium' };
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** The console's Submissions tab (the console's shell is checked by admin.test.ts). */

let server: TestServer;
let browser: Browser;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-e2e-submissions-'));
const problems: string[] = [];

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Lab', GIT_AUTHOR_EMAIL: 'lab@example.org', GIT_COMMITTER_NAME: 'Lab', GIT_COMMITTER_EMAIL: 'lab@example.org', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

/** A bare repository holding `files` on branch main; its file:// URL. */
function repository(name: string, files: Record<string, string>): string {
  const bare = path.join(scratch, `${name}.git`);
  const work = path.join(scratch, `${name}-work`);
  git(scratch, 'init', '--bare', '--quiet', '--initial-branch=main', bare);
  git(scratch, 'init', '--quiet', '--initial-branch=main', work);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    fs.writeFileSync(path.join(work, file), content);
  }
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', 'first version');
  git(work, 'remote', 'add', 'origin', bare);
  git(work, 'push', '--quiet', 'origin', 'main');
  return `file://${bare}`;
}

/** A plugin with a server route and a client page with a menu entry. */
const labNotes = (name: string, title: string, extra: Record<string, unknown> = {}) => ({
  'plugin.json': JSON.stringify({ name, version: '1.0.0', title, description: `${title}, shared by the lab.`, brickyard: '^1', server: 'server/index.ts', client: 'client/index.ts', ...extra }, null, 2),
  'server/index.ts': `import { definePlugin } from '@brickyard/sdk';
import { Controller, Get, Module } from '@nestjs/common';

@Controller()
class NotesController {
  @Get() list() { return { notes: ['Grow overnight at 37 °C'] }; }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

export default definePlugin({ module: NotesModule });
`,
  'client/index.ts': `import { defineClientPlugin } from '@brickyard/client';
import NotesPage from './NotesPage.vue';
export default defineClientPlugin({ routes: [{ path: '', component: NotesPage }], menu: [{ title: ${JSON.stringify(title)}, to: '' }] });
`,
  'client/NotesPage.vue': `<template><div class="container-xl page-body"><h1 class="page-title">${title}</h1></div></template>\n`,
  'README.md': `# ${title}\n\nNotes for the bench.\n`,
});

let goodUrl: string;
let invalidUrl: string;
let greedyUrl: string;

beforeAll(async () => {
  goodUrl = repository('lab-notes', labNotes('lab-notes', 'Lab notes'));
  const invalid = labNotes('half-done', 'Half done');
  invalid['plugin.json'] = JSON.stringify({ name: 'half-done', version: 'first', title: 'Half done', server: 'server/index.ts' }, null, 2);
  invalidUrl = repository('half-done', invalid);
  greedyUrl = repository('shelf', labNotes('shelf', 'Shared shelf', { capabilities: ['realtime:everyone'] }));
  ({ server, browser } = await startE2e({ workers: 2, env: { PLUGINS_WATCH: 'false', PLUGIN_SUBMISSIONS_ALLOW_FILE_URLS: 'true' } }));
  const created = spawnSync(process.execPath, [path.join(root, 'bin', 'brickyard.js'), 'user', 'create', ADMIN.username, '--email', 'review@example.org', '--admin'], {
    cwd: root,
    input: `${ADMIN.password}\n`,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: server.database.url, BRICKYARD_HOME: server.home, PLUGINS_DIR: server.pluginsDir, PORT: '1' },
  });
  expect(created.stdout + created.stderr).toMatch(/created admin reviewer/);
  expect((await new BrowserSession(server.url).register(USER.username, USER.password)).status).toBeLessThan(300);
}, 180_000);

afterAll(async () => {
  await stopE2e({ server, browser });
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function signedIn(who: { username: string; password: string }, viewport = DESKTOP): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  const response = await context.request.post(`${server.url}/api/auth/login`, { data: who });
  expect(response.status()).toBe(200);
  return context;
}

async function open(context: BrowserContext, route: string, provoked?: string[]): Promise<Page> {
  const page = await context.newPage();
  watchProblems(page, route, problems, { provoked });
  await page.goto(server.url + route);
  return page;
}

async function submitIn(page: Page, url: string): Promise<string> {
  await page.locator('#submit-url').fill(url);
  await page.locator('#submit-ref').fill('main');
  await page.locator('[data-submit-button]').click();
  const result = page.locator('[data-submit-result], [data-submit-error]');
  await result.first().waitFor({ timeout: LIVE_MS * 2 });
  await page.locator('[data-submit-button]', { hasText: 'Submit for review' }).waitFor();
  return result.first().innerText();
}

test('a user submits plugins from git repositories and follows them; signed out, the page says to sign in', { timeout: 90_000 }, async () => {
  const anonymous = await browser.newPage({ viewport: DESKTOP });
  watchProblems(anonymous, '/plugin-submissions (signed out)', problems);
  await anonymous.goto(`${server.url}/plugin-submissions`);
  await anonymous.getByText('Sign in to submit a plugin').waitFor();
  await anonymous.close();

  const context = await signedIn(USER);
  // The refused address below: the browser logs its 400 rightly.
  const plugins = await open(context, '/plugins', ['/api/plugin-submissions']);
  await plugins.locator('[data-submit-link]').click();
  await plugins.getByText('You have not submitted a plugin yet').waitFor();
  await plugins.evaluate('window.scrollTo(0, 0)');
  await plugins.screenshot({ path: path.join(shots, 'submit-empty-desktop.png') });
  const page = plugins;

  // A refused address is said plainly; nothing is recorded.
  expect(await submitIn(page, 'ssh://git@example.org/lab/notes.git')).toMatch(/must start with https:\/\//);

  expect(await submitIn(page, goodUrl)).toMatch(/Submitted lab-notes 1\.0\.0 at commit [0-9a-f]{12}\. An admin will review it/);
  expect(await submitIn(page, invalidUrl)).toMatch(/its manifest is invalid: plugin\.json is invalid: "version" must be a semantic version/);
  expect(await submitIn(page, greedyUrl)).toMatch(/Submitted shelf 1\.0\.0/);
  await expect.poll(() => page.locator('[data-submission]').count()).toBe(3);
  expect(await page.locator('[data-submission] [data-submission-state]').allInnerTexts()).toEqual(['awaiting review', 'invalid manifest', 'awaiting review']);

  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.evaluate('window.scrollTo(0, 0)'); // a full-page shot of a scrolled page draws the sticky bar mid-page
  await page.screenshot({ path: path.join(shots, 'submit-desktop.png'), fullPage: true });
  await context.close();

  const phone = await signedIn(USER, PHONE);
  const small = await open(phone, '/plugin-submissions');
  await small.locator('[data-submission]').first().waitFor();
  expect(await seriousAxeViolations(small)).toEqual([]);
  await small.evaluate('window.scrollTo(0, 0)');
  await small.screenshot({ path: path.join(shots, 'submit-phone.png'), fullPage: true });
  await phone.close();
  expect(problems).toEqual([]);
});

test('a non-admin gets 403 from every admin submissions route and the 403 page at /admin', { timeout: 60_000 }, async () => {
  const user = new BrowserSession(server.url);
  expect((await user.call('POST', '/api/auth/login', USER)).status).toBe(200);
  const mine = (await user.call('GET', '/api/plugin-submissions')).body as { id: number }[];
  const id = mine[0]!.id;
  for (const [method, route, body] of [
    ['GET', '/api/admin/plugin-submissions'],
    ['GET', '/api/admin/plugin-submissions?state=pending'],
    ['POST', `/api/admin/plugin-submissions/${id}/approve`, { capabilities: [] }],
    ['POST', `/api/admin/plugin-submissions/${id}/reject`, { reason: 'not mine to decide' }],
  ] as [string, string, unknown?][]) {
    expect({ route, status: (await user.call(method, route, body)).status }).toEqual({ route, status: 403 });
  }
  const context = await signedIn(USER);
  const page = await open(context, '/admin');
  await page.locator('[data-admin-forbidden]').waitFor();
  expect(await page.locator('[data-admin-tab="submissions"]').count()).toBe(0);
  await context.close();
  expect(problems).toEqual([]);
});

test('the admin reviews: approves lab-notes and it mounts live in the user\'s page; the invalid one and the denied one never mount', { timeout: 120_000 }, async () => {
  const userContext = await signedIn(USER);
  const userPage = await open(userContext, '/');
  const menuEntry = userPage.getByRole('link', { name: 'Lab notes' });
  await userPage.locator('main').first().waitFor();
  expect(await menuEntry.count()).toBe(0);

  const context = await signedIn(ADMIN);
  const page = await open(context, '/admin');
  await page.locator('[data-admin-tab="submissions"]').click();
  await page.locator('[data-admin-submission="lab-notes"]').click();
  const detail = page.locator('[data-submission-detail="lab-notes"]');
  await detail.waitFor();
  expect(await detail.locator('[data-manifest]').innerText()).toContain('"name": "lab-notes"');
  expect(await detail.locator('[data-files] li').count()).toBe(5);
  await detail.getByRole('button', { name: 'server/index.ts' }).click();
  await detail.locator('[data-file-view] pre', { hasText: 'Grow overnight at 37 °C' }).waitFor();
  expect(await detail.innerText()).toContain('None: it stays within its own tables');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.evaluate('window.scrollTo(0, 0)'); // a full-page shot of a scrolled page draws the sticky bar mid-page
  await page.screenshot({ path: path.join(shots, 'admin-submissions-desktop.png'), fullPage: true });

  await detail.locator('[data-approve]').click();
  await page.locator('[data-admin-result]', { hasText: 'Approved lab-notes 1.0.0' }).waitFor({ timeout: LIVE_MS * 4 });
  expect(await page.locator('[data-admin-result]').innerText()).toMatch(/Every process has it: \d+ processes applied it .* It runs now\./);
  // Live: the user's open page gains the plugin's menu entry, and its route answers.
  await menuEntry.waitFor({ timeout: LIVE_MS });
  expect(await (await fetch(`${server.url}/api/plugins/lab-notes/`)).json()).toEqual({ notes: ['Grow overnight at 37 °C'] });
  await menuEntry.click();
  await userPage.locator('h1', { hasText: 'Lab notes' }).waitFor();

  // The one that asks for a capability: left unticked, it is installed but shown as not running.
  await page.locator('[data-admin-submission="shelf"]').click();
  const shelf = page.locator('[data-submission-detail="shelf"]');
  await shelf.locator('[data-capability="realtime:everyone"]').waitFor();
  expect(await shelf.locator('[data-capability="realtime:everyone"]').isChecked()).toBe(false);
  await shelf.locator('[data-ungranted-warning]').waitFor();
  await shelf.locator('[data-approve]').click();
  await page.locator('[data-admin-result]', { hasText: 'Approved shelf 1.0.0' }).waitFor({ timeout: LIVE_MS * 4 });
  expect(await page.locator('[data-admin-result]').innerText()).toMatch(/Every process has it: .* It does not run: not mounted: plugin shelf requests capability "realtime:everyone", which is not granted/);
  await page.locator('[data-submissions-filter="approved"]').click();
  await page.locator('[data-admin-submission="shelf"]').click();
  await page.locator('[data-submission-detail="shelf"] [data-submission-run]', { hasText: 'not running' }).waitFor();
  expect(await page.locator('[data-submission-detail="shelf"] [data-capabilities]').innerText()).toMatch(/realtime:everyone\s*not granted/);
  expect((await fetch(`${server.url}/api/plugins/shelf/`)).status).toBe(404);
  expect(await userPage.getByRole('link', { name: 'Shared shelf' }).count()).toBe(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.evaluate('window.scrollTo(0, 0)'); // a full-page shot of a scrolled page draws the sticky bar mid-page
  await page.screenshot({ path: path.join(shots, 'admin-submissions-approved-desktop.png'), fullPage: true });

  // The invalid one: shown with its problem, with nothing to approve.
  await page.locator('[data-submissions-filter="invalid"]').click();
  await page.locator('[data-admin-submission="half-done"]').click();
  const invalid = page.locator('[data-submission-detail="half-done"]');
  await invalid.locator('[data-submission-problem]', { hasText: '"version" must be a semantic version' }).waitFor();
  expect(await invalid.locator('[data-approve]').count()).toBe(0);
  expect((await fetch(`${server.url}/api/plugins/half-done/`)).status).toBe(404);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.evaluate('window.scrollTo(0, 0)'); // a full-page shot of a scrolled page draws the sticky bar mid-page
  await page.screenshot({ path: path.join(shots, 'admin-submissions-invalid-desktop.png'), fullPage: true });

  // The submitter reads the outcome in their notices, each linking to the submission.
  const notices = await open(userContext, '/notices');
  await notices.getByText('was approved').first().waitFor();
  await notices.getByRole('link', { name: 'shelf 1.0.0' }).click();
  await notices.waitForURL(/\/plugin-submissions\?id=\d+/);
  await notices.locator('.submission-item.highlighted [data-submission-run]', { hasText: 'not running' }).waitFor();
  await userContext.close();
  await context.close();
  expect(problems).toEqual([]);
});

test('the admin rejects with a reason, at phone width', { timeout: 90_000 }, async () => {
  const user = new BrowserSession(server.url);
  expect((await user.call('POST', '/api/auth/login', USER)).status).toBe(200);
  const again = await user.call('POST', '/api/plugin-submissions', { url: greedyUrl.replace('shelf.git', 'lab-notes.git'), ref: 'main' });
  expect(again.status).toBe(201);

  const context = await signedIn(ADMIN, PHONE);
  const page = await open(context, '/admin');
  await page.locator('[data-admin-tab="submissions"]').click();
  const detail = page.locator('[data-submission-detail="lab-notes"]');
  await detail.waitFor();
  await detail.locator('[data-replaces]', { hasText: 'replaces the approved version 1.0.0' }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.evaluate('window.scrollTo(0, 0)'); // a full-page shot of a scrolled page draws the sticky bar mid-page
  await page.screenshot({ path: path.join(shots, 'admin-submissions-phone.png'), fullPage: true });
  await detail.locator('#reject-reason').fill('Same commit as the version already approved.');
  await detail.locator('[data-reject]').click();
  await page.locator('[data-admin-result]', { hasText: 'Rejected lab-notes 1.0.0' }).waitFor({ timeout: LIVE_MS });
  await page.getByText('Nothing awaits review').waitFor();
  const mine = (await user.call('GET', `/api/plugin-submissions/${again.body.id}`)).body;
  expect(mine).toMatchObject({ state: 'rejected', reason: 'Same commit as the version already approved.' });
  // The approved version keeps serving.
  expect((await fetch(`${server.url}/api/plugins/lab-notes/`)).status).toBe(200);
  await context.close();
  expect(problems).toEqual([]);
});
