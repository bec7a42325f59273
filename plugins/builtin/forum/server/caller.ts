import { BrickyardError, type Identity } from '@brickyard/sdk';

/** A signed-in user with an account (the admin token has none: it may moderate, not write). */
export interface Author {
  id: string;
  username: string;
}

/** The signed-in user, or a 401 (403 for the admin token, which is no account to write as). */
export function signedIn(who: Identity): Author {
  if (!who.userId || who.role === 'anonymous') throw new BrickyardError('unauthorized', 'sign in first: POST /api/auth/login');
  if (!/^[1-9][0-9]{0,19}$/.test(who.userId)) throw new BrickyardError('forbidden', 'only an account writes in the forum: sign in as a user');
  return { id: who.userId, username: who.username ?? who.userId };
}

/** Whether `who` may change what `authorId` wrote: its author, or an admin. Anonymous callers get a 401 first. */
export function assertMayChange(who: Identity, authorId: string | null, what: string): void {
  if (!who.userId && who.role !== 'admin') throw new BrickyardError('unauthorized', `sign in first to change ${what}`);
  if (who.role === 'admin') return;
  if (authorId === null) throw new BrickyardError('forbidden', `${what} was written on the Registry and is read-only here`);
  if (String(authorId) !== who.userId) throw new BrickyardError('forbidden', `only its author or an admin may change ${what}`);
}

/** A numeric id from a URL: anything else (`1 OR 1=1`, `-1`, `1e3`) is a 404, never a query. */
export function idParam(value: string, what: string): string {
  if (!/^[1-9][0-9]{0,18}$/.test(value)) throw new BrickyardError('not_found', `no ${what} ${value.slice(0, 40)}`);
  return value;
}

/** Anyone but an anonymous caller (a 401): checked before looking anything up. */
export function notAnonymous(who: Identity): void {
  if (!who.userId && who.role !== 'admin') throw new BrickyardError('unauthorized', 'sign in first: POST /api/auth/login');
}
