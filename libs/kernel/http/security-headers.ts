/**
 * Headers every response carries. The content security policy fits the web
 * client: its own scripts only (a page with an inline script names its hash),
 * styles from itself (inline allowed: the docs page and components use them),
 * images also from https and data URLs, websockets to itself, never framed.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
});

/**
 * Public structure archives the app's page may fetch PDB files from (the
 * structure viewer's "load from an address"): RCSB PDB, PDBe and AlphaFold DB.
 */
export const STRUCTURE_ARCHIVES = ['https://files.rcsb.org', 'https://www.ebi.ac.uk', 'https://alphafold.ebi.ac.uk'];

/**
 * The policy for the app's page, whose inline scripts have these sha256
 * hashes (base64). Beyond the default policy, the structure viewer (NGL)
 * needs workers made from blob: URLs (it computes surfaces in one, from
 * its own code) and fetches from the structure archives; nothing else, and
 * API responses keep the default policy.
 */
export function policyWithScripts(hashes: string[]): string {
  return (
    CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' ${hashes.map((h) => `'sha256-${h}'`).join(' ')}`).replace(
      "connect-src 'self' ws: wss:",
      `connect-src 'self' ws: wss: ${STRUCTURE_ARCHIVES.join(' ')}`,
    ) + "; worker-src 'self' blob:"
  );
}
