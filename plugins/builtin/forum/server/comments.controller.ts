import { CurrentIdentity, ZodPipe, type Identity } from '@brickyard/sdk';
import { Body, Controller, Delete, Get, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import type { z } from 'zod';
import { idParam } from './caller';
import { CommentsService } from './comments.service';
import { RetryAfterInterceptor } from './retry-after.interceptor';
import { commentChange, commentInput, pageQuery } from './schemas';

/** Comments: `/api/forum/experiences/:id/comments` and `/api/forum/comments/:id`. */
@Controller('api/forum')
@UseInterceptors(RetryAfterInterceptor)
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  /** A page of threads, flat in thread order, each comment with parent_id and depth. */
  @Get('experiences/:id/comments')
  list(@Param('id') id: string, @Query(new ZodPipe(pageQuery, 'query')) query: z.infer<typeof pageQuery>) {
    return this.comments.list(idParam(id, 'experience'), query.page, query.per_page);
  }

  @Post('experiences/:id/comments')
  create(@Param('id') id: string, @Body(new ZodPipe(commentInput)) body: z.infer<typeof commentInput>, @CurrentIdentity() who: Identity) {
    return this.comments.create(who, idParam(id, 'experience'), body);
  }

  @Patch('comments/:id')
  update(@Param('id') id: string, @Body(new ZodPipe(commentChange)) body: z.infer<typeof commentChange>, @CurrentIdentity() who: Identity) {
    return this.comments.update(who, idParam(id, 'comment'), body.text);
  }

  /** Deletes the comment and its replies. */
  @Delete('comments/:id')
  remove(@Param('id') id: string, @CurrentIdentity() who: Identity) {
    return this.comments.remove(who, idParam(id, 'comment'));
  }
}
