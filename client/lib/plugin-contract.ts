import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { SlotName } from './registry';

/**
 * What a plugin's `client/index.ts` default-exports (docs/plugins.md, "The
 * client"): its pages, menu entries and slot components. The server compiles
 * it; the page imports it, and swaps it live when it changes.
 */

/** A page of the plugin: `path` is relative to `/plugins/<name>/` (`''` is the plugin's own page). */
export type PluginRoute = RouteRecordRaw & { path: string };

export interface PluginMenuEntry {
  title: string;
  /** Relative to `/plugins/<name>/`: `''` is the plugin's page, `items` → `/plugins/<name>/items`. */
  to: string;
  /** A bootstrap-icons name the shell knows (see client/src/components/icons.ts); none by default. */
  icon?: string;
  order?: number;
}

/** A component for a named slot, with what the shell says about it if it fails. */
export interface PluginSlotEntry {
  component: Component;
  /** Shown in the error card if it throws; the plugin's title by default. */
  title?: string;
  /** Unique within the plugin's entries of one slot; its position by default. */
  key?: string;
  order?: number;
}

export interface ClientPluginDefinition {
  routes?: PluginRoute[];
  menu?: PluginMenuEntry[];
  /** `part.panels` components get `{ part }`; `home.cards` none. A bare component is one entry. */
  slots?: { [S in SlotName]?: Component | PluginSlotEntry | (Component | PluginSlotEntry)[] };
}

const MARK = Symbol.for('brickyard.client-plugin');

/** Declares a plugin's client; the page recognises only what this returns. */
export function defineClientPlugin(definition: ClientPluginDefinition): ClientPluginDefinition {
  return Object.assign(Object.create(null), definition, { [MARK]: true }) as ClientPluginDefinition;
}

export function isClientPlugin(value: unknown): value is ClientPluginDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
}

/** `/plugins/<name>/` joined with a plugin-relative path; leading slashes are the plugin's, not the site's. */
export function pluginPath(name: string, relative: string): string {
  const rest = relative.replace(/^\/+/, '');
  return `/plugins/${name}/${rest}`;
}

type SlotValue = Component | PluginSlotEntry | (Component | PluginSlotEntry)[] | undefined;

/** A slot's contributions as entries, whatever form the plugin wrote them in. */
export function slotEntriesOf(value: SlotValue): PluginSlotEntry[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.map((item) => (isSlotEntry(item) ? item : { component: item }));
}

/** `{ component, title? }` rather than a component (which has `setup`, `render` or a template-compiled body instead). */
const isSlotEntry = (value: Component | PluginSlotEntry): value is PluginSlotEntry =>
  typeof value === 'object' && value !== null && 'component' in value && !('setup' in value) && !('render' in value);
