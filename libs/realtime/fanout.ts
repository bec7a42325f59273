import type { Realtime } from '@brickyard/sdk';
import type { Redis } from 'ioredis';

/** Who a fanned-out frame is for. */
export type Audience =
  | { socket: string }
  | { users: string[] }
  | { topic: string }
  | { everyone: true };

export interface FanoutMessage {
  to: Audience;
  /** The frame, already encoded: serialised once, sent as is to every socket. */
  frame: string;
}

export const fanoutChannel = (namespace: string) => `${namespace}:realtime`;

/**
 * The `Realtime` sender: publishes on the cluster's Redis channel; every HTTP
 * worker of every host delivers to its own sockets. Works from any process
 * (HTTP worker, job worker, CLI).
 */
export class RealtimePublisher implements Realtime {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  private async publish(to: Audience, handler: string, data: unknown): Promise<void> {
    const message: FanoutMessage = { to, frame: JSON.stringify({ handler, data }) };
    await this.redis.publish(fanoutChannel(this.namespace), JSON.stringify(message));
  }

  toSocket(socketId: string, handler: string, data: unknown) {
    return this.publish({ socket: socketId }, handler, data);
  }
  toUser(userId: string, handler: string, data: unknown) {
    return this.publish({ users: [userId] }, handler, data);
  }
  toUsers(userIds: string[], handler: string, data: unknown) {
    return this.publish({ users: userIds }, handler, data);
  }
  toTopic(topic: string, handler: string, data: unknown) {
    return this.publish({ topic }, handler, data);
  }
  toEveryone(handler: string, data: unknown) {
    return this.publish({ everyone: true }, handler, data);
  }
}
