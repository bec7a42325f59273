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
  /** How it was made: 'sop', 'pos', 'smallest' (the smallest NOR tree, n ≤ 3), 'shannon' (n = 4) or 'buffer' (an input through two NOTs). */
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

// ---------------------------------------------------------------------------
// The smallest NOR trees of every function of up to 3 inputs

interface Smallest {
  cost: number[];
  /** How each function is best made: an input, NOT(a), or NOR(a, b) of two functions. */
  how: (number[] | null)[];
}

const smallestCache = new Map<number, Smallest>();

/**
 * For n ≤ 3 there are at most 256 functions (bit r of a function = its value in
 * row r); relaxing NOT and NOR over every pair until nothing improves gives the
 * smallest tree of NOR/NOT gates for each. Computed once per n, in milliseconds.
 */
function smallestTrees(n: number): Smallest {
  const hit = smallestCache.get(n);
  if (hit) return hit;
  const rows = 1 << n;
  const count = 1 << rows;
  const full = count - 1;
  const cost = new Array<number>(count).fill(Infinity);
  const how: (number[] | null)[] = new Array(count).fill(null);
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let r = 0; r < rows; r++) if (bit(r, i, n)) f |= 1 << r;
    cost[f] = 0;
    how[f] = [-1 - i];
  }
  for (let changed = true; changed; ) {
    changed = false;
    const known = cost.flatMap((c, f) => (c < Infinity ? [f] : []));
    for (const a of known) {
      const g = ~a & full;
      if (cost[a] + 1 < cost[g]) [cost[g], how[g], changed] = [cost[a] + 1, [a], true];
      for (const b of known) {
        if (b <= a) continue;
        const h = ~(a | b) & full;
        const c = cost[a] + cost[b] + 1;
        if (c < cost[h]) [cost[h], how[h], changed] = [c, [a, b], true];
      }
    }
  }
  const result = { cost, how };
  smallestCache.set(n, result);
  return result;
}

function fromSmallest(n: number, f: number, trees: Smallest): Network {
  const b = new Builder(n);
  const build = (g: number): number => {
    const how = trees.how[g]!;
    if (how.length === 1 && how[0] < 0) return -1 - how[0];
    return b.nor(...how.map(build));
  };
  return b.done(build(f), 'smallest');
}

/**
 * For n = 4: Shannon's expansion on input k, f = ¬vk·f0 + vk·f1, with f0 and f1
 * functions of the other three inputs made as their smallest NOR trees (the
 * don't cares completed to make each smallest).
 */
function fromShannon(table: TruthTable, k: number): Network {
  const others = [0, 1, 2, 3].filter((i) => i !== k);
  const trees = smallestTrees(3);
  const b = new Builder(4);
  const build = (g: number): number => {
    const how = trees.how[g]!;
    if (how.length === 1 && how[0] < 0) return others[-1 - how[0]];
    return b.nor(...how.map(build));
  };
  const terms: number[] = [];
  for (const half of [0, 1]) {
    const cells = Array.from({ length: 8 }, (_, r3) => {
      let row = half << (3 - k);
      others.forEach((i, j) => (row |= bit(r3, j, 3) << (3 - i)));
      return table.cells[row];
    });
    if (!cells.includes('1')) continue; // this half is 0: no term
    const select = half ? b.not(k) : k; // the term is NOR(select, ¬f_half) = (vk = half) AND f_half
    if (!cells.includes('0')) {
      terms.push(b.not(select));
      continue;
    }
    // The complement of f_half, cheapest over the completions of its don't cares.
    const free = cells.flatMap((c, r) => (c === '-' ? [r] : []));
    const base = cells.reduce((f, c, r) => (c === '0' ? f | (1 << r) : f), 0);
    let best = base;
    for (let m = 0; m < 1 << free.length; m++) {
      const g = free.reduce((f, r, j) => ((m >> j) & 1 ? f | (1 << r) : f), base);
      if (trees.cost[g] < trees.cost[best]) best = g;
    }
    terms.push(b.nor(select, build(best)));
  }
  return b.done(terms.length ? b.orMany(terms) : b.zero(), 'shannon');
}

/** A network's structure as a nested expression, the same whatever the order of its gates (names[k] labels gate k). */
export function canonical(net: Network, names: string[] = []): string {
  const form = (s: number): string => (s < net.n ? `v${s}` : `${names[s - net.n] ?? 'nor'}(${net.gates[s - net.n].map(form).sort().join(',')})`);
  return form(net.output);
}
const keyOf = (net: Network) => canonical(net);

/**
 * Candidate networks for a table, smallest first: its SOP, the NOR of its
 * complement's SOP, for n ≤ 3 the smallest NOR trees of the completions of
 * its don't cares, for n = 4 its Shannon expansions on each input. At most `limit` gates (the library's repressor groups).
 */
export function candidateNetworks(table: TruthTable, limit: number, wanted = 4): Network[] {
  const { n, cells } = table;
  const nets: Network[] = [fromSop(n, minimise(table, '1')), fromComplementSop(n, minimise(table, '0'))];
  if (n <= 3) {
    const trees = smallestTrees(n);
    const free = cells.flatMap((c, r) => (c === '-' ? [r] : []));
    const base = cells.reduce((f, c, r) => (c === '1' ? f | (1 << r) : f), 0);
    const completions: number[] = [];
    for (let m = 0; m < 1 << free.length; m++) completions.push(free.reduce((f, r, k) => ((m >> k) & 1 ? f | (1 << r) : f), base));
    completions.sort((a, b) => trees.cost[a] - trees.cost[b]);
    for (const f of completions.slice(0, wanted)) nets.push(fromSmallest(n, f, trees));
  } else {
    for (let k = 0; k < n; k++) nets.push(fromShannon(table, k));
  }
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
