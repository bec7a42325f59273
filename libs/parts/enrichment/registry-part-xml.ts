/** What the Registry's per-part XML API (RSBPML) adds to the dump: parameters, twins, categories. */
export interface PartExtras {
  parameters: { name: string; value: string; units: string }[];
  twins: string[];
  categories: string[];
  url: string | null;
}

export class RegistryXmlError extends Error {}

const unescape = (text: string) =>
  text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
    .trim();

function elements(xml: string, tag: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  for (const match of xml.matchAll(pattern)) found.push(match[1]!);
  return found;
}

const first = (xml: string, tag: string) => {
  const value = elements(xml, tag)[0];
  return value === undefined ? undefined : unescape(value);
};

/**
 * Reads `<rsbpml><part_list><part>` for one part (e.g. /cgi/xml/part.cgi?part=BBa_B0034).
 * Throws a RegistryXmlError saying what is wrong when the answer is not such a document.
 */
export function parseRegistryPartXml(xml: string, partName: string): PartExtras {
  if (!/<rsbpml[\s>]/.test(xml) || !/<\/rsbpml>\s*$/.test(xml.trim())) {
    throw new RegistryXmlError('the answer is not a complete RSBPML document');
  }
  const part = elements(xml, 'part').find((p) => first(p, 'part_name') === partName);
  if (!part) throw new RegistryXmlError(`the answer has no <part> named ${partName}`);
  const parameters = elements(part, 'parameter').map((p) => ({ name: first(p, 'name') ?? '', value: first(p, 'value') ?? '', units: first(p, 'units') ?? '' }));
  const twins = elements(elements(part, 'twins')[0] ?? '', 'twin').map(unescape).filter(Boolean);
  const categories = elements(elements(part, 'categories')[0] ?? '', 'category').map(unescape).filter(Boolean);
  return { parameters: parameters.filter((p) => p.name), twins, categories, url: first(part, 'part_url') ?? null };
}
