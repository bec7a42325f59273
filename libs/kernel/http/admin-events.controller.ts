import { Controller, Get, Inject, Query } from '@nestjs/common';
import { RequireAccess, ZodPipe } from '@brickyard/sdk';
import { z } from 'zod';
import { ENGINE, type Engine } from '../engine';
import { RELOADS_KEPT } from '../reload-history';

const eventsQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(1000).default(1),
    per_page: z.coerce.number().int().min(1).max(100).default(20),
    kind: z.enum(['reload', 'plugin-failure', 'import', 'ranking']).optional(),
  })
  .strict();

const reloadsQuery = z.object({ limit: z.coerce.number().int().min(1).max(RELOADS_KEPT).default(RELOADS_KEPT) }).strict();

/**
 * What happened to the platform, for the operator console: its event record
 * (reloads, plugin failures, imports, ranking runs; new ones are also pushed to
 * admins' sockets on topic `admin:events`) and the last reloads with the
 * processes each waited for.
 */
@Controller('api/admin')
@RequireAccess('admin')
export class AdminEventsController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  /** Platform events, newest first: `?page=1&per_page=20&kind=reload`. */
  @Get('events')
  async events(@Query(new ZodPipe(eventsQuery, 'query', 'page ≥ 1, per_page 1 to 100, kind one of reload, plugin-failure, import, ranking')) query: z.infer<typeof eventsQuery>) {
    const { items, total } = await this.engine.events.list({ page: query.page, perPage: query.per_page, kind: query.kind });
    return { items, total, page: query.page, per_page: query.per_page };
  }

  /** The last reloads (newest first), each with every process it waited for: when each converged, or why not. */
  @Get('reloads')
  async reloads(@Query(new ZodPipe(reloadsQuery, 'query', `limit 1 to ${RELOADS_KEPT}`)) query: z.infer<typeof reloadsQuery>) {
    return { reloads: await this.engine.bus.reloads.list(query.limit) };
  }
}
