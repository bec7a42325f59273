import { BrickyardError, CurrentIdentity, RequireAccess, ZodPipe, type Identity } from '@brickyard/sdk';
import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { PartSocial } from '../social/part-social';
import { PartViews } from '../social/part-views';
import { UserParts } from '../social/user-parts';

const rating = z.strictObject({
  score: z.number('score must be a number').int('score must be a whole number').min(1, 'score must be 1 to 5').max(5, 'score must be 1 to 5'),
});
const popularQuery = z.strictObject({
  size: z.coerce.number('size must be a number').int('size must be a whole number').min(1, 'size must be 1 to 50').max(50, 'size must be 1 to 50').default(8),
});
const userPartsQuery = z.strictObject({
  page: z.coerce.number('page must be a number').int('page must be a whole number').min(1, 'page starts at 1').max(10_000, 'page must be at most 10000').default(1),
  per_page: z.coerce.number('per_page must be a number').int('per_page must be a whole number').min(1, 'per_page must be 1 to 50').max(50, 'per_page must be 1 to 50').default(10),
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
    private readonly userParts: UserParts,
  ) {}

  /** A user's starred parts, newest first (public, as on their profile). */
  @Get('users/:username/stars')
  stars(@Param('username') username: string, @Query(new ZodPipe(userPartsQuery, 'query')) query: z.infer<typeof userPartsQuery>) {
    return this.listFor(username, 'stars', query);
  }

  /** The parts a user watches, newest first (public, as on their profile). */
  @Get('users/:username/watches')
  watches(@Param('username') username: string, @Query(new ZodPipe(userPartsQuery, 'query')) query: z.infer<typeof userPartsQuery>) {
    return this.listFor(username, 'watches', query);
  }

  private async listFor(username: string, kind: 'stars' | 'watches', query: z.infer<typeof userPartsQuery>) {
    const found = await this.userParts.list(username, kind, query.page, query.per_page);
    if (!found) throw new BrickyardError('not_found', `no user named ${username.slice(0, 40)}`);
    return found;
  }

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
