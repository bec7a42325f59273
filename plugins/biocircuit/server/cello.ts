import { library, response, type Gate, type Library } from './library';
import { candidateNetworks, canonical, logicOf, type Network } from './network';
import { bit, type Cell, type TruthTable } from './truth-table';

/**
 * Technology mapping: a NOR network's gates assigned to measured gates of the
 * library (no two of one repressor group), searched to maximise the predicted
 * ON/OFF ratio, and the DNA of the result.
 */

export interface Row {
  row: number;
  /** The inputs of the row, v0 first: '011'. */
  inputs: string;
  expected: Cell;
  /** What the circuit's logic gives (0 or 1). */
  logic: number;
  /** The predicted output (RPU). */
  level: number;
}

export interface MapFeature {
  feature_type: string;
  start_pos: number;
  end_pos: number;
  label: string;
  reverse: boolean;
  /** A longer description, for GenBank. */
  note?: string;
}

export interface Circuit {
  /** 'INPUT' for each input in order, then the gates' names; the last is the output. */
  nodes: string[];
  arcs: { from: number; to: number }[];
  /** The index of the output node: the last gate, or an input when the table is that input itself (no gate needed). */
  output: number;
  /** The predicted ON/OFF ratio (higher is better); see onOff for a table with no ON or no OFF row. */
  score: number;
  /** Lowest predicted ON output ÷ highest predicted OFF output over the defined rows; null when either side is empty. */
  onOff: number | null;
  /** The sensor promoter that stands for each input (v0 = pTac, …). */
  sensors: string[];
  rows: Row[];
  method: string;
  dna: { name: string; sequence: string; features: MapFeature[] };
}

/** Predicted output levels of every row, with `assignment[k]` the library gate of network gate k. */
export function levels(net: Network, assignment: Gate[], lib: Library): number[] {
  const out: number[] = [];
  const values = new Float64Array(net.n + net.gates.length);
  for (let row = 0; row < 1 << net.n; row++) {
    for (let i = 0; i < net.n; i++) values[i] = bit(row, i, net.n) ? lib.sensors[i].high : lib.sensors[i].low;
    for (let k = 0; k < net.gates.length; k++) {
      let x = 0;
      for (const s of net.gates[k]) x += values[s];
      values[net.n + k] = response(assignment[k], x);
    }
    out.push(values[net.output]);
  }
  return out;
}

/** ON/OFF over the defined rows, and the score that ranks circuits (the ratio; min ON or 1/max OFF when one side is empty). */
export function onOffOf(cells: Cell[], rowLevels: number[]): { onOff: number | null; score: number } {
  let minOn = Infinity;
  let maxOff = 0;
  cells.forEach((c, r) => {
    if (c === '1') minOn = Math.min(minOn, rowLevels[r]);
    if (c === '0') maxOff = Math.max(maxOff, rowLevels[r]);
  });
  if (minOn < Infinity && maxOff > 0) return { onOff: minOn / maxOff, score: minOn / maxOff };
  return { onOff: null, score: minOn < Infinity ? minOn : 1 / maxOff };
}

/** A small deterministic random source, so a table always gives the same circuits. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const EXHAUSTIVE = 5000;
const BUDGET = 1200;
/** A circuit with more gates must predict an ON/OFF this many times a smaller one's to be listed. */
const SMALLER_IS_WORTH = 1.05;

/**
 * The best few assignments of library gates to a network's gates. Small
 * networks (at most 5000 assignments) are searched exhaustively; larger ones
 * by hill climbing from random starts (replace one gate by an unused one, or
 * swap two), 1200 evaluations in all.
 */
