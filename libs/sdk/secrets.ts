/**
 * A URL without what would let someone else use it: credentials in it and the
 * values of its query (tokens often travel there) are masked.
 */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (!/^[a-z][a-z0-9+.-]*:$/.test(url.protocol) || (!url.username && !url.password && !url.search)) return text;
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '***');
  return url.toString().replace(/%2A%2A%2A/g, '***');
}

/** `value` with every URL in it (in strings, also inside text such as an error message; in arrays, in objects) masked as maskUrl does. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, maskUrl);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '…'; // deeper than anything a task carries: not shown rather than shown unmasked
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // a Date, a Buffer: no URLs inside
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskSecrets(item, depth + 1)]));
}
