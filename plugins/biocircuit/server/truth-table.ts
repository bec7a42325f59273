/**
 * Truth tables: parsing and validating them, turning a Boolean expression into
 * one, and minimising one exactly into a sum of products.
 *
 * A table is the outputs for rows 0…2ⁿ−1 (`1`, `0`, `-` don't care); input v0
 * is the most significant bit of the row index.
 */

export type Cell = '0' | '1' | '-';

export interface TruthTable {
  /** Number of inputs, 1 to 4. */
  n: number;
  /** One cell per row, row r at index r. */
  cells: Cell[];
}

/** A refusal a person can act on (the controller answers 400 with it). */
export class TableError extends Error {}

export const MAX_INPUTS = 4;

/** The value of input `i` (0 = v0, the most significant bit) in row `row` of an n-input table. */
export const bit = (row: number, i: number, n: number) => (row >> (n - 1 - i)) & 1;

/** Parses `11-0`-style tables (`x` is read as `-`); throws a TableError saying what is wrong. */
export function parseTable(text: string): TruthTable {
  const table = text.trim().replace(/x/gi, '-');
  const bad = table.match(/[^01-]/);
  if (bad) throw new TableError(`the table may only hold 1, 0 and - (don't care), not "${bad[0]}"`);
  const length = table.length;
  if (length < 2 || (length & (length - 1)) !== 0) {
    throw new TableError(`the table has ${length} rows: it needs a power of two (2, 4, 8 or 16 rows for 1 to 4 inputs)`);
  }
  const n = Math.log2(length);
  if (n > MAX_INPUTS) throw new TableError(`the table has ${n} inputs: the gate library has ${MAX_INPUTS} input sensors, so 4 inputs (16 rows) at most`);
  const cells = [...table] as Cell[];
  const defined = cells.filter((c) => c !== '-').length;
  if (defined < 2) throw new TableError(`the table defines ${defined} row${defined === 1 ? '' : 's'}: it needs at least two rows that are 1 or 0`);
  return { n, cells };
}

// ---------------------------------------------------------------------------
// Boolean expressions → tables

/**
 * Reads an expression over inputs `a`–`d` (or `v0`–`v3`, `A`–`D`) with
 * `!`/`~`/`NOT`, `&`/`*`/`AND`, `^`/`XOR`, `|`/`+`/`OR`, parentheses, `0` and
 * `1` (precedence in that order), and returns its table over as many inputs
 * as the highest one named (`a | c` has 3).
 */
