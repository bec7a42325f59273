/**
 * Stage probe of bench/task-roundtrip.ts (not a benchmark). Preloaded into every
 * process of a Brickyard server with
 *   NODE_OPTIONS="--require bin/ts-hook.js --require bench/task-roundtrip-probe.ts" BENCH_STAGE_LOG=<file>
 * it wraps, from outside and without changing them, the methods a task passes
 * through (HTTP request, TaskRepository queries, BullMQ Queue.add, TaskRunner,
 * TaskOutcomes.claim, RealtimePublisher.toRecipients, RealtimeHost.deliver) and appends one line per
 * event to the log: `<monotonic ms> <pid> <stage> <task id or ->`. The
 * monotonic clock (process.hrtime) is the same in every process of the machine,
 * so events of the HTTP worker, the job worker and the benchmark line up.
 */
import { Queue } from 'bullmq';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { RealtimePublisher } from '../libs/realtime/fanout';
import { RealtimeHost } from '../libs/realtime/realtime-host';
import { TaskOutcomes } from '../libs/tasks/task-outcomes';
import { TaskRepository } from '../libs/tasks/task.repository';
import { TaskRunner } from '../libs/tasks/task-runner';

const file = process.env.BENCH_STAGE_LOG;
if (file) {
  const fd = fs.openSync(file, 'a');
  const mark = (stage: string, id: string | undefined) => {
    fs.writeSync(fd, `${(Number(process.hrtime.bigint()) / 1e6).toFixed(3)} ${process.pid} ${stage} ${id ?? '-'}\n`);
  };

  /** Replaces `proto[name]` by a function that marks `<label>.start` and `<label>.end` (when its promise settles). */
  const wrap = (proto: any, name: string, describe: (args: any[]) => { label?: string; id?: string }) => {
    const original = proto[name] as (...args: any[]) => any;
    proto[name] = function (this: unknown, ...args: any[]) {
      const { label = name, id } = describe(args);
      mark(`${label}.start`, id);
      const result = original.apply(this, args);
      if (result && typeof result.then === 'function') {
        return result.then(
          (value: unknown) => (mark(`${label}.end`, id), value),
          (error: unknown) => {
            mark(`${label}.end`, id);
            throw error;
          },
        );
      }
      mark(`${label}.end`, id);
      return result;
    };
  };

  const stateIn = (text: string) => /"state":"([a-z_]+)"/.exec(text)?.[1] ?? 'progress';

  wrap(TaskRepository.prototype, 'countActive', () => ({ label: 'db.countActive' }));
  wrap(TaskRepository.prototype, 'insertWithinLimit', ([task]) => ({ label: 'db.insert', id: task.id }));
  wrap(TaskRepository.prototype, 'find', ([id]) => ({ label: 'db.find', id }));
  wrap(TaskRepository.prototype, 'markRunning', ([id]) => ({ label: 'db.start', id }));
  wrap(TaskRepository.prototype, 'writeEnd', ([final]) => ({ label: 'db.finish', id: final.id }));
  wrap(TaskOutcomes.prototype, 'claim', ([final]) => ({ label: 'claim', id: final.id }));
  wrap(Queue.prototype, 'add', ([, , opts]) => ({ label: 'queue.add', id: opts?.jobId }));
  wrap(TaskRunner.prototype, 'process', ([job]) => ({ label: 'runner.process', id: job.data?.taskId }));
  wrap(TaskRunner.prototype, 'runInline', ([, , context]) => ({ label: 'runner.run', id: context.taskId }));
  wrap(RealtimePublisher.prototype, 'toRecipients', ([, , data]) => ({ label: `publish.${data?.state ?? 'progress'}`, id: data?.id }));
  wrap(RealtimeHost.prototype, 'deliver', ([message]) => ({
    label: `deliver.${stateIn(message.frame)}`,
    id: /"id":"([^"]+)"/.exec(message.frame)?.[1],
  }));

  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...rest: any[]) {
    if (event === 'request') {
      const [request, response] = rest as [http.IncomingMessage, http.ServerResponse];
      if (request.method === 'POST' && request.url === '/api/tasks') {
        mark('http.request', undefined);
        response.once('finish', () => mark('http.response', undefined));
      }
    }
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...rest);
  } as typeof emit;
}
