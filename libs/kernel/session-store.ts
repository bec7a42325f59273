import type { Role } from '@brickyard/sdk';
import type { Redis } from 'ioredis';
import * as crypto from 'node:crypto';

export interface SessionRecord {
  userId: string;
  username?: string;
  role: Role;
  createdAt: number;
}

/**
 * Sessions of signed-in users, in Redis, shared by the cluster. The cookie
 * holds a random token; Redis holds only its hash, so a read of Redis yields
 * no usable cookie. A user's sessions are listed, so all of them can be
 * revoked at once (log out everywhere, a password change).
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly ttlSeconds: () => number,
  ) {}

  private key(token: string): string {
    return `${this.namespace}:session:${crypto.createHash('sha256').update(token).digest('hex')}`;
  }

  private userKey(userId: string): string {
    return `${this.namespace}:user-sessions:${userId}`;
  }

  /** A new session (a new token: never one the client brought, so a planted session id is never adopted). */
  async create(userId: string, role: Role, username?: string): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url');
    const key = this.key(token);
    const ttl = this.ttlSeconds();
    await this.redis
      .multi()
      .set(key, JSON.stringify({ userId, username, role, createdAt: Date.now() } satisfies SessionRecord), 'EX', ttl)
      .sadd(this.userKey(userId), key)
      .expire(this.userKey(userId), ttl)
      .exec();
    return token;
  }

  async find(token: string): Promise<SessionRecord | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const text = await this.redis.get(this.key(token));
    return text ? (JSON.parse(text) as SessionRecord) : undefined;
  }

  async revoke(token: string): Promise<void> {
    const record = await this.find(token);
    await this.redis.del(this.key(token));
    if (record) await this.redis.srem(this.userKey(record.userId), this.key(token));
  }

  /** Ends every session of a user, on every device. */
  async revokeAll(userId: string): Promise<void> {
    const keys = await this.redis.smembers(this.userKey(userId));
    if (keys.length) await this.redis.del(...keys);
    await this.redis.del(this.userKey(userId));
  }
}
