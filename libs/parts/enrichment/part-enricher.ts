import type { PluginLogger, PluginStore, Realtime } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';
import { fetchOutbound, parseHostList, readText } from '../net/outbound-fetch';
import { parseRegistryPartXmlInSlices } from './registry-part-xml';

export interface EnricherSettings {
  /** URL template; `{name}` becomes the part name. */
  sourceUrl: string;
  maxAgeDays: number;
  concurrency: number;
  timeoutMs: number;
  /** Bytes of an answer read at most (PARTS_EXTRAS_MAX_BYTES). */
  maxBytes: number;
  /** Hosts fetched although private or local, comma-separated (PARTS_SOURCE_ALLOWED_HOSTS; see parseHostList). */
  allowedHosts: string;
}

/** The settings that govern the fetch, named in its refusals. */
const SETTINGS = { allowSetting: 'PARTS_SOURCE_ALLOWED_HOSTS', timeoutSetting: 'PARTS_EXTRAS_TIMEOUT_MS', maxBytesSetting: 'PARTS_EXTRAS_MAX_BYTES' } as const;

/** Redirects followed from the source, each checked like the first request. */
const MAX_REDIRECTS = 3;

export type ExtrasState = 'fresh' | 'stale' | 'missing';

export const partTopic = (name: string) => `parts:${name}`;
export const EXTRAS_FRAME = 'parts.extras';

/**
 * Lazy enrichment of part pages from the Registry's per-part API: when a page is
 * read and its extras are missing or older than `maxAgeDays`, one fetch is
 * started (once per part across the cluster, at most `concurrency` at a time
 * per process). Readers get what is stored at once; watchers of topic
 * `parts:<name>` receive the new extras when they arrive. A failure keeps the
 * stale extras and backs off exponentially (1 min, 2 min, … up to a day).
 * Any anonymous page view can start a fetch, so it goes through fetchOutbound:
 * public hosts only unless PARTS_SOURCE_ALLOWED_HOSTS lists them (redirects
 * re-checked), one deadline, the body capped at PARTS_EXTRAS_MAX_BYTES while it
 * streams; the answer is parsed in one pass, in slices between which the
 * worker serves.
 */
export class PartEnricher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly db: DataSource,
    /** The parts plugin's shared store: one fetch per part across the cluster. */
    private readonly store: PluginStore,
    private readonly realtime: Realtime,
    private readonly logger: PluginLogger,
    private readonly settings: () => EnricherSettings,
  ) {}

  /** Says how fresh a part's extras are, and starts a refresh when they need one (without waiting for it). */
  async refreshIfNeeded(name: string): Promise<ExtrasState> {
    const [row] = await this.db.query(
      `SELECT fetched_at, retry_after, fetched_at > CURRENT_TIMESTAMP(3) - INTERVAL ? DAY AS recent,
              retry_after IS NOT NULL AND retry_after > CURRENT_TIMESTAMP(3) AS backing_off
       FROM part_extras WHERE part_name = ?`,
      [this.settings().maxAgeDays, name],
    );
    const state: ExtrasState = !row?.fetched_at ? 'missing' : Number(row.recent) ? 'fresh' : 'stale';
    if (state !== 'fresh' && !Number(row?.backing_off ?? 0)) void this.refresh(name);
    return state;
  }

  /** Fetches now unless a fetch of this part is already under way here or elsewhere in the cluster. */
  refresh(name: string): Promise<void> {
    let running = this.inFlight.get(name);
    if (!running) {
      running = this.fetchOnce(name).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, running);
    }
    return running;
  }

  private async fetchOnce(name: string): Promise<void> {
    const { timeoutMs } = this.settings();
    // One fetcher per part in the whole cluster: whoever sets the key fetches.
    const claimed = await this.store.set(`enrich:${name}`, String(process.pid), { ttlMs: timeoutMs + 5000, ifAbsent: true });
    if (!claimed) return;
    await this.slot();
    try {
      const settings = this.settings();
      const url = settings.sourceUrl.replace('{name}', encodeURIComponent(name));
      let extras;
      try {
        // Public hosts only unless listed (checked on the address connected to, redirects included),
        // one deadline, and the body cut off at maxBytes while it streams: a part page is enough to start this.
        const response = await fetchOutbound(url, {
          ...SETTINGS,
          allowHosts: parseHostList(settings.allowedHosts),
          timeoutMs: settings.timeoutMs,
          maxBytes: settings.maxBytes,
          maxRedirects: MAX_REDIRECTS,
        });
        if (response.status < 200 || response.status > 299) {
          response.body.resume(); // drained (within the cap and the deadline), so the connection ends cleanly
          throw new Error(`the Registry answered HTTP ${response.status}`);
        }
        // Linear in the answer, and read in slices so the worker keeps serving meanwhile.
        extras = await parseRegistryPartXmlInSlices(await readText(response.body), name);
      } catch (error) {
        // fetchOutbound's refusals name the setting that governs them (hosts, deadline, size).
        const message = (error as Error).message;
        await this.db.query(
          `INSERT INTO part_extras (part_name, failures, last_error, retry_after) VALUES (?, 1, ?, CURRENT_TIMESTAMP(3) + INTERVAL 1 MINUTE)
           ON DUPLICATE KEY UPDATE failures = failures + 1, last_error = VALUES(last_error),
             retry_after = CURRENT_TIMESTAMP(3) + INTERVAL LEAST(1440, POW(2, failures)) MINUTE`,
          [name, message.slice(0, 1000)],
        );
        this.logger.warn({ part: name, url, error: message }, 'part enrichment failed; keeping what was stored');
        return;
      }
      await this.db.query(
        `INSERT INTO part_extras (part_name, extras, fetched_at, failures, last_error, retry_after) VALUES (?, ?, CURRENT_TIMESTAMP(3), 0, NULL, NULL)
         ON DUPLICATE KEY UPDATE extras = VALUES(extras), fetched_at = VALUES(fetched_at), failures = 0, last_error = NULL, retry_after = NULL`,
        [name, JSON.stringify(extras)],
      );
      await this.realtime.toTopic(partTopic(name), EXTRAS_FRAME, { part: name, extras });
    } finally {
      this.release();
      await this.store.delete(`enrich:${name}`).catch(() => {});
    }
  }

  private async slot(): Promise<void> {
    if (this.active < this.settings().concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
