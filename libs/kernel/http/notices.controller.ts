import { BrickyardError, CurrentIdentity, RequireAccess, ZodPipe, type Identity } from '@brickyard/sdk';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { ENGINE, type Engine } from '../engine';

const listQuery = z
  .object({
    has_read: z.enum(['true', 'false']).optional(),
    category: z.string().min(1).max(64).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    per_page: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const readAll = z.object({ category: z.string().min(1).max(64).optional() }).strict();

/** The signed-in user's own notices (engine service: plugins send them through their context). */
@Controller('api/notices')
@RequireAccess('user')
export class NoticesController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  @Get()
  async list(@Query(new ZodPipe(listQuery, 'query')) query: z.infer<typeof listQuery>, @CurrentIdentity() who: Identity) {
    const hasRead = query.has_read === undefined ? undefined : query.has_read === 'true';
    const { items, total, unread } = await this.engine.notices.list(who.userId!, { hasRead, category: query.category, page: query.page, perPage: query.per_page });
    return { items, total, unread, page: query.page, per_page: query.per_page };
  }

  @Get('stats')
  async stats(@CurrentIdentity() who: Identity) {
    return this.engine.notices.stats(who.userId!);
  }

  @Post('read-all')
  @HttpCode(200)
  async markAllRead(@Body(new ZodPipe(readAll, 'body', 'send {} or {"category": "…"}')) body: z.infer<typeof readAll> | undefined, @CurrentIdentity() who: Identity) {
    return { marked: await this.engine.notices.markAllRead(who.userId!, body?.category) };
  }

  @Post(':id/read')
  @HttpCode(200)
  async markRead(@Param('id') id: string, @CurrentIdentity() who: Identity) {
    if (!/^[1-9][0-9]{0,17}$/.test(id)) throw new BrickyardError('not_found', `you have no notice ${id}`);
    return this.engine.notices.markRead(who.userId!, Number(id));
  }
}
