import { CurrentIdentity, RequireAccess, ZodPipe, type Identity } from '@brickyard/sdk';
import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { PartSocial } from '../social/part-social';
import { PartViews } from '../social/part-views';

const rating = z.strictObject({
  score: z.number('score must be a number').int('score must be a whole number').min(1, 'score must be 1 to 5').max(5, 'score must be 1 to 5'),
});
const popularQuery = z.strictObject({
  size: z.coerce.number('size must be a number').int('size must be a whole number').min(1, 'size must be 1 to 50').max(50, 'size must be 1 to 50').default(8),
});

/**
 * Part social (README, "Parts"): ratings, stars and watches of signed-in users,
 * and popular parts. The app lists this controller before PartsController, so
 * the static `popular` is never taken for a part's name.
 */
@Controller('api/parts')
export class PartSocialController {
  constructor(
    private readonly social: PartSocial,
    private readonly views: PartViews,
  ) {}

  @Get('popular')
  popular(@Query(new ZodPipe(popularQuery, 'query')) query: z.infer<typeof popularQuery>) {
    return this.views.popular(query.size);
  }

  @Put(':name/rating')
  @RequireAccess('user')
  rate(@Param('name') name: string, @Body(new ZodPipe(rating, 'body', 'send {"score": 1 to 5}')) body: z.infer<typeof rating>, @CurrentIdentity() who: Identity) {
    return this.social.rate(who, name, body.score);
  }

  @Delete(':name/rating')
  @RequireAccess('user')
  unrate(@Param('name') name: string, @CurrentIdentity() who: Identity) {
    return this.social.unrate(who, name);
  }

  @Put(':name/star')
  @RequireAccess('user')
  star(@Param('name') name: string, @CurrentIdentity() who: Identity) {
    return this.social.star(who, name, true);
  }

  @Delete(':name/star')
  @RequireAccess('user')
  unstar(@Param('name') name: string, @CurrentIdentity() who: Identity) {
    return this.social.star(who, name, false);
  }

  @Put(':name/watch')
  @RequireAccess('user')
  watch(@Param('name') name: string, @CurrentIdentity() who: Identity) {
    return this.social.watch(who, name, true);
  }

  @Delete(':name/watch')
  @RequireAccess('user')
  unwatch(@Param('name') name: string, @CurrentIdentity() who: Identity) {
    return this.social.watch(who, name, false);
  }
}
