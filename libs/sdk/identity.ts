import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

export type Role = 'anonymous' | 'user' | 'admin';

/**
 * Who is on the other end of a request, a websocket or a task. Anonymous callers
 * have no `userId`; until accounts exist they are told apart by `address`. The
 * admin token (CLI, scripts) identifies as the admin.
 */
export interface Identity {
  userId: string | null;
  /** The signed-in user's name (`admin` for the admin token); absent for anonymous callers. */
  username?: string | null;
  role: Role;
  /** The client's network address (anonymous callers' per-owner limits count by it). */
  address: string | null;
}

export const ANONYMOUS: Identity = Object.freeze({ userId: null, role: 'anonymous', address: null });

/**
 * The owner a task or a record of this identity is filed under: the user id, `admin`, or
 * `anonymous:<address>` (per client address until accounts exist).
 */
export function ownerOf(identity: Identity): string {
  if (identity.role === 'admin') return identity.userId ?? 'admin';
  if (identity.userId) return identity.userId;
  return `anonymous:${identity.address ?? 'unknown'}`;
}

const identities = new WeakMap<IncomingMessage, Identity>();

/** Set by the engine on every request before a plugin sees it. */
export function attachIdentity(request: IncomingMessage, identity: Identity): void {
  identities.set(request, identity);
}

/** The identity the engine attached to a raw request (anonymous if none). */
export function identityOf(request: IncomingMessage): Identity {
  return identities.get(request) ?? ANONYMOUS;
}

/** Controller parameter: the caller's identity. `@CurrentIdentity() who: Identity`. */
export const CurrentIdentity = createParamDecorator((_data: unknown, context: ExecutionContext): Identity => {
  const request = context.switchToHttp().getRequest<{ raw?: IncomingMessage } & IncomingMessage>();
  return identityOf(request.raw ?? request);
});
