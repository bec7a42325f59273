/**
 * What a dump may hold and a download may cost. A dump comes from anywhere an
 * admin points an import at (a URL, a file someone sent), so every way it can
 * make the reader work or hold memory out of proportion is capped, and each
 * refusal names the limit and the setting that raises it (the parts plugin's
 * `PARTS_IMPORT_*`).
 */
export interface DumpLimits {
  /** Bytes a URL download may send (as sent, before decompression). */
  maxDownloadBytes: number;
  /** Time a whole URL download may take, its body included. */
  downloadTimeoutMs: number;
  /** Bytes a `.gz` dump may decompress to. */
  maxDecompressedBytes: number;
  /** Largest ratio of decompressed to compressed bytes of a `.gz` dump (checked once GZIP_RATIO_FLOOR_BYTES are out). */
  maxGzipRatio: number;
  /** Longest SQL statement (up to its `;`), or XML row. */
  maxStatementBytes: number;
  /** Longest XML tag or field value (characters of XML text). */
  maxFieldBytes: number;
  /** Hosts (`host` or `host:port`) a dump URL may name although they are private or local. */
  allowHosts: readonly string[];
}

/** The setting behind each limit, for messages. */
export const DUMP_LIMIT_SETTINGS: Record<keyof DumpLimits, string> = {
  maxDownloadBytes: 'PARTS_IMPORT_MAX_DOWNLOAD_BYTES',
  downloadTimeoutMs: 'PARTS_IMPORT_DOWNLOAD_TIMEOUT_MS',
  maxDecompressedBytes: 'PARTS_IMPORT_MAX_DECOMPRESSED_BYTES',
  maxGzipRatio: 'PARTS_IMPORT_MAX_GZIP_RATIO',
  maxStatementBytes: 'PARTS_IMPORT_MAX_STATEMENT_BYTES',
  maxFieldBytes: 'PARTS_IMPORT_MAX_FIELD_BYTES',
  allowHosts: 'PARTS_IMPORT_ALLOWED_HOSTS',
};

const MiB = 1 << 20;
const GiB = 1 << 30;

/**
 * Generous for a real Registry dump (about 1M parts: a few GiB of SQL, statements of a
 * few MiB, sequences up to a few hundred KB) and the same as the settings' defaults.
 */
export const DEFAULT_DUMP_LIMITS: DumpLimits = {
  maxDownloadBytes: 8 * GiB,
  downloadTimeoutMs: 4 * 3_600_000,
  maxDecompressedBytes: 32 * GiB,
  maxGzipRatio: 100,
  maxStatementBytes: 32 * MiB,
  maxFieldBytes: 8 * MiB,
  allowHosts: [],
};

/** The gzip ratio is judged only past this many decompressed bytes (a dump's first bytes may compress very well). */
export const GZIP_RATIO_FLOOR_BYTES = MiB;

/** A dump or download over one of the limits; the message names the limit and its setting. */
export class DumpLimitError extends Error {
  constructor(
    readonly limit: keyof DumpLimits,
    what: string,
  ) {
    super(`${what} (${DUMP_LIMIT_SETTINGS[limit]})`);
  }
}

/** The limits given, the defaults for the others; allowed hosts as fetchOutbound compares them (lower case, IPv6 without brackets). */
export function dumpLimits(limits: Partial<DumpLimits> = {}): DumpLimits {
  const merged = { ...DEFAULT_DUMP_LIMITS };
  for (const [key, value] of Object.entries(limits) as [keyof DumpLimits, never][]) if (value !== undefined) merged[key] = value;
  merged.allowHosts = merged.allowHosts
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .map((entry) => entry.replace(/^\[([^\]]*)\](:\d+)?$/, (_all, address: string, port = '') => address + port));
  return merged;
}
