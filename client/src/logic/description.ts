/**
 * A Registry description as text and part references: the dump writes
 * `<partinfo>BBa_I14017</partinfo>` where an author cited a part. Everything
 * else stays plain text (rendered as text, never as markup).
 */
export type Segment = { text: string } | { part: string };

const PARTINFO = /<partinfo>\s*([A-Za-z0-9_.-]{1,64})\s*<\/partinfo>/gi;

export function descriptionSegments(text: string | null | undefined): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const match of (text ?? '').matchAll(PARTINFO)) {
    if (match.index! > at) segments.push({ text: text!.slice(at, match.index) });
    segments.push({ part: match[1]! });
    at = match.index! + match[0].length;
  }
  if (at < (text ?? '').length) segments.push({ text: text!.slice(at) });
  return segments;
}