export function expressionToTable(expression: string): { table: string; n: number } {
  const tokens = expression.match(/\s*(v\d+|[A-Za-z_]\w*|[01]|[!~&*|+^()'])/gy);
  const joined = (tokens ?? []).join('');
  if (!tokens || joined.length !== expression.length) {
    const at = joined.length;
    throw new TableError(`cannot read the expression at "${expression.slice(at, at + 10)}"`);
  }
  const list = tokens.map((t) => t.trim()).filter(Boolean);
  let position = 0;
  let inputs = 0;
  type Node = (row: number, n: number) => number;
  const peek = () => list[position]?.toUpperCase();
  const variable = (name: string): number => {
    const v = /^v(\d+)$/i.exec(name);
    const index = v ? Number(v[1]) : /^[a-z]$/i.test(name) ? name.toLowerCase().charCodeAt(0) - 97 : -1;
    if (index < 0) throw new TableError(`"${name}" is not an input: name inputs a, b, c, d (or v0 to v3)`);
    if (index >= MAX_INPUTS) throw new TableError(`"${name}" would be input ${index + 1}: the gate library has ${MAX_INPUTS} input sensors, so 4 inputs at most`);
    return index;
  };
  const primary = (): Node => {
    const token = list[position++];
    if (token === undefined) throw new TableError('the expression ends too early');
    const upper = token.toUpperCase();
    if (upper === '!' || upper === '~' || upper === 'NOT') {
      const inner = primary();
      return (r, n) => 1 - inner(r, n);
    }
    let node: Node;
    if (token === '(') {
      node = or();
      if (list[position++] !== ')') throw new TableError('a "(" is not closed');
    } else if (token === '0' || token === '1') {
      const value = Number(token);
      node = () => value;
    } else if (/^[A-Za-z_v]/.test(token) && !['AND', 'OR', 'XOR'].includes(upper)) {
      const index = variable(token);
      inputs = Math.max(inputs, index + 1);
      node = (r, n) => bit(r, index, n);
    } else {
      throw new TableError(`unexpected "${token}" in the expression`);
    }
    while (list[position] === "'") {
      position++;
      const inner = node;
      node = (r, n) => 1 - inner(r, n);
    }
    return node;
  };
  const binary = (next: () => Node, ops: string[], combine: (a: number, b: number) => number) => (): Node => {
    let left = next();
    while (ops.includes(peek() ?? '')) {
      position++;
      const a = left;
      const b = next();
      left = (r, n) => combine(a(r, n), b(r, n));
    }
    return left;
  };
  const and = binary(primary, ['&', '*', 'AND'], (a, b) => a & b);
  const xor = binary(and, ['^', 'XOR'], (a, b) => a ^ b);
  const or: () => Node = binary(xor, ['|', '+', 'OR'], (a, b) => a | b);
  if (!list.length) throw new TableError('the expression is empty');
  const root = or();
  if (position < list.length) throw new TableError(`unexpected "${list[position]}" in the expression`);
  const n = Math.max(1, inputs);
  let table = '';
  for (let row = 0; row < 1 << n; row++) table += root(row, n) ? '1' : '0';
  return { table, n };
}

// ---------------------------------------------------------------------------
// Exact minimisation

/** A product term: one character per input, `1` (vi), `0` (not vi) or `-` (absent). */
export type Cube = string;

const covers = (cube: Cube, row: number, n: number) => [...cube].every((c, i) => c === '-' || Number(c) === bit(row, i, n));

/** The rows a cube covers. */
function rowsOf(cube: Cube, n: number): number[] {
  const rows: number[] = [];
  for (let row = 0; row < 1 << n; row++) if (covers(cube, row, n)) rows.push(row);
  return rows;
}

const literals = (cube: Cube) => [...cube].filter((c) => c !== '-').length;

/**
 * A minimum sum of products of the rows where `cells` is `want` (`1` for the
 * function, `0` for its complement), don't cares free: the fewest terms, then
 * the fewest literals. Exact: every prime implicant (at most 3ⁿ = 81 cubes to
 * try), then a branch-and-bound cover. An empty list is the constant 0; `['----']`
 * the constant 1.
 */
export function minimise(table: TruthTable, want: '1' | '0' = '1'): Cube[] {
  const { n, cells } = table;
  const allowed = (row: number) => cells[row] === want || cells[row] === '-';
  const on = cells.flatMap((c, row) => (c === want ? [row] : []));
  if (!on.length) return [];
  // Every cube whose rows are all allowed, then the primes among them (contained in no bigger one).
  const implicants: Cube[] = [];
  for (let code = 0; code < 3 ** n; code++) {
    let cube = '';
    for (let i = 0, c = code; i < n; i++, c = Math.floor(c / 3)) cube += '01-'[c % 3];
    if (rowsOf(cube, n).every(allowed)) implicants.push(cube);
  }
  const contains = (big: Cube, small: Cube) => big !== small && [...big].every((c, i) => c === '-' || c === small[i]);
  const primes = implicants.filter((p) => !implicants.some((q) => contains(q, p)) && rowsOf(p, n).some((r) => cells[r] === want));
  const coverOf = primes.map((p) => new Set(rowsOf(p, n)));

  let best: number[] | null = null;
  let bestCost = [Infinity, Infinity];
  const cost = (chosen: number[]) => [chosen.length, chosen.reduce((s, i) => s + literals(primes[i]), 0)];
  const better = (a: number[], b: number[]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const search = (chosen: number[]) => {
    const c = cost(chosen);
    if (!better(c, bestCost)) return; // partial costs only grow
    const uncovered = on.filter((row) => !chosen.some((i) => coverOf[i].has(row)));
    if (!uncovered.length) {
      best = [...chosen];
      bestCost = c;
      return;
    }
    if (chosen.length + 1 > bestCost[0]) return;
    // Branch on the uncovered row with the fewest primes covering it.
    let pivot = uncovered[0];
    let options = primes.map((_, i) => i).filter((i) => coverOf[i].has(pivot));
    for (const row of uncovered) {
      const o = primes.map((_, i) => i).filter((i) => coverOf[i].has(row));
      if (o.length < options.length) [pivot, options] = [row, o];
    }
    for (const i of options) search([...chosen, i]);
  };
  search([]);
  return (best as number[] | null ?? []).map((i) => primes[i]).sort();
}

/** `v0·¬v1 + v2`-style text of a sum of products (inputs named a, b, c, d). */
export function sopText(cubes: Cube[]): string {
  if (!cubes.length) return '0';
  return cubes
    .map((cube) => {
      const parts = [...cube].flatMap((c, i) => (c === '-' ? [] : [`${c === '0' ? '!' : ''}${'abcd'[i]}`]));
      return parts.length ? parts.join('&') : '1';
    })
    .join(' | ');
}
