import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Logger } from 'pino';

interface RequestLike {
  id: string;
  method: string;
  url: string;
}
interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/**
 * One place where a failed request is answered and logged, once: client errors
 * at `warn` without a stack, server errors at `error` with the cause.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestLike>();
    const reply = http.getResponse<ReplyLike>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    let message: unknown = 'internal server error';
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
    }
    const context = { reqId: request.id, method: request.method, url: request.url, status };
    if (status >= 500) this.logger.error({ ...context, err: exception }, 'request failed');
    else this.logger.warn({ ...context, message }, 'request refused');
    reply.status(status).send({ statusCode: status, message, requestId: request.id });
  }
}
