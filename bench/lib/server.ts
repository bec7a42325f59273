import { Redis } from 'ioredis';
import { dropDatabase, withDatabase } from '@brickyard/db';
import { startTestServer, type TestDatabase, type TestServer, type TestServerOptions } from '@brickyard/testing';
import { onCleanup } from './common';

/**
 * The parts library creates a snapshot database next to the app database
 * (`<app>_igem`, README, "Parts") that `TestServer.stop()` does not drop: drop it too.
 */
export async function dropSnapshotDatabase(database: TestDatabase): Promise<void> {
  await dropDatabase(withDatabase(database.url, `${database.name}_igem`));
}

/** For benchmarks that run the kernel in their own process: drops the app and snapshot databases and the cluster's Redis keys. */
export async function dropInProcessCluster(database: TestDatabase): Promise<void> {
  await database.drop();
  await dropSnapshotDatabase(database);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const keys = await redis.keys(`brickyard:${database.name}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

/**
 * A real `brickyard serve` on 127.0.0.1, a fresh database and a temporary home,
 * stopped (database dropped, Redis keys removed) when the benchmark ends.
 */
export async function startBenchServer(options: TestServerOptions): Promise<TestServer> {
  const server = await startTestServer({ ...options, env: { PLUGINS_WATCH: 'false', ...options.env, SNAPSHOT_DATABASE: '' } });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
    await dropSnapshotDatabase(server.database);
  };
  onCleanup(stop);
  return { ...server, stop };
}

export interface ReloadReply {
  status: number;
  ok: boolean;
  generation: number;
  converged: number;
  durationMs: number;
  body: any;
}

/** `POST /api/admin/reload`: answers when every process reports the new generation. */
export async function adminReload(server: TestServer): Promise<ReloadReply> {
  const { status, body } = await server.admin('POST', '/api/admin/reload');
  return {
    status,
    ok: status === 200 && body?.ok === true,
    generation: body?.generation ?? -1,
    converged: body?.converged?.length ?? 0,
    durationMs: body?.durationMs ?? NaN,
    body,
  };
}

/** Per-process converge times the workers logged (`"msg":"converged"`), by generation. */
export function convergeLogs(output: string): Map<number, { pid: number; ms: number; rebuilt: boolean }[]> {
  const byGeneration = new Map<number, { pid: number; ms: number; rebuilt: boolean }[]>();
  for (const line of output.split('\n')) {
    if (!line.includes('"msg":"converged"')) continue;
    try {
      const entry = JSON.parse(line) as { generation: number; pid: number; ms: number; rebuilt: boolean };
      const list = byGeneration.get(entry.generation) ?? [];
      list.push({ pid: entry.pid, ms: entry.ms, rebuilt: entry.rebuilt });
      byGeneration.set(entry.generation, list);
    } catch {
      // a line cut by a chunk boundary
    }
  }
  return byGeneration;
}
