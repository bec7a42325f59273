import type { Readable } from 'node:stream';
import { DEFAULT_DUMP_LIMITS, DumpLimitError } from './dump-limits';
import { MalformedRowError, type DumpEvent, type DumpValue } from './dump-row';

/**
 * Streams a mysqldump SQL file (`CREATE TABLE` + extended `INSERT … VALUES
 * (…),(…);`) and yields its rows by column name. Memory is bounded by the
 * largest statement, not the dump. Column names come from the `INSERT`'s column
 * list or else from the table's `CREATE TABLE`, so old and new layouts both map.
 * Binary values (`_binary '…'`, `0x…`, or raw bytes in a quoted string) are
 * kept as bytes; text is decoded as UTF-8 where valid, else Latin-1 (old dumps
 * mix both).
 *
 * With `columns`, only those columns' values are decoded and returned (the
 * others are still checked for syntax, then dropped): a row's `values` then
 * holds just the asked columns that the dump has.
 *
 * A statement longer than `maxStatementBytes` (no `;` within them, e.g. an
 * unclosed quote) is an error (DumpLimitError): it is never held whole.
 */
export async function* readSqlDump(
  input: Readable,
  tables?: Set<string>,
  columns?: ReadonlySet<string>,
  limits: { maxStatementBytes?: number } = {},
): AsyncGenerator<DumpEvent> {
  const columnsOf = new Map<string, string[]>();
  const rowCounts = new Map<string, number>();
  for await (const statement of splitStatements(input, limits.maxStatementBytes ?? DEFAULT_DUMP_LIMITS.maxStatementBytes)) {
    const head = statement.text.subarray(0, 200).toString('latin1').trimStart();
    if (/^CREATE\s+TABLE/i.test(head)) {
      const parsed = parseCreateTable(statement.text.toString('latin1'));
      if (parsed) columnsOf.set(parsed.table, parsed.columns);
    } else if (/^(INSERT|REPLACE)\s/i.test(head)) {
      yield* parseInsert(statement.text, statement.line, columnsOf, rowCounts, tables, columns);
    }
  }
}

interface Statement {
  text: Buffer;
  line: number;
}

const QUOTE = 0x27, DQUOTE = 0x22, BACKTICK = 0x60, BACKSLASH = 0x5c, SEMICOLON = 0x3b;
const NEWLINE = 0x0a, DASH = 0x2d, SLASH = 0x2f, STAR = 0x2a, HASH = 0x23, SPACE = 0x20;

/** Splits the byte stream into statements at `;` outside quotes and comments; comments are dropped. */
async function* splitStatements(input: Readable, maxBytes: number): AsyncGenerator<Statement> {
  let parts: Buffer[] = [];
  let held = 0; // bytes in `parts`
  const tooLong = () =>
    new DumpLimitError('maxStatementBytes', `the SQL statement starting at line ${startLine} is longer than ${maxBytes} bytes (no ";" ends it)`);
  let state: 'code' | 'quote' | 'dquote' | 'backtick' | 'line-comment' | 'block-comment' = 'code';
  let escaped = false;
  let line = 1;
  let startLine = 1;
  let empty = true;
  let pending = -1; // a '-', '/' or '*' that may start or end a comment, carried across chunks
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let from = 0;
    // Next backslash and newline at or after a position of this chunk (chunk.length: none), for skipping through quoted text.
    let nextBackslash = -1;
    let nextNewline = -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === NEWLINE) line++;
      switch (state) {
        case 'code': {
          if ((pending === DASH && c === DASH) || (pending === SLASH && c === STAR)) {
            state = c === DASH ? 'line-comment' : 'block-comment';
            pending = -1;
            // Drop the comment's first character, which may sit at the end of the previous chunk.
            if (i === 0) {
              const last = parts.pop()!;
              held -= 1;
              if (last.length > 1) parts.push(last.subarray(0, last.length - 1));
            } else if (i - 1 > from) {
              parts.push(chunk.subarray(from, i - 1));
              held += i - 1 - from;
            }
            from = i + 1;
            continue;
          }
          pending = c === DASH || c === SLASH ? c : -1;
          if (c === HASH) {
            if (i > from) {
              parts.push(chunk.subarray(from, i));
              held += i - from;
            }
            state = 'line-comment';
            continue;
          }
          if (empty && c > SPACE) {
            empty = false;
            startLine = line;
          }
          if (c === QUOTE) state = 'quote';
          else if (c === DQUOTE) state = 'dquote';
          else if (c === BACKTICK) state = 'backtick';
          else if (c === SEMICOLON) {
            if (held + i - from > maxBytes) throw tooLong();
            parts.push(chunk.subarray(from, i));
            from = i + 1;
            const text = Buffer.concat(parts);
            parts = [];
            held = 0;
            if (!empty) yield { text, line: startLine };
            empty = true;
          }
          break;
        }
        case 'quote':
        case 'dquote': {
          if (escaped) {
            escaped = false;
            break;
          }
          const quote = state === 'quote' ? QUOTE : DQUOTE;
          if (c === BACKSLASH) escaped = true;
          else if (c === quote) state = 'code';
          else {
            // Skip to the next quote or backslash of this chunk, counting the newlines skipped.
            let stop = chunk.indexOf(quote, i + 1);
            if (stop < 0) stop = chunk.length;
            if (nextBackslash <= i) {
              nextBackslash = chunk.indexOf(BACKSLASH, i + 1);
              if (nextBackslash < 0) nextBackslash = chunk.length;
            }
            if (nextBackslash < stop) stop = nextBackslash;
            if (nextNewline <= i) {
              nextNewline = chunk.indexOf(NEWLINE, i + 1);
              if (nextNewline < 0) nextNewline = chunk.length;
            }
            while (nextNewline < stop) {
              line++;
              nextNewline = chunk.indexOf(NEWLINE, nextNewline + 1);
              if (nextNewline < 0) nextNewline = chunk.length;
            }
            i = stop - 1; // the loop goes on at the quote or backslash
          }
          break;
        }
        case 'backtick':
          if (c === BACKTICK) state = 'code';
          break;
        case 'line-comment':
          if (c === NEWLINE) {
            state = 'code';
            from = i;
          } else from = i + 1;
          break;
        case 'block-comment':
          if (pending === STAR && c === SLASH) {
            state = 'code';
            pending = -1;
            from = i + 1;
          } else {
            pending = c === STAR ? c : -1;
            from = i + 1;
          }
          break;
      }
    }
    if (state !== 'line-comment' && state !== 'block-comment' && from < chunk.length) {
      parts.push(chunk.subarray(from));
      held += chunk.length - from;
    }
    if (held > maxBytes) throw tooLong();
  }
  const rest = Buffer.concat(parts);
  if (rest.toString('latin1').trim()) yield { text: rest, line: startLine };
}

