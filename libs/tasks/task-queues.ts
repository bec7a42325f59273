import { Queue } from 'bullmq';

/** The BullMQ queues of a cluster, opened on first use and shared by the process. */
export class TaskQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly redisUrl: string,
    /** BullMQ key prefix: the cluster's namespace, so clusters sharing a Redis never mix jobs. */
    readonly prefix: string,
  ) {}

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: { url: this.redisUrl }, prefix: this.prefix });
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
