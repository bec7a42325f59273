import { onBeforeUnmount, shallowRef, watch, type WatchSource } from 'vue';

/**
 * Loads data for a page from its route: reloads when `source` changes, drops
 * the answer of a request that a newer one replaced, and exposes the three
 * states every page shows (loading, error, data) with a retry. A `load` that
 * returns the data itself (not a promise) sets it at once, so a page whose
 * data is already here renders it in its first render.
 */
export function useLoader<T, S>(source: WatchSource<S>, load: (value: S, signal: AbortSignal) => T | Promise<T>) {
  const data = shallowRef<T | null>(null);
  const error = shallowRef<Error | null>(null);
  const loading = shallowRef(true);
  let controller: AbortController | undefined;
  let current: S;

  async function run(value: S) {
    current = value;
    controller?.abort();
    const mine = (controller = new AbortController());
    loading.value = true;
    error.value = null;
    try {
      const answer = load(value, mine.signal);
      const result = answer instanceof Promise ? await answer : answer;
      if (mine.signal.aborted) return;
      data.value = result;
    } catch (failure) {
      if (mine.signal.aborted) return;
      error.value = failure as Error;
      data.value = null;
    } finally {
      if (!mine.signal.aborted) loading.value = false;
    }
  }

  watch(source, run, { immediate: true });
  onBeforeUnmount(() => controller?.abort());
  return { data, error, loading, retry: () => run(current) };
}
