import { Redis } from 'ioredis';
import * as crypto from 'node:crypto';
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

test('a failed converge still hands the turn on; a holder never releases another holder\'s turn', async () => {
  const a = new ConvergeTurns(redis, namespace, 'a');
  const b = new ConvergeTurns(redis, namespace, 'b');
  await expect(a.run(async () => Promise.reject(new Error('build failed')))).rejects.toThrow('build failed');
  const started = Date.now();
  await b.run(async () => {
    // a's stale release attempt while b holds the turn leaves b's key alone
    await a['redis'].eval(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`, 1, a['key'], 'a');
    expect(await redis.get(b['key'])).toBe('b');
  });
  expect(Date.now() - started).toBeLessThan(1000);
  expect(await redis.get(b['key'])).toBeNull();
});
