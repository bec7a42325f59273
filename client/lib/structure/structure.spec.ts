import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkPdbText, MAX_PDB_BYTES } from './pdb-text';
import { COLOURINGS, REPRESENTATIONS, isColouring, isRepresentation, nglRepresentations } from './viewer-options';

const example = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'public', 'structures', name), 'utf8');

/** An ATOM record laid out in PDB's fixed columns. */
function atom(serial: number, name: string, residue: string, chain: string, seq: number, xyz = [1.5, -2.25, 30.125], record = 'ATOM') {
  const [x, y, z] = xyz.map((v) => v.toFixed(3).padStart(8));
  return `${record.padEnd(6)}${String(serial).padStart(5)} ${name.padEnd(4)} ${residue.padStart(3)} ${chain}${String(seq).padStart(4)}    ${x}${y}${z}  1.00 20.00           C`;
}

describe('PDB text, checked before NGL reads it', () => {
  test('the two example entries: id, title, chains, residues and atoms as the files hold them', () => {
    expect(checkPdbText(example('1crn.pdb'))).toEqual({
      ok: true,
      summary: {
        id: '1CRN',
        title: 'WATER STRUCTURE OF A HYDROPHOBIC PROTEIN AT ATOMIC RESOLUTION. PENTAGON RINGS OF WATER MOLECULES IN CRYSTALS OF CRAMBIN',
        chains: ['A'],
        residues: 46,
        atoms: 327,
      },
    });
    // GFP: two chains of 230 residues with coordinates, 3,650 ATOM and 300 HETATM (water) records.
    expect(checkPdbText(example('1gfl.pdb'))).toEqual({
      ok: true,
      summary: { id: '1GFL', title: 'STRUCTURE OF GREEN FLUORESCENT PROTEIN', chains: ['A', 'B'], residues: 460, atoms: 3950 },
    });
  });

  test('a bare list of atoms is enough; the title falls back to HEADER, and Windows line ends are read', () => {
    const text = ['HEADER    DE NOVO PROTEIN                         01-JAN-25   9XYZ', atom(1, 'N', 'MET', 'A', 1), atom(2, 'CA', 'MET', 'A', 1), atom(3, 'CA', 'GLY', 'B', 2)].join('\r\n');
    expect(checkPdbText(text)).toEqual({ ok: true, summary: { id: '9XYZ', title: 'DE NOVO PROTEIN', chains: ['A', 'B'], residues: 2, atoms: 3 } });
    expect(checkPdbText(atom(1, 'CA', 'ALA', ' ', 7))).toEqual({ ok: true, summary: { id: undefined, title: undefined, chains: [' '], residues: 1, atoms: 1 } });
  });

  test('insertion codes make residues of their own; HETATM records count as atoms but not residues', () => {
    const inserted = atom(2, 'CA', 'SER', 'A', 52).replace(/^(.{26})./, '$1A');
    const text = [atom(1, 'CA', 'GLY', 'A', 52), inserted, atom(3, 'O', 'HOH', 'A', 301, undefined, 'HETATM')].join('\n');
    expect(checkPdbText(text)).toMatchObject({ ok: true, summary: { residues: 2, atoms: 3 } });
  });

  test('of an NMR ensemble only the first model is counted', () => {
    const model = (n: number) => [`MODEL     ${n}`, atom(1, 'CA', 'ALA', 'A', 1), atom(2, 'CA', 'GLY', 'A', 2), 'ENDMDL'];
    expect(checkPdbText([...model(1), ...model(2), 'END'].join('\n'))).toMatchObject({ ok: true, summary: { residues: 2, atoms: 2 } });
  });

  test('lines without numbers where the coordinates go are not atoms', () => {
    expect(checkPdbText(['REMARK   1 TEST', 'ATOM      1  CA  ALA A   1      banana'].join('\n'))).toEqual({
      ok: false,
      reason: 'The file has no atoms with coordinates (ATOM or HETATM records).',
    });
  });

  test.each([
    ['', 'The file is empty.'],
    ['  \n\n', 'The file is empty.'],
    ['<!DOCTYPE html><html><body>Not found</body></html>', 'This is a web page (HTML), not a PDB file'],
    ['data_1CRN\n_entry.id 1CRN\nloop_\n_atom_site.group_PDB\n', 'This is an mmCIF file'],
    ['>sp|P42212|GFP_AEQVI\nMSKGEELFTG\n', 'This is a FASTA sequence'],
    ['ATOM\0\0\u0001binary', 'This is a binary file'],
    ['LOCUS       BBa_B0015   129 bp    DNA\n', 'This does not look like a PDB file'],
    ['HEADER    EMPTY\nREMARK   2 NOTHING HERE\nEND\n', 'The file has no atoms with coordinates'],
  ])('%j is refused with a sentence', (text, reason) => {
    const check = checkPdbText(text);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toContain(reason);
  });

  test('a file over the size limit is refused before it is read', () => {
    const check = checkPdbText('REMARK'.padEnd(MAX_PDB_BYTES + 1, ' '));
    expect(check).toEqual({ ok: false, reason: 'The file is 30 MB; the viewer reads files up to 30 MB.' });
  });
});

describe('viewer choices and the NGL representations they make', () => {
  test('every representation and colouring has a label, and the guards know them', () => {
    expect(REPRESENTATIONS.map((r) => r.id)).toEqual(['cartoon', 'surface', 'ball-and-stick']);
    expect(COLOURINGS.map((c) => c.id)).toEqual(['chain', 'residue', 'bfactor']);
    expect(isRepresentation('surface')).toBe(true);
    expect(isRepresentation('ribbon')).toBe(false);
    expect(isColouring('bfactor')).toBe(true);
    expect(isColouring('rainbow')).toBe(false);
  });

  test('cartoon and surface draw the polymer, with ligands as ball and stick in the same colouring', () => {
    expect(nglRepresentations('cartoon', 'chain')).toEqual([
      { type: 'cartoon', params: { colorScheme: 'chainname', sele: 'polymer' } },
      { type: 'ball+stick', params: { colorScheme: 'chainname', sele: 'ligand', multipleBond: 'symmetric' } },
    ]);
    expect(nglRepresentations('surface', 'bfactor').map((r) => [r.type, r.params.colorScheme])).toEqual([
      ['surface', 'bfactor'],
      ['ball+stick', 'bfactor'],
    ]);
  });

  test('ball and stick draws every atom but water, coloured by residue name', () => {
    expect(nglRepresentations('ball-and-stick', 'residue')).toEqual([{ type: 'ball+stick', params: { colorScheme: 'resname', sele: 'not water' } }]);
  });
});
