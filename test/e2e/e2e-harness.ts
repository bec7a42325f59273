import { startTestServer, type TestServer, type TestServerOptions } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';

const root = path.resolve(import.meta.dirname, '..', '..');

/** A real server and Debian's Chromium, for one browser test file. */
export interface E2e {
  server: TestServer;
  browser: Browser;
}

/**
 * Builds the client if its sources changed (npm test has done it already),
 * then starts a server (demo parts, SITE_TITLE Brickyard, plus `options`) and
 * Chromium side by side.
 */
export async function startE2e(options: TestServerOptions = {}): Promise<E2e> {
  const executablePath = ensureChromium();
  const { buildClient } = await import(path.join(root, 'bin', 'build-client.js'));
  await buildClient();
  const [server, browser] = await Promise.all([
    startTestServer({ ...options, env: { PARTS_DEMO_DATA: 'true', SITE_TITLE: 'Brickyard', ...options.env } }),
    chromium.launch({ executablePath, args: CHROMIUM_ARGS }),
  ]);
  return { server, browser };
}

/** Closes the browser and stops the server (its databases, the snapshot's included, are dropped). */
export async function stopE2e(e2e: Partial<E2e> | undefined): Promise<void> {
  await e2e?.browser?.close();
  await e2e?.server?.stop();
}

/**
 * Collects into `problems` a page's console errors (and other messages
 * `counted` says count), failed requests and uncaught exceptions: the tests
 * allow none. `provoked`: URLs a test fails on purpose, whose errors the
 * browser logs rightly.
 */
export function watchProblems(page: Page, route: string, problems: string[], options: { provoked?: string[]; counted?: (message: ConsoleMessage) => boolean } = {}): void {
  const counted = options.counted ?? ((message: ConsoleMessage) => message.type() === 'error');
  page.on('console', (message) => {
    if (!counted(message)) return;
    if (options.provoked?.some((url) => message.location().url.includes(url) || message.text().includes(url))) return;
    problems.push(`${route}: console ${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`${route}: uncaught: ${error.message}`));
}

const axeSource = (() => {
  let source: string | undefined;
  return () => (source ??= fs.readFileSync(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
})();

/**
 * axe-core's serious and critical violations in `scope` (a CSS selector; the
 * whole document by default). Injected through the DevTools protocol, so the
 * page's CSP (no inline scripts) stays on.
 */
export async function seriousAxeViolations(page: Page, scope?: string): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  await page.evaluate(axeSource());
  const context = scope ? JSON.stringify(scope) : 'document';
  const violations = (await page.evaluate(
    `axe.run(${context}, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })))`,
  )) as { id: string; impact: string; help: string; nodes: string[] }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
