import { bruteForceTest } from './search-brute-force';

// The fixed queries over the 100k synthetic dump (84k live parts).
bruteForceTest(100_000, 900_000);
