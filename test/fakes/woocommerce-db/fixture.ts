import { randomBytes } from 'node:crypto';

import { createConnection, type Connection } from 'mysql2/promise';
import { serialize } from 'php-serialize';

import { MYSQL_ROOT_URL } from '../../support/db';
import {
  EVENT_PRODUCT_ID,
  EVENT_VARIATIONS,
  expectedFor,
  generateOrders,
  MERCH_PRODUCT_ID,
  orderTotal,
  SIMPLE_EVENT_PRODUCT_ID,
  type FixtureOrder,
  type FixtureSpec,
} from './data';
import { wooCommerceDdl } from './schema';

export type Storage = 'hpos' | 'legacy';

export interface WooFixture {
  database: string;
  prefix: string;
  storage: Storage;
  /** The WOOCOMMERCE_MYSQL_* environment pointing at this database. */
  env: Record<string, string>;
  orders: FixtureOrder[];
  expected: ReturnType<typeof expectedFor>;
  setupMs: number;
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
  /** Changes an order's status the way WooCommerce does (status + modified date), in either storage. */
  setOrderStatus(orderId: number, status: string): Promise<void>;
  /** Changes a line item's quantity and touches its order's modified date. */
  setItemQuantity(orderId: number, itemId: number, quantity: number): Promise<void>;
  close(): Promise<void>;
  drop(): Promise<void>;
}

const sqlDate = (date: Date): string => date.toISOString().slice(0, 19).replace('T', ' ');
const BOGOTA_OFFSET_MS = -5 * 3_600_000; // America/Bogota has no DST.
const localDate = (date: Date): string => sqlDate(new Date(date.getTime() + BOGOTA_OFFSET_MS));
const money = (value: number): string => value.toFixed(2);

async function bulkInsert(connection: Connection, table: string, columns: string[], rows: unknown[][], chunk = 4000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await connection.query(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [rows.slice(i, i + chunk)]);
  }
}

function rootConnection(database?: string): Promise<Connection> {
  const root = new URL(MYSQL_ROOT_URL);
  return createConnection({
    host: root.hostname,
    port: Number(root.port || 3306),
    user: decodeURIComponent(root.username || 'root'),
    password: decodeURIComponent(root.password) || undefined,
    database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
  });
}

/**
 * Builds a real WooCommerce database in MariaDB (one per call, dropped with `drop()`), HPOS or
 * legacy, filled with `generateOrders(spec)`. Multi-row INSERTs keep 100k orders to seconds.
 */
export async function createWooCommerceFixture(options: { storage: Storage; spec: FixtureSpec; prefix?: string; label?: string }): Promise<WooFixture> {
  const started = Date.now();
  const prefix = options.prefix ?? 'wp_';
  const database = `synchub_woo_${options.label ?? 'fx'}_${randomBytes(4).toString('hex')}`;
  const admin = await rootConnection();
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`);
  await admin.end();
  const connection = await rootConnection(database);
  await connection.query("SET SESSION time_zone = '+00:00', unique_checks = 0, foreign_key_checks = 0");
  for (const statement of wooCommerceDdl(prefix)) await connection.query(statement);

  const orders = generateOrders(options.spec);
  await connection.beginTransaction();
  await writeCatalogue(connection, prefix, options.storage);
  await writeOrders(connection, prefix, options.storage, orders);
  await connection.commit();

  const touch =
    options.storage === 'hpos'
      ? `UPDATE \`${prefix}wc_orders\` SET date_updated_gmt = UTC_TIMESTAMP() WHERE id = ?`
      : `UPDATE \`${prefix}posts\` SET post_modified_gmt = UTC_TIMESTAMP(), post_modified = UTC_TIMESTAMP() WHERE ID = ?`;
  const root = new URL(MYSQL_ROOT_URL);
  return {
    database,
    prefix,
    storage: options.storage,
    env: {
      WOOCOMMERCE_MYSQL_HOST: root.hostname,
      WOOCOMMERCE_MYSQL_PORT: root.port || '3306',
      WOOCOMMERCE_MYSQL_USERNAME: decodeURIComponent(root.username || 'root'),
      WOOCOMMERCE_MYSQL_PASSWORD: decodeURIComponent(root.password),
      WOOCOMMERCE_MYSQL_DATABASE: database,
      WOOCOMMERCE_TABLE_PREFIX: prefix,
    },
    orders,
    expected: expectedFor(orders),
    setupMs: Date.now() - started,
    async query<T>(sql: string, params: unknown[] = []) {
      const [rows] = await connection.query(sql, params);
      return rows as T;
    },
    async setOrderStatus(orderId, status) {
      if (options.storage === 'hpos') await connection.query(`UPDATE \`${prefix}wc_orders\` SET status = ? WHERE id = ?`, [status, orderId]);
      else await connection.query(`UPDATE \`${prefix}posts\` SET post_status = ? WHERE ID = ?`, [status, orderId]);
      await connection.query(touch, [orderId]);
    },
    async setItemQuantity(orderId, itemId, quantity) {
      await connection.query(`UPDATE \`${prefix}woocommerce_order_itemmeta\` SET meta_value = ? WHERE order_item_id = ? AND meta_key = '_qty'`, [
        String(quantity),
        itemId,
      ]);
      await connection.query(touch, [orderId]);
    },
    close: () => connection.end(),
    async drop() {
      await connection.end().catch(() => undefined);
      const c = await rootConnection();
      await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await c.end();
    },
  };
}

