import { register } from '@brickyard/client';

/**
 * The core's own menu entries, registered like a plugin's will be, so the
 * navbar has one source: the registry (lib/registry.ts).
 */
export function registerCore(): void {
  register('core', {
    menu: [
      { title: 'Parts', to: '/parts', icon: 'search', order: 10 },
      { title: 'Structures', to: '/structures', icon: 'box', order: 20 },
      { title: 'Plugins', to: '/plugins', icon: 'puzzle', order: 80 },
      { title: 'API', to: '/api/docs', icon: 'braces', order: 90 },
    ],
  });
}
