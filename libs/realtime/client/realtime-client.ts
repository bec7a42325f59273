/**
 * The Brickyard websocket client, for the browser and for Node (pass `ws`'s
 * WebSocket as `WebSocket` where there is no global one). It reconnects with
 * backoff, resubscribes its topics after a reconnect, and pairs requests with
 * replies by id, with timeouts. No dependencies: the SPA bundles it as is.
 */

interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

type SocketConstructor = new (url: string) => SocketLike;

export interface RealtimeClientOptions {
  /** e.g. `ws://localhost:3000/ws`; in a browser, defaults to this page's host. */
  url?: string;
  WebSocket?: SocketConstructor;
  /** Default timeout of `request()`. */
  timeoutMs?: number;
  /** Backoff between reconnects: starts at `minDelayMs`, doubles up to `maxDelayMs` (with jitter). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** An error frame from the server, or a local timeout (`code: 'timeout'`). */
export class RealtimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RealtimeError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

type Listener = (data: any) => void;

/** Lifecycle events, beside the server's frames (by handler name). */
export type ClientEvent = 'open' | 'close' | 'reconnecting';

export class RealtimeClient<Events extends Record<string, unknown> = Record<string, unknown>> {
  private socket?: SocketLike;
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly topics = new Set<string>();
  private readonly waitingForOpen = new Set<() => void>();
  private counter = 0;
  private attempts = 0;
  private closed = false;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private readonly url: string;
  private readonly Socket: SocketConstructor;
  /** How many times the connection has been (re)opened. */
  opens = 0;

  constructor(private readonly options: RealtimeClientOptions = {}) {
    const global = globalThis as unknown as { WebSocket?: SocketConstructor; location?: { protocol: string; host: string } };
    const Socket = options.WebSocket ?? global.WebSocket;
    if (!Socket) throw new Error('no WebSocket implementation: pass { WebSocket } (in Node: import { WebSocket } from "ws")');
    this.Socket = Socket;
    const page = global.location;
    this.url = options.url ?? (page ? `${page.protocol === 'https:' ? 'wss' : 'ws'}://${page.host}/ws` : 'ws://localhost:3000/ws');
    this.connect();
  }

  get connected(): boolean {
    return this.socket?.readyState === 1;
  }

  private connect(): void {
    const socket = new this.Socket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.opens++;
      for (const topic of this.topics) this.send('subscribe', { topic });
      for (const wake of this.waitingForOpen) wake();
      this.waitingForOpen.clear();
      this.emit('open', undefined);
    };
    socket.onmessage = (event) => this.receive(String(event.data));
    socket.onerror = () => {}; // followed by close, which reconnects
    socket.onclose = (event) => {
      this.emit('close', { code: event.code, reason: event.reason });
      if (this.closed) return;
      const { minDelayMs = 250, maxDelayMs = 10_000 } = this.options;
      const delay = Math.min(maxDelayMs, minDelayMs * 2 ** this.attempts++) * (0.5 + Math.random() / 2);
      this.emit('reconnecting', { attempt: this.attempts, delayMs: Math.round(delay) });
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    };
  }

  private receive(text: string): void {
    let frame: { handler?: string; data?: unknown; id?: string };
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (frame.id && this.pending.has(frame.id)) {
      const pending = this.pending.get(frame.id)!;
      this.pending.delete(frame.id);
      clearTimeout(pending.timer);
      if (frame.handler === 'error') {
        const { code, message } = (frame.data ?? {}) as { code?: string; message?: string };
        pending.reject(new RealtimeError(code ?? 'error', message ?? 'error'));
      } else {
        pending.resolve(frame.data);
      }
      return;
    }
    if (frame.handler) this.emit(frame.handler, frame.data);
  }

  private emit(name: string, data: unknown): void {
    for (const listener of this.listeners.get(name) ?? []) listener(data);
  }

  /** Listens to frames the server pushes with this handler name (or to 'open', 'close', 'reconnecting'). Returns an unsubscribe function. */
  on<K extends (keyof Events & string) | ClientEvent | 'error' | 'welcome'>(name: K, listener: (data: K extends keyof Events ? Events[K] : any) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener);
    return () => set!.delete(listener as Listener);
  }

  /** Sends a frame without waiting for a reply (dropped while disconnected). */
  send(handler: string, data?: unknown): void {
    if (this.connected) this.socket!.send(JSON.stringify({ handler, data }));
  }

  /** Sends a request and resolves with the reply's data; rejects with a RealtimeError on an error frame or timeout. */
  async request<T = unknown>(handler: string, data?: unknown, timeoutMs = this.options.timeoutMs ?? 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    if (!this.connected) await this.untilOpen(timeoutMs);
    const id = `r${++this.counter}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RealtimeError('timeout', `no reply to ${handler} within ${timeoutMs} ms`));
      }, Math.max(0, deadline - Date.now()));
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.socket!.send(JSON.stringify({ handler, data, id }));
    });
  }

  private untilOpen(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waitingForOpen.delete(wake);
        reject(new RealtimeError('timeout', `not connected within ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waitingForOpen.add(wake);
    });
  }

  /** Subscribes to a topic, now and after every reconnect. */
  async subscribe(topic: string): Promise<void> {
    this.topics.add(topic);
    await this.request('subscribe', { topic });
  }

  async unsubscribe(topic: string): Promise<void> {
    this.topics.delete(topic);
    if (this.connected) await this.request('unsubscribe', { topic });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'client closed');
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new RealtimeError('closed', 'the client was closed'));
      this.pending.delete(id);
    }
  }
}
