import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * One initialised Nest app (never listening) behind a plain request handler.
 * It counts requests in flight so that, once replaced, it can finish them
 * before it closes. A generation is made of two: the core app and the plugins app.
 */
export class MountedApp {
  private inflight = 0;
  private drained?: () => void;
  private closing?: Promise<void>;
  /** One listener shared by every request: no closure allocated per request. */
  private readonly requestClosed = () => {
    if (--this.inflight === 0) this.drained?.();
  };

  constructor(
    readonly app: INestApplication,
    private readonly handler: RequestHandler,
    /** Releases what the app holds beyond Nest (e.g. its DataSource), after it closed. */
    private readonly release: () => Promise<void> | void = () => {},
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.inflight++;
    res.on('close', this.requestClosed);
    this.handler(req, res);
  }

  /** Waits for in-flight requests (at most `drainMs`), then closes the app and releases what it holds. Idempotent. */
  retire(drainMs: number): Promise<void> {
    this.closing ??= (async () => {
      if (this.inflight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainMs);
          this.drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      await this.app.close();
      await this.release();
    })();
    return this.closing;
  }
}
