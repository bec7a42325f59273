export interface DatabaseAddress {
  type: 'mysql' | 'mariadb';
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Set with `?socket=/path/to/mysqld.sock`. */
  socketPath?: string;
}

/** Parses `mysql://user:password@host:port/database[?socket=…]`, explaining what is wrong when it cannot. */
export function parseDatabaseUrl(url: string): DatabaseAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`DATABASE_URL is not a URL: ${JSON.stringify(url)} (expected mysql://user:password@host:3306/database)`);
  }
  const type = parsed.protocol === 'mariadb:' ? 'mariadb' : parsed.protocol === 'mysql:' ? 'mysql' : undefined;
  if (!type) throw new Error(`DATABASE_URL must start with mysql:// or mariadb://, not ${parsed.protocol}//`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) {
    throw new Error(`DATABASE_URL must name a database made of letters, digits and _ (got ${JSON.stringify(database)})`);
  }
  return {
    type,
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database,
    socketPath: parsed.searchParams.get('socket') ?? undefined,
  };
}

/** The same server with another database: how tests get a fresh database each. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/' + database;
  return parsed.toString();
}

/** The parts snapshot database of an app database: the configured name (SNAPSHOT_DATABASE), or the app database's name + `_igem`. */
export function snapshotDatabaseOf(appDatabaseUrl: string, configured = ''): string {
  return configured || `${parseDatabaseUrl(appDatabaseUrl).database}_igem`;
}
