import { Connection, type RowDataPacket } from 'mysql2';
import { createConnection, type Connection as PromiseConnection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { WooCommerceDb } from '../../../../worker/src/connectors/woocommerce-db/client';
import { WooDbNotReadOnlyError } from '../../../../worker/src/connectors/woocommerce-db/errors';
import { createTestDatabase, MYSQL_ROOT_URL, type TestDatabase } from '../../../support/db';

// The store connection uses a user that CAN write (root): only the session's READ ONLY mode
// stands between a bug in the worker and the store's tables.
let database: TestDatabase;
let root: PromiseConnection;
const url = new URL(MYSQL_ROOT_URL);

const openStore = (connectionLimit = 4): WooCommerceDb =>
  new WooCommerceDb(
    {
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      database: database.name,
      tablePrefix: 'wp_',
      queryTimeoutMs: 10_000,
    },
    connectionLimit,
  );

const rowCount = async (): Promise<number> => {
  const [rows] = await root.query<Array<{ n: number } & RowDataPacket>>(`SELECT COUNT(*) AS n FROM \`${database.name}\`.wp_options`);
  return Number(rows[0]?.n);
};

beforeAll(async () => {
  database = await createTestDatabase('ro');
  root = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password) || undefined,
    database: database.name,
  });
  await root.query('CREATE TABLE wp_options (option_id INT AUTO_INCREMENT PRIMARY KEY, option_name VARCHAR(191), option_value LONGTEXT)');
  await root.query("INSERT INTO wp_options (option_name, option_value) VALUES ('blogname', 'Shop')");
});

