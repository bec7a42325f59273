import { api } from '@brickyard/client';

/**
 * The console's live side (libs/kernel/http/admin-events.controller.ts): platform
 * events (pushed to admins as `admin.event` frames on topic `admin:events`) and
 * the last reloads with the processes each waited for.
 */
export type PlatformEventKind = 'reload' | 'plugin-failure' | 'import' | 'ranking';

export interface PlatformEvent {
  id: number;
  kind: PlatformEventKind;
  outcome: 'started' | 'succeeded' | 'warning' | 'failed';
  subject: string | null;
  message: string;
  actor: string | null;
  detail: unknown;
  createdAt: string;
}

export interface ReloadParticipant {
  id: string;
  host: string;
  pid: number;
  role: string;
  outcome: 'converged' | 'failed' | 'no-reply' | 'departed';
  ms: number | null;
  reason: string | null;
}

export interface ReloadRecord {
  generation: number;
  reason: string;
  requestedBy: string;
  startedAt: number;
  durationMs: number;
  ok: boolean;
  processes: ReloadParticipant[];
  errors: { plugin: string; error: string }[];
}

export const ADMIN_EVENTS_TOPIC = 'admin:events';
export const PLATFORM_EVENT_FRAME = 'admin.event';

export const liveApi = {
  events: (page = 1, perPage = 30) => api.get<{ items: PlatformEvent[]; total: number }>('/api/admin/events', { page, per_page: perPage }),
  reloads: (limit = 1) => api.get<{ reloads: ReloadRecord[] }>('/api/admin/reloads', { limit }),
};

/** `90` → `1 min 30 s`, `93784` → `1 d 2 h`: the two largest units are enough to read an uptime. */
export function humanDuration(seconds: number): string {
  const units: [string, number][] = [['d', 86_400], ['h', 3600], ['min', 60], ['s', 1]];
  const parts: string[] = [];
  let left = Math.max(0, Math.round(seconds));
  for (const [unit, size] of units) {
    if (left >= size || (unit === 's' && !parts.length)) {
      parts.push(`${Math.floor(left / size)} ${unit}`);
      left %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** How long ago, in words: `just now`, `42 s ago`, `5 min ago`, `3 h ago`, then the date. */
export function relativeTime(then: number, now: number): string {
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(then).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

export const megabytes = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
