import * as fs from 'node:fs';
import { PassThrough, pipeline, Transform, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { fetchOutbound, safeUrl } from '../net/outbound-fetch';
import { DUMP_LIMIT_SETTINGS, DumpLimitError, dumpLimits, GZIP_RATIO_FLOOR_BYTES, type DumpLimits } from './dump-limits';
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

export interface OpenDumpOptions {
  /** Stops reading (and downloading): the events then fail with the signal's reason. */
  signal?: AbortSignal;
  /** What the dump and its download may cost (DEFAULT_DUMP_LIMITS for what is not given). */
  limits?: Partial<DumpLimits>;
}

/**
 * Opens a dump file or http(s) URL as a stream of rows. `columns`, when given,
 * is the columns the caller reads: an SQL dump's rows then hold only those
 * (see readSqlDump); an XML dump's rows hold all of theirs.
 *
 * Everything is bounded (DumpLimits): a URL is fetched with fetchOutbound (public
 * hosts only unless allowed, redirects re-checked, one deadline, a byte cap); a
 * `.gz` dump may decompress to so many bytes and so many times its size; the
 * readers cap statements, rows, tags and fields. Past a limit the events fail
 * with a DumpLimitError naming it and its setting; the download is closed.
 */
export async function openDump(source: string, tables?: Set<string>, columns?: ReadonlySet<string>, options: OpenDumpOptions = {}): Promise<OpenedDump> {
  const { format, gzip } = dumpFormatOf(source);
  const limits = dumpLimits(options.limits);
  options.signal?.throwIfAborted();
  // Ends the download (its socket) once reading stops, for whatever reason.
  const done = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, done.signal]) : done.signal;
  let raw: Readable;
  let totalBytes: number | undefined;
  if (/^https?:\/\//i.test(source)) {
    const response = await fetchOutbound(source, {
      allowHosts: limits.allowHosts,
      allowSetting: DUMP_LIMIT_SETTINGS.allowHosts,
      timeoutMs: limits.downloadTimeoutMs,
      timeoutSetting: DUMP_LIMIT_SETTINGS.downloadTimeoutMs,
      maxBytes: limits.maxDownloadBytes,
      maxBytesSetting: DUMP_LIMIT_SETTINGS.maxDownloadBytes,
      signal,
    }).catch((error) => {
      throw options.signal?.aborted ? options.signal.reason : error;
    });
    const fail = (error: Error): never => {
      response.body.destroy();
      done.abort();
      throw error;
    };
    if (response.status !== 200) fail(new Error(`could not download ${safeUrl(response.url)}: HTTP ${response.status}`));
    totalBytes = Number(response.headers['content-length']) || undefined;
    if (totalBytes !== undefined && totalBytes > limits.maxDownloadBytes) {
      fail(new DumpLimitError('maxDownloadBytes', `the download is ${totalBytes} bytes, more than ${limits.maxDownloadBytes}`));
    }
    raw = response.body;
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
  const stages: NodeJS.ReadWriteStream[] = gzip ? [zlib.createGunzip(), gzipGuard(limits, () => read)] : [];
  const stream = new PassThrough({ highWaterMark: 1 << 16 });
  pipeline([raw, ...stages, stream] as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream], () => {});
  const stop = () => stream.destroy(options.signal?.reason ?? new Error('aborted'));
  options.signal?.addEventListener('abort', stop, { once: true });
  stream.once('close', () => {
    options.signal?.removeEventListener('abort', stop);
    done.abort();
  });
  const events = format === 'sql' ? readSqlDump(stream, tables, columns, limits) : readXmlDump(stream, tables, limits);
  return { events, bytesRead: () => read, totalBytes };
}

/** Counts decompressed bytes and stops at the cap, or when they are too many times the compressed bytes read. */
function gzipGuard(limits: DumpLimits, compressed: () => number): Transform {
  let out = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, next) {
      out += chunk.length;
      if (out > limits.maxDecompressedBytes) {
        return next(new DumpLimitError('maxDecompressedBytes', `the dump decompresses to more than ${limits.maxDecompressedBytes} bytes`));
      }
      const ratio = out / Math.max(1, compressed());
      if (out > GZIP_RATIO_FLOOR_BYTES && ratio > limits.maxGzipRatio) {
        return next(
          new DumpLimitError('maxGzipRatio', `the dump decompresses to more than ${limits.maxGzipRatio} times its compressed size (${out} bytes from ${compressed()}): a gzip bomb?`),
        );
      }
      next(null, chunk);
    },
  });
}
