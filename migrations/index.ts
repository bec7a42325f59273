import { KernelTables1763780000000 } from './1763780000000-kernel-tables';

/** Core migrations in the order they run. Plugins keep theirs in their own folders. */
export const coreMigrations = [KernelTables1763780000000];
