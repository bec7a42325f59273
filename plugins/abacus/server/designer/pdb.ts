/** The 20 amino acids, one-letter codes in a fixed order (indices used by every table). */
export const AMINO = 'ACDEFGHIKLMNPQRSTVWY';
const THREE = ['ALA', 'CYS', 'ASP', 'GLU', 'PHE', 'GLY', 'HIS', 'ILE', 'LYS', 'LEU', 'MET', 'ASN', 'PRO', 'GLN', 'ARG', 'SER', 'THR', 'VAL', 'TRP', 'TYR'];
const ALIASES: Record<string, string> = { MSE: 'M', HSD: 'H', HSE: 'H', HIE: 'H', HID: 'H', HIP: 'H', CYX: 'C', SEC: 'C' };
export const oneLetter = (name: string): string => {
  const i = THREE.indexOf(name);
  return i >= 0 ? AMINO[i] : (ALIASES[name] ?? 'X');
};
export const threeLetter = (code: string): string => THREE[AMINO.indexOf(code)] ?? 'UNK';

export type Vec = [number, number, number];

/** One residue of a backbone: its label, native residue and backbone atoms. */
export interface Residue {
  chain: string;
  /** Residue number and insertion code as in the file, e.g. "12" or "12A". */
  number: string;
  /** One-letter native residue ('X' when unknown). */
  native: string;
  N: Vec;
  CA: Vec;
  C: Vec;
  O?: Vec;
}

export class PdbError extends Error {}

const BACKBONE = new Set(['N', 'CA', 'C', 'O']);

/**
 * Reads the backbone of the first model of a PDB file: residues (ATOM, and HETATM
 * MSE) with N, CA and C, first alternate location only. `chains` keeps only those.
 */
export function parsePdb(text: string, chains?: string[]): Residue[] {
  const residues: Residue[] = [];
  const byKey = new Map<string, Partial<Residue> & { chain: string; number: string; native: string }>();
  const order: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('ENDMDL')) break;
    const record = line.slice(0, 6);
    if (record !== 'ATOM  ' && !(record === 'HETATM' && line.slice(17, 20) === 'MSE')) continue;
    const atom = line.slice(12, 16).trim();
    if (!BACKBONE.has(atom)) continue;
    const alt = line[16];
    if (alt !== ' ' && alt !== 'A' && alt !== '1' && alt !== undefined) continue;
    const chain = line[21] ?? ' ';
    if (chains && !chains.includes(chain)) continue;
    const number = line.slice(22, 27).trim();
    const xyz: Vec = [Number(line.slice(30, 38)), Number(line.slice(38, 46)), Number(line.slice(46, 54))];
    if (xyz.some((v) => !Number.isFinite(v))) throw new PdbError(`line "${line.slice(0, 27)}…" has no valid coordinates`);
    const key = `${chain}:${number}`;
    let residue = byKey.get(key);
    if (!residue) {
      residue = { chain, number, native: oneLetter(line.slice(17, 20).trim()) };
      byKey.set(key, residue);
      order.push(key);
    }
    if (!(atom in residue)) (residue as any)[atom] = xyz;
  }
  for (const key of order) {
    const r = byKey.get(key)!;
    if (r.N && r.CA && r.C && r.native !== 'X') residues.push(r as Residue);
  }
  return residues;
}

/** A PDB file of the backbone (N, CA, C, O) with `sequence`'s residue names. */
export function writePdb(residues: Residue[], sequence: string, title = 'designed by the Brickyard ABACUS plugin'): string {
  const lines = [`REMARK   1 ${title}`.slice(0, 80)];
  let serial = 1;
  let previousChain = residues[0]?.chain;
  residues.forEach((r, i) => {
    if (r.chain !== previousChain) {
      lines.push('TER');
      previousChain = r.chain;
    }
    const number = r.number.match(/^(-?\d+)(\D?)$/);
    const resSeq = (number?.[1] ?? r.number).padStart(4);
    const iCode = number?.[2] || ' ';
    for (const atom of ['N', 'CA', 'C', 'O'] as const) {
      const xyz = r[atom];
      if (!xyz) continue;
      const name = atom.length === 1 ? ` ${atom}  ` : ` ${atom} `;
      lines.push(
        `ATOM  ${String(serial++).padStart(5)} ${name} ${threeLetter(sequence[i])} ${r.chain}${resSeq}${iCode}   ` +
          `${xyz[0].toFixed(3).padStart(8)}${xyz[1].toFixed(3).padStart(8)}${xyz[2].toFixed(3).padStart(8)}  1.00  0.00           ${atom[0]}`,
      );
    }
  });
  lines.push('TER', 'END');
  return lines.join('\n') + '\n';
}

export const sequenceOf = (residues: Residue[]) => residues.map((r) => r.native).join('');
