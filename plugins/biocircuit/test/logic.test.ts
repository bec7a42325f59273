import { describe, expect, test } from 'vitest';
import { design, onOffOf } from '../server/cello';
import { library } from '../server/library';
import { candidateNetworks, logicOf } from '../server/network';
import { computeNorTrees, norTrees, norTreesFile, UNREACHED } from '../server/nor-trees';
import { parityDesign, parityScore } from '../server/parity';
import { bit, expressionToTable, minimise, parseTable, TableError, type Cube } from '../server/truth-table';

// The minimiser, the mapper onto Cello's gates and Biohub's parity mode, without a server.

/** Every table over n inputs with `symbols` per row. */
function tables(n: number, symbols: string): string[] {
  let out = [''];
  for (let r = 0; r < 1 << n; r++) out = out.flatMap((t) => [...symbols].map((s) => t + s));
  return out.filter((t) => [...t].filter((c) => c !== '-').length >= 2);
}

/** The circuit's logic from its nodes and arcs alone: inputs are the row's bits, a gate is NOR of its arcs' sources. */
function simulate(circuit: { nodes: string[]; arcs: { from: number; to: number }[]; output: number }, n: number, row: number, gate: (id: string, inputs: number[]) => number): number {
  const values: number[] = [];
  circuit.nodes.forEach((id, k) => {
    values.push(k < n ? bit(row, k, n) : gate(id, circuit.arcs.filter((a) => a.to === k).map((a) => values[a.from])));
  });
  const outputs = circuit.nodes.map((_, k) => k).filter((k) => k >= n && !circuit.arcs.some((a) => a.from === k));
  expect(outputs, 'the one gate without outgoing arcs is the output').toEqual(circuit.nodes.length > n ? [circuit.output] : []);
  return values[circuit.output];
}
const nor = (_: string, inputs: number[]) => (inputs.some(Boolean) ? 0 : 1);

const sopValue = (cubes: Cube[], n: number, row: number) => (cubes.some((c) => [...c].every((x, i) => x === '-' || Number(x) === bit(row, i, n))) ? 1 : 0);

describe('tables and expressions', () => {
  test('refuses tables with the reason', () => {
    expect(() => parseTable('101')).toThrow(/3 rows: it needs a power of two/);
    expect(() => parseTable('1---')).toThrow(/defines 1 row: it needs at least two/);
    expect(() => parseTable('1'.repeat(32))).toThrow(/5 inputs/);
    expect(() => parseTable('10a1')).toThrow(/not "a"/);
    expect(parseTable('1x0-')).toEqual({ n: 2, cells: ['1', '-', '0', '-'] });
  });

  test('reads expressions into tables, v0 the most significant bit', () => {
    expect(expressionToTable('a & !b')).toEqual({ table: '0010', n: 2 });
    expect(expressionToTable('a ^ b ^ c')).toEqual({ table: '01101001', n: 3 });
    expect(expressionToTable('(v0 | v1) AND NOT v3')).toEqual({ table: '0000101010101010', n: 4 });
    expect(expressionToTable('c').table).toBe('01010101');
    expect(() => expressionToTable('a & e')).toThrow(/4 inputs at most/);
    expect(() => expressionToTable('a & (b')).toThrow(/not closed/);
    expect(() => expressionToTable('a &')).toThrow(/ends too early/);
  });
});

describe('exact minimiser', () => {
  test('every table of n ≤ 3 (with don’t cares for n ≤ 2): a cover that matches every defined row and is minimal', () => {
    for (const n of [1, 2, 3]) {
      for (const text of tables(n, n === 3 ? '01-' : '01-')) {
        if (n === 3 && text.split('-').length > 3) continue; // 3^8 tables; those with at most 2 don't cares are enough here
        const table = parseTable(text);
        const cubes = minimise(table);
        table.cells.forEach((c, row) => c !== '-' && expect(sopValue(cubes, n, row), `${text} row ${row}`).toBe(Number(c)));
      }
    }
    expect(minimise(parseTable('11--'))).toEqual(['--']); // the don't cares make it the constant 1
    expect(minimise(parseTable('01101001'))).toHaveLength(4); // parity of 3 has no smaller cover
    expect(minimise(parseTable('0001000100011111'))).toEqual(['--11', '11--']); // a·b + c·d
  });
});

