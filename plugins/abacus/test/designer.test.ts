import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { allowedAt, design, random } from '../server/designer/anneal';
import { singleEnergies, SHIPPED, totalEnergy, WEIGHTS } from '../server/designer/energy';
import { BURIAL_CLASSES, contextOf, features } from '../server/designer/features';
import { dihedral, neighbourCounts, secondaryStructure, virtualCB } from '../server/designer/geometry';
import { AMINO, parsePdb, PdbError, sequenceOf, writePdb } from '../server/designer/pdb';

// The built-in designer's parts, on crambin (1CRN, 46 residues; see data/structures/SOURCE.md).
const crambin = fs.readFileSync(path.resolve(import.meta.dirname, '../../../client/public/structures/1crn.pdb'), 'utf8');
const CRAMBIN = 'TTCCPSIVARSNFNVCRLPGTPEAICATYTGCIIIPGATCPGDYAN';

describe('PDB', () => {
  test('reads the backbone and native sequence of crambin', () => {
    const residues = parsePdb(crambin);
    expect(residues).toHaveLength(46);
    expect(sequenceOf(residues)).toBe(CRAMBIN);
    expect(residues[0]).toMatchObject({ chain: 'A', number: '1', native: 'T', N: [17.047, 14.099, 3.625] });
  });

  test('keeps the first model, the first alternate location, and the chains asked for', () => {
    const line = (serial: number, atom: string, alt: string, res: string, chain: string, n: number, x: number) =>
      `ATOM  ${String(serial).padStart(5)} ${atom.padEnd(4)}${alt}${res} ${chain}${String(n).padStart(4)}    ${x.toFixed(3).padStart(8)}   0.000   0.000  1.00  0.00`;
    const text = [
      'MODEL        1', line(1, ' N', ' ', 'GLY', 'A', 1, 0), line(2, ' CA', 'A', 'GLY', 'A', 1, 1), line(3, ' CA', 'B', 'GLY', 'A', 1, 9), line(4, ' C', ' ', 'GLY', 'A', 1, 2),
      line(5, ' N', ' ', 'ALA', 'B', 1, 0), line(6, ' CA', ' ', 'ALA', 'B', 1, 1), line(7, ' C', ' ', 'ALA', 'B', 1, 2), 'ENDMDL',
      'MODEL        2', line(8, ' N', ' ', 'TRP', 'C', 1, 0), line(9, ' CA', ' ', 'TRP', 'C', 1, 1), line(10, ' C', ' ', 'TRP', 'C', 1, 2), 'ENDMDL',
    ].join('\n');
    expect(parsePdb(text).map((r) => `${r.chain}${r.native}${r.CA[0]}`)).toEqual(['AG1', 'BA1']);
    expect(parsePdb(text, ['B']).map((r) => r.native)).toEqual(['A']);
  });

  test('no backbone in a text file is an empty structure; broken coordinates are an error', () => {
    expect(parsePdb('hello\nthis is not a structure\n')).toEqual([]);
    expect(() => parsePdb('ATOM      1  CA  GLY A   1       x.xxx   0.000   0.000  1.00  0.00')).toThrow(PdbError);
  });

  test('writes the same backbone with the designed residue names', () => {
    const residues = parsePdb(crambin);
    const designed = 'A'.repeat(46);
    const back = parsePdb(writePdb(residues, designed));
    expect(sequenceOf(back)).toBe(designed);
    back.forEach((r, i) => expect([r.N, r.CA, r.C, r.O]).toEqual([residues[i].N, residues[i].CA, residues[i].C, residues[i].O]));
  });
});

