import type { Readable } from 'node:stream';
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
 */
export async function* readXmlDump(input: Readable, tables?: Set<string>): AsyncGenerator<DumpEvent> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let buffer = '';
  let line = 1;
  let table: string | undefined;
  let row: Record<string, DumpValue> | undefined;
  let rowLine = 0;
  let rowProblem: string | undefined;
  let field: { name: string; text: string } | undefined;
  const rowCounts = new Map<string, number>();

  const flush = function* (final: boolean): Generator<DumpEvent> {
    let at = 0;
    for (;;) {
      const open = buffer.indexOf('<', at);
      if (open < 0) {
        if (field) field.text += buffer.slice(at);
        at = buffer.length;
        break;
      }
      if (field && open > at) field.text += buffer.slice(at, open);
      // Comments and CDATA end differently from tags.
      let close: number;
      if (buffer.startsWith('<!--', open)) close = buffer.indexOf('-->', open) + 2;
      else if (buffer.startsWith('<![CDATA[', open)) {
        const end = buffer.indexOf(']]>', open);
        if (end < 0) {
          at = open;
          break;
        }
        if (field) field.text += buffer.slice(open + 9, end).replace(/&/g, '&amp;').replace(/</g, '&lt;');
        line += countNewlines(buffer, at, end + 3);
        at = end + 3;
        continue;
      } else close = buffer.indexOf('>', open);
      if (close < open) {
        at = open; // the tag continues in the next chunk
        break;
      }
      line += countNewlines(buffer, at, close + 1);
      const tag = buffer.slice(open, close + 1);
      at = close + 1;
      if (tag.startsWith('<table_data')) table = attribute(tag, 'name');
      else if (tag.startsWith('</table_data')) table = undefined;
      else if (table && (!tables || tables.has(table))) {
        if (tag === '<row>' || tag.startsWith('<row ')) {
          row = {};
          rowLine = line;
          rowProblem = undefined;
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
          if (!name) rowProblem ??= 'a <field> has no name attribute';
          else if (tag.endsWith('/>')) row[name] = /xsi:nil\s*=\s*["']true["']/.test(tag) ? null : '';
          else field = { name, text: '' };
        } else if (tag.startsWith('</field') && field && row) {
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

  for await (const chunk of input as AsyncIterable<Buffer>) {
    // eslint-disable-next-line no-control-regex
    buffer += decoder.decode(chunk, { stream: true }).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
    yield* flush(false);
  }
  buffer += decoder.decode();
  yield* flush(true);
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
