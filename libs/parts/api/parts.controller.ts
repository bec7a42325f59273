import { BrickyardError, CurrentIdentity, InjectPluginContext, maskSecrets, RequireAccess, ZodPipe, type Identity, type PluginContext, type RequestLike } from '@brickyard/sdk';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { demoDumpPath } from '../dump/demo-dump';
import { PartEnricher } from '../enrichment/part-enricher';
import { receiveDumpUpload, snapshotUploadDir } from './dump-upload';
import { servableExtras } from '../enrichment/registry-part-xml';
import { toFasta, toGenbank } from './exporters';
import { PartsQueryError, QUERY_PARAMETERS, type PartsQueryInput } from './parts-query';
import { PartsRepository } from './parts.repository';
import { PartSocial } from '../social/part-social';
import { PartViews } from '../social/part-views';

const QUERY_KEYS = Object.keys(QUERY_PARAMETERS) as (keyof typeof QUERY_PARAMETERS)[];

/**
 * The shape of a search's query string: known parameters, one value each, of a
 * bounded length; what the values mean is read by buildPartsQuery, which says
 * precisely what is wrong with one it cannot use.
 */
const searchQuery = z.strictObject(
  Object.fromEntries(QUERY_KEYS.map((key) => [key, z.string(`${key} must be given once`).max(key === 'sequence' ? 10_000 : 2_000, `${key} is too long`).optional()])),
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown query parameter(s) ${issue.keys.join(', ')}: use ${QUERY_KEYS.join(', ')}` : undefined) },
);

const suggestQuery = z.strictObject({
  q: z.string('q must be given once').max(200, 'q is at most 200 characters').default(''),
  size: z.coerce.number('size must be a number').int('size must be a whole number').min(1, 'size is 1 to 20').max(20, 'size is 1 to 20').default(8),
});

function links(query: PartsQueryInput, page: number, perPage: number, total: number) {
  const last = Math.max(1, Math.ceil(total / perPage));
  const href = (n: number) => {
    const params = new URLSearchParams();
    for (const key of QUERY_KEYS) if (query[key] !== undefined && key !== 'page') params.set(key, String(query[key]));
    params.set('page', String(n));
    return `/api/parts?${params}`;
  };
  return { self: href(page), first: href(1), last: href(last), ...(page > 1 ? { prev: href(page - 1) } : {}), ...(page < last ? { next: href(page + 1) } : {}) };
}

/** The parts API (README, "Parts"; issue "Parts"): list and search, detail, exports. */
@Controller('api/parts')
export class PartsController {
  constructor(
    private readonly parts: PartsRepository,
    private readonly enricher: PartEnricher,
    private readonly social: PartSocial,
    private readonly views: PartViews,
  ) {}

  @Get()
  async search(@Query(new ZodPipe(searchQuery, 'query')) query: PartsQueryInput) {
    try {
      const { items, total, page, perPage } = await this.parts.search(query);
      return { items, page, per_page: perPage, total, links: links(query, page, perPage, total) };
    } catch (error) {
      if (error instanceof PartsQueryError) throw new BrickyardError('invalid_params', error.message);
      throw error;
    }
  }

  /** Suggestions for the search box as the user types: names (with or without BBa_), types, common words. */
  @Get('suggest')
  suggest(@Query(new ZodPipe(suggestQuery, 'query', 'e.g. ?q=BBa_K11&size=8')) query: z.infer<typeof suggestQuery>) {
    return this.parts.suggest(query.q, query.size);
  }

  @Get(':name')
  async detail(@Param('name') name: string, @CurrentIdentity() who: Identity) {
    const part = await this.parts.find(name);
    if (!part) throw new BrickyardError('not_found', `no part named ${name} in the live snapshot`);
    const [features, subparts, usedIn, twins, ranking, extrasState, me] = await Promise.all([
      this.parts.features(part.part_id),
      this.parts.subparts(part.part_id),
      this.parts.usedIn(part.part_id),
      this.parts.twins(part.seq_sha1, part.part_name),
      this.parts.weightComponents(part.part_id),
      this.enricher.refreshIfNeeded(part.part_name),
      who.userId ? this.social.mine(part.part_name, who.userId) : undefined,
      this.views.count(part.part_name, who),
    ]);
    const compatibility = JSON.parse(part.compatibility) as Record<string, unknown[]>;
    const { weight, extras, extras_fetched_at, compatibility: _c, seq_sha1: _s, specified_u_list: _u, deep_u_list: _d, ...fields } = part;
    return {
      ...fields,
      categories: String(part.categories || '').split(/\s+/).filter(Boolean),
      features,
      subparts: {
        specified: subparts.filter((s) => s.kind === 'specified').map(({ kind: _k, ...s }) => s),
        deep: subparts.filter((s) => s.kind === 'deep').map(({ kind: _k, ...s }) => s),
      },
      used_in: usedIn,
      twins,
      compatibility: Object.fromEntries(Object.entries(compatibility).map(([standard, sites]) => [standard, { compatible: sites.length === 0, sites }])),
      weight: { value: weight, strategy: ranking?.strategy ?? null, ranked_at: ranking?.ranked_at ?? null, components: ranking?.components ?? null },
      // As stored, but its `url` only if http(s): rows written before URLs were checked may hold `javascript:…`.
      extras: servableExtras(extras),
      extras_fetched_at,
      // 'stale' or 'missing': a refresh has started; watch topic parts:<name> for frame parts.extras.
      extras_state: extrasState,
      // stars, watches, rates (and rate_sum, experiences) come with the fields; what the signed-in caller did:
      ...(me ? { me } : {}),
    };
  }

  @Get(':name/export')
  async export(@Param('name') name: string, @Query('format') format: string | undefined, @Res({ passthrough: true }) reply: { header(k: string, v: string): void }) {
    if (format !== 'fasta' && format !== 'genbank') throw new BrickyardError('invalid_params', 'format must be fasta or genbank');
    const part = await this.parts.find(name);
    if (!part) throw new BrickyardError('not_found', `no part named ${name} in the live snapshot`);
    const features = await this.parts.features(part.part_id);
    const exportable = { ...part, features } as Parameters<typeof toFasta>[0];
    reply.header('content-type', format === 'fasta' ? 'text/x-fasta; charset=utf-8' : 'text/x-genbank; charset=utf-8');
    // The file is named after the stored part, never the URL: a name from the request could carry quotes or control characters.
    const file = `${String(part.part_name).replace(/[^\w.-]/g, '_')}.${format === 'fasta' ? 'fasta' : 'gb'}`;
    reply.header('content-disposition', `attachment; filename="${file}"`);
    return format === 'fasta' ? toFasta(exportable) : toGenbank(exportable);
  }
}

const importRequest = z
  .object({
    source: z.string().min(1).max(2000),
    abortOnMalformed: z.boolean().default(false),
    /** This tab's websocket (its welcome frame): every frame of the task reaches it, even a short task's first. */
    socketId: z.string().max(200).optional(),
  })
  .strict();

const rankRequest = z.object({ socketId: z.string().max(200).optional() }).strict();

const CHANGES = ['added', 'removed', 'changed'] as const;
const diffQuery = z.strictObject({
  change: z.enum(CHANGES, 'change must be added, removed or changed'),
  page: z.coerce.number('page must be a number').int('page must be a whole number').min(1, 'page starts at 1').max(100_000).default(1),
  per_page: z.coerce.number('per_page must be a number').int('per_page must be a whole number').min(1).max(200, 'per_page is at most 200').default(50),
});

/** Where an import's source came from, for the console's history: an upload, the demo, a URL or a path on the server. */
function originOf(source: string, uploadDir: string): 'upload' | 'demo' | 'url' | 'file' {
  if (source === demoDumpPath) return 'demo';
  if (/^https?:\/\//i.test(source)) return 'url';
  return path.dirname(source) === uploadDir ? 'upload' : 'file';
}

/** Snapshot administration (admins): imports and rankings run as tasks, with progress, owned by the admin. */
@Controller('api/admin/parts')
@RequireAccess('admin')
export class AdminPartsController {
  constructor(@InjectPluginContext() private readonly plugin: PluginContext) {}

  private get uploadDir(): string {
    return snapshotUploadDir(String(this.plugin.settings.get('PARTS_UPLOAD_DIR' as never) ?? ''), this.plugin.platformSetting('BRICKYARD_HOME'));
  }

  @Post('import')
  @HttpCode(202)
  import(
    @Body(new ZodPipe(importRequest, 'body', 'send {"source": "<dump file path or http(s) URL, or demo>", "abortOnMalformed"?: boolean}')) body: z.infer<typeof importRequest>,
    @CurrentIdentity() who: Identity,
  ) {
    const { socketId, ...params } = body;
    return this.plugin.tasks.submit('core.parts-import', params, { identity: who, socketId });
  }

  /**
   * A dump uploaded as multipart/form-data (field `file`; optional fields
   * `abortOnMalformed` = true|false and `socketId`), streamed to PARTS_UPLOAD_DIR
   * and sniffed (receiveDumpUpload): a file that is not a dump is refused with
   * 400, one over PARTS_UPLOAD_MAX_BYTES with 413, before any import starts.
   * Then the same import task as POST import, which deletes the file once the
   * import has succeeded and keeps it after a failure (the data is not lost:
   * the history names the file, which can be imported again by its path).
   */
  @Post('import/upload')
  @HttpCode(202)
  async upload(@Req() request: RequestLike, @CurrentIdentity() who: Identity) {
    const dump = await receiveDumpUpload(request, {
      dir: this.uploadDir,
      maxBytes: Number(this.plugin.settings.get('PARTS_UPLOAD_MAX_BYTES' as never)),
      maxBytesSetting: 'PARTS_UPLOAD_MAX_BYTES',
    });
    const flag = (dump.fields.abortOnMalformed ?? 'false').toLowerCase();
    if (flag !== 'true' && flag !== 'false') {
      fs.rmSync(dump.path, { force: true });
      throw new BrickyardError('invalid_params', 'abortOnMalformed must be true or false');
    }
    try {
      const task = await this.plugin.tasks.submit(
        'core.parts-import',
        { source: dump.path, abortOnMalformed: flag === 'true', upload: { filename: dump.filename, bytes: dump.bytes } },
        { identity: who, socketId: dump.fields.socketId || undefined },
      );
      return { ...task, upload: { filename: dump.filename, bytes: dump.bytes } };
    } catch (error) {
      // No import started (e.g. too many tasks): the person still has the file, so none is kept here.
      fs.rmSync(dump.path, { force: true });
      throw error;
    }
  }

  @Post('rank')
  @HttpCode(202)
  rank(@Body(new ZodPipe(rankRequest.optional(), 'body', 'send nothing, or {"socketId": "<this tab\'s websocket>"}')) body: z.infer<typeof rankRequest> | undefined, @CurrentIdentity() who: Identity) {
    return this.plugin.tasks.submit('core.rank', {}, { identity: who, socketId: body?.socketId });
  }

  /** The last imports; URLs' credentials and query values (in the source, in an error) are masked. */
  @Get('imports')
  async imports() {
    const rows: Record<string, unknown>[] = await this.plugin.database().query('SELECT * FROM snapshot_imports ORDER BY id DESC LIMIT 50');
    const uploadDir = this.uploadDir;
    return rows.map((row) => maskSecrets({ ...row, origin: originOf(String(row.source), uploadDir) }));
  }

  /** The live snapshot at a glance: parts live, the last import that went live, the last ranking. */
  @Get('snapshot')
  async snapshot() {
    const db = this.plugin.database();
    const live = `\`${this.plugin.snapshot().snapshotDatabase.replace(/`/g, '``')}\`.parts_filtered`;
    const [[count], [lastImport], [running], [ranking]] = await Promise.all([
      db.query(`SELECT COUNT(*) AS n FROM ${live}`).catch(() => [{ n: 0 }]),
      db.query("SELECT * FROM snapshot_imports WHERE state = 'succeeded' ORDER BY id DESC LIMIT 1"),
      db.query("SELECT * FROM snapshot_imports WHERE state = 'running' ORDER BY id DESC LIMIT 1"),
      db.query('SELECT strategy, parts, ranked_at FROM ranking_state WHERE id = 1').catch(() => []),
    ]);
    const uploadDir = this.uploadDir;
    const shown = (row: Record<string, unknown> | undefined) => (row ? maskSecrets({ ...row, origin: originOf(String(row.source), uploadDir) }) : null);
    return {
      parts_live: Number(count?.n ?? 0),
      last_import: shown(lastImport),
      running_import: shown(running),
      ranking: ranking ? { strategy: ranking.strategy, parts: Number(ranking.parts), ranked_at: ranking.ranked_at } : null,
    };
  }

  /** The part names an import added, removed or changed (snapshot_changes), a page at a time, by name. */
  @Get('imports/:id/diff')
  async diff(@Param('id') id: string, @Query(new ZodPipe(diffQuery, 'query', 'e.g. ?change=added&page=1')) query: z.infer<typeof diffQuery>) {
    if (!/^\d{1,10}$/.test(id)) throw new BrickyardError('invalid_params', `import id must be a number, not ${JSON.stringify(id.slice(0, 40))}`);
    const db = this.plugin.database();
    const [row] = await db.query('SELECT id, state, added, removed, changed FROM snapshot_imports WHERE id = ?', [Number(id)]);
    if (!row) throw new BrickyardError('not_found', `no import ${id}: GET /api/admin/parts/imports lists them`);
    const [{ n }] = await db.query('SELECT COUNT(*) AS n FROM snapshot_changes WHERE import_id = ? AND `change` = ?', [row.id, query.change]);
    const names: { part_name: string }[] = await db.query(
      'SELECT part_name FROM snapshot_changes WHERE import_id = ? AND `change` = ? ORDER BY part_name LIMIT ? OFFSET ?',
      [row.id, query.change, query.per_page, (query.page - 1) * query.per_page],
    );
    return {
      import_id: row.id,
      state: row.state,
      change: query.change,
      counts: { added: row.added, removed: row.removed, changed: row.changed },
      page: query.page,
      per_page: query.per_page,
      total: Number(n),
      names: names.map((r) => r.part_name),
    };
  }
}