describe('geometry', () => {
  test('dihedral angles have their sign and size', () => {
    expect(dihedral([1, 0, 0], [0, 0, 0], [0, 1, 0], [1, 1, 0])).toBeCloseTo(0);
    expect(dihedral([1, 0, 0], [0, 0, 0], [0, 1, 0], [0, 1, 1])).toBeCloseTo(-90);
    expect(dihedral([1, 0, 0], [0, 0, 0], [0, 1, 0], [-1, 1, 0])).toBeCloseTo(180);
  });

  test("crambin's two helices (7–19, 23–30) and its strands come out of its dihedrals", () => {
    const f = features(parsePdb(crambin));
    expect(f.ss.slice(7, 18)).toMatch(/^H+$/);
    expect(f.ss.slice(23, 29)).toMatch(/^H+$/);
    expect(f.ss.slice(1, 4)).toMatch(/E/);
    expect(f.ss).toMatch(/L/); // Gly at positive phi
    expect(Number.isNaN(f.phi[0]) && Number.isNaN(f.psi[45])).toBe(true);
    expect(secondaryStructure([-60, -60, -60, -60], [-45, -45, -45, -45])).toBe('HHHH');
    expect(secondaryStructure([-120, -120, -120], [130, 130, 130])).toBe('EEE');
  });

  test('burial: a residue inside has more neighbours than one at the surface', () => {
    const residues = parsePdb(crambin);
    const counts = neighbourCounts(residues.map(virtualCB));
    expect(Math.max(...counts)).toBeGreaterThan(3 * Math.min(...counts));
    const f = features(residues);
    const buried = f.neighbours.indexOf(Math.max(...f.neighbours));
    const exposed = f.neighbours.indexOf(Math.min(...f.neighbours));
    expect(f.burial[buried]).toBe(BURIAL_CLASSES - 1);
    expect(f.burial[exposed]).toBe(0);
  });
});

describe('energy and annealing', () => {
  const residues = parsePdb(crambin);
  const f = features(residues);
  const single = singleEnergies(f);

  test('buried positions prefer hydrophobic residues, exposed ones charged residues', () => {
    const best = (i: number) => AMINO[single[i].indexOf(Math.min(...single[i]))];
    const order = f.neighbours.map((n, i) => [n, i]).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
    expect(order.slice(0, 6).filter((i) => 'ACFILMVW'.includes(best(i))).length).toBeGreaterThanOrEqual(5);
    expect(order.slice(-6).filter((i) => 'DEKRNQSTGP'.includes(best(i))).length).toBeGreaterThanOrEqual(5);
  });

  test('a Gly at positive phi costs less than a Val there', () => {
    const i = f.ss.indexOf('L');
    expect(single[i][AMINO.indexOf('G')]).toBeLessThan(single[i][AMINO.indexOf('V')]);
  });

  test('annealing lowers the energy below the native sequence and is reproducible with a seed', async () => {
    const nativeEnergy = totalEnergy([...CRAMBIN].map((a) => AMINO.indexOf(a)), single, f, WEIGHTS, SHIPPED);
    const first = await design(residues, { seed: 7, sweeps: 20 });
    const again = await design(residues, { seed: 7, sweeps: 20 });
    expect(first.designed).toBe(again.designed);
    expect(first.energy).toBe(again.energy);
    expect(first.energy).toBeLessThan(nativeEnergy);
    expect(first.designed).toHaveLength(46);
    expect(first.native).toBe(CRAMBIN);
    const seeds = new Set([1, 2, 3, 4, 5].map((s) => random(s)()));
    expect(seeds.size).toBe(5);
  });

  test('constraints: kept residues stay native, forbidden residues never appear', async () => {
    const keep = ['A3', 'A4', 'A16', 'A26', 'A32', 'A40']; // the six cysteines
    const d = await design(residues, { seed: 3, sweeps: 20, constraints: { keepNative: keep, forbid: 'LEK', forbidAt: { A10: 'GAVSTRD' } } });
    for (const id of keep) expect(d.designed[Number(id.slice(1)) - 1]).toBe('C');
    expect(d.designed).not.toMatch(/[LEK]/);
    expect('GAVSTRD').not.toContain(d.designed[9]);
    expect(() => allowedAt(residues, { keepNative: ['Z99'] })).toThrow(/no residue Z99/);
    expect(() => allowedAt(residues, { forbid: AMINO })).toThrow(/every amino acid is forbidden/);
  });

  test('reports progress with the current energy, and stops when cancelled', async () => {
    const seen: number[] = [];
    await design(residues, { seed: 1, sweeps: 10, onProgress: (p) => void seen.push(p.step) });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.at(-1)).toBe(460);
    const controller = new AbortController();
    const run = design(residues, { seed: 1, sweeps: 100, signal: controller.signal, onProgress: (p) => (p.step > 500 ? controller.abort() : undefined) });
    await expect(run).rejects.toThrow('cancelled');
  });
});

describe('statistics', () => {
  test("a residue's context is its neighbours' secondary structure within its chain", () => {
    const two = parsePdb(crambin).slice(0, 3).map((r, i) => ({ ...r, chain: i < 2 ? 'A' : 'B' }));
    expect(contextOf('HEC', two, 0)).toBe(4 * 5 + 1); // no residue before; E after
    expect(contextOf('HEC', two, 1)).toBe(0 * 5 + 4); // H before; the next is another chain
  });
});
