import { definePlugin } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import { AbacusController } from './abacus.controller';
import { designTask } from './design.task';
import { deriveTask } from './derive.task';
import { abacusOpenApi } from './openapi';
import { abacusSettings } from './settings';

@Module({ controllers: [AbacusController] })
class AbacusModule {}

export default definePlugin({
  module: AbacusModule,
  tasks: { design: designTask, 'derive-tables': deriveTask },
  settings: abacusSettings,
  openApi: abacusOpenApi,
});
