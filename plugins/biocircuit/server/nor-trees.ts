import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { bit, type TruthTable } from './truth-table';

/**
 * The smallest NOR/NOT trees of every function of up to 4 inputs.
 *
 * A function of n inputs is a number: bit r is its value in row r (n = 4:
 * 65,536 functions). For each: how to make it (`left` is an input −1 − i, or
 * the function under a NOT when `right` is NOT_ONLY, or the two functions under
 * a NOR) and `size`, the distinct gates of the network that makes (identical
 * gates shared; UNREACHED beyond the search).
 */
export interface NorTrees {
  size: Uint8Array;
  left: Int32Array;
  right: Int32Array;
}

export const UNREACHED = 255;
export const NOT_ONLY = -1;
/**
 * Trees searched up to this many gates. Sharing identical gates makes a
 * tree's network smaller than the tree, so trees a few gates over the
 * library's 12 groups still give networks that fit.
 */
const MAX_TREE_COST = 16;
/** Where every pair is tried again for fewer distinct gates (n ≤ 3: 256 functions, 33k pairs; n = 4 would be 2 billion). */
const SHARING_PASSES_UP_TO = 256;

/**
 * The tables are computed ahead (tools/nor-trees.ts) and read from data/: for
 * n = 4 the search takes about a second and the sharing passes for n = 3 a few
 * hundred milliseconds, either of which would stall a worker's event loop.
 */
export const norTreesFile = (n: number) => path.join(__dirname, '..', 'data', `nor-trees-${n}.bin.gz`);

const cache = new Map<number, NorTrees>();

/** The trees for n inputs (1 to 4). */
export function norTrees(n: number): NorTrees {
  let trees = cache.get(n);
  if (!trees) {
    trees = decode(gunzipSync(fs.readFileSync(norTreesFile(n))));
    cache.set(n, trees);
  }
  return trees;
}

/**
 * Smallest trees by cost level: the functions of tree cost c are NOT of those
 * of cost c − 1 and NOR of pairs whose costs add up to c − 1; a function keeps
 * the first level that reaches it, so its tree cost is exact. Among the ways
 * its level reaches it, the one with the fewest distinct gates wins, and of
 * equals the first tried: balanced NOR pairs, then lopsided ones, then NOT,
 * which favours NORs that can be shared (over all 256 functions of 3 inputs
 * this order gives 1,375 gates in all; NOT first and lopsided first, 1,391).
 * Then, where affordable, `shareMore`.
 */
export function computeNorTrees(n: number): NorTrees {
  const rows = 1 << n;
  const count = 2 ** rows;
  const full = count - 1;
  const cost = new Uint8Array(count).fill(UNREACHED);
  const size = new Uint8Array(count).fill(UNREACHED);
  const left = new Int32Array(count);
  const right = new Int32Array(count).fill(NOT_ONLY);
  /** The distinct gates (as the functions they compute) of each reached function's network. */
  const gates: number[][] = new Array(count);
  const levels: number[][] = [[]];
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let r = 0; r < rows; r++) if (bit(r, i, n)) f |= 1 << r;
    [cost[f], size[f], left[f], gates[f]] = [0, 0, -1 - i, []];
    levels[0].push(f);
  }
  // Union sizes by stamping: stamp[g] === token marks g as counted in this union.
  const stamp = new Uint32Array(count);
  let token = 0;
  const unionSize = (a: number[], b: number[]) => {
    token++;
    for (const g of a) stamp[g] = token;
    let union = a.length;
    for (const g of b) if (stamp[g] !== token) union++;
    return union;
  };
  let unreached = count - n;
  for (let c = 1; c <= MAX_TREE_COST && unreached > 0; c++) {
    const level: number[] = [];
    const reach = (f: number, a: number, b: number) => {
      if (cost[f] < c) return;
      const here = (b === NOT_ONLY ? gates[a].length : unionSize(gates[a], gates[b])) + 1;
      if (cost[f] === c && here >= size[f]) return;
      if (cost[f] === UNREACHED) {
        level.push(f);
        unreached--;
      }
      [cost[f], left[f], right[f], size[f]] = [c, a, b, here];
    };
    for (let i = Math.floor((c - 1) / 2); i >= 0; i--) {
      const [as, bs] = [levels[i], levels[c - 1 - i]];
      for (let x = 0; x < as.length; x++) {
        for (let y = i === c - 1 - i ? x + 1 : 0; y < bs.length; y++) reach(~(as[x] | bs[y]) & full, as[x], bs[y]);
      }
    }
    for (const a of levels[c - 1]) reach(~a & full, a, NOT_ONLY);
    for (const f of level) gates[f] = [...new Set([...gates[left[f]], ...(right[f] === NOT_ONLY ? [] : gates[right[f]]), f])];
    levels.push(level);
  }
  const trees = { size, left, right };
  if (count <= SHARING_PASSES_UP_TO) shareMore(levels.flat(), full, trees, gates);
  return trees;
}

/**
 * Where all pairs are affordable: a function takes any NOT or NOR of reached
 * functions, whatever its tree cost, whose network has fewer distinct gates,
 * until none has. Gates are recomputed after each change, so no function's
 * network can come to contain itself.
 */
function shareMore(reached: number[], full: number, t: NorTrees, gates: number[][]) {
  const gatesOf = (f: number, into = new Set<number>()): Set<number> => {
    if (t.left[f] < 0 || into.has(f)) return into;
    gatesOf(t.left[f], into);
    if (t.right[f] !== NOT_ONLY) gatesOf(t.right[f], into);
    return into.add(f);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of reached) {
      for (const b of [NOT_ONLY, ...reached]) {
        if (b !== NOT_ONLY && b <= a) continue;
        const f = b === NOT_ONLY ? ~a & full : ~(a | b) & full;
        if (t.left[f] < 0 || gates[a].includes(f) || (b !== NOT_ONLY && gates[b].includes(f))) continue;
        const union = new Set([...gates[a], ...(b === NOT_ONLY ? [] : gates[b])]);
        if (union.size + 1 >= t.size[f]) continue;
        [t.left[f], t.right[f], t.size[f], changed] = [a, b, union.size + 1, true];
        for (const g of reached) gates[g] = [...gatesOf(g)];
      }
    }
  }
}

/** The functions that agree with the table on its defined rows (its don't cares completed every way), fewest gates first. */
export function completions(table: TruthTable, trees: NorTrees): number[] {
  const care = table.cells.reduce((m, c, r) => (c === '-' ? m : m | (1 << r)), 0);
  const ones = table.cells.reduce((m, c, r) => (c === '1' ? m | (1 << r) : m), 0);
  const found: number[] = [];
  for (let f = 0; f < trees.size.length; f++) if ((f & care) === ones && trees.size[f] !== UNREACHED) found.push(f);
  return found.sort((a, b) => trees.size[a] - trees.size[b]);
}

/** The table as bytes: size, then left, then right (little-endian), gzipped. */
export function encode(trees: NorTrees): Buffer {
  return gzipSync(Buffer.concat([Buffer.from(trees.size), Buffer.from(trees.left.buffer), Buffer.from(trees.right.buffer)]), { level: 9 });
}

function decode(bytes: Buffer): NorTrees {
  const count = bytes.length / 9;
  const copy = new Uint8Array(bytes); // aligned, for the Int32Array views
  return {
    size: copy.subarray(0, count),
    left: new Int32Array(copy.buffer, count, count),
    right: new Int32Array(copy.buffer, count * 5, count),
  };
}
