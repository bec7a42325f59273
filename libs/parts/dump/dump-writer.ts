import type { Writable } from 'node:stream';
import { DUMP_TABLES, type DumpTable } from './dump-schema';
import type { DumpValue } from './dump-row';

export type DumpFormat = 'sql' | 'xml';

function sqlValue(value: DumpValue | number | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (Buffer.isBuffer(value)) return `_binary '${BINARY_START}${escapeSqlBytes(value)}${BINARY_END}'`;
  return `'${escapeSqlText(value)}'`;
}

function escapeSqlText(text: string): string {
  return text.replace(/[\0\n\r\x1a'"\\]/g, (c) => ({ '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', "'": "\\'", '"': '\\"', '\\': '\\\\' })[c]!);
}

function escapeSqlBytes(bytes: Buffer): string {
  // mysqldump writes binary bytes as they are, escaping only what would end or break the literal.
  // The result is a Latin-1 string: `write` turns its characters back into the same bytes.
  return escapeSqlText(bytes.toString('latin1'));
}

/** Marks where raw (Latin-1) bytes sit inside an otherwise UTF-8 statement. */
const BINARY_START = '\u0000\u0001BIN[';
const BINARY_END = ']BIN\u0001\u0000';

const escapeXml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * Writes a dump in mysqldump's SQL or XML format: the format real Registry
 * dumps use, so the demo snapshot and the generator's dumps take the same path
 * as a real import. Rows of each table must be written together.
 */
export class DumpWriter {
  private table?: DumpTable;
  private batch: string[] = [];
  private batchBytes = 0;

  constructor(
    private readonly out: Writable,
    readonly format: DumpFormat,
    private readonly database = 'parts_bbdb',
    /** Extended INSERTs are cut near this many bytes, as mysqldump's net_buffer_length does. */
    private readonly statementBytes = 1 << 20,
  ) {}

  private write(text: string): Promise<void> {
    // Text is UTF-8; binary values go out as their raw bytes (as mysqldump writes them), not UTF-8-encoded.
    const data = text.includes(BINARY_START) ? encodeWithBinary(text) : text;
    if (this.out.write(data)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        this.out.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        this.out.off('drain', onDrain);
        reject(error);
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }

  async begin(header = ''): Promise<void> {
    if (this.format === 'sql') {
      await this.write(`-- MySQL dump written by Brickyard\n--\n-- Host: localhost    Database: ${this.database}\n${header}\n/*!40101 SET NAMES utf8mb4 */;\n\n`);
    } else {
      await this.write(`<?xml version="1.0"?>\n<mysqldump xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<database name="${this.database}">\n`);
    }
  }

  async startTable(table: DumpTable): Promise<void> {
    await this.endTable();
    this.table = table;
    const columns = DUMP_TABLES[table];
    if (this.format === 'sql') {
      await this.write(
        `--\n-- Table structure for table \`${table}\`\n--\n\nDROP TABLE IF EXISTS \`${table}\`;\nCREATE TABLE \`${table}\` (\n` +
          columns.map(([name, type]) => `  \`${name}\` ${type}`).join(',\n') +
          `,\n  PRIMARY KEY (\`${columns[0]![0]}\`)\n) ENGINE=MyISAM DEFAULT CHARSET=latin1;\n\nLOCK TABLES \`${table}\` WRITE;\n`,
      );
    } else {
      await this.write(`\t<table_structure name="${table}">\n` + columns.map(([name, type]) => `\t\t<field Field="${name}" Type="${escapeXml(type.split(' ')[0]!)}" />\n`).join('') + `\t</table_structure>\n\t<table_data name="${table}">\n`);
    }
  }

  async row(values: Record<string, DumpValue | number | undefined>): Promise<void> {
    const columns = DUMP_TABLES[this.table!];
    if (this.format === 'sql') {
      const tuple = `(${columns.map(([name]) => sqlValue(values[name])).join(',')})`;
      this.batch.push(tuple);
      this.batchBytes += tuple.length;
      if (this.batchBytes >= this.statementBytes) await this.flush();
    } else {
      let xml = '\t<row>\n';
      for (const [name] of columns) {
        const value = values[name];
        if (value === null || value === undefined) xml += `\t\t<field name="${name}" xsi:nil="true" />\n`;
        else xml += `\t\t<field name="${name}">${escapeXml(Buffer.isBuffer(value) ? value.toString('latin1') : String(value))}</field>\n`;
      }
      await this.write(xml + '\t</row>\n');
    }
  }

  private async flush(): Promise<void> {
    if (!this.batch.length) return;
    const statement = `INSERT INTO \`${this.table}\` VALUES ${this.batch.join(',')};\n`;
    this.batch = [];
    this.batchBytes = 0;
    await this.write(statement);
  }

  private async endTable(): Promise<void> {
    if (!this.table) return;
    if (this.format === 'sql') {
      await this.flush();
      await this.write('UNLOCK TABLES;\n\n');
    } else {
      await this.write('\t</table_data>\n');
    }
    this.table = undefined;
  }

  async end(): Promise<void> {
    await this.endTable();
    await this.write(this.format === 'sql' ? '-- Dump completed\n' : '</database>\n</mysqldump>\n');
    await new Promise<void>((resolve, reject) => this.out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

function encodeWithBinary(text: string): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (let start = text.indexOf(BINARY_START); start >= 0; start = text.indexOf(BINARY_START, at)) {
    const end = text.indexOf(BINARY_END, start);
    parts.push(Buffer.from(text.slice(at, start), 'utf8'), Buffer.from(text.slice(start + BINARY_START.length, end), 'latin1'));
    at = end + BINARY_END.length;
  }
  parts.push(Buffer.from(text.slice(at), 'utf8'));
  return Buffer.concat(parts);
}
