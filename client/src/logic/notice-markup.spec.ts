import { describe, expect, test } from 'vitest';
import { parseNotice } from './notice-markup';

describe('parseNotice', () => {
  test('plain text stays one text segment, HTML included, as text', () => {
    expect(parseNotice('<b>hi</b> & <script>x</script>')).toEqual([{ kind: 'text', text: '<b>hi</b> & <script>x</script>' }]);
  });

  test('links of known types become routes, with the text around them kept', () => {
    expect(parseNotice('[[ada]]((user))((ada)) commented on [[BBa_B0034]]((part))((BBa_B0034)).')).toEqual([
      { kind: 'link', text: 'ada', to: '/users/ada' },
      { kind: 'text', text: ' commented on ' },
      { kind: 'link', text: 'BBa_B0034', to: '/parts/BBa_B0034' },
      { kind: 'text', text: '.' },
    ]);
  });

  test('an experience links to its route; ids are encoded into the path', () => {
    expect(parseNotice('[[your note]]((experience))((42))')).toEqual([{ kind: 'link', text: 'your note', to: '/experiences/42' }]);
    expect(parseNotice('[[x]]((user))((a/../b?c))')[0]).toEqual({ kind: 'link', text: 'x', to: '/users/a%2F..%2Fb%3Fc' });
  });

  test('a plugin submission links to the page of its submitter, at that submission', () => {
    expect(parseNotice('Your plugin [[notes 1.0.0]]((plugin-submission))((12)) was approved.')[1]).toEqual({ kind: 'link', text: 'notes 1.0.0', to: '/plugin-submissions?id=12' });
  });

  test('an unknown type or an empty id is its text, merged with the text around it', () => {
    expect(parseNotice('see [[this]]((plugin))((7)) now')).toEqual([{ kind: 'text', text: 'see this now' }]);
    expect(parseNotice('[[nobody]]((user))(())')).toEqual([{ kind: 'text', text: 'nobody' }]);
  });

  test('malformed markup is left as written', () => {
    for (const message of ['[[open]]((user)', '[[a]]((user))((b', '[[a]](user)(b)', '[[unclosed', '((user))((a))', '']) {
      expect(parseNotice(message).map((s) => s.text).join('')).toBe(message);
      expect(parseNotice(message).every((s) => s.kind === 'text')).toBe(true);
    }
  });
});
