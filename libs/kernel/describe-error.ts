import * as path from 'node:path';

/**
 * A one-line account of why a plugin failed, for `plugins.last_error` and the
 * reload reply: the message, and where in the plugin's own files it happened.
 */
export function describeError(error: unknown, pluginDir?: string): string {
  if (!(error instanceof Error)) return String(error);
  // Node's "Require stack" and Nest's "Potential solutions" lists repeat what the location says.
  let text = error.message.split(/\nRequire stack:|\n\s*Potential solutions:/)[0]!.replace(/\s+/g, ' ').trim();
  if (error.name && error.name !== 'Error' && !text.startsWith(error.name)) text = `${error.name}: ${text}`;
  if (pluginDir && error.stack) {
    const frame = error.stack
      .split('\n')
      .slice(1)
      .find((line) => line.includes(pluginDir + path.sep));
    const location = frame && /\(?((?:file:\/\/)?\/[^()]+:\d+:\d+)\)?\s*$/.exec(frame)?.[1];
    if (location) text += ` (at ${path.relative(pluginDir, location.replace('file://', ''))})`;
  }
  return text;
}
