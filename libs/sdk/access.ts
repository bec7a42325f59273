import { type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { BrickyardError } from './errors';
import { identityOf, type Identity } from './identity';

/** Who may do something: any caller, a signed-in user (or an admin), or an admin. */
export type Access = 'anyone' | 'user' | 'admin';

/** Throws the refusal `who` gets for something that needs `access`; `what` names it in the message. */
export function assertAccess(who: Identity, access: Access, what: string): void {
  if (access === 'anyone' || who.role === 'admin') return;
  if (access === 'user' && who.role === 'user') return;
  if (who.role === 'anonymous') {
    throw new BrickyardError(
      'unauthorized',
      access === 'admin'
        ? `${what} is for admins: send "Authorization: Bearer <token>" with the token in $BRICKYARD_HOME/admin-token`
        : `${what} needs a signed-in user`,
    );
  }
  throw new BrickyardError('forbidden', `${what} is for admins`);
}

const guards = new Map<Access, Function>();

function guardFor(access: Access): Function {
  let guard = guards.get(access);
  if (!guard) {
    @Injectable()
    class AccessGuard implements CanActivate {
      canActivate(context: ExecutionContext): boolean {
        const request = context.switchToHttp().getRequest<{ raw?: IncomingMessage; method: string; url: string } & IncomingMessage>();
        assertAccess(identityOf(request.raw ?? request), access, `${request.method} ${String(request.url).split('?')[0]}`);
        return true;
      }
    }
    guards.set(access, (guard = AccessGuard));
  }
  return guard;
}

/** Restricts a controller or a route: `@RequireAccess('admin')`. */
export const RequireAccess = (access: Access) => UseGuards(guardFor(access) as never);
