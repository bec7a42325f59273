import type { KernelExtension, KernelProcess } from '@brickyard/kernel';
import type { TaskDefinition } from '@brickyard/sdk';
import { coreTasks } from './core-tasks';
import { DEFAULT_QUEUE, queueOf, type TaskKind, type TaskKindResolver } from './task-kind';
import { TaskRunner } from './task-runner';
import { TaskService } from './task.service';
import { TasksModule } from './tasks.module';
import { tasksOpenApi } from './tasks.openapi';

export interface TaskServicesOptions {
  /** Run tasks here (a job worker), from these queues (all when absent). */
  run?: { queues?: string[] };
  /** More core kinds (`core.<task>`), built with the process's services (e.g. the snapshot import). */
  coreKinds?: (host: KernelProcess) => Record<string, TaskDefinition>;
}

/**
 * Adds tasks to a kernel process: the service and routes everywhere, and with
 * `run`, a TaskRunner that executes tasks (the job worker).
 */
export function taskServices(options: TaskServicesOptions = {}): (host: KernelProcess) => Promise<KernelExtension> {
  const run = options.run;
  return async (host) => {
    const core: Record<string, TaskDefinition> = { ...coreTasks, ...options.coreKinds?.(host) };
    /** Every task kind the process knows now: the core's and those of its current generation. */
    const kinds = (): TaskKind[] => [
      ...Object.entries(core).map(([kind, definition]) => ({ kind, definition })),
      ...(host.kernel.current?.tasks.values() ?? []),
    ];
    const resolve: TaskKindResolver = (kind) => (core[kind] ? { kind, definition: core[kind]! } : host.kernel.current?.tasks.get(kind));
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
          kinds,
        })
      : undefined;
    let started = false;
    return {
      tasks: service,
      coreModules: [TasksModule.with(service)],
      openApi: tasksOpenApi,
      afterConverge: async () => {
        if (!runner) return;
        await service.applyGlobalConcurrency([DEFAULT_QUEUE, ...kinds().map(queueOf)]);
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
