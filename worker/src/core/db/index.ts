import { Kysely, MysqlDialect } from 'kysely';
import { createConnection, createPool, type Pool, type PoolOptions } from 'mysql2';

import { binaryAwarePool } from './binary-statements';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  pool: Pool;
  close(): Promise<void>;
}

export interface MysqlUrlParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export function parseMysqlUrl(url: string): MysqlUrlParts {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.replace(/^\//, ''),
  };
}

const baseOptions = (parts: MysqlUrlParts): PoolOptions => ({
  host: parts.host,
  port: parts.port,
  user: parts.user,
  password: parts.password || undefined,
  charset: 'utf8mb4_unicode_ci',
  timezone: 'Z',
  dateStrings: false,
  supportBigNumbers: true,
  bigNumberStrings: false,
  connectTimeout: 5_000,
});

/** Creates the worker's database when it is missing (first start on a fresh machine). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const parts = parseMysqlUrl(url);
  const connection = createConnection(baseOptions(parts)).promise();
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${parts.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}

export function openDatabase(url: string, connectionLimit = 10): DatabaseHandle {
  const parts = parseMysqlUrl(url);
  const pool = createPool({ ...baseOptions(parts), database: parts.database, connectionLimit, waitForConnections: true });
  // Every session in UTC so DATETIME columns hold UTC whatever the server's zone.
  pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'");
    // MariaDB turns an IN list of 1,000 values or more into a temporary table joined to the query,
    // which costs more than the index lookups it replaces (the events pages look up 1,000 order ids).
    // Only a speed-up: MySQL has no such variable (errno 1193), and any failure leaves the default.
    connection.query('SET SESSION in_predicate_conversion_threshold = 0', () => undefined);
  });
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool: binaryAwarePool(pool) }) });
  return {
    db,
    pool,
    // Kysely's destroy ends the pool it was given.
    close: () => db.destroy(),
  };
}
