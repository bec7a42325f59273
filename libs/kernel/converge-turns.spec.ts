import { Redis } from 'ioredis';
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import { afterAll, expect, test } from 'vitest';
import { ConvergeTurns } from './converge-turns';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const namespace = `brickyard:turns-spec-${crypto.randomBytes(4).toString('hex')}`;
afterAll(async () => {
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

test('processes of one host converge one at a time, each in its turn', async () => {
  const processes = ['a', 'b', 'c'].map((id) => new ConvergeTurns(redis, namespace, id));
  const log: string[] = [];
  let inside = 0;
  let most = 0;
  await Promise.all(
    processes.flatMap((turns, i) =>
      [0, 1].map((round) =>
        turns.run(async () => {
          most = Math.max(most, ++inside);
          log.push(`${i}.${round}`);
          await new Promise((resolve) => setTimeout(resolve, 30));
          inside--;
        }),
      ),
    ),
  );
  expect(most).toBe(1);
  expect(log).toHaveLength(6);
});

test('a failed converge still hands the turn on', async () => {
  const a = new ConvergeTurns(redis, namespace, 'a');
  const b = new ConvergeTurns(redis, namespace, 'b');
  await expect(a.run(async () => Promise.reject(new Error('build failed')))).rejects.toThrow('build failed');
  const started = Date.now();
  await b.run(async () => {});
  expect(Date.now() - started).toBeLessThan(500);
});

test("a turn whose holder stalls expires; the late holder's release leaves the next holder's turn alone", async () => {
  const key = `${namespace}:converge-turn:${os.hostname()}`;
  const stalled = new ConvergeTurns(redis, namespace, 'stalled', { ttlMs: 150 });
  const next = new ConvergeTurns(redis, namespace, 'next');
  let stalledDone!: () => void;
  const stalledRun = stalled.run(() => new Promise<void>((resolve) => (stalledDone = resolve)));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const holders: (string | null)[] = [];
  const nextRun = next.run(async () => {
    holders.push(await redis.get(key)); // the expired turn passed to `next`
    stalledDone(); // the stalled holder finishes now and releases…
    await stalledRun;
    holders.push(await redis.get(key)); // …but not `next`'s turn
  });
  await nextRun;
  expect(holders).toEqual(['next', 'next']);
  expect(await redis.get(key)).toBeNull();
});
