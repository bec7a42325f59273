import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from './config';

/** `$BRICKYARD_HOME`, absolute. */
export function brickyardHome(config: Config): string {
  return path.resolve(config.get('BRICKYARD_HOME'));
}

export const adminTokenPath = (config: Config) => path.join(brickyardHome(config), 'admin-token');
export const pidFilePath = (config: Config) => path.join(brickyardHome(config), 'server.pid');

/** Creates the admin token on first start (readable by the owner only) and returns it. */
export function ensureAdminToken(config: Config): string {
  const file = adminTokenPath(config);
  fs.mkdirSync(path.dirname(file), { recursive: true });
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
