/**
 * Part page with its sequence map: navigation → map drawn, p50 over 20 loads
 * in headless Chromium, against a static page holding the same SVG, measured
 * in the same run. Goal: ratio ≤ 2.
 *
 * Method: a real `brickyard serve` (demo parts) and Debian Chromium through
 * playwright-core, one browser context (so both pages load from a warm HTTP
 * cache, as a biologist's second part page does). The app's time is
 * `performance.mark('sequence-map:drawn')`, which the map sets once d3 has
 * drawn (SequenceMap.vue), relative to the navigation's start: the page's
 * HTML, the shared modules, the part page's chunk, GET /api/parts/<name>, the
 * map's chunk (d3) and the drawing. The baseline is the map's SVG as the app
 * drew it, saved into a static HTML page with the same stylesheets (the app's
 * CSS and the map's), served by this benchmark's own HTTP server on
 * 127.0.0.1; an inline script after the SVG sets the same mark. The two are
 * loaded alternately after 3 warm-up loads of each.
 *
 *   node bin/run-ts.js bench/part-map.ts [--part BBa_C0012] [--loads 20]
 */
import * as http from 'node:http';
import type { Page } from 'playwright-core';
import { arg, log, machine, onCleanup, percentile, printResult, runBench } from './lib/common';
import { startBrowserBench } from './lib/browser-bench';
import { describeCpu, waitForQuiet, watchCpu } from './lib/cpu';

const GOAL = 2;
const DRAWN = '.seqmap[data-map-state="drawn"]';

/** Loads `url` and returns the `sequence-map:drawn` mark's time since the navigation started, in ms. */
async function timeLoad(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(DRAWN).waitFor();
  return page.evaluate(() => performance.getEntriesByName('sequence-map:drawn')[0]!.startTime);
}

runBench(async () => {
  const part = arg('part', 'BBa_C0012');
  const loads = Number(arg('loads', '20'));
  log(machine());
  const { server, browser } = await startBrowserBench({});
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const appUrl = `${server.url}/parts/${part}`;

  // The static page: the SVG the app drew, with the page's stylesheets.
  await page.goto(appUrl);
  await page.locator(DRAWN).waitFor();
  // A string: the benchmark's TypeScript has no DOM types.
  const snapshot = (await page.evaluate(`({
    svg: document.querySelector('.seqmap-canvas svg').outerHTML,
    features: document.querySelectorAll('.seqmap .sm-feature').length,
    mapCss: document.querySelector('style[data-sequence-map]')?.textContent ?? '',
    sheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map((link) => link.href),
    theme: document.documentElement.getAttribute('data-bs-theme') ?? 'light',
  })`)) as { svg: string; features: number; mapCss: string; sheets: string[]; theme: string };
  const css = await Promise.all(snapshot.sheets.map(async (href) => (await fetch(href)).text()));
  const html = `<!doctype html><html lang="en" data-bs-theme="${snapshot.theme}"><head><meta charset="utf-8"><title>${part} · static map</title>
<link rel="stylesheet" href="/app.css"><style>${snapshot.mapCss}</style></head>
<body><main class="container-xl"><div class="seqmap" data-map-state="drawn"><div class="seqmap-canvas">${snapshot.svg}</div></div></main>
<script>performance.mark('sequence-map:drawn')</script></body></html>`;
  const staticServer = http.createServer((request, response) => {
    if (request.url === '/app.css') return response.writeHead(200, { 'content-type': 'text/css', 'cache-control': 'public, max-age=31536000, immutable' }).end(css.join('\n'));
    // Revalidated on every load, as the app's own page is.
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(html);
  });
  await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => staticServer.close(() => resolve())));
  const staticUrl = `http://127.0.0.1:${(staticServer.address() as { port: number }).port}/`;
  log(`${part}: ${snapshot.features} features; static page ${(html.length / 1024).toFixed(1)} KB of HTML, ${(css.join('').length / 1024).toFixed(1)} KB of CSS`);

  for (let i = 0; i < 3; i++) {
    await timeLoad(page, appUrl);
    await timeLoad(page, staticUrl);
  }
  await waitForQuiet();
  const cpu = watchCpu();
  const app: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < loads; i++) {
    app.push(await timeLoad(page, appUrl));
    baseline.push(await timeLoad(page, staticUrl));
  }
  const usage = cpu();
  const p50 = percentile(app, 50);
  const base = percentile(baseline, 50);
  const ratio = p50 / base;
  log(`part page → map drawn: p50 ${p50.toFixed(1)} ms, p90 ${percentile(app, 90).toFixed(1)} ms; static page with the same SVG: p50 ${base.toFixed(1)} ms, p90 ${percentile(baseline, 90).toFixed(1)} ms; ${describeCpu(usage)}`);
  printResult({
    bench: 'part-map',
    summary: `${part}: navigation → sequence map drawn p50 ${p50.toFixed(1)} ms vs ${base.toFixed(1)} ms for a static page with the same SVG (${loads} loads each, warm cache); ${describeCpu(usage)}`,
    ratio,
    ratioLabel: `${p50.toFixed(1)} ÷ ${base.toFixed(1)} ms`,
    goal: `≤ ${GOAL}`,
    met: ratio <= GOAL,
  });
});
