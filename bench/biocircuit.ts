/**
 * BioCircuit plugin: time to design the circuits of a truth table (docs/benchmarks.md),
 * in process, cold (no cache): every table of n = 3 (256) and n = 2 (16), and 40 random
 * tables of n = 4 (with don't cares), with the mean predicted ON/OFF of the best circuit.
 * Goal: well under a second per n = 3 table (p95 < 250 ms). Baseline, same run and tables:
 * Biohub's own algorithm (parity mode: two-level AND/OR/NOT graph, five fixed gate
 * assignments), whose median the mapping's median is divided by.
 * Run: node bin/run-ts.js bench/biocircuit.ts
 */
import { design } from '../plugins/biocircuit/server/cello';
import { library } from '../plugins/biocircuit/server/library';
import { parityDesign } from '../plugins/biocircuit/server/parity';
import { parseTable } from '../plugins/biocircuit/server/truth-table';

function tables(n: number): string[] {
  let out = [''];
  for (let r = 0; r < 1 << n; r++) out = out.flatMap((t) => [t + '0', t + '1']);
  return out;
}

/** Median ms of Biohub's parity algorithm over `list` (the same run's baseline). */
function parityMedian(list: string[]): number {
  const times = list.map((text) => {
    const started = performance.now();
    parityDesign(parseTable(text));
    return performance.now() - started;
  });
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function measure(label: string, list: string[]) {
  const baseline = parityMedian(list);
  const times: number[] = [];
  let found = 0;
  let empty = 0;
  let logRatio = 0;
  for (const text of list) {
    const started = performance.now();
    const circuits = design(parseTable(text));
    times.push(performance.now() - started);
    if (!circuits.length) empty++;
    else if (circuits[0].onOff) (found++, (logRatio += Math.log10(circuits[0].onOff)));
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(0);
  const p95 = Number(at(0.95));
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`RESULT biocircuit ${label}: ${list.length} tables, median ${at(0.5)} ms, p95 ${p95} ms, max ${at(1)} ms; ` +
    `Biohub's parity algorithm median ${baseline.toFixed(2)} ms, ratio ${(median / Math.max(baseline, 0.001)).toFixed(0)}; ` +
    `no circuit for ${empty}; best ON/OFF geometric mean ${(10 ** (logRatio / Math.max(1, found))).toFixed(0)}× ` +
    `goal p95 < 250 ms ${p95 < 250 ? 'met' : 'MISSED'}`);
}

library();
// Warm up: each process reads the NOR tree tables once (data/nor-trees-<n>.bin.gz; n = 4: about 60 ms).
for (const table of ['01', '0001', '00010111', '0001000100011111']) design(parseTable(table));
measure('n=2', tables(2).filter((t) => /0/.test(t) || /1/.test(t)));
measure('n=3', tables(3));
let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
measure('n=4', Array.from({ length: 40 }, () => Array.from({ length: 16 }, () => '01-'[Math.floor(rand() * 2.4)]).join('')));
