import { BrickyardError, CurrentIdentity, InjectPluginContext, maskSecrets, RequireAccess, ZodPipe, type Identity, type PluginContext } from '@brickyard/sdk';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { z } from 'zod';
import { PartEnricher } from '../enrichment/part-enricher';
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
  .object({ source: z.string().min(1).max(2000), abortOnMalformed: z.boolean().default(false) })
  .strict();

/** Snapshot administration (admins): imports and rankings run as tasks, with progress, owned by the admin. */
@Controller('api/admin/parts')
@RequireAccess('admin')
export class AdminPartsController {
  constructor(@InjectPluginContext() private readonly plugin: PluginContext) {}

  @Post('import')
  @HttpCode(202)
  import(
    @Body(new ZodPipe(importRequest, 'body', 'send {"source": "<dump file path or http(s) URL, or demo>", "abortOnMalformed"?: boolean}')) body: z.infer<typeof importRequest>,
    @CurrentIdentity() who: Identity,
  ) {
    return this.plugin.tasks.submit('core.parts-import', body, { identity: who });
  }

  @Post('rank')
  @HttpCode(202)
  rank(@CurrentIdentity() who: Identity) {
    return this.plugin.tasks.submit('core.rank', {}, { identity: who });
  }

  /** The last imports; URLs' credentials and query values (in the source, in an error) are masked. */
  @Get('imports')
  async imports() {
    const rows: Record<string, unknown>[] = await this.plugin.database().query('SELECT * FROM snapshot_imports ORDER BY id DESC LIMIT 50');
    return rows.map((row) => maskSecrets({ ...row }));
  }
}