function parseCreateTable(text: string): { table: string; columns: string[] } | undefined {
  const header = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([^`\s(]+)`?\s*\(/i.exec(text);
  if (!header) return undefined;
  const columns: string[] = [];
  for (const line of text.slice(header[0].length).split('\n')) {
    const column = /^\s*`([^`]+)`\s+[a-z]/i.exec(line);
    if (column) columns.push(column[1]!);
  }
  return { table: header[1]!, columns };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

const ESCAPES: Record<number, number> = { 0x30: 0, 0x62: 8, 0x6e: 10, 0x72: 13, 0x74: 9, 0x5a: 26 }; // \0 \b \n \r \t \Z

/** Next backslash at or after a position of one statement (text.length: none); positions only move forward. */
interface BackslashCursor {
  at: number;
}

/** Finds the closing quote of the quoted value at `at`, and whether the value has escapes (backslashes or doubled quotes). */
function quotedEnd(text: Buffer, at: number, cursor: BackslashCursor): { close: number; escapes: boolean } {
  const quote = text[at]!;
  let i = at + 1;
  let escapes = false;
  for (;;) {
    const close = text.indexOf(quote, i);
    if (close < 0) throw new Error('a quoted value is not closed');
    if (cursor.at < i) {
      const next = text.indexOf(BACKSLASH, i);
      cursor.at = next < 0 ? text.length : next;
    }
    if (cursor.at < close) {
      escapes = true;
      i = cursor.at + 2; // the escaped byte, whatever it is, is part of the value
      if (i > text.length) throw new Error('a quoted value is not closed');
      continue;
    }
    if (text[close + 1] === quote) {
      escapes = true;
      i = close + 2;
      continue;
    }
    return { close, escapes };
  }
}

/** Reads a quoted string starting at `at` (on the quote); returns its bytes and the index after it. */
function readQuoted(text: Buffer, at: number, cursor: BackslashCursor): { bytes: Buffer; end: number } {
  const quote = text[at]!;
  const { close: i, escapes } = quotedEnd(text, at, cursor);
  if (!escapes) return { bytes: text.subarray(at + 1, i), end: i + 1 };
  const out = Buffer.allocUnsafe(i - at);
  let n = 0;
  for (let j = at + 1; j < i; j++) {
    const c = text[j]!;
    if (c === BACKSLASH) {
      const next = text[++j]!;
      out[n++] = ESCAPES[next] ?? next; // \' \" \\ \% \_ and unknown escapes stand for the character itself
    } else if (c === quote) {
      out[n++] = quote; // a doubled quote
      j++;
    } else out[n++] = c;
  }
  return { bytes: out.subarray(0, n), end: i + 1 };
}

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Parses one `INSERT` statement's tuples. A malformed tuple is reported and the parser resumes at the next one. */
function* parseInsert(
  text: Buffer,
  line: number,
  columnsOf: Map<string, string[]>,
  rowCounts: Map<string, number>,
  tables: Set<string> | undefined,
  wanted: ReadonlySet<string> | undefined,
): Generator<DumpEvent> {
  const header = /^\s*(?:INSERT|REPLACE)(?:\s+IGNORE)?\s+INTO\s+`?([^`\s(]+)`?\s*(\(([^)]*)\))?\s*VALUES\s*/i.exec(text.subarray(0, 100_000).toString('latin1'));
  if (!header) return;
  const table = header[1]!;
  if (tables && !tables.has(table)) return;
  const columns = header[3] ? header[3].split(',').map((c) => c.trim().replace(/^`|`$/g, '')) : columnsOf.get(table);
  let i = Buffer.byteLength(header[0], 'latin1');
  let lineAt = line + (header[0].trimStart().match(/\n/g)?.length ?? 0); // `line` is where the statement's first word is
  // Which values to decode (by position); the others are only checked for syntax.
  const keep = columns?.map((c) => !wanted || wanted.has(c));
  const cursor: BackslashCursor = { at: -1 };
  const nextRow = () => {
    const count = (rowCounts.get(table) ?? 0) + 1;
    rowCounts.set(table, count);
    return count;
  };
  while (i < text.length) {
    while (isSpace(text[i]) || text[i] === 0x2c) {
      if (text[i] === NEWLINE) lineAt++;
      i++;
    }
    if (i >= text.length) break;
    const row = nextRow();
    const position = { line: lineAt, row };
    if (text[i] !== 0x28) {
      yield { kind: 'malformed', error: new MalformedRowError(table, position, `expected "(" to open a row, found ${JSON.stringify(String.fromCharCode(text[i]!))}`) };
      return; // the rest of this statement cannot be trusted
    }
    i++;
    const values: DumpValue[] = [];
    let problem: string | undefined;
    for (;;) {
      while (isSpace(text[i])) i++;
      const c = text[i];
      if (c === undefined) {
        problem = 'the row is not closed';
        break;
      }
      const decode = !keep || keep[values.length] !== false;
      try {
        if (c === QUOTE || c === DQUOTE) {
          if (decode) {
            const { bytes, end } = readQuoted(text, i, cursor);
            values.push(hasControlBytes(bytes) ? Buffer.from(bytes) : decodeText(bytes));
            i = end;
          } else {
            i = quotedEnd(text, i, cursor).close + 1;
            values.push(null);
          }
        } else if (c === 0x5f && text.subarray(i, i + 7).toString('latin1').toLowerCase() === '_binary') {
          i += 7;
          while (isSpace(text[i])) i++;
          const { bytes, end } = readQuoted(text, i, cursor);
          values.push(decode ? Buffer.from(bytes) : null);
          i = end;
        } else {
          let end = i;
          while (end < text.length && text[end] !== 0x2c && text[end] !== 0x29 && !isSpace(text[end])) end++;
          const word = text.subarray(i, end).toString('latin1');
          if (/^null$/i.test(word)) values.push(null);
          else if (/^0x[0-9a-f]*$/i.test(word)) values.push(decode ? Buffer.from(word.slice(2), 'hex') : null);
          else if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(word)) values.push(word);
          else {
            problem = `unexpected ${JSON.stringify(word.slice(0, 40))} where a value should be`;
            break;
          }
          i = end;
        }
      } catch (error) {
        problem = (error as Error).message;
        break;
      }
      while (isSpace(text[i])) i++;
      if (text[i] === 0x2c) {
        i++;
        continue;
      }
      if (text[i] === 0x29) {
        i++;
        break;
      }
      problem = `expected "," or ")" after value ${values.length}`;
      break;
    }
    if (problem) {
      yield { kind: 'malformed', error: new MalformedRowError(table, position, problem) };
      // Resume at the next "),(" boundary, if any.
      const resume = text.indexOf('),(', i);
      if (resume < 0) return;
      i = resume + 2;
      continue;
    }
    if (!columns) {
      yield { kind: 'malformed', error: new MalformedRowError(table, position, `no column names for table ${table}: the dump has neither its CREATE TABLE nor a column list`) };
      continue;
    }
    if (values.length !== columns.length) {
      yield { kind: 'malformed', error: new MalformedRowError(table, position, `${values.length} values for ${columns.length} columns`) };
      continue;
    }
    const record: Record<string, DumpValue> = {};
    for (let k = 0; k < columns.length; k++) if (!keep || keep[k]) record[columns[k]!] = values[k]!;
    yield { kind: 'row', row: { table, values: record, position } };
  }
}

/** Control bytes other than tab/newline/CR mark binary data (e.g. sequence_sha1). */
function hasControlBytes(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return true;
  }
  return false;
}
