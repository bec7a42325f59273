import { ApiError } from '@brickyard/client';
import { expect, test } from 'vitest';
import { errorWords } from './error-words';

test('API errors are said in words: throttling, size, unreachable, the server’s own message as a sentence', () => {
  expect(errorWords(new ApiError(429, 'rate_limited', 'too many failed sign-ins: try again in 15 minutes'))).toBe('Please wait. Too many failed sign-ins: try again in 15 minutes.');
  expect(errorWords(new ApiError(413, 'too_large', 'payload'))).toBe('That file is too large.');
  expect(errorWords(new ApiError(0, 'network', 'x'))).toMatch(/cannot be reached/);
  expect(errorWords(new ApiError(401, 'unauthorized', 'the username or the password is wrong'))).toBe('The username or the password is wrong.');
  expect(errorWords(new ApiError(400, 'invalid_params', 'Done.'))).toBe('Done.');
  expect(errorWords(new TypeError('boom'))).toBe('Something went wrong. Please try again.');
});
