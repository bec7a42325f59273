/**
 * Rating in one page → count updated in another open page: p50 and p99 over
 * 50 ratings in headless Chromium. Goal: p99 ≤ 500 ms. The baseline, measured
 * in the same run, is the same rating's HTTP round trip alone.
 *
 * Method: a real `brickyard serve` (demo parts, PARTS_RATING_INTERVAL_SECONDS=0
 * so that ratings are not throttled) and Debian Chromium through
 * playwright-core, two browser contexts on the same part page: a signed-in
 * user's and a signed-out visitor's. Each round, the visitor's page arms a
 * MutationObserver on the social card's `data-rates`, the user's page clicks
 * a score (the time taken just before the click), and the time is taken when
 * the visitor's card shows the new count: the PUT, the transaction that
 * recomputes the weight, the `parts.social` frame through the realtime
 * server, and Vue's update. Both times are `performance.timeOrigin +
 * performance.now()`, one clock for the two pages of one machine. The rating
 * is then removed (untimed) and, for the baseline, the same PUT is sent by
 * the user's page with `fetch` through `@brickyard/client` and timed to its
 * answer, then removed again. 5 warm-up rounds.
 *
 *   node bin/run-ts.js bench/rating-live.ts [--part BBa_B0034] [--ratings 50]
 */
import type { Page } from 'playwright-core';
import { arg, log, machine, percentile, printResult, runBench } from './lib/common';
import { startBrowserBench } from './lib/browser-bench';
import { describeCpu, waitForQuiet, watchCpu } from './lib/cpu';

const GOAL_P99_MS = 500;
const CARD = '.part-social';

/** Arms, in the visitor's page, a promise of the time its card shows `rates` ratings. */
const arm = (page: Page, rates: number) =>
  page.evaluate(`(() => {
    const card = document.querySelector('${CARD}');
    window.__shown = new Promise((resolve) => {
      const seen = () => card.getAttribute('data-rates') === '${rates}';
      if (seen()) return resolve(performance.timeOrigin + performance.now());
      new MutationObserver((_, observer) => {
        if (!seen()) return;
        observer.disconnect();
        resolve(performance.timeOrigin + performance.now());
      }).observe(card, { attributes: true, attributeFilter: ['data-rates'] });
    });
  })()`);
const shown = (page: Page) => page.evaluate('window.__shown') as Promise<number>;

/** Clicks a score in the user's page; the time just before the click. */
const clickScore = (page: Page, score: number) =>
  page.evaluate(`(() => { const t = performance.timeOrigin + performance.now(); document.querySelector('${CARD} button[data-score="${score}"]').click(); return t; })()`) as Promise<number>;

/** The same rating's round trip alone, from the user's page, in ms. */
const roundTrip = (page: Page, part: string, score: number) =>
  page.evaluate(`import('@brickyard/client').then(async ({ api }) => {
    const t = performance.now();
    await api.put('/api/parts/${part}/rating', { score: ${score} });
    return performance.now() - t;
  })`) as Promise<number>;
const unrate = (page: Page, part: string) => page.evaluate(`import('@brickyard/client').then(({ api }) => api.delete('/api/parts/${part}/rating'))`);

runBench(async () => {
  const part = arg('part', 'BBa_B0034');
  const ratings = Number(arg('ratings', '50'));
  log(machine());
  const { server, browser } = await startBrowserBench({ PARTS_RATING_INTERVAL_SECONDS: '0', FORUM_REGISTRY_EXPERIENCES: 'false' });
  const url = `${server.url}/parts/${part}`;
  const user = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const visitor = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await user.goto(url);
  const username = `bench${Date.now().toString(36)}`;
  const status = await user.evaluate(
    `fetch('/api/auth/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: '${username}', email: '${username}@example.org', password: 'correct horse battery' }) }).then((r) => r.status)`,
  );
  if (status !== 201) throw new Error(`sign-up answered ${status}`);
  await user.reload();
  await user.locator(CARD).waitFor();
  await user.locator(`${CARD} button[data-score="1"]`).waitFor().catch(async (error) => {
    throw new Error(`no rating buttons: ${await user.locator(CARD).textContent()} (${error})`);
  });
  await visitor.goto(url);
  await visitor.locator(CARD).waitFor();
  // Subscribed: a second subscribe on the same socket is answered after the page's own.
  await visitor.evaluate(`import('@brickyard/client').then((c) => c.useRealtime().subscribe('parts:${part}'))`);
  const base = Number(await visitor.locator(CARD).getAttribute('data-rates'));

  const live: number[] = [];
  const trip: number[] = [];
  const round = async (i: number, keep: boolean) => {
    const score = (i % 5) + 1;
    await arm(visitor, base + 1);
    const clicked = await clickScore(user, score);
    const at = await shown(visitor);
    await arm(visitor, base);
    await unrate(user, part);
    await shown(visitor);
    const ms = await roundTrip(user, part, score);
    await unrate(user, part);
    if (keep) {
      live.push(at - clicked);
      trip.push(ms);
    }
  };
  for (let i = 0; i < 5; i++) await round(i, false);
  await waitForQuiet();
  const cpu = watchCpu();
  for (let i = 0; i < ratings; i++) await round(i, true);
  const usage = cpu();
  const p50 = percentile(live, 50);
  const p99 = percentile(live, 99);
  const b50 = percentile(trip, 50);
  const b99 = percentile(trip, 99);
  log(`rating → other page shows the count: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...live).toFixed(1)} ms; PUT round trip alone: p50 ${b50.toFixed(1)} ms, p99 ${b99.toFixed(1)} ms; ${describeCpu(usage)}`);
  printResult({
    bench: 'rating-live',
    summary: `${part}: rating in one page → count in another p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (${ratings} ratings) vs the PUT's round trip alone p50 ${b50.toFixed(1)} ms, p99 ${b99.toFixed(1)} ms; ${describeCpu(usage)}`,
    ratio: p50 / b50,
    ratioLabel: `p50 ${p50.toFixed(1)} ÷ ${b50.toFixed(1)} ms`,
    goal: `p99 ≤ ${GOAL_P99_MS} ms`,
    met: p99 <= GOAL_P99_MS,
  });
});
