import { describe, expect, test } from 'vitest';
import { checkRef, checkRepositoryUrl } from './repository-address';

describe('checkRepositoryUrl', () => {
  test('https URLs pass; file:// only when allowed, and only without a host', () => {
    expect(checkRepositoryUrl(' https://github.com/lab/notes.git ', false)).toBe('https://github.com/lab/notes.git');
    expect(checkRepositoryUrl('file:///srv/git/notes.git', true)).toBe('file:///srv/git/notes.git');
    expect(() => checkRepositoryUrl('file:///srv/git/notes.git', false)).toThrow(/turned off on this server/);
    expect(() => checkRepositoryUrl('file://server/srv/notes.git', true)).toThrow(/file:\/\/\/path/);
  });

  test.each([
    ['ext::sh -c id', /spaces/],
    ['ext::sh', /ext:: runs a command/],
    ['fd::17', /remote helpers/],
    ['ssh://git@github.com/lab/notes.git', /ssh:\/\/ is not accepted/],
    ['git://github.com/lab/notes.git', /git:\/\/ is not accepted/],
    ['http://github.com/lab/notes.git', /plain http/],
    ['git@github.com:lab/notes.git', /not a URL/],
    ['/srv/git/notes.git', /not a URL/],
    ['-uhttps://x', /must not start with "-"/],
    ['https://token@github.com/lab/notes.git', /user name or password/],
    ['', /give the URL/],
  ])('%s is refused', (url, message) => {
    expect(() => checkRepositoryUrl(url, true)).toThrow(message);
  });
});

describe('checkRef', () => {
  test('branches, tags and commit ids pass', () => {
    for (const ref of ['main', 'v1.0.0', 'release/2026-12', 'feature_x', 'a'.repeat(40)]) expect(checkRef(ref)).toBe(ref);
  });

  test.each([['--upload-pack=id'], ['-b'], ['a..b'], ['a b'], ['x;id'], ['$(id)'], ['/main'], ['main/'], ['main.lock'], ['.hidden'], ['a//b'], ['']])('%j is refused', (ref) => {
    expect(() => checkRef(ref)).toThrow();
  });
});
