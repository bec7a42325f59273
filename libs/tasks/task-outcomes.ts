import type { TaskView } from '@brickyard/sdk';
import type { Redis } from 'ioredis';

/**
 * How long a claim is kept. The row normally holds the outcome milliseconds after the claim;
 * the claim must outlive that, and also a writer that died in between: the task's job is then
 * picked up again when its lock expires (TASKS_LOCK_MS, 30 s by default) and the claimed outcome
 * written (TaskRunner). Claims are not deleted after the write: a claim that stays settles a
 * late second end (a cancel arriving as the task ends) without reading MySQL. Ten minutes of
 * claims at 100 tasks/s is about 36 MB of Redis.
 */
export const OUTCOME_CLAIM_TTL_MS = 600_000;

/** KEYS[1] the claim; ARGV: the outcome, its TTL (ms), the channel and the message to publish when claimed. */
const CLAIM_AND_PUBLISH = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  redis.call('PUBLISH', ARGV[3], ARGV[4])
  return 1
end
return 0`;

/** KEYS[1] the claim; ARGV: the channel and the message to publish while the task has no claimed end. */
const PUBLISH_UNLESS_ENDED = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('PUBLISH', ARGV[1], ARGV[2])
  return 1
end
return 0`;

/**
 * A task's end, decided in Redis before MySQL has it. Whoever ends a task (its job worker, a
 * cancel, a failure) claims the outcome with SET NX, and the same script publishes its frame: the
 * first claim wins, so a cancel racing the task's own end is settled in one Redis round trip. The
 * row is written after (TaskService.end); reads of a task whose row is not final yet consult the
 * claim (TaskService.get), so a client that has seen the frame never reads an older state.
 */
export class TaskOutcomes {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  private key(id: string): string {
    return `${this.namespace}:tasks:outcome:${id}`;
  }

  /**
   * True when `final` is now the task's outcome, and `announce` (the PUBLISH of its frame) has been
   * sent by the same script; false, and nothing sent, when another end claimed it first.
   */
  async claim(final: TaskView, announce: { channel: string; message: string }): Promise<boolean> {
    const value = JSON.stringify(final);
    return (await this.redis.eval(CLAIM_AND_PUBLISH, 1, this.key(final.id), value, OUTCOME_CLAIM_TTL_MS, announce.channel, announce.message)) === 1;
  }

  /**
   * Publishes a frame of a task still under way (running, progress) unless its end has been claimed.
   * Redis runs this and the claims one at a time, so the frame either goes out before the end is
   * claimed (and so before the end's frame, which follows the claim) or not at all.
   */
  async publishUnlessEnded(id: string, announce: { channel: string; message: string }): Promise<boolean> {
    return (await this.redis.eval(PUBLISH_UNLESS_ENDED, 1, this.key(id), announce.channel, announce.message)) === 1;
  }

  /** The claimed outcome, if any. */
  async read(id: string): Promise<TaskView | undefined> {
    const text = await this.redis.get(this.key(id));
    return text ? (JSON.parse(text) as TaskView) : undefined;
  }

  /** Claimed outcomes of these tasks, by id (tasks not ended are absent). */
  async readMany(ids: string[]): Promise<Map<string, TaskView>> {
    const found = new Map<string, TaskView>();
    if (!ids.length) return found;
    const texts = await this.redis.mget(ids.map((id) => this.key(id)));
    texts.forEach((text, i) => text && found.set(ids[i]!, JSON.parse(text) as TaskView));
    return found;
  }
}
