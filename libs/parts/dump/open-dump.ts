import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { DumpEvent } from './dump-row';
import { readSqlDump } from './sql-dump-reader';
import { readXmlDump } from './xml-dump-reader';

export type DumpFormat = 'sql' | 'xml';

/** What the source's name says it is: `.sql`, `.sql.gz`, `.xml`, `.xml.gz`. */
export function dumpFormatOf(source: string): { format: DumpFormat; gzip: boolean } {
  const name = source.toLowerCase().replace(/[?#].*$/, '');
  const gzip = name.endsWith('.gz');
  const base = gzip ? name.slice(0, -3) : name;
  if (base.endsWith('.sql')) return { format: 'sql', gzip };
  if (base.endsWith('.xml')) return { format: 'xml', gzip };
  throw new Error(`cannot tell the dump format of ${source}: name it .sql, .sql.gz, .xml or .xml.gz`);
}

export interface OpenedDump {
  events: AsyncGenerator<DumpEvent>;
  /** Bytes read from the source so far (compressed bytes for .gz), for progress. */
  bytesRead(): number;
  /** Total size when known (local files, or a Content-Length). */
  totalBytes?: number;
}

/**
 * Opens a dump file or http(s) URL as a stream of rows. `columns`, when given,
 * is the columns the caller reads: an SQL dump's rows then hold only those
 * (see readSqlDump); an XML dump's rows hold all of theirs.
 */
export async function openDump(source: string, tables?: Set<string>, columns?: ReadonlySet<string>): Promise<OpenedDump> {
  const { format, gzip } = dumpFormatOf(source);
  let raw: Readable;
  let totalBytes: number | undefined;
  if (/^https?:\/\//i.test(source)) {
    const response = await fetch(source);
    if (!response.ok || !response.body) throw new Error(`could not download ${source}: HTTP ${response.status}`);
    totalBytes = Number(response.headers.get('content-length')) || undefined;
    raw = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
  } else {
    try {
      totalBytes = fs.statSync(source).size;
    } catch {
      throw new Error(`no dump at ${source}`);
    }
    raw = fs.createReadStream(source, { highWaterMark: 1 << 20 });
  }
  let read = 0;
  raw.on('data', (chunk: Buffer) => (read += chunk.length));
  const stream = gzip ? raw.pipe(zlib.createGunzip()) : raw;
  raw.on('error', (error) => stream.destroy(error));
  const events = format === 'sql' ? readSqlDump(stream, tables, columns) : readXmlDump(stream, tables);
  return { events, bytesRead: () => read, totalBytes };
}
