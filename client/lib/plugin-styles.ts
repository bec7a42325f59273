/**
 * The CSS of plugins' components, present exactly while one of them is
 * mounted. The server compiles each `<style>` of a plugin's `.vue` file into
 * the component's module, with a key naming its scope id and content; the
 * first mount of a component adds one <style> per key and the last unmount
 * removes it. A new version of the component has a new key, so its CSS
 * arrives with it and the old CSS leaves with the old one, instead of piling
 * up in the page version after version.
 */
const sheets = new Map<string, { element: HTMLStyleElement; users: number }>();

function acquire(key: string, css: string): void {
  const held = sheets.get(key);
  if (held) return void held.users++;
  const element = document.createElement('style');
  element.dataset.pluginStyle = key;
  element.textContent = css;
  document.head.append(element);
  sheets.set(key, { element, users: 1 });
}

function release(key: string): void {
  const held = sheets.get(key);
  if (!held || --held.users > 0) return;
  held.element.remove();
  sheets.delete(key);
}

type Hook = (this: unknown) => void;
interface StyledComponent {
  beforeMount?: Hook;
  unmounted?: Hook;
}

/** Used by the server's compiled components (plugin-client-sfc.ts): ties `css` to the component's mounted instances. */
export function withPluginStyle<T extends object>(component: T, key: string, css: string): T {
  const target = component as StyledComponent;
  const { beforeMount, unmounted } = target;
  target.beforeMount = function (this: unknown) {
    acquire(key, css);
    beforeMount?.call(this);
  };
  target.unmounted = function (this: unknown) {
    unmounted?.call(this);
    release(key);
  };
  return component;
}

/** The keys of the plugin styles in the page now (for tests and the benchmark). */
export function pluginStyleKeys(): string[] {
  return [...sheets.keys()];
}
