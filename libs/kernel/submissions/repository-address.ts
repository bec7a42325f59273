import { BrickyardError } from '@brickyard/sdk';

/**
 * Checks the repository URL and ref a user submits, before git ever sees them.
 * Only `https://` is accepted, and `file://` when the operator allows it
 * (PLUGIN_SUBMISSIONS_ALLOW_FILE_URLS): any other transport (ssh, git://,
 * `ext::` which runs a command, scp-like `host:path`, plain http) is refused,
 * and so is anything git could read as an option.
 */
export function checkRepositoryUrl(url: string, allowFileUrls: boolean): string {
  const text = url.trim();
  if (!text) throw new BrickyardError('invalid_params', 'give the URL of a git repository, such as https://github.com/lab/my-plugin.git');
  if (text.length > 500) throw new BrickyardError('invalid_params', 'the repository URL is longer than 500 characters');
  if (/[\s\u0000-\u001f\u007f]/.test(text)) throw new BrickyardError('invalid_params', 'the repository URL must not contain spaces or control characters');
  if (text.startsWith('-')) throw new BrickyardError('invalid_params', 'the repository URL must not start with "-"');
  if (/^[a-z][a-z0-9+.-]*::/i.test(text)) {
    throw new BrickyardError('invalid_params', `"${text.split('::')[0]}::" URLs run git remote helpers (ext:: runs a command): use an https:// URL`);
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new BrickyardError('invalid_params', `"${text}" is not a URL: use an https:// URL of the repository (scp-like host:path addresses are not accepted)`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme === 'file') {
    if (!allowFileUrls) {
      throw new BrickyardError('invalid_params', 'file:// repositories are turned off on this server (PLUGIN_SUBMISSIONS_ALLOW_FILE_URLS): publish the repository and submit its https:// URL');
    }
    if (parsed.host) throw new BrickyardError('invalid_params', 'a file:// URL names a folder on this server: file:///path/to/repo.git');
    return text;
  }
  if (scheme !== 'https') {
    const hint = scheme === 'http' ? 'use https:// (plain http is not accepted)' : `${scheme}:// is not accepted: use an https:// URL`;
    throw new BrickyardError('invalid_params', `the repository URL must start with https://; ${hint}`);
  }
  if (parsed.username || parsed.password) {
    throw new BrickyardError('invalid_params', 'the repository URL must not carry a user name or password: submit a public repository');
  }
  if (!parsed.hostname) throw new BrickyardError('invalid_params', 'the repository URL has no host');
  return text;
}

/** A branch, a tag, or a full commit id. */
export function checkRef(ref: string): string {
  const text = ref.trim();
  if (!text) throw new BrickyardError('invalid_params', 'give a branch, a tag or a commit id (for example "main" or "v1.0.0")');
  if (text.startsWith('-')) throw new BrickyardError('invalid_params', `the ref "${text}" starts with "-", which git would read as an option: give a branch, a tag or a commit id`);
  if (text.length > 200) throw new BrickyardError('invalid_params', 'the ref is longer than 200 characters');
  // git's own rules for ref names (git check-ref-format), kept to a safe alphabet.
  const bad =
    !/^[A-Za-z0-9._/-]+$/.test(text) ||
    text.includes('..') ||
    text.includes('//') ||
    text.startsWith('/') ||
    text.endsWith('/') ||
    text.endsWith('.') ||
    text.endsWith('.lock') ||
    text.split('/').some((part) => part.startsWith('.'));
  if (bad) throw new BrickyardError('invalid_params', `"${text}" is not a branch, tag or commit id: use letters, digits, ".", "_", "-" and "/" (no "..")`);
  return text;
}
