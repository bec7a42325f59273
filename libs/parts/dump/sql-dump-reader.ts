import type { Readable } from 'node:stream';
import { MalformedRowError, type DumpEvent, type DumpValue } from './dump-row';

/**
 * Streams a mysqldump SQL file (`CREATE TABLE` + extended `INSERT … VALUES
 * (…),(…);`) and yields its rows by column name. Memory is bounded by the
 * largest statement, not the dump. Column names come from the `INSERT`'s column
 * list or else from the table's `CREATE TABLE`, so old and new layouts both map.
 * Binary values (`_binary '…'`, `0x…`, or raw bytes in a quoted string) are
 * kept as bytes; text is decoded as UTF-8 where valid, else Latin-1 (old dumps
 * mix both).
 */
export async function* readSqlDump(input: Readable, tables?: Set<string>): AsyncGenerator<DumpEvent> {
  const columnsOf = new Map<string, string[]>();
  const rowCounts = new Map<string, number>();
  for await (const statement of splitStatements(input)) {
    const head = statement.text.subarray(0, 200).toString('latin1').trimStart();
    if (/^CREATE\s+TABLE/i.test(head)) {
      const parsed = parseCreateTable(statement.text.toString('latin1'));
      if (parsed) columnsOf.set(parsed.table, parsed.columns);
    } else if (/^(INSERT|REPLACE)\s/i.test(head)) {
      yield* parseInsert(statement.text, statement.line, columnsOf, rowCounts, tables);
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
async function* splitStatements(input: Readable): AsyncGenerator<Statement> {
  let parts: Buffer[] = [];
  let state: 'code' | 'quote' | 'dquote' | 'backtick' | 'line-comment' | 'block-comment' = 'code';
  let escaped = false;
  let line = 1;
  let startLine = 1;
  let empty = true;
  let pending = -1; // a '-', '/' or '*' that may start or end a comment, carried across chunks
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let from = 0;
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
              if (last.length > 1) parts.push(last.subarray(0, last.length - 1));
            } else if (i - 1 > from) parts.push(chunk.subarray(from, i - 1));
            from = i + 1;
            continue;
          }
          pending = c === DASH || c === SLASH ? c : -1;
          if (c === HASH) {
            if (i > from) parts.push(chunk.subarray(from, i));
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
            parts.push(chunk.subarray(from, i));
            from = i + 1;
            const text = Buffer.concat(parts);
            parts = [];
            if (!empty) yield { text, line: startLine };
            empty = true;
          }
          break;
        }
        case 'quote':
        case 'dquote':
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === (state === 'quote' ? QUOTE : DQUOTE)) state = 'code';
          break;
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
    if (state !== 'line-comment' && state !== 'block-comment' && from < chunk.length) parts.push(chunk.subarray(from));
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

/** Reads a quoted string starting at `at` (on the quote); returns its bytes and the index after it. */
function readQuoted(text: Buffer, at: number): { bytes: Buffer; end: number } {
  const quote = text[at]!;
  // First find the end, so the common case (no escapes) is a single copy.
  let i = at + 1;
  let escapes = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === BACKSLASH) {
      escapes = true;
      i++;
    } else if (c === quote) {
      if (text[i + 1] === quote) {
        escapes = true;
        i++;
      } else break;
    }
  }
  if (i >= text.length) throw new Error('a quoted value is not closed');
  if (!escapes) return { bytes: Buffer.from(text.subarray(at + 1, i)), end: i + 1 };
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
  return { bytes: Buffer.from(out.subarray(0, n)), end: i + 1 };
}

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Parses one `INSERT` statement's tuples. A malformed tuple is reported and the parser resumes at the next one. */
function* parseInsert(
  text: Buffer,
  line: number,
  columnsOf: Map<string, string[]>,
  rowCounts: Map<string, number>,
  tables: Set<string> | undefined,
): Generator<DumpEvent> {
  const header = /^\s*(?:INSERT|REPLACE)(?:\s+IGNORE)?\s+INTO\s+`?([^`\s(]+)`?\s*(\(([^)]*)\))?\s*VALUES\s*/i.exec(text.subarray(0, 100_000).toString('latin1'));
  if (!header) return;
  const table = header[1]!;
  if (tables && !tables.has(table)) return;
  const columns = header[3] ? header[3].split(',').map((c) => c.trim().replace(/^`|`$/g, '')) : columnsOf.get(table);
  let i = Buffer.byteLength(header[0], 'latin1');
  let lineAt = line + (header[0].trimStart().match(/\n/g)?.length ?? 0); // `line` is where the statement's first word is
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
      try {
        if (c === QUOTE || c === DQUOTE) {
          const { bytes, end } = readQuoted(text, i);
          values.push(bytes.includes(0) || hasControlBytes(bytes) ? bytes : decodeText(bytes));
          i = end;
        } else if (text.subarray(i, i + 7).toString('latin1').toLowerCase() === '_binary') {
          i += 7;
          while (isSpace(text[i])) i++;
          const { bytes, end } = readQuoted(text, i);
          values.push(bytes);
          i = end;
        } else {
          let end = i;
          while (end < text.length && text[end] !== 0x2c && text[end] !== 0x29 && !isSpace(text[end])) end++;
          const word = text.subarray(i, end).toString('latin1');
          if (/^null$/i.test(word)) values.push(null);
          else if (/^0x[0-9a-f]*$/i.test(word)) values.push(Buffer.from(word.slice(2), 'hex'));
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
    for (let k = 0; k < columns.length; k++) record[columns[k]!] = values[k]!;
    yield { kind: 'row', row: { table, values: record, position } };
  }
}

/** Control bytes other than tab/newline/CR mark binary data (e.g. sequence_sha1). */
function hasControlBytes(bytes: Buffer): boolean {
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return true;
  return false;
}
