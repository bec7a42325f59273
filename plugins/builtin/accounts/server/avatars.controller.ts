import { BrickyardError, CurrentIdentity, type Identity } from '@brickyard/sdk';
import { Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AccountsService } from './accounts.service';
import { AvatarsService } from './avatars.service';
import { signedIn } from './signed-in';
import { publicUser } from './user.entity';

type Request = { raw: IncomingMessage };
type Reply = { status(code: number): Reply; header(name: string, value: string): Reply; send(body?: unknown): void };

/** Uploaded pictures: `POST|DELETE /api/users/me/avatar`, `GET /api/users/<username>/avatar`. */
@Controller('api/users')
export class AvatarsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly avatars: AvatarsService,
  ) {}

  /** multipart/form-data with the picture in the field `file`; answers the caller's profile with its new avatar_url. */
  @Post('me/avatar')
  @HttpCode(200)
  async upload(@CurrentIdentity() who: Identity, @Req() request: Request) {
    const userId = signedIn(who); // before a byte of the upload is read
    await this.avatars.upload(userId, request);
    return this.self(userId);
  }

  /** Back to the Gravatar picture. */
  @Delete('me/avatar')
  async remove(@CurrentIdentity() who: Identity) {
    const userId = signedIn(who);
    await this.avatars.remove(userId);
    return this.self(userId);
  }

  /**
   * The picture's bytes with the type read from them when it was uploaded, never
   * guessed by the browser (nosniff). A URL with the current `?v=` never changes
   * and is cached for a year; without it, caches ask again with the ETag.
   */
  @Get(':username/avatar')
  async serve(@Param('username') username: string, @Query('v') version: string | undefined, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: Reply) {
    const avatar = await this.avatars.findByUsername(username);
    if (!avatar) throw new BrickyardError('not_found', `${username} has no uploaded avatar (their profile's avatar_url says where their picture is)`);
    const etag = `"${avatar.sha256}"`;
    reply
      .header('etag', etag)
      .header('cache-control', version && avatar.sha256.startsWith(version) ? 'public, max-age=31536000, immutable' : 'public, no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline');
    if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return reply.status(304).send();
    reply.status(200).header('content-type', avatar.type).send(avatar.bytes);
  }

  private async self(userId: string) {
    const user = await this.accounts.find(userId);
    if (!user) throw new BrickyardError('unauthorized', 'sign in first: POST /api/auth/login');
    return publicUser(user, true, await this.avatars.versionOf(userId));
  }
}
