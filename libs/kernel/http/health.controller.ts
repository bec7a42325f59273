import { Controller, Get, Inject } from '@nestjs/common';
import { KERNEL_HOST, type KernelHost } from '../kernel-host';
import { GENERATION_PLUGINS, type GenerationPlugin } from '../generation-plugins';

@Controller('api')
export class HealthController {
  constructor(
    @Inject(KERNEL_HOST) private readonly host: KernelHost,
    @Inject(GENERATION_PLUGINS) private readonly plugins: GenerationPlugin[],
  ) {}

  /** This process: its generation and the state of every known plugin. */
  @Get('health')
  health() {
    return this.host.health();
  }

  /** Enabled plugins this generation serves, for the web client. */
  @Get('plugins')
  list() {
    return this.plugins.map((p) => ({
      name: p.name,
      title: p.manifest.title,
      version: p.manifest.version,
      description: p.manifest.description ?? null,
      client: p.manifest.client ? `/plugins/${p.name}/${p.manifest.client}` : null,
    }));
  }
}
