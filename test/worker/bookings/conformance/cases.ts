/**
 * The bookings flows against an Odoo, shared by the real-Odoo suite (odoo-real.test.ts, Odoo 17
 * and 18 from ../shared/peers) and the conformance suite (odoo-conformance.test.ts, the fake):
 * the same cases, the same expectations, so the fake is shown to answer as the real servers do.
 * Each case stands for a row of issue 17: what a real Odoo did to a store in its first week.
 */
import { expect, it as vitestIt } from 'vitest';

import { serialize } from 'php-serialize';

import { createBookingsDomain } from '../../../../worker/src/bookings';
import { createWooCommerceFixture } from '../../../fakes/woocommerce-db/fixture';
import { keepBuilt } from '../../../support/domains';
import { adminHeaders, startTestRuntime } from '../../../support/runtime';
import { until } from '../../../support/until';
import { odooDatetime, PAID_AT, wcOrder } from '../fixtures';
import { type CaseContext, markDeadLetteredByOutage } from './context';
import { taxedOrder, type TaxSpec } from './orders';

/** A real Odoo on a loaded machine is slow: each case gets two minutes. */
const it = (name: string, fn: () => Promise<void>) => vitestIt(name, fn, 120_000);

const VAT21: TaxSpec = { rateId: 1, percent: 21, label: 'IVA 21%' };
const VAT10: TaxSpec = { rateId: 2, percent: 10, label: 'IVA 10%' };
const US15: TaxSpec = { rateId: 3, percent: 15, label: 'Sales tax 15%' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const many2oneId = (value: unknown): number => (Array.isArray(value) ? Number(value[0]) : Number(value));
const many2oneName = (value: unknown): string => (Array.isArray(value) ? String(value[1]) : '');

async function oneSaleOrder(c: CaseContext, orderId: number): Promise<Record<string, unknown>> {
  const rows = await c.saleOrders(`WC-${orderId}`);
  expect(rows).toHaveLength(1);
  return rows[0] as Record<string, unknown>;
}

async function health(c: CaseContext): Promise<boolean | null> {
  const response = await fetch(`${c.runtime.url}/health`, { headers: adminHeaders() });
  return ((await response.json()) as { odoo_connection: boolean | null }).odoo_connection;
}

export function defineBookingCases(get: () => CaseContext): void {
  it('drift: a sale order cancelled, one deleted and one whose total was edited in Odoo are found; "re-sync these" replaces the deleted one', async () => {
    const c = get();
    const ids = [17101, 17102, 17103];
    for (const [index, id] of ids.entries()) {
      const order = taxedOrder({
        id,
        email: `drift-${id}@example.com`,
        lines: [{ persons: 2, amount: 40 + index, start: `2026-12-0${index + 4} 10:00`, tax: VAT21 }],
      });
      expect((await c.post(order.body)).status).toBe(202);
    }
    for (const id of ids) await c.waitForOrder(id, 'synced');
    const [cancelled, deleted, edited] = (await Promise.all(ids.map((id) => oneSaleOrder(c, id)))).map((sale) => Number(sale.id)) as [number, number, number];

    const check = async (): Promise<Array<{ id: string; kind: string; resyncable: boolean }>> => {
      const asked = Date.now();
      expect((await c.admin('POST', '/api/v1/drift/check', { domains: ['bookings'] })).status).toBe(202);
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
        const body = (await (await c.admin('GET', '/api/v1/drift/bookings')).json()) as {
          running: unknown;
          report: { checkedAt: string; items: Array<{ id: string; kind: string; resyncable: boolean }> } | null;
        };
        if (body.running === null && body.report && Date.parse(body.report.checkedAt) >= asked - 1_000)
          return body.report.items.filter((item) => ids.includes(Number(item.id)));
      }
      throw new Error('no drift report');
    };
    expect(await check()).toEqual([]);

    // What a person does in Odoo's own screens: cancel (the wizard is skipped as its "Cancel" button does), delete, edit a price.
    const wizard = (await c.target.call('sale.order', 'action_cancel', [[cancelled]])) as { res_model?: string };
    expect(wizard.res_model).toBe('sale.order.cancel');
    await c.target.call('sale.order', 'action_cancel', [[cancelled, deleted]], { context: { disable_cancel_warning: true } });
    await c.target.call('sale.order', 'unlink', [[deleted]]);
    const [line] = await c.lines(edited);
    await c.target.call('sale.order.line', 'write', [[Number(line?.id)], { price_unit: 10 }]);

    const found = await check();
    expect(found.map((item) => [Number(item.id), item.kind, item.resyncable]).sort()).toEqual([
      [17101, 'cancelled_in_odoo', false],
      [17102, 'sale_order_missing', true],
      [17103, 'total_differs', false],
    ]);

    // "Re-sync these" on what a new sale order fixes: the deleted one comes back, once.
    expect((await c.admin('POST', '/api/v1/drift/bookings/resync', { ids: ['17102'] })).status).toBe(202);
    let replaced: Array<Record<string, unknown>> = [];
    // The sale order exists a moment before the worker confirms it: wait for the confirmation too.
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && replaced[0]?.state !== 'sale'; await sleep(200))
      replaced = await c.saleOrders('WC-17102');
    expect(replaced).toHaveLength(1);
    expect(Number(replaced[0]?.id)).not.toBe(deleted);
    expect(replaced[0]?.state).toBe('sale');
    expect((await check()).map((item) => Number(item.id)).sort()).toEqual([17101, 17103]);
  });

  it('an order only the sweep finds in the store database reaches Odoo taxed, in its currency, to the cent', async () => {
    const c = get();
    // A store (HPOS) with one paid order: lines taxed 19 % (rate 1, as WooCommerce writes its tax
    // item and _line_tax_data), sold in EUR, made a booking; no webhook ever delivered it.
    const store = await createWooCommerceFixture({ storage: 'hpos', spec: { paidOrders: 3, unpaidOrders: 0, seed: 17 }, label: 'swtax' });
    const bookings = keepBuilt(createBookingsDomain);
    const runtime = await startTestRuntime({ domains: [bookings.create], env: { ...c.env, ...store.env } });
    try {
      const order = store.orders.find((candidate) => candidate.paidAt && candidate.items.length > 0);
      if (!order) throw new Error('fixture without a paid order');
      await store.query(`UPDATE \`${store.prefix}wc_orders\` SET currency = 'EUR' WHERE id = ?`, [order.id]);
      const from = Math.floor(Date.now() / 1000) + 7 * 86_400;
      for (const item of order.items) {
        await store.query(
          `INSERT INTO \`${store.prefix}woocommerce_order_itemmeta\` (order_item_id, meta_key, meta_value) VALUES (?, 'yith_booking_data', ?)`,
          [item.id, serialize({ from, to: from + 3600, persons: 2 })],
        );
      }
      await store.setOrderStatus(order.id, order.status);
      const [stored] = await store.query<Array<{ total: string; tax: string }>>(
        `SELECT total_amount AS total, tax_amount AS tax FROM \`${store.prefix}wc_orders\` WHERE id = ?`,
        [order.id],
      );
      if (!stored) throw new Error('order not stored');

      // The runtime's own scheduled sweep may import it first (then this one finds it known):
      // either way it is imported once, and exactly one sale order is made below.
      expect((await bookings.built().service.sweep()).imported).toBeLessThanOrEqual(1);
      const deadline = Date.now() + 60_000;
      let sales: Array<Record<string, unknown>> = [];
      while (Date.now() < deadline && sales.length === 0) {
        sales = await c.saleOrders(`WC-${order.id}`);
        if (sales.length === 0) await sleep(200);
      }
      expect(sales).toHaveLength(1);
      const sale = sales[0] as Record<string, unknown>;
      expect(many2oneName(sale.currency_id)).toBe('EUR');
      expect(sale.amount_total).toBe(Number(stored.total));
      expect(sale.amount_tax).toBe(Number(stored.tax));
      expect(Number(stored.tax)).toBeGreaterThan(0);
      const lines = await c.lines(Number(sale.id));
      const taxes = (await c.target.call('account.tax', 'read', [lines[0]?.tax_id, ['amount', 'price_include']])) as Array<{
        amount: number;
        price_include: boolean;
      }>;
      expect(taxes.map((tax) => [tax.amount, tax.price_include])).toEqual([[19, false]]);
    } finally {
      await runtime.dispose();
      await store.drop();
    }
  });

  it('taxes on top: a 5-person booking of 95.00 EUR + 21 % is 114.95 EUR in Odoo, tax 19.95 (not 109.25 USD)', async () => {
    const c = get();
    const order = taxedOrder({ id: 17001, email: 'tax-excl@example.com', lines: [{ persons: 5, amount: 95, tax: VAT21 }] });
    await c.post(order.body);
    await c.waitForOrder(17001, 'synced');
    const sale = await oneSaleOrder(c, 17001);
    expect(many2oneName(sale.currency_id)).toBe('EUR');
    expect(sale.amount_total).toBe(order.total);
    expect(sale.amount_tax).toBe(order.totalTax);
    expect([sale.amount_total, sale.amount_tax]).toEqual([114.95, 19.95]);
  });

  it('prices entered with tax: 95.00 including 21 % stays 95.00, tax 16.49, on a price-included Odoo tax', async () => {
    const c = get();
    const order = taxedOrder({ id: 17002, email: 'tax-incl@example.com', pricesIncludeTax: true, lines: [{ persons: 5, amount: 95, tax: VAT21 }] });
    await c.post(order.body);
    await c.waitForOrder(17002, 'synced');
    const sale = await oneSaleOrder(c, 17002);
    expect([sale.amount_total, sale.amount_tax]).toEqual([95, 16.49]);
    const [line] = await c.lines(Number(sale.id));
    const taxes = (await c.target.call('account.tax', 'read', [line?.tax_id, ['amount', 'price_include']])) as Array<{
      amount: number;
      price_include: boolean;
    }>;
    expect(taxes.map((tax) => [tax.amount, tax.price_include])).toEqual([[21, true]]);
  });

  it('an untaxed WooCommerce order stays untaxed: Odoo’s default 15 % never applies', async () => {
    const c = get();
    const order = taxedOrder({ id: 17003, email: 'no-tax@example.com', lines: [{ persons: 2, amount: 60 }] });
    await c.post(order.body);
    await c.waitForOrder(17003, 'synced');
    const sale = await oneSaleOrder(c, 17003);
    expect([sale.amount_untaxed, sale.amount_tax, sale.amount_total]).toEqual([60, 0, 60]);
    const [line] = await c.lines(Number(sale.id));
    expect(line?.tax_id).toEqual([]);
  });

  it('subtotals to the cent: 3 persons for 94.99 stays 94.99 (not 3 × 33.33), 3 × 30.00 keeps its quantity', async () => {
    const c = get();
    const order = taxedOrder({
      id: 17004,
      email: 'cents@example.com',
      lines: [
        { persons: 3, quantity: 3, amount: 94.99, tax: VAT10 },
        { persons: 3, quantity: 3, amount: 90, start: '2026-12-03 10:00', tax: VAT10 },
      ],
    });
    await c.post(order.body);
    await c.waitForOrder(17004, 'synced');
    const sale = await oneSaleOrder(c, 17004);
    const lines = await c.lines(Number(sale.id));
    expect(lines.map((line) => line.price_subtotal)).toEqual([94.99, 90]);
    expect(lines.map((line) => line.product_uom_qty)).toEqual([1, 3]);
    expect([sale.amount_total, sale.amount_tax]).toEqual([order.total, order.totalTax]);
  });

  it('a fee is its own line, taxed as in the store, and the totals still match', async () => {
    const c = get();
    const order = taxedOrder({
      id: 17005,
      email: 'fee@example.com',
      lines: [{ persons: 2, amount: 40, tax: VAT21 }],
      fees: [{ name: 'Mat rental', amount: 2.5, tax: VAT21 }],
    });
    await c.post(order.body);
    await c.waitForOrder(17005, 'synced');
    const sale = await oneSaleOrder(c, 17005);
    const lines = await c.lines(Number(sale.id));
    expect(lines.map((line) => [line.name, line.price_subtotal])).toEqual([
      [expect.stringContaining('Yoga Flow'), 40],
      ['Mat rental', 2.5],
    ]);
    expect([sale.amount_total, sale.amount_tax]).toEqual([order.total, order.totalTax]);
  });

  it('an Odoo sale tax of the same percent is reused (WooCommerce 15 % → Odoo’s own 15 %), never duplicated', async () => {
    const c = get();
    const [own] = (await c.target.call(
      'account.tax',
      'search_read',
      [
        [
          ['type_tax_use', '=', 'sale'],
          ['amount', '=', 15],
        ],
      ],
      { fields: ['id'], order: 'id asc' },
    )) as Array<{ id: number }>;
    const order = taxedOrder({ id: 17006, email: 'us-tax@example.com', lines: [{ persons: 1, amount: 20, tax: US15 }] });
    await c.post(order.body);
    await c.waitForOrder(17006, 'synced');
    const [line] = await c.lines(Number((await oneSaleOrder(c, 17006)).id));
    expect(line?.tax_id).toEqual([own?.id]);
    // 21 % excluded and 21 % included from the cases above: one Odoo tax each, however many orders used them.
    const vat = (await c.target.call(
      'account.tax',
      'search_read',
      [
        [
          ['type_tax_use', '=', 'sale'],
          ['amount', '=', 21],
        ],
      ],
      { fields: ['price_include'] },
    )) as Array<{ price_include: boolean }>;
    expect(vat.map((tax) => tax.price_include).sort()).toEqual([false, true]);
  });

  it('a currency Odoo has not activated fails with a message naming it; nothing is created and Sync Hub activates nothing', async () => {
    const c = get();
    const order = taxedOrder({ id: 17007, email: 'gbp@example.com', currency: 'GBP', lines: [{ persons: 1, amount: 30 }] });
    await c.post(order.body);
    const row = await c.waitForOrder(17007, 'failed');
    expect(row.last_error).toMatch(/GBP/);
    expect(row.last_error).toMatch(/not active in Odoo/);
    expect(await c.saleOrders('WC-17007')).toHaveLength(0);
    const gbp = (await c.target.call(
      'res.currency',
      'search_read',
      [
        [
          ['name', '=', 'GBP'],
          ['active', 'in', [true, false]],
        ],
      ],
      { fields: ['active'] },
    )) as Array<{ active: boolean }>;
    expect(gbp.map((currency) => currency.active)).toEqual([false]);
  });

  it('a compound WooCommerce tax is refused with a clear message, before anything reaches Odoo', async () => {
    const c = get();
    const order = taxedOrder({
      id: 17008,
      email: 'compound@example.com',
      lines: [{ persons: 1, amount: 30, tax: { rateId: 9, percent: 5, compound: true, label: 'Eco surcharge' } }],
    });
    await c.post(order.body);
    const row = await c.waitForOrder(17008, 'failed');
    expect(row.last_error).toMatch(/compound tax "Eco surcharge"/);
    expect(await c.saleOrders('WC-17008')).toHaveLength(0);
  });

  it('date_order is the WooCommerce paid date after confirmation, and a replayed webhook makes no second order', async () => {
    const c = get();
    const order = taxedOrder({ id: 17009, email: 'dates@example.com', lines: [{ persons: 2, amount: 50, tax: VAT21 }] });
    await c.post(order.body);
    await c.waitForOrder(17009, 'synced');
    await c.post(order.body);
    await c.post(order.body, c.second);
    await sleep(1_500);
    await c.waitForOrder(17009, 'synced');
    const sale = await oneSaleOrder(c, 17009);
    expect(sale.state).toBe('sale');
    expect(sale.date_order).toBe(odooDatetime(PAID_AT));
  });

  it('on the wire: the invoicing wizard answers a "cannot marshal None" fault although the invoice exists', async () => {
    const c = get();
    const [partner] = (await c.target.call('res.partner', 'create', [[{ name: 'Wire Test', email: 'wire@example.com' }]])) as number[];
    const product = (await c.target.call('product.product', 'search_read', [[['sale_ok', '=', true]]], { fields: ['id'], limit: 1 })) as Array<{ id: number }>;
    let productId = product[0]?.id;
    if (productId === undefined)
      [productId] = (await c.target.call('product.product', 'create', [[{ name: 'Wire product', type: 'service', invoice_policy: 'order' }]])) as number[];
    const [orderId] = (await c.target.call('sale.order', 'create', [
      [{ partner_id: partner, order_line: [[0, 0, { product_id: productId, name: 'Wire line', product_uom_qty: 1, price_unit: 10, tax_id: [[6, 0, []]] }]] }],
    ])) as number[];
    await c.target.call('sale.order', 'action_confirm', [[orderId]]);
    const context = { active_model: 'sale.order', active_ids: [orderId], active_id: orderId };
    const [wizard] = (await c.target.call(
      'sale.advance.payment.inv',
      'create',
      [[{ advance_payment_method: 'delivered', sale_order_ids: [[6, 0, [orderId]]] }]],
      { context },
    )) as number[];
    const fault = (await c.target.call('sale.advance.payment.inv', 'create_invoices', [[wizard]], { context }).then(
      () => undefined,
      (error: unknown) => error,
    )) as { faultCode?: unknown; faultString?: string } | undefined;
    expect(fault?.faultCode).toBe(1);
    expect(fault?.faultString?.trim().split('\n').pop()).toBe('TypeError: cannot marshal None unless allow_none is enabled');
    const [after] = (await c.target.call('sale.order', 'read', [[orderId], ['invoice_ids']])) as Array<{ invoice_ids: number[] }>;
    expect(after?.invoice_ids).toHaveLength(1);
    const [move] = (await c.target.call('account.move', 'read', [after?.invoice_ids, ['name', 'state']])) as Array<{ name: unknown; state: string }>;
    // Draft invoices: not named at all (False) in 18; in 17 the journal's first draft gets the first
    // number (here it is the first invoice of a fresh database), later drafts '/'.
    expect(move).toMatchObject({ state: 'draft', name: c.target.version === 17 ? `INV/${new Date().getUTCFullYear()}/00001` : false });
  });

  it('invoicing on: every order is synced with exactly one invoice for its total, none dead-lettered', async () => {
    const c = get();
    expect((await c.admin('PUT', '/api/v1/bookings/settings', { confirm_orders: true, create_invoices: true })).status).toBe(200);
    try {
      const orders = [17011, 17012, 17013].map((id, index) =>
        taxedOrder({ id, email: `invoice${index}@example.com`, lines: [{ persons: 1 + index, amount: 25 * (index + 1), tax: VAT21 }] }),
      );
      for (const order of orders) await c.post(order.body);
      for (const order of orders) {
        const id = Number(order.body.id);
        await c.waitForOrder(id, 'synced');
        const sale = await oneSaleOrder(c, id);
        expect(sale.invoice_ids).toHaveLength(1);
        const [move] = (await c.target.call('account.move', 'read', [sale.invoice_ids, ['amount_total', 'currency_id']])) as Array<{
          amount_total: number;
          currency_id: unknown;
        }>;
        expect(move?.amount_total).toBe(order.total);
        expect(many2oneName(move?.currency_id)).toBe('EUR');
      }
    } finally {
      await c.admin('PUT', '/api/v1/bookings/settings', { create_invoices: false });
    }
  });

  it('a retry after a lost invoicing answer never makes a second invoice', async () => {
    const c = get();
    await c.admin('PUT', '/api/v1/bookings/settings', { confirm_orders: true, create_invoices: true });
    try {
      // The worker never heard that 17011 was invoiced; a retry and a "sync all" come along.
      await c.runtime.ctx.db.updateTable('synchub_bookings_links').set({ invoiced: 0 }).where('wc_order_id', '=', 17011).execute();
      await c.runtime.ctx.db.updateTable('synchub_bookings_orders').set({ status: 'failed' }).where('wc_order_id', '=', 17011).execute();
      expect((await c.admin('POST', '/api/v1/bookings/orders/17011/retry')).status).toBe(202);
      await c.waitForOrder(17011, 'synced');
      expect((await c.admin('POST', '/sync/manual', {})).status).toBe(202);
      await sleep(1_000);
      const sale = await oneSaleOrder(c, 17011);
      expect(sale.invoice_ids).toHaveLength(1);
      const link = await c.runtime.ctx.db.selectFrom('synchub_bookings_links').select('invoiced').where('wc_order_id', '=', 17011).executeTakeFirstOrThrow();
      expect(link.invoiced).toBe(1);
    } finally {
      await c.admin('PUT', '/api/v1/bookings/settings', { create_invoices: false });
    }
  });

  it('Odoo down: the order waits (backing off, not dead-lettered), /health and the admin page say Odoo is down, and it syncs once Odoo is back', async () => {
    const c = get();
    await c.proxy.down();
    try {
      await c.post(taxedOrder({ id: 17014, email: 'outage@example.com', lines: [{ persons: 2, amount: 40, tax: VAT21 }] }).body);
      const deadline = Date.now() + 20_000;
      let row = await c.orderRow(17014);
      while (row?.error_kind !== 'unavailable' && Date.now() < deadline) {
        await sleep(100);
        row = await c.orderRow(17014);
      }
      expect(row).toMatchObject({ status: 'pending', error_kind: 'unavailable' });
      expect(await health(c)).toBe(false);
      const settings = (await (await c.admin('GET', '/api/v1/bookings/settings')).json()) as { health: { ok: boolean } | null };
      expect(settings.health?.ok).toBe(false);
      // Several tries later (200 ms doubling, capped at 1 s here; an hour by default) it is still waiting, not failed.
      await sleep(3_000);
      expect((await c.orderRow(17014))?.status).toBe('pending');
    } finally {
      await c.proxy.up();
    }
    await c.waitForOrder(17014, 'synced');
    expect(await c.saleOrders('WC-17014')).toHaveLength(1);
    expect(await health(c)).toBe(true);
  });

  it('the sweep picks up an order an outage dead-lettered, with nobody pressing Retry', async () => {
    const c = get();
    const order = taxedOrder({ id: 17015, email: 'swept@example.com', lines: [{ persons: 1, amount: 15 }] });
    await c.proxy.down();
    try {
      await c.post(order.body);
      await until(
        'the order to fail as unavailable',
        () => c.orderRow(17015),
        (row) => row?.error_kind === 'unavailable',
        20_000,
        100,
      );
      // As if the outage outlasted BOOKINGS_OUTAGE_MAX_HOURS: a dead letter.
      const queue = c.runtime.ctx.queues.get('bookings');
      for (const job of await queue.getJobs(['delayed', 'waiting'])) await job.remove().catch(() => undefined);
      await markDeadLetteredByOutage(c.runtime, 17015);
    } finally {
      await c.proxy.up();
    }
    expect((await c.service().sweep()).enqueued).toBeGreaterThanOrEqual(1);
    await c.waitForOrder(17015, 'synced');
    expect(await c.saleOrders('WC-17015')).toHaveLength(1);
  });

  it('Test connection names the missing group for a user without Sales rights', async () => {
    const c = get();
    const refs = (await c.target.call(
      'ir.model.data',
      'search_read',
      [
        [
          ['module', '=', 'base'],
          ['name', '=', 'group_user'],
          ['model', '=', 'res.groups'],
        ],
      ],
      { fields: ['res_id'] },
    )) as Array<{ res_id: number }>;
    const login = `no-sales-${Date.now()}`;
    await c.target.call('res.users', 'create', [[{ name: 'No Sales', login, password: `pw-${login}-0123`, groups_id: [[6, 0, [refs[0]?.res_id]]] }]]);
    const response = await c.admin('POST', '/api/v1/bookings/test-connection', {
      url: c.proxy.url,
      db: c.target.db,
      username: login,
      api_key: `pw-${login}-0123`,
    });
    const result = (await response.json()) as { ok: boolean; code: string; error: string; missing_groups: string[] };
    expect(result).toMatchObject({ ok: false, code: 'missing_rights', missing_groups: ['Sales / Administrator'] });
    expect(result.error).toMatch(/"Sales \/ Administrator"/);
    expect(result.error).toMatch(/create sale\.order/);
  });

  it('Test connection passes for a user in Sales / Administrator only', async () => {
    const c = get();
    const refs = (await c.target.call(
      'ir.model.data',
      'search_read',
      [
        [
          ['module', '=', 'sales_team'],
          ['name', '=', 'group_sale_manager'],
          ['model', '=', 'res.groups'],
        ],
      ],
      { fields: ['res_id'] },
    )) as Array<{ res_id: number }>;
    const login = `sales-admin-${Date.now()}`;
    await c.target.call('res.users', 'create', [[{ name: 'Sales Admin', login, password: `pw-${login}-0123`, groups_id: [[6, 0, [refs[0]?.res_id]]] }]]);
    const response = await c.admin('POST', '/api/v1/bookings/test-connection', {
      url: c.proxy.url,
      db: c.target.db,
      username: login,
      api_key: `pw-${login}-0123`,
    });
    expect(await response.json()).toMatchObject({ ok: true, version: expect.stringMatching(new RegExp(`^${c.target.version}\\.0`)), user: { login } });
  });

  it('10 simultaneous orders from one new email, in two worker processes, make exactly one partner, shown as a customer', async () => {
    const c = get();
    const ids = Array.from({ length: 10 }, (_, index) => 17020 + index);
    await Promise.all(
      ids.map((id, index) =>
        c.post(
          taxedOrder({ id, email: index % 2 ? 'Rush.Hour@Example.com' : 'rush.hour@example.com', lines: [{ persons: 1 + (index % 3), amount: 20 }] }).body,
          index % 2 ? c.second : c.runtime,
        ),
      ),
    );
    for (const id of ids) await c.waitForOrder(id, 'synced');
    const partners = (await c.target.call('res.partner', 'search_read', [[['email', '=ilike', 'rush.hour@example.com']]], {
      fields: ['customer_rank'],
    })) as Array<{ customer_rank: number }>;
    expect(partners).toHaveLength(1);
    expect(partners[0]?.customer_rank).toBeGreaterThan(0);
  });

  it('6 simultaneous orders for one new slot, in two worker processes, make exactly one product with that code', async () => {
    const c = get();
    const ids = Array.from({ length: 6 }, (_, index) => 17040 + index);
    await Promise.all(
      ids.map((id, index) =>
        c.post(
          taxedOrder({ id, email: `slot${index}@example.com`, lines: [{ persons: 4, amount: 80, start: '2026-12-24 08:00', productId: 77 }] }).body,
          index % 2 ? c.second : c.runtime,
        ),
      ),
    );
    for (const id of ids) await c.waitForOrder(id, 'synced');
    const products = (await c.target.call('product.product', 'search_read', [[['default_code', '=', 'WCB-77-202612240800-P4']]], {
      fields: ['id'],
    })) as unknown[];
    expect(products).toHaveLength(1);
  });

  it('a partner already in Odoo as Carla.Hand@Example.com is found case-insensitively and reused', async () => {
    const c = get();
    const [existing] = (await c.target.call('res.partner', 'create', [[{ name: 'Carla Hand', email: 'Carla.Hand@Example.com' }]])) as number[];
    await c.post(taxedOrder({ id: 17050, email: ' carla.hand@example.com ', lines: [{ persons: 1, amount: 12 }] }).body);
    await c.waitForOrder(17050, 'synced');
    const sale = await oneSaleOrder(c, 17050);
    expect(many2oneId(sale.partner_id)).toBe(existing);
    const partners = (await c.target.call('res.partner', 'search_read', [[['email', '=ilike', 'carla.hand@example.com']]], { fields: ['id'] })) as unknown[];
    expect(partners).toHaveLength(1);
  });

  it('WooCommerce’s own webhooks: order.updated with status processing reaches Odoo; order.created still pending does not', async () => {
    const c = get();
    const pending = wcOrder(17060, { email: 'native@example.com' });
    pending.status = 'pending';
    expect((await c.postNative(pending, 'order.created')).status).toBe(202);
    const paid = { ...pending, status: 'processing' };
    expect((await c.postNative(paid, 'order.updated')).status).toBe(202);
    await c.waitForOrder(17060, 'synced');
    expect(await c.saleOrders('WC-17060')).toHaveLength(1);
    const events = await c.runtime.ctx.db
      .selectFrom('synchub_inbound_events')
      .select(['topic', 'status'])
      .where('resource_id', '=', '17060')
      .orderBy('id')
      .execute();
    // The unpaid one keeps its topic and acts on nothing; the paid one is routed as order.paid.
    expect(events.map((event) => event.topic)).toEqual(['order.created', 'order.paid']);
  });
}

/** How many cases defineBookingCases registers (the closing note counts them). */
export const BOOKING_CASES = 20;