async function writeCatalogue(connection: Connection, prefix: string, storage: Storage): Promise<void> {
  await bulkInsert(
    connection,
    `${prefix}options`,
    ['option_name', 'option_value'],
    [
      ['siteurl', 'https://tienda.example.co'],
      ['blogname', 'Tienda de Eventos'],
      ['admin_email', 'Admin@Tienda.example.co'],
      ['timezone_string', 'America/Bogota'],
      ['gmt_offset', ''],
      ['woocommerce_version', '10.3.0'],
      ['woocommerce_custom_orders_table_enabled', storage === 'hpos' ? 'yes' : 'no'],
      ['woocommerce_custom_orders_table_created', storage === 'hpos' ? 'yes' : 'no'],
      ['woocommerce_custom_orders_table_data_sync_enabled', 'no'],
    ],
  );
  const created = '2018-11-01 10:00:00';
  await bulkInsert(
    connection,
    `${prefix}users`,
    ['ID', 'user_login', 'user_email', 'display_name', 'user_registered'],
    [
      [1, 'admin', 'admin@tienda.example.co', 'María Organizadora', created],
      [2, 'editor', 'editor@tienda.example.co', 'Editor', created],
    ],
  );
  await bulkInsert(
    connection,
    `${prefix}posts`,
    ['ID', 'post_title', 'post_status', 'post_type', 'post_parent', 'post_date_gmt', 'post_modified_gmt'],
    [
      [EVENT_PRODUCT_ID, 'Concierto de Año Nuevo — Bogotá', 'publish', 'product', 0, created, created],
      ...EVENT_VARIATIONS.map((variation) => [variation.id, variation.name, 'publish', 'product_variation', EVENT_PRODUCT_ID, created, created]),
      [MERCH_PRODUCT_ID, 'Camiseta oficial', 'publish', 'product', 0, created, created],
      [SIMPLE_EVENT_PRODUCT_ID, 'Taller de cerámica', 'publish', 'product', 0, created, created],
      [40, 'Página de inicio', 'publish', 'page', 0, created, created],
    ],
  );
}

