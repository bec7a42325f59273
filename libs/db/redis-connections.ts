import { Redis } from 'ioredis';

type Listener = (message: string) => void;

interface Warner {
  warn(fields: object, message: string): void;
}

/**
 * A process's Redis: one connection for commands and publishing, and one
 * subscriber connection shared by everyone who listens (the control bus,
 * realtime fan-out, task cancels), multiplexed by channel. BullMQ's queues share the commands
 * connection; only its blocking workers open connections of their own.
 */
export class RedisConnections {
  readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    readonly url: string,
    logger: Warner,
  ) {
    const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true };
    this.commands = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const client of [this.commands, this.subscriber]) client.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.listeners.get(channel) ?? []) listener(message);
    });
  }

  async connect(): Promise<void> {
    await Promise.all([this.commands.connect(), this.subscriber.connect()]);
  }

  /** Calls `listener` with every message on `channel`; returns a function that stops it. */
  async subscribe(channel: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.listeners.get(channel);
    if (!set) {
      this.listeners.set(channel, (set = new Set()));
      await this.subscriber.subscribe(channel);
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size || this.listeners.get(channel) !== set) return;
      this.listeners.delete(channel);
      await this.subscriber.unsubscribe(channel).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
    await this.commands.quit().catch(() => this.commands.disconnect());
  }
}
