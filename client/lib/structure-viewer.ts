import { defineAsyncComponent } from 'vue';

/**
 * The structure viewer (structure/StructureViewer.vue) as @brickyard/client
 * exports it: an async component, so neither it nor NGL is part of the
 * shared module every page preloads; both load when a page first shows one.
 * The chunks it loads import nothing from this library but vue (the build
 * checks it: bin/build-client.js), so they share the page's single Vue.
 */
export const StructureViewer = defineAsyncComponent(() => import('./structure/StructureViewer.vue'));

export type { PdbSummary } from './structure/pdb-text';
export type { Colouring, Representation } from './structure/viewer-options';
