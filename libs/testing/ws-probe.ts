import { WebSocket } from 'ws';

/** A raw websocket client that records every frame, for protocol tests. */
export class WsProbe {
  readonly frames: any[] = [];
  /** Frames already returned by next(), so each is returned once. */
  private readonly taken = new Set<any>();
  closed?: { code: number; reason: string };
  private waiters: { match: (frame: any) => boolean; resolve: (frame: any) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data));
      this.frames.push(frame);
      const waiter = this.waiters.find((w) => w.match(frame));
      if (waiter) {
        this.taken.add(frame);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(frame);
      }
    });
    socket.on('close', (code, reason) => (this.closed = { code, reason: String(reason) }));
  }

  /** Records frames of a socket opened elsewhere (e.g. with headers). */
  static wrap(socket: WebSocket): WsProbe {
    return new WsProbe(socket);
  }

  static open(url: string): Promise<WsProbe> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const probe = new WsProbe(socket);
      socket.once('open', () => resolve(probe));
      socket.once('error', reject);
    });
  }

  /** The next frame matching `match` (or one already received and not yet taken by a previous wait). */
  next(match: (frame: any) => boolean, timeoutMs = 5000): Promise<any> {
    const received = this.frames.find((frame) => !this.taken.has(frame) && match(frame));
    if (received) {
      this.taken.add(received);
      return Promise.resolve(received);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`)), timeoutMs);
      this.waiters.push({ match, resolve: (frame) => (clearTimeout(timer), resolve(frame)) });
    });
  }

  /** Sends a frame (an object is JSON-encoded; a string goes as is) and waits for the frame with its id. */
  request(frame: object | string, id: string): Promise<any> {
    const reply = this.next((f) => f.id === id);
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    return reply;
  }

  untilClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the socket did not close')), timeoutMs);
      this.socket.once('close', (code, reason) => (clearTimeout(timer), resolve({ code, reason: String(reason) })));
    });
  }

  close(): void {
    this.socket.close();
  }
}
