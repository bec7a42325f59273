import type { RedisConnections } from '@brickyard/db';
import type { Redis } from 'ioredis';
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import type { Logger } from 'pino';
import { announceClientChanges } from './client-announcer';
import { ProcessMetricsSampler, type ProcessMetrics } from './process-metrics';
import { ReloadHistory, type ReloadParticipant } from './reload-history';

/** A process that builds generations. */
export type ProcessRole = 'http' | 'job';
/** `primary` is the supervisor of `brickyard serve`: it beats so the console lists it, but builds no generation and is never waited for. */
export type ClusterRole = ProcessRole | 'primary';

/** A process of the cluster, as it last reported itself (every heartbeat). */
export interface ProcessInfo {
  id: string;
  host: string;
  pid: number;
  role: ClusterRole;
  generation: number;
  seenAt: number;
  /** Measured over the interval before `seenAt` (absent from entries written by an older version). */
  metrics?: ProcessMetrics;
}

export interface PluginError {
  plugin: string;
  error: string;
}

export interface ConvergeRequest {
  type: 'converge';
  requestId: string;
  target: number;
  reason: string;
}

export interface ConvergeReply {
  type: 'converged';
  requestId: string;
  process: Omit<ProcessInfo, 'seenAt'>;
  ok: boolean;
  errors: PluginError[];
  /** Set when the process could not converge at all (it keeps its previous generation). */
  failure?: string;
  /** What the process serves to browsers (client-announcer.ts): pages are told when it changes. */
  clients?: string;
}

export interface ClusterReloadReport {
  ok: boolean;
  generation: number;
  /** Processes that reported the new generation, with what they said and after how many milliseconds. */
  converged: { id: string; pid: number; host: string; role: ClusterRole; ok: boolean; ms: number }[];
  /** Processes that did not report in time, or could not converge, and why. */
  notConverged: { id: string; pid: number; host: string; reason: string }[];
  /** Processes that left the cluster during the reload (they stopped beating: died); not waited for. */
  departed: { id: string; pid: number; host: string }[];
  /** Plugins refused by this reload (one entry per plugin, whatever the number of processes). */
  errors: PluginError[];
  durationMs: number;
}

const HEARTBEAT_MS = 2000;
const STALE_MS = 3 * HEARTBEAT_MS;

/**
 * The cluster's control plane on Redis. Processes sharing an app database form a
 * cluster; its keys and channels are prefixed by that database's name. A reload
 * increments the cluster generation, is published to every process of every host,
 * and is complete when each live process has replied. It uses the process's
 * Redis connections; their owner closes them.
 */
export class ControlBus {
  private readonly commands: Redis;
  private readonly waiters = new Map<string, (reply: ConvergeReply) => void>();
  private onConverge?: (request: ConvergeRequest) => void;
  private heartbeat?: NodeJS.Timeout;
  private self?: Omit<ProcessInfo, 'seenAt' | 'metrics'>;
  private sampler?: ProcessMetricsSampler;
  private readonly unsubscribes: (() => Promise<void>)[] = [];
  /** The last reloads, with the processes each waited for (GET /api/admin/reloads). */
  readonly reloads: ReloadHistory;

  constructor(
    private readonly redis: RedisConnections,
    private readonly namespace: string,
    private readonly logger: Logger,
  ) {
    this.commands = redis.commands;
    this.reloads = new ReloadHistory(redis.commands, namespace);
  }

  private key(name: string): string {
    return `${this.namespace}:${name}`;
  }

  async start(onConverge?: (request: ConvergeRequest) => void): Promise<void> {
    this.onConverge = onConverge;
    for (const channel of [this.key('control'), this.key('replies')]) {
      this.unsubscribes.push(await this.redis.subscribe(channel, (text) => this.dispatch(channel, text)));
    }
  }

  private dispatch(channel: string, text: string): void {
    let message: ConvergeRequest | ConvergeReply;
    try {
      message = JSON.parse(text);
    } catch {
      this.logger.warn({ channel }, 'ignored a control message that is not JSON');
      return;
    }
    if (channel === this.key('control') && message.type === 'converge') this.onConverge?.(message);
    else if (channel === this.key('replies') && message.type === 'converged') this.waiters.get(message.requestId)?.(message);
  }

