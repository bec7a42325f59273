/**
 * First load of the browser app: the JavaScript and CSS a browser transfers to
 * show `/` (gzipped, as the server sends them), against the goal of 100 KB,
 * with Vue's runtime (shared through the import map, the largest single file)
 * as the baseline measured in the same load.
 *
 * Method: a real `brickyard serve` (demo parts) and headless Debian Chromium
 * (playwright-core) with an empty cache; every script and stylesheet response
 * until the home page has drawn its parts and the network is idle, counted by
 * its encoded body size as Chromium received it. Pages other than home and
 * plugins load later and are not counted; each file is listed.
 *
 *   node bin/run-ts.js bench/client-first-load.ts
 */
import { startTestServer } from '@brickyard/testing';
import mysql from 'mysql2/promise';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../test/e2e/chromium';
import { log, machine, onCleanup, printResult, runBench } from './lib/common';

const GOAL_KB = 100;

runBench(async () => {
  log(machine());
  const { buildClient } = require(path.join(__dirname, '..', 'bin', 'build-client.js'));
  await buildClient({ log });
  const server = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true' } });
  onCleanup(async () => {
    // The demo snapshot lives in a database of its own beside the test database.
    const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
    await db.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
    await db.end();
    await server.stop();
  });
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const files: { url: string; type: string; bytes: number }[] = [];
  page.on('requestfinished', async (request) => {
    const type = request.resourceType();
    if (type !== 'script' && type !== 'stylesheet') return;
    files.push({ url: new URL(request.url()).pathname, type, bytes: (await request.sizes()).responseBodySize });
  });
  await page.goto(server.url + '/', { waitUntil: 'networkidle' });
  await page.locator('.part-card .part-name').first().waitFor();
  await page.waitForLoadState('networkidle');

  const kb = (bytes: number) => bytes / 1024;
  for (const file of files.sort((a, b) => b.bytes - a.bytes)) log(`${kb(file.bytes).toFixed(1).padStart(6)} KB  ${file.type.padEnd(10)} ${file.url}`);
  const total = kb(files.reduce((sum, file) => sum + file.bytes, 0));
  const vue = kb(files.find((file) => /\/shared\/vue\.[^/]+\.js$/.test(file.url))?.bytes ?? NaN);
  const ratio = total / GOAL_KB;
  printResult({
    bench: 'client-first-load',
    summary: `${total.toFixed(1)} KB of JS+CSS (gzip) in ${files.length} files for the first load of /, Vue runtime ${vue.toFixed(1)} KB (${(total / vue).toFixed(2)}× Vue)`,
    ratio,
    ratioLabel: `${total.toFixed(1)} ÷ ${GOAL_KB} KB`,
    goal: `≤ ${GOAL_KB} KB (ratio ≤ 1)`,
    met: ratio <= 1,
  });
});
