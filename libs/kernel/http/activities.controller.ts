import { ZodPipe } from '@brickyard/sdk';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import { ENGINE, type Engine } from '../engine';

const listQuery = z
  .object({
    user: z.string().min(1).max(64).optional(),
    type: z.string().regex(/^[a-z0-9-]{1,32}(,[a-z0-9-]{1,32}){0,9}$/, 'type is a comma-separated list of activity types (experience,comment,vote,rating,watch)').optional(),
    part: z.string().min(1).max(255).optional(),
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

/** What users did, newest first, public (Biohub's activities): by user, type and part; `before` pages back. */
@Controller('api/activities')
export class ActivitiesController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  @Get()
  async list(@Query(new ZodPipe(listQuery, 'query')) query: z.infer<typeof listQuery>) {
    const items = await this.engine.activities.list({ username: query.user, types: query.type?.split(','), partName: query.part, before: query.before, limit: query.limit });
    return { items, next: items.length === query.limit ? `/api/activities?${next(query, items[items.length - 1].id)}` : null };
  }
}

function next(query: z.infer<typeof listQuery>, before: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, before })) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}
