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

/** One link of the snapshot's specified subparts: `part` is a subpart of `of` (subpartsOf), or a part that uses `of` (usersOf). */
export interface PartLink {
  /** The part id asked about. */
  of: number;
  part: SnapshotPart;
}

/** Read-only access to the live parts snapshot, for every plugin (docs/plugins.md, "the parts reader"). */
export interface PartsReader {
  /** One part by its Registry name (`BBa_B0015`), or undefined. */
  find(name: string, options?: { sequence?: boolean }): Promise<SnapshotPart | undefined>;
  /** Several parts by name, in the order found; unknown names are left out. At most 1,000 names. */
  findMany(names: string[], options?: { sequence?: boolean }): Promise<SnapshotPart[]>;
  /** How many parts the live snapshot holds (0 before the first import). */
  count(): Promise<number>;
  /**
   * The specified subparts of each of `partIds` (at most 1,000 ids), each part's
   * in their order in it, each subpart once per part.
   */
  subpartsOf(partIds: number[]): Promise<PartLink[]>;
  /**
   * The parts that use each of `partIds` as a specified subpart (at most 1,000
   * ids): at most `perPart` of each (by name), and one more when there are more,
   * so a caller can tell a capped list from a full one.
   */
  usersOf(partIds: number[], perPart: number): Promise<PartLink[]>;
}