export function assign(net: Network, cells: Cell[], lib: Library, keep = 3): { gates: Gate[]; score: number }[] {
  const g = net.gates.length;
  const pool = lib.gates;
  const best: { gates: Gate[]; score: number; key: string }[] = [];
  const consider = (gates: Gate[]) => {
    const { score } = onOffOf(cells, levels(net, gates, lib));
    if (best.length === keep && score <= best[keep - 1].score) return score;
    const key = gates.map((x) => x.name).join(' ');
    if (best.some((b) => b.key === key)) return score;
    best.push({ gates: [...gates], score, key });
    best.sort((a, b) => b.score - a.score);
    best.length = Math.min(best.length, keep);
    return score;
  };
  if (g === 0) {
    consider([]);
    return best;
  }
  let count = 1;
  for (let k = 0; k < g; k++) count *= pool.length - k;
  if (count <= EXHAUSTIVE) {
    const chosen: Gate[] = [];
    const walk = () => {
      if (chosen.length === g) return void consider(chosen);
      for (const gate of pool) {
        if (chosen.some((c) => c.group === gate.group)) continue;
        chosen.push(gate);
        walk();
        chosen.pop();
      }
    };
    walk();
    return best;
  }
  const rand = random(g * 7919 + cells.join('').length * 31 + cells.filter((c) => c === '1').length);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  /** A gate whose group no other position (but k) uses. */
  const freeFor = (gates: Gate[], k: number) => pool.filter((p) => p !== gates[k] && !gates.some((c, j) => j !== k && c.group === p.group));
  const restarts = 4;
  for (let start = 0; start < restarts; start++) {
    const current: Gate[] = [];
    while (current.length < g) current.push(pick(pool.filter((p) => !current.some((c) => c.group === p.group))));
    let score = consider(current);
    for (let step = 0; step < BUDGET / restarts; step++) {
      const next = [...current];
      const k = Math.floor(rand() * g);
      if (rand() < 0.7) {
        const free = freeFor(next, k);
        if (!free.length) continue;
        next[k] = pick(free);
      } else {
        const j = Math.floor(rand() * g);
        [next[k], next[j]] = [next[j], next[k]];
      }
      const s = consider(next);
      if (s >= score) {
        score = s;
        current.splice(0, g, ...next);
      }
    }
  }
  return best;
}

/** The circuits for a table, best first: candidate networks, each with its best assignments. */
export function design(table: TruthTable, count = 5): Circuit[] {
  const lib = library();
  const groups = new Set(lib.gates.map((g) => g.group)).size;
  const found: { net: Network; gates: Gate[]; score: number }[] = [];
  for (const net of candidateNetworks(table, groups)) for (const a of assign(net, table.cells, lib)) found.push({ net, ...a });
  found.sort((a, b) => b.score - a.score || a.net.gates.length - b.net.gates.length);
  // More gates are more burden on the cell and more DNA: a bigger circuit stays only if it beats every smaller one by 5%.
  const seen = new Set<string>();
  const worth = found.filter((c) => {
    const key = canonical(c.net, c.gates.map((g) => g.name));
    if (seen.has(key)) return false; // the same circuit reached by two syntheses
    seen.add(key);
    return !found.some((d) => d.net.gates.length < c.net.gates.length && d.score * SMALLER_IS_WORTH >= c.score);
  });
  return worth.slice(0, count).map(({ net, gates }) => describe(net, gates, table.cells, lib));
}

/** A network with its gates as the API shows it. */
export function describe(net: Network, gates: Gate[], cells: Cell[], lib: Library): Circuit {
  const rowLevels = levels(net, gates, lib);
  const { onOff, score } = onOffOf(cells, rowLevels);
  const arcs = net.gates.flatMap((inputs, k) => inputs.map((from) => ({ from, to: net.n + k })));
  return {
    nodes: [...Array<string>(net.n).fill('INPUT'), ...gates.map((g) => g.name)],
    arcs,
    output: net.output,
    score,
    onOff,
    sensors: lib.sensors.slice(0, net.n).map((s) => s.name),
    rows: rowLevels.map((level, row) => ({
      row,
      inputs: Array.from({ length: net.n }, (_, i) => bit(row, i, net.n)).join(''),
      expected: cells[row],
      logic: logicOf(net, row),
      level,
    })),
    method: net.method,
    dna: assemble(net, gates, lib),
  };
}

