import type { Realtime, Recipients } from '@brickyard/sdk';
import type { Redis } from 'ioredis';

/** Who a fanned-out frame is for. */
export type Audience =
  | { socket: string }
  | { users: string[] }
  | { topic: string }
  | { everyone: true }
  | { recipients: Recipients };

export interface FanoutMessage {
  to: Audience;
  /** The frame, already encoded: serialised once, sent as is to every socket. */
  frame: string;
}

export const fanoutChannel = (namespace: string) => `${namespace}:realtime`;

/** The Redis PUBLISH that sends `handler`/`data` to `to`: for senders that must publish inside their own Redis command (a Lua script). */
export function fanoutPublication(namespace: string, to: Audience, handler: string, data: unknown): { channel: string; message: string } {
  const message: FanoutMessage = { to, frame: JSON.stringify({ handler, data }) };
  return { channel: fanoutChannel(namespace), message: JSON.stringify(message) };
}

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
    const { channel, message } = fanoutPublication(this.namespace, to, handler, data);
    await this.redis.publish(channel, message);
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
  toRecipients(recipients: Recipients, handler: string, data: unknown) {
    return this.publish({ recipients }, handler, data);
  }
}
