import type { Identity } from '@brickyard/sdk';
import type { SessionStore } from './session-store';
import type { IncomingMessage } from 'node:http';
import * as crypto from 'node:crypto';
import * as net from 'node:net';

/** The eight groups of an IPv6 address, `::` expanded, without a zone. */
function expandIPv6(address: string): string[] {
  const [head, tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** A credential that was presented and is wrong: answered 401 rather than served as anonymous. */
export class RejectedCredentials extends Error {}

/**
 * Says who is behind an HTTP request or a websocket upgrade: the engine's one
 * identity service, which every plugin reads the same way (`@CurrentIdentity()`,
 * `context.identity`). Until accounts exist: the admin token makes the admin,
 * anything else is anonymous, told apart by client address.
 */
/** Who a request is from, and whether a session cookie said so (its mutations then need the CSRF token). */
export interface Resolved {
  identity: Identity;
  bySession: boolean;
}

export const SESSION_COOKIE = 'brickyard_session';
export const CSRF_COOKIE = 'brickyard_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The value of cookie `name` in a request, if any. */
export function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export class IdentityService {
  private readonly adminToken: Buffer;

  constructor(
    adminToken: string,
    /** Reverse proxies in front of this server (TRUST_PROXY_HOPS): how far from the end of X-Forwarded-For the client is. */
    private readonly proxyHops = 0,
    /** Signed-in users' sessions; without them every caller but the admin is anonymous. */
    private readonly sessions?: SessionStore,
  ) {
    this.adminToken = Buffer.from(adminToken);
  }

  /**
   * Resolves a request: the admin token (Authorization), else a session cookie
   * (asynchronously: the session is in Redis), else anonymous. A stale or unknown
   * session cookie is anonymous, not an error.
   */
  resolve(request: IncomingMessage): Resolved | Promise<Resolved> {
    const identity = this.identify(request);
    const token = identity.role === 'anonymous' && this.sessions ? cookie(request, SESSION_COOKIE) : undefined;
    if (!token) return { identity, bySession: false };
    return this.sessions!.find(token).then((session) =>
      session ? { identity: { userId: session.userId, username: session.username ?? null, role: session.role, address: identity.address }, bySession: true } : { identity, bySession: false },
    );
  }

  /** Whether the connection is https (directly, or said so by a trusted proxy): session cookies are then Secure. */
  isHttps(request: IncomingMessage): boolean {
    if ((request.socket as { encrypted?: boolean } | undefined)?.encrypted) return true;
    return this.proxyHops > 0 && String(request.headers['x-forwarded-proto'] ?? '').split(',').pop()?.trim() === 'https';
  }

  /** A cookie-authenticated mutation must echo the CSRF cookie in X-CSRF-Token (compared in constant time). */
  csrfValid(request: IncomingMessage): boolean {
    const expected = cookie(request, CSRF_COOKIE);
    const given = request.headers[CSRF_HEADER];
    if (!expected || typeof given !== 'string' || given.length !== expected.length) return false;
    return crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  }

  /**
   * The address anonymous callers are told apart by: the socket's, or behind
   * trusted proxies the entry they appended to X-Forwarded-For (entries further
   * left are the client's own word). An IPv6 address counts as its /64, which
   * one client holds whole.
   */
  clientAddress(request: IncomingMessage): string | null {
    let address = request.socket?.remoteAddress ?? null;
    if (this.proxyHops > 0) {
      const header = request.headers['x-forwarded-for'];
      const entries = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((e) => e.trim()).filter(Boolean);
      const forwarded = entries[entries.length - this.proxyHops];
      if (forwarded && net.isIP(forwarded)) address = forwarded;
    }
    if (address?.startsWith('::ffff:') && net.isIPv4(address.slice(7))) return address.slice(7); // IPv4 clients of a dual-stack socket
    if (address && net.isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
    return address;
  }

  /** The admin token or anonymous, without sessions (see resolve). */
  identify(request: IncomingMessage): Identity {
    const address = this.clientAddress(request);
    const header = request.headers.authorization;
    if (!header) return { userId: null, role: 'anonymous', address };
    const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!given) throw new RejectedCredentials('the Authorization header must be "Bearer <token>" with the token in $BRICKYARD_HOME/admin-token');
    if (!this.isAdminToken(given)) throw new RejectedCredentials('the admin token is wrong: use the one in $BRICKYARD_HOME/admin-token');
    return { userId: 'admin', username: 'admin', role: 'admin', address };
  }

  /** Timing-safe comparison with the admin token. */
  isAdminToken(given: string): boolean {
    const actual = Buffer.from(given);
    return actual.length === this.adminToken.length && crypto.timingSafeEqual(actual, this.adminToken);
  }
}
