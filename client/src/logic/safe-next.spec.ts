import { expect, test } from 'vitest';
import { safeNext } from './safe-next';

test('only a path on this site is followed after signing in', () => {
  expect(safeNext('/notices')).toBe('/notices');
  expect(safeNext('/users/ada?tab=1')).toBe('/users/ada?tab=1');
  for (const unsafe of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', undefined, ['/a']]) expect(safeNext(unsafe)).toBe('/');
});
