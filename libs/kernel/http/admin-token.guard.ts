import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import * as crypto from 'node:crypto';
import { KERNEL_HOST, type KernelHost } from '../kernel-host';

/**
 * Admin routes need `Authorization: Bearer <token>`, the token generated on first
 * start into `$BRICKYARD_HOME/admin-token`, until accounts exist.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(KERNEL_HOST) private readonly host: KernelHost) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization;
    const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!given) {
      throw new UnauthorizedException('admin routes need "Authorization: Bearer <token>" with the token in $BRICKYARD_HOME/admin-token');
    }
    const expected = Buffer.from(this.host.adminToken);
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !crypto.timingSafeEqual(actual, expected)) {
      throw new UnauthorizedException('the admin token is wrong: use the one in $BRICKYARD_HOME/admin-token');
    }
    return true;
  }
}
