import { completions, NOT_ONLY, norTrees, type NorTrees } from './nor-trees';
import { bit, minimise, type Cube, type TruthTable } from './truth-table';

/**
 * Logic synthesis onto NOR and NOT gates (a NOT is a one-input NOR), the only
 * logic Cello's repressor gates compute. Signals 0…n−1 are the inputs; signal
 * n+k is gate k. Gates are in topological order, each with one or two inputs.
 */
export interface Network {
  n: number;
  gates: number[][];
  output: number;
  /** How it was made: 'sop', 'pos', 'smallest' (from the smallest NOR tree) or 'buffer' (an input through two NOTs). */
  method: string;
}

/** Builds a network gate by gate, sharing identical gates and cancelling NOT(NOT(x)). */
class Builder {
  gates: number[][] = [];
  private known = new Map<string, number>();
  constructor(readonly n: number) {}

  nor(...inputs: number[]): number {
    if (inputs.length === 1) {
      const inner = this.gates[inputs[0] - this.n];
      if (inner && inner.length === 1) return inner[0]; // NOT(NOT(x)) = x
    }
    const sorted = [...new Set(inputs)].sort((a, b) => a - b);
    const key = sorted.join(',');
    const found = this.known.get(key);
    if (found !== undefined) return found;
    this.gates.push(sorted);
    const signal = this.n + this.gates.length - 1;
    this.known.set(key, signal);
    return signal;
  }

  not = (x: number) => this.nor(x);

  /** NOR of any number of signals, as a tree of two-input NORs: NOR(a,b,c,d) = NOR(OR(a,b), OR(c,d)). */
  norMany(signals: number[]): number {
    if (signals.length <= 2) return this.nor(...signals);
    const half = Math.ceil(signals.length / 2);
    return this.nor(this.orMany(signals.slice(0, half)), this.orMany(signals.slice(half)));
  }

  orMany = (signals: number[]) => (signals.length === 1 ? signals[0] : this.not(this.norMany(signals)));
  andMany = (signals: number[]) => (signals.length === 1 ? signals[0] : this.norMany(signals.map(this.not)));

  literal = (cube: Cube, i: number) => (cube[i] === '1' ? i : this.not(i));
  term = (cube: Cube) => this.andMany([...cube].flatMap((c, i) => (c === '-' ? [] : [this.literal(cube, i)])));
  zero = () => this.nor(0, this.not(0));

  done(output: number, method: string): Network {
    return prune({ n: this.n, gates: this.gates, output, method });
  }
}

/** Drops gates the output does not use, renumbering the rest in order. */
function prune(network: Network): Network {
  const { n, gates, output } = network;
  const used = new Set<number>();
  const visit = (s: number) => {
    if (s < n || used.has(s)) return;
    used.add(s);
    gates[s - n].forEach(visit);
  };
  visit(output);
  const order = [...used].sort((a, b) => a - b);
  const renumber = new Map(order.map((s, k) => [s, n + k]));
  const map = (s: number) => (s < n ? s : renumber.get(s)!);
  return { ...network, gates: order.map((s) => gates[s - n].map(map)), output: map(output) };
}

/** The network computing a sum of products: OR of ANDs, in NORs. */
export function fromSop(n: number, cubes: Cube[]): Network {
  const b = new Builder(n);
  if (!cubes.length) return b.done(b.zero(), 'sop');
  if (cubes.some((c) => !c.includes('0') && !c.includes('1'))) return b.done(b.not(b.zero()), 'sop');
  return b.done(b.orMany(cubes.map(b.term)), 'sop');
}

/** The network computing NOT(a sum of products), i.e. f from the SOP of its complement: NOR of ANDs. */
export function fromComplementSop(n: number, cubes: Cube[]): Network {
  const b = new Builder(n);
  if (!cubes.length) return b.done(b.not(b.zero()), 'pos');
  if (cubes.some((c) => !c.includes('0') && !c.includes('1'))) return b.done(b.zero(), 'pos');
  return b.done(b.norMany(cubes.map(b.term)), 'pos');
}

/** The network of function `f`'s smallest tree, identical gates shared. */
function fromSmallest(n: number, f: number, trees: NorTrees): Network {
  const b = new Builder(n);
  const build = (g: number): number => {
    const [a, c] = [trees.left[g], trees.right[g]];
    if (a < 0) return -1 - a;
    return c === NOT_ONLY ? b.not(build(a)) : b.nor(build(a), build(c));
  };
  return b.done(build(f), 'smallest');
}

/** A network's structure as a nested expression, the same whatever the order of its gates (names[k] labels gate k). */
export function canonical(net: Network, names: string[] = []): string {
  const form = (s: number): string => (s < net.n ? `v${s}` : `${names[s - net.n] ?? 'nor'}(${net.gates[s - net.n].map(form).sort().join(',')})`);
  return form(net.output);
}
const keyOf = (net: Network) => canonical(net);

/** How many of a table's cheapest trees are built into networks (building one takes microseconds). */
const TREES_TRIED = 32;

/**
 * Candidate networks for a table, smallest first: its SOP, the NOR of its
 * complement's SOP, and the smallest NOR trees of the completions of its don't
 * cares (with identical gates shared, a bigger tree can make a smaller network:
 * the cheapest `TREES_TRIED` are built). At most `limit` gates (the library's
 * repressor groups).
 */
export function candidateNetworks(table: TruthTable, limit: number, wanted = 4): Network[] {
  const { n } = table;
  const nets: Network[] = [fromSop(n, minimise(table, '1')), fromComplementSop(n, minimise(table, '0'))];
  const trees = norTrees(n);
  for (const f of completions(table, trees).slice(0, TREES_TRIED)) nets.push(fromSmallest(n, f, trees));
  // A table that is an input itself needs no gate, but the sensor's own ON/OFF is small: also offer it through two NOTs.
  for (const net of nets.filter((x) => !x.gates.length)) nets.push({ n, gates: [[net.output], [n]], output: n + 1, method: 'buffer' });
  const seen = new Set<string>();
  return nets
    .filter((net) => net.gates.length <= limit && !seen.has(keyOf(net)) && (seen.add(keyOf(net)), true))
    .sort((a, b) => a.gates.length - b.gates.length)
    .slice(0, wanted);
}

/** The network's logic value in one row (for checking; the predicted levels come from the response functions). */
export function logicOf(net: Network, row: number): number {
  const values: number[] = [];
  for (let i = 0; i < net.n; i++) values.push(bit(row, i, net.n));
  for (const inputs of net.gates) values.push(inputs.some((s) => values[s]) ? 0 : 1);
  return values[net.output];
}
