import Busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { BrickyardError } from './errors';
import type { RequestLike } from './context';

/** One uploaded file, read whole into memory (uploads are small: avatars, attachments, structures). */
export interface Upload {
  /** The file name the browser sent, without any folder, at most 255 characters. */
  filename: string;
  /** The type read from the file's first bytes (never the one the client claims): see `sniffType`. */
  type: UploadType;
  bytes: Buffer;
  /** The form's other (text) fields. */
  fields: Record<string, string>;
}

export type UploadType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf' | 'text/plain';

export interface UploadOptions {
  /** The form field holding the file (default `file`). */
  field?: string;
  /** Largest accepted file, in bytes: larger is a 413. */
  maxBytes: number;
  /** Accepted types, by content: others are a 415-like 400 naming what is accepted. */
  types: readonly UploadType[];
}

/**
 * The file type from the content: PNG, JPEG, GIF and WebP by their signatures,
 * PDF by `%PDF-`, and text (UTF-8 without NUL bytes or other control
 * characters than tab, CR, LF and form feed). Undefined for anything else.
 */
export function sniffType(bytes: Buffer): UploadType | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (bytes.subarray(0, 6).toString('latin1') === 'GIF87a' || bytes.subarray(0, 6).toString('latin1') === 'GIF89a') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length > 0 && isText(bytes)) return 'text/plain';
  return undefined;
}

function isText(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
    if (byte === 0x7f) return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * How much of a refused body is still read (and discarded). A client that sent
 * a file too large goes on sending it: reading the rest lets it finish and read
 * the answer on a connection that stays usable, but a body announced as 500 MB
 * would keep the server reading for minutes, so past this the connection is cut.
 */
export const DRAIN_LIMIT = 32 * 1024 * 1024;

/** Discards what is left of the request's body; past `limit` bytes, closes its connection. */
export function drainAtMost(raw: IncomingMessage, limit: number): void {
  let discarded = 0;
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) raw.socket?.destroy();
  });
  raw.resume();
}

/**
 * Reads one file from a `multipart/form-data` request (the platform leaves such
 * bodies unread for this). Refuses, with a message a person can act on: another
 * content type, no file in `field`, more than one file, a file over `maxBytes`
 * (413, reading stops there), and a type not in `types` judged by content.
 * Whatever the client still sends after that is discarded, up to DRAIN_LIMIT.
 */
export function readUpload(request: RequestLike, options: UploadOptions): Promise<Upload> {
  const raw = ('raw' in request ? request.raw : request) as IncomingMessage;
  const field = options.field ?? 'file';
  const contentType = String(raw.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    return Promise.reject(new BrickyardError('bad_request', `send the file as multipart/form-data in the field "${field}" (got ${contentType || 'no content type'})`));
  }
  return new Promise<Upload>((resolve, reject) => {
    let parser: Busboy.Busboy;
    try {
      // busboy signals `limit` when a file *reaches* fileSize; one byte more lets a file of exactly maxBytes through.
      parser = Busboy({ headers: raw.headers, limits: { files: 1, fileSize: options.maxBytes + 1, fields: 20, fieldSize: 64 * 1024, parts: 24 } });
    } catch (error) {
      drainAtMost(raw, DRAIN_LIMIT);
      return reject(new BrickyardError('bad_request', `the multipart body cannot be read: ${(error as Error).message}`));
    }
    const fields: Record<string, string> = {};
    let file: { filename: string; chunks: Buffer[] } | undefined;
    let failure: BrickyardError | undefined;
    let done = false;
    const fail = (error: BrickyardError) => {
      failure ??= error;
    };
    const finish = () => {
      if (done) return;
      done = true;
      raw.unpipe(parser);
      drainAtMost(raw, DRAIN_LIMIT);
      if (failure) return reject(failure);
      if (!file) return reject(new BrickyardError('bad_request', `no file in the form field "${field}"`));
      const bytes = Buffer.concat(file.chunks);
      const type = sniffType(bytes);
      if (!type || !options.types.includes(type)) {
        return reject(new BrickyardError('bad_request', `this file is ${type ? `of type ${type}` : 'of a type not accepted'}: accepted are ${options.types.join(', ')} (judged by content)`));
      }
      resolve({ filename: file.filename, type, bytes, fields });
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== field || file) {
        fail(new BrickyardError('bad_request', name !== field ? `files go in the form field "${field}", not "${name}"` : 'send one file at a time'));
        stream.resume();
        return;
      }
      const current = { filename: (info.filename ?? 'upload').split(/[\\/]/).pop()!.slice(0, 255) || 'upload', chunks: [] as Buffer[] };
      file = current;
      stream.on('data', (chunk: Buffer) => current.chunks.push(chunk));
      stream.on('limit', () => {
        fail(new BrickyardError('payload_too_large', `the file is larger than ${options.maxBytes} bytes, the limit`));
        finish();
      });
    });
    parser.on('filesLimit', () => fail(new BrickyardError('bad_request', 'send one file at a time')));
    parser.on('error', (error: Error) => {
      fail(new BrickyardError('bad_request', `the multipart body cannot be read: ${error.message}`));
      finish();
    });
    parser.on('close', finish);
    raw.on('aborted', () => {
      fail(new BrickyardError('bad_request', 'the upload was interrupted'));
      finish();
    });
    raw.pipe(parser);
  });
}
