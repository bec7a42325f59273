import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import * as zlib from 'node:zlib';
import { parseCsv } from './csv';
import { dataDir } from './demo-dump';
import { DumpWriter, type DumpFormat } from './dump-writer';

/** A small seeded PRNG (mulberry32), so a given seed always writes the same dump. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

const COMPOSITE_TYPES = new Set(['Composite', 'Device', 'Generator', 'Reporter', 'Inverter', 'Signalling', 'Measurement', 'Translational_Unit', 'Intermediate', 'Project']);
const LENGTHS: Record<string, [number, number]> = {
  Coding: [300, 1800], RBS: [12, 35], Regulatory: [35, 200], Terminator: [40, 130], Primer: [18, 30], Tag: [18, 90],
  Protein_Domain: [90, 600], RNA: [40, 300], Plasmid_Backbone: [2000, 4500], Plasmid: [2500, 6000], Scar: [6, 8],
};
const STATUSES = [['Available', 0.62], ['Planning', 0.18], ['Unavailable', 0.1], ['Deleted', 0.06], ['Informational', 0.04]] as const;
const SAMPLE = ['In stock', "It's complicated", 'Not in stock', 'Discontinued', 'For reference only', '', ''];
const WORKS = ['Works', 'Issues', 'Fails', 'None', '', '', ''];
const CATEGORIES = ['//chassis/prokaryote/ecoli', '//direction/forward', '//rbs/prokaryote/constitutive/community', '//promoter', '//function/reporter/fluorescence', '//cds/reporter', '//terminator/single', '//regulation/positive', '//plasmidbackbone/assembly'];
const WORDS = ['promoter', 'GFP', 'reporter', 'constitutive', 'inducible', 'lac', 'tet', 'arabinose', 'terminator', 'RBS', 'strong', 'weak', 'device', 'sensor', 'mercury', 'quorum', 'LuxR', 'AHL', 'chromoprotein', 'plastic', 'degradation', 'yeast', 'E. coli', 'T7', 'CRISPR', 'Cas9', 'guide'];

export interface SyntheticOptions {
  parts: number;
  format: DumpFormat;
  seed?: number;
}

/**
 * Writes a synthetic Registry dump of `parts` parts in the real format: part
 * types, names and dates in the mix of the 2017 Registry (data/igem/
 * cleaned_synbiohub_parts.csv), composites assembled from earlier basic parts
 * with RFC10 scars (with their BioBrick features and u_lists), empty sequences
 * on Planning/Deleted parts, duplicated names, HTML descriptions. Constant
 * memory: composites draw from a bounded pool of recent basic parts.
 */
