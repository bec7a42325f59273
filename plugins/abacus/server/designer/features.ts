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
}

export function features(residues: Residue[]): Features {
  const { phi, psi } = backboneDihedrals(residues);
  const cb = residues.map(virtualCB);
  const neighbours = halfSphereCounts(residues.map((r) => r.CA), cb);
  return { phi, psi, ss: secondaryStructure(phi, psi), neighbours, burial: burialClasses(neighbours), contacts: contacts(residues, cb) };
}

export const SS_STATES = 'HECL';
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
