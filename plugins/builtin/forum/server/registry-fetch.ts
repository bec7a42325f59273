import { fetchOutbound, parseHostList, readText } from '@brickyard/parts';
import type { PluginContext } from '@brickyard/sdk';
import type { ForumSettings } from './settings';

/** Redirects followed from the Registry, each checked like the first request. */
const MAX_REDIRECTS = 3;

/** What an Experience page answered: its HTML, or null when the Registry has no such page (404: no reviews). */
export type ExperiencePage = string | null;

/**
 * GETs a part's Experience page under enrichment's rules: any anonymous listing
 * can start it, so it reaches public hosts only unless FORUM_REGISTRY_ALLOWED_HOSTS
 * lists them (checked on the address connected to, redirects included), within
 * FORUM_REGISTRY_EXPERIENCES_TIMEOUT_MS, the body cut off past
 * FORUM_REGISTRY_EXPERIENCES_MAX_BYTES while it streams. Throws with a message
 * naming the setting that refused it, or the HTTP status.
 */
export async function fetchExperiencePage(plugin: PluginContext<ForumSettings>, url: string): Promise<ExperiencePage> {
  const settings = plugin.settings;
  const response = await fetchOutbound(url, {
    allowHosts: parseHostList(settings.get('FORUM_REGISTRY_ALLOWED_HOSTS')),
    allowSetting: 'FORUM_REGISTRY_ALLOWED_HOSTS',
    timeoutMs: settings.get('FORUM_REGISTRY_EXPERIENCES_TIMEOUT_MS'),
    timeoutSetting: 'FORUM_REGISTRY_EXPERIENCES_TIMEOUT_MS',
    maxBytes: settings.get('FORUM_REGISTRY_EXPERIENCES_MAX_BYTES'),
    maxBytesSetting: 'FORUM_REGISTRY_EXPERIENCES_MAX_BYTES',
    maxRedirects: MAX_REDIRECTS,
  });
  if (response.status === 404) {
    // MediaWiki answers 404 for a page nobody wrote: most parts have no Experience page.
    response.body.resume();
    return null;
  }
  if (response.status < 200 || response.status > 299) {
    response.body.resume(); // drained within the cap and the deadline, so the connection ends cleanly
    throw new Error(`the Registry answered HTTP ${response.status}`);
  }
  return readText(response.body);
}
