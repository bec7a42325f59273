import { afterAll, beforeAll, expect, test } from 'vitest';
import { compareWithBruteForce, importSynthetic, QUERIES, type BruteForceRun } from './search-brute-force';

// The fixed queries over the 100k synthetic dump (84k live parts): the index's totals are the brute-force scan's.
let run: BruteForceRun;
beforeAll(async () => {
  run = await importSynthetic(100_000);
}, 900_000);
afterAll(async () => run?.drop());

test('over 100k parts, every total of the fixed queries equals a brute-force scan with the same tokenisation', async () => {
  expect(QUERIES.length).toBeGreaterThanOrEqual(50);
  const { compared, nonEmpty } = await compareWithBruteForce(run);
  expect(compared).toBe(QUERIES.length);
  // Broad and narrow queries: most match something (a few, like nosuchwordanywhere, must not).
  expect(nonEmpty).toBeGreaterThanOrEqual(40);
}, 600_000);
