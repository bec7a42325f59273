/**
 * First load of the operator console: the JavaScript and CSS an admin's
 * browser transfers for `/admin` beyond what the first load of `/` (the
 * shell and home) already counts, gzipped, against the goal of 100 KB.
 *
 * Method: a real `brickyard serve` (demo parts), an admin made with
 * `brickyard user create --admin`, and headless Debian Chromium with an empty
 * cache. One page loads `/` and its files are noted; a second context, signed
 * in as the admin, opens `/admin` until the plugin list has drawn and the
 * network is idle; every script and stylesheet it received that the load of
 * `/` did not is counted by its encoded body size. Also checks that no file
 * of the console is part of the load of `/`.
 *
 *   node bin/run-ts.js bench/admin-first-load.ts
 */
import { startTestServer } from '@brickyard/testing';
import mysql from 'mysql2/promise';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../test/e2e/chromium';
import { log, machine, onCleanup, printResult, runBench } from './lib/common';

const GOAL_KB = 100;
const ADMIN = { username: 'benchadmin', password: 'measures the console' };

function recordFiles(page: Page): { url: string; type: string; bytes: number }[] {
  const files: { url: string; type: string; bytes: number }[] = [];
  page.on('requestfinished', async (request) => {
    const type = request.resourceType();
    if (type !== 'script' && type !== 'stylesheet') return;
    files.push({ url: new URL(request.url()).pathname, type, bytes: (await request.sizes()).responseBodySize });
  });
  return files;
}

runBench(async () => {
  log(machine());
  const root = path.join(__dirname, '..');
  const { buildClient } = require(path.join(root, 'bin', 'build-client.js'));
  await buildClient({ log });
  const server = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true' } });
  onCleanup(async () => {
    const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
    await db.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
    await db.end();
    await server.stop();
  });
  const created = spawnSync(process.execPath, [path.join(root, 'bin', 'brickyard.js'), 'user', 'create', ADMIN.username, '--email', 'bench@example.org', '--admin'], {
    cwd: root,
    input: `${ADMIN.password}\n`,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: server.database.url, BRICKYARD_HOME: server.home, PORT: '1' },
  });
  if (created.status !== 0) throw new Error(`could not create the admin: ${created.stderr}`);
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());

  const home = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const homeFiles = recordFiles(home);
  await home.goto(server.url + '/', { waitUntil: 'networkidle' });
  await home.locator('.part-card .part-name').first().waitFor();
  await home.waitForLoadState('networkidle');
  const shell = new Set(homeFiles.map((file) => file.url));

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const signIn = await context.request.post(`${server.url}/api/auth/login`, { data: ADMIN });
  if (signIn.status() !== 200) throw new Error(`sign-in answered ${signIn.status()}`);
  const page = await context.newPage();
  const files = recordFiles(page);
  await page.goto(server.url + '/admin', { waitUntil: 'networkidle' });
  await page.locator('[data-admin-plugin]').first().waitFor();
  await page.waitForLoadState('networkidle');

  const kb = (bytes: number) => bytes / 1024;
  const extra = files.filter((file) => !shell.has(file.url)).sort((a, b) => b.bytes - a.bytes);
  for (const file of extra) log(`${kb(file.bytes).toFixed(1).padStart(6)} KB  ${file.type.padEnd(10)} ${file.url}`);
  const leaked = [...shell].filter((url) => /Admin/.test(url));
  if (leaked.length) throw new Error(`the console's code is in the first load of /: ${leaked.join(', ')}`);
  const total = kb(extra.reduce((sum, file) => sum + file.bytes, 0));
  const ratio = total / GOAL_KB;
  printResult({
    bench: 'admin-first-load',
    summary: `${total.toFixed(1)} KB of JS+CSS (gzip) in ${extra.length} files for /admin beyond the ${shell.size} files of the first load of /`,
    ratio,
    ratioLabel: `${total.toFixed(1)} ÷ ${GOAL_KB} KB`,
    goal: `≤ ${GOAL_KB} KB (ratio ≤ 1)`,
    met: ratio <= 1,
  });
});
