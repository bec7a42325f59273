import { describe, expect, test } from 'vitest';
import { pageWithPreloads, withDataPreload } from './client.controller';

const page = '<html><head><title>t</title></head><body></body></html>';
const preload = { modules: ['/assets/PartPage-abc12345.js', '/shared/SequenceMap.abcdefabcdef.js'], styles: ['/assets/PartPage-abc12345.css'], data: '/api/parts/' };

describe('a page with preloads', () => {
  test('names the chunks and stylesheets in its head, stylesheets with the credentials mode Vite loads them with', () => {
    const html = withDataPreload(pageWithPreloads(page, preload), preload, 'BBa_C0012');
    expect(html).toContain('<link rel="modulepreload" href="/assets/PartPage-abc12345.js">');
    expect(html).toContain('<link rel="modulepreload" href="/shared/SequenceMap.abcdefabcdef.js">');
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/assets/PartPage-abc12345.css">');
    expect(html).toContain('<link rel="preload" as="fetch" crossorigin href="/api/parts/BBa_C0012">');
    expect(html.indexOf('modulepreload')).toBeLessThan(html.indexOf('</head>'));
  });

  test('encodes the name as the app does, so the page cannot be broken out of', () => {
    const html = withDataPreload(pageWithPreloads(page, preload), preload, 'x"><img src=x onerror=alert(1)>');
    expect(html).not.toContain('<img');
    expect(html).toContain('href="/api/parts/x%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"');
  });

  test('makes no data preload for what is not one name', () => {
    for (const rest of ['', 'a/b', 'x'.repeat(129)]) {
      const html = withDataPreload(pageWithPreloads(page, preload), preload, rest);
      expect(html).not.toContain('as="fetch"');
      expect(html).not.toContain('{{DATA}}');
    }
  });
});