async function writeOrders(connection: Connection, prefix: string, storage: Storage, orders: FixtureOrder[]): Promise<void> {
  const posts: unknown[][] = [];
  const postmeta: unknown[][] = [];
  const items: unknown[][] = [];
  const itemmeta: unknown[][] = [];
  const hposOrders: unknown[][] = [];
  const addresses: unknown[][] = [];
  const operational: unknown[][] = [];
  const ordersMeta: unknown[][] = [];
  // A loop, not Math.max(...orders): spreading 300k orders overflows the call stack.
  let nextPostId = orders.reduce((max, order) => Math.max(max, order.id, order.refund?.id ?? 0), 1000) + 1;
  let nextRefundItemId = orders.reduce((max, order) => Math.max(max, ...order.items.map((item) => item.id)), 0) + 1;

  const flush = async (): Promise<void> => {
    await bulkInsert(
      connection,
      `${prefix}posts`,
      ['ID', 'post_title', 'post_excerpt', 'post_status', 'post_type', 'post_parent', 'post_date', 'post_date_gmt', 'post_modified', 'post_modified_gmt'],
      posts.splice(0),
    );
    await bulkInsert(connection, `${prefix}postmeta`, ['post_id', 'meta_key', 'meta_value'], postmeta.splice(0));
    await bulkInsert(connection, `${prefix}woocommerce_order_items`, ['order_item_id', 'order_item_name', 'order_item_type', 'order_id'], items.splice(0));
    await bulkInsert(connection, `${prefix}woocommerce_order_itemmeta`, ['order_item_id', 'meta_key', 'meta_value'], itemmeta.splice(0));
    if (storage === 'hpos') {
      await bulkInsert(
        connection,
        `${prefix}wc_orders`,
        [
          'id',
          'status',
          'currency',
          'type',
          'tax_amount',
          'total_amount',
          'customer_id',
          'billing_email',
          'date_created_gmt',
          'date_updated_gmt',
          'parent_order_id',
          'payment_method',
          'payment_method_title',
        ],
        hposOrders.splice(0),
      );
      await bulkInsert(
        connection,
        `${prefix}wc_order_addresses`,
        ['order_id', 'address_type', 'first_name', 'last_name', 'email', 'phone', 'city', 'country'],
        addresses.splice(0),
      );
      await bulkInsert(
        connection,
        `${prefix}wc_order_operational_data`,
        ['order_id', 'created_via', 'woocommerce_version', 'order_key', 'date_paid_gmt', 'date_completed_gmt', 'prices_include_tax'],
        operational.splice(0),
      );
      await bulkInsert(connection, `${prefix}wc_orders_meta`, ['order_id', 'meta_key', 'meta_value'], ordersMeta.splice(0));
    }
  };

  for (const order of orders) {
    const total = orderTotal(order.items);
    // WooCommerce's order tax is the sum of its lines' rounded taxes.
    const tax = Math.round(order.items.reduce((sum, item) => sum + Math.round(item.unitPrice * item.quantity * 0.19 * 100) / 100, 0) * 100) / 100;
    const created = sqlDate(order.createdAt);
    const updated = sqlDate(order.updatedAt);
    const completed = order.status === 'wc-completed' && order.paidAt ? new Date(order.paidAt.getTime() + 86_400_000) : null;
    if (storage === 'hpos') {
      hposOrders.push([
        order.id,
        order.status,
        order.currency,
        'shop_order',
        money(tax),
        money(total + tax),
        0,
        order.billing.email,
        created,
        updated,
        0,
        'bacs',
        'Transferencia bancaria',
      ]);
      addresses.push([order.id, 'billing', order.billing.firstName, order.billing.lastName, order.billing.email, order.billing.phone, 'Bogotá', 'CO']);
      operational.push([
        order.id,
        'checkout',
        '10.3.0',
        `wc_order_${order.id}`,
        order.paidAt ? sqlDate(order.paidAt) : null,
        completed ? sqlDate(completed) : null,
        0,
      ]);
      // The placeholder reserving the id: misleading on purpose, it must never be read.
      posts.push([order.id, '', '', 'draft', 'shop_order_placehold', 0, created, created, updated, updated]);
      if (order.attendeeSource === 'meta') ordersMeta.push([order.id, 'WooCommerceEventsOrderTickets', fooEventsOrderTickets(order)]);
    } else {
      posts.push([
        order.id,
        `Order &ndash; ${created}`,
        '¿Pueden sentarnos juntos?',
        order.status,
        'shop_order',
        0,
        localDate(order.createdAt),
        created,
        localDate(order.updatedAt),
        updated,
      ]);
      const meta: Array<[string, string]> = [
        ['_customer_user', '0'],
        ['_order_key', `wc_order_${order.id}`],
        ['_order_currency', order.currency],
        ['_order_total', money(total + tax)],
        ['_order_tax', money(tax)],
        ['_prices_include_tax', 'no'],
        ['_billing_first_name', order.billing.firstName],
        ['_billing_last_name', order.billing.lastName],
        ['_billing_email', order.billing.email],
        ['_billing_phone', order.billing.phone],
        ['_billing_city', 'Bogotá'],
        ['_billing_country', 'CO'],
        ['_payment_method', 'bacs'],
        ['_created_via', 'checkout'],
      ];
      if (order.paidAt) {
        if (!order.legacyLocalPaidDate) meta.push(['_date_paid', String(Math.floor(order.paidAt.getTime() / 1000))]);
        meta.push(['_paid_date', localDate(order.paidAt)]);
      }
      if (completed) meta.push(['_date_completed', String(Math.floor(completed.getTime() / 1000))], ['_completed_date', localDate(completed)]);
      if (order.attendeeSource === 'meta') meta.push(['WooCommerceEventsOrderTickets', fooEventsOrderTickets(order)]);
      for (const [key, value] of meta) postmeta.push([order.id, key, value]);
    }
    for (const item of order.items) {
      const line = item.unitPrice * item.quantity;
      items.push([item.id, item.name, 'line_item', order.id]);
      const lineTax = Math.round(line * 0.19 * 100) / 100;
      for (const [key, value] of [
        ['_product_id', String(item.productId)],
        ['_variation_id', String(item.variationId)],
        ['_qty', String(item.quantity)],
        ['_tax_class', ''],
        ['_line_subtotal', money(line)],
        ['_line_subtotal_tax', money(lineTax)],
        ['_line_total', money(line)],
        ['_line_tax', money(lineTax)],
        ['_line_tax_data', serialize({ total: { 1: money(lineTax) }, subtotal: { 1: money(lineTax) } })],
        ['_reduced_stock', String(item.quantity)],
      ] as Array<[string, string]>) {
        itemmeta.push([item.id, key, value]);
      }
    }
    // The order's tax item, as WooCommerce writes it: the rate it charged, its label and amount.
    const taxItemId = nextRefundItemId++;
    items.push([taxItemId, 'CO-IVA-1', 'tax', order.id]);
    for (const [key, value] of [
      ['rate_id', '1'],
      ['label', 'IVA'],
      ['compound', ''],
      ['tax_amount', money(tax)],
      ['shipping_tax_amount', '0'],
      ['rate_percent', '19'],
    ] as Array<[string, string]>) {
      itemmeta.push([taxItemId, key, value]);
    }
    if (order.refund) {
      const refundCreated = sqlDate(new Date(order.updatedAt.getTime() + 3_600_000));
      if (storage === 'hpos') {
        hposOrders.push([
          order.refund.id,
          'wc-completed',
          order.currency,
          'shop_order_refund',
          money(-tax),
          money(-order.refund.amount),
          0,
          null,
          refundCreated,
          refundCreated,
          order.id,
          null,
          null,
        ]);
        posts.push([order.refund.id, '', '', 'draft', 'shop_order_placehold', 0, refundCreated, refundCreated, refundCreated, refundCreated]);
      } else {
        posts.push([order.refund.id, 'Refund', '', 'wc-completed', 'shop_order_refund', order.id, refundCreated, refundCreated, refundCreated, refundCreated]);
        postmeta.push([order.refund.id, '_refund_amount', money(order.refund.amount)]);
      }
      // Refund line items carry the product id with a negative quantity.
      for (const item of order.items) {
        const refundItemId = nextRefundItemId++;
        items.push([refundItemId, item.name, 'line_item', order.refund.id]);
        for (const [key, value] of [
          ['_product_id', String(item.productId)],
          ['_variation_id', String(item.variationId)],
          ['_qty', String(-item.quantity)],
          ['_line_total', money(-item.unitPrice * item.quantity)],
        ] as Array<[string, string]>) {
          itemmeta.push([refundItemId, key, value]);
        }
      }
    }
    if (order.attendeeSource === 'posts') {
      for (const attendee of order.attendees) {
        const ticketId = nextPostId++;
        posts.push([ticketId, `Ticket ${ticketId}`, '', 'publish', 'event_magic_tickets', 0, created, created, updated, updated]);
        for (const [key, value] of [
          ['WooCommerceEventsOrderID', String(order.id)],
          ['WooCommerceEventsProductID', String(attendee.productId)],
          ['WooCommerceEventsVariationID', String(attendee.variationId)],
          ['WooCommerceEventsAttendeeName', attendee.firstName],
          ['WooCommerceEventsAttendeeLastName', attendee.lastName],
          ['WooCommerceEventsAttendeeEmail', attendee.email],
          ['WooCommerceEventsTicketID', String(ticketId * 7919)],
        ] as Array<[string, string]>) {
          postmeta.push([ticketId, key, value]);
        }
      }
    }
    if (itemmeta.length >= 40_000) await flush();
  }
  await flush();
}

/** FooEvents' serialized `WooCommerceEventsOrderTickets`: [product index => [ticket index => fields]]. */
function fooEventsOrderTickets(order: FixtureOrder): string {
  const groups: Record<number, Record<number, Record<string, string>>> = {};
  order.attendees.forEach((attendee, index) => {
    const group = (groups[1] ??= {});
    group[index + 1] = {
      WooCommerceEventsProductID: String(attendee.productId),
      WooCommerceEventsVariationID: String(attendee.variationId),
      WooCommerceEventsAttendeeName: attendee.firstName,
      WooCommerceEventsAttendeeLastName: attendee.lastName,
      WooCommerceEventsAttendeeEmail: attendee.email,
    };
  });
  return serialize(groups);
}
