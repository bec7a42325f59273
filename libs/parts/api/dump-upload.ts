import { BrickyardError, DRAIN_LIMIT, drainAtMost, type RequestLike } from '@brickyard/sdk';
import Busboy from 'busboy';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import { sniffDump, SNIFF_BYTES } from '../dump/sniff-dump';

export interface DumpUploadOptions {
  /** The folder the file is written to (created, private, if missing). */
  dir: string;
  /** Largest accepted file, in bytes: larger is a 413 and nothing is kept. */
  maxBytes: number;
  /** The setting that holds maxBytes, named in the 413. */
  maxBytesSetting: string;
}

export interface ReceivedDump {
  /** Where it now is: `<dir>/<time>-<random>-<name>.<sql|xml>[.gz]`, the extension from its content. */
  path: string;
  /** The file name the browser sent, without any folder. */
  filename: string;
  bytes: number;
  /** The form's text fields (e.g. abortOnMalformed, socketId). */
  fields: Record<string, string>;
}

/** Bytes a multipart body holds besides the file (boundaries, headers, a few fields): the Content-Length pre-check allows this much. */
const FORM_OVERHEAD = 64 * 1024;

/**
 * Receives one dump from a `multipart/form-data` request (field `file`),
 * streamed to disk in constant memory (a dump is gigabytes, unlike avatars and
 * attachments, which `readUpload` holds in memory). Its first bytes are sniffed
 * as they arrive (sniffDump), so a file the importer cannot read is refused at
 * once, before the rest is written and before any import starts. A refusal
 * (no file, not a dump, over maxBytes, an interrupted upload) leaves no file
 * behind. The file is written under a `.partial` name and renamed when whole,
 * so a half-written upload never looks like a dump.
 */
