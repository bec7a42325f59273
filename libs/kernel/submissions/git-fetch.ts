import { BrickyardError } from '@brickyard/sdk';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One file of a fetched tree: its path inside the plugin folder and its bytes. */
export interface TreeFile {
  path: string;
  content: Buffer;
}

export interface FetchedTree {
  /** The exact commit the ref pointed to: what an approval pins. */
  commit: string;
  files: TreeFile[];
  totalBytes: number;
}

export interface FetchLimits {
  maxFiles: number;
  maxBytes: number;
  timeoutMs: number;
  allowFileUrls: boolean;
}

/** Folders of the quarantine, one per fetch, under `$BRICKYARD_HOME/plugin-quarantine/`. */
export function quarantineRoot(home: string): string {
  return path.join(home, 'plugin-quarantine');
}

/**
 * Runs git with no shell, no prompt, no user or system configuration, and only
 * the transports the submission allows: a URL that slipped past the checks
 * still cannot make git run a command or ask for a password.
 */
function git(
  args: string[],
  options: { cwd: string; timeoutMs: number; allowFileUrls: boolean; maxBuffer?: number; maxFolderBytes?: number },
): Promise<Buffer> {
  const protocols = ['-c', 'protocol.allow=never', '-c', 'protocol.https.allow=always', ...(options.allowFileUrls ? ['-c', 'protocol.file.allow=always'] : [])];
  return new Promise((resolve, reject) => {
    let oversized = false;
    const child = execFile(
      'git',
      [...protocols, '-c', 'core.hooksPath=/dev/null', '-c', 'credential.helper=', ...args],
      {
        cwd: options.cwd,
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        encoding: 'buffer',
        maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024,
        env: {
          PATH: process.env.PATH,
          HOME: options.cwd,
          LANG: 'C',
          GIT_TERMINAL_PROMPT: '0',
          GIT_ASKPASS: 'true',
          SSH_ASKPASS: 'true',
          GIT_SSH_COMMAND: 'false',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_PROTOCOL_FROM_USER: '0',
        },
      },
      (error, stdout, stderr) => {
        if (watchdog) clearInterval(watchdog);
        if (oversized) return reject(Object.assign(new Error(`stopped: the download passed ${options.maxFolderBytes} bytes`), { oversized }));
        if (!error) return resolve(stdout as Buffer);
        const killed = (error as { killed?: boolean }).killed;
        const detail = killed ? `timed out after ${options.timeoutMs} ms` : String(stderr || error.message).trim().split('\n').filter(Boolean).slice(-3).join(' ');
        reject(Object.assign(new Error(detail), { killed }));
      },
    );
    // The limits are checked on the tree once it is fetched; this stops a repository far larger than them while it downloads.
    const watchdog = options.maxFolderBytes
      ? setInterval(() => {
          if (folderBytes(options.cwd) > options.maxFolderBytes!) {
            oversized = true;
            child.kill('SIGKILL');
          }
        }, 200)
      : undefined;
  });
}

/** Bytes of the files under `dir` (the quarantine folder of one fetch). */
function folderBytes(dir: string): number {
  let total = 0;
  const walk = (folder: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) total += fs.statSync(full, { throwIfNoEntry: false })?.size ?? 0;
    }
  };
  walk(dir);
  return total;
}

/**
 * Fetches `ref` of the repository at `url` (checked already) into a new
 * quarantine folder and reads the tree of the commit it points to, within the
 * limits: no symbolic links, no submodules, no `.git` paths, at most
 * `maxFiles` files and `maxBytes` bytes. Nothing is checked out and nothing is
 * run; the quarantine is removed before this returns.
 */
