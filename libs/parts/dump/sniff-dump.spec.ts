import { PassThrough } from 'node:stream';
import * as zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { writeSyntheticDump } from './synthetic-dump';
import { sniffDump, SNIFF_BYTES } from './sniff-dump';

/** The first SNIFF_BYTES of a synthetic dump in `format`, optionally gzip-compressed, as an upload's head would be. */
async function head(format: 'sql' | 'xml', gzip: boolean): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeSyntheticDump(out, { parts: 300, format, seed: 3 });
  out.end();
  const whole = Buffer.concat(chunks);
  return (gzip ? zlib.gzipSync(whole) : whole).subarray(0, SNIFF_BYTES);
}

describe('sniffDump', () => {
  test('reads the format of the dumps the importer reads, compressed or not, from their first bytes', async () => {
    for (const format of ['sql', 'xml'] as const) {
      for (const gzip of [false, true]) expect(sniffDump(await head(format, gzip))).toEqual({ format, gzip });
    }
  });

  test('takes mysqldump headers, statements and XML declarations, a byte-order mark before them', () => {
    expect(sniffDump(Buffer.from('-- MySQL dump 10.13  Distrib 5.7.44\n--\n'))).toEqual({ format: 'sql', gzip: false });
    expect(sniffDump(Buffer.from('/*!40101 SET NAMES utf8 */;\n'))).toEqual({ format: 'sql', gzip: false });
    expect(sniffDump(Buffer.from('\n\nCREATE TABLE `parts` (\n'))).toEqual({ format: 'sql', gzip: false });
    expect(sniffDump(Buffer.from('\uFEFF<?xml version="1.0"?>\n<mysqldump>'))).toEqual({ format: 'xml', gzip: false });
    expect(sniffDump(zlib.gzipSync('<mysqldump xmlns:xsi="x">'))).toEqual({ format: 'xml', gzip: true });
  });

  test('an SQL dump may hold raw bytes in its values: only its start must be text', () => {
    const binary = Buffer.concat([Buffer.from("-- MySQL dump\nINSERT INTO `parts` VALUES (1,_binary '"), Buffer.from([0, 1, 2, 0xff]), Buffer.from("');\n")]);
    expect(sniffDump(binary)).toEqual({ format: 'sql', gzip: false });
  });

  test('refuses what is not a dump, saying what it is', () => {
    const refused = (bytes: Buffer) => (sniffDump(bytes) as { refused: string }).refused;
    expect(refused(Buffer.alloc(0))).toBe('the file is empty');
    expect(refused(Buffer.from('89504e470d0a1a0a0000000d', 'hex'))).toMatch(/not text/);
    expect(refused(Buffer.from('PK\x03\x04', 'latin1'))).toMatch(/zip archive/);
    expect(refused(Buffer.from('part_name,sequence\nBBa_B0034,aaagaggagaaa\n'))).toBe(
      'the file is text but neither an SQL dump nor an XML dump (it starts with “part_name,sequence”)',
    );
    expect(refused(zlib.gzipSync(Buffer.from([0, 1, 2, 3])))).toMatch(/decompresses to something that is not text/);
    expect(refused(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad]))).toMatch(/starts as gzip but cannot be decompressed|decompresses to nothing/);
  });
});
