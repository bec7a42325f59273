import * as path from 'node:path';
import type { Config } from './config';

/** The folders of PLUGINS_DIR, absolute, in the order given (earlier folders are listed first). */
export function pluginDirs(config: Config): string[] {
  return config
    .get('PLUGINS_DIR')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.resolve(dir));
}
