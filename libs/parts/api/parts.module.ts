import type { KernelExtension, KernelProcess } from '@brickyard/kernel';
import { type DynamicModule, Module } from '@nestjs/common';
import { PartEnricher } from '../enrichment/part-enricher';
import { snapshotDatabaseName } from '../snapshot/snapshot-database';
import { AdminPartsController, PartsController } from './parts.controller';
import { partsOpenApi } from './parts.openapi';
import { PartsRepository, type WeightComponentsReader } from './parts.repository';
import { SearchCountCache } from './search-count-cache';

@Module({})
export class PartsModule {
  static with(repository: PartsRepository, enricher: PartEnricher): DynamicModule {
    return {
      module: PartsModule,
      controllers: [PartsController, AdminPartsController],
      providers: [
        { provide: PartsRepository, useValue: repository },
        { provide: PartEnricher, useValue: enricher },
      ],
    };
  }
}

/** Adds the parts API to a kernel process's generations; `weightComponents` explains weights on part pages. */
export function partsServices(options: { weightComponents?: WeightComponentsReader } = {}): (host: KernelProcess) => Promise<KernelExtension> {
  return async (host) => {
    const totals = new SearchCountCache(host.redis, host.namespace, host.db, () => host.config().get('PARTS_SEARCH_TOTALS_CACHE_SECONDS'));
    const repository = new PartsRepository(host.db, snapshotDatabaseName(host.config()), { totals, weightComponents: options.weightComponents });
    const enricher = new PartEnricher(host.db, host.redis, host.namespace, host.realtime, host.logger, () => {
      const config = host.config();
      return {
        sourceUrl: config.get('PARTS_SOURCE_URL'),
        maxAgeDays: config.get('PARTS_EXTRAS_MAX_AGE_DAYS'),
        concurrency: config.get('PARTS_EXTRAS_CONCURRENCY'),
        timeoutMs: config.get('PARTS_EXTRAS_TIMEOUT_MS'),
      };
    });
    return { coreModules: [PartsModule.with(repository, enricher)], openApi: partsOpenApi };
  };
}
