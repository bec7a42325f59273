import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { DumpLimitError, dumpLimits } from './dump-limits';
import type { DumpEvent, DumpValue } from './dump-row';
import { FEATURE_COLUMNS, PARTS_COLUMNS } from './dump-schema';
import { DumpWriter, type DumpFormat } from './dump-writer';
import { openDump } from './open-dump';
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

/** `total` bytes of `unit` repeated, as chunks of `size` (what a stream hands the reader). */
function* repeated(head: string, unit: string, total: number, size = 65_536): Generator<Buffer> {
  yield Buffer.from(head);
  const chunk = Buffer.from(unit.repeat(Math.ceil(size / unit.length)).slice(0, size));
  for (let sent = 0; sent < total; sent += size) yield chunk;
}

const XML_HEAD = '<?xml version="1.0"?>\n<mysqldump>\n<database name="parts_bbdb">\n<table_data name="parts">\n<row>\n<field name="part_id">1</field>\n';

describe('limits: what a hostile dump costs is bounded, and refused naming the setting', () => {
  test('an SQL statement with no ";" within maxStatementBytes (an unclosed quote) is refused, not held', async () => {
    const input = Readable.from(repeated("CREATE TABLE `parts` (\n  `part_id` int\n);\nINSERT INTO `parts` VALUES (1,'", 'a', 8 << 20));
    const error = await collect(readSqlDump(input, undefined, undefined, { maxStatementBytes: 1 << 20 })).catch((e) => e);
    expect(error).toBeInstanceOf(DumpLimitError);
    expect(error.message).toMatch(/^the SQL statement starting at line 4 is longer than 1048576 bytes \(no ";" ends it\) \(PARTS_IMPORT_MAX_STATEMENT_BYTES\)$/);
    // Under the limit, the same statement reads.
    const ok = await collect(readSqlDump(Readable.from([Buffer.from(`INSERT INTO \`parts\` (\`part_id\`,\`sequence\`) VALUES (1,'${'a'.repeat(100_000)}');`)]), undefined, undefined, { maxStatementBytes: 200_000 }));
    expect((ok.rows[0]!.values.sequence as string).length).toBe(100_000);
  });

  test('an XML tag that never ends is searched once, not per chunk, and refused past maxFieldBytes', async () => {
    const started = process.cpuUsage();
    const input = Readable.from(repeated(`${XML_HEAD}<field name="sequence" `, 'a', 64 << 20));
    const error = await collect(readXmlDump(input, undefined, { maxFieldBytes: 48 << 20 })).catch((e) => e);
    expect(error).toBeInstanceOf(DumpLimitError);
    expect(error.message).toBe('an XML tag starting at line 7 is longer than 50331648 characters (no ">" ends it) (PARTS_IMPORT_MAX_FIELD_BYTES)');
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(3); // rescanning per chunk took minutes
  });

  test('a field, comment or CDATA section past maxFieldBytes is refused; a long one under it reads', async () => {
    const limits = { maxFieldBytes: 1 << 20 };
    for (const [open, what] of [['<field name="sequence">', /^field "sequence" of the row at line 5 is longer than 1048576 characters/], ['<!-- ', /^an XML comment starting at line 7 is longer than 1048576 characters/], ['<field name="notes"><![CDATA[', /^a CDATA section starting at line 7 is longer/]] as const) {
      const error = await collect(readXmlDump(Readable.from(repeated(XML_HEAD + open, 'acgt', 4 << 20)), undefined, limits)).catch((e) => e);
      expect(error, open).toBeInstanceOf(DumpLimitError);
      expect(error.message, open).toMatch(what);
      expect(error.message, open).toMatch(/\(PARTS_IMPORT_MAX_FIELD_BYTES\)$/);
    }
    const sequence = 'acgt'.repeat(50_000); // 200 KB, more than any real part's
    const { rows } = await collect(readXmlDump(chunked(Buffer.from(`${XML_HEAD}<field name="sequence">${sequence}</field>\n<!-- ${'x'.repeat(100_000)} -->\n</row>\n</table_data>\n`), [4093, 7]), undefined, limits));
    expect(rows.map((r) => r.values)).toEqual([{ part_id: '1', sequence }]);
  });

  test('an XML row past maxStatementBytes is refused', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => `<field name="f${i}">${'x'.repeat(1000)}</field>\n`).join('');
    const error = await collect(readXmlDump(Readable.from([Buffer.from(XML_HEAD + many)]), undefined, { maxStatementBytes: 1 << 20 })).catch((e) => e);
    expect(error.message).toBe('the XML row at line 5 is longer than 1048576 characters (PARTS_IMPORT_MAX_STATEMENT_BYTES)');
  });

  test('allowed hosts are compared as fetchOutbound does: lower case, IPv6 without brackets', () => {
    expect(dumpLimits({ allowHosts: [' Mirror.LAN ', '[::1]:8080', '', '127.0.0.1:9000'] }).allowHosts).toEqual(['mirror.lan', '::1:8080', '127.0.0.1:9000']);
  });

  describe('gzip', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-dump-limits-'));
    /** A few hundred KB that decompress to `size` bytes of an SQL comment (nothing a reader holds). */
    const bomb = (size: number) => {
      const file = path.join(work, `bomb-${size}.sql.gz`);
      const gzip = zlib.createGzip({ level: 9 });
      const out: Buffer[] = [];
      gzip.on('data', (c: Buffer) => out.push(c));
      gzip.write('-- ');
      const block = Buffer.alloc(1 << 20, 0x61);
      for (let written = 0; written < size; written += block.length) gzip.write(block);
      gzip.end('\n');
      return new Promise<string>((resolve) => gzip.on('end', () => resolve((fs.writeFileSync(file, Buffer.concat(out)), file))));
    };

    test('a gzip bomb is stopped by the ratio, a few MB in', async () => {
      const file = await bomb(256 << 20);
      expect(fs.statSync(file).size).toBeLessThan(1 << 20);
      const started = Date.now();
      const dump = await openDump(file);
      const error = await collect(dump.events).catch((e) => e);
      expect(error).toBeInstanceOf(DumpLimitError);
      expect(error.message).toMatch(/^the dump decompresses to more than 100 times its compressed size \(\d+ bytes from \d+\): a gzip bomb\? \(PARTS_IMPORT_MAX_GZIP_RATIO\)$/);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    test('a .gz dump is stopped at maxDecompressedBytes', async () => {
      const file = path.join(work, 'plain.sql.gz');
      const rows = Array.from({ length: 20_000 }, (_, i) => `(${i},'BBa_${i}','${Math.random().toString(36).repeat(4)}')`).join(',');
      fs.writeFileSync(file, zlib.gzipSync(`INSERT INTO \`parts\` (\`part_id\`,\`part_name\`,\`sequence\`) VALUES ${rows};`));
      expect((await collect((await openDump(file)).events)).rows).toHaveLength(20_000);
      const error = await collect((await openDump(file, undefined, undefined, { limits: { maxDecompressedBytes: 100_000 } })).events).catch((e) => e);
      expect(error.message).toBe('the dump decompresses to more than 100000 bytes (PARTS_IMPORT_MAX_DECOMPRESSED_BYTES)');
    });

    test('an aborted signal stops the reading with its reason', async () => {
      const file = await bomb(64 << 20);
      const controller = new AbortController();
      const dump = await openDump(file, undefined, undefined, { signal: controller.signal, limits: { maxGzipRatio: 100_000 } });
      controller.abort(new Error('cancelled'));
      await expect(collect(dump.events)).rejects.toThrow('cancelled');
    });
  });
});
