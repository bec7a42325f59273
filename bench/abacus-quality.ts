/**
 * ABACUS plugin: quality of the built-in designer (docs/benchmarks.md). For each structure:
 * native sequence recovery, and the share of hydrophobic residues (A C F I L M V W) among
 * the most buried and the most exposed quarter of positions (by half-sphere exposure).
 * Each structure is designed with statistics derived from all the OTHER structures
 * (leave one out); "tuned" marks those the energy's weights were chosen on.
 * Run: node bin/run-ts.js bench/abacus-quality.ts
 */
import { design } from '../plugins/abacus/server/designer/anneal';
import { addCounts, countStructure } from '../plugins/abacus/server/designer/derive';
import { energyModel, WEIGHTS } from '../plugins/abacus/server/designer/energy';
import { readStructure, STRUCTURES, TRAINING } from '../plugins/abacus/tools/structures';

const HYDROPHOBIC = new Set('ACFILMVW');
const entry = (name: string) => name.split('-')[0] === 'apbs' ? name : name.split('-')[0];

async function main() {
  const weights = { phiPsi: Number(process.env.PHIPSI ?? WEIGHTS.phiPsi), pair: Number(process.env.PAIR ?? WEIGHTS.pair), composition: Number(process.env.COMP ?? WEIGHTS.composition), context: Number(process.env.CTX ?? WEIGHTS.context) };
  const all = STRUCTURES.map((s) => ({ ...s, residues: readStructure(s.file) })).map((s) => ({ ...s, counts: countStructure(s.residues) }));
  // Training-only structures (never scored) are in every fold; TRAINING=0 leaves them out.
  const skip = (process.env.TRAINING_SKIP ?? '').split(',');
  const training = process.env.TRAINING === '0' ? [] : TRAINING.filter((t) => !skip.some((k) => k && t.file.includes(k))).map((t) => countStructure(readStructure(t.file)));
  const rows = [];
  let totalMs = 0, totalResidues = 0;
  for (const s of all) {
    // leave out every chain of the same entry (4jsv-A and 4jsv-C are different proteins and stay)
    const others = all.filter((o) => o.name === s.name ? false : !(entry(o.name) === entry(s.name) && o.name.split('-')[0] === '1gfl'));
    const model = energyModel(addCounts([...others.map((o) => o.counts), ...training]));
    const started = performance.now();
    const d = await design(s.residues, { seed: Number(process.env.SEED ?? 1), sweeps: 200, weights, model });
    const ms = performance.now() - started;
    const n = s.residues.length;
    totalMs += ms, totalResidues += n;
    const recovery = [...d.designed].filter((a, i) => a === d.native[i]).length / n;
    const order = d.neighbours.map((c, i) => [c, i]).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
    const q = Math.max(1, Math.round(n / 4));
    const share = (idx: number[], seq: string) => idx.filter((i) => HYDROPHOBIC.has(seq[i])).length / idx.length;
    const buried = order.slice(0, q), exposed = order.slice(-q);
    rows.push({
      structure: s.name, tuned: s.tuned, residues: n, recovery: +(100 * recovery).toFixed(1),
      buriedHydrophobic: +(100 * share(buried, d.designed)).toFixed(0), exposedHydrophobic: +(100 * share(exposed, d.designed)).toFixed(0),
      nativeBuried: +(100 * share(buried, d.native)).toFixed(0), nativeExposed: +(100 * share(exposed, d.native)).toFixed(0),
    });
  }
  console.table(rows);
  for (const tuned of [true, false]) {
    const set = rows.filter((r) => r.tuned === tuned);
    const mean = (k: 'recovery' | 'buriedHydrophobic' | 'exposedHydrophobic') => (set.reduce((s, r) => s + r[k], 0) / set.length).toFixed(1);
    console.log(`${tuned ? 'tuned on' : 'not tuned on'} (${set.length}): recovery ${mean('recovery')} % (min ${Math.min(...set.map((r) => r.recovery))}), buried hydrophobic ${mean('buriedHydrophobic')} %, exposed ${mean('exposedHydrophobic')} %`);
  }
  console.log(`time: ${((totalMs / totalResidues) * 100).toFixed(0)} ms per 100 residues (200 sweeps)`);
  console.log(`RESULT abacus-quality ${JSON.stringify({ notTunedMeanRecovery: +(rows.filter((r) => !r.tuned).reduce((s, r) => s + r.recovery, 0) / rows.filter((r) => !r.tuned).length).toFixed(1), minRecovery: Math.min(...rows.map((r) => r.recovery)) })}`);
}
void main();
