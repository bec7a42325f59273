import { tables as shipped } from './tables';
import { AMINO } from './pdb';
import { BURIAL_CLASSES, ppBin, SS_STATES, type Features } from './features';

/** Weights of the energy's terms (see README: how they were chosen). */
export const WEIGHTS: { phiPsi: number; pair: number; composition?: number; context?: number } = { phiPsi: 1, pair: 0.1, composition: 0, context: 1.3 };

const A = AMINO.length;
const normalise = (v: number[]) => {
  const total = v.reduce((s, x) => s + x, 0);
  return v.map((x) => x / total);
};
/** Counts smoothed toward a prior distribution with `k` pseudo-observations. */
const smooth = (counts: number[], prior: number[], k: number) => {
  const total = counts.reduce((s, x) => s + x, 0);
  return counts.map((c, a) => (c + k * prior[a]) / (total + k));
};

export type Tables = Pick<typeof shipped, 'background' | 'ssBurial' | 'phiPsi' | 'pair' | 'ssContext'>;

/** The statistical tables, turned into smoothed probabilities and contact energies. */
export function energyModel(tables: Tables) {
  if (BURIAL_CLASSES !== tables.ssBurial[0].length) throw new Error('the tables do not match the burial classes: run tools/derive-tables.ts');

  const background = normalise(tables.background);
  const bySs = tables.ssBurial.map((rows) => smooth(rows.reduce((sum, row) => sum.map((x, a) => x + row[a]), new Array(A).fill(0)), background, 20));
  const bySsBurial = tables.ssBurial.map((rows, s) => rows.map((counts) => smooth(counts, bySs[s], 20)));
  const byPhiPsi = tables.phiPsi.map((counts) => smooth(counts, background, 20));
  const pairTotal = tables.pair.reduce((s, row) => s + row.reduce((t, x) => t + x, 0), 0);
  const pairMarginal = tables.pair.map((row) => row.reduce((t, x) => t + x, 0) / pairTotal);
  /** Contact energy e(a,b) = -ln(observed / expected), quasi-chemical, with 5 pseudo-contacts per pair. */
  const pair = tables.pair.map((row, a) => row.map((n, b) => -Math.log((n + 5) / (pairTotal * pairMarginal[a] * pairMarginal[b] + 5))));
  /** P(aa | secondary structure of the neighbours, own) against P(aa | own). */
  const byContext = tables.ssContext.map((rows) => rows.map((counts, s) => smooth(counts, bySs[s], 20)));
  return { background, bySs, bySsBurial, byPhiPsi, pair, byContext };
}
export type EnergyModel = ReturnType<typeof energyModel>;
export const SHIPPED = energyModel(shipped);


/** The energy of each amino acid at each position from that position alone (lower is better). */
export function singleEnergies(f: Features, weights = WEIGHTS, model = SHIPPED): number[][] {
  const { background, bySs, bySsBurial, byPhiPsi, byContext } = model;
  return f.neighbours.map((_, i) => {
    const s = SS_STATES.indexOf(f.ss[i]);
    const p = bySsBurial[s][f.burial[i]];
    const pp = byPhiPsi[ppBin(f.phi[i], f.psi[i])];
    const ctx = byContext[f.context[i]][s];
    return p.map(
      (pa, a) =>
        -Math.log(pa) -
        weights.phiPsi * (Math.log(pp[a]) - Math.log(background[a])) -
        (weights.context ?? 0) * (Math.log(ctx[a]) - Math.log(bySs[s][a])),
    );
  });
}

/** The total energy of a sequence (indices into AMINO). */
export function totalEnergy(seq: number[], single: number[][], f: Features, weights = WEIGHTS, model = SHIPPED): number {
  const { background, pair } = model;
  let e = 0;
  seq.forEach((a, i) => (e += single[i][a]));
  for (const [i, j] of f.contacts) e += weights.pair * pair[seq[i]][seq[j]];
  const counts = new Array(AMINO.length).fill(0);
  for (const a of seq) counts[a]++;
  e += ((weights.composition ?? 0) / seq.length) * counts.reduce((s, c, a) => s + (c * c) / background[a], 0);
  return e;
}

export const tableProvenance = shipped.provenance;
