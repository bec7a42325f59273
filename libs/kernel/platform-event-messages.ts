import type { TaskDefinition, TaskView } from '@brickyard/sdk';
import type { ClusterReloadReport } from './control-bus';
import type { PlatformEventInput } from './platform-event-log';
import type { PluginOutcome } from './plugin-state.repository';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 'es'}`;

/** A finished cluster reload: succeeded, succeeded with plugins refused (warning), or some process did not converge (failed). */
export function reloadEvent(report: ClusterReloadReport, reason: string, requestedBy: string): PlatformEventInput {
  const applied = `${plural(report.converged.length, 'process')} in ${report.durationMs} ms`;
  const refused = report.errors.length ? `; refused: ${report.errors.map((e) => e.plugin).join(', ')}` : '';
  const missing = report.notConverged.map((p) => `pid ${p.pid}: ${p.reason}`).join('; ');
  const outcome = report.notConverged.length ? 'failed' : report.errors.length ? 'warning' : 'succeeded';
  const message = report.notConverged.length
    ? `Reload to generation ${report.generation} (${reason}) did not reach ${plural(report.notConverged.length, 'process')}: ${missing}`
    : `Reload to generation ${report.generation} (${reason}): ${applied}${refused}`;
  return {
    kind: 'reload',
    outcome,
    subject: `generation ${report.generation}`,
    actor: requestedBy,
    message,
    detail: { generation: report.generation, reason, durationMs: report.durationMs, notConverged: report.notConverged, errors: report.errors },
  };
}

/** A plugin newly refused (its row in `plugins` changed to this failure): the error says where, file:line, when it can. */
export function pluginFailureEvent(outcome: PluginOutcome): PlatformEventInput {
  return {
    kind: 'plugin-failure',
    outcome: 'failed',
    subject: outcome.name,
    message: `Plugin ${outcome.name}${outcome.version ? ` ${outcome.version}` : ''} refused: ${outcome.lastError ?? 'no reason given'}`,
    detail: { plugin: outcome.name, version: outcome.version, error: outcome.lastError },
  };
}

/**
 * A run of a task kind that declares `platformEvent` (core kinds only, see TaskDefinition) that
 * started or ended; undefined for other kinds. The kernel knows no feature's kinds by name.
 */
export function taskEvent(phase: 'started' | 'ended', task: TaskView, definition: TaskDefinition | undefined): PlatformEventInput | undefined {
  const feed = task.kind.startsWith('core.') ? definition?.platformEvent : undefined;
  if (!feed) return undefined;
  const base = { kind: feed.kind, subject: task.id, actor: task.owner, detail: { taskId: task.id, state: task.state, attempts: task.attempts } };
  if (phase === 'started') {
    const from = feed.source?.(task.params);
    // A plugin's own submission (owner `plugin:<name>`) is its schedule, not a person's request.
    const noun = task.owner?.startsWith('plugin:') ? `Scheduled ${feed.noun.toLowerCase()}` : feed.noun;
    return { ...base, outcome: 'started', message: `${noun} started${from ? ` from ${from}` : ''} (task ${task.id})` };
  }
  if (task.state === 'succeeded') {
    const summary = feed.summary ? `: ${feed.summary(task.result)}` : '';
    return { ...base, outcome: 'succeeded', message: `${feed.noun} done${summary}`, detail: { ...base.detail, result: task.result } };
  }
  const how = task.state === 'timed_out' ? 'timed out' : task.state === 'cancelled' ? 'was cancelled' : 'failed';
  return { ...base, outcome: 'failed', message: `${feed.noun} ${how}: ${task.error ?? 'no reason given'}` };
}
