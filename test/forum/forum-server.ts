import { BrowserSession, startTestServer, WsProbe, type TestServer } from '@brickyard/testing';
import * as mysql from 'mysql2/promise';
import { expect } from 'vitest';
import { WebSocket } from 'ws';

/**
 * A real server on the demo snapshot (100 Registry parts, imported and ranked
 * when the parts plugin mounts), with the forum's settings as given. It reads
 * no Registry experiences unless `env` names where (a listing would otherwise
 * add the real Registry's reviews to what a test expects).
 */
export async function startForumServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true', JOB_WORKERS: '0', FORUM_REGISTRY_EXPERIENCES: 'false', ...env } });
}

/** Stops it and drops the snapshot database the parts plugin made beside its app database. */
export async function stopForumServer(server: TestServer | undefined): Promise<void> {
  if (!server) return;
  const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  await db.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db.end();
  await server.stop();
}

/** Throttles off, for tests of everything else. */
export const NO_THROTTLES = { FORUM_EXPERIENCE_INTERVAL_SECONDS: '0', FORUM_POST_INTERVAL_SECONDS: '0', FORUM_VOTE_INTERVAL_SECONDS: '0' };

/** Names of parts of the demo snapshot, heaviest first (at most a page of them: 25). */
export async function demoParts(server: TestServer, count: number): Promise<string[]> {
  const body = (await (await fetch(`${server.url}/api/parts`)).json()) as { items: { part_name: string }[] };
  expect(body.items.length).toBeGreaterThanOrEqual(count);
  return body.items.slice(0, count).map((p) => p.part_name);
}

/** A newly registered, signed-in user. */
export async function signUp(server: TestServer, username: string): Promise<{ browser: BrowserSession; id: string; username: string }> {
  const browser = new BrowserSession(server.url);
  const registered = await browser.register(username);
  expect(registered.status).toBe(201);
  return { browser, id: String(registered.body.id), username };
}

/** A websocket of a signed-in browser, recording its frames. */
export function socketOf(server: TestServer, browser: BrowserSession): WsProbe {
  return WsProbe.wrap(new WebSocket(server.wsUrl, { headers: { cookie: browser.header() } }));
}

/** Direct SQL on the server's app database, for checking what the API must not reveal or change. */
export async function appDatabase(server: TestServer) {
  return mysql.createConnection({ uri: server.database.url });
}
