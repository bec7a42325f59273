import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { BrickyardError, codeOfStatus, type ErrorCode } from '@brickyard/sdk';
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

/** The status, code and message of anything a request handler threw. */
export function describeFailure(exception: unknown): { status: number; code: ErrorCode; message: unknown } {
  if (exception instanceof BrickyardError) return { status: exception.status, code: exception.code, message: exception.message };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
    return { status, code: codeOfStatus(status), message };
  }
  // Fastify's own refusals (a body that is not JSON, too large, …) carry a statusCode.
  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, code: codeOfStatus(statusCode), message: (exception as Error).message };
  }
  return { status: 500, code: 'internal', message: 'internal server error' };
}

/**
 * One place where a failed request is answered and logged, once: client errors
 * at `warn` without a stack, server errors at `error` with the cause. Every body
 * is `{statusCode, code, message, requestId}`, with the codes websocket error
 * frames use (BrickyardError).
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<RequestLike>();
    const reply = http.getResponse<ReplyLike>();
    const { status, code, message } = describeFailure(exception);
    const context = { reqId: request.id, method: request.method, url: request.url, status, code };
    if (status >= 500) this.logger.error({ ...context, err: exception }, 'request failed');
    else this.logger.warn({ ...context, message }, 'request refused');
    reply.status(status).send({ statusCode: status, code, message, requestId: request.id });
  }
}
