import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

/**
 * A disclosure panel opened by a button: Escape and a click outside close it,
 * and closing with Escape gives focus back to the button (keyboard users are
 * not dropped at the top of the page).
 */
export function usePopover(root: Ref<HTMLElement | null>, button: Ref<HTMLElement | null>) {
  const open = ref(false);
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open.value) return;
    open.value = false;
    button.value?.focus();
  };
  const onPointer = (event: Event) => {
    if (open.value && root.value && !root.value.contains(event.target as Node)) open.value = false;
  };
  watch(open, (isOpen) => {
    if (isOpen) {
      document.addEventListener('keydown', onKey);
      document.addEventListener('pointerdown', onPointer);
    } else {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    }
  });
  onBeforeUnmount(() => (open.value = false));
  return { open, toggle: () => (open.value = !open.value) };
}
