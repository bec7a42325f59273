import { BrickyardError, type Identity, type Realtime, type Recipients, type WsContext } from '@brickyard/sdk';
import * as http from 'node:http';
import * as crypto from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { Connection } from './connection';
import type { FanoutMessage } from './fanout';
import type { MountedWsHandler } from './mounted-ws-handler';
import { encodeFrame, errorFrame, FrameError, parseFrame, TOPIC } from './protocol';
import { RateLimiter } from './rate-limiter';

export interface RealtimeLimits {
  maxFrameBytes: number;
  ratePerSecond: number;
  rateBurst: number;
  maxConnections: number;
  heartbeatMs: number;
  /** Topics one connection may be subscribed to at once. */
  maxTopics: number;
}

export interface RealtimeHostOptions {
  limits: RealtimeLimits;
  logger: Logger;
  /** The handler named `<plugin>.<handler>` in the current generation, with its plugin's scope, if any. */
  findHandler(name: string): MountedWsHandler | undefined;
  /** Who is behind an upgrade request (the engine's identity service); a throw refuses the upgrade with 401. */
  identify(request: http.IncomingMessage): Identity | Promise<Identity>;
  /** Whether a browser page of this Origin may open a connection (cross-site websocket hijacking); requests without Origin are not from a page. */
  allowOrigin(origin: string, request: http.IncomingMessage): boolean;
  /** Throws (a BrickyardError) when `identity` may not subscribe to `topic`, e.g. another owner's `task:<id>`. */
  authorizeSubscription?(identity: Identity, topic: string): Promise<void> | void;
  /**
   * Told when a connection opens and closes (to record who owns which socket,
   * cluster-wide); the frames `onOpen` returns go out right after the welcome
   * (e.g. a signed-in user's unread notices).
   */
  onOpen?(socketId: string, identity: Identity): Promise<{ handler: string; data: unknown }[] | void> | { handler: string; data: unknown }[] | void;
  onClose?(socketId: string): void;
}

/**
 * The websocket side of an HTTP worker, at `/ws` (README, "Websockets and background tasks"). Connections
 * live here, not in a generation: a reload swaps the handlers they reach but
 * never closes them.
 */
