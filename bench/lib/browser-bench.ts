import { startTestServer, type TestServer } from '@brickyard/testing';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../../test/e2e/chromium';
import { startRegistryStub } from '../../test/e2e/registry-stub';
import { log, onCleanup } from './common';

/**
 * What a browser benchmark measures against: the client built when its sources
 * changed, a real server with the demo parts (plus `env`) whose part pages ask a
 * local stand-in for the Registry (a benchmark stays off the network), and
 * Debian's Chromium. Everything is stopped at the benchmark's end (the server's
 * databases, the snapshot's included, are dropped).
 */
export async function startBrowserBench(env: Record<string, string> = {}): Promise<{ server: TestServer; browser: Browser }> {
  const { buildClient } = require(path.join(__dirname, '..', '..', 'bin', 'build-client.js'));
  await buildClient({ log });
  const registry = await startRegistryStub(new Set(), 0);
  onCleanup(() => registry.close());
  const server = await startTestServer({
    env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true', PARTS_SOURCE_URL: registry.url, PARTS_SOURCE_ALLOWED_HOSTS: registry.host, ...env },
  });
  onCleanup(() => server.stop());
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());
  return { server, browser };
}
