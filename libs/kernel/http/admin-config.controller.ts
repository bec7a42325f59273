import { Body, Controller, Delete, Get, Inject, Param, Put } from '@nestjs/common';
import { ConfigError, ConfigOverridesRepository, parseSettingValue } from '@brickyard/config';
import { BrickyardError, RequireAccess, ZodPipe } from '@brickyard/sdk';
import { z } from 'zod';
import { ENGINE, type Engine } from '../engine';

const newValue = z.object({ value: z.unknown() }).strict().refine((body) => 'value' in body, { message: 'send {"value": …}' });

/** Settings: the core's and every mounted plugin's (each in its own section), with their docs. */
@Controller('api/admin/config')
@RequireAccess('admin')
export class AdminConfigController {
  private readonly overrides: ConfigOverridesRepository;

  constructor(@Inject(ENGINE) private readonly engine: Engine) {
    this.overrides = new ConfigOverridesRepository(engine.db);
  }

  /** Every setting with its documentation, effective value and where it came from (secrets masked). */
  @Get()
  list() {
    return this.engine.describeSettings();
  }

  /** Validates and stores an override, then reloads the cluster so every process applies it. Body: `{ "value": … }`. */
  @Put(':key')
  async set(@Param('key') key: string, @Body(new ZodPipe(newValue, 'body', 'send {"value": …} with the new value')) body: { value: unknown }) {
    const setting = this.writable(key);
    let value: unknown;
    try {
      value = parseSettingValue(setting, body.value, 'value');
    } catch (error) {
      throw new BrickyardError('invalid_params', (error as ConfigError).message);
    }
    await this.overrides.set(key, value);
    const reload = await this.engine.reloadCluster(`config ${key} changed`);
    return { key, value, reload };
  }

  /** Removes an override: the environment or default value applies again after the reload. */
  @Delete(':key')
  async reset(@Param('key') key: string) {
    this.writable(key);
    await this.overrides.remove(key);
    const reload = await this.engine.reloadCluster(`config ${key} reset`);
    return { key, reload };
  }

  private writable(key: string) {
    const setting = this.engine.config().find(key);
    if (!setting) throw new BrickyardError('not_found', `no setting named ${key}: GET /api/admin/config lists them (a plugin's appear while it is mounted)`);
    if (setting.readOnly) {
      throw new BrickyardError('bad_request', `${key} is read-only at runtime: set it in the environment and restart`);
    }
    return setting;
  }
}