/**
 * The design's DNA: for each gate in order, the promoters of the gates that
 * feed it (the sensors' promoters are not in the library's parts, and are
 * named in the cassette's label instead), then its cassette (ribozyme, RBS,
 * repressor, terminator); last, the output gate's promoter, for the reporter.
 */
export function assemble(net: Network, gates: Gate[], lib: Library): Circuit['dna'] {
  let sequence = '';
  const features: MapFeature[] = [];
  const add = (partName: string) => {
    const part = lib.parts.get(partName);
    if (!part) throw new Error(`the library has no part ${partName}`);
    features.push({ feature_type: part.type, start_pos: sequence.length + 1, end_pos: sequence.length + part.sequence.length, label: part.name, reverse: false });
    sequence += part.sequence;
  };
  const signalName = (s: number) => (s < net.n ? lib.sensors[s].promoter : gates[s - net.n].promoter);
  net.gates.forEach((inputs, k) => {
    const start = sequence.length + 1;
    for (const s of inputs) if (s >= net.n) add(gates[s - net.n].promoter);
    for (const part of gates[k].cassette) add(part);
    // The map cuts labels that do not fit; a short one (the gate's name) stays readable. GenBank gets the inputs too.
    features.push({ feature_type: 'gate', start_pos: start, end_pos: sequence.length, label: gates[k].name, reverse: false, note: `NOR gate ${gates[k].name}, input ${inputs.map(signalName).join(' + ')}` });
  });
  if (net.output >= net.n) {
    add(gates[net.output - net.n].promoter);
    features[features.length - 1].note = 'output promoter: place the reporter after it';
  }
  return { name: `circuit_${gates.map((g) => g.regulator).join('_') || 'none'}`, sequence, features };
}

/** The design as a GenBank flat file. */
export function genbank(circuit: Circuit, table: string): string {
  const { name, sequence, features } = circuit.dna;
  const locus = name.slice(0, 16).padEnd(16);
  const date = new Date().toUTCString().slice(5, 16).replace(/ /g, '-').toUpperCase();
  const lines = [
    `LOCUS       ${locus} ${String(sequence.length).padStart(11)} bp    DNA     linear   SYN ${date}`,
    `DEFINITION  Genetic circuit for truth table ${table} (${circuit.nodes.filter((n) => n !== 'INPUT').join(', ')}), predicted ON/OFF ${circuit.onOff?.toFixed(1) ?? 'n/a'}.`,
    'ACCESSION   .',
    'KEYWORDS    Brickyard BioCircuit; Cello gates (Nielsen et al., Science 2016).',
    'SOURCE      synthetic DNA construct',
    '  ORGANISM  synthetic DNA construct',
    'FEATURES             Location/Qualifiers',
    `     source          1..${sequence.length}`,
    '                     /mol_type="other DNA"',
  ];
  const kinds: Record<string, string> = { promoter: 'promoter', rbs: 'RBS', cds: 'CDS', terminator: 'terminator', ribozyme: 'misc_RNA', scar: 'misc_feature', gate: 'misc_feature' };
  for (const f of features) {
    lines.push(`     ${(kinds[f.feature_type] ?? 'misc_feature').padEnd(16)}${f.start_pos}..${f.end_pos}`);
    lines.push(`                     /label="${f.label.replace(/"/g, "'")}"`);
    if (f.note) lines.push(`                     /note="${f.note.replace(/"/g, "'")}"`);
  }
  lines.push('ORIGIN');
  const dna = sequence.toLowerCase();
  for (let i = 0; i < dna.length; i += 60) {
    const chunk = dna.slice(i, i + 60).match(/.{1,10}/g)!.join(' ');
    lines.push(`${String(i + 1).padStart(9)} ${chunk}`);
  }
  lines.push('//', '');
  return lines.join('\n');
}
