import fc from 'fast-check';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import type { DumpEvent, DumpValue } from './dump-row';
import { FEATURE_COLUMNS, PARTS_COLUMNS } from './dump-schema';
import { DumpWriter, type DumpFormat } from './dump-writer';
import { readSqlDump } from './sql-dump-reader';
import { readXmlDump } from './xml-dump-reader';

type Row = Record<string, DumpValue>;

async function writeDump(format: DumpFormat, parts: Row[], features: Row[], statementBytes = 300): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c) => chunks.push(c));
  const writer = new DumpWriter(out, format, 'parts_bbdb', statementBytes);
  await writer.begin();
  await writer.startTable('parts');
  for (const row of parts) await writer.row(row);
  await writer.startTable('parts_seq_features');
  for (const row of features) await writer.row(row);
  await writer.end();
  return Buffer.concat(chunks);
}

/** Feeds bytes in chunks of the given sizes (cycled), to cross every boundary. */
function chunked(bytes: Buffer, sizes: number[]): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return Readable.from(pieces);
}

async function collect(events: AsyncGenerator<DumpEvent>) {
  const rows: { table: string; values: Row; row: number }[] = [];
  const malformed: string[] = [];
  for await (const event of events) {
    if (event.kind === 'row') rows.push({ table: event.row.table, values: event.row.values, row: event.row.position.row });
    else malformed.push(event.error.message);
  }
  return { rows, malformed };
}

// Text that survives both formats: any Unicode except what XML cannot carry.
const text = fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));
const tricky = fc.constantFrom("it's", 'a\\b', 'line\nbreak', '"quoted"', '<i>html</i> & co', "'); DROP TABLE parts; --", '/* not a comment */', '-- nor this', '');
const value = fc.oneof(text, tricky, fc.constant(null), fc.integer().map(String));
const partRow = (id: number) =>
  fc.record(Object.fromEntries(PARTS_COLUMNS.map(([name]) => [name, name === 'part_id' ? fc.constant(String(id)) : name === 'sequence_sha1' ? fc.constant(null) : value])) as Record<string, fc.Arbitrary<DumpValue>>);
const featureRow = fc.record(Object.fromEntries(FEATURE_COLUMNS.map(([name]) => [name, value])) as Record<string, fc.Arbitrary<DumpValue>>);
const dump = fc.tuple(fc.array(fc.nat(1000), { minLength: 0, maxLength: 12 }).chain((ids) => fc.tuple(...ids.map((id) => partRow(id)))), fc.array(featureRow, { maxLength: 8 }));
const chunkSizes = fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 6 });

describe.each(['sql', 'xml'] as const)('%s dump reader', (format) => {
  const read = format === 'sql' ? readSqlDump : readXmlDump;

  test('reads back exactly what was written, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(dump, chunkSizes, async ([parts, features], sizes) => {
        const bytes = await writeDump(format, parts, features);
        const { rows, malformed } = await collect(read(chunked(bytes, sizes)));
        expect(malformed).toEqual([]);
        expect(rows.filter((r) => r.table === 'parts').map((r) => r.values)).toEqual(parts);
        expect(rows.filter((r) => r.table === 'parts_seq_features').map((r) => r.values)).toEqual(features);
        expect(rows.filter((r) => r.table === 'parts').map((r) => r.row)).toEqual(parts.map((_, i) => i + 1));
      }),
      { numRuns: 60 },
    );
  });

  test('reads only the tables asked for', async () => {
    const bytes = await writeDump(format, [{ part_id: '1', part_name: 'BBa_X' }], [{ feature_id: '9' }]);
    const { rows } = await collect(read(Readable.from([bytes]), new Set(['parts_seq_features'])));
    expect(rows.map((r) => r.table)).toEqual(['parts_seq_features']);
  });
});

