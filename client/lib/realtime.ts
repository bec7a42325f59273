import { reactive, readonly } from 'vue';
import { RealtimeClient } from '../../libs/realtime/client/realtime-client';
import { nextStatus, type ConnectionStatus } from './connection-state';

export { RealtimeClient, RealtimeError } from '../../libs/realtime/client/realtime-client';

/**
 * The page's one websocket (libs/realtime/client, bundled here), shared by the
 * shell and every plugin: one connection per tab, whatever subscribes.
 */
/** Frames' data are typed by whoever listens (the server's frames are JSON of many shapes). */
type Frames = Record<string, any>;
let client: RealtimeClient<Frames> | undefined;

const state = reactive({
  status: 'connecting' as ConnectionStatus,
  /** From the server's welcome frame: lets POST /api/tasks send this tab every frame of a task. */
  socketId: undefined as string | undefined,
  /** Set by a welcome after a reconnect: pages re-read what they may have missed. */
  reconnects: 0,
});

/** The connection's status, read-only: connecting, connected, reconnecting, offline. */
export const connection = readonly(state);

export function useRealtime(): RealtimeClient<Frames> {
  if (client) return client;
  client = new RealtimeClient<Frames>({ timeoutMs: 10_000 });
  const apply = (event: Parameters<typeof nextStatus>[1]) => (state.status = nextStatus(state.status, event));
  client.on('open', () => apply({ type: 'open' }));
  client.on('reconnecting', (data: { attempt: number }) => {
    state.socketId = undefined;
    apply({ type: 'reconnecting', attempt: data.attempt });
  });
  client.on('welcome', (data: { socketId?: string }) => {
    if (client!.opens > 1) state.reconnects++;
    state.socketId = data?.socketId;
  });
  globalThis.addEventListener?.('offline', () => apply({ type: 'browser-offline' }));
  globalThis.addEventListener?.('online', () => apply({ type: 'browser-online' }));
  return client;
}

/** How many followers each topic has in this page: the socket subscribes once and leaves with the last. */
const following = new Map<string, number>();

/**
 * Follows a topic and listens to one frame name on it while a page shows it;
 * returns the function that stops both. A failed subscribe (offline, refused)
 * is retried by the client after the next reconnect.
 */
export function follow<T>(topic: string, frame: string, listener: (data: T) => void): () => void {
  const realtime = useRealtime();
  const off = realtime.on(frame, listener);
  const followers = following.get(topic) ?? 0;
  following.set(topic, followers + 1);
  if (followers === 0) realtime.subscribe(topic).catch(() => {});
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    off();
    const left = (following.get(topic) ?? 1) - 1;
    if (left > 0) return void following.set(topic, left);
    following.delete(topic);
    realtime.unsubscribe(topic).catch(() => {});
  };
}
