import * as mysql from 'mysql2/promise';
import { parseDatabaseUrl } from './database-url';

/** Creates the database named by the URL when it does not exist (utf8mb4). */
export async function ensureDatabase(url: string): Promise<void> {
  const { database, ...address } = parseDatabaseUrl(url);
  const connection = await mysql.createConnection({
    host: address.host, port: address.port, user: address.user, password: address.password, socketPath: address.socketPath,
  });
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const { database, ...address } = parseDatabaseUrl(url);
  const connection = await mysql.createConnection({
    host: address.host, port: address.port, user: address.user, password: address.password, socketPath: address.socketPath,
  });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}
