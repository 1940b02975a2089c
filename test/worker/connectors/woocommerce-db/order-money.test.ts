import { serialize } from 'php-serialize';
import { describe, expect, it } from 'vitest';

import { restShapeOf } from '../../../../worker/src/bookings/orders/store-source';
import { parseBookingOrder } from '../../../../worker/src/bookings/orders/parse';
import { orderMoneyFromItems, rateAmounts, storedBoolean } from '../../../../worker/src/connectors/woocommerce-db/order-money';
import type { SourceOrder } from '../../../../worker/src/connectors/woocommerce-db/types';

const item = (orderId: number, itemId: number, type: string, name: string, meta: Record<string, string>) => ({
  orderId,
  itemId,
  type,
  name,
  meta: new Map(Object.entries(meta)),
});

describe('reading an order’s taxes and fees from the store', () => {
  it('turns _line_tax_data into one entry per rate, empty amounts as null', () => {
    expect(rateAmounts({ total: { 1: '1.90', 4: '' }, subtotal: { 1: '2.00' } })).toEqual([
      { id: 1, subtotal: 2, total: 1.9 },
      { id: 4, subtotal: null, total: null },
    ]);
    expect(rateAmounts('junk')).toEqual([]);
    expect(rateAmounts({ total: { x: '1' } })).toEqual([]);
  });

  it('reads WooCommerce’s stored booleans', () => {
    expect(['yes', '1', 1, 'no', '0', 0, '', null, 'maybe'].map(storedBoolean)).toEqual([true, true, true, false, false, false, null, null, null]);
  });

  it('gathers line taxes, tax items with their rate, and fees with their taxes, per order', () => {
    const money = orderMoneyFromItems(
      [7, 8],
      [
        item(7, 70, 'line_item', 'Clase', { _line_subtotal_tax: '19.95', _line_tax_data: serialize({ total: { 1: '19.95' }, subtotal: { 1: '19.95' } }) }),
        item(7, 71, 'fee', 'Reserva', { _line_total: '5.00', _line_tax: '1.05', _line_tax_data: serialize({ total: { 1: '1.05' } }) }),
        item(7, 72, 'tax', 'ES-IVA-1', { rate_id: '1', label: 'IVA', compound: '', tax_amount: '21.00', rate_percent: '21' }),
        item(7, 73, 'tax', 'orphan', { label: 'no rate id' }),
        item(8, 80, 'tax', 'CO-IVA-2', { rate_id: '2', label: 'IVA', compound: 'yes', tax_amount: '3.00' }),
      ],
      new Map([[7, { percent: 0, threshold: 4 }]]),
      new Map([
        [7, false],
        [8, true],
      ]),
    );
    expect(money.get(7)).toEqual({
      meta: { percent: 0, threshold: 4 },
      pricesIncludeTax: false,
      fees: [{ name: 'Reserva', total: 5, totalTax: 1.05, taxes: [{ id: 1, subtotal: null, total: 1.05 }] }],
      taxLines: [{ rateId: 1, label: 'IVA', compound: false, ratePercent: 21, taxTotal: 21 }],
      lineTaxes: new Map([[70, { subtotalTax: 19.95, taxes: [{ id: 1, subtotal: 19.95, total: 19.95 }] }]]),
    });
    expect(money.get(8)?.taxLines).toEqual([{ rateId: 2, label: 'IVA', compound: true, ratePercent: null, taxTotal: 3 }]);
    expect(money.get(8)?.pricesIncludeTax).toBe(true);
  });

  it('a swept order parses as the webhook’s would: currency, rates, line taxes, fees and totals', () => {
    const order: SourceOrder = {
      id: 7,
      status: 'wc-processing',
      currency: 'EUR',
      total: '121.00000000',
      tax: '21.00000000',
      createdAt: '2026-01-01T10:00:00.000Z',
      paidAt: '2026-01-01T10:05:00.000Z',
      billing: { firstName: 'Ana', lastName: 'Pérez', email: 'ana@example.com', phone: '' },
      items: [{ id: 70, orderId: 7, name: 'Clase', productId: 5, variationId: 0, quantity: 2, subtotal: '95.00', total: '95.00', tax: '19.95' }],
      attendees: [],
    };
    const booking = new Map([[70, [{ key: 'yith_booking_data', value: { from: 1_800_000_000, to: 1_800_003_600, persons: 2 } }]]]);
    const money = orderMoneyFromItems(
      [7],
      [
        item(7, 70, 'line_item', 'Clase', { _line_subtotal_tax: '19.95', _line_tax_data: serialize({ total: { 1: '19.95' }, subtotal: { 1: '19.95' } }) }),
        item(7, 71, 'fee', 'Reserva', { _line_total: '5.00', _line_tax: '1.05', _line_tax_data: serialize({ total: { 1: '1.05' } }) }),
        item(7, 72, 'tax', 'ES-IVA-1', { rate_id: '1', label: 'IVA', compound: '', tax_amount: '21.00', rate_percent: '21' }),
      ],
      new Map(),
      new Map([[7, true]]),
    ).get(7);
    const parsed = parseBookingOrder(restShapeOf(order, booking, money));
    expect(parsed.kind).toBe('bookings');
    if (parsed.kind !== 'bookings') return;
    expect(parsed.order).toMatchObject({
      currency: 'EUR',
      pricesIncludeTax: true,
      total: 121,
      totalTax: 21,
      taxRates: [{ rateId: 1, label: 'IVA', percent: 21, compound: false }],
      fees: [{ name: 'Reserva', total: 5, totalTax: 1.05, taxRateIds: [1] }],
    });
    expect(parsed.order.slots[0]).toMatchObject({ subtotal: 95, subtotalTax: 19.95, taxRateIds: [1] });
    // Without what the store says beyond the lines, nothing is invented.
    const bare = parseBookingOrder(restShapeOf({ ...order, currency: '' }, booking));
    expect(bare.kind === 'bookings' && bare.order).toMatchObject({ currency: null, pricesIncludeTax: false, taxRates: [], fees: [] });
  });
});
