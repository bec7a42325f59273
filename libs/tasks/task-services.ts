import type { KernelExtension, KernelProcess } from '@brickyard/kernel';
import { coreTasks } from './core-tasks';
import { DEFAULT_QUEUE, queueOf, type TaskKind, type TaskKindResolver } from './task-kind';
import { TaskRunner } from './task-runner';
import { TaskService } from './task.service';
import { TasksModule } from './tasks.module';

/** Every task kind the process knows now: the core's and those of its current generation. */
function kinds(host: KernelProcess): TaskKind[] {
  const core = Object.entries(coreTasks).map(([kind, definition]) => ({ kind, definition }));
  return [...core, ...(host.kernel.current?.tasks.values() ?? [])];
}

/**
 * Adds tasks to a kernel process: the service and routes everywhere, and with
 * `run`, a TaskRunner that executes tasks (the job worker).
 */
export function taskServices(run?: { queues?: string[] }): (host: KernelProcess) => Promise<KernelExtension> {
  return async (host) => {
    const resolve: TaskKindResolver = (kind) =>
      coreTasks[kind] ? { kind, definition: coreTasks[kind]! } : host.kernel.current?.tasks.get(kind);
    const config = () => host.config();
    const service = new TaskService(host.db, host.redis, config().get('REDIS_URL'), host.namespace, host.realtime, resolve, () => ({
      perUser: config().get('TASKS_PER_USER_LIMIT'),
      globalConcurrency: config().get('TASKS_GLOBAL_CONCURRENCY'),
      resultTtlHours: config().get('TASKS_RESULT_TTL_HOURS'),
    }));
    const runner = run
      ? new TaskRunner(service, resolve, {
          redisUrl: config().get('REDIS_URL'),
          namespace: host.namespace,
          logger: host.logger,
          queues: run.queues,
          concurrency: config().get('TASKS_CONCURRENCY'),
          lockMs: config().get('TASKS_LOCK_MS'),
          defaultTimeoutMs: () => config().get('TASKS_DEFAULT_TIMEOUT_MS'),
          resultTtlHours: () => config().get('TASKS_RESULT_TTL_HOURS'),
          kinds: () => kinds(host),
        })
      : undefined;
    let started = false;
    return {
      tasks: service,
      coreModules: [TasksModule.with(service)],
      afterConverge: async () => {
        if (!runner) return;
        await service.applyGlobalConcurrency([DEFAULT_QUEUE, ...kinds(host).map(queueOf)]);
        if (!started) {
          started = true;
          await runner.start();
        } else {
          await runner.follow();
        }
      },
      close: async () => {
        await runner?.close();
        await service.close();
      },
    };
  };
}
