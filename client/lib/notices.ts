import { reactive, readonly } from 'vue';
import { useRealtime } from './realtime';

/**
 * The signed-in user's unread notices count: the server pushes `notices.unread
 * {unread}` to a signed-in socket right after its welcome and whenever the
 * count changes, from any worker. Anonymous sockets never get it.
 */
const state = reactive({ unread: null as number | null });

export const notices = readonly(state);

let started = false;

export function startNotices(): void {
  if (started) return;
  started = true;
  useRealtime().on('notices.unread', (data: { unread?: number }) => {
    if (typeof data?.unread === 'number') state.unread = data.unread;
  });
}
