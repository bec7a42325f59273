import { onBeforeUnmount, onMounted } from 'vue';
import css from './sequence-map.css?inline';

/**
 * The map's CSS travels in its lazily loaded chunk (a library build does not
 * load a component's CSS file by itself), and is in the page only while a map
 * is mounted: the first load of other pages carries none of it.
 */
let element: HTMLStyleElement | null = null;
let users = 0;

export function useSequenceMapStyles(): void {
  onMounted(() => {
    if (users++ === 0) {
      element = document.createElement('style');
      element.dataset.sequenceMap = '';
      element.textContent = css;
      document.head.append(element);
    }
  });
  onBeforeUnmount(() => {
    if (--users === 0) {
      element?.remove();
      element = null;
    }
  });
}
