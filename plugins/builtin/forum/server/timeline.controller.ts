import { CurrentIdentity, ZodPipe, type Identity } from '@brickyard/sdk';
import { Controller, Get, Query } from '@nestjs/common';
import type { z } from 'zod';
import { timelineQuery } from './schemas';
import { TimelineService } from './timeline.service';

/** `GET /api/forum/timeline?before=&limit=`: signed-in; `next_before` pages back. */
@Controller('api/forum/timeline')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get()
  read(@Query(new ZodPipe(timelineQuery, 'query')) query: z.infer<typeof timelineQuery>, @CurrentIdentity() who: Identity) {
    return this.timeline.timeline(who, { before: query.before, limit: query.limit });
  }
}
