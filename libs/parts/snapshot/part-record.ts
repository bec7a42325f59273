import * as crypto from 'node:crypto';
import type { DumpValue } from '../dump/dump-row';
import { compatibilityJson } from './assembly-standards';
import { NARROW_COLUMNS, PART_COLUMNS, WIDE_COLUMNS, type PartColumn } from './snapshot-tables';

export class RowMappingError extends Error {}

/** The dump columns mapPart and mapFeature read (of any layout): a reader may skip the others. */
export const MAPPED_DUMP_COLUMNS: ReadonlySet<string> = new Set([
  'part_id', 'part_name', 'short_desc', 'description', 'part_type', 'author', 'owning_group_id', 'status', 'dominant', 'informational',
  'discontinued', 'part_status', 'sample_status', 'in_stock', 'creation_date', 'm_datetime', 'uses', 'doc_size', 'works', 'results',
  'favorite', 'specified_u_list', 'deep_u_list', 'has_barcode', 'barcode', 'notes', 'source', 'nickname', 'categories', 'sequence',
  'review_count', 'review_total', 'rating',
  // parts_seq_features
  'feature_id', 'feature_type', 'start_pos', 'end_pos', 'label', 'reverse',
]);

const text = (value: DumpValue | undefined, max = 65_535): string => {
  if (value === null || value === undefined) return '';
  return (Buffer.isBuffer(value) ? value.toString('latin1') : value).slice(0, max);
};

function integer(value: DumpValue | undefined, fallback: number, column: string): number {
  if (value === null || value === undefined || value === '') return fallback;
  const n = Number(Buffer.isBuffer(value) ? value.toString('latin1') : value);
  if (!Number.isFinite(n)) throw new RowMappingError(`${column} is not a number: ${JSON.stringify(text(value, 40))}`);
  return Math.trunc(n);
}

function date(value: DumpValue | undefined, withTime: boolean): string | null {
  const raw = text(value).trim();
  if (!raw || raw.startsWith('0000-00-00')) return null;
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?/.exec(raw);
  if (!match) return null;
  return withTime ? `${match[1]} ${match[2] ?? '00:00:00'}` : match[1]!;
}

/** Parses `_7145_19320_` into [7145, 19320]. */
export function parseIdList(value: DumpValue | undefined): number[] {
  return text(value)
    .split('_')
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

/** A mapped part: its narrow columns (NARROW_COLUMNS order) and its wide ones (WIDE_COLUMNS order, part_id first). */
export interface MappedPart {
  partId: number;
  sequenceLength: number;
  narrow: unknown[];
  wide: unknown[];
}

/**
 * Maps a `parts` row of any dump layout (columns by name) to the snapshot's
 * columns, computing what the dump stores unreliably or not at all: the
 * lower-case sequence and its length and SHA-1, assembly compatibility, and a
 * checksum of the row for diffs. Old layouts' `in_stock` and `results` stand in
 * for `sample_status` and `works`.
 */
export function mapPart(values: Record<string, DumpValue>): MappedPart {
  const partId = integer(values.part_id, NaN, 'part_id');
  if (!Number.isFinite(partId)) throw new RowMappingError('part_id is missing');
  const name = text(values.part_name, 255).trim();
  if (!name) throw new RowMappingError('part_name is missing');
  const sequence = text(values.sequence).toLowerCase().replace(/[^a-z]/g, '');
  const sampleStatus = 'sample_status' in values ? text(values.sample_status, 40) : 'in_stock' in values ? (integer(values.in_stock, 0, 'in_stock') ? 'In stock' : 'Not in stock') : '';
  const compatibility = sequence ? compatibilityJson(sequence) : { json: '{}', compatibleStandards: 0 };
  const works = 'works' in values ? text(values.works, 20) : text(values.results, 20);
  const record: Record<PartColumn, unknown> = {
    part_id: partId,
    part_name: name,
    short_desc: text(values.short_desc, 255),
    description: text(values.description, 4_000_000),
    part_type: text(values.part_type, 40),
    author: text(values.author, 255),
    owning_group_id: values.owning_group_id == null ? null : integer(values.owning_group_id, 0, 'owning_group_id'),
    status: text(values.status, 40),
    dominant: integer(values.dominant, 0, 'dominant') ? 1 : 0,
    informational: integer(values.informational, 0, 'informational') ? 1 : 0,
    discontinued: integer(values.discontinued, 0, 'discontinued'),
    part_status: text(values.part_status, 40),
    sample_status: sampleStatus,
    creation_date: date(values.creation_date, false),
    m_datetime: date(values.m_datetime, true),
    uses: integer(values.uses, -1, 'uses'),
    doc_size: integer(values.doc_size, 0, 'doc_size'),
    works,
    favorite: integer(values.favorite, 0, 'favorite'),
    specified_u_list: text(values.specified_u_list),
    deep_u_list: text(values.deep_u_list),
    has_barcode: integer(values.has_barcode ?? values.barcode, 0, 'has_barcode') ? 1 : 0,
    notes: text(values.notes, 4_000_000),
    source: text(values.source),
    nickname: text(values.nickname, 40),
    categories: text(values.categories, 1000).trim(),
    sequence,
    sequence_length: sequence.length,
    seq_sha1: crypto.createHash('sha1').update(sequence).digest('hex'),
    review_count: integer(values.review_count, 0, 'review_count'),
    review_total: integer(values.review_total, 0, 'review_total'),
    rating: integer(values.rating, 0, 'rating'),
    compatibility: compatibility.json,
    compatible_standards: compatibility.compatibleStandards,
    row_checksum: '',
  };
  // SHA-1 of every column's text followed by \u0001 (NULL as \u0000), hashed in one update.
  let all = '';
  for (const column of PART_COLUMNS) if (column !== 'row_checksum') all += String(record[column] ?? '\u0000') + '\u0001';
  record.row_checksum = crypto.createHash('sha1').update(all).digest('hex');
  return {
    partId,
    sequenceLength: sequence.length,
    narrow: NARROW_COLUMNS.map((column) => record[column]),
    wide: [partId, ...WIDE_COLUMNS.map((column) => record[column])],
  };
}

/** Maps a `parts_seq_features` row (9-column or older layouts). */
export function mapFeature(values: Record<string, DumpValue>): unknown[] {
  const featureId = integer(values.feature_id, NaN, 'feature_id');
  const partId = integer(values.part_id, NaN, 'part_id');
  if (!Number.isFinite(featureId) || !Number.isFinite(partId)) throw new RowMappingError('feature_id or part_id is missing');
  let start = integer(values.start_pos, 0, 'start_pos');
  let end = integer(values.end_pos, 0, 'end_pos');
  if (start > end && end > 0) [start, end] = [end, start]; // some rows have them swapped
  return [featureId, partId, text(values.feature_type, 60), start, end, text(values.label, 255), integer(values.reverse, 0, 'reverse') ? 1 : 0];
}
