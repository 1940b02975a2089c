import { describe, expect, it } from 'vitest';

import { EVENT_PRODUCT_ID, PAID_STATUSES } from '../../../fakes/woocommerce-db/data';
import { FingerprintBook } from '../../../../worker/src/connectors/woocommerce-db/fingerprint';
import { storesInBothStorages, type StoreUnderTest } from '../../../fakes/woocommerce-db/both-storages';

const storeIn = storesInBothStorages('fprint', { paidOrders: 60, unpaidOrders: 10, ticketPostShare: 0.2, orderMetaShare: 0.2, seed: 5 });
const SEED = 'seed-a';

describe.each(['hpos', 'legacy'] as const)('source fingerprints (%s storage)', (storage) => {
  const store = () => storeIn(storage);
  const t = (name: string) => `\`${store().fixture.prefix}${name}\``;

  async function both(orderId: number, seed = SEED): Promise<{ store: string | undefined; load: string | null | undefined }> {
    const { woo } = store();
    const source = await woo.source();
    const productIds = (await woo.findProduct(EVENT_PRODUCT_ID)).map((product) => product.id);
    const [fingerprints, [loaded]] = await Promise.all([source.fingerprintOrders([orderId], seed), source.loadOrders([orderId], productIds, seed)]);
    return { store: fingerprints.get(orderId), load: loaded?.fingerprint };
  }

  /** A paid event order without ticket posts: fingerprinted by both sides. */
  const plainOrder = (index: number, fixture: StoreUnderTest['fixture'] = store().fixture) =>
    fixture.orders.filter(
      (order) => order.attendeeSource !== 'posts' && PAID_STATUSES.includes(order.status) && order.items.some((item) => item.productId === EVENT_PRODUCT_ID),
    )[index] as (typeof fixture.orders)[number];

  it('the store computes, for every order without ticket posts, the fingerprint its load computes', async () => {
    const { fixture, woo } = store();
    const source = await woo.source();
    const productIds = (await woo.findProduct(EVENT_PRODUCT_ID)).map((product) => product.id);
    const ids = fixture.orders.map((order) => order.id);
    const [fingerprints, loaded] = await Promise.all([source.fingerprintOrders(ids, SEED), source.loadOrders(ids, productIds, SEED)]);
    const withPosts = new Set(fixture.orders.filter((order) => order.attendeeSource === 'posts').map((order) => order.id));
    expect(withPosts.size).toBeGreaterThan(0);
    expect(loaded.length).toBe(ids.length);
    for (const order of loaded) {
      if (withPosts.has(order.id)) {
        expect(order.fingerprint, `order ${order.id}`).toBeNull();
        expect(fingerprints.has(order.id)).toBe(false);
      } else {
        expect(order.fingerprint, `order ${order.id}`).toMatch(/^[0-9a-f]{64}$/);
        expect(fingerprints.get(order.id), `order ${order.id}`).toBe(order.fingerprint);
      }
    }
    // Without a seed a load computes none.
    expect((await source.loadOrders(ids.slice(0, 3), productIds))[0]).not.toHaveProperty('fingerprint');
  });

  it('another seed (rules, mapping version) gives another fingerprint', async () => {
    const order = plainOrder(0);
    const [a, b] = [await both(order.id, 'seed-a'), await both(order.id, 'seed-b')];
    expect(a.store).toBe(a.load);
    expect(b.store).toBe(b.load);
    expect(b.store).not.toBe(a.store);
  });

  it('any change to a row the load reads changes the fingerprint, on both sides alike; other rows do not', async () => {
    const { fixture } = store();
    const order = plainOrder(1);
    const item = order.items[0] as (typeof order.items)[number];
    const itemmeta = t('woocommerce_order_itemmeta');
    const ordersMeta = storage === 'hpos' ? t('wc_orders_meta') : t('postmeta');
    const orderIdColumn = storage === 'hpos' ? 'order_id' : 'post_id';
    const changes: Array<[string, string, unknown[]]> = [
      storage === 'hpos'
        ? ['status', `UPDATE ${t('wc_orders')} SET status = 'wc-on-hold' WHERE id = ?`, [order.id]]
        : ['status', `UPDATE ${t('posts')} SET post_status = 'wc-on-hold' WHERE ID = ?`, [order.id]],
      storage === 'hpos'
        ? ['billing name', `UPDATE ${t('wc_order_addresses')} SET last_name = 'Öztürk' WHERE order_id = ? AND address_type = 'billing'`, [order.id]]
        : ['billing name', `UPDATE ${t('postmeta')} SET meta_value = 'Öztürk' WHERE post_id = ? AND meta_key = '_billing_last_name'`, [order.id]],
      storage === 'hpos'
        ? ['paid date', `UPDATE ${t('wc_order_operational_data')} SET date_paid_gmt = date_paid_gmt + INTERVAL 1 SECOND WHERE order_id = ?`, [order.id]]
        : ['paid date', `UPDATE ${t('postmeta')} SET meta_value = meta_value + 1 WHERE post_id = ? AND meta_key = '_date_paid'`, [order.id]],
      ['item quantity', `UPDATE ${itemmeta} SET meta_value = meta_value + 1 WHERE order_item_id = ? AND meta_key = '_qty'`, [item.id]],
      ['item name', `UPDATE ${t('woocommerce_order_items')} SET order_item_name = CONCAT(order_item_name, ' ') WHERE order_item_id = ?`, [item.id]],
      ['a newer duplicate item meta row', `INSERT INTO ${itemmeta} (order_item_id, meta_key, meta_value) VALUES (?, '_line_total', '1.00')`, [item.id]],
      [
        'a new line item',
        `INSERT INTO ${t('woocommerce_order_items')} (order_item_name, order_item_type, order_id) VALUES ('Extra', 'line_item', ?)`,
        [order.id],
      ],
      [
        'FooEvents order meta',
        `INSERT INTO ${ordersMeta} (${orderIdColumn}, meta_key, meta_value) VALUES (?, 'WooCommerceEventsOrderTickets', 'a:0:{}')`,
        [order.id],
      ],
    ];
    let last = await both(order.id);
    expect(last.store).toBeDefined();
    for (const [label, statement, params] of changes) {
      await fixture.query(statement, params);
      const now = await both(order.id);
      if (label === 'a new line item') {
        // An item with no meta row of the read keys is not read either: give it one.
        expect(now, label).toEqual(last);
        await fixture.query(
          `INSERT INTO ${itemmeta} (order_item_id, meta_key, meta_value) SELECT MAX(order_item_id), '_product_id', '10' FROM ${t('woocommerce_order_items')}`,
        );
        const withMeta = await both(order.id);
        expect(withMeta.store, label).not.toBe(last.store);
        expect(withMeta.store, label).toBe(withMeta.load);
        last = withMeta;
        continue;
      }
      expect(now.store, label).not.toBe(last.store);
      expect(now.store, label).toBe(now.load);
      last = now;
    }
    // Rows no load reads leave it alone.
    await fixture.query(`INSERT INTO ${itemmeta} (order_item_id, meta_key, meta_value) VALUES (?, '_reduced_stock', '1')`, [item.id]);
    await fixture.query(`INSERT INTO ${ordersMeta} (${orderIdColumn}, meta_key, meta_value) VALUES (?, '_customer_note', 'hola')`, [order.id]);
    expect(await both(order.id)).toEqual(last);
  });

  it('an order with a refunded item or a ticket post has no fingerprint on either side', async () => {
    const { fixture } = store();
    const order = plainOrder(2);
    const item = order.items[0] as (typeof order.items)[number];
    expect((await both(order.id)).store).toBeDefined();
    // A refund line item pointing back at the order's item (WooCommerce's refund rows).
    const { insertId: refundItem } = await fixture.query<{ insertId: number }>(
      `INSERT INTO ${t('woocommerce_order_items')} (order_item_name, order_item_type, order_id) VALUES ('Refund', 'line_item', 999999)`,
    );
    await fixture.query(
      `INSERT INTO ${t('woocommerce_order_itemmeta')} (order_item_id, meta_key, meta_value) VALUES (?, '_refunded_item_id', ?), (?, '_qty', '-1'), (?, '_line_total', '-1.00')`,
      [refundItem, String(item.id), refundItem, refundItem],
    );
    // A new source per run: the refund list is read once per run.
    expect(await both(order.id)).toEqual({ store: undefined, load: null });

    const withPosts = fixture.orders.find((candidate) => candidate.attendeeSource === 'posts') as (typeof fixture.orders)[number];
    expect(await both(withPosts.id)).toEqual({ store: undefined, load: null });
  });

  it('an order whose rows are longer than max_allowed_packet has no store fingerprint (it is always loaded)', async () => {
    const { fixture } = store();
    const order = plainOrder(3);
    expect((await both(order.id)).store).toBeDefined();
    const [packet] = await fixture.query<Array<{ bytes: number }>>('SELECT @@max_allowed_packet AS bytes');
    const half = Math.ceil(Number(packet?.bytes) / 2) + 1024;
    const item = order.items[0] as (typeof order.items)[number];
    // Two item meta rows of the read keys, each under the limit, together over it.
    for (let row = 0; row < 2; row += 1) {
      await fixture.query(`INSERT INTO ${t('woocommerce_order_itemmeta')} (order_item_id, meta_key, meta_value) VALUES (?, '_line_subtotal', REPEAT('9', ?))`, [
        item.id,
        half,
      ]);
    }
    expect((await both(order.id)).store).toBeUndefined();
  });
});

