/**
 * What the shell shows of the websocket: a pure reducer over the realtime
 * client's lifecycle events, so the rule is tested without a socket.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export type ConnectionEvent =
  | { type: 'open' }
  | { type: 'reconnecting'; attempt: number }
  | { type: 'browser-offline' }
  | { type: 'browser-online' };

/**
 * Failed reconnects after which the server counts as offline rather than
 * restarting: with the client's backoff (250 ms doubling) that is about 4 s.
 */
export const OFFLINE_AFTER_ATTEMPTS = 5;

export function nextStatus(status: ConnectionStatus, event: ConnectionEvent): ConnectionStatus {
  switch (event.type) {
    case 'open':
      return 'connected';
    case 'reconnecting':
      return event.attempt >= OFFLINE_AFTER_ATTEMPTS ? 'offline' : 'reconnecting';
    case 'browser-offline':
      return 'offline';
    case 'browser-online':
      return status === 'connected' ? status : 'reconnecting';
  }
}

export const STATUS_LABELS: Readonly<Record<ConnectionStatus, string>> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};
