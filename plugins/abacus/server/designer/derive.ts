import { features, PP_BINS, ppBin, SS_STATES, BURIAL_CLASSES } from './features';
import { AMINO, type Residue } from './pdb';

/**
 * Counts native residues of training structures: by secondary structure × burial
 * class, by 30° phi/psi bin, overall, and pairs in contact. These counts are the
 * designer's statistics (tools/derive-tables.ts writes them to tables.ts).
 */
export function countTables(structures: Residue[][]) {
  const zeros = () => new Array(AMINO.length).fill(0) as number[];
  const background = zeros();
  const ssBurial = SS_STATES.split('').map(() => Array.from({ length: BURIAL_CLASSES }, zeros));
  const phiPsi = Array.from({ length: PP_BINS }, zeros);
  const pair = Array.from({ length: AMINO.length }, zeros);
  let residues = 0;
  for (const structure of structures) {
    const f = features(structure);
    structure.forEach((r, i) => {
      const a = AMINO.indexOf(r.native);
      background[a]++;
      ssBurial[SS_STATES.indexOf(f.ss[i])][f.burial[i]][a]++;
      phiPsi[ppBin(f.phi[i], f.psi[i])][a]++;
      residues++;
    });
    for (const [i, j] of f.contacts) {
      const a = AMINO.indexOf(structure[i].native), b = AMINO.indexOf(structure[j].native);
      pair[a][b]++;
      if (a !== b) pair[b][a]++;
    }
  }
  return { residues, background, ssBurial, phiPsi, pair };
}
