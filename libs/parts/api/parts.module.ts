import type { KernelExtension, KernelProcess } from '@brickyard/kernel';
import { type DynamicModule, Module } from '@nestjs/common';
import { snapshotDatabaseName } from '../snapshot/snapshot-database';
import { AdminPartsController, PartsController } from './parts.controller';
import { PartsRepository } from './parts.repository';

@Module({})
export class PartsModule {
  static with(repository: PartsRepository): DynamicModule {
    return { module: PartsModule, controllers: [PartsController, AdminPartsController], providers: [{ provide: PartsRepository, useValue: repository }] };
  }
}

/** Adds the parts API to a kernel process's generations. */
export function partsServices(): (host: KernelProcess) => Promise<KernelExtension> {
  return async (host) => ({ coreModules: [PartsModule.with(new PartsRepository(host.db, snapshotDatabaseName(host.config())))] });
}
