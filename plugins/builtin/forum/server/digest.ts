/** Characters a digest keeps at most (Biohub's make_digest). */
const DIGEST_LENGTH = 600;

/**
 * Biohub's make_digest: the plain words of a Markdown text, for lists. Newlines
 * become spaces, `![x](…)` and `[x](…)` become `x`, every run of characters
 * other than letters, digits and `-_()` becomes one space, and the result is cut
 * at the last space before 600 characters. What is left cannot hold markup.
 */
export function makeDigest(text: string): string {
  const plain = text
    .replace(/[\r\n]+/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^A-Za-z0-9\-_()]+/g, ' ')
    .trim();
  if (plain.length <= DIGEST_LENGTH) return plain;
  const cut = plain.lastIndexOf(' ', DIGEST_LENGTH);
  return plain.slice(0, cut > 0 ? cut : DIGEST_LENGTH);
}
