import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parseCsv } from './csv';
import { DumpWriter } from './dump-writer';

export const dataDir = path.resolve(__dirname, '..', '..', '..', 'data');
export const demoDumpPath = path.join(dataDir, 'demo', 'parts-demo.sql.gz');

const flag = (value: string | undefined) => (value === 'true' ? 1 : 0);
const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : null);
const moment = (iso: string | undefined) => (iso ? iso.slice(0, 19).replace('T', ' ') : null);

/**
 * Writes the shipped demo snapshot: the 100 real parts of data/igem (with their
 * features and sequences) as a Registry mysqldump SQL file, gzipped.
 */
export async function buildDemoDump(out = demoDumpPath): Promise<{ parts: number; features: number }> {
  const parts = parseCsv(fs.readFileSync(path.join(dataDir, 'igem', 'igem_distribution_parts.csv'), 'utf8'));
  const features = parseCsv(fs.readFileSync(path.join(dataDir, 'igem', 'igem_distribution_features.csv'), 'utf8'));
  const ids = new Map(parts.map((part, i) => [part.part_name!, i + 1]));
  const specified = (part: Record<string, string>) =>
    (part.specified_subparts ?? '').split(/\s+/).filter((name) => ids.has(name)).map((name) => ids.get(name)!);
  const byName = new Map(parts.map((p) => [p.part_name!, p]));
  const deep = (name: string, seen = new Set<string>()): number[] => {
    const part = byName.get(name)!;
    const children = (part.specified_subparts ?? '').split(/\s+/).filter((n) => byName.has(n) && !seen.has(n));
    if (!children.length) return [ids.get(name)!];
    return children.flatMap((child) => deep(child, new Set([...seen, name])));
  };
  const list = (values: number[]) => (values.length ? `_${values.join('_')}_` : '');

  fs.mkdirSync(path.dirname(out), { recursive: true });
  const gzip = zlib.createGzip({ level: 9 });
  const file = fs.createWriteStream(out);
  gzip.pipe(file);
  const done = new Promise<void>((resolve, reject) => file.on('finish', resolve).on('error', reject));
  const writer = new DumpWriter(gzip, 'sql');
  await writer.begin('-- Brickyard demo snapshot: 100 real iGEM Registry parts (CC BY 4.0; see data/igem/SOURCE.md)');
  await writer.startTable('parts');
  for (const part of parts) {
    const id = ids.get(part.part_name!)!;
    const sequence = part.sequence ?? '';
    const own = specified(part);
    await writer.row({
      part_id: id, ok: 1, part_name: part.part_name, short_desc: part.short_desc, description: part.description,
      part_type: part.part_type, author: part.author, owning_group_id: Number(part.owning_group_id) || null, status: part.status,
      dominant: flag(part.dominant), informational: 0, discontinued: flag(part.discontinued), part_status: part.part_status,
      sample_status: part.sample_status, p_status_cache: '', s_status_cache: '', creation_date: day(part.creation_date),
      m_datetime: moment(part.m_datetime), m_user_id: Number(part.m_user_id) || 0, uses: -1, doc_size: (part.description ?? '').length,
      works: part.works, favorite: flag(part.favorite), specified_u_list: list(own.length ? own : [id]),
      deep_u_list: list(own.length ? deep(part.part_name!) : [id]), deep_count: own.length ? deep(part.part_name!).length : 1,
      ps_string: null, scars: own.length ? '10' : '', default_scars: '10', owner_id: Number(part.owner_id) || null,
      group_u_list: part.group_u_list, has_barcode: 0, notes: part.notes, source: part.source ?? '', nickname: (part.nickname ?? '').slice(0, 10),
      categories: '', sequence, sequence_sha1: crypto.createHash('sha1').update(sequence).digest(), sequence_update: 5,
      seq_edit_cache: null, review_result: null, review_count: 0, review_total: 0, flag: null,
      sequence_length: sequence.length, temp_1: null, temp_2: null, temp_3: null, temp4: null, rating: flag(part.rating),
    });
  }
  await writer.startTable('parts_seq_features');
  let written = 0;
  for (const feature of features) {
    const partId = ids.get(feature.part_name!);
    if (!partId) continue;
    await writer.row({
      feature_id: Number(feature.feature_id), feature_type: feature.feature_type, start_pos: Number(feature.start_pos),
      end_pos: Number(feature.end_pos), label: feature.label, part_id: partId, mark: 0, old: 0, reverse: feature.direction === 'reverse' ? 1 : 0,
    });
    written++;
  }
  await writer.end();
  await done;
  return { parts: parts.length, features: written };
}
