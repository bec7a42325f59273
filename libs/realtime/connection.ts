import type { Identity } from '@brickyard/sdk';
import type { WebSocket } from 'ws';
import { RateLimiter } from './rate-limiter';

/** One client's websocket, owned by the worker process (never by a generation). */
export class Connection {
  readonly topics = new Set<string>();
  alive = true;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly identity: Identity,
    readonly limiter: RateLimiter,
  ) {}

  send(frame: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame);
  }
}
