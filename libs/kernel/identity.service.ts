import type { Identity } from '@brickyard/sdk';
import type { IncomingMessage } from 'node:http';
import * as crypto from 'node:crypto';

/** A credential that was presented and is wrong: answered 401 rather than served as anonymous. */
export class RejectedCredentials extends Error {}

/**
 * Says who is behind an HTTP request or a websocket upgrade: the engine's one
 * identity service, which every plugin reads the same way (`@CurrentIdentity()`,
 * `context.identity`). Until accounts exist: the admin token makes the admin,
 * anything else is anonymous, told apart by client address.
 */
export class IdentityService {
  private readonly adminToken: Buffer;

  constructor(adminToken: string) {
    this.adminToken = Buffer.from(adminToken);
  }

  identify(request: IncomingMessage): Identity {
    const raw = request.socket?.remoteAddress ?? null;
    const address = raw?.startsWith('::ffff:') ? raw.slice(7) : raw; // IPv4 clients of a dual-stack socket
    const header = request.headers.authorization;
    if (!header) return { userId: null, role: 'anonymous', address };
    const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!given) throw new RejectedCredentials('the Authorization header must be "Bearer <token>" with the token in $BRICKYARD_HOME/admin-token');
    if (!this.isAdminToken(given)) throw new RejectedCredentials('the admin token is wrong: use the one in $BRICKYARD_HOME/admin-token');
    return { userId: 'admin', role: 'admin', address };
  }

  /** Timing-safe comparison with the admin token. */
  isAdminToken(given: string): boolean {
    const actual = Buffer.from(given);
    return actual.length === this.adminToken.length && crypto.timingSafeEqual(actual, this.adminToken);
  }
}
