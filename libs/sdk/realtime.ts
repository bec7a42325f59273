import { Inject } from '@nestjs/common';
import type { ZodType } from 'zod';

/** A frame on the wire (DESIGN.md §9). */
export interface Frame<T = unknown> {
  handler: string;
  data?: T;
  id?: string;
}

/** Sends frames to connected clients, from any process of any host (through Redis). */
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

/** Who is on the other end of a connection; anonymous (`null` id) until accounts exist. */
export interface Identity {
  userId: string | null;
}

/** What a websocket handler knows about the call. */
export interface WsContext {
  socketId: string;
  identity: Identity;
  realtime: Realtime;
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
}

export type WsHandlerFunction<T = any> = (data: T, context: WsContext) => unknown;

/** A handler, optionally with a schema its `data` must match (else the caller gets `invalid_params`). */
export type WsHandler<T = any> = WsHandlerFunction<T> | { params?: ZodType<T>; handle: WsHandlerFunction<T> };

export const REALTIME = Symbol('Realtime');
/** Injects the `Realtime` sender into a plugin's provider. */
export const InjectRealtime = () => Inject(REALTIME);
