/**
 * Collects the training-only structures (data/structures/train/) from Debian packages
 * unpacked with `apt-get download <package> && dpkg-deb -x <package>.deb <dir>/<package>`.
 * Keeps protein chains of at least 30 residues with a backbone, drops every chain similar to
 * a benchmark structure (tools/structures.ts) or to a chain already kept (a shared 4-residue
 * word count, see `similar`), and writes each source's chains as a backbone-only PDB file
 * (N, CA, C, O; chains renamed A, B, … when their names are longer than one character),
 * gzipped.
 * Prints the rows of data/structures/SOURCE.md's table (with the original's sha256).
 * Also writes the backbone copies of the benchmark structures kept outside the plugin.
 * Run: node bin/run-ts.js plugins/abacus/tools/collect-structures.ts <dir>
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parsePdb, sequenceOf, writePdb, type Residue } from '../server/designer/pdb';
import { readStructure, STRUCTURES, TRAINING } from './structures';

const plugin = path.resolve(__dirname, '..');
const dir = process.argv[2];
if (!dir) throw new Error('usage: collect-structures.ts <folder of unpacked packages>');

/** mmCIF's `_atom_site` loop, first model, as PDB ATOM records (the parser's input). */
function cifToPdb(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l, i) => l.startsWith('_atom_site.') && lines[i - 1]?.trim() === 'loop_');
  const columns: string[] = [];
  let i = start;
  for (; lines[i]?.startsWith('_atom_site.'); i++) columns.push(lines[i].trim().slice('_atom_site.'.length));
  const at = (name: string) => columns.indexOf(name);
  const [group, atom, comp, chain, seq, ins, alt, x, y, z, model] = ['group_PDB', 'label_atom_id', 'label_comp_id', 'auth_asym_id', 'auth_seq_id', 'pdbx_PDB_ins_code', 'label_alt_id', 'Cartn_x', 'Cartn_y', 'Cartn_z', 'pdbx_PDB_model_num'].map(at);
  const out: string[] = [];
  const chains = new Map<string, string>();
  const names = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let firstModel: string | undefined;
  for (; i < lines.length && !lines[i].startsWith('#') && !lines[i].startsWith('loop_'); i++) {
    const f = lines[i].match(/'[^']*'|"[^"]*"|\S+/g)?.map((t) => t.replace(/^['"]|['"]$/g, ''));
    if (!f || f.length < columns.length) continue;
    firstModel ??= f[model];
    if (model >= 0 && f[model] !== firstModel) break;
    if (!['N', 'CA', 'C', 'O'].includes(f[atom])) continue;
    if (alt >= 0 && !['.', '?', 'A'].includes(f[alt])) continue;
    if (!chains.has(f[chain])) chains.set(f[chain], names[chains.size] ?? '?');
    const c = chains.get(f[chain])!;
    const code = ins >= 0 && f[ins] !== '?' && f[ins] !== '.' ? f[ins] : ' ';
    const name = f[atom].length === 1 ? ` ${f[atom]}  ` : ` ${f[atom]} `;
    const xyz = [x, y, z].map((k) => Number(f[k]).toFixed(3).padStart(8)).join('');
    out.push(`${f[group] === 'HETATM' ? 'HETATM' : 'ATOM  '}    1 ${name} ${f[comp].padStart(3)} ${c}${f[seq].padStart(4)}${code}   ${xyz}  1.00  0.00`);
  }
  return out.join('\n');
}

function read(file: string): string {
  let bytes = fs.readFileSync(file);
  if (file.endsWith('.gz')) bytes = zlib.gunzipSync(bytes);
  const text = bytes.toString('utf8');
  return /\.cif(\.gz)?$/.test(file) ? cifToPdb(text) : text;
}

/** Two sequences are similar when at least 15 % of the shorter one's 4-residue words occur in the other. */
function similar(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const words = new Set<string>();
  for (let i = 0; i + 4 <= long.length; i++) words.add(long.slice(i, i + 4));
  let shared = 0;
  for (let i = 0; i + 4 <= short.length; i++) if (words.has(short.slice(i, i + 4))) shared++;
  return shared >= 0.15 * Math.max(1, short.length - 3);
}

for (const s of STRUCTURES.filter((s) => s.copiedFrom)) {
  const residues = readStructure(s.copiedFrom!, s.chains);
  fs.writeFileSync(path.join(plugin, s.file), zlib.gzipSync(writePdb(residues, sequenceOf(residues), `${s.what}: backbone of ${s.copiedFrom!.replace('../../', '')}`), { level: 9 }));
}
const benchmark = STRUCTURES.map((s) => sequenceOf(readStructure(s.file)));
const kept: string[] = [];
fs.mkdirSync(path.join(plugin, 'data/structures/train'), { recursive: true });
let total = 0;
for (const source of TRAINING) {
  const original = path.join(dir, source.package.split(' ')[0], source.path);
  const residues = parsePdb(read(original));
  const byChain = new Map<string, Residue[]>();
  for (const r of residues) byChain.set(r.chain, [...(byChain.get(r.chain) ?? []), r]);
  const chains: Residue[] = [];
  const notes: string[] = [];
  for (const [chain, list] of byChain) {
    const sequence = sequenceOf(list);
    if (list.length < 30) continue;
    if (benchmark.some((b) => similar(b, sequence))) notes.push(`${chain}: like a benchmark structure`);
    else if (kept.some((k) => similar(k, sequence))) notes.push(`${chain}: like a chain kept before`);
    else {
      kept.push(sequence);
      chains.push(...list);
    }
  }
  const sha = crypto.createHash('sha256').update(fs.readFileSync(original)).digest('hex');
  const target = path.join(plugin, source.file);
  if (chains.length) fs.writeFileSync(target, zlib.gzipSync(writePdb(chains, sequenceOf(chains), `${source.what}: backbone of the chains kept by tools/collect-structures.ts`), { level: 9 }));
  else if (fs.existsSync(target)) fs.rmSync(target);
  total += chains.length;
  const chainCount = new Set(chains.map((r) => r.chain)).size;
  console.log(`| \`${path.relative(path.join(plugin, 'data/structures'), target)}\` | ${source.what}: ${chains.length} residues in ${chainCount} chain${chainCount === 1 ? '' : 's'}${notes.length ? ` (left out: ${notes.join('; ')})` : ''} | ${source.package}: \`/${source.path}\` | ${source.licence} | \`${sha}\` |`);
}
console.log(`${total} residues kept`);
