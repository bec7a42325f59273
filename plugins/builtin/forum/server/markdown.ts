import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/** The one image source an experience may show: this forum's own attachments (no tracking pixels, no data: URLs). */
export const ATTACHMENT_URL = /^\/api\/forum\/attachments\/[1-9][0-9]{0,19}$/;

/**
 * Markdown as people write it, with raw HTML off: `<script>` in a post is shown
 * as text, never parsed. Links are recognised in text (linkify); markdown-it's
 * own link check already drops javascript:, vbscript:, file: and most data: URLs.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/**
 * Then a strict allowlist over what markdown-it made, in case a rendering rule
 * or a plugin ever lets something through: only text formatting, lists,
 * tables, code, links and our own images; no script, style, iframe, form or
 * event handler attribute; hrefs only http, https, mailto or relative (not
 * protocol-relative); every link rel="nofollow noopener noreferrer".
 */
const POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'em', 'strong', 's', 'del',
    'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], ol: ['start'], code: ['class'] },
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener noreferrer' } }),
    // Markdown never makes these; the Registry's wiki HTML does, meaning the same.
    b: 'strong',
    i: 'em',
  },
  // An image whose source is not one of our attachments is dropped (its alt text goes with it).
  exclusiveFilter: (frame) => frame.tag === 'img' && !ATTACHMENT_URL.test(frame.attribs.src ?? ''),
};

/** Markdown to HTML that is safe to insert in a page as is. */
export function renderMarkdown(text: string): string {
  return sanitizeForumHtml(markdown.render(text));
}

/** Any HTML (a Registry review's, as fetched) made safe to insert in a page as is, by the same allowlist. */
export function sanitizeForumHtml(html: string): string {
  return sanitizeHtml(html, POLICY);
}
