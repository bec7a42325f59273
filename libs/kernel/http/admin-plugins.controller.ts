import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { KERNEL_HOST, type KernelHost } from '../kernel-host';
import { AdminTokenGuard } from './admin-token.guard';

@Controller('api/admin')
@UseGuards(AdminTokenGuard)
export class AdminPluginsController {
  constructor(@Inject(KERNEL_HOST) private readonly host: KernelHost) {}

  /** Every plugin row: desired state (`enabled`) and what the cluster reached. */
  @Get('plugins')
  list() {
    return this.host.pluginState.list();
  }

  /** The live processes of the cluster (every host), with their role and generation. */
  @Get('processes')
  processes() {
    return this.host.bus.processes();
  }

  /** Converges the whole cluster; answers when every process reports the new generation, or says which did not. */
  @Post('reload')
  @HttpCode(200)
  reload() {
    return this.host.reloadCluster('admin reload');
  }

  @Post('plugins/:name/enable')
  @HttpCode(200)
  enable(@Param('name') name: string) {
    return this.setEnabled(name, true);
  }

  @Post('plugins/:name/disable')
  @HttpCode(200)
  disable(@Param('name') name: string) {
    return this.setEnabled(name, false);
  }

  private async setEnabled(name: string, enabled: boolean) {
    if (!(await this.host.pluginState.find(name))) {
      throw new NotFoundException(`no plugin named ${name}: GET /api/admin/plugins lists them`);
    }
    await this.host.pluginState.setEnabled(name, enabled);
    const reload = await this.host.reloadCluster(`plugin ${name} ${enabled ? 'enabled' : 'disabled'}`);
    const row = await this.host.pluginState.find(name);
    return { plugin: row, reload };
  }
}
