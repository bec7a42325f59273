/**
 * Writes data/nor-trees-<n>.bin.gz for n = 1 to 4: the smallest NOR/NOT trees
 * of every function of n inputs (server/nor-trees.ts). A test checks that the
 * files are what this computes, so run it again after changing the search:
 *
 *   node bin/run-ts.js plugins/biocircuit/tools/nor-trees.ts
 */
import * as fs from 'node:fs';
import { computeNorTrees, encode, norTreesFile, UNREACHED } from '../server/nor-trees';

for (let n = 1; n <= 4; n++) {
  const started = performance.now();
  const trees = computeNorTrees(n);
  fs.writeFileSync(norTreesFile(n), encode(trees));
  const reached = trees.size.filter((s) => s !== UNREACHED).length;
  console.log(`${norTreesFile(n)}: ${reached} of ${trees.size.length} functions reached, ${fs.statSync(norTreesFile(n)).size} bytes, ${Math.round(performance.now() - started)} ms`);
}