describe('smallest NOR trees', () => {
  test('the shipped tables are what tools/nor-trees.ts computes', () => {
    for (let n = 1; n <= 4; n++) {
      const [shipped, computed] = [norTrees(n), computeNorTrees(n)];
      expect(Buffer.from(shipped.size).equals(Buffer.from(computed.size)), norTreesFile(n)).toBe(true);
      expect(Buffer.from(shipped.left.buffer, shipped.left.byteOffset, shipped.left.byteLength).equals(Buffer.from(computed.left.buffer)), norTreesFile(n)).toBe(true);
      expect(Buffer.from(shipped.right.buffer, shipped.right.byteOffset, shipped.right.byteLength).equals(Buffer.from(computed.right.buffer)), norTreesFile(n)).toBe(true);
    }
  });

  test('every 97th reached 4-input function: its networks compute it, the smallest with at most the gates the table says', () => {
    const trees = norTrees(4);
    let reached = 0;
    for (let f = 0; f < 1 << 16; f++) {
      if (trees.size[f] === UNREACHED) continue;
      if (reached++ % 97) continue;
      const nets = candidateNetworks(parseTable(Array.from({ length: 16 }, (_, r) => String((f >> r) & 1)).join('')), 99, 99);
      expect(nets[0].gates.length, String(f)).toBeLessThanOrEqual(trees.size[f]);
      for (const net of nets) for (let r = 0; r < 16; r++) expect(logicOf(net, r), `${f} row ${r}`).toBe((f >> r) & 1);
    }
    expect(reached).toBeGreaterThan(60_000); // trees of up to 16 gates reach 93 % of the 65,536
  });

  test('gates are shared: XNOR is four NORs, not five', () => {
    const [best] = candidateNetworks(parseTable('1001'), 12);
    expect(best.gates).toHaveLength(4);
  });
});

