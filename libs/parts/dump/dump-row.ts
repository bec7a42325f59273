/** A value as a dump stores it: text, raw bytes (binary columns), or NULL. Numbers stay text. */
export type DumpValue = string | Buffer | null;

/** One row of a dump table, by column name, with where it was found. */
export interface DumpRow {
  table: string;
  values: Record<string, DumpValue>;
  position: DumpPosition;
}

/** Where a row is in the dump, for messages a person can act on. */
export interface DumpPosition {
  /** 1-based line of the statement or element that holds the row. */
  line: number;
  /** 1-based index of the row within its table. */
  row: number;
}

export const describePosition = (p: DumpPosition, table: string) => `${table} row ${p.row} (line ${p.line})`;

/** A row the reader could not read; the import skips it or aborts, as asked. */
export class MalformedRowError extends Error {
  constructor(
    readonly table: string,
    readonly position: DumpPosition,
    readonly reason: string,
  ) {
    super(`malformed ${describePosition(position, table)}: ${reason}`);
  }
}

export type DumpEvent = { kind: 'row'; row: DumpRow } | { kind: 'malformed'; error: MalformedRowError };
