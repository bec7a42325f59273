import { DomUtils, parseDocument } from 'htmlparser2';

type AnyNode = ReturnType<typeof parseDocument>['children'][number];

/** Elements that end a line of text. */
const BLOCKS = new Set(['p', 'div', 'br', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'ul', 'ol', 'hr']);

/**
 * The text of an HTML fragment, a paragraph or block per line, blank lines
 * between paragraphs: what a Registry review says, for its digest and as its
 * `text`. Markup never survives: only text nodes are read.
 */
export function plainTextOf(html: string): string {
  const parts: string[] = [];
  const walk = (nodes: AnyNode[]) => {
    for (const node of nodes) {
      if (DomUtils.isText(node)) parts.push(node.data.replace(/\s+/g, ' '));
      else if (DomUtils.isTag(node)) {
        if (node.name === 'script' || node.name === 'style') continue;
        walk(node.children);
        if (BLOCKS.has(node.name)) parts.push(node.name === 'p' ? '\n\n' : '\n');
      }
    }
  };
  walk(parseDocument(html).children);
  return parts.join('').replace(/[ \t]*\n[ \t]*/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
