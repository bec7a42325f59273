import { InjectPluginContext, InjectRepository, readUpload, type PluginContext, type RequestLike, type UploadType } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import * as crypto from 'node:crypto';
import type { Repository } from 'typeorm';
import { Avatar } from './avatar.entity';
import type { AccountsSettings } from './settings';

/** Raster images only: an SVG is a document that can carry scripts, so it is never accepted. */
export const AVATAR_TYPES: readonly UploadType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** Characters of the sha256 in `?v=`: enough that two pictures of one user never share it. */
const VERSION_LENGTH = 16;

@Injectable()
export class AvatarsService {
  constructor(
    @InjectRepository(Avatar) private readonly avatars: Repository<Avatar>,
    @InjectPluginContext() private readonly plugin: PluginContext<AccountsSettings>,
  ) {}

  /** Reads the upload from the request (type judged by content, size capped while reading) and makes it the user's avatar. */
  async upload(userId: string, request: RequestLike): Promise<void> {
    const file = await readUpload(request, { maxBytes: this.plugin.settings.get('ACCOUNTS_AVATAR_MAX_BYTES'), types: AVATAR_TYPES });
    const sha256 = crypto.createHash('sha256').update(file.bytes).digest('hex');
    await this.avatars.upsert({ userId, type: file.type, bytes: file.bytes, sha256, updatedAt: new Date() }, ['userId']);
  }

  async remove(userId: string): Promise<void> {
    await this.avatars.delete({ userId });
  }

  /** The version of the user's avatar for its URL, or undefined when they have none (the bytes are not read). */
  async versionOf(userId: string): Promise<string | undefined> {
    const row = await this.avatars.findOne({ where: { userId }, select: { userId: true, sha256: true } });
    return row?.sha256.slice(0, VERSION_LENGTH);
  }

  /** The avatar of the user with this name, bytes included. */
  async findByUsername(username: string): Promise<Avatar | null> {
    return this.avatars
      .createQueryBuilder('a')
      .innerJoin('accounts_users', 'u', 'u.id = a.user_id')
      .where('u.username = :username', { username })
      .getOne();
  }
}
