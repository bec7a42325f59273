import { Config, pidFilePath, readAdminToken } from '@brickyard/config';
import * as fs from 'node:fs';

/** The pid of the running server (from `$BRICKYARD_HOME/server.pid`), if one runs. */
export function runningServerPid(config: Config): number | undefined {
  const file = pidFilePath(config);
  const pid = Number(fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : NaN);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Calls an admin route of the local server with the admin token. */
export async function adminRequest(config: Config, method: string, route: string): Promise<{ status: number; body: any }> {
  const token = readAdminToken(config);
  if (!token) throw new Error(`no admin token in ${config.get('BRICKYARD_HOME')}/admin-token: has the server ever started here?`);
  const response = await fetch(`http://127.0.0.1:${config.get('PORT')}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}
