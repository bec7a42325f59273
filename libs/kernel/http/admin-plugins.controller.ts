import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { BrickyardError, CurrentIdentity, RequireAccess, ZodPipe, type Identity } from '@brickyard/sdk';
import { z } from 'zod';
import { CAPABILITY_HELP, isCapability } from '../capabilities';
import { discoverPlugins } from '../discovery';
import { effectiveGrants } from '../plugin-loading';
import { ENGINE, type Engine } from '../engine';
import { allPluginDirs } from '../submissions/submitted-plugins-folder';

/** Who asked for a reload, as the reload history shows it: the signed-in admin's name, or `admin` for the token. */
const askedBy = (who: Identity) => who.username ?? who.userId ?? 'admin';

const grantBody = z.object({ capability: z.string().refine(isCapability, { message: `must be a capability: ${CAPABILITY_HELP}` }) }).strict();

@Controller('api/admin')
@RequireAccess('admin')
export class AdminPluginsController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  /** Every plugin row (desired state and what the cluster reached), with its capabilities: requested and granted. */
  @Get('plugins')
  async list() {
    const [rows, stored] = await Promise.all([this.engine.pluginState.list(), this.engine.grants.all()]);
    const found = new Map(discoverPlugins(allPluginDirs(this.engine.config())).map((p) => [p.name, p]));
    return rows.map((row) => {
      const plugin = found.get(row.name);
      return {
        ...row,
        builtin: plugin?.builtin ?? false,
        capabilities: {
          requested: plugin?.manifest?.capabilities ?? [],
          granted: plugin ? [...effectiveGrants(plugin, stored.get(row.name))] : [],
          stored: [...(stored.get(row.name) ?? [])],
        },
      };
    });
  }

  /** The live processes of the cluster (every host, the primary included), with their role, generation and metrics (CPU, memory, event-loop lag, uptime). */
  @Get('processes')
  processes() {
    return this.engine.bus.processes();
  }

  /** Converges the whole cluster; answers when every process reports the new generation, or says which did not. */
  @Post('reload')
  @HttpCode(200)
  reload(@CurrentIdentity() who: Identity) {
    return this.engine.reloadCluster('admin reload', askedBy(who));
  }

  @Post('plugins/:name/enable')
  @HttpCode(200)
  enable(@Param('name') name: string, @CurrentIdentity() who: Identity) {
    return this.setEnabled(name, true, who);
  }

  @Post('plugins/:name/disable')
  @HttpCode(200)
  disable(@Param('name') name: string, @CurrentIdentity() who: Identity) {
    return this.setEnabled(name, false, who);
  }

  /** Grants a capability and reloads: a plugin refused for lacking it mounts. Body `{"capability": "tables:shared_"}`. */
  @Post('plugins/:name/grants')
  @HttpCode(200)
  async grant(@Param('name') name: string, @Body(new ZodPipe(grantBody)) body: z.infer<typeof grantBody>, @CurrentIdentity() who: Identity) {
    await this.known(name);
    await this.engine.grants.grant(name, body.capability);
    const reload = await this.engine.reloadCluster(`plugin ${name} granted ${body.capability}`, askedBy(who));
    return { plugin: await this.engine.pluginState.find(name), reload };
  }

  /** Revokes a granted capability and reloads (a plugin that requests it is then refused). */
  @Delete('plugins/:name/grants/:capability')
  async revoke(@Param('name') name: string, @Param('capability') capability: string, @CurrentIdentity() who: Identity) {
    await this.known(name);
    if (!(await this.engine.grants.revoke(name, capability))) throw new BrickyardError('not_found', `${name} was not granted ${capability}`);
    const reload = await this.engine.reloadCluster(`plugin ${name} revoked ${capability}`, askedBy(who));
    return { plugin: await this.engine.pluginState.find(name), reload };
  }

  private async known(name: string) {
    const row = await this.engine.pluginState.find(name);
    if (!row) throw new BrickyardError('not_found', `no plugin named ${name}: GET /api/admin/plugins lists them`);
    return row;
  }

  private async setEnabled(name: string, enabled: boolean, who: Identity) {
    await this.known(name);
    await this.engine.pluginState.setEnabled(name, enabled);
    const reload = await this.engine.reloadCluster(`plugin ${name} ${enabled ? 'enabled' : 'disabled'}`, askedBy(who));
    const row = await this.engine.pluginState.find(name);
    return { plugin: row, reload };
  }
}
