import { KernelTables1763780000000 } from './1763780000000-kernel-tables';
import { Tasks1763780200000 } from './1763780200000-tasks';
import { SnapshotImports1763780300000 } from './1763780300000-snapshot-imports';
import { PartsViews1763780400000 } from './1763780400000-parts-views';
import { PartsSequences1763780500000 } from './1763780500000-parts-sequences';
import { PartWeightsById1763780600000 } from './1763780600000-part-weights-by-id';
import { RankingState1763780700000 } from './1763780700000-ranking-state';
import { PluginGrants1763780800000 } from './1763780800000-plugin-grants';
import { NoticesAndActivities1763780900000 } from './1763780900000-notices-and-activities';
import { RankingStateMinima1763781000000 } from './1763781000000-ranking-state-minima';
import { PlatformEvents1763781100000 } from './1763781100000-platform-events';
import { PluginSubmissions1763781300000 } from './1763781300000-plugin-submissions';

/** Core migrations in the order they run. Plugins keep theirs in their own folders. */
export const coreMigrations = [KernelTables1763780000000, Tasks1763780200000, SnapshotImports1763780300000, PartsViews1763780400000, PartsSequences1763780500000, PartWeightsById1763780600000,
  RankingState1763780700000, PluginGrants1763780800000, NoticesAndActivities1763780900000,
  RankingStateMinima1763781000000, PlatformEvents1763781100000,
  PluginSubmissions1763781300000];
