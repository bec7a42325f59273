import { BadRequestException, Body, Controller, Delete, Get, Inject, NotFoundException, Param, Put, UseGuards } from '@nestjs/common';
import { ConfigError, ConfigOverridesRepository, findSetting, parseSettingValue } from '@brickyard/config';
import { KERNEL_HOST, type KernelHost } from '../kernel-host';
import { AdminTokenGuard } from './admin-token.guard';

@Controller('api/admin/config')
@UseGuards(AdminTokenGuard)
export class AdminConfigController {
  private readonly overrides: ConfigOverridesRepository;

  constructor(@Inject(KERNEL_HOST) private readonly host: KernelHost) {
    this.overrides = new ConfigOverridesRepository(host.db);
  }

  /** Every setting with its documentation, effective value and where it came from (secrets masked). */
  @Get()
  list() {
    return this.host.config().describe();
  }

  /** Validates and stores an override, then reloads the cluster so every process applies it. Body: `{ "value": … }`. */
  @Put(':key')
  async set(@Param('key') key: string, @Body() body: unknown) {
    const setting = this.writable(key);
    if (!body || typeof body !== 'object' || !('value' in body)) {
      throw new BadRequestException(`send a JSON body {"value": …} with the new value of ${key}`);
    }
    let value: unknown;
    try {
      value = parseSettingValue(setting, (body as { value: unknown }).value, 'value');
    } catch (error) {
      throw new BadRequestException((error as ConfigError).message);
    }
    await this.overrides.set(key, value);
    const reload = await this.host.reloadCluster(`config ${key} changed`);
    return { key, value, reload };
  }

  /** Removes an override: the environment or default value applies again after the reload. */
  @Delete(':key')
  async reset(@Param('key') key: string) {
    this.writable(key);
    await this.overrides.remove(key);
    const reload = await this.host.reloadCluster(`config ${key} reset`);
    return { key, reload };
  }

  private writable(key: string) {
    const setting = findSetting(key);
    if (!setting) throw new NotFoundException(`no setting named ${key}: GET /api/admin/config lists them`);
    if (setting.readOnly) {
      throw new BadRequestException(`${key} is read-only at runtime: set it in the environment and restart`);
    }
    return setting;
  }
}
