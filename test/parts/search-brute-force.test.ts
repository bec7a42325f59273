import { bruteForceTest } from './search-brute-force';

// The fixed queries over a 5,000-part synthetic snapshot; the heavy pass runs them over the
// 100k dump (search-brute-force.heavy.test.ts).
bruteForceTest(5000, 300_000);
