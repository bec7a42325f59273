import { AdminPartsController, PartEnricher, PartsController, PartsRepository, SearchCountCache } from '@brickyard/parts';
import { readWeightComponents } from '@brickyard/ranking';
import { PLUGIN_CONTEXT, type PluginContext } from '@brickyard/sdk';
import { Module } from '@nestjs/common';
import type { PartsSettings } from './settings';

type Context = PluginContext<PartsSettings>;

/**
 * The parts API: `/api/parts` (list, search, part pages, exports) and
 * `/api/admin/parts` (import, rank, history), on the host's database
 * (capability `database`) and the live snapshot.
 */
@Module({
  controllers: [PartsController, AdminPartsController],
  providers: [
    {
      provide: PartsRepository,
      inject: [PLUGIN_CONTEXT],
      useFactory: (context: Context) => {
        const db = context.database();
        const totals = new SearchCountCache(context.store, db, () => context.settings.get('PARTS_SEARCH_TOTALS_CACHE_SECONDS'));
        return new PartsRepository(db, context.snapshot().snapshotDatabase, { totals, weightComponents: readWeightComponents });
      },
    },
    {
      provide: PartEnricher,
      inject: [PLUGIN_CONTEXT],
      useFactory: (context: Context) =>
        new PartEnricher(context.database(), context.store, context.realtime, context.logger, () => ({
          sourceUrl: context.settings.get('PARTS_SOURCE_URL'),
          maxAgeDays: context.settings.get('PARTS_EXTRAS_MAX_AGE_DAYS'),
          concurrency: context.settings.get('PARTS_EXTRAS_CONCURRENCY'),
          timeoutMs: context.settings.get('PARTS_EXTRAS_TIMEOUT_MS'),
          maxBytes: context.settings.get('PARTS_EXTRAS_MAX_BYTES'),
          allowedHosts: context.settings.get('PARTS_SOURCE_ALLOWED_HOSTS'),
        })),
    },
  ],
})
export class PartsModule {}
