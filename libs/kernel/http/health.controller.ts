import { Controller, Get, Inject } from '@nestjs/common';
import { ENGINE, type Engine } from '../engine';
import { pluginListing } from '../plugin-listing';

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
    return pluginListing(this.engine.servedPlugins());
  }
}
