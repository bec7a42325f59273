/**
 * Notice messages are plain text with links written `[[text]]((type))((id))`
 * (README, "Notices and activities"). This splits a message into text and
 * links, for the page to render as text and router links, never as HTML.
 */
export type NoticeSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; to: string };

const LINK = /\[\[([^\]]*)\]\]\(\(([^)]*)\)\)\(\(([^)]*)\)\)/g;

/** Where a link of this type points, or undefined for a type the app has no page for. */
export function noticeTarget(type: string, id: string): string | undefined {
  const safe = encodeURIComponent(id);
  if (!id) return undefined;
  if (type === 'user') return `/users/${safe}`;
  if (type === 'part') return `/parts/${safe}`;
  if (type === 'experience') return `/experiences/${safe}`;
  if (type === 'plugin-submission') return `/plugin-submissions?id=${safe}`;
  return undefined;
}

export function parseNotice(message: string): NoticeSegment[] {
  const segments: NoticeSegment[] = [];
  const pushText = (text: string) => {
    if (!text) return;
    const last = segments[segments.length - 1];
    if (last?.kind === 'text') last.text += text;
    else segments.push({ kind: 'text', text });
  };
  let at = 0;
  for (const match of message.matchAll(LINK)) {
    pushText(message.slice(at, match.index));
    const [, text, type, id] = match;
    const to = noticeTarget(type.trim(), id.trim());
    if (to) segments.push({ kind: 'link', text, to });
    else pushText(text);
    at = match.index! + match[0].length;
  }
  pushText(message.slice(at));
  return segments;
}
