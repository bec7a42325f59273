import type { Readable } from 'node:stream';
import { DEFAULT_DUMP_LIMITS, DumpLimitError } from './dump-limits';
import { MalformedRowError, type DumpEvent, type DumpValue } from './dump-row';

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return match ? unescapeXml(match[1] ?? match[2] ?? '') : undefined;
}

/**
 * Streams a mysqldump XML file (`<table_data name><row><field name>…`) and
 * yields its rows by column name, in constant memory. Control characters that
 * XML forbids (the raw bytes of `sequence_sha1` in real dumps) are dropped and
 * invalid UTF-8 becomes U+FFFD, so such a dump parses; `sequence_sha1` is then
 * unusable, and the importer recomputes it.
 *
 * Memory and work stay bounded whatever the input: a tag, comment or CDATA
 * section that does not end is held up to `maxFieldBytes` and searched once (the
 * search resumes where it stopped when more arrives), a field value is held up
 * to `maxFieldBytes` and a row up to `maxStatementBytes`; past them, a
 * DumpLimitError.
 */
export async function* readXmlDump(
  input: Readable,
  tables?: Set<string>,
  limits: { maxFieldBytes?: number; maxStatementBytes?: number } = {},
): AsyncGenerator<DumpEvent> {
  const maxField = limits.maxFieldBytes ?? DEFAULT_DUMP_LIMITS.maxFieldBytes;
  const maxRow = limits.maxStatementBytes ?? DEFAULT_DUMP_LIMITS.maxStatementBytes;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let buffer = '';
  let line = 1;
  let table: string | undefined;
  let row: Record<string, DumpValue> | undefined;
  let rowLine = 0;
  let rowProblem: string | undefined;
  let rowSize = 0;
  let field: { name: string; text: string } | undefined;
  /**
   * A tag, comment or CDATA section that has not ended yet: its text so far, in pieces (never
   * searched again), and the last characters, where its terminator may begin.
   */
  let pending: { pieces: string[]; held: number; tail: string; terminator: string; what: string; line: number } | undefined;
  /** Where in `buffer` to look for the end of the construct it starts with (it was pending up to there). */
  let resumeAt = 0;
  const rowCounts = new Map<string, number>();

  const fieldTooLong = () =>
    new DumpLimitError('maxFieldBytes', `field ${JSON.stringify(field!.name.slice(0, 64))} of the row at line ${rowLine} is longer than ${maxField} characters`);
  const rowTooLong = () => new DumpLimitError('maxStatementBytes', `the XML row at line ${rowLine} is longer than ${maxRow} characters`);
  const constructTooLong = (what: string, at: number, terminator: string) =>
    new DumpLimitError('maxFieldBytes', `${what} starting at line ${at} is longer than ${maxField} characters (no "${terminator}" ends it)`);
  const addText = (text: string) => {
    if (!field || !text) return;
    field.text += text;
    if (field.text.length > maxField) throw fieldTooLong();
  };

  /** Takes decoded text while a construct is pending; true when it ends in it (then `buffer` holds the construct). */
  const admit = (text: string): boolean => {
    const p = pending!;
    const probe = p.tail + text;
    if (probe.indexOf(p.terminator) < 0) {
      p.pieces.push(text);
      p.held += text.length;
      if (p.held > maxField) throw constructTooLong(p.what, p.line, p.terminator);
      p.tail = probe.slice(probe.length - (p.terminator.length - 1));
      return false;
    }
    buffer = p.pieces.join('');
    resumeAt = buffer.length - p.tail.length;
    pending = undefined;
    return true;
  };

  const flush = function* (final: boolean): Generator<DumpEvent> {
    let at = 0;
    for (;;) {
      const open = buffer.indexOf('<', at);
      if (open < 0) {
        if (field) addText(buffer.slice(at));
        line += countNewlines(buffer, at, buffer.length);
        at = buffer.length;
        break;
      }
      if (field && open > at) addText(buffer.slice(at, open));
      // Comments and CDATA end differently from tags. A construct cut short by the end of the
      // buffer may not be told apart yet: it is looked at again, whole, with more.
      const kind = buffer.startsWith('<!--', open) ? 'comment' : buffer.startsWith('<![CDATA[', open) ? 'cdata' : 'tag';
      const terminator = kind === 'comment' ? '-->' : kind === 'cdata' ? ']]>' : '>';
      const minimum = open + (kind === 'comment' ? 4 : kind === 'cdata' ? 9 : 1);
      const end = buffer.indexOf(terminator, Math.max(minimum, open === 0 ? resumeAt : 0));
      resumeAt = 0;
      if (end < 0) {
        const held = buffer.length - open;
        const what = kind === 'comment' ? 'an XML comment' : kind === 'cdata' ? 'a CDATA section' : 'an XML tag';
        const startLine = line + countNewlines(buffer, at, open);
        if (held > maxField) throw constructTooLong(what, startLine, terminator);
        line = startLine;
        if (held >= 9) {
          // Its kind is known: keep it aside, and look only at what arrives.
          const text = buffer.slice(open);
          pending = { pieces: [text], held, tail: text.slice(text.length - (terminator.length - 1)), terminator, what, line: startLine };
          at = buffer.length;
        } else at = open;
        break;
      }
      const close = end + terminator.length - 1;
      line += countNewlines(buffer, at, close + 1);
      at = close + 1;
      if (kind === 'comment') continue;
      if (kind === 'cdata') {
        addText(buffer.slice(open + 9, end).replace(/&/g, '&amp;').replace(/</g, '&lt;'));
        continue;
      }
      const tag = buffer.slice(open, close + 1);
      if (tag.startsWith('<table_data')) table = attribute(tag, 'name');
      else if (tag.startsWith('</table_data')) table = undefined;
      else if (table && (!tables || tables.has(table))) {
        if (tag === '<row>' || tag.startsWith('<row ')) {
          row = {};
          rowLine = line;
          rowProblem = undefined;
          rowSize = 0;
        } else if (tag.startsWith('</row')) {
          if (row) {
            const count = (rowCounts.get(table) ?? 0) + 1;
            rowCounts.set(table, count);
            const position = { line: rowLine, row: count };
            if (rowProblem) yield { kind: 'malformed', error: new MalformedRowError(table, position, rowProblem) };
            else yield { kind: 'row', row: { table, values: row, position } };
          }
          row = undefined;
        } else if (tag.startsWith('<field') && row) {
          const name = attribute(tag, 'name');
          rowSize += tag.length;
          if (rowSize > maxRow) throw rowTooLong();
          if (!name) rowProblem ??= 'a <field> has no name attribute';
          else if (tag.endsWith('/>')) row[name] = /xsi:nil\s*=\s*["']true["']/.test(tag) ? null : '';
          else field = { name, text: '' };
        } else if (tag.startsWith('</field') && field && row) {
          rowSize += field.text.length;
          if (rowSize > maxRow) throw rowTooLong();
          row[field.name] = unescapeXml(field.text);
          field = undefined;
        }
      }
    }
    buffer = buffer.slice(at);
    if (final && row && table) {
      const count = (rowCounts.get(table) ?? 0) + 1;
      yield { kind: 'malformed', error: new MalformedRowError(table, { line: rowLine, row: count }, 'the dump ends inside this row') };
    }
  };

  // eslint-disable-next-line no-control-regex
  const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
  for await (const chunk of input as AsyncIterable<Buffer>) {
    const text = clean(decoder.decode(chunk, { stream: true }));
    if (pending && !admit(text)) continue;
    buffer += text;
    yield* flush(false);
  }
  const rest = clean(decoder.decode());
  if (!pending || admit(rest)) buffer += rest;
  yield* flush(true);
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
