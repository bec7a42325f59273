import { AdminPartsController, PartEnricher, PartSocial, PartSocialController, PartsController, PartsRepository, PartViews, RatingThrottle, SearchCountCache, SearchIndexService, UserParts } from '@brickyard/parts';
import { readWeightComponents, reweightPart } from '@brickyard/ranking';
import { PLUGIN_CONTEXT, type PluginContext } from '@brickyard/sdk';
import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { PartsSettings } from './settings';

type Context = PluginContext<PartsSettings>;

/**
 * The parts API: `/api/parts` (list, search, part pages, exports, ratings,
 * stars, watches, popular parts) and `/api/admin/parts` (import, rank,
 * history), on the host's database (capability `database`) and the live snapshot.
 */
@Module({
  // PartSocialController first: its static GET popular is registered before PartsController's GET :name.
  controllers: [PartSocialController, PartsController, AdminPartsController],
  providers: [
    {
      // One in-memory search index per process; HTTP workers build it as they start (job workers never search).
      provide: SearchIndexService,
      inject: [PLUGIN_CONTEXT],
      useFactory: (context: Context) => {
        const service = new SearchIndexService(context.database(), context.snapshot().snapshotDatabase, context.store, context.logger, {
          pollMs: () => context.settings.get('PARTS_SEARCH_SYNC_MS'),
          waitMs: () => context.settings.get('PARTS_SEARCH_INDEX_WAIT_MS'),
        });
        if (context.role === 'http') service.start();
        return service;
      },
    },
    {
      provide: PartsRepository,
      inject: [PLUGIN_CONTEXT, SearchIndexService],
      useFactory: (context: Context, searchIndex: SearchIndexService) => {
        const db = context.database();
        const totals = new SearchCountCache(context.store, db, () => context.settings.get('PARTS_SEARCH_TOTALS_CACHE_SECONDS'));
        return new PartsRepository(db, context.snapshot().snapshotDatabase, { totals, weightComponents: readWeightComponents, searchIndex });
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
    {
      provide: PartSocial,
      inject: [PLUGIN_CONTEXT, SearchIndexService],
      useFactory: (context: Context, searchIndex: SearchIndexService) =>
        new PartSocial(context.database(), context.snapshot().snapshotDatabase, {
          realtime: context.realtime,
          logger: context.logger,
          throttle: new RatingThrottle(context.store, () => context.settings.get('PARTS_RATING_INTERVAL_SECONDS')),
          activities: () => context.activities,
          // Live weights: the rated part's weight is recomputed in the rating's transaction, with the ranking's SQL.
          reweight: reweightPart,
          // …and search on every worker takes the new weight within PARTS_SEARCH_SYNC_MS.
          reweighted: (partId, weight) => searchIndex.weightChanged(partId, weight),
        }),
    },
    {
      provide: PartViews,
      inject: [PLUGIN_CONTEXT],
      useFactory: (context: Context) => new PartViews(context.database(), context.store, context.logger, () => context.settings.get('PARTS_POPULAR_WINDOW_HOURS')),
    },
    {
      provide: UserParts,
      inject: [PLUGIN_CONTEXT],
      useFactory: (context: Context) => new UserParts(context.database()),
    },
  ],
})
export class PartsModule implements OnModuleDestroy {
  constructor(@Inject(SearchIndexService) private readonly searchIndex: SearchIndexService) {}

  /** A reload or a disable drops this module: its index stops polling and is freed with it. */
  onModuleDestroy(): void {
    this.searchIndex.stop();
  }
}