describe('sql dump reader', () => {
  test('with a column filter, returns the same values for those columns only, whatever the chunking', async () => {
    const wanted = new Set(['part_id', 'part_name', 'sequence', 'notes', 'feature_id', 'label']);
    await fc.assert(
      fc.asyncProperty(dump, chunkSizes, async ([parts, features], sizes) => {
        const bytes = await writeDump('sql', parts, features);
        const pick = (row: Row) => Object.fromEntries(Object.entries(row).filter(([k]) => wanted.has(k)));
        const { rows, malformed } = await collect(readSqlDump(chunked(bytes, sizes), undefined, wanted));
        expect(malformed).toEqual([]);
        expect(rows.filter((r) => r.table === 'parts').map((r) => r.values)).toEqual(parts.map(pick));
        expect(rows.filter((r) => r.table === 'parts_seq_features').map((r) => r.values)).toEqual(features.map(pick));
      }),
      { numRuns: 40 },
    );
  });

  test('maps columns by name: an old layout and an explicit column list', async () => {
    const dump = Buffer.from(
      "CREATE TABLE `parts` (\n  `part_id` int(11) NOT NULL,\n  `part_name` varchar(255),\n  `in_stock` tinyint(1),\n  `sequence` longtext,\n  PRIMARY KEY (`part_id`)\n);\n" +
        "INSERT INTO `parts` VALUES (1,'BBa_B0034',1,'aaagaggagaaa'),(2,'BBa_B0010',0,'');\n" +
        "INSERT INTO `parts` (`sequence`,`part_name`,`part_id`) VALUES ('acgt','BBa_K1',3);\n",
    );
    const { rows } = await collect(readSqlDump(Readable.from([dump])));
    expect(rows.map((r) => r.values)).toEqual([
      { part_id: '1', part_name: 'BBa_B0034', in_stock: '1', sequence: 'aaagaggagaaa' },
      { part_id: '2', part_name: 'BBa_B0010', in_stock: '0', sequence: '' },
      { sequence: 'acgt', part_name: 'BBa_K1', part_id: '3' },
    ]);
  });

  test('keeps binary sequence_sha1 as bytes: raw, _binary and 0x forms', async () => {
    const sha = Buffer.from('00ff27275c0a1a0d' + '22'.repeat(12), 'hex');
    const raw = Buffer.concat([Buffer.from("INSERT INTO `parts` (`part_id`,`sequence_sha1`) VALUES (1,'"), Buffer.from(sha.toString('latin1').replace(/[\0\n\r\x1a'"\\]/g, (c) => ({ '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', "'": "\\'", '"': '\\"', '\\': '\\\\' })[c]!), 'latin1'), Buffer.from("'),(2,0x" + sha.toString('hex') + "),(3,_binary 'ab');\n")]);
    const { rows } = await collect(readSqlDump(Readable.from([raw])));
    expect(rows.map((r) => r.values.sequence_sha1)).toEqual([sha, sha, Buffer.from('ab')]);
  });

  test('reports malformed rows with their position and goes on', async () => {
    const dump = Buffer.from(
      "CREATE TABLE `parts` (\n  `part_id` int(11),\n  `part_name` varchar(255)\n);\n" +
        "INSERT INTO `parts` VALUES (1,'BBa_A'),(2,'BBa_B','extra'),(3,oops),(4,'BBa_D');\n" +
        "INSERT INTO `parts` VALUES (5,'BBa_E');\n",
    );
    const { rows, malformed } = await collect(readSqlDump(Readable.from([dump])));
    expect(rows.map((r) => r.values.part_name)).toEqual(['BBa_A', 'BBa_D', 'BBa_E']);
    expect(malformed).toEqual([
      'malformed parts row 2 (line 5): 3 values for 2 columns',
      'malformed parts row 3 (line 5): unexpected "oops" where a value should be',
    ]);
  });

  test('the writer keeps binary values as raw bytes, and they read back equal', async () => {
    const sha = Buffer.from('00ff27275c0a1a0de9c3' + '80'.repeat(10), 'hex');
    const bytes = await writeDump('sql', [{ part_id: '1', part_name: 'BBa_Ü', sequence_sha1: sha }], []);
    expect(bytes.includes(Buffer.from([0xff, 0x5c, 0x27]))).toBe(true); // 0xff raw, then the escaped quote
    const { rows } = await collect(readSqlDump(Readable.from([bytes])));
    expect(rows[0]!.values.sequence_sha1).toEqual(sha);
    expect(rows[0]!.values.part_name).toBe('BBa_Ü');
  });

  test('decodes Latin-1 text that is not UTF-8', async () => {
    const dump = Buffer.concat([Buffer.from("INSERT INTO `parts` (`part_id`,`author`) VALUES (1,'"), Buffer.from('Müller', 'latin1'), Buffer.from("');")]);
    const { rows } = await collect(readSqlDump(Readable.from([dump])));
    expect(rows[0]!.values.author).toBe('Müller');
  });
});

describe('xml dump reader', () => {
  test('survives the control bytes of a raw sequence_sha1 and reports a truncated row', async () => {
    const dump = Buffer.concat([
      Buffer.from('<?xml version="1.0"?>\n<mysqldump xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<database name="parts_bbdb">\n<table_data name="parts">\n<row>\n<field name="part_id">1</field>\n<field name="sequence_sha1">'),
      Buffer.from([0x01, 0x02, 0xff, 0x1f, 0x41]),
      Buffer.from('</field>\n<field name="part_name">BBa_&lt;1&gt;</field>\n</row>\n<row>\n<field name="part_id">2</field>\n'),
    ]);
    const { rows, malformed } = await collect(readXmlDump(Readable.from([dump])));
    expect(rows.map((r) => r.values)).toEqual([{ part_id: '1', sequence_sha1: '\ufffdA', part_name: 'BBa_<1>' }]);
    expect(malformed).toEqual(['malformed parts row 2 (line 10): the dump ends inside this row']);
  });
});
