import type { ZodType } from 'zod';
import type { PluginContext } from './context';
import type { Identity } from './identity';

/** A frame on the wire (README, "Websockets and background tasks"). */
export interface Frame<T = unknown> {
  handler: string;
  data?: T;
  id?: string;
}

/**
 * Sends frames to connected clients, from any process of any host (through Redis).
 * A plugin's sender only sends frames named `<plugin>.…`, and to topics `<plugin>:…`.
 */
export interface Realtime {
  toSocket(socketId: string, handler: string, data: unknown): Promise<void>;
  toUser(userId: string, handler: string, data: unknown): Promise<void>;
  toUsers(userIds: string[], handler: string, data: unknown): Promise<void>;
  toTopic(topic: string, handler: string, data: unknown): Promise<void>;
  toEveryone(handler: string, data: unknown): Promise<void>;
  /** One frame to several audiences at once (one message through Redis); a connection in more than one gets it once. */
  toRecipients(recipients: Recipients, handler: string, data: unknown): Promise<void>;
}

/** Audiences of one frame: sockets by id, users' connections, topics' subscribers. */
export interface Recipients {
  sockets?: string[];
  users?: string[];
  topics?: string[];
}

/** What a websocket handler knows about the call. */
export interface WsContext {
  socketId: string;
  /** Who is on the other end (from the upgrade request). */
  identity: Identity;
  /** The handler's plugin's sender (its own frames and topics). */
  realtime: Realtime;
  /** The handler's plugin. */
  plugin: PluginContext;
  /** Subscribes this socket to one of the plugin's own topics (`<plugin>:…`). */
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
}

export type WsHandlerFunction<T = any> = (data: T, context: WsContext) => unknown;

/** A handler, optionally with a schema its `data` must match (else the caller gets `invalid_params`). */
export type WsHandler<T = any> = WsHandlerFunction<T> | { params?: ZodType<T>; handle: WsHandlerFunction<T> };
