import { ApiError } from '@brickyard/client';

/** What went wrong with a form's request, in words a person can act on. */
export function errorWords(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  if (error.unreachable) return 'The server cannot be reached. Check your connection and try again.';
  if (error.status === 429) return `Too many attempts. ${error.message}`;
  if (error.status === 413) return 'That file is too large.';
  return error.message;
}
