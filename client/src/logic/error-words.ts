import { ApiError } from '@brickyard/client';

/** `too many tries` → `Too many tries.`: the API's messages are lowercase clauses. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.');

/** What went wrong with a form's request, in words a person can act on. */
export function errorWords(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (error.unreachable) return 'The server cannot be reached. Check your connection and try again.';
  if (error.status === 429) return `Please wait. ${sentence(error.message)}`;
  if (error.status === 413) return 'That file is too large.';
  return sentence(error.message);
}
