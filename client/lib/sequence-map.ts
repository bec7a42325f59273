import { defineAsyncComponent } from 'vue';

/**
 * The sequence map (sequence-map/SequenceMap.vue) as @brickyard/client
 * exports it: an async component, so neither it nor d3 is part of the shared
 * module every page preloads; both load when a page first draws a map.
 * Props: `sequence`, `features` (as GET /api/parts/:name gives them), `sites`
 * (sitesFromCompatibility(part.compatibility)), `name`, `topology`.
 */
const load = () => import('./sequence-map/SequenceMap.vue');
export const SequenceMap = defineAsyncComponent(load);

/**
 * Starts loading the map's code (and d3) before the page has its data: the
 * router calls it as it enters a part page (client/src/logic/parts-api.ts),
 * so the chunk loads while the part is fetched instead of after
 * (bench/part-map.ts). The browser loads it once. It loads through the async
 * component's own loader (Vue's `__asyncLoader`), so that once it has
 * resolved a page renders the map in its first render, without a pass
 * through the empty placeholder. Resolves when loaded, or failed: a failure
 * shows when the map itself loads, in its place.
 */
export function preloadSequenceMap(): Promise<unknown> {
  const loader = (SequenceMap as { __asyncLoader?: () => Promise<unknown> }).__asyncLoader ?? load;
  return loader().catch(() => undefined);
}

export { sitesFromCompatibility, siteKey, standardName, type Compatibility, type MapSite } from './sequence-map/restriction-sites';
export type { MapFeature } from './sequence-map/features';
export type { Selection as SequenceSelection } from './sequence-map/selection';
