import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/** Debian's Chromium, which the browser tests drive through playwright-core (no browser download of its own). */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

const apt = (args: string[]) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;

/**
 * Installs Chromium when it is missing: as root on Debian with apt-get (the
 * package lists refreshed once if the first try fails). Anywhere else it stops
 * with what to install, rather than failing later with a launch error.
 */
export function ensureChromium(): string {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install chromium), then run them again.`);
  }
  console.log('[e2e] Chromium is missing: apt-get install chromium');
  const install = ['install', '-y', '--no-install-recommends', 'chromium'];
  if (!apt(install) && !(apt(['update']) && apt(install))) {
    throw new Error(`apt-get could not install chromium (see its output above). Install it by hand (apt-get install chromium) and run the tests again.`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is not there`);
  return CHROMIUM;
}
