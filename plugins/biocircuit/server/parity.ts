import { bit, minimise, type TruthTable } from './truth-table';

/**
 * Biohub 2.0's BioCircuit, kept as `mode=parity`: the sum of products as a
 * graph of 2-input AND/OR and NOT gates, five fixed gate assignments, scored
 * by 2^(a−1) + 2^(b−1) + c + d over its 16-gate library (lower is better).
 */

type Kind = 'NOT' | 'AND' | 'OR';

/** Biohub's gate library summarised as (inhibitions, activations, locks, keys). */
export const PARITY_GATES: Record<string, [number, number, number, number]> = {
  OR0: [3, 0, 0, 0],
  OR1: [4, 1, 0, 0],
  AND0: [0, 2, 0, 0],
  AND1: [0, 2, 0, 0],
  AND2: [2, 0, 0, 0],
  AND3: [0, 2, 0, 0],
  AND4: [1, 2, 0, 0],
  AND5: [0, 1, 0, 1],
  NOT0: [0, 3, 1, 0],
  NOT1: [1, 2, 0, 1],
  NOT2: [1, 2, 0, 0],
  NOT3: [1, 1, 0, 1],
  NOT4: [3, 0, 0, 0],
  NOT5: [2, 0, 1, 0],
  NOT6: [2, 0, 0, 0],
  NOT7: [1, 1, 1, 0],
};

/** The five uniform assignments Biohub tried when a circuit has more than one gate. */
export const PARITY_ASSIGNMENTS: Record<Kind, string>[] = [
  { NOT: 'NOT6', OR: 'OR0', AND: 'AND5' },
  { NOT: 'NOT5', OR: 'OR0', AND: 'AND5' },
  { NOT: 'NOT3', OR: 'OR0', AND: 'AND5' },
  { NOT: 'NOT3', OR: 'OR0', AND: 'AND2' },
  { NOT: 'NOT6', OR: 'OR0', AND: 'AND3' },
];

export class UnknownGateError extends Error {}

/** Biohub's score of a list of node ids ('INPUT' entries are skipped). */
export function parityScore(nodes: string[]): number {
  const sum = [0, 0, 0, 0];
  for (const id of nodes) {
    if (id === 'INPUT') continue;
    const tuple = PARITY_GATES[id];
    if (!tuple) throw new UnknownGateError(`"${id}" is not a gate of the parity library (${Object.keys(PARITY_GATES).join(', ')})`);
    tuple.forEach((v, i) => (sum[i] += v));
  }
  const [a, b, c, d] = sum;
  return 2 ** (a - 1) + 2 ** (b - 1) + c + d;
}

export interface ParityCircuit {
  nodes: string[];
  arcs: { from: number; to: number }[];
  score: number;
  /** The index of the output node (the last gate; an input when the table is one input itself). */
  output: number;
  /** Each row's logic value, for checking. */
  rows: { row: number; logic: number }[];
}

/** The gate graph of Biohub's create_circuit for a table. */
export function parityGraph(table: TruthTable): { kinds: Kind[]; arcs: { from: number; to: number }[]; output: number } {
  const { n } = table;
  let terms: { input: number; negated: boolean }[][] = minimise(table).map((cube) =>
    [...cube].flatMap((c, input) => (c === '-' ? [] : [{ input, negated: c === '0' }])),
  );
  if (!terms.length) terms = [[{ input: 0, negated: false }, { input: 0, negated: true }]]; // constant 0: v0 AND NOT v0
  else if (terms.some((t) => !t.length)) terms = [[{ input: 0, negated: false }], [{ input: 0, negated: true }]]; // constant 1: v0 OR NOT v0
  const kinds: Kind[] = [];
  const arcs: { from: number; to: number }[] = [];
  const gate = (kind: Kind, inputs: number[]) => {
    kinds.push(kind);
    const id = n + kinds.length - 1;
    for (const from of inputs) arcs.push({ from, to: id });
    return id;
  };
  const nots = new Map<number, number>();
  for (let i = 0; i < n; i++) if (terms.some((t) => t.some((l) => l.input === i && l.negated))) nots.set(i, gate('NOT', [i]));
  const reduce = (kind: Kind, signals: number[]) => {
    const stack = [...signals];
    while (stack.length > 1) {
      const a = stack.pop()!;
      const b = stack.pop()!;
      stack.push(gate(kind, [a, b]));
    }
    return stack[0];
  };
  const outputs = terms.map((t) => reduce('AND', t.map((l) => (l.negated ? nots.get(l.input)! : l.input))));
  return { kinds, arcs, output: reduce('OR', outputs) };
}

/** Biohub's candidate circuits for a table, sorted by ascending score. */
export function parityDesign(table: TruthTable): ParityCircuit[] {
  const { n } = table;
  const { kinds, arcs, output } = parityGraph(table);
  const assignments: Record<Kind, string>[] =
    kinds.length === 1
      ? Object.keys(PARITY_GATES).filter((id) => id.startsWith(kinds[0])).map((id) => ({ NOT: id, OR: id, AND: id }))
      : kinds.length === 0
        ? [{ NOT: '', OR: '', AND: '' }]
        : PARITY_ASSIGNMENTS;
  const rows = Array.from({ length: 1 << n }, (_, row) => {
    const values: number[] = Array.from({ length: n }, (_, i) => bit(row, i, n));
    kinds.forEach((kind, k) => {
      const inputs = arcs.filter((a) => a.to === n + k).map((a) => values[a.from]);
      values.push(kind === 'NOT' ? 1 - inputs[0] : kind === 'AND' ? inputs[0] & inputs[1] : inputs[0] | inputs[1]);
    });
    return { row, logic: values[output] };
  });
  return assignments
    .map((assignment) => {
      const nodes = [...Array<string>(n).fill('INPUT'), ...kinds.map((kind) => assignment[kind])];
      return { nodes, arcs, score: parityScore(nodes), output, rows };
    })
    .sort((a, b) => a.score - b.score);
}
