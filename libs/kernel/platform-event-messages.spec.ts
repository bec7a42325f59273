import type { TaskDefinition, TaskView } from '@brickyard/sdk';
import { describe, expect, test } from 'vitest';
import { taskEvent } from './platform-event-messages';

const definition: TaskDefinition = {
  access: 'admin',
  run: () => ({ count: 3 }),
  platformEvent: { kind: 'import', noun: 'Snapshot import', source: (p: { source: string }) => p.source, summary: (r: { count: number }) => `${r.count} parts` },
};
const task = (kind: string, state: TaskView['state'], extra: Partial<TaskView> = {}) =>
  ({ id: 't1', kind, state, owner: 'admin', params: { source: 'demo' }, result: { count: 3 }, error: null, attempts: 1, ...extra }) as unknown as TaskView;

describe('task runs in the console feed', () => {
  test('a core kind that declares platformEvent: started with its source, done with its summary, failed with the reason', () => {
    expect(taskEvent('started', task('core.x', 'running'), definition)).toMatchObject({ kind: 'import', outcome: 'started', message: 'Snapshot import started from demo (task t1)', actor: 'admin' });
    expect(taskEvent('ended', task('core.x', 'succeeded'), definition)?.message).toBe('Snapshot import done: 3 parts');
    expect(taskEvent('ended', task('core.x', 'timed_out', { error: 'took too long' }), definition)).toMatchObject({ outcome: 'failed', message: 'Snapshot import timed out: took too long' });
    expect(taskEvent('started', task('core.x', 'running', { owner: 'plugin:parts' }), definition)?.message).toMatch(/^Scheduled snapshot import started/);
  });

  test("a plugin's own kind, or a kind without platformEvent, writes nothing in the admins' feed", () => {
    expect(taskEvent('started', task('hello.x', 'running'), definition)).toBeUndefined();
    expect(taskEvent('started', task('core.y', 'running'), { access: 'admin', run: () => 1 })).toBeUndefined();
    expect(taskEvent('ended', task('core.z', 'succeeded'), undefined)).toBeUndefined();
  });
});
