import { CurrentIdentity, type Identity } from '@brickyard/sdk';
import { Controller, Delete, Param, Put, UseInterceptors } from '@nestjs/common';
import { idParam } from './caller';
import { RetryAfterInterceptor } from './retry-after.interceptor';
import { VotesService } from './votes.service';

/** Votes: `PUT|DELETE /api/forum/experiences/:id/vote` (idempotent: the answer is the state). */
@Controller('api/forum/experiences')
@UseInterceptors(RetryAfterInterceptor)
export class VotesController {
  constructor(private readonly votes: VotesService) {}

  @Put(':id/vote')
  vote(@Param('id') id: string, @CurrentIdentity() who: Identity) {
    return this.votes.vote(who, idParam(id, 'experience'));
  }

  @Delete(':id/vote')
  unvote(@Param('id') id: string, @CurrentIdentity() who: Identity) {
    return this.votes.unvote(who, idParam(id, 'experience'));
  }
}
