import { describe, expect, it } from 'vitest';

import { emailDomain, saleTaxVals } from '../../../worker/src/connectors/odoo/mappers';
import { bookingOrderSchema, parseBookingOrder } from '../../../worker/src/bookings/orders/parse';
import { CompoundTaxError, FEE_PRODUCT_CODE, plannedLines, wholeCentQuantity } from '../../../worker/src/bookings/odoo/plan';
import { transientRetryDelay } from '../../../worker/src/bookings/rules';
import { taxedOrder } from './conformance/orders';

const parse = (body: Record<string, unknown>) => {
  const parsed = parseBookingOrder(body);
  if (parsed.kind !== 'bookings') throw new Error(`not a booking order: ${parsed.kind}`);
  return parsed.order;
};

describe('whole-cent quantities (pure)', () => {
  it.each([
    [94.99, 3, 1, 94.99],
    [90, 3, 3, 30],
    [100, 3, 1, 100],
    [0.03, 3, 3, 0.01],
    [25, 1, 1, 25],
    [19.98, 2, 2, 9.99],
  ])('%f for %i units → %i × %f', (amount, quantity, wantQuantity, wantUnit) => {
    expect(wholeCentQuantity(amount, quantity)).toEqual({ quantity: wantQuantity, priceUnit: wantUnit });
  });
});

describe('outage backoff (pure)', () => {
  it('doubles from the first delay and stops at the cap: an hour by default, reached within a day', () => {
    expect([0, 1, 2, 3].map((n) => transientRetryDelay(n, 2_000, 3_600_000))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(transientRetryDelay(11, 2_000, 3_600_000)).toBe(3_600_000);
    expect(transientRetryDelay(500, 2_000, 3_600_000)).toBe(3_600_000);
    let waited = 0;
    for (let n = 0; n < 30; n += 1) waited += transientRetryDelay(n, 2_000, 3_600_000);
    expect(waited).toBeGreaterThan(10 * 3_600_000);
  });
});

describe('Odoo values (pure)', () => {
  it('looks partners up with =ilike on each email, wildcards escaped', () => {
    expect(emailDomain(['a_b@x.org', 'c%d@y.org', 'e@z.org'])).toEqual([
      '|',
      '|',
      ['email', '=ilike', 'a\\_b@x.org'],
      ['email', '=ilike', 'c\\%d@y.org'],
      ['email', '=ilike', 'e@z.org'],
    ]);
    expect(emailDomain(['one@x.org'])).toEqual([['email', '=ilike', 'one@x.org']]);
  });

  it('makes a price-included tax with Odoo 17’s flag or Odoo 18’s override', () => {
    expect(saleTaxVals({ percent: 21, included: true }, false)).toMatchObject({ amount: 21, type_tax_use: 'sale', price_include: true });
    expect(saleTaxVals({ percent: 21, included: true }, true)).toMatchObject({ price_include_override: 'tax_included' });
    expect(saleTaxVals({ percent: 10, included: false }, true)).toMatchObject({ price_include_override: 'tax_excluded' });
  });
});

describe('sale order lines from a WooCommerce order (pure)', () => {
  const vat = { rateId: 4, percent: 21 };

  it('prices entered with tax: the unit price includes it and the Odoo tax is price-included', () => {
    const order = parse(taxedOrder({ id: 1, email: 'a@x.org', pricesIncludeTax: true, lines: [{ amount: 95, persons: 5, tax: vat }] }).body);
    expect(plannedLines(order, 'en')).toMatchObject([{ quantity: 1, priceUnit: 95, taxes: [{ percent: 21, included: true }] }]);
  });

  it('fees are lines of their own; an untaxed line says so explicitly', () => {
    const order = parse(taxedOrder({ id: 2, email: 'a@x.org', lines: [{ amount: 40 }], fees: [{ name: 'Mat rental', amount: 2.5, tax: vat }] }).body);
    expect(plannedLines(order, 'en').map((line) => [line.productCode.startsWith('WCB-') ? 'slot' : line.productCode, line.priceUnit, line.taxes])).toEqual([
      ['slot', 40, []],
      [FEE_PRODUCT_CODE, 2.5, [{ percent: 21, included: false }]],
    ]);
  });

  it('refuses a compound tax, naming it', () => {
    const order = parse(taxedOrder({ id: 3, email: 'a@x.org', lines: [{ amount: 40, tax: { rateId: 9, percent: 5, compound: true, label: 'Eco' } }] }).body);
    expect(() => plannedLines(order, 'en')).toThrow(CompoundTaxError);
    expect(() => plannedLines(order, 'en')).toThrow(/compound tax "Eco"/);
  });

  it('reads an order stored before taxes travelled as untaxed, at its subtotal', () => {
    // A payload saved by an earlier version: no currency, taxes, fees or line subtotals.
    const stored = {
      id: 4,
      number: '4',
      email: 'a@x.org',
      name: 'A',
      phone: null,
      paidAt: '2026-11-20T10:00:00.000Z',
      discountPercent: null,
      slots: [
        {
          itemId: 1,
          productId: 42,
          className: 'Yoga',
          start: '2026-12-01 18:30',
          end: null,
          persons: 3,
          personTypes: [],
          bookingId: null,
          quantity: 3,
          unitPrice: 10,
        },
      ],
    };
    const order = bookingOrderSchema.parse(stored);
    expect(order).toMatchObject({ currency: null, pricesIncludeTax: false, taxRates: [], fees: [] });
    expect(plannedLines(order, 'en')).toMatchObject([{ quantity: 3, priceUnit: 10, taxes: [] }]);
  });
});
