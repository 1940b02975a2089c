import { serialize } from 'php-serialize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { startHarness, type Harness } from './harness';

/**
 * Orders the reconciliation sweep finds only in the store's database carry what the customer
 * paid — currency, taxes per line and rate, fees, prices entered with tax — exactly as the same
 * order delivered by webhook would (they used to reach Odoo untaxed, in the company's currency).
 */
describe.each(['hpos', 'legacy'] as const)('orders found by the sweep keep their taxes, fees and currency (%s)', (storage) => {
  let fixture: WooFixture;
  let h: Harness;
  const expected = new Map<string, { orderId: number; total: number; tax: number }>();

  const orderTable = () => (storage === 'hpos' ? `${fixture.prefix}wc_orders` : `${fixture.prefix}postmeta`);
  async function setOrderMeta(orderId: number, key: string, value: string): Promise<void> {
    if (storage === 'legacy') {
      await fixture.query(`DELETE FROM \`${fixture.prefix}postmeta\` WHERE post_id = ? AND meta_key = ?`, [orderId, key]);
      await fixture.query(`INSERT INTO \`${fixture.prefix}postmeta\` (post_id, meta_key, meta_value) VALUES (?, ?, ?)`, [orderId, key, value]);
    }
  }
  async function stored(orderId: number): Promise<{ total: number; tax: number }> {
    if (storage === 'hpos') {
      const [row] = await fixture.query<Array<{ total: string; tax: string }>>(
        `SELECT total_amount AS total, tax_amount AS tax FROM \`${orderTable()}\` WHERE id = ?`,
        [orderId],
      );
      return { total: Number(row?.total), tax: Number(row?.tax) };
    }
    const rows = await fixture.query<Array<{ k: string; v: string }>>(
      `SELECT meta_key AS k, meta_value AS v FROM \`${orderTable()}\` WHERE post_id = ? AND meta_key IN ('_order_total', '_order_tax')`,
      [orderId],
    );
    return { total: Number(rows.find((row) => row.k === '_order_total')?.v), tax: Number(rows.find((row) => row.k === '_order_tax')?.v) };
  }
  async function setTotals(orderId: number, total: number, tax: number): Promise<void> {
    if (storage === 'hpos')
      await fixture.query(`UPDATE \`${orderTable()}\` SET total_amount = ?, tax_amount = ? WHERE id = ?`, [total.toFixed(2), tax.toFixed(2), orderId]);
    else {
      await setOrderMeta(orderId, '_order_total', total.toFixed(2));
      await setOrderMeta(orderId, '_order_tax', tax.toFixed(2));
    }
  }

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage, spec: { paidOrders: 6, unpaidOrders: 0, seed: 23 }, label: 'swtx' });
    const paid = fixture.orders.filter((order) => order.paidAt && order.items.length > 0).slice(0, 3);
    if (paid.length < 3) throw new Error('fixture without enough orders');
    h = await startHarness({ env: fixture.env });
    const from = Math.floor(Date.now() / 1000) + 3 * 86_400;
    for (const [index, order] of paid.entries()) {
      for (const item of order.items) {
        await fixture.query(
          `INSERT INTO \`${fixture.prefix}woocommerce_order_itemmeta\` (order_item_id, meta_key, meta_value) VALUES (?, 'yith_booking_data', ?)`,
          [item.id, serialize({ from: from + index * 7200, to: from + index * 7200 + 3600, persons: 2 })],
        );
      }
    }
    const [inEur, included, withFee] = paid as [(typeof paid)[0], (typeof paid)[0], (typeof paid)[0]];
    // Sold in EUR (the fixture's store sells in COP).
    if (storage === 'hpos') await fixture.query(`UPDATE \`${fixture.prefix}wc_orders\` SET currency = 'EUR' WHERE id = ?`, [inEur.id]);
    else await setOrderMeta(inEur.id, '_order_currency', 'EUR');
    // Prices entered with tax.
    if (storage === 'hpos')
      await fixture.query(`UPDATE \`${fixture.prefix}wc_order_operational_data\` SET prices_include_tax = 1 WHERE order_id = ?`, [included.id]);
    else await setOrderMeta(included.id, '_prices_include_tax', 'yes');
    // A positive fee, taxed at the same 19 % rate, added to the order's total as WooCommerce does.
    const feeItem = await fixture.query<{ insertId: number }>(
      `INSERT INTO \`${fixture.prefix}woocommerce_order_items\` (order_item_name, order_item_type, order_id) VALUES ('Gastos de gestión', 'fee', ?)`,
      [withFee.id],
    );
    for (const [key, value] of [
      ['_line_total', '10.00'],
      ['_line_tax', '1.90'],
      ['_line_tax_data', serialize({ total: { 1: '1.90' } })],
    ]) {
      await fixture.query(`INSERT INTO \`${fixture.prefix}woocommerce_order_itemmeta\` (order_item_id, meta_key, meta_value) VALUES (?, ?, ?)`, [
        feeItem.insertId,
        key,
        value,
      ]);
    }
    const feeTotals = await stored(withFee.id);
    await setTotals(withFee.id, feeTotals.total + 11.9, feeTotals.tax + 1.9);
    for (const [label, order] of [
      ['in EUR', inEur],
      ['prices include tax', included],
      ['with a fee', withFee],
    ] as const) {
      await fixture.setOrderStatus(order.id, order.status);
      expected.set(label, { orderId: order.id, ...(await stored(order.id)) });
    }
  });
  afterAll(async () => {
    await h?.dispose();
    await fixture?.drop();
  });

  it('makes Odoo’s sale orders total what the customer paid, tax included, in the order’s currency', async () => {
    // The harness's own first sweep may already have taken some of them: either way each is synced once.
    await h.service().sweep();
    const saleOf = async (label: string) => {
      const entry = expected.get(label);
      if (!entry) throw new Error(label);
      await h.waitForOrder(entry.orderId, 'synced');
      const [sale] = h.saleOrders(`WC-${entry.orderId}`);
      return { sale: sale as Record<string, unknown>, entry };
    };
    const currencyName = (sale: Record<string, unknown>) =>
      String(h.odoo.orm.search('res.currency', [['id', '=', Array.isArray(sale.currency_id) ? sale.currency_id[0] : sale.currency_id]])[0]?.name);
    for (const label of ['in EUR', 'prices include tax', 'with a fee']) {
      const { sale, entry } = await saleOf(label);
      expect(entry.tax, label).toBeGreaterThan(0);
      expect([Number(sale.amount_total), Number(sale.amount_tax)], label).toEqual([entry.total, entry.tax]);
    }
    expect(currencyName((await saleOf('in EUR')).sale)).toBe('EUR');
    expect(currencyName((await saleOf('with a fee')).sale)).toBe('COP');
    const { sale } = await saleOf('with a fee');
    const lines = h.odoo.orm.search('sale.order.line', [['order_id', '=', Number(sale.id)]]);
    expect(lines.map((line) => Number(line.price_unit))).toContain(10);
  });
});