  /** Joins the registry of live processes and keeps its entry fresh. */
  async register(role: ClusterRole, generation: number): Promise<void> {
    this.self = { id: `${os.hostname()}:${process.pid}`, host: os.hostname(), pid: process.pid, role, generation };
    this.sampler = new ProcessMetricsSampler();
    await this.beat();
    this.heartbeat = setInterval(() => this.beat().catch(() => {}), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async setGeneration(generation: number): Promise<void> {
    if (!this.self) return;
    this.self.generation = generation;
    await this.beat();
  }

  private async beat(): Promise<void> {
    if (!this.self) return;
    const entry: ProcessInfo = { ...this.self, seenAt: Date.now(), metrics: this.sampler?.sample() };
    await this.commands.hset(this.key('processes'), this.self.id, JSON.stringify(entry));
  }

  async forget(id: string): Promise<void> {
    await this.commands.hdel(this.key('processes'), id);
  }

  /** Live processes; entries that stopped beating are removed. */
  async processes(): Promise<ProcessInfo[]> {
    const all = Object.entries(await this.commands.hgetall(this.key('processes')));
    const live: ProcessInfo[] = [];
    for (const [id, text] of all) {
      const info = JSON.parse(text) as ProcessInfo;
      if (Date.now() - info.seenAt > STALE_MS) await this.forget(id);
      else live.push(info);
    }
    return live;
  }

  async currentGeneration(): Promise<number> {
    return Number(await this.commands.get(this.key('generation'))) || 0;
  }

  async reply(reply: Omit<ConvergeReply, 'type' | 'process'> & { generation: number }): Promise<void> {
    const { generation, ...rest } = reply;
    const message: ConvergeReply = { type: 'converged', ...rest, process: { ...this.self!, generation } };
    await this.commands.publish(this.key('replies'), JSON.stringify(message));
  }

  /**
   * Starts a new generation on every process of the cluster and waits until each
   * live process replies, or `timeoutMs` passes; the report says who did not and why.
   */
  async reloadCluster(reason: string, timeoutMs: number, requestedBy = reason): Promise<ClusterReloadReport> {
    const started = Date.now();
    // The primary builds no generation: it is listed, never waited for.
    const expected = (await this.processes()).filter((p) => p.role !== 'primary');
    const repliedAfter = new Map<string, number>();
    const target = await this.commands.incr(this.key('generation'));
    const requestId = crypto.randomUUID();
    const replies = new Map<string, ConvergeReply>();
    const departed = new Map<string, ProcessInfo>();
    const settled = () => expected.every((p) => replies.has(p.id) || departed.has(p.id));
    let settle = () => {};
    const done = new Promise<void>((resolve) => (settle = resolve));
    const timer = setTimeout(settle, timeoutMs);
    // Pages are told as soon as every HTTP process serves the new plugin clients (they answer the pages'
    // next GET /api/plugins), without waiting for job workers, which serve no page.
    let announced: Promise<unknown> | undefined;
    const announce = () => {
      announced ??= announceClientChanges(this.commands, this.namespace, [...replies.values()].map((r) => r.clients), target).catch((error) =>
        this.logger.warn({ err: error }, 'could not announce the new plugin clients'),
      );
    };
    const serversReplied = () => expected.every((p) => p.role !== 'http' || replies.has(p.id) || departed.has(p.id));
    this.waiters.set(requestId, (reply) => {
      replies.set(reply.process.id, reply);
      repliedAfter.set(reply.process.id, Date.now() - started);
      if (serversReplied()) announce();
      if (settled()) settle();
    });
    // A process that dies during the reload (killed, its host gone) stops beating: it is not
    // waited for until the timeout, it is reported as departed once its entry goes stale.
    const watch = setInterval(() => {
      this.processes().then((live) => {
        const ids = new Set(live.map((p) => p.id));
        for (const p of expected) if (!replies.has(p.id) && !ids.has(p.id)) departed.set(p.id, p);
        if (settled()) settle();
      }, () => {});
    }, HEARTBEAT_MS);
    if (settled()) settle();
    const request: ConvergeRequest = { type: 'converge', requestId, target, reason };
    await this.commands.publish(this.key('control'), JSON.stringify(request));
    await done;
    clearTimeout(timer);
    clearInterval(watch);
    this.waiters.delete(requestId);

    const converged = [...replies.values()]
      .filter((r) => !r.failure)
      .map((r) => ({ id: r.process.id, pid: r.process.pid, host: r.process.host, role: r.process.role, ok: r.ok, ms: repliedAfter.get(r.process.id) ?? 0 }));
    const notConverged = [
      ...[...replies.values()].filter((r) => r.failure).map((r) => ({ ...r.process, reason: r.failure! })),
      ...expected
        .filter((p) => !replies.has(p.id) && !departed.has(p.id))
        .map((p) => ({ ...p, reason: `no reply within ${timeoutMs} ms (last heartbeat ${Date.now() - p.seenAt} ms ago)` })),
    ].map(({ id, pid, host, reason }) => ({ id, pid, host, reason }));
    const errors = new Map<string, PluginError>();
    for (const reply of replies.values()) for (const e of reply.errors) errors.set(e.plugin, e);
    announce(); // if no HTTP process replied in time, what the others serve
    await announced;
    const report: ClusterReloadReport = {
      ok: notConverged.length === 0 && errors.size === 0,
      generation: target,
      converged,
      notConverged,
      departed: [...departed.values()].map(({ id, pid, host }) => ({ id, pid, host })),
      errors: [...errors.values()],
      durationMs: Date.now() - started,
    };
    await this.reloads
      .add({ generation: target, reason, requestedBy, startedAt: started, durationMs: report.durationMs, ok: report.ok, processes: participants(expected, replies, repliedAfter, report), errors: report.errors })
      .catch((error) => this.logger.warn({ err: error }, 'could not keep the reload in the reload history'));
    return report;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.sampler?.stop();
    if (this.self) await this.forget(this.self.id).catch(() => {});
    for (const unsubscribe of this.unsubscribes.splice(0)) await unsubscribe();
  }
}

/** Every process a reload waited for, with how it ended: repliers in the order they replied, then the others. */
function participants(
  expected: ProcessInfo[],
  replies: ReadonlyMap<string, ConvergeReply>,
  repliedAfter: ReadonlyMap<string, number>,
  report: Pick<ClusterReloadReport, 'notConverged' | 'departed'>,
): ReloadParticipant[] {
  const reasons = new Map(report.notConverged.map((p) => [p.id, p.reason]));
  const departed = new Set(report.departed.map((p) => p.id));
  const known = new Map<string, Pick<ProcessInfo, 'id' | 'host' | 'pid' | 'role'>>(expected.map((p) => [p.id, p]));
  for (const reply of replies.values()) known.set(reply.process.id, reply.process); // a process that started during the reload may reply too
  return [...known.values()]
    .map((p): ReloadParticipant => {
      const reply = replies.get(p.id);
      const outcome = reply ? (reply.failure ? 'failed' : 'converged') : departed.has(p.id) ? 'departed' : 'no-reply';
      return { id: p.id, host: p.host, pid: p.pid, role: p.role, outcome, ms: repliedAfter.get(p.id) ?? null, reason: reasons.get(p.id) ?? null };
    })
    .sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity));
}
