/** The structures the designer's statistics come from and the benchmark scores (see data/structures/SOURCE.md). */
export const STRUCTURES: { name: string; file: string; chains?: string[]; what: string; tuned: boolean }[] = [
  { name: '4jsv-A', file: 'data/structures/4jsv-A.pdb', what: 'PDB 4JSV chain A (mTOR kinase domain)', tuned: true },
  { name: 'apbs-achbp', file: 'data/structures/apbs-achbp.pdb', what: 'APBS example misc/achbp.pqr (acetylcholine-binding protein, one subunit)', tuned: true },
  { name: 'apbs-mache', file: 'data/structures/apbs-mache.pdb', what: 'APBS example misc/mache.pqr (mouse acetylcholinesterase)', tuned: true },
  { name: 'apbs-actin', file: 'data/structures/apbs-actin.pdb', what: 'APBS example actin-dimer/mol1.pqr (actin)', tuned: true },
  { name: 'apbs-hca', file: 'data/structures/apbs-hca.pdb', what: 'APBS example hca-bind/hca.pqr (human carbonic anhydrase II)', tuned: true },
  { name: 'apbs-pka', file: 'data/structures/apbs-pka.pdb', what: 'APBS example pka-lig/bx6_7_apo_apbs.pqr (protein kinase A)', tuned: true },
  { name: '1crn', file: '../../client/public/structures/1crn.pdb', what: 'PDB 1CRN (crambin)', tuned: false },
  { name: '1gfl-A', file: '../../client/public/structures/1gfl.pdb', chains: ['A'], what: 'PDB 1GFL chain A (green fluorescent protein)', tuned: false },
  { name: '1vii', file: 'data/structures/1vii.pdb', what: 'PDB 1VII (villin headpiece, NMR)', tuned: false },
  { name: '4jsv-C', file: 'data/structures/4jsv-C.pdb', what: 'PDB 4JSV chain C (mLST8, a WD40 propeller)', tuned: false },
  { name: 'apbs-2lzt', file: 'data/structures/apbs-2lzt.pdb', what: 'APBS example bem-pKa/test_proteins/2LZT-ASP66.pqr (hen lysozyme, PDB 2LZT)', tuned: false },
  { name: 'apbs-barnase', file: 'data/structures/apbs-barnase.pdb', what: 'APBS example pbsam-barn_bars/barnase.pqr (barnase)', tuned: false },
  { name: 'apbs-barstar', file: 'data/structures/apbs-barstar.pdb', what: 'APBS example pbsam-barn_bars/barstar.pqr (barstar)', tuned: false },
  { name: 'apbs-fkbp', file: 'data/structures/apbs-fkbp.pdb', what: 'APBS example FKBP/1d7h-min.pqr (FKBP12, PDB 1D7H)', tuned: false },
  { name: 'apbs-1a63', file: 'data/structures/apbs-1a63.pdb', what: 'APBS example bem/test_proteins/1a63.pqr (PDB 1A63)', tuned: false },
];
