import { Controller, Get, Inject } from '@nestjs/common';
import { ENGINE, type Engine } from '../engine';

@Controller('api')
export class HealthController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  /** This process: its generation and the state of every known plugin. */
  @Get('health')
  health() {
    return this.engine.health();
  }

  /** Enabled plugins the current generation serves, for the web client. */
  @Get('plugins')
  list() {
    return this.engine.servedPlugins().map((p) => ({
      name: p.name,
      title: p.manifest.title,
      version: p.manifest.version,
      description: p.manifest.description ?? null,
      // The compiled client's content-hashed URL (the browser imports it); null for a plugin without a client.
      client: p.client?.url ?? null,
      status: p.status,
      error: p.error,
    }));
  }
}
