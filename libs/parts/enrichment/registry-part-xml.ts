/** What the Registry's per-part XML API (RSBPML) adds to the dump: parameters, twins, categories. */
export interface PartExtras {
  parameters: { name: string; value: string; units: string }[];
  twins: string[];
  categories: string[];
  /** The part's page on the Registry: an http(s) URL, or null (anything else is dropped). */
  url: string | null;
}

export class RegistryXmlError extends Error {}

/**
 * `text` as an absolute http(s) URL (as a browser reads it), or null: a part's
 * URL is shown as a link, so `javascript:`, `data:` and the like never pass.
 */
export function httpUrlOrNull(text: unknown): string | null {
  if (typeof text !== 'string' || text.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/**
 * Extras as stored in `part_extras` (JSON), made safe to serve: rows written
 * before URLs were checked may hold any `url`, and this reads them as the
 * parser would write them today. Null when there are none or they are unreadable.
 */
export function servableExtras(stored: unknown): PartExtras | null {
  if (stored === null || stored === undefined) return null;
  let extras: unknown = stored;
  if (typeof stored === 'string') {
    try {
      extras = JSON.parse(stored);
    } catch {
      return null;
    }
  }
  if (!extras || typeof extras !== 'object' || Array.isArray(extras)) return null;
  const value = extras as Partial<PartExtras>;
  return { ...value, parameters: value.parameters ?? [], twins: value.twins ?? [], categories: value.categories ?? [], url: httpUrlOrNull(value.url) };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (text: string) =>
  text.indexOf('&') < 0
    ? text
    : text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (entity, body: string) => {
        if (body[0] !== '#') return ENTITIES[body]!;
        const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : entity;
      });

/** Elements opened deeper than this are skipped (RSBPML is 6 levels deep): what is kept stays bounded. */
const MAX_DEPTH = 256;
/** Characters kept of one element's text (a part's name, URL, a parameter, a twin, a category); the rest is dropped. */
const MAX_TEXT = 64 * 1024;

/** What an open element is to the part being read (null: nothing we keep). */
type Role = 'root' | 'part_list' | 'part' | 'parameters' | 'parameter' | 'twins' | 'categories' | 'text' | null;
/** Elements whose text is kept, by the role of their parent. */
const KEPT: Partial<Record<Exclude<Role, null>, Record<string, Role>>> = {
  root: { part_list: 'part_list' },
  part_list: { part: 'part' },
  part: { part_name: 'text', part_url: 'text', parameters: 'parameters', twins: 'twins', categories: 'categories' },
  parameters: { parameter: 'parameter' },
  parameter: { name: 'text', value: 'text', units: 'text' },
  twins: { twin: 'text' },
  categories: { category: 'text' },
};

interface PartBeingRead {
  name?: string;
  url?: string;
  parameters: { name: string; value: string; units: string }[];
  twins: string[];
  categories: string[];
}

const LT = 60, GT = 62, SLASH = 47, DQUOTE = 34, SQUOTE = 39;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 0xc0;
const isNameEnd = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === SLASH || c === GT;

/**
 * Reads RSBPML in one forward scan: a small tokenizer (text, tags, comments,
 * CDATA, processing instructions, a doctype, never an entity definition) whose
 * position only moves forward, so its time is linear in the document whatever
 * it holds (unterminated tags, deep nesting, stray `<`). Mismatched closing
 * tags close what they name if it is open and are ignored otherwise, as a
 * browser would; `step` lets a caller read a long document in slices.
 */
class RsbpmlReader {
  private pos = 0;
  private readonly names: string[] = [];
  private readonly roles: Role[] = [];
  /** How many elements of each name are open: a closing tag finds whether its element is open in O(1). */
  private readonly open = new Map<string, number>();
  private rootSeen = false;
  private complete = false;
  private part: PartBeingRead | null = null;
  private text: string[] | null = null;
  private textLength = 0;
  private textDepth = 0;
  private parameter: { name: string; value: string; units: string } | null = null;
  found: PartBeingRead | null = null;

  constructor(
    private readonly xml: string,
    private readonly partName: string,
  ) {}

  /** Reads about `chars` characters (at least one token); true when the document is read. */
  step(chars: number): boolean {
    const { xml } = this;
    const stop = Math.min(xml.length, this.pos + chars);
    while (this.pos < stop && !this.complete) {
      const lt = xml.indexOf('<', this.pos);
      if (lt < 0) {
        this.onText(this.pos, xml.length);
        this.pos = xml.length;
        break;
      }
      if (lt > this.pos) this.onText(this.pos, lt);
      this.pos = lt;
      this.token();
    }
    return this.complete || this.pos >= xml.length;
  }

  result(): PartExtras {
    if (!this.complete) throw new RegistryXmlError('the answer is not a complete RSBPML document');
    const part = this.found;
    if (!part) throw new RegistryXmlError(`the answer has no <part> named ${this.partName}`);
    return { parameters: part.parameters.filter((p) => p.name), twins: part.twins, categories: part.categories, url: httpUrlOrNull(part.url ?? null) };
  }

  /** One markup token at `pos` (which holds '<'). */
  private token(): void {
    const { xml } = this;
    const at = this.pos;
    const next = xml[at + 1];
    if (next === '!' || next === '?') {
      const [opening, closing] = xml.startsWith('<!--', at) ? ['<!--', '-->'] : xml.startsWith('<![CDATA[', at) ? ['<![CDATA[', ']]>'] : next === '?' ? ['<?', '?>'] : ['<!', '>'];
      const end = xml.indexOf(closing, at + opening.length);
      if (end < 0) return this.unterminated();
      if (opening === '<![CDATA[') this.onText(at + opening.length, end, false);
      this.pos = end + closing.length;
      return;
    }
    const closing = next === '/';
    const nameAt = closing ? at + 2 : at + 1;
    if (nameAt >= xml.length) return this.unterminated();
    if (!isNameStart(xml.charCodeAt(nameAt))) {
      // A '<' that starts no tag (`a < b`): text.
      this.onText(at, at + 1);
      this.pos = at + 1;
      return;
    }
    // The tag ends at the first '>' outside quotes; a '<' before it means it was no tag.
    let quote = 0;
    let i = nameAt;
    for (; i < xml.length; i++) {
      const c = xml.charCodeAt(i);
      if (c === LT) break;
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === DQUOTE || c === SQUOTE) quote = c;
      else if (c === GT) break;
    }
    if (i >= xml.length) return this.unterminated();
    if (xml.charCodeAt(i) === LT) {
      this.onText(at, i);
      this.pos = i;
      return;
    }
    let nameEnd = nameAt;
    while (nameEnd < i && !isNameEnd(xml.charCodeAt(nameEnd))) nameEnd++;
    const name = xml.slice(nameAt, nameEnd);
    this.pos = i + 1;
    if (closing) return this.onClose(name);
    this.onOpen(name);
    if (xml.charCodeAt(i - 1) === SLASH) this.onClose(name);
  }

  /** The rest of the document is one unfinished token: it cannot be complete. */
  private unterminated(): void {
    this.pos = this.xml.length;
  }

  private onOpen(name: string): void {
    if (!this.rootSeen) {
      if (name !== 'rsbpml') throw new RegistryXmlError('the answer is not a complete RSBPML document');
      this.rootSeen = true;
    }
    if (this.names.length >= MAX_DEPTH) return; // skipped; its closing tag then closes nothing, or an outer element of its name
    const parent = this.roles.length ? this.roles[this.roles.length - 1]! : null;
    const role: Role = this.names.length === 0 ? 'root' : parent && parent !== 'text' ? (KEPT[parent]?.[name] ?? null) : null;
    this.names.push(name);
    this.roles.push(role);
    this.open.set(name, (this.open.get(name) ?? 0) + 1);
    if (role === 'part' && !this.found) this.part = { parameters: [], twins: [], categories: [] };
    else if (role === 'parameter' && this.part) this.parameter = { name: '', value: '', units: '' };
    else if (role === 'text' && this.part && !this.text) {
      this.text = [];
      this.textLength = 0;
      this.textDepth = this.names.length;
    }
  }

  private onClose(name: string): void {
    if (!this.open.get(name)) return; // closes nothing that is open
    for (;;) {
      const closed = this.names.pop()!;
      const role = this.roles.pop()!;
      this.open.set(closed, this.open.get(closed)! - 1);
      this.closed(closed, role);
      if (closed === name) break;
    }
  }

  private closed(name: string, role: Role): void {
    const part = this.part;
    if (role === 'root') this.complete = true;
    if (!part) return;
    if (this.text && this.names.length < this.textDepth) {
      const value = this.text.join('').trim();
      this.text = null;
      const parent = this.roles[this.roles.length - 1];
      if (parent === 'part' && name === 'part_name') part.name ??= value;
      else if (parent === 'part' && name === 'part_url') part.url ??= value;
      else if (parent === 'parameter' && this.parameter) this.parameter[name as 'name' | 'value' | 'units'] = value;
      else if (parent === 'twins' && value) part.twins.push(value);
      else if (parent === 'categories' && value) part.categories.push(value);
    } else if (role === 'parameter' && this.parameter) {
      part.parameters.push(this.parameter);
      this.parameter = null;
    } else if (role === 'part') {
      if (part.name === this.partName) this.found = part;
      this.part = null;
      this.parameter = null;
    }
  }

  /** Text from `from` to `to` (markup-free unless `entities` is false: CDATA). */
  private onText(from: number, to: number, entities = true): void {
    if (!this.text || this.textLength >= MAX_TEXT) return;
    const end = Math.min(to, from + MAX_TEXT - this.textLength);
    this.textLength += end - from;
    const text = this.xml.slice(from, end);
    this.text.push(entities ? decode(text) : text);
  }
}

/**
 * Reads `<rsbpml><part_list><part>` for one part (e.g. /cgi/xml/part.cgi?part=BBa_B0034),
 * in time linear in the answer. Throws a RegistryXmlError saying what is wrong
 * when the answer is not such a document.
 */
export function parseRegistryPartXml(xml: string, partName: string): PartExtras {
  const reader = new RsbpmlReader(xml, partName);
  while (!reader.step(Number.MAX_SAFE_INTEGER));
  return reader.result();
}

/**
 * parseRegistryPartXml in slices of `sliceChars`, letting the event loop run
 * between them: a worker serving requests never stops for a long answer.
 */
export async function parseRegistryPartXmlInSlices(xml: string, partName: string, sliceChars = 256 * 1024): Promise<PartExtras> {
  const reader = new RsbpmlReader(xml, partName);
  while (!reader.step(sliceChars)) await new Promise((resolve) => setImmediate(resolve));
  return reader.result();
}
