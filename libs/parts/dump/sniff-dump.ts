import * as zlib from 'node:zlib';
import type { DumpFormat } from './open-dump';

/** How many first bytes (decompressed, for a .gz) the sniff reads. */
export const SNIFF_BYTES = 64 * 1024;

/** How many first bytes are judged as text or not (the first line must be text; values further on may be binary). */
const TEXT_START_BYTES = 1024;

export type SniffResult = { format: DumpFormat; gzip: boolean } | { refused: string };

/**
 * What a dump's first bytes say it is, judged by content, never by its name:
 * gzip by its magic number (then the start of what it decompresses to), an SQL
 * dump by a comment or a statement at its start (mysqldump begins with
 * `-- MySQL dump`, others with `/*!…*\/`, `SET`, `CREATE TABLE`…), an XML dump by
 * a declaration or an element. The first line must be text. Anything else is refused with
 * a sentence saying what was found and what is read, so that a wrong file (a
 * spreadsheet, an image, a zip archive) is refused before an import starts.
 *
 * `head` is the file's first bytes (up to SNIFF_BYTES, fewer for a small file).
 */
export function sniffDump(head: Buffer): SniffResult {
  if (!head.length) return { refused: 'the file is empty' };
  let gzip = false;
  let text = head;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    gzip = true;
    try {
      // The head is a cut-off gzip stream: a sync flush gives what it decompresses to so far.
      text = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, SNIFF_BYTES);
    } catch (error) {
      return { refused: `the file starts as gzip but cannot be decompressed (${(error as Error).message})` };
    }
    if (!text.length) return { refused: 'the gzip file decompresses to nothing' };
  } else if (head[0] === 0x50 && head[1] === 0x4b) {
    return { refused: 'the file is a zip archive: unzip it and upload the .sql or .xml dump (gzip-compressed if you like)' };
  }
  const leading = text.subarray(0, TEXT_START_BYTES);
  const start = leading.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  const firstLine = start.split(/\r?\n/)[0]!;
  // Only the first line must be text: an SQL dump's values may hold raw bytes from its first INSERT on (mysqldump writes `_binary '…'` unescaped).
  if (isText(Buffer.from(firstLine, 'latin1'))) {
    if (/^(--|\/\*|#|(CREATE|INSERT|DROP|SET|LOCK|USE|BEGIN|START|ALTER|REPLACE)\b)/i.test(start)) return { format: 'sql', gzip };
    if (/^<(\?xml|!--|[A-Za-z_])/.test(start)) return { format: 'xml', gzip };
  }
  if (!isText(leading)) return { refused: `the file${gzip ? ' decompresses to something that' : ''} is not text: a dump is SQL or XML text, optionally gzip-compressed` };
  return { refused: `the file is text but neither an SQL dump nor an XML dump (it starts with “${firstLine.slice(0, 40)}”)` };
}

/** Text: no NUL or other control bytes than tab, CR, LF and form feed (UTF-8 and Latin-1 dumps both pass). */
function isText(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) || byte === 0x7f) return false;
  }
  return true;
}