afterAll(async () => {
  await root?.end();
  await database?.drop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('WooCommerceDb: the store connection is read only', () => {
  it.each([
    ['INSERT', "INSERT INTO wp_options (option_name, option_value) VALUES ('pwned', '1')"],
    ['UPDATE', "UPDATE wp_options SET option_value = 'pwned'"],
    ['DELETE', 'DELETE FROM wp_options'],
    ['CREATE TABLE', 'CREATE TABLE wp_pwned (a INT)'],
    ['DROP TABLE', 'DROP TABLE wp_options'],
    ['TRUNCATE', 'TRUNCATE wp_options'],
  ])('%s through the store connection fails and changes nothing', async (_name, statement) => {
    const store = openStore();
    try {
      await expect(store.rows(statement)).rejects.toMatchObject({ code: 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION' });
      const [rows] = await root.query<RowDataPacket[]>("SELECT option_value AS v FROM wp_options WHERE option_name = 'blogname'");
      expect(rows).toEqual([{ v: 'Shop' }]);
      expect(await rowCount()).toBe(1);
      const [tables] = await root.query<RowDataPacket[]>('SHOW TABLES');
      expect(tables).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('every pooled connection is read only, not just the first', async () => {
    const store = openStore(4);
    try {
      // Eight concurrent reads open all four connections of the pool.
      await Promise.all(Array.from({ length: 8 }, () => store.rows('SELECT SLEEP(0.05) AS s')));
      const flags = await Promise.all(
        Array.from({ length: 8 }, () => store.rows<RowDataPacket>('SELECT @@session.tx_read_only AS ro, CONNECTION_ID() AS id, SLEEP(0.05) AS s')),
      );
      expect(new Set(flags.map((rows) => rows[0]?.id)).size).toBeGreaterThan(1);
      expect(flags.map((rows) => Number(rows[0]?.ro))).toEqual(Array(8).fill(1));
      const writes = await Promise.allSettled(
        Array.from({ length: 8 }, () => store.rows("INSERT INTO wp_options (option_name, option_value) VALUES ('pwned', '1')")),
      );
      expect(writes.every((result) => result.status === 'rejected')).toBe(true);
      expect(await rowCount()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses a connection whose SET SESSION TRANSACTION READ ONLY did not take effect', async () => {
    // A connection multiplexer (ProxySQL, some poolers) can answer OK to a session SET without
    // applying it to the backend that runs the next query. Simulated by turning the SET into a no-op.
    const base = Object.getPrototypeOf(Connection.prototype) as { query: (...args: unknown[]) => unknown };
    const original = base.query;
    const swallowed: string[] = [];
    vi.spyOn(base, 'query').mockImplementation(function (this: unknown, ...args: unknown[]) {
      const [first] = args;
      const sql = typeof first === 'string' ? first : (first as { sql?: unknown } | undefined)?.sql;
      if (typeof sql === 'string' && /^SET SESSION TRANSACTION READ ONLY$/i.test(sql.trim())) {
        swallowed.push(sql);
        if (typeof first === 'string') args[0] = 'DO 0';
        else (first as { sql: string }).sql = 'DO 0';
      }
      return original.apply(this, args);
    });

    const store = openStore(2);
    try {
      await expect(store.rows("INSERT INTO wp_options (option_name, option_value) VALUES ('pwned', '1')")).rejects.toBeInstanceOf(WooDbNotReadOnlyError);
      await expect(store.rows('SELECT 1 AS one')).rejects.toMatchObject({ code: 'source_not_read_only', retryable: false });
      expect(swallowed.length).toBeGreaterThanOrEqual(2);
      expect(await rowCount()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('keeps working after a refused connection once the server behaves again', async () => {
    const base = Object.getPrototypeOf(Connection.prototype) as { query: (...args: unknown[]) => unknown };
    const original = base.query;
    const spy = vi.spyOn(base, 'query').mockImplementation(function (this: unknown, ...args: unknown[]) {
      const [first] = args;
      const sql = typeof first === 'string' ? first : (first as { sql?: unknown } | undefined)?.sql;
      if (sql === 'SET SESSION TRANSACTION READ ONLY') (first as { sql: string }).sql = 'DO 0';
      return original.apply(this, args);
    });
    const store = openStore(1);
    try {
      await expect(store.rows('SELECT 1 AS one')).rejects.toBeInstanceOf(WooDbNotReadOnlyError);
      spy.mockRestore();
      // The refused connection was destroyed, not pooled: the next one is set up and checked afresh.
      await expect(store.rows<RowDataPacket>('SELECT @@session.tx_read_only AS ro')).resolves.toEqual([{ ro: 1 }]);
    } finally {
      await store.close();
    }
  });
});

describe('WooCommerceDb: long IN lists stay range lookups', () => {
  it('turns off MariaDB’s IN-list-to-temporary-table conversion on every store session', async () => {
    const store = openStore(2);
    try {
      const rows = await store.rows<RowDataPacket>('SELECT @@session.in_predicate_conversion_threshold AS threshold');
      expect(Number(rows[0]?.threshold)).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('a server without the variable (MySQL answers error 1193) still gets a working read-only session', async () => {
    const base = Object.getPrototypeOf(Connection.prototype) as { query: (...args: unknown[]) => unknown };
    const original = base.query;
    vi.spyOn(base, 'query').mockImplementation(function (this: unknown, ...args: unknown[]) {
      const [first] = args;
      const sql = typeof first === 'string' ? first : (first as { sql?: unknown } | undefined)?.sql;
      if (typeof sql === 'string' && sql.includes('in_predicate_conversion_threshold'))
        (first as { sql: string }).sql = 'SET SESSION no_such_variable_on_this_server = 0';
      return original.apply(this, args);
    });
    const store = openStore(1);
    try {
      await expect(store.rows<RowDataPacket>('SELECT @@session.tx_read_only AS ro')).resolves.toEqual([{ ro: 1 }]);
      await expect(store.rows("INSERT INTO wp_options (option_name, option_value) VALUES ('pwned', '1')")).rejects.toThrow();
      expect(await rowCount()).toBe(1);
    } finally {
      await store.close();
    }
  });
});
