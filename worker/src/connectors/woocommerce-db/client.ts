import type { Connection as CoreConnection } from 'mysql2';
import { createPool, type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';

import type { WooDbConfig } from './config';
import { classifyDriverError, WooDbError, WooDbNotReadOnlyError, WooDbSchemaError } from './errors';
import { hposSource } from './hpos';
import { loadItemMeta, productIdsWithItemMeta } from './items';
import { SshTunnel } from './tunnel';
import { legacySource } from './legacy';
import { readOrderMoney, type OrderMoney } from './order-money';
import type { OrderScanOptions, SourceOrder, SourceProduct, StorageMode } from './types';

/** Read access used by the storage-specific query sets. */
export interface SqlReader {
  readonly prefix: string;
  rows<T extends RowDataPacket>(sql: string, params?: unknown[], table?: string): Promise<T[]>;
  /** The rows of a long read as they arrive, in arrays of up to `chunk`; resolves when the last has been handed over. */
  streamRows<T extends RowDataPacket>(sql: string, params: unknown[], table: string, onRows: (rows: T[]) => void, options?: StreamOptions): Promise<void>;
}

export interface StreamOptions {
  chunk?: number;
  /** Stops the read (the connection is closed, not returned to the pool); the promise then resolves. */
  signal?: AbortSignal;
}

/** What a storage mode must answer; both modes share the line item tables. */
export interface OrderSource {
  readonly mode: StorageMode;
  /** Ids of `shop_order`s holding a line item of `productIds`, ascending, after `afterId` (keyset). */
  scanOrderIds(options: OrderScanOptions): Promise<number[]>;
  /** Every id `scanOrderIds` would page through, in one read handed over as it arrives; resolves with how many. */
  streamOrderIds(options: Omit<OrderScanOptions, 'limit'>, onIds: (ids: number[]) => void, stream?: StreamOptions): Promise<number>;
  countOrders(options: Omit<OrderScanOptions, 'afterId' | 'limit'>, statuses?: string[]): Promise<number>;
  /**
   * The orders; with a `fingerprintSeed`, each carries its source fingerprint (see fingerprint.ts),
   * null when its mapping used rows a fingerprint does not cover (ticket posts, refunds).
   */
  loadOrders(ids: number[], productIds: number[], fingerprintSeed?: string): Promise<SourceOrder[]>;
  /**
   * The store's fingerprint of each order the same load with this seed would fingerprint alike;
   * orders with ticket posts or refunds, or too large to fingerprint, are left out (always load them).
   */
  fingerprintOrders(ids: number[], fingerprintSeed: string): Promise<Map<number, string>>;
}

export interface StoreAdmin {
  name: string;
  email: string;
}

export interface StoreInfo {
  mode: StorageMode;
  /** `timezone_string` or the `gmt_offset` of the store, for legacy local-time dates. */
  timezone: string;
  hasTicketPosts: boolean;
}

const READ_ONLY_VARIABLES = ['tx_read_only', 'transaction_read_only'] as const;
type ReadOnlyVariable = (typeof READ_ONLY_VARIABLES)[number];

/**
 * MariaDB (10.3+) answers an IN list of 1,000 values or more through a temporary table joined to
 * the query. A page of 1,000 order ids then costs the server up to three times as much as range
 * lookups do (the order meta read, measured), so the store session turns that off. MySQL has no
 * such variable (error 1193) and needs nothing.
 */
async function keepInListsAsRanges(connection: PoolConnection, timeout: number): Promise<void> {
  try {
    await connection.query({ sql: 'SET SESSION in_predicate_conversion_threshold = 0', timeout });
  } catch (error) {
    if ((error as { errno?: number }).errno !== 1193) throw error;
  }
}

/**
 * Read-only client of a WooCommerce MySQL database, on its own pool. Every session is set
 * READ ONLY and checked before its first query, so even a bug here cannot write to the store.
 */
export class WooCommerceDb implements SqlReader {
  readonly prefix: string;
  private readonly pool: Pool;
  /** The replica's pool when one is configured: `rows()` reads there. */
  private readonly readPool: Pool | undefined;
  private info: Promise<StoreInfo> | undefined;
  /** Connections whose session was confirmed READ ONLY (keyed by the driver's connection). */
  private readonly readOnly = new WeakSet<object>();
  private readOnlyVariable: ReadOnlyVariable = 'tx_read_only';

  /** Opens the SSH tunnel first when the connection has one. */
  static async open(config: WooDbConfig, connectionLimit = 4): Promise<WooCommerceDb> {
    if (!config.ssh) return new WooCommerceDb(config, connectionLimit);
    const tunnel = await SshTunnel.open(config.ssh, { host: config.host, port: config.port });
    return new WooCommerceDb(config, connectionLimit, tunnel);
  }

  constructor(
    private readonly config: WooDbConfig,
    connectionLimit = 4,
    private readonly tunnel?: SshTunnel,
  ) {
    this.prefix = config.tablePrefix;
    const pool = (host: string, port: number, user: string, password: string | undefined): Pool =>
      createPool({
        host,
        port,
        user,
        password: password || undefined,
        database: config.database,
        connectionLimit,
        waitForConnections: true,
        charset: 'utf8mb4_unicode_ci',
        dateStrings: true,
        supportBigNumbers: true,
        connectTimeout: 5_000,
        enableKeepAlive: true,
      });
    this.pool = pool(tunnel ? '127.0.0.1' : config.host, tunnel ? tunnel.port : config.port, config.user, config.password);
    const replica = config.replica;
    this.readPool = replica
      ? pool(replica.host, replica.port, replica.user ?? config.user, replica.user === undefined ? config.password : replica.password)
      : undefined;
  }

  /** A read of store data: on the replica when one is configured, else on the primary. */
  rows<T extends RowDataPacket>(sql: string, params: unknown[] = [], table?: string): Promise<T[]> {
    return this.query<T>(this.readPool ?? this.pool, sql, params, table);
  }

  /**
   * A read too long to wait for as one result (a whole store's order ids): rows are handed over as
   * the server sends them. The query has no overall time limit; it fails when no row has arrived
   * for the connection's query timeout.
   */
  async streamRows<T extends RowDataPacket>(
    sql: string,
    params: unknown[],
    table: string,
    onRows: (rows: T[]) => void,
    options: StreamOptions = {},
  ): Promise<void> {
    const { chunk = 1000, signal } = options;
    if (signal?.aborted) return;
    const connection = await this.readOnlyConnection(this.readPool ?? this.pool, table);
    return new Promise<void>((resolve, reject) => {
      let buffer: T[] = [];
      let settled = false;
      let idle: NodeJS.Timeout | undefined;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        signal?.removeEventListener('abort', onAbort);
        if (error === undefined && !signal?.aborted) {
          connection.release();
          if (buffer.length > 0) onRows(buffer);
          resolve();
          return;
        }
        connection.destroy();
        if (error === undefined) resolve();
        else reject(classifyDriverError(error, table));
      };
      const onAbort = () => settle();
      const watch = () => {
        clearTimeout(idle);
        idle = setTimeout(
          () => settle(Object.assign(new Error(`no row for ${this.config.queryTimeoutMs} ms (query timeout)`), { code: 'PROTOCOL_SEQUENCE_TIMEOUT' })),
          this.config.queryTimeoutMs,
        );
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      watch();
      // The promise wrapper's `connection` is the callback connection (mis-typed), whose query emits rows.
      (connection.connection as unknown as CoreConnection)
        .query({ sql, values: params })
        .on('result', (row: unknown) => {
          if (settled) return;
          watch();
          buffer.push(row as T);
          if (buffer.length >= chunk) {
            const rows = buffer;
            buffer = [];
            onRows(rows);
          }
        })
        .on('error', (error) => settle(error))
        .on('end', () => settle());
    });
  }

  /** A read that must see the primary: the schema probe and the clock the sync cursor is taken from. */
  private primaryRows<T extends RowDataPacket>(sql: string, params: unknown[] = [], table?: string): Promise<T[]> {
    return this.query<T>(this.pool, sql, params, table);
  }

  private async query<T extends RowDataPacket>(pool: Pool, sql: string, params: unknown[], table?: string): Promise<T[]> {
    const connection = await this.readOnlyConnection(pool, table);
    try {
      const [rows] = await connection.query<T[]>({ sql, values: params, timeout: this.config.queryTimeoutMs });
      return rows;
    } catch (error) {
      throw classifyDriverError(error, table);
    } finally {
      connection.release();
    }
  }

  /** A pooled connection whose session is confirmed read only (see makeReadOnly). */
  private async readOnlyConnection(pool: Pool, table?: string): Promise<PoolConnection> {
    let connection: PoolConnection;
    try {
      connection = await pool.getConnection();
    } catch (error) {
      throw classifyDriverError(error, table);
    }
    await this.makeReadOnly(connection);
    return connection;
  }

  /**
   * Sets a new connection's session READ ONLY and UTC, then reads the flag back: a server or
   * proxy that dropped the SET (connection multiplexers do) must not get our queries. Such a
   * connection is destroyed, never returned to the pool (so is one whose setup failed).
   */
  private async makeReadOnly(connection: PoolConnection): Promise<void> {
    if (this.readOnly.has(connection.connection)) return;
    try {
      const timeout = this.config.queryTimeoutMs;
      await connection.query({ sql: 'SET SESSION TRANSACTION READ ONLY', timeout });
      await connection.query({ sql: "SET time_zone = '+00:00'", timeout });
      await keepInListsAsRanges(connection, timeout);
      // Source fingerprints concatenate an order's rows: never cut below max_allowed_packet (see fingerprint.ts).
      await connection.query({ sql: 'SET SESSION group_concat_max_len = 4294967295', timeout });
      if (!(await this.sessionIsReadOnly(connection))) {
        throw new WooDbNotReadOnlyError(
          'The WooCommerce database session stayed writable after SET SESSION TRANSACTION READ ONLY; refusing to use it. Connect directly to MySQL/MariaDB, not through a proxy that drops session settings.',
        );
      }
    } catch (error) {
      connection.destroy();
      if (error instanceof WooDbNotReadOnlyError) throw error;
      const classified = classifyDriverError(error);
      if (classified instanceof WooDbError) throw classified;
      const message = error instanceof Error ? error.message : String(error);
      throw new WooDbNotReadOnlyError(`The WooCommerce database session could not be made read only: ${message}`, { cause: error });
    }
    this.readOnly.add(connection.connection);
  }

  /** `tx_read_only` on MariaDB and MySQL 5.7, `transaction_read_only` on MySQL 8. */
  private async sessionIsReadOnly(connection: PoolConnection): Promise<boolean> {
    for (const variable of [this.readOnlyVariable, ...READ_ONLY_VARIABLES.filter((name) => name !== this.readOnlyVariable)]) {
      try {
        const [rows] = await connection.query<RowDataPacket[]>({ sql: `SELECT @@session.${variable} AS flag`, timeout: this.config.queryTimeoutMs });
        this.readOnlyVariable = variable;
        return Number(rows[0]?.flag) === 1;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ER_UNKNOWN_SYSTEM_VARIABLE') throw error;
      }
    }
    throw new WooDbNotReadOnlyError(
      'The WooCommerce database server reports neither tx_read_only nor transaction_read_only; cannot confirm the session is read only.',
    );
  }

  /** Storage mode, store time zone and whether FooEvents ticket posts exist; read once per client. */
  storeInfo(): Promise<StoreInfo> {
    this.info ??= this.readStoreInfo().catch((error: unknown) => {
      this.info = undefined;
      throw error;
    });
    return this.info;
  }

  async source(): Promise<OrderSource> {
    const info = await this.storeInfo();
    return info.mode === 'hpos' ? hposSource(this, info) : legacySource(this, info);
  }

  /** The product and, for a variable product, its variations (products live in posts). */
  async findProduct(productId: number): Promise<SourceProduct[]> {
    const rows = await this.rows<RowDataPacket>(
      `SELECT ID AS id, post_title AS name, post_type AS type, post_parent AS parentId, post_status AS status
         FROM \`${this.prefix}posts\`
        WHERE (ID = ? AND post_type IN ('product', 'product_variation')) OR (post_parent = ? AND post_type = 'product_variation')
        ORDER BY ID`,
      [productId, productId],
      `${this.prefix}posts`,
    );
    return rows.map((row) => ({
      id: Number(row.id),
      name: String(row.name),
      type: row.type === 'product_variation' ? 'product_variation' : 'product',
      parentId: Number(row.parentId),
      status: String(row.status),
    }));
  }

  /**
   * The store's administrator as WordPress knows it: the `admin_email` option, named by the user
   * with that address (else the site title). Null when the store has no admin email.
   */
  async storeAdmin(): Promise<StoreAdmin | null> {
    const options = `${this.prefix}options`;
    const rows = await this.rows<RowDataPacket>(
      `SELECT option_name AS name, option_value AS value FROM \`${options}\` WHERE option_name IN ('admin_email', 'blogname')`,
      [],
      options,
    );
    const option = (name: string): string => String(rows.find((row) => row.name === name)?.value ?? '').trim();
    const email = option('admin_email').toLowerCase();
    if (email === '') return null;
    let displayName = '';
    try {
      const users = await this.rows<RowDataPacket>(
        `SELECT display_name AS name FROM \`${this.prefix}users\` WHERE user_email = ? ORDER BY ID LIMIT 1`,
        [email],
        `${this.prefix}users`,
      );
      displayName = String(users[0]?.name ?? '').trim();
    } catch (error) {
      // A multisite or trimmed database may keep users elsewhere: the site title still names the store.
      if (!(error instanceof WooDbSchemaError)) throw error;
    }
    return { email, name: displayName || option('blogname') || email };
  }

  /** Taxes, fees, prices-include-tax and the order meta `metaKey` of some orders (see order-money.ts). */
  async orderMoney(ids: number[], metaKey: string): Promise<Map<number, OrderMoney>> {
    const info = await this.storeInfo();
    return readOrderMoney(this, info.mode, ids, metaKey);
  }

  /** Products sold in an order item carrying the item meta `metaKey`. */
  productIdsWithItemMeta(metaKey: string): Promise<number[]> {
    return productIdsWithItemMeta(this, metaKey);
  }

  /** The item meta `keys` of some order items, unserialized. */
  itemMeta(itemIds: number[], keys: string[]): Promise<Map<number, Array<{ key: string; value: unknown }>>> {
    return loadItemMeta(this, itemIds, keys);
  }

  /** The database clock, UTC, as the cursor of incremental runs (never the worker's clock). */
  async now(): Promise<string> {
    const [row] = await this.primaryRows<RowDataPacket>(`SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s') AS now`);
    return String(row?.now);
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.readPool?.end()]);
    await this.tunnel?.close();
  }

  private async readStoreInfo(): Promise<StoreInfo> {
    const options = `${this.prefix}options`;
    const tables = await this.primaryRows<RowDataPacket>(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?)`,
      [
        [
          options,
          `${this.prefix}posts`,
          `${this.prefix}postmeta`,
          `${this.prefix}woocommerce_order_items`,
          `${this.prefix}woocommerce_order_itemmeta`,
          `${this.prefix}wc_orders`,
        ],
      ],
    );
    const present = new Set(tables.map((row) => String(row.name)));
    const required = [
      options,
      `${this.prefix}posts`,
      `${this.prefix}postmeta`,
      `${this.prefix}woocommerce_order_items`,
      `${this.prefix}woocommerce_order_itemmeta`,
    ];
    const missing = required.filter((name) => !present.has(name));
    if (missing.length > 0) {
      throw new WooDbSchemaError(`Not a WooCommerce database with table prefix "${this.prefix}": missing ${missing.join(', ')}.`);
    }
    const settings = await this.primaryRows<RowDataPacket>(
      `SELECT option_name AS name, option_value AS value FROM \`${options}\` WHERE option_name IN (?)`,
      [['woocommerce_custom_orders_table_enabled', 'woocommerce_custom_product_tables_enabled', 'timezone_string', 'gmt_offset']],
      options,
    );
    const option = (name: string): string | undefined => settings.find((row) => row.name === name)?.value as string | undefined;
    if (option('woocommerce_custom_product_tables_enabled') === 'yes') {
      throw new WooDbSchemaError('The store keeps products in the new product tables (HPPS); reading them is not supported.');
    }
    const hpos = option('woocommerce_custom_orders_table_enabled') === 'yes';
    if (hpos && !present.has(`${this.prefix}wc_orders`)) {
      throw new WooDbSchemaError(`HPOS is enabled but ${this.prefix}wc_orders is missing.`);
    }
    const ticketPosts = await this.primaryRows<RowDataPacket>(`SELECT 1 AS found FROM \`${this.prefix}posts\` WHERE post_type = 'event_magic_tickets' LIMIT 1`);
    return { mode: hpos ? 'hpos' : 'legacy', timezone: storeTimezone(option('timezone_string'), option('gmt_offset')), hasTicketPosts: ticketPosts.length > 0 };
  }
}

/** WordPress's `wp_timezone_string()`: the named zone, else the offset as `+HH:MM`. */
export function storeTimezone(timezoneString: string | undefined, gmtOffset: string | undefined): string {
  if (timezoneString && timezoneString.trim() !== '') return timezoneString.trim();
  const offset = Number(gmtOffset ?? 0) || 0;
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offset) * 60);
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
