import { backboneDihedrals, contacts, halfSphereCounts, secondaryStructure, virtualCB } from './geometry';
import type { Residue } from './pdb';

/** What the backbone tells about each position. */
export interface Features {
  phi: number[];
  psi: number[];
  /** H, E, C or L per position (see secondaryStructure). */
  ss: string;
  /** Half-sphere exposure: CA atoms within 13 Å on the side-chain side. */
  neighbours: number[];
  /** Burial class 0 (most exposed) … BURIAL_CLASSES-1 (most buried): the neighbour count's rank in this protein. */
  burial: number[];
  /** Residue pairs in contact. */
  contacts: [number, number][];
  /** The secondary structures of the residues before and after, as one index (contextOf). */
  context: number[];
}

export function features(residues: Residue[]): Features {
  const { phi, psi } = backboneDihedrals(residues);
  const cb = residues.map(virtualCB);
  const neighbours = halfSphereCounts(residues.map((r) => r.CA), cb);
  const ss = secondaryStructure(phi, psi);
  const context = residues.map((_, i) => contextOf(ss, residues, i));
  return { phi, psi, ss, neighbours, burial: burialClasses(neighbours), contacts: contacts(residues, cb), context };
}

export const SS_STATES = 'HECL';

/** The secondary structures of the residues before and after `i` in its chain (4: none) as one index, 0…24. */
export function contextOf(ss: string, residues: Residue[], i: number): number {
  const at = (j: number) => (j >= 0 && j < residues.length && residues[j].chain === residues[i].chain ? SS_STATES.indexOf(ss[j]) : 4);
  return at(i - 1) * 5 + at(i + 1);
}
/**
 * Burial classes by rank: every protein has a core and a surface whatever its size, so
 * a position's class is where its neighbour count ranks in its own protein (ties share a class).
 */
export const BURIAL_CLASSES = 6;
export function burialClasses(neighbours: number[]): number[] {
  const sorted = [...neighbours].sort((a, b) => a - b);
  return neighbours.map((n) => {
    const below = sorted.findIndex((x) => x >= n);
    const upTo = sorted.findLastIndex((x) => x <= n);
    const rank = (below + upTo) / 2 / Math.max(1, neighbours.length - 1);
    return Math.min(BURIAL_CLASSES - 1, Math.floor(rank * BURIAL_CLASSES));
  });
}
/** phi/psi bins of 30°; chain ends (no phi or psi) get the last bin. */
export const PP_STEP = 30;
export const PP_BINS = (360 / PP_STEP) ** 2 + 1;
export const ppBin = (phi: number, psi: number) => {
  if (!Number.isFinite(phi) || !Number.isFinite(psi)) return PP_BINS - 1;
  const k = (a: number) => Math.min(360 / PP_STEP - 1, Math.floor((a + 180) / PP_STEP));
  return k(phi) * (360 / PP_STEP) + k(psi);
};
