import { BrickyardError, type Identity } from '@brickyard/sdk';

/** The signed-in user's id, or a 401. */
export function signedIn(who: Identity): string {
  if (!who.userId || who.role === 'anonymous' || !/^\d+$/.test(who.userId)) throw new BrickyardError('unauthorized', 'sign in first: POST /api/auth/login');
  return who.userId;
}
