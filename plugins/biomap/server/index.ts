import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { BiomapController } from './biomap.controller';
import { biomapOpenApi } from './openapi';
import { BiomapService } from './biomap.service';
import { biomapSettings } from './settings';

@Module({ controllers: [BiomapController], providers: [BiomapService] })
class BiomapModule {}

export default definePlugin({
  module: BiomapModule,
  settings: biomapSettings,
  openApi: biomapOpenApi,
});
