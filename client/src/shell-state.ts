import { reactive } from 'vue';

/** What the shell shows above every page: a navigation that failed (a page's code could not load). */
export const shell = reactive({ navigationError: null as string | null });
