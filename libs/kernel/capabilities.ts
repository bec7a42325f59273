/**
 * What a plugin may do beyond its own scope (docs/plugins.md). A plugin names the
 * capabilities it needs in `plugin.json` (`"capabilities": [...]`); the operator
 * grants them (`brickyard plugin grant <name> <capability>`, or the admin API);
 * built-in plugins are granted what they request. A plugin that requests one
 * not granted is refused with the command that grants it.
 */
export const CAPABILITIES: { pattern: RegExp; example: string; meaning: string }[] = [
  { pattern: /^database$/, example: 'database', meaning: "the host's database: raw SQL on any table (no statement checks)" },
  { pattern: /^snapshot:write$/, example: 'snapshot:write', meaning: 'the address of the parts snapshot database, to import into it' },
  { pattern: /^tables:[a-z][a-z0-9_]{0,63}$/, example: 'tables:shared_', meaning: 'tables whose names start with this prefix, beyond its own <name>_' },
  { pattern: /^routes:\/api(\/[a-z0-9_-]+)+$/, example: 'routes:/api/parts', meaning: 'HTTP routes under this path of /api (not the core\'s; under /api/admin/ only admins reach them), beyond /api/plugins/<name>/' },
  { pattern: /^tasks:(core|[a-z][a-z0-9-]{1,40})$/, example: 'tasks:core', meaning: 'task kinds of the core (core.<task>) or of another plugin: declaring (core) and submitting them' },
  { pattern: /^topics:[A-Za-z0-9:._-]{1,100}$/, example: 'topics:hello:', meaning: 'websocket topics starting with this prefix, beyond its own <name>:' },
  { pattern: /^realtime:everyone$/, example: 'realtime:everyone', meaning: 'frames to every connected client' },
  { pattern: /^identity:sessions$/, example: 'identity:sessions', meaning: 'starting and ending signed-in sessions (an accounts plugin)' },
];

/** Paths of the core's own routes: no plugin is granted a prefix that covers or falls inside them. */
const CORE_PATHS = ['/api/health', '/api/plugins', '/api/plugin-submissions', '/api/tasks', '/api/docs', '/api/admin/plugins', '/api/admin/config', '/api/admin/tasks', '/api/admin/reload', '/api/admin/reloads', '/api/admin/processes', '/api/admin/events', '/ws'];

function coversCorePath(path: string): boolean {
  return CORE_PATHS.some((core) => core === path || core.startsWith(`${path}/`) || path.startsWith(`${core}/`)) || path === '/api/admin';
}

export function isCapability(text: string): boolean {
  if (text.startsWith('routes:') && coversCorePath(text.slice('routes:'.length))) return false;
  return CAPABILITIES.some((c) => c.pattern.test(text));
}

export const CAPABILITY_HELP = CAPABILITIES.map((c) => `${c.example} (${c.meaning})`).join('; ');

/** The values of the capabilities of one kind (`tables`, `routes`, …) in `granted`. */
export function valuesOf(granted: ReadonlySet<string>, kind: string): string[] {
  const prefix = `${kind}:`;
  return [...granted].filter((c) => c.startsWith(prefix)).map((c) => c.slice(prefix.length));
}

/** The message for a plugin that needs `capability` and does not have it. */
export function missingCapability(plugin: string, capability: string, what: string, requested: boolean): string {
  return requested
    ? `${what}: plugin ${plugin} requests capability "${capability}", which is not granted; an operator grants it with \`npx brickyard plugin grant ${plugin} ${capability}\` (or POST /api/admin/plugins/${plugin}/grants)`
    : `${what}: that needs capability "${capability}"; add it to "capabilities" in plugins/${plugin}/plugin.json and have an operator grant it (\`npx brickyard plugin grant ${plugin} ${capability}\`)`;
}
