import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { catchError, throwError } from 'rxjs';
import { ThrottledError } from './throttle';

/** Sends a throttle's "when to retry" as the Retry-After header too (the error body says it in words). */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof ThrottledError) context.switchToHttp().getResponse<{ header(name: string, value: string): void }>().header('retry-after', String(error.retryAfter));
        return throwError(() => error);
      }),
    );
  }
}
