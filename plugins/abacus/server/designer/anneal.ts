import { AMINO, type Residue } from './pdb';
import { features as backboneFeatures, type Features } from './features';
import { SHIPPED, singleEnergies, totalEnergy, WEIGHTS, type EnergyModel } from './energy';

export interface Constraints {
  /** Residues ("A12", chain then number) that keep their native amino acid. */
  keepNative?: string[];
  /** Amino acids never chosen anywhere, e.g. "CM". */
  forbid?: string;
  /** Amino acids never chosen at one residue: {"A12": "P"}. */
  forbidAt?: Record<string, string>;
}

export interface DesignOptions {
  seed?: number;
  /** Annealing sweeps (one sweep = one move per position). */
  sweeps?: number;
  constraints?: Constraints;
  weights?: typeof WEIGHTS;
  /** Statistics to use (default: the shipped tables). */
  model?: EnergyModel;
  /** Called every `every` steps; may be async (the design yields to it). */
  onProgress?: (p: { step: number; steps: number; energy: number; temperature: number }) => void | Promise<void>;
  every?: number;
  signal?: AbortSignal;
}

export interface Design {
  native: string;
  designed: string;
  energy: number;
  ss: string;
  neighbours: number[];
  steps: number;
}

/** A small seeded generator (mulberry32): the same seed gives the same design. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const residueId = (r: Residue) => `${r.chain.trim()}${r.number}`;

/** Which amino acids each position may take, after the constraints. */
export function allowedAt(residues: Residue[], constraints: Constraints = {}): number[][] {
  const keep = new Set(constraints.keepNative ?? []);
  const known = new Set(residues.map(residueId));
  for (const id of [...keep, ...Object.keys(constraints.forbidAt ?? {})]) if (!known.has(id)) throw new Error(`no residue ${id} in the structure`);
  return residues.map((r) => {
    if (keep.has(residueId(r))) return [AMINO.indexOf(r.native)];
    const banned = (constraints.forbid ?? '') + (constraints.forbidAt?.[residueId(r)] ?? '');
    const allowed = [...AMINO].map((_, a) => a).filter((a) => !banned.includes(AMINO[a]));
    if (!allowed.length) throw new Error(`every amino acid is forbidden at ${residueId(r)}`);
    return allowed;
  });
}

/**
 * Chooses an amino acid for every residue by simulated annealing of the statistical
 * energy: single-residue terms (burial, secondary structure, phi/psi) plus contact
 * pairs; temperature falls geometrically from 3 to 0.02, then a greedy pass.
 */
export async function design(residues: Residue[], options: DesignOptions = {}): Promise<Design> {
  const f: Features = backboneFeatures(residues);
  const weights = options.weights ?? WEIGHTS;
  const model = options.model ?? SHIPPED;
  const single = singleEnergies(f, weights, model);
  const { pair: PAIR, background: BACKGROUND } = model;
  const allowed = allowedAt(residues, options.constraints);
  const rand = random(options.seed ?? 1);
  const n = residues.length;
  const partners: number[][] = residues.map(() => []);
  for (const [i, j] of f.contacts) partners[i].push(j), partners[j].push(i);
  // start from the best residue of each position alone
  const seq = allowed.map((choices, i) => choices.reduce((best, a) => (single[i][a] < single[i][best] ? a : best), choices[0]));
  // composition: a chi-square-like penalty keeps the design's residue counts near the background's
  const counts = new Array(AMINO.length).fill(0);
  for (const a of seq) counts[a]++;
  const composition = (weights.composition ?? 0) / n;
  const delta = (i: number, a: number) => {
    const b = seq[i];
    if (a === b) return 0;
    let d = single[i][a] - single[i][b];
    d += composition * ((2 * counts[a] + 1) / BACKGROUND[a] - (2 * counts[b] - 1) / BACKGROUND[b]);
    for (const j of partners[i]) d += weights.pair * (PAIR[a][seq[j]] - PAIR[seq[i]][seq[j]]);
    return d;
  };
  const steps = Math.max(1, Math.round((options.sweeps ?? 200) * n));
  const every = options.every ?? Math.max(1, Math.floor(steps / 50));
  let energy = totalEnergy(seq, single, f, weights, model);
  const t0 = 3, t1 = 0.02;
  for (let step = 0; step < steps; step++) {
    const temperature = t0 * (t1 / t0) ** (step / steps);
    const i = Math.floor(rand() * n);
    const choices = allowed[i];
    const a = choices[Math.floor(rand() * choices.length)];
    const d = delta(i, a);
    if (d <= 0 || rand() < Math.exp(-d / temperature)) {
      counts[seq[i]]--, counts[a]++;
      seq[i] = a;
      energy += d;
    }
    if ((step + 1) % every === 0 || step + 1 === steps) {
      if (options.signal?.aborted) throw new Error('cancelled');
      await options.onProgress?.({ step: step + 1, steps, energy, temperature });
    }
  }
  // greedy finish: no single change lowers the energy
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < n; i++)
      for (const a of allowed[i]) {
        const d = delta(i, a);
        if (d < -1e-9) counts[seq[i]]--, counts[a]++, (seq[i] = a), (energy += d), (changed = true);
      }
  }
  return {
    native: residues.map((r) => r.native).join(''),
    designed: seq.map((a) => AMINO[a]).join(''),
    energy: totalEnergy(seq, single, f, weights, model),
    ss: f.ss,
    neighbours: f.neighbours,
    steps,
  };
}
