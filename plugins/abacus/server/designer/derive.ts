import { BURIAL_CLASSES, features, PP_BINS, ppBin, SS_STATES } from './features';
import { AMINO, type Residue } from './pdb';

/**
 * Counts native residues of training structures: by secondary structure × burial
 * class, by 30° phi/psi bin, by the secondary structure of the neighbours in the chain
 * × its own, overall, and pairs in contact. These counts are the designer's statistics
 * (tools/derive-tables.ts writes them to tables.ts).
 */
export function countTables(structures: Residue[][]): Counts {
  return addCounts(structures.map(countStructure));
}
export type Counts = ReturnType<typeof countStructure>;

/** The counts of a set of structures: the sum of theirs (the benchmark leaves one out this way). */
export function addCounts(list: Counts[]): Counts {
  const add = (a: any, b: any): any =>
    Array.isArray(a) ? a.map((x, i) => add(x, b[i])) : typeof a === 'object' ? Object.fromEntries(Object.keys(a).map((k) => [k, add(a[k], b[k])])) : a + b;
  return list.reduce((sum, c) => add(sum, c));
}

/** The counts of one structure. */
export function countStructure(structure: Residue[]) {
  const zeros = () => new Array(AMINO.length).fill(0) as number[];
  const background = zeros();
  const ssBurial = SS_STATES.split('').map(() => Array.from({ length: BURIAL_CLASSES }, zeros));
  const phiPsi = Array.from({ length: PP_BINS }, zeros);
  const pair = Array.from({ length: AMINO.length }, zeros);
  /** By the neighbours' secondary structure (features' `context`, 25 values), then its own. */
  const ssContext = Array.from({ length: 5 * 5 }, () => SS_STATES.split('').map(zeros));
  const f = features(structure);
  structure.forEach((r, i) => {
    const a = AMINO.indexOf(r.native);
    const s = SS_STATES.indexOf(f.ss[i]);
    background[a]++;
    ssBurial[s][f.burial[i]][a]++;
    phiPsi[ppBin(f.phi[i], f.psi[i])][a]++;
    ssContext[f.context[i]][s][a]++;
  });
  for (const [i, j] of f.contacts) {
    const a = AMINO.indexOf(structure[i].native), b = AMINO.indexOf(structure[j].native);
    pair[a][b]++;
    if (a !== b) pair[b][a]++;
  }
  return { residues: structure.length, background, ssBurial, phiPsi, pair, ssContext };
}
