import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * The BullMQ queues of a cluster, opened on first use and shared by the process.
 * They use the process's commands connection (BullMQ leaves a connection it was
 * given open when a queue closes); only the job worker's blocking reads need
 * connections of their own.
 */
export class TaskQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly redis: Redis,
    /** BullMQ key prefix: the cluster's namespace, so clusters sharing a Redis never mix jobs. */
    readonly prefix: string,
  ) {}

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