export class RealtimeHost {
  private readonly server: WebSocketServer;
  private readonly connections = new Map<string, Connection>();
  private readonly users = new Map<string, Set<Connection>>();
  private readonly topics = new Map<string, Set<Connection>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: RealtimeHostOptions) {
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: options.limits.maxFrameBytes, // larger frames close the connection with 1009
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.heartbeat = setInterval(() => this.beat(), options.limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  attach(server: http.Server): void {
    server.on('upgrade', (request, socket, head) => void this.upgrade(request, socket, head));
  }

  private async upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    const refuse = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}\n`);
    };
    if (path !== '/ws') return refuse(404, 'websockets are served at /ws');
    const origin = request.headers.origin;
    if (origin !== undefined && !this.options.allowOrigin(origin, request)) {
      return refuse(403, `pages of ${origin.slice(0, 200)} may not connect here (WS_ALLOWED_ORIGINS)`);
    }
    if (this.connections.size >= this.options.limits.maxConnections) {
      return refuse(503, `this worker has ${this.connections.size} connections, its limit (WS_MAX_CONNECTIONS); retry later`);
    }
    let identity: Identity;
    try {
      identity = await this.options.identify(request);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'websocket identification failed');
      return refuse(401, (error as Error)?.message || 'could not identify the connection');
    }
    this.server.handleUpgrade(request, socket, head, (socket) => this.open(socket, identity));
  }

  private open(socket: WebSocket, identity: Identity): void {
    const { ratePerSecond, rateBurst } = this.options.limits;
    // Unguessable: an id is how a task's frames are sent to a socket, so it must not be derivable from anything else.
    const connection = new Connection(crypto.randomBytes(16).toString('base64url'), socket, identity, new RateLimiter(ratePerSecond, rateBurst));
    this.connections.set(connection.id, connection);
    if (identity.userId) this.index(this.users, identity.userId, connection);
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data, isBinary) => void this.receive(connection, data, isBinary));
    socket.on('error', (error) => this.options.logger.debug({ err: error, socket: connection.id }, 'websocket error'));
    socket.on('close', () => this.forget(connection));
    // The welcome (and its socketId) goes out once the socket's owner is recorded, so a task submitted with it finds the owner.
    Promise.resolve(this.options.onOpen?.(connection.id, identity))
      .catch((error) => void this.options.logger.warn({ err: error }, 'recording a socket owner failed'))
      .then((frames) => {
        connection.send(encodeFrame('welcome', { socketId: connection.id, userId: identity.userId }));
        for (const frame of frames ?? []) connection.send(encodeFrame(frame.handler, frame.data));
      });
  }

  private index(map: Map<string, Set<Connection>>, key: string, connection: Connection): void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(connection);
  }

  private unindex(map: Map<string, Set<Connection>>, key: string, connection: Connection): void {
    const set = map.get(key);
    if (!set) return;
    set.delete(connection);
    if (!set.size) map.delete(key);
  }

  private forget(connection: Connection): void {
    this.connections.delete(connection.id);
    this.options.onClose?.(connection.id);
    if (connection.identity.userId) this.unindex(this.users, connection.identity.userId, connection);
    for (const topic of connection.topics) this.unindex(this.topics, topic, connection);
  }

  private beat(): void {
    for (const connection of this.connections.values()) {
      if (!connection.alive) {
        connection.socket.terminate(); // no pong since the last beat: the peer is gone
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  private async receive(connection: Connection, raw: RawData, isBinary: boolean): Promise<void> {
    let id: string | undefined;
    try {
      if (isBinary) throw new FrameError('bad_frame', 'binary frames are not supported: send JSON text');
      const text = raw.toString();
      if (!connection.limiter.take()) {
        id = /"id"\s*:\s*"([^"]{1,100})"/.exec(text)?.[1];
        const { ratePerSecond, rateBurst } = this.options.limits;
        throw new FrameError('rate_limited', `more than ${ratePerSecond} frames per second (bursts of ${rateBurst}): this frame was dropped`, id);
      }
      const frame = parseFrame(text);
      id = frame.id;
      const result = await this.dispatch(connection, frame.handler, frame.data, id);
      if (id) connection.send(encodeFrame(frame.handler, result ?? null, id));
    } catch (error) {
      if (error instanceof FrameError) {
        connection.send(errorFrame(error.code, error.message, error.id ?? id));
      } else if (error instanceof BrickyardError) {
        connection.send(errorFrame(error.code, error.message, id)); // the same code an HTTP error body would carry
      } else {
        // As over HTTP: the cause goes to the log, the caller gets the code and a plain message.
        this.options.logger.error({ err: error, socket: connection.id }, 'websocket handler failed');
        connection.send(errorFrame('internal', 'internal error', id));
      }
    }
  }

  private topicOf(data: unknown, id?: string): string {
    const topic = (data as { topic?: unknown } | undefined)?.topic;
    if (typeof topic !== 'string' || !TOPIC.test(topic)) {
      throw new FrameError('bad_topic', 'data must be {"topic": string} of 1 to 200 letters, digits or :._-/', id);
    }
    return topic;
  }

  private async dispatch(connection: Connection, name: string, data: unknown, id?: string): Promise<unknown> {
    switch (name) {
      case 'ping':
        return { pong: Date.now(), pid: process.pid };
      case 'subscribe': {
        const topic = this.topicOf(data, id);
        try {
          await this.options.authorizeSubscription?.(connection.identity, topic);
        } catch (error) {
          if (error instanceof BrickyardError) throw new FrameError(error.code, error.message, id);
          throw error;
        }
        this.addTopic(connection, topic, id);
        return { topic };
      }
      case 'unsubscribe': {
        const topic = this.topicOf(data, id);
        connection.topics.delete(topic);
        this.unindex(this.topics, topic, connection);
        return { topic };
      }
    }
    const mounted = this.options.findHandler(name);
    if (!mounted) {
      throw new FrameError('unknown_handler', `no handler named ${JSON.stringify(name)}: built-ins are ping, subscribe and unsubscribe; plugin handlers are "<plugin>.<handler>" of an enabled plugin`, id);
    }
    const { handler, plugin } = mounted;
    const { handle, params } = typeof handler === 'function' ? { handle: handler, params: undefined } : handler;
    let input = data;
    if (params) {
      const parsed = params.safeParse(data);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ');
        throw new FrameError('invalid_params', `${name}: ${detail}`, id);
      }
      input = parsed.data;
    }
    const ownTopic = (topic: string) => {
      if (typeof topic !== 'string' || !TOPIC.test(topic)) throw new FrameError('bad_topic', `${name}: topics are 1 to 200 letters, digits or :._-/`, id);
      if (!mounted.mayUseTopic(topic)) {
        throw new FrameError('capability_missing', `${name}: topic ${JSON.stringify(topic)} is not plugin ${plugin.name}'s (its topics are "${plugin.name}:…"; others need capability topics:<prefix>)`, id);
      }
    };
    const context: WsContext = {
      socketId: connection.id,
      identity: connection.identity,
      realtime: plugin.realtime,
      plugin,
      subscribe: (topic) => {
        ownTopic(topic);
        this.addTopic(connection, topic, id);
      },
      unsubscribe: (topic) => {
        connection.topics.delete(topic);
        this.unindex(this.topics, topic, connection);
      },
    };
    return handle(input, context);
  }

  /** Subscribes a connection, within its limit of topics. */
  private addTopic(connection: Connection, topic: string, id?: string): void {
    if (!connection.topics.has(topic) && connection.topics.size >= this.options.limits.maxTopics) {
      throw new FrameError('rate_limited', `a connection may follow at most ${this.options.limits.maxTopics} topics (WS_MAX_TOPICS): unsubscribe from one first`, id);
    }
    connection.topics.add(topic);
    this.index(this.topics, topic, connection);
  }

  /** This process's connections in any of `recipients`, each once. */
  private connectionsOf(recipients: Recipients): Set<Connection> {
    const found = new Set<Connection>();
    for (const id of recipients.sockets ?? []) {
      const connection = this.connections.get(id);
      if (connection) found.add(connection);
    }
    for (const user of recipients.users ?? []) for (const connection of this.users.get(user) ?? []) found.add(connection);
    for (const topic of recipients.topics ?? []) for (const connection of this.topics.get(topic) ?? []) found.add(connection);
    return found;
  }

  /** Delivers a fanned-out frame to the matching sockets of this process. */
  deliver(message: FanoutMessage): void {
    const { to, frame } = message;
    if ('socket' in to) this.connections.get(to.socket)?.send(frame);
    else if ('topic' in to) for (const connection of this.topics.get(to.topic) ?? []) connection.send(frame);
    else if ('users' in to) for (const user of to.users) for (const connection of this.users.get(user) ?? []) connection.send(frame);
    else if ('recipients' in to) for (const connection of this.connectionsOf(to.recipients)) connection.send(frame);
    else for (const connection of this.connections.values()) connection.send(frame);
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const connection of this.connections.values()) connection.socket.close(1001, 'server shutting down');
    this.server.close();
  }
}
