import type { Redis } from 'ioredis';

/** Kept about as long as a connection can live without a restart; deleted when it closes. */
const TTL_SECONDS = 7 * 24 * 3600;

/**
 * Who each open websocket belongs to, cluster-wide (Redis): a task submitted
 * over HTTP may name a socket to receive its frames only if that socket is the
 * caller's own, whichever worker or host holds it.
 */
export class SocketOwners {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  private key(socketId: string): string {
    return `${this.namespace}:socket:${socketId}`;
  }

  async register(socketId: string, owner: string): Promise<void> {
    await this.redis.set(this.key(socketId), owner, 'EX', TTL_SECONDS);
  }

  async forget(socketId: string): Promise<void> {
    await this.redis.del(this.key(socketId));
  }

  async ownerOf(socketId: string): Promise<string | null> {
    return this.redis.get(this.key(socketId));
  }
}
