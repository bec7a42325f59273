import type { Residue, Vec } from './pdb';

const sub = (a: Vec, b: Vec): Vec => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const distance = (a: Vec, b: Vec) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The dihedral angle a-b-c-d in degrees (-180, 180]. */
export function dihedral(a: Vec, b: Vec, c: Vec, d: Vec): number {
  const b0 = sub(a, b);
  const b1 = sub(c, b);
  const b2 = sub(d, c);
  const n1 = Math.hypot(...b1);
  const u = b1.map((v) => v / n1) as Vec;
  const v = sub(b0, u.map((x) => x * dot(b0, u)) as Vec);
  const w = sub(b2, u.map((x) => x * dot(b2, u)) as Vec);
  return (Math.atan2(dot(cross(u, v), w), dot(v, w)) * 180) / Math.PI;
}

/** Consecutive in the chain: same chain and a peptide bond (C–N under 2 Å). */
const bonded = (a: Residue, b: Residue) => a.chain === b.chain && distance(a.C, b.N) < 2;

/** phi and psi of each residue (NaN at chain ends and breaks). */
export function backboneDihedrals(residues: Residue[]): { phi: number[]; psi: number[] } {
  const phi = residues.map((r, i) => (i > 0 && bonded(residues[i - 1], r) ? dihedral(residues[i - 1].C, r.N, r.CA, r.C) : NaN));
  const psi = residues.map((r, i) => (i + 1 < residues.length && bonded(r, residues[i + 1]) ? dihedral(r.N, r.CA, r.C, residues[i + 1].N) : NaN));
  return { phi, psi };
}

/**
 * Secondary structure from the dihedrals alone: H (four or more residues in a row
 * in the helical region), E (three or more in the extended region), L (positive
 * phi: left-handed, mostly Gly/Asn/Asp), C (the rest).
 */
export function secondaryStructure(phi: number[], psi: number[]): string {
  const helical = phi.map((f, i) => f >= -100 && f <= -30 && psi[i] >= -80 && psi[i] <= -5);
  const extended = phi.map((f, i) => f >= -180 && f <= -45 && (psi[i] >= 90 || psi[i] <= -165));
  const ss: string[] = phi.map((f) => (f > 0 ? 'L' : 'C'));
  const mark = (flags: boolean[], min: number, letter: string) => {
    for (let i = 0; i < flags.length; ) {
      let j = i;
      while (j < flags.length && flags[j]) j++;
      if (j - i >= min) for (let k = i; k < j; k++) ss[k] = letter;
      i = j + 1;
    }
  };
  mark(extended, 3, 'E');
  mark(helical, 4, 'H');
  return ss.join('');
}

/** Where the side chain's first carbon (CB) would be, from N, CA and C (ideal geometry). */
export function virtualCB(r: Residue): Vec {
  const b = sub(r.CA, r.N);
  const c = sub(r.C, r.CA);
  const a = cross(b, c);
  return [0, 1, 2].map((k) => -0.58273431 * a[k] + 0.56802827 * b[k] - 0.54067466 * c[k] + r.CA[k]) as Vec;
}

/** Burial: the number of other residues' virtual CB within `radius` Å of each residue's. */
export function neighbourCounts(cb: Vec[], radius = 10): number[] {
  const r2 = radius * radius;
  const counts = new Array(cb.length).fill(0);
  for (let i = 0; i < cb.length; i++)
    for (let j = i + 1; j < cb.length; j++) {
      const dx = cb[i][0] - cb[j][0], dy = cb[i][1] - cb[j][1], dz = cb[i][2] - cb[j][2];
      if (dx * dx + dy * dy + dz * dz <= r2) {
        counts[i]++;
        counts[j]++;
      }
    }
  return counts;
}

/**
 * Half-sphere exposure: the number of other residues' CA within `radius` Å on the side
 * the side chain points to (CA→CB): high for residues that point into the protein.
 */
export function halfSphereCounts(ca: Vec[], cb: Vec[], radius = 13): number[] {
  const r2 = radius * radius;
  return ca.map((c, i) => {
    const u = sub(cb[i], c);
    let n = 0;
    for (let j = 0; j < ca.length; j++) {
      if (j === i) continue;
      const d = sub(ca[j], c);
      if (dot(d, d) <= r2 && dot(d, u) > 0) n++;
    }
    return n;
  });
}

/** Pairs of residues in contact (virtual CB within `radius` Å, at least 3 apart in sequence or in other chains). */
export function contacts(residues: Residue[], cb: Vec[], radius = 7.5): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < cb.length; i++)
    for (let j = i + 1; j < cb.length; j++)
      if ((residues[i].chain !== residues[j].chain || j - i >= 3) && distance(cb[i], cb[j]) <= radius) pairs.push([i, j]);
  return pairs;
}
