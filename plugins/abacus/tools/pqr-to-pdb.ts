/**
 * Converts an APBS example PQR file (whitespace-separated ATOM records with charges and
 * radii) to a backbone-only PDB file (N, CA, C, O; standard residue names), as shipped in
 * data/structures/. Run: node bin/run-ts.js plugins/abacus/tools/pqr-to-pdb.ts <in.pqr> <out.pdb> "<header>"
 */
import * as fs from 'node:fs';
import { oneLetter, parsePdb, writePdb } from '../server/designer/pdb';

const STATES: Record<string, string> = { ASH: 'ASP', GLH: 'GLU', LYN: 'LYS', HID: 'HIS', HIE: 'HIS', HIP: 'HIS', HSD: 'HIS', HSE: 'HIS', HSP: 'HIS', CYX: 'CYS', CYM: 'CYS', ARN: 'ARG', TYM: 'TYR' };
const standard = (name: string) => {
  for (const n of [name, name.slice(1), name.slice(0, 3)]) {
    const s = STATES[n] ?? n;
    if (s.length === 3 && oneLetter(s) !== 'X') return s;
  }
  return undefined;
};

const [input, output, header] = process.argv.slice(2);
const lines: string[] = [];
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  const f = line.trim().split(/\s+/);
  if (f[0] !== 'ATOM' && f[0] !== 'HETATM') continue;
  const hasChain = f.length >= 11 && /^[A-Za-z]$/.test(f[4]);
  const [name, res, chain, seq] = [f[2], f[3], hasChain ? f[4] : 'A', hasChain ? f[5] : f[4]];
  const [x, y, z] = (hasChain ? f.slice(6, 9) : f.slice(5, 8)).map(Number);
  const residue = standard(res);
  if (!residue || !['N', 'CA', 'C', 'O'].includes(name)) continue;
  lines.push(`ATOM  ${'1'.padStart(5)} ${name.padEnd(3).padStart(4)} ${residue} ${chain}${seq.padStart(4)}    ${x.toFixed(3).padStart(8)}${y.toFixed(3).padStart(8)}${z.toFixed(3).padStart(8)}  1.00  0.00`);
}
const residues = parsePdb(lines.join('\n'));
fs.writeFileSync(output, writePdb(residues, residues.map((r) => r.native).join(''), header));
console.log(`${output}: ${residues.length} residues`);
