/** Helpers for tests of the platform and of plugins: real servers on fresh databases. */
export { createTestDatabase, baseDatabaseUrl, type TestDatabase } from './test-database';
export { startTestServer, startPluginTestServer, freePort, type TestServer, type TestServerOptions } from './test-server';
export { writePlugin, writeFiles, type PluginFiles } from './plugin-fixture';
export { getOnNewConnection, eventually, type ProbeAnswer } from './http-probe';
export { WsProbe } from './ws-probe';
export { BrowserSession } from './browser-session';
