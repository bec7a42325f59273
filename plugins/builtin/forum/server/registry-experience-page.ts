import { DomUtils, parseDocument } from 'htmlparser2';

// htmlparser2's node types (from its own domhandler, which it does not re-export).
type AnyNode = ReturnType<typeof parseDocument>['children'][number];
type Element = NonNullable<ReturnType<typeof DomUtils.findOne>>;

/** A user review read from a part's `Part:<name>:Experience` page: its Registry author, and its body as HTML (not yet sanitized). */
export interface RegistryReview {
  author: string;
  html: string;
}

/** Root-relative links and images on the page are the Registry's. */
const REGISTRY_ORIGIN = 'https://parts.igem.org';
/** Authors longer than this are not names (Biohub skips them; author_name holds 100). */
const MAX_AUTHOR = 100;
/** In the paragraph layout, a paragraph like this one starts a review and names its author (Biohub's ExperienceSpider). */
const AUTHOR_LINE = /^\s*igem.{1,60}$/i;
/** Reviews read from one page at most: a page is untrusted, and each review is a row. */
const MAX_REVIEWS = 500;

const isElement = (node: AnyNode): node is Element => DomUtils.isTag(node);
const isHeading = (node: AnyNode) => isElement(node) && /^h[1-6]$/.test(node.name);
const textOf = (node: AnyNode) => DomUtils.textContent(node);

/**
 * Biohub's ExperienceSpider over a MediaWiki page: in `#mw-content-text`,
 * paragraphs holding a `\x7fUNIQ` placeholder (unexpanded wiki markup) are
 * dropped; the reviews follow the heading that holds `#User_Reviews`, up to the
 * next heading as high, in one of two layouts: (a) tables, one per review,
 * whose first row's first cell names the author in a `<p>` and whose second
 * cell is the body; or (b) paragraphs, where one matching AUTHOR_LINE starts a
 * review and the paragraphs after it are its body. A page without that
 * heading has none. The HTML is read into a tree by htmlparser2 (one pass,
 * forgiving of broken markup), never by patterns over the text.
 */
export function readExperiencePage(page: string): RegistryReview[] {
  const document = parseDocument(page);
  const content = DomUtils.getElementById('mw-content-text', document.children);
  if (!content) return [];
  for (const p of DomUtils.getElementsByTagName('p', content)) if (textOf(p).includes('\x7fUNIQ')) DomUtils.removeElement(p);
  const anchor = DomUtils.getElementById('User_Reviews', content.children);
  if (!anchor) return [];
  // The id is on the heading's <span class="mw-headline"> (older MediaWiki), or on the heading itself.
  const heading = isHeading(anchor) ? anchor : anchor.parent && isHeading(anchor.parent) ? (anchor.parent as Element) : anchor;
  const section = sectionAfter(heading);
  absoluteLinks(section);
  const tables = section.filter((node) => node.name === 'table');
  const reviews = tables.length ? tables.flatMap(tableReview) : paragraphReviews(section.filter((node) => node.name === 'p'));
  return mergeByAuthor(reviews).slice(0, MAX_REVIEWS);
}

/** The elements after the heading, up to the next heading of the same or a higher level. */
function sectionAfter(heading: Element): Element[] {
  const level = isHeading(heading) ? Number(heading.name[1]) : 6;
  const elements: Element[] = [];
  for (let node = heading.nextSibling; node; node = node.nextSibling) {
    if (!isElement(node)) continue;
    if (isHeading(node) && Number(node.name[1]) <= level) break;
    elements.push(node);
  }
  return elements;
}

/** Layout (a): the first row's first cell names the author (in a <p>), the second cell is the body. */
function tableReview(table: Element): RegistryReview[] {
  const row = DomUtils.findOne((node) => node.name === 'tr', table.children);
  const cells = row ? row.children.filter(isElement).filter((cell) => cell.name === 'td' || cell.name === 'th') : [];
  const authorParagraph = cells[0] && DomUtils.findOne((node) => node.name === 'p', cells[0].children);
  if (!authorParagraph || !cells[1]) return [];
  const author = textOf(authorParagraph).trim();
  if (!author || author.length > MAX_AUTHOR) return [];
  return [{ author, html: DomUtils.getInnerHTML(cells[1]) }];
}

/** Layout (b): an author line starts a review; the paragraphs after it, to the next author line, are its body. */
function paragraphReviews(paragraphs: Element[]): RegistryReview[] {
  const reviews: RegistryReview[] = [];
  for (const p of paragraphs) {
    // Python's `$` (Biohub's) matches before a final newline, and MediaWiki ends paragraphs' text with one.
    const line = textOf(p).replace(/\n$/, '');
    if (AUTHOR_LINE.test(line)) reviews.push({ author: line.trim(), html: '' });
    else if (reviews.length) reviews[reviews.length - 1]!.html += DomUtils.getOuterHTML(p);
  }
  return reviews;
}

/** `href="/…"` and `src="/…"` (not `//…`) made absolute to the Registry, where they point. */
function absoluteLinks(section: Element[]): void {
  for (const element of [...section, ...DomUtils.findAll(() => true, section)]) {
    for (const attribute of ['href', 'src']) {
      const value = element.attribs[attribute];
      if (value?.startsWith('/') && !value.startsWith('//')) element.attribs[attribute] = REGISTRY_ORIGIN + value;
    }
  }
}

/** One review per author (a row is keyed by part and author): a second one's body is appended to the first's. */
function mergeByAuthor(reviews: RegistryReview[]): RegistryReview[] {
  const byAuthor = new Map<string, RegistryReview>();
  for (const review of reviews) {
    const key = review.author.toLowerCase();
    const first = byAuthor.get(key);
    if (first) first.html += review.html;
    else byAuthor.set(key, { ...review });
  }
  return [...byAuthor.values()];
}