export function receiveDumpUpload(request: RequestLike, options: DumpUploadOptions): Promise<ReceivedDump> {
  const raw = ('raw' in request ? request.raw : request) as IncomingMessage;
  const contentType = String(raw.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    drainAtMost(raw, DRAIN_LIMIT);
    return Promise.reject(new BrickyardError('bad_request', `send the dump as multipart/form-data in the field "file" (got ${contentType || 'no content type'})`));
  }
  const tooLarge = () => new BrickyardError('payload_too_large', `the file is larger than ${options.maxBytes} bytes, the limit (${options.maxBytesSetting})`);
  // A body announced as larger than the file may be is refused before a byte is written.
  const announced = Number(raw.headers['content-length']);
  if (Number.isFinite(announced) && announced > options.maxBytes + FORM_OVERHEAD) {
    drainAtMost(raw, 0);
    return Promise.reject(tooLarge());
  }
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });

  return new Promise<ReceivedDump>((resolve, reject) => {
    let parser: Busboy.Busboy;
    try {
      // busboy signals `limit` when a file *reaches* fileSize; one byte more lets a file of exactly maxBytes through.
      parser = Busboy({ headers: raw.headers, limits: { files: 1, fileSize: options.maxBytes + 1, fields: 10, fieldSize: 4096, parts: 12 } });
    } catch (error) {
      drainAtMost(raw, DRAIN_LIMIT);
      return reject(new BrickyardError('bad_request', `the multipart body cannot be read: ${(error as Error).message}`));
    }
    const fields: Record<string, string> = {};
    let failure: BrickyardError | undefined;
    let settled = false;
    let file: { filename: string; partial: string; out: fs.WriteStream; written: Promise<void>; head: Buffer[]; headBytes: number; bytes: number; sniffed?: ReturnType<typeof sniffDump> } | undefined;

    const removePartial = () => {
      if (!file) return;
      file.out.destroy();
      fs.rm(file.partial, { force: true }, () => {});
    };
    const refuse = (error: BrickyardError) => {
      failure ??= error;
      if (settled) return;
      settled = true;
      raw.unpipe(parser);
      drainAtMost(raw, DRAIN_LIMIT);
      removePartial();
      reject(failure);
    };
    /** Sniffs once the head is full (or the file ended); a refusal stops the upload there. */
    const sniff = () => {
      if (!file || file.sniffed) return;
      file.sniffed = sniffDump(Buffer.concat(file.head).subarray(0, SNIFF_BYTES));
      file.head = [];
      if ('refused' in file.sniffed) refuse(new BrickyardError('bad_request', `${file.filename} is not a dump the importer reads: ${file.sniffed.refused}. Upload a Registry dump: .sql or .xml, optionally .gz.`));
    };

    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file) {
        stream.resume();
        return refuse(new BrickyardError('bad_request', name !== 'file' ? `the dump goes in the form field "file", not "${name}"` : 'send one file at a time'));
      }
      const filename = (info.filename ?? 'upload').split(/[\\/]/).pop()!.slice(0, 255) || 'upload';
      const partial = path.join(options.dir, `.${Date.now()}-${crypto.randomBytes(6).toString('hex')}.partial`);
      const out = fs.createWriteStream(partial, { mode: 0o600 });
      const written = new Promise<void>((done, failed) => out.on('finish', done).on('error', failed));
      written.catch((error: Error) => refuse(new BrickyardError('internal', `the upload could not be written to ${options.dir}: ${error.message}`)));
      const current = { filename, partial, out, written, head: [] as Buffer[], headBytes: 0, bytes: 0 };
      file = current;
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        current.bytes += chunk.length;
        if (current.headBytes < SNIFF_BYTES) {
          current.head.push(chunk);
          current.headBytes += chunk.length;
          if (current.headBytes >= SNIFF_BYTES) sniff();
        }
        // Back-pressure: the request is paused while the disk catches up.
        if (!settled && !out.write(chunk)) {
          stream.pause();
          out.once('drain', () => stream.resume());
        }
      });
      stream.on('limit', () => refuse(tooLarge()));
      stream.on('end', () => out.end());
    });
    parser.on('filesLimit', () => refuse(new BrickyardError('bad_request', 'send one file at a time')));
    parser.on('error', (error: Error) => refuse(new BrickyardError('bad_request', `the multipart body cannot be read: ${error.message}`)));
    parser.on('close', async () => {
      if (settled) return;
      if (!file) return refuse(new BrickyardError('bad_request', 'no file in the form field "file": choose a dump to upload'));
      sniff();
      if (settled) return;
      try {
        await file.written;
      } catch {
        return; // refused by the write error handler
      }
      if (settled) return;
      const { format, gzip } = file.sniffed as { format: 'sql' | 'xml'; gzip: boolean };
      const stem = file.filename.replace(/(\.(sql|xml|gz|txt|dump))+$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 80) || 'dump';
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const final = path.join(options.dir, `${stamp}-${crypto.randomBytes(4).toString('hex')}-${stem}.${format}${gzip ? '.gz' : ''}`);
      try {
        fs.renameSync(file.partial, final);
      } catch (error) {
        return refuse(new BrickyardError('internal', `the upload could not be kept in ${options.dir}: ${(error as Error).message}`));
      }
      settled = true;
      resolve({ path: final, filename: file.filename, bytes: file.bytes, fields });
    });
    raw.on('aborted', () => refuse(new BrickyardError('bad_request', 'the upload was interrupted')));
    raw.on('close', () => {
      if (!settled && !raw.complete) refuse(new BrickyardError('bad_request', 'the upload was interrupted'));
    });
    raw.pipe(parser);
  });
}

/** The folder uploads go to: PARTS_UPLOAD_DIR, or `$BRICKYARD_HOME/snapshot-uploads` when that is empty. */
export function snapshotUploadDir(setting: string, brickyardHome: unknown): string {
  return setting.trim() ? path.resolve(setting.trim()) : path.resolve(String(brickyardHome ?? '.brickyard'), 'snapshot-uploads');
}
