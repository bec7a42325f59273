import { afterAll, beforeAll, expect, test } from 'vitest';
import { compareWithBruteForce, importSynthetic, QUERIES, type BruteForceRun } from './search-brute-force';

// The fixed queries over a 5,000-part synthetic snapshot (the heavy pass runs them over 100k:
// search-brute-force.heavy.test.ts): the index's totals are the brute-force scan's.
let run: BruteForceRun;
beforeAll(async () => {
  run = await importSynthetic(5000);
}, 300_000);
afterAll(async () => run?.drop());

test('every total of the fixed queries equals a brute-force scan with the same tokenisation', async () => {
  expect(QUERIES.length).toBeGreaterThanOrEqual(50);
  const { compared, nonEmpty } = await compareWithBruteForce(run);
  expect(compared).toBe(QUERIES.length);
  // Broad and narrow queries: most match something (a few, like nosuchwordanywhere, must not).
  expect(nonEmpty).toBeGreaterThanOrEqual(40);
});