export async function writeSyntheticDump(out: Writable, options: SyntheticOptions): Promise<{ parts: number; features: number }> {
  const rng = random(options.seed ?? 1);
  const real = parseCsv(fs.readFileSync(path.join(dataDir, 'igem', 'cleaned_synbiohub_parts.csv'), 'utf8')).filter((r) => /^(BBa_|pSB)/.test(r.displayId!));
  const bases = 'acgt';
  const dna = (length: number) => {
    let s = '';
    for (let i = 0; i < length; i++) s += bases[Math.floor(rng.next() * 4)];
    return s;
  };
  const pool: { id: number; name: string; sequence: string; type: string }[] = [];
  const writer = new DumpWriter(out, options.format);
  await writer.begin(`-- synthetic Registry dump: ${options.parts} parts, seed ${options.seed ?? 1}`);
  await writer.startTable('parts');
  let featureId = 1_000_000;
  let featureCount = 0;
  // Features are written after the parts, as in real dumps; spool them to keep memory flat.
  const spool = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-gen-')), 'features.jsonl');
  const spoolOut = fs.createWriteStream(spool);
  const spoolFeature = (row: Record<string, number | string>) => {
    featureCount++;
    if (!spoolOut.write(JSON.stringify(row) + '\n')) return new Promise<void>((r) => spoolOut.once('drain', r));
  };
  for (let i = 0; i < options.parts; i++) {
    const id = i + 1;
    const template = real[i % real.length]!;
    const cycle = Math.floor(i / real.length);
    let name = cycle ? `BBa_Z${String(cycle).padStart(2, '0')}${template.displayId!.replace(/^BBa_|^pSB/, '')}` : template.displayId!;
    if (i > 10 && rng.chance(0.01)) name = pool.length ? rng.pick(pool).name : name; // the dump's duplicated names
    const type = template.type || 'Other';
    let statusRoll = rng.next();
    const status = STATUSES.find(([, p]) => (statusRoll -= p) < 0)?.[0] ?? 'Available';
    const empty = (status === 'Planning' || status === 'Deleted') && rng.chance(0.6);
    let sequence = '';
    let specified: number[] = [id];
    let deep: number[] = [id];
    const partFeatures: Record<string, number | string>[] = [];
    if (!empty) {
      if (COMPOSITE_TYPES.has(type) && pool.length >= 5) {
        const children = Array.from({ length: rng.int(2, 5) }, () => rng.pick(pool));
        specified = children.map((c) => c.id);
        deep = specified;
        children.forEach((child, k) => {
          if (k > 0) sequence += child.type === 'Coding' ? 'tactag' : 'tactagag';
          partFeatures.push({ feature_type: 'BioBrick', start_pos: sequence.length + 1, end_pos: sequence.length + child.sequence.length, label: child.name });
          sequence += child.sequence;
        });
      } else {
        const [min, max] = LENGTHS[type] ?? [50, 900];
        sequence = dna(rng.int(min, max));
        partFeatures.push({ feature_type: 'BioBrick', start_pos: 1, end_pos: sequence.length, label: name });
        if (type === 'Coding' && sequence.length > 30) partFeatures.push({ feature_type: 'cds', start_pos: 1, end_pos: sequence.length - 3, label: 'CDS' });
        if (rng.chance(0.3)) pool.push({ id, name, sequence, type });
        if (pool.length > 2000) pool.splice(0, pool.length - 2000);
      }
    }
    const words = Array.from({ length: rng.int(2, 6) }, () => rng.pick(WORDS));
    await writer.row({
      part_id: id, ok: 1, part_name: name, short_desc: words.join(' ').slice(0, 100),
      description: rng.chance(0.5) ? `<P>${words.join(' ')} for <i>${rng.pick(WORDS)}</i> & "friends".\nIt's ${rng.pick(WORDS)}.</P>` : words.join(' '),
      part_type: type, author: rng.pick(['Randy Rettberg', 'Reshma Shetty', 'Qianzhu Wu', 'iGEM Team Müller', "O'Brien Lab"]),
      owning_group_id: rng.int(1, 5000), status, dominant: rng.chance(0.35) ? 1 : 0, informational: status === 'Informational' ? 1 : 0,
      discontinued: status === 'Deleted' && rng.chance(0.3) ? 1 : 0, part_status: rng.chance(0.2) ? 'Released HQ 2013' : '',
      sample_status: rng.pick(SAMPLE), p_status_cache: '', s_status_cache: '', creation_date: (template.created || '2010-01-01').slice(0, 10),
      m_datetime: rng.chance(0.5) ? '2015-08-31 04:07:20' : '2018-11-06 15:23:13', m_user_id: 0, uses: -1, doc_size: rng.int(0, 20_000),
      works: rng.pick(WORKS), favorite: rng.chance(0.05) ? 1 : 0, specified_u_list: `_${specified.join('_')}_`, deep_u_list: `_${deep.join('_')}_`,
      deep_count: deep.length, ps_string: null, scars: specified.length > 1 ? '10' : '', default_scars: '10', owner_id: rng.int(1, 90_000),
      group_u_list: `_${rng.int(1, 5000)}_`, has_barcode: rng.chance(0.05) ? 1 : 0, notes: rng.chance(0.2) ? '<P>Design notes.</P>' : '',
      source: rng.chance(0.3) ? 'Synthesized' : '', nickname: rng.chance(0.1) ? rng.pick(WORDS).slice(0, 10) : '',
      categories: rng.chance(0.4) ? Array.from({ length: rng.int(1, 3) }, () => rng.pick(CATEGORIES)).join(' ') : '',
      sequence, sequence_sha1: crypto.createHash('sha1').update(sequence).digest(), sequence_update: 5, seq_edit_cache: null,
      review_result: null, review_count: rng.chance(0.05) ? rng.int(1, 5) : 0, review_total: rng.chance(0.05) ? rng.int(1, 25) : 0,
      flag: null, sequence_length: sequence.length, temp_1: null, temp_2: null, temp_3: null, temp4: null, rating: rng.chance(0.03) ? 1 : 0,
    });
    for (const feature of partFeatures) await spoolFeature({ feature_id: featureId++, part_id: id, mark: 0, old: 0, reverse: 0, ...feature });
  }
  await new Promise<void>((resolve) => spoolOut.end(resolve));
  await writer.startTable('parts_seq_features');
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: fs.createReadStream(spool) })) if (line) await writer.row(JSON.parse(line));
  await writer.end();
  fs.rmSync(path.dirname(spool), { recursive: true, force: true });
  return { parts: options.parts, features: featureCount };
}

/** Writes a synthetic dump to a file; `.gz` names are gzipped. */
export async function writeSyntheticDumpFile(file: string, options: SyntheticOptions): Promise<{ parts: number; features: number }> {
  const target = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => target.on('finish', resolve).on('error', reject));
  let out: Writable = target;
  if (file.endsWith('.gz')) {
    const gzip = zlib.createGzip({ level: 1 });
    gzip.pipe(target);
    out = gzip;
  }
  const result = await writeSyntheticDump(out, options);
  await done;
  return result;
}
