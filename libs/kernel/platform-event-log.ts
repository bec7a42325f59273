import type { Realtime } from '@brickyard/sdk';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

export type PlatformEventKind = 'reload' | 'plugin-failure' | 'import' | 'ranking';
export type PlatformEventOutcome = 'started' | 'succeeded' | 'warning' | 'failed';

export interface PlatformEventInput {
  kind: PlatformEventKind;
  outcome: PlatformEventOutcome;
  /** One line a person reads in the feed. */
  message: string;
  /** What it is about: a plugin name, a task id, a generation. */
  subject?: string | null;
  /** Who asked, when known. */
  actor?: string | null;
  detail?: unknown;
}

/** A platform event as GET /api/admin/events and the `admin.event` frame carry it. */
export interface PlatformEvent {
  id: number;
  kind: PlatformEventKind;
  outcome: PlatformEventOutcome;
  subject: string | null;
  message: string;
  actor: string | null;
  detail: unknown;
  createdAt: string;
}

/** The topic admins' consoles follow; realtime-policy.ts lets only admins subscribe to `admin:` topics. */
export const ADMIN_EVENTS_TOPIC = 'admin:events';
export const PLATFORM_EVENT_FRAME = 'admin.event';

/** How many events are kept: the feed is for what happened lately, the logs keep the rest. */
export const PLATFORM_EVENTS_KEPT = 1000;

const MESSAGE_MAX = 1000;

/**
 * The platform's record of what happened to it (table `platform_events`), each
 * new event pushed at once to admins' consoles. Writing never throws: an event
 * that cannot be recorded is logged, and what it is about goes on.
 */
export class PlatformEventLog {
  constructor(
    private readonly db: DataSource,
    private readonly realtime: Realtime,
    private readonly logger: Logger,
  ) {}

  async record(input: PlatformEventInput): Promise<PlatformEvent | undefined> {
    try {
      const message = input.message.replace(/\s+/g, ' ').trim().slice(0, MESSAGE_MAX);
      const detail = input.detail === undefined ? null : JSON.stringify(input.detail);
      const result = await this.db.query(
        'INSERT INTO platform_events (kind, outcome, subject, message, detail, actor) VALUES (?, ?, ?, ?, ?, ?)',
        [input.kind, input.outcome, input.subject?.slice(0, 200) ?? null, message, detail, input.actor?.slice(0, 128) ?? null],
      );
      const id = Number(result.insertId);
      // Ids only grow, so the cap is one indexed range delete (no count of the table).
      if (id > PLATFORM_EVENTS_KEPT) await this.db.query('DELETE FROM platform_events WHERE id <= ?', [id - PLATFORM_EVENTS_KEPT]);
      const [row] = await this.db.query('SELECT * FROM platform_events WHERE id = ?', [id]);
      const event = eventView(row);
      await this.realtime.toTopic(ADMIN_EVENTS_TOPIC, PLATFORM_EVENT_FRAME, event);
      return event;
    } catch (error) {
      this.logger.warn({ err: error, event: input }, 'could not record a platform event');
      return undefined;
    }
  }

  /** Newest first, `perPage` a page. */
  async list(filter: { page: number; perPage: number; kind?: PlatformEventKind }): Promise<{ items: PlatformEvent[]; total: number }> {
    const where = filter.kind ? 'WHERE kind = ?' : '';
    const params = filter.kind ? [filter.kind] : [];
    const rows = await this.db.query(`SELECT * FROM platform_events ${where} ORDER BY id DESC LIMIT ? OFFSET ?`, [...params, filter.perPage, (filter.page - 1) * filter.perPage]);
    const [count] = await this.db.query(`SELECT COUNT(*) AS n FROM platform_events ${where}`, params);
    return { items: rows.map(eventView), total: Number(count.n) };
  }
}

function eventView(row: Record<string, any>): PlatformEvent {
  let detail = row.detail;
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail);
    } catch {
      // kept as text
    }
  }
  return {
    id: Number(row.id),
    kind: row.kind,
    outcome: row.outcome,
    subject: row.subject,
    message: row.message,
    actor: row.actor,
    detail: detail ?? null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