describe('FingerprintBook', () => {
  it('hashes rows in meta id order whatever order they arrive in; excluded orders have none', () => {
    const rows = [7, 3, 9, 1].map((mid) => ({ orderId: 1, mid, text: `row${mid}` }));
    const digestOf = (items: typeof rows) => {
      const book = new FingerprintBook('seed');
      book.items(
        items,
        (row) => Number(row.orderId),
        (row) => String(row.text),
      );
      book.orderMeta(
        [{ id: 1, mid: 2 }],
        (row) => Number(row.id),
        () => 'm',
      );
      return book.digest(1, ['wc-completed', null]);
    };
    const sorted = digestOf([...rows].sort((a, b) => a.mid - b.mid));
    expect(digestOf(rows)).toBe(sorted);
    expect(digestOf([...rows].reverse())).toBe(sorted);
    expect(digestOf(rows.slice(1))).not.toBe(sorted);
    // Another order's rows in between change nothing.
    expect(digestOf([rows[0], { orderId: 2, mid: 5, text: 'other' }, ...rows.slice(1)] as typeof rows)).toBe(sorted);
    const book = new FingerprintBook('seed');
    book.exclude(2);
    expect(book.digest(2, ['wc-completed'])).toBeNull();
    expect(book.digest(3, ['wc-completed'])).toMatch(/^[0-9a-f]{64}$/);
    // A second header row of the same order (two billing addresses) gives no fingerprint, and no error.
    expect(book.digest(3, ['wc-completed'])).toBeNull();
  });
});
