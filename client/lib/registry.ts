import { markRaw, shallowReactive, type Component } from 'vue';

/**
 * What the shell renders from outside its own code: menu entries and the
 * components of named slots. The core registers its own; plugin-clients.ts
 * registers each plugin's `defineClientPlugin({ menu, slots })` under the
 * plugin's name and removes them when the plugin goes, and the shell, which
 * reads only this registry, follows without a reload.
 */

/** The places the shell renders slot components in, and the props each one gets. */
export interface SlotProps {
  /** A panel on every part page, given the part as the API answers it. */
  'part.panels': { part: Record<string, unknown> & { part_name: string } };
  /** A card on the home page. */
  'home.cards': Record<string, never>;
}
export type SlotName = keyof SlotProps;

export interface MenuEntry {
  /** Who registered it: `core`, or a plugin's name. */
  owner: string;
  title: string;
  /** An absolute path of the app (plugins' are under /plugins/<name>/). */
  to: string;
  /** A bootstrap-icons name known to the shell, e.g. 'search'. */
  icon?: string;
  /** Lower first; the core's entries use 0–99. */
  order?: number;
}

export interface SlotEntry<S extends SlotName = SlotName> {
  owner: string;
  /** Unique within the owner; with the owner's version it keys the rendered component, so a new version remounts. */
  key: string;
  version?: string;
  title?: string;
  /** Rendered with the slot's props (SlotProps[S]). */
  component: Component;
  order?: number;
}

const menu = shallowReactive(new Map<string, MenuEntry[]>());
const slots = shallowReactive(new Map<string, SlotEntry[]>());

const byOrder = (a: { order?: number }, b: { order?: number }) => (a.order ?? 100) - (b.order ?? 100);

/** Replaces everything `owner` registered (a plugin's new version replaces its old one whole). */
export function register(owner: string, contributions: { menu?: Omit<MenuEntry, 'owner'>[]; slots?: { [S in SlotName]?: Omit<SlotEntry<S>, 'owner'>[] } }): void {
  unregister(owner);
  menu.set(owner, (contributions.menu ?? []).map((entry) => ({ ...entry, owner })));
  for (const [name, entries] of Object.entries(contributions.slots ?? {})) {
    // Components are never made reactive (markRaw): Vue would proxy their options for nothing.
    const added = (entries ?? []).map((entry) => ({ ...entry, owner, component: markRaw(entry.component) }) as SlotEntry);
    slots.set(name, [...(slots.get(name) ?? []), ...added]);
  }
}

/** Removes everything `owner` registered. */
export function unregister(owner: string): void {
  menu.delete(owner);
  for (const [name, list] of slots) slots.set(name, list.filter((entry) => entry.owner !== owner));
}

export function menuEntries(): MenuEntry[] {
  return [...menu.values()].flat().sort(byOrder);
}

export function slotEntries<S extends SlotName>(name: S): SlotEntry<S>[] {
  return [...(slots.get(name) ?? [])].sort(byOrder) as SlotEntry<S>[];
}
