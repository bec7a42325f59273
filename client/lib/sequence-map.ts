import { defineAsyncComponent } from 'vue';

/**
 * The sequence map (sequence-map/SequenceMap.vue) as @brickyard/client
 * exports it: an async component, so neither it nor d3 is part of the shared
 * module every page preloads; both load when a page first draws a map.
 * Props: `sequence`, `features` (as GET /api/parts/:name gives them), `sites`
 * (sitesFromCompatibility(part.compatibility)), `name`, `topology`.
 */
export const SequenceMap = defineAsyncComponent(() => import('./sequence-map/SequenceMap.vue'));

export { sitesFromCompatibility, siteKey, standardName, type Compatibility, type MapSite } from './sequence-map/restriction-sites';
export type { MapFeature } from './sequence-map/features';
export type { Selection as SequenceSelection } from './sequence-map/selection';
