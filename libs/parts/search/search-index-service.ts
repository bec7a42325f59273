import { BrickyardError, type PluginLogger, type PluginStore } from '@brickyard/sdk';
import type { Queryable } from '../api/parts-search-sql';
import { IndexBuilder } from './index-builder';
import { loadSearchIndex, readWeights, weightArray } from './index-loader';
import type { SearchIndex } from './search-index';

/** Store keys: the number of the last weight change, and each change's part id under its number. */
const SEQ_KEY = 'search-weights-seq';
const changeKey = (seq: number) => `search-weight:${seq}`;
/** A change is kept this long: a worker that lags more reloads every weight instead. */
const CHANGE_TTL_MS = 60_000;
/** Changes read one by one up to this many; past it, every weight is read again (one statement). */
const MAX_CHANGES_READ = 200;
/** Polls a published change may stay missing (its publisher died between the number and the entry) before a full reload. */
const MISSING_POLLS = 8;

export interface SearchIndexOptions {
  /** How often versions and weight changes are polled, in ms. */
  pollMs: () => number;
  /** How long a search waits for an index being built before answering 503, in ms. */
  waitMs: () => number;
}

/** What the live data is, as far as the index cares: the last import that went live, and the last ranking. */
interface Versions {
  imported: string;
  ranked: string;
}

const EMPTY_TABLE_ERRORS = ['ER_NO_SUCH_TABLE', 'ER_BAD_DB_ERROR'];

/**
 * The index of each snapshot in this process, with the service that owns it. When the parts
 * plugin's app is rebuilt (a reload of its own code), the new service starts while the old one
 * still serves: it takes the old one's index over instead of building its own (at 1M parts a
 * build takes about 25 s, during which searches would wait). The entry goes when its owner
 * stops, so a disabled plugin's index is freed with it.
 */
const handover = new Map<string, { owner: SearchIndexService; index: SearchIndex; live: Versions; seq: number; unknownWeights: number }>();

/**
 * Keeps this process's search index in step with the data, on every worker of
 * every host, without any of them talking to the others directly:
 *
 * - Imports: every `pollMs` the worker reads the last succeeded import
 *   (snapshot_imports) and the ranking state. A new import makes the index
 *   stale: a new one is built off the request path (MySQL reads in chunks,
 *   the event loop serving between them) and swapped in whole. Searches
 *   meanwhile wait for it, up to `waitMs`, then answer 503 saying so: they
 *   never count over a snapshot that is no longer live.
 * - Rankings: a new ranking state reloads every weight into a new array, swapped
 *   in whole (the old one serves until then).
 * - Ratings: the rating's worker sets the part's slot at once and publishes the
 *   part id in the shared store (a counter, and the id under the counter's
 *   value). Every worker polls the counter and reads the weights of the parts
 *   that changed from part_weights, so the value applied is the committed one
 *   whatever order the changes arrived in. A lost entry or a reset counter
 *   reloads every weight.
 *
 * Polling (one small MySQL statement and one Redis GET per worker per
 * `pollMs`) rather than pub/sub: a message missed during a reconnect would
 * leave a worker wrong until the next change, while a poll catches up; and an
 * import or a ranking run from the CLI is seen the same way.
 */
export class SearchIndexService {
  private index?: SearchIndex;
  private live?: Versions;
  private building?: Promise<SearchIndex>;
  private timer?: NodeJS.Timeout;
  private polling = false;
  private seq = 0;
  private missingPolls = 0;
  /** Weighted parts not in the index when it was built (weights of parts no longer in the snapshot): more later means the snapshot changed. */
  private unknownWeights = 0;
  private stopped = false;

  constructor(
    private readonly db: Queryable,
    private readonly snapshotDatabase: string,
    private readonly store: PluginStore,
    private readonly logger: PluginLogger,
    private readonly options: SearchIndexOptions,
  ) {}

