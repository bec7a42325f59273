import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from './config';

/** `$BRICKYARD_HOME`, absolute. */
export function brickyardHome(config: Config): string {
  return path.resolve(config.get('BRICKYARD_HOME'));
}

/**
 * Creates a private folder (mode 0700: the admin token, the pid file and the
 * plugin build cache live there) or tightens one the umask left open; refuses
 * one owned by another user, whose contents this process must not trust.
 */
export function ensurePrivateDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(dir);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new Error(`${dir} belongs to uid ${stat.uid}, not to this process (uid ${uid}): remove it or set BRICKYARD_HOME to a folder of your own`);
  }
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  return dir;
}

export const adminTokenPath = (config: Config) => path.join(brickyardHome(config), 'admin-token');
export const pidFilePath = (config: Config) => path.join(brickyardHome(config), 'server.pid');

/** Creates the admin token on first start (readable by the owner only) and returns it. */
export function ensureAdminToken(config: Config): string {
  const file = adminTokenPath(config);
  ensurePrivateDir(path.dirname(file));
  try {
    fs.writeFileSync(file, crypto.randomBytes(24).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readAdminToken(config)!;
}

export function readAdminToken(config: Config): string | undefined {
  try {
    return fs.readFileSync(adminTokenPath(config), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
