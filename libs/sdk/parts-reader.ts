/** A part of the live iGEM snapshot, as the engine's read-only reader gives it. */
export interface SnapshotPart {
  partId: number;
  name: string;
  shortDesc: string;
  type: string;
  status: string;
  sampleStatus: string;
  works: string;
  author: string;
  uses: number;
  sequenceLength: number;
  createdAt: Date | null;
  /** Only when asked for (`{ sequence: true }`). */
  sequence?: string;
}

/** Read-only access to the live parts snapshot, for every plugin (docs/plugins.md, "the parts reader"). */
export interface PartsReader {
  /** One part by its Registry name (`BBa_B0015`), or undefined. */
  find(name: string, options?: { sequence?: boolean }): Promise<SnapshotPart | undefined>;
  /** Several parts by name, in the order found; unknown names are left out. At most 1,000 names. */
  findMany(names: string[], options?: { sequence?: boolean }): Promise<SnapshotPart[]>;
  /** How many parts the live snapshot holds (0 before the first import). */
  count(): Promise<number>;
}