export async function fetchPinnedTree(home: string, url: string, ref: string, limits: FetchLimits): Promise<FetchedTree> {
  const root = quarantineRoot(home);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const dir = fs.mkdtempSync(path.join(root, 'fetch-'));
  const run = (args: string[], maxBuffer?: number) => git(args, { cwd: dir, timeoutMs: limits.timeoutMs, allowFileUrls: limits.allowFileUrls, maxBuffer });
  try {
    await run(['init', '--bare', '--quiet', 'repo.git']);
    const gitDir = `--git-dir=${path.join(dir, 'repo.git')}`;
    try {
      // Packed objects are compressed, but allow for incompressible files and git's own overhead.
      const maxFolderBytes = 2 * limits.maxBytes + 1024 * 1024;
      await git([gitDir, 'fetch', '--quiet', '--no-tags', '--no-recurse-submodules', '--depth=1', '--', url, ref], {
        cwd: dir, timeoutMs: limits.timeoutMs, allowFileUrls: limits.allowFileUrls, maxFolderBytes,
      });
      // A fetch quicker than the watchdog's first look is measured once done.
      if (folderBytes(dir) > maxFolderBytes) throw Object.assign(new Error(`stopped: the download passed ${maxFolderBytes} bytes`), { oversized: true });
    } catch (error) {
      const message = (error as Error).message;
      if ((error as { oversized?: boolean }).oversized) {
        throw new BrickyardError('invalid_params', `the repository at "${ref}" is larger than the ${limits.maxBytes} bytes a plugin may weigh (PLUGIN_SUBMISSIONS_MAX_BYTES): fetching it was ${message}`);
      }
      if ((error as { killed?: boolean }).killed) throw new BrickyardError('invalid_params', `fetching ${url} ${message}: is the repository reachable and small?`);
      if (/couldn't find remote ref|not our ref|no such ref/i.test(message)) {
        throw new BrickyardError('invalid_params', `the repository has no branch, tag or commit "${ref}": check the ref (${message})`);
      }
      throw new BrickyardError('invalid_params', `git could not fetch ${url} at "${ref}": ${message}`);
    }
    const commit = (await run([gitDir, 'rev-parse', '--verify', '--quiet', 'FETCH_HEAD^{commit}'])).toString('utf8').trim();
    if (!/^[0-9a-f]{40}$/.test(commit)) throw new BrickyardError('invalid_params', `"${ref}" does not point to a commit`);

    const listing = (await run([gitDir, 'ls-tree', '-r', '-l', '-z', '--full-tree', commit])).toString('utf8');
    const entries = listing
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode, type, object, size] = line.slice(0, tab).split(/\s+/);
        return { mode: mode!, type: type!, object: object!, size: Number(size), path: line.slice(tab + 1) };
      });
    const refuse = (why: string) => {
      throw new BrickyardError('invalid_params', `the repository at ${commit.slice(0, 12)} cannot be a plugin: ${why}`);
    };
    if (entries.length > limits.maxFiles) refuse(`it has ${entries.length} files, more than the ${limits.maxFiles} allowed (PLUGIN_SUBMISSIONS_MAX_FILES)`);
    let totalBytes = 0;
    for (const entry of entries) {
      if (entry.mode === '120000') refuse(`${entry.path} is a symbolic link; submitted plugins may not contain links`);
      if (entry.type === 'commit') refuse(`${entry.path} is a git submodule; include its files instead`);
      if (entry.type !== 'blob') refuse(`${entry.path} is not a file`);
      const parts = entry.path.split('/');
      if (parts.some((part) => part.toLowerCase() === '.git' || part === '..' || part === '')) refuse(`${entry.path} is not an allowed path`);
      if (entry.path.length > 400) refuse(`${entry.path.slice(0, 60)}… has a path longer than 400 characters`);
      totalBytes += entry.size;
    }
    if (totalBytes > limits.maxBytes) refuse(`its files weigh ${totalBytes} bytes, more than the ${limits.maxBytes} allowed (PLUGIN_SUBMISSIONS_MAX_BYTES)`);

    const files: TreeFile[] = [];
    for (const entry of entries) {
      const content = await run([gitDir, 'cat-file', 'blob', entry.object], entry.size + 1);
      if (content.length !== entry.size) refuse(`${entry.path} did not read back whole`);
      files.push({ path: entry.path, content });
    }
    return { commit, files, totalBytes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
