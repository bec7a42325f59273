import type { TaskView } from '@brickyard/sdk';
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

/** The task kinds that are platform events, and what each is called in the feed. */
const PLATFORM_TASKS: Record<string, { kind: 'import' | 'ranking'; noun: string }> = {
  'core.parts-import': { kind: 'import', noun: 'Snapshot import' },
  'core.rank': { kind: 'ranking', noun: 'Ranking' },
};

export const isPlatformTask = (kind: string) => Object.hasOwn(PLATFORM_TASKS, kind);

/** A platform task that started or ended (import, ranking: scheduled ones are tasks too), or undefined for other kinds. */
export function taskEvent(phase: 'started' | 'ended', task: TaskView): PlatformEventInput | undefined {
  const platform = PLATFORM_TASKS[task.kind];
  if (!platform) return undefined;
  const base = { kind: platform.kind, subject: task.id, actor: task.owner, detail: { taskId: task.id, state: task.state, attempts: task.attempts } };
  if (phase === 'started') {
    const source = platform.kind === 'import' ? ` from ${String((task.params as { source?: unknown } | null)?.source ?? '?')}` : '';
    // A plugin's own submission (owner `plugin:<name>`) is the parts plugin's schedule, not a person's request.
    const scheduled = task.owner?.startsWith('plugin:') ? `Scheduled ${platform.noun.toLowerCase()}` : platform.noun;
    return { ...base, outcome: 'started', message: `${scheduled} started${source} (task ${task.id})` };
  }
  if (task.state === 'succeeded') return { ...base, outcome: 'succeeded', message: `${platform.noun} done: ${summary(platform.kind, task.result)}`, detail: { ...base.detail, result: task.result } };
  const how = task.state === 'timed_out' ? 'timed out' : task.state === 'cancelled' ? 'was cancelled' : 'failed';
  return { ...base, outcome: 'failed', message: `${platform.noun} ${how}: ${task.error ?? 'no reason given'}` };
}

/** One line on an import's or a ranking's result. */
function summary(kind: 'import' | 'ranking', result: unknown): string {
  const r = (result ?? {}) as Record<string, unknown>;
  const n = (key: string) => (typeof r[key] === 'number' ? (r[key] as number).toLocaleString('en') : '?');
  if (kind === 'import') {
    const malformed = typeof r.malformed === 'number' && r.malformed > 0 ? `, ${n('malformed')} malformed skipped` : '';
    return `${n('partsLive')} parts live (${n('added')} added, ${n('removed')} removed, ${n('changed')} changed${malformed}) in ${n('durationMs')} ms`;
  }
  return `${n('parts')} parts ranked with ${String(r.strategy ?? '?')} (${n('written')} weights written) in ${n('durationMs')} ms`;
}