describe('mapping onto Cello’s gates', () => {
  const lib = library();

  test('the library: 21 gates in 12 groups, 4 sensors, every part of every cassette has its DNA', () => {
    expect(lib.gates).toHaveLength(21);
    expect(new Set(lib.gates.map((g) => g.group)).size).toBe(12);
    expect(lib.sensors.map((s) => s.name)).toEqual(['pTac', 'pTet', 'pBAD', 'pLuxStar']);
    for (const g of lib.gates) for (const p of [...g.cassette, g.promoter]) expect(lib.parts.get(p)?.sequence, p).toMatch(/^[ACGT]+$/);
  });

  test('ON/OFF is the lowest ON output over the highest OFF output', () => {
    expect(onOffOf(['1', '0', '-', '1'], [4, 0.5, 100, 2])).toEqual({ onOff: 4, score: 4 });
    expect(onOffOf(['1', '1'], [4, 2]).onOff).toBeNull();
  });

  function check(text: string) {
    const table = parseTable(text);
    const circuits = design(table);
    const groupsOf = (c: { nodes: string[] }) => c.nodes.filter((x) => x !== 'INPUT').map((x) => lib.gates.find((g) => g.name === x)!.group);
    for (const circuit of circuits) {
      expect(circuit.nodes.slice(0, table.n)).toEqual(Array(table.n).fill('INPUT'));
      const groups = groupsOf(circuit);
      expect(new Set(groups).size, `${text}: two gates of one group`).toBe(groups.length);
      table.cells.forEach((c, row) => {
        if (c === '-') return;
        expect(simulate(circuit, table.n, row, nor), `${text} row ${row} (${circuit.nodes.join(' ')})`).toBe(Number(c));
        expect(circuit.rows[row].logic).toBe(Number(c));
      });
    }
    for (let k = 1; k < circuits.length; k++) expect(circuits[k].score).toBeLessThanOrEqual(circuits[k - 1].score);
    return circuits;
  }

  test('all 256 tables of n = 3 and every table of n ≤ 2: every circuit returned computes the table on every defined row', () => {
    const started = performance.now();
    let empty = 0;
    let separated = 0;
    for (const text of [...tables(1, '01-'), ...tables(2, '01-'), ...tables(3, '01')]) {
      const circuits = check(text);
      if (!circuits.length) empty++;
      if (circuits[0]?.onOff !== null && circuits[0]?.onOff > 1) separated++;
    }
    expect(empty).toBe(0); // every one of them fits the library
    expect(separated).toBeGreaterThan(250); // the best circuit's predicted ON rows sit above its OFF rows
    console.log(`n ≤ 3: ${(performance.now() - started).toFixed(0)} ms for ${tables(1, '01-').length + tables(2, '01-').length + 256} tables`);
  });

  test('a sample of n = 3 tables with don’t cares: a circuit for each, computing every defined row', () => {
    let seed = 99;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 40; i++) {
      const text = Array.from({ length: 8 }, () => '01-'[Math.floor(rand() * 3)]).join('');
      if ([...text].filter((c) => c !== '-').length < 2) continue;
      expect(check(text).length, text).toBeGreaterThan(0);
    }
  });

  test('a sample of n = 4 tables, with and without don’t cares', () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const sample = ['0001000100011111', '0000000000000001', '0111111111111111', '1---0---0---0--1'];
    for (let i = 0; i < 12; i++) sample.push(Array.from({ length: 16 }, () => '01-'[Math.floor(rand() * (i % 2 ? 3 : 2.2))]).join(''));
    const found = sample.map((text) => check(text).length);
    expect(found.slice(0, 4).every((count) => count > 0)).toBe(true); // a·b + c·d, AND and OR of four, a sparse one: all fit
    expect(found.filter((count) => count > 0).length).toBeGreaterThanOrEqual(8);
  });

  test('the DNA is the gates’ cassettes in order, annotated', () => {
    const [best] = design(parseTable('0001')); // AND: NOR(NOT a, NOT b)
    expect(best.nodes).toHaveLength(5);
    const gates = best.nodes.slice(2).map((name) => lib.gates.find((g) => g.name === name)!);
    const cds = best.dna.features.filter((f) => f.feature_type === 'cds').map((f) => f.label);
    expect(cds).toEqual(gates.map((g) => g.regulator));
    for (const f of best.dna.features) expect(f.end_pos).toBeLessThanOrEqual(best.dna.sequence.length);
    expect(best.dna.sequence).toMatch(/^[ACGT]+$/);
  });
});

describe('parity mode (Biohub 2.0)', () => {
  test('Biohub’s example 11-- gives its documented scores', () => {
    const circuits = parityDesign(parseTable('11--'));
    expect(circuits.map((c) => c.score)).toEqual([10, 10, 16.5, 16.5, 17.5]);
    expect(circuits[0].nodes).toEqual(['INPUT', 'INPUT', 'NOT3', 'OR0']);
    expect(circuits[2].nodes.slice(2).sort()).toEqual(['NOT6', 'OR0']);
    expect(parityScore(['INPUT', 'OR0', 'NOT6'])).toBe(16.5);
    expect(() => parityScore(['NOR9'])).toThrow(/not a gate of the parity library/);
  });

  test('one gate: every library gate of its type; every parity circuit computes its table', () => {
    expect(parityDesign(parseTable('10')).map((c) => c.nodes[1])).toHaveLength(8);
    for (const text of [...tables(2, '01-'), ...tables(3, '01')]) {
      const table = parseTable(text);
      const gate = (id: string, inputs: number[]) => (id.startsWith('NOT') ? 1 - inputs[0] : id.startsWith('AND') ? inputs[0] & inputs[1] : inputs[0] | inputs[1]);
      for (const circuit of parityDesign(table)) {
        table.cells.forEach((c, row) => c !== '-' && expect(circuit.rows[row].logic, text).toBe(Number(c)));
        if (circuit.nodes.length > table.n) table.cells.forEach((c, row) => c !== '-' && expect(simulate(circuit, table.n, row, gate), text).toBe(Number(c)));
      }
    }
  });
});