  /** Builds the first index and starts polling (HTTP workers call it when they start; a search also does). */
  start(): void {
    if (this.timer || this.stopped) return;
    if (!this.index) this.takeOver();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs());
    this.timer.unref();
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    if (handover.get(this.snapshotDatabase)?.owner === this) handover.delete(this.snapshotDatabase);
  }

  /** Starts from the index another service of this snapshot holds (see `handover`); the first poll brings it up to date. */
  private takeOver(): void {
    const held = handover.get(this.snapshotDatabase);
    if (!held || held.owner === this) return;
    [this.index, this.live, this.seq, this.unknownWeights] = [held.index, held.live, held.seq, held.unknownWeights];
    held.owner = this;
    this.logger.info({ parts: held.index.size }, 'search index taken over from the previous generation');
  }

  /** The index of the live snapshot: waits for one being built up to `waitMs`, then refuses with 503. */
  async current(): Promise<SearchIndex> {
    this.start();
    if (this.index && this.live && this.index.data.version === this.live.imported) return this.index;
    const building = this.building ?? this.rebuild();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.options.waitMs())));
    try {
      const index = await Promise.race([building.catch(() => undefined), timeout]);
      if (index) return index;
    } finally {
      clearTimeout(timer);
    }
    throw new BrickyardError('unavailable', 'the search index is being built from the live snapshot; retry in a few seconds');
  }

  /** The index as it is, built or not (suggestions and tests). */
  get ready(): SearchIndex | undefined {
    return this.index;
  }

  /**
   * After a rating re-weighted a part (committed): this worker's slot now, and
   * every other worker's within `pollMs` through the shared store.
   */
  async weightChanged(partId: number, weight: number): Promise<void> {
    const doc = this.index?.docOf(partId) ?? -1;
    if (doc >= 0) this.index!.weights[doc] = weight;
    try {
      const seq = await this.store.increment(SEQ_KEY, 30 * 24 * 3_600_000);
      await this.store.set(changeKey(seq), String(partId), { ttlMs: CHANGE_TTL_MS });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not publish a weight change to the other workers');
    }
  }

  private async versions(): Promise<Versions> {
    const [row] = await this.db.query(
      `SELECT (SELECT CONCAT(MAX(id), ' ', MAX(finished_at)) FROM snapshot_imports WHERE state = 'succeeded') AS imported,
         (SELECT CONCAT(ranked_at, ' ', COALESCE(weights_checksum, '')) FROM ranking_state WHERE id = 1) AS ranked`,
    );
    return { imported: String(row?.imported ?? ''), ranked: String(row?.ranked ?? '') };
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const seen = await this.versions();
      const previous = this.live;
      this.live = seen;
      if (!this.index || this.index.data.version !== seen.imported) {
        if (!this.building) void this.rebuild().catch(() => {});
        return;
      }
      if (previous && previous.ranked !== seen.ranked) await this.reloadWeights();
      await this.applyWeightChanges();
    } catch (error) {
      this.logger.warn({ err: error }, 'the search index could not check for changes');
    } finally {
      this.polling = false;
    }
  }

  private rebuild(): Promise<SearchIndex> {
    const started = performance.now();
    const build = (async () => {
      const versions = await this.versions();
      this.live = versions;
      const seq = Number((await this.store.get(SEQ_KEY).catch(() => null)) ?? 0);
      let index: SearchIndex;
      try {
        index = await loadSearchIndex(this.db, this.snapshotDatabase, versions.imported);
      } catch (error) {
        if (!EMPTY_TABLE_ERRORS.includes((error as { code?: string }).code ?? '')) throw error;
        index = new IndexBuilder().finish(versions.imported, () => new Float64Array(0));
      }
      this.unknownWeights = (index.weights as { unknown?: number }).unknown ?? 0;
      this.seq = seq;
      this.index = index;
      if (!this.stopped) handover.set(this.snapshotDatabase, { owner: this, index, live: versions, seq, unknownWeights: this.unknownWeights });
      this.logger.info({ parts: index.size, words: index.data.terms.size, ms: Math.round(performance.now() - started) }, 'search index built');
      return index;
    })();
    this.building = build;
    build.then(
      () => (this.building = undefined),
      (error) => {
        this.building = undefined;
        this.logger.error({ err: error }, 'the search index could not be built');
      },
    );
    return build;
  }

  /** Every weight read again into a new array, swapped in whole; a snapshot changed under the index is rebuilt. */
  private async reloadWeights(): Promise<void> {
    const index = this.index!;
    const seq = Number((await this.store.get(SEQ_KEY).catch(() => null)) ?? 0);
    const weights = weightArray(index.size, await readWeights(this.db), (partId) => index.docOf(partId));
    if ((weights.unknown ?? 0) > this.unknownWeights) {
      this.logger.info({ unknown: weights.unknown }, 'weights name parts the search index does not have: rebuilding it');
      if (!this.building) void this.rebuild().catch(() => {});
      return;
    }
    index.weights = weights;
    this.seq = Math.max(this.seq, seq);
  }

  /** The ratings published since the last poll: their parts' weights read from part_weights. */
  private async applyWeightChanges(): Promise<void> {
    const published = Number((await this.store.get(SEQ_KEY)) ?? 0);
    if (published === this.seq) return;
    if (published < this.seq || published - this.seq > MAX_CHANGES_READ) {
      this.seq = published;
      return this.reloadWeights();
    }
    const ids: number[] = [];
    let upTo = this.seq;
    for (let seq = this.seq + 1; seq <= published; seq++) {
      const id = await this.store.get(changeKey(seq));
      if (id === null) break;
      ids.push(Number(id));
      upTo = seq;
    }
    if (upTo < published && ++this.missingPolls >= MISSING_POLLS) {
      this.missingPolls = 0;
      this.seq = published;
      return this.reloadWeights();
    }
    if (upTo === published) this.missingPolls = 0;
    if (ids.length) {
      const rows: { part_id: number; weight: number }[] = await this.db.query('SELECT part_id, weight FROM part_weights WHERE part_id IN (?)', [ids]);
      const index = this.index!;
      const weighted = new Map(rows.map((row) => [Number(row.part_id), Number(row.weight)]));
      for (const id of ids) {
        const doc = index.docOf(id);
        if (doc >= 0) index.weights[doc] = weighted.get(id) ?? NaN;
      }
    }
    this.seq = upTo;
  }
}
